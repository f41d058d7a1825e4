//! From scenario text to a validated [`Scenario`], or every problem found,
//! each with the byte span it concerns.

use crate::diag::{closest, line_column, Diagnostic, ErrorKind, ScenarioError};
use crate::expr::{self, Constraint};
use crate::format::*;
use crate::model::*;
use serde_spanned::Spanned;
use std::collections::HashMap;
use std::ops::Range;

use crate::limits::MAX_CAPABILITY;
pub use crate::limits::WEIGHT_SUM_TOLERANCE;

/// Parses and validates a scenario from TOML text.
pub fn parse_scenario(text: &str) -> Result<Scenario, ScenarioError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| ScenarioError {
        diagnostics: vec![syntax_diagnostic(&e).locate(text)],
    })?;
    let mut v = Validator {
        text,
        diags: Vec::new(),
        whole: true,
    };
    let places = places(&raw);
    let parts = v.scenario(raw);
    if v.diags.is_empty() {
        // The one gate every scenario passes; its problems name fields,
        // placed here in the file.
        Scenario::new(parts).map_err(|e| ScenarioError {
            diagnostics: e
                .diagnostics
                .into_iter()
                .map(|mut d| {
                    if let Some(span) = d.path.as_deref().and_then(|p| place_of(&places, p)) {
                        d.span = Some(span);
                    }
                    d.locate(text)
                })
                .collect(),
        })
    } else {
        v.diags
            .sort_by_key(|d| d.span.as_ref().map_or(usize::MAX, |s| s.start));
        Err(ScenarioError {
            diagnostics: v.diags.into_iter().map(|d| d.locate(text)).collect(),
        })
    }
}

/// Reads a scenario's parts without the gate of [`Scenario::new`]: every
/// syntax, id and reference check of the file, but not the rules a whole
/// scenario must meet (a veto needs preferences, weights sum to 1). For
/// parts that are not a whole scenario, such as a negotiation room's
/// public part (no party's preferences); whatever is built from them
/// becomes a `Scenario` only through the gate.
pub fn parse_scenario_parts(text: &str) -> Result<ScenarioParts, ScenarioError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| ScenarioError {
        diagnostics: vec![syntax_diagnostic(&e).locate(text)],
    })?;
    let mut v = Validator {
        text,
        diags: Vec::new(),
        whole: false,
    };
    let parts = v.scenario(raw);
    if v.diags.is_empty() {
        Ok(parts)
    } else {
        Err(ScenarioError {
            diagnostics: v.diags.into_iter().map(|d| d.locate(text)).collect(),
        })
    }
}

/// Where each item of the file is, by the field path validation names it
/// with (`parties[2]`, `preferences[1].issues[0].weight`).
fn places(raw: &RawFile) -> HashMap<String, Range<usize>> {
    let mut at = HashMap::new();
    let mut party_index = HashMap::new();
    for (i, p) in raw.parties.iter().enumerate() {
        at.insert(format!("parties[{i}]"), p.id.span());
        party_index.entry(p.id.get_ref().clone()).or_insert(i);
    }
    let mut issue_index = HashMap::new();
    for (i, issue) in raw.issues.iter().enumerate() {
        at.insert(format!("issues[{i}]"), issue.id.span());
        at.insert(format!("issues[{i}].options"), issue.options.span());
        for (o, option) in issue.options.get_ref().iter().enumerate() {
            at.insert(format!("issues[{i}].options[{o}]"), option.id.span());
        }
        issue_index.entry(issue.id.get_ref().clone()).or_insert(i);
    }
    for rp in &raw.preferences {
        let Some(p) = party_index.get(rp.party.get_ref()) else {
            continue;
        };
        let base = format!("preferences[{p}]");
        at.insert(base.clone(), rp.party.span());
        at.insert(format!("{base}.reservation"), rp.reservation.span());
        if let Some(d) = &rp.discount {
            at.insert(format!("{base}.discount"), d.span());
        }
        at.insert(format!("{base}.issues"), rp.issues.span());
        for ip in rp.issues.get_ref() {
            let Some(i) = issue_index.get(ip.issue.get_ref()) else {
                continue;
            };
            at.insert(format!("{base}.issues[{i}]"), ip.issue.span());
            at.insert(format!("{base}.issues[{i}].weight"), ip.weight.span());
        }
    }
    let items: [(&str, Vec<Range<usize>>); 4] = [
        (
            "red_lines",
            raw.red_lines.iter().map(|r| r.id.span()).collect(),
        ),
        (
            "linkages",
            raw.linkages.iter().map(|r| r.id.span()).collect(),
        ),
        ("plans", raw.plans.iter().map(|r| r.id.span()).collect()),
        (
            "deadlines",
            raw.deadlines.iter().map(|r| r.id.span()).collect(),
        ),
    ];
    for (name, spans) in items {
        for (k, span) in spans.into_iter().enumerate() {
            at.insert(format!("{name}[{k}]"), span);
        }
    }
    for (k, r) in raw.red_lines.iter().enumerate() {
        at.insert(format!("red_lines[{k}].rule"), r.rule.span());
    }
    for (k, st) in raw.strategies.iter().enumerate() {
        at.insert(format!("strategies[{k}]"), st.party.span());
    }
    if let Some(sim) = &raw.simulation {
        if let Some(r) = &sim.rounds {
            at.insert("simulation.rounds".into(), r.span());
        }
        if let Some(r) = &sim.runs {
            at.insert("simulation.runs".into(), r.span());
        }
        for (k, v) in sim.vary.iter().enumerate() {
            at.insert(format!("simulation.vary[{k}]"), v.span());
        }
    }
    at
}

