//! A simulation's answer in pictures: the odds of a deal (before the
//! deadline and at all), how the runs ended per issue, and how the odds
//! move under each varied input.

use crate::{data, percent, px, Scale, STYLE};
use maud::{html, Markup};
use truce_engine::Scenario;
use truce_sim::report::{Report, Summary};

const W: f64 = 640.0;
const LEFT: f64 = 190.0;
const RIGHT: f64 = 560.0;

/// Option colours within an issue: a sequential scale, the issue's first
/// option darkest; "no deal" is grey.
const OPTION_SHADES: [&str; 6] = [
    "#08519c", "#3182bd", "#6baed6", "#9ecae1", "#c6dbef", "#deebf7",
];
const NO_DEAL: &str = "#bdbdbd";

/// How a run ended, as a person reads it (`mediator_withdrew` →
/// "mediator withdrew"); with no mediator, the deadline itself ends the
/// talks. The text summary and the pictures say it the same way.
pub fn ending_words(s: &Scenario, ending: &str) -> String {
    match (ending, s.mediator()) {
        ("mediator_withdrew", None) => "deadline passed".into(),
        _ => ending.replace('_', " "),
    }
}

/// The odds of a deal: by the deadline and at all, with each way the runs
/// ended.
pub fn odds(s: &Scenario, summary: &Summary) -> Markup {
    let sx = Scale::new((0.0, 1.0), (LEFT, RIGHT));
    let mut bars: Vec<(&str, String, f64)> = vec![
        (
            "before_deadline",
            "deal before the deadline".into(),
            summary.p_agreement_before_deadline,
        ),
        ("agreement", "deal at all".into(), summary.p_agreement),
    ];
    for (ending, share) in &summary.endings {
        bars.push((
            "ending",
            format!("ended: {}", ending_words(s, ending)),
            *share,
        ));
    }
    let height = 30.0 + 24.0 * bars.len() as f64 + 8.0;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" class="picture odds-picture"
            viewBox={"0 0 " (W) " " (px(height))} role="img"
            data-p-agreement=(data(summary.p_agreement))
            data-p-before-deadline=(data(summary.p_agreement_before_deadline)) {
            title { "How likely a deal is" }
            desc { (summary.runs) " runs of the " (summary.protocol) " protocol: "
                (percent(summary.p_agreement_before_deadline)) " reach a deal before the deadline, "
                (percent(summary.p_agreement)) " at all." }
            style { (STYLE) "rect.rest{fill:#edf2f7}.odds rect.fill{fill:#2b6cb0}.ending rect.fill{fill:#718096}" }
            @for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
                text.small.muted x=(px(sx.at(t))) y="14" text-anchor="middle" { (percent(t)) }
            }
            @for (i, (kind, label, p)) in bars.iter().enumerate() {
                @let y = 26.0 + 24.0 * i as f64;
                g class=(if *kind == "ending" { "ending" } else { "odds" }) data-kind=(kind) data-p=(data(*p)) {
                    text x=(px(LEFT - 8.0)) y=(px(y + 12.0)) text-anchor="end" { (label) }
                    rect.rest x=(px(LEFT)) y=(px(y)) width=(px(RIGHT - LEFT)) height="16" {}
                    rect.fill x=(px(LEFT)) y=(px(y)) width=(px(sx.at(p.clamp(0.0, 1.0)) - LEFT)) height="16" {}
                    text.small x=(px(RIGHT + 6.0)) y=(px(y + 12.0)) { (percent(*p)) }
                }
            }
        }
    }
}

/// How the runs ended on each issue: the share of runs agreeing on each
/// option, and the share with no deal, as one stacked bar per issue.
pub fn outcomes(s: &Scenario, summary: &Summary) -> Markup {
    let sx = Scale::new((0.0, 1.0), (LEFT, RIGHT));
    let height = 30.0 + 40.0 * summary.outcomes.len() as f64 + 8.0;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" class="picture outcomes-picture"
            viewBox={"0 0 " (W) " " (px(height))} role="img" {
            title { "How the runs ended, issue by issue" }
            desc { "For each issue, the share of runs that agreed on each option; grey: no deal." }
            style { (STYLE) }
            @for (i, (issue, shares)) in summary.outcomes.iter().enumerate() {
                @let y = 26.0 + 40.0 * i as f64;
                @let question = s.issues.iter().find(|x| &x.id == issue).map(|x| x.id.as_str()).unwrap_or(issue.as_str());
                @let stack = stacked(shares.iter().map(|(o, p)| (o.as_str(), *p)), summary.p_agreement);
                g.issue data-issue=(issue) {
                    text x=(px(LEFT - 8.0)) y=(px(y + 12.0)) text-anchor="end" font-weight="600" { (question) }
                    @for (j, (option, start, p)) in stack.iter().enumerate() {
                        @let fill = if option.is_none() { NO_DEAL } else { OPTION_SHADES[j.min(OPTION_SHADES.len() - 1)] };
                        rect.outcome x=(px(sx.at(*start))) y=(px(y)) width=(px(sx.at(start + p) - sx.at(*start)))
                            height="16" fill=(fill) data-option=(option.unwrap_or("no_deal")) data-share=(data(*p)) {
                            title { (option.unwrap_or("no deal")) ": " (percent(*p)) }
                        }
                    }
                    text.small.muted x=(px(LEFT)) y=(px(y + 30.0)) {
                        @for (option, _, p) in stack.iter().filter(|(_, _, p)| *p >= 0.005) {
                            (option.unwrap_or("no deal")) " " (percent(*p)) "   "
                        }
                    }
                }
            }
        }
    }
}

