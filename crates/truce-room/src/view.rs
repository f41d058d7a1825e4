//! What the room shows as JSON: the public part as every member sees it.
//! One serde type per shape, so every front end sends the same bytes.

use serde::Serialize;
use std::collections::BTreeMap;
use truce_engine::model::ScenarioParts;

/// A new room: its id and the tokens to hand out (shown once).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NewRoom {
    /// The room's id.
    pub room: String,
    /// The mediator's token.
    pub mediator_token: String,
    /// One token per party, by party id.
    pub tokens: BTreeMap<String, String>,
    /// The day the room closes to new drafts, if set.
    pub closes: Option<String>,
}

/// The room's public part.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RoomView {
    /// The room's id.
    pub room: String,
    /// The scenario's name.
    pub name: String,
    /// The parties: id, name and role.
    pub parties: Vec<PartyView>,
    /// The issues, with their options in order.
    pub issues: Vec<IssueView>,
    /// The plans on the table, by issue.
    pub plans: Vec<PlanView>,
    /// The deadlines.
    pub deadlines: Vec<DeadlineView>,
    /// The day the room closes to new drafts, if one is set.
    pub closes: Option<String>,
}

/// A party as the room shows it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PartyView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `mediator`, `party` or `observer`.
    pub role: String,
}

/// An issue as the room shows it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct IssueView {
    /// Its id.
    pub id: String,
    /// The question it settles.
    pub question: String,
    /// Its options' ids, in order (`deferred` last where it may be deferred).
    pub options: Vec<String>,
}

/// A plan as the room shows it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PlanView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Option id per issue id, in issue order: [issue, option] pairs.
    #[schema(value_type = Vec<Vec<String>>)]
    pub provisions: Vec<(String, String)>,
}

/// A deadline as the room shows it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DeadlineView {
    /// Its id.
    pub id: String,
    /// What it is.
    pub label: String,
    /// Its day, if it has one.
    pub date: Option<String>,
}

impl RoomView {
    /// The view of a room's public part.
    pub fn new(room: &str, public: &ScenarioParts, closes: Option<String>) -> RoomView {
        RoomView {
            room: room.to_string(),
            name: public.name.clone(),
            parties: public
                .parties
                .iter()
                .map(|p| PartyView {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    role: p.role.as_str().to_string(),
                })
                .collect(),
            issues: public
                .issues
                .iter()
                .map(|i| IssueView {
                    id: i.id.clone(),
                    question: i.question.clone(),
                    options: i.options.iter().map(|o| o.id.clone()).collect(),
                })
                .collect(),
            plans: public
                .plans
                .iter()
                .map(|p| PlanView {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    provisions: p
                        .provisions
                        .iter()
                        .zip(&public.issues)
                        .map(|(v, i)| {
                            (
                                i.id.clone(),
                                i.options
                                    .get(v.option)
                                    .map(|o| o.id.clone())
                                    .unwrap_or_default(),
                            )
                        })
                        .collect(),
                })
                .collect(),
            deadlines: public
                .deadlines
                .iter()
                .map(|d| DeadlineView {
                    id: d.id.clone(),
                    label: d.label.clone(),
                    date: d.date.map(|x| x.to_string()),
                })
                .collect(),
            closes,
        }
    }
}
