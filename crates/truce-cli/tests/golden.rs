//! Every command's output on the shipped examples, byte for byte, against
//! files committed in `tests/golden/`. They were written before the output
//! code moved out of the binary, so a refactor that changes a byte fails
//! here. `TRUCE_BLESS=1 cargo test -p truce-cli --test golden` rewrites them
//! after a deliberate change (review the diff).

// A failing test unwraps, expects or panics: that is how it fails; and it
// may tell the runner what it covered.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Compares (or, when blessing, writes) one golden file.
fn expect(name: &str, actual: &[u8]) {
    let path = golden_dir().join(name);
    if std::env::var_os("TRUCE_BLESS").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "golden file {} is missing ({e}); run with TRUCE_BLESS=1 to write it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .iter()
            .zip(actual)
            .position(|(a, b)| a != b)
            .unwrap_or(expected.len().min(actual.len()));
        let line = actual[..first].iter().filter(|&&b| b == b'\n').count() + 1;
        panic!(
            "{name}: output differs from the golden file from byte {first} (line {line}); \
             expected {} bytes, got {}.\n--- got (around there) ---\n{}",
            expected.len(),
            actual.len(),
            String::from_utf8_lossy(
                &actual[first.saturating_sub(200)..(first + 200).min(actual.len())]
            )
        );
    }
}

/// Runs `truce ARGS` in the repository root; returns stdout, stderr, exit code.
fn run(args: &[&str]) -> (Vec<u8>, Vec<u8>, i32) {
    let out = Command::cargo_bin("truce")
        .unwrap()
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (out.stdout, out.stderr, out.status.code().unwrap_or(-1))
}

/// Stdout, and stderr when the command says something there, with the
/// exit code, under one name.
fn case(name: &str, args: &[&str]) {
    case_in(name, args, None);
}

/// Like `case`, replacing a scratch path by `$TMP` so the files do not
/// depend on where the test ran.
fn case_in(name: &str, args: &[&str], scratch: Option<&Path>) {
    let (stdout, stderr, code) = run(args);
    let clean = |bytes: Vec<u8>| -> Vec<u8> {
        match scratch {
            Some(dir) => String::from_utf8_lossy(&bytes)
                .replace(&dir.display().to_string(), "$TMP")
                .into_bytes(),
            None => bytes,
        }
    };
    let mut stdout = clean(stdout);
    let stderr = clean(stderr);
    if code != 0 {
        stdout.extend_from_slice(format!("[exit {code}]\n").as_bytes());
    }
    expect(&format!("{name}.out"), &stdout);
    if !stderr.is_empty() || golden_dir().join(format!("{name}.err")).exists() {
        expect(&format!("{name}.err"), &stderr);
    }
}

const EXAMPLE: &str = "examples/ukraine-2025.toml";
const LEDGER: &str = "examples/ukraine-2025.ledger.jsonl";
const BROKEN: &str = "crates/truce-cli/tests/golden/inputs/broken.toml";
const SMALL: &str = "crates/truce-genius/tests/fixtures/small";
const INTEGER: &str = "crates/truce-genius/tests/fixtures/discrete_integer";

#[test]
fn analyze() {
    case("analyze", &["analyze", EXAMPLE]);
    case("analyze_json", &["analyze", EXAMPLE, "--format", "json"]);
    case(
        "analyze_pareto3",
        &["analyze", EXAMPLE, "--show-pareto", "3"],
    );
    case("analyze_genius", &["analyze", SMALL]);
    case(
        "analyze_genius_json",
        &["analyze", INTEGER, "--format", "json"],
    );
    case(
        "analyze_too_large",
        &[
            "analyze",
            EXAMPLE,
            "--max-outcomes",
            "10",
            "--method",
            "enumerate",
        ],
    );
    // Past --max-outcomes the analysis searches instead of enumerating.
    case(
        "analyze_searched",
        &["analyze", EXAMPLE, "--max-outcomes", "10"],
    );
}

#[test]
fn check() {
    case("check", &["check", EXAMPLE]);
    case("check_json", &["check", EXAMPLE, "--format", "json"]);
    case("check_broken", &["check", BROKEN]);
    case("check_broken_json", &["check", BROKEN, "--format", "json"]);
    case("check_missing", &["check", "no/such/file.toml"]);
}

#[test]
fn explain() {
    for plan in ["paris", "partial_truce", "ceasefire_without_territories"] {
        case(
            &format!("explain_{plan}"),
            &["explain", EXAMPLE, "--plan", plan],
        );
        case(
            &format!("explain_{plan}_json"),
            &["explain", EXAMPLE, "--plan", plan, "--format", "json"],
        );
    }
    case("explain_unknown", &["explain", EXAMPLE, "--plan", "nope"]);
}

#[test]
fn compare() {
    case(
        "compare_paris_kyiv",
        &["compare", EXAMPLE, "paris", "ceasefire_without_territories"],
    );
    case(
        "compare_paris_partial_json",
        &[
            "compare",
            EXAMPLE,
            "paris",
            "partial_truce",
            "--format",
            "json",
        ],
    );
    case("compare_same", &["compare", EXAMPLE, "paris", "paris"]);
    case("compare_unknown", &["compare", EXAMPLE, "paris", "nope"]);
}

