//! kill -9 of `truce serve` during a burst of answers: after a restart,
//! every answer that got a 2xx is there, and the ledger verifies. On
//! SQLite and (in CI) PostgreSQL.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use truce_store::testing::scratch_ledgers;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `truce serve` and waits until it answers.
fn serve(db: &str, port: u16) -> Child {
    let child = Command::new(assert_cmd::cargo::cargo_bin("truce"))
        .args([
            "serve",
            "--db",
            db,
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while ureq::get(&format!("http://127.0.0.1:{port}/api/v1/health"))
        .call()
        .is_err()
    {
        assert!(Instant::now() < deadline, "truce serve did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

#[test]
fn answers_acknowledged_before_a_kill_survive_it() {
    let example = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/ukraine-2025.toml");
    let dir = tempfile::tempdir().unwrap();
    for db in scratch_ledgers(dir.path(), "crash").unwrap() {
        eprintln!("-- {}", db.backend());
        let arg = db.arg();
        let out = Command::new(assert_cmd::cargo::cargo_bin("truce"))
            .args([
                "room",
                "create",
                example.to_str().unwrap(),
                "--db",
                &arg,
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let made: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let room = made["room"].as_str().unwrap().to_string();
        let port = free_port();
        let mut server = serve(&arg, port);
        let base = format!("http://127.0.0.1:{port}/api/v1/rooms/{room}");
        let mediator = made["mediator_token"].as_str().unwrap().to_string();
        ureq::post(&format!("{base}/drafts"))
            .set("Authorization", &format!("Bearer {mediator}"))
            .send_string(r#"{"plan": "paris"}"#)
            .unwrap();
        // Three parties answer as fast as they can; each counts its 2xx.
        let stop = Arc::new(AtomicBool::new(false));
        let mut workers = Vec::new();
        for party in ["ukraine", "russia", "europe"] {
            let token = made["tokens"][party].as_str().unwrap().to_string();
            let url = format!("{base}/drafts/1/responses");
            let stop = stop.clone();
            workers.push(std::thread::spawn(move || {
                let mut acknowledged = 0usize;
                while !stop.load(Ordering::Relaxed) {
                    let r = ureq::post(&url)
                        .set("Authorization", &format!("Bearer {token}"))
                        .timeout(Duration::from_secs(5))
                        .send_string(r#"{"overall": "reject"}"#);
                    match r {
                        Ok(resp) if resp.status() == 201 => acknowledged += 1,
                        Ok(_) | Err(ureq::Error::Status(..)) => {}
                        // The server is gone.
                        Err(_) => break,
                    }
                }
                (party, acknowledged)
            }));
        }
        std::thread::sleep(Duration::from_millis(700));
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        let acknowledged: BTreeMap<&str, usize> =
            workers.into_iter().map(|w| w.join().unwrap()).collect();
        assert!(
            acknowledged.values().sum::<usize>() > 0,
            "no answer got through before the kill"
        );
        // Restarted, the server has every acknowledged answer.
        let port = free_port();
        let mut server = serve(&arg, port);
        // Every answer is in the room's record in the ledger.
        let body = ureq::get(&format!(
            "http://127.0.0.1:{port}/api/v1/rooms/{room}/ledger"
        ))
        .set("Authorization", &format!("Bearer {mediator}"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
        let stored: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
        for (party, n) in &acknowledged {
            let prefix = format!("{room}.draft-1.{party}.");
            let kept = stored
                .iter()
                .filter(|r| r["id"].as_str().is_some_and(|id| id.starts_with(&prefix)))
                .count();
            assert!(kept >= *n, "{party}: {n} answers acknowledged, {kept} kept");
        }
        server.kill().unwrap();
        server.wait().unwrap();
        let verify = Command::new(assert_cmd::cargo::cargo_bin("truce"))
            .args(["ledger", "verify", "--db", &arg])
            .output()
            .unwrap();
        assert!(
            verify.status.success(),
            "{}",
            String::from_utf8_lossy(&verify.stderr)
        );
    }
}
