//! KTAB's Spatial Model of Politics (KAPSARC Toolkit for Behavioral
//! Analysis, `smpc`), re-derived from its published source so that a run
//! gives the numbers KTAB's own reference runs print.
//!
//! Actors hold positions in [0, 1]^m (the 0 to 100 scale divided by 100)
//! and judge each other's positions by salience-weighted distance, curved
//! by a risk attitude inferred from how likely their own position is to
//! prevail. Each turn every actor looks for the challenge that gains it
//! most (bargain, challenge, negotiate), proposes a bargain interpolated
//! between its position and its target's, and every actor then adopts one
//! of the bargains that involve it, chosen by a probabilistic Condorcet
//! election among all actors. The run stops when a turn moves positions
//! less than 2% of the first turn's movement, or after 100 turns.
//!
//! Where KTAB's result depends on details its documentation does not give,
//! the rule here is the one its source applies; docs/forecast.md lists
//! them. Degenerate inputs KTAB refuses or divides by zero on (no
//! salience, no capability, all actors alike) get a defined answer, also
//! listed there.

use crate::problem::Problem;
use serde::Serialize;

/// Most actors a KTAB run takes (KTAB's own limit).
pub const MAX_ACTORS: usize = 250;
/// Most turns a run makes (KTAB's `maxIter`).
pub const MAX_TURNS: usize = 100;
/// Fewest turns before the stopping rule may end a run (KTAB's `minIter`).
const MIN_TURNS: usize = 2;
/// A turn that moves positions less than this share of the first turn's
/// movement ends the run (KTAB's `minDeltaRatio`).
pub const STOP_RATIO: f64 = 0.02;
/// Added to the first turn's movement so the ratio never divides by zero.
const MIN_SIGNIFICANT_DELTA: f64 = 1e-4;
/// Positions nearer than this (Euclidean, 0 to 1 scale) are one position.
const POSITION_TOLERANCE: f64 = 1e-3;
/// A challenge must gain at least this much utility to be made.
const MIN_GAIN: f64 = 1e-5;
/// The smallest coalition, so that no victory probability divides 0 by 0.
const MIN_COALITION: f64 = 1e-8;
/// KTAB's default seed for its random numbers.
pub const DEFAULT_SEED: u64 = 0xD67C_C16F_E69C_185C;

macro_rules! named {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }
        impl $name {
            /// The names KTAB's files use, in KTAB's order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];
            /// The value KTAB's files call `name`.
            pub fn parse(name: &str) -> Option<Self> {
                match name {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
            /// Its name in KTAB's files.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }
    };
}

named! {
    /// How the ratio of two coalitions' strengths becomes a probability of
    /// victory (`VictoryProbModel`).
    VictoryProbability {
        /// Proportional to strength.
        Linear = "Linear",
        /// Proportional to strength squared.
        Square = "Square",
        /// To the fourth power.
        Quartic = "Quartic",
        /// To the eighth power.
        Octic = "Octic",
        /// Certain past a 10% advantage, linear below it.
        Binary = "Binary",
    }
}

named! {
    /// How an actor's vote grows with its difference in utility
    /// (`VotingRule`).
    VotingRule {
        /// All or nothing.
        Binary = "Binary",
        /// 80% proportional, 20% all or nothing.
        PropBin = "PropBin",
        /// Proportional.
        Prop = "Prop",
        /// Half proportional, half cubic.
        PropCbc = "PropCbc",
        /// Cubic.
        Cubic = "Cubic",
        /// Proportional against, two thirds of proportional for.
        ASymProsp = "ASymProsp",
    }
}

named! {
    /// How pairwise victory probabilities become each option's probability
    /// of prevailing (`PCEModel`, probabilistic Condorcet election).
    PceModel {
        /// Each option's chance of beating all others, normalised.
        Conditional = "Conditional",
        /// A Markov chain of challenges made in proportion to incentive.
        MarkovIncentive = "MarkovIncentive",
        /// A Markov chain of challenges made uniformly.
        MarkovUniform = "MarkovUniform",
    }
}

named! {
    /// How each actor's next position is picked among its bargains
    /// (`StateTransitions`).
    StateTransitions {
        /// The most probable bargain.
        Deterministic = "Deterministic",
        /// A bargain drawn by its probability.
        Stochastic = "Stochastic",
    }
}

named! {
    /// The range of inferred risk attitudes (`BigRRange`).
    BigRRange {
        /// From 0 to 1.
        Min = "Min",
        /// From −1/2 to 1.
        Mid = "Mid",
        /// From −1 to 1.
        Max = "Max",
    }
}

named! {
    /// How far one actor's estimate of another's risk attitude moves from
    /// its own toward the other's (`BigRAdjust`).
    BigRAdjust {
        /// Not at all: its own.
        None = "None",
        /// A third of the way.
        OneThird = "OneThird",
        /// Half way.
        Half = "Half",
        /// Two thirds of the way.
        TwoThirds = "TwoThirds",
        /// All the way: the other's.
        Full = "Full",
    }
}

named! {
    /// How far a third party that joins a challenge commits to the side it
    /// joins (`ThirdPartyCommit`).
    ThirdPartyCommit {
        /// Keeps its own position whoever wins.
        NoCommit = "NoCommit",
        /// Adopts the winner's position if its side loses.
        SemiCommit = "SemiCommit",
        /// Adopts the winner's position either way.
        FullCommit = "FullCommit",
    }
}

named! {
    /// How a bargain is interpolated between two positions, dimension by
    /// dimension (`InterVecBrgn`).
    InterVecBargain {
        /// Weights salience × probability.
        S1P1 = "S1P1",
        /// Weights salience² × probability².
        S2P2 = "S2P2",
        /// The weaker side moves by salience² and the probability gap.
        S2PMax = "S2PMax",
    }
}

named! {
    /// Which bargains a challenge puts on the table (`BargnModel`).
    BargainModel {
        /// The initiator's interpolation.
        InitOnlyInterp = "InitOnlyInterp",
        /// The initiator's and the receiver's.
        InitRcvrInterp = "InitRcvrInterp",
        /// Their capability-and-salience-weighted compromise.
        PwCompInterp = "PWCompInterp",
    }
}

/// A run's parameters; the defaults are KTAB's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// `VictoryProbModel`.
    pub victory_probability: VictoryProbability,
    /// `VotingRule`.
    pub voting_rule: VotingRule,
    /// `PCEModel`.
    pub pce_model: PceModel,
    /// `StateTransitions`.
    pub state_transitions: StateTransitions,
    /// `BigRRange`.
    pub big_r_range: BigRRange,
    /// `BigRAdjust`.
    pub big_r_adjust: BigRAdjust,
    /// `ThirdPartyCommit`.
    pub third_party_commit: ThirdPartyCommit,
    /// `InterVecBrgn`.
    pub inter_vec_bargain: InterVecBargain,
    /// `BargnModel`.
    pub bargain_model: BargainModel,
    /// Seed of the random numbers (used by stochastic transitions).
    pub seed: u64,
    /// How far each actor's ideal follows positions (KTAB's
    /// `IdealAdjustment`): (adjusting actor, reference actor, rate).
    /// Unlisted pairs: 1 for an actor and itself, 0 otherwise, so ideals
    /// are the positions.
    pub ideal_adjustment: Vec<(usize, usize, f64)>,
    /// Per turn, the order in which actors' challenges are laid on the
    /// table (KTAB runs actors on threads, so its order is the threads'
    /// finishing order); empty or short: actor order. Only stochastic
    /// transitions and exact ties depend on it.
    pub initiator_order: Vec<Vec<usize>>,
    /// Per turn, the order in which actors pick among their bargains (it
    /// decides which random number each stochastic pick takes; KTAB's is
    /// again its threads' order); empty or short: actor order.
    pub selection_order: Vec<Vec<usize>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            victory_probability: VictoryProbability::Linear,
            voting_rule: VotingRule::Prop,
            pce_model: PceModel::Conditional,
            state_transitions: StateTransitions::Deterministic,
            big_r_range: BigRRange::Mid,
            big_r_adjust: BigRAdjust::OneThird,
            third_party_commit: ThirdPartyCommit::SemiCommit,
            inter_vec_bargain: InterVecBargain::S2P2,
            bargain_model: BargainModel::InitOnlyInterp,
            seed: DEFAULT_SEED,
            ideal_adjustment: Vec::new(),
            initiator_order: Vec::new(),
            selection_order: Vec::new(),
        }
    }
}

