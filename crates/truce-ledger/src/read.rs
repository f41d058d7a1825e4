//! Records in, checked records out: all or nothing. JSON Lines and CSV
//! (`csv.rs`) both end in [`check`], so a batch is judged by one set of
//! rules whatever its format.

use crate::condition::{parse_condition, references};
use crate::model::{Condition, Record, RecordKind};
use std::collections::{HashMap, HashSet};
use truce_engine::{Diagnostic, ErrorKind};

/// One bad line: its number (from 1) and what is wrong.
pub(crate) fn line_error(line: usize, reason: impl Into<String>) -> Diagnostic {
    Diagnostic::new(ErrorKind::Invalid, reason).on_line(line)
}

/// The ids already in a ledger and their kinds: all a new batch is checked
/// against (a store can fill this without reading every record's body).
pub type Known = HashMap<String, RecordKind>;

/// The ids and kinds of some records.
pub fn known(records: &[Record]) -> Known {
    records
        .iter()
        .map(|r| (r.id().to_string(), r.kind()))
        .collect()
}

/// The formats a batch may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchFormat {
    /// One JSON record per line.
    JsonLines,
    /// CSV with ACLED-like columns.
    Csv,
}

/// Reads a batch to add to a ledger that already holds `existing`.
pub fn read_batch(
    existing: &Known,
    text: &str,
    format: BatchFormat,
) -> Result<Vec<Record>, Vec<Diagnostic>> {
    match format {
        BatchFormat::JsonLines => read_more(existing, text),
        BatchFormat::Csv => crate::csv::read_csv_more(existing, text),
    }
}

/// Reads a whole ledger file. Every line is checked (JSON, fields, dates,
/// unique ids, references to earlier or later records); if any is bad, no
/// record is returned and every problem is listed by line.
pub fn read_jsonl(text: &str) -> Result<Vec<Record>, Vec<Diagnostic>> {
    read_more(&Known::new(), text)
}

/// Reads JSON Lines to add to a ledger that already holds `existing`: ids
/// must be new, and references may point at existing records.
pub fn read_more(existing: &Known, text: &str) -> Result<Vec<Record>, Vec<Diagnostic>> {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        match record_of(raw) {
            Ok(r) => parsed.push((line, r)),
            Err(e) => errors.push(e.on_line(line)),
        }
    }
    check(existing, parsed, errors)
}

