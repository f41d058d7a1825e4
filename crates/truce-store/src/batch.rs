//! Group commit for the room: the writes waiting at one moment go in one
//! transaction under the ledger's write lock, each in a savepoint of its
//! own (one that fails is undone alone), and one commit (one fsync)
//! makes them all durable. Each write is acknowledged only after that
//! commit, so a 2xx still means the answer is on disk.

use crate::rooms::now;
use crate::{each_chained, Db, Ledger, StoreError, GENESIS};
use rusqlite::OptionalExtension;
use truce_ledger::Record;

/// Makes a write's ledger records once its place is known: given how many
/// answers the party had already given to the draft.
pub type RecordsAfter = Box<dyn Fn(i64) -> Vec<Record> + Send>;

/// One write of a room.
pub enum RoomOp {
    /// A draft and its records.
    Draft {
        /// The room.
        room: String,
        /// Its number.
        number: i64,
        /// The draft as JSON.
        body: String,
        /// Its ledger records.
        records: Vec<Record>,
    },
    /// An answer; its records are made once the number of the party's
    /// earlier answers to the draft is known (inside the transaction).
    Response {
        /// The room.
        room: String,
        /// The draft.
        draft: i64,
        /// The party.
        party: String,
        /// The answer as JSON.
        body: String,
        /// Its ledger records, given the party's earlier answers.
        records: RecordsAfter,
    },
    /// A board made public.
    Publish {
        /// The room.
        room: String,
        /// The draft.
        draft: i64,
        /// Its ledger records.
        records: Vec<Record>,
    },
    /// The closing day moved.
    Closes {
        /// The room.
        room: String,
        /// The new day, or none.
        day: Option<String>,
        /// Its ledger records.
        records: Vec<Record>,
    },
    /// A version of positions (not in the ledger: they are confidential).
    Positions {
        /// The room.
        room: String,
        /// The party.
        party: String,
        /// `entered` or `estimate`.
        kind: String,
        /// `toml` or `json`.
        format: String,
        /// The text.
        body: String,
    },
    /// Records alone (an agreement found complete after its last answer).
    Records(Vec<Record>),
}

fn taken(id: &str) -> StoreError {
    StoreError::Rejected(vec![truce_engine::Diagnostic::new(
        truce_engine::ErrorKind::Invalid,
        format!("id `{id}` is already used in the ledger"),
    )])
}

impl Ledger {
    /// Applies `ops` in one transaction, each in its own savepoint; returns
    /// each one's outcome. When the commit fails, every op fails.
    pub fn apply_batch(&mut self, ops: Vec<RoomOp>) -> Vec<Result<(), StoreError>> {
        let n = ops.len();
        let all_fail = |e: &StoreError| {
            (0..n)
                .map(|_| Err(StoreError::Write(e.to_string())))
                .collect()
        };
        let Ledger {
            db,
            statements,
            answer_counts,
        } = self;
        match db {
            Db::Sqlite(conn) => match sqlite_batch(conn, answer_counts, ops) {
                Ok(results) => results,
                Err(e) => all_fail(&e),
            },
            Db::Postgres(client) => match postgres_batch(client, statements, answer_counts, ops) {
                Ok(results) => results,
                Err(e) => all_fail(&e),
            },
        }
    }
}