impl Settings {
    /// Sets the parameter KTAB's XML calls `name` to the value it calls
    /// `value`; the error says what is accepted.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        fn pick<T>(
            name: &str,
            value: &str,
            parse: fn(&str) -> Option<T>,
            names: &[&str],
        ) -> Result<T, String> {
            parse(value).ok_or_else(|| {
                format!(
                    "{name} `{value}` is not one of KTAB's: {}",
                    names.join(", ")
                )
            })
        }
        match name {
            "VictoryProbModel" => {
                self.victory_probability = pick(
                    name,
                    value,
                    VictoryProbability::parse,
                    VictoryProbability::NAMES,
                )?
            }
            "VotingRule" => {
                self.voting_rule = pick(name, value, VotingRule::parse, VotingRule::NAMES)?
            }
            "PCEModel" => self.pce_model = pick(name, value, PceModel::parse, PceModel::NAMES)?,
            "StateTransitions" => {
                self.state_transitions = pick(
                    name,
                    value,
                    StateTransitions::parse,
                    StateTransitions::NAMES,
                )?
            }
            "BigRRange" => {
                self.big_r_range = pick(name, value, BigRRange::parse, BigRRange::NAMES)?
            }
            "BigRAdjust" => {
                self.big_r_adjust = pick(name, value, BigRAdjust::parse, BigRAdjust::NAMES)?
            }
            "ThirdPartyCommit" => {
                self.third_party_commit = pick(
                    name,
                    value,
                    ThirdPartyCommit::parse,
                    ThirdPartyCommit::NAMES,
                )?
            }
            "InterVecBrgn" => {
                self.inter_vec_bargain =
                    pick(name, value, InterVecBargain::parse, InterVecBargain::NAMES)?
            }
            "BargnModel" => {
                self.bargain_model = pick(name, value, BargainModel::parse, BargainModel::NAMES)?
            }
            _ => {
                return Err(format!(
                    "`{name}` is not a KTAB model parameter; they are VictoryProbModel, VotingRule, PCEModel, StateTransitions, BigRRange, BigRAdjust, ThirdPartyCommit, InterVecBrgn, BargnModel"
                ))
            }
        }
        Ok(())
    }
}

/// One state of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Turn {
    /// Per actor, per dimension: its position (0 to 100).
    pub positions: Vec<Vec<f64>>,
    /// Per actor: the probability that its position prevails (actors on
    /// one position share it, so these can sum to more than 1).
    pub prevailing: Vec<f64>,
    /// The first actor of each distinct position (positions nearer than
    /// 0.1 point, Euclidean, are one): their probabilities sum to 1.
    pub distinct: Vec<usize>,
    /// This turn's movement as a share of the first turn's (KTAB's
    /// "fractional change compared to first step"); none for the start.
    pub fractional_change: Option<f64>,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    /// The dimensions run (those some actor takes a position on), as
    /// indices into the problem's.
    pub dimensions: Vec<usize>,
    /// The start and every turn after it.
    pub turns: Vec<Turn>,
    /// Per run dimension: the forecast, the expected position of the last
    /// state (its distinct positions weighted by their probability of
    /// prevailing), 0 to 100.
    pub forecast: Vec<f64>,
}

