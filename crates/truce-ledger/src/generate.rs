//! Synthetic ledgers of a given size, for benchmarks and crash tests: one
//! source, one report, then commitments (60 days, each with a promised
//! consequence), violations spread over them, and statements for the rest.
//! Deterministic: the same shape gives the same text.

use std::fmt::Write;

#[derive(Debug, Clone, Copy)]
/// The shape of a synthetic ledger.
pub struct LedgerShape {
    /// Records in all (at least the source and the report).
    pub records: usize,
    /// Commitments among them.
    pub commitments: usize,
    /// Violations among them.
    pub violations: usize,
}

/// The ledger as JSON Lines.
pub fn synthetic_jsonl(shape: LedgerShape) -> String {
    let mut s = String::with_capacity(shape.records * 160);
    s.push_str(r#"{"type":"source","id":"src","title":"synthetic"}"#);
    s.push('\n');
    s.push_str(
        r#"{"type":"report","id":"rep","source":"src","speaker":{"description":"synthetic"}}"#,
    );
    s.push('\n');
    let commitments = shape.commitments.min(shape.records.saturating_sub(2));
    let violations = if commitments == 0 {
        0
    } else {
        shape.violations.min(shape.records - 2 - commitments)
    };
    for i in 0..commitments {
        let _ = writeln!(
            s,
            r#"{{"type":"commitment","id":"c{i}","date":"2025-03-01","party":"p{}","scope":"s","from":"2025-03-01","days":60,"consequence":{{"by":"us","action":"sanctions","reports":["rep"]}},"reports":["rep"]}}"#,
            i % 7
        );
    }
    for i in 0..violations {
        let _ = writeln!(
            s,
            r#"{{"type":"violation","id":"v{i}","commitment":"c{}","date":"2025-04-{:02}","reported_by":"x","reports":["rep"]}}"#,
            i % commitments,
            1 + i % 28
        );
    }
    for i in 0..shape.records.saturating_sub(2 + commitments + violations) {
        let _ = writeln!(
            s,
            r#"{{"type":"event","id":"e{i}","kind":"statement","date":"2025-04-{:02}","parties":["a"],"summary":"statement {i}","reports":["rep"]}}"#,
            1 + i % 28
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shape_is_what_was_asked_and_every_line_reads() {
        let text = synthetic_jsonl(LedgerShape {
            records: 1000,
            commitments: 50,
            violations: 300,
        });
        let records = crate::read_jsonl(&text).unwrap();
        assert_eq!(records.len(), 1000);
        let count = |k| records.iter().filter(|r| r.kind() == k).count();
        assert_eq!(count(crate::RecordKind::Commitment), 50);
        assert_eq!(count(crate::RecordKind::Violation), 300);
        assert_eq!(count(crate::RecordKind::Event), 648);
    }
}
