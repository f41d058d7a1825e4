//! Where the feasible packages lie for two parties: how many fall in each
//! cell of a grid over their utilities, and the feasible set's extent, for
//! a picture of a space too large to draw package by package. Exact over
//! every package up to a limit; past it, over a uniform sample drawn with
//! a fixed seed (so the same picture every time), and said so.

use super::{Analysis, ConstraintRef};
use crate::model::Scenario;
use crate::utility::Evaluator;
use rand::{Rng, SeedableRng};

/// Spaces up to this many packages are counted whole; larger ones are
/// sampled with this many draws.
pub const DENSITY_PACKAGES: u64 = 250_000;

/// The feasible set of two parties' utilities on a grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Density {
    /// The party on the horizontal axis (scenario index).
    pub x: usize,
    /// The party on the vertical axis (scenario index).
    pub y: usize,
    /// Cells per axis; the grid covers utilities 0 to 1 on both.
    pub bins: usize,
    /// Feasible packages per cell, row by row from the lowest `y`.
    pub counts: Vec<u64>,
    /// Packages examined: the whole space, or the sample.
    pub examined: u64,
    /// Of those, the feasible ones.
    pub feasible: u64,
    /// Whether `examined` is a sample rather than the whole space.
    pub sampled: bool,
    /// The smallest and largest utility of each party over the feasible
    /// packages examined: ((x min, y min), (x max, y max)).
    pub extent: Option<((f64, f64), (f64, f64))>,
}

/// The density of the feasible set over parties `x` and `y` (scenario
/// indices, both with preferences) on a `bins` × `bins` grid; none when
/// either party has no preferences or `bins` is 0.
pub fn density(s: &Scenario, a: &Analysis, x: usize, y: usize, bins: usize) -> Option<Density> {
    let (kx, ky) = (a.valued_pos(x)?, a.valued_pos(y)?);
    if bins == 0 {
        return None;
    }
    let ev = Evaluator::new(s);
    // The reservation constraint of each bargaining party, by mask bit.
    let reservations: Vec<(u32, usize, f64)> = a
        .constraints
        .iter()
        .enumerate()
        .filter_map(|(bit, c)| match c {
            ConstraintRef::Reservation(p) => {
                let k = a.valued_pos(*p)?;
                Some((bit as u32, k, a.parties[k].reservation))
            }
            ConstraintRef::RedLine(_) => None,
        })
        .collect();
    let mut d = Density {
        x,
        y,
        bins,
        counts: vec![0; bins * bins],
        examined: 0,
        feasible: 0,
        sampled: false,
        extent: None,
    };
    let mut visit = |package: &[u16]| {
        let e = ev.evaluate(package);
        let mut mask = e.crossed;
        for &(bit, k, r) in &reservations {
            if e.utilities[k] < r {
                mask |= 1 << bit;
            }
        }
        d.examined += 1;
        if mask & a.binding != 0 {
            return;
        }
        d.feasible += 1;
        let (ux, uy) = (e.utilities[kx], e.utilities[ky]);
        let cell = |u: f64| ((u.clamp(0.0, 1.0) * bins as f64) as usize).min(bins - 1);
        d.counts[cell(uy) * bins + cell(ux)] += 1;
        d.extent = Some(match d.extent {
            None => ((ux, uy), (ux, uy)),
            Some(((x0, y0), (x1, y1))) => ((x0.min(ux), y0.min(uy)), (x1.max(ux), y1.max(uy))),
        });
    };
    match ev.space.size() {
        Some(n) if n <= DENSITY_PACKAGES => {
            let mut package = vec![0u16; ev.space.issue_count()];
            for _ in 0..n {
                visit(&package);
                ev.space.advance(&mut package);
            }
        }
        _ => {
            d.sampled = true;
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
            let radices = ev.space.radices().to_vec();
            let mut package = vec![0u16; radices.len()];
            for _ in 0..DENSITY_PACKAGES {
                for (o, &r) in package.iter_mut().zip(&radices) {
                    *o = rng.gen_range(0..r.max(1));
                }
                visit(&package);
            }
        }
    }
    Some(d)
}
