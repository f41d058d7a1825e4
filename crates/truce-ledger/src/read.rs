//! JSON Lines in, checked records out: all or nothing.

use crate::model::Record;
use std::collections::HashMap;
use truce_engine::parse::is_date;

/// One bad line: its number (from 1) and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct LineError {
    pub line: usize,
    pub reason: String,
}

/// Reads a whole ledger file. Every line is checked (JSON, fields, dates,
/// unique ids, references to earlier or later records); if any is bad, no
/// record is returned and every problem is listed by line.
pub fn read_jsonl(text: &str) -> Result<Vec<Record>, Vec<LineError>> {
    read_more(&[], text)
}

/// Reads records to add to a ledger that already holds `existing`: ids must
/// be new, and references may point at existing records.
pub fn read_more(existing: &[Record], text: &str) -> Result<Vec<Record>, Vec<LineError>> {
    let mut records = Vec::new();
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Record>(raw) {
            Ok(r) => {
                records.push(r);
                lines.push(line);
            }
            Err(e) => errors.push(LineError {
                line,
                reason: format!("{e}"),
            }),
        }
    }
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for r in existing {
        ids.insert(r.id(), 0);
    }
    for (r, &line) in records.iter().zip(&lines) {
        if let Some(first) = ids.insert(r.id(), line) {
            let place = if first == 0 {
                "in the ledger".to_string()
            } else {
                format!("on line {first}")
            };
            errors.push(LineError {
                line,
                reason: format!("id `{}` is already used {place}", r.id()),
            });
        }
        for d in r.dates() {
            if !is_date(d) {
                errors.push(LineError {
                    line,
                    reason: format!("`{d}` is not a date (YYYY-MM-DD)"),
                });
            }
        }
    }
    let kind_of: HashMap<&str, &Record> = existing
        .iter()
        .chain(&records)
        .map(|r| (r.id(), r))
        .collect();
    let expect = |id: &str, want: &str, line: usize, errors: &mut Vec<LineError>| {
        let ok = match kind_of.get(id) {
            Some(Record::Source { .. }) => want == "source",
            Some(Record::Report { .. }) => want == "report",
            Some(Record::Commitment { .. }) => want == "commitment",
            Some(_) => want == "record",
            None => false,
        } || (want == "record" && kind_of.contains_key(id));
        if !ok {
            errors.push(LineError {
                line,
                reason: format!("`{id}` is not a {want} in this ledger"),
            });
        }
    };
    for (r, &line) in records.iter().zip(&lines) {
        for rep in r.reports() {
            expect(rep, "report", line, &mut errors);
        }
        match r {
            Record::Report { source, .. } => expect(source, "source", line, &mut errors),
            Record::Violation {
                commitment,
                denied_by,
                ..
            } => {
                expect(commitment, "commitment", line, &mut errors);
                for d in denied_by {
                    expect(d, "report", line, &mut errors);
                }
            }
            Record::Withdrawal { commitment, .. } => {
                expect(commitment, "commitment", line, &mut errors)
            }
            Record::Retraction { retracts, .. } => expect(retracts, "record", line, &mut errors),
            Record::Commitment {
                consequence: Some(c),
                ..
            } => {
                for rep in &c.reports {
                    expect(rep, "report", line, &mut errors);
                }
            }
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}
