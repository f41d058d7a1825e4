//! The dashboard's pages, as server-rendered HTML: sign-in, the mediator's
//! room, a party's room, an observer's, the public record. Plain forms
//! (each with its cross-site token and a label on every field), no script,
//! one stylesheet; the pictures are `truce-pictures`', the same as the
//! report's. The server fills the views from the same operations its API
//! answers with; what a view does not hold, a page cannot show.

use maud::{html, Markup, PreEscaped, DOCTYPE};
use truce_engine::analysis::Analysis;
use truce_engine::{Date, Scenario, ScenarioParts};
use truce_ledger::Record;
use truce_room::analysis::{Improvement, PartyAnalysis};
pub use truce_room::form::PositionsForm;
use truce_room::{Board, Draft, Overall, PositionsSource, ProvisionAnswer, Response};

/// The stylesheet every page links to (`/static/truce.css`).
pub const STYLESHEET: &str = r#"
:root{--ink:#1a202c;--muted:#4a5568;--rule:#e2e8f0;--accent:#2b6cb0;--bad:#c53030;--good:#2f855a;--warn:#b7791f;--bg:#f7fafc}
*{box-sizing:border-box}
body{margin:0;color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#fff}
header.bar{display:flex;flex-wrap:wrap;gap:.5rem 1.2rem;align-items:center;padding:.6rem 1rem;background:var(--ink);color:#fff}
header.bar a,header.bar button{color:#fff}
header.bar .brand{font-weight:700;letter-spacing:.02em}
header.bar nav{display:flex;gap:1rem;align-items:center;margin-left:auto}
header.bar form{margin:0}
main{max-width:62rem;margin:0 auto;padding:1rem 1rem 4rem}
h1{font-size:1.5rem;margin:.6rem 0 .2rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;padding-top:.5rem;border-top:2px solid var(--ink)}
.muted{color:var(--muted)}.note{color:var(--muted);font-size:.9rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.95rem}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--rule)}
th{background:var(--bg);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.accept{color:var(--good);font-weight:600}.caveat{color:var(--warn);font-weight:600}.reject{color:var(--bad);font-weight:600}
.badge{display:inline-block;padding:0 .45rem;border-radius:.6rem;background:var(--bg);border:1px solid var(--rule);font-size:.85rem}
.badge.final{background:#fefcbf;border-color:#d69e2e}
.errors{border-left:4px solid var(--bad);background:#fff5f5;padding:.5rem 1rem;margin:1rem 0}
.ok{border-left:4px solid var(--good);background:#f0fff4;padding:.5rem 1rem;margin:1rem 0}
form.stack{display:grid;gap:.7rem;max-width:40rem}
fieldset{border:1px solid var(--rule);border-radius:.4rem;padding:.5rem .8rem;margin:0 0 .7rem;min-width:0}
legend{font-weight:600;padding:0 .3rem}
label{display:inline-block;margin:.15rem .8rem .15rem 0}
input[type=text],input[type=password],input[type=number],input[type=date],select,textarea{font:inherit;padding:.3rem .4rem;border:1px solid #a0aec0;border-radius:.3rem;max-width:100%}
input[type=number]{width:6.5rem}
button{font:inherit;padding:.4rem .9rem;border-radius:.3rem;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
button.quiet{background:transparent;color:var(--accent)}
header.bar button{background:transparent;border-color:#fff}
:focus-visible{outline:3px solid #f6ad55;outline-offset:2px}
figure{margin:1rem 0}svg.picture{width:100%;height:auto}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.3rem .8rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;color:var(--ink);padding:.3rem}
@media (max-width:40rem){th,td{padding:.3rem .3rem;font-size:.9rem}main{padding:.5rem .6rem 3rem}}
"#;

/// Who is signed in, for the page's header.
pub struct Signed<'a> {
    /// The room's name.
    pub room_name: &'a str,
    /// "mediator", "party: Ukraine", "observer".
    pub role: String,
    /// The session's cross-site token, put in every form.
    pub csrf: &'a str,
}

/// A whole page around `body`.
pub fn page(title: &str, signed: Option<&Signed>, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · truce" }
                link rel="stylesheet" href="/static/truce.css";
            }
            body {
                a.skip href="#main" { "Skip to the page" }
                header.bar {
                    span.brand { "truce" }
                    @if let Some(s) = signed {
                        span { (s.room_name) }
                        span.role { "signed in as " strong { (s.role) } }
                        nav aria-label="Pages" {
                            a href="/room" { "Room" }
                            a href="/room/record" { "Record" }
                            form method="post" action="/signout" {
                                input type="hidden" name="csrf" value=(s.csrf);
                                button type="submit" { "Sign out" }
                            }
                        }
                    }
                }
                main #main { (body) }
            }
        }
    }
    .into_string()
}

/// The sign-in page, with what went wrong if anything did.
pub fn sign_in(error: Option<&str>) -> String {
    page(
        "Sign in",
        None,
        html! {
            h1 { "Sign in to a room" }
            p.muted { "Paste the room token the mediator gave you. It stays on this server: the page keeps only a session, in a cookie scripts cannot read." }
            @if let Some(e) = error { div.errors role="alert" { p { (e) } } }
            form.stack method="post" action="/signin" {
                label for="token" { "Room token" }
                input #token type="password" name="token" autocomplete="off" required;
                div { button type="submit" { "Sign in" } }
            }
        },
    )
}

/// A problem to show beside a form: its message and where it is.
pub struct Problem {
    /// What is wrong.
    pub message: String,
    /// The field, when known.
    pub path: Option<String>,
    /// Line and column in what was sent, for TOML.
    pub place: Option<(usize, usize)>,
}

fn problems(list: &[Problem]) -> Markup {
    html! {
        @if !list.is_empty() {
            div.errors role="alert" {
                p { strong { "Not saved: " } (list.len()) " problem" @if list.len() != 1 { "s" } }
                ul { @for p in list {
                    li { (p.message)
                        @if let Some(path) = &p.path { " " span.note { "(at " code { (path) } ")" } }
                        @if let Some((l, c)) = p.place { " " span.note { "(line " (l) ", column " (c) ")" } } }
                } }
            }
        }
    }
}

fn option_label(public: &ScenarioParts, issue: &str, option: &str) -> String {
    public
        .issues
        .iter()
        .find(|i| i.id == issue)
        .and_then(|i| i.options.iter().find(|o| o.id == option))
        .map_or_else(|| option.to_string(), |o| o.label.clone())
}

fn countdown(closes: Option<&str>, today: Date) -> Markup {
    let Some(day) = closes else {
        return html! { p { "No walk-away deadline is set for new drafts." } };
    };
    let left = day.parse::<Date>().ok().map(|d| today.days_until(d));
    html! {
        p.deadline data-closes=(day) {
            "Drafts may be issued until " strong { (day) } ": "
            @match left {
                Some(n) if n > 1 => strong { (n) " days left" },
                Some(1) => strong { "one day left" },
                Some(0) => strong { "the last day" },
                Some(_) => strong.reject { "the room is closed to new drafts" },
                None => "",
            }
            "."
        }
    }
}

fn answer_cell(public: &ScenarioParts, issue: &str, r: Option<&Response>) -> Markup {
    let Some(r) = r else {
        return html! { td.muted { "—" } };
    };
    match r
        .provisions
        .iter()
        .find(|p| p.issue == issue)
        .map(|p| &p.answer)
    {
        None | Some(ProvisionAnswer::Accept) => html! { td.accept { "accept" } },
        Some(ProvisionAnswer::Caveat { option, note }) => html! {
            td.caveat { "caveat: " (option_label(public, issue, option))
                @if let Some(n) = note { br; span.note { (n) } } }
        },
        Some(ProvisionAnswer::Reject { note }) => html! {
            td.reject { "reject" @if let Some(n) = note { br; span.note { (n) } } }
        },
    }
}

fn overall_words(o: Overall) -> (&'static str, &'static str) {
    match o {
        Overall::Accept => ("accept", "accepts"),
        Overall::AcceptWithCaveats => ("caveat", "accepts with caveats"),
        Overall::Reject => ("reject", "rejects"),
    }
}

fn draft_heading(d: &Draft) -> Markup {
    html! {
        "Draft " (d.number)
        @if d.best_and_final { " " span.badge.final { "best and final offer" } }
    }
}

/// The board: provision × party.
pub fn board_table(public: &ScenarioParts, board: &Board) -> Markup {
    let parties: Vec<&str> = board
        .answers
        .keys()
        .map(String::as_str)
        .chain(board.waiting_for.iter().map(String::as_str))
        .collect();
    let name = |id: &str| {
        public
            .parties
            .iter()
            .find(|p| p.id == id)
            .map_or(id.to_string(), |p| p.name.clone())
    };
    html! {
        table.board {
            caption.note { "Provision by provision, each party's latest answer" }
            thead { tr { th scope="col" { "Provision" } @for p in &parties { th scope="col" data-party=(p) { (name(p)) } } } }
            tbody {
                @for prov in &board.draft.provisions {
                    tr data-issue=(prov.issue) {
                        th scope="row" { (prov.issue) br; span.note { (option_label(public, &prov.issue, &prov.option)) } }
                        @for p in &parties { (answer_cell(public, &prov.issue, board.answers.get(*p))) }
                    }
                }
                tr.overall {
                    th scope="row" { "The whole text" }
                    @for p in &parties {
                        @match board.answers.get(*p) {
                            Some(r) => { @let (class, words) = overall_words(r.overall); td class=(class) { (words) } }
                            None => td.muted { "not answered yet" },
                        }
                    }
                }
            }
        }
    }
}

/// What the mediator's page shows.
pub struct MediatorPage<'a> {
    /// The room's id.
    pub room: &'a str,
    /// Its public part.
    pub public: &'a ScenarioParts,
    /// The closing day, if set.
    pub closes: Option<&'a str>,
    /// Today.
    pub today: Date,
    /// Every draft, with whether its board is published.
    pub drafts: &'a [(Draft, bool)],
    /// The latest draft's board.
    pub board: Option<&'a Board>,
    /// The analysis, or why there is none.
    pub analysis: Result<MediatorAnalysisView<'a>, String>,
    /// A message after an action.
    pub flash: Option<&'a str>,
    /// Problems with the last form sent.
    pub problems: &'a [Problem],
    /// The session's cross-site token.
    pub csrf: &'a str,
}

/// The mediator's analysis, for its page.
pub struct MediatorAnalysisView<'a> {
    /// Whose positions each party's are.
    pub sources: &'a [PositionsSource],
    /// The scenario the positions make, drafts as plans.
    pub scenario: &'a Scenario,
    /// Its analysis.
    pub analysis: &'a Analysis,
    /// The latest draft's improvements.
    pub improvements: &'a [Improvement],
    /// The frontier picture (made by the server from the same analysis).
    pub frontier: Option<Markup>,
}

/// A package as a form value: `issue=option` pairs joined by `;`.
pub fn package_value(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(i, o)| format!("{i}={o}"))
        .collect::<Vec<_>>()
        .join(";")
}

fn flash(text: Option<&str>) -> Markup {
    html! { @if let Some(t) = text { div.ok role="status" { p { (t) } } } }
}

/// The mediator's room.
pub fn mediator_page(v: &MediatorPage) -> Markup {
    let current = v.drafts.last();
    html! {
        h1 { (v.public.name) }
        p.muted { "Room " code { (v.room) } " · you run the text." }
        (flash(v.flash))
        (problems(v.problems))
        (countdown(v.closes, v.today))
        form method="post" action="/room/closes" {
            input type="hidden" name="csrf" value=(v.csrf);
            label for="closes" { "Move the last day for drafts" }
            input #closes type="date" name="closes" value=[v.closes];
            " " button.quiet type="submit" { "Set" }
        }
        section aria-labelledby="board-h" {
            h2 #board-h { "The board" }
            @match (current, v.board) {
                (Some((d, published)), Some(board)) => {
                    h3 { (draft_heading(d)) }
                    @if let Some(n) = &d.note { p { (n) } }
                    (board_table(v.public, board))
                    @if !board.waiting_for.is_empty() { p.note { "Waiting for: " (board.waiting_for.join(", ")) } }
                    @if *published { p.note { "This board is public to the room." } }
                    @else {
                        form method="post" action={"/room/drafts/" (d.number) "/publish"} {
                            input type="hidden" name="csrf" value=(v.csrf);
                            button.quiet type="submit" { "Publish this board to the room" }
                        }
                    }
                }
                _ => p { "No draft yet. Issue the first below." },
            }
        }
        section aria-labelledby="next-h" {
            h2 #next-h { "Issue the next draft" }
            form.stack method="post" action="/room/drafts" {
                input type="hidden" name="csrf" value=(v.csrf);
                label for="source" { "Start from" }
                select #source name="source" required {
                    optgroup label="Plans on the table" {
                        @for p in &v.public.plans {
                            option value=(package_value(&p.provisions.iter().enumerate().filter_map(|(i, x)| { let issue = v.public.issues.get(i)?; Some((issue.id.clone(), issue.options.get(x.option)?.id.clone())) }).collect::<Vec<_>>())) { (p.name) }
                        }
                    }
                    @if let Ok(a) = &v.analysis {
                        @let nearest: Vec<(String, Vec<(String, String)>)> = a.analysis.plans.iter().filter_map(|r| {
                            let n = r.nearest.as_ref()?;
                            (!n.changes.is_empty()).then(|| (a.scenario.plans[r.plan].name.clone(), a.scenario.describe_package(&n.point.package).into_iter().map(|(i, o)| (i.to_string(), o.to_string())).collect()))
                        }).collect();
                        @if !nearest.is_empty() {
                            optgroup label="Nearest package every party can accept" {
                                @for (name, pairs) in &nearest { option value=(package_value(pairs)) { "nearest to " (name) } }
                            }
                        }
                        @if !a.improvements.is_empty() {
                            optgroup label="Improvements on the current draft" {
                                @for (k, imp) in a.improvements.iter().enumerate() {
                                    option value=(package_value(&imp.provisions)) {
                                        "improvement " (k + 1) ": " (imp.gains.iter().map(|(p, g)| format!("{p} {g:+.2}")).collect::<Vec<_>>().join(", "))
                                    }
                                }
                            }
                        }
                        @if let Some(o) = &a.analysis.best_offer {
                            optgroup label="Analysis" {
                                option value=(package_value(&a.scenario.describe_package(&o.point.package).into_iter().map(|(i, o)| (i.to_string(), o.to_string())).collect::<Vec<_>>())) { "the best and final offer the analysis finds" }
                            }
                        }
                    }
                }
                div { input #final type="checkbox" name="best_and_final" value="yes"; " " label for="final" { "Mark it as the best and final offer" } }
                label for="note" { "A note for the parties (optional)" }
                textarea #note name="note" rows="2" maxlength="2000" {}
                div { button type="submit" { "Issue the draft" } }
            }
        }
        section aria-labelledby="analysis-h" {
            h2 #analysis-h { "Analysis" }
            @match &v.analysis {
                Err(why) => p { (why) },
                Ok(a) => {
                    table {
                        caption.note { "Whose positions the analysis uses" }
                        thead { tr { th scope="col" { "Party" } th scope="col" { "Positions" } } }
                        tbody { @for (p, s) in a.scenario.parties.iter().zip(a.sources) {
                            tr { td { (p.name) } td { (match s { PositionsSource::Entered => "entered by the party", PositionsSource::MediatorEstimate => "your estimate", PositionsSource::Missing => "none" }) } }
                        } }
                    }
                    p { (crate::thousands(a.analysis.feasible_count)) " of " (crate::thousands(a.analysis.outcomes)) " packages cross no binding red line and give every bargaining party at least its walk-away value." }
                    @if let Some(pic) = truce_pictures::support::support(a.scenario, a.analysis) { figure { (pic) } }
                    @if let Some(pic) = &a.frontier { figure { (pic) } }
                }
            }
        }
        section aria-labelledby="drafts-h" {
            h2 #drafts-h { "Drafts so far" }
            @if v.drafts.is_empty() { p { "None yet." } }
            ol { @for (d, published) in v.drafts {
                li { (draft_heading(d)) @if *published { " · board public" } }
            } }
        }
    }
}

/// What a party's page shows.
pub struct PartyPage<'a> {
    /// The party's id.
    pub party: &'a str,
    /// The room's public part.
    pub public: &'a ScenarioParts,
    /// The closing day, if set.
    pub closes: Option<&'a str>,
    /// Today.
    pub today: Date,
    /// The latest draft.
    pub current: Option<&'a Draft>,
    /// The party's latest answer to it.
    pub answer: Option<&'a Response>,
    /// Its analysis over its own positions, or why there is none.
    pub standing: Result<(&'a PartyAnalysis, Option<Markup>), String>,
    /// The positions form's values.
    pub form: &'a PositionsForm,
    /// Versions of its positions kept.
    pub versions: usize,
    /// A message after an action.
    pub flash: Option<&'a str>,
    /// Problems with the last form sent.
    pub problems: &'a [Problem],
    /// The session's cross-site token.
    pub csrf: &'a str,
}

fn form_weight<'a>(f: &'a PositionsForm, issue: &str) -> &'a str {
    f.weights
        .iter()
        .find(|(i, _)| i == issue)
        .map_or("", |(_, w)| w.as_str())
}

