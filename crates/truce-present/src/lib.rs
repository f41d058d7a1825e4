//! Every output truce produces, for every front end: the text tables and
//! prose a person reads, and each JSON contract as one serde type. All of
//! it is written to any [`std::io::Write`], so the command line, the server
//! and later bindings print the same bytes from the same functions.
//!
//! Pure apart from the writer it is handed: no files, no terminal, no
//! global state. A write error (a closed pipe, a full disk) comes back as
//! the `io::Error` it was; what to make of it is the front end's call.
//!
//! - [`analysis`]: `analyze` and `explain` in words and tables;
//!   [`analysis_json`]: their JSON.
//! - [`check`]: the summary of a valid scenario; [`diagnostics`]: the
//!   problems of an invalid one, as JSON.
//! - [`simulation`]: the summary, the minutes of a run, the JSON.
//! - [`ledger`]: status, sources, timeline, and the reports of import,
//!   verify and check.
//! - [`utilities`]: every package's utilities, as CSV or binary.
//! - [`scenario`]: scenario files written with the comment that says where
//!   they came from.

pub mod analysis;
pub mod analysis_json;
pub mod check;
pub mod compare;
pub mod dashboard;
pub mod diagnostics;
pub mod extract;
pub mod forecast;
pub mod ledger;
pub mod report;
pub mod room;
pub mod scenario;
pub mod simulation;
pub mod utilities;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::io::{self, Write};

/// Who walks away when a walk-away deadline passes, in words that follow
/// the scenario: its mediator by name, else the party that set the
/// deadline, else the talks end.
pub fn walking_away(s: &truce_engine::Scenario, set_by: Option<usize>) -> String {
    match (s.mediator(), set_by) {
        (Some(m), _) => format!("{} withdraws", s.parties[m].name),
        (None, Some(p)) => format!("{} walks away", s.parties[p].name),
        (None, None) => "the talks end".into(),
    }
}

/// Writes `value` as pretty JSON and a newline, streaming (a ledger status
/// or a Pareto list can run to hundreds of megabytes).
pub fn write_json<W: Write + ?Sized, T: Serialize + ?Sized>(
    w: &mut W,
    value: &T,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value).map_err(io::Error::from)?;
    writeln!(w)
}

/// Key–value pairs serialized as a JSON object, in their order (a party's
/// or an issue's id to a value).
#[derive(Debug, Clone, PartialEq)]
pub struct Pairs<K, V>(pub Vec<(K, V)>);

impl<K: Serialize, V: Serialize> Serialize for Pairs<K, V> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut m = ser.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    big(u128::from(n))
}

/// A count of any size with its digits grouped (`1,234,567`).
pub fn big(n: u128) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
