//! Exact optima without enumerating the agreement space: depth-first
//! branch and bound over the issues.
//!
//! A node fixes some issues and keeps, for every other issue, the options
//! still open (its *domain*). Red lines are propagated at every node: a rule
//! that the open options already break prunes the node, and an option that
//! would break a rule once chosen leaves its domain (forward checking), so
//! an issue a red line fixes prunes the options of the others.
//!
//! Bounds are exact, not approximate. A party's utility bound sums, in the
//! evaluator's own grouping and order (prefix issues, suffix issues, then
//! linkages in file order), the chosen term of each fixed issue and the
//! largest (smallest) term over the open options of each other issue.
//! Floating-point addition is monotone, so the bound is never below (above)
//! the utility the evaluator computes for any package under the node, to
//! the last bit; the objectives are monotone in the utilities, so their
//! bounds are too. A node is pruned only when its bound is strictly worse
//! than the best package found, or equal and every package under it comes
//! after that package in numbering order. The answer is therefore the one
//! enumeration gives: the best key, ties to the lowest package number.

use crate::expr::Constraint;
use crate::utility::Evaluator;
use std::cmp::Ordering;

use super::frontier::{dominates, UTILITY_EPS};

/// Why a search stopped without an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// The search visited more nodes than allowed.
    #[error("the exact search visited more than {limit} nodes without finishing")]
    NodeLimit {
        /// The limit.
        limit: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

/// The options still open per issue, as bit sets.
#[derive(Debug, Clone)]
struct Domains {
    offsets: Vec<usize>,
    words: Vec<u64>,
}

impl Domains {
    fn full(radices: &[u16]) -> Self {
        let mut offsets = Vec::with_capacity(radices.len() + 1);
        let mut words = Vec::new();
        for &r in radices {
            offsets.push(words.len());
            let r = r as usize;
            for w in 0..r.div_ceil(64) {
                let bits = (r - w * 64).min(64);
                words.push(if bits == 64 {
                    u64::MAX
                } else {
                    (1 << bits) - 1
                });
            }
        }
        offsets.push(words.len());
        Domains { offsets, words }
    }
    #[inline]
    fn set(&self, i: usize) -> &[u64] {
        &self.words[self.offsets[i]..self.offsets[i + 1]]
    }
    #[inline]
    fn contains(&self, i: usize, o: usize) -> bool {
        self.set(i)
            .get(o / 64)
            .is_some_and(|w| w >> (o % 64) & 1 == 1)
    }
    fn remove(&mut self, i: usize, o: usize) {
        self.words[self.offsets[i] + o / 64] &= !(1 << (o % 64));
    }
    fn fix(&mut self, i: usize, o: usize) {
        let (a, b) = (self.offsets[i], self.offsets[i + 1]);
        self.words[a..b].iter_mut().for_each(|w| *w = 0);
        self.words[a + o / 64] |= 1 << (o % 64);
    }
    /// What is open on issue i: all `radix` options, one, or some.
    #[inline]
    fn open(&self, i: usize, radix: u16) -> Open {
        let set = self.set(i);
        if set.len() == 1 {
            let w = set[0];
            if w.count_ones() == 1 {
                return Open::One(w.trailing_zeros() as usize);
            }
            if w.count_ones() == u32::from(radix) {
                return Open::All;
            }
            return Open::Some;
        }
        match self.count(i) {
            1 => Open::One(self.first(i).unwrap_or(0)),
            c if c == u32::from(radix) => Open::All,
            _ => Open::Some,
        }
    }

    fn count(&self, i: usize) -> u32 {
        self.set(i).iter().map(|w| w.count_ones()).sum()
    }
    fn first(&self, i: usize) -> Option<usize> {
        self.set(i)
            .iter()
            .enumerate()
            .find(|(_, w)| **w != 0)
            .map(|(k, w)| k * 64 + w.trailing_zeros() as usize)
    }
    fn options(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.set(i).iter().enumerate().flat_map(|(k, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let b = w.trailing_zeros() as usize;
                    w &= w - 1;
                    k * 64 + b
                })
            })
        })
    }
}

/// How many options of an issue are still open.
#[derive(Clone, Copy)]
enum Open {
    All,
    One(usize),
    Some,
}

/// Whether a rule holds for every, no or some package the domains allow;
/// `only` narrows one issue to one option.
fn status(c: &Constraint, d: &Domains, only: Option<(usize, usize)>) -> Tri {
    match c {
        Constraint::Const(b) => {
            if *b {
                Tri::True
            } else {
                Tri::False
            }
        }
        Constraint::In { issue, options } => {
            if let Some((i, o)) = only {
                if i == *issue {
                    return if options.contains(o) {
                        Tri::True
                    } else {
                        Tri::False
                    };
                }
            }
            let opt = options.words();
            let (mut any, mut all) = (false, true);
            for (w, &dw) in d.set(*issue).iter().enumerate() {
                let o = opt.get(w).copied().unwrap_or(0);
                any |= dw & o != 0;
                all &= dw & !o == 0;
            }
            if all {
                Tri::True
            } else if !any {
                Tri::False
            } else {
                Tri::Unknown
            }
        }
        Constraint::Not(c) => status(c, d, only).not(),
        Constraint::All(cs) => {
            let mut out = Tri::True;
            for c in cs {
                match status(c, d, only) {
                    Tri::False => return Tri::False,
                    Tri::Unknown => out = Tri::Unknown,
                    Tri::True => {}
                }
            }
            out
        }
        Constraint::Any(cs) => {
            let mut out = Tri::False;
            for c in cs {
                match status(c, d, only) {
                    Tri::True => return Tri::True,
                    Tri::Unknown => out = Tri::Unknown,
                    Tri::False => {}
                }
            }
            out
        }
        Constraint::Implies(a, b) => match (status(a, d, only), status(b, d, only)) {
            (Tri::False, _) | (_, Tri::True) => Tri::True,
            (Tri::True, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        },
    }
}

/// A package's key, compared lexicographically; larger is better.
pub type Key = [f64; 3];

/// Compares keys lexicographically (equal floats compare equal).
pub fn cmp_key(a: &Key, b: &Key) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        if x > y {
            return Ordering::Greater;
        }
        if x < y {
            return Ordering::Less;
        }
    }
    Ordering::Equal
}

/// The product of the gains over the reservation values, as the analysis
/// computes it (one arithmetic for search and enumeration).
#[inline]
pub fn nash_product(u: &[f64], pos: &[usize], res: &[f64]) -> f64 {
    let mut nash = 1.0;
    for (&k, &r) in pos.iter().zip(res) {
        nash *= u[k] - r;
    }
    nash
}

