//! Records of the ledger, as they appear one per line in JSON Lines.

use serde::{Deserialize, Serialize};

/// A calendar date, `YYYY-MM-DD`, read and checked with the record.
pub use truce_engine::Date;

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Record {
    /// A publication.
    Source {
        id: String,
        outlet: Option<String>,
        title: Option<String>,
        url: Option<String>,
        published: Option<Date>,
    },
    /// What a source says someone said or did.
    Report {
        id: String,
        source: String,
        /// Who speaks: a named person, or a description ("a senior
        /// administration official").
        speaker: Speaker,
        /// The outlet relaying another's report (e.g. the New York Post).
        via: Option<String>,
        said_on: Option<Date>,
        /// Exact words, where there are any.
        words: Option<String>,
        /// Where in the source: e.g. "¶13".
        at: Option<String>,
    },
    /// A party binds itself.
    Commitment {
        id: String,
        date: Date,
        party: String,
        scope: String,
        from: Date,
        /// Length in days; open-ended when absent.
        days: Option<u32>,
        condition: Option<Condition>,
        /// What another party promised to do if this is broken.
        consequence: Option<Consequence>,
        /// Scenario issues and options it concerns: `issue` or `issue=option`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        concerns: Vec<String>,
        reports: Vec<String>,
        /// What the record rests on where its reports do not say it
        /// (e.g. "assumption: ...").
        basis: Option<String>,
    },
    /// A report that a commitment was broken.
    Violation {
        id: String,
        commitment: String,
        date: Date,
        /// The party that reports or acknowledges it.
        reported_by: String,
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
        id: String,
        date: Date,
        by: String,
        against: String,
        action: SanctionAction,
        /// Scenario issues and options it concerns: `issue` or `issue=option`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        concerns: Vec<String>,
        reports: Vec<String>,
        basis: Option<String>,
    },
    /// A date with a consequence.
    Deadline {
        id: String,
        date: Date,
        set_by: String,
        label: String,
        /// Scenario issues and options it concerns: `issue` or `issue=option`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        concerns: Vec<String>,
        reports: Vec<String>,
        /// What the record rests on where its reports do not say it
        /// (e.g. "assumption: ...").
        basis: Option<String>,
    },
    /// Statements, proposals, meetings, agreements: facts kept for the record.
    Event {
        id: String,
        kind: EventKind,
        date: Date,
        parties: Vec<String>,
        summary: String,
        /// Scenario issues and options it concerns: `issue` or `issue=option`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        concerns: Vec<String>,
        reports: Vec<String>,
        /// What the record rests on where its reports do not say it
        /// (e.g. "assumption: ...").
        basis: Option<String>,
    },
    /// A commitment withdrawn by its party.
    Withdrawal {
        id: String,
        commitment: String,
        date: Date,
        reports: Vec<String>,
        basis: Option<String>,
    },
    /// Later reports that support an earlier entry: corroboration that
    /// arrives after the entry was recorded (nothing is edited).
    Corroboration {
        id: String,
        /// The entry supported.
        supports: String,
        date: Date,
        reports: Vec<String>,
        basis: Option<String>,
    },
    /// Reports that deny an earlier entry (a dispute), e.g. Moscow denying
    /// a reported violation.
    Denial {
        id: String,
        /// The entry denied.
        denies: String,
        date: Date,
        /// The party that denies it, where one does.
        by: Option<String>,
        reports: Vec<String>,
        basis: Option<String>,
    },
    /// A later record that retracts an earlier one (nothing is deleted).
    Retraction {
        id: String,
        retracts: String,
        date: Date,
        reason: String,
        reports: Vec<String>,
        basis: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum Speaker {
    Named { name: String, role: Option<String> },
    Unnamed { description: String },
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
    SanctionsLifted { against: String, by: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consequence {
    /// Who promised it.
    pub by: String,
    /// What: sanctions against the party that breaks the commitment.
    pub action: ConsequenceAction,
    pub reports: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsequenceAction {
    Sanctions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SanctionAction {
    Imposed,
    Lifted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Statement,
    Proposal,
    Meeting,
    Agreement,
}

/// The kind of a record: its `type` in JSON Lines, its `event_type` in CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Source,
    Report,
    Commitment,
    Violation,
    Sanction,
    Deadline,
    Event,
    Withdrawal,
    Corroboration,
    Denial,
    Retraction,
}

impl RecordKind {
    pub const ALL: [RecordKind; 11] = [
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
    ];

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
        }
    }

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
        }
    }

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
            | Record::Retraction { id, .. } => id,
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
            | Record::Retraction { reports, .. } => reports,
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
                condition,
                consequence,
                ..
            } => {
                out.push(("party", party.as_str()));
                if let Some(Condition::SanctionsLifted { against, by }) = condition {
                    out.push(("condition.against", against.as_str()));
                    out.extend(by.as_deref().map(|b| ("condition.by", b)));
                }
                out.extend(
                    consequence
                        .as_ref()
                        .map(|c| ("consequence.by", c.by.as_str())),
                );
            }
            Record::Violation { reported_by, .. } => out.push(("reported_by", reported_by)),
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
            | Record::Retraction { basis, .. } => basis.as_deref(),
        }
    }

    /// The date a record is known from: records dated after the day in
    /// question do not count in a status (sources and reports have none).
    pub fn date(&self) -> Option<Date> {
        match self {
            Record::Source { .. } | Record::Report { .. } => None,
            Record::Commitment { date, .. }
            | Record::Violation { date, .. }
            | Record::Sanction { date, .. }
            | Record::Deadline { date, .. }
            | Record::Event { date, .. }
            | Record::Withdrawal { date, .. }
            | Record::Corroboration { date, .. }
            | Record::Denial { date, .. }
            | Record::Retraction { date, .. } => Some(*date),
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
                if let Some(Condition::SanctionsLifted { by, .. }) = condition {
                    out.push(("condition.by", by.as_ref()));
                }
                out.push(("basis", basis.as_ref()));
            }
            Record::Denial { by, basis, .. } => {
                out.push(("by", by.as_ref()));
                out.push(("basis", basis.as_ref()));
            }
            Record::Violation { basis, .. }
            | Record::Sanction { basis, .. }
            | Record::Deadline { basis, .. }
            | Record::Event { basis, .. }
            | Record::Withdrawal { basis, .. }
            | Record::Corroboration { basis, .. }
            | Record::Retraction { basis, .. } => out.push(("basis", basis.as_ref())),
        }
        out.into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v.as_str())))
            .collect()
    }
}
