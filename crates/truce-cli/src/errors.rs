//! What can go wrong in the command line, and how it is told to the user.

use crate::output::{say, say_raw};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use truce_engine::analysis::AnalysisError;
use truce_engine::diag::line_column;
use truce_engine::ScenarioError;

#[derive(Debug)]
pub enum CliError {
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    Scenario {
        path: PathBuf,
        text: String,
        err: ScenarioError,
    },
    /// A GENIUS file problem; `text` is that file's content when known.
    Genius {
        path: Option<PathBuf>,
        text: String,
        err: Box<truce_genius::GeniusError>,
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
            CliError::Read { path, source } => {
                say!("error: cannot read {}: {source}", path.display());
                say!(
                    "  help: check the path; scenario files are TOML (see docs/scenario-format.md)"
                );
            }
            CliError::Write { path, source } => {
                say!("error: cannot write {}: {source}", path.display());
            }
            CliError::Scenario { path, text, err } => {
                say_raw!("{}", render_scenario_error(path, text, err));
                let n = err.diagnostics.len();
                say!(
                    "error: {} has {n} problem{}",
                    path.display(),
                    if n == 1 { "" } else { "s" }
                );
            }
            CliError::Genius { path, text, err } => {
                let diag = truce_engine::Diagnostic {
                    kind: truce_engine::ErrorKind::Syntax,
                    message: err.message.clone(),
                    span: err.span.clone(),
                    label: Some("here".into()),
                    help: err.help.clone(),
                };
                match path {
                    Some(path) => {
                        let e = ScenarioError {
                            diagnostics: vec![diag],
                        };
                        say_raw!("{}", render_scenario_error(path, text, &e));
                        say!("error: {} cannot be imported", path.display());
                    }
                    None => {
                        say!("error: {}", err.message);
                        if let Some(h) = &err.help {
                            say!("  help: {h}");
                        }
                    }
                }
            }
            CliError::Analysis(e) => {
                say!("error: {e}");
                let AnalysisError::TooLarge { .. } = e;
                say!("  help: raise --max-outcomes if you have the time, or merge options and issues");
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

/// One problem as `file:line:column`, without quoting the line.
fn plain_report(path: &Path, text: &str, d: &truce_engine::Diagnostic, offset: usize) -> String {
    let (line, column) = line_column(text, offset);
    let mut out = format!("{}\n\n  × {}\n", d.kind.code(), d.message);
    out.push_str(&format!(
        "  at {}:{line}:{column} (the line is too long to show)\n",
        path.display()
    ));
    if let Some(h) = &d.help {
        out.push_str(&format!("  help: {h}\n"));
    }
    out.push('\n');
    out
}

/// Each problem with `file:line:column`, the offending line and a caret.
pub fn render_scenario_error(path: &Path, text: &str, err: &ScenarioError) -> String {
    let theme = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = String::new();
    for d in &err.diagnostics {
        if let Some(span) = d.span.as_ref().filter(|s| on_a_long_line(text, s.start)) {
            out.push_str(&plain_report(path, text, d, span.start));
            continue;
        }
        let mut md = MietteDiagnostic::new(d.message.clone());
        if d.kind != truce_engine::ErrorKind::Syntax
            || path.extension().is_some_and(|x| x == "toml")
        {
            md = md.with_code(d.kind.code());
        }
        if let Some(span) = &d.span {
            let label = d.label.clone().unwrap_or_else(|| "here".into());
            let len = span
                .end
                .saturating_sub(span.start)
                .max(1)
                .min(text.len().saturating_sub(span.start).max(1));
            md = md.with_label(LabeledSpan::at(span.start..span.start + len, label));
        } else {
            out.push_str(&format!("{}: ", path.display()));
        }
        if let Some(h) = &d.help {
            md = md.with_help(h.clone());
        }
        let report = miette::Report::new(md).with_source_code(NamedSource::new(
            path.display().to_string(),
            text.to_string(),
        ));
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            out.push_str(&d.message);
        }
        out.push('\n');
    }
    out
}
