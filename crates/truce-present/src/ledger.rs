//! The ledger for a person and as JSON: the status on a date, on whose
//! word an entry rests, the timeline, and what import, verify and check
//! report. `location` is the ledger as the user named it (a file, or a
//! PostgreSQL URL without its password).

use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};
use truce_engine::Diagnostic;
use truce_ledger::{
    action_words, Candidate, CommitmentState, LinkProblem, PromiseState, ReportDetail, Sources,
    Status, Support, TimelineEntry, When,
};

/// `truce ledger import --format json` when the batch went in.
#[derive(Debug, Serialize)]
pub struct Imported<'a> {
    /// The ledger.
    pub db: &'a str,
    /// `SQLite` or `PostgreSQL`.
    pub backend: &'a str,
    /// How many records were appended.
    pub imported: usize,
}

/// `truce ledger import --format json` when the batch was refused: every
/// bad line, and nothing written.
#[derive(Debug, Serialize)]
pub struct Rejected<'a> {
    db: &'a str,
    imported: usize,
    rejected: Vec<RejectedLine<'a>>,
}

/// A bad line: the diagnostic's keys, with `reason` (the message) kept
/// for scripts written against the first contract.
#[derive(Debug, Serialize)]
struct RejectedLine<'a> {
    reason: &'a str,
    #[serde(flatten)]
    diagnostic: &'a Diagnostic,
}

impl<'a> Rejected<'a> {
    /// The refusal of a batch for `errors`.
    pub fn new(db: &'a str, errors: &'a [Diagnostic]) -> Self {
        Rejected {
            db,
            imported: 0,
            rejected: errors
                .iter()
                .map(|e| RejectedLine {
                    reason: &e.message,
                    diagnostic: e,
                })
                .collect(),
        }
    }
}

/// `truce ledger verify --format json` on an intact chain.
#[derive(Debug, Serialize)]
pub struct Intact<'a> {
    db: &'a str,
    entries: usize,
    intact: bool,
    head: &'a str,
}

impl<'a> Intact<'a> {
    /// A chain of `entries` entries ending at `head` that checked out.
    pub fn new(db: &'a str, entries: usize, head: &'a str) -> Self {
        Intact {
            db,
            entries,
            intact: true,
            head,
        }
    }
}

/// `truce ledger head --format json`.
#[derive(Debug, Serialize)]
pub struct Head<'a> {
    db: &'a str,
    entries: usize,
    head: &'a str,
}

impl<'a> Head<'a> {
    /// A chain of `entries` entries ending at `head`.
    pub fn new(db: &'a str, entries: usize, head: &'a str) -> Self {
        Head { db, entries, head }
    }
}

/// What `truce ledger head` says.
pub fn write_head<W: Write + ?Sized>(
    w: &mut W,
    location: &str,
    entries: usize,
    head: &str,
) -> io::Result<()> {
    writeln!(w, "{location}: {entries} entries, head {head}")
}

/// `truce ledger verify --expect-head --format json` when the chain does
/// not end at the head expected.
#[derive(Debug, Serialize)]
pub struct Truncated<'a> {
    db: &'a str,
    intact: bool,
    entries: usize,
    head: &'a str,
    expected_head: &'a str,
}

impl<'a> Truncated<'a> {
    /// A chain of `entries` entries that ends at `head`, not at `expected`.
    pub fn new(db: &'a str, entries: usize, head: &'a str, expected: &'a str) -> Self {
        Truncated {
            db,
            intact: false,
            entries,
            head,
            expected_head: expected,
        }
    }
}

/// Why `verify --expect-head` failed, in words.
pub fn truncated_message(location: &str, entries: usize, head: &str, expected: &str) -> String {
    format!(
        "{location}: the chain ends at {head} after {entries} entries, not at the expected head {expected}: entries were removed from its end, or added, since that head was kept"
    )
}

/// `truce ledger verify --format json` on a broken chain.
#[derive(Debug, Serialize)]
pub struct Tampered<'a> {
    db: &'a str,
    intact: bool,
    first_bad_entry: BadEntry<'a>,
}

#[derive(Debug, Serialize)]
struct BadEntry<'a> {
    seq: i64,
    id: &'a str,
}

impl<'a> Tampered<'a> {
    /// A chain whose first bad entry is `seq` (`id`).
    pub fn new(db: &'a str, seq: i64, id: &'a str) -> Self {
        Tampered {
            db,
            intact: false,
            first_bad_entry: BadEntry { seq, id },
        }
    }
}

/// `truce ledger check --format json`.
#[derive(Debug, Serialize)]
pub struct LinkCheck<'a> {
    ok: bool,
    entries: usize,
    problems: &'a [LinkProblem],
}

