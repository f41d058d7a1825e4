//! `truce serve`: the negotiation room over HTTP. JSON under `/api/v1`;
//! every request carries a room token (`Authorization: Bearer …`); what a
//! token may see is `truce_room::Access`'s answer, and a refusal is the
//! same 404 as for something that does not exist.
//!
//! The room's rules live in `truce-room`, its storage in `truce-store`;
//! this crate turns HTTP into calls to them and back (`api`), and makes
//! rooms and their tokens (`rooms`) for the server and the command line.

pub mod api;
pub mod ops;
pub mod rooms;
pub mod tls;
pub mod web;

pub use api::{router, serve, Shared};
pub use rooms::{create_room, invite, invite_observer, RoomError};
