//! The ledger as a timeline, as it stands on a date: each commitment as a
//! span over its term (one per claimed version where sources state the
//! terms differently), each reported violation as a mark coloured by how
//! many independent sources report it, deadlines as lines, promised
//! consequences as diamonds (grey pending, green carried out, red overdue)
//! and crosses where a consequence promised with a commitment never came.

use crate::{px, Scale, STYLE};
use maud::{html, Markup};
use truce_ledger::{CommitmentState, Moment, PromiseState, Record, Status, Violation};

const W: f64 = 780.0;
const LEFT: f64 = 220.0;
const RIGHT: f64 = 720.0;
const ROW: f64 = 26.0;
const DAY: f64 = 86_400.0;

/// Colour of a violation mark by its independent sources: one, two,
/// three or more.
pub fn source_colour(sources: usize) -> &'static str {
    match sources {
        0 | 1 => "#f6ad55",
        2 => "#dd6b20",
        _ => "#9b2c2c",
    }
}

fn state_colour(state: CommitmentState) -> &'static str {
    match state {
        CommitmentState::InForce => "#2f855a",
        CommitmentState::Violated => "#c53030",
        CommitmentState::Pending => "#a0aec0",
        CommitmentState::Expired => "#718096",
        CommitmentState::Withdrawn => "#4a5568",
    }
}

fn state_words(state: CommitmentState) -> &'static str {
    match state {
        CommitmentState::InForce => "in force",
        CommitmentState::Violated => "violated",
        CommitmentState::Pending => "pending",
        CommitmentState::Expired => "expired",
        CommitmentState::Withdrawn => "withdrawn",
    }
}

/// One row of the picture: a commitment under one version of its terms.
struct Row<'a> {
    id: &'a str,
    claim: Option<&'a str>,
    label: String,
    from: Moment,
    until: Option<Moment>,
    state: CommitmentState,
    /// Violations drawn on this row (the first row of a commitment):
    /// (violation, counted in the term).
    marks: Vec<(&'a Violation<'a>, &'static str)>,
}

