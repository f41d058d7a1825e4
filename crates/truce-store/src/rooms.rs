//! Negotiation rooms in the ledger's database: the room's public scenario,
//! its access tokens (stored only as SHA-256 hashes), every version of
//! each party's confidential positions and of the mediator's estimates,
//! the drafts and the answers. Positions, drafts and answers are
//! append-only like the ledger (triggers refuse changes); a token's
//! revocation and a draft's publication are the only updates.
//!
//! What a caller may read is decided by `truce_room::Access`, not here:
//! this module stores and returns what it is asked for.

use crate::{Db, Ledger, StoreError};
use sha2::{Digest, Sha256};
use truce_ledger::Record;
use truce_room::Role;

/// SHA-256 of a token, in hex: what is stored and looked up.
pub fn token_hash(token: &str) -> String {
    let mut h = Sha256::new();
    h.update(token.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A stored room.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRoom {
    /// Its id.
    pub id: String,
    /// Its public scenario, as TOML.
    pub scenario: String,
    /// When it was made (RFC 3339, UTC).
    pub created: String,
    /// The day the room closes to new drafts, if a deadline says so.
    pub closes: Option<String>,
}

/// One version of a party's positions (its own, or the mediator's
/// estimate of them).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPositions {
    /// Its place among all versions in the database.
    pub seq: i64,
    /// The party.
    pub party: String,
    /// `entered` (by the party) or `estimate` (the mediator's).
    pub kind: String,
    /// `toml` or `json`.
    pub format: String,
    /// The text as sent.
    pub body: String,
    /// When it was stored.
    pub created: String,
}

/// A stored draft.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDraft {
    /// Its number in the room.
    pub number: i64,
    /// The draft as JSON (`truce_room::Draft`).
    pub body: String,
    /// Whether its board is published to the room.
    pub published: bool,
    /// When it was issued.
    pub created: String,
}

/// A stored answer.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredResponse {
    /// Its place among all answers.
    pub seq: i64,
    /// The draft answered.
    pub draft: i64,
    /// The party answering.
    pub party: String,
    /// The answer as JSON (`truce_room::Response`).
    pub body: String,
    /// When it was stored.
    pub created: String,
}

