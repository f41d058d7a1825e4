//! Offers near a demand on a table too large to list. A listed negotiator
//! chooses among the few packages just above its demand; here those
//! packages are found without listing: the party's utility is cut into
//! fine bins, the number of ways to finish a package in each bin is
//! counted part by part from the last (the usual dynamic programme over
//! an additive utility; a part is one issue, or the issues one of the
//! party's linkages ties together, so that the linkage's effect is in the
//! bins), and packages are drawn uniformly from the
//! narrowest band of bins above the demand that holds enough of them. The
//! draws are then checked exactly (utility and red lines).

use rand::Rng;
use truce_engine::utility::Evaluator;

/// Bins the utility range is cut into: rounding puts a package at most
/// half a bin per issue from its true place.
const BINS: usize = 1 << 14;

/// Most combinations of the issues one party's linkages tie together that
/// a sampler lists as one part; past it those linkages are left out of the
/// bins (draws are still checked exactly).
const PART_LIMIT: usize = 4096;

/// Counts of ways to finish a package, per part and bin, for one party.
#[derive(Debug, Clone)]
pub struct Sampler {
    /// The parts a package is drawn in: one issue each, except issues tied
    /// together by one of the party's linkages, which form one part whose
    /// choices are their combinations (so the linkage's effect is in the
    /// bins).
    parts: Vec<Part>,
    /// Per part i (and the empty end): the number of packages of parts
    /// i.. whose offsets sum to less than b (`below[i][b]`) and to b or
    /// more (`above[i][b]`). Counted in f64: only ratios and thresholds
    /// are needed; a band's count is taken from the side whose total is
    /// smaller, so it stays accurate at either end of the range.
    below: Vec<Vec<f64>>,
    above: Vec<Vec<f64>>,
    /// The utility of offset 0 (every part at its smallest value).
    base: f64,
    /// Utility per bin.
    width: f64,
    /// Issues in a package.
    issues: usize,
}

/// Some issues drawn together.
#[derive(Debug, Clone)]
struct Part {
    issues: Vec<usize>,
    /// Each allowed combination of the part's options (same order as
    /// `issues`) and its offset in bins above the part's smallest value.
    choices: Vec<(Vec<u16>, usize)>,
}

