//! `truce ledger`: the sourced record of the process, in a SQLite file or a
//! PostgreSQL database.

use crate::errors::{CliError, Input};
use crate::output::{self, Stdout};
use clap::{Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use truce_ledger::{status_at, BatchFormat};
use truce_present::ledger as present;
use truce_store::{Ledger, Location, StoreError};

const DB_HELP: &str =
    "A SQLite file, or a postgres://user:password@host/database URL for a shared ledger";

#[derive(Subcommand)]
pub enum LedgerCommand {
    /// Create the ledger database (or bring its schema up to date).
    Init {
        #[arg(long, default_value = "ledger.db", help = DB_HELP)]
        db: String,
    },
    /// Append a JSON Lines or CSV file in one transaction: all of it or none.
    Import {
        file: PathBuf,
        #[arg(long, default_value = "ledger.db", help = DB_HELP)]
        db: String,
        /// The file's format; by default from its extension (.csv is CSV,
        /// anything else JSON Lines); `acled` reads an ACLED export as
        /// incidents.
        #[arg(long, value_enum)]
        from: Option<RecordsFormat>,
        /// With --from acled: an ACLED actor and the party id it is, e.g.
        /// "Military Forces of Russia (2000-)=russia" (repeatable).
        #[arg(long = "actor", value_name = "ACLED_NAME=PARTY")]
        actors: Vec<String>,
        /// Import candidates from `truce ledger extract` that nobody has
        /// reviewed (`"review": {"status": "candidate"}`); without it they
        /// are refused, each by line.
        #[arg(long)]
        accept_candidates: bool,
        /// How to report: text, or JSON ({"imported"} or {"rejected": [{"line", "reason"}]}).
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
    /// Incidents that may break each commitment: inside its term, by its
    /// party, of a kind it `covers`. Candidates for an analyst; nothing is
    /// recorded.
    Match {
        /// The date to judge terms on (default: the latest date in the
        /// ledger): a day, a month, or a time with its UTC offset.
        #[arg(long)]
        at: Option<truce_ledger::When>,
        #[arg(long, default_value = "ledger.db", help = DB_HELP)]
        db: String,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
    /// What holds on a date: commitments, broken promises, deadlines ahead.
    Status {
        /// The date: a day (2025-04-20), or a time with its UTC offset
        /// (2025-04-19T18:00+03:00); a month or range asks about its end.
        #[arg(long)]
        at: truce_ledger::When,
        #[arg(long, default_value = "ledger.db", help = DB_HELP)]
        db: String,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
    /// The record in date order.
    Timeline {
        #[arg(long, default_value = "ledger.db", help = DB_HELP)]
        db: String,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
    /// One entry and on whose word it rests: its reports, their speakers
    /// and outlets, later corroboration, denials, retraction.
    Sources {
        /// The entry's id.
        id: String,
        #[arg(long, default_value = "ledger.db", help = DB_HELP)]
        db: String,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
    /// Write every record, in recording order (re-importable).
    Export {
        #[arg(long, default_value = "ledger.db", help = DB_HELP)]
        db: String,
        /// Write here instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// JSON Lines or CSV; by default from the output's extension.
        #[arg(long, value_enum)]
        to: Option<RecordsFormat>,
    },
    /// Check that every party an entry names, and every issue and option it
    /// concerns, exists in a scenario.
    Check {
        /// The scenario file (or GENIUS folder) the ledger is about.
        #[arg(long)]
        scenario: PathBuf,
        #[arg(long, default_value = "ledger.db", help = DB_HELP)]
        db: String,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
    /// Check the hash chain: any change made outside truce is named.
    Verify {
        #[arg(long, default_value = "ledger.db", help = DB_HELP)]
        db: String,
        /// Fail unless the chain ends at this head hash (as `truce ledger
        /// head` printed it earlier): catches entries removed from the end.
        #[arg(long, value_name = "HASH")]
        expect_head: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
    /// Read a news report and propose ledger records for a person to
    /// review: its source, and a report per attributed claim (speaker,
    /// outlet relayed, date, exact words, kind, parties, issues, the span
    /// of text it rests on, a confidence). Nothing is recorded.
    Extract {
        /// The report: plain text, optionally with title, `Date:` and
        /// `Source:` lines at the top; or a folder: every `.txt` in it.
        #[arg(required_unless_present = "evaluate")]
        article: Option<PathBuf>,
        /// A scenario: claims are linked to its parties and issues.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// The publication date (YYYY-MM-DD), against which "on Wednesday"
        /// and "last week" are resolved; default: the `Date:` line.
        #[arg(long)]
        published: Option<String>,
        /// The outlet that published the report (its own words are not
        /// relayed: no `via`).
        #[arg(long)]
        outlet: Option<String>,
        /// A candidate file reviewed earlier: its lines are kept as the
        /// reviewer left them, and only proposals whose span it lacks are
        /// added (JSON Lines out).
        #[arg(long, value_name = "FILE.jsonl", conflicts_with = "evaluate")]
        reviewed: Option<PathBuf>,
        /// Score the extraction on a folder of annotated reports
        /// (NAME.txt with NAME.gold.json), or on one annotation file.
        #[arg(long, value_name = "DIR", conflicts_with = "article")]
        evaluate: Option<PathBuf>,
        /// jsonl (candidate records, one per line), json, or text.
        #[arg(long, value_enum, default_value = "jsonl")]
        format: ExtractFormat,
    },
    /// The number of entries and the hash of the last one, to keep
    /// elsewhere and check later with `verify --expect-head`.
    Head {
        #[arg(long, default_value = "ledger.db", help = DB_HELP)]
        db: String,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExtractFormat {
    Jsonl,
    Json,
    Text,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RecordsFormat {
    Jsonl,
    Csv,
    /// An ACLED export (import only).
    Acled,
}

impl RecordsFormat {
    fn for_path(explicit: Option<RecordsFormat>, path: Option<&Path>) -> RecordsFormat {
        explicit.unwrap_or_else(|| match path.and_then(|p| p.extension()) {
            Some(ext) if ext.eq_ignore_ascii_case("csv") => RecordsFormat::Csv,
            _ => RecordsFormat::Jsonl,
        })
    }
}

pub(crate) fn store_error(db: &Location, e: StoreError) -> CliError {
    match e {
        // Only imports reject batches; they name the file themselves.
        StoreError::Rejected(diagnostics) => CliError::Problems {
            path: PathBuf::new(),
            text: None,
            input: Input::Ledger,
            diagnostics,
        },
        StoreError::Tampered { .. }
        | StoreError::Corrupt { .. }
        | StoreError::NewerSchema { .. } => CliError::Usage(format!("{db}: {e}")),
        StoreError::Sqlite(_) | StoreError::Postgres(_) | StoreError::Write(_) => {
            CliError::Other(format!("{db}: {e}"))
        }
    }
}

/// The ledger as messages name it (a URL without its password).
fn db_name(db: &str) -> String {
    Location::parse(db).to_string()
}

pub(crate) fn open(db: &str, must_exist: bool) -> Result<(Ledger, Location), CliError> {
    let location = Location::parse(db);
    if let Location::File(path) = &location {
        if must_exist && !path.exists() {
            return Err(CliError::Usage(format!(
                "no ledger at {}; create one with `truce ledger init --db {}`",
                path.display(),
                path.display()
            )));
        }
    }
    let ledger = Ledger::open(&location).map_err(|e| store_error(&location, e))?;
    Ok((ledger, location))
}

/// A batch refused before it reached the ledger, reported as JSON.
fn rejected_as_json(db: &str, diagnostics: &[truce_engine::Diagnostic]) -> Result<(), CliError> {
    let mut out = Stdout::new();
    out.json(&present::Rejected::new(&db_name(db), diagnostics))?;
    out.finish()?;
    Err(CliError::Reported)
}

pub fn run(cmd: LedgerCommand) -> Result<(), CliError> {
    match cmd {
        LedgerCommand::Init { db } => {
            let (ledger, location) = open(&db, false)?;
            let _ = present::write_ready(
                &mut std::io::stderr().lock(),
                ledger.backend(),
                &location.to_string(),
            );
            Ok(())
        }
        LedgerCommand::Import {
            file,
            db,
            from,
            actors,
            accept_candidates,
            format,
        } => {
            let text = match crate::files::read_text(
                &file,
                truce_ledger::MAX_BATCH_BYTES,
                "ledger batches are JSON Lines or CSV (see docs/ledger.md)",
                Input::Ledger,
            ) {
                Ok(text) => text,
                // A batch that is not text is rejected like any bad batch.
                Err(CliError::Problems { diagnostics, .. }) if format == crate::Format::Json => {
                    return rejected_as_json(&db, &diagnostics);
                }
                Err(e) => return Err(e),
            };
            let chosen = RecordsFormat::for_path(from, Some(&file));
            // ACLED rows become records first, imported as JSON Lines.
            let (text, records_format) = match chosen {
                // Candidates from `extract`: reviewed ones go in without
                // their review marks, unreviewed ones are refused.
                RecordsFormat::Jsonl => match truce_ledger::take_reviewed(&text, accept_candidates)
                {
                    Ok(t) => (t, BatchFormat::JsonLines),
                    Err(diagnostics) if format == crate::Format::Json => {
                        return rejected_as_json(&db, &diagnostics);
                    }
                    Err(diagnostics) => {
                        return Err(CliError::Problems {
                            path: file,
                            text: Some(text),
                            input: Input::Ledger,
                            diagnostics,
                        })
                    }
                },
                RecordsFormat::Csv => (text, BatchFormat::Csv),
                RecordsFormat::Acled => {
                    let actors = actors
                        .iter()
                        .map(|a| {
                            a.split_once('=')
                                .map(|(n, p)| (n.trim().to_string(), p.trim().to_string()))
                                .ok_or_else(|| {
                                    CliError::Usage(format!("--actor {a}: write ACLED_NAME=PARTY"))
                                })
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    match truce_ledger::read_acled(&text, &actors) {
                        Ok(records) => (
                            truce_ledger::write_jsonl(&records)
                                .map_err(|e| CliError::Other(e.to_string()))?,
                            BatchFormat::JsonLines,
                        ),
                        Err(diagnostics) if format == crate::Format::Json => {
                            return rejected_as_json(&db, &diagnostics);
                        }
                        Err(diagnostics) => {
                            return Err(CliError::Problems {
                                path: file,
                                text: None,
                                input: Input::Ledger,
                                diagnostics,
                            })
                        }
                    }
                }
            };
            if !matches!(chosen, RecordsFormat::Acled) && !actors.is_empty() {
                return Err(CliError::Usage(
                    "--actor applies to --from acled only".into(),
                ));
            }
            let (mut ledger, location) = open(&db, true)?;
            let at = location.to_string();
            let result = ledger
                .import_as(&text, records_format)
                .map_err(|e| match e {
                    // Lines of the records made from ACLED rows mean nothing to the user.
                    StoreError::Rejected(mut errors) if matches!(chosen, RecordsFormat::Acled) => {
                        for d in &mut errors {
                            d.line = None;
                            d.column = None;
                        }
                        StoreError::Rejected(errors)
                    }
                    other => other,
                });
            match (result, format) {
                (Ok(n), crate::Format::Json) => {
                    let mut out = Stdout::new();
                    out.json(&present::Imported {
                        db: &at,
                        backend: ledger.backend(),
                        imported: n,
                    })?;
                    out.finish()
                }
                (Ok(n), crate::Format::Text) => {
                    let _ = present::write_imported(&mut std::io::stderr().lock(), n, &at);
                    Ok(())
                }
                (Err(StoreError::Rejected(errors)), crate::Format::Json) => {
                    let mut out = Stdout::new();
                    out.json(&present::Rejected::new(&at, &errors))?;
                    out.finish()?;
                    Err(CliError::Reported)
                }
                (Err(e), _) => Err(match store_error(&location, e) {
                    CliError::Problems {
                        text,
                        input,
                        diagnostics,
                        ..
                    } => CliError::Problems {
                        path: file,
                        text,
                        input,
                        diagnostics,
                    },
                    CliError::Usage(m) => CliError::Usage(format!("{}: {m}", file.display())),
                    other => other,
                }),
            }
        }
        LedgerCommand::Export { db, output, to } => {
            let (mut ledger, location) = open(&db, true)?;
            let records = ledger.records().map_err(|e| store_error(&location, e))?;
            let text = match RecordsFormat::for_path(to, output.as_deref()) {
                RecordsFormat::Acled => {
                    return Err(CliError::Usage(
                        "ACLED is read, not written: export jsonl or csv".into(),
                    ))
                }
                RecordsFormat::Csv => truce_ledger::write_csv(&records).map_err(|e| {
                    CliError::Usage(format!(
                        "cannot write CSV without loss: {e}; export JSON Lines instead"
                    ))
                })?,
                RecordsFormat::Jsonl => truce_ledger::write_jsonl(&records)
                    .map_err(|e| CliError::Other(e.to_string()))?,
            };
            output::to_file_or_stdout(output.as_deref(), |w| w.write_all(text.as_bytes()))
        }
        LedgerCommand::Extract {
            article,
            scenario,
            published,
            outlet,
            reviewed,
            evaluate,
            format,
        } => crate::extract::run(crate::extract::ExtractArgs {
            article,
            scenario,
            published,
            outlet,
            reviewed,
            evaluate,
            format,
        }),
        LedgerCommand::Head { db, format } => {
            let (mut ledger, location) = open(&db, true)?;
            let at = location.to_string();
            let chain = ledger.head().map_err(|e| store_error(&location, e))?;
            let mut out = Stdout::new();
            match format {
                crate::Format::Json => {
                    out.json(&present::Head::new(&at, chain.entries, &chain.head))?
                }
                crate::Format::Text => {
                    out.write(|w| present::write_head(w, &at, chain.entries, &chain.head))?
                }
            }
            out.finish()
        }
        LedgerCommand::Verify {
            db,
            expect_head,
            format,
        } => {
            let (mut ledger, location) = open(&db, true)?;
            let at = location.to_string();
            let mut out = Stdout::new();
            match (ledger.verify_chain(), format) {
                (Ok(chain), _) if expect_head.as_ref().is_some_and(|h| *h != chain.head) => {
                    let expected = expect_head.unwrap_or_default();
                    if format == crate::Format::Json {
                        out.json(&present::Truncated::new(
                            &at,
                            chain.entries,
                            &chain.head,
                            &expected,
                        ))?;
                        out.finish()?;
                        return Err(CliError::Reported);
                    }
                    return Err(CliError::Usage(present::truncated_message(
                        &at,
                        chain.entries,
                        &chain.head,
                        &expected,
                    )));
                }
                (Ok(chain), crate::Format::Json) => {
                    out.json(&present::Intact::new(&at, chain.entries, &chain.head))?
                }
                (Ok(chain), crate::Format::Text) => {
                    out.write(|w| present::write_intact(w, &at, chain.entries))?
                }
                (Err(StoreError::Tampered { seq, id }), crate::Format::Json) => {
                    out.json(&present::Tampered::new(&at, seq, &id))?;
                    out.finish()?;
                    return Err(CliError::Reported);
                }
                (Err(e), _) => return Err(store_error(&location, e)),
            }
            out.finish()
        }
        LedgerCommand::Status { at, db, format } => {
            let (mut ledger, location) = open(&db, true)?;
            let records = ledger
                .status_records()
                .map_err(|e| store_error(&location, e))?;
            let status = status_at(&records, at);
            let mut out = Stdout::new();
            match format {
                crate::Format::Json => out.json(&status)?,
                crate::Format::Text => out.write(|w| present::write_status(w, &status))?,
            }
            out.finish()
        }
        LedgerCommand::Check {
            scenario,
            db,
            format,
        } => {
            let model = crate::load(&scenario)?;
            let (mut ledger, location) = open(&db, true)?;
            let records = ledger.records().map_err(|e| store_error(&location, e))?;
            let problems = truce_ledger::check_links(&records, &model);
            let at = location.to_string();
            let mut out = Stdout::new();
            match format {
                crate::Format::Json => {
                    out.json(&present::LinkCheck::new(records.len(), &problems))?
                }
                crate::Format::Text => {
                    let _ =
                        present::write_link_problems(&mut std::io::stderr().lock(), &at, &problems);
                    if problems.is_empty() {
                        let scenario = scenario.display().to_string();
                        out.write(|w| present::write_links_ok(w, &at, records.len(), &scenario))?;
                    }
                }
            }
            out.finish()?;
            if problems.is_empty() {
                Ok(())
            } else if matches!(format, crate::Format::Json) {
                Err(CliError::Reported)
            } else {
                Err(CliError::Usage(format!(
                    "{} name(s) in the ledger are not in {}",
                    problems.len(),
                    scenario.display()
                )))
            }
        }
        LedgerCommand::Sources { id, db, format } => {
            let (mut ledger, location) = open(&db, true)?;
            let records = ledger.records().map_err(|e| store_error(&location, e))?;
            let Some(found) = truce_ledger::sources_of(&records, &id) else {
                return Err(CliError::Usage(format!(
                    "no entry `{id}` in {location}; `truce ledger timeline` lists the ids"
                )));
            };
            let mut out = Stdout::new();
            match format {
                crate::Format::Json => out.json(&found)?,
                crate::Format::Text => out.write(|w| present::write_sources(w, &found))?,
            }
            out.finish()
        }
        LedgerCommand::Match { at, db, format } => {
            let (mut ledger, location) = open(&db, true)?;
            let records = ledger.records().map_err(|e| store_error(&location, e))?;
            let Some(at) = at.or_else(|| truce_ledger::latest_date(&records).map(Into::into))
            else {
                return Err(CliError::Usage(format!(
                    "{location} has no dated entries to match"
                )));
            };
            let status = status_at(&records, at);
            let found = truce_ledger::candidates(&records, &status);
            let mut out = Stdout::new();
            match format {
                crate::Format::Json => out.json(&found)?,
                crate::Format::Text => out.write(|w| present::write_candidates(w, at, &found))?,
            }
            out.finish()
        }
        LedgerCommand::Timeline { db, format } => {
            let (mut ledger, location) = open(&db, true)?;
            let records = ledger.records().map_err(|e| store_error(&location, e))?;
            let rows = truce_ledger::timeline(&records);
            let mut out = Stdout::new();
            match format {
                crate::Format::Json => out.json(&rows)?,
                crate::Format::Text => out.write(|w| present::write_timeline(w, &rows))?,
            }
            out.finish()
        }
    }
}
