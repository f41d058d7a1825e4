//! The one gate every [`Scenario`] passes, however it was made: every
//! limit the engine relies on ([`crate::limits`]), unique ids, references
//! that point at something, numbers that are finite and in range, weights
//! that sum to 1. Problems name the field (`preferences[2].issues[1].weight`);
//! the parser turns those paths into places in the file.

use crate::diag::{Diagnostic, ErrorKind};
use crate::expr::{Constraint, MAX_RULE_DEPTH};
use crate::limits::*;
use crate::model::*;
use crate::parse::{is_identifier, is_option_id};
use crate::simulation::{Setting, MAX_ROUNDS, MAX_RUNS};
use std::collections::HashSet;

/// Every problem of `s`, in field order; empty when it is a valid scenario.
pub fn problems(s: &ScenarioParts) -> Vec<Diagnostic> {
    let mut v = Check { out: Vec::new() };
    v.counts(s);
    v.ids(s);
    v.preferences(s);
    v.rules(s);
    v.plans(s);
    v.deadlines(s);
    v.simulation(s);
    v.consent(s);
    v.out
}

struct Check {
    out: Vec<Diagnostic>,
}

fn fail(kind: ErrorKind, path: String, message: String) -> Diagnostic {
    Diagnostic::new(kind, message).in_field(path)
}

impl Check {
    /// Issue-limited vetoes: real issues, not beside a general veto, and a
    /// reservation value that can be read over them.
    fn consent(&mut self, s: &ScenarioParts) {
        for (p, party) in s.parties.iter().enumerate() {
            if party.consent.is_empty() {
                continue;
            }
            let path = format!("parties[{p}].veto");
            if party.veto {
                self.push(ErrorKind::OutOfRange, &path, format!("party `{}` has both a veto and a veto limited to some issues; write veto = true or the list of issues", party.id));
            }
            if let Some(&i) = party.consent.iter().find(|&&i| i >= s.issues.len()) {
                self.push(
                    ErrorKind::UnknownId,
                    &path,
                    format!(
                        "party `{}` must consent on issue {i}, which does not exist",
                        party.id
                    ),
                );
                continue;
            }
            let Some(prefs) = s.preferences.get(p).and_then(|x| x.as_ref()) else {
                continue;
            };
            if crate::consent::combinations(s, &party.consent).is_none() {
                self.push(ErrorKind::OutOfRange, &path, format!("party `{}` must consent on issues with more than {} combinations of options between them; name fewer issues", party.id, crate::consent::MAX_CONSENT_COMBINATIONS));
            }
            let weight: f64 = party
                .consent
                .iter()
                .filter_map(|&i| prefs.issues.get(i).map(|ip| ip.weight.value))
                .sum();
            if weight.is_nan() || weight <= 0.0 {
                self.push(ErrorKind::OutOfRange, &path, format!("party `{}` gives no weight to the issues it must consent on, so its reservation value cannot be read over them; weigh them in its [[preferences]]", party.id));
            }
        }
    }

    fn push(&mut self, kind: ErrorKind, path: impl Into<String>, message: impl Into<String>) {
        self.out.push(fail(kind, path.into(), message.into()));
    }

    fn at_most(&mut self, what: &str, path: &str, n: usize, limit: usize) {
        if n > limit {
            self.push(
                ErrorKind::OutOfRange,
                format!("{path}[{limit}]"),
                format!("{n} {what}; truce supports at most {limit}"),
            );
        }
    }

