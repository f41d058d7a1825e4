//! Negotiation analysis: one streaming pass over the agreement space finds
//! the feasible set, its Pareto frontier, each party's best and worst
//! packages, the nearest acceptable package to every plan and the mediator's
//! best offer; the bargaining solutions, plan reports and conflicts follow
//! from those.
//!
//! Definitions (docs/analysis.md gives them in full):
//! - *bargaining parties* are the parties with a veto; the agreement needs
//!   each of them, so their red lines and reservation values are the
//!   *binding constraints*, and the frontier and solutions are over their
//!   utilities;
//! - a package is *feasible* when it breaks no binding constraint;
//! - ties are broken by the lowest package number (file order of options),
//!   so every answer is the same whatever the number of threads.

pub mod conflicts;
pub mod density;
mod exact;
pub mod frontier;
pub mod grouped;
mod merge;
mod plans;
pub mod search;

use crate::model::Scenario;
use crate::space::Space;
use crate::utility::{Evaluator, RulePlace};
use frontier::Frontier;
use rayon::prelude::*;
use std::collections::HashSet;

pub use plans::{Caveat, Nearest, PartyView, PlanReport};

/// Spaces smaller than this are enumerated on the calling thread.
const SEQUENTIAL_BELOW: u64 = 1 << 17;

#[derive(Debug, Clone)]
/// How an analysis runs: its limits and speed settings.
pub struct AnalysisOptions {
    /// Refuse to enumerate larger agreement spaces.
    pub max_outcomes: u64,
    /// Report at most this many conflicts.
    pub conflict_limit: usize,
    /// Packages of the trailing issues tabulated once (a speed setting; see
    /// `utility::Evaluator`).
    pub suffix_table_max: u64,
    /// How to find the optima.
    pub method: Method,
    /// The exact search gives up after visiting this many nodes.
    pub search_node_limit: u64,
    /// Counting the feasible set by search stops after this many nodes,
    /// and the count is estimated from a sample instead.
    pub count_node_limit: u64,
    /// On spaces searched rather than enumerated, the frontier is built
    /// group by group up to this many utility vectors (a quarter of it
    /// for more than two bargaining parties); past it, only its size (at
    /// least) is reported.
    pub frontier_vector_limit: usize,
    /// On spaces searched rather than enumerated, build an ε-frontier on a
    /// grid of this step instead of the exact frontier.
    pub frontier_epsilon: Option<f64>,
}

/// How the analysis finds its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// Enumerate spaces up to `max_outcomes` packages, search larger ones.
    #[default]
    Auto,
    /// Enumerate every package (refuse spaces over `max_outcomes`).
    Enumerate,
    /// Exact branch-and-bound search for every answer.
    Search,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            max_outcomes: 2_000_000_000,
            conflict_limit: 20,
            suffix_table_max: crate::utility::SUFFIX_TABLE_MAX,
            method: Method::Auto,
            search_node_limit: 200_000_000,
            count_node_limit: 2_000_000,
            frontier_vector_limit: 1_000_000,
            frontier_epsilon: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
/// Why an analysis cannot be run.
pub enum AnalysisError {
    #[error("the agreement space has {outcomes} packages, more than the limit of {limit} that truce enumerates")]
    /// The agreement space is larger than `limit` packages.
    TooLarge {
        /// Packages in the space.
        outcomes: crate::model::PackageCount,
        /// The most the caller allows.
        limit: u64,
    },
    #[error(transparent)]
    /// The exact search did not finish.
    Search(#[from] search::SearchError),
}

/// A binding or non-binding constraint, by its bit in violation masks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintRef {
    /// Red line (scenario index).
    RedLine(usize),
    /// Reservation value of a party (scenario index).
    Reservation(usize),
}

/// One package with every valued party's utility.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The package's number in the agreement space.
    pub index: u64,
    /// One option per issue.
    pub package: Vec<u16>,
    /// Per valued party, aligned with [`Analysis::valued`].
    pub utilities: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
