//! Many runs and what they add up to. Runs are grouped in fixed blocks,
//! each block summed in run order and the blocks combined in block order,
//! so a seed gives the same numbers whatever the number of threads.

use crate::protocol::{play, Ending, Event, Outcome};
use crate::table::Table;
use crate::world::{reservations, Utilities, Valuation};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::collections::HashMap;

/// Runs per block: the unit of parallel work and of summation order.
const BLOCK: u64 = 256;

/// Blocks played in parallel before their sums are merged.
const GROUP: u64 = 4096;

/// The random stream of run `run` under `seed`.
pub fn run_rng(seed: u64, run: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    rng
}

/// The valuation a run plays with: the one every run shares, or its own.
pub enum RunValuation<'a> {
    /// The valuation every run shares (nothing uncertain in utilities).
    Shared(&'a Valuation),
    /// This run's own draws.
    Own(Box<Valuation>),
}

impl std::ops::Deref for RunValuation<'_> {
    type Target = Valuation;
    fn deref(&self) -> &Valuation {
        match self {
            RunValuation::Shared(v) => v,
            RunValuation::Own(v) => v,
        }
    }
}

/// What run number `run` draws before the talks: its valuation (its own
/// unless one is shared), its reservation values, and the random stream it
/// goes on with.
pub fn draw_run<'a>(
    t: &Table,
    shared: Option<&'a Valuation>,
    run: u64,
) -> (RunValuation<'a>, Vec<f64>, ChaCha8Rng) {
    let mut rng = run_rng(t.config.seed, run);
    let valuation = match shared {
        Some(v) => RunValuation::Shared(v),
        None => RunValuation::Own(Box::new(Valuation::new(t, Utilities::sampled(t, &mut rng)))),
    };
    let reservation = reservations(t, &mut rng);
    (valuation, reservation, rng)
}

/// Plays run number `run`, with its minutes when `trace` is given.
pub fn one_run(
    t: &Table,
    shared: Option<&Valuation>,
    run: u64,
    trace: Option<&mut Vec<Event>>,
) -> Outcome {
    let (valuation, reservation, mut rng) = draw_run(t, shared, run);
    play(t, &valuation, reservation, &mut rng, trace)
}

/// Run `run` with its minutes: what `--trace` shows.
pub fn traced_run(t: &Table, run: u64) -> (Vec<Event>, Outcome) {
    let shared = shared_valuation(t);
    let mut events = Vec::new();
    let outcome = one_run(t, shared.as_ref(), run, Some(&mut events));
    (events, outcome)
}

/// The valuation every run shares, when no utility is uncertain.
pub fn shared_valuation(t: &Table) -> Option<Valuation> {
    (!t.utilities_vary).then(|| Valuation::new(t, Utilities::nominal(t)))
}

/// Sums over runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Runs played.
    pub runs: u64,
    /// Runs that ended in an agreement.
    pub agreements: u64,
    /// Agreements in or before the walk-away round.
    pub before_deadline: u64,
    /// Sum of the rounds of agreements.
    pub agreement_rounds: u64,
    /// Per valued party.
    pub utility_sums: Vec<f64>,
    /// Agreements per package number.
    pub deals: HashMap<usize, u64>,
    /// Runs per way of ending.
    pub endings: HashMap<Ending, u64>,
}

impl Tally {
    fn new(parties: usize) -> Tally {
        Tally {
            utility_sums: vec![0.0; parties],
            ..Tally::default()
        }
    }

    fn add(&mut self, t: &Table, o: &Outcome) {
        self.runs += 1;
        *self.endings.entry(o.ending).or_default() += 1;
        if let Some(x) = o.package {
            self.agreements += 1;
            self.agreement_rounds += o.round as u64;
            if t.walk_away.is_none_or(|w| o.round <= w) {
                self.before_deadline += 1;
            }
            *self.deals.entry(x).or_default() += 1;
        }
        for (s, u) in self.utility_sums.iter_mut().zip(&o.utilities) {
            *s += u;
        }
    }

    fn merge(&mut self, other: Tally) {
        self.runs += other.runs;
        self.agreements += other.agreements;
        self.before_deadline += other.before_deadline;
        self.agreement_rounds += other.agreement_rounds;
        for (s, o) in self.utility_sums.iter_mut().zip(&other.utility_sums) {
            *s += o;
        }
        for (k, n) in other.deals {
            *self.deals.entry(k).or_default() += n;
        }
        for (k, n) in other.endings {
            *self.endings.entry(k).or_default() += n;
        }
    }
}

/// Plays `t.config.runs` runs in parallel; `progress` is called with the
/// number of runs finished as blocks complete.
pub fn run_all(t: &Table, progress: &(dyn Fn(u64) + Sync)) -> Tally {
    let shared = shared_valuation(t);
    let runs = t.config.runs;
    let blocks = runs.div_ceil(BLOCK);
    let parties = t.valued.len();
    let mut total = Tally::new(parties);
    // Blocks are summed in groups, each group in block order, so memory
    // stays bounded however many runs are asked for.
    let mut first = 0;
    while first < blocks {
        let last = blocks.min(first + GROUP);
        let tallies: Vec<Tally> = (first..last)
            .into_par_iter()
            .map(|b| {
                let mut tally = Tally::new(parties);
                for run in b * BLOCK..((b + 1) * BLOCK).min(runs) {
                    tally.add(t, &one_run(t, shared.as_ref(), run, None));
                }
                progress(tally.runs);
                tally
            })
            .collect();
        for tally in tallies {
            total.merge(tally);
        }
        first = last;
    }
    total
}
