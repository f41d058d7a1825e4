//! `truce`: the command line. Reads files, calls the engine, prints tables or
//! JSON. Exit codes: 0 success, 2 bad input (the message says where and how
//! to fix it), 1 anything else.

mod errors;
mod extract;
mod files;
mod forecast;
mod genius;
mod ledger;
mod output;
mod report;
mod room;
mod simulate;

use clap::{Parser, Subcommand, ValueEnum};
use errors::{CliError, Input};
use output::Stdout;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use truce_engine::analysis::{analyze, analyze_timed, AnalysisOptions};
use truce_engine::generate::{generate, Shape};
use truce_engine::{parse_scenario, Scenario};
use truce_present::analysis_json::{AnalysisJson, PlanJson, Timings};
use truce_present::utilities::UtilityTable;

#[derive(Parser)]
#[command(
    name = "truce",
    version,
    about = "Model, analyse and explain ceasefire and peace negotiations",
    long_about = "truce reads a negotiation scenario (parties, issues, preferences, red lines, plans) \
                  from a TOML file and answers: is there any deal that crosses no red line, how far \
                  each side supports a plan, what blocks it, what must change, and what the best and \
                  final offer is."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum MethodArg {
    Auto,
    Enumerate,
    Search,
}

impl MethodArg {
    pub(crate) fn method(self) -> truce_engine::analysis::Method {
        use truce_engine::analysis::Method;
        match self {
            MethodArg::Auto => Method::Auto,
            MethodArg::Enumerate => Method::Enumerate,
            MethodArg::Search => Method::Search,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Analyse a scenario: feasible set, conflicts, Pareto frontier,
    /// bargaining solutions, plans and the best and final offer.
    Analyze {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Enumerate agreement spaces up to this many packages; larger ones
        /// are searched exactly (or refused with `--method enumerate`).
        #[arg(long, default_value_t = AnalysisOptions::default().max_outcomes)]
        max_outcomes: u64,
        /// How to find the answers: `auto` enumerates small spaces and
        /// searches large ones; `enumerate` or `search` forces one way.
        #[arg(long, value_enum, default_value = "auto")]
        method: MethodArg,
        /// The exact search gives up after visiting this many nodes.
        #[arg(long, default_value_t = AnalysisOptions::default().search_node_limit)]
        search_nodes: u64,
        /// How many Pareto packages the text report lists (JSON lists all).
        #[arg(long, default_value_t = 10)]
        show_pareto: usize,
        /// List every package of the frontier, not one per utility vector
        /// (packages that tie for every bargaining party).
        #[arg(long)]
        all_ties: bool,
        /// On spaces searched rather than enumerated, build the frontier
        /// only if it has at most this many utility vectors (a quarter
        /// of it for more than two bargaining parties).
        #[arg(long, default_value_t = AnalysisOptions::default().frontier_vector_limit)]
        frontier_limit: usize,
        /// On spaces searched rather than enumerated, list an ε-frontier on
        /// a grid of this step (0 < E <= 1) instead of the exact frontier.
        #[arg(long, value_name = "E")]
        epsilon: Option<f64>,
        /// Report parse and analysis times (on stderr for text, under "timings" in JSON).
        #[arg(long)]
        timings: bool,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Report the package a forecasting model (compromise, median, bdm, ktab)
        /// forecasts beside the Nash point and the best and final offer.
        #[arg(long, value_name = "MODEL")]
        forecast: Option<String>,
    },
    /// Validate a scenario file and summarise it.
    Check {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Explain one plan in words a mediator can read.
    Explain {
        file: PathBuf,
        /// The plan's id or name.
        #[arg(long)]
        plan: String,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[arg(long, default_value_t = AnalysisOptions::default().max_outcomes)]
        max_outcomes: u64,
    },
    /// Two plans side by side: the provisions that differ, what each
    /// difference gains or loses each party, the totals, the red lines
    /// each plan crosses. Works on a space of any size.
    Compare {
        file: PathBuf,
        /// The first plan's id or name.
        plan_a: String,
        /// The second plan's id or name.
        plan_b: String,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Every package's utility for every party with preferences, in package
    /// order (first issue most significant): for cross-checks with other tools.
    Utilities {
        file: PathBuf,
        /// csv: a header, then `package,<party>,...`; binary: little-endian
        /// f64 values, one row of parties per package, no header.
        #[arg(long, value_enum, default_value = "csv")]
        format: TableFormat,
        /// Write here instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(long, default_value_t = AnalysisOptions::default().max_outcomes)]
        max_outcomes: u64,
    },
    /// Simulate the talks many times: how likely a deal is before the
    /// deadline, which deal, and what moves the odds.
    Simulate(simulate::SimulateArgs),
    /// Forecast where positions settle from positions, salience and
    /// capability (compromise, median, expected-utility and KTAB models), from a scenario or a
    /// KTAB input; --evaluate measures the models on past decisions.
    Forecast(forecast::ForecastArgs),
    /// A briefing note as one self-contained HTML file: the analysis with
    /// its pictures, and optionally a simulation and the ledger's status.
    Report(report::ReportArgs),
    /// The sourced record of the process: commitments, violations, deadlines.
    Ledger {
        #[command(subcommand)]
        command: ledger::LedgerCommand,
    },
    /// Negotiation rooms: make one from a scenario, replace a token.
    Room {
        #[command(subcommand)]
        command: room::RoomCommand,
    },
    /// Serve the negotiation rooms over HTTP (JSON under /api/v1; docs/room.md).
    Serve {
        #[arg(
            long,
            default_value = "ledger.db",
            help = "The database: a SQLite file, or a postgres:// URL"
        )]
        db: String,
        /// The address and port to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Serve HTTPS with this PEM certificate chain (leaf first).
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's PEM private key.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Convert from another format into a truce scenario.
    Import {
        #[command(subcommand)]
        format: ImportFormat,
    },
    /// Convert a truce scenario into another format.
    Export {
        #[command(subcommand)]
        format: ExportFormat,
    },
    /// Write a random scenario of a given shape (for benchmarks and tests).
    Generate {
        /// Parties with a veto.
        #[arg(long, default_value_t = 3)]
        parties: usize,
        /// Number of issues.
        #[arg(long, default_value_t = 5)]
        issues: usize,
        /// Options per issue.
        #[arg(long, default_value_t = 4)]
        options: u16,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Add a mediator with preferences of its own.
        #[arg(long)]
        mediator: bool,
        /// Red lines per party.
        #[arg(long, default_value_t = 1)]
        red_lines: usize,
        /// Make every other issue deferrable.
        #[arg(long)]
        deferrable: bool,
        #[arg(long, default_value_t = 1)]
        plans: usize,
        #[arg(long, default_value_t = 0)]
        linkages: usize,
        /// Make the first N issues numeric: a scale of --options steps of
        /// 10,000 troops, each party valuing it by points around a peak.
        #[arg(long, default_value_t = 0)]
        numeric_issues: usize,
        /// Round every value to a multiple of 1/N (0: no rounding); many
        /// packages then tie.
        #[arg(long, default_value_t = 0)]
        value_levels: u32,
        /// Add N allies whose consent is needed on one issue each (veto =
        /// ["ISSUE"]), each with a red line there.
        #[arg(long, default_value_t = 0)]
        consent_parties: usize,
        /// Write here instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TableFormat {
    Csv,
    Binary,
}

#[derive(Subcommand)]
enum ImportFormat {
    /// A GENIUS/ANAC domain: its folder, or the domain file and its profiles.
    Genius {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Write the scenario here instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Cut each real issue's range into this many equal steps (1 to 10,000).
        #[arg(long, default_value_t = truce_genius::DEFAULT_REAL_STEPS)]
        real_steps: u32,
    },
}

#[derive(Subcommand)]
enum ExportFormat {
    /// A GENIUS domain file and one profile per party with preferences.
    Genius {
        file: PathBuf,
        /// The folder to write (created if needed).
        #[arg(short, long)]
        output: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            e.report();
            ExitCode::from(e.exit_code())
        }
    }
}

/// A scenario file, or a folder of GENIUS XML files.
pub(crate) fn load(path: &Path) -> Result<Scenario, CliError> {
    if path.is_dir() {
        let imported = genius::load(&[path.to_path_buf()], truce_genius::DEFAULT_REAL_STEPS)?;
        output::notes(&imported.notes);
        return Ok(imported.scenario);
    }
    let text = files::read_text(
        path,
        truce_engine::limits::MAX_SCENARIO_BYTES,
        "scenario files are TOML (see docs/scenario-format.md)",
        Input::Scenario,
    )?;
    match parse_scenario(&text) {
        Ok(s) => Ok(s),
        Err(err) => Err(CliError::Problems {
            path: path.to_path_buf(),
            text: Some(text),
            input: Input::Scenario,
            diagnostics: err.diagnostics,
        }),
    }
}

/// The most worker threads `--threads` may ask for: far more than cores
/// on any machine truce runs on, few enough to start in milliseconds.
const MAX_THREADS: usize = 256;

/// The worker threads for this process's parallel work (`--threads`).
pub(crate) fn threads(n: Option<usize>) -> Result<(), CliError> {
    if let Some(n) = n {
        if !(1..=MAX_THREADS).contains(&n) {
            return Err(CliError::Usage(format!(
                "--threads {n}: give 1 to {MAX_THREADS} (default: one per core)"
            )));
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| CliError::Other(e.to_string()))?;
    }
    Ok(())
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Analyze {
            file,
            format,
            max_outcomes,
            method,
            search_nodes,
            show_pareto,
            all_ties,
            frontier_limit,
            epsilon,
            timings,
            threads,
            forecast,
        } => {
            if let Some(e) = epsilon {
                if !(e > 0.0 && e <= 1.0) {
                    return Err(CliError::Usage(format!(
                        "--epsilon {e}: give a grid step above 0 and at most 1 (e.g. 0.01)"
                    )));
                }
            }
            crate::threads(threads)?;
            let t0 = Instant::now();
            let s = load(&file)?;
            let t1 = Instant::now();
            let options = AnalysisOptions {
                max_outcomes,
                method: method.method(),
                search_node_limit: search_nodes,
                frontier_vector_limit: frontier_limit,
                frontier_epsilon: epsilon,
                ..Default::default()
            };
            let (a, steps) = analyze_timed(&s, &options).map_err(CliError::Analysis)?;
            let forecast = match &forecast {
                Some(name) => {
                    let model = truce_forecast::Model::parse(name).ok_or_else(|| {
                        CliError::Usage(format!(
                            "unknown forecasting model `{name}`; use compromise, median, bdm or ktab"
                        ))
                    })?;
                    Some(
                        truce_forecast::forecast_package(&s, model)
                            .map_err(|e| CliError::Other(format!("{}: {e}", file.display())))?,
                    )
                }
                None => None,
            };
            let t2 = Instant::now();
            let measured = Timings {
                parse_ms: (t1 - t0).as_secs_f64() * 1e3,
                analysis_ms: (t2 - t1).as_secs_f64() * 1e3,
                threads: rayon::current_num_threads(),
                steps: steps.iter().map(|t| (t.step, t.ms)).collect(),
            };
            let mut out = Stdout::new();
            match format {
                Format::Json => {
                    let report =
                        AnalysisJson::new(&s, &a, timings.then_some(measured))
                            .all_ties(all_ties)
                            .forecast(forecast.as_ref().map(|f| {
                                truce_present::forecast::AnalysisForecastJson::new(&s, f)
                            }));
                    out.json(&report)?;
                }
                Format::Text => {
                    out.write(|w| {
                        truce_present::analysis::write_analysis(w, &s, &a, show_pareto, all_ties)
                    })?;
                    if let Some(f) = &forecast {
                        out.write(|w| {
                            truce_present::forecast::write_analysis_forecast(w, &s, &a, f)
                        })?;
                    }
                    if timings {
                        output::note_line(&truce_present::analysis::timings_line(&measured));
                        output::note_line(&format!(
                            "frontier: {}",
                            a.frontier_method.as_str().replace('_', " ")
                        ));
                    }
                }
            }
            out.finish()
        }
        Command::Check { file, format } => match load(&file) {
            Ok(s) => {
                let mut out = Stdout::new();
                match format {
                    Format::Json => out.json(&truce_present::check::CheckSummary::new(&s))?,
                    Format::Text => {
                        out.write(|w| truce_present::check::write_check(w, &file, &s))?
                    }
                }
                out.finish()
            }
            Err(CliError::Problems {
                path, diagnostics, ..
            }) if format == Format::Json => {
                let file = path.display().to_string();
                let mut out = Stdout::new();
                out.json(&truce_present::diagnostics::ProblemsJson::new(
                    &file,
                    &diagnostics,
                ))?;
                out.finish()?;
                Err(CliError::Reported)
            }
            Err(e) => Err(e),
        },
        Command::Explain {
            file,
            plan,
            format,
            max_outcomes,
        } => {
            let s = load(&file)?;
            let Some(p) = s.plan_index(&plan) else {
                return Err(CliError::UnknownPlan {
                    name: plan,
                    known: s.plans.iter().map(|p| p.id.clone()).collect(),
                });
            };
            let options = AnalysisOptions {
                max_outcomes,
                ..Default::default()
            };
            let a = analyze(&s, &options).map_err(CliError::Analysis)?;
            let mut out = Stdout::new();
            match format {
                Format::Json => out.json(&PlanJson::new(&s, &a, &a.plans[p]))?,
                Format::Text => {
                    out.write(|w| truce_present::analysis::write_explanation(w, &s, &a, p))?
                }
            }
            out.finish()
        }
        Command::Compare {
            file,
            plan_a,
            plan_b,
            format,
        } => {
            let s = load(&file)?;
            let find = |name: &str| {
                s.plan_index(name).ok_or_else(|| CliError::UnknownPlan {
                    name: name.to_string(),
                    known: s.plans.iter().map(|p| p.id.clone()).collect(),
                })
            };
            let (a, b) = (find(&plan_a)?, find(&plan_b)?);
            let c = truce_engine::compare::compare(&s, a, b)
                .ok_or_else(|| CliError::Usage("the plans cannot be compared".into()))?;
            let mut out = Stdout::new();
            match format {
                Format::Json => out.json(&truce_present::compare::CompareJson::new(&s, &c))?,
                Format::Text => {
                    out.write(|w| truce_present::compare::write_comparison(w, &s, &c))?
                }
            }
            out.finish()
        }
        Command::Ledger { command } => ledger::run(command),
        Command::Room { command } => room::run(command),
        Command::Serve {
            db,
            listen,
            tls_cert,
            tls_key,
        } => room::serve(&db, &listen, tls_cert.zip(tls_key)),
        Command::Simulate(args) => simulate::run(args),
        Command::Forecast(args) => forecast::run(args),
        Command::Report(args) => report::run(args),
        Command::Utilities {
            file,
            format,
            output,
            max_outcomes,
        } => {
            let s = load(&file)?;
            truce_engine::analysis::enumerable(&s, max_outcomes).map_err(CliError::Analysis)?;
            let table = match format {
                TableFormat::Csv => UtilityTable::Csv,
                TableFormat::Binary => UtilityTable::Binary,
            };
            output::to_file_or_stdout(output.as_deref(), |w| {
                truce_present::utilities::write_utilities(w, &s, table)
            })
        }
        Command::Import {
            format:
                ImportFormat::Genius {
                    paths,
                    output,
                    real_steps,
                },
        } => {
            let imported = genius::load(&paths, real_steps)?;
            output::notes(&imported.notes);
            let sources: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            let text = truce_present::scenario::imported_toml(&imported.scenario, &sources)
                .map_err(|e| CliError::Other(e.to_string()))?;
            output::to_file_or_stdout(output.as_deref(), |w| w.write_all(text.as_bytes()))
        }
        Command::Export {
            format: ExportFormat::Genius { file, output },
        } => {
            let s = load(&file)?;
            let exported = truce_genius::export(&s).map_err(|e| {
                CliError::Usage(format!("cannot export {} to GENIUS: {e}", file.display()))
            })?;
            std::fs::create_dir_all(&output).map_err(|e| CliError::Write {
                path: output.clone(),
                source: e,
            })?;
            for f in &exported.files {
                let path = output.join(&f.name);
                std::fs::write(&path, &f.text).map_err(|e| CliError::Write { path, source: e })?;
            }
            let left_out: Vec<String> = exported
                .left_out
                .iter()
                .map(|l| format!("not exported: {l}"))
                .collect();
            output::notes(&left_out);
            output::note_line(&format!(
                "wrote {} files to {}",
                exported.files.len(),
                output.display()
            ));
            Ok(())
        }
        Command::Generate {
            parties,
            issues,
            options,
            seed,
            mediator,
            red_lines,
            deferrable,
            plans,
            linkages,
            numeric_issues,
            value_levels,
            consent_parties,
            output,
        } => {
            // The shape is checked before anything is generated; the number
            // of issues first, as the shape holds one entry per issue.
            let max_issues = truce_engine::limits::MAX_ISSUES;
            if issues == 0 || issues > max_issues {
                return Err(CliError::Usage(format!(
                    "--issues {issues}: give 1 to {max_issues}"
                )));
            }
            let shape = Shape {
                parties,
                options: vec![options; issues],
                mediator,
                red_lines,
                deferrable,
                plans,
                linkages,
                numeric_issues,
                value_levels,
                consent_parties,
                ..Default::default()
            };
            let s = generate(&shape, seed).map_err(|e| {
                let problems: Vec<String> = e
                    .diagnostics
                    .iter()
                    .map(|d| {
                        format!(
                            "--{}: {}",
                            d.path.as_deref().unwrap_or("shape").replace('_', "-"),
                            d.message
                        )
                    })
                    .collect();
                CliError::Usage(format!(
                    "cannot generate that scenario: {}",
                    problems.join("; ")
                ))
            })?;
            let by = truce_present::scenario::GeneratedBy {
                parties,
                issues,
                options,
                seed,
            };
            let text = truce_present::scenario::generated_toml(&s, by)
                .map_err(|e| CliError::Other(e.to_string()))?;
            output::to_file_or_stdout(output.as_deref(), |w| w.write_all(text.as_bytes()))
        }
    }
}
