//! Conditions written in truce's rule language over ledger facts: the
//! same `and`, `or`, `not`, `->` and parentheses as red lines, with tests
//! on what the ledger records instead of on a package.
//!
//! ```text
//! lifted(MEASURE)                 a sanction record naming MEASURE lifts it
//! sanctions_lifted(PARTY[, BY])   any sanctions against PARTY lifted (by BY)
//! in_force(COMMITMENT)            another commitment within its term
//! happened(RECORD)                a dated record (a meeting, an agreement) known
//! agreed(ISSUE == OPTION)         an agreement event concerning ISSUE=OPTION
//! ```
//! "If Russia is ready, we are ready" is `in_force(ru-energy)` on Ukraine's
//! commitment; two commitments conditional on each other are in force
//! together (the largest consistent answer).

use crate::model::{Condition, EventKind, Record, SanctionAction};
use crate::when::{Moment, When};
use std::collections::{HashMap, HashSet};
use truce_engine::expr::{parse_rule, Cursor, Rule};
use truce_engine::Diagnostic;

/// One test of a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// A sanction record with this `measure` lifts it.
    Lifted(String),
    /// Sanctions against `against` lifted, by anyone or by `by`.
    SanctionsLifted {
        /// The party the sanctions are against.
        against: String,
        /// The party that must lift them, if one must.
        by: Option<String>,
    },
    /// Another commitment within its term.
    InForce(String),
    /// A dated record known.
    Happened(String),
    /// An agreement event concerning `issue=option`.
    Agreed {
        /// The scenario issue.
        issue: String,
        /// The option agreed.
        option: String,
    },
}

/// A parsed condition.
pub type ConditionRule = Rule<Fact>;

/// Parses a condition rule. Errors carry a byte span inside `text`.
pub fn parse_condition(text: &str) -> Result<ConditionRule, Diagnostic> {
    parse_rule(text, "lifted(rosselkhozbank_swift)", &mut fact)
}

fn fact(cur: &mut Cursor) -> Result<Fact, Diagnostic> {
    let (name, span) = cur.word("a test such as lifted(...) or in_force(...)")?;
    let known = [
        "lifted",
        "sanctions_lifted",
        "in_force",
        "happened",
        "agreed",
    ];
    if !known.contains(&name.as_str()) {
        let mut e = Diagnostic::new(
            truce_engine::diag::ErrorKind::Expression,
            format!("unknown test `{name}`"),
        )
        .at(span);
        e.help = Some(
            match truce_engine::diag::closest(&name, known.iter().copied()) {
                Some(k) => format!("did you mean `{k}(...)`?"),
                None => format!("tests: {}", known.map(|k| format!("{k}(...)")).join(", ")),
            },
        );
        return Err(e);
    }
    cur.expect_op("(", &format!("after `{name}`"))?;
    let f = match name.as_str() {
        "lifted" => Fact::Lifted(cur.name("the measure lifted")?.0),
        "sanctions_lifted" => {
            let against = cur.name("the party the sanctions are against")?.0;
            let by = if cur.is_op(",") {
                cur.expect_op(",", "")?;
                Some(cur.name("the party that lifts them")?.0)
            } else {
                None
            };
            Fact::SanctionsLifted { against, by }
        }
        "in_force" => Fact::InForce(cur.name("a commitment id")?.0),
        "happened" => Fact::Happened(cur.name("a record id")?.0),
        _ => {
            let issue = cur.name("an issue id")?.0;
            cur.expect_op("==", "between the issue and the option agreed")?;
            let option = cur.name("an option id")?.0;
            Fact::Agreed { issue, option }
        }
    };
    cur.expect_op(")", "to close the test")?;
    Ok(f)
}

/// When a commitment applies, before its condition: from its start until
/// its end or withdrawal (exclusive), if it has either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub start: Moment,
    pub end: Option<Moment>,
}

impl Window {
    fn contains(&self, m: &Moment) -> bool {
        self.start.at_or_before(m) && self.end.is_none_or(|e| m.before(&e))
    }
}

/// Keeps the earlier of two moments under one key.
fn first<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Moment>, key: K, m: Moment) {
    let e = map.entry(key).or_insert(m);
    *e = e.earlier(m);
}

