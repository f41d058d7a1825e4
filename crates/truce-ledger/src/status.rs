//! What holds on a date: each commitment's state, promised consequences
//! that never came, deadlines ahead, and each party's record.

use crate::condition::{Ledger as ConditionLedger, Met, Window};
use crate::model::*;
use crate::when::{Moment, Placement, When};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
/// Where a commitment stands on a date.
pub enum CommitmentState {
    /// Its condition is not met, or it has not started.
    Pending,
    /// It applies, and no violation has been reported.
    InForce,
    /// Its term has run out.
    Expired,
    /// A violation was reported while it applied.
    Violated,
    /// Its party withdrew it.
    Withdrawn,
}

/// On whose word an entry rests: its reports and any corroboration recorded
/// later, the sources behind them, and who disputes it. Borrows from the
/// records, so a status over a million entries copies no text.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Support<'a> {
    /// Who speaks in the reports: "Marco Rubio (US Secretary of State)";
    /// the spellings of one `person` count once.
    #[serde(serialize_with = "speaker_names")]
    pub speakers: Vec<SpeakerRef<'a>>,
    /// The entry's own reports, then those of later corroborations.
    pub reports: Vec<&'a str>,
    /// Distinct sources (publications) behind the reports.
    pub sources: Vec<&'a str>,
    /// Distinct origins: a report relayed `via` an outlet counts as that
    /// outlet, any other as its source's outlet (or the source itself), so
    /// two papers reprinting one wire story count once.
    pub independent_sources: usize,
    /// Reports that deny the entry (its own `denied_by`, then denials).
    pub denied_by: Vec<&'a str>,
    /// Parties that deny it, from denial records.
    pub disputed_by: Vec<&'a str>,
}

impl Support<'_> {
    /// "Marco Rubio (US Secretary of State)", one per speaker.
    pub fn speaker_names(&self) -> Vec<String> {
        self.speakers.iter().map(|s| s.to_string()).collect()
    }
}

/// Who speaks in a report, as a reader names them: the person a `person`
/// record makes of the name (or one of its other spellings), else the
/// speaker as the report gives them. One person is one speaker, whatever
/// office they held when they spoke.
#[derive(Debug, Clone, Copy)]
pub enum SpeakerRef<'a> {
    /// A known person.
    Person {
        /// The name reports are shown under.
        name: &'a str,
        /// Their office, if the person record gives one.
        role: Option<&'a str>,
    },
    /// The speaker as reported.
    Reported(&'a Speaker),
}

impl PartialEq for SpeakerRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (SpeakerRef::Person { name: a, .. }, SpeakerRef::Person { name: b, .. }) => a == b,
            (SpeakerRef::Reported(a), SpeakerRef::Reported(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for SpeakerRef<'_> {}

impl std::hash::Hash for SpeakerRef<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        match self {
            SpeakerRef::Person { name, .. } => (0u8, name).hash(h),
            SpeakerRef::Reported(s) => (1u8, s).hash(h),
        }
    }
}

impl std::fmt::Display for SpeakerRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpeakerRef::Person {
                name,
                role: Some(role),
            } => write!(f, "{name} ({role})"),
            SpeakerRef::Person { name, role: None } => f.write_str(name),
            SpeakerRef::Reported(s) => s.fmt(f),
        }
    }
}

fn speaker_names<S: serde::Serializer>(v: &[SpeakerRef], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|x| x.to_string()))
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// A reported violation of a commitment.
pub struct Violation<'a> {
    /// The violation entry's id.
    pub id: &'a str,
    /// When it happened, as precisely as reported.
    pub date: When,
    /// The party that reports or acknowledges it, or the parties that
    /// accuse together.
    pub reported_by: &'a Parties,
    /// The party said to have broken it.
    pub by: &'a str,
    #[serde(flatten)]
    /// On whose word it rests, and who disputes it.
    pub support: Support<'a>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// One commitment on a date.
