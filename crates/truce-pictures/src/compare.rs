//! Two plans side by side, provision by provision: each plan's option per
//! issue, and for each party what moving from the first plan's option to
//! the second's gains or loses it (weight × value), then the whole
//! difference, linkages included.

use crate::{colour, data, px, STYLE};
use maud::{html, Markup};
use truce_engine::utility::Evaluator;
use truce_engine::Scenario;

const LABEL: f64 = 300.0;
const COLUMN: f64 = 96.0;
const ROW: f64 = 34.0;

/// How one party fares on one provision when the first plan's option
/// gives way to the second's.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisionDelta {
    /// The issue (scenario index).
    pub issue: usize,
    /// The first plan's option.
    pub from: usize,
    /// The second plan's option.
    pub to: usize,
    /// Per valued party, in [`Evaluator::valued`] order: the change in
    /// utility, this provision alone.
    pub deltas: Vec<f64>,
}

/// Provision by provision, what plan `b` changes against plan `a`
/// (scenario indices), and each valued party's whole change (which differs
/// from the provisions' sum when a linkage holds in one plan only).
pub fn deltas(s: &Scenario, ev: &Evaluator, a: usize, b: usize) -> (Vec<ProvisionDelta>, Vec<f64>) {
    let (pa, pb) = (s.plans[a].package(), s.plans[b].package());
    let rows = pa
        .iter()
        .zip(&pb)
        .enumerate()
        .map(|(i, (&from, &to))| ProvisionDelta {
            issue: i,
            from: from as usize,
            to: to as usize,
            deltas: (0..ev.valued.len())
                .map(|k| ev.term(k, i, to as usize) - ev.term(k, i, from as usize))
                .collect(),
        })
        .collect();
    let (ua, ub) = (ev.evaluate(&pa).utilities, ev.evaluate(&pb).utilities);
    let whole = ua.iter().zip(&ub).map(|(x, y)| y - x).collect();
    (rows, whole)
}

/// Plans `a` and `b` (scenario indices) side by side; none if either is
/// out of range, they are the same plan, or no party has preferences.
pub fn side_by_side(s: &Scenario, a: usize, b: usize) -> Option<Markup> {
    if a == b || a >= s.plans.len() || b >= s.plans.len() {
        return None;
    }
    let ev = Evaluator::new(s);
    if ev.valued.is_empty() {
        return None;
    }
    let (rows, whole) = deltas(s, &ev, a, b);
    // Bars share one scale: the largest change on any provision.
    let largest = rows
        .iter()
        .flat_map(|r| r.deltas.iter())
        .chain(&whole)
        .fold(0.0f64, |m, d| m.max(d.abs()))
        .max(1e-9);
    let half = COLUMN / 2.0 - 6.0;
    let width = LABEL + COLUMN * ev.valued.len() as f64 + 10.0;
    let height = 64.0 + ROW * (rows.len() + 1) as f64 + 10.0;
    let (plan_a, plan_b) = (&s.plans[a], &s.plans[b]);
    let bar = |d: f64, cx: f64| -> (String, String) {
        let w = d.abs() / largest * half;
        let x = if d < 0.0 { cx - w } else { cx };
        (px(x), px(w))
    };
    Some(html! {
        svg xmlns="http://www.w3.org/2000/svg" class="picture compare-picture"
            viewBox={"0 0 " (px(width)) " " (px(height))} role="img"
            data-from=(plan_a.id) data-to=(plan_b.id) {
            title { (plan_a.name) " and " (plan_b.name) ", provision by provision" }
            desc { "For each issue, the two plans' options; for each party, the utility it gains (bar to the right) or loses (to the left) where the second plan differs from the first. The last row is the whole difference, linkages included." }
            style { (STYLE) ".same{fill:#999}.zero{stroke:#bbb}" }
            text x="4" y="16" font-weight="600" { (plan_a.name) " → " (plan_b.name) }
            @for (k, &p) in ev.valued.iter().enumerate() {
                text x=(px(LABEL + COLUMN * (k as f64 + 0.5))) y="48" text-anchor="middle" font-weight="600" {
                    (s.parties[p].name)
                }
            }
            @for (r, row) in rows.iter().enumerate() {
                @let y = 64.0 + ROW * r as f64;
                @let issue = &s.issues[row.issue];
                @let same = row.from == row.to;
                g.provision data-issue=(issue.id) data-from=(issue.options[row.from].id)
                    data-to=(issue.options[row.to].id) data-changed=(!same) {
                    text x="4" y=(px(y + 12.0)) font-weight="600" { (issue.id) }
                    text x="4" y=(px(y + 26.0)) class={"small" @if same { " same" }} {
                        @if same { "both: " (issue.options[row.from].id) }
                        @else { (issue.options[row.from].id) " → " (issue.options[row.to].id) }
                    }
                    @for (k, &d) in row.deltas.iter().enumerate() {
                        @let cx = LABEL + COLUMN * (k as f64 + 0.5);
                        @let (x, w) = bar(d, cx);
                        g.delta data-party=(s.parties[ev.valued[k]].id) data-delta=(data(d)) {
                            line.zero x1=(px(cx)) x2=(px(cx)) y1=(px(y + 2.0)) y2=(px(y + ROW - 4.0)) {}
                            @if d != 0.0 {
                                rect x=(x) y=(px(y + 6.0)) width=(w) height="12"
                                    fill=(colour(ev.valued[k])) fill-opacity=(if d < 0.0 { "0.45" } else { "1" }) {}
                                text.small x=(px(cx)) y=(px(y + 30.0)) text-anchor="middle" { (format!("{d:+.3}")) }
                            }
                        }
                    }
                }
            }
            @let y = 64.0 + ROW * rows.len() as f64;
            g.total {
                line.grid x1="4" x2=(px(width - 6.0)) y1=(px(y)) y2=(px(y)) {}
                text x="4" y=(px(y + 18.0)) font-weight="600" { "whole plan" }
                @for (k, &d) in whole.iter().enumerate() {
                    @let cx = LABEL + COLUMN * (k as f64 + 0.5);
                    @let (x, w) = bar(d, cx);
                    g.delta data-party=(s.parties[ev.valued[k]].id) data-delta=(data(d)) {
                        line.zero x1=(px(cx)) x2=(px(cx)) y1=(px(y + 2.0)) y2=(px(y + ROW - 4.0)) {}
                        rect x=(x) y=(px(y + 6.0)) width=(w) height="12" fill=(colour(ev.valued[k]))
                            fill-opacity=(if d < 0.0 { "0.45" } else { "1" }) {}
                        text.small x=(px(cx)) y=(px(y + 30.0)) text-anchor="middle" { (format!("{d:+.3}")) }
                    }
                }
            }
        }
    })
}
