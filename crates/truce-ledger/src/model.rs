//! Records of the ledger, as they appear one per line in JSON Lines.

use serde::{Deserialize, Serialize};

/// A calendar date, `YYYY-MM-DD` (kept as text: it sorts as it reads).
pub type Date = String;

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
        reports: Vec<String>,
        basis: Option<String>,
    },
    /// A date with a consequence.
    Deadline {
        id: String,
        date: Date,
        set_by: String,
        label: String,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Speaker {
    Named { name: String, role: Option<String> },
    Unnamed { description: String },
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

impl Record {
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
            | Record::Retraction { reports, .. } => reports,
            Record::Source { .. } | Record::Report { .. } => &[],
        }
    }

    /// Dates a record carries, for validation.
    pub fn dates(&self) -> Vec<&str> {
        let mut out = Vec::new();
        match self {
            Record::Source { published, .. } => out.extend(published.as_deref()),
            Record::Report { said_on, .. } => out.extend(said_on.as_deref()),
            Record::Commitment { date, from, .. } => {
                out.push(date.as_str());
                out.push(from.as_str());
            }
            Record::Violation { date, .. }
            | Record::Sanction { date, .. }
            | Record::Deadline { date, .. }
            | Record::Event { date, .. }
            | Record::Withdrawal { date, .. }
            | Record::Retraction { date, .. } => out.push(date.as_str()),
        }
        out
    }
}
