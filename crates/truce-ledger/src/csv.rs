//! The ledger as CSV: one row per record, columns named after ACLED's
//! where they mean the same (`event_id_cnty`, `event_date`, `event_type`,
//! `sub_event_type`, `actor1`, `actor2`, `notes`, `source`), the rest named
//! after the record's own fields. Each kind of record uses a fixed subset of
//! the columns (`FIELDS`); one table drives both reading and writing, so
//! the two cannot drift apart and a round trip loses nothing.

use crate::model::{Record, RecordKind};
use crate::read::{check, line_error, Known};
use serde_json::{Map, Value};
use truce_engine::Diagnostic;

/// How a cell holds a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    /// Text, possibly empty.
    Text,
    /// Text or nothing (an empty cell).
    OptText,
    /// Items separated by `;` (ACLED's way with several actors).
    List,
    /// A whole number of days, or nothing.
    Days,
    /// A nested list, as JSON text (a person's offices over time), or nothing.
    Json,
}

/// Every column, in the order they are written.
pub const COLUMNS: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "notes",
    "refers_to",
    "start_date",
    "days",
    "condition",
    "condition_against",
    "condition_by",
    "consequence_by",
    "consequence_action",
    "consequence_reports",
    "concerns",
    "reports",
    "denied_by",
    "source",
    "url",
    "speaker_name",
    "speaker_role",
    "speaker_description",
    "via",
    "words",
    "source_at",
    "basis",
    "fulfils",
    "category",
    "covers_categories",
    "covers_keywords",
    "condition_rule",
    "measure",
    "end_date",
    "roles",
];

type Field = (&'static str, &'static str, Cell);

const ID: Field = ("event_id_cnty", "id", Cell::Text);
const DATE: Field = ("event_date", "date", Cell::Text);
const REPORTS: Field = ("reports", "reports", Cell::List);
const BASIS: Field = ("basis", "basis", Cell::OptText);
const CONCERNS: Field = ("concerns", "concerns", Cell::List);
const FULFILS: Field = ("fulfils", "fulfils", Cell::OptText);

/// Column, field (a dotted path for nested objects) and cell kind, for each
/// kind of record.
fn fields(kind: RecordKind) -> &'static [Field] {
    use Cell::*;
    match kind {
        RecordKind::Source => &[
            ID,
            ("event_date", "published", OptText),
            ("source", "outlet", OptText),
            ("notes", "title", OptText),
            ("url", "url", OptText),
        ],
        RecordKind::Report => &[
            ID,
            ("refers_to", "source", Text),
            ("speaker_name", "speaker.name", OptText),
            ("speaker_role", "speaker.role", OptText),
            ("speaker_description", "speaker.description", OptText),
            ("via", "via", OptText),
            ("event_date", "said_on", OptText),
            ("words", "words", OptText),
            ("source_at", "at", OptText),
        ],
        RecordKind::Commitment => &[
            ID,
            DATE,
            ("actor1", "party", List),
            ("actor2", "with", List),
            ("notes", "scope", Text),
            ("start_date", "from", Text),
            ("days", "days", Days),
            ("end_date", "until", OptText),
            ("condition", "condition.requires", OptText),
            ("condition_against", "condition.against", OptText),
            ("condition_by", "condition.by", OptText),
            ("condition_rule", "condition.rule", OptText),
            ("consequence_by", "consequence.by", OptText),
            ("consequence_action", "consequence.action", OptText),
            ("consequence_reports", "consequence.reports", List),
            ("covers_categories", "covers.categories", List),
            ("covers_keywords", "covers.keywords", List),
            CONCERNS,
            REPORTS,
            BASIS,
        ],
        RecordKind::Violation => &[
            ID,
            ("refers_to", "commitment", Text),
            DATE,
            ("actor1", "reported_by", List),
            ("actor2", "by", OptText),
            REPORTS,
            ("denied_by", "denied_by", List),
            BASIS,
        ],
        RecordKind::Sanction => &[
            ID,
            DATE,
            ("actor1", "by", Text),
            ("actor2", "against", Text),
            ("sub_event_type", "action", Text),
            ("measure", "measure", OptText),
            CONCERNS,
            REPORTS,
            BASIS,
            FULFILS,
        ],
        RecordKind::Deadline => &[
            ID,
            DATE,
            ("actor1", "set_by", Text),
            ("notes", "label", Text),
            CONCERNS,
            REPORTS,
            BASIS,
        ],
        RecordKind::Event => &[
            ID,
            ("sub_event_type", "kind", Text),
            DATE,
            ("actor1", "parties", List),
            ("notes", "summary", Text),
            ("category", "category", OptText),
            CONCERNS,
            REPORTS,
            BASIS,
            FULFILS,
        ],
        RecordKind::Withdrawal => &[ID, ("refers_to", "commitment", Text), DATE, REPORTS, BASIS],
        RecordKind::Corroboration => &[ID, ("refers_to", "supports", Text), DATE, REPORTS, BASIS],
        RecordKind::Denial => &[
            ID,
            ("refers_to", "denies", Text),
            DATE,
            ("actor1", "by", OptText),
            REPORTS,
            BASIS,
        ],
        RecordKind::Promise => &[
            ID,
            DATE,
            ("actor1", "by", Text),
            ("actor2", "against", OptText),
            ("sub_event_type", "action", Text),
            ("notes", "label", OptText),
            ("refers_to", "in_response_to", Text),
            REPORTS,
            BASIS,
        ],
        RecordKind::Terms => &[
            ID,
            ("refers_to", "commitment", Text),
            DATE,
            ("start_date", "from", OptText),
            ("days", "days", Days),
            ("end_date", "until", OptText),
            REPORTS,
            BASIS,
        ],
        RecordKind::Person => &[
            ID,
            ("speaker_name", "name", Text),
            ("speaker_role", "role", OptText),
            ("roles", "roles", Json),
            ("notes", "aliases", List),
            REPORTS,
            BASIS,
        ],
        RecordKind::Retraction => &[
            ID,
            ("refers_to", "retracts", Text),
            DATE,
            ("notes", "reason", Text),
            REPORTS,
            BASIS,
        ],
    }
}

