//! The scenario file as written: serde structures that mirror the TOML,
//! with byte spans kept for error messages. [`crate::parse`] validates them
//! into the [`crate::model`]; [`crate::write`] produces them from a model.

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_spanned::Spanned;
use std::fmt;

pub use indexmap::IndexMap;

/// A number, bare or with the note of what it rests on and how uncertain
/// it is: `0.4`, `{ value = 0.4, basis = "assumption" }`,
/// `{ value = 0.4, range = [0.3, 0.6] }` (uniform, or `dist = "triangular"`
/// with the value as the most likely point), `{ value = 0.4, sd = 0.05 }`
/// (normal, cut to the range or the field's bounds).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Number {
    pub value: f64,
    pub basis: Option<String>,
    pub range: Option<[f64; 2]>,
    pub sd: Option<f64>,
    pub dist: Option<String>,
}

impl Number {
    pub fn is_bare(&self) -> bool {
        self.basis.is_none() && self.range.is_none() && self.sd.is_none() && self.dist.is_none()
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_bare() {
            return s.serialize_f64(self.value);
        }
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("value", &self.value)?;
        if let Some(r) = &self.range {
            m.serialize_entry("range", r)?;
        }
        if let Some(sd) = &self.sd {
            m.serialize_entry("sd", sd)?;
        }
        if let Some(d) = &self.dist {
            m.serialize_entry("dist", d)?;
        }
        if let Some(basis) = &self.basis {
            m.serialize_entry("basis", basis)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, or { value = <number>, basis = \"<what it rests on>\" }")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number {
                    value: v,
                    ..Number::default()
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                self.visit_f64(v as f64)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Number, A::Error> {
                let mut n = Number::default();
                let mut value = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "value" => value = Some(map.next_value::<Number>()?.value),
                        "basis" => n.basis = Some(map.next_value::<String>()?),
                        "range" => {
                            let r: Vec<Number> = map.next_value()?;
                            match r.as_slice() {
                                [lo, hi] => n.range = Some([lo.value, hi.value]),
                                _ => {
                                    return Err(de::Error::invalid_length(
                                        r.len(),
                                        &"a range of two numbers, [low, high]",
                                    ))
                                }
                            }
                        }
                        "sd" => n.sd = Some(map.next_value::<Number>()?.value),
                        "dist" => n.dist = Some(map.next_value::<String>()?),
                        other => {
                            return Err(de::Error::unknown_field(
                                other,
                                &["value", "basis", "range", "sd", "dist"],
                            ))
                        }
                    }
                }
                n.value = value.ok_or_else(|| de::Error::missing_field("value"))?;
                Ok(n)
            }
        }
        d.deserialize_any(V)
    }
}

/// An option chosen by a plan: `"lifted"` or `{ option = "lifted", basis = "..." }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub option: String,
    pub basis: Option<String>,
}

impl Serialize for Choice {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.basis {
            None => s.serialize_str(&self.option),
            Some(basis) => {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("option", &self.option)?;
                m.serialize_entry("basis", basis)?;
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Choice {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Choice;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "an option id, or { option = \"<id>\", basis = \"<what it rests on>\" }",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Choice, E> {
                Ok(Choice {
                    option: v.to_string(),
                    basis: None,
                })
            }
            // A numeric issue's value may be written as a bare number.
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Choice, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Choice, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Choice, E> {
                self.visit_str(&crate::model::NumericScale::id(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Choice, A::Error> {
                let mut option = None;
                let mut basis = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "option" => option = Some(map.next_value::<String>()?),
                        "basis" => basis = Some(map.next_value::<String>()?),
                        other => return Err(de::Error::unknown_field(other, &["option", "basis"])),
                    }
                }
                let option = option.ok_or_else(|| de::Error::missing_field("option"))?;
                Ok(Choice { option, basis })
            }
        }
        d.deserialize_any(V)
    }
}

/// A date, written as a string (`"2025-04-18"`) or as a bare TOML date
/// (`2025-04-18`); kept as text and checked by the validator.
#[derive(Debug, Clone, PartialEq)]
pub struct DateText(pub String);

impl Serialize for DateText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as \"2025-04-18\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DateText, A::Error> {
                let dt =
                    toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(DateText(dt.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub scenario: RawMeta,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<RawSource>,
    pub parties: Vec<RawParty>,
    pub issues: Vec<RawIssue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preferences: Vec<RawPreferences>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_lines: Vec<RawRedLine>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub linkages: Vec<RawLinkage>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<RawPlan>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deadlines: Vec<RawDeadline>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulation: Option<RawSimulation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strategies: Vec<RawStrategy>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounds: Option<Spanned<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs: Option<Spanned<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<Spanned<i64>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vary: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawStrategy {
    pub party: Spanned<String>,
    pub strategy: Spanned<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Spanned<DateText>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawParty {
    pub id: Spanned<String>,
    pub name: String,
    pub role: Spanned<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub veto: Option<Spanned<RawVeto>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<RawPerson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability: Option<Spanned<Number>>,
}

/// `veto = true | false`, or the issues a party must consent on.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum RawVeto {
    Flag(bool),
    Issues(Vec<String>),
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub id: Spanned<String>,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawIssue {
    pub id: Spanned<String>,
    pub question: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub ordered: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deferrable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// A number rather than a list of options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numeric: Option<Spanned<RawNumeric>>,
    #[serde(default = "no_options", skip_serializing_if = "no_options_given")]
    pub options: Spanned<Vec<RawOption>>,
}

fn no_options() -> Spanned<Vec<RawOption>> {
    Spanned::new(0..0, Vec::new())
}

fn no_options_given(o: &Spanned<Vec<RawOption>>) -> bool {
    o.get_ref().is_empty()
}

/// A numeric issue's scale.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawNumeric {
    pub min: f64,
    pub max: f64,
    pub step: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPreferences {
    pub party: Spanned<String>,
    pub reservation: Spanned<Number>,
    /// Discount factor per unit of time (kept from GENIUS; see docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<Spanned<Number>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    pub issues: Spanned<Vec<RawIssuePreference>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawIssuePreference {
    pub issue: Spanned<String>,
    pub weight: Spanned<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ideal: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<Spanned<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linear: Option<Spanned<RawLinear>>,
    /// For a numeric issue: [number, value] pairs, numbers rising.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Spanned<Vec<[f64; 2]>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Not spanned as a whole: a table written with a header carries no span
    /// in the TOML reader, so places come from the values.
    pub values: Option<IndexMap<String, Spanned<Number>>>,
}

/// A value rising or falling linearly along an ordered issue's scale.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawLinear {
    pub offset: f64,
    pub slope: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedLine {
    pub id: Spanned<String>,
    pub party: Spanned<String>,
    pub label: String,
    pub rule: Spanned<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawLinkage {
    pub id: Spanned<String>,
    pub party: Spanned<String>,
    pub label: String,
    pub when: Spanned<String>,
    pub utility: Spanned<Number>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_by: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Spanned<DateText>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deferred: Vec<Spanned<String>>,
    /// Not spanned as a whole, as for option values.
    pub provisions: IndexMap<String, Spanned<Choice>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeadline {
    pub id: Spanned<String>,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Spanned<DateText>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<Spanned<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_by: Option<Spanned<String>>,
    pub consequence: Spanned<String>,
    /// For `reservation_change`: whose reservation value changes, and to what.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation: Option<Spanned<Number>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}
