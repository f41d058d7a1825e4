//! The Pareto frontier of a space too large to enumerate, group by group.
//!
//! Utility is additive over issues, and a linkage adds to it only through
//! the issues it mentions; a binding red line rules packages out only
//! through the issues it mentions. So the issues fall into groups (issues
//! joined by a binding red line or a linkage of a bargaining party share a
//! group), each group's combinations that break none of its red lines are
//! "options" of one super-issue with additive utility, and the frontier of
//! the whole space is built as in [`super::merge`]: the frontier of the
//! first group merged with each next group's and filtered again. Each
//! entry keeps one package (the first met) and the number of packages that
//! tie with it, so the work follows the size of the frontier, never the
//! number of tied packages. Entries that cannot reach a reservation value
//! even with the best of every group still to come are dropped as they
//! appear (whatever dominates a package that reaches them reaches them
//! too).

use super::frontier::Frontier;
use crate::utility::Evaluator;

/// Most combinations of one group's issues listed.
pub const GROUP_LIMIT: u64 = 1 << 16;

/// Most (partial frontier entry, group combination) pairs one merge may
/// compare; past it the frontier is not built.
pub const MERGE_WORK_LIMIT: u64 = 200_000_000;

/// What the grouped merge found.
#[derive(Debug, Clone, PartialEq)]
pub enum Grouped {
    /// The frontier: one package per utility vector, with the number of
    /// packages on that vector (with ε: per kept cell, the packages it
    /// stands for), and the number of groups merged.
    Frontier(Vec<(Vec<u16>, u128)>, usize),
    /// A partial frontier (after merging some groups) grew past the limit:
    /// this many vectors.
    TooLarge(u64),
    /// Some group has too many combinations to list, or a merge would
    /// compare too many pairs.
    NotApplicable,
}

/// One entry of a partial frontier: its utilities (at the bargaining
/// parties), one combination per group merged so far, and how many
/// packages it stands for.
/// One combination of a group's issues on its group's frontier: the
/// bargaining parties' utilities from those issues, its options, and how
/// many combinations tie with it.
type Combination = (Vec<f64>, Vec<u16>, u128);

struct Entry {
    u: Vec<f64>,
    picks: Vec<u32>,
    count: u128,
}

/// How much smaller the vector limit is for more than two parties: their
/// frontiers are filtered through a k-d tree, not one sort and sweep, so
/// the work grows faster than the frontier.
pub const MANY_PARTIES_DIVISOR: usize = 4;