fn sqlite_batch(
    conn: &mut rusqlite::Connection,
    known: &mut AnswerCounts,
    ops: Vec<RoomOp>,
) -> Result<Vec<Result<(), StoreError>>, StoreError> {
    let mut tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut prev: String = tx
        .query_row(
            "SELECT hash FROM entries ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let mut counts = known.begin(&prev);
    let created = now();
    let mut results = Vec::new();
    for op in &ops {
        let mut outcome = sqlite_op(&mut tx, op, &mut counts, &mut prev, &created, true);
        if matches!(outcome, Err(StoreError::Rejected(_))) && matches!(op, RoomOp::Response { .. })
        {
            // A count the writer knew may be out of date: once more, read.
            outcome = sqlite_op(&mut tx, op, &mut counts, &mut prev, &created, false);
        }
        results.push(outcome);
    }
    tx.commit()?;
    known.commit(counts, prev);
    Ok(results)
}

/// Runs one op in a savepoint of its own (undone alone if it fails),
/// chaining its records after `prev`; an answer's earlier count comes from
/// `counts` when `trust_counts` and it is there.
fn sqlite_op(
    tx: &mut rusqlite::Transaction<'_>,
    op: &RoomOp,
    counts: &mut Counts,
    prev: &mut String,
    created: &str,
    trust_counts: bool,
) -> Result<(), StoreError> {
    let sp = tx.savepoint()?;
    let mut answered = None;
    let records = match op {
        RoomOp::Draft {
            room,
            number,
            body,
            records,
        } => {
            sp.execute(
                "INSERT INTO room_drafts (room, number, body, published, created) VALUES (?1, ?2, ?3, 0, ?4)",
                rusqlite::params![room, number, body, created],
            )?;
            records.clone()
        }
        RoomOp::Response {
            room,
            draft,
            party,
            body,
            records,
        } => {
            let key = (room.clone(), *draft, party.clone());
            let earlier: i64 = match counts.get(&key) {
                Some(n) if trust_counts => *n,
                _ => sp.query_row(
                    "SELECT COUNT(*) FROM room_responses WHERE room = ?1 AND draft = ?2 AND party = ?3",
                    rusqlite::params![room, draft, party],
                    |r| r.get(0),
                )?,
            };
            sp.execute(
                "INSERT INTO room_responses (room, draft, party, body, created) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![room, draft, party, body, created],
            )?;
            answered = Some((key, earlier + 1));
            records(earlier)
        }
        RoomOp::Publish {
            room,
            draft,
            records,
        } => {
            sp.execute(
                "UPDATE room_drafts SET published = 1 WHERE room = ?1 AND number = ?2",
                rusqlite::params![room, draft],
            )?;
            records.clone()
        }
        RoomOp::Closes { room, day, records } => {
            sp.execute(
                "UPDATE rooms SET closes = ?1 WHERE id = ?2",
                rusqlite::params![day, room],
            )?;
            records.clone()
        }
        RoomOp::Positions {
            room,
            party,
            kind,
            format,
            body,
        } => {
            sp.execute(
                "INSERT INTO room_positions (room, party, kind, format, body, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![room, party, kind, format, body, created],
            )?;
            Vec::new()
        }
        RoomOp::Records(records) => records.clone(),
    };
    for r in &records {
        let found: Option<i64> = sp
            .query_row("SELECT seq FROM entries WHERE id = ?1", [r.id()], |row| {
                row.get(0)
            })
            .optional()?;
        if found.is_some() {
            // Dropping the savepoint rolls this op back alone.
            return Err(taken(r.id()));
        }
    }
    let mut head = prev.clone();
    {
        let mut insert = sp.prepare_cached(
            "INSERT INTO entries (id, kind, body, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        each_chained(&records, head.clone(), |e| {
            insert.execute(rusqlite::params![e.id, e.kind, e.body, e.prev, e.hash])?;
            head = e.hash.to_string();
            Ok(())
        })?;
    }
    sp.commit()?;
    *prev = head;
    if let Some((key, n)) = answered {
        counts.insert(key, n);
    }
    Ok(())
}

/// The statements a batch runs on PostgreSQL, prepared once per
/// connection.
const PG_COUNT_AND_ANSWER: &str = "WITH earlier AS (SELECT COUNT(*) AS n FROM room_responses WHERE room = $1 AND draft = $2 AND party = $3) \
     INSERT INTO room_responses (room, draft, party, body, created) VALUES ($1, $2, $3, $4, $5) RETURNING (SELECT n FROM earlier)";
const PG_DRAFT: &str =
    "INSERT INTO room_drafts (room, number, body, published, created) VALUES ($1, $2, $3, 0, $4)";
const PG_PUBLISH: &str = "UPDATE room_drafts SET published = 1 WHERE room = $1 AND number = $2";
const PG_CLOSES: &str = "UPDATE rooms SET closes = $1 WHERE id = $2";
const PG_POSITIONS: &str = "INSERT INTO room_positions (room, party, kind, format, body, created) VALUES ($1, $2, $3, $4, $5, $6)";
const PG_ENTRY: &str =
    "INSERT INTO entries (id, kind, body, prev_hash, hash) VALUES ($1, $2, $3, $4, $5)";

/// The statements a batch needs, prepared.
struct PgStatements {
    answer: postgres::Statement,
    draft: postgres::Statement,
    publish: postgres::Statement,
    closes: postgres::Statement,
    positions: postgres::Statement,
    entry: postgres::Statement,
    counts: postgres::Statement,
    answers_and_entries: postgres::Statement,
}