pub struct CommitmentStatus<'a> {
    /// The commitment's id.
    pub id: &'a str,
    /// The party bound.
    pub party: &'a str,
    /// Other parties bound by it, each keeping or breaking it on its own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<&'a str>,
    /// What it covers, in words.
    pub scope: &'a str,
    /// Where it stands.
    pub state: CommitmentState,
    /// Within its term, condition met, not withdrawn (a violated commitment
    /// can still be in force).
    pub in_force: bool,
    /// Some source reported it holding: a corroboration of it dated on or
    /// after its start.
    pub monitored: bool,
    /// What must happen first for it to apply.
    pub condition: Option<&'a Condition>,
    /// Whether that has happened by the date.
    pub condition_met: bool,
    /// Scenario issues and options the commitment concerns.
    pub concerns: &'a [String],
    /// When it starts to apply.
    pub from: Moment,
    /// The first moment it no longer applies, when it has an end.
    pub until: Option<Moment>,
    /// Violations reported by the date that fall within its term: from
    /// its start (or the day its condition was met, if later) until its
    /// end or withdrawal.
    pub violations: Vec<Violation<'a>>,
    /// Reported violations dated outside its term: listed, never counted.
    pub reports_outside_term: Vec<Violation<'a>>,
    /// Reported violations dated so imprecisely ("2025-04") that they may
    /// fall inside its term or outside: listed, never counted.
    pub reports_across_term_edge: Vec<Violation<'a>>,
    /// When its term starts: its start, or the moment its condition was
    /// met if later; none while the condition is unmet.
    pub term_from: Option<Moment>,
    /// When its term ended (its end, withdrawal, or its condition ceasing
    /// to hold), if it has.
    pub term_until: Option<Moment>,
    /// When sources state its terms differently (`terms` records): the
    /// commitment judged under its own terms first, then each claim's.
    pub terms: Vec<TermsVersion<'a>>,
    /// Whether those versions disagree on where it stands.
    pub terms_disputed: bool,
    #[serde(flatten)]
    /// On whose word the commitment itself rests.
    pub support: Support<'a>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// A promised consequence that did not follow a reported violation.
pub struct Unfulfilled<'a> {
    /// The commitment broken.
    pub commitment: &'a str,
    /// The party that broke it.
    pub broken_by: &'a str,
    /// The party that promised the consequence.
    pub promised_by: &'a str,
    /// What was promised.
    pub action: ConsequenceAction,
    /// When the first violation in its term happened.
    pub triggered_on: When,
    /// The reports of the promise.
    pub reports: &'a [String],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// A deadline on or after the date.
pub struct DeadlineStatus<'a> {
    /// The deadline's id.
    pub id: &'a str,
    /// The day it falls.
    pub date: Date,
    /// The party that set it.
    pub set_by: &'a str,
    /// What it is, in words.
    pub label: &'a str,
    /// Days from the date to the deadline.
    pub days_left: i64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
/// What one party did with its commitments, by the date.
pub struct PartyRecord<'a> {
    /// Commitments in force or run out with no violation reported in their
    /// term, that some source reported as holding (a corroboration of the
    /// commitment dated in or after its term).
    pub kept: Vec<&'a str>,
    /// Commitments with a violation reported in their term.
    pub broken: Vec<&'a str>,
    /// Commitments with no violation reported, but no source reporting
    /// that they held either: nobody can say.
    pub unverified: Vec<&'a str>,
}

/// The commitment judged under one version of its terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermsVersion<'a> {
    /// The `terms` record that states this version; none for the
    /// commitment's own record.
    pub claim: Option<&'a str>,
    /// When it starts to apply in this version.
    pub from: Moment,
    /// The first moment it no longer applies in this version, if it ends.
    pub until: Option<Moment>,
    /// Where it stands in this version.
    pub state: CommitmentState,
    /// The sources behind this version.
    pub sources: Vec<&'a str>,
}

/// What judging a commitment under one version of its terms gives.
#[derive(Clone, Copy)]
struct Judged {
    state: CommitmentState,
    in_force: bool,
    end: Option<Moment>,
    term_start: Option<Moment>,
    term_end: Option<Moment>,
}

impl Judged {
    /// Where a reported date falls against the term as known by `now`
    /// (outside while the term has not begun): a date that may fall after
    /// `now` may fall after what is known of the term, so it straddles.
    fn within(&self, d: &When, now: &Moment) -> Placement {
        match &self.term_start {
            None => Placement::Outside,
            Some(s) => {
                let end = self.term_end.map_or(*now, |e| e.earlier(*now));
                match d.against(s, Some(&end)) {
                    // Past `now` is only unknown, not outside the term.
                    Placement::Outside
                        if d.against(s, self.term_end.as_ref()) != Placement::Outside =>
                    {
                        Placement::Straddles
                    }
                    p => p,
                }
            }
        }
    }
}

/// Where a promise stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PromiseState {
    /// What it answers has not happened (yet).
    Pending,
    /// A record says it was carried out.
    Fulfilled,
    /// What it answers happened, and nothing says it was carried out.
    Overdue,
}

/// A promised consequence on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PromiseStatus<'a> {
    /// The promise's id.
    pub id: &'a str,
    /// The party that promised.
    pub by: &'a str,
    /// The party it is aimed at, if named.
    pub against: Option<&'a str>,
    /// What was promised.
    pub action: ConsequenceAction,
    /// The promised action in words, if given.
    pub label: Option<&'a str>,
    /// The commitment, violation or deadline it answers.
    pub in_response_to: &'a str,
    /// The day it was first reported.
    pub promised_on: Date,
    /// Where it stands.
    pub state: PromiseState,
    /// When what it answers happened, if it has.
    pub triggered_on: Option<When>,
    /// The record that carried it out, if one did.
    pub fulfilled_by: Option<&'a str>,
    /// The reports of the promise.
    pub reports: &'a [String],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// The state of the ledger on a date.
