//! Two plans side by side: the provisions that differ, what each
//! difference alone gains or loses each party (weight × value), each
//! party's whole difference (which differs from the sum when a linkage
//! holds in one plan only: that part is the linkages' effect), and the red
//! lines each plan crosses. Needs no analysis, so it works on a space of
//! any size.

use crate::model::Scenario;
use crate::utility::Evaluator;

/// One provision on which the plans differ.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisionChange {
    /// The issue (scenario index).
    pub issue: usize,
    /// The first plan's option.
    pub from: usize,
    /// The second plan's option.
    pub to: usize,
    /// Per party with preferences (scenario order): the utility this
    /// change alone brings, second plan minus first.
    pub gains: Vec<f64>,
}

/// How plan `b` compares with plan `a`.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanComparison {
    /// The first plan (scenario index).
    pub a: usize,
    /// The second plan.
    pub b: usize,
    /// Parties with preferences (scenario indices), the order of every
    /// per-party list.
    pub valued: Vec<usize>,
    /// The provisions that differ, in issue order.
    pub changes: Vec<ProvisionChange>,
    /// Each party's utility of the first plan.
    pub utility_a: Vec<f64>,
    /// Each party's utility of the second plan.
    pub utility_b: Vec<f64>,
    /// Each party's whole difference, second minus first.
    pub difference: Vec<f64>,
    /// The part of the difference no single provision explains: linkages
    /// that hold in one plan and not the other.
    pub linkages: Vec<f64>,
    /// Red lines the first plan crosses (scenario indices).
    pub crosses_a: Vec<usize>,
    /// Red lines the second plan crosses.
    pub crosses_b: Vec<usize>,
}

fn crossed(mask: u64, n: usize) -> Vec<usize> {
    (0..n).filter(|r| mask >> r & 1 == 1).collect()
}

/// Plan `b` against plan `a` (scenario indices; both must exist).
pub fn compare(s: &Scenario, a: usize, b: usize) -> Option<PlanComparison> {
    let (pa, pb) = (s.plans.get(a)?.package(), s.plans.get(b)?.package());
    let ev = Evaluator::new(s);
    let changes: Vec<ProvisionChange> = pa
        .iter()
        .zip(&pb)
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .map(|(i, (&from, &to))| ProvisionChange {
            issue: i,
            from: from as usize,
            to: to as usize,
            gains: (0..ev.valued.len())
                .map(|k| ev.term(k, i, to as usize) - ev.term(k, i, from as usize))
                .collect(),
        })
        .collect();
    let (ea, eb) = (ev.evaluate(&pa), ev.evaluate(&pb));
    let difference: Vec<f64> = ea
        .utilities
        .iter()
        .zip(&eb.utilities)
        .map(|(x, y)| y - x)
        .collect();
    let linkages = difference
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let explained: f64 = changes.iter().map(|c| c.gains[k]).sum();
            let rest = d - explained;
            // Sums in another order differ in the last bits, not in meaning.
            if rest.abs() < 1e-12 {
                0.0
            } else {
                rest
            }
        })
        .collect();
    Some(PlanComparison {
        a,
        b,
        valued: ev.valued.clone(),
        changes,
        utility_a: ea.utilities,
        utility_b: eb.utilities,
        difference,
        linkages,
        crosses_a: crossed(ea.crossed, s.red_lines.len()),
        crosses_b: crossed(eb.crossed, s.red_lines.len()),
    })
}
