//! The room's own account of itself, as ledger records: every draft, each
//! answer, each published board, and an accepted best and final offer as
//! an agreement and the commitment of every party to its text. Ids start
//! with the room's id and a dot, so `truce ledger` commands find them.

use crate::text::{Draft, Overall, ProvisionAnswer, Response};
use truce_engine::model::ScenarioParts;
use truce_engine::Date;
use truce_ledger::{EventKind, Parties, Record, When};

fn basis(room: &str) -> Option<String> {
    Some(format!("recorded by truce serve in room {room}"))
}

/// The draft's provisions as ledger concerns (`scenario:issue=option`).
fn concerns(public: &ScenarioParts, draft: &Draft) -> Vec<String> {
    draft
        .provisions
        .iter()
        .map(|p| match &public.id {
            Some(id) => format!("{id}:{}={}", p.issue, p.option),
            None => format!("{}={}", p.issue, p.option),
        })
        .collect()
}

/// Who runs the text, as a party id of the scenario where it has a mediator.
fn mediator(public: &ScenarioParts) -> Vec<String> {
    public
        .mediator()
        .and_then(|i| public.parties.get(i))
        .map(|p| vec![p.id.clone()])
        .unwrap_or_default()
}

/// A draft issued.
pub fn draft_issued(room: &str, public: &ScenarioParts, draft: &Draft, on: Date) -> Record {
    Record::Event {
        id: format!("{room}.draft-{}", draft.number),
        kind: EventKind::Proposal,
        date: When::day(on),
        parties: mediator(public),
        summary: format!(
            "Draft {} of the single negotiating text{}",
            draft.number,
            if draft.best_and_final {
                ": the best and final offer"
            } else {
                ""
            }
        ),
        category: None,
        fulfils: None,
        concerns: concerns(public, draft),
        reports: Vec::new(),
        basis: basis(room),
    }
}

/// A party's answer (its `nth` to this draft, from 1).
pub fn answer_given(room: &str, answer: &Response, nth: usize, on: Date) -> Record {
    let caveats: Vec<String> = answer
        .provisions
        .iter()
        .filter_map(|p| match &p.answer {
            ProvisionAnswer::Accept => None,
            ProvisionAnswer::Caveat { option, .. } => {
                Some(format!("{}: {option} instead", p.issue))
            }
            ProvisionAnswer::Reject { .. } => Some(format!("{}: rejected", p.issue)),
        })
        .collect();
    let whole = match answer.overall {
        Overall::Accept => "accepts",
        Overall::AcceptWithCaveats => "accepts with caveats",
        Overall::Reject => "rejects",
    };
    Record::Event {
        id: format!("{room}.draft-{}.{}.{nth}", answer.draft, answer.party),
        kind: if answer.overall == Overall::Reject {
            EventKind::Rejection
        } else {
            EventKind::Statement
        },
        date: When::day(on),
        parties: vec![answer.party.clone()],
        summary: if caveats.is_empty() {
            format!("{} {whole} draft {}", answer.party, answer.draft)
        } else {
            format!(
                "{} {whole} draft {} ({})",
                answer.party,
                answer.draft,
                caveats.join("; ")
            )
        },
        category: None,
        fulfils: None,
        concerns: Vec::new(),
        reports: Vec::new(),
        basis: basis(room),
    }
}

/// A draft's board made public.
pub fn board_published(room: &str, public: &ScenarioParts, number: u32, on: Date) -> Record {
    Record::Event {
        id: format!("{room}.draft-{number}.board"),
        kind: EventKind::Statement,
        date: When::day(on),
        parties: mediator(public),
        summary: format!("The answers to draft {number} are made public to the room"),
        category: None,
        fulfils: None,
        concerns: Vec::new(),
        reports: Vec::new(),
        basis: basis(room),
    }
}

