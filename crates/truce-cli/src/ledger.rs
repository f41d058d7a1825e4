//! `truce ledger`: the sourced record of the process, in a database file.

use crate::errors::CliError;
use clap::Subcommand;
use serde_json::json;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use truce_ledger::{status_at, CommitmentState, Record, Status};
use truce_store::{Ledger, StoreError};

#[derive(Subcommand)]
pub enum LedgerCommand {
    /// Create the ledger database (or bring its schema up to date).
    Init {
        #[arg(long, default_value = "ledger.db")]
        db: PathBuf,
    },
    /// Append a JSON Lines file in one transaction: all of it or none.
    Import {
        file: PathBuf,
        #[arg(long, default_value = "ledger.db")]
        db: PathBuf,
    },
    /// What holds on a date: commitments, broken promises, deadlines ahead.
    Status {
        /// The date, YYYY-MM-DD.
        #[arg(long)]
        at: String,
        #[arg(long, default_value = "ledger.db")]
        db: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
    /// The record in date order.
    Timeline {
        #[arg(long, default_value = "ledger.db")]
        db: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
    /// Write every record as JSON Lines, in recording order (re-importable).
    Export {
        #[arg(long, default_value = "ledger.db")]
        db: PathBuf,
        /// Write here instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Check the hash chain: any change made outside truce is named.
    Verify {
        #[arg(long, default_value = "ledger.db")]
        db: PathBuf,
    },
}

fn store_error(db: &Path, e: StoreError) -> CliError {
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
        StoreError::Tampered { .. } | StoreError::Corrupt { .. } => {
            CliError::Usage(format!("{}: {e}", db.display()))
        }
        StoreError::Db(err) => CliError::Other(format!("{}: {err}", db.display())),
    }
}

fn open(db: &Path, must_exist: bool) -> Result<Ledger, CliError> {
    if must_exist && !db.exists() {
        return Err(CliError::Usage(format!(
            "no ledger at {}; create one with `truce ledger init --db {}`",
            db.display(),
            db.display()
        )));
    }
    Ledger::open(db).map_err(|e| store_error(db, e))
}

pub fn run(cmd: LedgerCommand) -> Result<(), CliError> {
    match cmd {
        LedgerCommand::Init { db } => {
            open(&db, false)?;
            eprintln!("ledger ready at {}", db.display());
            Ok(())
        }
        LedgerCommand::Import { file, db } => {
            let text = std::fs::read_to_string(&file).map_err(|e| CliError::Read {
                path: file.clone(),
                source: e,
            })?;
            let mut ledger = open(&db, true)?;
            let n = ledger
                .import(&text)
                .map_err(|e| match store_error(&db, e) {
                    CliError::Usage(m) => CliError::Usage(format!("{}: {m}", file.display())),
                    other => other,
                })?;
            eprintln!("imported {n} records into {}", db.display());
            Ok(())
        }
        LedgerCommand::Export { db, output } => {
            let ledger = open(&db, true)?;
            let records = ledger.records().map_err(|e| store_error(&db, e))?;
            let mut text = String::new();
            for r in &records {
                let line = serde_json::to_string(r).map_err(|e| CliError::Other(e.to_string()))?;
                text.push_str(&line);
                text.push('\n');
            }
            crate::write_or_print(output, &text)
        }
        LedgerCommand::Verify { db } => {
            let ledger = open(&db, true)?;
            let n = ledger.verify().map_err(|e| store_error(&db, e))?;
            println!("{}: {n} entries, hash chain intact", db.display());
            Ok(())
        }
        LedgerCommand::Status { at, db, format } => {
            if !truce_engine::parse::is_date(&at) {
                return Err(CliError::Usage(format!(
                    "--at {at} is not a date; write YYYY-MM-DD"
                )));
            }
            let ledger = open(&db, true)?;
            let records = ledger.status_records().map_err(|e| store_error(&db, e))?;
            let status = status_at(&records, &at);
            match format {
                crate::Format::Json => crate::print_json(
                    &serde_json::to_value(&status).map_err(|e| CliError::Other(e.to_string()))?,
                ),
                crate::Format::Text => {
                    print!("{}", status_text(&status));
                    Ok(())
                }
            }
        }
        LedgerCommand::Timeline { db, format } => {
            let ledger = open(&db, true)?;
            let records = ledger.records().map_err(|e| store_error(&db, e))?;
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
                        println!("{date}  {kind:<11} {text} [{id}]");
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
        for v in &c.violations {
            let _ = writeln!(
                w,
                "      violation reported {} by {}{} ({} report(s), {} independent source(s){})",
                v.date,
                v.reported_by,
                if v.speakers.is_empty() {
                    String::new()
                } else {
                    format!(": {}", v.speakers.join("; "))
                },
                v.reports.len(),
                v.sources.len(),
                if v.denied_by.is_empty() {
                    String::new()
                } else {
                    format!(", denied in {}", v.denied_by.len())
                }
            );
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
