//! `truce ledger extract`: claims read out of a news report, proposed as
//! candidate ledger records; `--evaluate` scores the reading on annotated
//! reports.

use crate::errors::{CliError, Input};
use crate::ledger::ExtractFormat;
use crate::output::Stdout;
use std::path::{Path, PathBuf};
use truce_extract::evaluate::{parse_gold, score, Score};
use truce_extract::{extract, parse_article, Date, Options};
use truce_present::extract as present;

/// Largest report or annotation read.
const MAX_ARTICLE_BYTES: u64 = 16 << 20;
/// Most annotated reports one evaluation reads.
const MAX_REPORTS: usize = 100_000;

pub struct ExtractArgs {
    pub article: Option<PathBuf>,
    pub scenario: Option<PathBuf>,
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub reviewed: Option<PathBuf>,
    pub evaluate: Option<PathBuf>,
    pub format: ExtractFormat,
}

fn options(a: &ExtractArgs) -> Result<Options, CliError> {
    let published =
        match &a.published {
            Some(p) => Some(p.trim().parse::<Date>().map_err(|_| {
                CliError::Usage(format!("--published {p}: give a day as YYYY-MM-DD"))
            })?),
            None => None,
        };
    let mut o = Options {
        published,
        outlet: a.outlet.clone(),
        ..Options::default()
    };
    if let Some(path) = &a.scenario {
        o = o.with_scenario(&crate::load(path)?);
    }
    Ok(o)
}

/// The id of a source read from `path`: its file name without extension,
/// letters, digits and underscores only.
fn source_id(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let id: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if id.is_empty() {
        "article".to_string()
    } else {
        id
    }
}

pub fn run(a: ExtractArgs) -> Result<(), CliError> {
    let opts = options(&a)?;
    let mut out = Stdout::new();
    if let Some(dir) = &a.evaluate {
        let report = evaluate(dir, &opts)?;
        match a.format {
            ExtractFormat::Text => out.write(|w| present::write_evaluation(w, &report))?,
            _ => out.json(&report)?,
        }
        return out.finish();
    }
    let Some(path) = &a.article else {
        return Err(CliError::Usage(
            "give an ARTICLE to read, or --evaluate DIR".into(),
        ));
    };
    if path.is_dir() {
        if a.reviewed.is_some() {
            return Err(CliError::Usage(
                "--reviewed goes with one report, not a folder".into(),
            ));
        }
        return folder(path, &a, &opts, out);
    }
    let present::ExtractionJson { source, reports } = propose(path, &a, &opts)?;
    if let Some(r) = &a.reviewed {
        if !matches!(a.format, ExtractFormat::Jsonl) {
            return Err(CliError::Usage(
                "--reviewed writes JSON Lines: leave --format at jsonl".into(),
            ));
        }
        let text = crate::files::read_text(
            r,
            truce_ledger::MAX_BATCH_BYTES,
            "a candidate file from truce ledger extract",
            Input::Ledger,
        )?;
        let lines = present::merge_reviewed(&text, &source, &reports)
            .map_err(|(line, m)| CliError::Other(format!("{}:{line}: {m}", r.display())))?;
        out.write(|w| {
            for l in &lines {
                writeln!(w, "{l}")?;
            }
            Ok(())
        })?;
        return out.finish();
    }
    match a.format {
        ExtractFormat::Jsonl => out.write(|w| present::write_jsonl(w, &source, &reports))?,
        ExtractFormat::Json => out.json(&present::ExtractionJson { source, reports })?,
        ExtractFormat::Text => out.write(|w| present::write_text(w, &source, &reports))?,
    }
    out.finish()
}

