//! Records of the ledger, as they appear one per line in JSON Lines.

use crate::when::When;
use serde::{Deserialize, Serialize};

/// A calendar date, `YYYY-MM-DD`, read and checked with the record.
pub use truce_engine::Date;

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Record {
    /// A publication.
    Source {
        /// The entry's id, unique in the ledger.
        id: String,
        /// The publication (newspaper, agency, broadcaster).
        outlet: Option<String>,
        /// The title of the piece.
        title: Option<String>,
        /// Where it can be read.
        url: Option<String>,
        /// When it was published.
        published: Option<Date>,
    },
    /// What a source says someone said or did.
    Report {
        /// The entry's id, unique in the ledger.
        id: String,
        /// The source (publication) the report is in.
        source: String,
        /// Who speaks: a named person, or a description ("a senior
        /// administration official").
        speaker: Speaker,
        /// The outlet relaying another's report (e.g. the New York Post).
        via: Option<String>,
        /// When it was said or done, where the report says, as precisely
        /// as it says (see [`When`]).
        said_on: Option<When>,
        /// Exact words, where there are any.
        words: Option<String>,
        /// Where in the source: e.g. "¶13".
        at: Option<String>,
    },
    /// A party binds itself.
    Commitment {
        /// The entry's id, unique in the ledger.
        id: String,
        /// The day it was made.
        date: Date,
        /// The party that binds itself, or several ("all parties agreed"),
        /// the first named in the status.
        party: Parties,
        /// What it covers, in words ("strikes on energy facilities").
        scope: String,
        /// When it starts to apply: a day, or a time with its UTC offset.
        from: When,
        /// Length in days; open-ended when absent (and no `until`).
        days: Option<u32>,
        /// When it stops applying (the first moment it no longer does),
        /// e.g. `2025-04-21T00:00+03:00`; with `days`, the earlier counts.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<When>,
        /// What must happen first for it to apply.
        condition: Option<Condition>,
        /// What another party promised to do if this is broken.
        consequence: Option<Consequence>,
        /// Other parties bound by the same commitment ("all parties
        /// agreed"): each keeps or breaks it on its own.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        with: Vec<String>,
        /// The incidents it rules out, for matching conflict data against
        /// it (`truce ledger match`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        covers: Option<Coverage>,
        /// Scenario issues and options it concerns: `issue` or `issue=option`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        concerns: Vec<String>,
        /// The reports it rests on (their ids).
        reports: Vec<String>,
        /// What the record rests on where its reports do not say it
        /// (e.g. "assumption: ...").
        basis: Option<String>,
    },
    /// A report that a commitment was broken.
    Violation {
        /// The entry's id, unique in the ledger.
        id: String,
        /// The commitment reported broken.
        commitment: String,
        /// When it happened, as precisely as reported.
        date: When,
        /// The party that reports or acknowledges it, or several that
        /// accuse together.
        reported_by: Parties,
        /// The party said to have broken it, when the commitment binds
        /// several (by default the commitment's own `party`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
        /// The reports it rests on (their ids).
        reports: Vec<String>,
        /// Reports that deny it.
        #[serde(default)]
        denied_by: Vec<String>,
        /// What the record rests on where its reports do not say it
        /// (e.g. "assumption: ...").
        basis: Option<String>,
    },
    /// Sanctions imposed or lifted.
    Sanction {
        /// The entry's id, unique in the ledger.
        id: String,
        /// The day they were imposed or lifted.
        date: Date,
        /// The party that imposes or lifts them.
        by: String,
        /// The party they are against.
        against: String,
        /// Imposed or lifted.
        action: SanctionAction,
        /// The measure, named so a condition can ask for it to be lifted
        /// (e.g. `rosselkhozbank_swift`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        measure: Option<String>,
        /// The promise this carries out, if it carries one out.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fulfils: Option<String>,
        /// Scenario issues and options it concerns: `issue` or `issue=option`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        concerns: Vec<String>,
        /// The reports it rests on (their ids).
        reports: Vec<String>,
        /// What the record rests on where its reports do not say it (e.g. "assumption: ...").
        basis: Option<String>,
    },
    /// A date with a consequence.
    Deadline {
        /// The entry's id, unique in the ledger.
        id: String,
        /// The day it falls.
        date: Date,
        /// The party that set it.
        set_by: String,
        /// What it is, in words.
        label: String,
        /// Scenario issues and options it concerns: `issue` or `issue=option`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        concerns: Vec<String>,
        /// The reports it rests on (their ids).
        reports: Vec<String>,
        /// What the record rests on where its reports do not say it
        /// (e.g. "assumption: ...").
        basis: Option<String>,
    },
    /// Statements, proposals, meetings, agreements: facts kept for the record.
    Event {
        /// The entry's id, unique in the ledger.
        id: String,
        /// What kind of event.
        kind: EventKind,
        /// When it happened, as precisely as reported (a two-day meeting
        /// is a range).
        date: When,
        /// The parties involved.
        parties: Vec<String>,
        /// What happened, in words.
        summary: String,
        /// What kind of incident, as conflict data classes it (ACLED's
        /// `event_type: sub_event_type`, e.g. "Explosions/Remote violence:
        /// Air/drone strike").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        category: Option<String>,
        /// The promise this carries out, if it carries one out.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fulfils: Option<String>,
        /// Scenario issues and options it concerns: `issue` or `issue=option`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        concerns: Vec<String>,
        /// The reports it rests on (their ids).
        reports: Vec<String>,
        /// What the record rests on where its reports do not say it
        /// (e.g. "assumption: ...").
        basis: Option<String>,
    },
    /// A commitment withdrawn by its party.
    Withdrawal {
        /// The entry's id, unique in the ledger.
        id: String,
        /// The commitment withdrawn.
        commitment: String,
        /// The day it was withdrawn.
        date: Date,
        /// The reports it rests on (their ids).
        reports: Vec<String>,
        /// What the record rests on where its reports do not say it (e.g. "assumption: ...").
        basis: Option<String>,
    },
    /// Later reports that support an earlier entry: corroboration that
    /// arrives after the entry was recorded (nothing is edited).
    Corroboration {
        /// The entry's id, unique in the ledger.
        id: String,
        /// The entry supported.
        supports: String,
        /// The day the support was reported.
        date: Date,
        /// The reports it rests on (their ids).
        reports: Vec<String>,
        /// What the record rests on where its reports do not say it (e.g. "assumption: ...").
        basis: Option<String>,
    },
    /// Reports that deny an earlier entry (a dispute), e.g. Moscow denying
    /// a reported violation.
    Denial {
        /// The entry's id, unique in the ledger.
        id: String,
        /// The entry denied.
        denies: String,
        /// The day the denial was reported.
        date: Date,
        /// The party that denies it, where one does.
        by: Option<String>,
        /// The reports it rests on (their ids).
        reports: Vec<String>,
        /// What the record rests on where its reports do not say it (e.g. "assumption: ...").
        basis: Option<String>,
    },
    /// A person who speaks or acts, with the other spellings of their name
    /// (Zelensky, Zelenskiy, Zelenskyy), so reports count them once.
    Person {
        /// The entry's id, unique in the ledger.
        id: String,
        /// The name reports are shown under.
        name: String,
        /// Their office, e.g. "President of Ukraine" (where `roles` gives
        /// none for the date of a report).
        role: Option<String>,
        /// Offices over time: a report is shown with the office held on
        /// the day it was said (or published).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        roles: Vec<Office>,
        /// Other spellings reports use.
        #[serde(default)]
        aliases: Vec<String>,
        /// The reports it rests on (their ids).
        #[serde(default)]
        reports: Vec<String>,
        /// What the record rests on (e.g. "assumption: ...").
        basis: Option<String>,
    },
    /// Terms of a commitment as one source states them, where sources
    /// disagree (Moscow dating a moratorium from 18 March, Washington and
    /// Kyiv from 25 March). Status judges the commitment under each.
    Terms {
        /// The entry's id, unique in the ledger.
        id: String,
        /// The commitment whose terms these are.
        commitment: String,
        /// The day the claim was first reported.
        date: Date,
        /// When it starts to apply, as this source says (as recorded when absent).
        from: Option<When>,
        /// Its length in days, as this source says (as recorded when absent).
        days: Option<u32>,
        /// When it stops applying, as this source says (as recorded when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<When>,
        /// The reports it rests on (their ids).
        reports: Vec<String>,
        /// What the record rests on where its reports do not say it (e.g. "assumption: ...").
        basis: Option<String>,
    },
    /// A party promises a consequence if something happens: a commitment
    /// broken, a violation, a deadline missed.
    Promise {
        /// The entry's id, unique in the ledger.
        id: String,
        /// The day the promise was first reported.
        date: Date,
        /// The party that promises.
        by: String,
        /// The party it is aimed at, if one is named.
        against: Option<String>,
        /// What is promised.
        action: ConsequenceAction,
        /// The promised action in words, where the kind says too little.
        label: Option<String>,
        /// The commitment, violation or deadline it answers.
        in_response_to: String,
        /// The reports it rests on (their ids).
        reports: Vec<String>,
        /// What the record rests on where its reports do not say it (e.g. "assumption: ...").
        basis: Option<String>,
    },
    /// A later record that retracts an earlier one (nothing is deleted).
    Retraction {
        /// The entry's id, unique in the ledger.
        id: String,
        /// The entry retracted.
        retracts: String,
        /// The day of the retraction.
        date: Date,
        /// Why it is retracted.
        reason: String,
        /// The reports it rests on (their ids).
        reports: Vec<String>,
        /// What the record rests on where its reports do not say it (e.g. "assumption: ...").
        basis: Option<String>,
    },
}

