//! `truce simulate`: Monte Carlo runs of the talks, a readable summary or
//! JSON, and the minutes of one run.

use crate::errors::CliError;
use crate::output::Stdout;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use truce_engine::model::Scenario;
use truce_engine::simulation::{
    parse_fix, parse_strategy_of, parse_variation, Protocol, Setting, Variation,
};
use truce_present::simulation::{write_minutes, write_summary, SimulationJson};
use truce_sim::{Config, Table};

#[derive(Args)]
pub struct SimulateArgs {
    file: PathBuf,
    /// alternating, mediated, ultimatum or sequenced (default: the scenario's, else alternating).
    #[arg(long)]
    protocol: Option<String>,
    /// Number of negotiations to run (default: the scenario's, else 1000).
    #[arg(long)]
    runs: Option<u64>,
    /// Seed of the random draws (default: the scenario's, else 1).
    #[arg(long)]
    seed: Option<u64>,
    /// The most rounds the talks may last (default: the scenario's, else 100).
    #[arg(long)]
    rounds: Option<u64>,
    /// The last round before the mediator walks away (overrides the scenario's deadlines).
    #[arg(long)]
    deadline: Option<u64>,
    /// A party's strategy, PARTY=STRATEGY: boulware, linear, conceder,
    /// time:<exponent>, tit-for-tat or hardliner, then optionally ,ignore-red-lines.
    #[arg(long = "strategy", value_name = "PARTY=STRATEGY")]
    strategies: Vec<String>,
    /// Hold an issue at one option, ISSUE=OPTION (e.g. sanctions=unchanged: no relief offered).
    #[arg(long = "fix", value_name = "ISSUE=OPTION")]
    fixed: Vec<String>,
    /// Re-run with one input at each of several values, NAME=V1,V2,...: deadline,
    /// rounds, protocol, reservation.<party>, fix.<issue> (option ids or free),
    /// strategy.<party> (values separated by ;). Replaces the scenario's own.
    #[arg(long = "vary", value_name = "NAME=VALUES")]
    vary: Vec<String>,
    /// Run none of the scenario's own variations.
    #[arg(long)]
    no_vary: bool,
    #[arg(long, value_enum, default_value = "text")]
    format: crate::Format,
    /// Print the minutes of one run (run 0, or the one given) before the summary.
    #[arg(long, value_name = "RUN", num_args = 0..=1, default_missing_value = "0")]
    trace: Option<u64>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// How negotiators find offers: table (every package listed, at most
    /// 2,097,152), search (near their demand, any size) or auto (table
    /// when it fits).
    #[arg(long, value_name = "WAY", default_value = "auto")]
    offers: String,
}

fn usage(m: impl Into<String>) -> CliError {
    CliError::Usage(m.into())
}

/// The flags as settings, each checked by the rule the scenario file and
/// `--vary` use for the same input.
fn settings(s: &Scenario, a: &SimulateArgs) -> Result<Vec<Setting>, CliError> {
    let mut out = Vec::new();
    if let Some(p) = &a.protocol {
        out.push(Setting::Protocol(Protocol::parse(p).ok_or_else(|| {
            usage(format!(
                "unknown protocol `{p}`; use alternating, mediated, ultimatum or sequenced"
            ))
        })?));
    }
    if let Some(n) = a.runs {
        out.push(Setting::runs(n).map_err(|e| usage(format!("--runs: {e}")))?);
    }
    if let Some(x) = a.seed {
        out.push(Setting::Seed(x));
    }
    if let Some(r) = a.rounds {
        out.push(Setting::rounds(r).map_err(|e| usage(format!("--rounds: {e}")))?);
    }
    if let Some(r) = a.deadline {
        out.push(Setting::deadline(r).map_err(|e| usage(format!("--deadline: {e}")))?);
    }
    for spec in &a.strategies {
        out.push(parse_strategy_of(s, spec).map_err(|e| usage(format!("--strategy {spec}: {e}")))?);
    }
    for spec in &a.fixed {
        out.push(parse_fix(s, spec).map_err(|e| usage(format!("--fix {spec}: {e}")))?);
    }
    Ok(out)
}

fn config(s: &Scenario, a: &SimulateArgs) -> Result<(Config, Vec<Variation>), CliError> {
    let mut c = Config::from_scenario(s);
    for setting in settings(s, a)? {
        c.set(&setting);
    }
    c.offers = truce_sim::Offers::parse(&a.offers).ok_or_else(|| {
        usage(format!(
            "--offers {}: unknown way; use auto, table or search",
            a.offers
        ))
    })?;
    let variations = if !a.vary.is_empty() {
        a.vary
            .iter()
            .map(|v| parse_variation(s, v).map_err(|e| usage(format!("--vary {v}: {e}"))))
            .collect::<Result<Vec<_>, _>>()?
    } else if a.no_vary {
        Vec::new()
    } else {
        s.simulation.vary.clone()
    };
    Ok((c, variations))
}

pub fn run(a: SimulateArgs) -> Result<(), CliError> {
    crate::threads(a.threads)?;
    let s = crate::load(&a.file)?;
    let (c, variations) = config(&s, &a)?;
    let sim = |e: truce_sim::SimError| usage(e.to_string());
    let table = Table::new(&s, c.clone()).map_err(sim)?;
    let trace = a
        .trace
        .map(|run| (run, truce_sim::monte::traced_run(&table, run)));
    let mut out = Stdout::new();
    if let (Some((run, (events, outcome))), crate::Format::Text) = (&trace, a.format) {
        out.write(|w| write_minutes(w, &table, *run, events, outcome))?;
    }
    let total = truce_sim::total_runs(&c, &variations);
    let bar = progress_bar(total);
    let started = Instant::now();
    let shown = AtomicBool::new(false);
    let progress = |n: u64| {
        bar.inc(n);
        // Only talks that take more than a second get a bar.
        if !shown.load(Ordering::Relaxed) && started.elapsed() > Duration::from_secs(1) {
            shown.store(true, Ordering::Relaxed);
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    };
    let report = truce_sim::simulate_table(&table, &variations, &progress).map_err(sim)?;
    bar.finish_and_clear();
    match a.format {
        crate::Format::Json => {
            let traced = trace
                .as_ref()
                .map(|(run, (events, _))| (*run, events.as_slice()));
            out.json(&SimulationJson::new(&report, traced))?
        }
        crate::Format::Text => out.write(|w| write_summary(w, &s, &report))?,
    }
    out.finish()
}

fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs, {per_sec}, {eta} left")
    {
        bar.set_style(style);
    }
    bar
}
