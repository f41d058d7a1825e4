//! The Pareto frontier of a stream of points, kept exact by block-nested-loop
//! filtering: a point enters only if nothing kept dominates it, and evicts
//! what it dominates. Points with equal utilities are all kept.

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

#[derive(Debug, Clone)]
pub struct Frontier {
    dims: usize,
    utilities: Vec<f64>,
    indices: Vec<u64>,
}

impl Frontier {
    pub fn new(dims: usize) -> Self {
        Frontier {
            dims,
            utilities: Vec::new(),
            indices: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.indices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    fn at(&self, j: usize) -> &[f64] {
        &self.utilities[j * self.dims..(j + 1) * self.dims]
    }

    /// Offers a point; returns whether it was kept.
    pub fn insert(&mut self, point: &[f64], index: u64) -> bool {
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

    pub fn merge(mut self, other: Frontier) -> Frontier {
        if self.len() < other.len() {
            return other.merge(self);
        }
        for j in 0..other.len() {
            self.insert(other.at(j), other.indices[j]);
        }
        self
    }

    /// The points as (package number, utilities), by package number.
    pub fn into_sorted(self) -> Vec<(u64, Vec<f64>)> {
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
    fn equal_points_are_all_kept() {
        let mut f = Frontier::new(2);
        f.insert(&[0.5, 0.5], 0);
        f.insert(&[0.5, 0.5], 1);
        assert_eq!(f.len(), 2);
    }
}