/// What one valued party can expect, over the agreement space.
pub struct PartySummary {
    /// The party (scenario index).
    pub party: usize,
    /// Its reservation value: the utility of no agreement.
    pub reservation: f64,
    /// Best utility over the feasible set.
    pub best_feasible: Option<f64>,
    /// Best utility over packages that cross none of its own red lines.
    pub best_own: Option<f64>,
    /// Worst utility over the whole agreement space.
    pub worst: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
/// The bargaining solutions over the feasible set (none when it is empty).
pub struct Solutions {
    /// The Nash bargaining solution: the largest product of gains over the reservation values.
    pub nash: Option<Point>,
    /// The Kalai–Smorodinsky solution: equal shares of each party's best possible gain.
    pub kalai_smorodinsky: Option<Point>,
    /// The utilitarian solution: the largest sum of utilities.
    pub utilitarian: Option<Point>,
    /// The egalitarian solution: the largest smallest gain.
    pub egalitarian: Option<Point>,
}

#[derive(Debug, Clone, PartialEq)]
/// How the best and final offer was chosen.
pub enum OfferRule {
    /// The mediator (scenario index) maximises its own utility.
    MediatorUtility(usize),
    /// The mediator has no preferences of its own: the Nash point.
    Nash,
}

#[derive(Debug, Clone, PartialEq)]
/// The mediator's best and final offer.
pub struct BestOffer {
    /// The package and its utilities.
    pub point: Point,
    /// How it was chosen.
    pub rule: OfferRule,
}

#[derive(Debug, Clone, PartialEq)]
/// Everything the analysis answers about a scenario.
pub struct Analysis {
    /// Packages in the agreement space.
    pub outcomes: u64,
    /// Parties with preferences (scenario indices).
    pub valued: Vec<usize>,
    /// Parties with a veto (scenario indices); each is also valued.
    pub bargaining: Vec<usize>,
    /// Constraint of each mask bit.
    pub constraints: Vec<ConstraintRef>,
    /// Mask of the binding constraints.
    pub binding: u64,
    /// Packages that break no binding constraint (estimated when
    /// `feasible_estimate` says so; at least 1 when any exists).
    pub feasible_count: u64,
    /// Set when the feasible count is a sample's estimate, not a count.
    pub feasible_estimate: Option<FeasibleEstimate>,
    /// Minimal conflicts, as masks over `constraints`; only when nothing is feasible.
    pub conflicts: Vec<u64>,
    /// The conflict list was cut at the limit.
    pub conflicts_cut: bool,
    /// The Pareto frontier of the feasible set, by package number.
    pub pareto: Vec<Point>,
    /// Empty when `pareto` lists every frontier package; else, per entry of
    /// `pareto`, how many packages share its utilities (the frontier was
    /// built group by group, keeping one package per utility vector).
    pub pareto_ties: Vec<u128>,
    /// The frontier was not built because a partial frontier (some groups
    /// of issues merged) had this many utility vectors, more than
    /// `frontier_vector_limit`.
    pub frontier_too_large: Option<u64>,
    /// When `pareto` is an ε-frontier: ε and the number of groups merged;
    /// every Pareto-optimal feasible package is then within ε of a listed
    /// one for every bargaining party, and `pareto_ties` counts the
    /// packages each listed one stands for.
    pub frontier_epsilon: Option<(f64, usize)>,
    /// The bargaining solutions.
    pub solutions: Solutions,
    /// Per valued party.
    pub parties: Vec<PartySummary>,
    /// One report per plan, in file order.
    pub plans: Vec<PlanReport>,
    /// The mediator's best and final offer, if any package qualifies.
    pub best_offer: Option<BestOffer>,
    /// How the frontier was found.
    pub frontier_method: FrontierMethod,
}

/// The feasible count estimated from a uniform sample of packages, when
/// counting exactly would take too long.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FeasibleEstimate {
    /// Packages drawn (fixed seed).
    pub sampled: u64,
    /// How many of them were feasible.
    pub hits: u64,
    /// The estimate: the space's size times the share of hits (at least 1).
    pub point: u64,
    /// The 95% Wilson interval of the count.
    pub low: u64,
    /// Upper end of the interval.
    pub high: u64,
    /// The counting search stopped after this many nodes.
    pub count_limit: u64,
}

impl FeasibleEstimate {
    /// The estimate for a space of `size` packages from `hits` of `sampled`.
    /// A feasible package is known to exist, so the count is at least 1.
    pub fn new(size: u64, sampled: u64, hits: u64, count_limit: u64) -> Self {
        let n = size as f64;
        let m = sampled.max(1) as f64;
        let p = hits as f64 / m;
        let z = 1.96f64;
        let denom = 1.0 + z * z / m;
        let center = (p + z * z / (2.0 * m)) / denom;
        let half = z * (p * (1.0 - p) / m + z * z / (4.0 * m * m)).sqrt() / denom;
        let clamp = |x: f64| (x.max(1.0).min(n)) as u64;
        FeasibleEstimate {
            sampled,
            hits,
            point: clamp((n * p).round()),
            low: clamp((n * (center - half)).floor()),
            high: clamp((n * (center + half)).ceil()),
            count_limit,
        }
    }
}

/// How the analysis found the Pareto frontier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontierMethod {
    /// Every package filtered as the space is enumerated (binding red
    /// lines or linkages make utility or feasibility non-additive).
    Enumerated,
    /// Built issue by issue from each issue's own frontier (additive
    /// utilities, no binding red line), then cut at the reservation values.
    MergedByIssue,
    /// Built group by group on a space too large to enumerate: issues
    /// joined by a binding red line or a linkage form one group, each
    /// group's combinations within its red lines merged like issues; one
    /// package per utility vector, with the number tied on it.
    MergedByGroup,
    /// Not computed: the optima were found by exact search, and the
    /// frontier is too large to build (or a group of issues joined by red
    /// lines and linkages has too many combinations to list).
    NotComputed,
}

