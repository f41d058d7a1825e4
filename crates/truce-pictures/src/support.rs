//! Support per plan per party: each party's utility of each plan as a bar,
//! its reservation value as a tick (below it, the party is better off
//! walking away), and whether it can sign.

use crate::{colour, data, percent, px, Scale, STYLE};
use maud::{html, Markup};
use truce_engine::analysis::Analysis;
use truce_engine::Scenario;

const W: f64 = 720.0;
const LEFT: f64 = 150.0;
const RIGHT: f64 = 520.0;
const ROW: f64 = 20.0;
const GAP: f64 = 26.0;

/// The support picture of every plan; none when the scenario has no plans
/// or no party with preferences.
pub fn support(s: &Scenario, a: &Analysis) -> Option<Markup> {
    if a.plans.is_empty() || a.valued.is_empty() {
        return None;
    }
    let rows = a.valued.len() as f64;
    let block = GAP + rows * ROW;
    let height = 34.0 + block * a.plans.len() as f64 + 10.0;
    let sx = Scale::new((0.0, 1.0), (LEFT, RIGHT));
    Some(html! {
        svg xmlns="http://www.w3.org/2000/svg" class="picture support-picture"
            viewBox={"0 0 " (W) " " (px(height))} role="img" {
            title { "Support for each plan, party by party" }
            desc { "Each bar is a party's utility of the plan, from 0 to 1; the tick is its reservation value. A bar ending left of the tick means the party does better with no agreement." }
            style { (STYLE) ".bar.no{fill-opacity:.35}.tick{stroke:#111;stroke-width:2}" }
            @for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
                line.grid x1=(px(sx.at(t))) x2=(px(sx.at(t))) y1="22" y2=(px(height - 10.0)) {}
                text.small.muted x=(px(sx.at(t))) y="14" text-anchor="middle" { (t) }
            }
            @for (i, r) in a.plans.iter().enumerate() {
                @let top = 30.0 + block * i as f64;
                @let plan = &s.plans[r.plan];
                g.plan data-plan=(plan.id) data-feasible=(r.feasible()) {
                    text x="4" y=(px(top + 14.0)) font-weight="600" {
                        (plan.name) @if !r.feasible() { " — blocked" }
                    }
                    @for (j, v) in r.parties.iter().enumerate() {
                        @let y = top + GAP + ROW * j as f64;
                        @let name = &s.parties[v.party].name;
                        g.support data-party=(s.parties[v.party].id) data-utility=(data(v.utility))
                            data-support=(data(v.support)) data-reservation=(data(v.reservation))
                            data-acceptable=(v.acceptable) {
                            text x=(px(LEFT - 8.0)) y=(px(y + 4.0)) text-anchor="end" { (name) }
                            rect class={"bar " (if v.acceptable { "yes" } else { "no" })}
                                x=(px(LEFT)) y=(px(y - 7.0)) width=(px((sx.at(v.utility.clamp(0.0, 1.0)) - LEFT).max(0.0)))
                                height="14" fill=(colour(v.party)) {}
                            line.tick x1=(px(sx.at(v.reservation))) x2=(px(sx.at(v.reservation)))
                                y1=(px(y - 9.0)) y2=(px(y + 9.0)) {}
                            text.small x=(px(RIGHT + 8.0)) y=(px(y + 4.0)) {
                                (format!("{:.2}", v.utility)) " · " (percent(v.support / 100.0)) " support"
                                @if !v.acceptable {
                                    @if v.crosses.is_empty() { " · below reservation" } @else { " · red line" }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}
