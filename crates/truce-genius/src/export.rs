//! truce scenario → GENIUS XML.

use crate::{slug, GeniusFile};
use truce_engine::model::*;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
/// Why a scenario cannot be written as GENIUS files.
pub struct ExportError(pub String);

#[derive(Debug, Clone, PartialEq)]
/// A scenario written as GENIUS files.
pub struct Exported {
    /// `domain.xml`, then one `<party id>.xml` per party with preferences.
    pub files: Vec<GeniusFile>,
    /// What GENIUS cannot hold and was left out (red lines, linkages, plans…).
    pub left_out: Vec<String>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An issue GENIUS can hold as an integer range with linear evaluators:
/// ordered, options the integers lower..=upper, every party valuing it
/// linearly (or not at all).
fn integer_range(s: &Scenario, i: usize) -> Option<(i64, i64)> {
    let issue = &s.issues[i];
    if !issue.ordered || issue.deferrable {
        return None;
    }
    let first: i64 = issue.options.first()?.id.parse().ok()?;
    for (k, o) in issue.options.iter().enumerate() {
        if o.id != (first + k as i64).to_string() {
            return None;
        }
    }
    let all_linear = s.preferences.iter().flatten().all(|p| {
        let ip = &p.issues[i];
        ip.linear.is_some() || (ip.weight.value == 0.0 && ip.values.iter().all(|v| v.value == 0.0))
    });
    all_linear.then(|| (first, first + issue.options.len() as i64 - 1))
}

/// Writes the scenario as a GENIUS domain and one profile per party with
/// preferences. Refuses what GENIUS would read differently.
pub fn export(s: &Scenario) -> Result<Exported, ExportError> {
    let mut left_out = Vec::new();
    if !s.red_lines.is_empty() {
        left_out.push(format!(
            "{} red lines (GENIUS has no hard constraints)",
            s.red_lines.len()
        ));
    }
    if !s.linkages.is_empty() {
        return Err(ExportError(format!(
            "linkage `{}` makes utility non-additive, which a GENIUS linear additive profile cannot hold",
            s.linkages[0].id
        )));
    }
    if !s.plans.is_empty() {
        left_out.push(format!("{} plans", s.plans.len()));
    }
    if !s.deadlines.is_empty() {
        left_out.push(format!("{} deadlines", s.deadlines.len()));
    }
    if s.simulation != Default::default() {
        left_out.push("the simulation settings and strategies".to_string());
    }
    let spreads = s
        .preferences
        .iter()
        .flatten()
        .flat_map(|p| {
            std::iter::once(&p.reservation)
                .chain(p.issues.iter().map(|ip| &ip.weight))
                .chain(p.issues.iter().flat_map(|ip| &ip.values))
        })
        .filter(|n| n.spread.is_some())
        .count();
    if spreads > 0 {
        left_out.push(format!(
            "the uncertainty of {spreads} estimates (GENIUS holds one value each)"
        ));
    }
    let integer: Vec<Option<(i64, i64)>> =
        (0..s.issues.len()).map(|i| integer_range(s, i)).collect();

    let mut d =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<negotiation_template>\n");
    d.push_str(&format!(
        "<utility_space number_of_issues=\"{}\">\n",
        s.issues.len()
    ));
    d.push_str(&format!(
        "<objective index=\"0\" name=\"{}\" description=\"\" type=\"objective\" etype=\"objective\">\n",
        esc(&s.name)
    ));
    for (i, issue) in s.issues.iter().enumerate() {
        // The question is the GENIUS name when the id came from it.
        let name = if slug(&issue.question) == issue.id {
            &issue.question
        } else {
            &issue.id
        };
        match integer[i] {
            Some((lo, hi)) => d.push_str(&format!(
                "  <issue index=\"{}\" name=\"{}\" description=\"{}\" etype=\"integer\" type=\"integer\" vtype=\"integer\" lowerbound=\"{lo}\" upperbound=\"{hi}\">\n  </issue>\n",
                i + 1, esc(name), esc(&issue.question)
            )),
            None => {
                d.push_str(&format!(
                    "  <issue index=\"{}\" name=\"{}\" description=\"{}\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\">\n",
                    i + 1, esc(name), esc(&issue.question)
                ));
                for (k, o) in issue.options.iter().enumerate() {
                    d.push_str(&format!(
                        "    <item index=\"{}\" value=\"{}\" description=\"{}\"/>\n",
                        k + 1, esc(&o.id), esc(&o.label)
                    ));
                }
                d.push_str("  </issue>\n");
            }
        }
    }
    d.push_str("</objective>\n</utility_space>\n</negotiation_template>\n");
    let mut files = vec![GeniusFile {
        name: "domain.xml".into(),
        text: d,
    }];

    for (p, prefs) in s.preferences.iter().enumerate() {
        let Some(prefs) = prefs else { continue };
        let party = &s.parties[p];
        let mut t = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<utility_space>\n");
        t.push_str(&format!(
            "<objective index=\"0\" name=\"{}\" description=\"\" type=\"objective\" etype=\"objective\">\n",
            esc(&s.name)
        ));
        for (i, ip) in prefs.issues.iter().enumerate() {
            t.push_str(&format!(
                "  <weight index=\"{}\" value=\"{}\"/>\n",
                i + 1,
                ip.weight.value
            ));
        }
        for (i, (issue, ip)) in s.issues.iter().zip(&prefs.issues).enumerate() {
            let name = if slug(&issue.question) == issue.id {
                &issue.question
            } else {
                &issue.id
            };
            match integer[i] {
                Some((lo, hi)) => {
                    let (offset, slope) = ip.linear.unwrap_or((0.0, 0.0));
                    t.push_str(&format!(
                        "  <issue index=\"{}\" name=\"{}\" etype=\"integer\" type=\"integer\" vtype=\"integer\" lowerbound=\"{lo}\" upperbound=\"{hi}\">\n    <evaluator ftype=\"linear\" offset=\"{offset}\" slope=\"{slope}\"/>\n  </issue>\n",
                        i + 1, esc(name)
                    ));
                }
                None => {
                    // GENIUS divides by the issue's largest evaluation, so a
                    // party whose best option is worth less than 1 would read
                    // differently.
                    let max = ip.values.iter().map(|v| v.value).fold(0.0, f64::max);
                    if ip.weight.value > 0.0 && max > 0.0 && max < 1.0 {
                        return Err(ExportError(format!(
                            "party `{}` values no option of issue `{}` at 1 (best {max}); GENIUS would rescale it to 1",
                            party.id, issue.id
                        )));
                    }
                    t.push_str(&format!(
                        "  <issue index=\"{}\" name=\"{}\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\">\n",
                        i + 1, esc(name)
                    ));
                    for (k, (o, v)) in issue.options.iter().zip(&ip.values).enumerate() {
                        t.push_str(&format!(
                            "    <item index=\"{}\" value=\"{}\" evaluation=\"{}\"/>\n",
                            k + 1,
                            esc(&o.id),
                            v.value
                        ));
                    }
                    t.push_str("  </issue>\n");
                }
            }
        }
        t.push_str("</objective>\n");
        if let Some(df) = &prefs.discount {
            t.push_str(&format!("<discount_factor value=\"{}\"/>\n", df.value));
        }
        t.push_str(&format!(
            "<reservation value=\"{}\"/>\n</utility_space>\n",
            prefs.reservation.value
        ));
        files.push(GeniusFile {
            name: format!("{}.xml", party.id),
            text: t,
        });
    }
    if s.parties.iter().any(|p| p.role != Role::Party) {
        left_out.push("party roles (GENIUS profiles are all negotiators)".into());
    }
    Ok(Exported { files, left_out })
}
