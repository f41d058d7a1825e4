//! The ledger in a database: append-only (triggers refuse updates and
//! deletes), each entry chained to the previous one by a SHA-256 hash, and
//! imports done in one transaction, so a batch lands whole or not at all.
//!
//! Two databases behind one type: SQLite (a file, the default) and
//! PostgreSQL (a `postgres://` URL, for a team sharing one ledger). They
//! share the schema (`schema.rs`), the hash chain and every rule; only the
//! SQL dialect of the migrations and the bulk-insert path differ.

pub mod batch;
pub mod rooms;
mod schema;
pub mod testing;

use rayon::prelude::*;
use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::PathBuf;
use truce_engine::Diagnostic;
use truce_ledger::{read_batch, BatchFormat, Known, Record, RecordKind};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What can go wrong with a stored ledger.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The SQLite database failed.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The PostgreSQL server failed (the message never shows a password).
    #[error("PostgreSQL: {}", postgres_message(.0))]
    Postgres(#[from] postgres::Error),
    /// A batch could not be sent.
    #[error("sending the batch to the database failed: {0}")]
    Write(String),
    /// A batch had bad lines; nothing was written.
    #[error("{} bad line(s); nothing was written", .0.len())]
    Rejected(Vec<Diagnostic>),
    /// An entry no longer matches its hash.
    #[error(
        "entry {seq} (`{id}`) does not match its hash: the database was changed outside truce"
    )]
    Tampered {
        /// Its place in the chain.
        seq: i64,
        /// Its id.
        id: String,
    },
    /// An entry's body cannot be read as a record.
    #[error("entry {seq} (`{id}`) cannot be read: {reason}")]
    Corrupt {
        /// Its place in the chain.
        seq: i64,
        /// Its id.
        id: String,
        /// Why not.
        reason: String,
    },
    /// The database was made by a newer truce.
    #[error("the ledger's schema is at version {found}, newer than this truce knows ({known}); upgrade truce")]
    NewerSchema {
        /// The database's schema version.
        found: i64,
        /// The newest this truce knows.
        known: usize,
    },
}

/// Where a ledger lives: a SQLite file, or a PostgreSQL database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file.
    File(PathBuf),
    /// A `postgres://` URL.
    Postgres(String),
}

impl Location {
    /// A `postgres://` or `postgresql://` URL names a PostgreSQL database;
    /// anything else is a file path.
    pub fn parse(s: &str) -> Location {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Location::Postgres(s.to_string())
        } else {
            Location::File(PathBuf::from(s))
        }
    }
}

/// Shown without the password, so it can go into messages and logs.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Postgres(url) => {
                let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
                match rest.split_once('@') {
                    Some((user_info, host)) => {
                        let user = user_info.split(':').next().unwrap_or("");
                        let hidden = if user_info.contains(':') { ":***" } else { "" };
                        write!(f, "{scheme}://{user}{hidden}@{host}")
                    }
                    None => write!(f, "{url}"),
                }
            }
        }
    }
}

