//! GENIUS XML → truce scenario.

use crate::xml::{self, Element};
use crate::{genius_error, slug, GeniusFile};
use std::collections::{HashMap, HashSet};
use truce_engine::limits::WEIGHT_SUM_TOLERANCE;
use truce_engine::model::*;
use truce_engine::parse::is_option_id;

/// GENIUS accepts weights this far off 1 (its files do it); truce scales
/// them to sum to 1.
const GENIUS_WEIGHT_TOLERANCE: f64 = 1e-3;
use truce_engine::{Diagnostic, ScenarioParts};

#[derive(Debug, Clone)]
/// How to import a domain.
pub struct ImportOptions {
    /// The scenario's name (e.g. the domain's folder name).
    pub name: String,
    /// A real issue's range is cut into this many equal steps.
    pub real_steps: u32,
}

/// Steps a real issue's range is cut into unless asked otherwise.
pub const DEFAULT_REAL_STEPS: u32 = 10;

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            name: crate::folder::UNNAMED.into(),
            real_steps: DEFAULT_REAL_STEPS,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
/// A scenario imported from GENIUS files, with notes on what was assumed or dropped.
pub struct Imported {
    /// The scenario.
    pub scenario: Scenario,
    /// What the user should know: discretisation steps, ignored agent
    /// metadata, defaults taken.
    pub notes: Vec<String>,
}

enum Kind {
    Discrete,
    Integer,
    Real,
}

struct DomainIssue {
    index: Option<String>,
    name: String,
    kind: Kind,
    /// Option values as written (discrete), or their numbers.
    values: Vec<f64>,
}

fn parse_file(f: &GeniusFile) -> Result<Element, Diagnostic> {
    xml::parse(&f.text).map_err(|e| {
        let mut d = genius_error(Some(&f.name), e.message).at(e.at..e.at + 1);
        d.kind = truce_engine::ErrorKind::Syntax;
        d.help("fix the XML; GENIUS files are well-formed XML documents")
    })
}

fn number<T: std::str::FromStr>(file: &str, el: &Element, attr: &str) -> Result<T, Diagnostic> {
    let raw = el.attr(attr).ok_or_else(|| {
        genius_error(
            Some(file),
            format!("<{}> has no `{attr}` attribute", el.name),
        )
        .at(el.span.clone())
    })?;
    raw.trim().parse().map_err(|_| {
        genius_error(
            Some(file),
            format!("`{attr}` of <{}> is not a number: \"{raw}\"", el.name),
        )
        .at(el.span.clone())
    })
}

fn kind_of(el: &Element) -> &str {
    el.attr("vtype")
        .or_else(|| el.attr("etype"))
        .or_else(|| el.attr("type"))
        .unwrap_or("discrete")
}

/// The issues' objective: the first <objective>, which must not nest others.
fn objective<'a>(file: &str, root: &'a Element) -> Result<&'a Element, Diagnostic> {
    let obj = root.find("objective").ok_or_else(|| {
        genius_error(Some(file), "no <objective> element")
            .at(root.span.clone())
            .help("a GENIUS domain lists its issues inside <objective>")
    })?;
    if let Some(inner) = obj.children_named("objective").next() {
        return Err(genius_error(
            Some(file),
            "nested <objective> elements (a hierarchical utility space) are not supported",
        )
        .at(inner.span.clone())
        .help("truce represents flat, linear additive domains"));
    }
    Ok(obj)
}

/// Refuses utility spaces that are not linear additive.
fn check_additive(file: &str, root: &Element) -> Result<(), Diagnostic> {
    if let Some(t) = root.attr("type") {
        if !matches!(t, "" | "linear" | "additive" | "LINEAR" | "ADDITIVE") {
            return Err(genius_error(
                Some(file),
                format!("a utility space of type \"{t}\" is not linear additive"),
            )
            .at(root.span.clone())
            .help("truce imports linear additive utility spaces only"));
        }
    }
    for c in &root.children {
        if !matches!(
            c.name.as_str(),
            "objective" | "reservation" | "discount_factor" | "agent" | "utility_space" | "weight"
        ) {
            return Err(genius_error(
                Some(file),
                format!(
                    "<{}> is not part of a linear additive utility space",
                    c.name
                ),
            )
            .at(c.span.clone())
            .help("truce imports linear additive utility spaces only"));
        }
    }
    Ok(())
}

