//! Problems in an input as JSON: `{"valid": false, "errors": [...]}`, each
//! a diagnostic with its kind, message, file, line, column, field path and
//! help (`truce check --format json` on an invalid scenario). Text
//! rendering, with the source line and a caret, is the front end's: it
//! knows whether it writes to a terminal.

use serde::Serialize;
use truce_engine::Diagnostic;

/// `{"valid": false, "errors": [...]}`.
#[derive(Debug, Serialize)]
pub struct ProblemsJson<'a> {
    valid: bool,
    errors: Vec<ProblemJson<'a>>,
}

/// A diagnostic, named by the file the user gave when it names none.
#[derive(Debug, Serialize)]
struct ProblemJson<'a> {
    kind: &'static str,
    message: &'a str,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    path: Option<&'a str>,
    help: Option<&'a str>,
}

impl<'a> ProblemsJson<'a> {
    /// The problems of `file`.
    pub fn new(file: &'a str, diagnostics: &'a [Diagnostic]) -> Self {
        ProblemsJson {
            valid: false,
            errors: diagnostics
                .iter()
                .map(|d| ProblemJson {
                    kind: d.kind.code(),
                    message: &d.message,
                    file: d.file.as_deref().unwrap_or(file),
                    line: d.line,
                    column: d.column,
                    path: d.path.as_deref(),
                    help: d.help.as_deref(),
                })
                .collect(),
        }
    }
}
