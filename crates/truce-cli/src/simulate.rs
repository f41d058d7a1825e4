//! `truce simulate`: Monte Carlo runs of the talks, a readable summary or
//! JSON, and the minutes of one run.

use crate::errors::CliError;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fmt::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use truce_engine::model::Scenario;
use truce_engine::simulation::{parse_variation, Protocol, Strategy, Variation};
use truce_sim::{Config, Event, Report, Summary, Table};

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
    rounds: Option<u32>,
    /// The last round before the mediator walks away (overrides the scenario's deadlines).
    #[arg(long)]
    deadline: Option<u32>,
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
}

fn usage(m: impl Into<String>) -> CliError {
    CliError::Usage(m.into())
}

fn config(s: &Scenario, a: &SimulateArgs) -> Result<(Config, Vec<Variation>), CliError> {
    let mut c = Config::from_scenario(s);
    if let Some(p) = &a.protocol {
        c.protocol = Protocol::parse(p).ok_or_else(|| {
            usage(format!(
                "unknown protocol `{p}`; use alternating, mediated, ultimatum or sequenced"
            ))
        })?;
    }
    if let Some(r) = a.runs {
        c.runs = r.max(1);
    }
    if let Some(x) = a.seed {
        c.seed = x;
    }
    if let Some(r) = a.rounds {
        c.rounds = r.max(1);
    }
    if a.deadline.is_some() {
        c.deadline = a.deadline;
    }
    for spec in &a.strategies {
        let (party, strategy) = spec
            .split_once('=')
            .ok_or_else(|| usage(format!("--strategy {spec}: write PARTY=STRATEGY")))?;
        let p = s.party_index(party.trim()).ok_or_else(|| {
            usage(format!(
                "--strategy {spec}: no party `{party}` in the scenario"
            ))
        })?;
        c.strategies[p] = Some(
            Strategy::parse(strategy.trim())
                .map_err(|e| usage(format!("--strategy {spec}: {e}")))?,
        );
    }
    for spec in &a.fixed {
        let v = parse_variation(s, &format!("fix.{spec}"))
            .map_err(|e| usage(format!("--fix {spec}: {e}")))?;
        if let Some(value) = v.values.first() {
            c = c.with(v.parameter, value);
        }
    }
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
    if let Some(n) = a.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .map_err(|e| CliError::Other(e.to_string()))?;
    }
    let (_, s) = crate::load(&a.file)?;
    let (c, variations) = config(&s, &a)?;
    let sim = |e: truce_sim::SimError| usage(e.to_string());
    let table = Table::new(&s, c.clone()).map_err(sim)?;
    let trace = a
        .trace
        .map(|run| (run, truce_sim::monte::traced_run(&table, run)));
    if let (Some((run, (events, outcome))), crate::Format::Text) = (&trace, a.format) {
        print!("{}", minutes(&table, *run, events, outcome));
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
        crate::Format::Json => match trace {
            Some((run, (events, _))) => {
                let mut v =
                    serde_json::to_value(&report).map_err(|e| CliError::Other(e.to_string()))?;
                v["trace"] = serde_json::json!({"run": run, "events": events});
                crate::print_json(&v)
            }
            None => crate::print_json_of(&report),
        },
        crate::Format::Text => {
            print!("{}", summary_text(&s, &report));
            Ok(())
        }
    }
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

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn summary_text(s: &Scenario, r: &Report) -> String {
    let mut out = String::new();
    let w = &mut out;
    let m = &r.summary;
    let _ = writeln!(w, "Simulation of {}", s.name);
    let _ = writeln!(
        w,
        "  {} protocol, {} runs (seed {}), at most {} rounds{}",
        m.protocol,
        m.runs,
        m.seed,
        m.rounds,
        match m.deadline_round {
            Some(d) => format!("; the mediator walks away after round {d}"),
            None => String::new(),
        }
    );
    let strategies: Vec<String> = m
        .strategies
        .iter()
        .map(|(p, st)| format!("{p} {st}"))
        .collect();
    let _ = writeln!(w, "  strategies: {}", strategies.join(", "));
    if !m.fixed.is_empty() {
        let fixed: Vec<String> = m.fixed.iter().map(|(i, o)| format!("{i}={o}")).collect();
        let _ = writeln!(w, "  held fixed: {}", fixed.join(", "));
    }
    let _ = writeln!(w);
    summary_body(w, m);
    if !r.variants.is_empty() {
        let _ = writeln!(
            w,
            "\nWHAT MOVES THE ODDS (deal before the deadline; any deal; mean rounds)"
        );
        let mut last = "";
        for v in &r.variants {
            if v.parameter != last {
                let _ = writeln!(w, "  {}", v.parameter);
                last = &v.parameter;
            }
            let _ = writeln!(
                w,
                "    {:<12} {:>6}   {:>6}   {}",
                v.value,
                pct(v.summary.p_agreement_before_deadline),
                pct(v.summary.p_agreement),
                v.summary
                    .mean_rounds
                    .map_or("-".to_string(), |r| format!("{r:.1}"))
            );
        }
    }
    out
}

