//! What a member of a room can do, once its token is known: the one place
//! that asks `truce_room::Access`, reads and writes through the store, and
//! returns values, not HTTP. The JSON API (`api`) and the pages (`web`)
//! both call these, so a page and the API give the same answers and refuse
//! the same requests in the same way (a refusal is the same "not found" as
//! absence).

use crate::api::{ApiError, Shared};
use axum::http::StatusCode;
use truce_engine::analysis::{Analysis, AnalysisOptions};
use truce_engine::{Scenario, ScenarioParts};
use truce_ledger::Record;
use truce_room::analysis::{Improvement, PartyAnalysis};
use truce_room::{
    read_positions, Access, Board, Draft, DraftInput, PositionsFormat, PositionsSource,
    Response as Answer, ResponseInput, Role,
};
use truce_store::batch::RoomOp;
use truce_store::Ledger;

/// A request's place: the reading connection, who asks, the room.
pub struct Member<'a> {
    /// A reading connection.
    pub db: &'a mut Ledger,
    /// The token's role.
    pub role: &'a Role,
    /// The room's public part.
    pub public: &'a ScenarioParts,
    /// The last day drafts may be issued, if set.
    pub closes: Option<String>,
    /// Where writes go.
    pub shared: &'a Shared,
    /// The room's id.
    pub room: &'a str,
}

/// Every draft of the room with whether its board is published.
pub fn drafts(m: &mut Member) -> Result<Vec<(Draft, bool)>, ApiError> {
    m.db.drafts(m.room)?
        .into_iter()
        .map(|d| {
            serde_json::from_str::<Draft>(&d.body)
                .map(|draft| (draft, d.published))
                .map_err(ApiError::internal)
        })
        .collect()
}

/// One draft, and whether its board is published.
pub fn one_draft(m: &mut Member, n: u32) -> Result<(Draft, bool), ApiError> {
    let stored =
        m.db.draft(m.room, i64::from(n))?
            .ok_or_else(ApiError::not_found)?;
    let draft = serde_json::from_str::<Draft>(&stored.body).map_err(ApiError::internal)?;
    Ok((draft, stored.published))
}

/// Each party's latest answer to a draft, in party order.
pub fn answers(m: &mut Member, n: u32, parties: &[String]) -> Result<Vec<Answer>, ApiError> {
    let mut out = Vec::new();
    for p in parties {
        if let Some(r) = m.db.latest_response(m.room, i64::from(n), p)? {
            out.push(serde_json::from_str::<Answer>(&r.body).map_err(ApiError::internal)?);
        }
    }
    Ok(out)
}

/// Whether the room is closed to new drafts today: its closing day.
pub fn closed(m: &Member) -> Option<String> {
    m.closes
        .clone()
        .filter(|c| truce_store::rooms::today().to_string().as_str() > c.as_str())
}

/// The mediator issues the next draft.
pub fn issue_draft(m: &mut Member, input: DraftInput) -> Result<Draft, ApiError> {
    if !Access(m.role).run_the_text() {
        return Err(ApiError::not_found());
    }
    if let Some(c) = closed(m) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!(
                "the room closed to new drafts after {c}; the mediator may extend the deadline"
            ),
        ));
    }
    let number = u32::try_from(m.db.drafts(m.room)?.len())
        .unwrap_or(u32::MAX)
        .saturating_add(1);
    let draft = Draft::new(m.public, number, input).map_err(ApiError::invalid)?;
    let text = serde_json::to_string(&draft).map_err(ApiError::internal)?;
    let record =
        truce_room::record::draft_issued(m.room, m.public, &draft, truce_store::rooms::today());
    m.shared
        .write(RoomOp::Draft {
            room: m.room.to_string(),
            number: i64::from(number),
            body: text,
            records: vec![record],
        })
        .map_err(|_| {
            ApiError::new(
                StatusCode::CONFLICT,
                "another draft was issued at the same moment; send this one again",
            )
        })?;
    Ok(draft)
}

