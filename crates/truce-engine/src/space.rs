//! The agreement space: every package, numbered in mixed radix with the
//! first issue most significant, so that package numbers follow file order.

/// Option counts per issue, and the conversion between package numbers and
/// packages (one option index per issue).
#[derive(Debug, Clone)]
pub struct Space {
    radices: Vec<u16>,
}

impl Space {
    /// The space of these option counts, first issue most significant.
    pub fn new(radices: Vec<u16>) -> Self {
        Space { radices }
    }
    /// Option counts, per issue.
    pub fn radices(&self) -> &[u16] {
        &self.radices
    }
    /// Number of issues.
    pub fn issue_count(&self) -> usize {
        self.radices.len()
    }
    /// Number of packages, or `None` past `u64::MAX`.
    pub fn size(&self) -> Option<u64> {
        self.radices
            .iter()
            .try_fold(1u64, |n, &r| n.checked_mul(r as u64))
    }
    /// Writes the package with number `index` into `out`.
    pub fn decode(&self, mut index: u64, out: &mut [u16]) {
        for (slot, &r) in out.iter_mut().zip(&self.radices).rev() {
            *slot = (index % r as u64) as u16;
            index /= r as u64;
        }
    }
    /// The package with number `index`.
    pub fn package(&self, index: u64) -> Vec<u16> {
        let mut out = vec![0; self.radices.len()];
        self.decode(index, &mut out);
        out
    }
    /// The number of `package`.
    pub fn index(&self, package: &[u16]) -> u64 {
        package
            .iter()
            .zip(&self.radices)
            .fold(0u64, |n, (&o, &r)| n * r as u64 + o as u64)
    }
    /// Steps `package` to the next one in numbering order; false after the last.
    pub fn advance(&self, package: &mut [u16]) -> bool {
        for (slot, &r) in package.iter_mut().zip(&self.radices).rev() {
            *slot += 1;
            if *slot < r {
                return true;
            }
            *slot = 0;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_round_trips_and_follows_advance() {
        let s = Space::new(vec![3, 1, 4, 2]);
        assert_eq!(s.size(), Some(24));
        let mut p = vec![0; 4];
        for i in 0..24 {
            assert_eq!(s.package(i), p);
            assert_eq!(s.index(&p), i);
            assert_eq!(s.advance(&mut p), i < 23);
        }
    }

    #[test]
    fn overflowing_spaces_have_no_size() {
        let s = Space::new(vec![u16::MAX; 5]);
        assert_eq!(s.size(), None);
    }
}
