//! `truce ledger extract`: the claims read out of a news report, as
//! candidate ledger records (JSON Lines, for review and import), as one
//! JSON document, or as a table; and `--evaluate`'s scores.

use serde::Serialize;
use std::io::{self, Write};
use truce_extract::claims::Claim;
use truce_extract::dates::DateRef;
use truce_extract::evaluate::{Agreement, Score};
use truce_extract::{Article, Speaker};

/// What a person reviewing a candidate needs besides the record.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    /// `candidate` until a person accepts it (`accepted`).
    pub status: &'static str,
    /// The characters of the report the record rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<[usize; 2]>,
    /// Those characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// How sure the reader is (0 to 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// What the claim is: statement, proposal, agreement, commitment,
    /// condition, violation_report, denial, rejection, threat, sanction,
    /// meeting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    /// The party the speaker speaks for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// The parties it names, the speaker's first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<String>,
    /// The scenario issues it concerns.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub concerns: Vec<String>,
    /// The date as written, and why it could not be resolved if it could
    /// not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<DateRef>,
}

/// A candidate `source` record.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRecord {
    /// Always `source`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Its id.
    pub id: String,
    /// The outlet that published the report.
    pub outlet: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Its URL.
    pub url: Option<String>,
    /// Its publication date.
    pub published: Option<String>,
    /// Review.
    pub review: Review,
}

/// A candidate `report` record: one attributed claim.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRecord {
    /// Always `report`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Its id.
    pub id: String,
    /// The source record it comes from.
    pub source: String,
    /// Who made the claim.
    pub speaker: Option<Speaker>,
    /// The outlet it came through.
    pub via: Option<String>,
    /// The date it refers to, in the ledger's forms.
    pub said_on: Option<String>,
    /// The exact words, where the report quotes them.
    pub words: Option<String>,
    /// Where in the source: the characters.
    pub at: String,
    /// Review.
    pub review: Review,
}

/// The candidate records for `claims` read from `article`: its source
/// (id `source_id`), then one report per claim.
pub fn records(
    article: &Article,
    claims: &[Claim],
    source_id: &str,
    outlet: Option<&str>,
    published: Option<String>,
) -> (SourceRecord, Vec<ReportRecord>) {
    let source = SourceRecord {
        kind: "source",
        id: source_id.to_string(),
        outlet: outlet.map(str::to_string),
        title: article.title.clone(),
        url: article.url.clone(),
        published: published.or(article.published.map(|d| d.to_string())),
        review: Review {
            status: "candidate",
            span: None,
            text: None,
            confidence: None,
            kind: None,
            affiliation: None,
            parties: Vec::new(),
            concerns: Vec::new(),
            date: None,
        },
    };
    let reports = claims
        .iter()
        .map(|c| ReportRecord {
            kind: "report",
            id: format!("{source_id}_{}", c.id),
            source: source_id.to_string(),
            speaker: c.speaker.clone(),
            via: c.via.clone(),
            said_on: c.date.as_ref().and_then(|d| d.resolved.clone()),
            words: c.words.clone(),
            at: format!("characters {}–{}", c.span[0], c.span[1]),
            review: Review {
                status: "candidate",
                span: Some(c.span),
                text: Some(c.text.clone()),
                confidence: Some((c.confidence * 100.0).round() / 100.0),
                kind: Some(c.kind.name()),
                affiliation: c.affiliation.clone(),
                parties: c.parties.clone(),
                concerns: c.concerns.clone(),
                date: c.date.clone(),
            },
        })
        .collect();
    (source, reports)
}

/// A record as one line of JSON.
fn json_line<T: Serialize>(v: &T) -> io::Result<String> {
    serde_json::to_string(v).map_err(io::Error::other)
}

/// JSON Lines: the source, then each report, one per line.
pub fn write_jsonl<W: Write + ?Sized>(
    w: &mut W,
    source: &SourceRecord,
    reports: &[ReportRecord],
) -> io::Result<()> {
    writeln!(w, "{}", json_line(source)?)?;
    for r in reports {
        writeln!(w, "{}", json_line(r)?)?;
    }
    Ok(())
}

/// The whole extraction as one JSON document.
#[derive(Debug, Clone, Serialize)]
pub struct ExtractionJson {
    /// The source record.
    pub source: SourceRecord,
    /// The report records.
    pub reports: Vec<ReportRecord>,
}

/// The claims as a table for a person.
pub fn write_text<W: Write + ?Sized>(
    w: &mut W,
    source: &SourceRecord,
    reports: &[ReportRecord],
) -> io::Result<()> {
    writeln!(
        w,
        "CLAIMS in {} ({} found; candidates for review)",
        source.title.as_deref().unwrap_or(&source.id),
        reports.len()
    )?;
    if let Some(p) = &source.published {
        writeln!(w, "  Published {p}")?;
    }
    for r in reports {
        let who = r.speaker.as_ref().map_or("?", Speaker::label);
        let role = match &r.speaker {
            Some(Speaker::Named {
                role: Some(role), ..
            }) => format!(" ({role})"),
            _ => String::new(),
        };
        let via = r
            .via
            .as_ref()
            .map_or(String::new(), |v| format!(" via {v}"));
        let when = match (&r.said_on, r.review.date.as_ref()) {
            (Some(d), _) => format!(", {d}"),
            (None, Some(d)) => format!(", \"{}\" (unresolved)", d.words),
            _ => String::new(),
        };
        writeln!(
            w,
            "  {} [{}] {who}{role}{via}{when}, confidence {:.2}",
            r.id,
            r.review.kind.unwrap_or("statement"),
            r.review.confidence.unwrap_or(0.0)
        )?;
        if let Some(t) = &r.review.text {
            let short: String = t.chars().take(160).collect();
            let more = if t.chars().count() > 160 { "…" } else { "" };
            writeln!(w, "      {short}{more}")?;
        }
        let mut tags = r.review.parties.clone();
        tags.extend(r.review.concerns.iter().map(|c| format!("concerns {c}")));
        if !tags.is_empty() {
            writeln!(w, "      {}", tags.join(", "))?;
        }
    }
    Ok(())
}

