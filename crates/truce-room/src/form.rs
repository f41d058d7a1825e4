//! A party's positions as a web form: the fields (reservation value, a
//! weight per issue, a value per option, red lines as label and rule) as
//! text, filled from a stored version, and turned back into the scenario
//! format's blocks, which `read_positions` then checks like any other
//! entry. Numbers that are not numbers are refused here, by field name.

use crate::positions::Positions;
use truce_engine::{Diagnostic, ErrorKind, ScenarioParts};

/// The form's fields as text, as sent or as last saved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PositionsForm {
    /// The reservation value.
    pub reservation: String,
    /// Per issue id: its weight.
    pub weights: Vec<(String, String)>,
    /// Per issue id and option id: its value.
    pub values: Vec<((String, String), String)>,
    /// Red lines: (label, rule).
    pub red_lines: Vec<(String, String)>,
    /// Linkages in the version the form was filled from, which the form
    /// does not edit.
    pub linkages: usize,
}

/// At most this many red lines come from one form.
pub const MAX_FORM_RED_LINES: usize = 50;

fn number(x: f64) -> String {
    // Shortest text that reads back as the same number.
    format!("{x}")
}

impl PositionsForm {
    /// The form filled from a stored version of positions.
    pub fn from_positions(public: &ScenarioParts, p: &Positions) -> PositionsForm {
        let mut form = PositionsForm {
            reservation: number(p.preferences.reservation.value),
            linkages: p.linkages.len(),
            ..Default::default()
        };
        for (issue, pref) in public.issues.iter().zip(&p.preferences.issues) {
            form.weights
                .push((issue.id.clone(), number(pref.weight.value)));
            for (o, option) in issue.options.iter().enumerate() {
                let v = pref
                    .values
                    .get(o)
                    .map(|v| v.value)
                    .or_else(|| pref.implied_value(issue, o));
                if let Some(v) = v {
                    form.values
                        .push(((issue.id.clone(), option.id.clone()), number(v)));
                }
            }
        }
        form.red_lines = p
            .red_lines
            .iter()
            .map(|r| (r.label.clone(), r.rule.clone()))
            .collect();
        form
    }

    /// The form from posted fields: `reservation`, `weight.ISSUE`,
    /// `value.ISSUE.OPTION`, `red_label.K`, `red_rule.K` (others ignored).
    pub fn from_fields(public: &ScenarioParts, fields: &[(String, String)]) -> PositionsForm {
        // The first value of each name (a request may repeat one), found
        // by hash: a form's fields are bounded only by the body's size.
        let mut by_name: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
        for (k, v) in fields {
            by_name.entry(k.as_str()).or_insert(v.as_str());
        }
        let get = |name: &str| by_name.get(name).map(|v| v.trim().to_string());
        let mut form = PositionsForm {
            reservation: get("reservation").unwrap_or_default(),
            ..Default::default()
        };
        for issue in &public.issues {
            if let Some(w) = get(&format!("weight.{}", issue.id)) {
                form.weights.push((issue.id.clone(), w));
            }
            for o in &issue.options {
                if let Some(v) = get(&format!("value.{}.{}", issue.id, o.id)) {
                    form.values.push(((issue.id.clone(), o.id.clone()), v));
                }
            }
        }
        for k in 0..MAX_FORM_RED_LINES {
            let label = get(&format!("red_label.{k}")).unwrap_or_default();
            let rule = get(&format!("red_rule.{k}")).unwrap_or_default();
            if !label.is_empty() || !rule.is_empty() {
                form.red_lines.push((label, rule));
            }
        }
        form
    }

    /// The form as `party`'s `[[preferences]]` and `[[red_lines]]` blocks
    /// (TOML), or the fields that are not numbers or are missing.
    pub fn to_toml(&self, public: &ScenarioParts, party: &str) -> Result<String, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut read = |field: &str, text: &str, what: &str| -> Option<f64> {
            match text.parse::<f64>() {
                Ok(x) if x.is_finite() => Some(x),
                _ => {
                    problems.push(
                        Diagnostic::new(
                            ErrorKind::Invalid,
                            if text.is_empty() {
                                format!("{what} is missing")
                            } else {
                                format!("{what}: `{text}` is not a number")
                            },
                        )
                        .in_field(field),
                    );
                    None
                }
            }
        };
        let reservation = read("reservation", &self.reservation, "the walk-away value");
        let mut issues = Vec::new();
        for issue in &public.issues {
            let weight = self
                .weights
                .iter()
                .find(|(i, _)| *i == issue.id)
                .map(|(_, w)| w.as_str())
                .filter(|w| !w.is_empty());
            let Some(weight) = weight else { continue };
            let weight = read(
                &format!("weight.{}", issue.id),
                weight,
                &format!("the weight of {}", issue.id),
            );
            let mut values = toml::Table::new();
            for o in &issue.options {
                let text = self
                    .values
                    .iter()
                    .find(|((i, opt), _)| *i == issue.id && *opt == o.id)
                    .map(|(_, v)| v.as_str())
                    .unwrap_or("");
                if text.is_empty() {
                    continue;
                }
                if let Some(v) = read(
                    &format!("value.{}.{}", issue.id, o.id),
                    text,
                    &format!("the value of {} on {}", o.id, issue.id),
                ) {
                    values.insert(o.id.clone(), toml::Value::Float(v));
                }
            }
            let mut t = toml::Table::new();
            t.insert("issue".into(), toml::Value::String(issue.id.clone()));
            if let Some(w) = weight {
                t.insert("weight".into(), toml::Value::Float(w));
            }
            t.insert("values".into(), toml::Value::Table(values));
            issues.push(toml::Value::Table(t));
        }
        let mut red_lines = Vec::new();
        for (k, (label, rule)) in self.red_lines.iter().enumerate() {
            if rule.is_empty() {
                problems.push(
                    Diagnostic::new(
                        ErrorKind::Invalid,
                        format!("red line {} has no rule", k + 1),
                    )
                    .in_field(format!("red_rule.{k}")),
                );
                continue;
            }
            let mut t = toml::Table::new();
            t.insert(
                "id".into(),
                toml::Value::String(format!("{party}_red_line_{}", k + 1)),
            );
            t.insert("party".into(), toml::Value::String(party.to_string()));
            let label = if label.is_empty() { rule } else { label };
            t.insert("label".into(), toml::Value::String(label.clone()));
            t.insert("rule".into(), toml::Value::String(rule.clone()));
            red_lines.push(toml::Value::Table(t));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut pref = toml::Table::new();
        pref.insert("party".into(), toml::Value::String(party.to_string()));
        if let Some(r) = reservation {
            pref.insert("reservation".into(), toml::Value::Float(r));
        }
        pref.insert("issues".into(), toml::Value::Array(issues));
        let mut root = toml::Table::new();
        root.insert(
            "preferences".into(),
            toml::Value::Array(vec![toml::Value::Table(pref)]),
        );
        if !red_lines.is_empty() {
            root.insert("red_lines".into(), toml::Value::Array(red_lines));
        }
        toml::to_string(&root).map_err(|e| {
            vec![Diagnostic::new(
                ErrorKind::Invalid,
                format!("the form cannot be written as TOML: {e}"),
            )]
        })
    }
}
