//! What can go wrong in the command line, and how it is told to the user.

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
use serde_json::{json, Value};
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
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Write { .. } | CliError::Other(_) => 1,
            _ => 2,
        }
    }

    pub fn report(&self) {
        match self {
            CliError::Read { path, source } => {
                eprintln!("error: cannot read {}: {source}", path.display());
                eprintln!(
                    "  help: check the path; scenario files are TOML (see docs/scenario-format.md)"
                );
            }
            CliError::Write { path, source } => {
                eprintln!("error: cannot write {}: {source}", path.display());
            }
            CliError::Scenario { path, text, err } => {
                eprint!("{}", render_scenario_error(path, text, err));
                let n = err.diagnostics.len();
                eprintln!(
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
                        eprint!("{}", render_scenario_error(path, text, &e));
                        eprintln!("error: {} cannot be imported", path.display());
                    }
                    None => {
                        eprintln!("error: {}", err.message);
                        if let Some(h) = &err.help {
                            eprintln!("  help: {h}");
                        }
                    }
                }
            }
            CliError::Analysis(e) => {
                eprintln!("error: {e}");
                let AnalysisError::TooLarge { .. } = e;
                eprintln!("  help: raise --max-outcomes if you have the time, or merge options and issues");
            }
            CliError::UnknownPlan { name, known } => {
                eprintln!("error: no plan has the id or name `{name}`");
                if known.is_empty() {
                    eprintln!("  help: the scenario has no [[plans]]");
                } else {
                    eprintln!("  help: plans in this scenario: {}", known.join(", "));
                }
            }
            CliError::Usage(m) => eprintln!("error: {m}"),
            CliError::Reported => {}
            CliError::Other(m) => eprintln!("error: {m}"),
        }
    }
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

/// The problems as JSON, for `truce check --format json`.
pub fn scenario_errors_json(path: &Path, text: &str, err: &ScenarioError) -> Value {
    let errors: Vec<Value> = err
        .diagnostics
        .iter()
        .map(|d| {
            let (line, column) = d
                .span
                .as_ref()
                .map(|s| line_column(text, s.start))
                .map_or((Value::Null, Value::Null), |(l, c)| (l.into(), c.into()));
            json!({
                "kind": d.kind.code(),
                "message": d.message,
                "file": path.display().to_string(),
                "line": line,
                "column": column,
                "help": d.help,
            })
        })
        .collect();
    json!({ "valid": false, "errors": errors })
}
