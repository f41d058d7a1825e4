//! Readers for the inputs forecasters already have: KTAB's CSV and XML
//! scenario files, and a table of past decisions with known outcomes.
//! Each takes the file's text and says where (line and column) anything
//! is wrong.

use crate::problem::{Actor, Dimension, Problem, ProblemError};
use quick_xml::events::Event;
use quick_xml::Reader;

/// A file that could not be read: what, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct ReadError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (1 when only the line is known).
    pub column: usize,
    /// What is wrong, and how to fix it.
    pub message: String,
}

impl ReadError {
    fn at(line: usize, message: impl Into<String>) -> Self {
        ReadError {
            line,
            column: 1,
            message: message.into(),
        }
    }

    fn problem(e: ProblemError) -> Self {
        ReadError::at(1, e.to_string())
    }
}

/// KTAB's model settings as the file gives them (names and values as
/// written), with the seed of its random numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KtabSettings {
    /// (parameter, value), e.g. ("VotingRule", "PropCbc").
    pub parameters: Vec<(String, String)>,
    /// `prngSeed`, if given.
    pub seed: Option<u64>,
    /// `IdealAdjustment/iaPair`: (adjusting actor, reference actor, rate),
    /// by name, with the line of the pair.
    pub ideal_adjustment: Vec<IdealAdjustment>,
}

/// One `iaPair` of KTAB's XML: how fast `adjusting`'s ideal follows
/// `reference`'s position.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdealAdjustment {
    /// The actor whose ideal moves.
    pub adjusting: String,
    /// The actor whose position it moves toward.
    pub reference: String,
    /// The rate (0 to 1).
    pub rate: Option<f64>,
    /// Where the pair starts in the file.
    pub line: usize,
}

/// A KTAB input: the problem, and the settings an XML file carries (none
/// in CSV).
#[derive(Debug, Clone, PartialEq)]
pub struct KtabInput {
    /// The problem.
    pub problem: Problem,
    /// The file's settings.
    pub settings: KtabSettings,
}

fn number(field: &str, line: usize, what: &str) -> Result<Option<f64>, ReadError> {
    let t = field.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .map(Some)
        .ok_or_else(|| ReadError::at(line, format!("{what} `{t}` is not a number")))
}

