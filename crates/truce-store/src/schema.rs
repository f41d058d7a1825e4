//! One schema, migrated in order, written once per SQL dialect. Version N
//! of the schema is the first N migrations; SQLite records N in
//! `user_version`, PostgreSQL in the `truce_schema` table.

use crate::StoreError;

struct Migration {
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    // 1: the entries, in recording order, and nothing may change them.
    Migration {
        sqlite: r#"
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
        // `body` is TEXT, not JSONB: the hash covers its exact bytes.
        postgres: r#"
CREATE TABLE entries (
    seq       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    kind      TEXT NOT NULL,
    body      TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE FUNCTION truce_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: record a correction or retraction instead';
END $$;
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
    FOR EACH ROW EXECUTE FUNCTION truce_append_only();
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
    FOR EACH ROW EXECUTE FUNCTION truce_append_only();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries
    FOR EACH STATEMENT EXECUTE FUNCTION truce_append_only();
"#,
    },
    // 2: status reads every kind but events through this index.
    Migration {
        sqlite: "CREATE INDEX entries_kind ON entries (kind, seq);",
        postgres: "CREATE INDEX entries_kind ON entries (kind, seq);",
    },
    // 3: the entries a status needs (see `STATUS_ENTRIES`), indexed so
    // status does not read the bodies of every statement.
    Migration {
        sqlite: concat!(
            "CREATE INDEX entries_status ON entries (seq) WHERE ",
            status_entries!(),
            ";"
        ),
        postgres: concat!(
            "CREATE INDEX entries_status ON entries (seq) WHERE ",
            status_entries!(),
            ";"
        ),
    },
    // 4: negotiation rooms (`rooms.rs`). Positions, drafts and answers are
    // append-only; a token's revocation, a draft's publication and the
    // room's closing day are the only updates.
    Migration {
        sqlite: r#"
CREATE TABLE rooms (
    id       TEXT PRIMARY KEY,
    scenario TEXT NOT NULL,
    created  TEXT NOT NULL,
    closes   TEXT
);
CREATE TABLE room_tokens (
    hash    TEXT PRIMARY KEY,
    room    TEXT NOT NULL REFERENCES rooms (id),
    role    TEXT NOT NULL,
    party   TEXT,
    revoked INTEGER NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE room_positions (
    seq     INTEGER PRIMARY KEY,
    room    TEXT NOT NULL REFERENCES rooms (id),
    party   TEXT NOT NULL,
    kind    TEXT NOT NULL,
    format  TEXT NOT NULL,
    body    TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX room_positions_room ON room_positions (room, seq);
CREATE TABLE room_drafts (
    room      TEXT NOT NULL REFERENCES rooms (id),
    number    INTEGER NOT NULL,
    body      TEXT NOT NULL,
    published INTEGER NOT NULL,
    created   TEXT NOT NULL,
    PRIMARY KEY (room, number)
);
CREATE TABLE room_responses (
    seq     INTEGER PRIMARY KEY,
    room    TEXT NOT NULL REFERENCES rooms (id),
    draft   INTEGER NOT NULL,
    party   TEXT NOT NULL,
    body    TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX room_responses_draft ON room_responses (room, draft, party, seq);
CREATE TRIGGER room_positions_no_update BEFORE UPDATE ON room_positions
BEGIN SELECT RAISE(ABORT, 'positions are append-only: enter a new version'); END;
CREATE TRIGGER room_positions_no_delete BEFORE DELETE ON room_positions
BEGIN SELECT RAISE(ABORT, 'positions are append-only: enter a new version'); END;
CREATE TRIGGER room_responses_no_update BEFORE UPDATE ON room_responses
BEGIN SELECT RAISE(ABORT, 'answers are append-only: answer again'); END;
CREATE TRIGGER room_responses_no_delete BEFORE DELETE ON room_responses
BEGIN SELECT RAISE(ABORT, 'answers are append-only: answer again'); END;
CREATE TRIGGER room_drafts_no_delete BEFORE DELETE ON room_drafts
BEGIN SELECT RAISE(ABORT, 'drafts are kept: issue a new one'); END;
CREATE TRIGGER room_drafts_no_rewrite BEFORE UPDATE OF room, number, body, created ON room_drafts
BEGIN SELECT RAISE(ABORT, 'drafts are kept: issue a new one'); END;
"#,
        postgres: r#"
CREATE TABLE rooms (
    id       TEXT PRIMARY KEY,
    scenario TEXT NOT NULL,
    created  TEXT NOT NULL,
    closes   TEXT
);
CREATE TABLE room_tokens (
    hash    TEXT PRIMARY KEY,
    room    TEXT NOT NULL REFERENCES rooms (id),
    role    TEXT NOT NULL,
    party   TEXT,
    revoked BIGINT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE room_positions (
    seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room    TEXT NOT NULL REFERENCES rooms (id),
    party   TEXT NOT NULL,
    kind    TEXT NOT NULL,
    format  TEXT NOT NULL,
    body    TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX room_positions_room ON room_positions (room, seq);
CREATE TABLE room_drafts (
    room      TEXT NOT NULL REFERENCES rooms (id),
    number    BIGINT NOT NULL,
    body      TEXT NOT NULL,
    published BIGINT NOT NULL,
    created   TEXT NOT NULL,
    PRIMARY KEY (room, number)
);
CREATE TABLE room_responses (
    seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room    TEXT NOT NULL REFERENCES rooms (id),
    draft   BIGINT NOT NULL,
    party   TEXT NOT NULL,
    body    TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX room_responses_draft ON room_responses (room, draft, party, seq);
CREATE TRIGGER room_positions_no_change BEFORE UPDATE OR DELETE ON room_positions
    FOR EACH ROW EXECUTE FUNCTION truce_append_only();
CREATE TRIGGER room_responses_no_change BEFORE UPDATE OR DELETE ON room_responses
    FOR EACH ROW EXECUTE FUNCTION truce_append_only();
CREATE TRIGGER room_drafts_no_delete BEFORE DELETE ON room_drafts
    FOR EACH ROW EXECUTE FUNCTION truce_append_only();
CREATE TRIGGER room_drafts_no_rewrite BEFORE UPDATE OF room, number, body, created ON room_drafts
    FOR EACH ROW EXECUTE FUNCTION truce_append_only();
"#,
    },
];

/// The entries a status needs: every kind but events, and the events it
/// can use (one that carries out a promise, an agreement, one dated less
/// precisely than a day). Matched on the JSON body truce wrote, where a
/// quote inside a text is always escaped, so the patterns can only match
/// the record's own keys. Migration 3 indexes exactly this predicate; a
/// query must repeat it word for word for the index to serve it, and it
/// may never change (write a new migration instead).
macro_rules! status_entries {
    () => {
        "(kind <> 'event' \
         OR body LIKE '%\"fulfils\":%' \
         OR body LIKE '%,\"kind\":\"agreement\",%' \
         OR body NOT LIKE '%,\"date\":\"____-__-__\",%')"
    };
}
pub(crate) use status_entries;

/// The query for them, in order.
pub(crate) const STATUS_ENTRIES: &str = concat!(
    "SELECT seq, id, kind, body, '', '' FROM entries WHERE ",
    status_entries!(),
    " ORDER BY seq"
);

fn check_version(found: i64) -> Result<usize, StoreError> {
    if found > MIGRATIONS.len() as i64 {
        return Err(StoreError::NewerSchema {
            found,
            known: MIGRATIONS.len(),
        });
    }
    Ok(found.max(0) as usize)
}

pub(crate) fn migrate_sqlite(conn: &rusqlite::Connection) -> Result<(), StoreError> {
    migrate_sqlite_to(conn, MIGRATIONS.len())
}

/// Brings the schema to `version` (a test makes an older truce's ledger so).
pub(crate) fn migrate_sqlite_to(
    conn: &rusqlite::Connection,
    version: usize,
) -> Result<(), StoreError> {
    let done: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let steps = MIGRATIONS.iter().take(version).enumerate();
    for (i, m) in steps.skip(check_version(done)?) {
        // Each step and its version number land together or not at all.
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {} PRAGMA user_version = {}; COMMIT;",
            m.sqlite,
            i + 1
        ))?;
    }
    Ok(())
}

/// The advisory lock that keeps two truce processes
/// from migrating one database at once.
const MIGRATION_LOCK: i64 = 0x0074_7275_6365; // "truce" in ASCII

pub(crate) fn migrate_postgres(client: &mut postgres::Client) -> Result<(), StoreError> {
    migrate_postgres_to(client, MIGRATIONS.len())
}

/// Brings the schema to `version` (a test makes an older truce's ledger so).
pub(crate) fn migrate_postgres_to(
    client: &mut postgres::Client,
    version: usize,
) -> Result<(), StoreError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS truce_schema (version BIGINT NOT NULL)")?;
    let found: i64 = match tx.query_opt("SELECT version FROM truce_schema", &[])? {
        Some(row) => row.try_get(0)?,
        None => {
            tx.execute("INSERT INTO truce_schema (version) VALUES (0)", &[])?;
            0
        }
    };
    let steps = MIGRATIONS.iter().take(version).enumerate();
    for (i, m) in steps.skip(check_version(found)?) {
        tx.batch_execute(m.postgres)?;
        tx.execute("UPDATE truce_schema SET version = $1", &[&((i + 1) as i64)])?;
    }
    tx.commit()?;
    Ok(())
}