/// An office a person held, from a day until another (exclusive); either
/// end may be open.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    /// The office, e.g. "Minister of Defence of Ukraine".
    pub role: String,
    /// The first day it was held, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// The first day it was no longer held, if it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

impl Office {
    /// Whether the office was held on `day`.
    pub fn held_on(&self, day: Date) -> bool {
        self.from.is_none_or(|f| f <= day) && self.until.is_none_or(|u| day < u)
    }
}

/// One party or several: written as a string, or a list of party ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Parties(Vec<String>);

impl Parties {
    /// One party.
    pub fn one(p: impl Into<String>) -> Parties {
        Parties(vec![p.into()])
    }
    /// Several parties; `None` when there are none.
    pub fn several(ps: Vec<String>) -> Option<Parties> {
        (!ps.is_empty()).then_some(Parties(ps))
    }
    /// The first party named.
    pub fn first(&self) -> &str {
        self.0.first().map_or("", String::as_str)
    }
    /// Every party, in the order named.
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

/// "russia", or "russia and ukraine".
impl std::fmt::Display for Parties {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.as_slice() {
            [] => Ok(()),
            [one] => f.write_str(one),
            [rest @ .., last] => write!(f, "{} and {last}", rest.join(", ")),
        }
    }
}

impl Serialize for Parties {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => ser.serialize_str(one),
            all => all.serialize(ser),
        }
    }
}