impl FrontierMethod {
    /// As reports name it.
    pub fn as_str(self) -> &'static str {
        match self {
            FrontierMethod::Enumerated => "enumerated",
            FrontierMethod::MergedByIssue => "merged_by_issue",
            FrontierMethod::MergedByGroup => "merged_by_group",
            FrontierMethod::NotComputed => "not_computed",
        }
    }
}

/// How long one step of an analysis took.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepTime {
    /// The step: `enumeration`, `frontier`, `solutions`, `plans`; with the
    /// exact search, one `search: …` step per question.
    pub step: &'static str,
    /// Its wall-clock time in milliseconds.
    pub ms: f64,
}

impl Analysis {
    /// Packages on the frontier (counting every tied package).
    pub fn pareto_count(&self) -> u128 {
        if self.pareto_ties.is_empty() {
            self.pareto.len() as u128
        } else {
            self.pareto_ties
                .iter()
                .fold(0u128, |a, &b| a.saturating_add(b))
        }
    }

    /// Packages a group of `pareto` entries stands for (ties included).
    pub fn ties_of(&self, group: &[usize]) -> u128 {
        group
            .iter()
            .map(|&i| self.pareto_ties.get(i).copied().unwrap_or(1))
            .fold(0u128, u128::saturating_add)
    }

    /// Position of a scenario party among the valued parties.
    pub fn valued_pos(&self, party: usize) -> Option<usize> {
        self.valued.iter().position(|&p| p == party)
    }
    /// The frontier's packages grouped by their bargaining parties'
    /// utilities (equal within [`frontier::UTILITY_EPS`]): indices into
    /// `pareto`, each group in package order, groups by their first
    /// package. Ties are common (options a party values alike) and a
    /// listing needs one package per group.
    pub fn pareto_vectors(&self) -> Vec<Vec<usize>> {
        let pos: Vec<usize> = self
            .bargaining
            .iter()
            .filter_map(|&p| self.valued_pos(p))
            .collect();
        let key =
            |i: usize| -> Vec<f64> { pos.iter().map(|&k| self.pareto[i].utilities[k]).collect() };
        let mut order: Vec<usize> = (0..self.pareto.len()).collect();
        let keys: Vec<Vec<f64>> = order.iter().map(|&i| key(i)).collect();
        order.sort_by(|&a, &b| {
            keys[a]
                .iter()
                .zip(&keys[b])
                .map(|(x, y)| x.total_cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.cmp(&b))
        });
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for i in order {
            match groups.last_mut() {
                Some(g) if frontier::same(&keys[g[0]], &keys[i]) => g.push(i),
                _ => groups.push(vec![i]),
            }
        }
        for g in &mut groups {
            g.sort_unstable();
        }
        groups.sort_unstable_by_key(|g| g[0]);
        groups
    }

    /// The constraints of a mask, in bit order.
    pub fn constraints_in(&self, mask: u64) -> Vec<ConstraintRef> {
        (0..self.constraints.len())
            .filter(|&b| mask >> b & 1 == 1)
            .map(|b| self.constraints[b])
            .collect()
    }
}

/// What every way of analysing needs, computed once.
struct Context<'a> {
    ev: &'a Evaluator,
    /// Valued positions of bargaining parties, and their reservation values.
    bargain_pos: Vec<usize>,
    bargain_res: Vec<f64>,
    red_count: usize,
    /// Mask of the binding constraints (red lines, then reservation values).
    binding: u64,
    /// Per valued party: mask of its own red lines.
    own_red: Vec<u64>,
    /// Mediator's valued position, reservation and own red lines.
    mediator: Option<(usize, f64, u64)>,
    plans: Vec<Vec<u16>>,
}

impl Context<'_> {
    /// Feasibility as a search asks it: the binding red lines (a mask over
    /// red lines) and the bargaining parties' reservation values as floors.
    fn feasibility(&self) -> (u64, Vec<search::Floor>) {
        let floors = self
            .bargain_pos
            .iter()
            .zip(&self.bargain_res)
            .map(|(&k, &r)| search::Floor::at_least(k, r))
            .collect();
        (self.binding & exact::red_mask(self.red_count), floors)
    }
}

/// What the enumeration needs, computed once.
struct Pass<'a> {
    ev: &'a Evaluator,
    cx: &'a Context<'a>,
    prefix: Space,
    suffix_packages: Vec<u16>,
    suffix_width: usize,
    /// `suffix_dist[plan][s]`: provisions of the suffix issues that differ.
    suffix_dist: Vec<Vec<u16>>,
    mixed: bool,
    /// Whether the pass builds the frontier (else it is merged issue by issue).
    track_frontier: bool,
    /// Suffix packages by decreasing sum of the bargaining parties' suffix
    /// utilities: within one prefix, a package can then only be dominated
    /// by one visited earlier (without linkages), so the block's own
    /// frontier rarely evicts and most packages never reach the global one.
    suffix_order: Vec<u32>,
}