impl<'a> LinkCheck<'a> {
    /// The check of `entries` entries that found `problems`.
    pub fn new(entries: usize, problems: &'a [LinkProblem]) -> Self {
        LinkCheck {
            ok: problems.is_empty(),
            entries,
            problems,
        }
    }
}

/// What `truce ledger init` says once the ledger is ready.
pub fn write_ready<W: Write + ?Sized>(w: &mut W, backend: &str, location: &str) -> io::Result<()> {
    writeln!(w, "{backend} ledger ready at {location}")
}

/// What `truce ledger import` says once the batch went in.
pub fn write_imported<W: Write + ?Sized>(w: &mut W, n: usize, location: &str) -> io::Result<()> {
    writeln!(w, "imported {n} records into {location}")
}

/// What `truce ledger verify` says of an intact chain.
pub fn write_intact<W: Write + ?Sized>(
    w: &mut W,
    location: &str,
    entries: usize,
) -> io::Result<()> {
    writeln!(w, "{location}: {entries} entries, hash chain intact")
}

/// Each name an entry uses that the scenario lacks, one a line.
pub fn write_link_problems<W: Write + ?Sized>(
    w: &mut W,
    location: &str,
    problems: &[LinkProblem],
) -> io::Result<()> {
    for p in problems {
        let hint = p
            .did_you_mean
            .as_ref()
            .map(|d| format!(" (did you mean `{d}`?)"))
            .unwrap_or_default();
        writeln!(
            w,
            "{location}: entry `{}`, {}: {}{hint}",
            p.entry, p.field, p.reason
        )?;
    }
    Ok(())
}

/// What `truce ledger check` says when every name is in the scenario.
pub fn write_links_ok<W: Write + ?Sized>(
    w: &mut W,
    location: &str,
    entries: usize,
    scenario: &str,
) -> io::Result<()> {
    writeln!(
        w,
        "{location}: {entries} entries; every party and issue they name is in {scenario}"
    )
}

/// Incidents that may break commitments (`truce ledger match`), grouped
/// by commitment.
pub fn write_candidates<W: Write + ?Sized>(
    w: &mut W,
    at: When,
    found: &[Candidate],
) -> io::Result<()> {
    writeln!(
        w,
        "Incidents that may break a commitment, as of {at} (for an analyst to confirm; none is recorded as a violation)"
    )?;
    if found.is_empty() {
        writeln!(w, "  none")?;
    }
    let mut last = "";
    for c in found {
        if c.commitment != last {
            writeln!(w, "\n{} — {}", c.party, c.commitment)?;
            last = c.commitment;
        }
        let category = c.category.map(|x| format!(" [{x}]")).unwrap_or_default();
        writeln!(w, "  {}{category} {}: {}", c.date, c.event, c.summary)?;
    }
    Ok(())
}

/// The timeline, one entry a line.
pub fn write_timeline<W: Write + ?Sized>(w: &mut W, rows: &[TimelineEntry]) -> io::Result<()> {
    // Dates given as ranges or times are wider than a day: one column.
    let dates: Vec<String> = rows.iter().map(|r| r.date.to_string()).collect();
    let width = dates.iter().map(String::len).max().unwrap_or(10);
    for (r, date) in rows.iter().zip(&dates) {
        writeln!(w, "{date:<width$}  {:<13} {} [{}]", r.kind, r.summary, r.id)?;
    }
    Ok(())
}

/// A titled list, or "none".
fn section<W: Write + ?Sized>(w: &mut W, title: &str, lines: &[String]) -> io::Result<()> {
    writeln!(w, "\n{title}")?;
    if lines.is_empty() {
        writeln!(w, "  none")?;
    }
    for l in lines {
        writeln!(w, "  {l}")?;
    }
    Ok(())
}

/// A commitment's state in words (a violated commitment may still be in force).
fn state_words(state: CommitmentState, in_force: bool) -> &'static str {
    match state {
        CommitmentState::Pending => "pending",
        CommitmentState::InForce => "in force",
        CommitmentState::Expired => "expired",
        CommitmentState::Violated if in_force => "in force, VIOLATED",
        CommitmentState::Violated => "VIOLATED",
        CommitmentState::Withdrawn => "withdrawn",
    }
}