/// Why a problem cannot be run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KtabError {
    /// More actors than KTAB takes.
    #[error("{0} actors; KTAB's model takes at most {MAX_ACTORS}")]
    TooManyActors(usize),
    /// An ideal-adjustment rate outside [0, 1], or a row summing over 1.
    #[error("{0}")]
    IdealAdjustment(String),
}

/// The fixed inputs: capabilities and saliences (0 to 1), dimension-major
/// within each actor.
struct Actors {
    n: usize,
    m: usize,
    capability: Vec<f64>,
    salience: Vec<f64>,
    salience_sum: Vec<f64>,
    /// Salience sum × capability: an actor's weight in a challenge.
    weight: Vec<f64>,
}

impl Actors {
    fn sal(&self, i: usize) -> &[f64] {
        &self.salience[i * self.m..(i + 1) * self.m]
    }
}

/// A state: positions and ideals (n × m, 0 to 1) and what they imply.
struct State {
    positions: Vec<f64>,
    ideals: Vec<f64>,
    /// Indices of the distinct positions (first actor holding each).
    unique: Vec<usize>,
    /// Objective risk attitude of each actor.
    risk: Vec<f64>,
    /// by_position[(h·n + j)·n + i]: h's estimate of the utility to i of
    /// j's position; stored by position so that a challenge reads every
    /// actor's view of one position in one run of memory.
    by_position: Vec<f64>,
    /// own[h·n + t]: h's estimate of the utility to t of its own position.
    own: Vec<f64>,
    /// rows[h·n + j]: h's utility of j's position (its own estimate).
    rows: Vec<f64>,
}

impl State {
    fn pos(&self, m: usize, i: usize) -> &[f64] {
        &self.positions[i * m..(i + 1) * m]
    }
    fn u(&self, n: usize, h: usize, i: usize, j: usize) -> f64 {
        self.by_position[(h * n + j) * n + i]
    }
    /// h's estimates of every actor's utility of j's position.
    fn column(&self, n: usize, h: usize, j: usize) -> &[f64] {
        &self.by_position[(h * n + j) * n..(h * n + j + 1) * n]
    }
}

/// Salience-weighted distance between two points (0 when the actor cares
/// about nothing).
fn weighted_distance(a: &[f64], b: &[f64], salience: &[f64]) -> f64 {
    let (mut ds, mut ss) = (0.0, 0.0);
    for ((x, y), s) in a.iter().zip(b).zip(salience) {
        let d = (x - y) * s;
        ds += d * d;
        ss += s * s;
    }
    if ss > 0.0 {
        (ds / ss).sqrt()
    } else {
        0.0
    }
}

/// Utility of a position at salience-weighted distance `d` to an actor of
/// risk attitude `r`.
fn utility(d: f64, r: f64) -> f64 {
    if d <= 1.0 {
        (1.0 - d) * (1.0 + d * r)
    } else {
        (1.0 - d) * (1.0 + r)
    }
}

/// Calls `$body` (a closure of the rule) with `$rule` as a constant, one
/// copy per rule, so the rule's test leaves the loops inside.
macro_rules! by_rule {
    ($rule:expr, |$r:ident| $body:expr) => {
        match $rule {
            VotingRule::Binary => {
                let $r = VotingRule::Binary;
                $body
            }
            VotingRule::PropBin => {
                let $r = VotingRule::PropBin;
                $body
            }
            VotingRule::Prop => {
                let $r = VotingRule::Prop;
                $body
            }
            VotingRule::PropCbc => {
                let $r = VotingRule::PropCbc;
                $body
            }
            VotingRule::Cubic => {
                let $r = VotingRule::Cubic;
                $body
            }
            VotingRule::ASymProsp => {
                let $r = VotingRule::ASymProsp;
                $body
            }
        }
    };
}

/// A vote of weight `w` between two utilities; no weight, no vote.
#[inline(always)]
fn vote(rule: VotingRule, w: f64, u1: f64, u2: f64) -> f64 {
    if w.is_nan() || w <= 0.0 {
        return 0.0;
    }
    let du = u1 - u2;
    let binary = (du / 1e-8).clamp(-1.0, 1.0);
    let cubic = du * du * du;
    match rule {
        VotingRule::Binary => w * binary,
        VotingRule::PropBin => w * (0.8 * du + 0.2 * binary),
        VotingRule::Prop => w * du,
        VotingRule::PropCbc => w * (0.5 * du + 0.5 * cubic),
        VotingRule::Cubic => w * cubic,
        VotingRule::ASymProsp => {
            if du < 0.0 {
                w * du
            } else if du > 0.0 {
                (2.0 * w * du) / 3.0
            } else {
                0.0
            }
        }
    }
}

/// Victory probabilities of two coalitions of strengths `s1` and `s2`.
fn victory(model: VictoryProbability, s1: f64, s2: f64) -> (f64, f64) {
    let (x1, x2) = match model {
        VictoryProbability::Linear => (s1, s2),
        VictoryProbability::Square => (s1 * s1, s2 * s2),
        VictoryProbability::Quartic => (s1.powi(4), s2.powi(4)),
        VictoryProbability::Octic => {
            let (q1, q2) = (s1.powi(4), s2.powi(4));
            (q1 * q1, q2 * q2)
        }
        VictoryProbability::Binary => {
            let t = 1.10;
            if s1 >= t * s2 {
                (1.0, 1e-6)
            } else if s2 >= t * s1 {
                (1e-6, 1.0)
            } else {
                let r = s1 / (s1 + s2);
                let p = (r * (t + 1.0) - 1.0) / (t - 1.0);
                (p, 1.0 - p)
            }
        }
    };
    let sum = x1 + x2;
    if sum > 0.0 && sum.is_finite() {
        (x1 / sum, x2 / sum)
    } else {
        (0.5, 0.5)
    }
}