/// SHA-256 of the previous hash and this entry's body, in hex.
pub fn chain_hash(prev: &str, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(body.as_bytes());
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    for b in h.finalize() {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    out
}

/// One stored entry as it comes out of the table.
struct Row {
    seq: i64,
    id: String,
    kind: String,
    body: String,
    prev_hash: String,
    hash: String,
}

enum Db {
    Sqlite(rusqlite::Connection),
    Postgres(Box<postgres::Client>),
}

/// A ledger in a database: append-only, hash-chained.
pub struct Ledger {
    db: Db,
    /// PostgreSQL statements the room prepares once per connection (a
    /// statement sent as text is parsed on every call, a round trip more).
    statements: std::collections::HashMap<&'static str, postgres::Statement>,
    /// The room's writer's knowledge of the answers it wrote.
    answer_counts: batch::AnswerCounts,
}

impl Ledger {
    /// Opens (creating if needed) a ledger and brings its schema up to date.
    pub fn open(location: &Location) -> Result<Ledger, StoreError> {
        let db = match location {
            Location::File(path) => {
                let conn = rusqlite::Connection::open(path)?;
                conn.pragma_update(None, "journal_mode", "WAL")?;
                conn.pragma_update(None, "synchronous", "FULL")?;
                schema::migrate_sqlite(&conn)?;
                Db::Sqlite(conn)
            }
            Location::Postgres(url) => {
                let mut client = postgres::Client::connect(url, postgres::NoTls)?;
                schema::migrate_postgres(&mut client)?;
                Db::Postgres(Box::new(client))
            }
        };
        Ok(Ledger {
            db,
            statements: std::collections::HashMap::new(),
            answer_counts: batch::AnswerCounts::default(),
        })
    }

    /// "SQLite" or "PostgreSQL".
    pub fn backend(&self) -> &'static str {
        match self.db {
            Db::Sqlite(_) => "SQLite",
            Db::Postgres(_) => "PostgreSQL",
        }
    }

    /// Every record, in the order it was recorded.
    pub fn records(&mut self) -> Result<Vec<Record>, StoreError> {
        self.select("SELECT seq, id, kind, body, '', '' FROM entries ORDER BY seq")
    }

    /// The records a status on a date depends on, giving the same status as
    /// every record: all but the events (statements, meetings…, usually
    /// the bulk of a ledger) that status cannot use. It uses an event that
    /// carries out a promise (`fulfils`), an agreement (conditions may ask
    /// for one), one dated less precisely than a day (status says when it
    /// may fall after the date asked) and one a condition names (read by
    /// id). The first four are read through one index (`schema.rs`).
    pub fn status_records(&mut self) -> Result<Vec<Record>, StoreError> {
        let mut rows = self.select_rows(schema::STATUS_ENTRIES)?;
        let named = truce_ledger::condition_references(rows.iter().map(|(_, r)| r));
        let loaded: std::collections::HashSet<&str> = if named.is_empty() {
            Default::default()
        } else {
            rows.iter().map(|(_, r)| r.id()).collect()
        };
        let missing: Vec<String> = named
            .into_iter()
            .filter(|id| !loaded.contains(id.as_str()))
            .collect();
        drop(loaded);
        for id in missing {
            rows.extend(self.select_id(&id)?);
        }
        rows.sort_by_key(|(seq, _)| *seq);
        Ok(rows.into_iter().map(|(_, r)| r).collect())
    }

    /// The entry with this id, if there is one, with its place.
    fn select_id(&mut self, id: &str) -> Result<Option<(i64, Record)>, StoreError> {
        let row: Option<(i64, String, String)> = match &mut self.db {
            Db::Sqlite(conn) => conn
                .query_row(
                    "SELECT seq, id, body FROM entries WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?,
            Db::Postgres(client) => {
                match client.query_opt("SELECT seq, id, body FROM entries WHERE id = $1", &[&id])? {
                    Some(r) => Some((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)),
                    None => None,
                }
            }
        };
        row.map(|(seq, id, body)| {
            serde_json::from_str(&body)
                .map(|r| (seq, r))
                .map_err(|e| StoreError::Corrupt {
                    seq,
                    id,
                    reason: e.to_string(),
                })
        })
        .transpose()
    }

    fn select(&mut self, sql: &str) -> Result<Vec<Record>, StoreError> {
        Ok(self.select_rows(sql)?.into_iter().map(|(_, r)| r).collect())
    }

    fn select_rows(&mut self, sql: &str) -> Result<Vec<(i64, Record)>, StoreError> {
        let mut rows = Vec::new();
        self.scan(sql, &mut |row| {
            rows.push(row);
            Ok(())
        })?;
        // Parsing the bodies is most of the work: spread it over the cores.
        rows.into_par_iter()
            .map(|row| {
                serde_json::from_str(&row.body)
                    .map(|r| (row.seq, r))
                    .map_err(|e| StoreError::Corrupt {
                        seq: row.seq,
                        id: row.id,
                        reason: e.to_string(),
                    })
            })
            .collect()
    }

    /// Streams the rows of a query over `entries` (seq, id, kind, body,
    /// prev_hash, hash), without holding them all.
    fn scan(
        &mut self,
        sql: &str,
        f: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        match &mut self.db {
            Db::Sqlite(conn) => {
                let mut stmt = conn.prepare(sql)?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    f(Row {
                        seq: r.get(0)?,
                        id: r.get(1)?,
                        kind: r.get(2)?,
                        body: r.get(3)?,
                        prev_hash: r.get(4)?,
                        hash: r.get(5)?,
                    })?;
                }
            }
            Db::Postgres(client) => {
                use postgres::fallible_iterator::FallibleIterator;
                let mut rows = client.query_raw(sql, Vec::<String>::new())?;
                while let Some(r) = rows.next()? {
                    f(Row {
                        seq: r.try_get(0)?,
                        id: r.try_get(1)?,
                        kind: r.try_get(2)?,
                        body: r.try_get(3)?,
                        prev_hash: r.try_get(4)?,
                        hash: r.try_get(5)?,
                    })?;
                }
            }
        }
        Ok(())
    }

    /// Appends a JSON Lines batch; see [`Ledger::import_as`].
    pub fn import(&mut self, text: &str) -> Result<usize, StoreError> {
        self.import_as(text, BatchFormat::JsonLines)
    }

    /// Appends a batch in one transaction that holds the ledger's write
    /// lock from the first read to the commit: every record is checked
    /// against the ledger as it is then, one bad line rejects the whole
    /// batch, and two imports at once cannot fork the hash chain.
    pub fn import_as(&mut self, text: &str, format: BatchFormat) -> Result<usize, StoreError> {
        match &mut self.db {
            Db::Sqlite(conn) => {
                let tx =
                    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let (existing, prev) = {
                    let mut existing = Known::new();
                    let mut stmt = tx.prepare("SELECT seq, id, kind FROM entries")?;
                    let mut rows = stmt.query([])?;
                    while let Some(r) = rows.next()? {
                        let (seq, id, kind): (i64, String, String) =
                            (r.get(0)?, r.get(1)?, r.get(2)?);
                        let k = parse_kind(seq, &id, &kind)?;
                        existing.insert(id, k);
                    }
                    let prev: Option<String> = tx
                        .query_row(
                            "SELECT hash FROM entries ORDER BY seq DESC LIMIT 1",
                            [],
                            |r| r.get(0),
                        )
                        .optional()?;
                    (existing, prev.unwrap_or_else(|| GENESIS.to_string()))
                };
                let new = read_batch(&existing, text, format).map_err(StoreError::Rejected)?;
                {
                    let mut insert = tx.prepare(
                        "INSERT INTO entries (id, kind, body, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?;
                    each_chained(&new, prev, |e| {
                        insert.execute(rusqlite::params![e.id, e.kind, e.body, e.prev, e.hash])?;
                        Ok(())
                    })?;
                }
                tx.commit()?;
                Ok(new.len())
            }
            Db::Postgres(client) => {
                use postgres::fallible_iterator::FallibleIterator;
                use std::io::Write;
                let mut tx = client.transaction()?;
                // Readers go on; a second writer waits for this commit.
                tx.batch_execute("LOCK TABLE entries IN SHARE ROW EXCLUSIVE MODE")?;
                let mut existing = Known::new();
                {
                    let mut rows =
                        tx.query_raw("SELECT seq, id, kind FROM entries", Vec::<String>::new())?;
                    while let Some(r) = rows.next()? {
                        let (seq, id, kind): (i64, String, String) =
                            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
                        let k = parse_kind(seq, &id, &kind)?;
                        existing.insert(id, k);
                    }
                }
                let prev: String = tx
                    .query_opt("SELECT hash FROM entries ORDER BY seq DESC LIMIT 1", &[])?
                    .map(|r| r.try_get(0))
                    .transpose()?
                    .unwrap_or_else(|| GENESIS.to_string());
                let new = read_batch(&existing, text, format).map_err(StoreError::Rejected)?;
                // COPY: one round trip for the batch instead of one per row.
                let copy = tx.copy_in(
                    "COPY entries (id, kind, body, prev_hash, hash) FROM STDIN WITH (FORMAT csv)",
                )?;
                let mut w = csv::Writer::from_writer(copy);
                each_chained(&new, prev, |e| {
                    w.write_record([e.id, e.kind, e.body, e.prev, e.hash])
                        .map_err(copy_error)
                })?;
                let mut copy = w.into_inner().map_err(|e| copy_error(e.into_error()))?;
                copy.flush().map_err(copy_error)?;
                copy.finish()?;
                tx.commit()?;
                Ok(new.len())
            }
        }
    }

    /// Recomputes the hash chain; names the first entry that does not match.
    pub fn verify(&mut self) -> Result<usize, StoreError> {
        self.verify_chain().map(|c| c.entries)
    }

    /// Recomputes the hash chain and returns its length and head. An entry
    /// fails if its hash does not follow from the previous hash and its
    /// body, or if its `id` or `kind` column is not the one its (hashed)
    /// body states: so every stored column is covered, and ledgers written
    /// before this check keep their hashes.
    pub fn verify_chain(&mut self) -> Result<Chain, StoreError> {
        let mut prev = GENESIS.to_string();
        let mut n = 0;
        self.scan(
            "SELECT seq, id, kind, body, prev_hash, hash FROM entries ORDER BY seq",
            &mut |row| {
                let stated = serde_json::from_str::<Stated>(&row.body).ok();
                let consistent = stated.is_some_and(|s| s.id == row.id && s.kind == row.kind);
                if !consistent || row.prev_hash != prev || chain_hash(&prev, &row.body) != row.hash
                {
                    return Err(StoreError::Tampered {
                        seq: row.seq,
                        id: row.id,
                    });
                }
                prev = row.hash;
                n += 1;
                Ok(())
            },
        )?;
        Ok(Chain {
            entries: n,
            head: prev,
        })
    }

    /// The number of entries and the hash of the last one (the genesis
    /// hash when empty), read without checking: keep it elsewhere, and
    /// `verify --expect-head` tells whether the chain still reaches it.
    pub fn head(&mut self) -> Result<Chain, StoreError> {
        let mut chain = Chain {
            entries: 0,
            head: GENESIS.to_string(),
        };
        self.scan(
            "SELECT seq, id, kind, '', '', hash FROM entries ORDER BY seq DESC LIMIT 1",
            &mut |row| {
                chain.head = row.hash;
                Ok(())
            },
        )?;
        // Sequence numbers may skip (a rolled-back import): count.
        self.scan(
            "SELECT COUNT(*), '', '', '', '', '' FROM entries",
            &mut |row| {
                chain.entries = usize::try_from(row.seq).unwrap_or(0);
                Ok(())
            },
        )?;
        Ok(chain)
    }
}

/// A hash chain's length and the hash of its last entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    /// Entries in the chain.
    pub entries: usize,
    /// The last entry's hash (the genesis hash when there is none).
    pub head: String,
}