/// A party answers draft `n`; a final offer accepted in whole by every
/// party becomes their agreement in the ledger.
pub fn answer_draft(m: &mut Member, n: u32, input: ResponseInput) -> Result<Answer, ApiError> {
    let Role::Party(party) = m.role else {
        return Err(ApiError::not_found());
    };
    if !Access(m.role).answer(party) {
        return Err(ApiError::not_found());
    }
    let party = party.clone();
    let (draft, _) = one_draft(m, n)?;
    let answer = Answer::new(m.public, &draft, &party, input).map_err(ApiError::invalid)?;
    let text = serde_json::to_string(&answer).map_err(ApiError::internal)?;
    let on = truce_store::rooms::today();
    let given = answer.clone();
    let room_id = m.room.to_string();
    m.shared.write(RoomOp::Response {
        room: m.room.to_string(),
        draft: i64::from(n),
        party: party.clone(),
        body: text,
        records: Box::new(move |earlier| {
            let nth = usize::try_from(earlier).unwrap_or(0) + 1;
            vec![truce_room::record::answer_given(&room_id, &given, nth, on)]
        }),
    })?;
    if draft.best_and_final && answer.overall == truce_room::Overall::Accept {
        let parties = crate::rooms::answering_parties(m.public);
        let all = answers(m, n, &parties)?;
        let agreed = format!("{}.agreement-{n}", m.room);
        if truce_room::record::accepted_by_all(&draft, &all, &parties)
            && !m.db.has_entry(&agreed)?
        {
            if let Some(records) =
                truce_room::record::final_text_accepted(m.room, m.public, &draft, &parties, on)
            {
                // Another answer may have recorded it in the meantime.
                let _ = m.shared.write(RoomOp::Records(records.into()));
            }
        }
    }
    Ok(answer)
}

/// The latest answer of the asking party to draft `n`, if it gave one.
pub fn own_answer(m: &mut Member, n: u32) -> Result<Option<Answer>, ApiError> {
    let Role::Party(party) = m.role else {
        return Ok(None);
    };
    let party = party.clone();
    Ok(answers(m, n, &[party])?.into_iter().next())
}

/// The answers to draft `n` the asking token may read.
pub fn readable_answers(m: &mut Member, n: u32) -> Result<Vec<Answer>, ApiError> {
    let (_, published) = one_draft(m, n)?;
    let access = Access(m.role);
    let readable: Vec<String> = crate::rooms::answering_parties(m.public)
        .into_iter()
        .filter(|p| access.read_answers(p, published))
        .collect();
    answers(m, n, &readable)
}

/// Draft `n`'s board: provision × party.
pub fn board(m: &mut Member, n: u32) -> Result<Board, ApiError> {
    let (draft, published) = one_draft(m, n)?;
    if !Access(m.role).read_board(published) {
        return Err(ApiError::not_found());
    }
    let parties = crate::rooms::answering_parties(m.public);
    let all = answers(m, n, &parties)?;
    Ok(Board::new(draft, &all, &parties))
}

/// The mediator shows draft `n`'s board to the room.
pub fn publish(m: &mut Member, n: u32) -> Result<(), ApiError> {
    if !Access(m.role).run_the_text() {
        return Err(ApiError::not_found());
    }
    let (_, published) = one_draft(m, n)?;
    if !published {
        let record =
            truce_room::record::board_published(m.room, m.public, n, truce_store::rooms::today());
        // Published twice at once: the second finds the record there.
        let _ = m.shared.write(RoomOp::Publish {
            room: m.room.to_string(),
            draft: i64::from(n),
            records: vec![record],
        });
    }
    Ok(())
}

/// Whose positions a request is about: the party's own, or the mediator's
/// estimate of them.
#[derive(Clone, Copy)]
pub enum Kind {
    /// Entered by the party.
    Entered,
    /// The mediator's estimate.
    Estimate,
}

impl Kind {
    /// As stored.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Entered => "entered",
            Kind::Estimate => "estimate",
        }
    }
    /// Whether `role` may write (or read) this kind of `party`'s positions.
    pub fn allowed(self, role: &Role, party: &str, write: bool) -> bool {
        let a = Access(role);
        match (self, write) {
            (Kind::Entered, true) => a.write_positions(party),
            (Kind::Entered, false) => a.read_positions(party),
            (Kind::Estimate, _) => a.estimates(),
        }
    }
}