fn domain_issues(
    f: &GeniusFile,
    root: &Element,
    options: &ImportOptions,
    notes: &mut Vec<String>,
) -> Result<Vec<DomainIssue>, Diagnostic> {
    let file = f.name.as_str();
    let space = root.find("utility_space").unwrap_or(root);
    check_additive(file, space)?;
    let obj = objective(file, root)?;
    let mut out = Vec::new();
    for el in obj.children_named("issue") {
        let name = el.attr("name").unwrap_or("").to_string();
        if name.is_empty() {
            return Err(genius_error(Some(file), "an <issue> has no name").at(el.span.clone()));
        }
        let (kind, values) = match kind_of(el) {
            "discrete" => (Kind::Discrete, Vec::new()),
            "integer" => {
                let lower: i64 = number(file, el, "lowerbound")?;
                let upper: i64 = number(file, el, "upperbound")?;
                if upper
                    .checked_sub(lower)
                    .is_none_or(|n| !(0..=10_000).contains(&n))
                {
                    return Err(genius_error(
                        Some(file),
                        format!("integer issue `{name}` has bounds {lower}..{upper}"),
                    )
                    .at(el.span.clone())
                    .help(
                        "the upper bound must be at least the lower, with at most 10,000 values",
                    ));
                }
                (Kind::Integer, (lower..=upper).map(|x| x as f64).collect())
            }
            "real" => {
                let lower: f64 = number(file, el, "lowerbound")?;
                let upper: f64 = number(file, el, "upperbound")?;
                if !(lower.is_finite() && upper.is_finite() && upper > lower) {
                    return Err(genius_error(
                        Some(file),
                        format!("real issue `{name}` has bounds {lower}..{upper}"),
                    )
                    .at(el.span.clone()));
                }
                let steps = options.real_steps;
                let step = (upper - lower) / steps as f64;
                notes.push(format!(
                    "real issue `{name}` ({lower} to {upper}) discretised into {} values, step {step}",
                    steps + 1
                ));
                (
                    Kind::Real,
                    (0..=steps).map(|k| lower + step * k as f64).collect(),
                )
            }
            other => {
                return Err(genius_error(
                    Some(file),
                    format!("issue `{name}` has type \"{other}\", which truce cannot represent"),
                )
                .at(el.span.clone())
                .help("supported issue types: discrete, integer, real"))
            }
        };
        out.push(DomainIssue {
            index: el.attr("index").map(str::to_string),
            name,
            kind,
            values,
        });
    }
    if out.is_empty() {
        return Err(genius_error(Some(file), "the domain has no issues").at(obj.span.clone()));
    }
    Ok(out)
}

/// `base`, or `base_2`, `base_3`, … : the first that is not taken yet
/// (two GENIUS names can make the same id, and a name can look like a
/// de-duplicated one).
fn unique_id(base: String, taken: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while taken.contains(&id) {
        n += 1;
        id = format!("{base}_{n}");
    }
    taken.insert(id.clone());
    id
}

