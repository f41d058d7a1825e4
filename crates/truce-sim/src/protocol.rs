//! One run of the talks under a protocol, with deadlines applied between
//! rounds: the mediator withdraws after its last round; a party's
//! reservation value changes after the round a deadline names.

use crate::strategy::Agent;
use crate::table::Table;
use crate::world::{draw, Valuation};
use rand::Rng;
use serde::Serialize;
use truce_engine::simulation::Protocol;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    Agreement,
    /// The mediator withdrew at its deadline.
    MediatorWithdrew,
    /// The rounds ran out.
    RoundsOut,
    /// A negotiator had nothing better than no deal and left.
    WalkedAway,
    /// An offer was put and someone rejected it (ultimatum).
    Rejected,
    /// The mediator had no offer every party could accept.
    NoOffer,
}

/// What happened in a run, for the minutes (`--trace`). Parties are valued
/// positions, packages numbers in the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Offer {
        round: u32,
        party: usize,
        package: usize,
    },
    Accept {
        round: u32,
        party: usize,
        package: usize,
    },
    Reject {
        round: u32,
        party: usize,
        package: usize,
    },
    /// A party's caveat on the mediator's text: change `issue` to `option`.
    Caveat {
        round: u32,
        party: usize,
        issue: usize,
        option: u16,
    },
    /// The mediator tables (or revises) its text.
    Text {
        round: u32,
        package: usize,
    },
    ReservationChanged {
        round: u32,
        party: usize,
        value: f64,
    },
    MediatorWithdraws {
        round: u32,
    },
    WalksAway {
        round: u32,
        party: usize,
    },
    Agreement {
        round: u32,
        package: usize,
    },
    RoundsOut {
        round: u32,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub package: Option<usize>,
    /// The round of agreement, or the last round played.
    pub round: u32,
    pub ending: Ending,
    /// Per valued party: the agreement's utility, or its reservation value
    /// at the end.
    pub utilities: Vec<f64>,
}

/// Plays one run: `valuation` holds its utilities and ladders,
/// `reservation` the reservation values drawn for it.
pub fn play(
    t: &Table,
    valuation: &Valuation,
    mut reservation: Vec<f64>,
    rng: &mut impl Rng,
    mut trace: Option<&mut Vec<Event>>,
) -> Outcome {
    // Reservation changes are drawn up front, so the random stream does not
    // depend on when the talks end.
    let changes: Vec<(u32, usize, f64)> = t
        .reservation_changes
        .iter()
        .map(|(r, k, v)| (*r, *k, draw(v, rng)))
        .collect();
    let mut log = |e: Event| {
        if let Some(tr) = trace.as_deref_mut() {
            tr.push(e);
        }
    };
    let (package, round, ending) = match t.config.protocol {
        Protocol::Ultimatum => ultimatum(t, valuation, &reservation, &mut log),
        Protocol::Mediated => mediated(t, valuation, &mut reservation, &changes, &mut log),
        Protocol::Alternating => alternating(t, valuation, &mut reservation, &changes, &mut log),
        // Table::new refuses the sequenced protocol until it is built.
        Protocol::Sequenced => (None, 0, Ending::NoOffer),
    };
    let utilities = match package {
        Some(x) => (0..t.valued.len())
            .map(|k| valuation.utilities.get(x, k))
            .collect(),
        None => reservation,
    };
    Outcome {
        package,
        round,
        ending,
        utilities,
    }
}

/// Applies what happens between rounds: true when the talks are over
/// because the mediator withdrew after `round - 1`.
fn between_rounds(
    t: &Table,
    round: u32,
    reservation: &mut [f64],
    agents: &mut [Agent],
    changes: &[(u32, usize, f64)],
    log: &mut dyn FnMut(Event),
) -> bool {
    if t.walk_away.is_some_and(|w| round > w) {
        log(Event::MediatorWithdraws { round });
        return true;
    }
    for &(after, k, value) in changes {
        if round == after + 1 {
            reservation[k] = value;
            for a in agents.iter_mut().filter(|a| a.k == k) {
                a.reservation = value;
            }
            log(Event::ReservationChanged {
                round,
                party: k,
                value,
            });
        }
    }
    false
}

