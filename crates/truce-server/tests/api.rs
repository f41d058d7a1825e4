//! The room's API against a server on a free loopback port, on SQLite and
//! (when TRUCE_TEST_POSTGRES is set, as in CI) PostgreSQL: the tour a
//! mediator and two parties take, and confidentiality: every endpoint,
//! every role, every other party's ids.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use serde_json::Value;
use std::collections::BTreeMap;
mod common;

use common::start;
use truce_store::testing::{scratch_ledgers, Scratch};
use truce_store::Ledger;

/// (status, body) of a request; `token` as a bearer token.
fn call(method: &str, url: &str, token: Option<&str>, body: Option<(&str, &str)>) -> (u16, String) {
    let mut req = ureq::request(method, url);
    if let Some(t) = token {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    let result = match body {
        Some((content_type, text)) => req.set("Content-Type", content_type).send_string(text),
        None => req.call(),
    };
    match result {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap()),
        Err(e) => panic!("{method} {url}: {e}"),
    }
}

fn example_text() -> String {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/ukraine-2025.toml");
    std::fs::read_to_string(path).unwrap()
}

/// A party's own blocks of the example, with a marker no one else may
/// ever see.
fn positions_of(party: &str, marker: &str) -> String {
    truce_room::blocks_of(&example_text(), party)
        .replacen(
            &format!("party = \"{party}\"\n"),
            &format!("party = \"{party}\"\n# {marker}\n"),
            1,
        )
        .replace(
            "basis = \"assumption",
            &format!("basis = \"{marker} assumption"),
        )
}

struct Room {
    id: String,
    mediator: String,
    tokens: BTreeMap<String, String>,
}

fn room_in(db: &Scratch) -> Room {
    let scenario = truce_engine::parse_scenario(&example_text()).unwrap();
    let mut ledger = Ledger::open(&db.location).unwrap();
    let made = truce_server::create_room(&mut ledger, &scenario, None).unwrap();
    Room {
        id: made.room,
        mediator: made.mediator_token,
        tokens: made.tokens,
    }
}

