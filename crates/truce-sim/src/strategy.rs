//! A negotiator in one run: what it demands at a moment, which package it
//! offers, what it accepts. It knows only its own utilities; what it
//! guesses of the others comes from the offers it has seen.

use crate::table::Table;
use crate::world::{Ladder, Utilities};
use truce_engine::simulation::{Strategy, Tactic};

/// How many of the packages just above its demand a negotiator chooses
/// among, picking the one most like what the others have offered.
const WINDOW: usize = 16;

/// Most packages of a band near the demand listed whole when offers are
/// searched; a larger band is sampled.
const BAND_LIMIT: usize = 256;

/// How often the band near the demand widens (8 times each) before a
/// negotiator falls back on its best package.
const WIDENINGS: usize = 8;

/// Seeds the negotiators' streams of draws (with the party and the offer's
/// number).
const OFFER_SEED: u64 = 0x6f66_6665_7273;

#[derive(Debug, Clone)]
/// One negotiator in a run.
pub struct Agent<'a> {
    /// Valued position.
    pub k: usize,
    /// How it bargains.
    pub strategy: Strategy,
    ladder: &'a Ladder,
    utilities: &'a Utilities,
    /// Its value of no deal, this run.
    pub reservation: f64,
    /// Per other negotiator: my utility of its first and latest offers.
    first_seen: Vec<Option<f64>>,
    last_seen: Vec<Option<f64>>,
    /// How often each option of each issue appeared in others' offers.
    seen: Vec<Vec<u32>>,
    /// Offers it has searched for (numbers its random streams).
    offers_made: u64,
}

