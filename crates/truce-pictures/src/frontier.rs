//! The Pareto frontier for two parties: where the feasible packages lie
//! (a density, never a point per package), the frontier's packages, each
//! plan, the four bargaining solutions and the best and final offer, and
//! each party's reservation value as a line.

use crate::{colour, data, px, Scale, STYLE};
use maud::{html, Markup};
use std::collections::BTreeMap;
use truce_engine::analysis::density::Density;
use truce_engine::analysis::{Analysis, Point};
use truce_engine::Scenario;

/// Past this many distinct points the frontier is drawn at the picture's
/// resolution: points closer than a pixel share one mark (its
/// `data-packages` adds them up).
pub const MAX_FRONTIER_MARKS: usize = 2_000;

const W: f64 = 700.0;
const H: f64 = 470.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 470.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 410.0;

/// One frontier mark: where it is and how many packages it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierMark {
    /// Utility to the horizontal axis's party.
    pub x: f64,
    /// Utility to the vertical axis's party.
    pub y: f64,
    /// Packages of the frontier at this point.
    pub packages: u64,
}

/// The frontier's packages as marks over parties `x` and `y` (valued
/// positions): one per distinct pair of utilities, or per pixel when there
/// are more than [`MAX_FRONTIER_MARKS`].
pub fn frontier_marks(pareto: &[Point], kx: usize, ky: usize) -> Vec<FrontierMark> {
    let mut exact: BTreeMap<(u64, u64), u64> = BTreeMap::new();
    for p in pareto {
        let (Some(&x), Some(&y)) = (p.utilities.get(kx), p.utilities.get(ky)) else {
            continue;
        };
        *exact.entry((x.to_bits(), y.to_bits())).or_default() += 1;
    }
    if exact.len() <= MAX_FRONTIER_MARKS {
        return exact
            .into_iter()
            .map(|((x, y), n)| FrontierMark {
                x: f64::from_bits(x),
                y: f64::from_bits(y),
                packages: n,
            })
            .collect();
    }
    // One mark per pixel of the plot, at the mean of its points.
    let (sx, sy) = (RIGHT - LEFT, BOTTOM - TOP);
    let mut cells: BTreeMap<(i64, i64), (f64, f64, u64)> = BTreeMap::new();
    for ((x, y), n) in exact {
        let (x, y) = (f64::from_bits(x), f64::from_bits(y));
        let key = ((x * sx).round() as i64, (y * sy).round() as i64);
        let c = cells.entry(key).or_insert((0.0, 0.0, 0));
        c.0 += x * n as f64;
        c.1 += y * n as f64;
        c.2 += n;
    }
    cells
        .into_values()
        .map(|(x, y, n)| FrontierMark {
            x: x / n as f64,
            y: y / n as f64,
            packages: n,
        })
        .collect()
}

