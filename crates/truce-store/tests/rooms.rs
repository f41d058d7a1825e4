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
        l.add_draft("r1", 1, "{}").unwrap();
        assert!(l.add_draft("r1", 1, "{}").is_err());
        l.add_response("r1", 1, "ukraine", "a").unwrap();
        l.add_response("r1", 1, "ukraine", "b").unwrap();
        assert_eq!(l.responses("r1", 1).unwrap().len(), 2);
        assert!(raw_sql(&db.location, "DELETE FROM room_responses").is_err());
        assert!(raw_sql(&db.location, "UPDATE room_drafts SET body = 'x'").is_err());
        assert_eq!(l.publish_draft("r1", 1).unwrap(), 1);
        assert!(l.drafts("r1").unwrap()[0].published);
    }
}
