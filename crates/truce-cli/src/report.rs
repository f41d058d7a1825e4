//! `truce report`: the briefing note as one self-contained HTML file.

use crate::errors::CliError;
use clap::Args;
use std::path::PathBuf;
use truce_engine::analysis::density::density;
use truce_engine::analysis::{analyze, AnalysisOptions};
use truce_present::report::{default_pair, report_html, ReportInput};

/// Cells per axis of the frontier picture's density.
const DENSITY_BINS: usize = 40;

#[derive(Args)]
pub struct ReportArgs {
    file: PathBuf,
    /// Include the status of this ledger (a SQLite file or a postgres://
    /// URL), checked first, and its timeline.
    #[arg(long, value_name = "DB")]
    ledger: Option<String>,
    /// The ledger's date: a day, a month or a time with its UTC offset
    /// (default: the latest date in the ledger).
    #[arg(long, requires = "ledger")]
    at: Option<truce_ledger::When>,
    /// Simulate the talks with the scenario's settings and variations.
    #[arg(long)]
    simulate: bool,
    /// Runs of the simulation (default: the scenario's, else 1000).
    #[arg(long, requires = "simulate")]
    runs: Option<u64>,
    /// The frontier picture's two parties, X,Y (default: the first two
    /// bargaining parties).
    #[arg(long, value_name = "X,Y")]
    pair: Option<String>,
    /// Write the report here (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Refuse agreement spaces with more packages than this.
    #[arg(long, default_value_t = AnalysisOptions::default().max_outcomes)]
    max_outcomes: u64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

fn usage(m: impl Into<String>) -> CliError {
    CliError::Usage(m.into())
}

pub fn run(a: ReportArgs) -> Result<(), CliError> {
    crate::threads(a.threads)?;
    let s = crate::load(&a.file)?;
    let options = AnalysisOptions {
        max_outcomes: a.max_outcomes,
        ..Default::default()
    };
    let analysis = analyze(&s, &options).map_err(CliError::Analysis)?;
    let pair = match &a.pair {
        None => default_pair(&analysis),
        Some(spec) => {
            let party = |id: &str| -> Result<usize, CliError> {
                let p = s
                    .parties
                    .iter()
                    .position(|p| p.id == id.trim())
                    .ok_or_else(|| {
                        usage(format!(
                            "--pair {spec}: no party `{}`; the parties are {}",
                            id.trim(),
                            s.parties
                                .iter()
                                .map(|p| p.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    })?;
                analysis.valued_pos(p).map(|_| p).ok_or_else(|| {
                    usage(format!(
                        "--pair {spec}: `{}` states no preferences, so it has no utilities to draw",
                        id.trim()
                    ))
                })
            };
            match spec.split_once(',') {
                Some((x, y)) if x.trim() != y.trim() => Some((party(x)?, party(y)?)),
                _ => {
                    return Err(usage(format!(
                        "--pair {spec}: give two different party ids, X,Y"
                    )))
                }
            }
        }
    };
    let dens = pair.and_then(|(x, y)| density(&s, &analysis, x, y, DENSITY_BINS));
    let simulation = if a.simulate {
        let mut c = truce_sim::Config::from_scenario(&s);
        if let Some(n) = a.runs {
            c.set(
                &truce_engine::simulation::Setting::runs(n)
                    .map_err(|e| usage(format!("--runs: {e}")))?,
            );
        }
        let report = truce_sim::simulate(&s, &c, &s.simulation.vary, &|_| {})
            .map_err(|e| usage(e.to_string()))?;
        Some(report)
    } else {
        None
    };
    let records = match &a.ledger {
        None => None,
        Some(db) => {
            let (mut ledger, location) = crate::ledger::open(db, true)?;
            ledger
                .verify()
                .map_err(|e| crate::ledger::store_error(&location, e))?;
            let records = ledger
                .status_records()
                .map_err(|e| crate::ledger::store_error(&location, e))?;
            Some((records, location.to_string()))
        }
    };
    let status = match (&records, &a.at) {
        (Some((r, _)), Some(at)) => Some(truce_ledger::status_at(r, *at)),
        (Some((r, name)), None) => match truce_ledger::latest_date(r) {
            Some(d) => Some(truce_ledger::status_at(r, d.into())),
            None => {
                return Err(usage(format!(
                    "the ledger {name} holds no dated record; give --at"
                )))
            }
        },
        _ => None,
    };
    let html = report_html(&ReportInput {
        scenario: &s,
        analysis: &analysis,
        density: dens.as_ref(),
        pair,
        simulation: simulation.as_ref(),
        ledger: records
            .as_ref()
            .zip(status.as_ref())
            .map(|((r, _), st)| (r.as_slice(), st)),
        ledger_name: records.as_ref().map(|(_, n)| n.as_str()),
    });
    crate::output::to_file_or_stdout(a.output.as_deref(), |w| w.write_all(html.as_bytes()))
}
