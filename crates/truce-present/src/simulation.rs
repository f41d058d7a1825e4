//! `truce simulate` for a person: the summary of many runs, what moves
//! the odds, and the minutes of one run; and the JSON (the report, with the
//! minutes' events when a run was traced).

use serde::Serialize;
use std::io::{self, Write};
use truce_engine::model::Scenario;
use truce_sim::{Event, Outcome, Refusal, Report, Summary, Table};

/// The report of `truce simulate --format json`: the summary and its
/// variants, and the events of one run when it was traced.
#[derive(Serialize)]
pub struct SimulationJson<'a> {
    #[serde(flatten)]
    report: &'a Report,
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<TraceJson<'a>>,
}

#[derive(Serialize)]
struct TraceJson<'a> {
    run: u64,
    events: &'a [Event],
}

impl<'a> SimulationJson<'a> {
    /// The report, with the events of run `trace.0` when given.
    pub fn new(report: &'a Report, trace: Option<(u64, &'a [Event])>) -> Self {
        SimulationJson {
            report,
            trace: trace.map(|(run, events)| TraceJson { run, events }),
        }
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// The summary of a simulation and of each variant.
pub fn write_summary<W: Write + ?Sized>(w: &mut W, s: &Scenario, r: &Report) -> io::Result<()> {
    let m = &r.summary;
    writeln!(w, "Simulation of {}", s.name)?;
    writeln!(
        w,
        "  {} protocol, {} runs (seed {}), at most {} rounds{}",
        m.protocol,
        m.runs,
        m.seed,
        m.rounds,
        match m.deadline_round {
            Some(d) => match s.mediator() {
                Some(p) => format!("; {} walks away after round {d}", s.parties[p].name),
                None => format!("; the talks end after round {d}"),
            },
            None => String::new(),
        }
    )?;
    let strategies: Vec<String> = m
        .strategies
        .iter()
        .map(|(p, st)| format!("{p} {st}"))
        .collect();
    writeln!(w, "  strategies: {}", strategies.join(", "))?;
    if m.offers == "search" {
        writeln!(
            w,
            "  offers drawn near each negotiator's demand, not listed ({} packages on the table)",
            crate::thousands(m.packages)
        )?;
    }
    if !m.fixed.is_empty() {
        let fixed: Vec<String> = m.fixed.iter().map(|(i, o)| format!("{i}={o}")).collect();
        writeln!(w, "  held fixed: {}", fixed.join(", "))?;
    }
    writeln!(w)?;
    summary_body(w, s, m)?;
    if !r.variants.is_empty() {
        writeln!(
            w,
            "\nWHAT MOVES THE ODDS (deal before the deadline; any deal; mean rounds)"
        )?;
        let mut last = "";
        for v in &r.variants {
            if v.parameter != last {
                writeln!(w, "  {}", v.parameter)?;
                last = &v.parameter;
            }
            writeln!(
                w,
                "    {:<12} {:>6}   {:>6}   {}",
                v.value,
                pct(v.summary.p_agreement_before_deadline),
                pct(v.summary.p_agreement),
                v.summary
                    .mean_rounds
                    .map_or("-".to_string(), |r| format!("{r:.1}"))
            )?;
        }
    }
    Ok(())
}

fn summary_body<W: Write + ?Sized>(w: &mut W, s: &Scenario, m: &Summary) -> io::Result<()> {
    writeln!(
        w,
        "A DEAL BEFORE THE DEADLINE: {}   (a deal at all: {})",
        pct(m.p_agreement_before_deadline),
        pct(m.p_agreement)
    )?;
    if let Some(r) = m.mean_rounds {
        writeln!(w, "  mean rounds to a deal: {r:.1}")?;
    }
    let endings: Vec<String> = m
        .endings
        .iter()
        .map(|(e, x)| {
            format!(
                "{} {}",
                truce_pictures::simulation::ending_words(s, e),
                pct(*x)
            )
        })
        .collect();
    writeln!(w, "  how the runs ended: {}", endings.join(", "))?;
    writeln!(w, "\nMOST LIKELY DEALS (share of runs)")?;
    if m.deals.is_empty() {
        writeln!(w, "  none")?;
    }
    for d in &m.deals {
        let parts: Vec<String> = d.package.iter().map(|(i, o)| format!("{i}={o}")).collect();
        writeln!(w, "  {:>6}  {}", pct(d.share), parts.join(", "))?;
    }
    writeln!(w, "\nOUTCOMES PER ISSUE (share of runs)")?;
    for (issue, options) in &m.outcomes {
        let parts: Vec<String> = options
            .iter()
            .filter(|(_, x)| **x > 0.0)
            .map(|(o, x)| format!("{o} {}", pct(*x)))
            .collect();
        writeln!(
            w,
            "  {issue}: {}",
            if parts.is_empty() {
                "-".to_string()
            } else {
                parts.join(", ")
            }
        )?;
    }
    let eu: Vec<String> = m
        .expected_utility
        .iter()
        .map(|(p, u)| format!("{p} {u:.3}"))
        .collect();
    writeln!(
        w,
        "\nEXPECTED UTILITY (reservation value when no deal): {}",
        eu.join(", ")
    )
}

/// One run, told like minutes of the talks.
pub fn write_minutes<W: Write + ?Sized>(
    w: &mut W,
    t: &Table,
    run: u64,
    events: &[Event],
    outcome: &Outcome,
) -> io::Result<()> {
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
    writeln!(
        w,
        "MINUTES OF RUN {run} ({} protocol)",
        t.config.protocol.as_str()
    )?;
    let mut round = 0;
    let mut last_offer: Vec<Option<usize>> = vec![None; t.valued.len()];
    for e in events {
        let r = e.round();
        if r != round {
            round = r;
            writeln!(w, "Round {round}")?;
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
            Event::Reject { party, reason, .. } => {
                let why = match *reason {
                    Refusal::RedLine { red_line } => format!(
                        "it crosses its red line \u{201c}{}\u{201d}, and no single change ends that",
                        s.red_lines.get(red_line).map_or("?", |r| r.label.as_str())
                    ),
                    Refusal::BelowReservation {
                        utility,
                        reservation,
                    } => format!(
                        "worth {utility:.3} to it, below its value of no deal ({reservation:.3})"
                    ),
                    Refusal::BelowDemand { utility, demand } => format!(
                        "worth {utility:.3} to it, below its demand ({demand:.3}), and no single change meets that"
                    ),
                };
                format!("{} rejects: {why}", name(*party))
            }
            Event::Caveat {
                party,
                issue,
                option,
                ends_red_line,
                ..
            } => {
                let i = &s.issues[*issue];
                let why = match ends_red_line.and_then(|r| s.red_lines.get(r)) {
                    Some(r) => format!(
                        " (ends the crossing of its red line \u{201c}{}\u{201d})",
                        r.label
                    ),
                    None => String::new(),
                };
                format!(
                    "{} asks for {}: {}{why}",
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
            Event::MediatorWithdraws { .. } => match t.mediator {
                Some(m) => format!("{} withdraws from the talks", name(m)),
                None => "The deadline passes: the talks end".to_string(),
            },
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
        writeln!(w, "  {line}")?;
    }
    let utilities: Vec<String> = outcome
        .utilities
        .iter()
        .enumerate()
        .map(|(k, u)| format!("{} {u:.3}", t.party_id(k)))
        .collect();
    writeln!(w, "  (utilities: {})\n", utilities.join(", "))
}