/// The place of `path`, or of the nearest item that holds it.
fn place_of(places: &HashMap<String, Range<usize>>, path: &str) -> Option<Range<usize>> {
    let mut path = path;
    loop {
        if let Some(span) = places.get(path) {
            return Some(span.clone());
        }
        path = &path[..path.rfind(['.', '['])?];
    }
}

fn syntax_diagnostic(e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().to_string();
    let mut d = Diagnostic::new(ErrorKind::Syntax, message.clone());
    if let Some(span) = e.span() {
        d = d.at(span);
    }
    if message.contains("unknown field") {
        d = d.help("check the spelling against docs/scenario-format.md");
    } else if message.contains("datetime") {
        d = d.help("write dates as quoted strings: date = \"2025-04-18\"");
    } else if message.contains("expected `.`, `=`") {
        d = d.help("a key with characters other than letters, digits, `_` and `-` must be quoted: \"600,000\" = 0.5");
    } else if message.contains("missing field") {
        d = d.help("add the field; docs/scenario-format.md lists what each table needs");
    }
    d
}

struct Validator<'t> {
    text: &'t str,
    diags: Vec<Diagnostic>,
    /// Whether the text must be a whole scenario (false for parts, such
    /// as a room's public part, that hold no preferences).
    whole: bool,
}

