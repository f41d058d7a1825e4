//! A forecasting problem: actors, dimensions, positions, salience and
//! capability, checked once so that every model can rely on them.

use serde::Serialize;

/// Most actors a problem may have.
pub const MAX_ACTORS: usize = 10_000;
/// Most dimensions (issues) a problem may have.
pub const MAX_DIMENSIONS: usize = 10_000;
/// Most actor × dimension cells a problem may have.
pub const MAX_CELLS: usize = 4_000_000;

/// One actor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Actor {
    /// Its name (unique within the problem).
    pub name: String,
    /// How much it can bring to bear (KTAB: power, influence); at least 0.
    pub capability: f64,
}

/// One dimension (issue) on the 0 to 100 scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dimension {
    /// Its id.
    pub id: String,
    /// For an issue of listed options: each option's id and its place on
    /// the scale, so a forecast maps back to the nearest option. Empty for
    /// a continuous dimension.
    pub options: Vec<(String, f64)>,
    /// The known outcome (0 to 100), where there is one (a table of past
    /// decisions).
    pub outcome: Option<f64>,
}

impl Dimension {
    /// A continuous dimension.
    pub fn continuous(id: impl Into<String>) -> Self {
        Dimension {
            id: id.into(),
            options: Vec::new(),
            outcome: None,
        }
    }

    /// The option nearest `position` (the first of equally near ones), if
    /// the dimension lists options.
    pub fn nearest_option(&self, position: f64) -> Option<&str> {
        self.options
            .iter()
            .min_by(|a, b| (a.1 - position).abs().total_cmp(&(b.1 - position).abs()))
            .map(|o| o.0.as_str())
    }
}

/// A checked problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Its name.
    pub name: String,
    /// The actors.
    pub actors: Vec<Actor>,
    /// The dimensions.
    pub dimensions: Vec<Dimension>,
    /// Per actor, per dimension: its position (0 to 100), or none where it
    /// takes none.
    pub positions: Vec<Vec<Option<f64>>>,
    /// Per actor, per dimension: its salience (at least 0; 0 where it takes
    /// no position).
    pub saliences: Vec<Vec<f64>>,
}

/// Why a problem was refused; `at` names the actor and dimension.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProblemError {
    /// A value outside its range.
    #[error("{what} of {at} is {value}; it must be {range}")]
    OutOfRange {
        /// Which value.
        what: &'static str,
        /// Where (actor, dimension).
        at: String,
        /// The value.
        value: f64,
        /// The allowed range, in words.
        range: &'static str,
    },
    /// Too many actors, dimensions or cells.
    #[error("{0}")]
    TooLarge(String),
    /// Rows of the wrong length, or no actors or dimensions.
    #[error("{0}")]
    Shape(String),
    /// Two actors or dimensions with one name.
    #[error("{0} appears twice")]
    Duplicate(String),
}

impl Problem {
    /// Checks and builds a problem.
    pub fn new(
        name: impl Into<String>,
        actors: Vec<Actor>,
        dimensions: Vec<Dimension>,
        positions: Vec<Vec<Option<f64>>>,
        mut saliences: Vec<Vec<f64>>,
    ) -> Result<Problem, ProblemError> {
        let (n, m) = (actors.len(), dimensions.len());
        if n == 0 || m == 0 {
            return Err(ProblemError::Shape(format!(
                "{n} actors and {m} dimensions; a forecast needs at least one of each"
            )));
        }
        if n > MAX_ACTORS || m > MAX_DIMENSIONS || n.saturating_mul(m) > MAX_CELLS {
            return Err(ProblemError::TooLarge(format!(
                "{n} actors × {m} dimensions; at most {MAX_ACTORS} actors, {MAX_DIMENSIONS} dimensions and {MAX_CELLS} cells"
            )));
        }
        if positions.len() != n
            || saliences.len() != n
            || positions
                .iter()
                .chain(std::iter::empty())
                .any(|r| r.len() != m)
            || saliences.iter().any(|r| r.len() != m)
        {
            return Err(ProblemError::Shape(format!(
                "positions and saliences must have one row per actor ({n}) and one column per dimension ({m})"
            )));
        }
        let mut names = std::collections::HashSet::new();
        for a in &actors {
            if !names.insert(a.name.as_str()) {
                return Err(ProblemError::Duplicate(format!("actor {}", a.name)));
            }
            if !(a.capability.is_finite() && a.capability >= 0.0) {
                return Err(ProblemError::OutOfRange {
                    what: "capability",
                    at: a.name.clone(),
                    value: a.capability,
                    range: "a finite number at least 0",
                });
            }
        }
        let mut ids = std::collections::HashSet::new();
        for d in &dimensions {
            if !ids.insert(d.id.as_str()) {
                return Err(ProblemError::Duplicate(format!("dimension {}", d.id)));
            }
            for (v, what) in d
                .options
                .iter()
                .map(|o| (o.1, "an option's place"))
                .chain(d.outcome.map(|o| (o, "the outcome")))
            {
                if !(0.0..=100.0).contains(&v) {
                    return Err(ProblemError::OutOfRange {
                        what,
                        at: d.id.clone(),
                        value: v,
                        range: "between 0 and 100",
                    });
                }
            }
        }
        for (a, (prow, srow)) in positions.iter().zip(&mut saliences).enumerate() {
            for (d, (p, s)) in prow.iter().zip(srow.iter_mut()).enumerate() {
                let at = || format!("{} on {}", actors[a].name, dimensions[d].id);
                if let Some(p) = p {
                    if !(0.0..=100.0).contains(p) {
                        return Err(ProblemError::OutOfRange {
                            what: "the position",
                            at: at(),
                            value: *p,
                            range: "between 0 and 100",
                        });
                    }
                } else {
                    *s = 0.0;
                }
                if !(s.is_finite() && *s >= 0.0) {
                    return Err(ProblemError::OutOfRange {
                        what: "the salience",
                        at: at(),
                        value: *s,
                        range: "a finite number at least 0",
                    });
                }
            }
        }
        Ok(Problem {
            name: name.into(),
            actors,
            dimensions,
            positions,
            saliences,
        })
    }

    /// The positions taken on dimension `d`, each with its weight
    /// (capability × salience), in actor order.
    pub fn weighted(&self, d: usize) -> Vec<(f64, f64)> {
        self.positions
            .iter()
            .zip(&self.saliences)
            .zip(&self.actors)
            .filter_map(|((p, s), a)| p[d].map(|p| (p, a.capability * s[d])))
            .collect()
    }
}