/// The frontier over the valued parties at `pos` of the packages that
/// break none of the red lines in `red` and give each party at `pos` at
/// least `floor` (same order), with at most `limit` vectors in any partial
/// frontier (`limit / MANY_PARTIES_DIVISOR` for more than two parties).
///
/// With `epsilon`, each merge compares vectors on a grid of step ε / (the
/// number of groups) (each utility rounded down to a multiple of it),
/// keeping one entry per undominated cell: an ε-frontier. A merge drops a
/// vector only for one at most a step below it for every party, and those
/// steps add up over the merges to at most ε, so every Pareto-optimal
/// package is within ε of a kept one for every party.
pub fn frontier(
    ev: &Evaluator,
    pos: &[usize],
    red: u64,
    floor: &[f64],
    limit: usize,
    epsilon: Option<f64>,
) -> Grouped {
    let limit = if pos.len() > 2 {
        (limit / MANY_PARTIES_DIVISOR).max(1)
    } else {
        limit
    };
    let n = ev.space.issue_count();
    let radices = ev.space.radices();
    let rules = ev.red_rules();
    // Groups: issues joined by a binding red line or a linkage of a
    // bargaining party.
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut join = |issues: &[usize]| {
        for w in issues.windows(2) {
            let (a, b) = (root(&mut parent, w[0]), root(&mut parent, w[1]));
            parent[a] = b;
        }
    };
    let binding: Vec<usize> = (0..rules.len()).filter(|r| red >> r & 1 == 1).collect();
    for &r in &binding {
        join(&rules[r].issues(n));
    }
    let links: Vec<(usize, usize, f64)> = ev
        .link_effects()
        .iter()
        .enumerate()
        .filter_map(|(l, e)| {
            let (k, x) = (*e)?;
            let b = pos.iter().position(|&p| p == k)?;
            Some((l, b, x))
        })
        .collect();
    for &(l, ..) in &links {
        join(&ev.link_rules()[l].issues(n));
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of = vec![usize::MAX; n];
    for i in 0..n {
        let r = root(&mut parent, i);
        if group_of[r] == usize::MAX {
            group_of[r] = groups.len();
            groups.push(Vec::new());
        }
        let g = group_of[r];
        groups[g].push(i);
    }
    let dims = pos.len();
    // Each group's combinations: (utilities, options of its issues), its
    // frontier only (a dominated combination is never needed), ties
    // counted.
    let mut options: Vec<Vec<Combination>> = Vec::with_capacity(groups.len());
    let mut scratch = vec![0u16; n];
    for issues in &groups {
        let count = issues
            .iter()
            .try_fold(1u64, |c, &i| c.checked_mul(u64::from(radices[i])))
            .filter(|&c| c <= GROUP_LIMIT);
        let Some(count) = count else {
            return Grouped::NotApplicable;
        };
        let own_rules: Vec<usize> = binding
            .iter()
            .copied()
            .filter(|&r| rules[r].issues(n).iter().all(|i| issues.contains(i)))
            .collect();
        let own_links: Vec<(usize, usize, f64)> = links
            .iter()
            .copied()
            .filter(|&(l, ..)| {
                ev.link_rules()[l]
                    .issues(n)
                    .iter()
                    .all(|i| issues.contains(i))
            })
            .collect();
        let mut f = Frontier::new(dims);
        let mut combos: Vec<Vec<u16>> = Vec::new();
        let mut combo = vec![0u16; issues.len()];
        for _ in 0..count {
            for (&i, &o) in issues.iter().zip(&combo) {
                scratch[i] = o;
            }
            if own_rules.iter().all(|&r| rules[r].holds(&scratch)) {
                let mut u: Vec<f64> = pos
                    .iter()
                    .map(|&k| {
                        issues
                            .iter()
                            .map(|&i| ev.term(k, i, scratch[i] as usize))
                            .sum()
                    })
                    .collect();
                for &(l, b, x) in &own_links {
                    if ev.link_rules()[l].holds(&scratch) {
                        u[b] += x;
                    }
                }
                f.push(&u, vec![combos.len() as u64]);
                combos.push(combo.clone());
            }
            for j in (0..combo.len()).rev() {
                combo[j] += 1;
                if combo[j] < radices[issues[j]] {
                    break;
                }
                combo[j] = 0;
            }
        }
        f.compact();
        let mut kept: Vec<Combination> = f
            .entries()
            .map(|(u, members)| {
                let first = members.iter().copied().min().unwrap_or(0) as usize;
                (u.to_vec(), combos[first].clone(), members.len() as u128)
            })
            .collect();
        if kept.is_empty() {
            return Grouped::Frontier(Vec::new(), groups.len());
        }
        kept.sort_by(|a, b| a.1.cmp(&b.1));
        options.push(kept);
    }
    // The most each group can still add, per party, from the back.
    let mut rest = vec![vec![0.0; dims]; options.len() + 1];
    for g in (0..options.len()).rev() {
        let (head, tail) = rest.split_at_mut(g + 1);
        for (b, slot) in head[g].iter_mut().enumerate() {
            let best = options[g]
                .iter()
                .map(|o| o.0[b])
                .fold(f64::NEG_INFINITY, f64::max);
            *slot = tail[0][b] + best;
        }
    }
    // Utility offsets (linkage rescaling) shift every package alike; the
    // floors compare with utilities, so they are taken into account there.
    let offset: Vec<f64> = pos.iter().map(|&k| ev.offset(k)).collect();
    // A tolerance as wide as the final check's: rounding in sums taken
    // another way must not drop a package that reaches its floor.
    let reachable =
        |u: &[f64], g: usize| (0..dims).all(|b| u[b] + rest[g][b] + offset[b] >= floor[b] - 1e-9);
    let step = epsilon.map(|e| e / options.len().max(1) as f64);
    let mut front: Vec<Entry> = vec![Entry {
        u: vec![0.0; dims],
        picks: Vec::new(),
        count: 1,
    }];
    for (g, opts) in options.iter().enumerate() {
        if (front.len() as u64).saturating_mul(opts.len() as u64) > MERGE_WORK_LIMIT {
            return Grouped::NotApplicable;
        }
        let width = opts.len() as u64;
        let mut merged = Frontier::new(dims);
        let mut v = vec![0.0; dims];
        let mut cell = vec![0.0; dims];
        for (a, e) in front.iter().enumerate() {
            for (b, o) in opts.iter().enumerate() {
                for ((x, p), q) in v.iter_mut().zip(&e.u).zip(&o.0) {
                    *x = p + q;
                }
                if !reachable(&v, g + 1) {
                    continue;
                }
                let key = match step {
                    Some(e) => {
                        for (c, x) in cell.iter_mut().zip(&v) {
                            *c = (x / e).floor() * e;
                        }
                        &cell
                    }
                    None => &v,
                };
                // The pair, as one number (memory stays the frontier's).
                merged.push(key, vec![a as u64 * width + b as u64]);
            }
        }
        merged.compact();
        if merged.len() > limit {
            return Grouped::TooLarge(merged.len() as u64);
        }
        let mut next: Vec<Entry> = merged
            .entries()
            .map(|(_, members)| {
                let first = members.iter().copied().min().unwrap_or(0);
                let (a, b) = ((first / width) as usize, (first % width) as usize);
                let u: Vec<f64> = front[a]
                    .u
                    .iter()
                    .zip(&opts[b].0)
                    .map(|(p, q)| p + q)
                    .collect();
                let mut picks = front[a].picks.clone();
                picks.push(b as u32);
                let count = members
                    .iter()
                    .map(|&m| {
                        let (a, b) = ((m / width) as usize, (m % width) as usize);
                        front[a].count.saturating_mul(opts[b].2)
                    })
                    .fold(0u128, u128::saturating_add);
                Entry { u, picks, count }
            })
            .collect();
        next.sort_by(|a, b| a.picks.cmp(&b.picks));
        front = next;
    }
    let out = front
        .into_iter()
        .map(|e| {
            let mut package = vec![0u16; n];
            for ((issues, opts), &pick) in groups.iter().zip(&options).zip(&e.picks) {
                for (&i, &o) in issues.iter().zip(&opts[pick as usize].1) {
                    package[i] = o;
                }
            }
            (package, e.count)
        })
        .collect();
    Grouped::Frontier(out, groups.len())
}
