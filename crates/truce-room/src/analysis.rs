//! Analysis in the room. The mediator's: everything `truce analyze` gives,
//! over the scenario the parties' positions make (its estimates where a
//! party entered none), with each draft as a plan. A party's: over its own
//! positions only (its utility of each draft, how far that is from its
//! reservation value, which of its red lines a draft crosses, its own best
//! packages); nothing computed from another party's positions reaches it.

use crate::text::Draft;
use serde::Serialize;
use truce_engine::model::{Plan, Provision, ScenarioParts};
use truce_engine::utility::Evaluator;
use truce_engine::{Scenario, ScenarioError};

/// The largest agreement space the room analyses on a request (a larger
/// one is for `truce analyze` on a machine of its own).
pub const MAX_ROOM_PACKAGES: u64 = 20_000_000;

/// A package as (issue id, option id) pairs, in issue order.
fn named(package: &[u16], issues: &[truce_engine::model::Issue]) -> Vec<(String, String)> {
    package
        .iter()
        .zip(issues)
        .map(|(&o, i)| {
            let option = i.options.get(usize::from(o)).map(|x| x.id.clone());
            (i.id.clone(), option.unwrap_or_default())
        })
        .collect()
}

/// The id a draft takes as a plan of the analysed scenario.
pub fn draft_plan_id(number: u32) -> String {
    format!("draft-{number}")
}

/// The scenario with each draft added as a plan (`draft-N`), so that plan
/// reports (support, caveats, nearest acceptable package) cover them.
pub fn with_drafts(s: Scenario, drafts: &[Draft]) -> Result<Scenario, ScenarioError> {
    let mut parts: ScenarioParts = s.into_parts();
    for d in drafts {
        let Some(package) = d.package(&parts) else {
            continue;
        };
        parts.plans.push(Plan {
            id: draft_plan_id(d.number),
            name: format!(
                "Draft {}{}",
                d.number,
                if d.best_and_final {
                    " (best and final offer)"
                } else {
                    ""
                }
            ),
            proposed_by: None,
            date: None,
            provisions: package
                .iter()
                .map(|&o| Provision {
                    option: usize::from(o),
                    basis: None,
                })
                .collect(),
            basis: Some("a draft of the room's single negotiating text".into()),
        });
    }
    Scenario::new(parts)
}

/// Where one draft leaves one party, by its own positions.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DraftStanding {
    /// The draft.
    pub draft: u32,
    /// The party's utility of it.
    pub utility: f64,
    /// Utility minus reservation value: below zero, walking away is better.
    pub margin: f64,
    /// The party's own red lines the draft crosses, by id.
    pub crosses: Vec<String>,
}

/// One of a party's best packages, by its own positions.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OwnPackage {
    /// Option id per issue id, in issue order: [issue, option] pairs.
    #[schema(value_type = Vec<Vec<String>>)]
    pub provisions: Vec<(String, String)>,
    /// The party's utility of it.
    pub utility: f64,
}

/// A party's analysis over its own positions only.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PartyAnalysis {
    /// The party.
    pub party: String,
    /// Its reservation value.
    pub reservation: f64,
    /// Each draft, by its own positions.
    pub drafts: Vec<DraftStanding>,
    /// Its best packages that cross none of its red lines, best first.
    pub best_packages: Vec<OwnPackage>,
}

/// Why a party's analysis cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum PartyAnalysisError {
    /// The party has entered no positions.
    #[error("`{0}` has entered no positions yet")]
    NoPositions(String),
    /// The agreement space is larger than the room analyses.
    #[error("the agreement space has more than {MAX_ROOM_PACKAGES} packages; analyse it with truce analyze")]
    TooLarge,
}