pub struct Status<'a> {
    /// The date asked about, as precisely as asked.
    pub at: When,
    /// Entries counted as known whose date, given imprecisely, may fall
    /// after the date asked: their effect on the answer is not certain.
    pub dated_across_at: Vec<DatedAcross<'a>>,
    /// Every commitment known by the date.
    pub commitments: Vec<CommitmentStatus<'a>>,
    /// Promised consequences that did not follow a violation in a
    /// commitment's term: promised with the commitment, or recorded as
    /// promises of their own (then also listed, overdue, in `promises`).
    pub unfulfilled_promises: Vec<Unfulfilled<'a>>,
    /// Every promise recorded as a record of its own, known by the date.
    pub promises: Vec<PromiseStatus<'a>>,
    /// Deadlines on or after the date.
    pub deadlines: Vec<DeadlineStatus<'a>>,
    /// Each party's record.
    pub parties: BTreeMap<&'a str, PartyRecord<'a>>,
}

/// What a status needs of one report, worked out once.
struct ReportInfo<'a> {
    speaker: SpeakerRef<'a>,
    source: &'a str,
    /// The outlet it originates from, for counting independent sources.
    origin: &'a str,
}

/// Reports, sources, corroborations and denials, indexed by id.
struct Evidence<'a> {
    report_of: HashMap<&'a str, &'a Record>,
    report_info: HashMap<&'a str, ReportInfo<'a>>,
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
            report_info: HashMap::new(),
            outlet_of_source: HashMap::new(),
            corroborations_of: HashMap::new(),
            denials_of: HashMap::new(),
        };
        // Every spelling of a person's name, to the person and their offices.
        let mut person_of: HashMap<&'a str, (&'a str, Option<&'a str>, &'a [Office])> =
            HashMap::new();
        for r in records {
            if let Record::Person {
                name,
                role,
                roles,
                aliases,
                ..
            } = r
            {
                for spelling in std::iter::once(name).chain(aliases) {
                    person_of
                        .entry(spelling.as_str())
                        .or_insert((name, role.as_deref(), roles));
                }
            }
        }
        let mut published: HashMap<&'a str, Date> = HashMap::new();
        for r in records {
            match r {
                Record::Report { id, .. } => {
                    e.report_of.insert(id, r);
                }
                Record::Source {
                    id,
                    outlet,
                    published: p,
                    ..
                } => {
                    e.outlet_of_source
                        .insert(id, outlet.as_deref().unwrap_or(id));
                    if let Some(p) = p {
                        published.insert(id, *p);
                    }
                }
                _ => {}
            }
        }
        for (&id, r) in &e.report_of {
            if let Record::Report {
                source,
                speaker,
                via,
                said_on,
                ..
            } = r
            {
                let origin = match via {
                    Some(v) => v.as_str(),
                    None => e
                        .outlet_of_source
                        .get(source.as_str())
                        .copied()
                        .unwrap_or(source),
                };
                // The office held on the day it was said, or published.
                let day = said_on
                    .map(|w| w.first_day())
                    .or_else(|| published.get(source.as_str()).copied());
                let speaker = match speaker {
                    Speaker::Named { name, .. } => match person_of.get(name.as_str()) {
                        Some(&(name, role, roles)) => SpeakerRef::Person {
                            name,
                            role: day
                                .and_then(|d| roles.iter().find(|o| o.held_on(d)))
                                .map(|o| o.role.as_str())
                                .or(role),
                        },
                        None => SpeakerRef::Reported(speaker),
                    },
                    Speaker::Unnamed { .. } => SpeakerRef::Reported(speaker),
                };
                e.report_info.insert(
                    id,
                    ReportInfo {
                        speaker,
                        source,
                        origin,
                    },
                );
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
        own: &'a [String],
        own_denials: &'a [String],
        known: &dyn Fn(&When) -> bool,
    ) -> Support<'a> {
        // Borrowed until the end: a status may build this for every one of
        // a million violations.
        let dated = |r: &Record| r.date().is_none_or(|d| known(&d));
        let mut reports: Vec<&'a str> = own.iter().map(String::as_str).collect();
        if let Some(cs) = self.corroborations_of.get(entry) {
            for c in cs.iter().filter(|r| dated(r)) {
                reports.extend(c.reports().iter().map(String::as_str));
            }
        }
        let mut denied_by: Vec<&'a str> = own_denials.iter().map(String::as_str).collect();
        let mut disputed_by: Vec<&'a str> = Vec::new();
        if let Some(ds) = self.denials_of.get(entry) {
            for d in ds.iter().filter(|r| dated(r)) {
                denied_by.extend(d.reports().iter().map(String::as_str));
                if let Record::Denial { by: Some(by), .. } = d {
                    disputed_by.push(by);
                }
            }
        }
        dedup_in_order(&mut reports);
        let mut speakers = Vec::with_capacity(reports.len());
        let mut sources = Vec::with_capacity(reports.len());
        let mut origins = Vec::with_capacity(reports.len());
        for rep in &reports {
            if let Some(info) = self.report_info.get(rep) {
                speakers.push(info.speaker);
                sources.push(info.source);
                origins.push(info.origin);
            }
        }
        dedup_in_order(&mut speakers);
        dedup_in_order(&mut denied_by);
        dedup_in_order(&mut disputed_by);
        sources.sort_unstable();
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
        let speaker = self
            .report_info
            .get(report)
            .map_or_else(|| speaker.to_string(), |i| i.speaker.to_string());
        Some(ReportDetail {
            id: id.clone(),
            speaker,
            via: via.clone(),
            source: source.clone(),
            outlet: self.outlet(source).to_string(),
            said_on: *said_on,
            words: words.clone(),
            at: at.clone(),
        })
    }
}

