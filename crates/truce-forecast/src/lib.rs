//! Forecasts of a collective decision from where each actor stands on
//! each issue (position, 0 to 100), how much it cares (salience) and how
//! much it can bring to bear (capability): the inputs of the
//! political-science forecasting models (Bueno de Mesquita's expected
//! utility model, KTAB's Spatial Model of Politics, the compromise model).
//!
//! Pure: problems come in as values ([`read`] parses text handed to it,
//! [`from_scenario`] maps a truce scenario), forecasts go out as values.

pub mod baseline;
pub mod evaluate;
pub mod problem;
pub mod read;
pub mod runs;
pub mod scenario;

pub use problem::{Actor, Dimension, Problem, ProblemError};
pub use scenario::{forecast_package, from_scenario, ForecastPackage};

use serde::Serialize;

/// A forecasting model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// The capability × salience weighted mean of the positions.
    Compromise,
    /// The capability × salience weighted median position.
    Median,
}

impl Model {
    /// Every model, in the order reports list them.
    pub const ALL: [Model; 2] = [Model::Compromise, Model::Median];

    /// The model's name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Model::Compromise => "compromise",
            Model::Median => "median",
        }
    }

    /// The model named `name`, if any.
    pub fn parse(name: &str) -> Option<Model> {
        Model::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// What a model forecasts for one problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The model.
    pub model: Model,
    /// Per dimension: the forecast position (0 to 100), or none where no
    /// actor takes a position.
    pub positions: Vec<Option<f64>>,
    /// Every actor's position per round (round, actor, dimension); the
    /// first round is the input. Models without rounds give one.
    pub rounds: Vec<Vec<Vec<Option<f64>>>>,
}

/// Runs `model` on `problem`.
pub fn forecast(problem: &Problem, model: Model) -> Outcome {
    let positions = (0..problem.dimensions.len())
        .map(|d| match model {
            Model::Compromise => baseline::compromise(problem, d),
            Model::Median => baseline::median(problem, d),
        })
        .collect();
    Outcome {
        model,
        positions,
        rounds: vec![problem.positions.clone()],
    }
}
