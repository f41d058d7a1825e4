//! One simulation's settings: the scenario's `[simulation]` and
//! `[[strategies]]`, overridden from the command line and by variations.

use truce_engine::model::Scenario;
use truce_engine::simulation::{Protocol, Setting, Strategy, Variation};

/// Rounds when neither the scenario nor the command line sets them.
pub const DEFAULT_ROUNDS: u32 = 100;
/// Runs when neither the scenario nor the command line sets them.
pub const DEFAULT_RUNS: u64 = 1000;
/// The seed when neither the scenario nor the command line sets it.
pub const DEFAULT_SEED: u64 = 1;

#[derive(Debug, Clone, PartialEq)]
/// One simulation's settings.
pub struct Config {
    /// How offers are made.
    pub protocol: Protocol,
    /// The most rounds the talks may last.
    pub rounds: u32,
    /// Negotiations to play.
    pub runs: u64,
    /// The seed of the random draws.
    pub seed: u64,
    /// Per scenario party; `None` takes the default strategy.
    pub strategies: Vec<Option<Strategy>>,
    /// Per issue: held at this option (e.g. sanctions relief not offered).
    pub fixed: Vec<Option<usize>>,
    /// Overrides the round at which the mediator walks away.
    pub deadline: Option<u32>,
    /// Per scenario party: reservation value overriding the estimate.
    pub reservations: Vec<Option<f64>>,
    /// Issues agreed stage by stage (sequenced protocol).
    pub stages: Vec<Vec<usize>>,
}

impl Config {
    /// The scenario's own settings, with defaults for what it leaves out.
    pub fn from_scenario(s: &Scenario) -> Config {
        let sim = &s.simulation;
        let mut strategies = vec![None; s.parties.len()];
        for d in &sim.strategies {
            strategies[d.party] = Some(d.strategy);
        }
        Config {
            protocol: sim.protocol.unwrap_or(Protocol::Alternating),
            rounds: sim.rounds.unwrap_or(DEFAULT_ROUNDS),
            runs: sim.runs.unwrap_or(DEFAULT_RUNS),
            seed: sim.seed.unwrap_or(DEFAULT_SEED),
            strategies,
            fixed: vec![None; s.issues.len()],
            deadline: None,
            reservations: vec![None; s.parties.len()],
            stages: sim.stages.clone(),
        }
    }

    /// This configuration with one input set.
    pub fn with(&self, setting: &Setting) -> Config {
        let mut c = self.clone();
        c.set(setting);
        c
    }

    /// Sets one input.
    pub fn set(&mut self, setting: &Setting) {
        match *setting {
            Setting::Deadline(r) => self.deadline = Some(r),
            Setting::Rounds(r) => self.rounds = r,
            Setting::Reservation { party, value } => self.reservations[party] = Some(value),
            Setting::Fix { issue, option } => self.fixed[issue] = option,
            Setting::Strategy { party, strategy } => self.strategies[party] = Some(strategy),
            Setting::Protocol(p) => self.protocol = p,
            Setting::Runs(n) => self.runs = n,
            Setting::Seed(x) => self.seed = x,
        }
    }

    /// One configuration per value of a variation.
    pub fn variants(&self, v: &Variation) -> Vec<Config> {
        v.settings.iter().map(|x| self.with(x)).collect()
    }
}
