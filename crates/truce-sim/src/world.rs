//! What one run draws: each party's reservation value, weights, option
//! values and linkage utilities, from the spreads the scenario gives them;
//! every package's utility for every party; and each negotiator's ladder,
//! its packages from best to worst for itself.

use crate::stage::Stage;
use crate::table::Table;
use rand::Rng;
use rand_distr::{Distribution, Normal, Triangular};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use truce_engine::model::{Noted, Spread};

/// Every package's utility for every valued party, in one block, and the
/// weight × value terms they are summed from.
#[derive(Debug, Clone)]
pub struct Utilities {
    /// `values[x * parties + k]`.
    values: Vec<f64>,
    parties: usize,
    /// `terms[k][i][o]`: weight × value of option o of issue i for party k.
    terms: Vec<Vec<Vec<f64>>>,
}

impl Utilities {
    /// Party `k`'s utility of package `x`.
    pub fn get(&self, x: usize, k: usize) -> f64 {
        self.values[x * self.parties + k]
    }

    /// Weight × value of option `o` of issue `i` for party `k`.
    pub fn term(&self, k: usize, i: usize, o: u16) -> f64 {
        self.terms
            .get(k)
            .and_then(|t| t.get(i))
            .and_then(|t| t.get(o as usize))
            .copied()
            .unwrap_or(0.0)
    }

    /// Utilities given directly (one stage's packages), without terms.
    pub fn from_values(values: Vec<f64>, parties: usize) -> Utilities {
        Utilities {
            values,
            parties,
            terms: Vec::new(),
        }
    }

    /// The utilities under the estimates as given (no sampling).
    pub fn nominal(t: &Table) -> Utilities {
        Utilities::compute(t, &mut |n: &Noted<f64>| n.value)
    }

    /// Utilities with every uncertain weight, value and linkage drawn.
    pub fn sampled(t: &Table, rng: &mut impl Rng) -> Utilities {
        Utilities::compute(t, &mut |n: &Noted<f64>| draw(n, rng))
    }

    /// Sums weight × value issue by issue, then linkages in file order (as
    /// the engine's plain utility does); weights drawn are scaled back to
    /// sum to what the estimates sum to.
    fn compute(t: &Table, draw: &mut dyn FnMut(&Noted<f64>) -> f64) -> Utilities {
        let s = t.scenario;
        let v = t.valued.len();
        let n = t.allowed.len();
        // tables[k][i][o]
        let mut tables: Vec<Vec<Vec<f64>>> = Vec::with_capacity(v);
        for &p in &t.valued {
            let Some(prefs) = s.preferences[p].as_ref() else {
                tables.push(vec![Vec::new(); n]);
                continue;
            };
            let nominal: f64 = prefs.issues.iter().map(|ip| ip.weight.value).sum();
            let mut weights: Vec<f64> = prefs.issues.iter().map(|ip| draw(&ip.weight)).collect();
            if prefs.issues.iter().any(|ip| ip.weight.spread.is_some()) {
                let drawn: f64 = weights.iter().sum();
                if drawn > 0.0 {
                    for w in &mut weights {
                        *w *= nominal / drawn;
                    }
                }
            }
            tables.push(
                prefs
                    .issues
                    .iter()
                    .zip(&weights)
                    .map(|(ip, w)| ip.values.iter().map(|val| w * draw(val)).collect())
                    .collect(),
            );
        }
        let links: Vec<(usize, f64)> = s
            .linkages
            .iter()
            .map(|l| {
                let k = t.valued.iter().position(|&p| p == l.party).unwrap_or(0);
                (k, draw(&l.utility))
            })
            .collect();
        let clamped: Vec<bool> = (0..v).map(|k| links.iter().any(|l| l.0 == k)).collect();
        let mut values = vec![0.0; t.count * v];
        let mut package = vec![0u16; n];
        for x in 0..t.count {
            t.decode(x, &mut package);
            let row = &mut values[x * v..(x + 1) * v];
            for (k, u) in row.iter_mut().enumerate() {
                let tk = &tables[k];
                let mut sum = 0.0;
                for (i, &o) in package.iter().enumerate() {
                    if let Some(row) = tk.get(i) {
                        sum += row.get(o as usize).copied().unwrap_or(0.0);
                    }
                }
                *u = sum;
            }
            for (l, &(k, extra)) in s.linkages.iter().zip(&links) {
                if l.when.holds(&package) {
                    row[k] += extra;
                }
            }
            for (u, &c) in row.iter_mut().zip(&clamped) {
                if c {
                    *u = u.clamp(0.0, 1.0);
                }
            }
        }
        Utilities {
            values,
            parties: v,
            terms: tables,
        }
    }
}