    fn counts(&mut self, s: &ScenarioParts) {
        self.at_most("parties", "parties", s.parties.len(), MAX_PARTIES);
        self.at_most("issues", "issues", s.issues.len(), MAX_ISSUES);
        if s.issues.is_empty() {
            self.push(ErrorKind::Missing, "issues", "the scenario has no issues");
        }
        let mut total = 0usize;
        for (i, issue) in s.issues.iter().enumerate() {
            let n = issue.options.len();
            total = total.saturating_add(n);
            self.at_most(
                "options (the deferred one included)",
                &format!("issues[{i}].options"),
                n,
                MAX_OPTIONS,
            );
            if n < 1 + usize::from(issue.deferrable) {
                self.push(
                    ErrorKind::Missing,
                    format!("issues[{i}].options"),
                    format!("issue `{}` has no options", issue.id),
                );
            }
            if let Some(scale) = &issue.numeric {
                match scale.steps() {
                    None => self.push(
                        ErrorKind::Invalid,
                        format!("issues[{i}].numeric"),
                        format!(
                            "issue `{}`'s scale needs finite numbers, a positive step and max at least min",
                            issue.id
                        ),
                    ),
                    Some(steps) if steps as usize != issue.scale_len() || !issue.ordered => {
                        self.push(
                            ErrorKind::Invalid,
                            format!("issues[{i}].options"),
                            format!(
                                "issue `{}` is numeric with {steps} steps but has {} options on its scale (a numeric issue is ordered, one option per step)",
                                issue.id,
                                issue.scale_len()
                            ),
                        )
                    }
                    Some(_) => {}
                }
            }
        }
        if total > MAX_TOTAL_OPTIONS {
            self.push(
                ErrorKind::OutOfRange,
                "issues",
                format!(
                    "{total} options over all issues; truce supports at most {MAX_TOTAL_OPTIONS}"
                ),
            );
        }
        let vetoes = s.parties.iter().filter(|p| p.veto).count();
        let constraints = vetoes + s.red_lines.len();
        if constraints > MAX_CONSTRAINTS {
            let first_over = MAX_CONSTRAINTS.saturating_sub(vetoes);
            self.push(
                ErrorKind::OutOfRange,
                format!("red_lines[{first_over}]"),
                format!("{constraints} red lines and veto parties' reservation values; truce supports at most {MAX_CONSTRAINTS}"),
            );
        }
        self.at_most("linkages", "linkages", s.linkages.len(), MAX_LINKAGES);
        self.at_most("plans", "plans", s.plans.len(), MAX_PLANS);
        self.at_most("deadlines", "deadlines", s.deadlines.len(), MAX_DEADLINES);
        if s.preferences.len() != s.parties.len() {
            self.push(
                ErrorKind::Invalid,
                "preferences",
                format!(
                    "{} preference entries for {} parties; give one per party (none for a party without preferences)",
                    s.preferences.len(),
                    s.parties.len()
                ),
            );
        }
    }

    /// Ids are well formed and unique within their kind.
    fn ids(&mut self, s: &ScenarioParts) {
        let mut unique = |what: &str, path: &str, ids: Vec<&str>, option: bool| {
            let mut seen = HashSet::new();
            for (k, id) in ids.into_iter().enumerate() {
                let valid = if option {
                    is_option_id(id)
                } else {
                    is_identifier(id)
                };
                if !valid {
                    self.push(
                        ErrorKind::Invalid,
                        format!("{path}[{k}]"),
                        format!("`{id}` is not a valid {what} id"),
                    );
                }
                if !seen.insert(id) {
                    self.push(
                        ErrorKind::DuplicateId,
                        format!("{path}[{k}]"),
                        format!("duplicate {what} id `{id}`"),
                    );
                }
            }
        };
        unique(
            "source",
            "sources",
            s.sources.iter().map(|x| x.id.as_str()).collect(),
            false,
        );
        unique(
            "party",
            "parties",
            s.parties.iter().map(|x| x.id.as_str()).collect(),
            false,
        );
        unique(
            "issue",
            "issues",
            s.issues.iter().map(|x| x.id.as_str()).collect(),
            false,
        );
        for (i, issue) in s.issues.iter().enumerate() {
            unique(
                "option",
                &format!("issues[{i}].options"),
                issue.options.iter().map(|o| o.id.as_str()).collect(),
                true,
            );
        }
        unique(
            "red line",
            "red_lines",
            s.red_lines.iter().map(|x| x.id.as_str()).collect(),
            false,
        );
        unique(
            "linkage",
            "linkages",
            s.linkages.iter().map(|x| x.id.as_str()).collect(),
            false,
        );
        unique(
            "plan",
            "plans",
            s.plans.iter().map(|x| x.id.as_str()).collect(),
            false,
        );
        unique(
            "deadline",
            "deadlines",
            s.deadlines.iter().map(|x| x.id.as_str()).collect(),
            false,
        );
    }

