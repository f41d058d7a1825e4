//! How a scenario's talks are to be simulated: the protocol, the number of
//! rounds, each party's strategy, staged issues and the inputs to vary.
//! The scenario file's `[simulation]` and `[[strategies]]` tables and the
//! command line's `--strategy` and `--vary` share the text forms parsed
//! here, so both are checked by one set of rules. The simulation itself
//! lives in `truce-sim`.

use crate::model::ScenarioParts;
use std::fmt;

/// How offers are made and agreement is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Each party in turn accepts the standing offer or makes its own;
    /// agreement when all the others have accepted it.
    Alternating,
    /// The mediator's single negotiating text, revised on the parties'
    /// caveats until all accept.
    Mediated,
    /// The mediator's best and final offer, accepted or rejected.
    Ultimatum,
    /// Issues agreed in stages, each stage binding the next.
    Sequenced,
}

impl Protocol {
    /// Every protocol, in the order reports list them.
    pub const ALL: [Protocol; 4] = [
        Protocol::Alternating,
        Protocol::Mediated,
        Protocol::Ultimatum,
        Protocol::Sequenced,
    ];

    /// The protocol's name in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Alternating => "alternating",
            Protocol::Mediated => "mediated",
            Protocol::Ultimatum => "ultimatum",
            Protocol::Sequenced => "sequenced",
        }
    }

    /// The protocol with this name.
    pub fn parse(s: &str) -> Option<Protocol> {
        Protocol::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// How a party moves its demands over time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tactic {
    /// Demands fall from the best package to the reservation value as
    /// time runs out: target(t) = min + (max − min)(1 − t^(1/e)). e < 1 is
    /// Boulware (holds out, concedes late), e = 1 linear, e > 1 conceder.
    /// Concedes along a time-dependent curve with this exponent.
    TimeDependent {
        /// Below 1 holds out, 1 is linear, above 1 concedes early.
        exponent: f64,
    },
    /// Concedes as much, in its own utility, as the others have conceded
    /// to it since their first offers.
    TitForTat,
    /// Never concedes from its best package.
    Hardliner,
}

/// A party's strategy: its tactic, and whether it keeps to its own red
/// lines (never proposes or accepts a package that crosses one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Strategy {
    /// How it moves its demands.
    pub tactic: Tactic,
    /// Whether it never proposes or accepts a package crossing its own red lines.
    pub respect_red_lines: bool,
}

/// The exponent of a Boulware strategy (concedes late).
pub const BOULWARE: f64 = 0.2;
/// The exponent of a conceder strategy (concedes early).
pub const CONCEDER: f64 = 2.0;

impl Default for Strategy {
    /// Boulware, keeping to its red lines: how states usually bargain over
    /// a ceasefire, holding firm until a deadline nears.
    fn default() -> Self {
        Strategy {
            tactic: Tactic::TimeDependent { exponent: BOULWARE },
            respect_red_lines: true,
        }
    }
}

/// How strategies are written, for error messages.
pub const STRATEGY_HELP: &str = "a strategy is boulware, linear, conceder, time:<exponent> (boulware:<e> and conceder:<e> too), tit-for-tat or hardliner, optionally followed by ,ignore-red-lines";

