//! `truce report`: one self-contained HTML file that reads like a briefing
//! note — the answer first, then the plans, the frontier, the offer, the
//! simulation and the record — with every picture inline (SVG), its style
//! inline, no script and nothing fetched, so it opens offline and prints
//! to PDF from a browser.

use crate::analysis::{caveat_text, deadline_line, role_note};
use crate::analysis_json::constraint_description;
use crate::thousands;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use truce_engine::analysis::density::Density;
use truce_engine::analysis::{Analysis, OfferRule, Point};
use truce_engine::Scenario;
use truce_ledger::{CommitmentState, PromiseState, Record, Status};
use truce_pictures::{compare, frontier, simulation, support, timeline};
use truce_sim::report::Report;

/// What goes into a report besides the analysis.
pub struct ReportInput<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Its analysis.
    pub analysis: &'a Analysis,
    /// The feasible set's density for the frontier's two parties.
    pub density: Option<&'a Density>,
    /// The frontier's two parties (scenario indices).
    pub pair: Option<(usize, usize)>,
    /// A simulation of the talks, when asked for.
    pub simulation: Option<&'a Report>,
    /// The ledger's records and their status on a date, when given.
    pub ledger: Option<(&'a [Record], &'a Status<'a>)>,
    /// Where the ledger came from, for the reader ("ledger.db").
    pub ledger_name: Option<&'a str>,
}

/// The parties a frontier picture shows by default: the first two
/// bargaining parties, else the first two with preferences.
pub fn default_pair(a: &Analysis) -> Option<(usize, usize)> {
    match (a.bargaining.as_slice(), a.valued.as_slice()) {
        ([x, y, ..], _) => Some((*x, *y)),
        (_, [x, y, ..]) => Some((*x, *y)),
        _ => None,
    }
}

const CSS: &str = r#"
:root{--ink:#1a202c;--muted:#4a5568;--rule:#e2e8f0;--accent:#2b6cb0;--bad:#c53030;--good:#2f855a}
*{box-sizing:border-box}
body{margin:0 auto;max-width:58rem;padding:2rem 1.25rem 4rem;color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
h1{font-size:1.7rem;margin:0 0 .25rem}h2{font-size:1.3rem;margin:2.2rem 0 .6rem;padding-top:.6rem;border-top:2px solid var(--ink)}
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
.lede{color:var(--muted);margin:0 0 1rem}
.brief{background:#f7fafc;border-left:4px solid var(--accent);padding:.8rem 1rem;margin:1rem 0}
.brief li{margin:.25rem 0}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.92rem}
th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid var(--rule)}
th{font-weight:600;background:#f7fafc}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.yes{color:var(--good);font-weight:600}.no{color:var(--bad);font-weight:600}
figure{margin:1rem 0 1.5rem;break-inside:avoid}figcaption{color:var(--muted);font-size:.88rem;margin-top:.3rem}
svg.picture{width:100%;height:auto;display:block}
.note{color:var(--muted);font-size:.88rem}
code{font-size:.9em;background:#edf2f7;padding:0 .2em;border-radius:3px}
nav ol{columns:2;margin:.5rem 0}
@media print{body{max-width:none;padding:0;font-size:11pt}h2{break-after:avoid}nav{display:none}a{color:inherit;text-decoration:none}}
"#;

/// The whole report as one HTML document.
pub fn report_html(input: &ReportInput) -> String {
    let s = input.scenario;
    let a = input.analysis;
    let title = format!("Briefing: {}", s.name);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="truce report";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    h1 { (title) }
                    @if let Some(d) = &s.description { p.lede { (d) } }
                    p.note {
                        "Made by truce from the scenario's estimates. Values the sources do not state are analysts' assumptions, marked as such in the scenario file; the numbers below are only as good as those estimates."
                    }
                }
                nav aria-label="Contents" {
                    ol {
                        li { a href="#brief" { "In brief" } }
                        li { a href="#parties" { "Parties and red lines" } }
                        @if !a.plans.is_empty() { li { a href="#plans" { "Plans" } } }
                        li { a href="#frontier" { "The frontier" } }
                        li { a href="#offer" { "Best and final offer" } }
                        @if input.simulation.is_some() { li { a href="#simulation" { "Simulation" } } }
                        @if input.ledger.is_some() { li { a href="#ledger" { "The record" } } }
                        li { a href="#sources" { "Sources" } }
                    }
                }
                (brief(input))
                (parties(s, a))
                (plans(s, a))
                (frontier_section(input))
                (offer(s, a))
                @if let Some(r) = input.simulation { (simulation_section(s, r)) }
                @if let Some((records, status)) = input.ledger { (ledger_section(records, status, input.ledger_name)) }
                (sources(s))
            }
        }
    };
    page.into_string()
}