/// `own` is the scenario with this party's positions only (from
/// [`crate::combine`] with no one else's); `best` how many packages to list.
pub fn party_analysis(
    own: &Scenario,
    party: &str,
    drafts: &[Draft],
    best: usize,
) -> Result<PartyAnalysis, PartyAnalysisError> {
    let index = own
        .party_index(party)
        .ok_or_else(|| PartyAnalysisError::NoPositions(party.to_string()))?;
    let reservation = own
        .preferences
        .get(index)
        .and_then(|p| p.as_ref())
        .map(|p| p.reservation.value)
        .ok_or_else(|| PartyAnalysisError::NoPositions(party.to_string()))?;
    if own
        .package_count()
        .as_u64()
        .is_none_or(|n| n > MAX_ROOM_PACKAGES)
    {
        return Err(PartyAnalysisError::TooLarge);
    }
    let ev = Evaluator::new(own);
    let k =
        ev.valued_pos[index].ok_or_else(|| PartyAnalysisError::NoPositions(party.to_string()))?;
    let own_red: Vec<(usize, &str)> = own
        .red_lines
        .iter()
        .enumerate()
        .filter(|(_, r)| r.party == index)
        .map(|(i, r)| (i, r.id.as_str()))
        .collect();
    let crossing = |crossed: u64| -> Vec<String> {
        own_red
            .iter()
            .filter(|(i, _)| crossed >> i & 1 == 1)
            .map(|(_, id)| id.to_string())
            .collect()
    };
    let standings = drafts
        .iter()
        .filter_map(|d| {
            let package = d.package(own)?;
            let e = ev.evaluate(&package);
            let utility = e.utilities[k];
            Some(DraftStanding {
                draft: d.number,
                utility,
                margin: utility - reservation,
                crosses: crossing(e.crossed),
            })
        })
        .collect();
    // The best packages: a short list kept sorted while every package is
    // seen once.
    let mut top: Vec<(f64, u64)> = Vec::with_capacity(best + 1);
    let own_mask: u64 = own_red.iter().fold(0, |m, (i, _)| m | 1 << i);
    ev.for_each_package(|n, package, utilities| {
        let u = utilities[k];
        if top.len() == best && top.last().is_some_and(|(w, _)| *w >= u) {
            return;
        }
        if own_mask != 0 && ev.evaluate(package).crossed & own_mask != 0 {
            return;
        }
        let at = top.partition_point(|(w, _)| *w >= u);
        top.insert(at, (u, n));
        top.truncate(best);
    });
    let best_packages = top
        .into_iter()
        .map(|(utility, n)| OwnPackage {
            provisions: named(&ev.space.package(n), &own.issues),
            utility,
        })
        .collect();
    Ok(PartyAnalysis {
        party: party.to_string(),
        reservation,
        drafts: standings,
        best_packages,
    })
}

/// A package every party with positions prefers to a draft (no one loses,
/// someone gains), from the Pareto frontier: what mediators' tools offer
/// after a tentative agreement.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Improvement {
    /// Option id per issue id, in issue order: [issue, option] pairs.
    #[schema(value_type = Vec<Vec<String>>)]
    pub provisions: Vec<(String, String)>,
    /// Each party's gain over the draft, by party id.
    #[schema(value_type = Object)]
    pub gains: std::collections::BTreeMap<String, f64>,
}

/// The draft's improvements, at most `limit`, largest total gain first.
/// Only packages on the frontier that cross no binding red line count;
/// gains under 1e-9 are ties, not gains.
pub fn improvements(
    s: &Scenario,
    a: &truce_engine::analysis::Analysis,
    draft: &Draft,
    limit: usize,
) -> Vec<Improvement> {
    let Some(package) = draft.package(s) else {
        return Vec::new();
    };
    let ev = Evaluator::new(s);
    let base = ev.evaluate(&package).utilities;
    let mut found: Vec<(f64, &truce_engine::analysis::Point)> = a
        .pareto
        .iter()
        .filter_map(|p| {
            let gains: Vec<f64> = p.utilities.iter().zip(&base).map(|(u, b)| u - b).collect();
            let no_loss = gains.iter().all(|g| *g >= -1e-9);
            let some_gain = gains.iter().any(|g| *g > 1e-9);
            (no_loss && some_gain).then(|| (gains.iter().sum::<f64>(), p))
        })
        .collect();
    found.sort_by(|x, y| y.0.total_cmp(&x.0));
    found
        .into_iter()
        .take(limit)
        .map(|(_, p)| Improvement {
            provisions: named(&p.package, &s.issues),
            gains: a
                .valued
                .iter()
                .zip(p.utilities.iter().zip(&base))
                .map(|(&k, (u, b))| (s.parties[k].id.clone(), u - b))
                .collect(),
        })
        .collect()
}
