//! One run of the talks under a protocol, with deadlines applied between
//! rounds: the mediator withdraws after its last round; a party's
//! reservation value changes after the round a deadline names.

use crate::strategy::Agent;

use crate::table::Table;
use crate::world::{draw, Ladder, Utilities, Valuation};
use rand::Rng;
use serde::Serialize;
use truce_engine::simulation::Protocol;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ending {
    /// The parties agreed.
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

impl Ending {
    /// Every ending, in the order reports list them.
    pub const ALL: [Ending; 6] = [
        Ending::Agreement,
        Ending::MediatorWithdrew,
        Ending::RoundsOut,
        Ending::WalkedAway,
        Ending::Rejected,
        Ending::NoOffer,
    ];

    /// Its name in reports: `mediator_withdrew`.
    pub fn as_str(self) -> &'static str {
        match self {
            Ending::Agreement => "agreement",
            Ending::MediatorWithdrew => "mediator_withdrew",
            Ending::RoundsOut => "rounds_out",
            Ending::WalkedAway => "walked_away",
            Ending::Rejected => "rejected",
            Ending::NoOffer => "no_offer",
        }
    }
}

/// What happened in a run, for the minutes (`--trace`). Parties are valued
/// positions, packages numbers in the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A party proposes a package.
    Offer {
        /// The round it happened in.
        round: u32,
        /// The valued party (its position among the parties with preferences).
        party: usize,
        /// The package (its number in the table).
        package: usize,
    },
    /// A party accepts the standing offer.
    Accept {
        /// The round it happened in.
        round: u32,
        /// The valued party (its position among the parties with preferences).
        party: usize,
        /// The package (its number in the table).
        package: usize,
    },
    /// A party rejects the offer put to it.
    Reject {
        /// The round it happened in.
        round: u32,
        /// The valued party (its position among the parties with preferences).
        party: usize,
        /// The package (its number in the table).
        package: usize,
        /// Why.
        reason: Refusal,
    },
    /// A party's caveat on the mediator's text: change `issue` to `option`.
    Caveat {
        /// The round it happened in.
        round: u32,
        /// The valued party (its position among the parties with preferences).
        party: usize,
        /// The issue (scenario index).
        issue: usize,
        /// The option asked for.
        option: u16,
        /// The party's red line (scenario index) the text crosses and the
        /// change would no longer cross, when that is why it asks.
        #[serde(skip_serializing_if = "Option::is_none")]
        ends_red_line: Option<usize>,
    },
    /// The mediator tables (or revises) its text.
    Text {
        /// The round it happened in.
        round: u32,
        /// The package (its number in the table).
        package: usize,
    },
    /// A party's value of no deal changes at a deadline.
    ReservationChanged {
        /// The round it happened in.
        round: u32,
        /// The valued party (its position among the parties with preferences).
        party: usize,
        /// The new reservation value.
        value: f64,
    },
    /// The mediator withdraws from the talks.
    MediatorWithdraws {
        /// The round it happened in.
        round: u32,
    },
    /// A party walks away: nothing on the table beats no deal.
    WalksAway {
        /// The round it happened in.
        round: u32,
        /// The valued party (its position among the parties with preferences).
        party: usize,
    },
    /// Everyone accepted a package.
    Agreement {
        /// The round it happened in.
        round: u32,
        /// The package (its number in the table).
        package: usize,
    },
    /// The rounds ran out.
    RoundsOut {
        /// The round it happened in.
        round: u32,
    },
    /// A stage of the sequenced protocol opens on these issues.
    StageOpens {
        /// The round it happened in.
        round: u32,
        /// The stage (from 0).
        stage: usize,
        /// The stage's issues (scenario indices).
        issues: Vec<usize>,
    },
    /// A stage's issues are settled (the package shows them; the issues of
    /// later stages in it are placeholders).
    StageAgreed {
        /// The round it happened in.
        round: u32,
        /// The stage (from 0).
        stage: usize,
        /// The package (its number in the table).
        package: usize,
    },
}

/// Why a party rejects a package.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Refusal {
    /// It crosses this red line of the party's (scenario index), which the
    /// party keeps to (and no single change of the text would end that).
    RedLine {
        /// The red line.
        red_line: usize,
    },
    /// It is worth less to the party than no deal.
    BelowReservation {
        /// The package's utility to the party.
        utility: f64,
        /// The party's reservation value then.
        reservation: f64,
    },
    /// It is worth less than the party demands at this point (and no single
    /// change of the text would raise it).
    BelowDemand {
        /// The package's utility to the party.
        utility: f64,
        /// What the party demands then.
        demand: f64,
    },
}

