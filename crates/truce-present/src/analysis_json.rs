//! The analysis as JSON: the contract of `truce analyze --format json`
//! (docs/analysis-json.md) and of `truce explain --format json`, one serde
//! type per shape. Keys named in the project's issues are a contract: keep
//! them. The Pareto list is streamed, never built (a frontier can hold a
//! million packages).

use crate::Pairs;
use indexmap::IndexMap;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use truce_engine::analysis::{
    nonbinding_crossed, Analysis, ConstraintRef, OfferRule, PartyView, PlanReport, Point,
};
use truce_engine::model::{Consequence, Deadline};
use truce_engine::{Date, Scenario};

/// Utilities are rounded to this many decimals, percentages to two.
pub const DECIMALS: i32 = 6;

/// `x` rounded to `decimals` places, as the JSON reports print it.
pub fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// "Ukraine: no de jure recognition", the way a conflict names a constraint.
pub fn constraint_description(s: &Scenario, c: ConstraintRef) -> String {
    match c {
        ConstraintRef::RedLine(r) => {
            let rl = &s.red_lines[r];
            format!("{}: {}", s.parties[rl.party].name, rl.label)
        }
        ConstraintRef::Reservation(p) => {
            format!(
                "{}: reservation value {}",
                s.parties[p].name,
                reservation_of(s, p)
            )
        }
    }
}

fn reservation_of(s: &Scenario, p: usize) -> f64 {
    s.preferences[p]
        .as_ref()
        .map_or(0.0, |x| x.reservation.value)
}

/// Timings of `analyze --timings`, under `"timings"`.
#[derive(Debug, Clone, Serialize)]
pub struct Timings {
    /// Time to read and validate the scenario.
    pub parse_ms: f64,
    /// Time to analyse it.
    pub analysis_ms: f64,
    /// Worker threads used.
    pub threads: usize,
    /// Each step of the analysis and its time: `enumeration`, `frontier`,
    /// `solutions`, `plans`.
    pub steps: IndexMap<&'static str, f64>,
}

/// The whole analysis (`truce analyze --format json`).
#[derive(Serialize)]
pub struct AnalysisJson<'a> {
    scenario: ScenarioName<'a>,
    outcomes: u64,
    parties: Vec<PartyJson<'a>>,
    bargaining_parties: Vec<&'a str>,
    feasible: Feasible,
    conflicts: Vec<ConflictJson<'a>>,
    conflicts_truncated: bool,
    frontier_method: &'static str,
    /// Packages on the frontier, ties included (null when not built).
    pareto_count: Option<u128>,
    pareto_vectors: usize,
    /// When the frontier was not built for its size: the vectors of the
    /// partial frontier (some groups of issues merged) that passed the limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    partial_frontier_vectors: Option<u64>,
    /// When `pareto` is an ε-frontier: how far (for every bargaining
    /// party) any Pareto-optimal feasible package may be from a listed one.
    #[serde(skip_serializing_if = "Option::is_none")]
    epsilon: Option<f64>,
    pareto: ParetoJson<'a>,
    solutions: SolutionsJson<'a>,
    plans: Vec<PlanJson<'a>>,
    best_offer: Option<BestOfferJson<'a>>,
    deadlines: Vec<DeadlineJson<'a>>,
    /// With `--forecast MODEL`: the package the model forecasts.
    #[serde(skip_serializing_if = "Option::is_none")]
    forecast: Option<crate::forecast::AnalysisForecastJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timings: Option<Timings>,
}

impl<'a> AnalysisJson<'a> {
    /// Lists every package of the frontier (`--all-ties`), not one per
    /// utility vector.
    pub fn all_ties(mut self, all: bool) -> Self {
        self.pareto.all_ties = all;
        self
    }

    /// Adds the package a forecasting model forecasts (`--forecast`).
    pub fn forecast(mut self, f: Option<crate::forecast::AnalysisForecastJson>) -> Self {
        self.forecast = f;
        self
    }

