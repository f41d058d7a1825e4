//! Issue-limited consent. A party may have a say only on some issues (the
//! European allies on the frozen assets held in Europe): it does not
//! bargain, but a package it would refuse on those issues is no deal. Its
//! red lines that mention only those issues bind (see
//! [`ScenarioParts::red_line_binds`]), and its reservation value binds on
//! its utility over those issues alone, its weights there renormalised to
//! sum to 1 (linkages left out): Σ_{i∈V} w_i v_i / Σ_{i∈V} w_i ≥ r. That
//! condition mentions only those issues, so it is written as one more red
//! line of the party's, derived when the scenario is built and never
//! written back; every analysis, search and simulation then treats it like
//! any other binding red line, and reports name it.

use crate::expr::{Constraint, OptionSet};
use crate::model::{RedLine, ScenarioParts};

/// Most combinations of options over a party's consent issues that a
/// derived red line may enumerate.
pub const MAX_CONSENT_COMBINATIONS: usize = 4096;

/// Replaces the derived red lines of `s` with those its parties' consent
/// issues, preferences and reservation values give now.
pub fn derive(s: &mut ScenarioParts) {
    s.red_lines.retain(|r| !r.derived);
    for p in 0..s.parties.len() {
        if let Some(line) = consent_line(s, p) {
            s.red_lines.push(line);
        }
    }
}

/// The combinations of options over `issues` (each as options per issue, in
/// the order of `issues`), if there are at most
/// [`MAX_CONSENT_COMBINATIONS`].
pub fn combinations(s: &ScenarioParts, issues: &[usize]) -> Option<Vec<Vec<usize>>> {
    let radices: Vec<usize> = issues
        .iter()
        .map(|&i| s.issues.get(i).map(|x| x.options.len()))
        .collect::<Option<_>>()?;
    let count = radices
        .iter()
        .try_fold(1usize, |n, &r| n.checked_mul(r))
        .filter(|&n| n <= MAX_CONSENT_COMBINATIONS)?;
    let mut out = Vec::with_capacity(count);
    let mut combo = vec![0usize; issues.len()];
    for _ in 0..count {
        out.push(combo.clone());
        for j in (0..combo.len()).rev() {
            combo[j] += 1;
            if combo[j] < radices[j] {
                break;
            }
            combo[j] = 0;
        }
    }
    Some(out)
}

/// The red line party `p`'s reservation value makes over its consent
/// issues, if it has consent issues, preferences, weight on them and some
/// combination it would refuse.
fn consent_line(s: &ScenarioParts, p: usize) -> Option<RedLine> {
    let party = s.parties.get(p)?;
    if party.veto || party.consent.is_empty() {
        return None;
    }
    let prefs = s.preferences.get(p)?.as_ref()?;
    let issues = &party.consent;
    let weights: Vec<f64> = issues
        .iter()
        .map(|&i| prefs.issues.get(i).map(|ip| ip.weight.value))
        .collect::<Option<_>>()?;
    let total: f64 = weights.iter().sum();
    if total.is_nan() || total <= 0.0 {
        return None;
    }
    let reservation = prefs.reservation.value;
    let mut accepted: Vec<Vec<usize>> = Vec::new();
    let mut refused = false;
    for combo in combinations(s, issues)? {
        let worth: f64 = issues
            .iter()
            .zip(&combo)
            .zip(&weights)
            .map(|((&i, &o), w)| w * prefs.issues[i].values.get(o).map_or(0.0, |v| v.value))
            .sum::<f64>()
            / total;
        if worth >= reservation {
            accepted.push(combo);
        } else {
            refused = true;
        }
    }
    if !refused {
        return None;
    }
    let id_of = |i: usize| s.issues[i].id.as_str();
    let option_of = |i: usize, o: usize| s.issues[i].options[o].id.as_str();
    let (constraint, rule) = if issues.len() == 1 {
        let i = issues[0];
        let mut set = OptionSet::empty(s.issues[i].options.len());
        let mut ids = Vec::new();
        for combo in &accepted {
            set.insert(combo[0]);
            ids.push(format!("\"{}\"", option_of(i, combo[0])));
        }
        (
            Constraint::In {
                issue: i,
                options: set,
            },
            format!("{} in [{}]", id_of(i), ids.join(", ")),
        )
    } else {
        let mut any = Vec::new();
        let mut text = Vec::new();
        for combo in &accepted {
            let mut all = Vec::new();
            let mut words = Vec::new();
            for (&i, &o) in issues.iter().zip(combo) {
                let mut set = OptionSet::empty(s.issues[i].options.len());
                set.insert(o);
                all.push(Constraint::In {
                    issue: i,
                    options: set,
                });
                words.push(format!("{} == \"{}\"", id_of(i), option_of(i, o)));
            }
            any.push(Constraint::All(all));
            text.push(format!("({})", words.join(" and ")));
        }
        let rule = if text.is_empty() {
            "false".to_string()
        } else {
            text.join(" or ")
        };
        (Constraint::Any(any), rule)
    };
    let issue_ids: Vec<&str> = issues.iter().map(|&i| id_of(i)).collect();
    let shown = format!("{reservation:.3}");
    let shown = shown.trim_end_matches('0').trim_end_matches('.');
    let mut id = format!("{}_consent", party.id);
    while s.red_lines.iter().any(|r| r.id == id) {
        id.push('_');
    }
    Some(RedLine {
        id,
        party: p,
        label: format!(
            "its consent on {}: worth at least its value of no deal ({}) over those issues",
            issue_ids.join(", "),
            shown
        ),
        rule,
        constraint,
        basis: Some(format!(
            "derived: {}'s reservation value over the issues of its limited veto ({}), its weights there renormalised",
            party.name,
            issue_ids.join(", ")
        )),
        derived: true,
    })
}