impl Strategy {
    /// `boulware`, `boulware:0.1`, `linear`, `conceder`, `conceder:3`,
    /// `time:0.5`, `tit-for-tat`, `hardliner`; `,ignore-red-lines` after any.
    pub fn parse(text: &str) -> Result<Strategy, String> {
        let mut parts = text.split(',').map(str::trim);
        let head = parts.next().unwrap_or("");
        let mut respect_red_lines = true;
        for flag in parts {
            match flag {
                "ignore-red-lines" => respect_red_lines = false,
                "respect-red-lines" => respect_red_lines = true,
                other => return Err(format!("unknown strategy flag `{other}`; {STRATEGY_HELP}")),
            }
        }
        let (name, arg) = match head.split_once(':') {
            Some((n, a)) => (n.trim(), Some(a.trim())),
            None => (head, None),
        };
        let exponent = |default: Option<f64>| -> Result<f64, String> {
            match (arg, default) {
                (Some(a), _) => match a.parse::<f64>() {
                    Ok(e) if e > 0.0 && e.is_finite() => Ok(e),
                    _ => Err(format!("`{a}` is not a positive exponent")),
                },
                (None, Some(d)) => Ok(d),
                (None, None) => Err(format!("`{name}` needs an exponent, e.g. {name}:0.5")),
            }
        };
        let tactic = match name {
            "boulware" => Tactic::TimeDependent {
                exponent: exponent(Some(BOULWARE))?,
            },
            "linear" if arg.is_none() => Tactic::TimeDependent { exponent: 1.0 },
            "conceder" => Tactic::TimeDependent {
                exponent: exponent(Some(CONCEDER))?,
            },
            "time" => Tactic::TimeDependent {
                exponent: exponent(None)?,
            },
            "tit-for-tat" if arg.is_none() => Tactic::TitForTat,
            "hardliner" if arg.is_none() => Tactic::Hardliner,
            _ => return Err(format!("unknown strategy `{head}`; {STRATEGY_HELP}")),
        };
        Ok(Strategy {
            tactic,
            respect_red_lines,
        })
    }
}

/// The text [`Strategy::parse`] reads back.
impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.tactic {
            Tactic::TimeDependent { exponent } => {
                if exponent == BOULWARE {
                    f.write_str("boulware")?
                } else if exponent == 1.0 {
                    f.write_str("linear")?
                } else if exponent == CONCEDER {
                    f.write_str("conceder")?
                } else {
                    write!(f, "time:{exponent}")?
                }
            }
            Tactic::TitForTat => f.write_str("tit-for-tat")?,
            Tactic::Hardliner => f.write_str("hardliner")?,
        }
        if !self.respect_red_lines {
            f.write_str(",ignore-red-lines")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq)]
/// A strategy the scenario assigns a party.
pub struct StrategyDecl {
    /// The party (scenario index).
    pub party: usize,
    /// Its strategy.
    pub strategy: Strategy,
    /// What the choice rests on.
    pub basis: Option<String>,
}

/// The most rounds a simulated negotiation may last (`--rounds`,
/// `rounds`, `--deadline`, `--vary rounds=` and `deadline=` alike).
pub const MAX_ROUNDS: u32 = 10_000;
/// The most negotiations one simulation plays, variants included.
pub const MAX_RUNS: u64 = 1_000_000_000;
/// The most values one variation may try.
pub const MAX_VARIATION_VALUES: usize = 1_000;

/// An input a simulation can be re-run with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Parameter {
    /// The round at which the mediator withdraws.
    Deadline,
    /// The most rounds the talks may last.
    Rounds,
    /// A party's reservation value.
    Reservation(usize),
    /// An issue held at one option (or left free): e.g. sanctions relief
    /// offered or not.
    Fix(usize),
    /// A party's strategy.
    Strategy(usize),
    /// How offers are made.
    Protocol,
}

/// One input of a simulation set to one value. Each value names what it
/// sets, so a value cannot be paired with the wrong parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    /// The mediator withdraws after this round.
    Deadline(u32),
    /// The talks last at most this many rounds.
    Rounds(u32),
    /// A party's reservation value (scenario index, value in [0, 1]).
    /// A party's reservation value (scenario index, value in [0, 1]).
    Reservation {
        /// The party (scenario index).
        party: usize,
        /// Its reservation value.
        value: f64,
    },
    /// An issue held at an option, or left free (`None`).
    /// An issue held at an option, or left free (`None`).
    Fix {
        /// The issue (scenario index).
        issue: usize,
        /// The option it is held at, or `None` for free.
        option: Option<usize>,
    },
    /// A party's strategy (scenario index).
    /// A party's strategy (scenario index).
    Strategy {
        /// The party (scenario index).
        party: usize,
        /// Its strategy.
        strategy: Strategy,
    },
    /// The protocol.
    Protocol(Protocol),
    /// How many negotiations to play.
    Runs(u64),
    /// The seed of the random draws.
    Seed(u64),
}

