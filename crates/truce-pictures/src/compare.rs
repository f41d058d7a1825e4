//! Two plans side by side, provision by provision: each plan's option per
//! issue, and for each party what moving from the first plan's option to
//! the second's gains or loses it (weight × value), then the whole
//! difference, linkages included; the numbers are the engine's
//! (`truce_engine::compare`, as `truce compare` prints them).

use crate::{colour, data, px, STYLE};
use maud::{html, Markup};
use truce_engine::compare::compare;
use truce_engine::Scenario;

const LABEL: f64 = 300.0;
const COLUMN: f64 = 96.0;
const ROW: f64 = 34.0;

/// Plans `a` and `b` (scenario indices) side by side; none if either is
/// out of range, they are the same plan, or no party has preferences.
pub fn side_by_side(s: &Scenario, a: usize, b: usize) -> Option<Markup> {
    if a == b {
        return None;
    }
    let c = compare(s, a, b)?;
    if c.valued.is_empty() {
        return None;
    }
    let (pa, pb) = (s.plans[a].package(), s.plans[b].package());
    // Every issue, the unchanged ones with no gain.
    let rows: Vec<(usize, usize, usize, Vec<f64>)> = (0..s.issues.len())
        .map(|i| match c.changes.iter().find(|x| x.issue == i) {
            Some(x) => (i, x.from, x.to, x.gains.clone()),
            None => (i, pa[i] as usize, pb[i] as usize, vec![0.0; c.valued.len()]),
        })
        .collect();
    let whole = &c.difference;
    let valued = &c.valued;
    // Bars share one scale: the largest change on any provision.
    let largest = rows
        .iter()
        .flat_map(|r| r.3.iter())
        .chain(whole)
        .fold(0.0f64, |m, d| m.max(d.abs()))
        .max(1e-9);
    let half = COLUMN / 2.0 - 6.0;
    let width = LABEL + COLUMN * valued.len() as f64 + 10.0;
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
            @for (k, &p) in valued.iter().enumerate() {
                text x=(px(LABEL + COLUMN * (k as f64 + 0.5))) y="48" text-anchor="middle" font-weight="600" {
                    (s.parties[p].name)
                }
            }
            @for (r, (i, from, to, gains)) in rows.iter().enumerate() {
                @let y = 64.0 + ROW * r as f64;
                @let issue = &s.issues[*i];
                @let same = from == to;
                g.provision data-issue=(issue.id) data-from=(issue.options[*from].id)
                    data-to=(issue.options[*to].id) data-changed=(!same) {
                    text x="4" y=(px(y + 12.0)) font-weight="600" { (issue.id) }
                    text x="4" y=(px(y + 26.0)) class={"small" @if same { " same" }} {
                        @if same { "both: " (issue.options[*from].id) }
                        @else { (issue.options[*from].id) " → " (issue.options[*to].id) }
                    }
                    @for (k, &d) in gains.iter().enumerate() {
                        @let cx = LABEL + COLUMN * (k as f64 + 0.5);
                        @let (x, w) = bar(d, cx);
                        g.delta data-party=(s.parties[valued[k]].id) data-delta=(data(d)) {
                            line.zero x1=(px(cx)) x2=(px(cx)) y1=(px(y + 2.0)) y2=(px(y + ROW - 4.0)) {}
                            @if d != 0.0 {
                                rect x=(x) y=(px(y + 6.0)) width=(w) height="12"
                                    fill=(colour(valued[k])) fill-opacity=(if d < 0.0 { "0.45" } else { "1" }) {}
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
                    g.delta data-party=(s.parties[valued[k]].id) data-delta=(data(d)) {
                        line.zero x1=(px(cx)) x2=(px(cx)) y1=(px(y + 2.0)) y2=(px(y + ROW - 4.0)) {}
                        rect x=(x) y=(px(y + 6.0)) width=(w) height="12" fill=(colour(valued[k]))
                            fill-opacity=(if d < 0.0 { "0.45" } else { "1" }) {}
                        text.small x=(px(cx)) y=(px(y + 30.0)) text-anchor="middle" { (format!("{d:+.3}")) }
                    }
                }
            }
        }
    })
}
