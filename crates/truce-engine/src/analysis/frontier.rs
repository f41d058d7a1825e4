//! The Pareto frontier of a stream of points.
//!
//! Utilities that differ by at most [`UTILITY_EPS`] count as equal: two
//! packages with the same utilities on paper may be summed with different
//! rounding, and a last-bit difference must not make one dominate the other.
//! Equal points form one entry with several members (packages), so ties cost
//! nothing in the dominance checks.
//!
//! Two filters, both exact up to that tolerance:
//! - [`Frontier::insert`], block-nested-loop: a point enters only if nothing
//!   kept dominates it, and evicts what it dominates;
//! - [`Frontier::push`] buffers points and [`Frontier::compact`] filters them
//!   all at once, sort-first (by decreasing sum of utilities, so a point can
//!   only be dominated by one sorting before it, or by one whose sum is within
//!   the tolerance), which avoids the churn of points that enter the frontier
//!   only to be evicted later.

/// Utilities this close are equal.
pub const UTILITY_EPS: f64 = 1e-12;

/// `a` dominates `b`: at least as good for everyone, better for someone.
#[inline]
pub fn dominates(a: &[f64], b: &[f64]) -> bool {
    let mut strictly = false;
    for (x, y) in a.iter().zip(b) {
        if *x < y - UTILITY_EPS {
            return false;
        }
        if *x > y + UTILITY_EPS {
            strictly = true;
        }
    }
    strictly
}

/// Every utility within the tolerance.
#[inline]
pub fn same(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() <= UTILITY_EPS)
}

/// Points per leaf of an [`Archive`] block's tree.
const LEAF: usize = 8;

/// Kept entries, indexed for the one question the filter asks: which kept
/// entries are at least p (less the tolerance) in every utility? Those are
/// exactly p's possible dominators and equals. Blocks of sizes falling by
/// powers of two (Bentley and Saxe's logarithmic method), each a k-d tree
/// whose nodes hold the greatest utilities beneath them, so a query skips
/// every subtree that falls short of p in some utility. Removed entries are
/// only marked: the filter removes few (a new entry evicts only entries
/// whose sum is within the tolerance of its own).
struct Archive {
    dims: usize,
    blocks: Vec<Block>,
    removed: Vec<bool>,
}

struct Block {
    /// Entry ids, reordered so that each node's are a contiguous range.
    ids: Vec<usize>,
    /// Per node: its range in `ids` and its children (leaves: none).
    nodes: Vec<(u32, u32, u32, u32)>,
    /// Per node, the greatest utility beneath it on each axis.
    max: Vec<f64>,
}

const NO_CHILD: u32 = u32::MAX;

impl Archive {
    fn new(dims: usize, entries: usize) -> Self {
        Archive {
            dims,
            blocks: Vec::new(),
            removed: vec![false; entries],
        }
    }

    fn insert(&mut self, u: &[f64], id: usize) {
        let mut ids = vec![id];
        // Merge while the last block is no larger than the new one.
        while self.blocks.last().is_some_and(|b| b.ids.len() <= ids.len()) {
            if let Some(b) = self.blocks.pop() {
                ids.extend(b.ids.into_iter().filter(|&k| !self.removed[k]));
            }
        }
        let mut block = Block {
            ids,
            nodes: Vec::new(),
            max: Vec::new(),
        };
        let n = block.ids.len();
        block.build(self.dims, u, 0, n, 0);
        self.blocks.push(block);
    }

    fn remove(&mut self, id: usize) {
        self.removed[id] = true;
    }

    /// Calls `f` on every kept id at or above `p` (less the tolerance) in
    /// every utility, until `f` returns false.
    fn for_each_above(&self, u: &[f64], p: &[f64], mut f: impl FnMut(usize) -> bool) {
        let d = self.dims;
        let mut stack: Vec<u32> = Vec::new();
        for block in &self.blocks {
            stack.clear();
            stack.push(0);
            while let Some(node) = stack.pop() {
                let node = node as usize;
                let top = &block.max[node * d..(node + 1) * d];
                if top.iter().zip(p).any(|(m, x)| *m < x - UTILITY_EPS) {
                    continue;
                }
                let (lo, hi, left, right) = block.nodes[node];
                if left == NO_CHILD {
                    for &id in &block.ids[lo as usize..hi as usize] {
                        if self.removed[id] {
                            continue;
                        }
                        let q = &u[id * d..(id + 1) * d];
                        if q.iter().zip(p).all(|(y, x)| *y >= x - UTILITY_EPS) && !f(id) {
                            return;
                        }
                    }
                } else {
                    // The upper half first: dominators are likelier there.
                    stack.push(left);
                    stack.push(right);
                }
            }
        }
    }
}