/// Writes the room's row of any op but an answer (whose row goes its own
/// way in a batch) and gives its ledger records.
fn pg_row(
    tx: &mut impl postgres::GenericClient,
    st: &PgStatements,
    op: &RoomOp,
    created: &str,
) -> Result<Vec<Record>, StoreError> {
    Ok(match op {
        RoomOp::Draft {
            room,
            number,
            body,
            records,
        } => {
            tx.execute(&st.draft, &[room, number, body, &created])?;
            records.clone()
        }
        RoomOp::Publish {
            room,
            draft,
            records,
        } => {
            tx.execute(&st.publish, &[room, draft])?;
            records.clone()
        }
        RoomOp::Closes { room, day, records } => {
            tx.execute(&st.closes, &[day, room])?;
            records.clone()
        }
        RoomOp::Positions {
            room,
            party,
            kind,
            format,
            body,
        } => {
            tx.execute(&st.positions, &[room, party, kind, format, body, &created])?;
            Vec::new()
        }
        RoomOp::Records(records) => records.clone(),
        RoomOp::Response { .. } => {
            return Err(StoreError::Write(
                "an answer is written with its batch".into(),
            ))
        }
    })
}

/// Runs one op inside `tx`, chaining its records after `prev`.
fn pg_op(
    tx: &mut postgres::Transaction<'_>,
    st: &PgStatements,
    op: &RoomOp,
    prev: &mut String,
    created: &str,
) -> Result<(), StoreError> {
    let records = match op {
        RoomOp::Response {
            room,
            draft,
            party,
            body,
            records,
        } => {
            let earlier: i64 = tx
                .query_one(&st.answer, &[room, draft, party, body, &created])?
                .try_get(0)?;
            records(earlier)
        }
        other => pg_row(tx, st, other, created)?,
    };
    let mut rows: Vec<[String; 5]> = Vec::new();
    each_chained(&records, prev.clone(), |e| {
        rows.push([
            e.id.into(),
            e.kind.into(),
            e.body.into(),
            e.prev.into(),
            e.hash.into(),
        ]);
        Ok(())
    })?;
    for [id, kind, body, p, hash] in &rows {
        // A record whose id is taken fails on the unique index.
        tx.execute(&st.entry, &[id, kind, body, p, hash])
            .map_err(|e| {
                if e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION) {
                    taken(id)
                } else {
                    StoreError::from(e)
                }
            })?;
        *prev = hash.clone();
    }
    Ok(())
}

/// What the writer knows of the answers it wrote: how many each (room,
/// draft, party) has, true while the ledger's chain still ends where the
/// writer's last commit left it (an answer always writes its ledger entry
/// in the same transaction, so then nobody else has answered since). It
/// saves the batch a round trip; a count that were stale anyway would
/// give an entry id already taken, and the batch would go op by op.
#[derive(Default)]
pub(crate) struct AnswerCounts {
    head: Option<String>,
    counts: Counts,
}

/// Beyond this many (room, draft, party) counts the writer forgets them
/// and reads them again.
const MAX_KNOWN_COUNTS: usize = 100_000;

/// Answer counts by (room, draft, party).
type Counts = std::collections::HashMap<(String, i64, String), i64>;

impl AnswerCounts {
    /// The counts a batch may trust, given where the chain ends now (none
    /// if it moved since the writer's last commit); until the batch
    /// commits, the writer knows nothing.
    fn begin(&mut self, chain_end: &str) -> Counts {
        let trusted = self.head.as_deref() == Some(chain_end);
        self.head = None;
        let counts = std::mem::take(&mut self.counts);
        if trusted && counts.len() <= MAX_KNOWN_COUNTS {
            counts
        } else {
            Counts::new()
        }
    }

    /// What a committed batch leaves: its counts and the chain's new end.
    fn commit(&mut self, counts: Counts, chain_end: String) {
        self.counts = counts;
        self.head = Some(chain_end);
    }
}

/// How many answers each (room, draft, party) already has.
const PG_COUNTS: &str = "SELECT r.room, r.draft, r.party, COUNT(*) FROM room_responses r \
     JOIN UNNEST($1::text[], $2::int8[], $3::text[]) AS k(room, draft, party) \
     ON r.room = k.room AND r.draft = k.draft AND r.party = k.party \
     GROUP BY r.room, r.draft, r.party";
/// Every answer and every ledger entry of a batch in one statement (in
/// order, so the chain is stored as made).
const PG_ANSWERS_AND_ENTRIES: &str = "WITH answers AS (\
     INSERT INTO room_responses (room, draft, party, body, created) \
     SELECT room, draft, party, body, created FROM \
     UNNEST($1::text[], $2::int8[], $3::text[], $4::text[], $5::text[]) \
     WITH ORDINALITY AS t(room, draft, party, body, created, i) ORDER BY i) \
     INSERT INTO entries (id, kind, body, prev_hash, hash) \
     SELECT id, kind, body, prev_hash, hash FROM \
     UNNEST($6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) \
     WITH ORDINALITY AS t(id, kind, body, prev_hash, hash, i) ORDER BY i";