/// What conditions are judged against: the live records known by a date.
pub(crate) struct Ledger<'a> {
    measures_lifted: HashMap<&'a str, Moment>,
    sanctions_lifted: Vec<(&'a str, &'a str, Moment)>,
    dated: HashMap<&'a str, Moment>,
    agreed: HashMap<(&'a str, &'a str), Moment>,
    windows: HashMap<&'a str, Window>,
    conditions: HashMap<&'a str, &'a Condition>,
}

/// When a commitment's condition holds: from `from` until `until`
/// (exclusive), if it stops holding by the date in question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Met {
    pub from: Moment,
    pub until: Option<Moment>,
}

impl<'a> Ledger<'a> {
    /// `windows` gives each commitment's days before its condition.
    pub fn new(
        live: &[&'a Record],
        known: &dyn Fn(&When) -> bool,
        windows: HashMap<&'a str, Window>,
    ) -> Ledger<'a> {
        let mut l = Ledger {
            measures_lifted: HashMap::new(),
            sanctions_lifted: Vec::new(),
            dated: HashMap::new(),
            agreed: HashMap::new(),
            windows,
            conditions: HashMap::new(),
        };
        for &r in live {
            let Some(when) = r.date() else { continue };
            if !known(&when) {
                continue;
            }
            let date = when.start();
            first(&mut l.dated, r.id(), date);
            match r {
                Record::Sanction {
                    action: SanctionAction::Lifted,
                    against,
                    by,
                    measure,
                    ..
                } => {
                    l.sanctions_lifted.push((against, by, date));
                    if let Some(m) = measure {
                        first(&mut l.measures_lifted, m.as_str(), date);
                    }
                }
                Record::Event {
                    kind: EventKind::Agreement,
                    concerns,
                    ..
                } => {
                    for c in concerns {
                        let c = c.split_once(':').map_or(c.as_str(), |(_, rest)| rest);
                        if let Some((i, o)) = c.split_once('=') {
                            first(&mut l.agreed, (i.trim(), o.trim()), date);
                        }
                    }
                }
                Record::Commitment {
                    id,
                    condition: Some(c),
                    ..
                } => {
                    l.conditions.insert(id, c);
                }
                _ => {}
            }
        }
        l
    }

