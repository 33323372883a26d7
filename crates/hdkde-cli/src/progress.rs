//! Progress reporting on standard error for long work.
//!
//! Nothing is drawn for work that ends within [`DELAY`], when standard error is not a
//! terminal, or with `--quiet`: a bar or spinner only appears once the work has taken a
//! second, so quick commands print nothing but their result.

use std::io::IsTerminal;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before its progress is shown.
const DELAY: Duration = Duration::from_secs(1);

fn visible(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

/// A progress bar over `len` units of work, drawn only once the work has taken [`DELAY`].
#[derive(Debug)]
pub(crate) struct Progress {
    bar: ProgressBar,
    start: Instant,
    enabled: bool,
    shown: bool,
}

impl Progress {
    /// A bar for `len` units (e.g. query points), labelled `message`.
    pub(crate) fn new(len: u64, message: &str, quiet: bool) -> Self {
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({elapsed}, eta {eta})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(message.to_string());
        Progress {
            bar,
            start: Instant::now(),
            enabled: visible(quiet),
            shown: false,
        }
    }

    /// Record `k` more units done.
    pub(crate) fn inc(&mut self, k: u64) {
        if self.enabled && !self.shown && self.start.elapsed() >= DELAY {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        self.bar.inc(k);
    }

    /// Remove the bar.
    pub(crate) fn finish(self) {
        self.bar.finish_and_clear();
    }
}

/// Run `work` on the current thread while a spinner labelled `message` turns on standard
/// error (after [`DELAY`]), for work whose progress cannot be measured.
pub(crate) fn with_spinner<T>(quiet: bool, message: &str, work: impl FnOnce() -> T) -> T {
    if !visible(quiet) {
        return work();
    }
    let (done, wait) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            if wait.recv_timeout(DELAY) != Err(mpsc::RecvTimeoutError::Timeout) {
                return;
            }
            let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
                spinner.set_style(style);
            }
            spinner.set_message(message.to_string());
            spinner.enable_steady_tick(Duration::from_millis(120));
            // Ends when the work reports completion or is dropped (the sender goes away).
            let _ = wait.recv();
            spinner.finish_and_clear();
        });
        // Owned here, so that the watcher also stops if `work` panics (the sender is dropped).
        let done = done;
        let out = work();
        // The watcher may already have returned (nothing to stop then).
        let _ = done.send(());
        out
    })
}