/// Running results of one block of packages.
struct Acc {
    feasible: u64,
    frontier: Frontier,
    best_feasible: Vec<f64>,
    best_own: Vec<f64>,
    worst: Vec<f64>,
    /// Per plan: (changes, Nash product, package number).
    nearest: Vec<(u32, f64, u64)>,
    /// (mediator utility, Nash product, package number).
    offer: (f64, f64, u64),
    masks: HashSet<u64>,
}

#[inline]
fn better_nearest(a: (u32, f64, u64), b: (u32, f64, u64)) -> bool {
    a.0 < b.0 || (a.0 == b.0 && (a.1 > b.1 || (a.1 == b.1 && a.2 < b.2)))
}

#[inline]
fn better_offer(a: (f64, f64, u64), b: (f64, f64, u64)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && (a.1 > b.1 || (a.1 == b.1 && a.2 < b.2)))
}

impl Acc {
    fn new(pass: &Pass) -> Self {
        let v = pass.ev.valued.len();
        Acc {
            feasible: 0,
            frontier: Frontier::new(pass.cx.bargain_pos.len()),
            best_feasible: vec![f64::NEG_INFINITY; v],
            best_own: vec![f64::NEG_INFINITY; v],
            worst: vec![f64::INFINITY; v],
            nearest: vec![(u32::MAX, f64::NEG_INFINITY, u64::MAX); pass.cx.plans.len()],
            offer: (f64::NEG_INFINITY, f64::NEG_INFINITY, u64::MAX),
            masks: HashSet::new(),
        }
    }

    fn merge(mut self, other: Acc) -> Acc {
        self.feasible += other.feasible;
        self.frontier.append(other.frontier);
        for (a, b) in self.best_feasible.iter_mut().zip(other.best_feasible) {
            *a = a.max(b);
        }
        for (a, b) in self.best_own.iter_mut().zip(other.best_own) {
            *a = a.max(b);
        }
        for (a, b) in self.worst.iter_mut().zip(other.worst) {
            *a = a.min(b);
        }
        for (a, b) in self.nearest.iter_mut().zip(other.nearest) {
            if better_nearest(b, *a) {
                *a = b;
            }
        }
        if better_offer(other.offer, self.offer) {
            self.offer = other.offer;
        }
        if self.feasible > 0 {
            self.masks.clear();
        } else {
            self.masks.extend(other.masks);
        }
        self
    }
}

impl Pass<'_> {
    fn run(&self, prefixes: std::ops::Range<u64>) -> Acc {
        let ev = self.ev;
        let n = ev.space.issue_count();
        let split = ev.split;
        let v = ev.valued.len();
        let s_len = ev.suffix_len;
        let mut acc = Acc::new(self);
        let mut package = vec![0u16; n];
        self.prefix.decode(prefixes.start, &mut package[..split]);
        let mut pre_u = vec![0.0; v];
        let mut u = vec![0.0; v];
        let mut bargain_u = vec![0.0; self.cx.bargain_pos.len()];
        let mut pre_dist = vec![0u32; self.cx.plans.len()];
        let mut last_mask = u64::MAX;
        let mut block = Frontier::new(self.cx.bargain_pos.len());
        for prefix in prefixes {
            ev.prefix_sums(&package, &mut pre_u);
            let pre_red = ev.crossed_in(&package, RulePlace::Prefix);
            let pre_link = ev.links_in(&package, RulePlace::Prefix);
            for (d, plan) in pre_dist.iter_mut().zip(&self.cx.plans) {
                *d = package[..split]
                    .iter()
                    .zip(&plan[..split])
                    .filter(|(a, b)| a != b)
                    .count() as u32;
            }
            let base = prefix * s_len;
            block.clear();
            for &s in &self.suffix_order {
                let s = s as u64;
                let index = base + s;
                let mut crossed = pre_red | ev.suffix_crossed(s);
                let sums = ev.suffix_sums(s);
                for ((x, p), q) in u.iter_mut().zip(&pre_u).zip(sums) {
                    *x = p + q;
                }
                if self.mixed {
                    let w = self.suffix_width;
                    package[split..].copy_from_slice(
                        &self.suffix_packages[s as usize * w..(s as usize + 1) * w],
                    );
                    crossed |= ev.crossed_in(&package, RulePlace::Mixed);
                }
                if ev.has_linkages() {
                    let mut links = pre_link | ev.suffix_links(s);
                    if self.mixed {
                        links |= ev.links_in(&package, RulePlace::Mixed);
                    }
                    ev.apply_linkages(links, &mut u);
                }
                let mut mask = crossed;
                let mut nash = 1.0;
                for (b, &k) in self.cx.bargain_pos.iter().enumerate() {
                    let gain = u[k] - self.cx.bargain_res[b];
                    if gain < 0.0 {
                        mask |= 1 << (self.cx.red_count + b);
                    }
                    nash *= gain;
                    bargain_u[b] = u[k];
                }
                for (k, &x) in u.iter().enumerate() {
                    if x < acc.worst[k] {
                        acc.worst[k] = x;
                    }
                    if crossed & self.cx.own_red[k] == 0 && x > acc.best_own[k] {
                        acc.best_own[k] = x;
                    }
                }
                let binding = mask & self.cx.binding;
                if binding != 0 {
                    if acc.feasible == 0 && binding != last_mask {
                        acc.masks.insert(binding);
                        last_mask = binding;
                    }
                    continue;
                }
                acc.feasible += 1;
                if self.track_frontier {
                    block.insert(&bargain_u, index);
                }
                for (best, &x) in acc.best_feasible.iter_mut().zip(&u) {
                    if x > *best {
                        *best = x;
                    }
                }
                for (p, near) in acc.nearest.iter_mut().enumerate() {
                    let d = pre_dist[p] + self.suffix_dist[p][s as usize] as u32;
                    let cand = (d, nash, index);
                    if better_nearest(cand, *near) {
                        *near = cand;
                    }
                }
                if let Some((m, r, own)) = self.cx.mediator {
                    if crossed & own == 0 && u[m] >= r {
                        let cand = (u[m], nash, index);
                        if better_offer(cand, acc.offer) {
                            acc.offer = cand;
                        }
                    }
                }
            }
            for (point, members) in block.entries() {
                acc.frontier.push(point, members.to_vec());
            }
            self.prefix.advance(&mut package[..split]);
        }
        if acc.feasible > 0 {
            acc.masks.clear();
        }
        acc
    }
}

