//! `truce ledger`: the sourced record of the process, in a SQLite file or a
//! PostgreSQL database.

use crate::errors::CliError;
use clap::{Subcommand, ValueEnum};
use serde_json::json;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use truce_ledger::{status_at, BatchFormat, CommitmentState, Record, Status, Support};
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
        /// anything else JSON Lines).
        #[arg(long, value_enum)]
        from: Option<RecordsFormat>,
        /// How to report: text, or JSON ({"imported"} or {"rejected": [{"line", "reason"}]}).
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
    /// What holds on a date: commitments, broken promises, deadlines ahead.
    Status {
        /// The date, YYYY-MM-DD.
        #[arg(long)]
        at: String,
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
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RecordsFormat {
    Jsonl,
    Csv,
}

impl RecordsFormat {
    fn for_path(explicit: Option<RecordsFormat>, path: Option<&Path>) -> RecordsFormat {
        explicit.unwrap_or_else(|| match path.and_then(|p| p.extension()) {
            Some(ext) if ext.eq_ignore_ascii_case("csv") => RecordsFormat::Csv,
            _ => RecordsFormat::Jsonl,
        })
    }
}

fn store_error(db: &Location, e: StoreError) -> CliError {
    match e {
        StoreError::Rejected(errors) => {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| format!("  line {}: {}", e.line, e.reason))
                .collect();
            CliError::Usage(format!(
                "{} bad line(s); nothing was written:\n{}",
                errors.len(),
                lines.join("\n")
            ))
        }
        StoreError::Tampered { .. }
        | StoreError::Corrupt { .. }
        | StoreError::NewerSchema { .. } => CliError::Usage(format!("{db}: {e}")),
        StoreError::Sqlite(_) | StoreError::Postgres(_) | StoreError::Write(_) => {
            CliError::Other(format!("{db}: {e}"))
        }
    }
}