/// Coalition strengths c[i·k + j] of option i against option j, from the
/// votes `vote(actor, i, j)` of `actors` actors over `k` options.
fn coalitions(actors: usize, k: usize, vote: impl Fn(usize, usize, usize) -> f64) -> Vec<f64> {
    let mut c = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..i {
            let (mut cij, mut cji) = (MIN_COALITION, MIN_COALITION);
            for a in 0..actors {
                let v = vote(a, i, j);
                if v > 0.0 {
                    cij += v;
                }
                if v < 0.0 {
                    cji -= v;
                }
            }
            c[i * k + j] = cij;
            c[j * k + i] = cji;
        }
        c[i * k + i] = MIN_COALITION;
    }
    c
}

/// Coalition strengths when actor a votes with weight w[a] by the
/// utilities `u(a, option)` (one copy of the loop per rule).
fn weighted_coalitions(
    rule: VotingRule,
    actors: usize,
    k: usize,
    w: &[f64],
    u: impl Fn(usize, usize) -> f64,
) -> Vec<f64> {
    by_rule!(rule, |r| coalitions(actors, k, |a, i, j| vote(
        r,
        w[a],
        u(a, i),
        u(a, j)
    )))
}

/// Pairwise victory probabilities from coalition strengths.
fn victory_matrix(model: VictoryProbability, c: &[f64], k: usize) -> Vec<f64> {
    let mut p = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..i {
            let (a, b) = victory(model, c[i * k + j], c[j * k + i]);
            p[i * k + j] = a;
            p[j * k + i] = b;
        }
        p[i * k + i] = 0.5;
    }
    p
}

/// KTAB's iteration cap for the Markov chains.
const MAX_MARKOV_ITERATIONS: usize = 1000;

/// Each option's probability of prevailing.
fn condorcet(pce: PceModel, vpm: VictoryProbability, c: &[f64], k: usize) -> Vec<f64> {
    let v = victory_matrix(vpm, c, k);
    let uniform = vec![1.0 / k as f64; k];
    match pce {
        PceModel::Conditional => {
            let mut p: Vec<f64> = (0..k)
                .map(|i| v[i * k..(i + 1) * k].iter().product())
                .collect();
            let mut total: f64 = p.iter().sum();
            if !(total.is_normal()) {
                // Underflow among many options: the same ratios in logs.
                let logs: Vec<f64> = (0..k)
                    .map(|i| v[i * k..(i + 1) * k].iter().map(|x| x.ln()).sum())
                    .collect();
                let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                if !top.is_finite() {
                    return uniform;
                }
                p = logs.iter().map(|l| (l - top).exp()).collect();
                total = p.iter().sum();
            }
            p.iter().map(|x| x / total).collect()
        }
        PceModel::MarkovIncentive => {
            let incentive: Vec<f64> = (0..k * k)
                .map(|ij| c[ij] * v[ij] + if ij / k == ij % k { 1e-10 } else { 0.0 })
                .collect();
            // challenge[i·k + j]: probability that i challenges j.
            let mut challenge = vec![0.0; k * k];
            for j in 0..k {
                let sum: f64 = (0..k).map(|x| incentive[x * k + j]).sum();
                for i in 0..k {
                    challenge[i * k + j] = incentive[i * k + j] / sum;
                }
            }
            markov(k, uniform, 1e-8, |p, i| {
                (0..k)
                    .map(|j| {
                        let cj = p[i] * challenge[j * k + i] + p[j] * challenge[i * k + j];
                        v[i * k + j] * cj
                    })
                    .sum()
            })
        }
        PceModel::MarkovUniform => markov(k, uniform, 1e-6, |p, i| {
            (0..k).map(|j| v[i * k + j] * (p[i] + p[j])).sum::<f64>() / k as f64
        }),
    }
}

/// Iterates p ← (p + next(p)) / 2 until no option moves more than `tol`
/// (or KTAB's iteration cap).
fn markov(k: usize, mut p: Vec<f64>, tol: f64, next: impl Fn(&[f64], usize) -> f64) -> Vec<f64> {
    let mut change = 1.0;
    let mut iterations = 0;
    while tol < change && iterations < MAX_MARKOV_ITERATIONS {
        change = 0.0;
        let q: Vec<f64> = (0..k).map(|i| next(&p, i)).collect();
        for i in 0..k {
            change = f64::max(change, (q[i] - p[i]).abs());
        }
        for i in 0..k {
            p[i] = (p[i] + q[i]) / 2.0;
        }
        iterations += 1;
    }
    p
}

/// Options' probabilities when `n` actors of weights `w` vote over `k`
/// options with utilities u[a·k + option].
#[allow(clippy::too_many_arguments)]
fn scalar_pce(
    n: usize,
    k: usize,
    w: &[f64],
    u: &[f64],
    rule: VotingRule,
    vpm: VictoryProbability,
    pce: PceModel,
) -> Vec<f64> {
    let c = weighted_coalitions(rule, n, k, w, |a, i| u[a * k + i]);
    condorcet(pce, vpm, &c, k)
}

/// Risk attitudes from probabilities of prevailing: the likeliest actor is
/// the most risk-averse. All alike: risk neutral.
fn risk_from_probability(p: &[f64], range: BigRRange) -> Vec<f64> {
    let lo = p.iter().copied().fold(1.0, f64::min);
    let hi = p.iter().copied().fold(0.0, f64::max);
    let spread = hi - lo;
    p.iter()
        .map(|&x| {
            if spread <= 0.0 {
                return 0.0;
            }
            match range {
                BigRRange::Min => (x - lo) / spread,
                BigRRange::Mid => (3.0 * x - (hi + 2.0 * lo)) / (2.0 * spread),
                BigRRange::Max => (2.0 * x - (hi + lo)) / spread,
            }
        })
        .collect()
}

/// h's estimate of i's risk attitude.
fn estimated_risk(rh: f64, ri: f64, adjust: BigRAdjust) -> f64 {
    match adjust {
        BigRAdjust::Full => ri,
        BigRAdjust::TwoThirds => (rh + 2.0 * ri) / 3.0,
        BigRAdjust::Half => (rh + ri) / 2.0,
        BigRAdjust::OneThird => (2.0 * rh + ri) / 3.0,
        BigRAdjust::None => rh,
    }
}

