//! `truce forecast` for a person and as JSON: each model's forecast per
//! issue (with the nearest option, and an interval when runs drew the
//! uncertain inputs anew), every actor's position per round, and, with
//! `--evaluate`, each model's accuracy on decisions with known outcomes.

use indexmap::IndexMap;
use serde::Serialize;
use std::io::{self, Write};
use truce_engine::analysis::Analysis;
use truce_engine::Scenario;
use truce_forecast::evaluate::Accuracy;
use truce_forecast::runs::Distribution;
use truce_forecast::{ForecastPackage, Model, Outcome, Problem};

/// One forecast of one issue.
#[derive(Debug, Clone, Serialize)]
pub struct IssueForecast {
    /// The forecast position, 0 to 100 (none: no actor takes a position).
    pub position: Option<f64>,
    /// The nearest option, for issues of listed options.
    pub option: Option<String>,
    /// The 90% interval over runs, when inputs were drawn anew each run.
    pub interval: Option<[f64; 2]>,
    /// The mean forecast over runs, when inputs were drawn anew each run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
}

/// One round's positions: actor → issue → position (none: it takes none).
pub type Round = IndexMap<String, IndexMap<String, Option<f64>>>;

/// What `truce forecast FILE` reports.
#[derive(Debug, Clone, Serialize)]
pub struct ForecastJson {
    /// The problem's name.
    pub problem: String,
    /// The actors, with their capabilities.
    pub actors: IndexMap<String, f64>,
    /// Per model, per issue.
    pub forecasts: IndexMap<&'static str, IndexMap<String, IssueForecast>>,
    /// Per model, each round's positions: actor → issue → position.
    pub rounds: IndexMap<&'static str, Vec<Round>>,
    /// Per model that has one (`ktab`), each round's probability that each
    /// actor's position prevails: actor → probability (actors sharing a
    /// position share its probability).
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub prevailing: IndexMap<&'static str, Vec<IndexMap<String, f64>>>,
    /// What the mapping from a scenario left out or assumed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Per model with challenges (`bdm`): who challenged whom, round by
    /// round, and how it ended.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub challenges: IndexMap<&'static str, Vec<ChallengeJson>>,
    /// The runs that drew the uncertain inputs anew, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runs: Option<RunsJson>,
}

/// One offer that moved an actor.
#[derive(Debug, Clone, Serialize)]
pub struct ChallengeJson {
    /// The issue.
    pub issue: String,
    /// The round (1 for the first).
    pub round: usize,
    /// The actor whose position prevailed.
    pub challenger: String,
    /// The actor that moved.
    pub target: String,
    /// conflict, compromise or capitulation.
    pub ending: truce_forecast::bdm::Ending,
    /// The target's new position.
    pub to: f64,
}

/// How many runs drew the inputs anew, from which seed.
#[derive(Debug, Clone, Serialize)]
pub struct RunsJson {
    /// Runs made.
    pub runs: u64,
    /// The seed of their draws.
    pub seed: u64,
}

impl ForecastJson {
    /// The report of `outcomes` (one per model) on `problem`.
    pub fn new(problem: &Problem, outcomes: &[Outcome], notes: Vec<String>) -> Self {
        let mut forecasts = IndexMap::new();
        let mut rounds = IndexMap::new();
        let mut challenges = IndexMap::new();
        let mut prevailing = IndexMap::new();
        let mut notes = notes;
        for o in outcomes {
            notes.extend(o.notes.iter().map(|n| format!("{}: {n}", o.model.name())));
            if !o.prevailing.is_empty() {
                let per_round = o
                    .prevailing
                    .iter()
                    .map(|round| {
                        problem
                            .actors
                            .iter()
                            .zip(round)
                            .map(|(a, &p)| (a.name.clone(), p))
                            .collect()
                    })
                    .collect();
                prevailing.insert(o.model.name(), per_round);
            }
            let per_issue = problem
                .dimensions
                .iter()
                .zip(&o.positions)
                .map(|(d, &p)| {
                    (
                        d.id.clone(),
                        IssueForecast {
                            position: p,
                            option: p.and_then(|p| d.nearest_option(p)).map(str::to_string),
                            interval: None,
                            mean: None,
                        },
                    )
                })
                .collect();
            forecasts.insert(o.model.name(), per_issue);
            let history = o
                .rounds
                .iter()
                .map(|round| {
                    problem
                        .actors
                        .iter()
                        .zip(round)
                        .map(|(a, row)| {
                            let issues = problem
                                .dimensions
                                .iter()
                                .zip(row)
                                .map(|(d, &p)| (d.id.clone(), p))
                                .collect();
                            (a.name.clone(), issues)
                        })
                        .collect()
                })
                .collect();
            rounds.insert(o.model.name(), history);
            if !o.challenges.is_empty() {
                let list = o
                    .challenges
                    .iter()
                    .map(|(d, c)| ChallengeJson {
                        issue: problem.dimensions[*d].id.clone(),
                        round: c.round,
                        challenger: problem.actors[c.challenger].name.clone(),
                        target: problem.actors[c.target].name.clone(),
                        ending: c.ending,
                        to: c.to,
                    })
                    .collect();
                challenges.insert(o.model.name(), list);
            }
        }
        ForecastJson {
            problem: problem.name.clone(),
            actors: problem
                .actors
                .iter()
                .map(|a| (a.name.clone(), a.capability))
                .collect(),
            forecasts,
            rounds,
            prevailing,
            notes,
            challenges,
            runs: None,
        }
    }
}