fn open(db: &str, must_exist: bool) -> Result<(Ledger, Location), CliError> {
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

pub fn run(cmd: LedgerCommand) -> Result<(), CliError> {
    match cmd {
        LedgerCommand::Init { db } => {
            let (ledger, location) = open(&db, false)?;
            eprintln!("{} ledger ready at {location}", ledger.backend());
            Ok(())
        }
        LedgerCommand::Import {
            file,
            db,
            from,
            format,
        } => {
            let text = std::fs::read_to_string(&file).map_err(|e| CliError::Read {
                path: file.clone(),
                source: e,
            })?;
            let records_format = match RecordsFormat::for_path(from, Some(&file)) {
                RecordsFormat::Jsonl => BatchFormat::JsonLines,
                RecordsFormat::Csv => BatchFormat::Csv,
            };
            let (mut ledger, location) = open(&db, true)?;
            match (ledger.import_as(&text, records_format), format) {
                (Ok(n), crate::Format::Json) => crate::print_json(&json!({
                    "db": location.to_string(),
                    "backend": ledger.backend(),
                    "imported": n,
                })),
                (Ok(n), crate::Format::Text) => {
                    eprintln!("imported {n} records into {location}");
                    Ok(())
                }
                (Err(StoreError::Rejected(errors)), crate::Format::Json) => {
                    crate::print_json(&json!({
                        "db": location.to_string(),
                        "imported": 0,
                        "rejected": errors
                            .iter()
                            .map(|e| json!({"line": e.line, "reason": e.reason}))
                            .collect::<Vec<_>>(),
                    }))?;
                    Err(CliError::Reported)
                }
                (Err(e), _) => Err(match store_error(&location, e) {
                    CliError::Usage(m) => CliError::Usage(format!("{}: {m}", file.display())),
                    other => other,
                }),
            }
        }
        LedgerCommand::Export { db, output, to } => {
            let (mut ledger, location) = open(&db, true)?;
            let records = ledger.records().map_err(|e| store_error(&location, e))?;
            let text = match RecordsFormat::for_path(to, output.as_deref()) {
                RecordsFormat::Csv => truce_ledger::write_csv(&records).map_err(|e| {
                    CliError::Usage(format!(
                        "cannot write CSV without loss: {e}; export JSON Lines instead"
                    ))
                })?,
                RecordsFormat::Jsonl => {
                    let mut text = String::new();
                    for r in &records {
                        let line =
                            serde_json::to_string(r).map_err(|e| CliError::Other(e.to_string()))?;
                        text.push_str(&line);
                        text.push('\n');
                    }
                    text
                }
            };
            crate::write_or_print(output, &text)
        }
        LedgerCommand::Verify { db, format } => {
            let (mut ledger, location) = open(&db, true)?;
            match (ledger.verify(), format) {
                (Ok(n), crate::Format::Json) => crate::print_json(&json!({
                    "db": location.to_string(),
                    "entries": n,
                    "intact": true,
                })),
                (Ok(n), crate::Format::Text) => {
                    println!("{location}: {n} entries, hash chain intact");
                    Ok(())
                }
                (Err(StoreError::Tampered { seq, id }), crate::Format::Json) => {
                    crate::print_json(&json!({
                        "db": location.to_string(),
                        "intact": false,
                        "first_bad_entry": {"seq": seq, "id": id},
                    }))?;
                    Err(CliError::Reported)
                }
                (Err(e), _) => Err(store_error(&location, e)),
            }
        }
        LedgerCommand::Status { at, db, format } => {
            if !truce_engine::parse::is_date(&at) {
                return Err(CliError::Usage(format!(
                    "--at {at} is not a date; write YYYY-MM-DD"
                )));
            }
            let (mut ledger, location) = open(&db, true)?;
            let records = ledger
                .status_records()
                .map_err(|e| store_error(&location, e))?;
            let status = status_at(&records, &at);
            match format {
                crate::Format::Json => crate::print_json_of(&status),
                crate::Format::Text => {
                    print!("{}", status_text(&status));
                    Ok(())
                }
            }
        }
        LedgerCommand::Check {
            scenario,
            db,
            format,
        } => {
            let (_, model) = crate::load(&scenario)?;
            let (mut ledger, location) = open(&db, true)?;
            let records = ledger.records().map_err(|e| store_error(&location, e))?;
            let problems = truce_ledger::check_links(&records, &model);
            match format {
                crate::Format::Json => crate::print_json(&json!({
                    "ok": problems.is_empty(),
                    "entries": records.len(),
                    "problems": problems,
                }))?,
                crate::Format::Text => {
                    for p in &problems {
                        let hint = p
                            .did_you_mean
                            .as_ref()
                            .map(|d| format!(" (did you mean `{d}`?)"))
                            .unwrap_or_default();
                        eprintln!(
                            "{location}: entry `{}`, {}: {}{hint}",
                            p.entry, p.field, p.reason
                        );
                    }
                    if problems.is_empty() {
                        println!(
                            "{location}: {} entries; every party and issue they name is in {}",
                            records.len(),
                            scenario.display()
                        );
                    }
                }
            }
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
            match format {
                crate::Format::Json => crate::print_json_of(&found),
                crate::Format::Text => {
                    print!("{}", sources_text(&found));
                    Ok(())
                }
            }
        }
        LedgerCommand::Timeline { db, format } => {
            let (mut ledger, location) = open(&db, true)?;
            let records = ledger.records().map_err(|e| store_error(&location, e))?;
            let mut rows: Vec<(String, &'static str, String, String)> =
                records.iter().filter_map(timeline_row).collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            match format {
                crate::Format::Json => crate::print_json(&json!(rows
                    .iter()
                    .map(|(date, kind, id, text)| json!({"date": date, "type": kind, "id": id, "summary": text}))
                    .collect::<Vec<_>>())),
                crate::Format::Text => {
                    for (date, kind, id, text) in rows {
                        println!("{date}  {kind:<13} {text} [{id}]");
                    }
                    Ok(())
                }
            }
        }
    }
}

fn timeline_row(r: &Record) -> Option<(String, &'static str, String, String)> {
    Some(match r {
        Record::Commitment {
            id,
            date,
            party,
            scope,
            ..
        } => (
            date.clone(),
            "commitment",
            id.clone(),
            format!("{party}: {scope}"),
        ),
        Record::Violation {
            id,
            date,
            commitment,
            reported_by,
            ..
        } => (
            date.clone(),
            "violation",
            id.clone(),
            format!("{commitment} reported broken by {reported_by}"),
        ),
        Record::Sanction {
            id,
            date,
            by,
            against,
            action,
            ..
        } => (
            date.clone(),
            "sanction",
            id.clone(),
            format!("{by} {action:?} sanctions against {against}").to_lowercase(),
        ),
        Record::Deadline {
            id, date, label, ..
        } => (date.clone(), "deadline", id.clone(), label.clone()),
        Record::Event {
            id, date, summary, ..
        } => (date.clone(), "event", id.clone(), summary.clone()),
        Record::Withdrawal {
            id,
            date,
            commitment,
            ..
        } => (
            date.clone(),
            "withdrawal",
            id.clone(),
            format!("{commitment} withdrawn"),
        ),
        Record::Retraction {
            id,
            date,
            retracts,
            reason,
            ..
        } => (
            date.clone(),
            "retraction",
            id.clone(),
            format!("{retracts} retracted: {reason}"),
        ),
        Record::Corroboration {
            id,
            date,
            supports,
            reports,
            ..
        } => (
            date.clone(),
            "corroboration",
            id.clone(),
            format!(
                "{supports} corroborated by {} more report(s)",
                reports.len()
            ),
        ),
        Record::Denial {
            id,
            date,
            denies,
            by,
            ..
        } => (
            date.clone(),
            "denial",
            id.clone(),
            match by {
                Some(by) => format!("{by} denies {denies}"),
                None => format!("{denies} denied"),
            },
        ),
        Record::Source { .. } | Record::Report { .. } => return None,
    })
}

/// A titled list, or "none".
fn section(w: &mut String, title: &str, lines: &[String]) {
    let _ = writeln!(w, "\n{title}");
    if lines.is_empty() {
        let _ = writeln!(w, "  none");
    }
    for l in lines {
        let _ = writeln!(w, "  {l}");
    }
}

fn status_text(s: &Status) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "Ledger status on {}\n", s.at);
    let _ = writeln!(w, "COMMITMENTS");
    for c in &s.commitments {
        let state = match c.state {
            CommitmentState::Pending => "pending",
            CommitmentState::InForce => "in force",
            CommitmentState::Expired => "expired",
            CommitmentState::Violated if c.in_force => "in force, VIOLATED",
            CommitmentState::Violated => "VIOLATED",
            CommitmentState::Withdrawn => "withdrawn",
        };
        let _ = writeln!(w, "  {} — {}: {} [{}]", c.party, c.scope, state, c.id);
        if c.state == CommitmentState::Pending && !c.condition_met {
            if let Some(truce_ledger::Condition::SanctionsLifted { against, .. }) = &c.condition {
                let _ = writeln!(w, "      waits for: sanctions against {against} lifted");
            }
        }
        if !c.support.denied_by.is_empty() {
            // A disputed commitment (e.g. a party denying it ever agreed).
            let _ = writeln!(w, "      DISPUTED: {}", support_line(&c.support));
        }
        for v in &c.violations {
            let _ = writeln!(
                w,
                "      violation reported {} by {}{}",
                v.date,
                v.reported_by,
                if v.support.speakers.is_empty() {
                    String::new()
                } else {
                    format!(": {}", v.support.speaker_names().join("; "))
                },
            );
            let _ = writeln!(w, "        {}", support_line(&v.support));
        }
    }
    let promises: Vec<String> = s
        .unfulfilled_promises
        .iter()
        .map(|u| {
            format!(
                "{} promised sanctions if {} broke {}; a violation was reported on {}, and none were imposed",
                u.promised_by, u.broken_by, u.commitment, u.triggered_on
            )
        })
        .collect();
    section(w, "PROMISED CONSEQUENCES NOT CARRIED OUT", &promises);
    let deadlines: Vec<String> = s
        .deadlines
        .iter()
        .map(|d| {
            format!(
                "{} (in {} days, set by {}): {}",
                d.date, d.days_left, d.set_by, d.label
            )
        })
        .collect();
    section(w, "DEADLINES AHEAD", &deadlines);
    let _ = writeln!(w, "\nBY PARTY");
    for (p, r) in &s.parties {
        let _ = writeln!(w, "  {p}: kept {}, broken {}", r.kept.len(), r.broken.len());
    }
    out
}