/// A parameter of a room query.
enum P<'a> {
    T(&'a str),
    O(Option<&'a str>),
    I(i64),
}

/// A value of a room query's row.
#[derive(Debug, Clone)]
enum V {
    T(Option<String>),
    I(i64),
}

impl V {
    fn text(&self) -> String {
        match self {
            V::T(t) => t.clone().unwrap_or_default(),
            V::I(i) => i.to_string(),
        }
    }
    fn opt(&self) -> Option<String> {
        match self {
            V::T(t) => t.clone(),
            V::I(i) => Some(i.to_string()),
        }
    }
    fn int(&self) -> i64 {
        match self {
            V::I(i) => *i,
            V::T(t) => t.as_deref().and_then(|t| t.parse().ok()).unwrap_or(0),
        }
    }
}

/// The kind of a result column.
#[derive(Clone, Copy)]
enum C {
    T,
    I,
}

/// The current time as RFC 3339 in UTC, to the second: when a room's row
/// was stored.
pub fn now() -> String {
    let t = jiff::Timestamp::now();
    t.round(jiff::Unit::Second).unwrap_or(t).to_string()
}

/// Today's date in UTC, as the room's clock reads it.
pub fn today() -> truce_engine::Date {
    let d = jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .date();
    truce_engine::Date::new(d.year(), d.month(), d.day()).unwrap_or(truce_engine::Date::EPOCH)
}

impl Ledger {
    /// Runs a statement written with `$1, $2, …` placeholders in order.
    fn room_exec(&mut self, sql: &'static str, params: &[P]) -> Result<usize, StoreError> {
        match &mut self.db {
            Db::Sqlite(conn) => {
                let values: Vec<rusqlite::types::Value> = params.iter().map(sqlite_value).collect();
                Ok(conn
                    .prepare_cached(sql)?
                    .execute(rusqlite::params_from_iter(values))?)
            }
            Db::Postgres(client) => {
                let stmt = prepared(client, &mut self.statements, sql)?;
                let owned = pg_values(params);
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    owned.iter().map(|v| v.as_ref()).collect();
                Ok(usize::try_from(client.execute(&stmt, &refs)?).unwrap_or(usize::MAX))
            }
        }
    }

    /// Runs a query and returns its rows, columns read as `cols` says.
    fn room_query(
        &mut self,
        sql: &'static str,
        params: &[P],
        cols: &[C],
    ) -> Result<Vec<Vec<V>>, StoreError> {
        match &mut self.db {
            Db::Sqlite(conn) => {
                let values: Vec<rusqlite::types::Value> = params.iter().map(sqlite_value).collect();
                let mut stmt = conn.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    let mut row = Vec::with_capacity(cols.len());
                    for (i, c) in cols.iter().enumerate() {
                        row.push(match c {
                            C::T => V::T(r.get(i)?),
                            C::I => V::I(r.get(i)?),
                        });
                    }
                    out.push(row);
                }
                Ok(out)
            }
            Db::Postgres(client) => {
                let stmt = prepared(client, &mut self.statements, sql)?;
                let owned = pg_values(params);
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    owned.iter().map(|v| v.as_ref()).collect();
                let mut out = Vec::new();
                for r in client.query(&stmt, &refs)? {
                    let mut row = Vec::with_capacity(cols.len());
                    for (i, c) in cols.iter().enumerate() {
                        row.push(match c {
                            C::T => V::T(r.try_get(i)?),
                            C::I => V::I(r.try_get(i)?),
                        });
                    }
                    out.push(row);
                }
                Ok(out)
            }
        }
    }

    /// Makes a room with its public scenario and its first tokens
    /// (hash, role); fails if the id is taken.
    pub fn create_room(
        &mut self,
        id: &str,
        scenario: &str,
        closes: Option<&str>,
        tokens: &[(String, Role)],
    ) -> Result<(), StoreError> {
        let created = now();
        self.room_exec(
            "INSERT INTO rooms (id, scenario, created, closes) VALUES ($1, $2, $3, $4)",
            &[P::T(id), P::T(scenario), P::T(&created), P::O(closes)],
        )?;
        for (hash, role) in tokens {
            self.add_token(id, hash, role)?;
        }
        Ok(())
    }

    /// Stores a token's hash for a role in a room.
    pub fn add_token(&mut self, room: &str, hash: &str, role: &Role) -> Result<(), StoreError> {
        let (role_name, party) = match role {
            Role::Mediator => ("mediator", None),
            Role::Party(p) => ("party", Some(p.as_str())),
            Role::Observer => ("observer", None),
        };
        let created = now();
        self.room_exec(
            "INSERT INTO room_tokens (hash, room, role, party, revoked, created) VALUES ($1, $2, $3, $4, 0, $5)",
            &[P::T(hash), P::T(room), P::T(role_name), P::O(party), P::T(&created)],
        )?;
        Ok(())
    }

    /// Revokes every live token of a role (a party's, or the mediator's).
    pub fn revoke_tokens(&mut self, room: &str, role: &Role) -> Result<usize, StoreError> {
        match role {
            Role::Party(p) => self.room_exec(
                "UPDATE room_tokens SET revoked = 1 WHERE room = $1 AND role = 'party' AND party = $2",
                &[P::T(room), P::T(p)],
            ),
            Role::Mediator => self.room_exec(
                "UPDATE room_tokens SET revoked = 1 WHERE room = $1 AND role = 'mediator'",
                &[P::T(room)],
            ),
            Role::Observer => self.room_exec(
                "UPDATE room_tokens SET revoked = 1 WHERE room = $1 AND role = 'observer'",
                &[P::T(room)],
            ),
        }
    }

    /// The room and role of a live token, by its hash. The hash is looked
    /// up by the database's index; the token itself never reaches it.
    pub fn token(&mut self, hash: &str) -> Result<Option<(String, Role)>, StoreError> {
        Ok(self
            .token_in_room(hash)?
            .map(|(room, role, _)| (room, role)))
    }

    /// The room and role of a live token, by its hash, with the day the room
    /// closes to new drafts: what every request needs, in one query.
    pub fn token_in_room(
        &mut self,
        hash: &str,
    ) -> Result<Option<(String, Role, Option<String>)>, StoreError> {
        let rows = self.room_query(
            "SELECT t.room, t.role, t.party, r.closes FROM room_tokens t \
             JOIN rooms r ON r.id = t.room WHERE t.hash = $1 AND t.revoked = 0",
            &[P::T(hash)],
            &[C::T, C::T, C::T, C::T],
        )?;
        Ok(rows.first().and_then(|r| {
            let role = role_of(&r[1], &r[2])?;
            Some((r[0].text(), role, r[3].opt()))
        }))
    }

    /// A room by id.
    pub fn room(&mut self, id: &str) -> Result<Option<StoredRoom>, StoreError> {
        let rows = self.room_query(
            "SELECT id, scenario, created, closes FROM rooms WHERE id = $1",
            &[P::T(id)],
            &[C::T, C::T, C::T, C::T],
        )?;
        Ok(rows.first().map(|r| StoredRoom {
            id: r[0].text(),
            scenario: r[1].text(),
            created: r[2].text(),
            closes: r[3].opt(),
        }))
    }

    /// Appends a version of a party's positions (`kind`: `entered` or
    /// `estimate`).
    pub fn add_positions(
        &mut self,
        room: &str,
        party: &str,
        kind: &str,
        format: &str,
        body: &str,
    ) -> Result<(), StoreError> {
        let created = now();
        self.room_exec(
            "INSERT INTO room_positions (room, party, kind, format, body, created) VALUES ($1, $2, $3, $4, $5, $6)",
            &[P::T(room), P::T(party), P::T(kind), P::T(format), P::T(body), P::T(&created)],
        )?;
        Ok(())
    }

    /// Every version of positions in a room, oldest first.
    pub fn positions(&mut self, room: &str) -> Result<Vec<StoredPositions>, StoreError> {
        let rows = self.room_query(
            "SELECT seq, party, kind, format, body, created FROM room_positions WHERE room = $1 ORDER BY seq",
            &[P::T(room)],
            &POSITIONS_COLUMNS,
        )?;
        Ok(rows.into_iter().map(stored_positions).collect())
    }

    /// Every version of one party's positions of one kind, oldest first.
    pub fn positions_of(
        &mut self,
        room: &str,
        party: &str,
        kind: &str,
    ) -> Result<Vec<StoredPositions>, StoreError> {
        let rows = self.room_query(
            "SELECT seq, party, kind, format, body, created FROM room_positions \
             WHERE room = $1 AND party = $2 AND kind = $3 ORDER BY seq",
            &[P::T(room), P::T(party), P::T(kind)],
            &POSITIONS_COLUMNS,
        )?;
        Ok(rows.into_iter().map(stored_positions).collect())
    }

    /// The latest version of each party's positions of one kind.
    pub fn latest_positions(
        &mut self,
        room: &str,
        kind: &str,
    ) -> Result<Vec<StoredPositions>, StoreError> {
        let rows = self.room_query(
            "SELECT seq, party, kind, format, body, created FROM room_positions p \
             WHERE room = $1 AND kind = $2 AND seq = (SELECT MAX(seq) FROM room_positions q \
             WHERE q.room = p.room AND q.party = p.party AND q.kind = p.kind) ORDER BY seq",
            &[P::T(room), P::T(kind)],
            &POSITIONS_COLUMNS,
        )?;
        Ok(rows.into_iter().map(stored_positions).collect())
    }

    /// The room's drafts, in order.
    pub fn drafts(&mut self, room: &str) -> Result<Vec<StoredDraft>, StoreError> {
        let rows = self.room_query(
            "SELECT number, body, published, created FROM room_drafts WHERE room = $1 ORDER BY number",
            &[P::T(room)],
            &DRAFT_COLUMNS,
        )?;
        Ok(rows.into_iter().map(stored_draft).collect())
    }

    /// One draft of a room, by number.
    pub fn draft(&mut self, room: &str, number: i64) -> Result<Option<StoredDraft>, StoreError> {
        let rows = self.room_query(
            "SELECT number, body, published, created FROM room_drafts WHERE room = $1 AND number = $2",
            &[P::T(room), P::I(number)],
            &DRAFT_COLUMNS,
        )?;
        Ok(rows.into_iter().next().map(stored_draft))
    }

    /// A party's latest answer to a draft, if it has answered.
    pub fn latest_response(
        &mut self,
        room: &str,
        draft: i64,
        party: &str,
    ) -> Result<Option<StoredResponse>, StoreError> {
        let rows = self.room_query(
            "SELECT seq, draft, party, body, created FROM room_responses \
             WHERE room = $1 AND draft = $2 AND party = $3 ORDER BY seq DESC LIMIT 1",
            &[P::T(room), P::I(draft), P::T(party)],
            &RESPONSE_COLUMNS,
        )?;
        Ok(rows.into_iter().next().map(stored_response))
    }

    /// Every answer to a draft, oldest first.
    pub fn responses(&mut self, room: &str, draft: i64) -> Result<Vec<StoredResponse>, StoreError> {
        let rows = self.room_query(
            "SELECT seq, draft, party, body, created FROM room_responses WHERE room = $1 AND draft = $2 ORDER BY seq",
            &[P::T(room), P::I(draft)],
            &RESPONSE_COLUMNS,
        )?;
        Ok(rows.into_iter().map(stored_response).collect())
    }
}