fn number_label(x: f64) -> String {
    let s = format!("{x:.10}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// The domain's issues as truce issues.
fn issues(f: &GeniusFile, root: &Element, dom: &[DomainIssue]) -> Result<Vec<Issue>, Diagnostic> {
    let obj = objective(&f.name, root)?;
    let mut used: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for (d, el) in dom.iter().zip(obj.children_named("issue")) {
        let id = unique_id(slug(&d.name), &mut used);
        let question = el
            .attr("description")
            .filter(|x| !x.is_empty())
            .unwrap_or(&d.name)
            .to_string();
        let options: Vec<IssueOption> = match d.kind {
            Kind::Discrete => {
                let mut opts: Vec<IssueOption> = Vec::new();
                for item in el.children_named("item") {
                    let value = item.attr("value").unwrap_or("");
                    if !is_option_id(value) {
                        return Err(genius_error(
                            Some(&f.name),
                            format!(
                                "value \"{value}\" of issue `{}` cannot be an option id",
                                d.name
                            ),
                        )
                        .at(item.span.clone())
                        .help(
                            "option values must be non-empty, without quotes or surrounding spaces",
                        ));
                    }
                    if opts.iter().any(|o| o.id == value) {
                        return Err(genius_error(
                            Some(&f.name),
                            format!("value \"{value}\" appears twice in issue `{}`", d.name),
                        )
                        .at(item.span.clone()));
                    }
                    let label = item
                        .attr("description")
                        .filter(|x| !x.is_empty())
                        .unwrap_or(value);
                    opts.push(IssueOption {
                        id: value.to_string(),
                        label: label.to_string(),
                        basis: None,
                    });
                }
                if opts.is_empty() {
                    return Err(genius_error(
                        Some(&f.name),
                        format!("discrete issue `{}` has no <item> values", d.name),
                    )
                    .at(el.span.clone()));
                }
                opts
            }
            _ => d
                .values
                .iter()
                .map(|&x| IssueOption {
                    id: number_label(x),
                    label: number_label(x),
                    basis: None,
                })
                .collect(),
        };
        // An integer issue is a number with step 1; a real one stays a list
        // of its discretised values (their ids are GENIUS's own spelling).
        let numeric = match (&d.kind, d.values.first(), d.values.last()) {
            (Kind::Integer, Some(&min), Some(&max)) => Some(NumericScale {
                min,
                max,
                step: 1.0,
                unit: None,
            }),
            _ => None,
        };
        let options = match &numeric {
            Some(scale) => scale.options(options.len()),
            None => options,
        };
        out.push(Issue {
            id,
            question,
            ordered: !matches!(d.kind, Kind::Discrete),
            deferrable: false,
            options,
            basis: None,
            numeric,
        });
    }
    Ok(out)
}

fn profile(
    f: &GeniusFile,
    root: &Element,
    dom: &[DomainIssue],
    issues: &[Issue],
    notes: &mut Vec<String>,
) -> Result<Preferences, Diagnostic> {
    let file = f.name.as_str();
    check_additive(file, root)?;
    let obj = objective(file, root)?;
    let mut weights: HashMap<String, (f64, &Element)> = HashMap::new();
    for w in root
        .find("objective")
        .into_iter()
        .flat_map(|o| o.children_named("weight"))
    {
        let index = w.attr("index").unwrap_or("").to_string();
        weights.insert(index, (number(file, w, "value")?, w));
    }
    let mut prefs: Vec<Option<IssuePreference>> = vec![None; dom.len()];
    let mut ignored_similarity = false;
    for el in obj.children_named("issue") {
        let name = el.attr("name").unwrap_or("");
        let index = el.attr("index");
        let pos = dom
            .iter()
            .position(|d| index.is_some() && d.index.as_deref() == index && d.name == name)
            .or_else(|| dom.iter().position(|d| d.name == name))
            .ok_or_else(|| {
                genius_error(Some(file), format!("issue `{name}` is not in the domain"))
                    .at(el.span.clone())
                    .help("the profile must value the domain's issues, by the same index and name")
            })?;
        if prefs[pos].is_some() {
            return Err(
                genius_error(Some(file), format!("issue `{name}` is valued twice"))
                    .at(el.span.clone()),
            );
        }
        for c in &el.children {
            match c.name.as_str() {
                "item" | "evaluator" | "range" => {}
                "similarity_function" => ignored_similarity = true,
                other => {
                    return Err(genius_error(
                        Some(file),
                        format!(
                        "<{other}> in issue `{name}` is not part of a linear additive evaluation"
                    ),
                    )
                    .at(c.span.clone())
                    .help("truce imports discrete evaluations and linear evaluators"))
                }
            }
        }
        let key = dom[pos].index.clone().unwrap_or_default();
        let weight = match weights
            .get(&key)
            .or_else(|| index.and_then(|i| weights.get(i)))
        {
            Some((w, _)) => *w,
            None => {
                return Err(genius_error(
                    Some(file),
                    format!("no <weight> for issue `{name}` (index {key})"),
                )
                .at(el.span.clone()))
            }
        };
        if !(0.0..=1.0).contains(&weight) {
            return Err(genius_error(
                Some(file),
                format!("weight {weight} of issue `{name}` is outside [0, 1]"),
            )
            .at(el.span.clone()));
        }
        let issue = &issues[pos];
        let (values, linear): (Vec<f64>, Option<(f64, f64)>) = match dom[pos].kind {
            Kind::Discrete => {
                let mut evals: Vec<Option<f64>> = vec![None; issue.options.len()];
                for item in el.children_named("item") {
                    let value = item.attr("value").unwrap_or("");
                    let Some(o) = issue.option_index(value) else {
                        return Err(genius_error(
                            Some(file),
                            format!(
                                "value \"{value}\" is not a value of issue `{name}` in the domain"
                            ),
                        )
                        .at(item.span.clone()));
                    };
                    let e: f64 = number(file, item, "evaluation")?;
                    if !(e.is_finite() && e >= 0.0) {
                        return Err(genius_error(
                            Some(file),
                            format!("evaluation {e} is negative"),
                        )
                        .at(item.span.clone()));
                    }
                    evals[o] = Some(e);
                }
                if let Some(o) = evals.iter().position(|e| e.is_none()) {
                    return Err(genius_error(
                        Some(file),
                        format!(
                            "no evaluation for value \"{}\" of issue `{name}`",
                            issue.options[o].id
                        ),
                    )
                    .at(el.span.clone()));
                }
                let evals: Vec<f64> = evals.into_iter().flatten().collect();
                let max = evals.iter().copied().fold(0.0, f64::max);
                let values = evals
                    .iter()
                    .map(|e| if max > 0.0 { e / max } else { 0.0 })
                    .collect();
                (values, None)
            }
            Kind::Integer => {
                let ev = linear_evaluator(file, el, name)?;
                let offset: f64 = number(file, ev, "offset")?;
                let slope: f64 = number(file, ev, "slope")?;
                let values = (0..issue.options.len())
                    .map(|k| linear_value(k, offset, slope))
                    .collect();
                (values, Some((offset, slope)))
            }
            Kind::Real => {
                let ev = el.child("evaluator").ok_or_else(|| {
                    genius_error(
                        Some(file),
                        format!("real issue `{name}` has no <evaluator>"),
                    )
                    .at(el.span.clone())
                })?;
                let values = match ev.attr("ftype").unwrap_or("") {
                    "linear" => {
                        let p0: f64 = number(file, ev, "parameter0")?;
                        let p1: f64 = number(file, ev, "parameter1")?;
                        dom[pos]
                            .values
                            .iter()
                            .map(|x| (p1 * x + p0).clamp(0.0, 1.0))
                            .collect()
                    }
                    "constant" => {
                        let p0: f64 = number(file, ev, "parameter0")?;
                        vec![p0.clamp(0.0, 1.0); dom[pos].values.len()]
                    }
                    other => {
                        return Err(genius_error(
                            Some(file),
                            format!(
                                "evaluator type \"{other}\" of issue `{name}` is not supported"
                            ),
                        )
                        .at(ev.span.clone())
                        .help("truce imports linear and constant evaluators for real issues"))
                    }
                };
                (values, None)
            }
        };
        prefs[pos] = Some(IssuePreference {
            weight: Noted::bare(weight),
            values: values.into_iter().map(Noted::bare).collect(),
            ideal: None,
            linear,
            points: None,
        });
    }
    if ignored_similarity {
        notes.push(format!(
            "{file}: <similarity_function> elements ignored (agent metadata; not part of GENIUS's additive utility)"
        ));
    }
    let prefs: Vec<IssuePreference> = prefs
        .into_iter()
        .zip(issues)
        .map(|(p, issue)| {
            p.unwrap_or(IssuePreference {
                weight: Noted::bare(0.0),
                values: vec![Noted::bare(0.0); issue.options.len()],
                ideal: None,
                linear: None,
                points: None,
            })
        })
        .collect();
    let sum: f64 = prefs.iter().map(|p| p.weight.value).sum();
    if (sum - 1.0).abs() > GENIUS_WEIGHT_TOLERANCE {
        return Err(
            genius_error(Some(file), format!("the weights sum to {sum}, not 1"))
                .at(obj.span.clone())
                .help("truce needs a party's weights to sum to 1"),
        );
    }
    let mut prefs = prefs;
    if (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
        // GENIUS tolerates weights a little off 1; truce keeps utilities in
        // [0, 1], so the weights are scaled to sum to 1 and the user told.
        for p in &mut prefs {
            p.weight.value /= sum;
        }
        notes.push(format!(
            "{file}: the weights sum to {sum}; each was divided by that sum, so utilities differ from GENIUS's by at most {:.1e}",
            (sum - 1.0).abs()
        ));
    }
    let reservation_el = root.find("reservation");
    let reservation = match reservation_el {
        Some(r) => number::<f64>(file, r, "value")?,
        None => {
            notes.push(format!(
                "{file}: no reservation value; 0 assumed, as in GENIUS"
            ));
            0.0
        }
    };
    if !(0.0..=1.0).contains(&reservation) {
        let mut e = genius_error(
            Some(file),
            format!("reservation value {reservation} is outside [0, 1]"),
        )
        .help("GENIUS reservation values are utilities, from 0 to 1");
        if let Some(r) = reservation_el {
            e = e.at(r.span.clone());
        }
        return Err(e);
    }
    let discount = match root.find("discount_factor") {
        Some(d) => {
            let value = number::<f64>(file, d, "value")?;
            // GENIUS discounts by d^t: 1 is no discount, 0 or less is none.
            if !(value.is_finite() && value > 0.0 && value <= 1.0) {
                return Err(genius_error(
                    Some(file),
                    format!("discount factor {value} is not in (0, 1]"),
                )
                .at(d.span.clone())
                .help("GENIUS discount factors are above 0 and at most 1 (1: no discount)"));
            }
            Some(Noted::bare(value))
        }
        None => None,
    };
    Ok(Preferences {
        reservation: Noted::bare(reservation),
        basis: None,
        discount,
        issues: prefs,
    })
}

fn linear_evaluator<'a>(
    file: &str,
    el: &'a Element,
    name: &str,
) -> Result<&'a Element, Diagnostic> {
    let ev = el.child("evaluator").ok_or_else(|| {
        genius_error(
            Some(file),
            format!("integer issue `{name}` has no <evaluator>"),
        )
        .at(el.span.clone())
    })?;
    match ev.attr("ftype") {
        Some("linear") => Ok(ev),
        other => Err(genius_error(
            Some(file),
            format!(
                "evaluator type \"{}\" of issue `{name}` is not supported",
                other.unwrap_or("")
            ),
        )
        .at(ev.span.clone())
        .help("truce imports linear evaluators for integer issues")),
    }
}