fn time(t: &Table, round: u32) -> f64 {
    round as f64 / t.horizon as f64
}

fn agents<'a>(t: &Table, v: &'a Valuation, reservation: &[f64]) -> Vec<Agent<'a>> {
    let radices: Vec<usize> = t.scenario.issues.iter().map(|i| i.options.len()).collect();
    t.negotiators
        .iter()
        .filter_map(|&k| {
            let ladder = v.ladders[k].as_ref()?;
            Some(Agent::new(
                k,
                t.strategies[k],
                ladder,
                &v.utilities,
                reservation[k],
                t.valued.len(),
                &radices,
            ))
        })
        .collect()
}

type Played = (Option<usize>, u32, Ending);

/// Multilateral alternating offers: each negotiator in turn accepts the
/// standing offer or puts its own; agreement once all the others accept.
fn alternating(
    t: &Table,
    v: &Valuation,
    reservation: &mut [f64],
    changes: &[(u32, usize, f64)],
    log: &mut dyn FnMut(Event),
) -> Played {
    let mut agents = agents(t, v, reservation);
    let n = agents.len();
    let mut options = vec![0u16; t.allowed.len()];
    let decode = |x: usize, out: &mut [u16]| t.decode(x, out);
    // (package, its proposer's place in `agents`, acceptances so far)
    let mut standing: Option<(usize, usize, usize)> = None;
    for round in 1..=t.config.rounds {
        if between_rounds(t, round, reservation, &mut agents, changes, log) {
            return (None, round - 1, Ending::MediatorWithdrew);
        }
        let now = time(t, round);
        for turn in 0..n {
            let a = &agents[turn];
            if let Some((x, proposer, accepted)) = standing {
                if proposer != turn && a.accepts(x, now, t.red_ok[a.k][x]) {
                    log(Event::Accept {
                        round,
                        party: a.k,
                        package: x,
                    });
                    standing = Some((x, proposer, accepted + 1));
                    if accepted + 1 == n - 1 {
                        log(Event::Agreement { round, package: x });
                        return (Some(x), round, Ending::Agreement);
                    }
                    continue;
                }
            }
            let Some(x) = a.offer(now, &decode, &mut options) else {
                log(Event::WalksAway { round, party: a.k });
                return (None, round, Ending::WalkedAway);
            };
            if n == 1 {
                log(Event::Agreement { round, package: x });
                return (Some(x), round, Ending::Agreement);
            }
            log(Event::Offer {
                round,
                party: a.k,
                package: x,
            });
            t.decode(x, &mut options);
            let from = agents[turn].k;
            for (j, other) in agents.iter_mut().enumerate() {
                if j != turn {
                    other.observe(from, x, &options);
                }
            }
            standing = Some((x, turn, 0));
        }
    }
    log(Event::RoundsOut {
        round: t.config.rounds,
    });
    (None, t.config.rounds, Ending::RoundsOut)
}