    /// The report of `a` on `s`, with `timings` appended when given.
    pub fn new(s: &'a Scenario, a: &'a Analysis, timings: Option<Timings>) -> Self {
        let point = |p: &'a Option<Point>| p.as_ref().map(|p| SolutionJson::new(s, a, p));
        let groups = a.pareto_vectors();
        AnalysisJson {
            scenario: ScenarioName {
                id: s.id.as_deref(),
                name: &s.name,
            },
            outcomes: a.outcomes,
            parties: a
                .parties
                .iter()
                .map(|ps| {
                    let party = &s.parties[ps.party];
                    PartyJson {
                        id: &party.id,
                        name: &party.name,
                        role: party.role.as_str(),
                        veto: party.veto,
                        consent_issues: party
                            .consent
                            .iter()
                            .filter_map(|&i| s.issues.get(i).map(|x| x.id.as_str()))
                            .collect(),
                        reservation: ps.reservation,
                        discount: s.preferences[ps.party]
                            .as_ref()
                            .and_then(|p| p.discount.as_ref())
                            .map(|d| d.value),
                        best_feasible: ps.best_feasible.map(|x| round(x, DECIMALS)),
                        best_own: ps.best_own.map(|x| round(x, DECIMALS)),
                        worst: round(ps.worst, DECIMALS),
                    }
                })
                .collect(),
            bargaining_parties: party_ids(s, &a.bargaining),
            feasible: Feasible {
                count: a.feasible_count,
                exists: a.feasible_count > 0,
                exact: a.feasible_estimate.is_none(),
                estimate: a.feasible_estimate.map(|e| EstimateJson {
                    sampled: e.sampled,
                    feasible_in_sample: e.hits,
                    interval_95: [e.low, e.high],
                    count_node_limit: e.count_limit,
                }),
            },
            conflicts: a
                .conflicts
                .iter()
                .map(|&mask| ConflictJson {
                    constraints: constraints(s, a, mask),
                })
                .collect(),
            conflicts_truncated: a.conflicts_cut,
            frontier_method: a.frontier_method.as_str(),
            pareto_count: (a.frontier_method
                != truce_engine::analysis::FrontierMethod::NotComputed
                && a.frontier_epsilon.is_none())
            .then(|| a.pareto_count()),
            epsilon: a.frontier_epsilon.map(|x| x.0),
            pareto_vectors: groups.len(),
            partial_frontier_vectors: a.frontier_too_large,
            pareto: ParetoJson {
                s,
                a,
                groups,
                all_ties: false,
            },
            solutions: SolutionsJson {
                nash: point(&a.solutions.nash),
                kalai_smorodinsky: point(&a.solutions.kalai_smorodinsky),
                utilitarian: point(&a.solutions.utilitarian),
                egalitarian: point(&a.solutions.egalitarian),
            },
            plans: a.plans.iter().map(|pr| PlanJson::new(s, a, pr)).collect(),
            best_offer: a.best_offer.as_ref().map(|o| {
                let (rule, mediator) = match o.rule {
                    OfferRule::MediatorUtility(m) => ("mediator_utility", Some(&*s.parties[m].id)),
                    OfferRule::Nash => ("nash", None),
                };
                BestOfferJson {
                    point: SolutionJson::new(s, a, &o.point),
                    rule,
                    mediator,
                }
            }),
            deadlines: s
                .deadlines
                .iter()
                .map(|d| DeadlineJson::new(s, d))
                .collect(),
            forecast: None,
            timings,
        }
    }
}

fn party_ids<'a>(s: &'a Scenario, parties: &[usize]) -> Vec<&'a str> {
    parties.iter().map(|&p| s.parties[p].id.as_str()).collect()
}

fn constraints<'a>(s: &'a Scenario, a: &Analysis, mask: u64) -> Vec<ConstraintJson<'a>> {
    a.constraints_in(mask)
        .into_iter()
        .map(|c| ConstraintJson::new(s, c))
        .collect()
}

#[derive(Serialize)]
struct ScenarioName<'a> {
    id: Option<&'a str>,
    name: &'a str,
}

#[derive(Serialize)]
struct PartyJson<'a> {
    id: &'a str,
    name: &'a str,
    role: &'static str,
    veto: bool,
    /// Issues its consent is needed on (an issue-limited veto).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    consent_issues: Vec<&'a str>,
    reservation: f64,
    discount: Option<f64>,
    best_feasible: Option<f64>,
    best_own: Option<f64>,
    worst: f64,
}

#[derive(Serialize)]
struct Feasible {
    count: u64,
    exists: bool,
    /// False when `count` is a sample's estimate.
    exact: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    estimate: Option<EstimateJson>,
}

#[derive(Serialize)]
struct EstimateJson {
    sampled: u64,
    feasible_in_sample: u64,
    interval_95: [u64; 2],
    count_node_limit: u64,
}

#[derive(Serialize)]
struct ConflictJson<'a> {
    constraints: Vec<ConstraintJson<'a>>,
}

/// A red line or a reservation value, as conflicts and blocking lists name it.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum ConstraintJson<'a> {
    RedLine {
        id: &'a str,
        party: &'a str,
        label: &'a str,
        rule: &'a str,
        description: String,
    },
    Reservation {
        party: &'a str,
        value: f64,
        description: String,
    },
}

