//! The negotiation room: where the mediator and each party work on one
//! text while each party's positions stay its own.
//!
//! Pure like the engine: this crate decides what a room holds and who may
//! see what; storage (`truce-store`) and HTTP (`truce-server`) only carry
//! out its answers.
//!
//! - `positions`: a scenario's public part (parties, issues, options,
//!   plans, deadlines), a party's confidential part (its preferences, red
//!   lines and linkages, in the scenario format's terms) read and checked
//!   with located errors, and the scenario they make together.
//! - `text`: drafts of the single negotiating text, each party's answers
//!   provision by provision, and the board.
//! - `access`: roles, and what each may read.

pub mod access;
pub mod analysis;
pub mod form;
pub mod positions;
pub mod record;
pub mod text;
pub mod view;

pub use access::{Access, Role};
pub use positions::PositionsSource;
pub use positions::{blocks_of, combine, public_part, read_positions, Positions, PositionsFormat};
pub use text::{
    Board, Draft, DraftInput, Overall, Provision, ProvisionAnswer, ProvisionResponse, Response,
    ResponseInput,
};
pub use view::{NewRoom, RoomView};