/// The mediator's single negotiating text: each round every negotiator
/// accepts it or states its caveat (the one change that would help it
/// most); the mediator meets the caveat of the party furthest from its
/// demand, provided the revised text crosses no more of the parties'
/// stated red lines than the current one and is still worth the
/// mediator's own demand (which falls over time by its strategy).
fn mediated(
    t: &Table,
    v: &Valuation,
    reservation: &mut [f64],
    changes: &[(u32, usize, f64)],
    log: &mut dyn FnMut(Event),
) -> Played {
    let mut agents = agents(t, v, reservation);
    let Some(mut text) = t.opening_text else {
        return (None, 0, Ending::NoOffer);
    };
    let radices: Vec<usize> = t.scenario.issues.iter().map(|i| i.options.len()).collect();
    let mediator = t.mediator.and_then(|m| {
        Some(Agent::new(
            m,
            t.strategies[m],
            v.ladders[m].as_ref()?,
            &v.utilities,
            reservation[m],
            t.valued.len(),
            &radices,
        ))
    });
    log(Event::Text {
        round: 1,
        package: text,
    });
    let mut options = vec![0u16; t.allowed.len()];
    for round in 1..=t.config.rounds {
        if between_rounds(t, round, reservation, &mut agents, changes, log) {
            return (None, round - 1, Ending::MediatorWithdrew);
        }
        let now = time(t, round);
        // (shortfall from its demand, valued party, revised text)
        let mut caveats: Vec<(f64, usize, usize)> = Vec::new();
        for a in &agents {
            if a.accepts(text, now, t.red_ok[a.k][text]) {
                log(Event::Accept {
                    round,
                    party: a.k,
                    package: text,
                });
                continue;
            }
            let here = v.utilities.get(text, a.k);
            let shortfall = a.target(now) - here;
            if let Some((issue, option, revised)) = best_change(t, v, a, text, &mut options) {
                log(Event::Caveat {
                    round,
                    party: a.k,
                    issue,
                    option,
                });
                caveats.push((shortfall, a.k, revised));
            } else {
                log(Event::Reject {
                    round,
                    party: a.k,
                    package: text,
                });
            }
        }
        if caveats.is_empty()
            && agents
                .iter()
                .all(|a| a.accepts(text, now, t.red_ok[a.k][text]))
        {
            log(Event::Agreement {
                round,
                package: text,
            });
            return (Some(text), round, Ending::Agreement);
        }
        // Furthest from its demand first; ties by party order.
        caveats.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let acceptable = |x: usize| {
            t.binding_crossed[x] <= t.binding_crossed[text]
                && mediator.as_ref().is_none_or(|m| {
                    v.utilities.get(x, m.k) >= m.target(now).min(v.utilities.get(text, m.k))
                })
        };
        if let Some(&(_, _, revised)) = caveats.iter().find(|c| acceptable(c.2)) {
            text = revised;
            log(Event::Text {
                round: round + 1,
                package: text,
            });
        }
    }
    log(Event::RoundsOut {
        round: t.config.rounds,
    });
    (None, t.config.rounds, Ending::RoundsOut)
}

/// The single change of one issue that raises `a`'s utility most (within
/// its red lines when it keeps to them): (issue, option, revised text).
fn best_change(
    t: &Table,
    v: &Valuation,
    a: &Agent,
    text: usize,
    options: &mut [u16],
) -> Option<(usize, u16, usize)> {
    t.decode(text, options);
    let here = v.utilities.get(text, a.k);
    let mut best: Option<(f64, usize, u16, usize)> = None;
    for (i, (&current, allowed)) in options.iter().zip(&t.allowed).enumerate() {
        let stride = t.stride[i] as usize;
        let pos = allowed.iter().position(|&o| o == current)?;
        for (p, &o) in allowed.iter().enumerate() {
            if o == current {
                continue;
            }
            let revised = text - pos * stride + p * stride;
            if a.strategy.respect_red_lines && !t.red_ok[a.k][revised] {
                continue;
            }
            let u = v.utilities.get(revised, a.k);
            if u > here && best.is_none_or(|b| u > b.0) {
                best = Some((u, i, o, revised));
            }
        }
    }
    best.map(|(_, i, o, x)| (i, o, x))
}

/// The mediator's best and final offer, put once: each negotiator accepts
/// it if it is worth its reservation value (and crosses none of its red
/// lines, when it keeps to them).
fn ultimatum(t: &Table, v: &Valuation, reservation: &[f64], log: &mut dyn FnMut(Event)) -> Played {
    let Some(x) = t.best_offer else {
        return (None, 1, Ending::NoOffer);
    };
    log(Event::Text {
        round: 1,
        package: x,
    });
    let mut all = true;
    for &k in &t.negotiators {
        let ok = v.utilities.get(x, k) >= reservation[k]
            && (!t.strategies[k].respect_red_lines || t.red_ok[k][x]);
        log(if ok {
            Event::Accept {
                round: 1,
                party: k,
                package: x,
            }
        } else {
            Event::Reject {
                round: 1,
                party: k,
                package: x,
            }
        });
        all &= ok;
    }
    if all {
        log(Event::Agreement {
            round: 1,
            package: x,
        });
        (Some(x), 1, Ending::Agreement)
    } else {
        (None, 1, Ending::Rejected)
    }
}