impl Block {
    /// Builds the subtree over `ids[lo..hi]`, split at the median of one
    /// axis per level; returns its node number.
    fn build(&mut self, dims: usize, u: &[f64], lo: usize, hi: usize, depth: usize) -> u32 {
        let node = self.nodes.len();
        self.nodes.push((lo as u32, hi as u32, NO_CHILD, NO_CHILD));
        let mut top = vec![f64::NEG_INFINITY; dims];
        for &id in &self.ids[lo..hi] {
            for (m, x) in top.iter_mut().zip(&u[id * dims..(id + 1) * dims]) {
                *m = m.max(*x);
            }
        }
        self.max.extend_from_slice(&top);
        if hi - lo > LEAF {
            let axis = depth % dims;
            let mid = (lo + hi) / 2;
            self.ids[lo..hi].select_nth_unstable_by(mid - lo, |&a, &b| {
                u[a * dims + axis].total_cmp(&u[b * dims + axis])
            });
            let left = self.build(dims, u, lo, mid, depth + 1);
            let right = self.build(dims, u, mid, hi, depth + 1);
            self.nodes[node].2 = left;
            self.nodes[node].3 = right;
        }
        node as u32
    }
}

/// Buffered entries beyond this many trigger a compaction, which bounds memory.
const BUFFER_LIMIT: usize = 1 << 18;

#[derive(Debug, Clone)]
/// The Pareto frontier of utility vectors seen so far, each entry with the packages that share it (within the tie tolerance).
pub struct Frontier {
    dims: usize,
    /// One utility vector per entry.
    utilities: Vec<f64>,
    /// The packages of each entry (tied points), lowest first once compacted.
    members: Vec<Vec<u64>>,
    /// Entries pushed since the last compaction (they sit after the others).
    pending: usize,
}

impl Frontier {
    /// An empty frontier over `dims` utilities.
    pub fn new(dims: usize) -> Self {
        Frontier {
            dims,
            utilities: Vec::new(),
            members: Vec::new(),
            pending: 0,
        }
    }

