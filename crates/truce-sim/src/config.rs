//! One simulation's settings: the scenario's `[simulation]` and
//! `[[strategies]]`, overridden from the command line and by variations.

use truce_engine::model::Scenario;
use truce_engine::simulation::{Parameter, Protocol, Setting, Strategy, Variation};

pub const DEFAULT_ROUNDS: u32 = 100;
pub const DEFAULT_RUNS: u64 = 1000;
pub const DEFAULT_SEED: u64 = 1;

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub protocol: Protocol,
    /// The most rounds the talks may last.
    pub rounds: u32,
    pub runs: u64,
    pub seed: u64,
    /// Per scenario party; `None` takes the default strategy.
    pub strategies: Vec<Option<Strategy>>,
    /// Per issue: held at this option (e.g. sanctions relief not offered).
    pub fixed: Vec<Option<usize>>,
    /// Overrides the round at which the mediator walks away.
    pub deadline: Option<u32>,
    /// Per scenario party: reservation value overriding the estimate.
    pub reservations: Vec<Option<f64>>,
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

    /// This configuration with one parameter set.
    pub fn with(&self, parameter: Parameter, setting: &Setting) -> Config {
        let mut c = self.clone();
        match (parameter, setting) {
            (Parameter::Deadline, Setting::Round(r)) => c.deadline = Some(*r),
            (Parameter::Rounds, Setting::Round(r)) => c.rounds = *r,
            (Parameter::Reservation(p), Setting::Value(x)) => c.reservations[p] = Some(*x),
            (Parameter::Fix(i), Setting::Option(o)) => c.fixed[i] = *o,
            (Parameter::Strategy(p), Setting::Strategy(st)) => c.strategies[p] = Some(*st),
            (Parameter::Protocol, Setting::Protocol(pr)) => c.protocol = *pr,
            // parse_variation pairs each parameter with its kind of value.
            _ => {}
        }
        c
    }

    /// One configuration per value of a variation.
    pub fn variants(&self, v: &Variation) -> Vec<Config> {
        v.values.iter().map(|x| self.with(v.parameter, x)).collect()
    }
}
