//! What one run draws: each party's reservation value, weights, option
//! values and linkage utilities, from the spreads the scenario gives them;
//! every package's utility for every party; and each negotiator's ladder,
//! its packages from best to worst for itself.

use crate::near::Sampler;
use crate::stage::Stage;
use crate::table::Table;
use rand::Rng;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use truce_engine::analysis::search::TableSearch;
use truce_engine::model::{Noted, ScenarioParts};
use truce_engine::utility::{linkage_scale, Evaluator};

/// Every package's utility for every valued party: listed in one block
/// with the weight × value terms they are summed from, or, on a table too
/// large to list, evaluated when asked.
#[derive(Debug, Clone)]
pub struct Utilities {
    parties: usize,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Listed {
        /// `values[x * parties + k]`.
        values: Vec<f64>,
        /// `terms[k][i][o]`: weight × value of option o of issue i for party k.
        terms: Vec<Vec<Vec<f64>>>,
    },
    Evaluated {
        /// The engine's evaluator over this run's weights and values.
        ev: Box<Evaluator>,
        /// The table's numbering: options on the table and place values.
        allowed: Vec<Vec<u16>>,
        stride: Vec<usize>,
    },
}

/// What one valuation draws: per valued party its weights (scaled back to
/// their estimated sum) and option values, and each linkage's utility.
struct Drawn {
    weights: Vec<Vec<f64>>,
    values: Vec<Vec<Vec<f64>>>,
    links: Vec<f64>,
}

impl Utilities {
    /// Party `k`'s utility of package `x`.
    pub fn get(&self, x: usize, k: usize) -> f64 {
        match &self.kind {
            Kind::Listed { values, .. } => values[x * self.parties + k],
            Kind::Evaluated {
                ev,
                allowed,
                stride,
            } => {
                let mut package = vec![0u16; allowed.len()];
                decode(allowed, stride, x, &mut package);
                ev.utility_of(k, &package)
            }
        }
    }

    /// Weight × value of option `o` of issue `i` for party `k`.
    pub fn term(&self, k: usize, i: usize, o: u16) -> f64 {
        match &self.kind {
            Kind::Listed { terms, .. } => terms
                .get(k)
                .and_then(|t| t.get(i))
                .and_then(|t| t.get(o as usize))
                .copied()
                .unwrap_or(0.0),
            Kind::Evaluated { ev, .. } => ev.term(k, i, o as usize),
        }
    }

    /// The evaluator, when the utilities are evaluated rather than listed.
    pub fn evaluator(&self) -> Option<&Evaluator> {
        match &self.kind {
            Kind::Evaluated { ev, .. } => Some(ev),
            Kind::Listed { .. } => None,
        }
    }

    /// Utilities given directly (one stage's packages), without terms.
    pub fn from_values(values: Vec<f64>, parties: usize) -> Utilities {
        Utilities {
            parties,
            kind: Kind::Listed {
                values,
                terms: Vec::new(),
            },
        }
    }

    /// The utilities under the estimates as given (no sampling).
    pub fn nominal(t: &Table) -> Utilities {
        if !t.listed {
            return Utilities::evaluated(t, Evaluator::new(t.scenario));
        }
        Utilities::listed(t, Drawn::new(t, &mut |n: &Noted<f64>| n.value))
    }

    /// Utilities with every uncertain weight, value and linkage drawn.
    pub fn sampled(t: &Table, rng: &mut impl Rng) -> Utilities {
        let drawn = Drawn::new(t, &mut |n: &Noted<f64>| draw(n, rng));
        if t.listed {
            Utilities::listed(t, drawn)
        } else {
            Utilities::evaluated(t, Evaluator::new(&drawn.scenario(t)))
        }
    }

    fn evaluated(t: &Table, ev: Evaluator) -> Utilities {
        Utilities {
            parties: t.valued.len(),
            kind: Kind::Evaluated {
                ev: Box::new(ev),
                allowed: t.allowed.clone(),
                stride: t.stride.clone(),
            },
        }
    }