fn position(p: Option<f64>) -> String {
    p.map_or_else(|| "none".to_string(), |p| format!("{p:.1}"))
}

impl ForecastJson {
    /// Adds `model`'s distributions over runs (per dimension, in problem
    /// order) and how many runs were made.
    pub fn set_runs(&mut self, model: Model, dists: &[Option<Distribution>], runs: u64, seed: u64) {
        if let Some(per_issue) = self.forecasts.get_mut(model.name()) {
            for (f, d) in per_issue.values_mut().zip(dists) {
                if let Some(d) = d {
                    f.interval = Some(d.interval);
                    f.mean = Some(d.mean);
                }
            }
        }
        self.runs = Some(RunsJson { runs, seed });
    }
}

/// The forecasts as a table: one line per issue, one column per model
/// (position and nearest option).
pub fn write_forecast<W: Write + ?Sized>(w: &mut W, r: &ForecastJson) -> io::Result<()> {
    writeln!(w, "FORECAST: {}", r.problem)?;
    let actors: Vec<String> = r
        .actors
        .iter()
        .map(|(a, c)| format!("{a} {}", trim(*c)))
        .collect();
    writeln!(w, "  Actors (capability): {}", actors.join(", "))?;
    for n in &r.notes {
        writeln!(w, "  Note: {n}")?;
    }
    writeln!(
        w,
        "  Positions on 0 to 100; the nearest option in brackets."
    )?;
    if let Some(r) = &r.runs {
        writeln!(
            w,
            "  In parentheses: the 90% interval over {} runs (seed {}) drawing the uncertain estimates anew.",
            r.runs, r.seed
        )?;
    }
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::NOTHING);
    let mut header = vec!["issue".to_string()];
    header.extend(r.forecasts.keys().map(|m| m.to_string()));
    table.set_header(header);
    let issues: Vec<&String> = r
        .forecasts
        .values()
        .next()
        .map_or(Vec::new(), |f| f.keys().collect());
    for issue in issues {
        let mut row = vec![issue.clone()];
        for f in r.forecasts.values() {
            let cell = f.get(issue).map_or(String::new(), |x| {
                let mut s = position(x.position);
                if let Some(o) = &x.option {
                    s.push_str(&format!(" [{o}]"));
                }
                if let Some([lo, hi]) = x.interval {
                    s.push_str(&format!(" ({lo:.1}–{hi:.1})"));
                }
                s
            });
            row.push(cell);
        }
        table.add_row(row);
    }
    writeln!(w, "{table}")?;
    for (model, history) in &r.rounds {
        if history.len() > 1 {
            writeln!(
                w,
                "  {model}: positions settled after {} rounds",
                history.len() - 1
            )?;
        }
        if let Some(last) = r.prevailing.get(model).and_then(|p| p.last()) {
            let list: Vec<String> = last.iter().map(|(a, p)| format!("{a} {p:.2}")).collect();
            writeln!(
                w,
                "  {model}: probability that each actor's position prevails at the end: {}",
                list.join(", ")
            )?;
        }
    }
    Ok(())
}

fn trim(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// What `truce forecast --evaluate` reports.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationJson {
    /// Decisions in the table.
    pub decisions: usize,
    /// Per model, its accuracy.
    pub models: IndexMap<&'static str, Accuracy>,
}

