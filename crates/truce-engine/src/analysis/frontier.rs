//! The Pareto frontier of a stream of points. Two exact filters:
//! - [`Frontier::insert`], block-nested-loop: a point enters only if nothing
//!   kept dominates it, and evicts what it dominates;
//! - [`Frontier::push`] buffers points and [`Frontier::compact`] filters them
//!   all at once, sort-first (by decreasing sum of utilities, so a point can
//!   only be dominated by one before it), which avoids the churn of points
//!   that enter the frontier only to be evicted later.
//!
//! Points with equal utilities are all kept.

/// `a` dominates `b`: at least as good for everyone, better for someone.
#[inline]
pub fn dominates(a: &[f64], b: &[f64]) -> bool {
    let mut strictly = false;
    for (x, y) in a.iter().zip(b) {
        if x < y {
            return false;
        }
        if x > y {
            strictly = true;
        }
    }
    strictly
}

/// Buffered points beyond this many trigger a compaction, which bounds memory.
const BUFFER_LIMIT: usize = 1 << 18;

#[derive(Debug, Clone)]
pub struct Frontier {
    dims: usize,
    utilities: Vec<f64>,
    indices: Vec<u64>,
    /// Points pushed since the last compaction (they sit after the others).
    pending: usize,
}

impl Frontier {
    pub fn new(dims: usize) -> Self {
        Frontier {
            dims,
            utilities: Vec::new(),
            indices: Vec::new(),
            pending: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.indices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    pub fn clear(&mut self) {
        self.utilities.clear();
        self.indices.clear();
        self.pending = 0;
    }

    /// Buffers a point; call [`Frontier::compact`] before reading.
    pub fn push(&mut self, point: &[f64], index: u64) {
        self.utilities.extend_from_slice(point);
        self.indices.push(index);
        self.pending += 1;
        if self.pending > BUFFER_LIMIT {
            self.compact();
        }
    }

    /// Adds all of `other`'s points to the buffer.
    pub fn append(&mut self, mut other: Frontier) {
        self.pending += other.len();
        self.utilities.append(&mut other.utilities);
        self.indices.append(&mut other.indices);
        if self.pending > BUFFER_LIMIT {
            self.compact();
        }
    }

    /// Keeps exactly the undominated points (sort-first skyline).
    pub fn compact(&mut self) {
        if self.pending == 0 {
            return;
        }
        let d = self.dims;
        let n = self.len();
        let sums: Vec<f64> = (0..n).map(|j| self.at(j).iter().sum()).collect();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_unstable_by(|&a, &b| {
            sums[b]
                .total_cmp(&sums[a])
                .then(self.indices[a].cmp(&self.indices[b]))
        });
        let mut kept: Vec<usize> = Vec::new();
        for &j in &order {
            let p = self.at(j);
            if kept.iter().any(|&k| dominates(self.at(k), p)) {
                continue;
            }
            // Floating-point sums are monotone, so a dominator never sorts
            // after what it dominates, but it may tie: only equal sums can
            // hold a point this one dominates.
            let mut t = kept.len();
            while t > 0 && sums[kept[t - 1]] == sums[j] {
                t -= 1;
            }
            let mut w = t;
            for r in t..kept.len() {
                if !dominates(p, self.at(kept[r])) {
                    kept[w] = kept[r];
                    w += 1;
                }
            }
            kept.truncate(w);
            kept.push(j);
        }
        let mut utilities = Vec::with_capacity(kept.len() * d);
        let mut indices = Vec::with_capacity(kept.len());
        for &k in &kept {
            utilities.extend_from_slice(self.at(k));
            indices.push(self.indices[k]);
        }
        self.utilities = utilities;
        self.indices = indices;
        self.pending = 0;
    }

    /// The points as (package number, utilities), in no particular order.
    pub fn points(&self) -> impl Iterator<Item = (u64, &[f64])> + '_ {
        (0..self.len()).map(|j| (self.indices[j], self.at(j)))
    }

    fn at(&self, j: usize) -> &[f64] {
        &self.utilities[j * self.dims..(j + 1) * self.dims]
    }

    /// Offers a point; returns whether it was kept. Not to be mixed with
    /// uncompacted [`Frontier::push`]es.
    pub fn insert(&mut self, point: &[f64], index: u64) -> bool {
        debug_assert_eq!(self.pending, 0);
        let d = self.dims;
        for j in 0..self.indices.len() {
            if dominates(self.at(j), point) {
                // Strong points move forward so later candidates meet them early.
                if j > 0 {
                    self.swap(j, j / 2);
                }
                return false;
            }
        }
        let mut keep = 0;
        for j in 0..self.indices.len() {
            if !dominates(point, self.at(j)) {
                if keep != j {
                    self.indices[keep] = self.indices[j];
                    self.utilities.copy_within(j * d..(j + 1) * d, keep * d);
                }
                keep += 1;
            }
        }
        self.indices.truncate(keep);
        self.utilities.truncate(keep * d);
        self.indices.push(index);
        self.utilities.extend_from_slice(point);
        true
    }

    fn swap(&mut self, a: usize, b: usize) {
        self.indices.swap(a, b);
        for x in 0..self.dims {
            self.utilities.swap(a * self.dims + x, b * self.dims + x);
        }
    }

    /// The points as (package number, utilities), by package number.
    pub fn into_sorted(mut self) -> Vec<(u64, Vec<f64>)> {
        self.compact();
        let mut out: Vec<(u64, Vec<f64>)> = (0..self.len())
            .map(|j| (self.indices[j], self.at(j).to_vec()))
            .collect();
        out.sort_unstable_by_key(|p| p.0);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_exactly_the_undominated_points() {
        let mut f = Frontier::new(2);
        let points = [
            [0.5, 0.5],
            [0.2, 0.9],
            [0.4, 0.4],
            [0.9, 0.1],
            [0.5, 0.5],
            [0.6, 0.5],
        ];
        for (i, p) in points.iter().enumerate() {
            f.insert(p, i as u64);
        }
        let kept: Vec<u64> = f.into_sorted().into_iter().map(|p| p.0).collect();
        assert_eq!(kept, vec![1, 3, 5]);
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
            b.push(&p, i);
            if i % 500 == 0 {
                b.compact();
            }
        }
        assert_eq!(a.into_sorted(), b.into_sorted());
    }

    #[test]
    fn ties_in_the_sum_are_resolved_exactly() {
        let mut f = Frontier::new(2);
        // 1e-20 vanishes in the sum, so 1 dominates 0 with an equal sum and
        // sorts after it; 2 ties with both and dominates neither.
        f.push(&[0.0, 1.0], 0);
        f.push(&[1e-20, 1.0], 1);
        f.push(&[0.5, 0.5], 2);
        let kept: Vec<u64> = f.into_sorted().into_iter().map(|p| p.0).collect();
        assert_eq!(kept, vec![1, 2]);
    }

    #[test]
    fn equal_points_are_all_kept() {
        let mut f = Frontier::new(2);
        f.insert(&[0.5, 0.5], 0);
        f.insert(&[0.5, 0.5], 1);
        assert_eq!(f.len(), 2);
    }
}