/// One report as a reader needs it: who, through whom, where, which words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportDetail {
    /// The report's id.
    pub id: String,
    /// Who spoke, as a reader names them.
    pub speaker: String,
    /// The outlet that relayed it, if one did.
    pub via: Option<String>,
    /// The source's id.
    pub source: String,
    /// The publication.
    pub outlet: String,
    /// When it was said or done.
    pub said_on: Option<When>,
    /// The exact words, where there are any.
    pub words: Option<String>,
    /// Where in the source.
    pub at: Option<String>,
}

/// On whose word one entry rests, over the whole ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sources<'a> {
    /// The entry's id.
    pub id: String,
    /// Its kind.
    pub kind: RecordKind,
    /// What it rests on where its reports do not say it.
    pub basis: Option<String>,
    /// The retraction that took it back, if any.
    pub retracted_by: Option<String>,
    #[serde(flatten)]
    /// Counts of reports, sources and independent sources, and who disputes it.
    pub support: Support<'a>,
    /// Reports behind it.
    pub supporting: Vec<ReportDetail>,
    /// Reports against it.
    pub denying: Vec<ReportDetail>,
}

/// The reports behind an entry and against it, whatever their dates.
pub fn sources_of<'a>(records: &'a [Record], id: &str) -> Option<Sources<'a>> {
    let entry = records.iter().find(|r| r.id() == id)?;
    let retracted = effective_retractions(records, &|_| true);
    let retracted_by = retracted.get(id).map(|r| r.to_string());
    let live: Vec<&Record> = records
        .iter()
        .filter(|r| !retracted.contains_key(r.id()))
        .collect();
    let evidence = Evidence::index(records, &live);
    let own: &[String] = match entry {
        Record::Report { id, .. } => std::slice::from_ref(id),
        other => other.reports(),
    };
    let own_denials: &'a [String] = match entry {
        Record::Violation { denied_by, .. } => denied_by,
        _ => &[],
    };
    let support = evidence.support(id, own, own_denials, &|_| true);
    let details = |ids: &[&str]| ids.iter().filter_map(|r| evidence.detail(r)).collect();
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

/// The records not taken back by a retraction dated when `known` says.
fn live_records<'a>(records: &'a [Record], known: &dyn Fn(&When) -> bool) -> Vec<&'a Record> {
    let retracted = effective_retractions(records, known);
    records
        .iter()
        .filter(|r| !retracted.contains_key(r.id()))
        .collect()
}

/// Each record taken back, with the retraction that took it back: a
/// retraction counts unless a retraction that counts takes it back in turn
/// (retracting a retraction restores the record). Resolved without
/// recursion, so a long chain of retractions cannot exhaust the stack. A
/// cycle, which import refuses, still ends: one of its retractions counts.
fn effective_retractions<'a>(
    records: &'a [Record],
    known: &dyn Fn(&When) -> bool,
) -> HashMap<&'a str, &'a str> {
    // For each entry, the retractions that target it.
    let mut retractors: HashMap<&'a str, Vec<&'a str>> = HashMap::new();
    let mut targets: Vec<(&'a str, &'a str)> = Vec::new();
    for r in records {
        if let Record::Retraction {
            id, retracts, date, ..
        } = r
        {
            if known(&When::day(*date)) {
                retractors.entry(retracts).or_default().push(id);
                targets.push((id, retracts));
            }
        }
    }
    if targets.is_empty() {
        return HashMap::new();
    }
    let mut counts: HashMap<&'a str, bool> = HashMap::new();
    let mut visiting: HashSet<&'a str> = HashSet::new();
    for &(start, _) in &targets {
        let mut stack = vec![(start, false)];
        while let Some((r, expanded)) = stack.pop() {
            if counts.contains_key(r) {
                continue;
            }
            let against = retractors.get(r).map(Vec::as_slice).unwrap_or_default();
            if expanded {
                // Unresolved ones are still being visited: a cycle; they
                // do not count.
                let undone = against.iter().any(|s| counts.get(s) == Some(&true));
                counts.insert(r, !undone);
            } else if visiting.insert(r) {
                stack.push((r, true));
                stack.extend(
                    against
                        .iter()
                        .filter(|s| !counts.contains_key(*s) && !visiting.contains(*s))
                        .map(|s| (*s, false)),
                );
            }
        }
    }
    let mut taken_back = HashMap::new();
    for (id, target) in targets {
        if counts.get(id) == Some(&true) {
            taken_back.entry(target).or_insert(id);
        }
    }
    taken_back
}