fn form_value<'a>(f: &'a PositionsForm, issue: &str, option: &str) -> &'a str {
    f.values
        .iter()
        .find(|((i, o), _)| i == issue && o == option)
        .map_or("", |(_, v)| v.as_str())
}

/// How many empty red-line rows the form offers beyond those filled.
pub const SPARE_RED_LINES: usize = 2;

/// A party's room.
pub fn party_page(v: &PartyPage) -> Markup {
    let own_name = v
        .public
        .parties
        .iter()
        .find(|p| p.id == v.party)
        .map_or(v.party, |p| p.name.as_str());
    let answered = |issue: &str| -> Option<&ProvisionAnswer> {
        v.answer?
            .provisions
            .iter()
            .find(|p| p.issue == issue)
            .map(|p| &p.answer)
    };
    html! {
        h1 { (v.public.name) }
        p.muted { "You speak for " strong { (own_name) } ". Your positions and answers are seen by you and the mediator only, unless the mediator publishes a draft's board." }
        (flash(v.flash))
        (problems(v.problems))
        (countdown(v.closes, v.today))
        section aria-labelledby="text-h" {
            h2 #text-h { "The current text" }
            @match v.current {
                None => p { "The mediator has issued no draft yet." },
                Some(d) => {
                    h3 { (draft_heading(d)) }
                    @if let Some(n) = &d.note { p { (n) } }
                    @if let Some(a) = v.answer {
                        @let (class, _) = overall_words(a.overall);
                        @let own = match a.overall { Overall::Accept => "you accept the text", Overall::AcceptWithCaveats => "you accept it with caveats", Overall::Reject => "you reject it" };
                        p { "Your latest answer: " span class=(class) { (own) } "." }
                    }
                    form.stack method="post" action={"/room/drafts/" (d.number) "/answer"} {
                        input type="hidden" name="csrf" value=(v.csrf);
                        @for prov in &d.provisions {
                            @let issue = v.public.issues.iter().find(|i| i.id == prov.issue);
                            @let given = answered(&prov.issue);
                            @let key = &prov.issue;
                            fieldset data-issue=(key) {
                                legend { (key) ": " (option_label(v.public, key, &prov.option)) }
                                label { input type="radio" name={"answer." (key)} value="accept" checked[matches!(given, None | Some(ProvisionAnswer::Accept))]; " accept" }
                                label { input type="radio" name={"answer." (key)} value="caveat" checked[matches!(given, Some(ProvisionAnswer::Caveat { .. }))]; " caveat" }
                                label { input type="radio" name={"answer." (key)} value="reject" checked[matches!(given, Some(ProvisionAnswer::Reject { .. }))]; " reject" }
                                br;
                                label for={"option." (key)} { "Option you want instead (for a caveat)" }
                                select id={"option." (key)} name={"option." (key)} {
                                    option value="" { "—" }
                                    @if let Some(i) = issue {
                                        @for o in i.options.iter().filter(|o| o.id != prov.option) {
                                            option value=(o.id) selected[matches!(given, Some(ProvisionAnswer::Caveat { option, .. }) if *option == o.id)] { (o.label) }
                                        }
                                    }
                                }
                                br;
                                label for={"note." (key)} { "Note (optional)" }
                                input type="text" id={"note." (key)} name={"note." (key)} maxlength="500"
                                    value=[match given { Some(ProvisionAnswer::Caveat { note, .. }) | Some(ProvisionAnswer::Reject { note }) => note.as_deref(), _ => None }];
                            }
                        }
                        fieldset {
                            legend { "The whole text" }
                            @let overall = v.answer.map(|a| a.overall);
                            label { input type="radio" name="overall" value="accept" checked[overall == Some(Overall::Accept)] required; " accept" }
                            label { input type="radio" name="overall" value="accept_with_caveats" checked[overall == Some(Overall::AcceptWithCaveats)]; " accept with caveats" }
                            label { input type="radio" name="overall" value="reject" checked[overall == Some(Overall::Reject)]; " reject" }
                        }
                        div { button type="submit" { "Send your answer" } }
                    }
                }
            }
        }
        section aria-labelledby="standing-h" {
            h2 #standing-h { "Where you stand" }
            @match &v.standing {
                Err(why) => p { (why) },
                Ok((a, picture)) => {
                    p { "By your own positions: your walk-away value is " strong { (format!("{:.2}", a.reservation)) } "." }
                    @if !a.drafts.is_empty() {
                        table {
                            thead { tr { th scope="col" { "Draft" } th scope="col" { "Your utility" } th scope="col" { "Over walking away" } th scope="col" { "Your red lines it crosses" } } }
                            tbody { @for d in &a.drafts {
                                tr data-draft=(d.draft) { td { (d.draft) } td.num data-utility=(format!("{:.6}", d.utility)) { (format!("{:.3}", d.utility)) }
                                    td.num class=(if d.margin < 0.0 { "reject" } else { "accept" }) { (format!("{:+.3}", d.margin)) }
                                    td { (d.crosses.join(", ")) } }
                            } }
                        }
                    }
                    @if let Some(p) = picture { figure { (p) } }
                }
            }
        }
        section aria-labelledby="positions-h" {
            h2 #positions-h { "Your positions" }
            p.note { "Confidential: only you and the mediator ever see them. " (v.versions) " version" @if v.versions != 1 { "s" } " kept; each save adds one. Weights are shares of what matters to you (they add up to 1); values run from 0 (worst) to 1 (best)." }
            @if v.form.linkages > 0 { p.note { "Your latest version has " (v.form.linkages) " linkage(s), which this form does not show; saving here leaves them out. Enter linkages through the API (docs/room.md)." } }
            form.stack method="post" action="/room/positions" {
                input type="hidden" name="csrf" value=(v.csrf);
                div {
                    label for="reservation" { "Walk-away value (0 to 1)" }
                    input #reservation type="number" name="reservation" step="any" min="0" max="1" value=(v.form.reservation) required;
                }
                @for issue in &v.public.issues {
                    fieldset data-issue=(issue.id) {
                        legend { (issue.id) " — " (issue.question) }
                        div {
                            label for={"weight." (issue.id)} { "Weight" }
                            input type="number" id={"weight." (issue.id)} name={"weight." (issue.id)} step="any" min="0" max="1" value=(form_weight(v.form, &issue.id));
                        }
                        div.grid {
                            @for o in &issue.options {
                                div {
                                    label for={"value." (issue.id) "." (o.id)} { (o.label) }
                                    br;
                                    input type="number" id={"value." (issue.id) "." (o.id)} name={"value." (issue.id) "." (o.id)} step="any" min="0" max="1" value=(form_value(v.form, &issue.id, &o.id));
                                }
                            }
                        }
                    }
                }
                fieldset {
                    legend { "Red lines" }
                    p.note { "A rule in truce's rule language, e.g. " code { (PreEscaped("crimea != &quot;de_jure&quot;")) } "; a package that breaks it is one you refuse outright." }
                    @for (k, (label, rule)) in v.form.red_lines.iter().map(|(l, r)| (l.as_str(), r.as_str())).chain(std::iter::repeat_n(("", ""), SPARE_RED_LINES)).enumerate() {
                        div {
                            label for={"red_label." (k)} { "Red line " (k + 1) ": what it says" }
                            input type="text" id={"red_label." (k)} name={"red_label." (k)} value=(label) maxlength="300";
                            br;
                            label for={"red_rule." (k)} { "its rule" }
                            input type="text" id={"red_rule." (k)} name={"red_rule." (k)} value=(rule) maxlength="1000" size="50";
                        }
                    }
                }
                div { button type="submit" { "Save your positions" } }
            }
        }
    }
}