/// The state of every commitment on a date, promised consequences not
/// carried out, deadlines ahead, and each party's record.
pub fn write_status<W: Write + ?Sized>(w: &mut W, s: &Status) -> io::Result<()> {
    writeln!(w, "Ledger status on {}\n", s.at)?;
    writeln!(w, "COMMITMENTS")?;
    for c in &s.commitments {
        let state = state_words(c.state, c.in_force);
        let with = if c.with.is_empty() {
            String::new()
        } else {
            format!(" (with {})", c.with.join(", "))
        };
        writeln!(w, "  {}{with} — {}: {} [{}]", c.party, c.scope, state, c.id)?;
        if c.state == CommitmentState::Pending && !c.condition_met {
            match &c.condition {
                Some(truce_ledger::Condition::SanctionsLifted { against, .. }) => {
                    writeln!(w, "      waits for: sanctions against {against} lifted")?
                }
                Some(truce_ledger::Condition::Rule { rule }) => {
                    writeln!(w, "      waits for: {rule}")?
                }
                None => {}
            }
        }
        if c.terms_disputed {
            let versions: Vec<String> = c
                .terms
                .iter()
                .map(|v| {
                    format!(
                        "{} if from {} ({})",
                        state_words(v.state, false),
                        v.from,
                        match (v.claim, v.sources.is_empty()) {
                            (Some(claim), false) => {
                                format!("per {}: {claim}", v.sources.join(", "))
                            }
                            (Some(claim), true) => format!("no source recorded: {claim}"),
                            (None, false) => format!("per {}: as recorded", v.sources.join(", ")),
                            (None, true) => "as recorded".to_string(),
                        }
                    )
                })
                .collect();
            writeln!(w, "      TERMS IN DISPUTE: {}", versions.join("; "))?;
        }
        if !c.support.denied_by.is_empty() {
            // A disputed commitment (e.g. a party denying it ever agreed).
            writeln!(w, "      DISPUTED: {}", support_line(&c.support))?;
        }
        for v in &c.violations {
            writeln!(
                w,
                "      violation reported {} by {}{}",
                v.date,
                v.reported_by,
                if v.support.speakers.is_empty() {
                    String::new()
                } else {
                    format!(": {}", v.support.speaker_names().join("; "))
                },
            )?;
            writeln!(w, "        {}", support_line(&v.support))?;
        }
        for v in &c.reports_outside_term {
            writeln!(
                w,
                "      violation reported {} by {}, outside its term: not counted [{}]",
                v.date, v.reported_by, v.id
            )?;
        }
        for v in &c.reports_across_term_edge {
            let term = match c.term_from {
                Some(from) => match c.term_until {
                    Some(until) => format!("{from} to {until}"),
                    None => format!("from {from}"),
                },
                None => "not begun".to_string(),
            };
            writeln!(
                w,
                "      violation reported {} by {}: that date may fall inside its term ({term}) or outside; not counted [{}]",
                v.date, v.reported_by, v.id
            )?;
        }
    }
    let promises: Vec<String> = s
        .unfulfilled_promises
        .iter()
        .map(|u| {
            format!(
                "{} promised {} if {} broke {}; a violation was reported on {}, and {}",
                u.promised_by,
                action_words(u.action),
                u.broken_by,
                u.commitment,
                u.triggered_on,
                match u.action {
                    truce_ledger::ConsequenceAction::Sanctions => "none were imposed",
                    _ => "nothing says it came",
                }
            )
        })
        .collect();
    section(w, "PROMISED CONSEQUENCES NOT CARRIED OUT", &promises)?;
    let recorded: Vec<String> = s
        .promises
        .iter()
        .map(|p| {
            let mut line = format!(
                "{} promised {}",
                p.by,
                p.label.unwrap_or(action_words(p.action))
            );
            if let Some(a) = p.against {
                let _ = write!(line, " against {a}");
            }
            let _ = write!(
                line,
                " in response to {} ({}): ",
                p.in_response_to, p.promised_on
            );
            match (p.state, p.fulfilled_by, p.triggered_on) {
                (PromiseState::Fulfilled, Some(r), _) => {
                    let _ = write!(line, "fulfilled by {r}");
                }
                (PromiseState::Overdue, _, Some(t)) => {
                    let _ = write!(line, "OVERDUE since {t}");
                }
                _ => line.push_str("pending"),
            }
            let _ = write!(line, " [{}]", p.id);
            line
        })
        .collect();
    section(w, "PROMISES", &recorded)?;
    let deadlines: Vec<String> = s
        .deadlines
        .iter()
        .map(|d| {
            format!(
                "{} (in {} days, set by {}): {}",
                d.date, d.days_left, d.set_by, d.label
            )
        })
        .collect();
    section(w, "DEADLINES AHEAD", &deadlines)?;
    let across: Vec<String> = s
        .dated_across_at
        .iter()
        .map(|d| {
            format!(
                "{} {} is dated {}, which may fall after {}: counted as known [{}]",
                d.kind, d.id, d.date, s.at, d.id
            )
        })
        .collect();
    if !across.is_empty() {
        section(w, "DATES THAT MAY FALL AFTER THE DATE ASKED", &across)?;
    }
    writeln!(w, "\nBY PARTY")?;
    for (p, r) in &s.parties {
        writeln!(
            w,
            "  {p}: kept {}, broken {}, unverified {}",
            r.kept.len(),
            r.broken.len(),
            r.unverified.len()
        )?;
    }
    Ok(())
}

