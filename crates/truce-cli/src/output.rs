//! Where output goes: standard output through one buffer, or a file; and
//! notes on standard error. A reader that goes away (`truce … | head -1`)
//! ends the command quietly with exit 0; a full disk is an error.

use crate::errors::CliError;

/// `eprintln!` that cannot panic: a line on standard error, dropped if
/// standard error cannot take it (there is nowhere left to tell).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}
/// `eprint!` that cannot panic.
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr().lock(), $($arg)*);
    }};
}
use serde::Serialize;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
pub(crate) use {say, say_raw};

/// Buffered standard output; every write error becomes a [`CliError`].
pub struct Stdout {
    w: BufWriter<io::StdoutLock<'static>>,
}

fn stdout_error(source: io::Error) -> CliError {
    CliError::Write {
        path: PathBuf::from("<stdout>"),
        source,
    }
}

impl Stdout {
    pub fn new() -> Stdout {
        Stdout {
            w: BufWriter::with_capacity(1 << 16, io::stdout().lock()),
        }
    }

    /// Whatever `f` writes.
    pub fn write(
        &mut self,
        f: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), CliError> {
        f(&mut self.w).map_err(stdout_error)
    }

    /// `value` as pretty JSON and a newline.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CliError> {
        truce_present::write_json(&mut self.w, value).map_err(stdout_error)
    }

    /// Flushes what is buffered.
    pub fn finish(mut self) -> Result<(), CliError> {
        self.w.flush().map_err(stdout_error)
    }

    /// Sends what is written so far, and keeps writing.
    pub fn flush(&mut self) -> Result<(), CliError> {
        self.w.flush().map_err(stdout_error)
    }
}

/// Writes with `f` to `path`, or to standard output without one.
pub fn to_file_or_stdout(
    path: Option<&Path>,
    f: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    match path {
        None => {
            let mut out = Stdout::new();
            out.write(f)?;
            out.finish()
        }
        Some(path) => {
            let error = |source| CliError::Write {
                path: path.to_path_buf(),
                source,
            };
            let file = std::fs::File::create(path).map_err(error)?;
            let mut w = BufWriter::new(file);
            f(&mut w).and_then(|()| w.flush()).map_err(error)
        }
    }
}

/// A line on standard error. Nothing is left to tell if that fails.
pub fn note_line(line: &str) {
    say!("{line}");
}

/// Each note as `note: …` on standard error.
pub fn notes(notes: &[String]) {
    for n in notes {
        note_line(&format!("note: {n}"));
    }
}