/// The red lines `package` crosses that bind no one (their party has no
/// veto, or one limited to other issues), by scenario index: a solution may
/// cross them, but a reader must be told.
pub fn nonbinding_crossed(s: &Scenario, package: &[u16]) -> Vec<usize> {
    s.red_lines
        .iter()
        .enumerate()
        .filter(|(r, line)| !s.red_line_binds(*r) && !line.constraint.holds(package))
        .map(|(i, _)| i)
        .collect()
}

/// The number of packages of `s`, or why it is too many to enumerate.
pub fn enumerable(s: &Scenario, max_outcomes: u64) -> Result<u64, AnalysisError> {
    let count = s.package_count();
    match count.as_u64() {
        Some(n) if n <= max_outcomes => Ok(n),
        _ => Err(AnalysisError::TooLarge {
            outcomes: count,
            limit: max_outcomes,
        }),
    }
}

/// Analyses a scenario.
pub fn analyze(s: &Scenario, options: &AnalysisOptions) -> Result<Analysis, AnalysisError> {
    analyze_timed(s, options).map(|(a, _)| a)
}

/// Analyses a scenario and says how long each step took (timings stay out
/// of the [`Analysis`], which is the same on every run).
pub fn analyze_timed(
    s: &Scenario,
    options: &AnalysisOptions,
) -> Result<(Analysis, Vec<StepTime>), AnalysisError> {
    let mut steps: Vec<StepTime> = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |step: &'static str, steps: &mut Vec<StepTime>| {
        let now = std::time::Instant::now();
        steps.push(StepTime {
            step,
            ms: (now - clock).as_secs_f64() * 1e3,
        });
        clock = now;
    };
    let count = s.package_count();
    let outcomes = count.as_u64().ok_or(AnalysisError::TooLarge {
        outcomes: count.clone(),
        limit: options.max_outcomes,
    })?;
    let search = match options.method {
        Method::Search => true,
        Method::Auto => outcomes > options.max_outcomes,
        Method::Enumerate => {
            enumerable(s, options.max_outcomes)?;
            false
        }
    };
    let ev = Evaluator::with_suffix_limit(s, options.suffix_table_max);
    let v = ev.valued.len();
    let bargaining: Vec<usize> = s
        .veto_parties()
        .into_iter()
        .filter(|&p| ev.valued_pos[p].is_some())
        .collect();
    let bargain_pos: Vec<usize> = bargaining
        .iter()
        .filter_map(|&p| ev.valued_pos[p])
        .collect();
    let bargain_res: Vec<f64> = bargaining.iter().map(|&p| reservation(s, p)).collect();

    let red_count = s.red_lines.len();
    let mut constraints: Vec<ConstraintRef> = (0..red_count).map(ConstraintRef::RedLine).collect();
    constraints.extend(bargaining.iter().map(|&p| ConstraintRef::Reservation(p)));
    let mut binding = 0u64;
    for r in 0..red_count {
        if s.red_line_binds(r) {
            binding |= 1 << r;
        }
    }
    for b in 0..bargaining.len() {
        binding |= 1 << (red_count + b);
    }
    let own_red_of = |p: usize| -> u64 {
        s.red_lines
            .iter()
            .enumerate()
            .filter(|(_, r)| r.party == p)
            .fold(0, |m, (i, _)| m | 1 << i)
    };
    let own_red: Vec<u64> = ev.valued.iter().map(|&p| own_red_of(p)).collect();
    let mediator = s
        .mediator()
        .and_then(|m| ev.valued_pos[m].map(|k| (k, reservation(s, m), own_red_of(m))));
    let plans: Vec<Vec<u16>> = s.plans.iter().map(|p| p.package()).collect();
    let cx = Context {
        ev: &ev,
        bargain_pos: bargain_pos.clone(),
        bargain_res: bargain_res.clone(),
        red_count,
        binding,
        own_red,
        mediator,
        plans,
    };
    if search {
        let found = exact::search(&cx, options.search_node_limit, options.count_node_limit)?;
        lap("search", &mut steps);
        steps.pop();
        steps.extend(found.laps.iter().map(|&(step, ms)| StepTime { step, ms }));
        let point = |package: Vec<u16>| -> Point {
            let utilities = ev.evaluate(&package).utilities;
            Point {
                index: ev.space.index(&package),
                package,
                utilities,
            }
        };
        let parties: Vec<PartySummary> = (0..v)
            .map(|k| {
                let p = ev.valued[k];
                PartySummary {
                    party: p,
                    reservation: reservation(s, p),
                    best_feasible: found.best_feasible[k],
                    best_own: found.best_own[k],
                    worst: found.worst[k],
                }
            })
            .collect();
        let solutions = Solutions {
            nash: found.nash.map(point),
            kalai_smorodinsky: found.kalai_smorodinsky.map(point),
            utilitarian: found.utilitarian.map(point),
            egalitarian: found.egalitarian.map(point),
        };
        let best_offer = match s.mediator() {
            Some(m) if ev.valued_pos[m].is_some() => found.offer.map(|p| BestOffer {
                point: point(p),
                rule: OfferRule::MediatorUtility(m),
            }),
            _ => solutions.nash.clone().map(|point| BestOffer {
                point,
                rule: OfferRule::Nash,
            }),
        };
        let (conflicts, conflicts_cut) =
            conflicts::minimal_conflicts(&found.masks, options.conflict_limit);
        // The frontier, group by group, when the groups are small enough
        // and the frontier is not too large.
        let (red_binding, _) = cx.feasibility();
        let grouped = grouped::frontier(
            &ev,
            &bargain_pos,
            red_binding,
            &bargain_res,
            options.frontier_vector_limit,
            options.frontier_epsilon,
        );
        let mut frontier_epsilon = None;
        let (frontier_method, pareto, pareto_ties, frontier_too_large) = match grouped {
            grouped::Grouped::Frontier(list, groups) => {
                frontier_epsilon = options.frontier_epsilon.map(|e| (e, groups));
                let mut kept: Vec<(Point, u128)> = list
                    .into_iter()
                    .map(|(package, n)| (point(package), n))
                    .filter(|(p, _)| {
                        ev.evaluate(&p.package).crossed & red_binding == 0
                            && bargain_pos
                                .iter()
                                .zip(&bargain_res)
                                .all(|(&k, &r)| p.utilities[k] - r >= 0.0)
                    })
                    .collect();
                kept.sort_by_key(|(p, _)| p.index);
                let (points, ties) = kept.into_iter().unzip();
                (FrontierMethod::MergedByGroup, points, ties, None)
            }
            grouped::Grouped::TooLarge(at_least) => (
                FrontierMethod::NotComputed,
                Vec::new(),
                Vec::new(),
                Some(at_least),
            ),
            grouped::Grouped::NotApplicable => {
                (FrontierMethod::NotComputed, Vec::new(), Vec::new(), None)
            }
        };
        lap("frontier", &mut steps);
        let mut analysis = Analysis {
            frontier_method,
            pareto_ties,
            frontier_too_large,
            frontier_epsilon,
            outcomes,
            valued: ev.valued.clone(),
            bargaining,
            constraints,
            binding,
            feasible_count: found.feasible.0,
            feasible_estimate: found.feasible.1,
            conflicts,
            conflicts_cut,
            pareto,
            solutions,
            parties,
            plans: Vec::new(),
            best_offer,
        };
        let nearest = found.nearest;
        analysis.plans = (0..s.plans.len())
            .map(|p| {
                let near = nearest[p].clone().map(point);
                plans::report(s, &ev, &analysis, p, near)
            })
            .collect();
        lap("plans", &mut steps);
        return Ok((analysis, steps));
    }

    let split = ev.split;
    let suffix = Space::new(ev.space.radices()[split..].to_vec());
    let width = ev.space.issue_count() - split;
    let mut suffix_packages = Vec::new();
    let mut suffix_dist = vec![Vec::with_capacity(ev.suffix_len as usize); cx.plans.len()];
    let mut sp = vec![0u16; width];
    for x in 0..ev.suffix_len {
        suffix.decode(x, &mut sp);
        suffix_packages.extend_from_slice(&sp);
        for (d, plan) in suffix_dist.iter_mut().zip(&cx.plans) {
            d.push(
                sp.iter()
                    .zip(&plan[split..])
                    .filter(|(a, b)| a != b)
                    .count() as u16,
            );
        }
    }
    let prefix = Space::new(ev.space.radices()[..split].to_vec());
    let track_frontier = !merge::applies(s, &ev);
    let mut suffix_order: Vec<u32> = (0..ev.suffix_len as u32).collect();
    if track_frontier {
        let sums: Vec<f64> = suffix_order
            .iter()
            .map(|&x| {
                let sums = ev.suffix_sums(x as u64);
                bargain_pos.iter().map(|&k| sums[k]).sum()
            })
            .collect();
        suffix_order.sort_by(|&a, &b| {
            sums[b as usize]
                .total_cmp(&sums[a as usize])
                .then(a.cmp(&b))
        });
    }
    let pass = Pass {
        ev: &ev,
        cx: &cx,
        prefix,
        suffix_packages,
        suffix_width: width,
        suffix_dist,
        mixed: ev.has_mixed_rules(),
        suffix_order,
        track_frontier,
    };

    let prefix_count = outcomes / ev.suffix_len.max(1);
    // Small spaces take less time than waking worker threads would.
    let mut acc = if outcomes < SEQUENTIAL_BELOW {
        pass.run(0..prefix_count)
    } else {
        let blocks = (rayon::current_num_threads() as u64 * 16).clamp(1, prefix_count.max(1));
        (0..blocks)
            .into_par_iter()
            .map(|b| {
                let start = prefix_count * b / blocks;
                let end = prefix_count * (b + 1) / blocks;
                pass.run(start..end)
            })
            .reduce_with(Acc::merge)
            .unwrap_or_else(|| Acc::new(&pass))
    };

    lap("enumeration", &mut steps);
    let point = |index: u64| -> Point {
        let package = ev.space.package(index);
        let utilities = ev.evaluate(&package).utilities;
        Point {
            index,
            package,
            utilities,
        }
    };
    let pareto: Vec<Point> = if pass.track_frontier {
        let frontier = std::mem::replace(&mut acc.frontier, Frontier::new(0));
        frontier.into_packages().into_iter().map(point).collect()
    } else {
        // Without binding red lines the feasible frontier is the whole
        // space's frontier cut at the reservation values (whatever
        // dominates a package that clears them clears them too).
        merge::pareto(&ev, &bargain_pos)
            .into_iter()
            .map(point)
            .filter(|p| {
                bargain_pos
                    .iter()
                    .zip(&bargain_res)
                    .all(|(&k, &r)| p.utilities[k] >= r)
            })
            .collect()
    };

    let parties: Vec<PartySummary> = (0..v)
        .map(|k| {
            let p = ev.valued[k];
            PartySummary {
                party: p,
                reservation: reservation(s, p),
                best_feasible: (acc.feasible > 0).then_some(acc.best_feasible[k]),
                best_own: acc.best_own[k].is_finite().then_some(acc.best_own[k]),
                worst: if acc.worst[k].is_finite() {
                    acc.worst[k]
                } else {
                    0.0
                },
            }
        })
        .collect();

    lap("frontier", &mut steps);
    let searcher = search::Searcher::new(&ev, options.search_node_limit);
    let (red_binding, floors) = cx.feasibility();
    let undominated = |p: &Point| -> Result<bool, search::SearchError> {
        let u: Vec<f64> = bargain_pos.iter().map(|&k| p.utilities[k]).collect();
        let at = |q: &Point| -> Vec<f64> { bargain_pos.iter().map(|&k| q.utilities[k]).collect() };
        // A feasible package dominating p was dropped for one kept on the
        // frontier that is at least as good less a tolerance per step; so
        // with no other frontier point within NEAR_DOMINATION of p in every
        // utility, nothing dominates p, and the search is not needed.
        let near: Vec<&Point> = pareto
            .iter()
            .filter(|q| q.index != p.index)
            .filter(|q| {
                let v = at(q);
                // Packages tied with p (one utility vector) do not count.
                !frontier::same(&v, &u) && v.iter().zip(&u).all(|(a, b)| *a >= b - NEAR_DOMINATION)
            })
            .collect();
        if near.is_empty() {
            return Ok(true);
        }
        if near.iter().any(|q| frontier::dominates(&at(q), &u)) {
            return Ok(false);
        }
        Ok(searcher
            .dominator(red_binding, &floors, &bargain_pos, &u)?
            .is_none())
    };
    let solutions = solve(&pareto, &bargain_pos, &bargain_res, &undominated)?;

    let best_offer = match s.mediator() {
        Some(m) if ev.valued_pos[m].is_some() => (acc.offer.2 != u64::MAX).then(|| BestOffer {
            point: point(acc.offer.2),
            rule: OfferRule::MediatorUtility(m),
        }),
        _ => solutions.nash.clone().map(|point| BestOffer {
            point,
            rule: OfferRule::Nash,
        }),
    };

    let (conflicts, conflicts_cut) = if acc.feasible == 0 {
        let masks: Vec<u64> = acc.masks.iter().copied().collect();
        conflicts::minimal_conflicts(&masks, options.conflict_limit)
    } else {
        (Vec::new(), false)
    };

    lap("solutions", &mut steps);
    let frontier_method = if pass.track_frontier {
        FrontierMethod::Enumerated
    } else {
        FrontierMethod::MergedByIssue
    };
    let mut analysis = Analysis {
        frontier_method,
        pareto_ties: Vec::new(),
        frontier_too_large: None,
        frontier_epsilon: None,
        outcomes,
        valued: ev.valued.clone(),
        bargaining,
        constraints,
        binding,
        feasible_count: acc.feasible,
        feasible_estimate: None,
        conflicts,
        conflicts_cut,
        pareto,
        solutions,
        parties,
        plans: Vec::new(),
        best_offer,
    };
    analysis.plans = (0..s.plans.len())
        .map(|p| {
            let nearest = (acc.nearest[p].2 != u64::MAX).then(|| point(acc.nearest[p].2));
            plans::report(s, &ev, &analysis, p, nearest)
        })
        .collect();
    lap("plans", &mut steps);
    Ok((analysis, steps))
}