fn party_names(s: &Scenario, parties: &[usize]) -> String {
    let names: Vec<&str> = parties
        .iter()
        .map(|&p| s.parties[p].name.as_str())
        .collect();
    match names.as_slice() {
        [] => "no party".into(),
        [one] => (*one).into(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn package_table(s: &Scenario, package: &[u16]) -> Markup {
    html! {
        table {
            thead { tr { th scope="col" { "Issue" } th scope="col" { "Provision" } } }
            tbody {
                @for (i, &o) in package.iter().enumerate() {
                    @let issue = &s.issues[i];
                    tr { td { (issue.id) } td { (issue.options[o as usize].label) " " span.note { "(" (issue.options[o as usize].id) ")" } } }
                }
            }
        }
    }
}

fn utilities(s: &Scenario, a: &Analysis, p: &Point) -> String {
    a.valued
        .iter()
        .zip(&p.utilities)
        .map(|(&k, u)| format!("{} {u:.3}", s.parties[k].name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn brief(input: &ReportInput) -> Markup {
    let (s, a) = (input.scenario, input.analysis);
    html! {
        section #brief {
            h2 { "In brief" }
            ul.brief {
                @if a.feasible_count > 0 {
                    li { strong { "A deal exists that crosses no binding red line. " }
                        (thousands(a.feasible_count)) " of " (thousands(a.outcomes)) " packages respect every red line of "
                        (party_names(s, &a.bargaining)) " and give each at least its walk-away value." }
                } @else {
                    li { strong.no { "No deal crosses no red line. " }
                        "Every one of the " (thousands(a.outcomes)) " packages crosses a binding red line or leaves a party below its walk-away value; "
                        "the impasse is listed under Parties and red lines." }
                }
                @for r in &a.plans {
                    @let plan = &s.plans[r.plan];
                    @let refusing: Vec<usize> = r.parties.iter().filter(|v| !v.acceptable).map(|v| v.party).collect();
                    li {
                        strong { (plan.name) ": " }
                        @if r.feasible() {
                            "every bargaining party can sign"
                            @if !refusing.is_empty() { " (" (party_names(s, &refusing)) " would not on its own terms)" }
                            "."
                        } @else {
                            "blocked by " (a.constraints_in(r.blocking).into_iter().map(|c| constraint_description(s, c)).collect::<Vec<_>>().join("; ")) "."
                            @if let Some(n) = &r.nearest {
                                " The nearest package all can accept changes " (n.changes.len()) " provision" @if n.changes.len() != 1 { "s" } ": "
                                (n.changes.iter().map(|&i| s.issues[i].id.as_str()).collect::<Vec<_>>().join(", ")) "."
                            }
                        }
                    }
                }
                @if let Some(o) = &a.best_offer {
                    li { strong { "Best and final offer: " }
                        (s.describe_package(&o.point.package).iter().map(|(i, o)| format!("{i} = {o}")).collect::<Vec<_>>().join("; ")) "." }
                }
                @if let Some(r) = input.simulation {
                    li { strong { "Simulation: " }
                        (format!("{:.0}%", 100.0 * r.summary.p_agreement_before_deadline)) " of " (thousands(r.summary.runs))
                        " runs reach a deal before the deadline (" (format!("{:.0}%", 100.0 * r.summary.p_agreement)) " at all)." }
                }
                @if let Some((_, status)) = input.ledger {
                    @let violated: Vec<&str> = status.commitments.iter().filter(|c| c.state == CommitmentState::Violated).map(|c| c.id).collect();
                    li { strong { "The record on " (status.at.to_string()) ": " }
                        (status.commitments.len()) " commitments, " (violated.len()) " with a violation reported in its term"
                        @if !violated.is_empty() { " (" (violated.join(", ")) ")" }
                        "; " (status.unfulfilled_promises.len()) " promised consequence" @if status.unfulfilled_promises.len() != 1 { "s" } " that did not come." }
                }
            }
        }
    }
}

fn parties(s: &Scenario, a: &Analysis) -> Markup {
    html! {
        section #parties {
            h2 { "Parties and red lines" }
            table {
                thead { tr { th scope="col" { "Party" } th scope="col" { "Role" } th scope="col" { "Walk-away value" } th scope="col" { "Best it can get in a deal" } } }
                tbody {
                    @for (p, party) in s.parties.iter().enumerate() {
                        @let summary = a.valued_pos(p).and_then(|k| a.parties.get(k));
                        tr {
                            td { (party.name) }
                            td { (role_note(s, p)) }
                            td.num { @if let Some(x) = summary { (format!("{:.2}", x.reservation)) } @else { "—" } }
                            td.num { @if let Some(Some(b)) = summary.map(|x| x.best_feasible) { (format!("{b:.2}")) } @else { "—" } }
                        }
                    }
                }
            }
            @if !s.red_lines.is_empty() {
                h3 { "Red lines" }
                table {
                    thead { tr { th scope="col" { "Party" } th scope="col" { "Red line" } th scope="col" { "Rule" } th scope="col" { "Binding" } } }
                    tbody {
                        @for (i, r) in s.red_lines.iter().enumerate() {
                            tr { td { (s.parties[r.party].name) } td { (r.label) } td { code { (r.rule) } }
                                td { (crate::analysis::binding_note(s, i)) } }
                        }
                    }
                }
            }
            @if !a.conflicts.is_empty() {
                h3 { "The impasse" }
                p { "Each line is a set of constraints that cannot all hold; relaxing one from every set is what a deal takes." }
                ol { @for &mask in &a.conflicts {
                    li { (a.constraints_in(mask).into_iter().map(|c| constraint_description(s, c)).collect::<Vec<_>>().join(" against ")) }
                } }
            }
            @if !s.deadlines.is_empty() {
                h3 { "Deadlines" }
                ul { @for d in &s.deadlines { li { (deadline_line(s, d)) } } }
            }
        }
    }
}

fn plans(s: &Scenario, a: &Analysis) -> Markup {
    if a.plans.is_empty() {
        return html! {};
    }
    html! {
        section #plans {
            h2 { "Plans" }
            p { "Support is how far a plan goes from a party's worst package (0%) to the best it can get in a deal (100%). Below its walk-away value a party does better with no agreement." }
            @if let Some(pic) = support::support(s, a) {
                figure { (pic) figcaption { "Each party's utility of each plan; the black tick is its walk-away value." } }
            }
            @for r in &a.plans {
                @let plan = &s.plans[r.plan];
                h3 { (plan.name) @if let Some(p) = plan.proposed_by { span.note { " — put forward by " (s.parties[p].name) } } }
                table {
                    thead { tr { th scope="col" { "Party" } th scope="col" { "Utility" } th scope="col" { "Support" } th scope="col" { "Can sign" } th scope="col" { "What it would change" } } }
                    tbody {
                        @for v in &r.parties {
                            tr {
                                td { (s.parties[v.party].name) }
                                td.num { (format!("{:.3}", v.utility)) }
                                td.num { (format!("{:.0}%", v.support)) }
                                td { @if v.acceptable { span.yes { "yes" } } @else { span.no { "no" }
                                    @if !v.crosses.is_empty() { " — crosses " (v.crosses.iter().map(|&r| s.red_lines[r].label.as_str()).collect::<Vec<_>>().join("; ")) }
                                    @else if !v.clears_reservation { " — below walk-away value" } } }
                                td { @for c in v.caveats.iter().take(3) { (caveat_text(s, c, true)) br; } }
                            }
                        }
                    }
                }
                @if let Some(n) = &r.nearest {
                    @if !n.changes.is_empty() {
                        p { "The nearest package every bargaining party can accept changes: "
                            @for (j, &i) in n.changes.iter().enumerate() {
                                @if j > 0 { "; " }
                                @let issue = &s.issues[i];
                                (issue.id) " from " em { (issue.options[plan.provisions[i].option].label) } " to " em { (issue.options[n.point.package[i] as usize].label) }
                            } "." }
                    }
                }
            }
            @if s.plans.len() >= 2 {
                h3 { "Plans side by side" }
                @for b in 1..s.plans.len() {
                    @if let Some(pic) = compare::side_by_side(s, 0, b) {
                        figure { (pic) figcaption { "What each party gains (right) or loses (left) on each provision where " (s.plans[b].name) " differs from " (s.plans[0].name) "." } }
                    }
                }
            }
        }
    }
}

fn frontier_section(input: &ReportInput) -> Markup {
    let (s, a) = (input.scenario, input.analysis);
    html! {
        section #frontier {
            h2 { "The frontier" }
            p { (crate::big(a.pareto_count())) " feasible packages are Pareto-optimal for " (party_names(s, &a.bargaining))
                ": no other feasible package is better for one of them and worse for none." }
            @if let Some((x, y)) = input.pair {
                @if let Some(pic) = frontier::frontier(s, a, x, y, input.density) {
                    figure { (pic) figcaption {
                        "The feasible packages (shaded, darker where more lie), the Pareto-optimal ones (dots), each plan (squares, red when blocked), the bargaining solutions and the best and final offer, in " (s.parties[x].name) "'s and " (s.parties[y].name) "'s utilities; each dashed line is a walk-away value."
                        @if a.bargaining.len() > 2 { " With more than two bargaining parties the frontier is shown as it projects onto these two." }
                    } }
                }
            }
            @if let Some(n) = &a.solutions.nash {
                table {
                    thead { tr { th scope="col" { "Solution" } th scope="col" { "Utilities" } } }
                    tbody {
                        tr { td { "Nash" } td { (utilities(s, a, n)) } }
                        @if let Some(p) = &a.solutions.kalai_smorodinsky { tr { td { "Kalai–Smorodinsky" } td { (utilities(s, a, p)) } } }
                        @if let Some(p) = &a.solutions.utilitarian { tr { td { "Utilitarian" } td { (utilities(s, a, p)) } } }
                        @if let Some(p) = &a.solutions.egalitarian { tr { td { "Egalitarian" } td { (utilities(s, a, p)) } } }
                    }
                }
            }
        }
    }
}

fn offer(s: &Scenario, a: &Analysis) -> Markup {
    html! {
        section #offer {
            h2 { "Best and final offer" }
            @match &a.best_offer {
                None => p { "None: no package is acceptable to every bargaining party"
                    @if let Some(m) = s.mediator() { " that " (s.parties[m].name) " would also put" } "." },
                Some(o) => {
                    p { @match o.rule {
                        OfferRule::MediatorUtility(m) => { "The package " (s.parties[m].name) " likes best among those every bargaining party accepts." }
                        OfferRule::Nash => {
                            "The Nash bargaining point, the package that maximises the product of the parties' gains over walking away"
                            @match s.mediator() {
                                Some(m) => { " (" (s.parties[m].name) " states no preferences of its own)." }
                                None => { " (the talks have no mediator to choose another)." }
                            }
                        }
                    } }
                    (package_table(s, &o.point.package))
                    p { "Utilities: " (utilities(s, a, &o.point)) "." }
                }
            }
        }
    }
}

fn simulation_section(s: &Scenario, r: &Report) -> Markup {
    let m = &r.summary;
    html! {
        section #simulation {
            h2 { "Simulation" }
            p { (thousands(m.runs)) " runs of the " (m.protocol) " protocol (seed " (m.seed) ", at most " (m.rounds) " rounds"
                @if let Some(d) = m.deadline_round {
                    @match s.mediator() {
                        Some(p) => { ", " (s.parties[p].name) " walking away after round " (d) }
                        None => { ", the talks ending after round " (d) }
                    }
                } ")"
                @if let Some(x) = m.mean_rounds { "; deals come after " (format!("{x:.1}")) " rounds on average" } "." }
            figure { (simulation::odds(s, m)) figcaption { "The share of runs reaching a deal, and how the others ended." } }
            figure { (simulation::outcomes(s, m)) figcaption { "What the runs agreed, issue by issue." } }
            @if let Some(pic) = simulation::variations(r) {
                figure { (pic) figcaption { "How the odds of a deal before the deadline move when one input changes; the dashed line is the simulation as configured." } }
            }
            @if !m.deals.is_empty() {
                h3 { "The most frequent deals" }
                table {
                    thead { tr { th scope="col" { "Share of runs" } th scope="col" { "Package" } } }
                    tbody { @for d in &m.deals {
                        tr { td.num { (format!("{:.1}%", 100.0 * d.share)) } td { (d.package.iter().map(|(i, o)| format!("{i} = {o}")).collect::<Vec<_>>().join("; ")) } }
                    } }
                }
            }
        }
    }
}

