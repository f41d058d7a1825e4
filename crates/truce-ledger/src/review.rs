//! Candidate records: what `truce ledger extract` proposes carries a
//! `review` object (`status`, the span of the report it rests on, the
//! reader's confidence and guesses). A person sets `status` to
//! `accepted` (edited or not) or `rejected`; only accepted records go in,
//! without their `review` (the span stays in the report's `at`).

use crate::read::line_error;
use truce_engine::Diagnostic;

/// The batch without review marks: accepted records lose their `review`,
/// rejected ones are left out (their line kept blank so that line numbers
/// stay true), and candidates not yet reviewed are refused, each by line,
/// unless `accept_candidates`.
pub fn take_reviewed(text: &str, accept_candidates: bool) -> Result<String, Vec<Diagnostic>> {
    let mut out = String::with_capacity(text.len());
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let parsed = serde_json::from_str::<serde_json::Value>(raw);
        let Ok(serde_json::Value::Object(mut fields)) = parsed else {
            // Not a JSON object: the record reader says what is wrong.
            out.push_str(raw);
            out.push('\n');
            continue;
        };
        let Some(review) = fields.remove("review") else {
            out.push_str(raw);
            out.push('\n');
            continue;
        };
        let id = fields
            .get("id")
            .and_then(|v| v.as_str())
            .unwrap_or("?")
            .to_string();
        let status = review
            .get("status")
            .and_then(|v| v.as_str())
            .unwrap_or("candidate");
        match status {
            "accepted" => {}
            "candidate" if accept_candidates => {}
            "rejected" => {
                out.push('\n');
                continue;
            }
            "candidate" => {
                errors.push(line_error(
                    line,
                    format!(
                        "`{id}` is a candidate nobody has reviewed: check it against its report and set \"review\": {{\"status\": \"accepted\"}} (or \"rejected\"), or import with --accept-candidates"
                    ),
                ));
                continue;
            }
            other => {
                errors.push(line_error(
                    line,
                    format!(
                        "`{id}`: review status `{other}` is not candidate, accepted or rejected"
                    ),
                ));
                continue;
            }
        }
        match serde_json::to_string(&serde_json::Value::Object(fields)) {
            Ok(s) => out.push_str(&s),
            Err(e) => errors.push(line_error(line, e.to_string())),
        }
        out.push('\n');
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