fn dedup_in_order<T: PartialEq + Eq + std::hash::Hash + Copy>(v: &mut Vec<T>) {
    if v.len() <= 16 {
        // The usual case: a handful of reports; no hashing.
        let mut kept = 0;
        for i in 0..v.len() {
            if !v[..kept].contains(&v[i]) {
                v[kept] = v[i];
                kept += 1;
            }
        }
        v.truncate(kept);
    } else {
        let mut seen = HashSet::new();
        v.retain(|x| seen.insert(*x));
    }
}

/// What a status reads off the live records known by its date, in one pass.
struct Facts<'a> {
    violations_of: HashMap<&'a str, Vec<&'a Record>>,
    /// The first known withdrawal of each commitment.
    withdrawn_on: HashMap<&'a str, Moment>,
    /// Terms claimed for each commitment.
    claims_of: HashMap<&'a str, Vec<&'a Record>>,
    /// The first record that says it carries out each promise (or a
    /// consequence promised with a commitment), and its date.
    fulfilments: HashMap<&'a str, (&'a str, Moment)>,
}

impl<'a> Facts<'a> {
    fn gather(live: &[&'a Record], known: &dyn Fn(&When) -> bool) -> Facts<'a> {
        let mut violations_of: HashMap<&str, Vec<&Record>> = HashMap::new();
        // The first known withdrawal of each commitment.
        let mut withdrawn_on: HashMap<&str, Moment> = HashMap::new();
        // Terms claimed for each commitment, known by the date.
        let mut claims_of: HashMap<&str, Vec<&Record>> = HashMap::new();
        // The first record known by the date that says it carries out each
        // promise (or a consequence promised with a commitment).
        let mut fulfilments: HashMap<&str, (&str, Moment)> = HashMap::new();
        for &r in live {
            let fulfilled = match r {
                Record::Sanction {
                    id,
                    date,
                    fulfils: Some(p),
                    ..
                } => Some((id, When::day(*date), p)),
                Record::Event {
                    id,
                    date,
                    fulfils: Some(p),
                    ..
                } => Some((id, *date, p)),
                _ => None,
            };
            if let Some((id, date, p)) = fulfilled {
                if known(&date) {
                    let first = fulfilments.entry(p.as_str()).or_insert((id, date.start()));
                    if date.start().before(&first.1) {
                        *first = (id, date.start());
                    }
                }
            }
            match r {
                Record::Violation {
                    commitment, date, ..
                } if known(date) => violations_of
                    .entry(commitment.as_str())
                    .or_default()
                    .push(r),
                Record::Withdrawal {
                    commitment, date, ..
                } if known(&When::day(*date)) => {
                    let on = Moment::day(*date);
                    let first = withdrawn_on.entry(commitment.as_str()).or_insert(on);
                    *first = first.earlier(on);
                }
                Record::Terms {
                    commitment, date, ..
                } if known(&When::day(*date)) => {
                    claims_of.entry(commitment.as_str()).or_default().push(r)
                }
                _ => {}
            }
        }
        Facts {
            violations_of,
            withdrawn_on,
            claims_of,
            fulfilments,
        }
    }
}

/// The ledger's state on `at` (records dated after it are not yet known).
pub fn status_at<'a>(records: &'a [Record], at: When) -> Status<'a> {
    // Known: whatever may have begun before the end of the date asked.
    // Started or ended: as of its start ("in force on 20 April" means at
    // the day's start, as a day-by-day record reads).
    let now = at.end();
    let asked = at.start();
    let today = at.last_day();
    let known = |w: &When| w.begun_before(&now);
    let known_day = |d: &Date| known(&When::day(*d));
    let live = live_records(records, &known);
    // Indexes, so the status costs one pass over the ledger.
    let evidence = Evidence::index(records, &live);
    let Facts {
        violations_of,
        withdrawn_on,
        claims_of,
        fulfilments,
    } = Facts::gather(&live, &known);
    // The end a commitment's own terms give it: `days` after its start or
    // its `until`, whichever comes first.
    let own_end = |from: &When, days: Option<u32>, until: Option<&When>| -> Option<Moment> {
        let by_days = days.and_then(|d| from.start().plus_days(i64::from(d)));
        [by_days, until.map(When::start)]
            .into_iter()
            .flatten()
            .reduce(Moment::earlier)
    };
    // Each commitment's time before its condition, then when each
    // condition holds (conditions may ask whether another commitment is in
    // force, so all are worked out together, before the parallel pass).
    let windows: HashMap<&'a str, Window> = live
        .iter()
        .filter_map(|r| match r {
            Record::Commitment {
                id,
                date,
                from,
                days,
                until,
                ..
            } if known_day(date) => {
                let end = [
                    own_end(from, *days, until.as_ref()),
                    withdrawn_on.get(id.as_str()).copied(),
                ]
                .into_iter()
                .flatten()
                .reduce(Moment::earlier);
                Some((
                    id.as_str(),
                    Window {
                        start: from.start(),
                        end,
                    },
                ))
            }
            _ => None,
        })
        .collect();
    let conditions = ConditionLedger::new(&live, &known, windows);
    let met_of = conditions.all_met(now);
    // Each commitment on its own (in parallel: a ledger may hold a hundred
    // thousand), then the per-party tallies in ledger order.
    let one = |r: &&'a Record| -> Option<(CommitmentStatus<'a>, Option<Unfulfilled<'a>>)> {
        let Record::Commitment {
            id,
            date,
            party,
            with,
            scope,
            from,
            days,
            until,
            condition,
            consequence,
            reports,
            concerns,
            ..
        } = r
        else {
            return None;
        };
        if !known_day(date) {
            return None;
        }
        let withdrawal = withdrawn_on.get(id.as_str()).copied();
        let withdrawn = withdrawal.is_some();
        // When the condition holds, if it has one and it has held.
        let met: Option<Met> = met_of.get(id.as_str()).copied().flatten();
        let condition_met =
            condition.is_none() || met.is_some_and(|m| m.until.is_none_or(|u| asked.before(&u)));
        // Every violation reported by the date, with its support, once;
        // each version of the terms only sorts them by its term.
        let reported: Vec<Violation<'a>> = violations_of
            .get(id.as_str())
            .into_iter()
            .flatten()
            .filter_map(|v| match v {
                Record::Violation {
                    id: vid,
                    date,
                    reported_by,
                    by,
                    reports,
                    denied_by,
                    ..
                } => Some(Violation {
                    id: vid,
                    date: *date,
                    reported_by,
                    by: by.as_deref().unwrap_or(party.first()),
                    support: evidence.support(vid, reports, denied_by, &known),
                }),
                _ => None,
            })
            .collect();
        // The commitment judged under one version of its terms.
        let judge = |start: Moment, end: Option<Moment>| -> Judged {
            let started = start.at_or_before(&asked);
            // A condition that held and no longer does ends the term too.
            let lapsed = met
                .and_then(|m| m.until)
                .is_some_and(|u| u.at_or_before(&asked));
            let ended = end.is_some_and(|e| e.at_or_before(&asked)) || lapsed;
            // The term: from the later of its start and its condition met,
            // until the earliest of its end, its withdrawal and its
            // condition ceasing to hold (exclusive).
            let term_start = match condition {
                None => Some(start),
                Some(_) => met.map(|m| m.from.later(start)),
            };
            let term_end = [end, withdrawal, met.and_then(|m| m.until)]
                .into_iter()
                .flatten()
                .reduce(Moment::earlier);
            let judged = Judged {
                state: CommitmentState::InForce,
                in_force: !withdrawn && condition_met && started && !ended,
                end,
                term_start,
                term_end,
            };
            let violated = reported
                .iter()
                .any(|v| judged.within(&v.date, &now) == Placement::Inside);
            let state = if withdrawn {
                CommitmentState::Withdrawn
            } else if (condition.is_some() && met.is_none()) || !started {
                CommitmentState::Pending
            } else if violated {
                CommitmentState::Violated
            } else if ended {
                CommitmentState::Expired
            } else {
                CommitmentState::InForce
            };
            Judged { state, ..judged }
        };
        let start = from.start();
        let end = own_end(from, *days, until.as_ref());
        let own = judge(start, end);
        let Judged {
            state,
            in_force,
            term_start,
            term_end,
            ..
        } = own;
        // Terms as other sources state them: the commitment judged under
        // each; its own record stays the one that counts.
        let claims: Vec<TermsVersion<'a>> = claims_of
            .get(id.as_str())
            .into_iter()
            .flatten()
            .filter_map(|c| match c {
                Record::Terms {
                    id: cid,
                    from: f,
                    days: d,
                    until: u,
                    reports: creports,
                    ..
                } => {
                    let f = f.as_ref().unwrap_or(from);
                    let version_end = if d.is_some() || u.is_some() {
                        own_end(f, d.or(*days), u.as_ref().or(until.as_ref()))
                    } else {
                        own_end(f, *days, until.as_ref())
                    };
                    let version = judge(f.start(), version_end);
                    Some(TermsVersion {
                        claim: Some(cid),
                        from: f.start(),
                        until: version.end,
                        state: version.state,
                        sources: evidence.support(cid, creports, &[], &known).sources,
                    })
                }
                _ => None,
            })
            .collect();
        let terms = if claims.is_empty() {
            Vec::new()
        } else {
            let mut all = vec![TermsVersion {
                claim: None,
                from: start,
                until: end,
                state,
                sources: evidence.support(id, reports, &[], &known).sources,
            }];
            all.extend(claims);
            all
        };
        let terms_disputed = terms.iter().any(|v| v.state != state);
        let mut violations = Vec::new();
        let mut outside = Vec::new();
        let mut across = Vec::new();
        for v in reported {
            match own.within(&v.date, &now) {
                Placement::Inside => violations.push(v),
                Placement::Outside => outside.push(v),
                Placement::Straddles => across.push(v),
            }
        }
        let first_violation = violations
            .iter()
            .min_by_key(|v| v.date.start().sort_key())
            .map(|v| (v.date, v.by));
        let unfulfilled = match (consequence, first_violation) {
            (Some(c), Some((first, broken_by))) => {
                // Carried out only by a record that says so: an unrelated
                // sanction fulfils nothing.
                let carried_out = fulfilments
                    .get(id.as_str())
                    .is_some_and(|(_, when)| first.start().at_or_before(when));
                (!carried_out).then_some(Unfulfilled {
                    commitment: id,
                    broken_by,
                    promised_by: &c.by,
                    action: c.action,
                    triggered_on: first,
                    reports: &c.reports,
                })
            }
            _ => None,
        };
        let monitored = evidence
            .corroborations_of
            .get(id.as_str())
            .is_some_and(|cs| {
                cs.iter().any(|r| {
                    r.date()
                        .is_some_and(|d| known(&d) && start.at_or_before(&d.start()))
                })
            });
        let status = CommitmentStatus {
            id,
            party: party.first(),
            // Every party bound besides the first, however the record
            // names them.
            with: party
                .as_slice()
                .get(1..)
                .unwrap_or_default()
                .iter()
                .chain(with)
                .map(String::as_str)
                .collect(),
            scope,
            state,
            in_force,
            monitored,
            condition: condition.as_ref(),
            condition_met,
            concerns,
            from: start,
            until: end,
            violations,
            reports_outside_term: outside,
            reports_across_term_edge: across,
            term_from: term_start,
            term_until: term_end,
            terms,
            terms_disputed,
            support: evidence.support(id, reports, &[], &known),
        };
        Some((status, unfulfilled))
    };
    let each: Vec<(CommitmentStatus<'a>, Option<Unfulfilled<'a>>)> =
        live.par_iter().filter_map(one).collect();
    let mut commitments = Vec::with_capacity(each.len());
    let mut unfulfilled = Vec::new();
    let mut parties: BTreeMap<&'a str, PartyRecord<'a>> = BTreeMap::new();
    for (c, u) in each {
        // Each party it binds keeps or breaks it on its own.
        for bound in std::iter::once(c.party).chain(c.with.iter().copied()) {
            let record = parties.entry(bound).or_default();
            let broke = c.violations.iter().any(|v| v.by == bound);
            match c.state {
                CommitmentState::Violated if broke => record.broken.push(c.id),
                CommitmentState::InForce | CommitmentState::Expired | CommitmentState::Violated
                    if c.monitored =>
                {
                    record.kept.push(c.id)
                }
                CommitmentState::InForce | CommitmentState::Expired | CommitmentState::Violated => {
                    record.unverified.push(c.id)
                }
                _ => {}
            }
        }
        unfulfilled.extend(u);
        commitments.push(c);
    }
    let first_violation: HashMap<&str, When> = commitments
        .iter()
        .filter_map(|c| {
            let first = c
                .violations
                .iter()
                .min_by_key(|v| v.date.start().sort_key())?;
            Some((c.id, first.date))
        })
        .collect();
    let promises = promise_statuses(&live, &known, today, &first_violation, &fulfilments);
    unfulfilled.extend(overdue_as_unfulfilled(&promises, &live, &commitments));
    let deadlines = deadlines_ahead(&live, today);
    let dated_across_at = live
        .iter()
        .filter_map(|r| {
            let d = r.date()?;
            (known(&d) && !d.over_by(&now)).then(|| DatedAcross {
                id: r.id(),
                kind: r.kind(),
                date: d,
            })
        })
        .collect();
    Status {
        at,
        dated_across_at,
        commitments,
        unfulfilled_promises: unfulfilled,
        promises,
        deadlines,
        parties,
    }
}