impl Event {
    /// The round the event happened in.
    pub fn round(&self) -> u32 {
        match self {
            Event::Offer { round, .. }
            | Event::Accept { round, .. }
            | Event::Reject { round, .. }
            | Event::Caveat { round, .. }
            | Event::Text { round, .. }
            | Event::ReservationChanged { round, .. }
            | Event::MediatorWithdraws { round }
            | Event::WalksAway { round, .. }
            | Event::Agreement { round, .. }
            | Event::RoundsOut { round }
            | Event::StageOpens { round, .. }
            | Event::StageAgreed { round, .. } => *round,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
/// How one run ended.
pub struct Outcome {
    /// The package agreed, if any.
    pub package: Option<usize>,
    /// The round of agreement, or the last round played.
    pub round: u32,
    /// How it ended.
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
        Protocol::Sequenced => sequenced(t, valuation, &mut reservation, &changes, &mut log),
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

/// The negotiators, each with its ladder over the packages `utilities`
/// numbers (the table's, or one stage's).
fn agents<'a>(
    t: &Table,
    utilities: &'a Utilities,
    ladder: impl Fn(usize) -> Option<&'a Ladder>,
    reservation: &[f64],
) -> Vec<Agent<'a>> {
    let radices = radices(t);
    t.negotiators
        .iter()
        .filter_map(|&k| {
            Some(Agent::new(
                k,
                t.strategies[k],
                ladder(k)?,
                utilities,
                reservation[k],
                t.valued.len(),
                &radices,
            ))
        })
        .collect()
}

type Played = (Option<usize>, u32, Ending);

/// Options per issue of the scenario (what an opponent model counts).
fn radices(t: &Table) -> Vec<usize> {
    t.scenario.issues.iter().map(|i| i.options.len()).collect()
}

/// Multilateral alternating offers: each negotiator in turn accepts the
/// standing offer or puts its own; agreement once all the others accept.
fn alternating(
    t: &Table,
    v: &Valuation,
    reservation: &mut [f64],
    changes: &[(u32, usize, f64)],
    log: &mut dyn FnMut(Event),
) -> Played {
    let mut agents = agents(t, &v.utilities, |k| v.ladders[k].as_ref(), reservation);
    let arena = Arena {
        decode: &|x, out| t.decode(x, out),
        red_ok: &|k, x| t.red_ok(k, x),
        full: &|x| x,
    };
    let played = bargain(t, &arena, &mut agents, 1, reservation, changes, log);
    match played {
        (Some(x), round, _) => log(Event::Agreement { round, package: x }),
        (None, round, Ending::RoundsOut) => log(Event::RoundsOut { round }),
        _ => {}
    }
    played
}

/// The packages one bargaining session is over, numbered its own way: the
/// whole table, or one stage's issues.
struct Arena<'a> {
    /// Options of package x, for every issue of the scenario.
    decode: &'a dyn Fn(usize, &mut [u16]),
    /// Whether package x can still end within party k's red lines.
    red_ok: &'a dyn Fn(usize, usize) -> bool,
    /// The table package that stands for package x in the minutes.
    full: &'a dyn Fn(usize) -> usize,
}

/// Alternating offers from round `first` until agreement, a walk-away, the
/// mediator's withdrawal or the last round.
fn bargain(
    t: &Table,
    arena: &Arena,
    agents: &mut [Agent],
    first: u32,
    reservation: &mut [f64],
    changes: &[(u32, usize, f64)],
    log: &mut dyn FnMut(Event),
) -> Played {
    let n = agents.len();
    let mut options = vec![0u16; t.allowed.len()];
    // (package, its proposer's place in `agents`, acceptances so far)
    let mut standing: Option<(usize, usize, usize)> = None;
    for round in first..=t.config.rounds {
        let changed = changes.iter().any(|c| round == c.0 + 1);
        if between_rounds(t, round, reservation, agents, changes, log) {
            return (None, round - 1, Ending::MediatorWithdrew);
        }
        // A value of no deal changed: acceptances given before no longer
        // stand, and an offer its proposer would now refuse is withdrawn.
        if changed {
            standing = standing.and_then(|(x, proposer, _)| {
                agents[proposer]
                    .worth_no_deal(x)
                    .then_some((x, proposer, 0))
            });
        }
        let now = time(t, round);
        for turn in 0..n {
            let a = &agents[turn];
            if let Some((x, proposer, accepted)) = standing {
                if proposer != turn && a.accepts(x, now, (arena.red_ok)(a.k, x)) {
                    log(Event::Accept {
                        round,
                        party: a.k,
                        package: (arena.full)(x),
                    });
                    standing = Some((x, proposer, accepted + 1));
                    if accepted + 1 == n - 1 {
                        return (Some(x), round, Ending::Agreement);
                    }
                    continue;
                }
            }
            let k = a.k;
            let Some(x) = agents[turn].offer(now, t, arena.decode, &mut options) else {
                log(Event::WalksAway { round, party: k });
                return (None, round, Ending::WalkedAway);
            };
            if n == 1 {
                return (Some(x), round, Ending::Agreement);
            }
            log(Event::Offer {
                round,
                party: k,
                package: (arena.full)(x),
            });
            (arena.decode)(x, &mut options);
            let from = agents[turn].k;
            for (j, other) in agents.iter_mut().enumerate() {
                if j != turn {
                    other.observe(from, x, &options);
                }
            }
            standing = Some((x, turn, 0));
        }
    }
    (None, t.config.rounds, Ending::RoundsOut)
}

/// Issues agreed stage by stage: each stage is bargained by alternating
/// offers over its own issues, the earlier stages' options fixed and the
/// later issues valued at their mean (nobody knows yet how they will be
/// settled). A failed stage ends the talks, unless every issue still open
/// can be deferred: then the agreement is what was settled, the rest left
/// for later talks. The whole package is ratified at the end: every
/// negotiator must find it worth its reservation value (with linkages) and,
/// when it keeps to them, within its red lines.
fn sequenced(
    t: &Table,
    v: &Valuation,
    reservation: &mut [f64],
    changes: &[(u32, usize, f64)],
    log: &mut dyn FnMut(Event),
) -> Played {
    let issues = t.allowed.len();
    // Decided options, by issue.
    let mut decided: Vec<Option<u16>> = vec![None; issues];
    let mut round = 1;
    let mut last_agreed = 0;
    let mut failed: Option<(u32, Ending)> = None;
    let mut full = vec![0u16; issues];
    for (stage, stage_issues) in t.stages.iter().enumerate() {
        if round > t.config.rounds {
            failed = Some((t.config.rounds, Ending::RoundsOut));
            break;
        }
        log(Event::StageOpens {
            round,
            stage,
            issues: stage_issues.clone(),
        });
        let sub = v.stage(t, stage, &decided, stage_issues);
        let mut agents = agents(t, &sub.utilities, |k| sub.ladders.get(k), reservation);
        let arena = Arena {
            decode: &|x, out| sub.decode(x, out),
            red_ok: &|k, x| sub.red_ok[k][x],
            full: &|x| sub.full(x),
        };
        let (agreed, at, ending) =
            bargain(t, &arena, &mut agents, round, reservation, changes, log);
        match agreed {
            Some(x) => {
                sub.decode(x, &mut full);
                for &i in stage_issues {
                    decided[i] = Some(full[i]);
                }
                log(Event::StageAgreed {
                    round: at,
                    stage,
                    package: sub.full(x),
                });
                last_agreed = at;
                round = at + 1;
            }
            None => {
                failed = Some((at, ending));
                break;
            }
        }
    }
    // A partial deal dates from its last settled stage.
    let end_round = last_agreed.max(1);
    // What is left open is deferred, if it can be.
    for (i, d) in decided.iter_mut().enumerate() {
        if d.is_none() {
            let deferred = t.scenario.issues[i].deferred_index().map(|o| o as u16);
            match deferred.filter(|o| t.allowed[i].contains(o)) {
                Some(o) => *d = Some(o),
                None => {
                    let (r, ending) = failed.unwrap_or((end_round, Ending::RoundsOut));
                    if ending == Ending::RoundsOut {
                        log(Event::RoundsOut { round: r });
                    }
                    return (None, r, ending);
                }
            }
        }
    }
    let package: Vec<u16> = decided.iter().map(|d| d.unwrap_or(0)).collect();
    let Some(x) = t.index_of(&package) else {
        return (None, end_round, Ending::NoOffer);
    };
    ratify(t, v, reservation, x, end_round, log)
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
    let mut agents = agents(t, &v.utilities, |k| v.ladders[k].as_ref(), reservation);
    let Some(mut text) = t.opening_text else {
        return (None, 0, Ending::NoOffer);
    };
    let radices = radices(t);
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
            if a.accepts(text, now, t.red_ok(a.k, text)) {
                log(Event::Accept {
                    round,
                    party: a.k,
                    package: text,
                });
                continue;
            }
            let here = v.utilities.get(text, a.k);
            let shortfall = a.target(now) - here;
            // A text across a red line the party keeps to: its caveat is
            // the change that ends the crossing (the best such for it).
            let crossed = t
                .first_crossed(a.k, text)
                .filter(|_| a.strategy.respect_red_lines);
            let change = match crossed {
                Some(_) => ending_change(t, v, a, text, &mut options),
                None => best_change(t, v, a, text, &mut options),
            };
            if let Some((issue, option, revised)) = change {
                log(Event::Caveat {
                    round,
                    party: a.k,
                    issue,
                    option,
                    ends_red_line: crossed,
                });
                caveats.push((shortfall, a.k, revised));
            } else {
                log(Event::Reject {
                    round,
                    party: a.k,
                    package: text,
                    reason: refusal(
                        t,
                        a.k,
                        text,
                        here,
                        a.reservation,
                        a.target(now),
                        a.strategy.respect_red_lines,
                    ),
                });
            }
        }
        if caveats.is_empty()
            && agents
                .iter()
                .all(|a| a.accepts(text, now, t.red_ok(a.k, text)))
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
            t.binding_crossed(x) <= t.binding_crossed(text)
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

/// Why party `k` refuses package `x` worth `utility` to it: a red line it
/// keeps to, else its reservation value, else its demand.
fn refusal(
    t: &Table,
    k: usize,
    x: usize,
    utility: f64,
    reservation: f64,
    demand: f64,
    respect: bool,
) -> Refusal {
    match t.first_crossed(k, x).filter(|_| respect) {
        Some(red_line) => Refusal::RedLine { red_line },
        None if utility < reservation => Refusal::BelowReservation {
            utility,
            reservation,
        },
        None => Refusal::BelowDemand { utility, demand },
    }
}

/// The single change of one issue after which the text crosses none of
/// `a`'s red lines, the best such for `a`: (issue, option, revised text).
fn ending_change(
    t: &Table,
    v: &Valuation,
    a: &Agent,
    text: usize,
    options: &mut [u16],
) -> Option<(usize, u16, usize)> {
    best_single_change(t, v, a, text, options, |_, revised| t.red_ok(a.k, revised))
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
    let here = v.utilities.get(text, a.k);
    best_single_change(t, v, a, text, options, |u, revised| {
        u > here && (!a.strategy.respect_red_lines || t.red_ok(a.k, revised))
    })
}

/// Of the texts one issue's change away from `text` that `admit` (given
/// `a`'s utility of them), the best for `a` (ties: the first in issue and
/// option order): (issue, option, revised text).
fn best_single_change(
    t: &Table,
    v: &Valuation,
    a: &Agent,
    text: usize,
    options: &mut [u16],
    admit: impl Fn(f64, usize) -> bool,
) -> Option<(usize, u16, usize)> {
    t.decode(text, options);
    let mut best: Option<(f64, usize, u16, usize)> = None;
    for (i, (&current, allowed)) in options.iter().zip(&t.allowed).enumerate() {
        let stride = t.stride[i];
        let pos = allowed.iter().position(|&o| o == current)?;
        for (p, &o) in allowed.iter().enumerate() {
            if o == current {
                continue;
            }
            let revised = text - pos * stride + p * stride;
            let u = v.utilities.get(revised, a.k);
            if best.is_none_or(|b| u > b.0) && admit(u, revised) {
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
    ratify(t, v, reservation, x, 1, log)
}

/// Every negotiator says yes or no to package x: yes when it is worth its
/// reservation value and, if it keeps to them, crosses none of its red
/// lines. Agreement only if all say yes.
fn ratify(
    t: &Table,
    v: &Valuation,
    reservation: &[f64],
    x: usize,
    round: u32,
    log: &mut dyn FnMut(Event),
) -> Played {
    let mut all = true;
    for &k in &t.negotiators {
        let u = v.utilities.get(x, k);
        let respect = t.strategies[k].respect_red_lines;
        let ok = u >= reservation[k] && (!respect || t.red_ok(k, x));
        log(if ok {
            Event::Accept {
                round,
                party: k,
                package: x,
            }
        } else {
            Event::Reject {
                round,
                party: k,
                package: x,
                reason: refusal(t, k, x, u, reservation[k], reservation[k], respect),
            }
        });
        all &= ok;
    }
    if all {
        log(Event::Agreement { round, package: x });
        (Some(x), round, Ending::Agreement)
    } else {
        (None, round, Ending::Rejected)
    }
}
