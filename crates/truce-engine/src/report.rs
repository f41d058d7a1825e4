//! The analysis as JSON (the schema is documented in docs/analysis-json.md).
//! Keys named in the project's issues are a contract: keep them.

use crate::analysis::{Analysis, ConstraintRef, OfferRule, Point};
use crate::model::Scenario;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{json, Map, Value};

/// Utilities are rounded to this many decimals, percentages to two.
const DECIMALS: i32 = 6;

pub fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

pub fn outcome_json(s: &Scenario, package: &[u16]) -> Value {
    Value::Object(
        s.describe_package(package)
            .into_iter()
            .map(|(i, o)| (i.to_string(), Value::from(o)))
            .collect(),
    )
}

fn utilities_json(s: &Scenario, a: &Analysis, utilities: &[f64]) -> Value {
    Value::Object(
        a.valued
            .iter()
            .zip(utilities)
            .map(|(&p, &u)| (s.parties[p].id.clone(), Value::from(round(u, DECIMALS))))
            .collect(),
    )
}

fn point_json(s: &Scenario, a: &Analysis, p: &Point) -> Value {
    json!({
        "outcome": outcome_json(s, &p.package),
        "utilities": utilities_json(s, a, &p.utilities),
    })
}

/// "Ukraine: no de jure recognition", the way a conflict names a constraint.
pub fn constraint_description(s: &Scenario, c: ConstraintRef) -> String {
    match c {
        ConstraintRef::RedLine(r) => {
            let rl = &s.red_lines[r];
            format!("{}: {}", s.parties[rl.party].name, rl.label)
        }
        ConstraintRef::Reservation(p) => {
            let value = s.preferences[p]
                .as_ref()
                .map_or(0.0, |x| x.reservation.value);
            format!("{}: reservation value {}", s.parties[p].name, value)
        }
    }
}

pub fn constraint_json(s: &Scenario, c: ConstraintRef) -> Value {
    let description = constraint_description(s, c);
    match c {
        ConstraintRef::RedLine(r) => {
            let rl = &s.red_lines[r];
            json!({
                "kind": "red_line",
                "id": rl.id,
                "party": s.parties[rl.party].id,
                "label": rl.label,
                "rule": rl.rule,
                "description": description,
            })
        }
        ConstraintRef::Reservation(p) => json!({
            "kind": "reservation",
            "party": s.parties[p].id,
            "value": s.preferences[p].as_ref().map_or(0.0, |x| x.reservation.value),
            "description": description,
        }),
    }
}

fn red_line_json(s: &Scenario, r: usize) -> Value {
    let rl = &s.red_lines[r];
    json!({
        "id": rl.id,
        "party": s.parties[rl.party].id,
        "label": rl.label,
        "rule": rl.rule,
    })
}

fn deadline_json(s: &Scenario, d: &crate::model::Deadline) -> Value {
    use crate::model::Consequence;
    let (kind, party, reservation, description) = match &d.consequence {
        Consequence::MediatorWithdraws => ("mediator_withdraws", None, None, None),
        Consequence::ReservationChange { party, reservation } => (
            "reservation_change",
            Some(s.parties[*party].id.clone()),
            Some(reservation.value),
            None,
        ),
        Consequence::Other(text) => ("other", None, None, Some(text.clone())),
    };
    json!({
        "id": d.id,
        "label": d.label,
        "date": d.date,
        "round": d.round,
        "set_by": d.set_by.map(|p| s.parties[p].id.clone()),
        "consequence": kind,
        "party": party,
        "reservation": reservation,
        "description": description,
    })
}

/// The analysis as one JSON value (for small outputs and tests; the command
/// line streams [`AnalysisJson`] instead).
pub fn analysis_json(s: &Scenario, a: &Analysis) -> Value {
    let mut v = analysis_json_head(s, a);
    v["pareto"] = a.pareto.iter().map(|p| point_json(s, a, p)).collect();
    v
}

