//! Writing a scenario back to TOML, in the format [`crate::parse`] reads:
//! `parse_scenario(&to_toml(s)) == s` for every valid scenario.

use crate::format::*;
use crate::model::*;
use serde_spanned::Spanned;

fn sp<T>(value: T) -> Spanned<T> {
    Spanned::new(0..0, value)
}

fn num(n: &Noted<f64>) -> Spanned<Number> {
    let (range, sd, dist) = match n.spread {
        None => (None, None, None),
        Some(Spread::Uniform { lo, hi }) => (Some([lo, hi]), None, None),
        Some(Spread::Triangular { lo, hi }) => (Some([lo, hi]), None, Some("triangular".into())),
        Some(Spread::Normal { sd, lo, hi }) => (Some([lo, hi]), Some(sd), None),
    };
    sp(Number {
        value: n.value,
        basis: n.basis.clone(),
        range,
        sd,
        dist,
    })
}

/// The scenario as a file structure.
pub fn to_raw(s: &ScenarioParts) -> RawFile {
    let party_id = |p: usize| sp(s.parties[p].id.clone());
    RawFile {
        scenario: RawMeta {
            id: s.id.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
        },
        sources: s
            .sources
            .iter()
            .map(|x| RawSource {
                id: sp(x.id.clone()),
                title: x.title.clone(),
                outlet: x.outlet.clone(),
                url: x.url.clone(),
                date: x.date.map(|d| sp(DateText(d.to_string()))),
            })
            .collect(),
        parties: s
            .parties
            .iter()
            .map(|p| RawParty {
                id: sp(p.id.clone()),
                name: p.name.clone(),
                role: sp(p.role.as_str().to_string()),
                veto: if p.consent.is_empty() {
                    (p.veto != (p.role == Role::Party)).then(|| sp(RawVeto::Flag(p.veto)))
                } else {
                    Some(sp(RawVeto::Issues(
                        p.consent
                            .iter()
                            .filter_map(|&i| s.issues.get(i).map(|x| x.id.clone()))
                            .collect(),
                    )))
                },
                people: p
                    .people
                    .iter()
                    .map(|x| RawPerson {
                        name: x.name.clone(),
                        title: x.title.clone(),
                    })
                    .collect(),
                capability: p.capability.as_ref().map(num),
            })
            .collect(),
        issues: s
            .issues
            .iter()
            .map(|i| RawIssue {
                id: sp(i.id.clone()),
                question: i.question.clone(),
                // A numeric issue is ordered by being numeric.
                ordered: i.ordered && i.numeric.is_none(),
                deferrable: i.deferrable,
                basis: i.basis.clone(),
                numeric: i.numeric.as_ref().map(|n| {
                    sp(RawNumeric {
                        min: n.min,
                        max: n.max,
                        step: n.step,
                        unit: n.unit.clone(),
                    })
                }),
                options: sp(if i.numeric.is_some() {
                    Vec::new()
                } else {
                    i.options[..i.scale_len()]
                        .iter()
                        .map(|o| RawOption {
                            id: sp(o.id.clone()),
                            label: o.label.clone(),
                            basis: o.basis.clone(),
                        })
                        .collect()
                }),
            })
            .collect(),
        preferences: s
            .preferences
            .iter()
            .enumerate()
            .filter_map(|(p, prefs)| prefs.as_ref().map(|x| (p, x)))
            .map(|(p, prefs)| RawPreferences {
                party: party_id(p),
                reservation: num(&prefs.reservation),
                discount: prefs.discount.as_ref().map(num),
                basis: prefs.basis.clone(),
                issues: sp(s
                    .issues
                    .iter()
                    .zip(&prefs.issues)
                    .filter(|(_, ip)| is_stated(ip))
                    .map(|(issue, ip)| issue_preference(issue, ip))
                    .collect()),
            })
            .collect(),
        red_lines: s
            .red_lines
            .iter()
            .filter(|r| !r.derived)
            .map(|r| RawRedLine {
                id: sp(r.id.clone()),
                party: party_id(r.party),
                label: r.label.clone(),
                rule: sp(r.rule.clone()),
                basis: r.basis.clone(),
            })
            .collect(),
        linkages: s
            .linkages
            .iter()
            .map(|l| RawLinkage {
                id: sp(l.id.clone()),
                party: party_id(l.party),
                label: l.label.clone(),
                when: sp(l.rule.clone()),
                utility: num(&l.utility),
            })
            .collect(),
        plans: s.plans.iter().map(|p| plan(s, p)).collect(),
        deadlines: s
            .deadlines
            .iter()
            .map(|d| {
                let (consequence, party, reservation, description) = match &d.consequence {
                    Consequence::MediatorWithdraws => ("mediator_withdraws", None, None, None),
                    Consequence::ReservationChange { party, reservation } => (
                        "reservation_change",
                        Some(party_id(*party)),
                        Some(num(reservation)),
                        None,
                    ),
                    Consequence::Other(text) => ("other", None, None, Some(text.clone())),
                };
                RawDeadline {
                    id: sp(d.id.clone()),
                    label: d.label.clone(),
                    date: d.date.map(|d| sp(DateText(d.to_string()))),
                    round: d.round.map(|r| sp(r as i64)),
                    set_by: d.set_by.map(party_id),
                    consequence: sp(consequence.to_string()),
                    party,
                    reservation,
                    description,
                    basis: d.basis.clone(),
                }
            })
            .collect(),
        simulation: simulation(s),
        strategies: s
            .simulation
            .strategies
            .iter()
            .map(|d| RawStrategy {
                party: party_id(d.party),
                strategy: sp(d.strategy.to_string()),
                basis: d.basis.clone(),
            })
            .collect(),
    }
}