impl Sampler {
    /// The sampler of valued party `k`'s utility over the options on the
    /// table (`allowed`, per issue).
    pub fn new(ev: &Evaluator, k: usize, allowed: &[Vec<u16>]) -> Sampler {
        let n = allowed.len();
        // Issues tied by a linkage that moves k's utility form one part.
        let mut part_of: Vec<usize> = (0..n).collect();
        let links: Vec<(usize, f64)> = ev
            .link_effects()
            .iter()
            .enumerate()
            .filter_map(|(l, e)| e.filter(|e| e.0 == k).map(|e| (l, e.1)))
            .collect();
        for &(l, _) in &links {
            let issues = ev.link_rules()[l].issues(n);
            let mut joined: Vec<usize> = (0..n)
                .filter(|&i| issues.iter().any(|&j| part_of[j] == part_of[i]))
                .collect();
            joined.sort_unstable();
            let combos = joined
                .iter()
                .try_fold(1usize, |c, &i| c.checked_mul(allowed[i].len()));
            if combos.is_some_and(|c| c <= PART_LIMIT) {
                if let Some(&first) = joined.first() {
                    for &i in &joined {
                        part_of[i] = first;
                    }
                }
            }
        }
        let mut scratch = vec![0u16; n];
        // Per part: its issues and each combination's options and value.
        type Valued = (Vec<usize>, Vec<(Vec<u16>, f64)>);
        let mut values: Vec<Valued> = Vec::new();
        for head in 0..n {
            if part_of[head] != head {
                continue;
            }
            let issues: Vec<usize> = (0..n).filter(|&i| part_of[i] == head).collect();
            // The linkages entirely within the part.
            let own: Vec<(usize, f64)> = links
                .iter()
                .copied()
                .filter(|&(l, _)| {
                    ev.link_rules()[l]
                        .issues(n)
                        .iter()
                        .all(|i| issues.contains(i))
                })
                .collect();
            let mut choices = Vec::new();
            let mut at = vec![0usize; issues.len()];
            if issues.iter().all(|&i| !allowed[i].is_empty()) {
                loop {
                    let options: Vec<u16> = issues
                        .iter()
                        .zip(&at)
                        .map(|(&i, &a)| allowed[i][a])
                        .collect();
                    let mut v = 0.0;
                    for (&i, &o) in issues.iter().zip(&options) {
                        scratch[i] = o;
                        v += ev.term(k, i, o as usize);
                    }
                    for &(l, x) in &own {
                        if ev.link_rules()[l].holds(&scratch) {
                            v += x;
                        }
                    }
                    choices.push((options, v));
                    let mut j = at.len();
                    while j > 0 {
                        j -= 1;
                        at[j] += 1;
                        if at[j] < allowed[issues[j]].len() {
                            break;
                        }
                        at[j] = 0;
                    }
                    if at.iter().all(|&a| a == 0) {
                        break;
                    }
                }
            }
            values.push((issues, choices));
        }
        let lows: Vec<f64> = values
            .iter()
            .map(|(_, c)| c.iter().map(|x| x.1).fold(f64::INFINITY, f64::min))
            .collect();
        let range: f64 = values
            .iter()
            .zip(&lows)
            .map(|((_, c), lo)| c.iter().map(|x| x.1 - lo).fold(0.0, f64::max))
            .sum();
        let width = if range > 0.0 {
            range / BINS as f64
        } else {
            1.0
        };
        let parts: Vec<Part> = values
            .into_iter()
            .zip(&lows)
            .map(|((issues, c), lo)| Part {
                issues,
                choices: c
                    .into_iter()
                    .map(|(o, x)| (o, (((x - lo) / width).round() as usize).min(BINS)))
                    .collect(),
            })
            .collect();
        let m = parts.len();
        // Sums of rounded offsets can pass BINS by a little.
        let size = BINS + m + 1;
        let mut ways = vec![vec![0.0f64; size]; m + 1];
        ways[m][0] = 1.0;
        for i in (0..m).rev() {
            let (head, tail) = ways.split_at_mut(i + 1);
            let (next, here) = (&tail[0], &mut head[i]);
            for &(_, d) in &parts[i].choices {
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
            parts,
            below,
            above,
            // The linkage rescaling's offset: bins are in utility.
            base: lows.iter().sum::<f64>() + ev.offset(k),
            width,
            issues: n,
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

    /// The packages of the narrowest band above `target` that holds at
    /// least `at_least` of them: every one if it holds at most `limit`
    /// (a listed negotiator would see them all), else `draws` drawn
    /// uniformly, repeats removed. The flag says whether they are all.
    pub fn near(
        &self,
        target: f64,
        at_least: f64,
        limit: usize,
        draws: usize,
        rng: &mut impl Rng,
    ) -> (Vec<Vec<u16>>, bool) {
        let (lo, hi) = self.band(target, at_least);
        if self.count(0, lo, hi) <= limit as f64 {
            return (self.every(lo, hi), true);
        }
        let mut out: Vec<Vec<u16>> = Vec::with_capacity(draws);
        for p in self.draw_in(lo, hi, draws, rng) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        (out, false)
    }

    /// Every package whose offsets sum to a bin in `lo ..= hi`, depth
    /// first, following only choices that can still finish in the band.
    fn every(&self, lo: usize, hi: usize) -> Vec<Vec<u16>> {
        let m = self.parts.len();
        let mut out = Vec::new();
        let mut package = vec![0u16; self.issues];
        // Per depth: the choice tried next, and the offset used before it.
        let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
        while let Some(&(next, used)) = stack.last() {
            let i = stack.len() - 1;
            if i == m {
                out.push(package.clone());
                stack.pop();
                continue;
            }
            let part = &self.parts[i];
            let Some((options, d)) = part.choices.get(next) else {
                stack.pop();
                continue;
            };
            stack[i].0 += 1;
            let total = used + d;
            let fits = hi
                .checked_sub(total)
                .is_some_and(|to| self.count(i + 1, lo.saturating_sub(total), to) > 0.0);
            if fits {
                for (&issue, &o) in part.issues.iter().zip(options) {
                    package[issue] = o;
                }
                stack.push((0, total));
            }
        }
        out
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
        self.draw_in(lo, hi, count, rng)
    }

    /// Draws `count` packages uniformly from the bins `lo ..= hi`.
    fn draw_in(&self, lo: usize, hi: usize, count: usize, rng: &mut impl Rng) -> Vec<Vec<u16>> {
        let mut out = Vec::with_capacity(count);
        let mut weights: Vec<f64> = Vec::new();
        'draws: for _ in 0..count {
            let mut package = vec![0u16; self.issues];
            let mut used = 0usize;
            for (i, part) in self.parts.iter().enumerate() {
                // Ways to finish within the band after each choice here.
                weights.clear();
                for &(_, d) in &part.choices {
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
                let (options, d) = &part.choices[chosen];
                for (&issue, &o) in part.issues.iter().zip(options) {
                    package[issue] = o;
                }
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
        s.parts
            .iter()
            .map(|part| {
                let options: Vec<u16> = part.issues.iter().map(|&i| package[i]).collect();
                part.choices
                    .iter()
                    .find(|x| x.0 == options)
                    .map_or(usize::MAX, |x| x.1)
            })
            .sum()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The counts are the brute-force counts of packages per bin, each
        /// package's bin is its utility (linkages and their rescaling
        /// included) to within the rounding, the band listed whole is
        /// exactly its packages, and every draw lies in the band, which
        /// holds enough packages.
        #[test]
        fn counts_match_brute_force_and_draws_stay_in_the_band(
            seed in 0u64..500,
            options in prop::collection::vec(2u16..5, 1..6),
            linkages in 0usize..3,
            k in 0usize..2,
            target in 0.0f64..1.0,
            at_least in 1.0f64..40.0,
        ) {
            let s = generate(&Shape { parties: 2, options: options.clone(), linkages, ..Shape::default() }, seed).unwrap();
            let ev = Evaluator::new(&s);
            let allowed: Vec<Vec<u16>> = options.iter().map(|&r| (0..r).collect()).collect();
            let sampler = Sampler::new(&ev, k, &allowed);
            let mut brute = vec![0.0; sampler.last() + 1];
            let mut package = vec![0u16; options.len()];
            let (lo, hi) = sampler.band(target, at_least);
            let mut in_band: Vec<Vec<u16>> = Vec::new();
            let slack = (sampler.parts.len() as f64 + 1.0) * sampler.width / 2.0 + 1e-9;
            loop {
                let b = bins_of(&sampler, &package);
                brute[b] += 1.0;
                let placed = sampler.base + b as f64 * sampler.width;
                let u = ev.utility_of(k, &package);
                prop_assert!((placed - u).abs() <= slack, "bin {} puts {:?} at {}, utility {}", b, package, placed, u);
                if (lo..=hi).contains(&b) {
                    in_band.push(package.clone());
                }
                if !ev.space.advance(&mut package) {
                    break;
                }
            }
            let counted: Vec<f64> = (0..=sampler.last()).map(|b| sampler.count(0, b, b)).collect();
            prop_assert_eq!(&brute, &counted);
            let mut every = sampler.every(lo, hi);
            every.sort();
            in_band.sort();
            prop_assert_eq!(&every, &in_band, "the band listed whole");
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

    /// On the example, whose linkages each tie two issues together, every
    /// package's bin is its utility to within the rounding, for every
    /// valued party: the linkages are in the bins.
    #[test]
    fn the_example_s_linkages_are_in_the_bins() {
        let s = truce_engine::parse_scenario(include_str!("../../../examples/ukraine-2025.toml"))
            .unwrap();
        let ev = Evaluator::new(&s);
        let allowed: Vec<Vec<u16>> = ev
            .space
            .radices()
            .iter()
            .map(|&r| (0..r).collect())
            .collect();
        let mut tied = 0;
        for k in 0..s.valued_parties().len() {
            let sampler = Sampler::new(&ev, k, &allowed);
            tied += sampler.parts.iter().filter(|p| p.issues.len() > 1).count();
            let slack = (sampler.parts.len() as f64 + 1.0) * sampler.width / 2.0 + 1e-9;
            let mut package = vec![0u16; allowed.len()];
            loop {
                let placed = sampler.base + bins_of(&sampler, &package) as f64 * sampler.width;
                let u = ev.utility_of(k, &package);
                assert!(
                    (placed - u).abs() <= slack,
                    "party {k}: {package:?} placed at {placed}, utility {u}"
                );
                if !ev.space.advance(&mut package) {
                    break;
                }
            }
        }
        assert_eq!(
            tied, 2,
            "each of the example's two linkages ties its issues into one part"
        );
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