/// A statement prepared once per connection.
fn prepared(
    client: &mut postgres::Client,
    cache: &mut std::collections::HashMap<&'static str, postgres::Statement>,
    sql: &'static str,
) -> Result<postgres::Statement, StoreError> {
    if let Some(s) = cache.get(sql) {
        return Ok(s.clone());
    }
    let s = client.prepare(sql)?;
    cache.insert(sql, s.clone());
    Ok(s)
}

const POSITIONS_COLUMNS: [C; 6] = [C::I, C::T, C::T, C::T, C::T, C::T];
const DRAFT_COLUMNS: [C; 4] = [C::I, C::T, C::I, C::T];
const RESPONSE_COLUMNS: [C; 5] = [C::I, C::I, C::T, C::T, C::T];

fn stored_positions(r: Vec<V>) -> StoredPositions {
    StoredPositions {
        seq: r[0].int(),
        party: r[1].text(),
        kind: r[2].text(),
        format: r[3].text(),
        body: r[4].text(),
        created: r[5].text(),
    }
}

fn stored_draft(r: Vec<V>) -> StoredDraft {
    StoredDraft {
        number: r[0].int(),
        body: r[1].text(),
        published: r[2].int() != 0,
        created: r[3].text(),
    }
}

fn stored_response(r: Vec<V>) -> StoredResponse {
    StoredResponse {
        seq: r[0].int(),
        draft: r[1].int(),
        party: r[2].text(),
        body: r[3].text(),
        created: r[4].text(),
    }
}