/// Builds a state and all its estimates from positions and ideals.
fn assess(a: &Actors, s: &Settings, positions: Vec<f64>, ideals: Vec<f64>) -> State {
    let (n, m) = (a.n, a.m);
    let mut unique: Vec<usize> = Vec::new();
    for i in 0..n {
        let pi = &positions[i * m..(i + 1) * m];
        let seen = unique.iter().any(|&k| {
            let pk = &positions[k * m..(k + 1) * m];
            distance(pi, pk) < POSITION_TOLERANCE
        });
        if !seen {
            unique.push(i);
        }
    }
    let mut diff = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            diff[i * n + j] = weighted_distance(
                &ideals[i * m..(i + 1) * m],
                &positions[j * m..(j + 1) * m],
                a.sal(i),
            );
        }
    }
    let neutral: Vec<f64> = diff.iter().map(|&d| utility(d, 0.0)).collect();
    let c = weighted_coalitions(s.voting_rule, n, n, &a.capability, |k, i| {
        neutral[k * n + i]
    });
    let p = condorcet(s.pce_model, s.victory_probability, &c, n);
    let risk = risk_from_probability(&p, s.big_r_range);
    let mut by_position = vec![0.0; n * n * n];
    let mut own = vec![0.0; n * n];
    let mut rows = vec![0.0; n * n];
    // diff by position: every actor's distance to j's position in a run.
    let mut to_position = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            to_position[j * n + i] = diff[i * n + j];
        }
    }
    let mut r = vec![0.0; n];
    for h in 0..n {
        for (i, x) in r.iter_mut().enumerate() {
            *x = estimated_risk(risk[h], risk[i], s.big_r_adjust);
        }
        for j in 0..n {
            let out = &mut by_position[(h * n + j) * n..(h * n + j + 1) * n];
            let d = &to_position[j * n..(j + 1) * n];
            for ((u, &d), &r) in out.iter_mut().zip(d).zip(&r) {
                *u = utility(d, r);
            }
            rows[h * n + j] = out[h];
            own[h * n + j] = by_position[(h * n + j) * n + j];
        }
    }
    State {
        positions,
        ideals,
        unique,
        risk,
        by_position,
        own,
        rows,
    }
}

/// Euclidean distance.
fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// h's estimate of the probability that i beats j and of the change in
/// k's utility if i challenges j, against the status quo.
fn challenge(
    a: &Actors,
    s: &Settings,
    st: &State,
    h: usize,
    k: usize,
    i: usize,
    j: usize,
) -> (f64, f64) {
    // One copy of the loop per rule, so the rule's test leaves the loop.
    by_rule!(s.voting_rule, |r| challenge_by(
        a,
        s,
        st,
        h,
        k,
        i,
        j,
        |w, x, y| vote(r, w, x, y)
    ))
}

#[allow(clippy::too_many_arguments)]
#[inline(always)]
/// [`challenge`] with the voting rule fixed.
fn challenge_by(
    a: &Actors,
    s: &Settings,
    st: &State,
    h: usize,
    k: usize,
    i: usize,
    j: usize,
    vote: impl Fn(f64, f64, f64) -> f64,
) -> (f64, f64) {
    let n = a.n;
    let u = |x: usize, y: usize| st.u(n, h, x, y);
    let status_quo = u(k, i) + u(k, j);
    let i_wins = 2.0 * u(k, i);
    let j_wins = 2.0 * u(k, j);
    let (si, ci) = (a.salience_sum[i], a.capability[i]);
    let (sj, cj) = (a.salience_sum[j], a.capability[j]);
    let vi = vote(si * ci, u(i, i), u(i, j));
    let vj = vote(sj * cj, u(j, i), u(j, j));
    let (mut cij, mut cji) = (1e-10, 1e-10);
    for v in [vi, vj] {
        if v > 0.0 {
            cij += v;
        }
        if v < 0.0 {
            cji -= v;
        }
    }
    let (own_i, own_j) = (cij, cji);
    let (col_i, col_j) = (st.column(n, h, i), st.column(n, h, j));
    let own = &st.own[h * n..(h + 1) * n];
    for t in 0..n {
        if t == i || t == j {
            continue;
        }
        let w = a.weight[t];
        let (uti, utj, utt) = (col_i[t], col_j[t], own[t]);
        // The third party weighs in on the little contest of i, j and
        // itself alone.
        let vt = vote(w, uti, utj);
        // max/min instead of branches: adding ±0 to a positive sum leaves
        // it exactly as it was.
        let ci_little = own_i + vt.max(0.0);
        let cj_little = own_j - vt.min(0.0);
        let pi = ci_little / (ci_little + cj_little);
        let pj = 1.0 - pi;
        let (ik_beats_j, j_beats_ik, i_beats_jk, jk_beats_i) = match s.third_party_commit {
            ThirdPartyCommit::FullCommit => (3.0 * uti, 3.0 * utj, 3.0 * uti, 3.0 * utj),
            ThirdPartyCommit::SemiCommit => {
                (2.0 * uti + utt, 3.0 * utj, 3.0 * uti, 2.0 * utj + utt)
            }
            ThirdPartyCommit::NoCommit => (
                2.0 * uti + utt,
                2.0 * utj + utt,
                2.0 * uti + utt,
                2.0 * utj + utt,
            ),
        };
        let with_i = pi * ik_beats_j + pj * j_beats_ik;
        let with_j = pi * i_beats_jk + pj * jk_beats_i;
        let v = vote(w, with_i, with_j);
        cij += v.max(0.0);
        cji -= v.min(0.0);
    }
    let pij = cij / (cij + cji);
    let contest = pij * i_wins + (1.0 - pij) * j_wins;
    let outcome = (1.0 - sj) * i_wins + sj * contest;
    (pij, outcome - status_quo)
}