/// One version of positions.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct PositionsVersion {
    /// From 1.
    pub version: usize,
    /// When it was entered.
    pub created: String,
    /// `toml` or `json`.
    pub format: String,
    /// As entered.
    pub body: String,
}

/// Every version of a party's positions of one kind.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct PositionsHistory {
    /// The party.
    pub party: String,
    /// `entered` or `estimate`.
    pub kind: &'static str,
    /// Oldest first.
    pub versions: Vec<PositionsVersion>,
}

/// Every version of `party`'s positions of `kind`, if the asker may read
/// them.
pub fn positions(m: &mut Member, party: &str, kind: Kind) -> Result<PositionsHistory, ApiError> {
    if !kind.allowed(m.role, party, false) || m.public.party_index(party).is_none() {
        return Err(ApiError::not_found());
    }
    let versions =
        m.db.positions_of(m.room, party, kind.name())?
            .into_iter()
            .enumerate()
            .map(|(i, p)| PositionsVersion {
                version: i + 1,
                created: p.created,
                format: p.format,
                body: p.body,
            })
            .collect();
    Ok(PositionsHistory {
        party: party.to_string(),
        kind: kind.name(),
        versions,
    })
}

/// Stores a new version of `party`'s positions of `kind`, checked as
/// `truce check` checks a scenario.
pub fn enter_positions(
    m: &mut Member,
    party: &str,
    kind: Kind,
    format: PositionsFormat,
    body: &[u8],
) -> Result<PositionsHistory, ApiError> {
    if !kind.allowed(m.role, party, true) || m.public.party_index(party).is_none() {
        return Err(ApiError::not_found());
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("the body is not UTF-8: {e}"),
        )
    })?;
    read_positions(m.public, party, text, format).map_err(ApiError::invalid)?;
    let format_name = match format {
        PositionsFormat::Toml => "toml",
        PositionsFormat::Json => "json",
    };
    m.shared.write(RoomOp::Positions {
        room: m.room.to_string(),
        party: party.to_string(),
        kind: kind.name().to_string(),
        format: format_name.to_string(),
        body: text.to_string(),
    })?;
    positions(m, party, kind)
}

/// The latest version of each party's positions of one kind, read (only
/// the latest is fetched and parsed).
fn latest_positions(
    m: &mut Member,
    kind: &str,
) -> Result<Vec<Option<truce_room::Positions>>, ApiError> {
    let mut latest: Vec<Option<truce_room::Positions>> = vec![None; m.public.parties.len()];
    for p in m.db.latest_positions(m.room, kind)? {
        let Some(i) = m.public.party_index(&p.party) else {
            continue;
        };
        let format = if p.format == "json" {
            PositionsFormat::Json
        } else {
            PositionsFormat::Toml
        };
        // Stored versions were checked when entered.
        if let Ok(read) = read_positions(m.public, &p.party, &p.body, format) {
            latest[i] = Some(read);
        }
    }
    Ok(latest)
}

/// The mediator's analysis: the scenario the parties' positions (or its
/// estimates) make, drafts as plans, its analysis, and each draft's
/// improvements.
pub struct MediatorAnalysis {
    /// Whose positions each party's are, in party order.
    pub sources: Vec<PositionsSource>,
    /// The scenario, drafts as plans `draft-N`.
    pub scenario: Scenario,
    /// Its analysis.
    pub analysis: Analysis,
    /// Per draft number, its improvements.
    pub improvements: std::collections::BTreeMap<u32, Vec<Improvement>>,
}

fn too_large(e: String) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e)
}