    /// When each conditional commitment's condition holds, by `now`.
    pub fn all_met(&self, now: Moment) -> HashMap<&'a str, Option<Met>> {
        let mut done: HashMap<&'a str, Option<Met>> = HashMap::new();
        // In a fixed order, so where conditions name each other the answer
        // never depends on a hash map's order.
        let mut ids: Vec<&'a str> = self.conditions.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            let mut stack = HashSet::new();
            self.met(id, now, &mut done, &mut stack);
        }
        done
    }

    /// The window a commitment applies in, its condition included; one
    /// being worked out further up (a cycle of reciprocity) counts as
    /// applying over its whole window.
    fn term(
        &self,
        id: &'a str,
        today: Moment,
        done: &mut HashMap<&'a str, Option<Met>>,
        stack: &mut HashSet<&'a str>,
    ) -> Option<Window> {
        let w = *self.windows.get(id)?;
        if !self.conditions.contains_key(id) || stack.contains(id) {
            return Some(w);
        }
        let m = self.met(id, today, done, stack)?;
        let start = w.start.later(m.from);
        let end = match (w.end, m.until) {
            (Some(a), Some(b)) => Some(a.earlier(b)),
            (a, b) => a.or(b),
        };
        Some(Window { start, end })
    }

    fn met(
        &self,
        id: &'a str,
        today: Moment,
        done: &mut HashMap<&'a str, Option<Met>>,
        stack: &mut HashSet<&'a str>,
    ) -> Option<Met> {
        if let Some(m) = done.get(id) {
            return *m;
        }
        let (Some(&condition), Some(&window)) = (self.conditions.get(id), self.windows.get(id))
        else {
            return None;
        };
        stack.insert(id);
        let met = match condition {
            Condition::SanctionsLifted { against, by } => self
                .first_lift(against, by.as_deref())
                .map(|from| Met { from, until: None }),
            Condition::Rule { rule } => match parse_condition(rule) {
                // Import refuses a rule that does not parse.
                Err(_) => None,
                Ok(rule) => self.met_rule(&rule, window.start, today, done, stack),
            },
        };
        stack.remove(id);
        done.insert(id, met);
        met
    }

    fn first_lift(&self, against: &str, by: Option<&str>) -> Option<Moment> {
        self.sanctions_lifted
            .iter()
            .filter(|(a, b, _)| *a == against && by.is_none_or(|x| x == *b))
            .map(|(_, _, d)| *d)
            .reduce(Moment::earlier)
    }

    /// The first run of days from `start` on in which the rule holds: the
    /// truth of every test changes only on the days the ledger records, so
    /// those days are the only ones to try.
    fn met_rule(
        &self,
        rule: &ConditionRule,
        start: Moment,
        today: Moment,
        done: &mut HashMap<&'a str, Option<Met>>,
        stack: &mut HashSet<&'a str>,
    ) -> Option<Met> {
        // Each test as the days it holds: [from, until).
        let mut spans: Vec<(Fact, Option<Window>)> = Vec::new();
        for t in rule.tests() {
            let w = match t {
                Fact::Lifted(m) => self.measures_lifted.get(m.as_str()).map(|&d| Window {
                    start: d,
                    end: None,
                }),
                Fact::SanctionsLifted { against, by } => {
                    self.first_lift(against, by.as_deref()).map(|d| Window {
                        start: d,
                        end: None,
                    })
                }
                Fact::InForce(c) => match self.windows.get_key_value(c.as_str()) {
                    Some((&key, _)) => self.term(key, today, done, stack),
                    None => None,
                },
                Fact::Happened(r) => self.dated.get(r.as_str()).map(|&d| Window {
                    start: d,
                    end: None,
                }),
                Fact::Agreed { issue, option } => self
                    .agreed
                    .get(&(issue.as_str(), option.as_str()))
                    .map(|&d| Window {
                        start: d,
                        end: None,
                    }),
            };
            spans.push((t.clone(), w));
        }
        let mut days: Vec<Moment> = vec![start];
        for w in spans.iter().filter_map(|(_, w)| w.as_ref()) {
            days.push(w.start.later(start));
            days.extend(w.end.map(|e| e.later(start)));
        }
        days.sort_by_key(Moment::sort_key);
        days.dedup();
        let holds_on = |d: Moment| {
            rule.holds(&mut |f: &Fact| {
                spans
                    .iter()
                    .find(|(g, _)| g == f)
                    .and_then(|(_, w)| *w)
                    .is_some_and(|w| w.contains(&d))
            })
        };
        let mut from = None;
        for &d in days.iter().filter(|d| d.before(&today)) {
            match from {
                None if holds_on(d) => from = Some(d),
                Some(f) if !holds_on(d) => {
                    return Some(Met {
                        from: f,
                        until: Some(d),
                    })
                }
                _ => {}
            }
        }
        from.map(|f| Met {
            from: f,
            until: None,
        })
    }
}

/// Every record id a condition refers to, with what it must be: problems
/// for import to report (`in_force` a commitment; `happened` any record).
pub(crate) fn references(rule: &ConditionRule) -> Vec<(&str, bool)> {
    rule.tests()
        .into_iter()
        .filter_map(|t| match t {
            Fact::InForce(c) => Some((c.as_str(), true)),
            Fact::Happened(r) => Some((r.as_str(), false)),
            _ => None,
        })
        .collect()
}

/// The ids of the records that rule conditions in `records` name with
/// `happened(...)` or `in_force(...)`: a reader that loads only part of a
/// ledger for a status must load these too.
pub fn condition_references<'a>(records: impl IntoIterator<Item = &'a Record>) -> Vec<String> {
    let mut out = Vec::new();
    for r in records {
        if let Record::Commitment {
            condition: Some(Condition::Rule { rule }),
            ..
        } = r
        {
            if let Ok(parsed) = parse_condition(rule) {
                out.extend(
                    references(&parsed)
                        .into_iter()
                        .map(|(id, _)| id.to_string()),
                );
            }
        }
    }
    out.sort();
    out.dedup();
    out
}
