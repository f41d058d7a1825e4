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

/// On whose word an entry rests: its reports and any corroboration recorded
/// later, the sources behind them, and who disputes it.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Support {
    /// Who speaks in the reports: "Marco Rubio (US Secretary of State)".
    pub speakers: Vec<String>,
    /// The entry's own reports, then those of later corroborations.
    pub reports: Vec<String>,
    /// Distinct sources (publications) behind the reports.
    pub sources: Vec<String>,
    /// Distinct origins: a report relayed `via` an outlet counts as that
    /// outlet, any other as its source's outlet (or the source itself), so
    /// two papers reprinting one wire story count once.
    pub independent_sources: usize,
    /// Reports that deny the entry (its own `denied_by`, then denials).
    pub denied_by: Vec<String>,
    /// Parties that deny it, from denial records.
    pub disputed_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub id: String,
    pub date: Date,
    pub reported_by: String,
    #[serde(flatten)]
    pub support: Support,
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
    #[serde(flatten)]
    pub support: Support,
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

/// Reports, sources, corroborations and denials, indexed by id.
struct Evidence<'a> {
    report_of: HashMap<&'a str, &'a Record>,
    outlet_of_source: HashMap<&'a str, &'a str>,
    corroborations_of: HashMap<&'a str, Vec<&'a Record>>,
    denials_of: HashMap<&'a str, Vec<&'a Record>>,
}

impl<'a> Evidence<'a> {
    /// `live` are the records not retracted; reports and sources are taken
    /// from all records (a retracted report still says what it said).
    fn index(records: &'a [Record], live: &[&'a Record]) -> Evidence<'a> {
        let mut e = Evidence {
            report_of: HashMap::new(),
            outlet_of_source: HashMap::new(),
            corroborations_of: HashMap::new(),
            denials_of: HashMap::new(),
        };
        for r in records {
            match r {
                Record::Report { id, .. } => {
                    e.report_of.insert(id, r);
                }
                Record::Source { id, outlet, .. } => {
                    e.outlet_of_source
                        .insert(id, outlet.as_deref().unwrap_or(id));
                }
                _ => {}
            }
        }
        for r in live {
            match r {
                Record::Corroboration { supports, .. } => {
                    e.corroborations_of.entry(supports).or_default().push(r)
                }
                Record::Denial { denies, .. } => e.denials_of.entry(denies).or_default().push(r),
                _ => {}
            }
        }
        e
    }

    fn support(
        &self,
        entry: &str,
        own: &[String],
        own_denials: &[String],
        known: &dyn Fn(&str) -> bool,
    ) -> Support {
        let dated = |r: &Record| r.date().is_none_or(known);
        let mut reports: Vec<String> = own.to_vec();
        for c in self
            .corroborations_of
            .get(entry)
            .into_iter()
            .flatten()
            .filter(|r| dated(r))
        {
            reports.extend(c.reports().iter().cloned());
        }
        let mut denied_by: Vec<String> = own_denials.to_vec();
        let mut disputed_by: Vec<String> = Vec::new();
        for d in self
            .denials_of
            .get(entry)
            .into_iter()
            .flatten()
            .filter(|r| dated(r))
        {
            denied_by.extend(d.reports().iter().cloned());
            if let Record::Denial { by: Some(by), .. } = d {
                disputed_by.push(by.clone());
            }
        }
        let mut speakers = Vec::new();
        let mut sources = Vec::new();
        let mut origins = Vec::new();
        for rep in &reports {
            let Some(Record::Report {
                source,
                speaker,
                via,
                ..
            }) = self.report_of.get(rep.as_str())
            else {
                continue;
            };
            speakers.push(speaker.to_string());
            sources.push(source.clone());
            origins.push(via.as_deref().unwrap_or(self.outlet(source)));
        }
        dedup_in_order(&mut speakers);
        dedup_in_order(&mut denied_by);
        dedup_in_order(&mut disputed_by);
        dedup_in_order(&mut reports);
        sources.sort();
        sources.dedup();
        origins.sort_unstable();
        origins.dedup();
        Support {
            speakers,
            reports,
            sources,
            independent_sources: origins.len(),
            denied_by,
            disputed_by,
        }
    }
}

impl Evidence<'_> {
    /// A source's outlet, or its id when it names none.
    fn outlet<'s>(&'s self, source: &'s str) -> &'s str {
        self.outlet_of_source.get(source).copied().unwrap_or(source)
    }

    fn detail(&self, report: &str) -> Option<ReportDetail> {
        let Some(Record::Report {
            id,
            source,
            speaker,
            via,
            said_on,
            words,
            at,
        }) = self.report_of.get(report)
        else {
            return None;
        };
        Some(ReportDetail {
            id: id.clone(),
            speaker: speaker.to_string(),
            via: via.clone(),
            source: source.clone(),
            outlet: self.outlet(source).to_string(),
            said_on: said_on.clone(),
            words: words.clone(),
            at: at.clone(),
        })
    }
}

/// One report as a reader needs it: who, through whom, where, which words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportDetail {
    pub id: String,
    pub speaker: String,
    pub via: Option<String>,
    pub source: String,
    pub outlet: String,
    pub said_on: Option<Date>,
    pub words: Option<String>,
    pub at: Option<String>,
}

/// On whose word one entry rests, over the whole ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sources {
    pub id: String,
    pub kind: RecordKind,
    pub basis: Option<String>,
    /// The retraction that took it back, if any.
    pub retracted_by: Option<String>,
    #[serde(flatten)]
    pub support: Support,
    pub supporting: Vec<ReportDetail>,
    pub denying: Vec<ReportDetail>,
}

/// The reports behind an entry and against it, whatever their dates.
pub fn sources_of(records: &[Record], id: &str) -> Option<Sources> {
    let entry = records.iter().find(|r| r.id() == id)?;
    let retracted_by = records.iter().find_map(|r| match r {
        Record::Retraction {
            id: rid, retracts, ..
        } if retracts == id => Some(rid.clone()),
        _ => None,
    });
    let retracted: HashSet<&str> = records
        .iter()
        .filter_map(|r| match r {
            Record::Retraction { retracts, .. } => Some(retracts.as_str()),
            _ => None,
        })
        .collect();
    let live: Vec<&Record> = records
        .iter()
        .filter(|r| !retracted.contains(r.id()))
        .collect();
    let evidence = Evidence::index(records, &live);
    let own: Vec<String> = match entry {
        Record::Report { id, .. } => vec![id.clone()],
        other => other.reports().to_vec(),
    };
    let own_denials: &[String] = match entry {
        Record::Violation { denied_by, .. } => denied_by,
        _ => &[],
    };
    let support = evidence.support(id, &own, own_denials, &|_| true);
    let details = |ids: &[String]| ids.iter().filter_map(|r| evidence.detail(r)).collect();
    Some(Sources {
        id: id.to_string(),
        kind: entry.kind(),
        basis: entry.basis().map(str::to_string),
        retracted_by,
        supporting: details(&support.reports),
        denying: details(&support.denied_by),
        support,
    })
}

fn dedup_in_order(v: &mut Vec<String>) {
    let mut seen = HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
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
    let evidence = Evidence::index(records, &live);
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
    let support = |entry: &str, own: &[String], own_denials: &[String]| {
        evidence.support(entry, own, own_denials, &known)
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
                    support: support(vid, reports, denied_by),
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
            support: support(id, reports, &[]),
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