/// An observer's room: the text and what is published.
pub fn observer_page(
    public: &ScenarioParts,
    closes: Option<&str>,
    today: Date,
    current: Option<(&Draft, Option<&Board>)>,
) -> Markup {
    html! {
        h1 { (public.name) }
        p.muted { "You observe: you see the text and what the mediator publishes." }
        (countdown(closes, today))
        @match current {
            None => p { "No draft yet." },
            Some((d, board)) => {
                h2 { (draft_heading(d)) }
                table {
                    thead { tr { th scope="col" { "Issue" } th scope="col" { "Provision" } } }
                    tbody { @for p in &d.provisions { tr { td { (p.issue) } td { (option_label(public, &p.issue, &p.option)) } } } }
                }
                @if let Some(b) = board { (board_table(public, b)) }
            }
        }
    }
}

/// The room's public record as a timeline, newest last.
pub fn record_page(public: &ScenarioParts, records: &[Record], picture: Option<Markup>) -> Markup {
    let entries = truce_ledger::timeline(records);
    html! {
        h1 { "The record of " (public.name) }
        p.muted { "Every step of the room, as the ledger holds it (hash-chained; " code { "truce ledger verify" } " checks it). Parties' answers appear once the mediator publishes a draft's board." }
        @if let Some(p) = picture { figure { (p) } }
        @if entries.is_empty() { p { "Nothing recorded yet." } }
        ol.timeline {
            @for e in &entries {
                li data-id=(e.id) { time { (e.date.to_string()) } " — " (e.summary) }
            }
        }
    }
}

/// A page that only says something: not found, refused, not done.
pub fn message(title: &str, text: Option<&str>) -> Markup {
    html! {
        h1 { (title) }
        @if let Some(t) = text { p { (t) } }
        p { a href="/room" { "Back to the room" } }
    }
}