/// The analysis the mediator sees.
pub fn mediator_analysis(m: &mut Member) -> Result<MediatorAnalysis, ApiError> {
    if !matches!(m.role, Role::Mediator) {
        return Err(ApiError::not_found());
    }
    let drafts: Vec<Draft> = drafts(m)?.into_iter().map(|(d, _)| d).collect();
    let entered = latest_positions(m, "entered")?;
    let estimates = latest_positions(m, "estimate")?;
    let (combined, sources) = truce_room::combine(m.public, &entered, &estimates)
        .map_err(|e| ApiError::invalid(e.diagnostics))?;
    let scenario = truce_room::analysis::with_drafts(combined, &drafts)
        .map_err(|e| ApiError::invalid(e.diagnostics))?;
    // A request's work stays bounded: the room enumerates its bounded
    // space and refuses a larger one rather than search at length.
    let options = AnalysisOptions {
        max_outcomes: truce_room::analysis::MAX_ROOM_PACKAGES,
        method: truce_engine::analysis::Method::Enumerate,
        ..Default::default()
    };
    let analysis = truce_engine::analysis::analyze(&scenario, &options)
        .map_err(|e| too_large(e.to_string()))?;
    let improvements = drafts
        .iter()
        .map(|d| {
            (
                d.number,
                truce_room::analysis::improvements(&scenario, &analysis, d, 5),
            )
        })
        .collect();
    Ok(MediatorAnalysis {
        sources,
        scenario,
        analysis,
        improvements,
    })
}

/// A party's analysis over its own positions only, and the scenario they
/// make with the drafts as plans (for its own pictures).
pub fn own_analysis(m: &mut Member) -> Result<(PartyAnalysis, Scenario), ApiError> {
    let Role::Party(party) = m.role else {
        return Err(ApiError::not_found());
    };
    let party = party.clone();
    let Some(own_index) = m.public.party_index(&party) else {
        return Err(ApiError::not_found());
    };
    let drafts: Vec<Draft> = drafts(m)?.into_iter().map(|(d, _)| d).collect();
    // Its own positions and no one else's.
    let mut entered = latest_positions(m, "entered")?;
    for (i, slot) in entered.iter_mut().enumerate() {
        if i != own_index {
            *slot = None;
        }
    }
    if entered[own_index].is_none() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "enter your positions first (PUT …/parties/{party}/preferences)",
        ));
    }
    let (own, _) = truce_room::combine(m.public, &entered, &[])
        .map_err(|e| ApiError::invalid(e.diagnostics))?;
    let view = truce_room::analysis::party_analysis(&own, &party, &drafts, 5)
        .map_err(|e| too_large(e.to_string()))?;
    let with = truce_room::analysis::with_drafts(own, &drafts)
        .map_err(|e| ApiError::invalid(e.diagnostics))?;
    Ok((view, with))
}

/// The room's whole record in the ledger: the mediator's.
pub fn record(m: &mut Member) -> Result<Vec<Record>, ApiError> {
    if !Access(m.role).read_record() {
        return Err(ApiError::not_found());
    }
    Ok(m.db.room_records(m.room)?)
}

/// The room's public record: what every member may see (drafts issued,
/// boards published, the closing day, agreements; a party's answers only
/// once the mediator has published that draft's board).
pub fn public_record(m: &mut Member) -> Result<Vec<Record>, ApiError> {
    let published: Vec<u32> = drafts(m)?
        .into_iter()
        .filter(|(_, p)| *p)
        .map(|(d, _)| d.number)
        .collect();
    let all = m.db.room_records(m.room)?;
    Ok(truce_room::record::public_record(m.room, all, &published))
}

/// The mediator moves the room's closing day (none: open); returns it.
pub fn set_closes(
    m: &mut Member,
    day: Option<truce_engine::Date>,
) -> Result<Option<String>, ApiError> {
    if !Access(m.role).run_the_text() {
        return Err(ApiError::not_found());
    }
    let mut nth = 1;
    while m.db.has_entry(&format!("{}.closes-{nth}", m.room))? {
        nth += 1;
    }
    let record =
        truce_room::record::closing_set(m.room, m.public, day, nth, truce_store::rooms::today());
    let text = day.map(|d| d.to_string());
    m.shared
        .write(RoomOp::Closes {
            room: m.room.to_string(),
            day: text.clone(),
            records: vec![record],
        })
        .map_err(|_| {
            ApiError::new(
                StatusCode::CONFLICT,
                "the closing day was moved at the same moment; send this again",
            )
        })?;
    Ok(text)
}