/// The sum of the utilities at `pos`, as the analysis computes it.
#[inline]
pub fn utility_sum(u: &[f64], pos: &[usize]) -> f64 {
    pos.iter().map(|&k| u[k]).sum()
}

/// The smallest gain over the reservation values.
#[inline]
pub fn smallest_gain(u: &[f64], pos: &[usize], res: &[f64]) -> f64 {
    pos.iter()
        .zip(res)
        .map(|(&k, &r)| u[k] - r)
        .fold(f64::INFINITY, f64::min)
}

/// Each party's share of its best possible gain (1 when it can gain nothing).
#[inline]
pub fn share(u: f64, r: f64, ideal: f64) -> f64 {
    let g = u - r;
    if ideal > 0.0 {
        g / ideal
    } else {
        1.0
    }
}

/// The key of a package with utilities `u`.
fn leaf_key(objective: &Objective, package: &[u16], u: &[f64]) -> Key {
    let changes = match objective {
        Objective::Nearest(plan, ..) => {
            package.iter().zip(*plan).filter(|(a, b)| a != b).count() as u32
        }
        _ => 0,
    };
    objective.key(u, u, changes)
}

/// What a search maximises.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Objective<'a> {
    /// Any package that meets the constraints (the first in numbering order).
    Any,
    /// The utility of valued party k.
    Max(usize),
    /// Minus the utility of valued party k.
    Min(usize),
    /// The sum of the utilities at these positions.
    Sum(&'a [usize]),
    /// Nash product, then sum.
    Nash(&'a [usize], &'a [f64]),
    /// Smallest gain, then sum.
    Egalitarian(&'a [usize], &'a [f64]),
    /// Smallest share of the best possible gain, then sum.
    SmallestShare(&'a [usize], &'a [f64], &'a [f64]),
    /// Kalai–Smorodinsky key (the caller restricts it to the frontier).
    Ks(&'a [usize], &'a [f64], &'a [f64]),
    /// The mediator's utility, then the Nash product.
    Offer(usize, &'a [usize], &'a [f64]),
    /// Fewest changes to a plan, then the Nash product.
    Nearest(&'a [u16], &'a [usize], &'a [f64]),
}

impl Objective<'_> {
    /// The key of a package with utilities `u` and `changes` changes, or
    /// its bound from utility bounds `hi`, `lo` and a lower bound on changes.
    pub(crate) fn key(&self, hi: &[f64], lo: &[f64], changes: u32) -> Key {
        match *self {
            Objective::Any => [0.0; 3],
            Objective::Max(k) => [hi[k], 0.0, 0.0],
            Objective::Min(k) => [-lo[k], 0.0, 0.0],
            Objective::Sum(pos) => [utility_sum(hi, pos), 0.0, 0.0],
            Objective::Nash(pos, res) => [nash_product(hi, pos, res), utility_sum(hi, pos), 0.0],
            Objective::Egalitarian(pos, res) => {
                [smallest_gain(hi, pos, res), utility_sum(hi, pos), 0.0]
            }
            Objective::SmallestShare(pos, res, ideal) => {
                let lo = pos
                    .iter()
                    .enumerate()
                    .map(|(b, &k)| share(hi[k], res[b], ideal[b]))
                    .fold(f64::INFINITY, f64::min);
                [lo, utility_sum(hi, pos), 0.0]
            }
            Objective::Ks(pos, res, ideal) => {
                // Spread at least (largest lower share − smallest upper share).
                let mut max_lo = f64::NEG_INFINITY;
                let mut min_hi = f64::INFINITY;
                for (b, &k) in pos.iter().enumerate() {
                    max_lo = max_lo.max(share(lo[k], res[b], ideal[b]));
                    min_hi = min_hi.min(share(hi[k], res[b], ideal[b]));
                }
                let spread = (max_lo - min_hi).max(0.0);
                [-spread, min_hi, utility_sum(hi, pos)]
            }
            Objective::Offer(m, pos, res) => [hi[m], nash_product(hi, pos, res), 0.0],
            Objective::Nearest(_, pos, res) => [-(changes as f64), nash_product(hi, pos, res), 0.0],
        }
    }
}

/// A floor on a valued party's utility: `u[k] >= value`, or `>` when strict.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Floor {
    pub k: usize,
    pub value: f64,
    pub strict: bool,
}

impl Floor {
    pub fn at_least(k: usize, value: f64) -> Floor {
        Floor {
            k,
            value,
            strict: false,
        }
    }
    #[inline]
    fn met(&self, u: f64) -> bool {
        if self.strict {
            u > self.value
        } else {
            // As the analysis tests a gain: u − r < 0 breaks it.
            u - self.value >= 0.0
        }
    }
}

/// One search: the red lines a package may not cross (a mask over the
/// scenario's red lines), floors on utilities, and what to maximise.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Query<'a> {
    pub red: u64,
    pub floors: &'a [Floor],
    pub objective: Objective<'a>,
}

/// A package found, with its evaluation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub package: Vec<u16>,
    pub utilities: Vec<f64>,
    pub crossed: u64,
    pub key: Key,
}

/// The search over one scenario's agreement space.
pub(crate) struct Searcher<'a> {
    ev: &'a Evaluator,
    radices: Vec<u16>,
    /// Per red line: the issues it mentions.
    red_issues: Vec<Vec<usize>>,
    /// The order in which issues are branched on.
    order: Vec<usize>,
    /// Per valued party and issue: its largest and smallest term.
    term_range: Vec<Vec<(f64, f64)>>,
    node_limit: u64,
    nodes: std::cell::Cell<u64>,
    /// The options every search starts from (all, or issues held fixed).
    initial: Domains,
}

/// A weighted sum of the objective's utilities, tabulated per issue and
/// option, whose largest value over a node bounds the objective's first key
/// (a Lagrangian relaxation: it couples the parties, which the per-party
/// bounds do not). Its arithmetic differs from the evaluator's, so it prunes
/// only with a margin ([`RELAX_MARGIN`]); the exact bounds settle the rest.
struct Relaxation {
    /// Weighted terms: `table[i][o]`.
    table: Vec<Vec<f64>>,
    /// The largest of each issue's row.
    row_max: Vec<f64>,
    /// Added to the sum of the largest terms.
    constant: f64,
    /// How the weighted sum bounds the key.
    map: RelaxMap,
}

#[derive(Clone, Copy)]
enum RelaxMap {
    /// The key is at most the weighted sum.
    Linear,
    /// Nash product over `parties` gains with weights whose product is
    /// `weight_product`: at most (sum / parties)^parties / weight_product
    /// (the arithmetic–geometric mean inequality).
    AmGm { parties: usize, weight_product: f64 },
}

