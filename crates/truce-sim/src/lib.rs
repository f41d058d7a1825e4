//! Simulated ceasefire talks over a scenario: protocols (alternating
//! offers, the mediator's single negotiating text, an ultimatum), each
//! party's strategy, deadlines with consequences, and Monte Carlo runs over
//! the uncertain estimates. Pure: no I/O, no global state; the same seed
//! gives the same answer on any number of threads.
//!
//! `table` fixes what every run shares, `world` draws what one run's
//! parties value, `strategy` is one negotiator, `protocol` plays a run,
//! `stage` is one stage of staged talks, `monte` plays many runs, `report`
//! sums them up.

pub mod config;
pub mod monte;
pub mod near;
pub mod protocol;
pub mod report;
pub mod stage;
pub mod strategy;
pub mod table;
pub mod world;

pub use config::{Config, Offers};
pub use protocol::{Ending, Event, Outcome, Refusal};
pub use report::{Report, Summary, Variant};
pub use table::Table;

use truce_engine::model::Scenario;
use truce_engine::simulation::{Variation, MAX_RUNS};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
/// Why a simulation cannot be run.
pub enum SimError {
    /// Nobody at the table has preferences.
    #[error("no party with a veto has preferences, so nobody bargains; give the parties at the table [[preferences]]")]
    NoNegotiators,
    /// The protocol needs a mediator with preferences, and there is none.
    #[error("the mediated protocol needs a mediator with preferences; add a party with role = \"mediator\" and its [[preferences]], or use --protocol alternating")]
    NoMediator,
    #[error("more than {limit} packages on the table to list; hold some issues fixed (--vary fix.ISSUE=OPTION or --fix), or let negotiators search for their offers (--offers search)")]
    /// The table would hold more than `limit` packages.
    TooManyPackages {
        /// The most the simulator tabulates.
        limit: u64,
    },
    #[error("more than 2^64 packages on the table; hold some issues fixed (--fix ISSUE=OPTION) to simulate")]
    /// The table's packages cannot be numbered.
    SpaceTooLarge,
    #[error("the sequenced protocol lists every package of the table, and this one has more than {limit}; hold some issues fixed (--fix ISSUE=OPTION) or use another protocol")]
    /// The sequenced protocol on a table too large to list.
    SequencedTooLarge {
        /// The most packages listed.
        limit: u64,
    },
    #[error("finding the best and final offer: {0}; hold some issues fixed (--fix ISSUE=OPTION)")]
    /// The exact search for the best and final offer gave up.
    Search(String),
    #[error("{runs} negotiations in all (runs × (1 + the values of every variation)), more than the limit of {limit}; run fewer or vary less")]
    /// More than `limit` negotiations, variants included.
    TooManyRuns {
        /// Negotiations asked for.
        runs: u64,
        /// The most one simulation plays.
        limit: u64,
    },
}

/// Runs the simulation `config` describes, then one per value of each
/// variation; `progress` hears how many runs have finished, in all.
pub fn simulate(
    scenario: &Scenario,
    config: &Config,
    variations: &[Variation],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Report, SimError> {
    simulate_table(&Table::new(scenario, config.clone())?, variations, progress)
}

/// As [`simulate`], on a table already set up (e.g. one a trace was taken
/// from).
pub fn simulate_table(
    base: &Table,
    variations: &[Variation],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Report, SimError> {
    let runs = total_runs(&base.config, variations);
    if runs > MAX_RUNS {
        return Err(SimError::TooManyRuns {
            runs,
            limit: MAX_RUNS,
        });
    }
    let summary = Summary::new(base, &monte::run_all(base, progress));
    let mut variants = Vec::new();
    for v in variations {
        for (c, label) in base.config.variants(v).into_iter().zip(&v.labels) {
            let t = Table::new(base.scenario, c)?;
            variants.push(Variant {
                parameter: v.text.clone(),
                value: label.clone(),
                summary: Summary::new(&t, &monte::run_all(&t, progress)),
            });
        }
    }
    Ok(Report { summary, variants })
}

/// The total number of runs `simulate` will play (saturating).
pub fn total_runs(config: &Config, variations: &[Variation]) -> u64 {
    let values = variations
        .iter()
        .fold(0u64, |n, v| n.saturating_add(v.settings.len() as u64));
    config.runs.saturating_mul(values.saturating_add(1))
}