/// An entry whose imprecise date may fall after the date asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatedAcross<'a> {
    /// The entry's id.
    pub id: &'a str,
    /// Its kind.
    pub kind: RecordKind,
    /// Its date, as given.
    pub date: When,
}

/// Each promise recorded as a record of its own, known by `today`: pending,
/// fulfilled by a record that names it, or overdue since what it answers
/// happened.
fn promise_statuses<'a>(
    live: &[&'a Record],
    known: &dyn Fn(&When) -> bool,
    today: Date,
    first_violation: &HashMap<&str, When>,
    fulfilments: &HashMap<&'a str, (&'a str, Moment)>,
) -> Vec<PromiseStatus<'a>> {
    // When each violation and passed deadline happened, indexed once.
    let happened: HashMap<&str, When> = live
        .iter()
        .filter_map(|x| match x {
            Record::Violation { id, date, .. } if known(date) => Some((id.as_str(), *date)),
            Record::Deadline { id, date, .. } if *date <= today => {
                Some((id.as_str(), When::day(*date)))
            }
            _ => None,
        })
        .collect();
    live.iter()
        .filter_map(|r| match r {
            Record::Promise {
                id,
                date,
                by,
                against,
                action,
                label,
                in_response_to,
                reports,
                ..
            } if known(&When::day(*date)) => {
                let answered = in_response_to.as_str();
                // When what it answers happened: a violation of the
                // commitment within its term, the violation, the deadline.
                let triggered_on = first_violation
                    .get(answered)
                    .or_else(|| happened.get(answered))
                    .copied();
                let fulfilled_by = fulfilments
                    .get(id.as_str())
                    .filter(|(_, d)| Moment::day(*date).at_or_before(d))
                    .map(|(r, _)| *r);
                let state = match (fulfilled_by, triggered_on) {
                    (Some(_), _) => PromiseState::Fulfilled,
                    (None, Some(_)) => PromiseState::Overdue,
                    (None, None) => PromiseState::Pending,
                };
                Some(PromiseStatus {
                    id,
                    by,
                    against: against.as_deref(),
                    action: *action,
                    label: label.as_deref(),
                    in_response_to: answered,
                    promised_on: *date,
                    state,
                    triggered_on,
                    fulfilled_by,
                    reports,
                })
            }
            _ => None,
        })
        .collect()
}