impl<'a> ConstraintJson<'a> {
    fn new(s: &'a Scenario, c: ConstraintRef) -> Self {
        let description = constraint_description(s, c);
        match c {
            ConstraintRef::RedLine(r) => {
                let rl = &s.red_lines[r];
                ConstraintJson::RedLine {
                    id: &rl.id,
                    party: &s.parties[rl.party].id,
                    label: &rl.label,
                    rule: &rl.rule,
                    description,
                }
            }
            ConstraintRef::Reservation(p) => ConstraintJson::Reservation {
                party: &s.parties[p].id,
                value: reservation_of(s, p),
                description,
            },
        }
    }
}

#[derive(Serialize)]
struct RedLineJson<'a> {
    id: &'a str,
    party: &'a str,
    label: &'a str,
    rule: &'a str,
}

/// A package as `{issue: option}`.
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

/// Utilities as `{party: utility}`, over the valued parties.
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

#[derive(Serialize)]
struct PointJson<'a> {
    outcome: OutcomeJson<'a>,
    utilities: UtilitiesJson<'a>,
}

impl<'a> PointJson<'a> {
    fn new(s: &'a Scenario, a: &'a Analysis, p: &'a Point) -> Self {
        PointJson {
            outcome: OutcomeJson(s, &p.package),
            utilities: UtilitiesJson(s, a, &p.utilities),
        }
    }
}

/// The frontier as listed: by default one package per utility vector
/// (the first, by package number) with how many packages share it; with
/// `all_ties`, every package, each with its vector's count.
struct ParetoJson<'a> {
    s: &'a Scenario,
    a: &'a Analysis,
    groups: Vec<Vec<usize>>,
    all_ties: bool,
}

#[derive(Serialize)]
struct FrontierPointJson<'a> {
    #[serde(flatten)]
    point: PointJson<'a>,
    /// Packages of the frontier with these utilities (this one included).
    ties: u128,
}

impl Serialize for ParetoJson<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let (s, a) = (self.s, self.a);
        // A frontier built group by group lists one package per vector.
        let all_ties = self.all_ties && a.pareto_ties.is_empty();
        let listed = if all_ties {
            a.pareto.len()
        } else {
            self.groups.len()
        };
        let mut seq = ser.serialize_seq(Some(listed))?;
        if all_ties {
            let mut ties = vec![1; a.pareto.len()];
            for g in &self.groups {
                for &i in g {
                    ties[i] = a.ties_of(g);
                }
            }
            for (p, &n) in a.pareto.iter().zip(&ties) {
                seq.serialize_element(&FrontierPointJson {
                    point: PointJson::new(s, a, p),
                    ties: n,
                })?;
            }
        } else {
            for g in &self.groups {
                seq.serialize_element(&FrontierPointJson {
                    point: PointJson::new(s, a, &a.pareto[g[0]]),
                    ties: a.ties_of(g),
                })?;
            }
        }
        seq.end()
    }
}

/// A solution: its point, and the red lines it crosses of parties without
/// a veto (which bind no one, so a solution may cross them).
#[derive(Serialize)]
struct SolutionJson<'a> {
    #[serde(flatten)]
    point: PointJson<'a>,
    nonbinding_red_lines_crossed: Vec<&'a str>,
}

impl<'a> SolutionJson<'a> {
    fn new(s: &'a Scenario, a: &'a Analysis, p: &'a Point) -> Self {
        SolutionJson {
            point: PointJson::new(s, a, p),
            nonbinding_red_lines_crossed: nonbinding_crossed(s, &p.package)
                .into_iter()
                .map(|r| s.red_lines[r].id.as_str())
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct SolutionsJson<'a> {
    nash: Option<SolutionJson<'a>>,
    kalai_smorodinsky: Option<SolutionJson<'a>>,
    utilitarian: Option<SolutionJson<'a>>,
    egalitarian: Option<SolutionJson<'a>>,
}

#[derive(Serialize)]
struct BestOfferJson<'a> {
    #[serde(flatten)]
    point: SolutionJson<'a>,
    rule: &'static str,
    mediator: Option<&'a str>,
}

#[derive(Serialize)]
struct CaveatJson<'a> {
    issue: &'a str,
    from: &'a str,
    to: &'a str,
    gain: f64,
    resolves_red_lines: Vec<&'a str>,
    /// The party's linkages the change makes hold or stop holding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    linkages: Vec<&'a str>,
}

#[derive(Serialize)]
struct NearestJson<'a> {
    outcome: OutcomeJson<'a>,
    changes: Vec<&'a str>,
    utilities: UtilitiesJson<'a>,
}

