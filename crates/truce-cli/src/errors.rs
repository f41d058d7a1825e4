//! What can go wrong in the command line, and how it is told to the user.
//! Every located problem is a `truce_engine::Diagnostic`, rendered here one
//! way in text (miette, with the line and a caret) and by
//! `truce_present::diagnostics` one way in JSON.

use crate::output::{say, say_raw};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
use std::io::IsTerminal;
use std::path::PathBuf;
use truce_engine::analysis::AnalysisError;
use truce_engine::Diagnostic;

/// What a file with problems was being read as: says the closing line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A scenario: "FILE has N problems".
    Scenario,
    /// A GENIUS file: "FILE cannot be imported".
    Genius,
    /// A ledger batch: "FILE: N bad line(s); nothing was written".
    Ledger,
}

#[derive(Debug)]
pub enum CliError {
    Read {
        path: PathBuf,
        source: std::io::Error,
        /// What the file should be, for the hint.
        hint: &'static str,
    },
    /// A file larger than truce reads for its kind.
    TooLarge {
        path: PathBuf,
        limit: u64,
    },
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Problems in an input file; `text` is the file's, for quoting lines.
    Problems {
        path: PathBuf,
        text: Option<String>,
        input: Input,
        diagnostics: Vec<Diagnostic>,
    },
    Analysis(AnalysisError),
    UnknownPlan {
        name: String,
        known: Vec<String>,
    },
    Usage(String),
    /// Already reported on standard output (JSON mode); exit 2 quietly.
    Reported,
    Other(String),
}

impl CliError {
    /// Standard output's reader went away (`truce … | head -1`): not a
    /// failure, like any Unix filter.
    pub fn is_closed_pipe(&self) -> bool {
        matches!(self, CliError::Write { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }

    pub fn exit_code(&self) -> u8 {
        if self.is_closed_pipe() {
            return 0;
        }
        match self {
            CliError::Write { .. } | CliError::Other(_) => 1,
            _ => 2,
        }
    }

    pub fn report(&self) {
        if self.is_closed_pipe() {
            return;
        }
        match self {
            CliError::Read { path, source, hint } => {
                say!("error: cannot read {}: {source}", path.display());
                say!("  help: check the path; {hint}");
            }
            CliError::TooLarge { path, limit } => {
                say!(
                    "error: {} is larger than {} MiB, the most truce reads for this kind of file",
                    path.display(),
                    limit >> 20
                );
                say!("  help: check that this is the file you meant");
            }
            CliError::Write { path, source } => {
                say!("error: cannot write {}: {source}", path.display());
            }
            CliError::Problems {
                path,
                text,
                input,
                diagnostics,
            } => {
                say_raw!("{}", render(path, text.as_deref(), diagnostics));
                let n = diagnostics.len();
                match input {
                    Input::Scenario => say!(
                        "error: {} has {n} problem{}",
                        path.display(),
                        if n == 1 { "" } else { "s" }
                    ),
                    Input::Genius => say!("error: {} cannot be imported", path.display()),
                    Input::Ledger => say!(
                        "error: {}: {n} bad line(s); nothing was written",
                        path.display()
                    ),
                }
            }
            CliError::Analysis(e) => {
                say!("error: {e}");
                match e {
                    AnalysisError::TooLarge { outcomes, .. } if outcomes.as_u64().is_none() => {
                        say!("  help: truce numbers packages in 64 bits; merge options or issues")
                    }
                    AnalysisError::TooLarge { .. } => say!(
                        "  help: leave out --method enumerate to search exactly, raise --max-outcomes if you have the time, or merge options and issues"
                    ),
                    AnalysisError::Search(_) => say!(
                        "  help: raise --search-nodes if you have the time; red lines that fix issues and fewer parties make the search shorter"
                    ),
                }
            }
            CliError::UnknownPlan { name, known } => {
                say!("error: no plan has the id or name `{name}`");
                if known.is_empty() {
                    say!("  help: the scenario has no [[plans]]");
                } else {
                    say!("  help: plans in this scenario: {}", known.join(", "));
                }
            }
            CliError::Usage(m) => say!("error: {m}"),
            CliError::Reported => {}
            CliError::Other(m) => say!("error: {m}"),
        }
    }
}

/// Lines longer than this are not quoted: the report names the place only
/// (miette cannot draw columns past 65,535, and nobody reads such a line).
const LONGEST_QUOTED_LINE: usize = 1000;

fn on_a_long_line(text: &str, offset: usize) -> bool {
    let offset = offset.min(text.len());
    let start = text.as_bytes()[..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = text.as_bytes()[offset..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |i| offset + i);
    end - start > LONGEST_QUOTED_LINE
}

/// One problem without quoting its line: on one line when it has no span
/// (`file:line:column: field: message`), or with the code and the place
/// when its line is too long to show.
fn plain_report(path: &std::path::Path, d: &Diagnostic) -> String {
    let mut place = path.display().to_string();
    if let Some(line) = d.line {
        place.push_str(&format!(":{line}"));
        if let Some(column) = d.column {
            place.push_str(&format!(":{column}"));
        }
    }
    let mut out = if d.span.is_some() {
        format!(
            "{}\n\n  × {}\n  at {place} (the line is too long to show)\n",
            d.kind.code(),
            d.message
        )
    } else {
        let field = d
            .path
            .as_ref()
            .map(|p| format!("{p}: "))
            .unwrap_or_default();
        format!("error[{}]: {place}: {field}{}\n", d.kind.code(), d.message)
    };
    if let Some(h) = &d.help {
        out.push_str(&format!("  help: {h}\n"));
    }
    if d.span.is_some() {
        out.push('\n');
    }
    out
}

/// Each problem of the file at `path` with `file:line:column`, the
/// offending line and a caret when the text is at hand and the line short
/// enough to quote.
pub fn render(path: &std::path::Path, text: Option<&str>, diagnostics: &[Diagnostic]) -> String {
    let theme = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = String::new();
    for d in diagnostics {
        let quotable = match (text, &d.span) {
            (Some(text), Some(span)) => !on_a_long_line(text, span.start),
            _ => false,
        };
        let (Some(text), Some(span), true) = (text, &d.span, quotable) else {
            out.push_str(&plain_report(path, d));
            continue;
        };
        let mut md = MietteDiagnostic::new(d.message.clone()).with_code(d.kind.code());
        let label = d.label.clone().unwrap_or_else(|| "here".into());
        let len = span
            .end
            .saturating_sub(span.start)
            .max(1)
            .min(text.len().saturating_sub(span.start).max(1));
        md = md.with_label(LabeledSpan::at(span.start..span.start + len, label));
        if let Some(h) = &d.help {
            md = md.with_help(h.clone());
        }
        let report = miette::Report::new(md).with_source_code(NamedSource::new(
            path.display().to_string(),
            text.to_string(),
        ));
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            out.push_str(&plain_report(path, d));
        }
        out.push('\n');
    }
    out
}
