//! A simulation's answer: how likely a deal is, before the deadline or at
//! all, which deal, what each party can expect; the JSON contract of
//! `truce simulate --format json` (docs/simulation.md).

use crate::monte::Tally;
use crate::protocol::Ending;
use crate::table::Table;
use indexmap::IndexMap;
use serde::Serialize;

/// Deals listed in a summary, most frequent first.
pub const TOP_DEALS: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize)]
/// A package agreed in some runs.
pub struct Deal {
    /// Share of all runs that ended in this package.
    pub share: f64,
    /// The package, issue by issue.
    pub package: IndexMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// What many runs add up to.
pub struct Summary {
    /// The protocol played.
    pub protocol: String,
    /// Runs played.
    pub runs: u64,
    /// The seed of the draws.
    pub seed: u64,
    /// The most rounds a run could last.
    pub rounds: u32,
    /// The last round before the mediator walks away, if it does.
    pub deadline_round: Option<u32>,
    /// Share of runs that ended in an agreement.
    pub p_agreement: f64,
    /// Share that agreed by the mediator's walk-away round.
    pub p_agreement_before_deadline: f64,
    /// Mean round of agreement, over runs that agreed.
    pub mean_rounds: Option<f64>,
    /// Per party with preferences: the mean of the agreement's utility, or
    /// of its reservation value when there was none.
    pub expected_utility: IndexMap<String, f64>,
    /// Per issue and option: the share of all runs that agreed on it (so an
    /// issue's shares add up to p_agreement).
    pub outcomes: IndexMap<String, IndexMap<String, f64>>,
    /// The most frequent deals.
    pub deals: Vec<Deal>,
    /// Share of runs per way of ending.
    pub endings: IndexMap<String, f64>,
    /// Each party's strategy, as written.
    pub strategies: IndexMap<String, String>,
    /// Issues held at one option in this simulation.
    pub fixed: IndexMap<String, String>,
    /// How negotiators found their offers: "table" (every package listed)
    /// or "search" (drawn near each demand: the table is too large to list,
    /// or `--offers search` asked for it).
    pub offers: String,
    /// Packages on the table.
    pub packages: u64,
}

impl Summary {
    /// The summary of `tally`, played on `t`.
    pub fn new(t: &Table, tally: &Tally) -> Summary {
        let s = t.scenario;
        let runs = tally.runs.max(1) as f64;
        let share = |n: u64| n as f64 / runs;
        let mut deals: Vec<(usize, u64)> = tally.deals.iter().map(|(&x, &n)| (x, n)).collect();
        deals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        // Counted, then divided once, so an issue's shares add up exactly.
        let mut counts: Vec<Vec<u64>> = s.issues.iter().map(|i| vec![0; i.options.len()]).collect();
        let mut options = vec![0u16; t.allowed.len()];
        for &(x, n) in &deals {
            t.decode(x, &mut options);
            for (c, &o) in counts.iter_mut().zip(&options) {
                c[o as usize] += n;
            }
        }
        let outcomes: IndexMap<String, IndexMap<String, f64>> = s
            .issues
            .iter()
            .zip(&t.allowed)
            .zip(&counts)
            .map(|((i, allowed), c)| {
                (
                    i.id.clone(),
                    allowed
                        .iter()
                        .map(|&o| (i.options[o as usize].id.clone(), share(c[o as usize])))
                        .collect(),
                )
            })
            .collect();
        let describe = |x: usize| -> IndexMap<String, String> {
            s.describe_package(&t.package(x))
                .into_iter()
                .map(|(i, o)| (i.to_string(), o.to_string()))
                .collect()
        };
        let endings = Ending::ALL
            .into_iter()
            .filter_map(|e| {
                tally
                    .endings
                    .get(&e)
                    .map(|&n| (e.as_str().to_string(), share(n)))
            })
            .collect();
        Summary {
            offers: if t.listed { "table" } else { "search" }.to_string(),
            packages: t.count as u64,
            protocol: t.config.protocol.as_str().to_string(),
            runs: tally.runs,
            seed: t.config.seed,
            rounds: t.config.rounds,
            deadline_round: t.walk_away,
            p_agreement: share(tally.agreements),
            p_agreement_before_deadline: share(tally.before_deadline),
            mean_rounds: (tally.agreements > 0)
                .then(|| tally.agreement_rounds as f64 / tally.agreements as f64),
            expected_utility: t
                .valued
                .iter()
                .zip(&tally.utility_sums)
                .map(|(&p, &sum)| (s.parties[p].id.clone(), sum / runs))
                .collect(),
            outcomes,
            deals: deals
                .iter()
                .take(TOP_DEALS)
                .map(|&(x, n)| Deal {
                    share: share(n),
                    package: describe(x),
                })
                .collect(),
            endings,
            strategies: t
                .negotiators
                .iter()
                .chain(t.mediator.iter())
                .map(|&k| (t.party_id(k).to_string(), t.strategies[k].to_string()))
                .collect(),
            fixed: s
                .issues
                .iter()
                .zip(&t.config.fixed)
                .filter_map(|(i, f)| f.map(|o| (i.id.clone(), i.options[o].id.clone())))
                .collect(),
        }
    }
}

/// One variant of a varied input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    /// The variation, as written: `fix.sanctions=free,unchanged`.
    pub parameter: String,
    /// This variant's value: `unchanged`.
    pub value: String,
    #[serde(flatten)]
    /// The summary with the input changed.
    pub summary: Summary,
}

/// The whole answer: the simulation as configured, then each variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    #[serde(flatten)]
    /// A simulation's answer: the summary and each variant.
    pub summary: Summary,
    /// The same simulation with one input changed, per value.
    pub variants: Vec<Variant>,
}
