//! Rooms in each database: tokens by hash and revoked, positions and
//! answers append-only, drafts numbered once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use truce_room::Role;
use truce_store::batch::RoomOp;
use truce_store::rooms::token_hash;
use truce_store::testing::scratch_ledgers;
use truce_store::{Ledger, Location};

fn raw_sql(location: &Location, sql: &str) -> Result<(), String> {
    match location {
        Location::File(path) => rusqlite::Connection::open(path)
            .and_then(|c| c.execute_batch(sql))
            .map_err(|e| e.to_string()),
        Location::Postgres(url) => postgres::Client::connect(url, postgres::NoTls)
            .and_then(|mut c| c.batch_execute(sql))
            .map_err(|e| e.to_string()),
    }
}

#[test]
fn rooms_keep_tokens_positions_drafts_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    for db in scratch_ledgers(dir.path(), "rooms").unwrap() {
        let mut l = Ledger::open(&db.location).unwrap();
        let ua = Role::Party("ukraine".into());
        l.create_room(
            "r1",
            "[scenario]\nname = \"x\"\n",
            Some("2025-04-25"),
            &[
                (token_hash("m-secret"), Role::Mediator),
                (token_hash("ua-1"), ua.clone()),
            ],
        )
        .unwrap();
        assert!(
            l.create_room("r1", "", None, &[]).is_err(),
            "ids are unique"
        );
        assert_eq!(
            l.token(&token_hash("ua-1")).unwrap(),
            Some(("r1".into(), ua.clone()))
        );
        assert_eq!(l.token(&token_hash("nope")).unwrap(), None);
        // A new invitation revokes the old token.
        l.revoke_tokens("r1", &ua).unwrap();
        l.add_token("r1", &token_hash("ua-2"), &ua).unwrap();
        assert_eq!(l.token(&token_hash("ua-1")).unwrap(), None);
        assert!(l.token(&token_hash("ua-2")).unwrap().is_some());
        assert_eq!(
            l.room("r1").unwrap().unwrap().closes.as_deref(),
            Some("2025-04-25")
        );
        assert!(l.room("r2").unwrap().is_none());
        // Positions: every version kept, none changed.
        l.add_positions("r1", "ukraine", "entered", "toml", "v1")
            .unwrap();
        l.add_positions("r1", "ukraine", "entered", "toml", "v2")
            .unwrap();
        l.add_positions("r1", "russia", "estimate", "toml", "e1")
            .unwrap();
        let p = l.positions("r1").unwrap();
        assert_eq!(
            p.iter().map(|x| x.body.as_str()).collect::<Vec<_>>(),
            ["v1", "v2", "e1"]
        );
        assert!(raw_sql(&db.location, "UPDATE room_positions SET body = 'x'").is_err());
        assert!(
            raw_sql(&db.location, "DELETE FROM room_responses").is_ok(),
            "nothing to delete yet"
        );
        // Drafts are numbered once; answers append.
        let first = l.apply_batch(vec![draft("r1", 1), draft("r1", 1)]);
        assert!(first[0].is_ok() && first[1].is_err(), "{first:?}");
        let answers = l.apply_batch(vec![
            answer("r1", 1, "ukraine", "a"),
            answer("r1", 1, "ukraine", "b"),
        ]);
        assert!(answers.iter().all(Result::is_ok), "{answers:?}");
        assert_eq!(l.responses("r1", 1).unwrap().len(), 2);
        assert!(raw_sql(&db.location, "DELETE FROM room_responses").is_err());
        assert!(raw_sql(&db.location, "UPDATE room_drafts SET body = 'x'").is_err());
        let published = l.apply_batch(vec![RoomOp::Publish {
            room: "r1".into(),
            draft: 1,
            records: Vec::new(),
        }]);
        assert!(published[0].is_ok());
        assert!(l.drafts("r1").unwrap()[0].published);
    }
}

/// A draft with no ledger records.
fn draft(room: &str, number: i64) -> RoomOp {
    RoomOp::Draft {
        room: room.into(),
        number,
        body: "{}".into(),
        records: Vec::new(),
    }
}

/// An answer whose ledger record is numbered by the party's earlier
/// answers, as the server's are.
fn answer(room: &str, draft: i64, party: &str, body: &str) -> RoomOp {
    let (room, party) = (room.to_string(), party.to_string());
    let (r, p) = (room.clone(), party.clone());
    RoomOp::Response {
        room,
        draft,
        party,
        body: body.into(),
        records: Box::new(move |earlier| {
            let line = format!(
                r#"{{"type":"event","id":"{r}.draft-{draft}.{p}.{}","kind":"statement","date":"2025-04-20","parties":["{p}"],"summary":"answer","reports":[],"basis":"a test"}}"#,
                earlier + 1
            );
            truce_ledger::read_jsonl(&line).unwrap()
        }),
    }
}

/// Two writers on one database (two servers of a team): each numbers an
/// answer after every answer the other wrote, and the chain stays whole,
/// whatever each one remembers of the answers it wrote itself.
#[test]
fn two_writers_number_answers_after_each_other() {
    let dir = tempfile::tempdir().unwrap();
    for db in scratch_ledgers(dir.path(), "two_writers").unwrap() {
        let mut a = Ledger::open(&db.location).unwrap();
        let mut b = Ledger::open(&db.location).unwrap();
        a.create_room("r", "[scenario]\nname = \"x\"\n", None, &[])
            .unwrap();
        assert!(a.apply_batch(vec![draft("r", 1)])[0].is_ok());
        let mut expected = Vec::new();
        for (round, writer) in [0, 0, 1, 0, 1, 1, 0].into_iter().enumerate() {
            let w = if writer == 0 { &mut a } else { &mut b };
            let out = w.apply_batch(vec![
                answer("r", 1, "ukraine", &format!("u{round}")),
                answer("r", 1, "russia", &format!("r{round}")),
            ]);
            assert!(out.iter().all(Result::is_ok), "{}: {out:?}", db.backend());
            expected.push(format!("r.draft-1.ukraine.{}", round + 1));
            expected.push(format!("r.draft-1.russia.{}", round + 1));
        }
        let ids: Vec<String> = a
            .records()
            .unwrap()
            .iter()
            .map(|r| r.id().to_string())
            .collect();
        assert_eq!(ids, expected, "{}", db.backend());
        assert_eq!(a.verify().unwrap(), expected.len(), "{}", db.backend());
    }
}
