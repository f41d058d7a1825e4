//! The record in date order, one line per entry that happened on a date
//! (sources and reports are what entries rest on, not events of their own).

use crate::model::{ConsequenceAction, Record};
use crate::when::When;

/// A promised action in words.
pub fn action_words(action: ConsequenceAction) -> &'static str {
    match action {
        ConsequenceAction::Sanctions => "sanctions",
        ConsequenceAction::MilitaryResponse => "a military response",
        ConsequenceAction::MediationWithdrawn => "to end its mediation",
        ConsequenceAction::Other => "a consequence",
    }
}
use serde::Serialize;

/// One dated entry of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEntry<'a> {
    /// When it happened (or was recorded), as precisely as given.
    pub date: When,
    /// The kind of record: `commitment`, `violation`, `sanction`, …
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The record's id.
    pub id: &'a str,
    /// One line saying what it was.
    pub summary: String,
}

/// Every dated entry, in date order (recording order within a day).
pub fn timeline(records: &[Record]) -> Vec<TimelineEntry<'_>> {
    let mut rows: Vec<TimelineEntry<'_>> = records.iter().filter_map(entry).collect();
    rows.sort_by_key(|r| r.date.start().sort_key());
    rows
}

fn entry(r: &Record) -> Option<TimelineEntry<'_>> {
    Some(match r {
        Record::Commitment {
            id,
            date,
            party,
            scope,
            ..
        } => row(*date, "commitment", id, format!("{party}: {scope}")),
        Record::Violation {
            id,
            date,
            commitment,
            reported_by,
            ..
        } => row(
            *date,
            "violation",
            id,
            format!("{commitment} reported broken by {reported_by}"),
        ),
        Record::Sanction {
            id,
            date,
            by,
            against,
            action,
            ..
        } => row(
            *date,
            "sanction",
            id,
            format!("{by} {action:?} sanctions against {against}").to_lowercase(),
        ),
        Record::Deadline {
            id, date, label, ..
        } => row(*date, "deadline", id, label.clone()),
        Record::Event {
            id, date, summary, ..
        } => row(*date, "event", id, summary.clone()),
        Record::Withdrawal {
            id,
            date,
            commitment,
            ..
        } => row(*date, "withdrawal", id, format!("{commitment} withdrawn")),
        Record::Retraction {
            id,
            date,
            retracts,
            reason,
            ..
        } => row(
            *date,
            "retraction",
            id,
            format!("{retracts} retracted: {reason}"),
        ),
        Record::Corroboration {
            id,
            date,
            supports,
            reports,
            ..
        } => row(
            *date,
            "corroboration",
            id,
            format!(
                "{supports} corroborated by {} more report(s)",
                reports.len()
            ),
        ),
        Record::Denial {
            id,
            date,
            denies,
            by,
            ..
        } => row(
            *date,
            "denial",
            id,
            match by {
                Some(by) => format!("{by} denies {denies}"),
                None => format!("{denies} denied"),
            },
        ),
        Record::Promise {
            id,
            date,
            by,
            action,
            in_response_to,
            ..
        } => row(
            *date,
            "promise",
            id,
            format!(
                "{by} promises {} in response to {in_response_to}",
                action_words(*action)
            ),
        ),
        Record::Terms {
            id,
            date,
            commitment,
            from,
            days,
            ..
        } => {
            let mut said = Vec::new();
            if let Some(f) = from {
                said.push(format!("from {f}"));
            }
            if let Some(d) = days {
                said.push(format!("for {d} days"));
            }
            row(
                *date,
                "terms",
                id,
                format!("{commitment} claimed to run {}", said.join(", ")),
            )
        }
        Record::Source { .. } | Record::Report { .. } | Record::Person { .. } => return None,
    })
}

fn row<'a>(
    date: impl Into<When>,
    kind: &'static str,
    id: &'a str,
    summary: String,
) -> TimelineEntry<'a> {
    TimelineEntry {
        date: date.into(),
        kind,
        id,
        summary,
    }
}
