//! Random scenarios of a chosen shape, reproducible from a seed, for
//! benchmarks and property tests.

use crate::diag::{Diagnostic, ErrorKind, ScenarioError};
use crate::expr::compile;
use crate::limits::*;
use crate::model::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Debug, Clone)]
/// The shape of a generated scenario.
pub struct Shape {
    /// Parties with a veto.
    pub parties: usize,
    /// Options per issue (one entry per issue).
    pub options: Vec<u16>,
    /// Add a mediator with preferences of its own.
    pub mediator: bool,
    /// Red lines per party.
    pub red_lines: usize,
    /// Make every other issue deferrable (adds an option to it).
    pub deferrable: bool,
    /// Reservation values are drawn from this range.
    pub reservation: (f64, f64),
    /// Plans, each a random package.
    pub plans: usize,
    /// Linkages, each on a random option of a random party.
    pub linkages: usize,
    /// Round every value to a multiple of 1/`value_levels` (0: no
    /// rounding), which makes many packages tie.
    pub value_levels: u32,
    /// The first this many issues are numeric (a scale of as many steps as
    /// the issue has options), each party valuing them by points.
    pub numeric_issues: usize,
    /// Allies whose consent is needed on one issue each (an issue-limited
    /// veto), each with preferences over every issue and a red line on its
    /// consent issue.
    pub consent_parties: usize,
}

impl Default for Shape {
    fn default() -> Self {
        Shape {
            parties: 3,
            options: vec![4; 5],
            mediator: false,
            red_lines: 1,
            deferrable: false,
            reservation: (0.2, 0.5),
            plans: 1,
            linkages: 0,
            value_levels: 0,
            numeric_issues: 0,
            consent_parties: 0,
        }
    }
}

impl Shape {
    /// Whether a scenario of this shape keeps every limit of a scenario
    /// ([`crate::limits`]); checked before anything is generated, so an
    /// absurd size is refused without allocating for it.
    pub fn check(&self) -> Result<(), ScenarioError> {
        let mut problems = Vec::new();
        let mut refuse = |field: &str, message: String| {
            problems.push(Diagnostic::new(ErrorKind::OutOfRange, message).in_field(field));
        };
        let parties = self
            .parties
            .saturating_add(usize::from(self.mediator))
            .saturating_add(self.consent_parties);
        if self.parties == 0 || parties > MAX_PARTIES {
            refuse(
                "parties",
                format!(
                    "{} parties with a veto; give 1 to {}",
                    self.parties,
                    MAX_PARTIES - usize::from(self.mediator)
                ),
            );
        }
        if self.options.is_empty() || self.options.len() > MAX_ISSUES {
            refuse(
                "issues",
                format!("{} issues; give 1 to {MAX_ISSUES}", self.options.len()),
            );
        }
        // A deferrable issue gains an option.
        if let Some(&n) = self
            .options
            .iter()
            .find(|&&n| n == 0 || n as usize + usize::from(self.deferrable) > MAX_OPTIONS)
        {
            refuse(
                "options",
                format!(
                    "{n} options per issue; give 1 to {}",
                    MAX_OPTIONS - usize::from(self.deferrable)
                ),
            );
        }
        let total = self
            .options
            .iter()
            .fold(0usize, |t, &n| t.saturating_add(n as usize + 1));
        if total > MAX_TOTAL_OPTIONS {
            refuse(
                "options",
                format!("about {total} options over all issues; at most {MAX_TOTAL_OPTIONS}"),
            );
        }
        let constraints = self
            .parties
            .saturating_mul(self.red_lines.saturating_add(1));
        if constraints > MAX_CONSTRAINTS {
            refuse("red_lines", format!("{} parties with {} red lines each make {constraints} constraints with their reservation values; at most {MAX_CONSTRAINTS}", self.parties, self.red_lines));
        }
        if self.linkages > MAX_LINKAGES {
            refuse(
                "linkages",
                format!("{} linkages; at most {MAX_LINKAGES}", self.linkages),
            );
        }
        if self.plans > MAX_PLANS {
            refuse(
                "plans",
                format!("{} plans; at most {MAX_PLANS}", self.plans),
            );
        }
        let (lo, hi) = self.reservation;
        if !(lo.is_finite() && hi.is_finite() && 0.0 <= lo && lo <= hi && hi <= 1.0) {
            refuse(
                "reservation",
                format!("reservation range [{lo}, {hi}] is not within [0, 1]"),
            );
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ScenarioError {
                diagnostics: problems,
            })
        }
    }
}

