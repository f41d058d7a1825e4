//! `truce compare`: two plans side by side, as a table for a person and
//! as JSON (docs/analysis-json.md, "compare").

use crate::analysis::{cell, num, table};
use crate::analysis_json::round;
use indexmap::IndexMap;
use serde::Serialize;
use std::io::{self, Write};
use truce_engine::compare::PlanComparison;
use truce_engine::Scenario;

const DECIMALS: i32 = crate::analysis_json::DECIMALS;

/// One plan as the comparison reports it.
#[derive(Serialize)]
pub struct ComparedPlan<'a> {
    id: &'a str,
    name: &'a str,
    /// Each party's utility of it.
    utilities: IndexMap<&'a str, f64>,
    /// The red lines it crosses, by id.
    crosses: Vec<&'a str>,
}

/// One provision that differs.
#[derive(Serialize)]
pub struct ChangeJson<'a> {
    issue: &'a str,
    from: &'a str,
    to: &'a str,
    /// Each party's gain from this change alone (negative: a loss).
    gains: IndexMap<&'a str, f64>,
}

/// The JSON of `truce compare --format json`.
#[derive(Serialize)]
pub struct CompareJson<'a> {
    a: ComparedPlan<'a>,
    b: ComparedPlan<'a>,
    changes: Vec<ChangeJson<'a>>,
    unchanged: Vec<&'a str>,
    /// Each party's whole difference, `b` minus `a`.
    difference: IndexMap<&'a str, f64>,
    /// The part of the difference no single provision explains (linkages).
    linkages: IndexMap<&'a str, f64>,
}

fn per_party<'a>(s: &'a Scenario, c: &PlanComparison, xs: &[f64]) -> IndexMap<&'a str, f64> {
    c.valued
        .iter()
        .zip(xs)
        .map(|(&p, &x)| (s.parties[p].id.as_str(), round(x, DECIMALS)))
        .collect()
}

impl<'a> CompareJson<'a> {
    /// The comparison `c` of two plans of `s`.
    pub fn new(s: &'a Scenario, c: &PlanComparison) -> Self {
        let plan = |i: usize, u: &[f64], crosses: &[usize]| ComparedPlan {
            id: &s.plans[i].id,
            name: &s.plans[i].name,
            utilities: per_party(s, c, u),
            crosses: crosses
                .iter()
                .map(|&r| s.red_lines[r].id.as_str())
                .collect(),
        };
        CompareJson {
            a: plan(c.a, &c.utility_a, &c.crosses_a),
            b: plan(c.b, &c.utility_b, &c.crosses_b),
            changes: c
                .changes
                .iter()
                .map(|x| {
                    let issue = &s.issues[x.issue];
                    ChangeJson {
                        issue: &issue.id,
                        from: &issue.options[x.from].id,
                        to: &issue.options[x.to].id,
                        gains: per_party(s, c, &x.gains),
                    }
                })
                .collect(),
            unchanged: (0..s.issues.len())
                .filter(|i| !c.changes.iter().any(|x| x.issue == *i))
                .map(|i| s.issues[i].id.as_str())
                .collect(),
            difference: per_party(s, c, &c.difference),
            linkages: per_party(s, c, &c.linkages),
        }
    }
}

fn red_lines(s: &Scenario, crosses: &[usize]) -> String {
    if crosses.is_empty() {
        return "none".into();
    }
    crosses
        .iter()
        .map(|&r| {
            let rl = &s.red_lines[r];
            format!("{}: {}", s.parties[rl.party].name, rl.label)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The comparison for a person: the provisions that differ with each
/// party's gain, the whole difference, and the red lines each plan crosses.
pub fn write_comparison<W: Write + ?Sized>(
    w: &mut W,
    s: &Scenario,
    c: &PlanComparison,
) -> io::Result<()> {
    let (a, b) = (&s.plans[c.a], &s.plans[c.b]);
    writeln!(w, "truce compare: {}\n", s.name)?;
    writeln!(w, "A: {} ({})", a.name, a.id)?;
    writeln!(w, "B: {} ({})\n", b.name, b.id)?;
    if c.changes.is_empty() {
        writeln!(w, "The two plans agree on every provision.\n")?;
    } else {
        writeln!(
            w,
            "PROVISIONS THAT DIFFER ({} of {}), and what moving from A to B gains each party",
            c.changes.len(),
            s.issues.len()
        )?;
        let mut t = table();
        let mut header = vec![cell("Issue"), cell("A"), cell("B")];
        header.extend(c.valued.iter().map(|&p| cell(&s.parties[p].name)));
        t.set_header(header);
        for x in &c.changes {
            let issue = &s.issues[x.issue];
            let mut row = vec![
                cell(&issue.id),
                cell(&issue.options[x.from].id),
                cell(&issue.options[x.to].id),
            ];
            row.extend(x.gains.iter().map(|&g| signed(g)));
            t.add_row(row);
        }
        if c.linkages.iter().any(|&x| x != 0.0) {
            let mut row = vec![cell("linkages"), cell(""), cell("")];
            row.extend(c.linkages.iter().map(|&g| signed(g)));
            t.add_row(row);
        }
        let mut row = vec![cell("whole plan"), cell(""), cell("")];
        row.extend(c.difference.iter().map(|&g| signed(g)));
        t.add_row(row);
        writeln!(w, "{t}\n")?;
    }
    writeln!(w, "UTILITIES")?;
    let mut t = table();
    let mut header = vec![cell("Plan")];
    header.extend(c.valued.iter().map(|&p| cell(&s.parties[p].name)));
    t.set_header(header);
    let mut row = vec![cell(&a.id)];
    row.extend(c.utility_a.iter().map(|&u| num(u)));
    t.add_row(row);
    let mut row = vec![cell(&b.id)];
    row.extend(c.utility_b.iter().map(|&u| num(u)));
    t.add_row(row);
    writeln!(w, "{t}\n")?;
    writeln!(w, "RED LINES CROSSED")?;
    writeln!(w, "  A: {}", red_lines(s, &c.crosses_a))?;
    writeln!(w, "  B: {}", red_lines(s, &c.crosses_b))?;
    Ok(())
}

fn signed(x: f64) -> comfy_table::Cell {
    comfy_table::Cell::new(format!("{x:+.3}")).set_alignment(comfy_table::CellAlignment::Right)
}