    /// Sums weight × value issue by issue, then linkages in file order (as
    /// the engine's plain utility does).
    fn listed(t: &Table, drawn: Drawn) -> Utilities {
        let s = t.scenario;
        let v = t.valued.len();
        let n = t.allowed.len();
        // Linkages rescale a party's utility into [0, 1] as the engine's
        // evaluator does (same arithmetic, so the same bits).
        let scales: Vec<(f64, f64)> = t
            .valued
            .iter()
            .map(|&p| {
                linkage_scale(
                    s.linkages
                        .iter()
                        .zip(&drawn.links)
                        .filter(|(l, _)| l.party == p)
                        .map(|(_, &x)| x),
                )
            })
            .collect();
        // tables[k][i][o]
        let tables: Vec<Vec<Vec<f64>>> = drawn
            .weights
            .iter()
            .zip(&drawn.values)
            .zip(&scales)
            .map(|((weights, values), &(scale, _))| {
                if weights.is_empty() {
                    return vec![Vec::new(); n];
                }
                weights
                    .iter()
                    .zip(values)
                    .map(|(w, vals)| vals.iter().map(|val| w * val / scale).collect())
                    .collect()
            })
            .collect();
        let links: Vec<(usize, f64)> = s
            .linkages
            .iter()
            .zip(&drawn.links)
            .map(|(l, &x)| {
                let k = t.valued.iter().position(|&p| p == l.party).unwrap_or(0);
                (k, x / scales[k].0)
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
            for ((u, &c), &(_, offset)) in row.iter_mut().zip(&clamped).zip(&scales) {
                if c {
                    *u = (*u + offset).clamp(0.0, 1.0);
                }
            }
        }
        Utilities {
            parties: v,
            kind: Kind::Listed {
                values,
                terms: tables,
            },
        }
    }
}

impl Drawn {
    /// Draws in a fixed order: per valued party its weights, then its
    /// values issue by issue; then the linkages in file order.
    fn new(t: &Table, draw: &mut dyn FnMut(&Noted<f64>) -> f64) -> Drawn {
        let s = t.scenario;
        let mut out = Drawn {
            weights: Vec::with_capacity(t.valued.len()),
            values: Vec::with_capacity(t.valued.len()),
            links: Vec::new(),
        };
        for &p in &t.valued {
            let Some(prefs) = s.preferences[p].as_ref() else {
                out.weights.push(Vec::new());
                out.values.push(Vec::new());
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
            out.values.push(
                prefs
                    .issues
                    .iter()
                    .map(|ip| ip.values.iter().map(&mut *draw).collect())
                    .collect(),
            );
            out.weights.push(weights);
        }
        out.links = s.linkages.iter().map(|l| draw(&l.utility)).collect();
        out
    }

    /// The scenario with these draws as its estimates (what the engine's
    /// evaluator reads: weight × value gives the same terms as listing).
    fn scenario(&self, t: &Table) -> ScenarioParts {
        let mut s = t.scenario.clone().into_parts();
        for ((&p, weights), values) in t.valued.iter().zip(&self.weights).zip(&self.values) {
            let Some(prefs) = s.preferences[p].as_mut() else {
                continue;
            };
            for ((ip, &w), vals) in prefs.issues.iter_mut().zip(weights).zip(values) {
                ip.weight.value = w;
                for (v, &x) in ip.values.iter_mut().zip(vals) {
                    v.value = x;
                }
            }
        }
        for (l, &x) in s.linkages.iter_mut().zip(&self.links) {
            l.utility.value = x;
        }
        s
    }
}

/// Writes the options of package `index` into `out`, by the table's
/// numbering.
pub fn decode(allowed: &[Vec<u16>], stride: &[usize], mut index: usize, out: &mut [u16]) {
    for ((slot, allowed), &stride) in out.iter_mut().zip(allowed).zip(stride) {
        let pos = index / stride;
        index %= stride;
        *slot = allowed.get(pos).copied().unwrap_or(0);
    }
}

pub use truce_engine::model::draw;

/// A negotiator's packages from its best to its worst (ties by package
/// number), leaving out those crossing its red lines when it keeps to them:
/// listed in full, or, on a table too large to list, only its ends, found
/// by exact search (its offers are then found by searching near its
/// demand).
#[derive(Debug, Clone)]
pub enum Ladder {
    /// Every package, best first.
    Listed {
        /// The packages, best first.
        packages: Vec<u32>,
        /// Their utilities.
        utilities: Vec<f64>,
    },
    /// The best package (with its utility), the worst utility, and what
    /// draws packages near a demand.
    Searched {
        /// The best package's options and utility.
        best: Option<(Vec<u16>, f64)>,
        /// The worst utility.
        worst: Option<f64>,
        /// Draws packages just above a demand.
        sampler: Box<Sampler>,
    },
}

impl Ladder {
    /// Party `k`'s ladder over the table; on a table too large to list,
    /// its ends come from `search` (one for every party of a valuation).
    pub fn new(t: &Table, u: &Utilities, k: usize, search: Option<&TableSearch>) -> Ladder {
        let respect = t.strategies[k].respect_red_lines;
        let (Some(ev), Some(search)) = (u.evaluator(), search) else {
            return Ladder::from_packages(
                (0..t.count).filter(|&x| !respect || t.red_ok(k, x)),
                u,
                k,
            );
        };
        let red = if respect { t.red_mask[k] } else { 0 };
        let best = search.best_for(k, red).ok().flatten().map(|o| {
            let u = o.utilities[k];
            (o.package, u)
        });
        let worst = match best {
            Some(_) => search
                .worst_for(k, red)
                .ok()
                .flatten()
                .map(|o| o.utilities[k]),
            None => None,
        };
        let sampler = Box::new(Sampler::new(ev, k, &t.allowed));
        Ladder::Searched {
            best,
            worst,
            sampler,
        }
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
        Ladder::Listed {
            packages,
            utilities,
        }
    }

    /// Its best utility.
    pub fn best(&self) -> Option<f64> {
        match self {
            Ladder::Listed { utilities, .. } => utilities.first().copied(),
            Ladder::Searched { best, .. } => best.as_ref().map(|b| b.1),
        }
    }

    /// Its worst utility.
    pub fn worst(&self) -> Option<f64> {
        match self {
            Ladder::Listed { utilities, .. } => utilities.last().copied(),
            Ladder::Searched { worst, .. } => *worst,
        }
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
        // One party's extremes: bounds are tight and red lines propagate,
        // so each search is short; it runs without a node limit (the limit
        // is the only way it can fail). One searcher serves every party.
        let search = utilities
            .evaluator()
            .map(|ev| TableSearch::new(ev, &t.held(), u64::MAX));
        let ladders = (0..t.valued.len())
            .map(|k| {
                (t.negotiators.contains(&k) || mediates(k))
                    .then(|| Ladder::new(t, &utilities, k, search.as_ref()))
            })
            .collect();
        drop(search);
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