/// A random scenario of the given shape; the same seed gives the same
/// scenario. A shape beyond the limits is refused ([`Shape::check`]).
pub fn generate(shape: &Shape, seed: u64) -> Result<Scenario, ScenarioError> {
    shape.check()?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut parties: Vec<Party> = (0..shape.parties)
        .map(|p| Party {
            id: format!("p{}", p + 1),
            name: format!("Party {}", p + 1),
            role: Role::Party,
            veto: true,
            consent: Vec::new(),
            people: Vec::new(),
            capability: None,
        })
        .collect();
    if shape.mediator {
        parties.push(Party {
            id: "mediator".into(),
            name: "Mediator".into(),
            role: Role::Mediator,
            veto: false,
            consent: Vec::new(),
            people: Vec::new(),
            capability: None,
        });
    }
    let issues: Vec<Issue> = shape
        .options
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let deferrable = shape.deferrable && i % 2 == 1;
            let mut options: Vec<IssueOption> = (0..n.max(1))
                .map(|o| IssueOption {
                    id: format!("o{}", o + 1),
                    label: format!("option {}", o + 1),
                    basis: None,
                })
                .collect();
            if deferrable {
                options.push(IssueOption {
                    id: DEFERRED.into(),
                    label: DEFERRED_LABEL.into(),
                    basis: None,
                });
            }
            if i < shape.numeric_issues {
                // A cap counted in thousands: 100,000 up, in steps of 10,000.
                let scale = NumericScale {
                    min: 100_000.0 * (i + 1) as f64,
                    max: 100_000.0 * (i + 1) as f64 + 10_000.0 * (n.max(1) - 1) as f64,
                    step: 10_000.0,
                    unit: Some("troops".into()),
                };
                let steps = n.max(1) as usize;
                options.splice(..steps, scale.options(steps));
                return Issue {
                    id: format!("i{}", i + 1),
                    question: format!("Issue {}?", i + 1),
                    ordered: true,
                    deferrable,
                    options,
                    basis: None,
                    numeric: Some(scale),
                };
            }
            Issue {
                id: format!("i{}", i + 1),
                question: format!("Issue {}?", i + 1),
                ordered: i % 3 == 0,
                deferrable,
                options,
                basis: None,
                numeric: None,
            }
        })
        .collect();
    let assumption = || Some("assumption: generated".to_string());
    let preferences: Vec<Option<Preferences>> = parties
        .iter()
        .map(|_| {
            let raw: Vec<f64> = issues.iter().map(|_| rng.gen_range(0.05..1.0)).collect();
            let total: f64 = raw.iter().sum();
            let prefs = issues
                .iter()
                .zip(&raw)
                .map(|(issue, w)| {
                    let mut values: Vec<f64> = issue
                        .options
                        .iter()
                        .map(|_| rng.gen_range(0.0..1.0))
                        .collect();
                    let max = values.iter().copied().fold(0.0, f64::max);
                    if max > 0.0 {
                        values.iter_mut().for_each(|v| *v /= max);
                    }
                    // Some ordered issues are valued linearly along the scale.
                    let linear = (issue.ordered && issue.numeric.is_none() && rng.gen_bool(0.3))
                        .then(|| (rng.gen_range(0.0..1.0), rng.gen_range(-0.4..0.4)));
                    if let Some((offset, slope)) = linear {
                        for (k, v) in values.iter_mut().enumerate().take(issue.scale_len()) {
                            *v = linear_value(k, offset, slope);
                        }
                    }
                    // A numeric issue: best at a peak, falling to each end.
                    let mut points = None;
                    if let Some(scale) = &issue.numeric {
                        let n = issue.scale_len();
                        let peak = rng.gen_range(0..n);
                        let mut list = Vec::new();
                        if peak > 0 {
                            list.push((scale.value(0), rng.gen_range(0.0..1.0)));
                        }
                        list.push((scale.value(peak), 1.0));
                        if peak + 1 < n {
                            list.push((scale.value(n - 1), rng.gen_range(0.0..1.0)));
                        }
                        for (k, v) in values.iter_mut().enumerate().take(n) {
                            *v = piecewise_value(&list, scale.value(k));
                        }
                        points = Some(list);
                    }
                    if shape.value_levels > 0 && linear.is_none() && points.is_none() {
                        let n = shape.value_levels as f64;
                        values.iter_mut().for_each(|v| *v = (*v * n).round() / n);
                    }
                    IssuePreference {
                        weight: Noted::new(w / total, assumption()),
                        values: values.into_iter().map(Noted::bare).collect(),
                        ideal: None,
                        linear,
                        points,
                    }
                })
                .collect();
            let (lo, hi) = shape.reservation;
            let reservation = if hi > lo { rng.gen_range(lo..hi) } else { lo };
            Some(Preferences {
                reservation: Noted::new(reservation, assumption()),
                basis: assumption(),
                discount: None,
                issues: prefs,
            })
        })
        .collect();

    // Red lines: a party refuses the option it values least on a salient
    // issue, sometimes only on condition of another issue.
    let mut red_lines = Vec::new();
    for (p, prefs) in preferences.iter().enumerate().take(shape.parties) {
        let Some(prefs) = prefs else {
            continue;
        };
        for r in 0..shape.red_lines {
            let i = rng.gen_range(0..issues.len());
            let worst = argmin(prefs.issues[i].values.iter().map(|v| v.value));
            let mut rule = format!("{} != \"{}\"", issues[i].id, issues[i].options[worst].id);
            if issues.len() > 1 && rng.gen_bool(0.3) {
                let j = (i + 1 + rng.gen_range(0..issues.len() - 1)) % issues.len();
                let o = rng.gen_range(0..issues[j].options.len());
                rule = format!(
                    "{} == \"{}\" -> {rule}",
                    issues[j].id, issues[j].options[o].id
                );
            }
            push_rule(&mut red_lines, &issues, &rule, |constraint, rule| RedLine {
                id: format!("p{}_r{}", p + 1, r + 1),
                party: p,
                label: format!("red line {} of party {}", r + 1, p + 1),
                rule,
                constraint,
                basis: assumption(),
                derived: false,
            });
        }
    }
    let mut linkages = Vec::new();
    for l in 0..shape.linkages {
        let p = rng.gen_range(0..parties.len());
        let i = rng.gen_range(0..issues.len());
        let o = rng.gen_range(0..issues[i].options.len());
        let rule = format!("{} == \"{}\"", issues[i].id, issues[i].options[o].id);
        let utility = rng.gen_range(-0.2..0.2);
        push_rule(&mut linkages, &issues, &rule, |when, rule| Linkage {
            id: format!("l{}", l + 1),
            party: p,
            label: format!("linkage {}", l + 1),
            rule,
            when,
            utility: Noted::new(utility, assumption()),
        });
    }
    let plans = (0..shape.plans)
        .map(|k| Plan {
            id: format!("plan{}", k + 1),
            name: format!("Plan {}", k + 1),
            proposed_by: None,
            date: None,
            provisions: issues
                .iter()
                .map(|i| Provision {
                    option: rng.gen_range(0..i.options.len()),
                    basis: None,
                })
                .collect(),
            basis: None,
        })
        .collect();
    // Allies with a say on one issue each, drawn last so that shapes
    // without them give the scenarios they always gave.
    let mut preferences = preferences;
    for a in 0..shape.consent_parties {
        let p = parties.len();
        let i = rng.gen_range(0..issues.len());
        let raw: Vec<f64> = issues.iter().map(|_| rng.gen_range(0.05..1.0)).collect();
        let total: f64 = raw.iter().sum();
        let prefs: Vec<IssuePreference> = issues
            .iter()
            .zip(&raw)
            .map(|(issue, w)| IssuePreference {
                weight: Noted::new(w / total, assumption()),
                values: issue
                    .options
                    .iter()
                    .map(|_| Noted::bare(rng.gen_range(0.0..1.0)))
                    .collect(),
                ideal: None,
                linear: None,
                points: None,
            })
            .collect();
        let worst = argmin(prefs[i].values.iter().map(|v| v.value));
        let (lo, hi) = shape.reservation;
        let reservation = if hi > lo { rng.gen_range(lo..hi) } else { lo };
        parties.push(Party {
            id: format!("ally{}", a + 1),
            name: format!("Ally {}", a + 1),
            role: Role::Ally,
            veto: false,
            consent: vec![i],
            people: Vec::new(),
            capability: None,
        });
        preferences.push(Some(Preferences {
            reservation: Noted::new(reservation, assumption()),
            basis: assumption(),
            discount: None,
            issues: prefs,
        }));
        let rule = format!("{} != \"{}\"", issues[i].id, issues[i].options[worst].id);
        push_rule(&mut red_lines, &issues, &rule, |constraint, rule| RedLine {
            id: format!("ally{}_r1", a + 1),
            party: p,
            label: format!("red line of ally {}", a + 1),
            rule,
            constraint,
            basis: assumption(),
            derived: false,
        });
    }
    Scenario::new(ScenarioParts {
        id: Some(format!("generated-{seed}")),
        name: format!("Generated scenario (seed {seed})"),
        description: Some("Random preferences; every number is an assumption.".into()),
        sources: Vec::new(),
        parties,
        issues,
        preferences,
        red_lines,
        linkages,
        plans,
        deadlines: Vec::new(),
        simulation: Default::default(),
    })
}

fn push_rule<T>(
    out: &mut Vec<T>,
    issues: &[Issue],
    rule: &str,
    make: impl FnOnce(crate::expr::Constraint, String) -> T,
) {
    // Generated rules name generated ids, so they always compile.
    if let Ok(c) = compile(rule, issues) {
        out.push(make(c, rule.to_string()));
    }
}

fn argmin(values: impl Iterator<Item = f64>) -> usize {
    values
        .enumerate()
        .fold(
            (0, f64::INFINITY),
            |(bi, bv), (i, v)| if v < bv { (i, v) } else { (bi, bv) },
        )
        .0
}