/// A relaxation prunes only nodes worse by more than this.
const RELAX_MARGIN: f64 = 1e-9;

impl Relaxation {
    fn new(
        ev: &Evaluator,
        radices: &[u16],
        pos: &[usize],
        w: &[f64],
        constant: f64,
        map: RelaxMap,
    ) -> Self {
        let table: Vec<Vec<f64>> = radices
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                (0..r as usize)
                    .map(|o| {
                        pos.iter()
                            .zip(w)
                            .map(|(&k, &wb)| wb * ev.term(k, i, o))
                            .sum()
                    })
                    .collect()
            })
            .collect();
        let row_max = table
            .iter()
            .map(|row: &Vec<f64>| row.iter().copied().fold(f64::NEG_INFINITY, f64::max))
            .collect();
        Relaxation {
            table,
            row_max,
            constant,
            map,
        }
    }

    fn bound(&self, d: &Domains) -> f64 {
        let mut sum = self.constant;
        for (i, row) in self.table.iter().enumerate() {
            sum += match d.open(i, row.len() as u16) {
                Open::All => self.row_max[i],
                Open::One(o) => row[o],
                Open::Some => d
                    .options(i)
                    .map(|o| row[o])
                    .fold(f64::NEG_INFINITY, f64::max),
            };
        }
        match self.map {
            RelaxMap::Linear => sum,
            RelaxMap::AmGm {
                parties,
                weight_product,
            } => {
                if sum <= 0.0 {
                    0.0
                } else {
                    (sum / parties as f64).powi(parties as i32) / weight_product
                }
            }
        }
    }

    /// Prunes a node whose bound is below `best` by more than the margin.
    fn prunes(&self, d: &Domains, best: f64) -> bool {
        let b = self.bound(d);
        b + RELAX_MARGIN * (1.0 + b.abs()) < best
    }
}

/// Weights on the simplex that make Σ w_b (Σ_i c_b(i, x_i) + k_b), maximised
/// over packages, small: a bound on min_b of the same sums. Exponentiated
/// subgradient steps from equal weights; any weights give a valid bound,
/// good ones a tight one.
fn dual_weights(c: &[Vec<Vec<f64>>], k: &[f64]) -> Vec<f64> {
    let m = k.len();
    if m == 0 {
        return Vec::new();
    }
    let mut w = vec![1.0 / m as f64; m];
    let mut best = (f64::INFINITY, w.clone());
    for t in 0..80 {
        // The package maximising the weighted sum, issue by issue.
        let mut g = k.to_vec();
        for (i, row) in c[0].iter().enumerate() {
            let opts = row.len();
            let o = (0..opts)
                .max_by(|&a, &b| {
                    let va: f64 = (0..m).map(|b_| w[b_] * c[b_][i][a]).sum();
                    let vb: f64 = (0..m).map(|b_| w[b_] * c[b_][i][b]).sum();
                    va.total_cmp(&vb)
                })
                .unwrap_or(0);
            for b in 0..m {
                g[b] += c[b][i][o];
            }
        }
        let value: f64 = w.iter().zip(&g).map(|(a, b)| a * b).sum();
        if value < best.0 {
            best = (value, w.clone());
        }
        let (lo, hi) = g
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        if hi - lo < 1e-12 {
            break;
        }
        let eta = 2.0 / ((t + 1) as f64).sqrt() / (hi - lo);
        for b in 0..m {
            w[b] *= (-eta * (g[b] - lo)).exp();
        }
        let total: f64 = w.iter().sum();
        w.iter_mut().for_each(|x| *x /= total);
    }
    best.1
}

/// Says from a node's utility bounds (high, low) and the best key so far
/// that no package under it can win.
type Hopeless<'q> = &'q dyn Fn(&[f64], &[f64], Option<&Key>) -> bool;
/// Gives the package to consider in place of a leaf that would win.
type Accept<'q> = &'q dyn Fn(Found) -> Result<Option<Found>, SearchError>;

struct Run<'q> {
    q: &'q Query<'q>,
    best: Option<Found>,
    relax: Option<Relaxation>,
    /// A node goes when this weighted sum of (utility − floor) is negative
    /// everywhere in it: no package there meets every floor.
    floor_cut: Option<Relaxation>,
    /// The relaxation follows the best package found (Nash): rebuild it.
    relax_stale: bool,
    /// For keys whose second part is the Nash product (the offer, the
    /// nearest package): its relaxation at the best package so far, used
    /// where the first part cannot beat the best.
    second: Option<Relaxation>,
    /// Extra pruning: a node goes when this says its packages cannot win.
    hopeless: Option<Hopeless<'q>>,
    /// Extra test for a leaf that would win: the package to consider in
    /// its place (itself, or one found from it), or none.
    accept: Option<Accept<'q>>,
}