/// KTAB's CSV format: line 1 holds the scenario's name, description,
/// number of actors and number of dimensions; line 2 the column names
/// (actor, description, capability, then a position and a salience
/// column per dimension, whose names less " Position" name the
/// dimensions); then one line per actor. A blank position: the actor
/// takes none on that dimension.
pub fn ktab_csv(text: &str) -> Result<KtabInput, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for r in reader.records() {
        let r = r.map_err(|e| {
            let line = e.position().map_or(1, |p| p.line() as usize);
            ReadError::at(line, format!("not CSV: {e}"))
        })?;
        let line = r
            .position()
            .map_or(records.len() + 1, |p| p.line() as usize);
        if r.len() > 2 * crate::problem::MAX_DIMENSIONS + 3 {
            return Err(ReadError::at(line, "too many columns"));
        }
        records.push((line, r));
    }
    let Some((line1, head)) = records.first() else {
        return Err(ReadError::at(
            1,
            "empty file; a KTAB CSV starts with: name, description, actors, dimensions",
        ));
    };
    let count = |i: usize, what: &str| -> Result<usize, ReadError> {
        head.get(i)
            .and_then(|f| f.trim().parse::<usize>().ok())
            .ok_or_else(|| {
                ReadError::at(
                    *line1,
                    format!("field {} should give the number of {what} (line 1: name, description, actors, dimensions)", i + 1),
                )
            })
    };
    let (n, m) = (count(2, "actors")?, count(3, "dimensions")?);
    if n > crate::problem::MAX_ACTORS || m > crate::problem::MAX_DIMENSIONS {
        return Err(ReadError::at(
            *line1,
            format!("{n} actors and {m} dimensions: too many"),
        ));
    }
    let name = head.get(0).unwrap_or("").to_string();
    let Some((line2, header)) = records.get(1) else {
        return Err(ReadError::at(2, "no column names on line 2"));
    };
    let dimensions: Vec<Dimension> = (0..m)
        .map(|d| {
            let raw = header.get(3 + 2 * d).unwrap_or("").trim();
            let id = raw
                .strip_suffix("Position")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .unwrap_or(raw);
            let id = if id.is_empty() {
                format!("dimension {}", d + 1)
            } else {
                id.to_string()
            };
            Dimension::continuous(id)
        })
        .collect();
    let _ = line2;
    let rows: Vec<&(usize, csv::StringRecord)> = records
        .iter()
        .skip(2)
        .filter(|(_, r)| r.iter().any(|f| !f.trim().is_empty()))
        .collect();
    if rows.len() != n {
        return Err(ReadError::at(
            rows.last().map_or(3, |r| r.0),
            format!(
                "line 1 announces {n} actors, the file has {} actor lines",
                rows.len()
            ),
        ));
    }
    let mut actors = Vec::with_capacity(n);
    let mut positions = Vec::with_capacity(n);
    let mut saliences = Vec::with_capacity(n);
    for (line, r) in rows {
        if r.len() < 3 + 2 * m {
            return Err(ReadError::at(
                *line,
                format!("{} fields; an actor line needs {} (actor, description, capability, then position and salience per dimension)", r.len(), 3 + 2 * m),
            ));
        }
        let capability = number(&r[2], *line, "capability")?
            .ok_or_else(|| ReadError::at(*line, "no capability"))?;
        actors.push(Actor {
            name: r[0].trim().to_string(),
            capability,
        });
        let mut p = Vec::with_capacity(m);
        let mut s = Vec::with_capacity(m);
        for d in 0..m {
            p.push(number(&r[3 + 2 * d], *line, "position")?);
            s.push(number(&r[4 + 2 * d], *line, "salience")?.unwrap_or(0.0));
        }
        positions.push(p);
        saliences.push(s);
    }
    let problem =
        Problem::new(name, actors, dimensions, positions, saliences).map_err(ReadError::problem)?;
    Ok(KtabInput {
        problem,
        settings: KtabSettings::default(),
    })
}

/// The 1-based line and column of byte `at` in `text`.
fn place(text: &str, at: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..at.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, column)
}

