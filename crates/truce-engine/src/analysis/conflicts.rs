//! Why no package is feasible: the minimal sets of constraints that cannot
//! all hold together.
//!
//! Each package breaks some set of constraints (its violation mask). A set S
//! of constraints can all hold iff some package breaks none of S, so S is a
//! conflict iff it meets every violation mask: conflicts are the minimal
//! hitting sets of the masks, and only the inclusion-minimal masks matter.

/// Keeps only the masks that no other mask is a subset of.
pub fn minimal_masks(masks: impl IntoIterator<Item = u64>) -> Vec<u64> {
    let mut all: Vec<u64> = masks.into_iter().collect();
    all.sort_unstable_by_key(|m| (m.count_ones(), *m));
    all.dedup();
    let mut kept: Vec<u64> = Vec::new();
    for m in all {
        if !kept.iter().any(|&k| is_subset(k, m)) {
            kept.push(m);
        }
    }
    kept
}

fn is_subset(a: u64, b: u64) -> bool {
    a & !b == 0
}

/// All minimal hitting sets of `masks`, smallest first, at most `limit` of
/// them (Berge's algorithm; the sets stay small in practice). Returns the
/// sets and whether the list was cut at `limit`.
pub fn minimal_conflicts(masks: &[u64], limit: usize) -> (Vec<u64>, bool) {
    let masks = minimal_masks(masks.iter().copied());
    if masks.is_empty() {
        return (Vec::new(), false);
    }
    let cap = limit.saturating_mul(64).max(4096);
    let mut capped = false;
    let mut sets: Vec<u64> = vec![0];
    for &m in &masks {
        let mut next: Vec<u64> = Vec::with_capacity(sets.len());
        for &h in &sets {
            if h & m != 0 {
                next.push(h);
            } else {
                let mut bits = m;
                while bits != 0 {
                    let b = bits & bits.wrapping_neg();
                    next.push(h | b);
                    bits ^= b;
                }
            }
        }
        sets = minimal_masks(next);
        // Bound the work on pathological inputs; the answer is then marked cut.
        if sets.len() > cap {
            sets.truncate(cap);
            capped = true;
        }
    }
    // Smallest first; among equals, lexicographic by constraint number.
    sets.sort_unstable_by_key(|s| (s.count_ones(), std::cmp::Reverse(s.reverse_bits())));
    let cut = capped || sets.len() > limit;
    sets.truncate(limit);
    (sets, cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hitting_sets_of_a_small_family() {
        // Packages break {0,1}, {1,2}, {0,2}: any two constraints conflict.
        let (sets, cut) = minimal_conflicts(&[0b011, 0b110, 0b101], 10);
        assert!(!cut);
        assert_eq!(sets, vec![0b011, 0b101, 0b110]);
    }

    #[test]
    fn a_constraint_no_package_meets_is_a_conflict_alone() {
        let (sets, _) = minimal_conflicts(&[0b001, 0b011], 10);
        assert_eq!(sets, vec![0b001]);
    }

    #[test]
    fn supersets_of_masks_are_dropped() {
        assert_eq!(
            minimal_masks([0b111, 0b011, 0b100, 0b011]),
            vec![0b100, 0b011]
        );
    }
}