impl EvaluationJson {
    /// The report of each model's accuracy.
    pub fn new(decisions: usize, results: Vec<(Model, Accuracy)>) -> Self {
        EvaluationJson {
            decisions,
            models: results.into_iter().map(|(m, a)| (m.name(), a)).collect(),
        }
    }
}

/// The accuracy table: one line per model.
pub fn write_evaluation<W: Write + ?Sized>(w: &mut W, r: &EvaluationJson) -> io::Result<()> {
    writeln!(
        w,
        "ACCURACY on {} decisions with known outcomes (absolute error, 0 to 100 scale)",
        r.decisions
    )?;
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::NOTHING);
    table.set_header(vec![
        "model",
        "mean error",
        "median error",
        "within 10",
        "forecast",
    ]);
    let f = |x: Option<f64>| x.map_or_else(|| "-".to_string(), |x| format!("{x:.2}"));
    for (m, a) in &r.models {
        table.add_row(vec![
            m.to_string(),
            f(a.mean_abs_error),
            f(a.median_abs_error),
            a.within_10
                .map_or_else(|| "-".to_string(), |x| format!("{:.1}%", 100.0 * x)),
            format!("{}/{}", a.forecast, a.decisions),
        ]);
    }
    writeln!(w, "{table}")
}

/// `truce analyze --forecast MODEL` in JSON: the forecast package (per
/// issue, the nearest option to the forecast position; null for issues
/// without a scale) and the positions.
#[derive(Debug, Clone, Serialize)]
pub struct AnalysisForecastJson {
    /// The model.
    pub model: &'static str,
    /// Per issue, the forecast option (null: not forecast).
    pub package: IndexMap<String, Option<String>>,
    /// Per issue, the forecast position on 0 to 100 (null: not forecast).
    pub positions: IndexMap<String, Option<f64>>,
}

/// How an option shows in reports: a numeric issue's label, else its id.
fn shown(s: &Scenario, i: usize, o: usize) -> String {
    let package: Vec<u16> = (0..s.issues.len())
        .map(|k| if k == i { o as u16 } else { 0 })
        .collect();
    s.describe_package(&package)
        .get(i)
        .map_or_else(String::new, |(_, x)| x.to_string())
}

impl AnalysisForecastJson {
    /// The forecast package `f` on `s`.
    pub fn new(s: &Scenario, f: &ForecastPackage) -> Self {
        AnalysisForecastJson {
            model: f.model.name(),
            package: s
                .issues
                .iter()
                .enumerate()
                .map(|(i, issue)| (issue.id.clone(), f.issues[i].map(|(_, o)| shown(s, i, o))))
                .collect(),
            positions: s
                .issues
                .iter()
                .zip(&f.issues)
                .map(|(issue, x)| (issue.id.clone(), x.map(|(p, _)| p)))
                .collect(),
        }
    }
}

/// The forecast package beside the Nash point and the best and final
/// offer, issue by issue.
pub fn write_analysis_forecast<W: Write + ?Sized>(
    w: &mut W,
    s: &Scenario,
    a: &Analysis,
    f: &ForecastPackage,
) -> io::Result<()> {
    writeln!(
        w,
        "FORECAST ({} model; positions from each party's most valued option, salience from its weights, capability as given; docs/forecast.md)",
        f.model.name()
    )?;
    let nash = a
        .solutions
        .nash
        .as_ref()
        .map(|p| s.describe_package(&p.package));
    let offer = a
        .best_offer
        .as_ref()
        .map(|o| s.describe_package(&o.point.package));
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::NOTHING);
    table.set_header(vec!["issue", "Nash", "best and final offer", "forecast"]);
    let cell = |d: &Option<Vec<(&str, &str)>>, i: usize| {
        d.as_ref()
            .and_then(|v| v.get(i))
            .map_or_else(|| "-".to_string(), |x| x.1.to_string())
    };
    for (i, issue) in s.issues.iter().enumerate() {
        let forecast = match f.issues[i] {
            Some((p, o)) => format!("{} ({p:.1})", shown(s, i, o)),
            None => "not forecast (no scale)".to_string(),
        };
        table.add_row(vec![
            issue.id.clone(),
            cell(&nash, i),
            cell(&offer, i),
            forecast,
        ]);
    }
    writeln!(w, "{table}")?;
    writeln!(w)
}
