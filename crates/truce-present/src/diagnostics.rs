//! The problems of an input file as JSON (`truce check --format json` on
//! an invalid scenario). Text rendering, with the source line and a caret,
//! is the front end's: it knows whether it writes to a terminal.

use serde::Serialize;
use truce_engine::diag::line_column;
use truce_engine::Diagnostic;

/// `{"valid": false, "errors": [...]}`.
#[derive(Debug, Serialize)]
pub struct ProblemsJson<'a> {
    valid: bool,
    errors: Vec<ProblemJson<'a>>,
}

#[derive(Debug, Serialize)]
struct ProblemJson<'a> {
    kind: &'static str,
    message: &'a str,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<&'a str>,
}

impl<'a> ProblemsJson<'a> {
    /// The problems of `file`, whose text is `text`.
    pub fn new(file: &'a str, text: &str, diagnostics: &'a [Diagnostic]) -> Self {
        ProblemsJson {
            valid: false,
            errors: diagnostics
                .iter()
                .map(|d| {
                    let at = d.span.as_ref().map(|s| line_column(text, s.start));
                    ProblemJson {
                        kind: d.kind.code(),
                        message: &d.message,
                        file,
                        line: at.map(|(l, _)| l),
                        column: at.map(|(_, c)| c),
                        help: d.help.as_deref(),
                    }
                })
                .collect(),
        }
    }
}