/// Why a ledger cannot be written as CSV without loss.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("record `{id}`: {reason}")]
pub struct CsvWriteError {
    /// The record that cannot be written.
    pub id: String,
    /// Why not.
    pub reason: String,
}

/// Every record as one CSV row, under a header naming all the columns.
pub fn write_csv(records: &[Record]) -> Result<String, CsvWriteError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |id: &str, reason: String| CsvWriteError {
        id: id.to_string(),
        reason,
    };
    let internal = |e: &dyn std::fmt::Display| CsvWriteError {
        id: String::new(),
        reason: e.to_string(),
    };
    w.write_record(COLUMNS).map_err(|e| internal(&e))?;
    for r in records {
        let value = serde_json::to_value(r).map_err(|e| internal(&e))?;
        let mut row = vec![String::new(); COLUMNS.len()];
        row[column_index("event_type")] = r.kind().as_str().to_string();
        for &(column, path, cell) in fields(r.kind()) {
            let text = match (lookup(&value, path), cell) {
                (None | Some(Value::Null), _) => String::new(),
                // One party where a list may stand: the same cell rules.
                (Some(Value::String(s)), Cell::List) if s.contains(';') || s.trim() != s => {
                    return Err(fail(
                        r.id(),
                        format!("`{path}` holds `{s}`, which a `;`-separated cell cannot hold (a `;`, or spaces at an end)"),
                    ))
                }
                (Some(Value::String(s)), _) => s.clone(),
                (Some(Value::Number(n)), _) => n.to_string(),
                (Some(Value::Array(items)), Cell::List) => {
                    let mut parts = Vec::new();
                    for item in items {
                        let s = item.as_str().unwrap_or_default();
                        if s.is_empty() || s.contains(';') || s.trim() != s {
                            return Err(fail(
                                r.id(),
                                format!("`{path}` holds `{s}`, which a `;`-separated cell cannot hold (an empty item, a `;`, or spaces at an end)"),
                            ));
                        }
                        parts.push(s);
                    }
                    parts.join("; ")
                }
                (Some(Value::Array(items)), Cell::Json) if items.is_empty() => String::new(),
                (Some(v @ Value::Array(_)), Cell::Json) => v.to_string(),
                (Some(other), _) => return Err(fail(r.id(), format!("`{path}` is {other}"))),
            };
            row[column_index(column)] = text;
        }
        w.write_record(&row).map_err(|e| internal(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| internal(&e))?;
    String::from_utf8(bytes).map_err(|e| internal(&e))
}

fn column_index(column: &str) -> usize {
    COLUMNS.iter().position(|c| *c == column).unwrap_or(0)
}

fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

/// Reads a whole ledger from CSV; see [`read_csv_more`].
pub fn read_csv(text: &str) -> Result<Vec<Record>, Vec<Diagnostic>> {
    read_csv_more(&Known::new(), text)
}

/// Reads CSV rows to add to a ledger holding `existing`. The header names
/// the columns (any order, any subset, but `event_type` is required); a
/// cell in a column that its record does not use is refused rather than
/// dropped. Then the same checks as JSON Lines, all or nothing.
pub fn read_csv_more(existing: &Known, text: &str) -> Result<Vec<Record>, Vec<Diagnostic>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header_error = |reason: String| vec![line_error(1, reason)];
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => return Err(header_error(format!("the header cannot be read: {e}"))),
    };
    let mut errors = Vec::new();
    for (i, c) in header.iter().enumerate() {
        if !COLUMNS.contains(&c.as_str()) {
            errors.push(line_error(
                1,
                format!(
                    "unknown column `{c}`; the columns are {}",
                    COLUMNS.join(", ")
                ),
            ));
        } else if header[..i].contains(c) {
            errors.push(line_error(1, format!("column `{c}` appears twice")));
        }
    }
    let Some(type_col) = header.iter().position(|c| c == "event_type") else {
        errors.push(line_error(
            1,
            "no `event_type` column: each row must say what kind of record it is",
        ));
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut parsed = Vec::new();
    for row in reader.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(line_error(line, format!("not a CSV row: {e}")));
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line() as usize);
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cells: Vec<(&str, &str)> = header.iter().map(String::as_str).zip(row.iter()).collect();
        let type_name = row.get(type_col).unwrap_or("").trim();
        let Some(kind) = RecordKind::parse(type_name) else {
            let kinds: Vec<&str> = RecordKind::ALL.iter().map(|k| k.as_str()).collect();
            errors.push(line_error(
                line,
                format!(
                    "event_type `{type_name}` is not a kind of record; use one of {}",
                    kinds.join(", ")
                ),
            ));
            continue;
        };
        match row_to_record(kind, &cells) {
            Ok(r) => parsed.push((line, r)),
            Err(reason) => errors.push(line_error(line, reason)),
        }
    }
    check(existing, parsed, errors)
}

