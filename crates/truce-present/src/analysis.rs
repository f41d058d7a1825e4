//! `analyze` and `explain` for a person: tables for the analysis, prose
//! for one plan.

use crate::analysis_json::{constraint_description, Timings};
use crate::{big, thousands};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, ContentArrangement, Table};
use std::io::{self, Write};
use truce_engine::analysis::{Analysis, Caveat, FrontierMethod, OfferRule, PlanReport, Point};
use truce_engine::model::{Consequence, Role};
use truce_engine::Scenario;

pub(crate) fn table() -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(120);
    t
}

pub(crate) fn num(x: f64) -> Cell {
    Cell::new(format!("{x:.3}")).set_alignment(CellAlignment::Right)
}

/// Longest text a table cell shows; the JSON report has every character.
const CELL_CHARS: usize = 400;

/// A table cell, its text cut at [`CELL_CHARS`] characters (the table
/// layout is quadratic in the length of a cell's words).
pub(crate) fn cell(text: impl ToString) -> Cell {
    let text = text.to_string();
    match text.char_indices().nth(CELL_CHARS) {
        None => Cell::new(text),
        Some((cut, _)) => Cell::new(format!(
            "{}… ({} characters)",
            &text[..cut],
            text.chars().count()
        )),
    }
}

fn party_list(s: &Scenario, parties: &[usize]) -> String {
    if parties.is_empty() {
        return "none".into();
    }
    parties
        .iter()
        .map(|&p| s.parties[p].name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `issue: option` lines of a package.
fn package_lines(s: &Scenario, package: &[u16]) -> String {
    s.issues
        .iter()
        .zip(package)
        .map(|(i, &o)| format!("{}: {}", i.id, i.options[o as usize].id))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The provisions a package changes relative to a plan.
fn change_lines(s: &Scenario, from: &[u16], to: &[u16], changes: &[usize]) -> Vec<String> {
    changes
        .iter()
        .map(|&i| {
            let issue = &s.issues[i];
            format!(
                "{}: {} → {}",
                issue.id, issue.options[from[i] as usize].id, issue.options[to[i] as usize].id
            )
        })
        .collect()
}

fn utilities_line(s: &Scenario, a: &Analysis, p: &Point) -> String {
    a.valued
        .iter()
        .zip(&p.utilities)
        .map(|(&party, u)| format!("{} {u:.3}", s.parties[party].name))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn role_note(s: &Scenario, p: usize) -> String {
    let party = &s.parties[p];
    if party.veto {
        format!("{}, veto", party.role.as_str())
    } else if !party.consent.is_empty() {
        format!(
            "{}, consent on {}",
            party.role.as_str(),
            consent_issues(s, p)
        )
    } else {
        party.role.as_str().to_string()
    }
}

/// The issues party `p` must consent on, by id.
pub(crate) fn consent_issues(s: &Scenario, p: usize) -> String {
    s.parties[p]
        .consent
        .iter()
        .filter_map(|&i| s.issues.get(i).map(|x| x.id.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether red line `r` binds, and why, for a table cell.
pub(crate) fn binding_note(s: &Scenario, r: usize) -> String {
    let party = &s.parties[s.red_lines[r].party];
    match (s.red_line_binds(r), party.veto) {
        (true, true) => "yes".to_string(),
        (true, false) => format!(
            "yes (consent on {})",
            consent_issues(s, s.red_lines[r].party)
        ),
        (false, _) if !party.consent.is_empty() => {
            format!(
                "no (outside its consent on {})",
                consent_issues(s, s.red_lines[r].party)
            )
        }
        (false, _) => "no (no veto)".to_string(),
    }
}

pub(crate) fn deadline_line(s: &Scenario, d: &truce_engine::model::Deadline) -> String {
    let when = match (&d.date, d.round) {
        (Some(date), Some(r)) => format!("{date}, round {r}"),
        (Some(date), None) => date.to_string(),
        (None, Some(r)) => format!("round {r}"),
        (None, None) => String::new(),
    };
    let consequence = match &d.consequence {
        Consequence::MediatorWithdraws => crate::walking_away(s, d.set_by),
        Consequence::ReservationChange { party, reservation } => format!(
            "{}'s reservation value becomes {}",
            s.parties[*party].name, reservation.value
        ),
        Consequence::Other(text) => text.clone(),
    };
    let by = d
        .set_by
        .map(|p| format!(", set by {}", s.parties[p].name))
        .unwrap_or_default();
    format!("{} ({when}{by}); then {consequence}", d.label)
}

/// The report of `truce analyze`: whether a deal exists (or the conflicts
/// that rule one out), red lines, each plan, the bargaining solutions, the
/// best and final offer and the first `show_pareto` packages of the frontier.
pub fn write_analysis<W: Write + ?Sized>(
    w: &mut W,
    s: &Scenario,
    a: &Analysis,
    show_pareto: usize,
    all_ties: bool,
) -> io::Result<()> {
    writeln!(w, "truce analysis: {}\n", s.name)?;
    writeln!(
        w,
        "Agreement space: {} packages over {} issues",
        thousands(a.outcomes),
        s.issues.len()
    )?;
    writeln!(
        w,
        "Parties: {}",
        s.parties
            .iter()
            .enumerate()
            .map(|(p, party)| format!("{} ({})", party.name, role_note(s, p)))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    writeln!(
        w,
        "Bargaining parties (their red lines and reservation values bind): {}",
        party_list(s, &a.bargaining)
    )?;
    let consenting: Vec<String> = (0..s.parties.len())
        .filter(|&p| !s.parties[p].veto && !s.parties[p].consent.is_empty())
        .map(|p| format!("{} (on {})", s.parties[p].name, consent_issues(s, p)))
        .collect();
    if !consenting.is_empty() {
        writeln!(
            w,
            "Consent needed on some issues only (their red lines there, and their reservation value over those issues, bind): {}",
            consenting.join(", ")
        )?;
    }
    for d in &s.deadlines {
        writeln!(w, "Deadline: {}", deadline_line(s, d))?;
    }
    writeln!(w)?;

    // 1. Is there any deal?
    writeln!(w, "IS THERE A DEAL THAT CROSSES NO RED LINE?")?;
    if let Some(e) = &a.feasible_estimate {
        let share = 100.0 * e.hits as f64 / e.sampled.max(1) as f64;
        writeln!(
            w,
            "  Yes. About {} of {} packages ({share:.2}%; 95% interval {} to {}) cross no binding red line and give every bargaining party at least its reservation value.",
            thousands(a.feasible_count),
            thousands(a.outcomes),
            thousands(e.low),
            thousands(e.high)
        )?;
        writeln!(
            w,
            "  Estimated from {} packages drawn at random: counting exactly stopped after {} search nodes.\n",
            thousands(e.sampled),
            thousands(e.count_limit)
        )?;
    } else if a.feasible_count > 0 {
        let share = 100.0 * a.feasible_count as f64 / a.outcomes.max(1) as f64;
        writeln!(
            w,
            "  Yes. {} of {} packages ({share:.2}%) cross no binding red line and give every bargaining party at least its reservation value.\n",
            thousands(a.feasible_count),
            thousands(a.outcomes)
        )?;
    } else {
        writeln!(
            w,
            "  No. Every package crosses a red line or leaves a bargaining party below its reservation value."
        )?;
        writeln!(
            w,
            "  The impasse, as minimal sets of constraints that cannot all hold:"
        )?;
        for (k, &mask) in a.conflicts.iter().enumerate() {
            let names: Vec<String> = a
                .constraints_in(mask)
                .into_iter()
                .map(|c| constraint_description(s, c))
                .collect();
            writeln!(w, "  {}. {}", k + 1, names.join("  against  "))?;
        }
        if a.conflicts_cut {
            writeln!(
                w,
                "  (more conflicts exist; --format json lists the same first ones)"
            )?;
        }
        writeln!(
            w,
            "  Relaxing one constraint from every set above is what it takes for a deal.\n"
        )?;
    }

    // Red lines.
    if !s.red_lines.is_empty() {
        writeln!(w, "RED LINES")?;
        let mut t = table();
        t.set_header(vec!["Party", "Red line", "Rule", "Binding"]);
        for (i, r) in s.red_lines.iter().enumerate() {
            t.add_row(vec![
                cell(&s.parties[r.party].name),
                cell(&r.label),
                cell(&r.rule),
                cell(binding_note(s, i)),
            ]);
        }
        writeln!(w, "{t}\n")?;
    }

    // 2-4. Plans: support, what blocks them, what must change.
    if !a.plans.is_empty() {
        writeln!(w, "PLANS: SUPPORT, WHAT BLOCKS THEM, WHAT MUST CHANGE")?;
        writeln!(
            w,
            "  Support: how far a plan goes from the party's worst package (0%) to its best feasible one (100%).\n"
        )?;
        for pr in &a.plans {
            plan_section(w, s, a, pr)?;
        }
    }

    // Solutions.
    writeln!(
        w,
        "BARGAINING SOLUTIONS (over {})",
        party_list(s, &a.bargaining)
    )?;
    let sol = &a.solutions;
    if sol.nash.is_none() {
        writeln!(w, "  none: the feasible set is empty\n")?;
    } else {
        let mut t = table();
        let mut header = vec![cell("Solution"), cell("Package")];
        header.extend(a.valued.iter().map(|&p| cell(&s.parties[p].name)));
        t.set_header(header);
        let solutions = [
            ("Nash", &sol.nash),
            ("Kalai–Smorodinsky", &sol.kalai_smorodinsky),
            ("Utilitarian", &sol.utilitarian),
            ("Egalitarian", &sol.egalitarian),
        ];
        for (name, p) in solutions {
            if let Some(p) = p {
                let mut row = vec![cell(name), cell(package_lines(s, &p.package))];
                row.extend(p.utilities.iter().map(|&u| num(u)));
                t.add_row(row);
            }
        }
        writeln!(w, "{t}")?;
        for (name, p) in solutions {
            if let Some(line) = p.as_ref().and_then(|p| nonbinding_line(s, &p.package)) {
                writeln!(w, "  {name} {line}")?;
            }
        }
        writeln!(w)?;
    }

    // Best and final offer.
    writeln!(w, "BEST AND FINAL OFFER")?;
    match &a.best_offer {
        None => {
            match s.mediator() {
                Some(m) if a.feasible_count > 0 => writeln!(
                    w,
                    "  none: no feasible package respects {}'s own red lines and reservation value; {} would rather walk away.\n",
                    s.parties[m].name, s.parties[m].name
                ),
                _ => writeln!(w, "  none: no package is acceptable to every bargaining party.\n"),
            }?;
        }
        Some(o) => {
            let who = match o.rule {
                OfferRule::MediatorUtility(m) => format!(
                    "{}'s best package that every bargaining party accepts",
                    s.parties[m].name
                ),
                OfferRule::Nash => match s.mediator() {
                    Some(m) => format!(
                        "the Nash bargaining point ({} states no preferences)",
                        s.parties[m].name
                    ),
                    None => "the Nash bargaining point (the talks have no mediator)".into(),
                },
            };
            writeln!(w, "  {who}:")?;
            for line in package_lines(s, &o.point.package).lines() {
                writeln!(w, "    {line}")?;
            }
            writeln!(w, "  Utilities: {}", utilities_line(s, a, &o.point))?;
            if let Some(line) = nonbinding_line(s, &o.point.package) {
                writeln!(w, "  It {line}")?;
            }
            writeln!(w)?;
        }
    }

    if a.frontier_method == FrontierMethod::NotComputed {
        match a.frontier_too_large {
            Some(n) => writeln!(
                w,
                "PARETO FRONTIER OF THE FEASIBLE SET: not listed: built group by group, it had {} utility vectors before all issues were merged, more than the limit (--frontier-limit); {}. Every answer above was found by exact search.\n",
                thousands(n),
                if a.bargaining.len() <= 2 {
                    "--epsilon 0.01 lists an ε-frontier instead"
                } else {
                    "--epsilon E lists an ε-frontier instead (with this many bargaining parties it grows fast as E shrinks)"
                }
            )?,
            None => writeln!(
                w,
                "PARETO FRONTIER OF THE FEASIBLE SET: not listed: the space is past the enumeration limit (--max-outcomes) and its issues, joined by red lines and linkages, form a group with more than {} combinations (or merging the groups would compare more than {} pairs); every answer above was found by exact search.\n",
                thousands(truce_engine::analysis::grouped::GROUP_LIMIT),
                thousands(truce_engine::analysis::grouped::MERGE_WORK_LIMIT)
            )?,
        }
        return Ok(());
    }
    // Pareto frontier: one package per utility vector unless all ties
    // are asked for (and listed: a frontier built group by group keeps
    // one package per vector).
    let groups = a.pareto_vectors();
    let merged = !a.pareto_ties.is_empty();
    let all_ties = all_ties && !merged;
    let rows: Vec<(&Point, u128)> = if all_ties {
        let mut ties = vec![1; a.pareto.len()];
        for g in &groups {
            for &i in g {
                ties[i] = a.ties_of(g);
            }
        }
        a.pareto.iter().zip(ties).collect()
    } else {
        groups
            .iter()
            .map(|g| (&a.pareto[g[0]], a.ties_of(g)))
            .collect()
    };
    if let Some((e, g)) = a.frontier_epsilon {
        writeln!(
            w,
            "ε-FRONTIER OF THE FEASIBLE SET (ε = {e}): {} packages; every Pareto-optimal feasible package is within ε of one listed for every bargaining party (merged over {g} groups of issues on a grid of step ε/{g}){}",
            thousands(groups.len() as u64),
            if groups.len() > show_pareto {
                format!(" (first {show_pareto} shown; --format json lists all)")
            } else {
                String::new()
            }
        )?;
    }
    let count = a.pareto_count();
    let tied = count != groups.len() as u128 && a.frontier_epsilon.is_none();
    let vectors = if !tied {
        String::new()
    } else {
        format!(
            " on {} utility vectors ({})",
            thousands(groups.len() as u64),
            if all_ties {
                "every tied package listed"
            } else if merged {
                "one package listed per vector; built group by group, so tied packages are counted, not listed"
            } else {
                "one package listed per vector; --all-ties lists them all"
            }
        )
    };
    if a.frontier_epsilon.is_none() {
        writeln!(
            w,
            "PARETO FRONTIER OF THE FEASIBLE SET: {} packages{vectors}{}",
            big(count),
            if rows.len() > show_pareto {
                format!(" (first {show_pareto} shown; --format json lists all)")
            } else {
                String::new()
            }
        )?;
    }
    if !rows.is_empty() && show_pareto > 0 {
        let mut t = table();
        let mut header = vec![cell("No."), cell("Package")];
        header.extend(a.valued.iter().map(|&p| cell(&s.parties[p].name)));
        if tied {
            header.push(cell("Ties"));
        }
        t.set_header(header);
        for (p, ties) in rows.iter().take(show_pareto) {
            let mut row = vec![
                cell(p.index),
                cell(
                    s.describe_package(&p.package)
                        .iter()
                        .map(|(i, o)| format!("{i}={o}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
            ];
            row.extend(p.utilities.iter().map(|&u| num(u)));
            if tied {
                row.push(cell(big(*ties)));
            }
            t.add_row(row);
        }
        writeln!(w, "{t}")?;
    }
    Ok(())
}

/// One caveat: terse with option ids for tables, or with labels for prose.
/// "crosses a red line of a party without a veto: …", if the package
/// crosses any (they bind no one, but the reader should know).
fn nonbinding_line(s: &Scenario, package: &[u16]) -> Option<String> {
    let crossed = truce_engine::analysis::nonbinding_crossed(s, package);
    if crossed.is_empty() {
        return None;
    }
    let names: Vec<String> = crossed
        .iter()
        .map(|&r| {
            let rl = &s.red_lines[r];
            format!("{}: {}", s.parties[rl.party].name, rl.label)
        })
        .collect();
    Some(format!(
        "crosses {} of a party without a veto (binding no one): {}",
        if crossed.len() == 1 {
            "a red line"
        } else {
            "red lines"
        },
        names.join("; ")
    ))
}

pub(crate) fn caveat_text(s: &Scenario, c: &Caveat, prose: bool) -> String {
    let issue = &s.issues[c.issue];
    let (from, to) = (&issue.options[c.from], &issue.options[c.to]);
    let mut t = if prose {
        format!(
            "{} from \"{}\" to \"{}\" (gains {:.3}",
            issue.id, from.label, to.label, c.gain
        )
    } else {
        format!("{}: {} → {} ({:+.3}", issue.id, from.id, to.id, c.gain)
    };
    if !c.resolves.is_empty() {
        t.push_str(if prose {
            ", and no longer crosses its red line"
        } else {
            ", ends a red-line crossing"
        });
    }
    if !c.linkages.is_empty() {
        let names: Vec<&str> = c
            .linkages
            .iter()
            .map(|&l| s.linkages[l].label.as_str())
            .collect();
        t.push_str(&format!(
            "{}{}",
            if prose {
                ", through the linkage "
            } else {
                "; linkage: "
            },
            names.join("; ")
        ));
    }
    t.push(')');
    t
}

fn plan_section<W: Write + ?Sized>(
    w: &mut W,
    s: &Scenario,
    a: &Analysis,
    pr: &PlanReport,
) -> io::Result<()> {
    let plan = &s.plans[pr.plan];
    let package = plan.package();
    let mut title = format!("  {} [{}]", plan.name, plan.id);
    if let Some(by) = plan.proposed_by {
        title.push_str(&format!(", proposed by {}", s.parties[by].name));
    }
    if let Some(d) = &plan.date {
        title.push_str(&format!(", {d}"));
    }
    writeln!(w, "{title}")?;
    let mut t = table();
    t.set_header(vec![
        "Party",
        "Utility",
        "Reservation",
        "Support",
        "Acceptable",
        "Own red lines crossed",
    ]);
    for v in &pr.parties {
        t.add_row(vec![
            cell(&s.parties[v.party].name),
            num(v.utility),
            num(v.reservation),
            cell(format!("{:.0}%", v.support)).set_alignment(CellAlignment::Right),
            cell(if v.acceptable { "yes" } else { "no" }),
            cell(
                v.crosses
                    .iter()
                    .map(|&r| s.red_lines[r].label.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        ]);
    }
    for line in t.to_string().lines() {
        writeln!(w, "  {line}")?;
    }
    if pr.feasible() {
        writeln!(w, "    Every bargaining party can accept it.")?;
    } else {
        writeln!(w, "    Blocked by:")?;
        for c in a.constraints_in(pr.blocking) {
            writeln!(w, "    - {}", constraint_description(s, c))?;
        }
    }
    for v in &pr.parties {
        if v.caveats.is_empty() {
            continue;
        }
        let items: Vec<String> = v
            .caveats
            .iter()
            .take(3)
            .map(|c| caveat_text(s, c, false))
            .collect();
        let more = v.caveats.len().saturating_sub(3);
        writeln!(
            w,
            "    {} would change: {}{}",
            s.parties[v.party].name,
            items.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        )?;
    }
    match &pr.nearest {
        None => {
            writeln!(
                w,
                "    No package is acceptable to all, so no change of this plan is either."
            )?;
        }
        Some(n) if n.changes.is_empty() => {
            writeln!(w, "    Nothing must change: the plan itself is feasible.")?;
        }
        Some(n) => {
            writeln!(
                w,
                "    What must change (nearest acceptable package, {} provision{}): {}",
                n.changes.len(),
                if n.changes.len() == 1 { "" } else { "s" },
                change_lines(s, &package, &n.point.package, &n.changes).join("; ")
            )?;
            writeln!(w, "      then: {}", utilities_line(s, a, &n.point))?;
        }
    }
    writeln!(w)
}

/// The story of one plan (`truce explain`): what it provides, where each
/// party stands, what blocks it, what must change.
pub fn write_explanation<W: Write + ?Sized>(
    w: &mut W,
    s: &Scenario,
    a: &Analysis,
    p: usize,
) -> io::Result<()> {
    let plan = &s.plans[p];
    let pr = &a.plans[p];
    let package = plan.package();
    write!(w, "Plan \"{}\"", plan.name)?;
    if let Some(by) = plan.proposed_by {
        write!(w, ", put forward by {}", s.parties[by].name)?;
    }
    if let Some(d) = &plan.date {
        write!(w, " ({d})")?;
    }
    writeln!(w, "\n")?;
    writeln!(w, "What it provides:")?;
    for (i, issue) in s.issues.iter().enumerate() {
        let o = &issue.options[plan.provisions[i].option];
        writeln!(w, "  - {} {} ({})", issue.question, o.label, o.id)?;
    }
    writeln!(w)?;
    writeln!(w, "Where each party stands:")?;
    for v in &pr.parties {
        let party = &s.parties[v.party];
        write!(
            w,
            "  - {} supports it {:.0}% (utility {:.3}; walking away is worth {:.3} to it).",
            party.name, v.support, v.utility, v.reservation
        )?;
        if !v.crosses.is_empty() {
            let names: Vec<String> = v
                .crosses
                .iter()
                .map(|&r| format!("\"{}\"", s.red_lines[r].label))
                .collect();
            write!(
                w,
                " It crosses {}'s red line {}.",
                party.name,
                names.join(" and ")
            )?;
        }
        if !v.clears_reservation {
            write!(w, " It leaves {} worse off than no agreement.", party.name)?;
        }
        if v.acceptable {
            write!(w, " {} can accept it.", party.name)?;
        } else if party.veto {
            write!(w, " {} would not sign it as it stands.", party.name)?;
        }
        writeln!(w)?;
        if !v.caveats.is_empty() {
            let items: Vec<String> = v.caveats.iter().map(|c| caveat_text(s, c, true)).collect();
            writeln!(
                w,
                "    Its caveats, most important first: {}.",
                items.join("; ")
            )?;
        }
    }
    writeln!(w)?;
    if pr.feasible() {
        writeln!(
            w,
            "Verdict: every party with a veto can sign this plan: it crosses none of their red lines and leaves none worse off than walking away."
        )?;
    } else {
        writeln!(
            w,
            "Verdict: this plan cannot be signed as it stands. What blocks it:"
        )?;
        for c in a.constraints_in(pr.blocking) {
            writeln!(w, "  - {}", constraint_description(s, c))?;
        }
        match &pr.nearest {
            None => {
                writeln!(
                    w,
                    "No package at all is acceptable to every party with a veto; see `truce analyze` for the conflicts that explain the impasse."
                )?;
            }
            Some(n) => {
                writeln!(
                    w,
                    "\nWhat must change for everyone to sign: the closest acceptable package changes {} provision{}:",
                    n.changes.len(),
                    if n.changes.len() == 1 { "" } else { "s" }
                )?;
                for &i in &n.changes {
                    let issue = &s.issues[i];
                    writeln!(
                        w,
                        "  - {}: from \"{}\" to \"{}\"",
                        issue.id,
                        issue.options[package[i] as usize].label,
                        issue.options[n.point.package[i] as usize].label
                    )?;
                }
                writeln!(w, "Utilities then: {}.", utilities_line(s, a, &n.point))?;
            }
        }
    }
    if let Some(o) = &a.best_offer {
        let differs: Vec<usize> = (0..package.len())
            .filter(|&i| o.point.package[i] != package[i])
            .collect();
        // Without a mediator's own preferences the offer is the Nash point.
        let offer = match o.rule {
            OfferRule::MediatorUtility(m) => {
                format!("{}'s best and final offer", s.parties[m].name)
            }
            OfferRule::Nash => "the best and final offer (the Nash bargaining point)".into(),
        };
        if differs.is_empty() {
            writeln!(w, "\nThis plan is {offer}.")?;
        } else {
            let mut text = format!(
                "{offer} differs from this plan on: {}.",
                change_lines(s, &package, &o.point.package, &differs).join("; ")
            );
            if let Some(first) = text.get(..1) {
                text = first.to_uppercase() + &text[1..];
            }
            writeln!(w, "\n{text}")?;
        }
    }
    if s.parties.iter().any(|p| p.role == Role::Mediator) && a.best_offer.is_none() {
        writeln!(w, "\nThe mediator has no offer that every party accepts and that it prefers to walking away.")?;
    }
    Ok(())
}

/// What `analyze --timings` says on standard error.
pub fn timings_line(t: &Timings) -> String {
    let steps: Vec<String> = t
        .steps
        .iter()
        .map(|(step, ms)| format!("{step} {ms:.1}"))
        .collect();
    format!(
        "timings: parse {:.1} ms, analysis {:.1} ms on {} threads ({} ms)",
        t.parse_ms,
        t.analysis_ms,
        t.threads,
        steps.join(", ")
    )
}