/// Draws one value from a number's spread (its value when it has none).
/// Normal draws outside the bounds are drawn again (up to 64 times, then
/// cut to the bounds).
pub fn draw(n: &Noted<f64>, rng: &mut impl Rng) -> f64 {
    match n.spread {
        None => n.value,
        Some(Spread::Uniform { lo, hi }) => {
            if hi > lo {
                rng.gen_range(lo..=hi)
            } else {
                lo
            }
        }
        Some(Spread::Triangular { lo, hi }) => match Triangular::new(lo, hi, n.value) {
            Ok(d) => d.sample(rng),
            Err(_) => n.value,
        },
        Some(Spread::Normal { sd, lo, hi }) => match Normal::new(n.value, sd) {
            Ok(d) => {
                for _ in 0..64 {
                    let x = d.sample(rng);
                    if (lo..=hi).contains(&x) {
                        return x;
                    }
                }
                n.value.clamp(lo, hi)
            }
            Err(_) => n.value,
        },
    }
}

/// A negotiator's packages from its best to its worst (ties by package
/// number), leaving out those crossing its red lines when it keeps to them.
#[derive(Debug, Clone)]
pub struct Ladder {
    /// The packages, best first.
    pub packages: Vec<u32>,
    /// Their utilities.
    pub utilities: Vec<f64>,
}

impl Ladder {
    /// Party `k`'s ladder over the table.
    pub fn new(t: &Table, u: &Utilities, k: usize) -> Ladder {
        let respect = t.strategies[k].respect_red_lines;
        Ladder::from_packages((0..t.count).filter(|&x| !respect || t.red_ok[k][x]), u, k)
    }

    /// The given packages, best first for party k (ties by number).
    pub fn from_packages(packages: impl Iterator<Item = usize>, u: &Utilities, k: usize) -> Ladder {
        let mut packages: Vec<u32> = packages.map(|x| x as u32).collect();
        packages.sort_unstable_by(|&a, &b| {
            u.get(b as usize, k)
                .total_cmp(&u.get(a as usize, k))
                .then(a.cmp(&b))
        });
        let utilities = packages.iter().map(|&x| u.get(x as usize, k)).collect();
        Ladder {
            packages,
            utilities,
        }
    }

    /// Its best utility.
    pub fn best(&self) -> Option<f64> {
        self.utilities.first().copied()
    }

    /// Its worst utility.
    pub fn worst(&self) -> Option<f64> {
        self.utilities.last().copied()
    }

    /// How many packages give at least `target`.
    pub fn at_least(&self, target: f64) -> usize {
        self.utilities.partition_point(|&u| u >= target)
    }
}

/// Utilities and ladders: shared by every run when no weight, value or
/// linkage is uncertain, drawn anew per run otherwise.
#[derive(Debug)]
pub struct Valuation {
    /// Every package's utilities.
    pub utilities: Utilities,
    /// Per valued party: its ladder when it negotiates or mediates.
    pub ladders: Vec<Option<Ladder>>,
    /// Stages already worked out, by stage and what was settled before it
    /// (runs that share a valuation mostly meet the same stages).
    stages: Mutex<HashMap<StageKey, Arc<Stage>>>,
}

/// A stage's number and the options settled before it.
type StageKey = (usize, Vec<Option<u16>>);

impl Valuation {
    /// Stage `stage` after `decided`, worked out once per valuation.
    pub fn stage(
        &self,
        t: &Table,
        stage: usize,
        decided: &[Option<u16>],
        issues: &[usize],
    ) -> Arc<Stage> {
        let key = (stage, decided.to_vec());
        if let Some(s) = self.stages.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return s;
        }
        let s = Arc::new(Stage::new(t, self, decided, issues));
        if let Ok(mut m) = self.stages.lock() {
            m.insert(key, s.clone());
        }
        s
    }
}

impl Valuation {
    /// The valuation of these utilities.
    pub fn new(t: &Table, utilities: Utilities) -> Valuation {
        let mediates = |k: usize| {
            t.mediator == Some(k)
                && matches!(
                    t.config.protocol,
                    truce_engine::simulation::Protocol::Mediated
                )
        };
        let ladders = (0..t.valued.len())
            .map(|k| {
                (t.negotiators.contains(&k) || mediates(k)).then(|| Ladder::new(t, &utilities, k))
            })
            .collect();
        Valuation {
            utilities,
            ladders,
            stages: Mutex::new(HashMap::new()),
        }
    }
}

/// The reservation values of one run: drawn, or set by the configuration.
pub fn reservations(t: &Table, rng: &mut impl Rng) -> Vec<f64> {
    t.valued
        .iter()
        .map(|&p| match t.config.reservations[p] {
            Some(x) => x,
            None => t.scenario.preferences[p]
                .as_ref()
                .map_or(0.0, |prefs| draw(&prefs.reservation, rng)),
        })
        .collect()
}