/// The timeline of `records` as `status` (of the same records) judges
/// them; none when there is nothing dated to draw.
pub fn timeline(records: &[Record], status: &Status) -> Option<Markup> {
    let mut rows: Vec<Row> = Vec::new();
    for c in &status.commitments {
        let mut marks: Vec<(&Violation, &str)> = Vec::new();
        marks.extend(c.violations.iter().map(|v| (v, "counted")));
        marks.extend(c.reports_outside_term.iter().map(|v| (v, "outside")));
        marks.extend(c.reports_across_term_edge.iter().map(|v| (v, "across")));
        if c.terms.is_empty() {
            rows.push(Row {
                id: c.id,
                claim: None,
                label: c.id.replace('_', " "),
                from: c.from,
                until: c.until,
                state: c.state,
                marks,
            });
        } else {
            for (i, t) in c.terms.iter().enumerate() {
                rows.push(Row {
                    id: c.id,
                    claim: t.claim,
                    label: match t.claim {
                        None => c.id.replace('_', " "),
                        Some(claim) => format!("  as {}", claim.replace('_', " ")),
                    },
                    from: t.from,
                    until: t.until,
                    state: t.state,
                    marks: if i == 0 {
                        std::mem::take(&mut marks)
                    } else {
                        Vec::new()
                    },
                });
            }
        }
    }
    let deadlines: Vec<(&str, &str, Moment)> = records
        .iter()
        .filter_map(|r| match r {
            Record::Deadline {
                id, date, label, ..
            } => Some((id.as_str(), label.as_str(), Moment::day(*date))),
            _ => None,
        })
        .collect();
    // The span of time to show: everything drawn, and the date asked.
    let mut moments: Vec<i64> = vec![status.at.start().sort_key()];
    for r in &rows {
        moments.push(r.from.sort_key());
        if let Some(u) = r.until {
            moments.push(u.sort_key());
        }
        for (v, _) in &r.marks {
            moments.push(v.date.start().sort_key());
            moments.push(v.date.end().sort_key());
        }
    }
    moments.extend(deadlines.iter().map(|d| d.2.sort_key()));
    for p in &status.promises {
        moments.push(Moment::day(p.promised_on).sort_key());
        if let Some(t) = &p.triggered_on {
            moments.push(t.start().sort_key());
        }
    }
    if rows.is_empty() && deadlines.is_empty() && status.promises.is_empty() {
        return None;
    }
    let lo = moments.iter().copied().min()? as f64 - DAY;
    let hi = moments.iter().copied().max()? as f64 + 2.0 * DAY;
    let t = Scale::new((lo, hi), (LEFT, RIGHT));
    let at = |m: &Moment| t.at(m.sort_key() as f64);
    let promise_row = !status.promises.is_empty();
    let n_rows = rows.len() + usize::from(promise_row);
    let top = 46.0;
    let bottom = top + ROW * n_rows as f64;
    let height = bottom + 64.0;
    // A tick per day, week or month, whichever gives at most ~12.
    let days = ((hi - lo) / DAY).ceil() as i64;
    let step = [1i64, 2, 7, 14, 30, 61, 91, 182, 365]
        .into_iter()
        .find(|s| days / s <= 12)
        .unwrap_or(365);
    let first = Moment::day(Moment::day(status.at.first_day()).date());
    let ticks: Vec<Moment> = (-(days + step)..=(days + step))
        .step_by(step as usize)
        .filter_map(|d| first.plus_days(d))
        .filter(|m| (lo..=hi).contains(&(m.sort_key() as f64)))
        .collect();
    let asked = status.at.start();
    Some(html! {
        svg xmlns="http://www.w3.org/2000/svg" class="picture timeline-picture"
            viewBox={"0 0 " (W) " " (px(height))} role="img" data-at=(status.at.to_string()) {
            title { "The ledger on " (status.at.to_string()) }
            desc { (rows.len()) " commitment terms, " (deadlines.len()) " deadlines, " (status.promises.len()) " promises. Violation marks: light orange one source, orange two, dark red three or more; hollow marks fall outside the term and are not counted." }
            style { (STYLE) ".span{stroke-width:0}.open{stroke-dasharray:3 3}.deadline{stroke:#2c5282;stroke-width:1.5;stroke-dasharray:6 3}.at{stroke:#111;stroke-width:1.5}.violation{stroke:#111;stroke-width:.8}.violation.outside,.violation.across{fill:#fff}.violation.across{stroke-dasharray:2 2}.unfulfilled{stroke:#c53030;stroke-width:2.2}" }
            @for m in &ticks {
                line.grid x1=(px(at(m))) x2=(px(at(m))) y1=(px(top - 6.0)) y2=(px(bottom)) {}
                text.small.muted x=(px(at(m))) y=(px(bottom + 14.0)) text-anchor="middle" { (m.date().to_string()) }
            }
            @for (i, r) in rows.iter().enumerate() {
                @let y = top + ROW * i as f64;
                @let x0 = at(&r.from);
                @let x1 = r.until.as_ref().map_or(RIGHT, at);
                g.commitment data-id=(r.id) data-claim=[r.claim] data-state=(state_words(r.state))
                    data-from=(r.from.date().to_string()) data-until=[r.until.map(|u| u.date().to_string())] {
                    text x=(px(LEFT - 8.0)) y=(px(y + 14.0)) text-anchor="end" class=[r.claim.map(|_| "muted")] {
                        (short(&r.label, 30)) title { (r.label) }
                    }
                    rect.span x=(px(x0)) y=(px(y + 5.0)) width=(px((x1 - x0).max(2.0))) height="12"
                        fill=(state_colour(r.state)) fill-opacity=(if r.claim.is_some() { "0.45" } else { "0.8" }) {
                        title { (r.id) ": " (state_words(r.state)) }
                    }
                    @if r.until.is_none() {
                        line.open x1=(px(RIGHT)) x2=(px(RIGHT + 8.0)) y1=(px(y + 11.0)) y2=(px(y + 11.0)) stroke=(state_colour(r.state)) {}
                    }
                    @for (v, kind) in &r.marks {
                        @let (v0, v1) = (at(&v.date.start()), at(&v.date.end()));
                        @let sources = v.support.independent_sources;
                        @if v1 - v0 > 6.0 {
                            rect class={"violation " (kind)} x=(px(v0)) y=(px(y + 3.0)) width=(px(v1 - v0)) height="16" rx="6"
                                fill=(source_colour(sources)) data-id=(v.id) data-sources=(sources) data-by=(v.by) {
                                title { (v.id) ": " (v.date.to_string()) ", " (sources) " independent source(s)" }
                            }
                        } @else {
                            circle class={"violation " (kind)} cx=(px(v0)) cy=(px(y + 11.0)) r="6"
                                fill=(source_colour(sources)) data-id=(v.id) data-sources=(sources) data-by=(v.by) {
                                title { (v.id) ": " (v.date.to_string()) ", " (sources) " independent source(s)" }
                            }
                        }
                    }
                    @for u in status.unfulfilled_promises.iter().filter(|u| u.commitment == r.id && r.claim.is_none()) {
                        @let x = at(&u.triggered_on.start());
                        path.unfulfilled d={"M" (px(x - 5.0)) " " (px(y + 1.0)) "l10 10m0 -10l-10 10"}
                            data-commitment=(u.commitment) data-promised-by=(u.promised_by) {
                            title { "promised by " (u.promised_by) ", never came" }
                        }
                    }
                }
            }
            @if promise_row {
                @let y = top + ROW * rows.len() as f64;
                text x=(px(LEFT - 8.0)) y=(px(y + 14.0)) text-anchor="end" { "promised consequences" }
                @for p in &status.promises {
                    @let x = at(&Moment::day(p.promised_on));
                    @let fill = match p.state { PromiseState::Pending => "#a0aec0", PromiseState::Fulfilled => "#2f855a", PromiseState::Overdue => "#c53030" };
                    g.promise data-id=(p.id) data-state=(match p.state { PromiseState::Pending => "pending", PromiseState::Fulfilled => "fulfilled", PromiseState::Overdue => "overdue" }) {
                        @if let Some(trig) = &p.triggered_on {
                            line x1=(px(x)) x2=(px(at(&trig.start()))) y1=(px(y + 11.0)) y2=(px(y + 11.0)) stroke=(fill) stroke-width="2" {}
                        }
                        path d={"M" (px(x)) " " (px(y + 3.0)) "l8 8l-8 8l-8 -8Z"} fill=(fill) stroke="#111" stroke-width=".8" {
                            title { (p.id) ": " (p.label.unwrap_or("promise")) }
                        }
                    }
                }
            }
            @for (id, label, m) in &deadlines {
                line.deadline x1=(px(at(m))) x2=(px(at(m))) y1=(px(top - 14.0)) y2=(px(bottom)) data-id=(id) data-date=(m.date().to_string()) {
                    title { (label) }
                }
                @let near_end = at(m) > RIGHT - 120.0;
                text.small x=(px(at(m) + if near_end { -3.0 } else { 3.0 })) y=(px(top - 16.0)) fill="#2c5282"
                    text-anchor=(if near_end { "end" } else { "start" }) { (short(&id.replace('_', " "), 24)) }
            }
            line.at x1=(px(at(&asked))) x2=(px(at(&asked))) y1=(px(top - 24.0)) y2=(px(bottom + 20.0)) data-date=(status.at.to_string()) {}
            text.small x=(px(at(&asked))) y=(px(top - 28.0)) font-weight="600"
                text-anchor=(if at(&asked) > RIGHT - 60.0 { "end" } else { "middle" }) { "as of " (status.at.to_string()) }
            // Legend.
            @let ly = bottom + 36.0;
            g.legend {
                @for (i, (n, label)) in [(1usize, "1 source"), (2, "2 sources"), (3, "3+ sources")].iter().enumerate() {
                    circle cx=(px(LEFT - 100.0 + 90.0 * i as f64)) cy=(px(ly)) r="6" fill=(source_colour(*n)) stroke="#111" stroke-width=".8" {}
                    text.small x=(px(LEFT - 90.0 + 90.0 * i as f64)) y=(px(ly + 4.0)) { (label) }
                }
                circle cx=(px(LEFT + 180.0)) cy=(px(ly)) r="6" fill="#fff" stroke="#111" stroke-width=".8" {}
                text.small x=(px(LEFT + 190.0)) y=(px(ly + 4.0)) { "outside the term" }
                path d={"M" (px(LEFT + 300.0)) " " (px(ly - 5.0)) "l10 10m0 -10l-10 10"} stroke="#c53030" stroke-width="2.2" {}
                text.small x=(px(LEFT + 315.0)) y=(px(ly + 4.0)) { "consequence never came" }
            }
        }
    })
}

/// `text` cut to `n` characters with an ellipsis.
fn short(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        let cut: String = text.chars().take(n.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}
