//! The ledger: a sourced record of the process. Who said or did what, when,
//! according to whom; commitments, their conditions and promised
//! consequences; reported violations and sanctions; deadlines.
//!
//! This crate holds the model, reads and checks JSON Lines and CSV (all or
//! nothing, each bad line named), writes CSV, and derives the state of
//! every commitment on a date. It does no I/O; storage (SQLite, PostgreSQL)
//! and the hash chain belong to `truce-store`.

mod acled;
mod condition;
mod csv;

/// The largest batch file `truce ledger import` reads (a million entries
/// take about 200 MB of JSON Lines).
pub const MAX_BATCH_BYTES: u64 = 2 << 30;

pub mod generate;
mod links;
mod model;
mod read;
mod review;
mod status;
mod timeline;
mod when;

pub use crate::csv::{read_csv, read_csv_more, write_csv, CsvWriteError, COLUMNS as CSV_COLUMNS};
pub use acled::{candidates, latest_date, read_acled, Candidate};
pub use condition::{condition_references, parse_condition, ConditionRule, Fact};
pub use links::{check_links, LinkProblem};
pub use model::*;
pub use read::{known, read_batch, read_jsonl, read_more, write_jsonl, BatchFormat, Known};
pub use review::take_reviewed;
pub use status::{
    sources_of, status_at, CommitmentState, CommitmentStatus, DeadlineStatus, PartyRecord,
    PromiseState, PromiseStatus, ReportDetail, Sources, SpeakerRef, Status, Support, Unfulfilled,
    Violation,
};
pub use timeline::{action_words, timeline, TimelineEntry};
pub use when::{Moment, NotAWhen, Placement, Precision, When};
