//! The single negotiating text: the mediator issues numbered drafts, one
//! option per issue (an issue may be deferred where it can be); each party
//! answers each provision (accept, a caveat naming the option it wants
//! instead, or reject) and the whole; the board shows provision × party.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use truce_engine::model::ScenarioParts;
use truce_engine::{Diagnostic, ErrorKind};

/// The longest note a caveat or draft may carry, in bytes.
pub const MAX_NOTE_BYTES: usize = 2_000;

fn invalid(message: impl Into<String>, path: impl Into<String>) -> Diagnostic {
    Diagnostic::new(ErrorKind::Invalid, message).in_field(path)
}

/// A draft as the mediator sends it: the options by issue id, or a plan of
/// the scenario to start from (its provisions, then any given here).
#[derive(Debug, Clone, PartialEq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftInput {
    /// A plan of the scenario whose provisions the draft starts from.
    #[serde(default)]
    pub plan: Option<String>,
    /// Option id per issue id (`"deferred"` defers a deferrable issue).
    #[serde(default)]
    pub provisions: BTreeMap<String, String>,
    /// Whether this is the best and final offer.
    #[serde(default)]
    pub best_and_final: bool,
    /// A note for the parties.
    #[serde(default)]
    pub note: Option<String>,
}

/// One provision of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Provision {
    /// The issue.
    pub issue: String,
    /// The option the draft gives it (`deferred` when deferred).
    pub option: String,
}

/// A numbered draft of the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Draft {
    /// Its number, from 1.
    pub number: u32,
    /// One provision per issue, in the scenario's issue order.
    pub provisions: Vec<Provision>,
    /// Whether it is the best and final offer.
    pub best_and_final: bool,
    /// The mediator's note.
    pub note: Option<String>,
}

impl Draft {
    /// Checks a mediator's draft against the room's issues and options.
    pub fn new(
        public: &ScenarioParts,
        number: u32,
        input: DraftInput,
    ) -> Result<Draft, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut chosen: Vec<Option<String>> = vec![None; public.issues.len()];
        if let Some(plan_id) = &input.plan {
            match public.plans.iter().find(|p| &p.id == plan_id) {
                Some(plan) => {
                    for (i, p) in plan.provisions.iter().enumerate() {
                        if let (Some(slot), Some(issue)) = (chosen.get_mut(i), public.issues.get(i))
                        {
                            *slot = issue.options.get(p.option).map(|o| o.id.clone());
                        }
                    }
                }
                None => problems.push(invalid(
                    format!(
                        "no plan `{plan_id}` in the room; plans: {}",
                        public
                            .plans
                            .iter()
                            .map(|p| p.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    "plan",
                )),
            }
        }
        for (issue_id, option_id) in &input.provisions {
            let path = format!("provisions.{issue_id}");
            let Some(i) = public.issue_index(issue_id) else {
                problems.push(invalid(format!("no issue `{issue_id}` in the room"), path));
                continue;
            };
            if public.issues[i].option_index(option_id).is_none() {
                let options: Vec<&str> = public.issues[i]
                    .options
                    .iter()
                    .map(|o| o.id.as_str())
                    .collect();
                problems.push(
                    invalid(
                        format!("issue `{issue_id}` has no option `{option_id}`"),
                        path,
                    )
                    .help(format!("options: {}", options.join(", "))),
                );
                continue;
            }
            chosen[i] = Some(option_id.clone());
        }
        let mut provisions = Vec::with_capacity(chosen.len());
        for (issue, option) in public.issues.iter().zip(chosen) {
            match option {
                Some(option) => provisions.push(Provision {
                    issue: issue.id.clone(),
                    option,
                }),
                None => problems.push(invalid(
                    format!("the draft gives issue `{}` no option", issue.id),
                    format!("provisions.{}", issue.id),
                )),
            }
        }
        if input
            .note
            .as_ref()
            .is_some_and(|n| n.len() > MAX_NOTE_BYTES)
        {
            problems.push(invalid(
                format!("the note is longer than {MAX_NOTE_BYTES} bytes"),
                "note",
            ));
        }
        if problems.is_empty() {
            Ok(Draft {
                number,
                provisions,
                best_and_final: input.best_and_final,
                note: input.note,
            })
        } else {
            Err(problems)
        }
    }

    /// The draft as a package of option indices, in issue order.
    pub fn package(&self, public: &ScenarioParts) -> Option<Vec<u16>> {
        self.provisions
            .iter()
            .zip(&public.issues)
            .map(|(p, issue)| {
                issue
                    .option_index(&p.option)
                    .and_then(|o| u16::try_from(o).ok())
            })
            .collect()
    }
}

/// A party's answer to one provision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "answer", rename_all = "snake_case", deny_unknown_fields)]
pub enum ProvisionAnswer {
    /// It accepts the provision.
    Accept,
    /// It would accept the text with this option instead.
    Caveat {
        /// The option it wants.
        option: String,
        /// Why, in a few words.
        #[serde(default)]
        note: Option<String>,
    },
    /// It rejects the provision.
    Reject {
        /// Why, in a few words.
        #[serde(default)]
        note: Option<String>,
    },
}

/// A party's answer to the whole draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Overall {
    /// It accepts the text.
    Accept,
    /// It accepts if its caveats are met.
    AcceptWithCaveats,
    /// It rejects the text.
    Reject,
}

