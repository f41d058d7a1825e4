//! The truce engine: the negotiation model, its file format and its analysis.
//!
//! Pure: no file, network or terminal I/O and no global state. Callers hand
//! in text and get back typed values, reports and located errors.

pub mod analysis;
pub mod compare;
pub mod consent;
pub mod date;
pub mod diag;
pub mod expr;
mod format;
pub mod generate;
pub mod limits;
pub mod model;
pub mod parse;
pub mod simulation;
pub mod space;
pub mod utility;
mod validate;
pub mod write;

pub use date::Date;
pub use diag::{Diagnostic, ErrorKind, ScenarioError};
pub use model::{Scenario, ScenarioParts};
pub use parse::parse_scenario;