/// Overdue promises answering a broken commitment (or one of its
/// violations), as promised consequences that never came.
fn overdue_as_unfulfilled<'a>(
    promises: &[PromiseStatus<'a>],
    live: &[&'a Record],
    commitments: &[CommitmentStatus<'a>],
) -> Vec<Unfulfilled<'a>> {
    let mut unfulfilled = Vec::new();
    let by_id: HashMap<&str, &CommitmentStatus<'a>> =
        commitments.iter().map(|c| (c.id, c)).collect();
    let violated_commitment: HashMap<&str, &str> = live
        .iter()
        .filter_map(|r| match r {
            Record::Violation { id, commitment, .. } => Some((id.as_str(), commitment.as_str())),
            _ => None,
        })
        .collect();
    for p in promises {
        let (PromiseState::Overdue, Some(triggered_on)) = (p.state, p.triggered_on) else {
            continue;
        };
        let answered = violated_commitment
            .get(p.in_response_to)
            .copied()
            .unwrap_or(p.in_response_to);
        if let Some(c) = by_id.get(answered) {
            unfulfilled.push(Unfulfilled {
                commitment: c.id,
                broken_by: c.party,
                promised_by: p.by,
                action: p.action,
                triggered_on,
                reports: p.reports,
            });
        }
    }
    unfulfilled
}

/// Deadlines on or after `today`, soonest first.
fn deadlines_ahead<'a>(live: &[&'a Record], today: Date) -> Vec<DeadlineStatus<'a>> {
    let mut deadlines: Vec<DeadlineStatus<'a>> = live
        .iter()
        .filter_map(|r| match r {
            Record::Deadline {
                id,
                date,
                set_by,
                label,
                ..
            } if *date >= today => Some(DeadlineStatus {
                id,
                date: *date,
                set_by,
                label,
                days_left: today.days_until(*date),
            }),
            _ => None,
        })
        .collect();
    deadlines.sort_by_key(|d| d.date);
    deadlines
}