impl Setting {
    /// A number of rounds, within 1..=[`MAX_ROUNDS`].
    pub fn rounds(r: u64) -> Result<Setting, String> {
        round_count(r).map(Setting::Rounds)
    }
    /// The last round before the mediator withdraws, within 1..=[`MAX_ROUNDS`].
    pub fn deadline(r: u64) -> Result<Setting, String> {
        round_count(r).map(Setting::Deadline)
    }
    /// A number of runs, within 1..=[`MAX_RUNS`].
    pub fn runs(n: u64) -> Result<Setting, String> {
        if (1..=MAX_RUNS).contains(&n) {
            Ok(Setting::Runs(n))
        } else {
            Err(format!("{n} is not a number of runs from 1 to {MAX_RUNS}"))
        }
    }
    /// A reservation value, within [0, 1].
    pub fn reservation(party: usize, value: f64) -> Result<Setting, String> {
        if (0.0..=1.0).contains(&value) {
            Ok(Setting::Reservation { party, value })
        } else {
            Err(format!("`{value}` is not a reservation value in [0, 1]"))
        }
    }
}

fn round_count(r: u64) -> Result<u32, String> {
    match u32::try_from(r) {
        Ok(r) if (1..=MAX_ROUNDS).contains(&r) => Ok(r),
        _ => Err(format!(
            "{r} is not a number of rounds from 1 to {MAX_ROUNDS}"
        )),
    }
}

/// A parameter and the values to try, e.g. `fix.sanctions=free,unchanged`.
#[derive(Debug, Clone, PartialEq)]
pub struct Variation {
    /// What is varied.
    pub parameter: Parameter,
    /// One setting per value, in the order written.
    pub settings: Vec<Setting>,
    /// The values as written, for reports: `["free", "unchanged"]`.
    pub labels: Vec<String>,
    /// The whole variation as written (canonical), for reports and files.
    pub text: String,
}

/// How variations are written, for error messages.
pub const VARY_HELP: &str = "write NAME=VALUE,VALUE…, where NAME is deadline, rounds, protocol, reservation.<party>, fix.<issue> (values: option ids or `free`) or strategy.<party> (values separated by `;`); put a value holding the separator in double quotes (fix.army_cap=\"800,000\",\"900,000\")";

/// `text` cut at each `sep` outside double quotes; a quoted value loses its
/// quotes, and `\"` inside quotes is a quote. Values are trimmed; empty
/// ones dropped.
pub fn split_values(text: &str, sep: char) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                was_quoted = true;
            }
            '\\' if quoted => match chars.next() {
                Some(next) => current.push(next),
                None => current.push(c),
            },
            c if c == sep && !quoted => {
                push_value(&mut out, &mut current, &mut was_quoted);
            }
            c => current.push(c),
        }
    }
    if quoted {
        return Err(format!("`{text}` opens a quote it does not close"));
    }
    push_value(&mut out, &mut current, &mut was_quoted);
    Ok(out)
}

fn push_value(out: &mut Vec<String>, current: &mut String, was_quoted: &mut bool) {
    let v = std::mem::take(current);
    // A quoted value keeps its spaces; a bare one is trimmed.
    let v = if *was_quoted { v } else { v.trim().to_string() };
    if !v.is_empty() {
        out.push(v);
    }
    *was_quoted = false;
}