/// KTAB's XML format (smpSchema.xsd): `Scenario` with `name`,
/// `prngSeed`, `ModelParameters`, `Dimensions/dName` and
/// `Actors/Actor` (`name`, `capability`, `Position/dCoord`,
/// `Salience/dSal`); an empty `dCoord`: no position on that dimension.
pub fn ktab_xml(text: &str) -> Result<KtabInput, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    let mut path: Vec<String> = Vec::new();
    let mut name = String::new();
    let mut settings = KtabSettings::default();
    let mut dims: Vec<String> = Vec::new();
    let mut actors: Vec<RawActor> = Vec::new();
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            let (line, column) = place(text, reader.error_position() as usize);
            ReadError {
                line,
                column,
                message: format!("malformed XML: {e}"),
            }
        })?;
        let here = || place(text, start).0;
        match event {
            Event::Start(e) => {
                let tag = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if path.len() >= 16 {
                    return Err(ReadError::at(
                        here(),
                        "elements nest too deeply for a KTAB file",
                    ));
                }
                if tag == "iaPair" {
                    settings.ideal_adjustment.push(IdealAdjustment {
                        line: here(),
                        ..IdealAdjustment::default()
                    });
                }
                opened(&tag, &path, &mut actors, &mut dims, here());
                path.push(tag);
            }
            Event::Empty(e) => {
                let tag = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                opened(&tag, &path, &mut actors, &mut dims, here());
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Text(t) => {
                let value = t
                    .xml_content()
                    .map_err(|e| ReadError::at(here(), format!("bad text: {e}")))?;
                let value = value.trim();
                if value.is_empty() {
                    continue;
                }
                let line = here();
                let tags: Vec<&str> = path.iter().map(String::as_str).collect();
                match tags.as_slice() {
                    [.., "Scenario", "name"] => name = value.to_string(),
                    [.., "Scenario", "prngSeed"] => {
                        settings.seed = Some(value.parse::<u64>().map_err(|_| {
                            ReadError::at(
                                line,
                                format!("prngSeed `{value}` is not a whole number below 2^64"),
                            )
                        })?)
                    }
                    [.., "iaPair", field] => {
                        if let Some(pair) = settings.ideal_adjustment.last_mut() {
                            match *field {
                                "adjustingIdeal" => pair.adjusting = value.to_string(),
                                "referencePos" => pair.reference = value.to_string(),
                                "adjust" => pair.rate = number(value, line, "adjust")?,
                                _ => {}
                            }
                        }
                    }
                    [.., "ModelParameters", p] => {
                        settings.parameters.push((p.to_string(), value.to_string()))
                    }
                    [.., "Dimensions", "dName"] => {
                        if let Some(last) = dims.last_mut() {
                            *last = value.to_string();
                        }
                    }
                    [.., "Actor", field] | [.., "Actor", "Position" | "Salience", field] => {
                        let Some(actor) = actors.last_mut() else {
                            continue;
                        };
                        match *field {
                            "name" => actor.0 = value.to_string(),
                            "capability" => actor.1 = number(value, line, "capability")?,
                            "dCoord" => {
                                if let Some(slot) = actor.2.last_mut() {
                                    *slot = number(value, line, "position")?;
                                }
                            }
                            "dSal" => {
                                if let Some(slot) = actor.3.last_mut() {
                                    *slot = number(value, line, "salience")?;
                                }
                            }
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let m = dims.len();
    let mut list = Vec::with_capacity(actors.len());
    let mut positions = Vec::with_capacity(actors.len());
    let mut saliences = Vec::with_capacity(actors.len());
    for (actor, capability, p, s, line) in actors {
        if p.len() != m || s.len() != m {
            return Err(ReadError::at(
                line,
                format!(
                    "actor {actor} has {} dCoord and {} dSal; the file names {m} dimensions",
                    p.len(),
                    s.len()
                ),
            ));
        }
        let capability = capability
            .ok_or_else(|| ReadError::at(line, format!("actor {actor} has no capability")))?;
        list.push(Actor {
            name: actor,
            capability,
        });
        positions.push(p);
        saliences.push(s.into_iter().map(|s| s.unwrap_or(0.0)).collect());
    }
    let dimensions = dims.into_iter().map(Dimension::continuous).collect();
    let problem =
        Problem::new(name, list, dimensions, positions, saliences).map_err(ReadError::problem)?;
    Ok(KtabInput { problem, settings })
}

/// An actor as the XML gives it: name, capability, positions, saliences,
/// and the line where it starts.
type RawActor = (
    String,
    Option<f64>,
    Vec<Option<f64>>,
    Vec<Option<f64>>,
    usize,
);

/// Notes an element opening: a new actor, dimension, or coordinate slot.
fn opened(
    tag: &str,
    path: &[String],
    actors: &mut Vec<RawActor>,
    dims: &mut Vec<String>,
    line: usize,
) {
    let parent = path.last().map(String::as_str);
    match (parent, tag) {
        (Some("Actors"), "Actor") => {
            actors.push((String::new(), None, Vec::new(), Vec::new(), line))
        }
        (Some("Dimensions"), "dName") => dims.push(format!("dimension {}", dims.len() + 1)),
        (Some("Position"), "dCoord") => {
            if let Some(a) = actors.last_mut() {
                a.2.push(None);
            }
        }
        (Some("Salience"), "dSal") => {
            if let Some(a) = actors.last_mut() {
                a.3.push(None);
            }
        }
        _ => {}
    }
}

/// A table of past decisions: one per row, each a problem of one
/// dimension with its known outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Decisions {
    /// The decisions, in row order.
    pub problems: Vec<Problem>,
}

/// Most decisions a table may hold.
pub const MAX_DECISIONS: usize = 100_000;

/// A table of decisions with known outcomes: a header naming `issue`,
/// `outcome`, and per actor a position column `p<actor>` and a salience
/// column `s<actor>` (0 to 100, blank where the actor took no position);
/// one row per decision. A row whose `issue` is `capability` gives each
/// actor's capability in its `p` column (or its `s` column); without one,
/// every actor's capability is 1.
pub fn decisions(text: &str) -> Result<Decisions, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| ReadError::at(1, format!("no header: {e}")))?
        .clone();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(issue), Some(outcome)) = (col("issue"), col("outcome")) else {
        return Err(ReadError::at(
            1,
            "the header must name an `issue` and an `outcome` column",
        ));
    };
    // Actors in header order of their position columns.
    let mut names: Vec<String> = Vec::new();
    let mut cols: Vec<(usize, Option<usize>)> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if let Some(actor) = h.strip_prefix('p').filter(|a| !a.is_empty()) {
            names.push(actor.to_string());
            cols.push((i, col(&format!("s{actor}"))));
        }
    }
    for h in header.iter() {
        if let Some(actor) = h.strip_prefix('s').filter(|a| !a.is_empty()) {
            if !names.iter().any(|n| n == actor) {
                return Err(ReadError::at(
                    1,
                    format!("column s{actor} has no position column p{actor}"),
                ));
            }
        }
    }
    if names.is_empty() {
        return Err(ReadError::at(1, "no actor columns; name each actor's position column p<actor> and salience column s<actor>"));
    }
    let mut capability = vec![1.0; names.len()];
    // Per decision: line, issue, outcome, positions, saliences.
    type Row = (usize, String, f64, Vec<Option<f64>>, Vec<f64>);
    let mut rows: Vec<Row> = Vec::new();
    for r in reader.records() {
        let r = r.map_err(|e| {
            let line = e.position().map_or(1, |p| p.line() as usize);
            ReadError::at(line, format!("not CSV: {e}"))
        })?;
        let line = r.position().map_or(0, |p| p.line() as usize);
        let get = |i: usize| r.get(i).unwrap_or("");
        let field = |i: usize, what: &str| -> Result<Option<f64>, ReadError> {
            let v = number(get(i), line, what)?;
            if let Some(x) = v {
                if !(0.0..=100.0).contains(&x) && what != "capability" {
                    return Err(ReadError {
                        line,
                        column: i + 1,
                        message: format!(
                            "{what} {x} in column {}: it must be between 0 and 100",
                            header.get(i).unwrap_or("")
                        ),
                    });
                }
            }
            Ok(v)
        };
        if get(issue) == "capability" {
            for (a, &(p, s)) in cols.iter().enumerate() {
                let c = match field(p, "capability")? {
                    Some(c) => Some(c),
                    None => s.map(|s| field(s, "capability")).transpose()?.flatten(),
                };
                if let Some(c) = c {
                    capability[a] = c;
                }
            }
            continue;
        }
        if rows.len() >= MAX_DECISIONS {
            return Err(ReadError::at(
                line,
                format!("more than {MAX_DECISIONS} decisions"),
            ));
        }
        let known = field(outcome, "outcome")?.ok_or_else(|| {
            ReadError::at(
                line,
                "no outcome; every decision needs its known outcome (0 to 100)",
            )
        })?;
        let mut p = Vec::with_capacity(cols.len());
        let mut s = Vec::with_capacity(cols.len());
        for &(pc, sc) in &cols {
            let position = field(pc, "position")?;
            let salience = match sc {
                Some(sc) => field(sc, "salience")?,
                None => None,
            };
            // A position without a salience counts fully.
            s.push(salience.unwrap_or(if position.is_some() { 100.0 } else { 0.0 }));
            p.push(position);
        }
        rows.push((line, get(issue).to_string(), known, p, s));
    }
    let actors: Vec<Actor> = names
        .into_iter()
        .zip(&capability)
        .map(|(name, &capability)| Actor { name, capability })
        .collect();
    let mut problems = Vec::with_capacity(rows.len());
    for (line, id, known, p, s) in rows {
        let dimension = Dimension {
            id: id.clone(),
            options: Vec::new(),
            outcome: Some(known),
        };
        let problem = Problem::new(
            id,
            actors.clone(),
            vec![dimension],
            p.into_iter().map(|x| vec![x]).collect(),
            s.into_iter().map(|x| vec![x]).collect(),
        )
        .map_err(|e| ReadError::at(line, e.to_string()))?;
        problems.push(problem);
    }
    Ok(Decisions { problems })
}