/// Streams the same JSON as [`analysis_json`] without building the Pareto
/// list in memory first (a frontier can hold a million packages), with
/// `timings` appended when given.
pub struct AnalysisJson<'a> {
    pub scenario: &'a Scenario,
    pub analysis: &'a Analysis,
    pub timings: Option<Value>,
}

impl Serialize for AnalysisJson<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let head = analysis_json_head(self.scenario, self.analysis);
        let mut m = ser.serialize_map(None)?;
        if let Value::Object(fields) = &head {
            for (k, v) in fields {
                if k == "pareto" {
                    m.serialize_entry(k, &ParetoJson(self.scenario, self.analysis))?;
                } else {
                    m.serialize_entry(k, v)?;
                }
            }
        }
        if let Some(t) = &self.timings {
            m.serialize_entry("timings", t)?;
        }
        m.end()
    }
}

struct ParetoJson<'a>(&'a Scenario, &'a Analysis);

impl Serialize for ParetoJson<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let (s, a) = (self.0, self.1);
        let mut seq = ser.serialize_seq(Some(a.pareto.len()))?;
        for p in &a.pareto {
            seq.serialize_element(&PointJson(s, a, p))?;
        }
        seq.end()
    }
}

struct PointJson<'a>(&'a Scenario, &'a Analysis, &'a Point);

impl Serialize for PointJson<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let (s, a, p) = (self.0, self.1, self.2);
        let mut m = ser.serialize_map(Some(2))?;
        m.serialize_entry("outcome", &OutcomeJson(s, &p.package))?;
        m.serialize_entry("utilities", &UtilitiesJson(s, a, &p.utilities))?;
        m.end()
    }
}

struct OutcomeJson<'a>(&'a Scenario, &'a [u16]);

impl Serialize for OutcomeJson<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut m = ser.serialize_map(Some(self.1.len()))?;
        for (issue, &o) in self.0.issues.iter().zip(self.1) {
            m.serialize_entry(&issue.id, &issue.options[o as usize].id)?;
        }
        m.end()
    }
}

struct UtilitiesJson<'a>(&'a Scenario, &'a Analysis, &'a [f64]);

impl Serialize for UtilitiesJson<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut m = ser.serialize_map(Some(self.2.len()))?;
        for (&p, &u) in self.1.valued.iter().zip(self.2) {
            m.serialize_entry(&self.0.parties[p].id, &round(u, DECIMALS))?;
        }
        m.end()
    }
}

