//! The command line's error type: one line saying what went wrong and where.

use std::path::PathBuf;

/// An error reported to the user as `error: <message>`, with exit status 2 for an invalid
/// command line ([`CliError::Flag`]) and 1 for everything else.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    /// A file could not be opened, read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file's contents are malformed.
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
    /// An output file exists and `--force` was not given.
    #[error("{0}: file exists (pass --force to overwrite it)")]
    Exists(PathBuf),
    /// A flag's value is invalid (a usage error).
    #[error("{flag}: {message}")]
    Flag { flag: &'static str, message: String },
    /// An error from the library, with the context it happened in.
    #[error("{context}: {message}")]
    Library { context: String, message: String },
}

impl CliError {
    pub(crate) fn format(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        CliError::Format {
            path: path.into(),
            message: message.into(),
        }
    }

    pub(crate) fn flag(flag: &'static str, message: impl Into<String>) -> Self {
        CliError::Flag {
            flag,
            message: message.into(),
        }
    }

    pub(crate) fn library(context: impl Into<String>, err: impl std::fmt::Display) -> Self {
        CliError::Library {
            context: context.into(),
            message: err.to_string(),
        }
    }

    pub(crate) fn stdout(source: std::io::Error) -> Self {
        CliError::Io {
            path: "<stdout>".into(),
            source,
        }
    }

    /// The process exit status: 2 for usage errors, 1 otherwise.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            CliError::Flag { .. } => 2,
            _ => 1,
        }
    }
}