/// A proposed pair of positions: the initiator's and the receiver's.
struct Bargain {
    initiator: usize,
    receiver: usize,
    for_initiator: Vec<f64>,
    for_receiver: Vec<f64>,
}

/// KTAB rounds interpolated bargains to four decimals (of the 0 to 1
/// scale) to keep spurious precision and asymmetry out.
fn round4(x: f64) -> f64 {
    ((0.5 + x * 10_000.0) as i64) as f64 / 10_000.0
}

/// The bargain between i and j, each moving toward the other by salience
/// and probability of prevailing.
fn interpolate(
    a: &Actors,
    s: &Settings,
    st: &State,
    i: usize,
    j: usize,
    pi: f64,
    pj: f64,
) -> Bargain {
    let m = a.m;
    let (ti, tj) = (st.pos(m, i), st.pos(m, j));
    let (si, sj) = (a.sal(i), a.sal(j));
    let mut bi = Vec::with_capacity(m);
    let mut bj = Vec::with_capacity(m);
    const MIN_WEIGHT: f64 = 1e-6;
    for d in 0..m {
        let (x, y) = match s.inter_vec_bargain {
            InterVecBargain::S1P1 | InterVecBargain::S2P2 => {
                let e = if s.inter_vec_bargain == InterVecBargain::S1P1 {
                    1
                } else {
                    2
                };
                let wi = si[d].powi(e) * pi.powi(e);
                let wj = sj[d].powi(e) * pj.powi(e);
                let total = wi + MIN_WEIGHT + wj;
                (
                    round4(((wi + MIN_WEIGHT) * ti[d] + wj * tj[d]) / total),
                    round4((wi * ti[d] + (MIN_WEIGHT + wj) * tj[d]) / total),
                )
            }
            InterVecBargain::S2PMax => {
                let di = (pj - pi).max(0.0);
                let dj = (pi - pj).max(0.0);
                let (si2, sj2) = (si[d] * si[d], sj[d] * sj[d]);
                let dik = (di * sj2) / ((di * sj2) + MIN_WEIGHT + ((1.0 - di) * si2));
                let djk = (dj * si2) / ((dj * si2) + MIN_WEIGHT + ((1.0 - dj) * sj2));
                (ti[d] + dik * (tj[d] - ti[d]), tj[d] + djk * (ti[d] - tj[d]))
            }
        };
        bi.push(x);
        bj.push(y);
    }
    Bargain {
        initiator: i,
        receiver: j,
        for_initiator: bi,
        for_receiver: bj,
    }
}

/// One turn: every actor's best challenge becomes a bargain; every actor
/// then moves to one of the bargains that involve it.
fn step(
    a: &Actors,
    s: &Settings,
    st: &State,
    turn: usize,
    rng: &mut rand_mt::Mt64,
) -> (Vec<f64>, Vec<f64>) {
    let (n, m) = (a.n, a.m);
    let order = ordered(&s.initiator_order, turn, n);
    // bargains[k]: the bargains involving k; the status quo first.
    let mut bargains: Vec<Vec<usize>> = (0..n).map(|_| Vec::new()).collect();
    let mut table: Vec<Bargain> = (0..n)
        .map(|i| Bargain {
            initiator: i,
            receiver: i,
            for_initiator: st.pos(m, i).to_vec(),
            for_receiver: st.pos(m, i).to_vec(),
        })
        .collect();
    for (i, b) in bargains.iter_mut().enumerate() {
        b.push(i);
    }
    for &i in &order {
        let mut best: Option<(usize, f64, f64)> = None;
        for j in 0..n {
            if j == i {
                continue;
            }
            let (p, gain) = challenge(a, s, st, i, i, i, j);
            if MIN_GAIN < gain && best.is_none_or(|b| b.2 < gain) {
                best = Some((j, p, gain));
            }
        }
        let Some((j, p, _)) = best else { continue };
        let mut add = |b: Bargain, table: &mut Vec<Bargain>| {
            table.push(b);
            bargains[i].push(table.len() - 1);
            bargains[j].push(table.len() - 1);
        };
        let own = interpolate(a, s, st, i, j, p, 1.0 - p);
        // KTAB's receiver-side interpolation takes the receiver's estimate
        // of the initiator's expected gain where a probability belongs.
        let theirs = || {
            let (_, q) = challenge(a, s, st, j, i, i, j);
            interpolate(a, s, st, i, j, q, 1.0 - q)
        };
        match s.bargain_model {
            BargainModel::InitOnlyInterp => add(own, &mut table),
            BargainModel::InitRcvrInterp => {
                let other = theirs();
                add(own, &mut table);
                add(other, &mut table);
            }
            BargainModel::PwCompInterp => {
                let other = theirs();
                // KTAB weighs both sides with the initiator's capability.
                let wi = a.capability[i] * a.salience_sum[i];
                let wj = a.capability[i] * a.salience_sum[j];
                let mix = |x: &[f64], y: &[f64]| -> Vec<f64> {
                    x.iter()
                        .zip(y)
                        .map(|(x, y)| (wi * x + wj * y) / (wi + wj))
                        .collect()
                };
                let b = Bargain {
                    initiator: i,
                    receiver: j,
                    for_initiator: mix(&own.for_initiator, &other.for_initiator),
                    for_receiver: mix(&own.for_receiver, &other.for_receiver),
                };
                add(b, &mut table);
            }
        }
    }
    // Each actor's utility of each bargain's state, once per bargain: the
    // average over actors' positions, the two moved ones judged from the
    // actor's ideal (KTAB sums in this order).
    let own_sum: Vec<f64> = (0..n)
        .map(|who| {
            st.rows[who * n..(who + 1) * n]
                .iter()
                .fold(0.0, |s, x| s + x)
        })
        .collect();
    let own_sum = &own_sum;
    let value: Vec<f64> = table
        .iter()
        .flat_map(|b| {
            (0..n).map(move |who| {
                if b.initiator == b.receiver {
                    return own_sum[who] / n as f64;
                }
                let mine = &st.ideals[who * m..(who + 1) * m];
                let judge =
                    |p: &[f64]| utility(weighted_distance(mine, p, a.sal(who)), st.risk[who]);
                let mut total = judge(&b.for_initiator) + judge(&b.for_receiver);
                for (x, u) in st.rows[who * n..(who + 1) * n].iter().enumerate() {
                    if x != b.initiator && x != b.receiver {
                        total += u;
                    }
                }
                total / n as f64
            })
        })
        .collect();
    let mut next = vec![0.0; n * m];
    for k in ordered(&s.selection_order, turn, n) {
        let list = &bargains[k];
        let nb = list.len();
        let mut u = vec![0.0; n * nb];
        for who in 0..n {
            for (col, &b) in list.iter().enumerate() {
                u[who * nb + col] = value[b * n + who];
            }
        }
        let p = scalar_pce(
            n,
            nb,
            &a.capability,
            &u,
            s.voting_rule,
            s.victory_probability,
            s.pce_model,
        );
        let chosen = match s.state_transitions {
            StateTransitions::Deterministic => {
                let mut best = 0;
                let mut top = -1.0;
                for (x, &q) in p.iter().enumerate() {
                    if top < q.abs() {
                        top = q.abs();
                        best = x;
                    }
                }
                best
            }
            StateTransitions::Stochastic => select(rng, &p),
        };
        let b = &table[list[chosen]];
        let new = if b.initiator == k {
            &b.for_initiator
        } else {
            &b.for_receiver
        };
        next[k * m..(k + 1) * m].copy_from_slice(new);
    }
    let ideals = adjust_ideals(a, s, &st.ideals, &next);
    (next, ideals)
}