impl Validator<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Where the key of a table entry is written, found before its value
    /// (the TOML reader gives no span for keys of tables with headers);
    /// the value's place when the key cannot be found near it.
    fn key_span(&self, key: &str, value: Range<usize>) -> Range<usize> {
        let end = value.start.min(self.text.len());
        let start = end.saturating_sub(key.len() + 256);
        let start = (start..=end)
            .find(|&i| self.text.is_char_boundary(i))
            .unwrap_or(end);
        match self.text[start..end].rfind(key) {
            Some(at) if !key.is_empty() => start + at..start + at + key.len(),
            _ => value,
        }
    }

    fn line_of(&self, span: &Range<usize>) -> usize {
        line_column(self.text, span.start).0
    }

    /// Checks id syntax and uniqueness; returns the map id -> index.
    fn ids<'a>(
        &mut self,
        what: &str,
        ids: impl Iterator<Item = &'a Spanned<String>>,
    ) -> HashMap<String, usize> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut first_span: HashMap<String, Range<usize>> = HashMap::new();
        for (i, id) in ids.enumerate() {
            let name = id.get_ref();
            // Options may be any quotable text ("$4.37", "60 days"): rules
            // quote them. Everything else is named bare in rules.
            let is_option = what.starts_with("option");
            let valid = if is_option {
                is_option_id(name)
            } else {
                is_identifier(name)
            };
            if !valid {
                self.push(
                    Diagnostic::new(
                        ErrorKind::Invalid,
                        format!("`{name}` is not a valid {what} id"),
                    )
                    .at(id.span())
                    .label("not an id")
                    .help(if is_option {
                        "option ids are non-empty, without control characters, surrounding spaces, or both kinds of quote"
                    } else {
                        "ids use letters, digits, `_` and `-`, and start with a letter or `_`"
                    }),
                );
            }
            if let Some(first) = first_span.get(name) {
                let line = self.line_of(first);
                self.push(
                    Diagnostic::new(
                        ErrorKind::DuplicateId,
                        format!("duplicate {what} id `{name}`"),
                    )
                    .at(id.span())
                    .label("used again here")
                    .help(format!(
                        "the first {what} `{name}` is on line {line}; give each {what} its own id"
                    )),
                );
            } else {
                seen.insert(name.clone(), i);
                first_span.insert(name.clone(), id.span());
            }
        }
        seen
    }

    fn lookup(
        &mut self,
        what: &str,
        map: &HashMap<String, usize>,
        name: &Spanned<String>,
    ) -> Option<usize> {
        if let Some(&i) = map.get(name.get_ref()) {
            return Some(i);
        }
        let mut known: Vec<&str> = map.keys().map(|s| s.as_str()).collect();
        known.sort_unstable_by_key(|k| map[*k]);
        let help = match closest(name.get_ref(), known.iter().copied()) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("known {what} ids: {}", known.join(", ")),
        };
        self.push(
            Diagnostic::new(
                ErrorKind::UnknownId,
                format!("unknown {what} `{}`", name.get_ref()),
            )
            .at(name.span())
            .label(format!("no {what} has this id"))
            .help(help),
        );
        None
    }

    fn unit(&mut self, what: &str, n: &Spanned<Number>) -> Noted<f64> {
        self.ranged(what, n, 0.0, 1.0)
    }

    fn ranged(&mut self, what: &str, n: &Spanned<Number>, lo: f64, hi: f64) -> Noted<f64> {
        let v = n.get_ref().value;
        if !(lo..=hi).contains(&v) {
            self.push(
                Diagnostic::new(
                    ErrorKind::OutOfRange,
                    format!("{what} {v} is outside [{lo}, {hi}]"),
                )
                .at(n.span())
                .label("out of range")
                .help(format!("give a number from {lo} to {hi}")),
            );
        }
        let mut noted = Noted::new(v.clamp(lo, hi), n.get_ref().basis.clone());
        noted.spread = self.spread(what, n, lo, hi);
        noted
    }

    /// The uncertainty a number declares (`range`, `sd`, `dist`), checked
    /// against its value and the field's bounds [lo, hi].
    fn spread(&mut self, what: &str, n: &Spanned<Number>, lo: f64, hi: f64) -> Option<Spread> {
        let num = n.get_ref();
        let v = num.value;
        let mut bad = |message: String, help: &str| {
            self.push(
                Diagnostic::new(ErrorKind::Invalid, message)
                    .at(n.span())
                    .label("uncertainty")
                    .help(help.to_string()),
            );
            None
        };
        let (rlo, rhi) = match num.range {
            Some([a, b]) => {
                if !(lo <= a && a <= v && v <= b && b <= hi) {
                    return bad(
                        format!("the range [{a}, {b}] of {what} {v} must hold the value and lie within [{lo}, {hi}]"),
                        "write range = [low, high] with low <= value <= high",
                    );
                }
                (a, b)
            }
            None => (lo, hi),
        };
        match (num.dist.as_deref(), num.sd, num.range) {
            (None, None, None) => None,
            (None | Some("uniform"), None, Some(_)) => Some(Spread::Uniform { lo: rlo, hi: rhi }),
            (Some("triangular"), None, Some(_)) => Some(Spread::Triangular { lo: rlo, hi: rhi }),
            (None | Some("normal"), Some(sd), _) if sd >= 0.0 && sd.is_finite() => {
                Some(Spread::Normal { sd, lo: rlo, hi: rhi })
            }
            (_, Some(sd), _) if !(sd >= 0.0 && sd.is_finite()) => bad(
                format!("sd {sd} of {what} must be a number >= 0"),
                "give the standard deviation, e.g. sd = 0.05",
            ),
            (Some(d), _, _) if !["uniform", "triangular", "normal"].contains(&d) => bad(
                format!("unknown distribution `{d}` for {what}"),
                "use dist = \"uniform\" or \"triangular\" with a range, or sd = <number> for a normal",
            ),
            (Some("normal"), None, _) => bad(
                format!("a normal {what} needs sd"),
                "add sd = <standard deviation>",
            ),
            _ => bad(
                format!("{what}: `{}` needs a range and no sd", num.dist.as_deref().unwrap_or("")),
                "write range = [low, high], or sd = <number> alone for a normal",
            ),
        }
    }

    fn date(&mut self, d: &Spanned<DateText>) -> Option<crate::date::Date> {
        let text = &d.get_ref().0;
        let date = text.parse().ok();
        if date.is_none() {
            self.push(
                Diagnostic::new(ErrorKind::Invalid, format!("`{text}` is not a date"))
                    .at(d.span())
                    .label("expected YYYY-MM-DD")
                    .help("write dates as \"2025-04-18\""),
            );
        }
        date
    }

    /// Maps a span inside a rule string to the file: exact when the string
    /// is written without escapes, else the whole string.
    fn rule_span(&self, rule: &Spanned<String>, inner: Range<usize>) -> Range<usize> {
        let span = rule.span();
        let raw = self.text.get(span.clone()).unwrap_or("");
        let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            return span;
        } else if raw.starts_with('"') || raw.starts_with('\'') {
            1
        } else {
            return span;
        };
        let body = span.start + quote;
        let value = rule.get_ref();
        if self.text.get(body..body + value.len()) == Some(value.as_str()) {
            let end = (body + inner.end).max(body + inner.start);
            // An empty span at the end of the rule still gets a caret.
            if inner.start == inner.end {
                return body + inner.start..(body + inner.start + 1).min(span.end);
            }
            body + inner.start..end
        } else {
            span
        }
    }

    fn rule(&mut self, rule: &Spanned<String>, issues: &[Issue]) -> Option<Constraint> {
        match expr::compile(rule.get_ref(), issues) {
            Ok(c) => Some(c),
            Err(mut d) => {
                let inner = d.span.take().unwrap_or(0..0);
                d.span = Some(self.rule_span(rule, inner));
                self.push(d.label("here"));
                None
            }
        }
    }

    fn scenario(&mut self, raw: RawFile) -> ScenarioParts {
        let sources = self.sources(&raw.sources);
        let party_ids = self.ids("party", raw.parties.iter().map(|p| &p.id));
        let mut parties = self.parties(&raw.parties);
        let issue_ids = self.ids("issue", raw.issues.iter().map(|i| &i.id));
        let issues = self.issues(&raw.issues);
        // An issue-limited veto names issues, known only now.
        for (party, rp) in parties.iter_mut().zip(&raw.parties) {
            let Some(veto) = &rp.veto else { continue };
            if let RawVeto::Issues(ids) = veto.get_ref() {
                if ids.is_empty() {
                    self.push(
                        Diagnostic::new(ErrorKind::OutOfRange, "an issue-limited veto names no issue")
                            .at(veto.span())
                            .label("no issues")
                            .help("name the issues the party must consent on, e.g. veto = [\"frozen_assets\"], or write veto = false"),
                    );
                }
                for id in ids {
                    let id = Spanned::new(veto.span(), id.clone());
                    if let Some(i) = self.lookup("issue", &issue_ids, &id) {
                        if !party.consent.contains(&i) {
                            party.consent.push(i);
                        }
                    }
                }
            }
        }
        let preferences = self.preferences(&raw, &parties, &party_ids, &issues, &issue_ids);

        self.ids("red line", raw.red_lines.iter().map(|r| &r.id));
        let mut red_lines = Vec::new();
        for r in &raw.red_lines {
            let party = self.lookup("party", &party_ids, &r.party);
            let constraint = self.rule(&r.rule, &issues);
            if let (Some(party), Some(constraint)) = (party, constraint) {
                red_lines.push(RedLine {
                    id: r.id.get_ref().clone(),
                    party,
                    label: r.label.clone(),
                    rule: r.rule.get_ref().clone(),
                    constraint,
                    basis: r.basis.clone(),
                    derived: false,
                });
            }
        }

        self.ids("linkage", raw.linkages.iter().map(|r| &r.id));
        let mut linkages = Vec::new();
        for l in &raw.linkages {
            let party = self.lookup("party", &party_ids, &l.party);
            let when = self.rule(&l.when, &issues);
            let utility = self.ranged("linkage utility", &l.utility, -1.0, 1.0);
            if let Some(p) = party {
                if preferences.get(p).is_some_and(|x| x.is_none()) {
                    self.push(
                        Diagnostic::new(
                            ErrorKind::Missing,
                            format!("linkage `{}` changes the utility of `{}`, which has no preferences", l.id.get_ref(), l.party.get_ref()),
                        )
                        .at(l.party.span())
                        .help("add a [[preferences]] table for this party"),
                    );
                }
            }
            if let (Some(party), Some(when)) = (party, when) {
                linkages.push(Linkage {
                    id: l.id.get_ref().clone(),
                    party,
                    label: l.label.clone(),
                    rule: l.when.get_ref().clone(),
                    when,
                    utility,
                });
            }
        }

        let plans = self.plans(&raw.plans, &party_ids, &issues, &issue_ids);
        let deadlines = self.deadlines(&raw.deadlines, &party_ids);

        if issues.is_empty() {
            self.push(
                Diagnostic::new(ErrorKind::Missing, "the scenario has no issues")
                    .help("add at least one [[issues]] table"),
            );
        }

        let mut scenario = ScenarioParts {
            id: raw.scenario.id.clone(),
            name: raw.scenario.name.clone(),
            description: raw.scenario.description.clone(),
            sources,
            parties,
            issues,
            preferences,
            red_lines,
            linkages,
            plans,
            deadlines,
            simulation: Default::default(),
        };
        scenario.simulation = self.simulation(&raw, &scenario, &party_ids, &issue_ids);
        scenario
    }

    fn count(&mut self, what: &str, n: &Spanned<i64>, min: i64) -> Option<i64> {
        let v = *n.get_ref();
        if v < min {
            self.push(
                Diagnostic::new(ErrorKind::OutOfRange, format!("{what} {v} is below {min}"))
                    .at(n.span())
                    .help(format!("give a whole number of at least {min}")),
            );
            return None;
        }
        Some(v)
    }

    /// A whole number checked by the same rule as on the command line.
    fn bounded(
        &mut self,
        n: &Spanned<i64>,
        what: &str,
        check: impl Fn(u64) -> Result<crate::simulation::Setting, String>,
    ) -> Option<()> {
        let v = *n.get_ref();
        let result = u64::try_from(v)
            .map_err(|_| format!("{v} is not a number of {what}"))
            .and_then(&check);
        match result {
            Ok(_) => Some(()),
            Err(message) => {
                self.push(
                    Diagnostic::new(ErrorKind::OutOfRange, format!("{what}: {message}"))
                        .at(n.span())
                        .help(format!(
                            "give a whole number of {what} within the bounds in docs/simulation.md"
                        )),
                );
                None
            }
        }
    }

    fn simulation(
        &mut self,
        raw: &RawFile,
        scenario: &ScenarioParts,
        party_ids: &HashMap<String, usize>,
        issue_ids: &HashMap<String, usize>,
    ) -> crate::simulation::Simulation {
        use crate::simulation::*;
        let mut out = Simulation::default();
        if let Some(rs) = &raw.simulation {
            if let Some(p) = &rs.protocol {
                out.protocol = Protocol::parse(p.get_ref());
                if out.protocol.is_none() {
                    self.push(
                        Diagnostic::new(
                            ErrorKind::Invalid,
                            format!("unknown protocol `{}`", p.get_ref()),
                        )
                        .at(p.span())
                        .help("use alternating, mediated, ultimatum or sequenced"),
                    );
                }
            }
            out.rounds = rs.rounds.as_ref().and_then(|r| {
                self.bounded(r, "rounds", Setting::rounds)
                    .map(|_| *r.get_ref() as u32)
            });
            out.runs = rs.runs.as_ref().and_then(|r| {
                self.bounded(r, "runs", Setting::runs)
                    .map(|_| *r.get_ref() as u64)
            });
            out.seed = rs
                .seed
                .as_ref()
                .and_then(|r| self.count("seed", r, 0))
                .map(|v| v as u64);
            let mut staged = vec![false; scenario.issues.len()];
            for stage in &rs.stages {
                let mut issues = Vec::new();
                for id in stage {
                    if let Some(i) = self.lookup("issue", issue_ids, id) {
                        if std::mem::replace(&mut staged[i], true) {
                            self.push(
                                Diagnostic::new(
                                    ErrorKind::DuplicateId,
                                    format!("issue `{}` is in two stages", id.get_ref()),
                                )
                                .at(id.span())
                                .help("put each issue in one stage"),
                            );
                        }
                        issues.push(i);
                    }
                }
                out.stages.push(issues);
            }
            for v in &rs.vary {
                match parse_variation(scenario, v.get_ref()) {
                    Ok(var) => out.vary.push(var),
                    Err(message) => self.push(
                        Diagnostic::new(ErrorKind::Invalid, message)
                            .at(v.span())
                            .label("variation")
                            .help(VARY_HELP),
                    ),
                }
            }
        }
        for st in &raw.strategies {
            let party = self.lookup("party", party_ids, &st.party);
            match (party, Strategy::parse(st.strategy.get_ref())) {
                (Some(party), Ok(strategy)) => out.strategies.push(StrategyDecl {
                    party,
                    strategy,
                    basis: st.basis.clone(),
                }),
                (_, Err(message)) => self.push(
                    Diagnostic::new(ErrorKind::Invalid, message)
                        .at(st.strategy.span())
                        .help(STRATEGY_HELP),
                ),
                (None, Ok(_)) => {}
            }
        }
        out
    }

    fn sources(&mut self, raw: &[RawSource]) -> Vec<Source> {
        self.ids("source", raw.iter().map(|s| &s.id));
        raw.iter()
            .map(|s| Source {
                id: s.id.get_ref().clone(),
                title: s.title.clone(),
                outlet: s.outlet.clone(),
                url: s.url.clone(),
                date: s.date.as_ref().and_then(|d| self.date(d)),
            })
            .collect()
    }

    fn parties(&mut self, raw: &[RawParty]) -> Vec<Party> {
        raw.iter()
            .map(|p| {
                let role = Role::parse(p.role.get_ref()).unwrap_or_else(|| {
                    self.push(
                        Diagnostic::new(
                            ErrorKind::Invalid,
                            format!("unknown role `{}`", p.role.get_ref()),
                        )
                        .at(p.role.span())
                        .label("not a role")
                        .help("a role is one of: party, mediator, ally, observer"),
                    );
                    Role::Observer
                });
                Party {
                    id: p.id.get_ref().clone(),
                    name: p.name.clone(),
                    role,
                    veto: match p.veto.as_ref().map(|v| v.get_ref()) {
                        Some(RawVeto::Flag(b)) => *b,
                        Some(RawVeto::Issues(_)) => false,
                        None => role == Role::Party,
                    },
                    consent: Vec::new(),
                    people: p
                        .people
                        .iter()
                        .map(|x| Person {
                            name: x.name.clone(),
                            title: x.title.clone(),
                        })
                        .collect(),
                    capability: p
                        .capability
                        .as_ref()
                        .map(|c| self.ranged("capability", c, 0.0, MAX_CAPABILITY)),
                }
            })
            .collect()
    }

    fn issues(&mut self, raw: &[RawIssue]) -> Vec<Issue> {
        raw.iter()
            .map(|i| {
                if let Some(num) = &i.numeric {
                    return self.numeric_issue(i, num);
                }
                let opts = i.options.get_ref();
                if opts.is_empty() {
                    self.push(
                        Diagnostic::new(ErrorKind::Missing, format!("issue `{}` has no options", i.id.get_ref()))
                            .at(i.options.span())
                            .help("list at least one option: options = [{ id = \"...\", label = \"...\" }]"),
                    );
                }
                if opts.len() + 1 > u16::MAX as usize {
                    self.push(
                        Diagnostic::new(ErrorKind::OutOfRange, format!("issue `{}` has {} options; at most {} are supported", i.id.get_ref(), opts.len(), u16::MAX - 1))
                            .at(i.options.span()),
                    );
                }
                self.ids(&format!("option of issue `{}`", i.id.get_ref()), opts.iter().map(|o| &o.id));
                let mut options: Vec<IssueOption> = opts
                    .iter()
                    .map(|o| IssueOption {
                        id: o.id.get_ref().clone(),
                        label: o.label.clone(),
                        basis: o.basis.clone(),
                    })
                    .collect();
                if i.deferrable {
                    if let Some(o) = opts.iter().find(|o| o.id.get_ref() == DEFERRED) {
                        self.push(
                            Diagnostic::new(ErrorKind::DuplicateId, format!("option id `{DEFERRED}` is reserved on a deferrable issue"))
                                .at(o.id.span())
                                .help("truce adds the `deferred` option itself; remove this one or rename it"),
                        );
                    }
                    options.push(IssueOption::deferred());
                }
                Issue {
                    id: i.id.get_ref().clone(),
                    question: i.question.clone(),
                    ordered: i.ordered,
                    deferrable: i.deferrable,
                    options,
                    basis: i.basis.clone(),
                    numeric: None,
                }
            })
            .collect()
    }

    /// A numeric issue: one option per step, ids the numbers, labels the
    /// numbers grouped with their unit.
    fn numeric_issue(&mut self, i: &RawIssue, num: &Spanned<RawNumeric>) -> Issue {
        let raw = num.get_ref();
        let scale = NumericScale {
            min: raw.min,
            max: raw.max,
            step: raw.step,
            unit: raw.unit.clone(),
        };
        if !i.options.get_ref().is_empty() {
            self.push(
                Diagnostic::new(
                    ErrorKind::Invalid,
                    format!(
                        "issue `{}` is numeric and lists options too",
                        i.id.get_ref()
                    ),
                )
                .at(i.options.span())
                .help("a numeric issue's options are its steps; remove the options"),
            );
        }
        let steps = match scale.steps() {
            Some(n) if (n as usize) < u16::MAX as usize => n as usize,
            Some(n) => {
                self.push(
                    Diagnostic::new(
                        ErrorKind::OutOfRange,
                        format!(
                            "issue `{}` has {n} steps; at most {} are supported",
                            i.id.get_ref(),
                            u16::MAX - 1
                        ),
                    )
                    .at(num.span())
                    .help("take a larger step"),
                );
                1
            }
            None => {
                self.push(
                    Diagnostic::new(
                        ErrorKind::Invalid,
                        format!("issue `{}`'s scale is not one", i.id.get_ref()),
                    )
                    .at(num.span())
                    .help("give finite numbers, a positive step and max at least min: numeric = { min = 500000, max = 1000000, step = 10000 }"),
                );
                1
            }
        };
        let mut options = scale.options(steps);
        if i.deferrable {
            options.push(IssueOption::deferred());
        }
        Issue {
            id: i.id.get_ref().clone(),
            question: i.question.clone(),
            ordered: true,
            deferrable: i.deferrable,
            options,
            basis: i.basis.clone(),
            numeric: Some(scale),
        }
    }

    fn preferences(
        &mut self,
        raw: &RawFile,
        parties: &[Party],
        party_ids: &HashMap<String, usize>,
        issues: &[Issue],
        issue_ids: &HashMap<String, usize>,
    ) -> Vec<Option<Preferences>> {
        let mut out: Vec<Option<Preferences>> = vec![None; parties.len()];
        let mut first: HashMap<usize, Range<usize>> = HashMap::new();
        let mut unresolved = false;
        for rp in &raw.preferences {
            let Some(party) = self.lookup("party", party_ids, &rp.party) else {
                unresolved = true;
                continue;
            };
            if let Some(span) = first.get(&party) {
                let line = self.line_of(span);
                self.push(
                    Diagnostic::new(
                        ErrorKind::DuplicateId,
                        format!("second [[preferences]] for party `{}`", rp.party.get_ref()),
                    )
                    .at(rp.party.span())
                    .help(format!("the first is on line {line}; merge them")),
                );
                continue;
            }
            first.insert(party, rp.party.span());
            let reservation = self.unit("reservation value", &rp.reservation);
            let discount = rp
                .discount
                .as_ref()
                .map(|d| self.unit("discount factor", d));
            let mut prefs: Vec<IssuePreference> = issues
                .iter()
                .map(|i| IssuePreference {
                    weight: Noted::bare(0.0),
                    values: vec![Noted::bare(0.0); i.options.len()],
                    ideal: None,
                    linear: None,
                    points: None,
                })
                .collect();
            let mut seen: HashMap<usize, Range<usize>> = HashMap::new();
            let mut weight_sum = 0.0;
            // After a bad issue reference the sum says nothing new.
            let mut skipped = false;
            for ip in rp.issues.get_ref() {
                let Some(ix) = self.lookup("issue", issue_ids, &ip.issue) else {
                    skipped = true;
                    continue;
                };
                if let Some(span) = seen.get(&ix) {
                    let line = self.line_of(span);
                    self.push(
                        Diagnostic::new(
                            ErrorKind::DuplicateId,
                            format!(
                                "issue `{}` is valued twice for party `{}`",
                                ip.issue.get_ref(),
                                rp.party.get_ref()
                            ),
                        )
                        .at(ip.issue.span())
                        .help(format!("the first is on line {line}; keep one")),
                    );
                    skipped = true;
                    continue;
                }
                seen.insert(ix, ip.issue.span());
                let weight = self.unit("weight", &ip.weight);
                weight_sum += weight.value;
                prefs[ix] = self.issue_preference(ip, &issues[ix], weight, rp.party.get_ref());
            }
            if !skipped && (weight_sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
                let listed: Vec<String> = rp
                    .issues
                    .get_ref()
                    .iter()
                    .map(|ip| {
                        let w = ip.weight.get_ref().value;
                        let scaled = if weight_sum > 0.0 {
                            w / weight_sum
                        } else {
                            0.0
                        };
                        format!("{} = {:.3}", ip.issue.get_ref(), scaled)
                    })
                    .collect();
                let help = if weight_sum > 0.0 {
                    format!(
                        "divide each weight by {weight_sum:.3}: {}",
                        listed.join(", ")
                    )
                } else {
                    "give at least one issue a positive weight".to_string()
                };
                self.push(
                    Diagnostic::new(
                        ErrorKind::WeightSum,
                        format!(
                            "the weights of party `{}` sum to {weight_sum:.4}, not 1",
                            rp.party.get_ref()
                        ),
                    )
                    .at(rp.issues.span())
                    .label("these weights")
                    .help(help),
                );
            }
            out[party] = Some(Preferences {
                reservation,
                basis: rp.basis.clone(),
                discount,
                issues: prefs,
            });
        }
        for (p, party) in parties.iter().enumerate() {
            if self.whole
                && party.veto
                && !unresolved
                && out[p].is_none()
                && !first.contains_key(&p)
            {
                let span = raw.parties[p].id.span();
                self.push(
                    Diagnostic::new(ErrorKind::Missing, format!("party `{}` has a veto but no preferences", party.id))
                        .at(span)
                        .label("no [[preferences]] for this party")
                        .help("add a [[preferences]] table with its reservation value and issue weights, or set veto = false"),
                );
            }
        }
        out
    }

    fn issue_preference(
        &mut self,
        ip: &RawIssuePreference,
        issue: &Issue,
        weight: Noted<f64>,
        party: &str,
    ) -> IssuePreference {
        let n = issue.options.len();
        let mut values: Vec<Option<Noted<f64>>> = vec![None; n];
        let mut ideal = None;
        if let Some(id) = &ip.ideal {
            if !issue.ordered {
                self.push(
                    Diagnostic::new(
                        ErrorKind::Invalid,
                        format!(
                            "issue `{}` is unordered, so it has no ideal point",
                            issue.id
                        ),
                    )
                    .at(id.span())
                    .help(
                        "give `values` for each option instead, or mark the issue ordered = true",
                    ),
                );
            } else {
                match issue
                    .option_index(id.get_ref())
                    .filter(|&o| o < issue.scale_len())
                {
                    None => self.unknown_option(issue, id.get_ref(), id.span()),
                    Some(o) => {
                        let tolerance = match &ip.tolerance {
                            None => 0,
                            Some(t) if *t.get_ref() < 0 || *t.get_ref() > u32::MAX as i64 => {
                                self.push(
                                    Diagnostic::new(
                                        ErrorKind::OutOfRange,
                                        format!("tolerance {} is negative", t.get_ref()),
                                    )
                                    .at(t.span())
                                    .help(
                                        "the tolerance counts steps along the scale: 0, 1, 2, ...",
                                    ),
                                );
                                0
                            }
                            Some(t) => *t.get_ref() as u32,
                        };
                        ideal = Some((o, tolerance));
                        for (x, v) in values.iter_mut().enumerate().take(issue.scale_len()) {
                            *v = Some(Noted::bare(distance_value(x, o, tolerance)));
                        }
                    }
                }
            }
        } else if let Some(t) = &ip.tolerance {
            self.push(
                Diagnostic::new(ErrorKind::Invalid, "a tolerance needs an ideal option")
                    .at(t.span())
                    .help("add ideal = \"<option>\" or remove the tolerance"),
            );
        }
        let mut linear = None;
        if let Some(l) = &ip.linear {
            let (offset, slope) = (l.get_ref().offset, l.get_ref().slope);
            if !issue.ordered || ip.ideal.is_some() || !offset.is_finite() || !slope.is_finite() {
                self.push(
                    Diagnostic::new(
                        ErrorKind::Invalid,
                        format!("a linear value needs an ordered issue, no ideal, and finite numbers (issue `{}`)", issue.id),
                    )
                    .at(l.span())
                    .help("use linear on ordered issues only, instead of ideal"),
                );
            } else {
                linear = Some((offset, slope));
                for (k, v) in values.iter_mut().enumerate().take(issue.scale_len()) {
                    *v = Some(Noted::bare(linear_value(k, offset, slope)));
                }
            }
        }
        let mut points = None;
        if let Some(p) = &ip.points {
            let list: Vec<(f64, f64)> = p.get_ref().iter().map(|[x, y]| (*x, *y)).collect();
            let rising = list.windows(2).all(|w| w[0].0 < w[1].0);
            let fine = list
                .iter()
                .all(|&(x, y)| x.is_finite() && (0.0..=1.0).contains(&y));
            match &issue.numeric {
                Some(scale) if !list.is_empty() && rising && fine && ip.ideal.is_none() && ip.linear.is_none() => {
                    for (k, v) in values.iter_mut().enumerate().take(issue.scale_len()) {
                        *v = Some(Noted::bare(crate::model::piecewise_value(&list, scale.value(k))));
                    }
                    points = Some(list);
                }
                _ => self.push(
                    Diagnostic::new(
                        ErrorKind::Invalid,
                        format!("points need a numeric issue, no ideal or linear value, and [number, value] pairs with numbers rising and values in [0, 1] (issue `{}`)", issue.id),
                    )
                    .at(p.span())
                    .help("points = [[500000, 1.0], [800000, 0.4], [1000000, 0.0]]"),
                ),
            }
        }
        let mut misnamed = false;
        if let Some(vals) = &ip.values {
            for (key, v) in vals {
                match issue.option_index(key) {
                    None => {
                        let at = self.key_span(key, v.span());
                        self.unknown_option(issue, key, at);
                        misnamed = true;
                    }
                    Some(o) => values[o] = Some(self.unit("value", v)),
                }
            }
        }
        let missing: Vec<&str> = (0..n)
            .filter(|&o| values[o].is_none())
            .map(|o| issue.options[o].id.as_str())
            .collect();
        // A bad ideal was reported already; its options are not missing too.
        let ideal_failed = (ip.ideal.is_some() && ideal.is_none()
            || ip.linear.is_some() && linear.is_none()
            || ip.points.is_some() && points.is_none())
            && ip.values.is_none();
        if !missing.is_empty() && !ideal_failed && !misnamed {
            // The values given, from the first to the last, or the issue.
            let span = ip
                .values
                .as_ref()
                .and_then(|v| {
                    let (key, value) = v.first()?;
                    let first = self.key_span(key, value.span()).start;
                    let last = v.values().map(|x| x.span().end).max()?;
                    Some(first..last)
                })
                .unwrap_or_else(|| ip.issue.span());
            self.push(
                Diagnostic::new(
                    ErrorKind::Missing,
                    format!(
                        "party `{party}` gives no value for option(s) {} of issue `{}`",
                        missing.join(", "),
                        issue.id
                    ),
                )
                .at(span)
                .help(format!(
                    "add them to values, e.g. values = {{ {} = 0.5 }}",
                    missing[0]
                )),
            );
        }
        IssuePreference {
            weight,
            values: values
                .into_iter()
                .map(|v| v.unwrap_or_else(|| Noted::bare(0.0)))
                .collect(),
            ideal,
            linear,
            points,
        }
    }

    fn unknown_option(&mut self, issue: &Issue, name: &str, span: Range<usize>) {
        let known: Vec<&str> = issue.options.iter().map(|o| o.id.as_str()).collect();
        let help = match closest(name, known.iter().copied()) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("options of `{}`: {}", issue.id, known.join(", ")),
        };
        self.push(
            Diagnostic::new(
                ErrorKind::UnknownId,
                format!("issue `{}` has no option `{name}`", issue.id),
            )
            .at(span)
            .label("unknown option")
            .help(help),
        );
    }

    fn plans(
        &mut self,
        raw: &[RawPlan],
        party_ids: &HashMap<String, usize>,
        issues: &[Issue],
        issue_ids: &HashMap<String, usize>,
    ) -> Vec<Plan> {
        self.ids("plan", raw.iter().map(|p| &p.id));
        let mut plans = Vec::new();
        for rp in raw {
            let proposed_by = rp
                .proposed_by
                .as_ref()
                .and_then(|p| self.lookup("party", party_ids, p));
            let date = rp.date.as_ref().and_then(|d| self.date(d));
            let mut provisions: Vec<Option<Provision>> = vec![None; issues.len()];
            let mut misnamed = false;
            for (key, choice) in &rp.provisions {
                let key = Spanned::new(self.key_span(key, choice.span()), key.clone());
                let Some(ix) = self.lookup("issue", issue_ids, &key) else {
                    misnamed = true;
                    continue;
                };
                let c = choice.get_ref();
                match issues[ix].option_index(&c.option) {
                    None => {
                        self.unknown_option(&issues[ix], &c.option, choice.span());
                        misnamed = true;
                    }
                    Some(o) => {
                        provisions[ix] = Some(Provision {
                            option: o,
                            basis: c.basis.clone(),
                        })
                    }
                }
            }
            for d in &rp.deferred {
                let Some(ix) = self.lookup("issue", issue_ids, d) else {
                    misnamed = true;
                    continue;
                };
                let issue = &issues[ix];
                match issue.deferred_index() {
                    None => self.push(
                        Diagnostic::new(
                            ErrorKind::Invalid,
                            format!("issue `{}` cannot be deferred", issue.id),
                        )
                        .at(d.span())
                        .help(format!(
                            "mark issue `{}` deferrable = true, or give the plan an option for it",
                            issue.id
                        )),
                    ),
                    Some(_) if provisions[ix].is_some() => self.push(
                        Diagnostic::new(
                            ErrorKind::Invalid,
                            format!(
                                "plan `{}` both sets and defers issue `{}`",
                                rp.id.get_ref(),
                                issue.id
                            ),
                        )
                        .at(d.span())
                        .help("keep one of the two"),
                    ),
                    Some(o) => {
                        provisions[ix] = Some(Provision {
                            option: o,
                            basis: rp.basis.clone(),
                        })
                    }
                }
            }
            let missing: Vec<&str> = (0..issues.len())
                .filter(|&i| provisions[i].is_none())
                .map(|i| issues[i].id.as_str())
                .collect();
            if misnamed {
                continue;
            }
            if !missing.is_empty() {
                self.push(
                    Diagnostic::new(
                        ErrorKind::Missing,
                        format!("plan `{}` sets no option for issue(s) {}", rp.id.get_ref(), missing.join(", ")),
                    )
                    .at(rp.provisions.values().last().map_or(rp.id.span(), |c| c.span()))
                    .help("give each issue an option in `provisions`, or list deferrable issues in `deferred`"),
                );
                continue;
            }
            plans.push(Plan {
                id: rp.id.get_ref().clone(),
                name: rp.name.clone(),
                proposed_by,
                date,
                provisions: provisions.into_iter().flatten().collect(),
                basis: rp.basis.clone(),
            });
        }
        plans
    }

    fn deadlines(
        &mut self,
        raw: &[RawDeadline],
        party_ids: &HashMap<String, usize>,
    ) -> Vec<Deadline> {
        self.ids("deadline", raw.iter().map(|d| &d.id));
        let mut out = Vec::new();
        for rd in raw {
            let date = rd.date.as_ref().and_then(|d| self.date(d));
            let round = rd.round.as_ref().and_then(|r| {
                let v = *r.get_ref();
                if v < 0 || v > u32::MAX as i64 {
                    self.push(
                        Diagnostic::new(
                            ErrorKind::OutOfRange,
                            format!("round {v} is out of range"),
                        )
                        .at(r.span())
                        .help("rounds count from 0"),
                    );
                    None
                } else {
                    Some(v as u32)
                }
            });
            if rd.date.is_none() && rd.round.is_none() {
                self.push(
                    Diagnostic::new(
                        ErrorKind::Missing,
                        format!(
                            "deadline `{}` has neither a date nor a round",
                            rd.id.get_ref()
                        ),
                    )
                    .at(rd.id.span())
                    .help("add date = \"YYYY-MM-DD\" or round = <number>"),
                );
            }
            let set_by = rd
                .set_by
                .as_ref()
                .and_then(|p| self.lookup("party", party_ids, p));
            let consequence = match rd.consequence.get_ref().as_str() {
                "mediator_withdraws" => Some(Consequence::MediatorWithdraws),
                "reservation_change" => {
                    let party = match &rd.party {
                        Some(p) => self.lookup("party", party_ids, p),
                        None => {
                            self.push(
                                Diagnostic::new(
                                    ErrorKind::Missing,
                                    "a reservation_change needs `party`",
                                )
                                .at(rd.consequence.span())
                                .help("add party = \"<id>\" and reservation = <number>"),
                            );
                            None
                        }
                    };
                    let reservation = match &rd.reservation {
                        Some(r) => Some(self.unit("reservation value", r)),
                        None => {
                            self.push(
                                Diagnostic::new(
                                    ErrorKind::Missing,
                                    "a reservation_change needs `reservation`",
                                )
                                .at(rd.consequence.span())
                                .help("add reservation = <number in [0, 1]>"),
                            );
                            None
                        }
                    };
                    party.zip(reservation).map(|(party, reservation)| {
                        Consequence::ReservationChange { party, reservation }
                    })
                }
                "other" => Some(Consequence::Other(
                    rd.description.clone().unwrap_or_default(),
                )),
                other => {
                    self.push(
                        Diagnostic::new(ErrorKind::Invalid, format!("unknown consequence `{other}`"))
                            .at(rd.consequence.span())
                            .help("a consequence is one of: mediator_withdraws, reservation_change, other"),
                    );
                    None
                }
            };
            if let Some(consequence) = consequence {
                out.push(Deadline {
                    id: rd.id.get_ref().clone(),
                    label: rd.label.clone(),
                    date,
                    round,
                    set_by,
                    consequence,
                    basis: rd.basis.clone(),
                });
            }
        }
        out
    }
}

/// Option ids are free text that a rule can quote: not empty, no control
/// characters or surrounding spaces, and not both kinds of quote.
pub fn is_option_id(s: &str) -> bool {
    let both_quotes = s.contains('"') && s.contains('\'');
    !s.is_empty() && s.trim() == s && !s.chars().any(char::is_control) && !both_quotes
}

/// Whether `s` is an id: letters, digits, `_` and `-`, starting with a letter or `_`.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// A calendar date written `YYYY-MM-DD` (checked against the calendar).
pub fn is_date(s: &str) -> bool {
    s.parse::<crate::date::Date>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_by_calendar() {
        assert!(is_date("2025-04-18"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2025-02-29"));
        assert!(!is_date("2025-13-01"));
        assert!(!is_date("18-04-2025"));
    }

    #[test]
    fn distance_values_fall_linearly_to_zero() {
        assert_eq!(distance_value(2, 2, 0), 1.0);
        assert_eq!(distance_value(1, 2, 0), 0.0);
        assert_eq!(distance_value(1, 2, 1), 0.5);
        assert_eq!(distance_value(0, 2, 3), 0.5);
    }
}