/// A value as a user types it back in a list separated by `sep`: quoted
/// when it holds the separator or a quote.
fn typed(id: &str, sep: char) -> String {
    if id.contains([sep, '"']) || id.trim() != id {
        format!("\"{}\"", id.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        id.to_string()
    }
}

/// Reads `NAME=v1,v2,...` against a scenario's parties and issues.
pub fn parse_variation(s: &ScenarioParts, text: &str) -> Result<Variation, String> {
    let (name, values) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` has no `=`; {VARY_HELP}"))?;
    let name = name.trim();
    let labels = split_values(
        values,
        if name.starts_with("strategy.") {
            ';'
        } else {
            ','
        },
    )?;
    if labels.is_empty() {
        return Err(format!("`{text}` gives no values; {VARY_HELP}"));
    }
    if labels.len() > MAX_VARIATION_VALUES {
        return Err(format!(
            "`{name}` is given {} values; at most {MAX_VARIATION_VALUES} can be tried",
            labels.len()
        ));
    }
    let party = |id: &str| {
        s.party_index(id)
            .ok_or_else(|| format!("no party `{id}` in the scenario"))
    };
    let parameter = match name.split_once('.') {
        None if name == "deadline" => Parameter::Deadline,
        None if name == "rounds" => Parameter::Rounds,
        None if name == "protocol" => Parameter::Protocol,
        Some(("reservation", p)) => Parameter::Reservation(party(p)?),
        Some(("strategy", p)) => Parameter::Strategy(party(p)?),
        Some(("fix", i)) => Parameter::Fix(
            s.issue_index(i)
                .ok_or_else(|| format!("no issue `{i}` in the scenario"))?,
        ),
        _ => return Err(format!("unknown parameter `{name}`; {VARY_HELP}")),
    };
    let settings = labels
        .iter()
        .map(|v| setting(s, parameter, v))
        .collect::<Result<Vec<_>, _>>()?;
    let sep = if matches!(parameter, Parameter::Strategy(_)) {
        ';'
    } else {
        ','
    };
    Ok(Variation {
        parameter,
        // Written so it reads back the same: quoted where a value holds a
        // separator.
        text: format!(
            "{name}={}",
            labels
                .iter()
                .map(|l| typed(l, sep))
                .collect::<Vec<_>>()
                .join(&sep.to_string())
        ),
        settings,
        labels,
    })
}

/// One value of `parameter`, as written.
fn setting(s: &ScenarioParts, parameter: Parameter, v: &str) -> Result<Setting, String> {
    let whole = |v: &str| {
        v.parse::<u64>()
            .map_err(|_| format!("`{v}` is not a number of rounds from 1 to {MAX_ROUNDS}"))
    };
    match parameter {
        Parameter::Deadline => Setting::deadline(whole(v)?),
        Parameter::Rounds => Setting::rounds(whole(v)?),
        Parameter::Reservation(party) => match v.parse::<f64>() {
            Ok(x) => Setting::reservation(party, x),
            Err(_) => Err(format!("`{v}` is not a reservation value in [0, 1]")),
        },
        Parameter::Fix(issue) => Ok(Setting::Fix {
            issue,
            option: option_of(s, issue, v)?,
        }),
        Parameter::Strategy(party) => Ok(Setting::Strategy {
            party,
            strategy: Strategy::parse(v)?,
        }),
        Parameter::Protocol => Protocol::parse(v).map(Setting::Protocol).ok_or_else(|| {
            format!("unknown protocol `{v}`; use alternating, mediated, ultimatum or sequenced")
        }),
    }
}

/// An option of issue `issue` by id, or `free` for none.
fn option_of(s: &ScenarioParts, issue: usize, v: &str) -> Result<Option<usize>, String> {
    if v == "free" {
        return Ok(None);
    }
    let issue = &s.issues[issue];
    match issue.option_index(v) {
        Some(o) => Ok(Some(o)),
        None => {
            let ids: Vec<String> = issue.options.iter().map(|o| typed(&o.id, ',')).collect();
            Err(format!(
                "issue `{}` has no option `{v}`; its options are {} (or `free`)",
                issue.id,
                ids.join(", ")
            ))
        }
    }
}

/// `ISSUE=OPTION` (`--fix`): an issue held at one option, or `free`.
pub fn parse_fix(s: &ScenarioParts, text: &str) -> Result<Setting, String> {
    let (issue, option) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` has no `=`; write ISSUE=OPTION"))?;
    let issue = issue.trim();
    let i = s
        .issue_index(issue)
        .ok_or_else(|| format!("no issue `{issue}` in the scenario"))?;
    // The option may be quoted, as in --vary.
    let option = match split_values(option, '\u{0}')?.as_slice() {
        [one] => one.clone(),
        _ => option.trim().to_string(),
    };
    Ok(Setting::Fix {
        issue: i,
        option: option_of(s, i, &option)?,
    })
}

/// `PARTY=STRATEGY` (`--strategy`).
pub fn parse_strategy_of(s: &ScenarioParts, text: &str) -> Result<Setting, String> {
    let (party, strategy) = text
        .split_once('=')
        .ok_or_else(|| "write PARTY=STRATEGY".to_string())?;
    let p = s
        .party_index(party.trim())
        .ok_or_else(|| format!("no party `{party}` in the scenario"))?;
    Ok(Setting::Strategy {
        party: p,
        strategy: Strategy::parse(strategy.trim())?,
    })
}

/// The scenario's simulation settings (`[simulation]`, `[[strategies]]`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Simulation {
    /// The protocol, when the file names one.
    pub protocol: Option<Protocol>,
    /// The most rounds, when the file sets them.
    pub rounds: Option<u32>,
    /// The number of runs, when the file sets it.
    pub runs: Option<u64>,
    /// The seed of the draws, when the file sets it.
    pub seed: Option<u64>,
    /// Issues agreed in order, stage by stage (sequenced protocol).
    pub stages: Vec<Vec<usize>>,
    /// Variations run when the command line names none.
    pub vary: Vec<Variation>,
    /// Strategies the file assigns.
    pub strategies: Vec<StrategyDecl>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_split_outside_quotes() {
        assert_eq!(split_values("a, b,,c", ',').unwrap(), ["a", "b", "c"]);
        assert_eq!(
            split_values(r#""800,000","1,000,000""#, ',').unwrap(),
            ["800,000", "1,000,000"]
        );
        assert_eq!(
            split_values(r#""say \"no\"",x"#, ',').unwrap(),
            [r#"say "no""#, "x"]
        );
        assert_eq!(split_values(r#"" spaced ""#, ',').unwrap(), [" spaced "]);
        assert!(split_values(r#""open"#, ',').is_err());
    }

    proptest::proptest! {
        /// Any list of values, written as a variation writes it, reads back.
        #[test]
        fn typed_values_read_back(values in proptest::collection::vec("[a-z0-9 ,;\"\\\\]{1,8}", 1..5)) {
            for sep in [',', ';'] {
                let kept: Vec<String> = values.iter().filter(|v| !v.trim().is_empty()).cloned().collect();
                let text = kept.iter().map(|v| typed(v, sep)).collect::<Vec<_>>().join(&sep.to_string());
                proptest::prop_assert_eq!(split_values(&text, sep).unwrap(), kept);
            }
        }
    }

    #[test]
    fn strategies_read_back_what_they_print() {
        for text in [
            "boulware",
            "linear",
            "conceder",
            "time:0.5",
            "tit-for-tat",
            "hardliner,ignore-red-lines",
        ] {
            let s = Strategy::parse(text).unwrap();
            assert_eq!(s.to_string(), text);
        }
        assert_eq!(
            Strategy::parse("boulware:0.1").unwrap().tactic,
            Tactic::TimeDependent { exponent: 0.1 }
        );
        assert!(Strategy::parse("time").is_err());
        assert!(Strategy::parse("stubborn").is_err());
        assert!(Strategy::parse("linear,bluff").is_err());
    }
}