/// One plan's report: `plans[i]` of the analysis, and all that
/// `truce explain --format json` prints.
#[derive(Serialize)]
pub struct PlanJson<'a> {
    id: &'a str,
    name: &'a str,
    proposed_by: Option<&'a str>,
    date: Option<Date>,
    outcome: OutcomeOwned<'a>,
    utilities: Pairs<&'a str, f64>,
    support: Pairs<&'a str, f64>,
    acceptable: Pairs<&'a str, bool>,
    clears_reservation: Pairs<&'a str, bool>,
    feasible: bool,
    red_lines_crossed: Vec<RedLineJson<'a>>,
    blocking: Vec<ConstraintJson<'a>>,
    caveats: Pairs<&'a str, Vec<&'a str>>,
    caveat_details: Pairs<&'a str, Vec<CaveatJson<'a>>>,
    nearest_acceptable: Option<NearestJson<'a>>,
}

/// A plan's package, which the plan holds as provisions rather than options.
struct OutcomeOwned<'a>(&'a Scenario, Vec<u16>);

impl Serialize for OutcomeOwned<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        OutcomeJson(self.0, &self.1).serialize(ser)
    }
}

impl<'a> PlanJson<'a> {
    /// The report on one plan.
    pub fn new(s: &'a Scenario, a: &'a Analysis, pr: &'a PlanReport) -> Self {
        let plan = &s.plans[pr.plan];
        fn by_party<'a, T>(
            s: &'a Scenario,
            pr: &'a PlanReport,
            f: impl Fn(&'a PartyView) -> T,
        ) -> Pairs<&'a str, T> {
            Pairs(
                pr.parties
                    .iter()
                    .map(|v| (s.parties[v.party].id.as_str(), f(v)))
                    .collect(),
            )
        }
        PlanJson {
            id: &plan.id,
            name: &plan.name,
            proposed_by: plan.proposed_by.map(|p| s.parties[p].id.as_str()),
            date: plan.date,
            outcome: OutcomeOwned(s, plan.package()),
            utilities: by_party(s, pr, |v| round(v.utility, DECIMALS)),
            support: by_party(s, pr, |v| round(v.support, 2)),
            acceptable: by_party(s, pr, |v| v.acceptable),
            clears_reservation: by_party(s, pr, |v| v.clears_reservation),
            feasible: pr.feasible(),
            red_lines_crossed: pr
                .red_lines_crossed
                .iter()
                .map(|&r| {
                    let rl = &s.red_lines[r];
                    RedLineJson {
                        id: &rl.id,
                        party: &s.parties[rl.party].id,
                        label: &rl.label,
                        rule: &rl.rule,
                    }
                })
                .collect(),
            blocking: constraints(s, a, pr.blocking),
            caveats: by_party(s, pr, |v| {
                v.caveats
                    .iter()
                    .map(|c| s.issues[c.issue].id.as_str())
                    .collect()
            }),
            caveat_details: by_party(s, pr, |v| {
                v.caveats
                    .iter()
                    .map(|c| {
                        let issue = &s.issues[c.issue];
                        CaveatJson {
                            issue: &issue.id,
                            from: &issue.options[c.from].id,
                            to: &issue.options[c.to].id,
                            gain: round(c.gain, DECIMALS),
                            resolves_red_lines: c
                                .resolves
                                .iter()
                                .map(|&r| s.red_lines[r].id.as_str())
                                .collect(),
                            linkages: c
                                .linkages
                                .iter()
                                .map(|&l| s.linkages[l].id.as_str())
                                .collect(),
                        }
                    })
                    .collect()
            }),
            nearest_acceptable: pr.nearest.as_ref().map(|n| NearestJson {
                outcome: OutcomeJson(s, &n.point.package),
                changes: n.changes.iter().map(|&i| s.issues[i].id.as_str()).collect(),
                utilities: UtilitiesJson(s, a, &n.point.utilities),
            }),
        }
    }
}

#[derive(Serialize)]
struct DeadlineJson<'a> {
    id: &'a str,
    label: &'a str,
    date: Option<Date>,
    round: Option<u32>,
    set_by: Option<&'a str>,
    consequence: &'static str,
    party: Option<&'a str>,
    reservation: Option<f64>,
    description: Option<&'a str>,
}

impl<'a> DeadlineJson<'a> {
    fn new(s: &'a Scenario, d: &'a Deadline) -> Self {
        let (consequence, party, reservation, description) = match &d.consequence {
            Consequence::MediatorWithdraws => ("mediator_withdraws", None, None, None),
            Consequence::ReservationChange { party, reservation } => (
                "reservation_change",
                Some(s.parties[*party].id.as_str()),
                Some(reservation.value),
                None,
            ),
            Consequence::Other(text) => ("other", None, None, Some(text.as_str())),
        };
        DeadlineJson {
            id: &d.id,
            label: &d.label,
            date: d.date,
            round: d.round,
            set_by: d.set_by.map(|p| s.parties[p].id.as_str()),
            consequence,
            party,
            reservation,
            description,
        }
    }
}