fn ledger_section(records: &[Record], status: &Status, name: Option<&str>) -> Markup {
    html! {
        section #ledger {
            h2 { "The record on " (status.at.to_string()) }
            @if let Some(n) = name { p.note { "From the ledger " code { (n) } ", whose hash chain truce verified before reading." } }
            @if let Some(pic) = timeline::timeline(records, status) {
                figure { (pic) figcaption { "Each commitment over its term (one bar per version where sources state its terms differently); violations coloured by how many independent sources report them; deadlines dashed; promised consequences as diamonds." } }
            }
            table {
                thead { tr { th scope="col" { "Commitment" } th scope="col" { "Party" } th scope="col" { "State" } th scope="col" { "Violations in its term" } th scope="col" { "On whose word" } } }
                tbody { @for c in &status.commitments {
                    tr {
                        td { (c.scope) " " span.note { "(" (c.id) ")" } }
                        td { (c.party) @for w in &c.with { ", " (w) } }
                        td { (match c.state { CommitmentState::InForce => "in force", CommitmentState::Violated => "violated", CommitmentState::Pending => "pending", CommitmentState::Expired => "expired", CommitmentState::Withdrawn => "withdrawn" })
                            @if c.terms_disputed { " (terms disputed)" } }
                        td.num { (c.violations.len()) }
                        td { (c.support.speaker_names().join("; ")) }
                    }
                } }
            }
            @if !status.unfulfilled_promises.is_empty() {
                h3 { "Promised consequences that did not come" }
                ul { @for u in &status.unfulfilled_promises {
                    li { (u.promised_by) " promised to " (truce_ledger::action_words(u.action)) " if " (u.broken_by) " broke " code { (u.commitment) } "; it was broken on " (u.triggered_on.to_string()) " and nothing followed." }
                } }
            }
            @if !status.promises.is_empty() {
                h3 { "Promises" }
                ul { @for p in &status.promises {
                    li { (p.by) ": " (p.label.unwrap_or(truce_ledger::action_words(p.action))) " — "
                        (match p.state { PromiseState::Pending => "pending", PromiseState::Fulfilled => "carried out", PromiseState::Overdue => "overdue" }) }
                } }
            }
            @if !status.deadlines.is_empty() {
                h3 { "Deadlines ahead" }
                ul { @for d in &status.deadlines { li { (d.label) " (" (d.set_by) "), " (d.date.to_string()) ": " (d.days_left) " days left" } } }
            }
        }
    }
}

fn sources(s: &Scenario) -> Markup {
    html! {
        section #sources {
            h2 { "Sources" }
            @if s.sources.is_empty() {
                p.note { "The scenario names no sources." }
            } @else {
                ul { @for src in &s.sources {
                    li { (src.title)
                        @if let Some(o) = &src.outlet { ", " (o) }
                        @if let Some(d) = &src.date { ", " (d.to_string()) }
                        @if let Some(u) = &src.url { " — " (u) }
                        " " span.note { "[" (src.id) "]" } }
                } }
            }
        }
    }
}
