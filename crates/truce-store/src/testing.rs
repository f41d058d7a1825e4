//! Throwaway ledgers for test suites: a SQLite file always, and a fresh
//! PostgreSQL database when `TRUCE_TEST_POSTGRES` holds an admin URL (CI
//! sets it; `.ci/postgres` starts a server and prints one). Each scratch
//! database is dropped when its handle is.

use crate::{Location, StoreError};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The variable that names the PostgreSQL server tests may use.
pub const POSTGRES_VAR: &str = "TRUCE_TEST_POSTGRES";

/// A throwaway ledger for a test: a SQLite file, or a PostgreSQL database
/// dropped when this is.
pub struct Scratch {
    /// Where it is.
    pub location: Location,
    /// (admin URL, database name) of a PostgreSQL scratch database.
    postgres: Option<(String, String)>,
}

impl Scratch {
    /// The location as a user types it after `--db` (password included).
    pub fn arg(&self) -> String {
        match &self.location {
            Location::File(p) => p.display().to_string(),
            Location::Postgres(url) => url.clone(),
        }
    }

    /// `SQLite` or `PostgreSQL`.
    pub fn backend(&self) -> &'static str {
        if self.postgres.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.postgres {
            if let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// Why the tests cannot have the databases they need.
#[derive(Debug, thiserror::Error)]
pub enum ScratchError {
    /// Under CI, PostgreSQL is required and not configured.
    #[error("CI must run the ledger tests against PostgreSQL: set {POSTGRES_VAR} to an admin URL (`bash .ci/postgres` prints one)")]
    NoPostgresInCi,
    /// The configured URL names no database.
    #[error("{POSTGRES_VAR} must be a URL ending in /DATABASE: {0}")]
    BadUrl(String),
    /// The database could not be made.
    #[error(transparent)]
    Store(#[from] StoreError),
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// One scratch ledger per backend available: SQLite at `dir/name.db`, then
/// PostgreSQL if configured. Without PostgreSQL, a note says the tests
/// ran on SQLite alone; under CI (`CI` set) that is an error instead.
// Test support: the note tells whoever runs the tests what was covered.
#[allow(clippy::print_stderr)]
pub fn scratch_ledgers(dir: &Path, name: &str) -> Result<Vec<Scratch>, ScratchError> {
    let mut out = vec![Scratch {
        location: Location::File(dir.join(format!("{name}.db"))),
        postgres: None,
    }];
    match std::env::var(POSTGRES_VAR) {
        Ok(admin) if !admin.is_empty() => out.push(scratch_postgres(&admin)?),
        _ if std::env::var_os("CI").is_some() => return Err(ScratchError::NoPostgresInCi),
        _ => eprintln!("note: {POSTGRES_VAR} is not set: ledger tests run on SQLite only"),
    }
    Ok(out)
}

fn scratch_postgres(admin: &str) -> Result<Scratch, ScratchError> {
    let (base, _) = admin
        .rsplit_once('/')
        .filter(|(b, db)| b.contains("://") && !b.ends_with('/') && !db.contains('?'))
        .ok_or_else(|| ScratchError::BadUrl(Location::Postgres(admin.into()).to_string()))?;
    let name = format!(
        "truce_test_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let mut c = postgres::Client::connect(admin, postgres::NoTls).map_err(StoreError::from)?;
    // Two statements: neither may run inside a transaction block.
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .and_then(|_| c.batch_execute(&format!("CREATE DATABASE {name}")))
        .map_err(StoreError::from)?;
    Ok(Scratch {
        location: Location::Postgres(format!("{base}/{name}")),
        postgres: Some((admin.to_string(), name)),
    })
}

/// Makes the ledger at `location` as a truce whose schema stopped at
/// `version` made it (no entries), so a test can fill it as that truce
/// did and check that opening it migrates without touching history.
pub fn create_at_schema_version(location: &Location, version: usize) -> Result<(), StoreError> {
    match location {
        Location::File(path) => {
            let conn = rusqlite::Connection::open(path)?;
            crate::schema::migrate_sqlite_to(&conn, version)
        }
        Location::Postgres(url) => {
            let mut client = postgres::Client::connect(url, postgres::NoTls)?;
            crate::schema::migrate_postgres_to(&mut client, version)
        }
    }
}

/// The schema version a ledger is at.
pub fn schema_version(location: &Location) -> Result<i64, StoreError> {
    match location {
        Location::File(path) => {
            let conn = rusqlite::Connection::open(path)?;
            Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
        }
        Location::Postgres(url) => {
            let mut client = postgres::Client::connect(url, postgres::NoTls)?;
            Ok(client
                .query_one("SELECT version FROM truce_schema", &[])?
                .try_get(0)?)
        }
    }
}