/// The candidate records for the report in `path`.
fn propose(
    path: &Path,
    a: &ExtractArgs,
    opts: &Options,
) -> Result<present::ExtractionJson, CliError> {
    let text = crate::files::read_text(
        path,
        MAX_ARTICLE_BYTES,
        "a news report as plain text",
        Input::Ledger,
    )?;
    let article = parse_article(&text);
    let claims = extract(&article, opts);
    let (source, reports) = present::records(
        &article,
        &claims,
        &source_id(path),
        a.outlet.as_deref(),
        opts.published.map(|d| d.to_string()),
    );
    Ok(present::ExtractionJson { source, reports })
}

/// Every `.txt` report in a folder (not its subfolders), read in
/// parallel, written in file-name order: each report's source and claims
/// as for one report (JSON: a list of them).
fn folder(dir: &Path, a: &ExtractArgs, opts: &Options, mut out: Stdout) -> Result<(), CliError> {
    use rayon::prelude::*;
    let entries = std::fs::read_dir(dir)
        .map_err(|e| CliError::Other(format!("{}: cannot read the folder: {e}", dir.display())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "txt"))
        .take(MAX_REPORTS + 1)
        .collect();
    if files.len() > MAX_REPORTS {
        return Err(CliError::Other(format!(
            "{}: more than {MAX_REPORTS} reports",
            dir.display()
        )));
    }
    files.sort();
    let done: Vec<Result<present::ExtractionJson, CliError>> = files
        .par_iter()
        .map(|path| propose(path, a, opts))
        .collect();
    let all: Vec<present::ExtractionJson> = done.into_iter().collect::<Result<_, _>>()?;
    match a.format {
        ExtractFormat::Jsonl => out.write(|w| {
            for e in &all {
                present::write_jsonl(w, &e.source, &e.reports)?;
            }
            Ok(())
        })?,
        ExtractFormat::Json => out.json(&all)?,
        ExtractFormat::Text => out.write(|w| {
            for e in &all {
                present::write_text(w, &e.source, &e.reports)?;
            }
            Ok(())
        })?,
    }
    out.finish()
}

fn evaluate(dir: &Path, opts: &Options) -> Result<present::EvaluationJson, CliError> {
    let mut golds: Vec<PathBuf> = if dir.is_file() {
        vec![dir.to_path_buf()]
    } else {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            CliError::Other(format!("{}: cannot read the folder: {e}", dir.display()))
        })?;
        entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
            .take(MAX_REPORTS + 1)
            .collect()
    };
    if golds.len() > MAX_REPORTS {
        return Err(CliError::Other(format!(
            "{}: more than {MAX_REPORTS} annotated reports",
            dir.display()
        )));
    }
    golds.sort();
    if golds.is_empty() {
        return Err(CliError::Other(format!(
            "{}: no annotated reports (NAME.gold.json beside NAME.txt)",
            dir.display()
        )));
    }
    let mut total = Score::default();
    let mut articles = Vec::new();
    for g in golds {
        let name = g
            .to_string_lossy()
            .trim_end_matches(".gold.json")
            .to_string();
        let gold_text =
            crate::files::read_text(&g, MAX_ARTICLE_BYTES, "an annotation (JSON)", Input::Ledger)?;
        let gold =
            parse_gold(&gold_text).map_err(|e| CliError::Other(format!("{}: {e}", g.display())))?;
        // The report beside it (NAME.txt), else the one it names.
        let beside = PathBuf::from(format!("{name}.txt"));
        let txt = match &gold.article_file {
            Some(f) if !beside.is_file() => g.parent().unwrap_or(Path::new(".")).join(f),
            _ => beside,
        };
        let text = crate::files::read_text(
            &txt,
            MAX_ARTICLE_BYTES,
            "the annotated report",
            Input::Ledger,
        )?;
        let article = parse_article(&text);
        let claims = extract(&article, opts);
        let s = score(&article, &claims, &gold);
        total.add(&s);
        let file = txt
            .file_name()
            .map_or_else(|| name.clone(), |f| f.to_string_lossy().to_string());
        articles.push(present::ScoreJson::new(Some(file), &s));
    }
    Ok(present::EvaluationJson {
        articles,
        overall: present::ScoreJson::new(None, &total),
    })
}
