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
    /// Whether packages are listed or searched.
    pub offers: Offers,
}

/// How negotiators find their offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Offers {
    /// Listed up to [`crate::table::MAX_PACKAGES`] packages, searched
    /// beyond.
    #[default]
    Auto,
    /// Every package listed, each negotiator's sorted best to worst.
    Listed,
    /// Packages evaluated when asked; offers found by searching near the
    /// negotiator's demand (as agents on large spaces do).
    Searched,
}

impl Offers {
    /// Every way, in the order help lists them.
    pub const ALL: [Offers; 3] = [Offers::Auto, Offers::Listed, Offers::Searched];

    /// Its name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Offers::Auto => "auto",
            Offers::Listed => "table",
            Offers::Searched => "search",
        }
    }

    /// The way with this name.
    pub fn parse(s: &str) -> Option<Offers> {
        Offers::ALL.into_iter().find(|o| o.as_str() == s)
    }
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
            offers: Offers::Auto,
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