#[test]
fn utilities() {
    case("utilities_csv", &["utilities", EXAMPLE]);
    case(
        "utilities_binary",
        &["utilities", EXAMPLE, "--format", "binary"],
    );
}

#[test]
fn simulate() {
    let base = ["simulate", EXAMPLE, "--runs", "300"];
    let with = |extra: &[&'static str]| -> Vec<&str> {
        base.iter().copied().chain(extra.iter().copied()).collect()
    };
    case("simulate", &with(&[]));
    case("simulate_json", &with(&["--format", "json"]));
    case("simulate_trace", &with(&["--trace", "--no-vary"]));
    case(
        "simulate_trace_json",
        &with(&["--trace", "3", "--no-vary", "--format", "json"]),
    );
    for protocol in ["alternating", "mediated", "ultimatum", "sequenced"] {
        case(
            &format!("simulate_{protocol}"),
            &with(&["--protocol", protocol, "--no-vary", "--trace", "1"]),
        );
        case(
            &format!("simulate_{protocol}_json"),
            &with(&["--protocol", protocol, "--format", "json"]),
        );
    }
    case(
        "simulate_overrides",
        &with(&[
            "--fix",
            "sanctions=unchanged",
            "--strategy",
            "ukraine=boulware",
            "--strategy",
            "russia=hardliner,ignore-red-lines",
            "--vary",
            "deadline=3,10",
            "--vary",
            "strategy.us=linear;conceder",
            "--rounds",
            "20",
            "--seed",
            "7",
        ]),
    );
    case("simulate_bad_fix", &with(&["--fix", "sanctions=nope"]));
}

#[test]
fn generate() {
    case("generate", &["generate"]);
    case(
        "generate_shape",
        &[
            "generate",
            "--parties",
            "4",
            "--issues",
            "6",
            "--options",
            "3",
            "--seed",
            "9",
            "--mediator",
            "--deferrable",
            "--plans",
            "2",
            "--linkages",
            "2",
            "--red-lines",
            "2",
        ],
    );
}

#[test]
fn genius_import_and_export() {
    case("import_genius_small", &["import", "genius", SMALL]);
    case("import_genius_integer", &["import", "genius", INTEGER]);
    case(
        "import_genius_steps",
        &["import", "genius", INTEGER, "--real-steps", "3"],
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("genius");
    case_in(
        "export_genius_refused",
        &["export", "genius", EXAMPLE, "-o", out.to_str().unwrap()],
        Some(dir.path()),
    );
    case_in(
        "export_genius",
        &["export", "genius", INTEGER, "-o", out.to_str().unwrap()],
        Some(dir.path()),
    );
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        expect(
            &format!("export_genius_{name}"),
            &std::fs::read(out.join(&name)).unwrap(),
        );
    }
}

#[test]
fn ledger() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("ledger.db");
    let db = db_path.to_str().unwrap();
    let tmp = Some(dir.path());
    case_in("ledger_init", &["ledger", "init", "--db", db], tmp);
    case_in(
        "ledger_import",
        &["ledger", "import", LEDGER, "--db", db],
        tmp,
    );
    for at in ["2025-04-19", "2025-03-01", "2025-06-01"] {
        case_in(
            &format!("ledger_status_{at}"),
            &["ledger", "status", "--at", at, "--db", db],
            tmp,
        );
        case_in(
            &format!("ledger_status_{at}_json"),
            &[
                "ledger", "status", "--at", at, "--db", db, "--format", "json",
            ],
            tmp,
        );
    }
    for format in ["text", "json"] {
        case_in(
            &format!("ledger_timeline_{format}"),
            &["ledger", "timeline", "--db", db, "--format", format],
            tmp,
        );
        for id in ["ru_energy_violated", "ua_support", "nope"] {
            case_in(
                &format!("ledger_sources_{id}_{format}"),
                &["ledger", "sources", id, "--db", db, "--format", format],
                tmp,
            );
        }
        case_in(
            &format!("ledger_check_{format}"),
            &[
                "ledger",
                "check",
                "--scenario",
                EXAMPLE,
                "--db",
                db,
                "--format",
                format,
            ],
            tmp,
        );
        case_in(
            &format!("ledger_verify_{format}"),
            &["ledger", "verify", "--db", db, "--format", format],
            tmp,
        );
    }
    case_in(
        "ledger_export_jsonl",
        &["ledger", "export", "--db", db],
        tmp,
    );
    case_in(
        "ledger_export_csv",
        &["ledger", "export", "--db", db, "--to", "csv"],
        tmp,
    );
    case_in(
        "ledger_status_bad_date",
        &["ledger", "status", "--at", "2025-02-30", "--db", db],
        tmp,
    );
    // A second import of the same records is refused line by line.
    case_in(
        "ledger_import_again_json",
        &["ledger", "import", LEDGER, "--db", db, "--format", "json"],
        tmp,
    );
}