/// Whether a best and final offer has been accepted by every party that
/// answers: each party's latest answer accepts the whole.
pub fn accepted_by_all(draft: &Draft, responses: &[Response], parties: &[String]) -> bool {
    draft.best_and_final
        && !parties.is_empty()
        && parties.iter().all(|p| {
            responses
                .iter()
                .rev()
                .find(|r| &r.party == p && r.draft == draft.number)
                .is_some_and(|r| r.overall == Overall::Accept)
        })
}

/// An accepted best and final offer: the agreement, and every party's
/// commitment to its text from the day it was accepted.
pub fn final_text_accepted(
    room: &str,
    public: &ScenarioParts,
    draft: &Draft,
    parties: &[String],
    on: Date,
) -> Option<[Record; 2]> {
    let bound = Parties::several(parties.to_vec())?;
    Some([
        Record::Event {
            id: format!("{room}.agreement-{}", draft.number),
            kind: EventKind::Agreement,
            date: When::day(on),
            parties: parties.to_vec(),
            summary: format!(
                "Every party accepts draft {}, the best and final offer",
                draft.number
            ),
            category: None,
            fulfils: None,
            concerns: concerns(public, draft),
            reports: Vec::new(),
            basis: basis(room),
        },
        Record::Commitment {
            id: format!("{room}.text-{}", draft.number),
            date: on,
            party: bound,
            scope: format!("the final text of room {room} (draft {})", draft.number),
            from: When::day(on),
            days: None,
            until: None,
            condition: None,
            consequence: None,
            with: Vec::new(),
            covers: None,
            concerns: concerns(public, draft),
            reports: Vec::new(),
            basis: basis(room),
        },
    ])
}

/// The day the room closes to new drafts, set or moved by the mediator
/// (its `nth` such record, from 1); `None` opens it without a day.
pub fn closing_set(
    room: &str,
    public: &ScenarioParts,
    day: Option<Date>,
    nth: usize,
    on: Date,
) -> Record {
    match day {
        Some(day) => Record::Deadline {
            id: format!("{room}.closes-{nth}"),
            date: day,
            set_by: mediator(public)
                .into_iter()
                .next()
                .unwrap_or_else(|| "mediator".into()),
            label: "the room closes to new drafts (the walk-away deadline)".into(),
            concerns: Vec::new(),
            reports: Vec::new(),
            basis: basis(room),
        },
        None => Record::Event {
            id: format!("{room}.closes-{nth}"),
            kind: EventKind::Statement,
            date: When::day(on),
            parties: mediator(public),
            summary: "The room stays open to new drafts without a closing day".into(),
            category: None,
            fulfils: None,
            concerns: Vec::new(),
            reports: Vec::new(),
            basis: basis(room),
        },
    }
}

/// The draft a party's answer record answers, if `id` is one
/// (`ROOM.draft-N.PARTY.K`).
fn answered_draft(room: &str, id: &str) -> Option<u32> {
    let rest = id.strip_prefix(room)?.strip_prefix(".draft-")?;
    let mut parts = rest.split('.');
    let n = parts.next()?.parse().ok()?;
    // An answer has a party and a count after the draft's number.
    (parts.next().is_some() && parts.next().is_some()).then_some(n)
}

/// The room's records every member may see: all but the parties' answers
/// to drafts whose board the mediator has not published (`published`:
/// those drafts' numbers), which stay between each party and the mediator.
pub fn public_record(room: &str, records: Vec<Record>, published: &[u32]) -> Vec<Record> {
    records
        .into_iter()
        .filter(|r| match answered_draft(room, r.id()) {
            Some(n) => published.contains(&n),
            None => true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_known_by_their_ids_and_kept_back_until_published() {
        assert_eq!(answered_draft("r", "r.draft-2.ukraine.1"), Some(2));
        assert_eq!(answered_draft("r", "r.draft-2"), None);
        assert_eq!(answered_draft("r", "r.draft-2.board"), None);
        assert_eq!(answered_draft("r", "r.closes-1"), None);
        assert_eq!(answered_draft("r", "other.draft-2.ukraine.1"), None);
        // A room whose id is a prefix of another's is not confused with it.
        assert_eq!(answered_draft("r", "r2.draft-2.ukraine.1"), None);
    }
}