impl<'a> Agent<'a> {
    /// A negotiator for valued party `k`.
    pub fn new(
        k: usize,
        strategy: Strategy,
        ladder: &'a Ladder,
        utilities: &'a Utilities,
        reservation: f64,
        parties: usize,
        radices: &[usize],
    ) -> Agent<'a> {
        Agent {
            k,
            strategy,
            ladder,
            utilities,
            reservation,
            first_seen: vec![None; parties],
            last_seen: vec![None; parties],
            seen: radices.iter().map(|&r| vec![0; r]).collect(),
            offers_made: 0,
        }
    }

    /// The best it can get, if any package on its ladder beats walking away.
    pub fn best(&self) -> Option<f64> {
        self.ladder.best().filter(|&b| b >= self.reservation)
    }

    /// Its demand at time t in [0, 1] (1 is the deadline).
    pub fn target(&self, t: f64) -> f64 {
        let Some(max) = self.ladder.best() else {
            return f64::INFINITY;
        };
        let min = self
            .reservation
            .max(self.ladder.worst().unwrap_or(self.reservation));
        if max <= min {
            return max;
        }
        match self.strategy.tactic {
            Tactic::TimeDependent { exponent } => {
                let t = t.clamp(0.0, 1.0);
                min + (max - min) * (1.0 - t.powf(1.0 / exponent))
            }
            Tactic::TitForTat => {
                // Mean concession of the others seen so far (no allocation:
                // this runs at every turn).
                let (sum, n) = self
                    .first_seen
                    .iter()
                    .zip(&self.last_seen)
                    .filter_map(|(f, l)| Some((l.as_ref()? - f.as_ref()?).max(0.0)))
                    .fold((0.0, 0usize), |(s, n), c| (s + c, n + 1));
                let mean = if n == 0 { 0.0 } else { sum / n as f64 };
                (max - mean).max(min)
            }
            Tactic::Hardliner => max,
        }
    }

    /// The package it offers at time t: among the packages just above its
    /// demand, the one whose options the others have offered most (ties:
    /// better for itself, then the lower package number). On a table too
    /// large to list it searches for such a package instead
    /// ([`Agent::search_offer`]).
    pub fn offer(
        &mut self,
        t: f64,
        table: &Table,
        options_of: &dyn Fn(usize, &mut [u16]),
        scratch: &mut [u16],
    ) -> Option<usize> {
        self.best()?;
        let target = self.target(t).max(self.reservation);
        let (packages, utilities) = match self.ladder {
            Ladder::Listed {
                packages,
                utilities,
            } => (packages, utilities),
            Ladder::Searched { best, .. } => {
                best.as_ref()?;
                return self.search_offer(target, table);
            }
        };
        let above = utilities.partition_point(|&u| u >= target).max(1);
        let from = above.saturating_sub(WINDOW);
        let mut best: Option<(u64, usize)> = None;
        for (pos, &x) in packages.iter().enumerate().take(above).skip(from) {
            options_of(x as usize, scratch);
            let score = self.likeness(scratch);
            // Walking down the ladder, keep a later package only if it is
            // strictly more like the others' offers.
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, pos));
            }
        }
        best.map(|(_, pos)| packages[pos] as usize)
    }

    /// How often the others have offered this package's options.
    fn likeness(&self, options: &[u16]) -> u64 {
        options
            .iter()
            .zip(&self.seen)
            .map(|(&o, counts)| counts.get(o as usize).copied().unwrap_or(0) as u64)
            .sum()
    }

    /// An offer on a table too large to list, chosen as from a listed
    /// table: [`WINDOW`] distinct packages drawn uniformly from just above its
    /// demand (see [`crate::near`]), kept if worth the demand and, when it
    /// keeps to them, within its red lines; of those, the one whose options
    /// the others have offered most (ties: better for itself). When no draw
    /// passes, the band widens; failing that, its best package. The draws
    /// come from the negotiator's own random stream, so a run replays.
    pub fn search_offer(&mut self, target: f64, table: &Table) -> Option<usize> {
        use rand::SeedableRng;
        let Ladder::Searched {
            best: Some((best, _)),
            sampler,
            ..
        } = self.ladder
        else {
            return None;
        };
        let ev = self.utilities.evaluator()?;
        let k = self.k;
        let red = if self.strategy.respect_red_lines {
            table.red_mask[k]
        } else {
            0
        };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(OFFER_SEED ^ k as u64);
        rng.set_stream(self.offers_made);
        self.offers_made += 1;
        // As listed: the WINDOW packages worth the demand (within its red
        // lines when it keeps to them) nearest above it. Bands near the
        // demand are small and listed whole; a band too large to list is
        // sampled.
        let mut at_least = WINDOW as f64;
        let mut found: Vec<(f64, Vec<u16>)> = Vec::new();
        for _ in 0..WIDENINGS {
            let (packages, all) = sampler.near(target, at_least, BAND_LIMIT, WINDOW, &mut rng);
            found.clear();
            for package in packages {
                let u = ev.utility_of(k, &package);
                if u >= target && !table.crosses(&package, red) {
                    found.push((u, package));
                }
            }
            if found.len() >= WINDOW || (!all && !found.is_empty()) {
                break;
            }
            at_least *= 8.0;
        }
        found.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        found.truncate(WINDOW);
        // Walking down from the best of them, a later package is kept only
        // if strictly more like the others' offers (as listed).
        let mut chosen: Option<(u64, Vec<u16>)> = None;
        for (_, package) in found.into_iter().rev() {
            let like = self.likeness(&package);
            if chosen.as_ref().is_none_or(|(l, _)| like > *l) {
                chosen = Some((like, package));
            }
        }
        let package = chosen.map_or_else(|| best.clone(), |c| c.1);
        table.index_of(&package)
    }

    /// Whether it accepts package x at time t: never below its reservation
    /// value, never across its red lines when it keeps to them, and only if
    /// the package is worth what it would demand.
    pub fn accepts(&self, x: usize, t: f64, red_ok: bool) -> bool {
        let u = self.utilities.get(x, self.k);
        if u < self.reservation || (self.strategy.respect_red_lines && !red_ok) {
            return false;
        }
        u >= self.target(t) - 1e-12
    }

    /// Whether package x is worth at least its value of no deal.
    pub fn worth_no_deal(&self, x: usize) -> bool {
        self.utilities.get(x, self.k) >= self.reservation
    }

    /// Notes an offer made by negotiator `from`.
    pub fn observe(&mut self, from: usize, x: usize, options: &[u16]) {
        let u = self.utilities.get(x, self.k);
        if self.first_seen[from].is_none() {
            self.first_seen[from] = Some(u);
        }
        self.last_seen[from] = Some(u);
        for (&o, counts) in options.iter().zip(&mut self.seen) {
            counts[o as usize] += 1;
        }
    }
}
