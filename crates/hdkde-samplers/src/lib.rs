//! (in progress)
#![deny(missing_docs)]