fn summary_body(w: &mut String, m: &Summary) {
    let _ = writeln!(
        w,
        "A DEAL BEFORE THE DEADLINE: {}   (a deal at all: {})",
        pct(m.p_agreement_before_deadline),
        pct(m.p_agreement)
    );
    if let Some(r) = m.mean_rounds {
        let _ = writeln!(w, "  mean rounds to a deal: {r:.1}");
    }
    let endings: Vec<String> = m
        .endings
        .iter()
        .map(|(e, x)| format!("{} {}", e.replace('_', " "), pct(*x)))
        .collect();
    let _ = writeln!(w, "  how the runs ended: {}", endings.join(", "));
    let _ = writeln!(w, "\nMOST LIKELY DEALS (share of runs)");
    if m.deals.is_empty() {
        let _ = writeln!(w, "  none");
    }
    for d in &m.deals {
        let parts: Vec<String> = d.package.iter().map(|(i, o)| format!("{i}={o}")).collect();
        let _ = writeln!(w, "  {:>6}  {}", pct(d.share), parts.join(", "));
    }
    let _ = writeln!(w, "\nOUTCOMES PER ISSUE (share of runs)");
    for (issue, options) in &m.outcomes {
        let parts: Vec<String> = options
            .iter()
            .filter(|(_, x)| **x > 0.0)
            .map(|(o, x)| format!("{o} {}", pct(*x)))
            .collect();
        let _ = writeln!(
            w,
            "  {issue}: {}",
            if parts.is_empty() {
                "-".to_string()
            } else {
                parts.join(", ")
            }
        );
    }
    let eu: Vec<String> = m
        .expected_utility
        .iter()
        .map(|(p, u)| format!("{p} {u:.3}"))
        .collect();
    let _ = writeln!(
        w,
        "\nEXPECTED UTILITY (reservation value when no deal): {}",
        eu.join(", ")
    );
}

/// One run, told like minutes of the talks.
fn minutes(t: &Table, run: u64, events: &[Event], outcome: &truce_sim::Outcome) -> String {
    let s = t.scenario;
    let name = |k: usize| s.parties[t.valued[k]].name.clone();
    // During a stage, only the stage's issues are on the table.
    let mut focus: Option<Vec<usize>> = None;
    let package = |x: usize, focus: &Option<Vec<usize>>| -> String {
        let options = t.package(x);
        s.issues
            .iter()
            .zip(&options)
            .enumerate()
            .filter(|(i, _)| focus.as_ref().is_none_or(|f| f.contains(i)))
            .map(|(_, (i, &o))| format!("{}: {}", i.id, i.options[o as usize].label))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "MINUTES OF RUN {run} ({} protocol)",
        t.config.protocol.as_str()
    );
    let mut round = 0;
    let mut last_offer: Vec<Option<usize>> = vec![None; t.valued.len()];
    for e in events {
        let r = e.round();
        if r != round {
            round = r;
            let _ = writeln!(w, "Round {round}");
        }
        let line = match e {
            Event::Offer {
                party, package: x, ..
            } => {
                let same = last_offer[*party] == Some(*x);
                last_offer[*party] = Some(*x);
                if same {
                    format!("{} repeats its offer", name(*party))
                } else {
                    format!("{} proposes: {}", name(*party), package(*x, &focus))
                }
            }
            Event::Accept { party, .. } => format!("{} accepts", name(*party)),
            Event::Reject { party, .. } => format!("{} rejects", name(*party)),
            Event::Caveat {
                party,
                issue,
                option,
                ..
            } => {
                let i = &s.issues[*issue];
                format!(
                    "{} asks for {}: {}",
                    name(*party),
                    i.id,
                    i.options[*option as usize].label
                )
            }
            Event::Text { package: x, .. } => {
                let m = t.mediator.map_or("The mediator".to_string(), name);
                format!("{m} tables: {}", package(*x, &focus))
            }
            Event::ReservationChanged { party, value, .. } => {
                format!("{}'s value of no deal is now {value:.2}", name(*party))
            }
            Event::MediatorWithdraws { .. } => {
                let m = t.mediator.map_or("The mediator".to_string(), name);
                format!("{m} withdraws from the talks")
            }
            Event::WalksAway { party, .. } => {
                format!(
                    "{} walks away: nothing on the table beats no deal",
                    name(*party)
                )
            }
            Event::Agreement { package: x, .. } => {
                focus = None;
                format!("AGREEMENT: {}", package(*x, &focus))
            }
            Event::StageOpens { stage, issues, .. } => {
                focus = Some(issues.clone());
                let ids: Vec<&str> = issues.iter().map(|&i| s.issues[i].id.as_str()).collect();
                format!("Stage {} opens: {}", stage + 1, ids.join(", "))
            }
            Event::StageAgreed {
                stage, package: x, ..
            } => {
                format!("Stage {} agreed: {}", stage + 1, package(*x, &focus))
            }
            Event::RoundsOut { .. } => "The rounds run out without agreement".to_string(),
        };
        let _ = writeln!(w, "  {line}");
    }
    let utilities: Vec<String> = outcome
        .utilities
        .iter()
        .enumerate()
        .map(|(k, u)| format!("{} {u:.3}", t.party_id(k)))
        .collect();
    let _ = writeln!(w, "  (utilities: {})\n", utilities.join(", "));
    out
}