/// A party's answer as it sends it.
#[derive(Debug, Clone, PartialEq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseInput {
    /// Answers by issue id; a provision not named is accepted.
    #[serde(default)]
    pub provisions: BTreeMap<String, ProvisionAnswer>,
    /// The answer to the whole.
    pub overall: Overall,
}

/// A party's answer to one provision of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProvisionResponse {
    /// The issue.
    pub issue: String,
    /// The answer.
    #[serde(flatten)]
    pub answer: ProvisionAnswer,
}

/// A party's checked answer to a draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Response {
    /// The draft answered.
    pub draft: u32,
    /// The party answering.
    pub party: String,
    /// One answer per provision, in the draft's order.
    pub provisions: Vec<ProvisionResponse>,
    /// The answer to the whole.
    pub overall: Overall,
}

impl Response {
    /// Checks a party's answer against the draft: every issue named
    /// exists, every caveat names another option of its issue, and the
    /// whole agrees with the parts (no "accept" over a caveat or a
    /// rejection).
    pub fn new(
        public: &ScenarioParts,
        draft: &Draft,
        party: &str,
        input: ResponseInput,
    ) -> Result<Response, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        for issue_id in input.provisions.keys() {
            if public.issue_index(issue_id).is_none() {
                problems.push(invalid(
                    format!("no issue `{issue_id}` in the room"),
                    format!("provisions.{issue_id}"),
                ));
            }
        }
        let mut provisions = Vec::with_capacity(draft.provisions.len());
        for p in &draft.provisions {
            let answer = input
                .provisions
                .get(&p.issue)
                .cloned()
                .unwrap_or(ProvisionAnswer::Accept);
            let path = format!("provisions.{}", p.issue);
            match &answer {
                ProvisionAnswer::Caveat { option, note } => {
                    let known = public
                        .issue_index(&p.issue)
                        .and_then(|i| public.issues[i].option_index(option));
                    if known.is_none() {
                        problems.push(invalid(
                            format!("issue `{}` has no option `{option}`", p.issue),
                            format!("{path}.option"),
                        ));
                    } else if *option == p.option {
                        problems.push(invalid(
                            format!("the caveat asks for `{option}`, which the draft already gives; accept the provision instead"),
                            format!("{path}.option"),
                        ));
                    }
                    if note.as_ref().is_some_and(|n| n.len() > MAX_NOTE_BYTES) {
                        problems.push(invalid("the note is too long", format!("{path}.note")));
                    }
                }
                ProvisionAnswer::Reject { note } => {
                    if note.as_ref().is_some_and(|n| n.len() > MAX_NOTE_BYTES) {
                        problems.push(invalid("the note is too long", format!("{path}.note")));
                    }
                }
                ProvisionAnswer::Accept => {}
            }
            provisions.push(ProvisionResponse {
                issue: p.issue.clone(),
                answer,
            });
        }
        let caveats = provisions
            .iter()
            .any(|p| !matches!(p.answer, ProvisionAnswer::Accept));
        if input.overall == Overall::Accept && caveats {
            problems.push(invalid(
                "the whole is accepted but a provision is not; answer accept_with_caveats or reject",
                "overall",
            ));
        }
        if problems.is_empty() {
            Ok(Response {
                draft: draft.number,
                party: party.to_string(),
                provisions,
                overall: input.overall,
            })
        } else {
            Err(problems)
        }
    }
}

/// Provision × party for one draft: each party's latest answer.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Board {
    /// The draft.
    pub draft: Draft,
    /// Each party that answered, by id: its answer per provision and to the
    /// whole.
    pub answers: BTreeMap<String, Response>,
    /// Parties that have not answered yet.
    pub waiting_for: Vec<String>,
}

impl Board {
    /// The board from every answer to the draft (later answers of a party
    /// replace its earlier ones); `parties` are those expected to answer.
    pub fn new(draft: Draft, responses: &[Response], parties: &[String]) -> Board {
        let mut answers = BTreeMap::new();
        for r in responses.iter().filter(|r| r.draft == draft.number) {
            answers.insert(r.party.clone(), r.clone());
        }
        let waiting_for = parties
            .iter()
            .filter(|p| !answers.contains_key(*p))
            .cloned()
            .collect();
        Board {
            draft,
            answers,
            waiting_for,
        }
    }
}