fn analysis_json_head(s: &Scenario, a: &Analysis) -> Value {
    let point = |p: &Option<Point>| p.as_ref().map_or(Value::Null, |p| point_json(s, a, p));
    let parties: Vec<Value> = a
        .parties
        .iter()
        .map(|ps| {
            let party = &s.parties[ps.party];
            json!({
                "id": party.id,
                "name": party.name,
                "role": party.role.as_str(),
                "veto": party.veto,
                "reservation": ps.reservation,
                "discount": s.preferences[ps.party].as_ref().and_then(|p| p.discount.as_ref()).map(|d| d.value),
                "best_feasible": ps.best_feasible.map(|x| round(x, DECIMALS)),
                "best_own": ps.best_own.map(|x| round(x, DECIMALS)),
                "worst": round(ps.worst, DECIMALS),
            })
        })
        .collect();
    let conflicts: Vec<Value> = a
        .conflicts
        .iter()
        .map(|&mask| {
            json!({
                "constraints": a.constraints_in(mask).into_iter().map(|c| constraint_json(s, c)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let plans: Vec<Value> = a
        .plans
        .iter()
        .map(|pr| {
            let plan = &s.plans[pr.plan];
            let by_party = |f: &dyn Fn(&crate::analysis::PartyView) -> Value| -> Value {
                Value::Object(
                    pr.parties
                        .iter()
                        .map(|v| (s.parties[v.party].id.clone(), f(v)))
                        .collect::<Map<_, _>>(),
                )
            };
            json!({
                "id": plan.id,
                "name": plan.name,
                "proposed_by": plan.proposed_by.map(|p| s.parties[p].id.clone()),
                "date": plan.date,
                "outcome": outcome_json(s, &plan.package()),
                "utilities": by_party(&|v| Value::from(round(v.utility, DECIMALS))),
                "support": by_party(&|v| Value::from(round(v.support, 2))),
                "acceptable": by_party(&|v| Value::from(v.acceptable)),
                "clears_reservation": by_party(&|v| Value::from(v.clears_reservation)),
                "feasible": pr.feasible(),
                "red_lines_crossed": pr.red_lines_crossed.iter().map(|&r| red_line_json(s, r)).collect::<Vec<_>>(),
                "blocking": a.constraints_in(pr.blocking).into_iter().map(|c| constraint_json(s, c)).collect::<Vec<_>>(),
                "caveats": by_party(&|v| Value::from(v.caveats.iter().map(|c| s.issues[c.issue].id.clone()).collect::<Vec<_>>())),
                "caveat_details": by_party(&|v| Value::from(v.caveats.iter().map(|c| {
                    let issue = &s.issues[c.issue];
                    json!({
                        "issue": issue.id,
                        "from": issue.options[c.from].id,
                        "to": issue.options[c.to].id,
                        "gain": round(c.gain, DECIMALS),
                        "resolves_red_lines": c.resolves.iter().map(|&r| s.red_lines[r].id.clone()).collect::<Vec<_>>(),
                    })
                }).collect::<Vec<_>>())),
                "nearest_acceptable": pr.nearest.as_ref().map_or(Value::Null, |n| json!({
                    "outcome": outcome_json(s, &n.point.package),
                    "changes": n.changes.iter().map(|&i| s.issues[i].id.clone()).collect::<Vec<_>>(),
                    "utilities": utilities_json(s, a, &n.point.utilities),
                })),
            })
        })
        .collect();
    let best_offer = a.best_offer.as_ref().map_or(Value::Null, |o| {
        let mut v = point_json(s, a, &o.point);
        let (rule, by) = match o.rule {
            OfferRule::MediatorUtility(m) => {
                ("mediator_utility", Value::from(s.parties[m].id.clone()))
            }
            OfferRule::Nash => ("nash", Value::Null),
        };
        v["rule"] = Value::from(rule);
        v["mediator"] = by;
        v
    });
    json!({
        "scenario": { "id": s.id, "name": s.name },
        "outcomes": a.outcomes,
        "parties": parties,
        "bargaining_parties": a.bargaining.iter().map(|&p| s.parties[p].id.clone()).collect::<Vec<_>>(),
        "feasible": {
            "count": a.feasible_count,
            "exists": a.feasible_count > 0,
        },
        "conflicts": conflicts,
        "conflicts_truncated": a.conflicts_cut,
        "pareto_count": a.pareto.len(),
        "pareto": Value::Null,
        "solutions": {
            "nash": point(&a.solutions.nash),
            "kalai_smorodinsky": point(&a.solutions.kalai_smorodinsky),
            "utilitarian": point(&a.solutions.utilitarian),
            "egalitarian": point(&a.solutions.egalitarian),
        },
        "plans": plans,
        "best_offer": best_offer,
        "deadlines": s.deadlines.iter().map(|d| deadline_json(s, d)).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, AnalysisOptions};
    use crate::generate::{generate, Shape};

    #[test]
    fn the_streamed_json_is_the_built_json() {
        for seed in 0..5 {
            let s = generate(
                &Shape {
                    mediator: true,
                    plans: 2,
                    ..Default::default()
                },
                seed,
            );
            let a = analyze(&s, &AnalysisOptions::default()).unwrap();
            let streamed = serde_json::to_string(&AnalysisJson {
                scenario: &s,
                analysis: &a,
                timings: None,
            })
            .unwrap();
            let built = analysis_json(&s, &a);
            assert_eq!(serde_json::from_str::<Value>(&streamed).unwrap(), built);
            assert!(built["pareto"]
                .as_array()
                .is_some_and(|p| !p.is_empty() || a.pareto.is_empty()));
        }
    }
}