/// The id and kind a record's body states.
#[derive(serde::Deserialize)]
struct Stated {
    id: String,
    #[serde(rename = "type")]
    kind: String,
}

/// The server's own words where there are any ("db error" says nothing).
fn postgres_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut m = db.message().to_string();
            if let Some(hint) = db.hint() {
                m.push_str(&format!(" (hint: {hint})"));
            }
            m
        }
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

fn parse_kind(seq: i64, id: &str, kind: &str) -> Result<RecordKind, StoreError> {
    RecordKind::parse(kind).ok_or_else(|| StoreError::Corrupt {
        seq,
        id: id.to_string(),
        reason: format!("unknown kind `{kind}`"),
    })
}

fn copy_error(e: impl fmt::Display) -> StoreError {
    StoreError::Write(e.to_string())
}

/// A record ready to append: its body and its link in the chain.
pub(crate) struct Chained<'a> {
    pub(crate) id: &'a str,
    pub(crate) kind: &'static str,
    pub(crate) body: &'a str,
    pub(crate) prev: &'a str,
    pub(crate) hash: &'a str,
}

/// Hands each record to `append` with its body and hashes, in order; one
/// record's strings at a time, so a large batch is not held twice.
pub(crate) fn each_chained(
    records: &[Record],
    mut prev: String,
    mut append: impl FnMut(Chained<'_>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    for r in records {
        let body = serde_json::to_string(r).map_err(|e| StoreError::Corrupt {
            seq: 0,
            id: r.id().to_string(),
            reason: e.to_string(),
        })?;
        let hash = chain_hash(&prev, &body);
        append(Chained {
            id: r.id(),
            kind: r.kind().as_str(),
            body: &body,
            prev: &prev,
            hash: &hash,
        })?;
        prev = hash;
    }
    Ok(())
}
