//! `truce forecast`: where positions settle, by the forecasting models,
//! from a scenario or a KTAB input; `--evaluate` measures each model on
//! decisions whose outcomes are known.

use crate::errors::{CliError, Input};
use crate::output::Stdout;
use clap::Args;
use std::path::{Path, PathBuf};
use truce_forecast::evaluate::accuracy;
use truce_forecast::ktab;
use truce_forecast::read::{decisions, ktab_csv, ktab_xml, KtabInput, ReadError};
use truce_forecast::runs::MAX_RUNS;
use truce_forecast::{forecast_with, Model, Problem};
use truce_present::forecast::{write_evaluation, write_forecast, EvaluationJson, ForecastJson};

/// Largest forecasting input read (KTAB files and tables of decisions).
const MAX_INPUT_BYTES: u64 = 64 << 20;

#[derive(Args)]
pub struct ForecastArgs {
    /// A scenario (.toml, or a GENIUS folder), or a KTAB input (.csv, .xml).
    #[arg(required_unless_present = "evaluate")]
    file: Option<PathBuf>,
    /// compromise, median, bdm, ktab, or all.
    #[arg(long, default_value = "all")]
    model: String,
    /// A parameter of KTAB's model, as KTAB's XML names it (repeatable):
    /// e.g. `--ktab VotingRule=PropCbc --ktab PCEModel=MarkovIncentive`.
    /// Overrides a KTAB XML input's own. docs/forecast.md lists them.
    #[arg(long, value_name = "NAME=VALUE")]
    ktab: Vec<String>,
    /// A table of decisions with known outcomes (issue, outcome, p<actor>,
    /// s<actor>): each model's accuracy on it.
    #[arg(long, value_name = "DECISIONS.csv", conflicts_with = "file")]
    evaluate: Option<PathBuf>,
    /// Forecast this many times, drawing the scenario's uncertain
    /// estimates anew each run: an interval per issue.
    #[arg(long)]
    runs: Option<u64>,
    /// Seed of the draws (default: the scenario's simulation seed, else 1),
    /// and of KTAB's stochastic transitions (default: the KTAB file's
    /// seed, else KTAB's).
    #[arg(long)]
    seed: Option<u64>,
    #[arg(long, value_enum, default_value = "text")]
    format: crate::Format,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

fn models(name: &str) -> Result<Vec<Model>, CliError> {
    if name == "all" {
        return Ok(Model::ALL.to_vec());
    }
    Model::parse(name).map(|m| vec![m]).ok_or_else(|| {
        let known: Vec<&str> = Model::ALL.iter().map(|m| m.name()).collect();
        CliError::Usage(format!(
            "unknown model `{name}`; use {} or all",
            known.join(", ")
        ))
    })
}

fn located(path: &Path, e: ReadError) -> CliError {
    CliError::Other(format!(
        "{}:{}:{}: {}",
        path.display(),
        e.line,
        e.column,
        e.message
    ))
}

fn read(path: &Path, hint: &'static str) -> Result<String, CliError> {
    crate::files::read_text(path, MAX_INPUT_BYTES, hint, Input::Scenario)
}

/// A forecasting input: the problem, notes on how it was made, the
/// scenario it came from (if it did) and KTAB's settings (from a KTAB XML
/// input, else KTAB's defaults).
struct Loaded {
    problem: Problem,
    notes: Vec<String>,
    scenario: Option<truce_engine::Scenario>,
    ktab: ktab::Settings,
}

fn ktab_input(path: &Path, input: KtabInput) -> Result<Loaded, CliError> {
    let ktab = ktab::settings_of(&input)
        .map_err(|e| CliError::Other(format!("{}: {e}", path.display())))?;
    Ok(Loaded {
        problem: input.problem,
        notes: Vec::new(),
        scenario: None,
        ktab,
    })
}

/// The forecasting input in `path`.
fn problem(path: &Path) -> Result<Loaded, CliError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv") => {
            let text = read(
                path,
                "KTAB CSV: name, description, actors, dimensions on line 1",
            )?;
            ktab_input(path, ktab_csv(&text).map_err(|e| located(path, e))?)
        }
        Some("xml") => {
            let text = read(path, "KTAB XML (smpSchema.xsd)")?;
            ktab_input(path, ktab_xml(&text).map_err(|e| located(path, e))?)
        }
        _ => {
            let s = crate::load(path)?;
            let mapped = truce_forecast::from_scenario(&s)
                .map_err(|e| CliError::Other(format!("{}: {e}", path.display())))?;
            let mut notes = Vec::new();
            if mapped.equal_capability {
                notes.push(
                    "the scenario gives no capabilities: every party counts as 1 (an assumption)"
                        .to_string(),
                );
            }
            if !mapped.skipped.is_empty() {
                let ids: Vec<&str> = mapped
                    .skipped
                    .iter()
                    .map(|&i| s.issues[i].id.as_str())
                    .collect();
                notes.push(format!(
                    "left out, having no scale to stand on (unordered): {}",
                    ids.join(", ")
                ));
            }
            Ok(Loaded {
                problem: mapped.problem,
                notes,
                scenario: Some(s),
                ktab: ktab::Settings::default(),
            })
        }
    }
}