    fn unit(&mut self, path: String, what: &str, n: &Noted<f64>) {
        if !(n.value.is_finite() && (0.0..=1.0).contains(&n.value)) {
            self.push(
                ErrorKind::OutOfRange,
                path.clone(),
                format!("{what} {} is not a number in [0, 1]", n.value),
            );
        }
        if let Some(spread) = n.spread {
            let (lo, hi) = match spread {
                Spread::Uniform { lo, hi } | Spread::Triangular { lo, hi } => (lo, hi),
                Spread::Normal { sd, lo, hi } => {
                    if !(sd.is_finite() && sd >= 0.0) {
                        self.push(
                            ErrorKind::OutOfRange,
                            path.clone(),
                            format!("the {what}'s standard deviation {sd} is not a finite number of 0 or more"),
                        );
                    }
                    (lo, hi)
                }
            };
            if !(lo.is_finite() && hi.is_finite() && lo <= n.value && n.value <= hi) {
                self.push(
                    ErrorKind::OutOfRange,
                    path,
                    format!(
                        "the {what}'s range [{lo}, {hi}] does not hold its value {}",
                        n.value
                    ),
                );
            }
        }
    }

    fn preferences(&mut self, s: &ScenarioParts) {
        for (p, prefs) in s.preferences.iter().enumerate() {
            let path = format!("preferences[{p}]");
            let Some(prefs) = prefs else {
                if s.parties.get(p).is_some_and(|x| x.veto) {
                    self.push(
                        ErrorKind::Missing,
                        path,
                        format!("party `{}` has a veto but no preferences", s.parties[p].id),
                    );
                }
                continue;
            };
            self.unit(
                format!("{path}.reservation"),
                "reservation value",
                &prefs.reservation,
            );
            if let Some(d) = &prefs.discount {
                if !(d.value.is_finite() && d.value > 0.0 && d.value <= 1.0) {
                    self.push(
                        ErrorKind::OutOfRange,
                        format!("{path}.discount"),
                        format!("discount factor {} is not in (0, 1]", d.value),
                    );
                }
            }
            if prefs.issues.len() != s.issues.len() {
                self.push(
                    ErrorKind::Invalid,
                    format!("{path}.issues"),
                    format!(
                        "{} issue preferences for {} issues; give one per issue",
                        prefs.issues.len(),
                        s.issues.len()
                    ),
                );
                continue;
            }
            let mut sum = 0.0;
            for (i, (ip, issue)) in prefs.issues.iter().zip(&s.issues).enumerate() {
                let at = format!("{path}.issues[{i}]");
                self.unit(format!("{at}.weight"), "weight", &ip.weight);
                sum += ip.weight.value;
                if ip.values.len() != issue.options.len() {
                    self.push(
                        ErrorKind::Invalid,
                        format!("{at}.values"),
                        format!(
                            "{} values for the {} options of issue `{}`",
                            ip.values.len(),
                            issue.options.len(),
                            issue.id
                        ),
                    );
                }
                for (o, value) in ip.values.iter().enumerate() {
                    self.unit(format!("{at}.values[{o}]"), "value", value);
                }
                if let Some((ideal, _)) = ip.ideal {
                    if !issue.ordered || ideal >= issue.scale_len() {
                        self.push(
                            ErrorKind::Invalid,
                            format!("{at}.ideal"),
                            format!(
                                "the ideal is not an option on the scale of issue `{}`",
                                issue.id
                            ),
                        );
                    }
                }
                if let Some(points) = &ip.points {
                    let rising = points.windows(2).all(|w| w[0].0 < w[1].0);
                    let finite = points
                        .iter()
                        .all(|&(x, y)| x.is_finite() && (0.0..=1.0).contains(&y));
                    if issue.numeric.is_none() || points.is_empty() || !rising || !finite {
                        self.push(
                            ErrorKind::Invalid,
                            format!("{at}.points"),
                            format!("points need a numeric issue and at least one (number, value) pair, numbers rising, values in [0, 1] (issue `{}`)", issue.id),
                        );
                    }
                }
                if let Some((offset, slope)) = ip.linear {
                    if !(offset.is_finite() && slope.is_finite() && issue.ordered) {
                        self.push(
                            ErrorKind::Invalid,
                            format!("{at}.linear"),
                            format!("a linear value needs an ordered issue and finite numbers (issue `{}`)", issue.id),
                        );
                    }
                }
            }
            if sum.is_nan() || (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
                self.push(
                    ErrorKind::WeightSum,
                    format!("{path}.issues"),
                    format!(
                        "party `{}`'s weights sum to {sum}, not 1 (within {WEIGHT_SUM_TOLERANCE:e})",
                        s.parties.get(p).map_or("?", |x| x.id.as_str())
                    ),
                );
            }
        }
    }