/// The frontier picture for parties `x` and `y` (scenario indices, both
/// with preferences), over `density` when given (for the same two
/// parties). None when either party has no preferences.
pub fn frontier(
    s: &Scenario,
    a: &Analysis,
    x: usize,
    y: usize,
    density: Option<&Density>,
) -> Option<Markup> {
    let (kx, ky) = (a.valued_pos(x)?, a.valued_pos(y)?);
    let (px_name, py_name) = (&s.parties[x].name, &s.parties[y].name);
    let density = density.filter(|d| d.x == x && d.y == y);
    // Utilities live in [0, 1]; the axes show all of it, so pictures of
    // one scenario compare at a glance.
    let sx = Scale::new((0.0, 1.0), (LEFT, RIGHT));
    let sy = Scale::new((0.0, 1.0), (BOTTOM, TOP));
    let marks = frontier_marks(&a.pareto, kx, ky);
    let ticks = [0.0, 0.25, 0.5, 0.75, 1.0];
    let solutions: Vec<(&str, &str, &Option<Point>)> = vec![
        ("nash", "Nash", &a.solutions.nash),
        (
            "kalai_smorodinsky",
            "Kalai–Smorodinsky",
            &a.solutions.kalai_smorodinsky,
        ),
        ("utilitarian", "utilitarian", &a.solutions.utilitarian),
        ("egalitarian", "egalitarian", &a.solutions.egalitarian),
    ];
    let at =
        |p: &Point| -> Option<(f64, f64)> { Some((*p.utilities.get(kx)?, *p.utilities.get(ky)?)) };
    let plan_points: Vec<(&str, &str, f64, f64, bool)> = a
        .plans
        .iter()
        .filter_map(|r| {
            let ux = r.parties.iter().find(|v| v.party == x)?.utility;
            let uy = r.parties.iter().find(|v| v.party == y)?.utility;
            let plan = &s.plans[r.plan];
            Some((plan.id.as_str(), plan.name.as_str(), ux, uy, r.feasible()))
        })
        .collect();
    let reservation = |k: usize| a.parties.get(k).map(|p| p.reservation);
    let max_count = density
        .map(|d| d.counts.iter().copied().max().unwrap_or(0))
        .unwrap_or(0);
    let title = format!("Pareto frontier: {px_name} and {py_name}");
    let desc = format!(
        "{} frontier package{} over {} distinct pairs of utilities{}; {} plan{}.",
        a.pareto_count(),
        if a.pareto_count() == 1 { "" } else { "s" },
        marks.len(),
        match density {
            Some(d) if d.sampled => format!(
                "; shading: {} feasible of {} packages sampled",
                d.feasible, d.examined
            ),
            Some(d) => format!("; shading: all {} feasible packages", d.feasible),
            None => String::new(),
        },
        plan_points.len(),
        if plan_points.len() == 1 { "" } else { "s" },
    );
    Some(html! {
        svg xmlns="http://www.w3.org/2000/svg" class="picture frontier-picture"
            viewBox={"0 0 " (W) " " (H)} role="img"
            data-x-party=(s.parties[x].id) data-y-party=(s.parties[y].id)
            data-pareto-count=(a.pareto_count()) {
            title { (title) }
            desc { (desc) }
            style { (STYLE) ".density{fill:#4a6fa5}.extent{fill:none;stroke:#4a6fa5;stroke-dasharray:4 3}.frontier{fill:#111}.reservation{stroke-width:1.5;stroke-dasharray:6 4}.plan rect{stroke:#111;stroke-width:1.2}.solution{stroke:#111;stroke-width:1.2}" }
            // Grid and axes.
            @for t in ticks {
                line.grid x1=(px(sx.at(t))) x2=(px(sx.at(t))) y1=(px(TOP)) y2=(px(BOTTOM)) {}
                line.grid x1=(px(LEFT)) x2=(px(RIGHT)) y1=(px(sy.at(t))) y2=(px(sy.at(t))) {}
                text.small.muted x=(px(sx.at(t))) y=(px(BOTTOM + 16.0)) text-anchor="middle" { (t) }
                text.small.muted x=(px(LEFT - 6.0)) y=(px(sy.at(t) + 4.0)) text-anchor="end" { (t) }
            }
            g.axis {
                line x1=(px(LEFT)) x2=(px(RIGHT)) y1=(px(BOTTOM)) y2=(px(BOTTOM)) {}
                line x1=(px(LEFT)) x2=(px(LEFT)) y1=(px(TOP)) y2=(px(BOTTOM)) {}
            }
            text x=(px((LEFT + RIGHT) / 2.0)) y=(px(BOTTOM + 38.0)) text-anchor="middle" { "utility to " (px_name) }
            text x="16" y=(px((TOP + BOTTOM) / 2.0)) text-anchor="middle"
                transform={"rotate(-90 16 " (px((TOP + BOTTOM) / 2.0)) ")"} { "utility to " (py_name) }
            // Where the feasible packages lie.
            @if let Some(d) = density {
                @let cell = 1.0 / d.bins as f64;
                @for (i, &n) in d.counts.iter().enumerate() {
                    @if n > 0 {
                        @let (cx, cy) = ((i % d.bins) as f64 * cell, (i / d.bins) as f64 * cell);
                        @let shade = 0.12 + 0.6 * ((n as f64).ln_1p() / (max_count as f64).ln_1p().max(1e-9));
                        rect.density x=(px(sx.at(cx))) y=(px(sy.at(cy + cell)))
                            width=(px(sx.at(cx + cell) - sx.at(cx))) height=(px(sy.at(cy) - sy.at(cy + cell)))
                            fill-opacity=(format!("{shade:.2}")) data-count=(n) {}
                    }
                }
                @if let Some(((x0, y0), (x1, y1))) = d.extent {
                    rect.extent x=(px(sx.at(x0))) y=(px(sy.at(y1))) width=(px(sx.at(x1) - sx.at(x0)))
                        height=(px(sy.at(y0) - sy.at(y1)))
                        data-x-min=(data(x0)) data-x-max=(data(x1)) data-y-min=(data(y0)) data-y-max=(data(y1)) {}
                }
            }
            // Each party's walk-away point.
            @if let Some(r) = reservation(kx) {
                line.reservation x1=(px(sx.at(r))) x2=(px(sx.at(r))) y1=(px(TOP)) y2=(px(BOTTOM))
                    stroke=(colour(x)) data-party=(s.parties[x].id) data-value=(data(r)) {}
            }
            @if let Some(r) = reservation(ky) {
                line.reservation x1=(px(LEFT)) x2=(px(RIGHT)) y1=(px(sy.at(r))) y2=(px(sy.at(r)))
                    stroke=(colour(y)) data-party=(s.parties[y].id) data-value=(data(r)) {}
            }
            @for m in &marks {
                circle.frontier cx=(px(sx.at(m.x))) cy=(px(sy.at(m.y))) r="3"
                    data-x=(data(m.x)) data-y=(data(m.y)) data-packages=(m.packages) {}
            }
            @for (id, name, ux, uy, feasible) in &plan_points {
                g.plan data-plan=(id) data-x=(data(*ux)) data-y=(data(*uy)) data-feasible=(feasible) {
                    rect x=(px(sx.at(*ux) - 5.0)) y=(px(sy.at(*uy) - 5.0)) width="10" height="10"
                        fill=(if *feasible { "#ffffff" } else { "#f3c4c4" }) {}
                    text.small x=(px(sx.at(*ux) + 8.0)) y=(px(sy.at(*uy) - 6.0)) { (id) title { (name) } }
                }
            }
            @for (key, _, point) in &solutions {
                @if let Some((ux, uy)) = point.as_ref().and_then(at) {
                    path.solution d=(solution_shape(key, sx.at(ux), sy.at(uy))) fill=(solution_fill(key))
                        data-solution=(key) data-x=(data(ux)) data-y=(data(uy)) {}
                }
            }
            @if let Some((ux, uy)) = a.best_offer.as_ref().and_then(|b| at(&b.point)) {
                path.solution.best-offer d=(star(sx.at(ux), sy.at(uy))) fill="#ffd400"
                    data-solution="best_offer" data-x=(data(ux)) data-y=(data(uy)) {}
            }
            // Legend.
            g.legend transform={"translate(" (px(RIGHT + 16.0)) " " (px(TOP + 4.0)) ")"} {
                circle.frontier cx="6" cy="6" r="3" {}
                text x="18" y="10" { "Pareto-optimal" }
                rect x="1" y="20" width="10" height="10" fill="#ffffff" stroke="#111" {}
                text x="18" y="30" { "plan" }
                @for (i, (key, label, _)) in solutions.iter().enumerate() {
                    path d=(solution_shape(key, 6.0, 46.0 + 20.0 * i as f64)) fill=(solution_fill(key)) stroke="#111" {}
                    text x="18" y=(px(50.0 + 20.0 * i as f64)) { (label) }
                }
                path d=(star(6.0, 126.0)) fill="#ffd400" stroke="#111" {}
                text x="18" y="130" { "best and final offer" }
                line x1="0" x2="12" y1="146" y2="146" stroke=(colour(x)) stroke-width="1.5" stroke-dasharray="6 4" {}
                text x="18" y="150" { "walk-away: " (px_name) }
                line x1="0" x2="12" y1="166" y2="166" stroke=(colour(y)) stroke-width="1.5" stroke-dasharray="6 4" {}
                text x="18" y="170" { "walk-away: " (py_name) }
                @if let Some(d) = density {
                    rect x="1" y="180" width="10" height="10" fill="#4a6fa5" fill-opacity="0.5" {}
                    text x="18" y="190" { "feasible packages" }
                    text.small.muted x="18" y="204" {
                        @if d.sampled { "(a sample of " (d.examined) ")" } @else { "(all " (d.feasible) ")" }
                    }
                }
            }
        }
    })
}