/// Turn `turn`'s order from a replayed list: the listed actors first (if
/// the list names actors at most once each), then the rest in order.
fn ordered(orders: &[Vec<usize>], turn: usize, n: usize) -> Vec<usize> {
    let Some(o) = orders.get(turn) else {
        return (0..n).collect();
    };
    let mut seen = vec![false; n];
    if !o
        .iter()
        .all(|&i| i < n && !std::mem::replace(&mut seen[i], true))
    {
        return (0..n).collect();
    }
    o.iter()
        .copied()
        .chain((0..n).filter(|&i| !seen[i]))
        .collect()
}

/// KTAB's uniform number in [0, 1]: Mersenne Twister 64 output passed
/// through KTAB's bijection q(x) = (x + c)(2x + 3) mod 2^64.
fn uniform(rng: &mut rand_mt::Mt64) -> f64 {
    const Q64C: u64 = 0xE08C_1D66_8B75_6F83;
    let x = rng.next_u64();
    let q = x
        .wrapping_add(Q64C)
        .wrapping_mul(x.wrapping_mul(2).wrapping_add(3));
    q as f64 / u64::MAX as f64
}

/// Draws an index by probability, as KTAB's `probSel`.
fn select(rng: &mut rand_mt::Mt64, p: &[f64]) -> usize {
    let x = uniform(rng);
    let mut sum = 0.0;
    for (i, q) in p.iter().enumerate() {
        sum += q;
        if x <= sum {
            return i;
        }
    }
    p.len().saturating_sub(1)
}

/// New ideals: each moves toward positions at its listed rates, keeping
/// the rest of its old ideal.
fn adjust_ideals(a: &Actors, s: &Settings, old: &[f64], positions: &[f64]) -> Vec<f64> {
    if s.ideal_adjustment.is_empty() {
        return positions.to_vec();
    }
    let (n, m) = (a.n, a.m);
    let rates = rate_matrix(n, &s.ideal_adjustment);
    let mut out = vec![0.0; n * m];
    for i in 0..n {
        let mut kept = 1.0;
        for j in 0..n {
            let r = rates[i * n + j];
            kept -= r;
            for d in 0..m {
                out[i * m + d] += r * positions[j * m + d];
            }
        }
        let kept = kept.max(0.0);
        for d in 0..m {
            out[i * m + d] += kept * old[i * m + d];
        }
    }
    out
}

fn rate_matrix(n: usize, pairs: &[(usize, usize, f64)]) -> Vec<f64> {
    let mut r = vec![0.0; n * n];
    for i in 0..n {
        r[i * n + i] = 1.0;
    }
    for &(i, j, x) in pairs {
        if i < n && j < n {
            r[i * n + j] = x;
        }
    }
    r
}

/// Each actor's probability of prevailing in a state: a probabilistic
/// Condorcet election over the distinct positions, each actor voting by
/// its own utility under the model's voting rule.
fn prevailing(a: &Actors, s: &Settings, st: &State) -> Vec<f64> {
    let n = a.n;
    let k = st.unique.len();
    let mut u = vec![0.0; n * k];
    for i in 0..n {
        for (c, &j) in st.unique.iter().enumerate() {
            u[i * k + c] = st.rows[i * n + j];
        }
    }
    let p = scalar_pce(
        n,
        k,
        &a.capability,
        &u,
        s.voting_rule,
        s.victory_probability,
        s.pce_model,
    );
    let m = a.m;
    (0..n)
        .map(|i| {
            // The last distinct position equivalent to i's, as KTAB looks.
            let mut share = 0.0;
            for (c, &j) in st.unique.iter().enumerate() {
                if distance(st.pos(m, i), st.pos(m, j)) < POSITION_TOLERANCE {
                    share = p[c];
                }
            }
            share
        })
        .collect()
}

/// Movement between two states: the sum over actors of the distance each
/// moved.
fn movement(m: usize, x: &[f64], y: &[f64]) -> f64 {
    x.chunks(m)
        .zip(y.chunks(m))
        .map(|(p, q)| distance(p, q))
        .sum()
}

