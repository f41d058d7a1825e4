//! Offers near a demand on a table too large to list. A listed negotiator
//! chooses among the few packages just above its demand; here those
//! packages are found without listing: the party's utility is cut into
//! fine bins, the number of ways to finish a package in each bin is
//! counted issue by issue from the last (the usual dynamic programme over
//! an additive utility), and packages are drawn uniformly from the
//! narrowest band of bins above the demand that holds enough of them. The
//! draws are then checked exactly (utility and red lines).

use rand::Rng;
use truce_engine::utility::Evaluator;

/// Bins the utility range is cut into: rounding puts a package at most
/// half a bin per issue from its true place.
const BINS: usize = 1 << 14;

/// Counts of ways to finish a package, per issue and bin, for one party.
#[derive(Debug, Clone)]
pub struct Sampler {
    /// Per issue (table order): each allowed option and its offset in bins
    /// above the smallest term.
    offsets: Vec<Vec<(u16, usize)>>,
    /// `ways[i][b]`: packages of issues i.. whose offsets sum to b
    /// (`ways[n]` is one way at bin 0). Counted in f64: only ratios and
    /// thresholds are needed, and they stay exact enough at any size.
    ways: Vec<Vec<f64>>,
    /// The utility of offset 0 (every issue at its smallest term).
    base: f64,
    /// Utility per bin.
    width: f64,
}

impl Sampler {
    /// The sampler of valued party `k`'s additive utility over the
    /// options on the table (`allowed`, per issue).
    pub fn new(ev: &Evaluator, k: usize, allowed: &[Vec<u16>]) -> Sampler {
        let terms: Vec<Vec<(u16, f64)>> = allowed
            .iter()
            .enumerate()
            .map(|(i, opts)| {
                opts.iter()
                    .map(|&o| (o, ev.term(k, i, o as usize)))
                    .collect()
            })
            .collect();
        let lows: Vec<f64> = terms
            .iter()
            .map(|t| t.iter().map(|x| x.1).fold(f64::INFINITY, f64::min))
            .collect();
        let range: f64 = terms
            .iter()
            .zip(&lows)
            .map(|(t, lo)| t.iter().map(|x| x.1 - lo).fold(0.0, f64::max))
            .sum();
        let width = if range > 0.0 {
            range / BINS as f64
        } else {
            1.0
        };
        let offsets: Vec<Vec<(u16, usize)>> = terms
            .iter()
            .zip(&lows)
            .map(|(t, lo)| {
                t.iter()
                    .map(|&(o, x)| (o, (((x - lo) / width).round() as usize).min(BINS)))
                    .collect()
            })
            .collect();
        let n = offsets.len();
        // Sums of rounded offsets can pass BINS by a little.
        let size = BINS + n + 1;
        let mut ways = vec![vec![0.0f64; size]; n + 1];
        ways[n][0] = 1.0;
        for i in (0..n).rev() {
            let (head, tail) = ways.split_at_mut(i + 1);
            let (next, here) = (&tail[0], &mut head[i]);
            for &(_, d) in &offsets[i] {
                for (b, &w) in next.iter().enumerate() {
                    if w != 0.0 && b + d < size {
                        here[b + d] += w;
                    }
                }
            }
        }
        Sampler {
            offsets,
            ways,
            base: lows.iter().sum(),
            width,
        }
    }

    /// The bin a utility falls in (rounded up: the band starts at or above
    /// the demand).
    fn bin(&self, u: f64) -> usize {
        let b = ((u - self.base) / self.width).ceil();
        if b <= 0.0 {
            0
        } else {
            (b as usize).min(self.ways[0].len())
        }
    }

    /// The narrowest band of bins from the demand's up that holds at least
    /// `at_least` packages (or all there are above it).
    fn band(&self, target: f64, at_least: f64) -> (usize, usize) {
        let all = &self.ways[0];
        let lo = self.bin(target);
        let mut held = 0.0;
        let mut hi = lo;
        while hi < all.len() {
            held += all[hi];
            if held >= at_least {
                break;
            }
            hi += 1;
        }
        (lo, hi.min(all.len().saturating_sub(1)))
    }

    /// Draws `count` packages uniformly from the narrowest band above
    /// `target` that holds at least `at_least` of them.
    pub fn draw(
        &self,
        target: f64,
        at_least: f64,
        count: usize,
        rng: &mut impl Rng,
    ) -> Vec<Vec<u16>> {
        let (lo, hi) = self.band(target, at_least);
        let n = self.offsets.len();
        let mut out = Vec::with_capacity(count);
        let mut weights: Vec<f64> = Vec::new();
        'draws: for _ in 0..count {
            let mut package = Vec::with_capacity(n);
            let mut used = 0usize;
            for i in 0..n {
                let next = &self.ways[i + 1];
                // Ways to finish within the band after each option here.
                weights.clear();
                for &(_, d) in &self.offsets[i] {
                    let from = lo.saturating_sub(used + d);
                    let w: f64 = match hi.checked_sub(used + d) {
                        Some(to) => next
                            .get(from..=to.min(next.len() - 1))
                            .map_or(0.0, |s| s.iter().sum()),
                        None => 0.0,
                    };
                    weights.push(w);
                }
                let total: f64 = weights.iter().sum();
                if total <= 0.0 {
                    continue 'draws;
                }
                let mut pick = rng.gen_range(0.0..total);
                let mut chosen = weights.len() - 1;
                for (j, w) in weights.iter().enumerate() {
                    if pick < *w {
                        chosen = j;
                        break;
                    }
                    pick -= w;
                }
                let (o, d) = self.offsets[i][chosen];
                package.push(o);
                used += d;
            }
            out.push(package);
        }
        out
    }
}
