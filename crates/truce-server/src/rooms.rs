//! Making rooms and their tokens. A token is 256 random bits from the
//! operating system, shown once and stored only as its SHA-256 hash.

use rand::RngCore;
use std::collections::BTreeMap;
use truce_engine::model::Role as ScenarioRole;
use truce_engine::{Diagnostic, Scenario};
use truce_room::{public_part, NewRoom, Role};
use truce_store::rooms::token_hash;
use truce_store::{Ledger, StoreError};

/// What can go wrong making a room or a token.
#[derive(Debug, thiserror::Error)]
pub enum RoomError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The scenario's public part could not be written.
    #[error("the scenario cannot be written as TOML: {0}")]
    Write(String),
    /// No such room.
    #[error("no room `{0}`")]
    NoRoom(String),
    /// The room has no such party.
    #[error("room `{room}` has no party `{party}` that answers drafts; parties: {known}")]
    NoParty {
        /// The room.
        room: String,
        /// The party asked for.
        party: String,
        /// The parties it has.
        known: String,
    },
    /// The room's stored scenario does not read back.
    #[error("room `{0}`'s scenario cannot be read: {1:?}")]
    Scenario(String, Vec<Diagnostic>),
}

/// 256 random bits, as `truce_` and 64 hex digits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("truce_{hex}")
}

fn new_room_id(scenario: &Scenario) -> String {
    let mut bytes = [0u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let stem: String = scenario
        .id
        .as_deref()
        .unwrap_or("room")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(40)
        .collect();
    format!("{stem}-{hex}")
}

/// The parties of a room that answer drafts and hold positions: every
/// party but the scenario's mediator.
pub fn answering_parties(s: &truce_engine::ScenarioParts) -> Vec<String> {
    s.parties
        .iter()
        .filter(|p| p.role != ScenarioRole::Mediator)
        .map(|p| p.id.clone())
        .collect()
}

/// Makes a room from a validated scenario: stores its public part only,
/// and a token for the mediator and for each party. `closes` is the day
/// the room closes to new drafts, if any.
pub fn create_room(
    ledger: &mut Ledger,
    scenario: &Scenario,
    closes: Option<&str>,
) -> Result<NewRoom, RoomError> {
    let public = public_part(scenario);
    let text =
        truce_engine::write::to_toml(&public).map_err(|e| RoomError::Write(e.to_string()))?;
    let room = new_room_id(scenario);
    let mediator_token = new_token();
    let mut tokens = BTreeMap::new();
    let mut hashes = vec![(token_hash(&mediator_token), Role::Mediator)];
    for party in answering_parties(&public) {
        let t = new_token();
        hashes.push((token_hash(&t), Role::Party(party.clone())));
        tokens.insert(party, t);
    }
    ledger.create_room(&room, &text, closes, &hashes)?;
    Ok(NewRoom {
        room,
        mediator_token,
        tokens,
        closes: closes.map(str::to_string),
    })
}

/// A new observer token for a room: it reads the public part and what the
/// mediator publishes. Observers' tokens are not revoked by a new one.
pub fn invite_observer(ledger: &mut Ledger, room: &str) -> Result<String, RoomError> {
    ledger
        .room(room)?
        .ok_or_else(|| RoomError::NoRoom(room.to_string()))?;
    let token = new_token();
    ledger.add_token(room, &token_hash(&token), &Role::Observer)?;
    Ok(token)
}

/// A new token for a party of a room (or its mediator, with `None`); the
/// old ones stop working.
pub fn invite(ledger: &mut Ledger, room: &str, party: Option<&str>) -> Result<String, RoomError> {
    let stored = ledger
        .room(room)?
        .ok_or_else(|| RoomError::NoRoom(room.to_string()))?;
    let role = match party {
        None => Role::Mediator,
        Some(p) => {
            let known = read_public(&stored.scenario)
                .map(|parts| answering_parties(&parts))
                .map_err(|e| RoomError::Scenario(room.to_string(), e))?;
            if !known.iter().any(|k| k == p) {
                return Err(RoomError::NoParty {
                    room: room.to_string(),
                    party: p.to_string(),
                    known: known.join(", "),
                });
            }
            Role::Party(p.to_string())
        }
    };
    let token = new_token();
    ledger.revoke_tokens(room, &role)?;
    ledger.add_token(room, &token_hash(&token), &role)?;
    Ok(token)
}

/// A room's stored public part, read back (it holds no preferences, so it
/// is parts, not a whole scenario).
pub fn read_public(text: &str) -> Result<truce_engine::ScenarioParts, Vec<Diagnostic>> {
    truce_engine::parse::parse_scenario_parts(text).map_err(|e| e.diagnostics)
}