    fn party(&mut self, path: String, p: usize, s: &ScenarioParts) {
        if p >= s.parties.len() {
            self.push(
                ErrorKind::UnknownId,
                path,
                format!("party number {p} does not exist"),
            );
        }
    }

    fn constraint(&mut self, path: String, c: &Constraint, s: &ScenarioParts) {
        if let Err(message) = constraint_fits(c, s, 0) {
            self.push(ErrorKind::Expression, path, message);
        }
    }

    fn rules(&mut self, s: &ScenarioParts) {
        for (k, r) in s.red_lines.iter().enumerate() {
            self.party(format!("red_lines[{k}].party"), r.party, s);
            self.constraint(format!("red_lines[{k}].rule"), &r.constraint, s);
        }
        for (k, l) in s.linkages.iter().enumerate() {
            self.party(format!("linkages[{k}].party"), l.party, s);
            if s.preferences.get(l.party).is_some_and(Option::is_none) {
                self.push(
                    ErrorKind::Invalid,
                    format!("linkages[{k}].party"),
                    format!(
                        "linkage `{}` changes the utility of a party without preferences",
                        l.id
                    ),
                );
            }
            self.constraint(format!("linkages[{k}].rule"), &l.when, s);
            if !l.utility.value.is_finite() || l.utility.value.abs() > 1.0 {
                self.push(
                    ErrorKind::OutOfRange,
                    format!("linkages[{k}].utility"),
                    format!("a linkage's utility {} is not in [-1, 1]", l.utility.value),
                );
            }
        }
    }

    fn plans(&mut self, s: &ScenarioParts) {
        for (k, plan) in s.plans.iter().enumerate() {
            if let Some(p) = plan.proposed_by {
                self.party(format!("plans[{k}].proposed_by"), p, s);
            }
            if plan.provisions.len() != s.issues.len() {
                self.push(
                    ErrorKind::Missing,
                    format!("plans[{k}].provisions"),
                    format!(
                        "plan `{}` sets {} of {} issues",
                        plan.id,
                        plan.provisions.len(),
                        s.issues.len()
                    ),
                );
                continue;
            }
            for (i, (pv, issue)) in plan.provisions.iter().zip(&s.issues).enumerate() {
                if pv.option >= issue.options.len() {
                    self.push(
                        ErrorKind::UnknownId,
                        format!("plans[{k}].provisions[{i}]"),
                        format!(
                            "plan `{}` picks an option issue `{}` does not have",
                            plan.id, issue.id
                        ),
                    );
                }
            }
        }
    }