/// Runs KTAB's model on `problem`.
pub fn run(problem: &Problem, settings: &Settings) -> Result<Run, KtabError> {
    let n = problem.actors.len();
    if n > MAX_ACTORS {
        return Err(KtabError::TooManyActors(n));
    }
    for &(i, j, x) in &settings.ideal_adjustment {
        if !(0.0..=1.0).contains(&x) || i >= n || j >= n {
            return Err(KtabError::IdealAdjustment(format!(
                "an ideal-adjustment rate must be between 0 and 1 between two actors of the problem; got {x} for actors {i} and {j}"
            )));
        }
    }
    let rates = rate_matrix(n, &settings.ideal_adjustment);
    for i in 0..n {
        let sum: f64 = rates[i * n..(i + 1) * n].iter().sum();
        if sum > 1.0 + 1e-10 {
            return Err(KtabError::IdealAdjustment(format!(
                "actor {}'s ideal-adjustment rates sum to {sum}; they may sum to at most 1",
                problem.actors[i].name
            )));
        }
    }
    let dims: Vec<usize> = (0..problem.dimensions.len())
        .filter(|&d| problem.positions.iter().any(|r| r[d].is_some()))
        .collect();
    let m = dims.len();
    if m == 0 {
        return Ok(Run {
            dimensions: dims,
            turns: Vec::new(),
            forecast: Vec::new(),
        });
    }
    // An actor silent on a dimension sits at the others' weighted mean
    // there and gives it no salience.
    let fill: Vec<f64> = dims
        .iter()
        .map(|&d| crate::baseline::compromise(problem, d).unwrap_or(50.0))
        .collect();
    let mut positions = vec![0.0; n * m];
    let mut salience = vec![0.0; n * m];
    for i in 0..n {
        let total: f64 = dims.iter().map(|&d| problem.saliences[i][d]).sum();
        // KTAB's saliences sum to at most 100 per actor.
        let scale = if total > 100.0 { 100.0 / total } else { 1.0 };
        for (c, &d) in dims.iter().enumerate() {
            positions[i * m + c] = problem.positions[i][d].unwrap_or(fill[c]) / 100.0;
            salience[i * m + c] = problem.saliences[i][d] * scale / 100.0;
        }
    }
    let salience_sum: Vec<f64> = (0..n)
        .map(|i| salience[i * m..(i + 1) * m].iter().sum())
        .collect();
    let capability: Vec<f64> = problem.actors.iter().map(|a| a.capability).collect();
    let salience_sum: Vec<f64> = salience_sum;
    let weight = (0..n).map(|t| salience_sum[t] * capability[t]).collect();
    let actors = Actors {
        n,
        m,
        capability,
        salience,
        salience_sum,
        weight,
    };
    let stated: Vec<(f64, f64)> = dims
        .iter()
        .map(|&d| {
            let xs = problem.positions.iter().filter_map(|r| r[d]);
            let lo = xs.clone().fold(f64::INFINITY, f64::min);
            let hi = xs.fold(f64::NEG_INFINITY, f64::max);
            (lo, hi)
        })
        .collect();
    let mut rng = rand_mt::Mt64::new(settings.seed);
    let mut states = vec![assess(&actors, settings, positions.clone(), positions)];
    let mut turns = Vec::new();
    let mut first_move = 0.0;
    loop {
        let t = states.len() - 1;
        let (next, ideals) = step(&actors, settings, &states[t], t, &mut rng);
        let moved = movement(m, &states[t].positions, &next);
        if t == 0 {
            first_move = moved + MIN_SIGNIFICANT_DELTA;
        }
        let ratio = moved / first_move;
        states.push(assess(&actors, settings, next, ideals));
        turns.push(ratio);
        let iteration = t + 1;
        if iteration >= MAX_TURNS || (iteration >= MIN_TURNS && ratio < STOP_RATIO) {
            break;
        }
    }
    let out: Vec<Turn> = states
        .iter()
        .enumerate()
        .map(|(t, st)| Turn {
            positions: st
                .positions
                .chunks(m)
                .map(|p| p.iter().map(|x| x * 100.0).collect())
                .collect(),
            prevailing: prevailing(&actors, settings, st),
            distinct: st.unique.clone(),
            fractional_change: t.checked_sub(1).map(|x| turns[x]),
        })
        .collect();
    let last = states.last().map(|st| {
        let p = out.last().map(|t| t.prevailing.clone()).unwrap_or_default();
        (0..m)
            .map(|d| {
                let (mut sum, mut weight) = (0.0, 0.0);
                for &j in &st.unique {
                    sum += p[j] * st.positions[j * m + d];
                    weight += p[j];
                }
                let x = 100.0
                    * if weight > 0.0 {
                        sum / weight
                    } else {
                        st.positions[d]
                    };
                // Bargains are rounded to 1e-4 of the scale and the scale
                // is divided by 100 and multiplied back: the summary is
                // held to the range the actors' stated positions span.
                let (lo, hi) = stated[d];
                x.clamp(lo, hi)
            })
            .collect()
    });
    Ok(Run {
        dimensions: dims,
        turns: out,
        forecast: last.unwrap_or_default(),
    })
}

/// The settings a KTAB file gives (model parameters, seed, ideal
/// adjustment), on top of KTAB's defaults.
pub fn settings_of(input: &crate::read::KtabInput) -> Result<Settings, String> {
    let mut s = Settings::default();
    for (name, value) in &input.settings.parameters {
        s.set(name, value)?;
    }
    if let Some(seed) = input.settings.seed {
        s.seed = seed;
    }
    let index = |name: &str, line: usize| {
        input
            .problem
            .actors
            .iter()
            .position(|a| a.name == name)
            .ok_or_else(|| format!("line {line}: iaPair names `{name}`, which is not an actor"))
    };
    for pair in &input.settings.ideal_adjustment {
        let rate = pair
            .rate
            .ok_or_else(|| format!("line {}: iaPair has no adjust", pair.line))?;
        s.ideal_adjustment.push((
            index(&pair.adjusting, pair.line)?,
            index(&pair.reference, pair.line)?,
            rate,
        ));
    }
    Ok(s)
}