impl<'de> Deserialize<'de> for Parties {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Parties, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Parties;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a list of party ids")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Parties, E> {
                Ok(Parties::one(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Parties, A::Error> {
                let mut all = Vec::new();
                while let Some(p) = seq.next_element::<String>()? {
                    all.push(p);
                }
                Parties::several(all).ok_or_else(|| {
                    serde::de::Error::invalid_length(0, &"a string or a list of party ids")
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
/// Who speaks in a report.
pub enum Speaker {
    /// A named person.
    Named {
        /// Their name.
        name: String,
        /// Their office, e.g. "Secretary of State".
        role: Option<String>,
    },
    /// Someone described, not named ("a senior administration official").
    Unnamed {
        /// How the report describes them.
        description: String,
    },
}

/// "Marco Rubio (US Secretary of State)", or the description.
impl std::fmt::Display for Speaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Speaker::Named {
                name,
                role: Some(role),
            } => write!(f, "{name} ({role})"),
            Speaker::Named { name, role: None } => f.write_str(name),
            Speaker::Unnamed { description } => f.write_str(description),
        }
    }
}

/// "Only once X has happened": met when a matching record is dated on or
/// before the day in question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "requires", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// Sanctions against `against` lifted (by anyone, or by `by`).
    SanctionsLifted {
        /// The party the sanctions are against.
        against: String,
        /// The party that must lift them, if one must.
        by: Option<String>,
    },
    /// A rule in truce's rule language over ledger facts, e.g.
    /// `lifted(rosselkhozbank_swift) and in_force(ru-black-sea)` (see
    /// docs/ledger.md).
    Rule {
        /// The rule's text.
        rule: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// What a party promised to do if a commitment is broken.
pub struct Consequence {
    /// Who promised it.
    pub by: String,
    /// What: sanctions against the party that breaks the commitment.
    pub action: ConsequenceAction,
    /// The reports of the promise (their ids).
    pub reports: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// What a promised consequence is.
pub enum ConsequenceAction {
    /// Sanctions.
    Sanctions,
    /// A military response ("respond with actions").
    MilitaryResponse,
    /// The mediator ends its mediation.
    MediationWithdrawn,
    /// Anything else, in the promise's `label`.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// What happened to sanctions.
pub enum SanctionAction {
    /// Sanctions were imposed.
    Imposed,
    /// Sanctions were lifted.
    Lifted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// What kind of event.
pub enum EventKind {
    /// Someone said something on the record.
    Statement,
    /// Someone put a proposal forward.
    Proposal,
    /// The parties met.
    Meeting,
    /// The parties agreed on something.
    Agreement,
    /// An incident on the ground (a strike, a clash), e.g. from conflict data.
    Incident,
    /// Someone turned a proposal down.
    Rejection,
    /// Someone threatened a consequence.
    Threat,
    /// The parties exchanged prisoners, bodies or the like.
    Exchange,
}

/// The incidents a commitment rules out: those whose category contains
/// one of `categories` (`*` for any category; no condition when empty) and
/// whose summary contains one of `keywords` (no condition when empty), all
/// case-insensitive. At least one of the two lists is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// Parts of incident categories, e.g. "Air/drone strike".
    #[serde(default)]
    pub categories: Vec<String>,
    /// Words of incident summaries, e.g. "energy", "power plant".
    #[serde(default)]
    pub keywords: Vec<String>,
}

impl Coverage {
    /// Whether an incident of this category and summary falls under it.
    pub fn covers(&self, category: Option<&str>, summary: &str) -> bool {
        let has = |text: &str, part: &str| text.to_lowercase().contains(&part.to_lowercase());
        let category_ok = self.categories.is_empty()
            || self.categories.iter().any(|k| k == "*")
            || category.is_some_and(|c| self.categories.iter().any(|k| has(c, k)));
        let keyword_ok = self.keywords.is_empty() || self.keywords.iter().any(|k| has(summary, k));
        category_ok && keyword_ok
    }
}

/// The kind of a record: its `type` in JSON Lines, its `event_type` in CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A publication.
    Source,
    /// What a source says someone said or did.
    Report,
    /// A party binds itself.
    Commitment,
    /// A report that a commitment was broken.
    Violation,
    /// Sanctions imposed or lifted.
    Sanction,
    /// A date with a consequence.
    Deadline,
    /// A fact kept for the record.
    Event,
    /// A commitment withdrawn.
    Withdrawal,
    /// Later reports supporting an entry.
    Corroboration,
    /// Reports denying an entry.
    Denial,
    /// A record retracting an earlier one.
    Retraction,
    /// A promised consequence.
    Promise,
    /// Terms of a commitment as one source states them.
    Terms,
    /// A person with the spellings of their name.
    Person,
}

impl RecordKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [RecordKind; 14] = [
        RecordKind::Source,
        RecordKind::Report,
        RecordKind::Commitment,
        RecordKind::Violation,
        RecordKind::Sanction,
        RecordKind::Deadline,
        RecordKind::Event,
        RecordKind::Withdrawal,
        RecordKind::Corroboration,
        RecordKind::Denial,
        RecordKind::Retraction,
        RecordKind::Promise,
        RecordKind::Terms,
        RecordKind::Person,
    ];

    /// The kind's name (`commitment`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Source => "source",
            RecordKind::Report => "report",
            RecordKind::Commitment => "commitment",
            RecordKind::Violation => "violation",
            RecordKind::Sanction => "sanction",
            RecordKind::Deadline => "deadline",
            RecordKind::Event => "event",
            RecordKind::Withdrawal => "withdrawal",
            RecordKind::Corroboration => "corroboration",
            RecordKind::Denial => "denial",
            RecordKind::Retraction => "retraction",
            RecordKind::Promise => "promise",
            RecordKind::Terms => "terms",
            RecordKind::Person => "person",
        }
    }

    /// The kind with this name.
    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Record {
    /// The record's kind.
    pub fn kind(&self) -> RecordKind {
        match self {
            Record::Source { .. } => RecordKind::Source,
            Record::Report { .. } => RecordKind::Report,
            Record::Commitment { .. } => RecordKind::Commitment,
            Record::Violation { .. } => RecordKind::Violation,
            Record::Sanction { .. } => RecordKind::Sanction,
            Record::Deadline { .. } => RecordKind::Deadline,
            Record::Event { .. } => RecordKind::Event,
            Record::Withdrawal { .. } => RecordKind::Withdrawal,
            Record::Corroboration { .. } => RecordKind::Corroboration,
            Record::Denial { .. } => RecordKind::Denial,
            Record::Retraction { .. } => RecordKind::Retraction,
            Record::Promise { .. } => RecordKind::Promise,
            Record::Terms { .. } => RecordKind::Terms,
            Record::Person { .. } => RecordKind::Person,
        }
    }

    /// The record's id.
    pub fn id(&self) -> &str {
        match self {
            Record::Source { id, .. }
            | Record::Report { id, .. }
            | Record::Commitment { id, .. }
            | Record::Violation { id, .. }
            | Record::Sanction { id, .. }
            | Record::Deadline { id, .. }
            | Record::Event { id, .. }
            | Record::Withdrawal { id, .. }
            | Record::Corroboration { id, .. }
            | Record::Denial { id, .. }
            | Record::Retraction { id, .. }
            | Record::Promise { id, .. }
            | Record::Terms { id, .. }
            | Record::Person { id, .. } => id,
        }
    }

    /// The reports a record rests on.
    pub fn reports(&self) -> &[String] {
        match self {
            Record::Commitment { reports, .. }
            | Record::Violation { reports, .. }
            | Record::Sanction { reports, .. }
            | Record::Deadline { reports, .. }
            | Record::Event { reports, .. }
            | Record::Withdrawal { reports, .. }
            | Record::Corroboration { reports, .. }
            | Record::Denial { reports, .. }
            | Record::Retraction { reports, .. }
            | Record::Promise { reports, .. }
            | Record::Terms { reports, .. }
            | Record::Person { reports, .. } => reports,
            Record::Source { .. } | Record::Report { .. } => &[],
        }
    }

    /// The scenario issues and options it concerns.
    pub fn concerns(&self) -> &[String] {
        match self {
            Record::Commitment { concerns, .. }
            | Record::Sanction { concerns, .. }
            | Record::Deadline { concerns, .. }
            | Record::Event { concerns, .. } => concerns,
            _ => &[],
        }
    }

    /// The parties a record names, with the field that names each.
    pub fn parties(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        match self {
            Record::Commitment {
                party,
                with,
                condition,
                consequence,
                ..
            } => {
                out.extend(party.as_slice().iter().map(|p| ("party", p.as_str())));
                out.extend(with.iter().map(|w| ("with", w.as_str())));
                match condition {
                    Some(Condition::SanctionsLifted { against, by }) => {
                        out.push(("condition.against", against.as_str()));
                        out.extend(by.as_deref().map(|b| ("condition.by", b)));
                    }
                    Some(Condition::Rule { rule }) => {
                        // The parties a rule names, as written in it.
                        if let Ok(parsed) = crate::condition::parse_condition(rule) {
                            for t in parsed.tests() {
                                if let crate::condition::Fact::SanctionsLifted { against, by } = t {
                                    if let Some(a) = rule.find(against.as_str()) {
                                        out.push(("condition.rule", &rule[a..a + against.len()]));
                                    }
                                    if let Some(b) = by
                                        .as_deref()
                                        .and_then(|b| rule.find(b).map(|i| &rule[i..i + b.len()]))
                                    {
                                        out.push(("condition.rule", b));
                                    }
                                }
                            }
                        }
                    }
                    None => {}
                }
                out.extend(
                    consequence
                        .as_ref()
                        .map(|c| ("consequence.by", c.by.as_str())),
                );
            }
            Record::Violation {
                reported_by, by, ..
            } => {
                out.extend(
                    reported_by
                        .as_slice()
                        .iter()
                        .map(|p| ("reported_by", p.as_str())),
                );
                out.extend(by.as_deref().map(|b| ("by", b)));
            }
            Record::Sanction { by, against, .. } => {
                out.push(("by", by.as_str()));
                out.push(("against", against.as_str()));
            }
            Record::Deadline { set_by, .. } => out.push(("set_by", set_by)),
            Record::Event { parties, .. } => {
                out.extend(parties.iter().map(|p| ("parties", p.as_str())))
            }
            Record::Denial { by: Some(by), .. } => out.push(("by", by)),
            _ => {}
        }
        out
    }

    /// What the record rests on where its reports do not say it.
    pub fn basis(&self) -> Option<&str> {
        match self {
            Record::Source { .. } | Record::Report { .. } => None,
            Record::Commitment { basis, .. }
            | Record::Violation { basis, .. }
            | Record::Sanction { basis, .. }
            | Record::Deadline { basis, .. }
            | Record::Event { basis, .. }
            | Record::Withdrawal { basis, .. }
            | Record::Corroboration { basis, .. }
            | Record::Denial { basis, .. }
            | Record::Retraction { basis, .. }
            | Record::Promise { basis, .. }
            | Record::Terms { basis, .. }
            | Record::Person { basis, .. } => basis.as_deref(),
        }
    }

    /// When a record is known from: records dated after the moment in
    /// question do not count in a status (sources and reports have none).
    pub fn date(&self) -> Option<When> {
        match self {
            Record::Source { .. } | Record::Report { .. } => None,
            Record::Violation { date, .. } | Record::Event { date, .. } => Some(*date),
            Record::Commitment { date, .. }
            | Record::Sanction { date, .. }
            | Record::Deadline { date, .. }
            | Record::Withdrawal { date, .. }
            | Record::Corroboration { date, .. }
            | Record::Denial { date, .. }
            | Record::Retraction { date, .. }
            | Record::Promise { date, .. }
            | Record::Terms { date, .. } => Some(When::day(*date)),
            Record::Person { .. } => None,
        }
    }

    /// Optional texts that are present, by field name: an empty one is
    /// refused on reading, since "absent" and "empty" would otherwise be
    /// two spellings of one thing (and CSV cannot tell them apart).
    pub fn optional_texts(&self) -> Vec<(&'static str, &str)> {
        let mut out: Vec<(&'static str, Option<&String>)> = Vec::new();
        match self {
            Record::Source {
                outlet, title, url, ..
            } => out.extend([
                ("outlet", outlet.as_ref()),
                ("title", title.as_ref()),
                ("url", url.as_ref()),
            ]),
            Record::Report {
                speaker,
                via,
                words,
                at,
                ..
            } => {
                if let Speaker::Named { role, .. } = speaker {
                    out.push(("speaker.role", role.as_ref()));
                }
                out.extend([
                    ("via", via.as_ref()),
                    ("words", words.as_ref()),
                    ("at", at.as_ref()),
                ]);
            }
            Record::Commitment {
                condition, basis, ..
            } => {
                match condition {
                    Some(Condition::SanctionsLifted { by, .. }) => {
                        out.push(("condition.by", by.as_ref()))
                    }
                    Some(Condition::Rule { rule }) => out.push(("condition.rule", Some(rule))),
                    None => {}
                }
                out.push(("basis", basis.as_ref()));
            }
            Record::Sanction { measure, basis, .. } => {
                out.push(("measure", measure.as_ref()));
                out.push(("basis", basis.as_ref()));
            }
            Record::Denial { by, basis, .. } => {
                out.push(("by", by.as_ref()));
                out.push(("basis", basis.as_ref()));
            }
            Record::Deadline { basis, .. }
            | Record::Event { basis, .. }
            | Record::Withdrawal { basis, .. }
            | Record::Corroboration { basis, .. }
            | Record::Retraction { basis, .. }
            | Record::Terms { basis, .. } => out.push(("basis", basis.as_ref())),
            Record::Person { role, basis, .. } => {
                out.push(("role", role.as_ref()));
                out.push(("basis", basis.as_ref()));
            }
            Record::Violation { by, basis, .. } => {
                out.push(("by", by.as_ref()));
                out.push(("basis", basis.as_ref()));
            }
            Record::Promise {
                against,
                label,
                basis,
                ..
            } => out.extend([
                ("against", against.as_ref()),
                ("label", label.as_ref()),
                ("basis", basis.as_ref()),
            ]),
        }
        out.into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v.as_str())))
            .collect()
    }
}
