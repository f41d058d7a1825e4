//! Load on a running `truce serve`: CLIENTS threads, each one party (in
//! turn) reading the room, the current draft and its own answers, and
//! answering the draft every ANSWER_EVERY-th request (default 4), for
//! SECONDS, with no pause between requests. Prints the
//! count, errors and latency percentiles. bench/room-load.sh drives it
//! (creates the room, starts the server, samples its memory).
//!
//! cargo run --release -p truce-server --example room_load -- BASE ROOM.json CLIENTS SECONDS [ANSWER_EVERY]

// A benchmark driver reports on the terminal and stops on a broken setup.
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (base, room_file, clients, seconds, every) = match &args[..] {
        [_, b, r, c, s] => (b, r, c, s, 4usize),
        [_, b, r, c, s, e] => (b, r, c, s, e.parse().unwrap()),
        _ => panic!("usage: room_load BASE ROOM.json CLIENTS SECONDS [ANSWER_EVERY]"),
    };
    let room: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(room_file).unwrap()).unwrap();
    let id = room["room"].as_str().unwrap().to_string();
    let tokens: Vec<(String, String)> = room["tokens"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(p, t)| (p.clone(), t.as_str().unwrap().to_string()))
        .collect();
    let clients: usize = clients.parse().unwrap();
    let duration = Duration::from_secs(seconds.parse().unwrap());
    let r = format!("{base}/api/v1/rooms/{id}");
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(10))
        .max_idle_connections_per_host(clients)
        .build();
    let start = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let (_, token) = tokens[c % tokens.len()].clone();
            let r = r.clone();
            let agent = agent.clone();
            std::thread::spawn(move || {
                let auth = format!("Bearer {token}");
                let mut latencies: Vec<(usize, Duration)> = Vec::new();
                let mut errors = 0usize;
                let mut k = 0usize;
                while start.elapsed() < duration {
                    let t = Instant::now();
                    // Every `every`-th request answers; the others read in turn.
                    let kind = if k % every == every - 1 { 3 } else { k % every % 3 };
                    let result = match kind {
                        0 => agent.get(&r).set("Authorization", &auth).call(),
                        1 => agent.get(&format!("{r}/drafts/1")).set("Authorization", &auth).call(),
                        2 => agent
                            .get(&format!("{r}/drafts/1/responses"))
                            .set("Authorization", &auth)
                            .call(),
                        _ => agent
                            .post(&format!("{r}/drafts/1/responses"))
                            .set("Authorization", &auth)
                            .send_string(r#"{"provisions": {"sanctions": {"answer": "reject", "note": "load"}}, "overall": "reject"}"#),
                    };
                    match result {
                        Ok(resp) => {
                            let _ = resp.into_string();
                            latencies.push((kind, t.elapsed()));
                        }
                        Err(_) => errors += 1,
                    }
                    k += 1;
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut typed = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.join().unwrap();
        typed.extend(l);
        errors += e;
    }
    let names = ["room", "draft", "own answers", "answer"];
    for (kind, name) in names.iter().enumerate() {
        let mut these: Vec<Duration> = typed
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, d)| *d)
            .collect();
        these.sort();
        let at = |p: f64| {
            these
                .get(((these.len() as f64 * p) as usize).min(these.len().saturating_sub(1)))
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        println!(
            "  {name:<12} {:>8} requests  p50 {:.2} ms  p99 {:.2} ms",
            these.len(),
            at(0.5),
            at(0.99)
        );
    }
    let mut all: Vec<Duration> = typed.into_iter().map(|(_, d)| d).collect();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "requests {} errors {} rate {:.0}/s p50 {:.2} ms p99 {:.2} ms max {:.2} ms",
        all.len(),
        errors,
        all.len() as f64 / duration.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        all.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    );
}