pub fn run(a: ForecastArgs) -> Result<(), CliError> {
    crate::threads(a.threads)?;
    let chosen = models(&a.model)?;
    let mut out = Stdout::new();
    if let Some(path) = &a.evaluate {
        let text = read(path, "a CSV table: issue, outcome, p<actor>, s<actor>")?;
        let table = decisions(&text).map_err(|e| located(path, e))?;
        let results = chosen.iter().map(|&m| (m, accuracy(&table, m))).collect();
        let report = EvaluationJson::new(table.problems.len(), results);
        match a.format {
            crate::Format::Json => out.json(&report)?,
            crate::Format::Text => out.write(|w| write_evaluation(w, &report))?,
        }
        return out.finish();
    }
    let Some(path) = &a.file else {
        return Err(CliError::Usage(
            "give a FILE to forecast, or --evaluate DECISIONS.csv".into(),
        ));
    };
    let Loaded {
        problem,
        notes,
        scenario,
        ktab: mut settings,
    } = problem(path)?;
    for kv in &a.ktab {
        let (k, v) = kv.split_once('=').ok_or_else(|| {
            CliError::Usage(format!(
                "--ktab {kv}: give NAME=VALUE, e.g. VotingRule=PropCbc"
            ))
        })?;
        settings
            .set(k.trim(), v.trim())
            .map_err(|e| CliError::Usage(format!("--ktab {kv}: {e}")))?;
    }
    if let Some(seed) = a.seed {
        settings.seed = seed;
    }
    let outcomes: Vec<_> = chosen
        .iter()
        .map(|&m| forecast_with(&problem, m, &settings))
        .collect();
    let mut report = ForecastJson::new(&problem, &outcomes, notes);
    if let Some(runs) = a.runs {
        let Some(s) = &scenario else {
            return Err(CliError::Usage(
                "--runs draws a scenario's uncertain estimates anew; a KTAB input has none".into(),
            ));
        };
        if runs == 0 || runs > MAX_RUNS {
            return Err(CliError::Usage(format!(
                "--runs {runs}: give 1 to {MAX_RUNS}"
            )));
        }
        let seed = a.seed.or(s.simulation.seed).unwrap_or(1);
        for &m in &chosen {
            let per_run = truce_forecast::runs::positions(s, m, &settings, runs, seed)
                .map_err(|e| CliError::Other(format!("{}: {e}", path.display())))?;
            let dists = truce_forecast::runs::distributions(&per_run, problem.dimensions.len());
            report.set_runs(m, &dists, runs, seed);
        }
    }
    match a.format {
        crate::Format::Json => out.json(&report)?,
        crate::Format::Text => out.write(|w| write_forecast(w, &report))?,
    }
    out.finish()
}
