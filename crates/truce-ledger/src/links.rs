//! Entries against a scenario: every party an entry names and every issue
//! or option it concerns should exist there, so the record and the model
//! of the talks speak of the same things.

use crate::condition::{parse_condition, Fact};
use crate::model::{Condition, Record};
use serde::Serialize;
use truce_engine::diag::closest;
use truce_engine::model::Scenario;

/// One name an entry uses that the scenario does not define.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkProblem {
    /// The entry's id.
    pub entry: String,
    /// The field that names it: `party`, `concerns`…
    pub field: String,
    /// The name the entry uses.
    pub value: String,
    /// What is wrong with it.
    pub reason: String,
    /// The closest name the scenario has, if one is close.
    pub did_you_mean: Option<String>,
}

/// Checks each entry's parties and concerns against `scenario`. A concern
/// written `scenario_id:issue=option` belongs to the scenario with that id
/// and is checked only against it, so one ledger can serve several
/// scenarios; a concern without a prefix is checked against any.
pub fn check_links(records: &[Record], scenario: &Scenario) -> Vec<LinkProblem> {
    let parties: Vec<&str> = scenario.parties.iter().map(|p| p.id.as_str()).collect();
    let issues: Vec<&str> = scenario.issues.iter().map(|i| i.id.as_str()).collect();
    let mut out = Vec::new();
    for r in records {
        let mut problem = |field: &str, value: &str, reason: String, near: Option<&str>| {
            out.push(LinkProblem {
                entry: r.id().to_string(),
                field: field.to_string(),
                value: value.to_string(),
                reason,
                did_you_mean: near.map(str::to_string),
            })
        };
        for (field, party) in r.parties() {
            if !parties.contains(&party) {
                problem(
                    field,
                    party,
                    format!("no party `{party}` in the scenario"),
                    closest(party, parties.iter().copied()),
                );
            }
        }
        // What a rule condition asks to be agreed is a concern too.
        let mut agreed: Vec<String> = Vec::new();
        if let Record::Commitment {
            condition: Some(Condition::Rule { rule }),
            ..
        } = r
        {
            if let Ok(parsed) = parse_condition(rule) {
                for t in parsed.tests() {
                    if let Fact::Agreed { issue, option } = t {
                        agreed.push(format!("{issue}={option}"));
                    }
                }
            }
        }
        for (field, concern) in r
            .concerns()
            .iter()
            .map(|c| ("concerns", c))
            .chain(agreed.iter().map(|c| ("condition.rule", c)))
        {
            // `scenario:issue=option` concerns one scenario of several;
            // entries about another scenario are that scenario's to check.
            let concern_text = match concern.split_once(':') {
                Some((sid, rest)) => {
                    if scenario.id.as_deref() != Some(sid.trim()) {
                        continue;
                    }
                    rest
                }
                None => concern.as_str(),
            };
            let (issue_id, option_id) = match concern_text.split_once('=') {
                Some((i, o)) => (i.trim(), Some(o.trim())),
                None => (concern_text.trim(), None),
            };
            let Some(issue) = scenario.issues.iter().find(|i| i.id == issue_id) else {
                problem(
                    field,
                    concern,
                    format!("no issue `{issue_id}` in the scenario"),
                    closest(issue_id, issues.iter().copied()),
                );
                continue;
            };
            if let Some(option_id) = option_id {
                if issue.option_index(option_id).is_none() {
                    let options = issue.options.iter().map(|o| o.id.as_str());
                    problem(
                        field,
                        concern,
                        format!("issue `{issue_id}` has no option `{option_id}`"),
                        closest(option_id, options),
                    );
                }
            }
        }
    }
    out
}