/// One row (column, cell) as a record of `kind`.
fn row_to_record(kind: RecordKind, cells: &[(&str, &str)]) -> Result<Record, String> {
    let used = fields(kind);
    for &(c, text) in cells {
        if c != "event_type" && !text.is_empty() && !used.iter().any(|(column, _, _)| *column == c)
        {
            return Err(format!(
                "column `{c}` does not apply to a {kind} (it holds `{text}`); leave it empty"
            ));
        }
    }
    let cell = |column: &str| -> &str {
        cells
            .iter()
            .find(|(c, _)| *c == column)
            .map_or("", |(_, text)| text)
    };
    let mut object = Map::new();
    object.insert("type".into(), Value::String(kind.as_str().into()));
    for &(column, path, kind_of_cell) in used {
        let text = cell(column);
        let value = match kind_of_cell {
            Cell::Text => Value::String(text.to_string()),
            Cell::OptText if text.is_empty() => continue,
            Cell::OptText => Value::String(text.to_string()),
            Cell::List => Value::Array(
                text.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            ),
            Cell::Json if text.trim().is_empty() => continue,
            Cell::Json => match serde_json::from_str::<Value>(text) {
                Ok(v) => v,
                Err(e) => return Err(format!("`{column}` is not JSON: {e}")),
            },
            Cell::Days if text.trim().is_empty() => continue,
            Cell::Days => match text.trim().parse::<u32>() {
                Ok(n) => Value::from(n),
                Err(_) => {
                    return Err(format!(
                        "`{column}` is `{text}`, not a whole number of days"
                    ))
                }
            },
        };
        match path.split_once('.') {
            None => {
                object.insert(path.to_string(), value);
            }
            Some((outer, inner)) => {
                // A nested object exists when any of its cells is filled.
                let is_empty_list = matches!(&value, Value::Array(a) if a.is_empty());
                if is_empty_list && !object.contains_key(outer) {
                    continue;
                }
                let entry = object
                    .entry(outer.to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(m) = entry {
                    m.insert(inner.to_string(), value);
                }
            }
        }
    }
    serde_json::from_value(Value::Object(object)).map_err(|e| in_columns(kind, &e.to_string()))
}

/// Serde names the record's fields; a CSV user knows the columns.
fn in_columns(kind: RecordKind, message: &str) -> String {
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(field, _)| field);
    if let Some(field) = missing {
        let columns: Vec<&str> = fields(kind)
            .iter()
            .filter(|(_, path, _)| {
                *path == field
                    || path.starts_with(&format!("{field}."))
                    || path.ends_with(&format!(".{field}"))
            })
            .map(|(column, _, _)| *column)
            .collect();
        if !columns.is_empty() {
            return format!("a {kind} needs `{}` filled in", columns.join("` or `"));
        }
    }
    format!("{kind}: {message}")
}
