//! GENIUS/ANAC negotiation domains and truce scenarios, both ways.
//!
//! GENIUS, the format's defining implementation, fixes the semantics this
//! crate follows (docs/genius.md):
//! - a discrete issue's evaluations are divided by the largest
//!   evaluation in that profile;
//! - an integer issue's linear evaluator is `offset + slope × (x − lower)`,
//!   clamped to [0, 1]; a real issue's is `parameter1 × x + parameter0`,
//!   clamped, and truce discretises the range with a stated step;
//! - utility is the weighted sum; the reservation value is on that [0, 1]
//!   scale, 0 where a profile gives none;
//! - discount factors are kept (truce's analysis does not discount).
//!
//! What truce cannot represent is refused with the element named, never
//! approximated. Pure: callers pass file names and texts.

mod export;
mod folder;
mod import;
mod xml;

pub use export::{export, ExportError, Exported};
pub use folder::{decode, import_folder, MAX_FILE_BYTES, MAX_REAL_STEPS};
pub use import::{import, ImportOptions, Imported, DEFAULT_REAL_STEPS};

use truce_engine::{Diagnostic, ErrorKind};

/// One XML file: its name (used for party ids and messages) and text.
#[derive(Debug, Clone, PartialEq)]
pub struct GeniusFile {
    /// The file's name (party ids and messages come from it).
    pub name: String,
    /// Its text.
    pub text: String,
}

/// A problem in one GENIUS file (or in the set of files, when `file` is
/// None): a [`Diagnostic`] whose span is a byte range in that file's text.
fn genius_error(file: Option<&str>, message: impl Into<String>) -> Diagnostic {
    let d = Diagnostic::new(ErrorKind::Invalid, message);
    match file {
        Some(f) => d.in_file(f),
        None => d,
    }
}

/// A truce id from a GENIUS name: characters other than letters, digits,
/// `_` and `-` become `_`, and a leading digit or dash gets an `i_` prefix.
/// Identifiers map to themselves.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    match out.chars().next() {
        None => "issue".into(),
        Some(c) if c.is_alphabetic() || c == '_' => out,
        Some(_) => format!("i_{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_identifiers_and_stable() {
        assert_eq!(slug("Price"), "Price");
        assert_eq!(
            slug("0:00-2:59 prices [cents/kWh]"),
            "i_0_00-2_59_prices_cents_kWh"
        );
        assert_eq!(slug("Increase in Max. Salary"), "Increase_in_Max_Salary");
        for s in ["Price", "Car-B-prof1", "a b", "9x"] {
            assert_eq!(slug(&slug(s)), slug(s));
            assert!(truce_engine::parse::is_identifier(&slug(s)));
        }
    }
}
