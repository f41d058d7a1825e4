//! Every page of the example room, served: the room (mediator, party,
//! observer) and the record, with every party's positions entered, a draft
//! issued and answered, on a loopback server. Issue 12's target: each page
//! under 50 ms. The time is the client's (request to last byte) on
//! loopback, so a little above the server's own.
//! Run: `cargo bench -p truce-server --bench pages`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// criterion_group! defines a function it does not document.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use std::time::Duration;
use truce_store::testing::scratch_ledgers;
use truce_store::Ledger;

#[path = "../tests/common/mod.rs"]
mod common;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let db = scratch_ledgers(dir.path(), "pages")
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/ukraine-2025.toml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let scenario = truce_engine::parse_scenario(&text).unwrap();
    let (room, observer) = {
        let mut ledger = Ledger::open(&db.location).unwrap();
        let room = truce_server::create_room(&mut ledger, &scenario, None).unwrap();
        let observer = truce_server::invite_observer(&mut ledger, &room.room).unwrap();
        (room, observer)
    };
    let server = common::start(&db);
    let base = server.root.clone();
    std::thread::sleep(Duration::from_millis(100));
    let api = format!("{base}/api/v1/rooms/{}", room.room);
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    for (party, token) in &room.tokens {
        agent
            .put(&format!("{api}/parties/{party}/preferences"))
            .set("Authorization", &format!("Bearer {token}"))
            .set("Content-Type", "application/toml")
            .send_string(&truce_room::blocks_of(&text, party))
            .unwrap();
    }
    agent
        .post(&format!("{api}/drafts"))
        .set("Authorization", &format!("Bearer {}", room.mediator_token))
        .send_string(r#"{"plan": "paris"}"#)
        .unwrap();
    for token in room.tokens.values() {
        agent
            .post(&format!("{api}/drafts/1/responses"))
            .set("Authorization", &format!("Bearer {token}"))
            .send_string(r#"{"provisions": {"crimea": {"answer": "reject"}}, "overall": "reject"}"#)
            .unwrap();
    }
    let session = |token: &str| -> String {
        let r = match agent
            .post(&format!("{base}/signin"))
            .send_form(&[("token", token)])
        {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{e}"),
        };
        let cookie = r.header("Set-Cookie").expect("a session cookie");
        cookie.split(';').next().unwrap().to_string()
    };
    let pages = [
        ("room_mediator", session(&room.mediator_token), "/room"),
        ("room_party", session(&room.tokens["ukraine"]), "/room"),
        ("room_observer", session(&observer), "/room"),
        ("record", session(&room.tokens["russia"]), "/room/record"),
        ("sign_in", String::new(), "/"),
    ];
    let mut group = c.benchmark_group("pages");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(4));
    for (name, cookie, path) in &pages {
        let url = format!("{base}{path}");
        // The page is what it should be before it is timed.
        let body = agent
            .get(&url)
            .set("Cookie", cookie)
            .call()
            .unwrap()
            .into_string()
            .unwrap();
        assert!(
            body.contains("<!DOCTYPE html>") && !body.contains("Sign in to a room") || *path == "/"
        );
        group.bench_function(*name, |b| {
            b.iter(|| {
                agent
                    .get(&url)
                    .set("Cookie", cookie)
                    .call()
                    .unwrap()
                    .into_string()
                    .unwrap()
                    .len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
