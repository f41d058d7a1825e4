//! What holds on a date: each commitment's state, promised consequences
//! that never came, deadlines ahead, and each party's record.

use crate::model::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentState {
    /// Its condition is not met, or it has not started.
    Pending,
    InForce,
    Expired,
    /// A violation was reported while it applied.
    Violated,
    Withdrawn,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub id: String,
    pub date: Date,
    pub reported_by: String,
    /// Who speaks in the reports: "Marco Rubio (US Secretary of State)".
    pub speakers: Vec<String>,
    pub reports: Vec<String>,
    /// Distinct sources behind the reports (corroboration).
    pub sources: Vec<String>,
    pub denied_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommitmentStatus {
    pub id: String,
    pub party: String,
    pub scope: String,
    pub state: CommitmentState,
    /// Within its term, condition met, not withdrawn (a violated commitment
    /// can still be in force).
    pub in_force: bool,
    pub condition: Option<Condition>,
    pub condition_met: bool,
    pub from: Date,
    /// First day it no longer applies, when it has a length.
    pub until: Option<Date>,
    pub violations: Vec<Violation>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unfulfilled {
    pub commitment: String,
    pub broken_by: String,
    pub promised_by: String,
    pub action: ConsequenceAction,
    /// Date of the first reported violation.
    pub triggered_on: Date,
    pub reports: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeadlineStatus {
    pub id: String,
    pub date: Date,
    pub set_by: String,
    pub label: String,
    pub days_left: i64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PartyRecord {
    pub kept: Vec<String>,
    pub broken: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    pub at: Date,
    pub commitments: Vec<CommitmentStatus>,
    pub unfulfilled_promises: Vec<Unfulfilled>,
    /// Deadlines on or after the date.
    pub deadlines: Vec<DeadlineStatus>,
    pub parties: BTreeMap<String, PartyRecord>,
}

/// Days since 1970-01-01 (proleptic Gregorian), for `YYYY-MM-DD`.
pub(crate) fn day_number(date: &str) -> i64 {
    let y: i64 = date.get(0..4).and_then(|x| x.parse().ok()).unwrap_or(1970);
    let m: i64 = date.get(5..7).and_then(|x| x.parse().ok()).unwrap_or(1);
    let d: i64 = date.get(8..10).and_then(|x| x.parse().ok()).unwrap_or(1);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn date_of(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The ledger's state on `at` (records dated after it are not yet known).
pub fn status_at(records: &[Record], at: &str) -> Status {
    let today = day_number(at);
    let known = |date: &str| day_number(date) <= today;
    let retracted: HashSet<&str> = records
        .iter()
        .filter_map(|r| match r {
            Record::Retraction { retracts, date, .. } if known(date) => Some(retracts.as_str()),
            _ => None,
        })
        .collect();
    let live: Vec<&Record> = records
        .iter()
        .filter(|r| !retracted.contains(r.id()))
        .collect();
    // Indexes, so the status costs one pass over the ledger.
    let report_of: HashMap<&str, &Record> = records
        .iter()
        .filter(|r| matches!(r, Record::Report { .. }))
        .map(|r| (r.id(), r))
        .collect();
    let mut violations_of: HashMap<&str, Vec<&Record>> = HashMap::new();
    let mut withdrawn_ids: HashSet<&str> = HashSet::new();
    let mut sanctions: Vec<&Record> = Vec::new();
    for r in &live {
        match r {
            Record::Violation {
                commitment, date, ..
            } if known(date) => violations_of
                .entry(commitment.as_str())
                .or_default()
                .push(r),
            Record::Withdrawal {
                commitment, date, ..
            } if known(date) => {
                withdrawn_ids.insert(commitment.as_str());
            }
            Record::Sanction { date, .. } if known(date) => sanctions.push(r),
            _ => {}
        }
    }
    let source_of = |report: &str| -> Option<String> {
        match report_of.get(report) {
            Some(Record::Report { source, .. }) => Some(source.clone()),
            _ => None,
        }
    };
    let speakers = |reports: &[String]| -> Vec<String> {
        let mut out: Vec<String> = reports
            .iter()
            .filter_map(|rep| match report_of.get(rep.as_str()) {
                Some(Record::Report { speaker, .. }) => Some(match speaker {
                    Speaker::Named {
                        name,
                        role: Some(role),
                    } => format!("{name} ({role})"),
                    Speaker::Named { name, role: None } => name.clone(),
                    Speaker::Unnamed { description } => description.clone(),
                }),
                _ => None,
            })
            .collect();
        out.dedup();
        out
    };
    let sources = |reports: &[String]| -> Vec<String> {
        let mut s: Vec<String> = reports.iter().filter_map(|r| source_of(r)).collect();
        s.sort();
        s.dedup();
        s
    };
    let lifted = |against: &str, by: Option<&str>| {
        sanctions.iter().any(|r| {
            matches!(r, Record::Sanction { action: SanctionAction::Lifted, against: a, by: b, date, .. }
                if a == against && by.is_none_or(|x| x == b) && known(date))
        })
    };

    let mut commitments = Vec::new();
    let mut unfulfilled = Vec::new();
    let mut parties: BTreeMap<String, PartyRecord> = BTreeMap::new();
    for r in &live {
        let Record::Commitment {
            id,
            date,
            party,
            scope,
            from,
            days,
            condition,
            consequence,
            reports,
            ..
        } = r
        else {
            continue;
        };
        if !known(date) {
            continue;
        }
        let withdrawn = withdrawn_ids.contains(id.as_str());
        let condition_met = match condition {
            None => true,
            Some(Condition::SanctionsLifted { against, by }) => lifted(against, by.as_deref()),
        };
        let start = day_number(from);
        let end = days.map(|d| start + d as i64);
        let started = start <= today;
        let ended = end.is_some_and(|e| e <= today);
        let violations: Vec<Violation> = violations_of
            .get(id.as_str())
            .into_iter()
            .flatten()
            .filter_map(|v| match v {
                Record::Violation {
                    id: vid,
                    commitment,
                    date,
                    reported_by,
                    reports,
                    denied_by,
                    ..
                } if commitment == id && known(date) => Some(Violation {
                    id: vid.clone(),
                    date: date.clone(),
                    reported_by: reported_by.clone(),
                    speakers: speakers(reports),
                    reports: reports.clone(),
                    sources: sources(reports),
                    denied_by: denied_by.clone(),
                }),
                _ => None,
            })
            .collect();
        let in_force = !withdrawn && condition_met && started && !ended;
        let state = if withdrawn {
            CommitmentState::Withdrawn
        } else if !condition_met || !started {
            CommitmentState::Pending
        } else if !violations.is_empty() {
            CommitmentState::Violated
        } else if ended {
            CommitmentState::Expired
        } else {
            CommitmentState::InForce
        };
        let record = parties.entry(party.clone()).or_default();
        match state {
            CommitmentState::Violated => record.broken.push(id.clone()),
            CommitmentState::InForce | CommitmentState::Expired => record.kept.push(id.clone()),
            _ => {}
        }
        if let (Some(c), Some(first)) =
            (consequence, violations.iter().map(|v| v.date.clone()).min())
        {
            let carried_out = sanctions.iter().any(|s| {
                matches!(s, Record::Sanction { action: SanctionAction::Imposed, by, against, date, .. }
                    if by == &c.by && against == party && known(date) && day_number(date) >= day_number(&first))
            });
            if !carried_out {
                unfulfilled.push(Unfulfilled {
                    commitment: id.clone(),
                    broken_by: party.clone(),
                    promised_by: c.by.clone(),
                    action: c.action,
                    triggered_on: first,
                    reports: c.reports.clone(),
                });
            }
        }
        commitments.push(CommitmentStatus {
            id: id.clone(),
            party: party.clone(),
            scope: scope.clone(),
            state,
            in_force,
            condition: condition.clone(),
            condition_met,
            from: from.clone(),
            until: end.map(date_of),
            violations,
            sources: sources(reports),
        });
    }
    let mut deadlines: Vec<DeadlineStatus> = live
        .iter()
        .filter_map(|r| match r {
            Record::Deadline {
                id,
                date,
                set_by,
                label,
                ..
            } if day_number(date) >= today => Some(DeadlineStatus {
                id: id.clone(),
                date: date.clone(),
                set_by: set_by.clone(),
                label: label.clone(),
                days_left: day_number(date) - today,
            }),
            _ => None,
        })
        .collect();
    deadlines.sort_by(|a, b| a.date.cmp(&b.date));
    Status {
        at: at.to_string(),
        commitments,
        unfulfilled_promises: unfulfilled,
        deadlines,
        parties,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_through_leap_years() {
        assert_eq!(day_number("1970-01-01"), 0);
        assert_eq!(day_number("2025-04-19") - day_number("2025-03-25"), 25);
        for d in [-1000, 0, 59, 60, 20_000, 20_200] {
            assert_eq!(day_number(&date_of(d)), d);
        }
        assert_eq!(date_of(day_number("2024-02-28") + 1), "2024-02-29");
    }
}