impl<'a> Searcher<'a> {
    pub fn new(ev: &'a Evaluator, node_limit: u64) -> Self {
        let radices = ev.space.radices().to_vec();
        let n = radices.len();
        let red_issues: Vec<Vec<usize>> = ev.red_rules().iter().map(|r| r.issues(n)).collect();
        // Issues under red lines first (so propagation starts early), then
        // by how much the parties' terms spread over the options.
        let mut score = vec![0.0f64; n];
        for (i, s) in score.iter_mut().enumerate() {
            for k in 0..ev.valued.len() {
                let (lo, hi) = (0..radices[i] as usize)
                    .map(|o| ev.term(k, i, o))
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), t| {
                        (a.min(t), b.max(t))
                    });
                *s += hi - lo;
            }
        }
        let mut ruled = vec![false; n];
        for issues in &red_issues {
            for &i in issues {
                ruled[i] = true;
            }
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| {
            ruled[b]
                .cmp(&ruled[a])
                .then(score[b].total_cmp(&score[a]))
                .then(a.cmp(&b))
        });
        let term_range = (0..ev.valued.len())
            .map(|k| {
                radices
                    .iter()
                    .enumerate()
                    .map(|(i, &r)| {
                        (0..r as usize)
                            .map(|o| ev.term(k, i, o))
                            .fold((f64::NEG_INFINITY, f64::INFINITY), |(a, b), t| {
                                (a.max(t), b.min(t))
                            })
                    })
                    .collect()
            })
            .collect();
        Searcher {
            initial: Domains::full(&radices),
            ev,
            radices,
            red_issues,
            order,
            term_range,
            node_limit,
            nodes: std::cell::Cell::new(0),
        }
    }

    /// Holds issue i at option `fixed[i]` wherever one is given (an option
    /// out of range is ignored).
    pub fn hold(&mut self, fixed: &[Option<u16>]) {
        for (i, f) in fixed.iter().enumerate() {
            if let Some(o) = *f {
                if i < self.radices.len() && o < self.radices[i] {
                    self.initial.fix(i, o as usize);
                }
            }
        }
    }

    fn tick(&self) -> Result<(), SearchError> {
        let n = self.nodes.get() + 1;
        self.nodes.set(n);
        if n > self.node_limit {
            return Err(SearchError::NodeLimit {
                limit: self.node_limit,
            });
        }
        Ok(())
    }

    /// The best package for a query, ties to the lowest package number.
    pub fn best(&self, q: &Query) -> Result<Option<Found>, SearchError> {
        self.best_with(q, None, None, None)
    }

    fn best_with<'q>(
        &self,
        q: &'q Query<'q>,
        start: Option<Found>,
        hopeless: Option<Hopeless<'q>>,
        accept: Option<Accept<'q>>,
    ) -> Result<Option<Found>, SearchError> {
        let mut run = Run {
            q,
            best: start,
            relax: self.relaxation(&q.objective, q.floors, None),
            floor_cut: self.floor_cut(q.floors),
            relax_stale: false,
            second: None,
            hopeless,
            accept,
        };
        self.visit(&mut run, self.initial.clone())?;
        Ok(run.best)
    }

    /// The relaxation of an objective, if it has one; the Nash product's
    /// needs the best package found so far.
    fn relaxation(
        &self,
        objective: &Objective,
        floors: &[Floor],
        best: Option<&Found>,
    ) -> Option<Relaxation> {
        let ev = self.ev;
        let lift = self.lift();
        let plain = |_: &[usize]| true;
        let lifted = |pos: &[usize], w: &[f64]| -> f64 {
            pos.iter().zip(w).map(|(&k, wb)| wb * lift[k]).sum()
        };
        let per_party = |pos: &[usize], scale: &dyn Fn(usize) -> f64| -> Vec<Vec<Vec<f64>>> {
            pos.iter()
                .enumerate()
                .map(|(b, &k)| {
                    self.radices
                        .iter()
                        .enumerate()
                        .map(|(i, &r)| {
                            (0..r as usize)
                                .map(|o| ev.term(k, i, o) * scale(b))
                                .collect()
                        })
                        .collect()
                })
                .collect()
        };
        match *objective {
            Objective::Sum(pos) if !pos.is_empty() => {
                let own: Vec<(usize, f64)> = pos.iter().map(|&k| (k, 1.0)).collect();
                Some(self.floor_relaxation(&own, floors, &lift))
            }
            Objective::Max(k) | Objective::Offer(k, ..) if !floors.is_empty() => {
                Some(self.floor_relaxation(&[(k, 1.0)], floors, &lift))
            }
            Objective::Egalitarian(pos, res) if plain(pos) && !pos.is_empty() => {
                let c = per_party(pos, &|_| 1.0);
                let k: Vec<f64> = res.iter().map(|r| -r).collect();
                let mu = dual_weights(&c, &k);
                let constant =
                    lifted(pos, &mu) - mu.iter().zip(res).map(|(m, r)| m * r).sum::<f64>();
                Some(Relaxation::new(
                    ev,
                    &self.radices,
                    pos,
                    &mu,
                    constant,
                    RelaxMap::Linear,
                ))
            }
            Objective::SmallestShare(pos, res, ideal) if plain(pos) && !pos.is_empty() => {
                // Parties that can gain nothing have share 1 and are left
                // out: the smallest share of the rest bounds the whole's.
                let keep: Vec<usize> = (0..pos.len()).filter(|&b| ideal[b] > 0.0).collect();
                if keep.is_empty() {
                    return None;
                }
                let kpos: Vec<usize> = keep.iter().map(|&b| pos[b]).collect();
                let c = per_party(&kpos, &|b| 1.0 / ideal[keep[b]]);
                let k: Vec<f64> = keep.iter().map(|&b| -res[b] / ideal[b]).collect();
                let mu = dual_weights(&c, &k);
                let w: Vec<f64> = keep.iter().zip(&mu).map(|(&b, m)| m / ideal[b]).collect();
                let constant = lifted(&kpos, &w)
                    - keep.iter().zip(&w).map(|(&b, wb)| wb * res[b]).sum::<f64>();
                Some(Relaxation::new(
                    ev,
                    &self.radices,
                    &kpos,
                    &w,
                    constant,
                    RelaxMap::Linear,
                ))
            }
            Objective::Nash(pos, res) if plain(pos) && !pos.is_empty() => {
                let best = best?;
                let gains: Vec<f64> = pos
                    .iter()
                    .zip(res)
                    .map(|(&k, &r)| best.utilities[k] - r)
                    .collect();
                if gains.iter().any(|&g| g <= 0.0) {
                    return None;
                }
                let w: Vec<f64> = gains.iter().map(|g| 1.0 / g).collect();
                let constant = lifted(pos, &w) - w.iter().zip(res).map(|(a, r)| a * r).sum::<f64>();
                let weight_product = w.iter().product();
                Some(Relaxation::new(
                    ev,
                    &self.radices,
                    pos,
                    &w,
                    constant,
                    RelaxMap::AmGm {
                        parties: pos.len(),
                        weight_product,
                    },
                ))
            }
            _ => None,
        }
    }

    /// Per valued party, what its utility can exceed the sum of its terms
    /// by: its positive linkages and its offset (terms are never negative,
    /// and the offset lifts every package alike).
    fn lift(&self) -> Vec<f64> {
        let ev = self.ev;
        let mut lift: Vec<f64> = (0..ev.valued.len()).map(|k| ev.offset(k)).collect();
        for &(k, x) in ev.link_effects().iter().flatten() {
            lift[k] += x.max(0.0);
        }
        lift
    }

    /// Weights ν ≥ 0 (on the simplex) for which max Σ ν_f (u_f − floor_f)
    /// over packages is as small as found: where it is negative, no package
    /// meets every floor (a Farkas-style certificate).
    fn floor_cut(&self, floors: &[Floor]) -> Option<Relaxation> {
        if floors.len() < 2 {
            return None;
        }
        let ev = self.ev;
        let lift = self.lift();
        let c: Vec<Vec<Vec<f64>>> = floors
            .iter()
            .map(|f| {
                self.radices
                    .iter()
                    .enumerate()
                    .map(|(i, &r)| (0..r as usize).map(|o| ev.term(f.k, i, o)).collect())
                    .collect()
            })
            .collect();
        let k: Vec<f64> = floors.iter().map(|f| lift[f.k] - f.value).collect();
        let nu = dual_weights(&c, &k);
        let parties: Vec<usize> = floors.iter().map(|f| f.k).collect();
        let constant: f64 = nu.iter().zip(&k).map(|(a, b)| a * b).sum();
        Some(Relaxation::new(
            ev,
            &self.radices,
            &parties,
            &nu,
            constant,
            RelaxMap::Linear,
        ))
    }

    /// A bound on Σ a_k u_k over the packages that meet `floors`: for any
    /// ν ≥ 0 it is at most max Σ a_k u_k + Σ ν_f (u_f − floor_f) over all
    /// packages, which is separable by issue. ν is chosen by projected
    /// subgradient steps from zero (any ν is valid).
    fn floor_relaxation(&self, own: &[(usize, f64)], floors: &[Floor], lift: &[f64]) -> Relaxation {
        let ev = self.ev;
        let mut parties: Vec<usize> = own.iter().map(|&(k, _)| k).collect();
        for f in floors {
            if !parties.contains(&f.k) {
                parties.push(f.k);
            }
        }
        let base: Vec<f64> = parties
            .iter()
            .map(|k| own.iter().filter(|(kk, _)| kk == k).map(|(_, a)| a).sum())
            .collect();
        let weights = |nu: &[f64]| -> Vec<f64> {
            let mut w = base.clone();
            for (f, x) in floors.iter().zip(nu) {
                if let Some(b) = parties.iter().position(|&k| k == f.k) {
                    w[b] += x;
                }
            }
            w
        };
        let dual = |nu: &[f64]| -> (f64, Vec<f64>) {
            // The package maximising the weighted sum, and its utilities.
            let w = weights(nu);
            let mut u: Vec<f64> = parties.iter().map(|&k| lift[k]).collect();
            for (i, &r) in self.radices.iter().enumerate() {
                let o = (0..r as usize)
                    .max_by(|&a, &b| {
                        let va: f64 = parties
                            .iter()
                            .zip(&w)
                            .map(|(&k, x)| x * ev.term(k, i, a))
                            .sum();
                        let vb: f64 = parties
                            .iter()
                            .zip(&w)
                            .map(|(&k, x)| x * ev.term(k, i, b))
                            .sum();
                        va.total_cmp(&vb)
                    })
                    .unwrap_or(0);
                for (b, &k) in parties.iter().enumerate() {
                    u[b] += ev.term(k, i, o);
                }
            }
            let value = w.iter().zip(&u).map(|(a, b)| a * b).sum::<f64>()
                - floors.iter().zip(nu).map(|(f, x)| x * f.value).sum::<f64>();
            (value, u)
        };
        let mut nu = vec![0.0; floors.len()];
        let mut best = (f64::INFINITY, nu.clone());
        for t in 0..60 {
            let (value, u) = dual(&nu);
            if value < best.0 {
                best = (value, nu.clone());
            }
            let eta = 0.5 / ((t + 1) as f64).sqrt();
            let mut moved = false;
            for (f, x) in floors.iter().zip(nu.iter_mut()) {
                let b = parties.iter().position(|&k| k == f.k).unwrap_or(0);
                let g = u[b] - f.value;
                let next = (*x - eta * g).max(0.0);
                moved |= next != *x;
                *x = next;
            }
            if !moved {
                break;
            }
        }
        let nu = best.1;
        let w = weights(&nu);
        let constant = parties
            .iter()
            .zip(&w)
            .map(|(&k, x)| x * lift[k])
            .sum::<f64>()
            - floors
                .iter()
                .zip(&nu)
                .map(|(f, x)| x * f.value)
                .sum::<f64>();
        Relaxation::new(ev, &self.radices, &parties, &w, constant, RelaxMap::Linear)
    }

    /// Drops options that would break a rule of `red`; false when a rule is
    /// already broken or a domain empties.
    fn propagate(&self, red: u64, d: &mut Domains) -> bool {
        let rules = self.ev.red_rules();
        // A few rounds reach the fixpoint in practice; stopping early is safe.
        for _ in 0..4 {
            let mut changed = false;
            let mut bits = red;
            while bits != 0 {
                let r = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let rule = &rules[r];
                match status(rule, d, None) {
                    Tri::False => return false,
                    Tri::True => continue,
                    Tri::Unknown => {}
                }
                for &i in &self.red_issues[r] {
                    if d.count(i) <= 1 {
                        continue;
                    }
                    let drop: Vec<usize> = d
                        .options(i)
                        .filter(|&o| status(rule, d, Some((i, o))) == Tri::False)
                        .collect();
                    for o in drop {
                        d.remove(i, o);
                        changed = true;
                    }
                    if d.count(i) == 0 {
                        return false;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        true
    }

    /// Upper and lower bounds of every valued party's utility over the
    /// packages the domains allow, in the evaluator's arithmetic.
    fn bounds(&self, d: &Domains, hi: &mut [f64], lo: &mut [f64]) {
        let ev = self.ev;
        let n = self.radices.len();
        let open: Vec<Open> = (0..n).map(|i| d.open(i, self.radices[i])).collect();
        let range = |k: usize, i: usize| -> (f64, f64) {
            match open[i] {
                Open::All => self.term_range[k][i],
                Open::One(o) => {
                    let t = ev.term(k, i, o);
                    (t, t)
                }
                Open::Some => d
                    .options(i)
                    .map(|o| ev.term(k, i, o))
                    .fold((f64::NEG_INFINITY, f64::INFINITY), |(a, b), t| {
                        (a.max(t), b.min(t))
                    }),
            }
        };
        for k in 0..hi.len() {
            let (mut ph, mut pl) = (0.0, 0.0);
            for i in 0..ev.split {
                let (a, b) = range(k, i);
                ph += a;
                pl += b;
            }
            let (mut sh, mut sl) = (0.0, 0.0);
            for i in ev.split..n {
                let (a, b) = range(k, i);
                sh += a;
                sl += b;
            }
            hi[k] = ph + sh;
            lo[k] = pl + sl;
        }
        if !ev.has_linkages() {
            return;
        }
        for (rule, effect) in ev.link_rules().iter().zip(ev.link_effects()) {
            let Some((k, x)) = *effect else { continue };
            match status(rule, d, None) {
                Tri::True => {
                    hi[k] += x;
                    lo[k] += x;
                }
                Tri::Unknown => {
                    if x > 0.0 {
                        hi[k] += x;
                    } else {
                        lo[k] += x;
                    }
                }
                Tri::False => {}
            }
        }
        for k in 0..hi.len() {
            if ev.is_clamped(k) {
                hi[k] = (hi[k] + ev.offset(k)).clamp(0.0, 1.0);
                lo[k] = (lo[k] + ev.offset(k)).clamp(0.0, 1.0);
            }
        }
    }

    fn changes_at_least(&self, d: &Domains, plan: &[u16]) -> u32 {
        (0..self.radices.len())
            .filter(|&i| !d.contains(i, plan[i] as usize))
            .count() as u32
    }

    /// Whether every package the domains allow comes after `package`.
    fn all_after(&self, d: &Domains, package: &[u16]) -> bool {
        for (i, &p) in package.iter().enumerate() {
            let first = d.first(i).unwrap_or(usize::MAX);
            match first.cmp(&(p as usize)) {
                Ordering::Greater => return true,
                Ordering::Less => return false,
                Ordering::Equal => {}
            }
        }
        // The lowest allowed package is `package` itself: not after it.
        false
    }

    fn visit(&self, run: &mut Run, mut d: Domains) -> Result<(), SearchError> {
        self.tick()?;
        let q = run.q;
        if matches!(q.objective, Objective::Any) && run.best.is_some() {
            return Ok(());
        }
        if !self.propagate(q.red, &mut d) {
            return Ok(());
        }
        let v = self.ev.valued.len();
        let mut hi = vec![0.0; v];
        let mut lo = vec![0.0; v];
        self.bounds(&d, &mut hi, &mut lo);
        if q.floors.iter().any(|f| !f.met(hi[f.k])) {
            return Ok(());
        }
        if let Some(h) = run.hopeless {
            if h(&hi, &lo, run.best.as_ref().map(|b| &b.key)) {
                return Ok(());
            }
        }
        let plan_changes = |d: &Domains| match q.objective {
            Objective::Nearest(plan, ..) => self.changes_at_least(d, plan),
            _ => 0,
        };
        if run.relax_stale {
            match q.objective {
                Objective::Offer(_, pos, res) | Objective::Nearest(_, pos, res) => {
                    run.second =
                        self.relaxation(&Objective::Nash(pos, res), &[], run.best.as_ref());
                }
                _ => run.relax = self.relaxation(&q.objective, q.floors, run.best.as_ref()),
            }
            run.relax_stale = false;
        }
        if let Some(cut) = &run.floor_cut {
            let b = cut.bound(&d);
            if b + RELAX_MARGIN * (1.0 + b.abs()) < 0.0 {
                return Ok(());
            }
        }
        if let (Some(r), Some(best)) = (&run.relax, &run.best) {
            if r.prunes(&d, best.key[0]) {
                return Ok(());
            }
        }
        let bound = q.objective.key(&hi, &lo, plan_changes(&d));
        if let (Some(r), Some(best)) = (&run.second, &run.best) {
            if bound[0] <= best.key[0] && r.prunes(&d, best.key[1]) {
                return Ok(());
            }
        }
        if let Some(best) = &run.best {
            match cmp_key(&bound, &best.key) {
                Ordering::Less => return Ok(()),
                Ordering::Equal if self.all_after(&d, &best.package) => return Ok(()),
                _ => {}
            }
        }
        // Branch on the first issue in the order that is still open.
        let Some(&i) = self.order.iter().find(|&&i| d.count(i) > 1) else {
            return self.leaf(run, &d);
        };
        // Children in order of their (rough) bound, best first; ties by option.
        let mut children: Vec<(Key, usize)> = Vec::new();
        let (mut ch, mut cl) = (hi.clone(), lo.clone());
        let tops: Vec<(f64, f64)> = (0..v)
            .map(|k| {
                d.options(i)
                    .map(|o| self.ev.term(k, i, o))
                    .fold((f64::NEG_INFINITY, f64::INFINITY), |(a, b), t| {
                        (a.max(t), b.min(t))
                    })
            })
            .collect();
        let base_changes = plan_changes(&d);
        for o in d.options(i) {
            for k in 0..v {
                let t = self.ev.term(k, i, o);
                ch[k] = hi[k] - tops[k].0 + t;
                cl[k] = lo[k] - tops[k].1 + t;
            }
            let changes = match q.objective {
                Objective::Nearest(plan, ..) => base_changes + u32::from(plan[i] as usize != o),
                _ => 0,
            };
            let key = match &run.relax {
                // A linear relaxation knows how the parties trade off:
                // follow it (the egalitarian's fixed weights mislead).
                Some(r)
                    if !matches!(
                        q.objective,
                        Objective::Egalitarian(..) | Objective::SmallestShare(..)
                    ) =>
                {
                    [r.table[i][o], 0.0, 0.0]
                }
                _ => q.objective.key(&ch, &cl, changes),
            };
            children.push((key, o));
        }
        children.sort_by(|a, b| cmp_key(&b.0, &a.0).then(a.1.cmp(&b.1)));
        for (_, o) in children {
            let mut c = d.clone();
            c.fix(i, o);
            self.visit(run, c)?;
        }
        Ok(())
    }

    fn leaf(&self, run: &mut Run, d: &Domains) -> Result<(), SearchError> {
        let q = run.q;
        let package: Vec<u16> = (0..self.radices.len())
            .map(|i| d.first(i).unwrap_or(0) as u16)
            .collect();
        let e = self.ev.evaluate(&package);
        if e.crossed & q.red != 0 || q.floors.iter().any(|f| !f.met(e.utilities[f.k])) {
            return Ok(());
        }
        let key = leaf_key(&q.objective, &package, &e.utilities);
        let wins = |run: &Run, key: &Key, package: &[u16]| match &run.best {
            None => true,
            Some(b) => match cmp_key(key, &b.key) {
                Ordering::Greater => true,
                Ordering::Equal => package < &b.package[..],
                Ordering::Less => false,
            },
        };
        if !wins(run, &key, &package) {
            return Ok(());
        }
        let mut found = self.climb(
            q,
            Found {
                package,
                utilities: e.utilities,
                crossed: e.crossed,
                key,
            },
        );
        if let Some(accept) = run.accept {
            match accept(found)? {
                Some(f) if wins(run, &f.key, &f.package) => found = f,
                _ => return Ok(()),
            }
        }
        run.best = Some(found);
        run.relax_stale = matches!(
            q.objective,
            Objective::Nash(..) | Objective::Offer(..) | Objective::Nearest(..)
        );
        Ok(())
    }

    /// A better package near `f`, by changing one provision at a time while
    /// that improves the key (any valid package makes a valid one to beat;
    /// a better one prunes more).
    fn climb(&self, q: &Query, mut f: Found) -> Found {
        if matches!(q.objective, Objective::Any | Objective::Ks(..)) {
            return f;
        }
        let mut package = f.package.clone();
        for _ in 0..64 {
            let mut improved = false;
            for &i in &self.order {
                let here = package[i];
                for o in 0..self.radices[i] {
                    if o == here || !self.initial.contains(i, o as usize) {
                        continue;
                    }
                    package[i] = o;
                    let e = self.ev.evaluate(&package);
                    if e.crossed & q.red == 0 && q.floors.iter().all(|fl| fl.met(e.utilities[fl.k]))
                    {
                        let key = leaf_key(&q.objective, &package, &e.utilities);
                        if cmp_key(&key, &f.key) == Ordering::Greater {
                            f = Found {
                                package: package.clone(),
                                utilities: e.utilities,
                                crossed: e.crossed,
                                key,
                            };
                            improved = true;
                        }
                    }
                }
                package[i] = f.package[i];
            }
            if !improved {
                break;
            }
        }
        f
    }

    /// The best package for a query among those no package meeting its
    /// red lines and floors dominates at `pos` (the Pareto-optimal ones).
    /// Dominance is judged over the packages that meet `feasible` (the
    /// query's floors may be narrower); `start`, if any, is an undominated
    /// feasible package to beat.
    pub fn best_undominated(
        &self,
        q: &Query,
        pos: &[usize],
        feasible: &[Floor],
        start: Option<Found>,
    ) -> Result<Option<Found>, SearchError> {
        // A dominated leaf leads, through its dominators, to an undominated
        // package, which is as good for these objectives (each grows with
        // every party's utility): it becomes the one to beat, so the search
        // prunes from the start even when most leaves it meets are dominated.
        let accept = |f: Found| -> Result<Option<Found>, SearchError> {
            let mut cur = f;
            for _ in 0..64 {
                let cu: Vec<f64> = pos.iter().map(|&k| cur.utilities[k]).collect();
                match self.dominator(q.red, feasible, pos, &cu)? {
                    None => return Ok(Some(cur)),
                    Some(d) => {
                        let key = leaf_key(&q.objective, &d.package, &d.utilities);
                        cur = Found { key, ..d };
                    }
                }
            }
            Ok(None)
        };
        self.best_with(q, start, None, Some(&accept))
    }

    /// A feasible package that dominates utilities `p` at `pos` (within the
    /// frontier's tolerance), if any.
    pub fn dominator(
        &self,
        red: u64,
        floors: &[Floor],
        pos: &[usize],
        p: &[f64],
    ) -> Result<Option<Found>, SearchError> {
        for j in 0..pos.len() {
            let mut fl: Vec<Floor> = floors.to_vec();
            for (b, &k) in pos.iter().enumerate() {
                fl.push(if b == j {
                    Floor {
                        k,
                        value: p[b] + UTILITY_EPS,
                        strict: true,
                    }
                } else {
                    Floor {
                        k,
                        value: p[b] - UTILITY_EPS,
                        strict: false,
                    }
                });
            }
            let q = Query {
                red,
                floors: &fl,
                objective: Objective::Sum(pos),
            };
            if let Some(f) = self.best(&q)? {
                let fu: Vec<f64> = pos.iter().map(|&k| f.utilities[k]).collect();
                if dominates(&fu, p) {
                    return Ok(Some(f));
                }
            }
        }
        Ok(None)
    }

    /// The Kalai–Smorodinsky package: among the Pareto-optimal packages
    /// that meet `red` and `floors`, the best Kalai–Smorodinsky key (smallest
    /// spread of shares, largest smallest share, largest sum), ties to the
    /// lowest package number. `seeds` are feasible packages known
    /// beforehand (the other solutions): the best of them, made
    /// undominated, is the first one to beat.
    #[allow(clippy::too_many_arguments)]
    pub fn kalai_smorodinsky(
        &self,
        red: u64,
        floors: &[Floor],
        pos: &[usize],
        res: &[f64],
        ideal: &[f64],
        seeds: &[Found],
        smallest_share: Option<f64>,
    ) -> Result<Option<Found>, SearchError> {
        let mut q = Query {
            red,
            floors,
            objective: Objective::Ks(pos, res, ideal),
        };
        // Feasible points met on the way, at `pos`: a node whose every
        // package that could win is dominated by one of them holds no
        // Pareto-optimal winner.
        let known: std::cell::RefCell<Vec<Vec<f64>>> = std::cell::RefCell::new(Vec::new());
        let at_pos = |f: &Found| -> Vec<f64> { pos.iter().map(|&k| f.utilities[k]).collect() };
        // A dominated package leads, through its dominators, to an
        // undominated one: a valid package to beat (its key may be worse).
        let lift = |f: Found| -> Result<Option<Found>, SearchError> {
            let mut cur = f;
            for _ in 0..64 {
                let cu = at_pos(&cur);
                match self.dominator(red, floors, pos, &cu)? {
                    None => {
                        known.borrow_mut().push(cu);
                        let key = leaf_key(&q.objective, &cur.package, &cur.utilities);
                        return Ok(Some(Found { key, ..cur }));
                    }
                    Some(d) => {
                        known.borrow_mut().push(at_pos(&d));
                        cur = d;
                    }
                }
            }
            Ok(None)
        };
        let mut start: Option<Found> = None;
        for seed in seeds {
            if let Some(f) = lift(seed.clone())? {
                let better = match &start {
                    None => true,
                    Some(b) => match cmp_key(&f.key, &b.key) {
                        Ordering::Greater => true,
                        Ordering::Equal => f.package < b.package,
                        Ordering::Less => false,
                    },
                };
                if better {
                    start = Some(f);
                }
            }
        }
        // Some feasible package gives every party at least share m (the
        // largest smallest share). A package whose smallest share is below
        // m − s − δ has every share below m − δ when its spread is at most
        // s, so that package dominates it: a winner needs spread at most the
        // first incumbent's s, so every share at least m − s − δ. These are
        // floors on utility, and the search prunes with them like any other.
        let mut share_floors = floors.to_vec();
        if let (Some(m), Some(first)) = (smallest_share, &start) {
            const DELTA: f64 = 1e-6;
            let s = -first.key[0];
            for (b, &k) in pos.iter().enumerate() {
                if ideal[b] >= 1e-3 {
                    let value = res[b] + ideal[b] * (m - s - DELTA) - 1e-9;
                    share_floors.push(Floor::at_least(k, value));
                }
            }
        }
        q.floors = &share_floors;
        let hopeless = |hi: &[f64], _lo: &[f64], best: Option<&Key>| -> bool {
            let Some(best) = best else {
                return false;
            };
            let s = -best[0];
            let min_share = pos
                .iter()
                .enumerate()
                .map(|(b, &k)| share(hi[k], res[b], ideal[b]))
                .fold(f64::INFINITY, f64::min);
            // A winner's shares are all within `s` of its smallest, which is
            // at most `min_share`: cap each utility there (with slack).
            let corner: Vec<f64> = pos
                .iter()
                .enumerate()
                .map(|(b, &k)| {
                    if ideal[b] > 0.0 {
                        hi[k].min(res[b] + ideal[b] * (min_share + s) + 1e-9)
                    } else {
                        hi[k]
                    }
                })
                .collect();
            known.borrow().iter().any(|q| {
                q.iter().zip(&corner).all(|(a, c)| a >= c)
                    && q.iter()
                        .zip(&corner)
                        .any(|(a, c)| *a > c + 2.0 * UTILITY_EPS)
            })
        };
        self.best_with(&q, start, Some(&hopeless), Some(&lift))
    }

    /// The number of packages that meet `red` and `floors`: `Ok(None)`
    /// when counting would visit more than `limit` nodes.
    pub fn count(
        &self,
        red: u64,
        floors: &[Floor],
        limit: u64,
    ) -> Result<Option<u128>, SearchError> {
        let d = self.initial.clone();
        let cut = self.floor_cut(floors);
        let mut budget = limit;
        Ok(self.count_in(red, floors, cut.as_ref(), d, &mut budget))
    }

    fn count_in(
        &self,
        red: u64,
        floors: &[Floor],
        cut: Option<&Relaxation>,
        mut d: Domains,
        budget: &mut u64,
    ) -> Option<u128> {
        *budget = budget.checked_sub(1)?;
        if !self.propagate(red, &mut d) {
            return Some(0);
        }
        let v = self.ev.valued.len();
        let mut hi = vec![0.0; v];
        let mut lo = vec![0.0; v];
        self.bounds(&d, &mut hi, &mut lo);
        if floors.iter().any(|f| !f.met(hi[f.k])) {
            return Some(0);
        }
        if let Some(cut) = cut {
            let b = cut.bound(&d);
            if b + RELAX_MARGIN * (1.0 + b.abs()) < 0.0 {
                return Some(0);
            }
        }
        let rules = self.ev.red_rules();
        let settled = floors.iter().all(|f| f.met(lo[f.k]))
            && (0..rules.len())
                .filter(|r| red >> r & 1 == 1)
                .all(|r| status(&rules[r], &d, None) == Tri::True);
        if settled {
            let mut n: u128 = 1;
            for i in 0..self.radices.len() {
                n = n.checked_mul(d.count(i) as u128)?;
            }
            return Some(n);
        }
        let Some(&i) = self.order.iter().find(|&&i| d.count(i) > 1) else {
            // One package, not settled by the bounds: evaluate it.
            let package: Vec<u16> = (0..self.radices.len())
                .map(|i| d.first(i).unwrap_or(0) as u16)
                .collect();
            let e = self.ev.evaluate(&package);
            let ok = e.crossed & red == 0 && floors.iter().all(|f| f.met(e.utilities[f.k]));
            return Some(u128::from(ok));
        };
        let mut total: u128 = 0;
        let options: Vec<usize> = d.options(i).collect();
        for o in options {
            let mut c = d.clone();
            c.fix(i, o);
            total = total.checked_add(self.count_in(red, floors, cut, c, budget)?)?;
        }
        Some(total)
    }

    /// Of `samples` packages drawn uniformly with a fixed seed, how many
    /// meet `red` and `floors`.
    pub fn sample_count(&self, red: u64, floors: &[Floor], samples: u64) -> u64 {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x7275_6365);
        let mut package = vec![0u16; self.radices.len()];
        let open: Vec<Vec<u16>> = (0..self.radices.len())
            .map(|i| self.initial.options(i).map(|o| o as u16).collect())
            .collect();
        let mut hits = 0;
        for _ in 0..samples {
            for (slot, options) in package.iter_mut().zip(&open) {
                *slot = options[rng
                    .gen_range(0..options.len().max(1))
                    .min(options.len() - 1)];
            }
            let e = self.ev.evaluate(&package);
            if e.crossed & red == 0 && floors.iter().all(|f| f.met(e.utilities[f.k])) {
                hits += 1;
            }
        }
        hits
    }
}

/// Exact optima over an agreement space some of whose issues may be held
/// fixed, for callers outside the analysis: the simulator asks these of a
/// table too large to list (each negotiator's best and worst package, the
/// mediator's best and final offer and opening text).
pub struct TableSearch<'a> {
    searcher: Searcher<'a>,
}

/// A package a [`TableSearch`] found: its options and every valued party's
/// utility of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Optimum {
    /// One option per issue.
    pub package: Vec<u16>,
    /// Per valued party, in the evaluator's order.
    pub utilities: Vec<f64>,
}

