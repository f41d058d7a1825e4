//! A scenario split in two: the public part everyone in the room sees
//! (parties, issues, options, plans, deadlines) and each party's
//! confidential part (its preferences, red lines and linkages), entered by
//! the party itself and combined only on the server.

use truce_engine::model::{Linkage, Preferences, RedLine, ScenarioParts};
use truce_engine::{Diagnostic, ErrorKind, Scenario};

/// The largest confidential part a party may enter (a real one is a few
/// kilobytes).
pub const MAX_POSITIONS_BYTES: usize = 256 * 1024;

/// What everyone in the room may see: the scenario without any party's
/// preferences, red lines, linkages or simulation settings.
pub fn public_part(s: &ScenarioParts) -> ScenarioParts {
    let mut p = s.clone();
    p.preferences = vec![None; p.parties.len()];
    p.red_lines.clear();
    p.linkages.clear();
    p.simulation = Default::default();
    p
}

/// How a party writes its positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PositionsFormat {
    /// A TOML fragment: the scenario format's `[[preferences]]`,
    /// `[[red_lines]]` and `[[linkages]]` blocks for this party.
    Toml,
    /// The same as a JSON object with keys `preferences`, `red_lines`,
    /// `linkages`.
    Json,
}

/// One party's confidential part.
#[derive(Debug, Clone, PartialEq)]
pub struct Positions {
    /// Its preferences.
    pub preferences: Preferences,
    /// Its red lines.
    pub red_lines: Vec<RedLine>,
    /// Its linkages.
    pub linkages: Vec<Linkage>,
}

fn invalid(message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(ErrorKind::Invalid, message)
}

/// Reads and checks `party`'s positions against the room's public part:
/// the same checks, messages and field paths as `truce check`, placed in
/// the fragment for TOML (by field path only for JSON). A party may enter
/// only its own positions, and must give its preferences.
pub fn read_positions(
    public: &ScenarioParts,
    party: &str,
    text: &str,
    format: PositionsFormat,
) -> Result<Positions, Vec<Diagnostic>> {
    if text.len() > MAX_POSITIONS_BYTES {
        return Err(vec![invalid(format!(
            "positions of {} bytes; at most {MAX_POSITIONS_BYTES} are accepted",
            text.len()
        ))]);
    }
    let Some(own) = public.party_index(party) else {
        return Err(vec![invalid(format!("no party `{party}` in the room"))]);
    };
    let fragment = match format {
        PositionsFormat::Toml => text.to_string(),
        PositionsFormat::Json => json_to_toml(text)?,
    };
    // On its own first: its syntax errors and stray keys are placed in the
    // fragment (appended to the scenario, a bare key would join the last
    // table there).
    if format == PositionsFormat::Toml {
        let table: toml::Table = toml::from_str(&fragment).map_err(|e| {
            let d = Diagnostic::new(ErrorKind::Syntax, e.message().to_string());
            vec![match e.span() {
                Some(span) => d.at(span).locate(&fragment),
                None => d,
            }]
        })?;
        let stray: Vec<Diagnostic> = table
            .keys()
            .filter(|k| !["preferences", "red_lines", "linkages"].contains(&k.as_str()))
            .map(|k| {
                let d = invalid(format!(
                    "`{k}` is not part of a party's positions: give [[preferences]], [[red_lines]] and [[linkages]] blocks"
                ))
                .in_field(k.clone());
                match fragment.find(k.as_str()) {
                    Some(at) => d.at(at..at + k.len()).locate(&fragment),
                    None => d,
                }
            })
            .collect();
        if !stray.is_empty() {
            return Err(stray);
        }
    }
    // Checked as part of a whole scenario, so every rule of the format
    // applies; other parties have no positions here, and vetoes are set
    // aside so that only this party's part can fail (its missing
    // preferences are reported below, in its own terms).
    let mut frame = public_part(public);
    for p in frame.parties.iter_mut() {
        p.veto = false;
    }
    let head = truce_engine::write::to_toml(&frame).map_err(|e| {
        vec![invalid(format!(
            "the room's scenario cannot be written: {e}"
        ))]
    })?;
    let offset = head.len() + 1;
    let whole = format!("{head}\n{fragment}");
    let placed = |d: Diagnostic| -> Diagnostic {
        let mut d = d;
        d.line = None;
        d.column = None;
        match d.span.take() {
            Some(s) if s.start >= offset && format == PositionsFormat::Toml => d
                .at(s.start - offset..s.end.saturating_sub(offset))
                .locate(&fragment),
            _ => d,
        }
    };
    let scenario = truce_engine::parse_scenario(&whole)
        .map_err(|e| e.diagnostics.into_iter().map(placed).collect::<Vec<_>>())?;
    let parts = scenario.into_parts();
    let mut problems = Vec::new();
    for (i, prefs) in parts.preferences.iter().enumerate() {
        if i != own && prefs.is_some() {
            problems.push(
                invalid(format!(
                    "these are `{party}`'s positions: preferences for `{}` cannot be entered here",
                    parts.parties[i].id
                ))
                .in_field("preferences"),
            );
        }
    }
    for (kind, owners) in [
        (
            "red_lines",
            parts.red_lines.iter().map(|r| r.party).collect::<Vec<_>>(),
        ),
        (
            "linkages",
            parts.linkages.iter().map(|l| l.party).collect::<Vec<_>>(),
        ),
    ] {
        for (i, p) in owners.into_iter().enumerate() {
            if p != own {
                problems.push(
                    invalid(format!(
                        "these are `{party}`'s positions: a red line or linkage of `{}` cannot be entered here",
                        parts.parties[p].id
                    ))
                    .in_field(format!("{kind}[{i}].party")),
                );
            }
        }
    }
    let preferences = parts.preferences.get(own).cloned().flatten();
    if preferences.is_none() {
        problems.push(
            invalid(format!(
                "no [[preferences]] block for `{party}`: give its weights, values and reservation"
            ))
            .in_field("preferences"),
        );
    }
    match preferences {
        Some(preferences) if problems.is_empty() => Ok(Positions {
            preferences,
            red_lines: parts.red_lines,
            linkages: parts.linkages,
        }),
        _ => Err(problems),
    }
}