fn solution_fill(key: &str) -> &'static str {
    match key {
        "nash" => "#d62728",
        "kalai_smorodinsky" => "#9467bd",
        "utilitarian" => "#2ca02c",
        _ => "#ff7f0e",
    }
}

/// A shape per solution, so they differ without colour: diamond, up and
/// down triangles, circle-ish hexagon.
fn solution_shape(key: &str, x: f64, y: f64) -> String {
    let r = 6.0;
    match key {
        "nash" => format!(
            "M{} {}L{} {}L{} {}L{} {}Z",
            px(x),
            px(y - r),
            px(x + r),
            px(y),
            px(x),
            px(y + r),
            px(x - r),
            px(y)
        ),
        "kalai_smorodinsky" => format!(
            "M{} {}L{} {}L{} {}Z",
            px(x),
            px(y - r),
            px(x + r),
            px(y + r * 0.8),
            px(x - r),
            px(y + r * 0.8)
        ),
        "utilitarian" => format!(
            "M{} {}L{} {}L{} {}Z",
            px(x),
            px(y + r),
            px(x + r),
            px(y - r * 0.8),
            px(x - r),
            px(y - r * 0.8)
        ),
        _ => {
            let mut d = String::new();
            for i in 0..6 {
                let t = std::f64::consts::PI / 3.0 * i as f64;
                let (cx, cy) = (x + r * t.cos(), y + r * t.sin());
                d.push_str(&format!(
                    "{}{} {}",
                    if i == 0 { 'M' } else { 'L' },
                    px(cx),
                    px(cy)
                ));
            }
            d.push('Z');
            d
        }
    }
}

fn star(x: f64, y: f64) -> String {
    let mut d = String::new();
    for i in 0..10 {
        let r = if i % 2 == 0 { 9.0 } else { 4.0 };
        let t = std::f64::consts::PI / 5.0 * i as f64 - std::f64::consts::FRAC_PI_2;
        d.push_str(&format!(
            "{}{} {}",
            if i == 0 { 'M' } else { 'L' },
            px(x + r * t.cos()),
            px(y + r * t.sin())
        ));
    }
    d.push('Z');
    d
}
