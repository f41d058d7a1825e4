//! `truce room` and `truce serve`: arguments in, library calls, output out.

use crate::errors::CliError;
use crate::output::Stdout;
use clap::Subcommand;
use std::path::PathBuf;
use truce_present::room as present;
use truce_store::{Ledger, Location};

const DB_HELP: &str = "The database: a SQLite file, or a postgres:// URL";

#[derive(Subcommand)]
pub enum RoomCommand {
    /// Make a room from a scenario's public part (parties, issues, options,
    /// plans, deadlines) and print a token for the mediator and each party.
    Create {
        scenario: PathBuf,
        #[arg(long, default_value = "ledger.db", help = DB_HELP)]
        db: String,
        /// The last day the mediator may issue drafts (YYYY-MM-DD).
        #[arg(long)]
        closes: Option<truce_engine::Date>,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
    /// Print a party's own blocks of a scenario file (its preferences, red
    /// lines and linkages), to enter in a room as its positions.
    Blocks { scenario: PathBuf, party: String },
    /// Issue a new token for a party (or the mediator) and revoke the old.
    Invite {
        room: String,
        /// The party; leave out with --mediator.
        party: Option<String>,
        /// A new mediator token instead.
        #[arg(long, conflicts_with_all = ["party", "observer"])]
        mediator: bool,
        /// A new observer token (reads the public part and published
        /// boards); other observers keep theirs.
        #[arg(long, conflicts_with = "party")]
        observer: bool,
        #[arg(long, default_value = "ledger.db", help = DB_HELP)]
        db: String,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
}

/// The ledger's database, made if it is not there.
fn open(db: &str) -> Result<Ledger, CliError> {
    crate::ledger::open(db, false).map(|(ledger, _)| ledger)
}

pub fn run(cmd: RoomCommand) -> Result<(), CliError> {
    match cmd {
        RoomCommand::Blocks { scenario, party } => {
            let text = crate::files::read_text(
                &scenario,
                truce_engine::limits::MAX_SCENARIO_BYTES,
                "scenario files are TOML (see docs/scenario-format.md)",
                crate::errors::Input::Scenario,
            )?;
            let blocks = truce_room::blocks_of(&text, &party);
            if blocks.is_empty() {
                return Err(CliError::Usage(format!(
                    "{} has no [[preferences]], [[red_lines]] or [[linkages]] block for `{party}`",
                    scenario.display()
                )));
            }
            let mut out = Stdout::new();
            out.write(|w| w.write_all(blocks.as_bytes()))?;
            out.finish()
        }
        RoomCommand::Create {
            scenario,
            db,
            closes,
            format,
        } => {
            let s = crate::load(&scenario)?;
            let mut ledger = open(&db)?;
            let closes = closes.map(|d| d.to_string());
            let made = truce_server::create_room(&mut ledger, &s, closes.as_deref())
                .map_err(|e| CliError::Usage(e.to_string()))?;
            let mut out = Stdout::new();
            match format {
                crate::Format::Json => out.json(&made)?,
                crate::Format::Text => {
                    let shown = Location::parse(&db).to_string();
                    out.write(|w| present::write_new_room(w, &made, &shown))?
                }
            }
            out.finish()
        }
        RoomCommand::Invite {
            room,
            party,
            mediator,
            observer,
            db,
            format,
        } => {
            if party.is_none() && !mediator && !observer {
                return Err(CliError::Usage(
                    "name the party to invite, or give --mediator or --observer".into(),
                ));
            }
            let mut ledger = open(&db)?;
            let token = if observer {
                truce_server::invite_observer(&mut ledger, &room)
            } else {
                truce_server::invite(&mut ledger, &room, party.as_deref())
            }
            .map_err(|e| CliError::Usage(e.to_string()))?;
            let holder = match (party, observer) {
                (Some(p), _) => p,
                (None, true) => "an observer".into(),
                (None, false) => "the mediator".into(),
            };
            let mut out = Stdout::new();
            match format {
                crate::Format::Json => out.json(&invitation(&room, &holder, &token))?,
                crate::Format::Text => {
                    out.write(|w| present::write_invitation(w, &room, &holder, &token))?
                }
            }
            out.finish()
        }
    }
}

/// The invitation as JSON: {room, holder, token}.
fn invitation<'a>(room: &'a str, holder: &'a str, token: &'a str) -> Invitation<'a> {
    Invitation {
        room,
        holder,
        token,
    }
}

#[derive(serde::Serialize)]
struct Invitation<'a> {
    room: &'a str,
    holder: &'a str,
    token: &'a str,
}

/// The largest certificate or key file read.
const MAX_PEM_BYTES: u64 = 1 << 20;

/// `truce serve`: the room's API on `listen`, over the database `db`,
/// over TLS when given a certificate and key.
pub fn serve(db: &str, listen: &str, tls: Option<(PathBuf, PathBuf)>) -> Result<(), CliError> {
    let tls_config = match &tls {
        None => None,
        Some((cert, key)) => {
            let read = |p: &PathBuf| {
                crate::files::read_bytes(p, MAX_PEM_BYTES, "a PEM file (-----BEGIN ...-----)")
            };
            let config =
                truce_server::tls::server_config(&read(cert)?, &read(key)?).map_err(|e| {
                    CliError::Usage(format!("{} / {}: {e}", cert.display(), key.display()))
                })?;
            Some(config)
        }
    };
    let location = Location::parse(db);
    let shared = truce_server::Shared::open(&location)
        .map_err(|e| CliError::Usage(format!("{location}: {e}")))?;
    let shown = location.to_string();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start the server: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| CliError::Usage(format!("cannot listen on {listen}: {e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| CliError::Usage(format!("cannot listen on {listen}: {e}")))?;
        let scheme = if tls_config.is_some() {
            "https"
        } else {
            "http"
        };
        let mut out = Stdout::new();
        out.write(|w| present::write_serving(w, &format!("{scheme}://{addr}/"), &shown))?;
        out.flush()?;
        let served = match tls_config {
            Some(config) => truce_server::tls::serve_tls(listener, config, shared).await,
            None => truce_server::serve(listener, shared).await,
        };
        served.map_err(|e| CliError::Usage(format!("the server stopped: {e}")))
    })
}
