//! Who may read and do what in a room. Deny by default: each question
//! names what is allowed, everything else is refused, and a refusal looks
//! exactly like something that does not exist (the server answers both
//! with the same 404), so a party cannot even learn what it may not see.

use serde::{Deserialize, Serialize};

/// Who holds a token.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "role", content = "party", rename_all = "snake_case")]
pub enum Role {
    /// Runs the text: issues drafts, sees every answer, holds estimates.
    Mediator,
    /// One party: its own positions and answers, and what is published.
    Party(String),
    /// Reads what is published.
    Observer,
}

/// What a role may do, question by question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access<'a>(pub &'a Role);

impl Access<'_> {
    fn is_party(&self, party: &str) -> bool {
        matches!(self.0, Role::Party(p) if p == party)
    }
    fn is_mediator(&self) -> bool {
        matches!(self.0, Role::Mediator)
    }
    /// Reading a party's confidential positions: that party, and the
    /// mediator (trusted with them, docs/security.md).
    pub fn read_positions(&self, party: &str) -> bool {
        self.is_party(party) || self.is_mediator()
    }
    /// Entering a party's positions: that party only.
    pub fn write_positions(&self, party: &str) -> bool {
        self.is_party(party)
    }
    /// The mediator's estimates of a party: the mediator only, never the
    /// party estimated.
    pub fn estimates(&self) -> bool {
        self.is_mediator()
    }
    /// Issuing drafts, marking the final offer, extending the deadline,
    /// publishing a board: the mediator.
    pub fn run_the_text(&self) -> bool {
        self.is_mediator()
    }
    /// Reading a draft: anyone in the room.
    pub fn read_draft(&self) -> bool {
        true
    }
    /// Answering a draft for a party: that party.
    pub fn answer(&self, party: &str) -> bool {
        self.is_party(party)
    }
    /// Reading a party's answers: that party and the mediator, or anyone
    /// once the mediator has published the draft's board.
    pub fn read_answers(&self, party: &str, published: bool) -> bool {
        published || self.is_party(party) || self.is_mediator()
    }
    /// Reading a draft's whole board: the mediator, or anyone once
    /// published.
    pub fn read_board(&self, published: bool) -> bool {
        published || self.is_mediator()
    }
    /// The room's record (ledger): the mediator.
    pub fn read_record(&self) -> bool {
        self.is_mediator()
    }
}