    /// Number of entries (distinct utility vectors, up to the tolerance).
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether no entry is kept.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.utilities.clear();
        self.members.clear();
        self.pending = 0;
    }

    fn at(&self, j: usize) -> &[f64] {
        &self.utilities[j * self.dims..(j + 1) * self.dims]
    }

    /// The entries as (utilities, packages), in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = (&[f64], &[u64])> + '_ {
        (0..self.len()).map(|j| (self.at(j), self.members[j].as_slice()))
    }

    /// Buffers an entry; call [`Frontier::compact`] before reading.
    pub fn push(&mut self, point: &[f64], members: Vec<u64>) {
        self.utilities.extend_from_slice(point);
        self.members.push(members);
        self.pending += 1;
        if self.pending > BUFFER_LIMIT {
            self.compact();
        }
    }

    /// Adds all of `other`'s entries to the buffer.
    pub fn append(&mut self, mut other: Frontier) {
        self.pending += other.len();
        self.utilities.append(&mut other.utilities);
        self.members.append(&mut other.members);
        if self.pending > BUFFER_LIMIT {
            self.compact();
        }
    }

    /// Keeps exactly the undominated entries, merging equal ones (sort-first).
    pub fn compact(&mut self) {
        if self.pending == 0 {
            return;
        }
        if self.dims == 2 {
            self.compact_2d();
            return;
        }
        let d = self.dims;
        let n = self.len();
        let sums: Vec<f64> = (0..n).map(|j| self.at(j).iter().sum()).collect();
        let first = |j: usize| self.members[j].iter().copied().min().unwrap_or(u64::MAX);
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_unstable_by(|&a, &b| sums[b].total_cmp(&sums[a]).then(first(a).cmp(&first(b))));
        // A dominator's sum is at least the dominated one's, less the
        // tolerance on each utility: only entries this close can be evicted.
        let window = d as f64 * UTILITY_EPS;
        let mut kept: Vec<usize> = Vec::new();
        let mut merged: Vec<Vec<u64>> = std::mem::take(&mut self.members);
        // Kept entries are also filed in an archive that finds those at or
        // above p in every utility (its only possible dominators and
        // equals) without looking at the rest.
        let mut archive = Archive::new(d, n);
        for &j in &order {
            let p = self.at(j);
            let mut fate = None;
            archive.for_each_above(&self.utilities, p, |k| {
                if dominates(self.at(k), p) {
                    fate = Some(None);
                    return false;
                }
                if same(self.at(k), p) {
                    fate = Some(Some(k));
                    return false;
                }
                true
            });
            match fate {
                Some(None) => merged[j].clear(),
                Some(Some(k)) => {
                    let mine = std::mem::take(&mut merged[j]);
                    merged[k].extend(mine);
                }
                None => {
                    let mut t = kept.len();
                    while t > 0 && sums[kept[t - 1]] <= sums[j] + window {
                        t -= 1;
                    }
                    let mut w = t;
                    for r in t..kept.len() {
                        let k = kept[r];
                        if dominates(p, self.at(k)) {
                            merged[k].clear();
                            archive.remove(k);
                        } else {
                            kept[w] = k;
                            w += 1;
                        }
                    }
                    kept.truncate(w);
                    kept.push(j);
                    archive.insert(&self.utilities, j);
                }
            }
        }
        let mut utilities = Vec::with_capacity(kept.len() * d);
        let mut members = Vec::with_capacity(kept.len());
        for &k in &kept {
            utilities.extend_from_slice(self.at(k));
            let mut m = std::mem::take(&mut merged[k]);
            m.sort_unstable();
            members.push(m);
        }
        self.utilities = utilities;
        self.members = members;
        self.pending = 0;
    }

    /// Two utilities: sort and sweep, O(n log n) however many entries are
    /// on the frontier (the general filter is quadratic when nearly all
    /// are, as in a zero-sum space). Sorted by the first utility, falling:
    /// an entry is dominated exactly when an entry whose first utility is
    /// greater by more than the tolerance has a second at least as great
    /// (less the tolerance): a running maximum; or an entry whose first
    /// utility is within the tolerance has a second greater by more than
    /// it: a sliding-window maximum. Equal entries (both utilities within
    /// the tolerance) that follow each other merge.
    fn compact_2d(&mut self) {
        let n = self.len();
        let first: Vec<u64> = self
            .members
            .iter()
            .map(|m| m.iter().copied().min().unwrap_or(u64::MAX))
            .collect();
        let u = &self.utilities;
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_unstable_by(|&a, &b| {
            u[2 * b]
                .total_cmp(&u[2 * a])
                .then_with(|| u[2 * b + 1].total_cmp(&u[2 * a + 1]))
                .then_with(|| first[a].cmp(&first[b]))
        });
        let xs: Vec<f64> = order.iter().map(|&j| self.utilities[2 * j]).collect();
        let ys: Vec<f64> = order.iter().map(|&j| self.utilities[2 * j + 1]).collect();
        let mut greater_max = f64::NEG_INFINITY;
        let (mut lo, mut hi) = (0usize, 0usize);
        // Indices in [lo, hi) by falling second utility (their maximum first).
        let mut window: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
        let mut keep = vec![false; n];
        for i in 0..n {
            let (x, y) = (xs[i], ys[i]);
            while lo < n && xs[lo] > x + UTILITY_EPS {
                greater_max = greater_max.max(ys[lo]);
                lo += 1;
            }
            while hi < n && xs[hi] >= x - UTILITY_EPS {
                while window.back().is_some_and(|&k| ys[k] <= ys[hi]) {
                    window.pop_back();
                }
                window.push_back(hi);
                hi += 1;
            }
            while window.front().is_some_and(|&k| k < lo) {
                window.pop_front();
            }
            let near_max = window.front().map_or(f64::NEG_INFINITY, |&k| ys[k]);
            keep[i] = greater_max < y - UTILITY_EPS && near_max <= y + UTILITY_EPS;
        }
        let mut utilities: Vec<f64> = Vec::new();
        let mut members: Vec<Vec<u64>> = Vec::new();
        let mut old = std::mem::take(&mut self.members);
        for (i, &j) in order.iter().enumerate() {
            if !keep[i] {
                continue;
            }
            let m = std::mem::take(&mut old[j]);
            let last = members.len().wrapping_sub(1);
            let tie = !members.is_empty()
                && (utilities[2 * last] - xs[i]).abs() <= UTILITY_EPS
                && (utilities[2 * last + 1] - ys[i]).abs() <= UTILITY_EPS;
            if tie {
                members[last].extend(m);
            } else {
                utilities.extend_from_slice(&[xs[i], ys[i]]);
                members.push(m);
            }
        }
        for m in &mut members {
            m.sort_unstable();
        }
        self.utilities = utilities;
        self.members = members;
        self.pending = 0;
    }

    /// Offers a point; returns whether it was kept (alone or as a tie). Not
    /// to be mixed with uncompacted [`Frontier::push`]es.
    pub fn insert(&mut self, point: &[f64], index: u64) -> bool {
        debug_assert_eq!(self.pending, 0);
        let d = self.dims;
        for j in 0..self.len() {
            if dominates(self.at(j), point) {
                // Strong points move forward so later candidates meet them early.
                if j > 0 {
                    self.swap(j, j / 2);
                }
                return false;
            }
            if same(self.at(j), point) {
                self.members[j].push(index);
                return true;
            }
        }
        let mut keep = 0;
        for j in 0..self.len() {
            if !dominates(point, self.at(j)) {
                if keep != j {
                    self.members.swap(keep, j);
                    self.utilities.copy_within(j * d..(j + 1) * d, keep * d);
                }
                keep += 1;
            }
        }
        self.members.truncate(keep);
        self.utilities.truncate(keep * d);
        self.members.push(vec![index]);
        self.utilities.extend_from_slice(point);
        true
    }

    fn swap(&mut self, a: usize, b: usize) {
        self.members.swap(a, b);
        for x in 0..self.dims {
            self.utilities.swap(a * self.dims + x, b * self.dims + x);
        }
    }

    /// Every package on the frontier, by package number.
    pub fn into_packages(mut self) -> Vec<u64> {
        self.compact();
        let mut out: Vec<u64> = self.members.into_iter().flatten().collect();
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packages(points: &[[f64; 2]]) -> Vec<u64> {
        let mut f = Frontier::new(2);
        for (i, p) in points.iter().enumerate() {
            f.insert(p, i as u64);
        }
        f.into_packages()
    }

    #[test]
    fn keeps_exactly_the_undominated_points() {
        let points = [
            [0.5, 0.5],
            [0.2, 0.9],
            [0.4, 0.4],
            [0.9, 0.1],
            [0.5, 0.5],
            [0.6, 0.5],
        ];
        assert_eq!(packages(&points), vec![1, 3, 5]);
    }

    #[test]
    fn equal_points_are_all_kept_and_rounding_noise_is_a_tie() {
        assert_eq!(packages(&[[0.5, 0.5], [0.5, 0.5]]), vec![0, 1]);
        // 0.1 + 0.2 and 0.3 differ in the last bit: a tie, not a dominance.
        assert_eq!(packages(&[[0.1 + 0.2, 0.5], [0.3, 0.5]]), vec![0, 1]);
    }

    #[test]
    fn buffered_and_inserted_points_give_the_same_frontier() {
        // A deterministic scatter, with duplicates and near-ties.
        let mut a = Frontier::new(3);
        let mut b = Frontier::new(3);
        let mut x = 7u64;
        for i in 0..2000u64 {
            let mut p = [0.0; 3];
            for v in &mut p {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                *v = ((x >> 33) % 50) as f64 / 49.0;
            }
            a.insert(&p, i);
            b.push(&p, vec![i]);
            if i % 500 == 0 {
                b.compact();
            }
        }
        assert_eq!(a.into_packages(), b.into_packages());
    }

    /// The general filter, whatever the dimension (the reference for the
    /// two-utility sweep).
    fn general(points: &[(f64, f64)]) -> Vec<u64> {
        let mut f = Frontier::new(2);
        for (i, &(x, y)) in points.iter().enumerate() {
            f.insert(&[x, y], i as u64);
        }
        f.into_packages()
    }

    fn swept(points: &[(f64, f64)], every: usize) -> Vec<u64> {
        let mut f = Frontier::new(2);
        for (i, &(x, y)) in points.iter().enumerate() {
            f.push(&[x, y], vec![i as u64]);
            if i % every == every - 1 {
                f.compact();
            }
        }
        f.into_packages()
    }

    /// Every package not dominated by another, by the definition.
    fn by_definition(points: &[(f64, f64)]) -> Vec<u64> {
        (0..points.len() as u64)
            .filter(|&i| {
                let p = points[i as usize];
                !points.iter().any(|q| dominates(&[q.0, q.1], &[p.0, p.1]))
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        /// On a grid of values (ties, duplicates, columns and rows of
        /// equal utilities), with noise below the tolerance, the sweep
        /// keeps exactly what the general filter and the definition keep,
        /// however often it compacts.
        #[test]
        fn the_sweep_keeps_what_the_definition_keeps(
            cells in proptest::collection::vec((0u8..12, 0u8..12, 0u8..3), 0..200),
            every in 1usize..50,
        ) {
            let noise = [0.0, 3e-13, -3e-13];
            let points: Vec<(f64, f64)> = cells
                .iter()
                .map(|&(x, y, e)| (f64::from(x) / 11.0 + noise[e as usize], f64::from(y) / 11.0 - noise[e as usize]))
                .collect();
            let want = by_definition(&points);
            proptest::prop_assert_eq!(&swept(&points, every), &want);
            proptest::prop_assert_eq!(&general(&points), &want);
        }
    }

    /// Every point not dominated by another, by the definition, any
    /// dimension.
    fn by_definition_nd(points: &[Vec<f64>]) -> Vec<u64> {
        (0..points.len() as u64)
            .filter(|&i| !points.iter().any(|q| dominates(q, &points[i as usize])))
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Three to five utilities, on a coarse grid (many ties and equal
        /// coordinates), with noise below the tolerance: the archive-backed
        /// filter keeps exactly what the definition keeps, however often it
        /// compacts.
        #[test]
        fn the_archive_filter_keeps_what_the_definition_keeps(
            dims in 3usize..6,
            cells in proptest::collection::vec(proptest::collection::vec((0u8..6, 0u8..3), 5), 0..400),
            every in 1usize..100,
        ) {
            let noise = [0.0, 3e-13, -3e-13];
            let points: Vec<Vec<f64>> = cells
                .iter()
                .map(|c| c[..dims].iter().map(|&(x, e)| f64::from(x) / 5.0 + noise[e as usize]).collect())
                .collect();
            let mut f = Frontier::new(dims);
            for (i, p) in points.iter().enumerate() {
                f.push(p, vec![i as u64]);
                if i % every == every - 1 {
                    f.compact();
                }
            }
            proptest::prop_assert_eq!(f.into_packages(), by_definition_nd(&points));
        }
    }

    #[test]
    fn a_zero_sum_line_is_all_frontier_and_fast() {
        // 200,000 points on x + y = 1: the general filter takes minutes.
        let n = 200_000u64;
        let mut f = Frontier::new(2);
        for i in 0..n {
            let x = i as f64 / n as f64;
            f.push(&[x, 1.0 - x], vec![i]);
        }
        assert_eq!(f.into_packages().len(), n as usize);
    }

    #[test]
    fn a_dominator_within_the_sum_window_still_evicts() {
        let mut f = Frontier::new(3);
        // 1 dominates 0 (better by more than the tolerance in one utility,
        // worse by less than it in two) yet has the smaller sum, so it sorts
        // after 0 and must evict it.
        f.push(&[0.5, 0.5, 0.5], vec![0]);
        f.push(&[0.5 + 1.1e-12, 0.5 - 0.99e-12, 0.5 - 0.99e-12], vec![1]);
        f.push(&[0.2, 0.9, 0.9], vec![2]);
        assert!(dominates(
            &[0.5 + 1.1e-12, 0.5 - 0.99e-12, 0.5 - 0.99e-12],
            &[0.5, 0.5, 0.5]
        ));
        assert_eq!(f.into_packages(), vec![1, 2]);
    }
}
