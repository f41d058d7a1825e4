//! The negotiation room on the command line: a new room and its tokens.

use std::io::{self, Write};
use truce_room::NewRoom;

/// `truce room create`: the room, and each token once.
pub fn write_new_room<W: Write + ?Sized>(w: &mut W, r: &NewRoom, db: &str) -> io::Result<()> {
    writeln!(w, "room {} created in {db}", r.room)?;
    if let Some(c) = &r.closes {
        writeln!(w, "it closes to new drafts after {c}")?;
    }
    writeln!(w, "\nmediator: {}", r.mediator_token)?;
    for (party, token) in &r.tokens {
        writeln!(w, "{party}: {token}")?;
    }
    writeln!(
        w,
        "\nEach token is shown once: hand each to its holder only. `truce room invite {} PARTY` replaces a lost one.",
        r.room
    )
}

/// `truce room invite`: the new token.
pub fn write_invitation<W: Write + ?Sized>(
    w: &mut W,
    room: &str,
    holder: &str,
    token: &str,
) -> io::Result<()> {
    writeln!(
        w,
        "new token for {holder} in room {room} (the old one no longer works):"
    )?;
    writeln!(w, "{token}")
}

/// `truce serve`: where it listens.
pub fn write_serving<W: Write + ?Sized>(w: &mut W, url: &str, db: &str) -> io::Result<()> {
    writeln!(
        w,
        "truce serve: {url}api/v1/ (rooms in {db}); Ctrl-C stops it"
    )
}

/// The mediator's analysis in the room: whose positions each party's are,
/// then everything `truce analyze --format json` gives.
#[derive(serde::Serialize)]
pub struct RoomAnalysisJson<'a> {
    /// Per party: `entered`, `mediator_estimate` or `missing`.
    pub positions: std::collections::BTreeMap<&'a str, truce_room::PositionsSource>,
    /// The analysis of the scenario those positions make, drafts as plans
    /// `draft-N`.
    pub analysis: crate::analysis_json::AnalysisJson<'a>,
    /// Per draft number: the packages every party with positions prefers
    /// to it, largest total gain first.
    pub improvements: std::collections::BTreeMap<u32, Vec<truce_room::analysis::Improvement>>,
}