fn simulation(s: &ScenarioParts) -> Option<RawSimulation> {
    let sim = &s.simulation;
    let raw = RawSimulation {
        protocol: sim.protocol.map(|p| sp(p.as_str().to_string())),
        rounds: sim.rounds.map(|r| sp(r as i64)),
        runs: sim.runs.map(|r| sp(r.min(i64::MAX as u64) as i64)),
        seed: sim.seed.map(|r| sp(r.min(i64::MAX as u64) as i64)),
        stages: sim
            .stages
            .iter()
            .map(|st| st.iter().map(|&i| sp(s.issues[i].id.clone())).collect())
            .collect(),
        vary: sim.vary.iter().map(|v| sp(v.text.clone())).collect(),
    };
    let empty = raw.protocol.is_none()
        && raw.rounds.is_none()
        && raw.runs.is_none()
        && raw.seed.is_none()
        && raw.stages.is_empty()
        && raw.vary.is_empty();
    (!empty).then_some(raw)
}

/// Whether a preference says more than "this issue does not matter".
fn is_stated(ip: &IssuePreference) -> bool {
    ip.weight.value != 0.0
        || ip.weight.basis.is_some()
        || ip.ideal.is_some()
        || ip.linear.is_some()
        || ip.points.is_some()
        || ip
            .values
            .iter()
            .any(|v| v.value != 0.0 || v.basis.is_some())
}

fn issue_preference(issue: &Issue, ip: &IssuePreference) -> RawIssuePreference {
    let mut values = IndexMap::new();
    for (o, v) in ip.values.iter().enumerate() {
        let implied = ip.implied_value(issue, o);
        if implied != Some(v.value) || v.basis.is_some() {
            values.insert(issue.options[o].id.clone(), num(v));
        }
    }
    RawIssuePreference {
        issue: sp(issue.id.clone()),
        weight: num(&ip.weight),
        ideal: ip.ideal.map(|(o, _)| sp(issue.options[o].id.clone())),
        tolerance: ip.ideal.and_then(|(_, t)| (t > 0).then(|| sp(t as i64))),
        linear: ip
            .linear
            .map(|(offset, slope)| sp(RawLinear { offset, slope })),
        points: ip
            .points
            .as_ref()
            .map(|p| sp(p.iter().map(|&(x, y)| [x, y]).collect())),
        values: (!values.is_empty()).then_some(values),
    }
}

fn plan(s: &ScenarioParts, p: &Plan) -> RawPlan {
    let mut provisions = IndexMap::new();
    let mut deferred = Vec::new();
    for (issue, pv) in s.issues.iter().zip(&p.provisions) {
        if issue.deferred_index() == Some(pv.option) {
            deferred.push(sp(issue.id.clone()));
        } else {
            provisions.insert(
                issue.id.clone(),
                sp(Choice {
                    option: issue.options[pv.option].id.clone(),
                    basis: pv.basis.clone(),
                }),
            );
        }
    }
    RawPlan {
        id: sp(p.id.clone()),
        name: p.name.clone(),
        proposed_by: p.proposed_by.map(|x| sp(s.parties[x].id.clone())),
        date: p.date.map(|d| sp(DateText(d.to_string()))),
        basis: p.basis.clone(),
        deferred,
        provisions,
    }
}

/// The scenario as TOML text.
pub fn to_toml(s: &ScenarioParts) -> Result<String, toml::ser::Error> {
    toml::to_string(&to_raw(s))
}