/// One field's agreement in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct FieldJson {
    /// Matched pairs where it agrees.
    pub correct: usize,
    /// Matched pairs compared.
    pub compared: usize,
    /// Their share.
    pub accuracy: Option<f64>,
}

impl From<Agreement> for FieldJson {
    fn from(a: Agreement) -> Self {
        FieldJson {
            correct: a.correct,
            compared: a.compared,
            accuracy: a.accuracy(),
        }
    }
}

/// One report's or the whole set's scores.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreJson {
    /// The report (none for the whole set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    /// Claims proposed.
    pub predicted: usize,
    /// Claims annotated.
    pub gold: usize,
    /// Matched one to one by overlapping spans.
    pub matched: usize,
    /// Annotated claims whose words were not found in the report.
    pub unlocated: usize,
    /// Matched over proposed.
    pub precision: Option<f64>,
    /// Matched over annotated.
    pub recall: Option<f64>,
    /// Their harmonic mean.
    pub f1: Option<f64>,
    /// Per field, agreement on matched pairs.
    pub fields: indexmap::IndexMap<&'static str, FieldJson>,
}

impl ScoreJson {
    /// The JSON of `s`.
    pub fn new(article: Option<String>, s: &Score) -> Self {
        let f = s.fields;
        ScoreJson {
            article,
            predicted: s.counts.predicted,
            gold: s.counts.gold,
            matched: s.counts.matched,
            unlocated: s.counts.unlocated,
            precision: s.precision(),
            recall: s.recall(),
            f1: s.f1(),
            fields: [
                ("speaker", f.speaker),
                ("affiliation", f.affiliation),
                ("via", f.via),
                ("date", f.date),
                ("kind", f.kind),
            ]
            .into_iter()
            .map(|(k, a)| (k, a.into()))
            .collect(),
        }
    }
}

/// `--evaluate`'s report.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationJson {
    /// Per report.
    pub articles: Vec<ScoreJson>,
    /// Over all of them.
    pub overall: ScoreJson,
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{:.1}", 100.0 * x))
}

/// The scores as tables.
pub fn write_evaluation<W: Write + ?Sized>(w: &mut W, e: &EvaluationJson) -> io::Result<()> {
    writeln!(
        w,
        "CLAIM EXTRACTION against {} annotated reports (a claim matches an annotated one when their spans overlap)",
        e.articles.len()
    )?;
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::NOTHING);
    t.set_header(vec![
        "report",
        "proposed",
        "annotated",
        "matched",
        "precision",
        "recall",
        "F1",
    ]);
    for a in e.articles.iter().chain(std::iter::once(&e.overall)) {
        t.add_row(vec![
            a.article.clone().unwrap_or_else(|| "overall".to_string()),
            a.predicted.to_string(),
            a.gold.to_string(),
            a.matched.to_string(),
            pct(a.precision),
            pct(a.recall),
            pct(a.f1),
        ]);
    }
    writeln!(w, "{t}")?;
    writeln!(w, "Fields on matched claims (overall):")?;
    for (k, f) in &e.overall.fields {
        writeln!(
            w,
            "  {k:<12} {}/{} = {}%",
            f.correct,
            f.compared,
            pct(f.accuracy)
        )?;
    }
    if e.overall.unlocated > 0 {
        writeln!(
            w,
            "  ({} annotated claims could not be found in their reports and count as missed)",
            e.overall.unlocated
        )?;
    }
    Ok(())
}

/// A reviewed candidate file merged with a fresh extraction: every line of
/// the reviewed file as the reviewer left it (edits, acceptances,
/// rejections, records added by hand), then each fresh proposal whose span
/// no reviewed report has (the source, when the file has none of its id).
/// Lines that are not JSON objects are kept as they are. Errs with the
/// line of a reviewed report whose `review.span` is not two numbers.
pub fn merge_reviewed(
    reviewed: &str,
    source: &SourceRecord,
    reports: &[ReportRecord],
) -> Result<Vec<String>, (usize, String)> {
    let mut lines: Vec<String> = Vec::new();
    let mut spans: Vec<[usize; 2]> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for (i, raw) in reviewed.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        lines.push(raw.to_string());
        let Ok(serde_json::Value::Object(fields)) = serde_json::from_str::<serde_json::Value>(raw)
        else {
            continue;
        };
        if let Some(id) = fields.get("id").and_then(|v| v.as_str()) {
            ids.push(id.to_string());
        }
        if let Some(span) = fields.get("review").and_then(|r| r.get("span")) {
            let pair = span
                .as_array()
                .filter(|a| a.len() == 2)
                .and_then(|a| Some([a[0].as_u64()? as usize, a[1].as_u64()? as usize]));
            match pair {
                Some(p) => spans.push(p),
                None => {
                    return Err((
                        i + 1,
                        "review.span must be [start, end], two character offsets".into(),
                    ))
                }
            }
        }
    }
    let line = |v: io::Result<String>| v.map_err(|e| (0, e.to_string()));
    let mut out = Vec::new();
    if !ids.contains(&source.id) {
        out.push(line(json_line(source))?);
    }
    out.extend(lines);
    for r in reports {
        let fresh = r.review.span.is_none_or(|s| !spans.contains(&s)) && !ids.contains(&r.id);
        if fresh {
            out.push(line(json_line(r))?);
        }
    }
    Ok(out)
}
