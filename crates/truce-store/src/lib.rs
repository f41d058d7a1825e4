//! The ledger in a database: append-only (triggers refuse updates and
//! deletes), each entry chained to the previous one by a SHA-256 hash, and
//! imports done in one transaction, so a batch lands whole or not at all.
//!
//! SQLite today (a file); PostgreSQL, through the same schema, is next.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use std::path::Path;
use truce_ledger::{read_more, LineError, Record};

/// Schema migrations, applied in order; `user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE entries (
    seq       INTEGER PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    kind      TEXT NOT NULL,
    body      TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: record a correction instead'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: record a retraction instead'); END;
"#,
    r#"
CREATE INDEX entries_kind ON entries (kind, seq);
"#,
];

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("{} bad line(s); nothing was written", .0.len())]
    Rejected(Vec<LineError>),
    #[error(
        "entry {seq} (`{id}`) does not match its hash: the database was changed outside truce"
    )]
    Tampered { seq: i64, id: String },
    #[error("entry {seq} (`{id}`) cannot be read: {reason}")]
    Corrupt {
        seq: i64,
        id: String,
        reason: String,
    },
}

pub struct Ledger {
    conn: Connection,
}

/// SHA-256 of the previous hash and this entry's body, in hex.
pub fn chain_hash(prev: &str, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(body.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn kind(r: &Record) -> &'static str {
    match r {
        Record::Source { .. } => "source",
        Record::Report { .. } => "report",
        Record::Commitment { .. } => "commitment",
        Record::Violation { .. } => "violation",
        Record::Sanction { .. } => "sanction",
        Record::Deadline { .. } => "deadline",
        Record::Event { .. } => "event",
        Record::Withdrawal { .. } => "withdrawal",
        Record::Retraction { .. } => "retraction",
    }
}

impl Ledger {
    /// Opens (creating if needed) a ledger file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Ledger, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        let ledger = Ledger { conn };
        ledger.migrate()?;
        Ok(ledger)
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let done: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
            self.conn.execute_batch(sql)?;
            self.conn
                .pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        Ok(())
    }

    /// Every record, in the order it was recorded.
    pub fn records(&self) -> Result<Vec<Record>, StoreError> {
        self.select("SELECT seq, id, body FROM entries ORDER BY seq")
    }

    /// The records a status on a date depends on: all but events (statements,
    /// meetings…), which are usually the bulk of a ledger.
    pub fn status_records(&self) -> Result<Vec<Record>, StoreError> {
        self.select("SELECT seq, id, body FROM entries WHERE kind <> 'event' ORDER BY seq")
    }

    fn select(&self, sql: &str) -> Result<Vec<Record>, StoreError> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, id, body) = row?;
            let rec = serde_json::from_str(&body).map_err(|e| StoreError::Corrupt {
                seq,
                id,
                reason: e.to_string(),
            })?;
            out.push(rec);
        }
        Ok(out)
    }

    /// Appends a JSON Lines batch in one transaction: every line is checked
    /// against the ledger first, and one bad line rejects the whole batch.
    pub fn import(&mut self, text: &str) -> Result<usize, StoreError> {
        let existing = self.records()?;
        let new = read_more(&existing, text).map_err(StoreError::Rejected)?;
        let tx = self.conn.transaction()?;
        let mut prev: String = tx
            .query_row(
                "SELECT hash FROM entries ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| GENESIS.to_string());
        {
            let mut insert = tx.prepare(
                "INSERT INTO entries (id, kind, body, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for r in &new {
                let body = serde_json::to_string(r).map_err(|e| StoreError::Corrupt {
                    seq: 0,
                    id: r.id().to_string(),
                    reason: e.to_string(),
                })?;
                let hash = chain_hash(&prev, &body);
                insert.execute(params![r.id(), kind(r), body, prev, hash])?;
                prev = hash;
            }
        }
        tx.commit()?;
        Ok(new.len())
    }

    /// Recomputes the hash chain; names the first entry that does not match.
    pub fn verify(&self) -> Result<usize, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, id, body, prev_hash, hash FROM entries ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        let mut prev = GENESIS.to_string();
        let mut n = 0;
        while let Some(row) = rows.next()? {
            let (seq, id): (i64, String) = (row.get(0)?, row.get(1)?);
            let (body, prev_hash, hash): (String, String, String) =
                (row.get(2)?, row.get(3)?, row.get(4)?);
            if prev_hash != prev || chain_hash(&prev, &body) != hash {
                return Err(StoreError::Tampered { seq, id });
            }
            prev = hash;
            n += 1;
        }
        Ok(n)
    }
}