/// Opens the batch's transaction, takes the ledger's write lock and reads
/// where the chain ends, in one round trip.
const PG_BEGIN_LOCKED: &str = "BEGIN; LOCK TABLE entries IN SHARE ROW EXCLUSIVE MODE; \
     SELECT hash FROM entries ORDER BY seq DESC LIMIT 1";

/// The whole batch in three round trips whatever its size (each one waits
/// for the database to be scheduled, which under load costs more than the
/// work): begin with the lock and the chain's end; every answer and entry
/// in one statement; commit. The answers' earlier counts cost one more
/// when the writer does not know them. Other ops, rare, add a statement
/// each.
fn pg_whole(
    client: &mut postgres::Client,
    st: &PgStatements,
    known: &mut AnswerCounts,
    ops: &[RoomOp],
    created: &str,
) -> Result<(), StoreError> {
    let mut prev = GENESIS.to_string();
    for message in client.simple_query(PG_BEGIN_LOCKED)? {
        if let postgres::SimpleQueryMessage::Row(row) = message {
            if let Some(hash) = row.get(0) {
                prev = hash.to_string();
            }
        }
    }
    let mut keys: Vec<(String, i64, String)> = Vec::new();
    for op in ops {
        if let RoomOp::Response {
            room, draft, party, ..
        } = op
        {
            let key = (room.clone(), *draft, party.clone());
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    let mut counts = known.begin(&prev);
    keys.retain(|k| !counts.contains_key(k));
    if !keys.is_empty() {
        let rooms: Vec<&str> = keys.iter().map(|k| k.0.as_str()).collect();
        let drafts: Vec<i64> = keys.iter().map(|k| k.1).collect();
        let parties: Vec<&str> = keys.iter().map(|k| k.2.as_str()).collect();
        for row in client.query(&st.counts, &[&rooms, &drafts, &parties])? {
            counts.insert(
                (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?),
                row.try_get(3)?,
            );
        }
    }
    let mut answers: [Vec<String>; 5] = Default::default();
    let mut answer_drafts: Vec<i64> = Vec::new();
    let mut records: Vec<Record> = Vec::new();
    for op in ops {
        match op {
            RoomOp::Response {
                room,
                draft,
                party,
                body,
                records: make,
            } => {
                let n = counts
                    .entry((room.clone(), *draft, party.clone()))
                    .or_insert(0);
                records.extend(make(*n));
                *n += 1;
                answers[0].push(room.clone());
                answer_drafts.push(*draft);
                answers[2].push(party.clone());
                answers[3].push(body.clone());
                answers[4].push(created.to_string());
            }
            other => records.extend(pg_row(client, st, other, created)?),
        }
    }
    let mut entries: [Vec<String>; 5] = Default::default();
    let mut head = prev;
    each_chained(&records, head.clone(), |e| {
        entries[0].push(e.id.into());
        entries[1].push(e.kind.into());
        entries[2].push(e.body.into());
        entries[3].push(e.prev.into());
        entries[4].push(e.hash.into());
        head = e.hash.to_string();
        Ok(())
    })?;
    if !answer_drafts.is_empty() || !records.is_empty() {
        client.execute(
            &st.answers_and_entries,
            &[
                &answers[0],
                &answer_drafts,
                &answers[2],
                &answers[3],
                &answers[4],
                &entries[0],
                &entries[1],
                &entries[2],
                &entries[3],
                &entries[4],
            ],
        )?;
    }
    client.batch_execute("COMMIT")?;
    known.commit(counts, head);
    Ok(())
}

/// Starts a transaction holding the ledger's write lock, with the hash
/// the chain ends at.
fn pg_begin(
    client: &mut postgres::Client,
) -> Result<(postgres::Transaction<'_>, String), StoreError> {
    let mut tx = client.transaction()?;
    tx.batch_execute("LOCK TABLE entries IN SHARE ROW EXCLUSIVE MODE")?;
    let prev: String = tx
        .query_opt("SELECT hash FROM entries ORDER BY seq DESC LIMIT 1", &[])?
        .map(|r| r.try_get(0))
        .transpose()?
        .unwrap_or_else(|| GENESIS.to_string());
    Ok((tx, prev))
}

/// On PostgreSQL every statement is a round trip, so the batch first goes
/// in whole, without a savepoint per op; only if one op fails is it rolled
/// back and each op run in a transaction of its own.
fn postgres_batch(
    client: &mut postgres::Client,
    cache: &mut std::collections::HashMap<&'static str, postgres::Statement>,
    known: &mut AnswerCounts,
    ops: Vec<RoomOp>,
) -> Result<Vec<Result<(), StoreError>>, StoreError> {
    for sql in [
        PG_COUNT_AND_ANSWER,
        PG_DRAFT,
        PG_PUBLISH,
        PG_CLOSES,
        PG_POSITIONS,
        PG_ENTRY,
        PG_COUNTS,
        PG_ANSWERS_AND_ENTRIES,
    ] {
        if !cache.contains_key(sql) {
            let stmt = client.prepare(sql)?;
            cache.insert(sql, stmt);
        }
    }
    let stmt = |sql: &'static str| -> Result<postgres::Statement, StoreError> {
        cache
            .get(sql)
            .cloned()
            .ok_or_else(|| StoreError::Write("a statement was not prepared".into()))
    };
    let st = PgStatements {
        answer: stmt(PG_COUNT_AND_ANSWER)?,
        draft: stmt(PG_DRAFT)?,
        publish: stmt(PG_PUBLISH)?,
        closes: stmt(PG_CLOSES)?,
        positions: stmt(PG_POSITIONS)?,
        entry: stmt(PG_ENTRY)?,
        counts: stmt(PG_COUNTS)?,
        answers_and_entries: stmt(PG_ANSWERS_AND_ENTRIES)?,
    };
    let created = now();
    match pg_whole(client, &st, known, &ops, &created) {
        Ok(()) => return Ok(ops.iter().map(|_| Ok(())).collect()),
        // Undoes whatever part went in (nothing, if COMMIT itself failed);
        // the writer has forgotten the counts, which may be what failed.
        Err(_) => client.batch_execute("ROLLBACK")?,
    }
    let mut results = Vec::with_capacity(ops.len());
    for op in &ops {
        let (mut tx, mut prev) = pg_begin(client)?;
        match pg_op(&mut tx, &st, op, &mut prev, &created) {
            Ok(()) => {
                tx.commit()?;
                results.push(Ok(()));
            }
            Err(e) => {
                tx.rollback()?;
                results.push(Err(e));
            }
        }
    }
    Ok(results)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::testing::scratch_ledgers;

    fn answer(party: &str) -> RoomOp {
        let p = party.to_string();
        RoomOp::Response {
            room: "r".into(),
            draft: 1,
            party: party.into(),
            body: "{}".into(),
            records: Box::new(move |earlier| {
                let line = format!(
                    r#"{{"type":"event","id":"r.draft-1.{p}.{}","kind":"statement","date":"2025-04-20","parties":["{p}"],"summary":"answer","reports":[],"basis":"a test"}}"#,
                    earlier + 1
                );
                truce_ledger::read_jsonl(&line).unwrap()
            }),
        }
    }

    /// A count the writer remembers wrongly (as if another writer had
    /// answered without moving the chain's end, which no writer of truce
    /// does) gives an id already taken; the write is then made with the
    /// count read afresh, on both databases, and the next one follows it.
    #[test]
    fn a_stale_count_costs_a_retry_not_the_answer() {
        let dir = tempfile::tempdir().unwrap();
        for db in scratch_ledgers(dir.path(), "stale").unwrap() {
            let mut l = Ledger::open(&db.location).unwrap();
            l.create_room("r", "", None, &[]).unwrap();
            let draft = RoomOp::Draft {
                room: "r".into(),
                number: 1,
                body: "{}".into(),
                records: Vec::new(),
            };
            let out = l.apply_batch(vec![draft, answer("ukraine"), answer("ukraine")]);
            assert!(out.iter().all(Result::is_ok), "{out:?}");
            let key = ("r".to_string(), 1, "ukraine".to_string());
            assert_eq!(l.answer_counts.counts.get(&key), Some(&2));
            l.answer_counts.counts.insert(key.clone(), 1);
            let out = l.apply_batch(vec![answer("russia"), answer("ukraine")]);
            assert!(out.iter().all(Result::is_ok), "{}: {out:?}", db.backend());
            let out = l.apply_batch(vec![answer("ukraine")]);
            assert!(out.iter().all(Result::is_ok), "{}: {out:?}", db.backend());
            let ids: Vec<String> = l
                .records()
                .unwrap()
                .iter()
                .map(|r| r.id().to_string())
                .collect();
            assert_eq!(
                ids,
                [
                    "r.draft-1.ukraine.1",
                    "r.draft-1.ukraine.2",
                    "r.draft-1.russia.1",
                    "r.draft-1.ukraine.3",
                    "r.draft-1.ukraine.4"
                ],
                "{}",
                db.backend()
            );
            assert_eq!(l.verify().unwrap(), 5);
        }
    }
}
