//! The ledger: a sourced record of the process. Who said or did what, when,
//! according to whom; commitments, their conditions and promised
//! consequences; reported violations and sanctions; deadlines.
//!
//! This crate holds the model, reads and checks JSON Lines (all or nothing,
//! each bad line named), and derives the state of every commitment on a
//! date. It does no I/O; storage (SQLite, PostgreSQL) and the hash chain
//! belong to the storage layer (issue 4, still to come).

mod model;
mod read;
mod status;

pub use model::*;
pub use read::{read_jsonl, read_more, LineError};
pub use status::{
    status_at, CommitmentState, CommitmentStatus, DeadlineStatus, PartyRecord, Status, Unfulfilled,
    Violation,
};