#[test]
fn a_mediator_and_two_parties_take_the_tour() {
    let dir = tempfile::tempdir().unwrap();
    for db in scratch_ledgers(dir.path(), "tour").unwrap() {
        eprintln!("-- {}", db.backend());
        let room = room_in(&db);
        let server = start(&db);
        let r = format!("{}/rooms/{}", server.base, room.id);
        let (ua, ru) = (&room.tokens["ukraine"], &room.tokens["russia"]);
        // The public part, for everyone in the room; nothing without a token.
        let (status, body) = call("GET", &r, Some(ua), None);
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["issues"][0]["id"], "ceasefire_scope");
        assert!(!body.contains("reservation") && !body.contains("red_line"));
        assert_eq!(call("GET", &r, None, None).0, 401);
        assert_eq!(call("GET", &r, Some("truce_nope"), None).0, 401);
        // Each party enters its own positions; located errors come back.
        for (party, token) in [("ukraine", ua), ("russia", ru)] {
            let text = positions_of(party, &format!("MARK-{party}"));
            let url = format!("{r}/parties/{party}/preferences");
            let (status, body) = call("PUT", &url, Some(token), Some(("application/toml", &text)));
            assert_eq!(status, 200, "{body}");
        }
        let broken =
            positions_of("ukraine", "m").replace("issue = \"crimea\"", "issue = \"krimea\"");
        let (status, body) = call(
            "PUT",
            &format!("{r}/parties/ukraine/preferences"),
            Some(ua),
            Some(("application/toml", &broken)),
        );
        assert_eq!(status, 422, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert!(v["problems"][0]["line"].as_u64().is_some(), "{body}");
        // A second version is kept beside the first.
        let again = positions_of("ukraine", "MARK-ukraine");
        call(
            "PUT",
            &format!("{r}/parties/ukraine/preferences"),
            Some(ua),
            Some(("application/toml", &again)),
        );
        let (_, body) = call(
            "GET",
            &format!("{r}/parties/ukraine/preferences"),
            Some(ua),
            None,
        );
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["versions"].as_array().unwrap().len(), 2);
        // The mediator issues a draft from the Paris plan; parties answer.
        let (status, body) = call(
            "POST",
            &format!("{r}/drafts"),
            Some(&room.mediator),
            Some((
                "application/json",
                r#"{"plan": "paris", "provisions": {"monitoring": "international"}}"#,
            )),
        );
        assert_eq!(status, 201, "{body}");
        assert_eq!(
            call(
                "POST",
                &format!("{r}/drafts"),
                Some(ua),
                Some(("application/json", "{}"))
            )
            .0,
            404
        );
        let (status, body) = call(
            "POST",
            &format!("{r}/drafts/1/responses"),
            Some(ua),
            Some((
                "application/json",
                r#"{"provisions": {"crimea": {"answer": "caveat", "option": "not_recognised", "note": "a red line"}}, "overall": "accept_with_caveats"}"#,
            )),
        );
        assert_eq!(status, 201, "{body}");
        let (status, _) = call(
            "POST",
            &format!("{r}/drafts/1/responses"),
            Some(ru),
            Some(("application/json", r#"{"overall": "accept"}"#)),
        );
        assert_eq!(status, 201);
        let (status, body) = call(
            "POST",
            &format!("{r}/drafts/1/responses"),
            Some(ru),
            Some(("application/json", r#"{"overall": "maybe"}"#)),
        );
        assert_eq!(status, 422);
        assert!(body.contains("overall"), "{body}");
        // The mediator reads the board; a party cannot until it is published.
        let (status, body) = call(
            "GET",
            &format!("{r}/drafts/1/board"),
            Some(&room.mediator),
            None,
        );
        assert_eq!(status, 200);
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["answers"]["ukraine"]["overall"], "accept_with_caveats");
        assert_eq!(v["waiting_for"][0], "europe");
        assert_eq!(
            call("GET", &format!("{r}/drafts/1/board"), Some(ru), None).0,
            404
        );
        let (_, body) = call("GET", &format!("{r}/drafts/1/responses"), Some(ru), None);
        assert!(!body.contains("\"ukraine\""), "{body}");
        call(
            "POST",
            &format!("{r}/drafts/1/publish"),
            Some(&room.mediator),
            None,
        );
        assert_eq!(
            call("GET", &format!("{r}/drafts/1/board"), Some(ru), None).0,
            200
        );
        // The mediator's analysis: entered positions for two parties, none
        // for Europe and the US; the draft as a plan.
        let (status, body) = call("GET", &format!("{r}/analysis"), Some(&room.mediator), None);
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["positions"]["ukraine"], "entered");
        assert_eq!(v["positions"]["europe"], "missing");
        assert!(body.contains("draft-1"), "{body}");
        assert!(v["improvements"]["1"].is_array(), "{body}");
        // A party's: its own standing on the draft and its own best packages.
        let (status, body) = call("GET", &format!("{r}/analysis"), Some(ua), None);
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["party"], "ukraine");
        assert_eq!(v["drafts"][0]["draft"], 1);
        assert_eq!(v["best_packages"].as_array().unwrap().len(), 5);
        // The walk-away deadline closes the room to new drafts until the
        // mediator moves it; only the mediator can.
        let past = ("application/json", r#"{"closes": "2020-01-01"}"#);
        assert_eq!(
            call("PUT", &format!("{r}/closes"), Some(ua), Some(past)).0,
            404
        );
        assert_eq!(
            call(
                "PUT",
                &format!("{r}/closes"),
                Some(&room.mediator),
                Some(past)
            )
            .0,
            200
        );
        let (status, body) = call(
            "POST",
            &format!("{r}/drafts"),
            Some(&room.mediator),
            Some(("application/json", r#"{"plan": "paris"}"#)),
        );
        assert_eq!(status, 409, "{body}");
        let open = ("application/json", r#"{"closes": null}"#);
        assert_eq!(
            call(
                "PUT",
                &format!("{r}/closes"),
                Some(&room.mediator),
                Some(open)
            )
            .0,
            200
        );
        // The room's record: the draft and each answer, for the mediator.
        let (status, body) = call("GET", &format!("{r}/ledger"), Some(&room.mediator), None);
        assert_eq!(status, 200, "{body}");
        let records: Vec<Value> = serde_json::from_str(&body).unwrap();
        let ids: Vec<&str> = records.iter().map(|x| x["id"].as_str().unwrap()).collect();
        assert!(
            ids.contains(&format!("{}.draft-1", room.id).as_str()),
            "{ids:?}"
        );
        assert!(
            ids.contains(&format!("{}.draft-1.ukraine.1", room.id).as_str()),
            "{ids:?}"
        );
        assert!(
            ids.contains(&format!("{}.draft-1.board", room.id).as_str()),
            "{ids:?}"
        );
        assert_eq!(call("GET", &format!("{r}/ledger"), Some(ua), None).0, 404);
        // A best and final offer every party accepts becomes their
        // commitment in the ledger.
        let (status, body) = call(
            "POST",
            &format!("{r}/drafts"),
            Some(&room.mediator),
            Some((
                "application/json",
                r#"{"plan": "paris", "provisions": {"crimea": "not_recognised", "occupied_territory": "not_recognised"}, "best_and_final": true}"#,
            )),
        );
        assert_eq!(status, 201, "{body}");
        for party in ["ukraine", "russia", "europe"] {
            let (status, body) = call(
                "POST",
                &format!("{r}/drafts/2/responses"),
                Some(&room.tokens[party]),
                Some(("application/json", r#"{"overall": "accept"}"#)),
            );
            assert_eq!(status, 201, "{body}");
        }
        let (_, body) = call("GET", &format!("{r}/ledger"), Some(&room.mediator), None);
        let records: Vec<truce_ledger::Record> = serde_json::from_str(&body).unwrap();
        let text = records
            .iter()
            .find(|x| x.id() == format!("{}.text-2", room.id))
            .expect("the accepted text is a commitment");
        assert_eq!(text.kind(), truce_ledger::RecordKind::Commitment);
        assert!(records
            .iter()
            .any(|x| x.id() == format!("{}.agreement-2", room.id)));
        // The database's own chain holds it all.
        let mut ledger = Ledger::open(&db.location).unwrap();
        assert_eq!(ledger.verify().unwrap(), ledger.records().unwrap().len());
        // Europe has entered nothing: it is told so.
        assert_eq!(
            call(
                "GET",
                &format!("{r}/analysis"),
                Some(&room.tokens["europe"]),
                None
            )
            .0,
            409
        );
    }
}

#[test]
fn no_party_sees_what_is_not_its_own() {
    let dir = tempfile::tempdir().unwrap();
    for db in scratch_ledgers(dir.path(), "secret").unwrap() {
        eprintln!("-- {}", db.backend());
        let room = room_in(&db);
        let other_room = room_in(&db);
        let server = start(&db);
        let r = format!("{}/rooms/{}", server.base, room.id);
        for party in ["ukraine", "russia", "europe"] {
            let text = positions_of(party, &format!("MARK-{party}"));
            let (status, body) = call(
                "PUT",
                &format!("{r}/parties/{party}/preferences"),
                Some(&room.tokens[party]),
                Some(("application/toml", &text)),
            );
            assert_eq!(status, 200, "{party}: {body}");
        }
        call(
            "PUT",
            &format!("{r}/parties/russia/estimates"),
            Some(&room.mediator),
            Some(("application/toml", &positions_of("russia", "MARK-estimate"))),
        );
        call(
            "POST",
            &format!("{r}/drafts"),
            Some(&room.mediator),
            Some(("application/json", r#"{"plan": "paris"}"#)),
        );
        call(
            "POST",
            &format!("{r}/drafts/1/responses"),
            Some(&room.tokens["russia"]),
            Some((
                "application/json",
                r#"{"provisions": {"sanctions": {"answer": "caveat", "option": "lifted", "note": "MARK-answer-russia"}}, "overall": "accept_with_caveats"}"#,
            )),
        );
        let not_found = call(
            "GET",
            &format!("{r}/no/such/thing"),
            Some(&room.mediator),
            None,
        );
        assert_eq!(not_found.0, 404);
        let parties = ["ukraine", "russia", "europe", "us", "nobody"];
        // Every read endpoint, with every party's id and ids that do not exist.
        let mut urls: Vec<String> = vec![
            r.clone(),
            format!("{r}/drafts"),
            format!("{r}/drafts/1"),
            format!("{r}/drafts/1/responses"),
            format!("{r}/drafts/1/board"),
            format!("{r}/drafts/9"),
            format!("{r}/drafts/9/board"),
            format!("{r}/analysis"),
        ];
        for p in parties {
            urls.push(format!("{r}/parties/{p}/preferences"));
            urls.push(format!("{r}/parties/{p}/estimates"));
        }
        // The other room's urls, with this room's tokens.
        let other = format!("{}/rooms/{}", server.base, other_room.id);
        urls.push(other.clone());
        urls.push(format!("{other}/parties/ukraine/preferences"));
        // An observer reads the public part and published boards only.
        let observer = {
            let mut l = Ledger::open(&db.location).unwrap();
            truce_server::invite_observer(&mut l, &room.id).unwrap()
        };
        let mut holders: Vec<(String, String)> = room
            .tokens
            .iter()
            .map(|(p, t)| (p.clone(), t.clone()))
            .collect();
        holders.push(("observer".into(), observer));
        for (me, token) in &holders {
            let me = me.as_str();
            for url in &urls {
                let (status, body) = call("GET", url, Some(token), None);
                for other_party in parties.iter().filter(|p| **p != me) {
                    assert!(
                        !body.contains(&format!("MARK-{other_party}")),
                        "{me} read {other_party}'s positions at {url}"
                    );
                }
                assert!(
                    !body.contains("MARK-estimate"),
                    "{me} read an estimate at {url}"
                );
                if me != "russia" {
                    assert!(
                        !body.contains("MARK-answer-russia"),
                        "{me} read russia's answer at {url}"
                    );
                }
                if status == 404 {
                    assert_eq!(
                        (status, body.clone()),
                        not_found,
                        "a refusal must look like a missing thing"
                    );
                }
            }
            // Writing another's positions or estimates, or running the text.
            for p in parties.iter().filter(|p| **p != me) {
                let (status, body) = call(
                    "PUT",
                    &format!("{r}/parties/{p}/preferences"),
                    Some(token),
                    Some(("application/toml", &positions_of(p, "x"))),
                );
                assert_eq!(
                    (status, body),
                    not_found.clone(),
                    "{me} wrote {p}'s positions"
                );
            }
            for (method, url) in [
                ("PUT", format!("{r}/parties/{me}/estimates")),
                ("POST", format!("{r}/drafts")),
                ("POST", format!("{r}/drafts/1/publish")),
            ] {
                let (status, body) =
                    call(method, &url, Some(token), Some(("application/json", "{}")));
                assert_eq!((status, body), not_found.clone(), "{me}: {method} {url}");
            }
        }
        // The mediator sees positions and estimates; the marker is there.
        let (_, body) = call(
            "GET",
            &format!("{r}/parties/russia/estimates"),
            Some(&room.mediator),
            None,
        );
        assert!(body.contains("MARK-estimate"));
    }
}

/// The OpenAPI document names every contract path with its methods, and
/// every schema it refers to.
#[test]
fn the_openapi_document_describes_the_contract_paths() {
    let doc = serde_json::to_value(truce_server::api::openapi()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/rooms/{room}", "get"),
        ("/api/v1/rooms/{room}/parties/{party}/preferences", "put"),
        ("/api/v1/rooms/{room}/parties/{party}/preferences", "get"),
        ("/api/v1/rooms/{room}/drafts", "post"),
        ("/api/v1/rooms/{room}/drafts/{n}", "get"),
        ("/api/v1/rooms/{room}/drafts/{n}/responses", "post"),
        ("/api/v1/rooms/{room}/analysis", "get"),
        ("/api/v1/rooms/{room}/ledger", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path}"
        );
    }
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in text
        .split("\"#/components/schemas/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
    {
        assert!(
            schemas.contains_key(name),
            "{name} is referred to but not defined"
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    // And the server serves it, without a token.
    let dir = tempfile::tempdir().unwrap();
    let db = scratch_ledgers(dir.path(), "doc").unwrap().remove(0);
    let server = start(&db);
    let (status, body) = call("GET", &format!("{}/openapi.json", server.base), None, None);
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), doc);
}
