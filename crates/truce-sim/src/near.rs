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
    /// Per issue i (and n, the empty end): the number of packages of
    /// issues i.. whose offsets sum to less than b (`below[i][b]`) and to b
    /// or more (`above[i][b]`). Counted in f64: only ratios and thresholds
    /// are needed; a band's count is taken from the side whose total is
    /// smaller, so it stays accurate at either end of the range.
    below: Vec<Vec<f64>>,
    above: Vec<Vec<f64>>,
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
        let cumulate = |row: &Vec<f64>| -> (Vec<f64>, Vec<f64>) {
            let mut below = vec![0.0; row.len() + 1];
            let mut above = vec![0.0; row.len() + 1];
            for (b, w) in row.iter().enumerate() {
                below[b + 1] = below[b] + w;
            }
            for (b, w) in row.iter().enumerate().rev() {
                above[b] = above[b + 1] + w;
            }
            (below, above)
        };
        let (below, above) = ways.iter().map(cumulate).unzip();
        Sampler {
            offsets,
            below,
            above,
            base: lows.iter().sum(),
            width,
        }
    }

    /// Bins a package's offsets can sum to: 0 ..= last.
    fn last(&self) -> usize {
        self.below[0].len() - 2
    }

    /// Packages of issues i.. whose offsets sum to a bin in `from ..= to`.
    fn count(&self, i: usize, from: usize, to: usize) -> f64 {
        let (below, above) = (&self.below[i], &self.above[i]);
        let to = to.min(below.len() - 2);
        if from > to {
            return 0.0;
        }
        if below[to + 1] <= above[from] {
            below[to + 1] - below[from]
        } else {
            above[from] - above[to + 1]
        }
    }

    /// The bin a utility falls in (rounded up: the band starts at or above
    /// the demand).
    fn bin(&self, u: f64) -> usize {
        let b = ((u - self.base) / self.width).ceil();
        if b <= 0.0 {
            0
        } else {
            (b as usize).min(self.last() + 1)
        }
    }

    /// The narrowest band of bins from the demand's up that holds at least
    /// `at_least` packages (or all there are above it).
    fn band(&self, target: f64, at_least: f64) -> (usize, usize) {
        let last = self.last();
        let lo = self.bin(target);
        if lo > last || self.count(0, lo, last) <= at_least {
            return (lo, last);
        }
        // The smallest hi whose band holds enough, by bisection.
        let (mut a, mut b) = (lo, last);
        while a < b {
            let mid = a + (b - a) / 2;
            if self.count(0, lo, mid) >= at_least {
                b = mid;
            } else {
                a = mid + 1;
            }
        }
        (lo, a)
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
                // Ways to finish within the band after each option here.
                weights.clear();
                for &(_, d) in &self.offsets[i] {
                    let w = match hi.checked_sub(used + d) {
                        Some(to) => self.count(i + 1, lo.saturating_sub(used + d), to),
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use truce_engine::generate::{generate, Shape};

    fn bins_of(s: &Sampler, package: &[u16]) -> usize {
        s.offsets
            .iter()
            .zip(package)
            .map(|(offs, o)| offs.iter().find(|x| x.0 == *o).map_or(usize::MAX, |x| x.1))
            .sum()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The counts are the brute-force counts of packages per bin, and
        /// every draw lies in the band, which holds enough packages.
        #[test]
        fn counts_match_brute_force_and_draws_stay_in_the_band(
            seed in 0u64..500,
            options in prop::collection::vec(2u16..5, 1..6),
            k in 0usize..2,
            target in 0.0f64..1.0,
            at_least in 1.0f64..40.0,
        ) {
            let s = generate(&Shape { parties: 2, options: options.clone(), ..Shape::default() }, seed).unwrap();
            let ev = Evaluator::new(&s);
            let allowed: Vec<Vec<u16>> = options.iter().map(|&r| (0..r).collect()).collect();
            let sampler = Sampler::new(&ev, k, &allowed);
            let mut brute = vec![0.0; sampler.last() + 1];
            let mut package = vec![0u16; options.len()];
            loop {
                brute[bins_of(&sampler, &package)] += 1.0;
                if !ev.space.advance(&mut package) {
                    break;
                }
            }
            let counted: Vec<f64> = (0..=sampler.last()).map(|b| sampler.count(0, b, b)).collect();
            prop_assert_eq!(&brute, &counted);
            let (lo, hi) = sampler.band(target, at_least);
            let held: f64 = brute[lo..=hi].iter().sum();
            let above: f64 = brute[lo..].iter().sum();
            prop_assert!(held >= at_least.min(above));
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            for p in sampler.draw(target, at_least, 20, &mut rng) {
                let b = bins_of(&sampler, &p);
                prop_assert!((lo..=hi).contains(&b), "bin {} outside {}..={}", b, lo, hi);
            }
        }
    }

    /// Draws are uniform over the band: each of its packages comes up about
    /// as often as the others.
    #[test]
    fn draws_are_uniform_over_the_band() {
        let s = generate(
            &Shape {
                parties: 2,
                options: vec![4, 4, 4, 4],
                ..Shape::default()
            },
            3,
        )
        .unwrap();
        let ev = Evaluator::new(&s);
        let allowed: Vec<Vec<u16>> = vec![(0..4).collect(); 4];
        let sampler = Sampler::new(&ev, 0, &allowed);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let draws = sampler.draw(0.5, 12.0, 24_000, &mut rng);
        let mut seen: std::collections::HashMap<Vec<u16>, u32> = Default::default();
        for p in draws {
            *seen.entry(p).or_default() += 1;
        }
        let (lo, hi) = sampler.band(0.5, 12.0);
        let in_band = sampler.count(0, lo, hi);
        assert_eq!(
            seen.len() as f64,
            in_band,
            "every package of the band is drawn"
        );
        let expected = 24_000.0 / in_band;
        for (p, n) in seen {
            let n = f64::from(n);
            // Far beyond 5 standard deviations of a binomial count.
            assert!(
                (n - expected).abs() < 5.0 * expected.sqrt() + 1.0,
                "{p:?} drawn {n} times, expected {expected}"
            );
        }
    }
}