impl From<Found> for Optimum {
    fn from(f: Found) -> Self {
        Optimum {
            package: f.package,
            utilities: f.utilities,
        }
    }
}

impl<'a> TableSearch<'a> {
    /// Searches `ev`'s space with issue i held at `fixed[i]` where given,
    /// visiting at most `node_limit` nodes per question.
    pub fn new(ev: &'a Evaluator, fixed: &[Option<u16>], node_limit: u64) -> Self {
        let mut searcher = Searcher::new(ev, node_limit);
        searcher.hold(fixed);
        TableSearch { searcher }
    }

    fn ask(
        &self,
        red: u64,
        floors: &[Floor],
        objective: Objective,
    ) -> Result<Option<Optimum>, SearchError> {
        self.searcher.nodes.set(0);
        let q = Query {
            red,
            floors,
            objective,
        };
        Ok(self.searcher.best(&q)?.map(Optimum::from))
    }

    /// The package valued party `k` values most among those crossing none
    /// of the red lines in `red` (ties to the lowest package number).
    pub fn best_for(&self, k: usize, red: u64) -> Result<Option<Optimum>, SearchError> {
        self.ask(red, &[], Objective::Max(k))
    }

    /// The package valued party `k` values least among those crossing none
    /// of the red lines in `red` (ties to the lowest package number).
    pub fn worst_for(&self, k: usize, red: u64) -> Result<Option<Optimum>, SearchError> {
        self.ask(red, &[], Objective::Min(k))
    }

    /// Among packages crossing none of the red lines in `red` that give
    /// each valued party in `floors` at least its value there: the one
    /// the mediator values most, ties by the larger Nash product of the
    /// parties at `pos` over `reservations`; without a mediator, the
    /// largest Nash product, ties by the larger sum. Ties after that go to
    /// the lowest package number.
    pub fn best_offer(
        &self,
        mediator: Option<usize>,
        pos: &[usize],
        reservations: &[f64],
        floors: &[(usize, f64)],
        red: u64,
    ) -> Result<Option<Optimum>, SearchError> {
        let floors: Vec<Floor> = floors.iter().map(|&(k, v)| Floor::at_least(k, v)).collect();
        let objective = match mediator {
            Some(m) => Objective::Offer(m, pos, reservations),
            None => Objective::Nash(pos, reservations),
        };
        self.ask(red, &floors, objective)
    }
}
