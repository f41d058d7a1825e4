//! Sourced claims read out of a news report: who said what, through which
//! outlet, when, of what kind, binding or accusing which parties, about
//! which issues; each with the span of text it rests on and a confidence,
//! proposed for a person to review before it enters the ledger.
//!
//! Rules and lexicons written for the purpose (reporting verbs,
//! attribution patterns, titles and roles, outlets, date expressions),
//! no model and no network: the same text gives the same proposals on
//! any machine. Pure: text comes in, proposals go out.

pub mod article;
pub mod claims;
pub mod dates;
pub mod evaluate;
pub mod lexicon;
mod text;

pub use article::{parse_article, Article};
pub use claims::{extract, Claim, Kind, Options, Speaker};
/// A calendar day (publication dates).
pub use jiff::civil::Date;
