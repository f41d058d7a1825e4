//! Conflict data as evidence: an ACLED export read as incidents, and the
//! incidents that may break each commitment. ACLED records events but
//! links none of them to the agreement they break; `candidates` proposes
//! those links for an analyst to confirm, and never records a violation
//! by itself.

use crate::model::{Coverage, Date, EventKind, Record, Speaker};
use crate::read::line_error;
use crate::status::Status;
use crate::when::{Placement, When};
use serde::Serialize;
use std::collections::HashMap;
use truce_engine::Diagnostic;

/// The columns an ACLED export must have (it has many more, ignored).
const REQUIRED: [&str; 7] = [
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "notes",
    "source",
];

/// Reads an ACLED CSV export (its published column names) as incidents:
/// per row, a source (ACLED's `source`), a report (where: `location`,
/// `admin1`) and an `incident` event with the row's category, actors and
/// notes. `actors` maps ACLED actor names to the ledger's party ids
/// ("Military Forces of Russia (2000-)" → `russia`); an unmapped actor is
/// kept as ACLED names it. Every bad row is named; none is returned then.
pub fn read_acled(text: &str, actors: &[(String, String)]) -> Result<Vec<Record>, Vec<Diagnostic>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => {
            return Err(vec![line_error(
                1,
                format!("the header cannot be read: {e}"),
            )])
        }
    };
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(vec![line_error(
            1,
            format!(
                "not an ACLED export: no column {}",
                missing
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )]);
    }
    let column: HashMap<&str, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.as_str(), i))
        .collect();
    let party = |name: &str| -> String {
        actors
            .iter()
            .find(|(acled, _)| acled == name)
            .map_or_else(|| name.to_string(), |(_, id)| id.clone())
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for row in reader.records() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(line_error(line, format!("not a CSV row: {e}")));
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line() as usize);
        let cell = |name: &str| -> &str {
            column
                .get(name)
                .and_then(|&i| row.get(i))
                .map_or("", str::trim)
        };
        let id = cell("event_id_cnty");
        if id.is_empty() {
            errors.push(line_error(line, "`event_id_cnty` is empty").in_field("event_id_cnty"));
            continue;
        }
        let Some(date) = acled_date(cell("event_date")) else {
            errors.push(
                line_error(
                    line,
                    format!(
                        "`{}` is not a date (YYYY-MM-DD or \"19 March 2025\")",
                        cell("event_date")
                    ),
                )
                .in_field("event_date"),
            );
            continue;
        };
        let event = format!("acled-{id}");
        let source = format!("{event}-source");
        let report = format!("{event}-report");
        let place: Vec<&str> = [cell("location"), cell("admin1"), cell("country")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let mut parties = vec![party(cell("actor1"))];
        if !cell("actor2").is_empty() {
            parties.push(party(cell("actor2")));
        }
        let mut summary = if cell("notes").is_empty() {
            format!("{} in {}", cell("sub_event_type"), place.join(", "))
        } else {
            cell("notes").to_string()
        };
        match cell("fatalities").parse::<u64>() {
            Ok(n) if n > 0 => summary.push_str(&format!(" (fatalities: {n})")),
            _ => {}
        }
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        out.push(Record::Source {
            id: source.clone(),
            outlet: some(cell("source")),
            title: Some(format!("ACLED event {id}")),
            url: None,
            published: None,
        });
        out.push(Record::Report {
            id: report.clone(),
            source,
            speaker: Speaker::Unnamed {
                description: "ACLED coders".into(),
            },
            via: None,
            said_on: None,
            words: None,
            at: some(&place.join(", ")),
        });
        out.push(Record::Event {
            id: event,
            kind: EventKind::Incident,
            date: date.into(),
            parties,
            summary,
            category: Some(format!(
                "{}: {}",
                cell("event_type"),
                cell("sub_event_type")
            )),
            fulfils: None,
            concerns: Vec::new(),
            reports: vec![report],
            basis: Some(format!("ACLED event {id}")),
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// ACLED writes dates as `2025-03-19` (API) or `19 March 2025` (exports).
fn acled_date(text: &str) -> Option<Date> {
    if let Ok(d) = text.parse() {
        return Some(d);
    }
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let mut parts = text.split_whitespace();
    let day: i8 = parts.next()?.parse().ok()?;
    let month = parts.next()?.to_lowercase();
    let month = MONTHS.iter().position(|m| *m == month)? as i8 + 1;
    let year: i16 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Date::new(year, month, day)
}

/// The latest date any entry carries: the default day to judge on.
pub fn latest_date(records: &[Record]) -> Option<Date> {
    records
        .iter()
        .filter_map(|r| r.date().map(|d| d.last_day()))
        .max()
}

/// An incident that may break a commitment: inside its term, by the
/// committed party (the incident's first actor), and of a kind the
/// commitment covers. For an analyst to confirm or dismiss.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate<'a> {
    /// The commitment.
    pub commitment: &'a str,
    /// The committed party.
    pub party: &'a str,
    /// The incident's entry.
    pub event: &'a str,
    /// When it happened.
    pub date: When,
    /// Its category, as conflict data classes it.
    pub category: Option<&'a str>,
    /// What happened.
    pub summary: &'a str,
}

/// For each commitment with a `covers`, the incidents in the ledger that
/// fall inside its term as `status` sees it, were committed by its party
/// and are of a kind it covers; in commitment, then date, order.
pub fn candidates<'a>(records: &'a [Record], status: &Status<'a>) -> Vec<Candidate<'a>> {
    let incidents: Vec<(&'a str, When, &'a str, Option<&'a str>, &'a str)> = records
        .iter()
        .filter_map(|r| match r {
            Record::Event {
                id,
                kind: EventKind::Incident,
                date,
                parties,
                category,
                summary,
                ..
            } => Some((
                id.as_str(),
                *date,
                parties.first().map_or("", String::as_str),
                category.as_deref(),
                summary.as_str(),
            )),
            _ => None,
        })
        .collect();
    let coverage: HashMap<&str, &Coverage> = records
        .iter()
        .filter_map(|r| match r {
            Record::Commitment {
                id,
                covers: Some(c),
                ..
            } => Some((id.as_str(), c)),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for c in &status.commitments {
        let (Some(covers), Some(from)) = (coverage.get(c.id), c.term_from) else {
            continue;
        };
        let mut found: Vec<Candidate<'a>> = incidents
            .iter()
            .filter(|(_, date, actor, category, summary)| {
                // Inside the term, or possibly inside where the date is
                // imprecise: a candidate is for a person to judge.
                *actor == c.party
                    && date.against(&from, c.term_until.as_ref()) != Placement::Outside
                    && date.begun_before(&status.at.end())
                    && covers.covers(*category, summary)
            })
            .map(|&(event, date, _, category, summary)| Candidate {
                commitment: c.id,
                party: c.party,
                event,
                date,
                category,
                summary,
            })
            .collect();
        found.sort_by_key(|x| x.date.start().sort_key());
        out.extend(found);
    }
    out
}