fn stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.strip_suffix(".xml").unwrap_or(base)
}

/// Reads a GENIUS domain (one `negotiation_template` file) and its profiles
/// (one `utility_space` file with weights per party).
pub fn import(files: &[GeniusFile], options: &ImportOptions) -> Result<Imported, Diagnostic> {
    import_files(files, options).map_err(|d| {
        // Line and column in the file the problem is in.
        match files.iter().find(|f| Some(&f.name) == d.file.as_ref()) {
            Some(f) => d.locate(&f.text),
            None => d,
        }
    })
}

fn import_files(files: &[GeniusFile], options: &ImportOptions) -> Result<Imported, Diagnostic> {
    if !(1..=crate::MAX_REAL_STEPS).contains(&options.real_steps) {
        return Err(genius_error(
            None,
            format!(
                "{} steps for a real issue; give 1 to {}",
                options.real_steps,
                crate::MAX_REAL_STEPS
            ),
        )
        .in_field("real_steps"));
    }
    let mut parsed = Vec::new();
    for f in files {
        parsed.push((f, parse_file(f)?));
    }
    let has_weights = |e: &Element| e.find("weight").is_some();
    let domains: Vec<usize> = (0..parsed.len())
        .filter(|&i| parsed[i].1.name == "negotiation_template")
        .collect();
    let domains = if domains.is_empty() {
        (0..parsed.len())
            .filter(|&i| parsed[i].1.name == "utility_space" && !has_weights(&parsed[i].1))
            .collect()
    } else {
        domains
    };
    let names = || {
        files
            .iter()
            .map(|f| f.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let &[d] = domains.as_slice() else {
        return Err(genius_error(
            None,
            format!(
                "expected one domain file (root <negotiation_template>), found {} among: {}",
                domains.len(),
                names()
            ),
        )
        .help("pass one domain file and its profiles, or the folder that holds them"));
    };
    let mut notes = Vec::new();
    let (dfile, droot) = (&parsed[d].0, &parsed[d].1);
    let dom = domain_issues(dfile, droot, options, &mut notes)?;
    let issues = issues(dfile, droot, &dom)?;

    let mut parties = Vec::new();
    let mut preferences = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    for (i, (f, root)) in parsed.iter().enumerate() {
        if i == d || root.name != "utility_space" || !has_weights(root) {
            continue;
        }
        let prefs = profile(f, root, &dom, &issues, &mut notes)?;
        let name = stem(&f.name).to_string();
        let id = unique_id(slug(&name), &mut used);
        parties.push(Party {
            id,
            name,
            role: Role::Party,
            veto: true,
            consent: Vec::new(),
            people: Vec::new(),
            capability: None,
        });
        preferences.push(Some(prefs));
    }
    if parties.is_empty() {
        return Err(genius_error(
            None,
            format!(
                "no profile (root <utility_space> with <weight>s) among: {}",
                names()
            ),
        )
        .help("pass the profiles too, or the folder that holds them"));
    }
    let parts = ScenarioParts {
        id: Some(slug(&options.name)),
        name: options.name.clone(),
        description: Some(format!(
            "Imported from GENIUS: domain {}, profiles {}.",
            dfile.name,
            parsed
                .iter()
                .enumerate()
                .filter(|(i, (_, r))| *i != d && r.name == "utility_space" && has_weights(r))
                .map(|(_, (f, _))| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        sources: Vec::new(),
        parties,
        issues,
        preferences,
        red_lines: Vec::new(),
        linkages: Vec::new(),
        plans: Vec::new(),
        deadlines: Vec::new(),
        simulation: Default::default(),
    };
    // The same gate as every scenario: limits (parties, options), numbers.
    let scenario = Scenario::new(parts).map_err(|e| {
        let count = e.diagnostics.len();
        let first = e.diagnostics.into_iter().next();
        let message = match &first {
            Some(d) => d.to_string(),
            None => "invalid scenario".to_string(),
        };
        let more = if count > 1 {
            format!(" (and {} more problems)", count - 1)
        } else {
            String::new()
        };
        genius_error(
            None,
            format!("the domain cannot be a truce scenario: {message}{more}"),
        )
    })?;
    Ok(Imported { scenario, notes })
}