/// "1 report, 1 source, 1 independent; denied in 2 report(s) by russia".
fn support_line(s: &Support) -> String {
    let mut line = format!(
        "{} report(s), {} source(s), {} independent",
        s.reports.len(),
        s.sources.len(),
        s.independent_sources
    );
    if !s.denied_by.is_empty() {
        let _ = write!(line, "; denied in {} report(s)", s.denied_by.len());
        if !s.disputed_by.is_empty() {
            let _ = write!(line, " by {}", s.disputed_by.join(", "));
        }
    }
    line
}

fn sources_text(e: &truce_ledger::Sources) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "{} `{}`", e.kind, e.id);
    if let Some(r) = &e.retracted_by {
        let _ = writeln!(w, "  RETRACTED by {r}");
    }
    let _ = writeln!(w, "  {}", support_line(&e.support));
    let mut block = |title: &str, reports: &[truce_ledger::ReportDetail]| {
        let _ = writeln!(w, "\n{title}");
        if reports.is_empty() {
            let _ = writeln!(w, "  none");
        }
        for r in reports {
            let _ = write!(w, "  [{}] {}", r.id, r.speaker);
            if let Some(via) = &r.via {
                let _ = write!(w, ", via {via}");
            }
            let _ = write!(w, ", in {}", r.outlet);
            if let Some(d) = &r.said_on {
                let _ = write!(w, ", {d}");
            }
            if let Some(at) = &r.at {
                let _ = write!(w, " ({at})");
            }
            let _ = writeln!(w);
            if let Some(words) = &r.words {
                let _ = writeln!(w, "      \"{words}\"");
            }
        }
    };
    block("SUPPORTED BY", &e.supporting);
    block("DENIED BY", &e.denying);
    if let Some(basis) = &e.basis {
        let _ = writeln!(w, "\nBASIS\n  {basis}");
    }
    out
}