/// A token row's role (`role`, `party` columns).
fn role_of(role: &V, party: &V) -> Option<Role> {
    match role.text().as_str() {
        "mediator" => Some(Role::Mediator),
        "party" => party.opt().map(Role::Party),
        "observer" => Some(Role::Observer),
        _ => None,
    }
}

fn sqlite_value(p: &P) -> rusqlite::types::Value {
    match p {
        P::T(t) => rusqlite::types::Value::Text((*t).to_string()),
        P::O(Some(t)) => rusqlite::types::Value::Text((*t).to_string()),
        P::O(None) => rusqlite::types::Value::Null,
        P::I(i) => rusqlite::types::Value::Integer(*i),
    }
}

fn pg_values(params: &[P]) -> Vec<Box<dyn postgres::types::ToSql + Sync>> {
    params
        .iter()
        .map(|p| -> Box<dyn postgres::types::ToSql + Sync> {
            match p {
                P::T(t) => Box::new((*t).to_string()),
                P::O(t) => Box::new(t.map(str::to_string)),
                P::I(i) => Box::new(*i),
            }
        })
        .collect()
}

impl Ledger {
    /// Whether the ledger holds an entry with this id.
    pub fn has_entry(&mut self, id: &str) -> Result<bool, StoreError> {
        Ok(!self
            .room_query(
                "SELECT seq FROM entries WHERE id = $1",
                &[P::T(id)],
                &[C::I],
            )?
            .is_empty())
    }

    /// The ledger's entries a room recorded (their ids start with the
    /// room's id and a dot), in order; only those rows are read.
    pub fn room_records(&mut self, room: &str) -> Result<Vec<Record>, StoreError> {
        let prefix = format!("{room}.");
        let rows = self.room_query(
            "SELECT seq, body FROM entries WHERE substr(id, 1, length($1)) = $1 ORDER BY seq",
            &[P::T(&prefix)],
            &[C::I, C::T],
        )?;
        rows.into_iter()
            .map(|r| {
                serde_json::from_str(&r[1].text()).map_err(|e| StoreError::Corrupt {
                    seq: r[0].int(),
                    id: prefix.clone(),
                    reason: e.to_string(),
                })
            })
            .collect()
    }
}