/// A retraction may not take itself back, nor take part in a cycle of
/// retractions (which would leave it undecided what stands). Records only
/// point at records that exist when they are added, so a cycle can only
/// lie within one batch.
fn retraction_cycles(parsed: &[(usize, Record)], errors: &mut Vec<Diagnostic>) {
    let mut target: HashMap<&str, (&str, usize)> = HashMap::new();
    for (line, r) in parsed {
        if let Record::Retraction { id, retracts, .. } = r {
            if id == retracts {
                errors.push(line_error(
                    *line,
                    format!("retraction `{id}` retracts itself"),
                ));
            } else {
                target.insert(id, (retracts, *line));
            }
        }
    }
    // Walk each chain once: `done` are known to end outside a cycle.
    let mut done: HashSet<&str> = HashSet::new();
    for &start in target.keys() {
        let mut path: Vec<&str> = Vec::new();
        let mut on_path: HashSet<&str> = HashSet::new();
        let mut at = start;
        while let Some(&(next, _)) = target.get(at) {
            if done.contains(at) {
                break;
            }
            if !on_path.insert(at) {
                let k = path.iter().position(|&p| p == at).unwrap_or(0);
                let cycle = &path[k..];
                let line = target.get(cycle[0]).map_or(0, |&(_, l)| l);
                errors.push(line_error(
                    line,
                    format!(
                        "retractions {} retract each other in a cycle",
                        cycle
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
                break;
            }
            path.push(at);
            at = next;
        }
        done.extend(path);
    }
}

/// One JSON line as a record, or what is wrong with it: the field (as a
/// path such as `speaker.name`) and the column.
fn record_of(raw: &str) -> Result<Record, Diagnostic> {
    let mut de = serde_json::Deserializer::from_str(raw);
    let (mut path, inner) = match serde_path_to_error::deserialize::<_, Record>(&mut de) {
        Ok(r) => match de.end() {
            Ok(()) => return Ok(r),
            Err(e) => (String::new(), e),
        },
        Err(e) => (e.path().to_string(), e.into_inner()),
    };
    // serde_json ends its messages with the place; the diagnostic holds it.
    let message = inner.to_string();
    let message = match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message,
    };
    let mut column = (inner.column() > 0).then_some(inner.column());
    if (path.is_empty() || path == ".") && inner.is_data() {
        // A record's fields are read after its `type`, which hides their
        // path: find the field whose removal changes the complaint.
        if let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(raw) {
            if let Some(found) = culprit(&fields, &message) {
                column = raw
                    .find(&format!("\"{}\"", found[0]))
                    .map(|at| raw[..at].chars().count() + 1);
                path = found.join(".");
            }
        }
    }
    let mut d = Diagnostic::new(ErrorKind::Syntax, message);
    d.column = column;
    if path != "." && !path.is_empty() {
        d.path = Some(path);
    }
    Err(d)
}

/// The field (as a path: `speaker`, `name`) behind a complaint about a
/// record: the one whose removal makes the record read, or complain of it
/// missing, or complain of something else.
fn culprit(
    fields: &serde_json::Map<String, serde_json::Value>,
    message: &str,
) -> Option<Vec<String>> {
    let complaint = |object: serde_json::Map<String, serde_json::Value>| -> Option<String> {
        serde_json::from_value::<Record>(serde_json::Value::Object(object))
            .err()
            .map(|e| e.to_string())
    };
    for (key, value) in fields.iter().filter(|(k, _)| k.as_str() != "type") {
        let mut without = fields.clone();
        without.remove(key);
        if complaint(without).as_deref() == Some(message) {
            continue;
        }
        let mut path = vec![key.clone()];
        // Inside an object, the same search one level down.
        if let serde_json::Value::Object(inner) = value {
            for sub in inner.keys() {
                let mut smaller = inner.clone();
                smaller.remove(sub);
                let mut with = fields.clone();
                with.insert(key.clone(), serde_json::Value::Object(smaller));
                if complaint(with).as_deref() != Some(message) {
                    path.push(sub.clone());
                    break;
                }
            }
        }
        return Some(path);
    }
    None
}

/// Checks parsed records (each with its line) against each other and the
/// ledger; `errors` holds what went wrong before parsing finished.
pub(crate) fn check(
    existing: &Known,
    parsed: Vec<(usize, Record)>,
    mut errors: Vec<Diagnostic>,
) -> Result<Vec<Record>, Vec<Diagnostic>> {
    let mut first_line: HashMap<&str, usize> = HashMap::new();
    for (line, r) in &parsed {
        let line = *line;
        if existing.contains_key(r.id()) {
            errors.push(line_error(
                line,
                format!("id `{}` is already used in the ledger", r.id()),
            ));
        } else if let Some(first) = first_line.insert(r.id(), line) {
            errors.push(line_error(
                line,
                format!("id `{}` is already used on line {first}", r.id()),
            ));
        }
        if r.id().trim().is_empty() {
            errors.push(line_error(line, "the id is empty"));
        }
        if let Record::Commitment {
            covers: Some(c), ..
        } = r
        {
            if c.categories.is_empty() && c.keywords.is_empty() {
                errors.push(
                    line_error(line, "`covers` names no category and no keyword; use categories [\"*\"] for every incident")
                        .in_field("covers"),
                );
            }
        }
        for (field, text) in r.optional_texts() {
            if text.is_empty() {
                errors.push(line_error(
                    line,
                    format!("`{field}` is empty: leave it out (or null) instead"),
                ));
            }
        }
    }
    let batch: HashMap<&str, RecordKind> = parsed.iter().map(|(_, r)| (r.id(), r.kind())).collect();
    let kind_of = |id: &str| existing.get(id).or_else(|| batch.get(id)).copied();
    // `None` wants any record.
    let expect = |id: &str, want: Option<RecordKind>, line: usize, errors: &mut Vec<Diagnostic>| {
        let ok = match (kind_of(id), want) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(k), Some(w)) => k == w,
        };
        if !ok {
            let what = want.map_or("record", RecordKind::as_str);
            errors.push(line_error(
                line,
                format!("`{id}` is not a {what} in this ledger"),
            ));
        }
    };
    for (line, r) in &parsed {
        let line = *line;
        for rep in r.reports() {
            expect(rep, Some(RecordKind::Report), line, &mut errors);
        }
        match r {
            Record::Report { source, .. } => {
                expect(source, Some(RecordKind::Source), line, &mut errors)
            }
            Record::Violation {
                commitment,
                denied_by,
                ..
            } => {
                expect(commitment, Some(RecordKind::Commitment), line, &mut errors);
                for d in denied_by {
                    expect(d, Some(RecordKind::Report), line, &mut errors);
                }
            }
            Record::Withdrawal { commitment, .. } | Record::Terms { commitment, .. } => {
                expect(commitment, Some(RecordKind::Commitment), line, &mut errors)
            }
            Record::Retraction { retracts, .. } => expect(retracts, None, line, &mut errors),
            Record::Promise { in_response_to, .. } => {
                let answers = matches!(
                    kind_of(in_response_to),
                    Some(RecordKind::Commitment | RecordKind::Violation | RecordKind::Deadline)
                );
                if !answers {
                    errors.push(line_error(
                        line,
                        format!("`{in_response_to}` is not a commitment, violation or deadline in this ledger"),
                    ).in_field("in_response_to"));
                }
            }
            // A promise, or a commitment whose `consequence` it carries out.
            Record::Sanction {
                fulfils: Some(p), ..
            }
            | Record::Event {
                fulfils: Some(p), ..
            } if !matches!(
                kind_of(p),
                Some(RecordKind::Promise | RecordKind::Commitment)
            ) =>
            {
                errors.push(
                    line_error(
                        line,
                        format!("`{p}` is not a promise or commitment in this ledger"),
                    )
                    .in_field("fulfils"),
                );
            }
            Record::Corroboration { supports, .. } => expect(supports, None, line, &mut errors),
            Record::Denial { denies, .. } => expect(denies, None, line, &mut errors),
            Record::Commitment {
                id,
                consequence,
                condition,
                ..
            } => {
                for rep in consequence.iter().flat_map(|c| &c.reports) {
                    expect(rep, Some(RecordKind::Report), line, &mut errors);
                }
                if let Some(Condition::Rule { rule }) = condition {
                    match parse_condition(rule) {
                        Err(e) => {
                            let column = e.span.as_ref().map_or(1, |s| {
                                rule.get(..s.start).map_or(1, |p| p.chars().count() + 1)
                            });
                            let mut d = line_error(
                                line,
                                format!("condition rule, at character {column}: {}", e.message),
                            )
                            .in_field("condition.rule");
                            d.help = e.help;
                            errors.push(d);
                        }
                        Ok(parsed) => {
                            let mut found = Vec::new();
                            for (target, must_commit) in references(&parsed) {
                                if target == id {
                                    found.push(line_error(
                                        line,
                                        "a condition cannot refer to its own commitment",
                                    ));
                                } else if must_commit {
                                    expect(target, Some(RecordKind::Commitment), line, &mut found);
                                } else {
                                    expect(target, None, line, &mut found);
                                }
                            }
                            errors.extend(found.into_iter().map(|e| e.in_field("condition.rule")));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    retraction_cycles(&parsed, &mut errors);
    if errors.is_empty() {
        Ok(parsed.into_iter().map(|(_, r)| r).collect())
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// The records as JSON Lines, one record a line in the order given: what
/// [`read_jsonl`] reads back.
pub fn write_jsonl(records: &[Record]) -> Result<String, serde_json::Error> {
    let mut text = String::new();
    for r in records {
        text.push_str(&serde_json::to_string(r)?);
        text.push('\n');
    }
    Ok(text)
}