/// A JSON object of positions as the equivalent TOML text.
fn json_to_toml(text: &str) -> Result<String, Vec<Diagnostic>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        vec![Diagnostic::new(ErrorKind::Syntax, format!("not JSON: {e}"))
            .help("send an object with `preferences`, `red_lines` and `linkages`")]
    })?;
    let mut value = value;
    // One preferences object may stand for the list of one.
    if let Some(p) = value.get_mut("preferences") {
        if p.is_object() {
            *p = serde_json::Value::Array(vec![p.take()]);
        }
    }
    let table: toml::Table = serde_json::from_value(value).map_err(|e| {
        vec![invalid(format!(
            "positions must be a JSON object of tables: {e}"
        ))]
    })?;
    toml::to_string(&table).map_err(|e| {
        vec![invalid(format!(
            "positions cannot be read as the scenario format: {e}"
        ))]
    })
}

/// Where a combined scenario's positions came from, per party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PositionsSource {
    /// The party's own entry.
    Entered,
    /// The mediator's estimate: the party has entered none.
    MediatorEstimate,
    /// Neither: the party is left out of the analysis' preferences.
    Missing,
}

/// The scenario the room's positions make: the public part with each
/// party's entered positions, or else the estimate given for it.
pub fn combine(
    public: &ScenarioParts,
    entered: &[Option<Positions>],
    estimates: &[Option<Positions>],
) -> Result<(Scenario, Vec<PositionsSource>), truce_engine::ScenarioError> {
    let mut parts = public_part(public);
    let mut sources = Vec::with_capacity(parts.parties.len());
    for i in 0..parts.parties.len() {
        let chosen = match (
            entered.get(i).cloned().flatten(),
            estimates.get(i).cloned().flatten(),
        ) {
            (Some(p), _) => Some((p, PositionsSource::Entered)),
            (None, Some(p)) => Some((p, PositionsSource::MediatorEstimate)),
            (None, None) => None,
        };
        match chosen {
            Some((p, source)) => {
                parts.preferences[i] = Some(p.preferences);
                parts.red_lines.extend(p.red_lines);
                parts.linkages.extend(p.linkages);
                sources.push(source);
            }
            None => {
                // Without preferences a party cannot hold a veto the
                // analysis could weigh.
                parts.parties[i].veto = false;
                sources.push(PositionsSource::Missing);
            }
        }
    }
    Scenario::new(parts).map(|s| (s, sources))
}

/// A party's own blocks of a scenario file (its `[[preferences]]`,
/// `[[red_lines]]` and `[[linkages]]`, as written), which it enters in a
/// room as its positions. Text in, text out: comments and layout are kept.
pub fn blocks_of(scenario_text: &str, party: &str) -> String {
    let mut blocks: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in scenario_text.lines() {
        let t = line.trim_start();
        let starts = ["[[preferences]]", "[[red_lines]]", "[[linkages]]"]
            .iter()
            .any(|h| t.starts_with(h));
        // Any other table header, or a section rule, ends a block.
        let ends = (t.starts_with('[') && !t.starts_with("[[preferences.issues]]"))
            || t.starts_with("# ---");
        if starts || ends {
            blocks.extend(current.take());
        }
        if starts {
            current = Some(String::new());
        }
        if let Some(c) = current.as_mut() {
            c.push_str(line);
            c.push('\n');
        }
    }
    blocks.extend(current);
    let owner = format!("party = \"{party}\"");
    blocks
        .into_iter()
        .filter(|b| b.lines().any(|l| l.trim() == owner))
        .collect::<Vec<_>>()
        .join("\n")
}
