//! A negotiator in one run: what it demands at a moment, which package it
//! offers, what it accepts. It knows only its own utilities; what it
//! guesses of the others comes from the offers it has seen.

use crate::world::{Ladder, Utilities};
use truce_engine::simulation::{Strategy, Tactic};

/// How many of the packages just above its demand a negotiator chooses
/// among, picking the one most like what the others have offered.
const WINDOW: usize = 16;

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
    /// better for itself, then the lower package number).
    pub fn offer(
        &self,
        t: f64,
        options_of: &dyn Fn(usize, &mut [u16]),
        scratch: &mut [u16],
    ) -> Option<usize> {
        self.best()?;
        let target = self.target(t).max(self.reservation);
        let above = self.ladder.at_least(target).max(1);
        let from = above.saturating_sub(WINDOW);
        let mut best: Option<(u64, usize)> = None;
        for pos in from..above {
            let x = self.ladder.packages[pos] as usize;
            options_of(x, scratch);
            let score: u64 = scratch
                .iter()
                .zip(&self.seen)
                .map(|(&o, counts)| counts[o as usize] as u64)
                .sum();
            // Walking down the ladder, keep a later package only if it is
            // strictly more like the others' offers.
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, pos));
            }
        }
        best.map(|(_, pos)| self.ladder.packages[pos] as usize)
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