/// "1 report, 1 source, 1 independent; denied in 2 report(s) by russia".
fn support_line(s: &Support) -> String {
    let mut line = format!(
        "{} report(s), {} source(s), {} independent",
        s.reports.len(),
        s.sources.len(),
        s.independent_sources
    );
    if !s.denied_by.is_empty() {
        let _ = write!(line, "; denied in {} report(s)", s.denied_by.len());
        if !s.disputed_by.is_empty() {
            let _ = write!(line, " by {}", s.disputed_by.join(", "));
        }
    }
    line
}

/// One entry and on whose word it rests.
pub fn write_sources<W: Write + ?Sized>(w: &mut W, e: &Sources) -> io::Result<()> {
    writeln!(w, "{} `{}`", e.kind, e.id)?;
    if let Some(r) = &e.retracted_by {
        writeln!(w, "  RETRACTED by {r}")?;
    }
    writeln!(w, "  {}", support_line(&e.support))?;
    report_block(w, "SUPPORTED BY", &e.supporting)?;
    report_block(w, "DENIED BY", &e.denying)?;
    if let Some(basis) = &e.basis {
        writeln!(w, "\nBASIS\n  {basis}")?;
    }
    Ok(())
}

fn report_block<W: Write + ?Sized>(
    w: &mut W,
    title: &str,
    reports: &[ReportDetail],
) -> io::Result<()> {
    writeln!(w, "\n{title}")?;
    if reports.is_empty() {
        writeln!(w, "  none")?;
    }
    for r in reports {
        write!(w, "  [{}] {}", r.id, r.speaker)?;
        if let Some(via) = &r.via {
            write!(w, ", via {via}")?;
        }
        write!(w, ", in {}", r.outlet)?;
        if let Some(d) = &r.said_on {
            write!(w, ", {d}")?;
        }
        if let Some(at) = &r.at {
            write!(w, " ({at})")?;
        }
        writeln!(w)?;
        if let Some(words) = &r.words {
            writeln!(w, "      \"{words}\"")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commitment_of_several_parties_names_them_all() {
        let text = r#"{"type":"source","id":"s","outlet":"o","title":null,"url":null,"published":null}
{"type":"report","id":"r","source":"s","speaker":{"description":"an official"},"via":null,"said_on":null,"words":null,"at":null}
{"type":"commitment","id":"easter","date":"2025-04-19","party":"russia","with":["ukraine"],"scope":"Easter truce","from":"2025-04-19","days":2,"condition":null,"consequence":null,"reports":["r"],"basis":null}
"#;
        let records = truce_ledger::read_jsonl(text).unwrap();
        let status = truce_ledger::status_at(&records, "2025-04-19".parse().unwrap());
        let mut out = Vec::new();
        write_status(&mut out, &status).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("russia (with ukraine) — Easter truce: in force [easter]"),
            "{out}"
        );
        assert!(
            out.contains("ukraine: kept 0, broken 0, unverified 1"),
            "{out}"
        );
    }

    #[test]
    fn disputed_terms_are_told_version_by_version() {
        let text = r#"{"type":"source","id":"kremlin","outlet":"Kremlin","title":null,"url":null,"published":null}
{"type":"source","id":"wh","outlet":"White House","title":null,"url":null,"published":null}
{"type":"report","id":"r_wh","source":"wh","speaker":{"description":"the White House"},"via":null,"said_on":null,"words":null,"at":null}
{"type":"report","id":"r_kr","source":"kremlin","speaker":{"description":"the Kremlin"},"via":null,"said_on":null,"words":null,"at":null}
{"type":"commitment","id":"c","date":"2025-03-18","party":"russia","scope":"energy strikes","from":"2025-03-25","days":30,"condition":null,"consequence":null,"reports":["r_wh"],"basis":null}
{"type":"terms","id":"c_kremlin","commitment":"c","date":"2025-03-18","from":"2025-03-18","days":null,"reports":["r_kr"],"basis":null}
{"type":"violation","id":"v","commitment":"c","date":"2025-03-19","reported_by":"ukraine","reports":["r_wh"],"basis":null}
"#;
        let records = truce_ledger::read_jsonl(text).unwrap();
        let status = truce_ledger::status_at(&records, "2025-03-20".parse().unwrap());
        let mut out = Vec::new();
        write_status(&mut out, &status).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("TERMS IN DISPUTE: pending if from 2025-03-25 (per wh: as recorded); VIOLATED if from 2025-03-18 (per kremlin: c_kremlin)"),
            "{out}"
        );
    }
}