    fn deadlines(&mut self, s: &ScenarioParts) {
        for (k, d) in s.deadlines.iter().enumerate() {
            let path = format!("deadlines[{k}]");
            if let Some(p) = d.set_by {
                self.party(format!("{path}.set_by"), p, s);
            }
            if let Some(r) = d.round {
                if Setting::rounds(u64::from(r)).is_err() {
                    self.push(
                        ErrorKind::OutOfRange,
                        format!("{path}.round"),
                        format!("round {r} is not from 1 to {MAX_ROUNDS}"),
                    );
                }
            }
            if let Consequence::ReservationChange { party, reservation } = &d.consequence {
                self.party(format!("{path}.party"), *party, s);
                self.unit(
                    format!("{path}.reservation"),
                    "reservation value",
                    reservation,
                );
            }
        }
    }

    fn simulation(&mut self, s: &ScenarioParts) {
        let sim = &s.simulation;
        if let Some(r) = sim.rounds {
            if Setting::rounds(u64::from(r)).is_err() {
                self.push(
                    ErrorKind::OutOfRange,
                    "simulation.rounds",
                    format!("{r} is not a number of rounds from 1 to {MAX_ROUNDS}"),
                );
            }
        }
        if let Some(n) = sim.runs {
            if Setting::runs(n).is_err() {
                self.push(
                    ErrorKind::OutOfRange,
                    "simulation.runs",
                    format!("{n} is not a number of runs from 1 to {MAX_RUNS}"),
                );
            }
        }
        for (k, stage) in sim.stages.iter().enumerate() {
            for &i in stage {
                if i >= s.issues.len() {
                    self.push(
                        ErrorKind::UnknownId,
                        format!("simulation.stages[{k}]"),
                        format!("issue number {i} does not exist"),
                    );
                }
            }
        }
        for (k, st) in sim.strategies.iter().enumerate() {
            self.party(format!("strategies[{k}].party"), st.party, s);
        }
        for (k, v) in sim.vary.iter().enumerate() {
            for setting in &v.settings {
                let fits = match *setting {
                    Setting::Reservation { party, .. } | Setting::Strategy { party, .. } => {
                        party < s.parties.len()
                    }
                    Setting::Fix { issue, option } => s
                        .issues
                        .get(issue)
                        .is_some_and(|x| option.is_none_or(|o| o < x.options.len())),
                    _ => true,
                };
                if !fits {
                    self.push(
                        ErrorKind::UnknownId,
                        format!("simulation.vary[{k}]"),
                        format!(
                            "`{}` names a party, issue or option that does not exist",
                            v.text
                        ),
                    );
                }
            }
        }
    }
}

/// Whether a rule only tests issues and options the scenario has, and nests
/// no deeper than rules may.
fn constraint_fits(c: &Constraint, s: &ScenarioParts, depth: usize) -> Result<(), String> {
    if depth > 2 * MAX_RULE_DEPTH {
        return Err(format!(
            "the rule nests more than {MAX_RULE_DEPTH} levels deep"
        ));
    }
    match c {
        Constraint::Const(_) => Ok(()),
        // An option set may hold bits past the issue's options: they are
        // never tested, as no package has such an option.
        Constraint::In { issue, .. } => match s.issues.get(*issue) {
            None => Err(format!(
                "the rule tests issue number {issue}, which does not exist"
            )),
            Some(_) => Ok(()),
        },
        Constraint::Not(inner) => constraint_fits(inner, s, depth + 1),
        Constraint::All(cs) | Constraint::Any(cs) => {
            cs.iter().try_for_each(|x| constraint_fits(x, s, depth + 1))
        }
        Constraint::Implies(a, b) => {
            constraint_fits(a, s, depth + 1)?;
            constraint_fits(b, s, depth + 1)
        }
    }
}