/// Each share with where its bar starts; the options in order, then no
/// deal.
fn stacked<'a>(
    shares: impl Iterator<Item = (&'a str, f64)>,
    p_agreement: f64,
) -> Vec<(Option<&'a str>, f64, f64)> {
    let mut at = 0.0;
    let mut out = Vec::new();
    for (o, p) in shares {
        if p > 0.0 {
            out.push((Some(o), at, p));
            at += p;
        }
    }
    let none = (1.0 - p_agreement).max(0.0);
    if none > 0.0 {
        out.push((None, at, none));
    }
    out
}

/// How the odds of a deal before the deadline move under each varied
/// input, one group of bars per input, the base case first; none without
/// variants.
pub fn variations(report: &Report) -> Option<Markup> {
    if report.variants.is_empty() {
        return None;
    }
    let mut groups: Vec<(&str, Vec<(&str, f64)>)> = Vec::new();
    for v in &report.variants {
        match groups.iter_mut().find(|(p, _)| *p == v.parameter) {
            Some((_, values)) => values.push((&v.value, v.summary.p_agreement_before_deadline)),
            None => groups.push((
                &v.parameter,
                vec![(&v.value, v.summary.p_agreement_before_deadline)],
            )),
        }
    }
    let sx = Scale::new((0.0, 1.0), (LEFT, RIGHT));
    let rows: usize = groups.iter().map(|(_, v)| v.len() + 1).sum::<usize>() + 1;
    let height = 30.0 + 20.0 * rows as f64 + 10.0;
    let base = report.summary.p_agreement_before_deadline;
    let starts: Vec<usize> = groups
        .iter()
        .scan(0usize, |row, (_, values)| {
            let start = *row;
            *row += values.len() + 1;
            Some(start)
        })
        .collect();
    Some(html! {
        svg xmlns="http://www.w3.org/2000/svg" class="picture variations-picture"
            viewBox={"0 0 " (W) " " (px(height))} role="img" {
            title { "How the odds of a deal move with each input" }
            desc { "The share of runs reaching a deal before the deadline, for the simulation as configured (the dashed line) and with one input changed at a time." }
            style { (STYLE) ".variant rect{fill:#2b6cb0}.base{stroke:#c53030;stroke-width:1.5;stroke-dasharray:5 3}" }
            @for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
                text.small.muted x=(px(sx.at(t))) y="14" text-anchor="middle" { (percent(t)) }
                line.grid x1=(px(sx.at(t))) x2=(px(sx.at(t))) y1="20" y2=(px(height - 8.0)) {}
            }
            line.base x1=(px(sx.at(base))) x2=(px(sx.at(base))) y1="20" y2=(px(height - 8.0)) data-p=(data(base)) {}
            @for ((parameter, values), row) in groups.iter().zip(&starts) {
                @let y = 26.0 + 20.0 * *row as f64;
                text x="4" y=(px(y + 12.0)) font-weight="600" { (parameter) }
                @for (j, (value, p)) in values.iter().enumerate() {
                    @let y = y + 20.0 * (j + 1) as f64;
                    g.variant data-parameter=(parameter) data-value=(value) data-p=(data(*p)) {
                        text x=(px(LEFT - 8.0)) y=(px(y + 12.0)) text-anchor="end" { (value) }
                        rect x=(px(LEFT)) y=(px(y + 2.0)) width=(px(sx.at(p.clamp(0.0, 1.0)) - LEFT)) height="12" {}
                        text.small x=(px(RIGHT + 6.0)) y=(px(y + 12.0)) { (percent(*p)) }
                    }
                }
            }
        }
    })
}