fn reservation(s: &Scenario, party: usize) -> f64 {
    s.preferences[party]
        .as_ref()
        .map_or(0.0, |p| p.reservation.value)
}

/// How close to a frontier point, in every utility, another must come
/// before the exact search checks whether something feasible dominates it:
/// a thousand steps of the tie tolerance, each a package dropped for one
/// that was kept.
const NEAR_DOMINATION: f64 = 1000.0 * frontier::UTILITY_EPS;

/// The bargaining solutions, chosen on the Pareto frontier (each has a
/// maximiser there). Ties: the stated secondary key, then the lowest package
/// number. A point kept on the frontier only because the tie tolerance is
/// not transitive (something feasible dominates it) is passed over, as the
/// exact search passes it over.
fn solve(
    pareto: &[Point],
    pos: &[usize],
    res: &[f64],
    undominated: &dyn Fn(&Point) -> Result<bool, search::SearchError>,
) -> Result<Solutions, search::SearchError> {
    if pareto.is_empty() {
        return Ok(Solutions::default());
    }
    let gains = |p: &Point| -> Vec<f64> {
        pos.iter()
            .zip(res)
            .map(|(&k, &r)| p.utilities[k] - r)
            .collect()
    };
    let sum = |p: &Point| -> f64 { search::utility_sum(&p.utilities, pos) };
    // Best gain each bargaining party can get on the feasible set.
    let ideal: Vec<f64> = (0..pos.len())
        .map(|b| {
            pareto
                .iter()
                .map(|p| p.utilities[pos[b]] - res[b])
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();

    // The best key, ties to the lowest package, among undominated points.
    let pick = |key: &dyn Fn(&Point) -> [f64; 3]| -> Result<Option<Point>, search::SearchError> {
        // Nearly always the best point passes: found in one pass, without
        // sorting a frontier that may hold a million tied packages.
        let better = |a: &(search::Key, usize), b: &(search::Key, usize)| {
            search::cmp_key(&a.0, &b.0)
                .then(pareto[b.1].index.cmp(&pareto[a.1].index))
                .is_gt()
        };
        let mut best: Option<(search::Key, usize)> = None;
        for (i, p) in pareto.iter().enumerate() {
            let c = (key(p), i);
            if best.as_ref().is_none_or(|b| better(&c, b)) {
                best = Some(c);
            }
        }
        if let Some((_, i)) = best {
            if undominated(&pareto[i])? {
                return Ok(Some(pareto[i].clone()));
            }
        }
        let mut order: Vec<(search::Key, usize)> = pareto
            .iter()
            .enumerate()
            .map(|(i, p)| (key(p), i))
            .collect();
        order.sort_by(|a, b| {
            search::cmp_key(&b.0, &a.0).then(pareto[a.1].index.cmp(&pareto[b.1].index))
        });
        for (_, i) in order {
            if undominated(&pareto[i])? {
                return Ok(Some(pareto[i].clone()));
            }
        }
        Ok(None)
    };

    let nash = pick(&|p| [search::nash_product(&p.utilities, pos, res), sum(p), 0.0])?;
    let utilitarian = pick(&|p| [sum(p), 0.0, 0.0])?;
    let egalitarian = pick(&|p| [search::smallest_gain(&p.utilities, pos, res), sum(p), 0.0])?;
    // Kalai–Smorodinsky: the shares of best possible gain closest to equal
    // (smallest spread), then the largest smallest share.
    let ks = pick(&|p| {
        let shares: Vec<f64> = gains(p)
            .iter()
            .zip(&ideal)
            .map(|(g, i)| if *i > 0.0 { g / i } else { 1.0 })
            .collect();
        let lo = shares.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = shares.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        [-(hi - lo), lo, sum(p)]
    })?;
    Ok(Solutions {
        nash,
        kalai_smorodinsky: ks,
        utilitarian,
        egalitarian,
    })
}
