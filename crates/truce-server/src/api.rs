//! The HTTP API under `/api/v1`. Every handler: find the token's room and
//! role, ask `truce_room::Access`, then read or append through the store.
//! Anything a token may not see is answered exactly like something that
//! does not exist: `404 {"status": 404, "message": "not found"}`.

use crate::ops::{self, Kind, Member, PositionsHistory, PositionsVersion};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use std::sync::{Arc, Mutex};
use truce_engine::{Diagnostic, ScenarioParts};
use truce_room::analysis::PartyAnalysis;
use truce_room::positions::MAX_POSITIONS_BYTES;
use truce_room::{
    Access, Board, Draft, DraftInput, PositionsFormat, Response as Answer, ResponseInput, Role,
    RoomView,
};
use truce_store::batch::RoomOp;
use truce_store::rooms::token_hash;
use truce_store::Ledger;

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = MAX_POSITIONS_BYTES + 64 * 1024;

/// What every request shares: a writer thread that owns the one writing
/// connection and commits the writes waiting at each moment together
/// (group commit: one transaction and one fsync for all of them, each
/// acknowledged only once committed), a pool of reading connections
/// (SQLite in WAL mode and PostgreSQL let them run beside the writer), and
/// each room's public part, read once.
pub struct Shared {
    writes: std::sync::mpsc::Sender<WriteJob>,
    readers: Mutex<Vec<Ledger>>,
    location: truce_store::Location,
    publics: Mutex<std::collections::HashMap<String, Arc<ScenarioParts>>>,
    /// The dashboard's signed-in browsers.
    pub(crate) sessions: crate::web::Sessions,
    /// Served over TLS: session cookies are marked Secure.
    secure: std::sync::atomic::AtomicBool,
}

/// A write and where to send its outcome.
type WriteJob = (
    RoomOp,
    std::sync::mpsc::Sender<Result<(), truce_store::StoreError>>,
);

/// At most this many idle reading connections are kept.
const MAX_IDLE_READERS: usize = 64;

/// At most this many writes go in one transaction.
const MAX_BATCH: usize = 256;

fn poisoned<E>(_: E) -> ApiError {
    ApiError::internal("a request failed before")
}

impl Shared {
    /// Serves the ledger at `location`: starts the writer thread with its
    /// connection; reading connections are opened as requests need them.
    pub fn open(location: &truce_store::Location) -> Result<Arc<Shared>, truce_store::StoreError> {
        let mut writer = Ledger::open(location)?;
        let (writes, jobs) = std::sync::mpsc::channel::<WriteJob>();
        std::thread::Builder::new()
            .name("truce-writer".into())
            .spawn(move || {
                // Ends when every sender is gone (the server stopped).
                while let Ok(first) = jobs.recv() {
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match jobs.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    let (ops, replies): (Vec<RoomOp>, Vec<_>) = batch.into_iter().unzip();
                    for (outcome, reply) in writer.apply_batch(ops).into_iter().zip(replies) {
                        // A request that gave up no longer listens.
                        let _ = reply.send(outcome);
                    }
                }
            })
            .map_err(|e| truce_store::StoreError::Write(format!("cannot start the writer: {e}")))?;
        Ok(Arc::new(Shared {
            writes,
            readers: Mutex::new(Vec::new()),
            location: location.clone(),
            publics: Mutex::new(std::collections::HashMap::new()),
            sessions: crate::web::Sessions::default(),
            secure: std::sync::atomic::AtomicBool::new(false),
        }))
    }

    /// Marks the server as reached over TLS (cookies then say Secure).
    pub fn set_secure(&self) {
        self.secure
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether the server is reached over TLS.
    pub(crate) fn secure(&self) -> bool {
        self.secure.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A room's public part if already read.
    pub(crate) fn public_of(&self, room: &str) -> Option<Arc<ScenarioParts>> {
        self.publics.lock().ok()?.get(room).cloned()
    }

    /// Hands a write to the writer thread and waits until it is committed.
    pub(crate) fn write(&self, op: RoomOp) -> Result<(), truce_store::StoreError> {
        let (reply, outcome) = std::sync::mpsc::channel();
        self.writes
            .send((op, reply))
            .map_err(|_| truce_store::StoreError::Write("the writer has stopped".into()))?;
        outcome
            .recv()
            .map_err(|_| truce_store::StoreError::Write("the writer has stopped".into()))?
    }

    /// Runs `f` on a reading connection from the pool.
    fn with_reader<T>(
        &self,
        f: impl FnOnce(&mut Ledger) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let pooled = self.readers.lock().map_err(poisoned)?.pop();
        let mut reader = match pooled {
            Some(r) => r,
            None => Ledger::open(&self.location)?,
        };
        let out = f(&mut reader);
        let mut pool = self.readers.lock().map_err(poisoned)?;
        if pool.len() < MAX_IDLE_READERS {
            pool.push(reader);
        }
        out
    }

    /// A room's public part, read from the database once (it never
    /// changes; the closing day comes with the token).
    fn public(&self, db: &mut Ledger, room: &str) -> Result<Option<Arc<ScenarioParts>>, ApiError> {
        let cached = self.publics.lock().map_err(poisoned)?.get(room).cloned();
        if let Some(p) = cached {
            return Ok(Some(p));
        }
        let Some(stored) = db.room(room)? else {
            return Ok(None);
        };
        let p = Arc::new(
            crate::rooms::read_public(&stored.scenario)
                .map_err(|_| ApiError::internal("the room's scenario cannot be read"))?,
        );
        self.publics
            .lock()
            .map_err(poisoned)?
            .insert(room.to_string(), p.clone());
        Ok(Some(p))
    }
}

/// An error as the API sends it: a status, a message, and where the
/// problems are (field paths, and line and column for TOML).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// What went wrong.
    pub message: String,
    /// The field the problem is in, when there is one.
    pub path: Option<String>,
    /// Every problem found in the input: `kind`, `message`, `file`,
    /// `line`, `column`, `path`, `help`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub problems: Vec<Diagnostic>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status: status.as_u16(),
            message: message.into(),
            path: None,
            problems: Vec::new(),
        }
    }
    /// The one answer to anything missing or forbidden.
    pub(crate) fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not found")
    }
    pub(crate) fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "a room token is needed: Authorization: Bearer TOKEN",
        )
    }
    pub(crate) fn invalid(problems: Vec<Diagnostic>) -> ApiError {
        let first = problems.first();
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY.as_u16(),
            message: first.map_or_else(|| "invalid".to_string(), |d| d.message.clone()),
            path: first.and_then(|d| d.path.clone()),
            problems,
        }
    }
    pub(crate) fn internal(e: impl std::fmt::Display) -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the server failed: {e}"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut r = (status, Json(&self)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        r
    }
}

impl From<truce_store::StoreError> for ApiError {
    fn from(e: truce_store::StoreError) -> ApiError {
        ApiError::internal(e)
    }
}

type Reply = Result<Response, ApiError>;

/// The token in the request, if any.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
        .filter(|t| !t.is_empty() && t.len() <= 200)
}

/// Runs `f` as the member the request's token makes of `room`, on a
/// blocking thread with a reading connection. A token for another room is
/// answered as not found.
async fn in_room<T: IntoResponse + Send + 'static>(
    shared: Arc<Shared>,
    headers: HeaderMap,
    room: String,
    f: impl FnOnce(&mut Member) -> Result<T, ApiError> + Send + 'static,
) -> Reply {
    let token = bearer(&headers).ok_or_else(ApiError::unauthorized)?;
    let out = as_member(shared, token_hash(&token), room, f).await?;
    Ok(out.into_response())
}

/// Runs `f` as the member whose token hashes to `hash`, in `room`: the
/// one way into a room, for the API and the pages alike.
pub(crate) async fn as_member<T: Send + 'static>(
    shared: Arc<Shared>,
    hash: String,
    room: String,
    f: impl FnOnce(&mut Member) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(move || -> Result<T, ApiError> {
        shared.with_reader(|db| {
            let Some((token_room, role, closes)) = db.token_in_room(&hash)? else {
                return Err(ApiError::unauthorized());
            };
            if token_room != room {
                return Err(ApiError::not_found());
            }
            let public = shared.public(db, &room)?.ok_or_else(ApiError::not_found)?;
            let mut member = Member {
                db,
                role: &role,
                public: &public,
                closes,
                shared: &shared,
                room: &room,
            };
            f(&mut member)
        })
    })
    .await
    .map_err(ApiError::internal)?
}

/// The room and role a token opens, if any.
pub(crate) async fn token_room(
    shared: Arc<Shared>,
    hash: String,
) -> Result<Option<(String, Role)>, ApiError> {
    tokio::task::spawn_blocking(move || {
        shared.with_reader(|db| Ok(db.token_in_room(&hash)?.map(|(room, role, _)| (room, role))))
    })
    .await
    .map_err(ApiError::internal)?
}

/// The API's routes and the dashboard's pages, over `shared`.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/api/v1/health",
            get(|| async { Json(serde_json::json!({"status": "ok"})) }),
        )
        .route("/api/v1/openapi.json", get(|| async { Json(openapi()) }))
        .route("/api/v1/rooms/{room}", get(get_room))
        .route(
            "/api/v1/rooms/{room}/parties/{party}/preferences",
            get(get_preferences).put(put_preferences),
        )
        .route(
            "/api/v1/rooms/{room}/parties/{party}/estimates",
            get(get_estimates).put(put_estimates),
        )
        .route(
            "/api/v1/rooms/{room}/drafts",
            post(post_draft).get(list_drafts),
        )
        .route("/api/v1/rooms/{room}/drafts/{n}", get(get_draft))
        .route(
            "/api/v1/rooms/{room}/drafts/{n}/responses",
            post(post_response).get(get_responses),
        )
        .route("/api/v1/rooms/{room}/drafts/{n}/board", get(get_board))
        .route("/api/v1/rooms/{room}/drafts/{n}/publish", post(publish))
        .route("/api/v1/rooms/{room}/analysis", get(get_analysis))
        .route("/api/v1/rooms/{room}/ledger", get(get_ledger))
        .route(
            "/api/v1/rooms/{room}/closes",
            axum::routing::put(put_closes),
        )
        .merge(crate::web::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(shared)
}

/// Anything else: the API's JSON 404 under `/api`, a page elsewhere.
async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::not_found().into_response()
    } else {
        crate::web::not_found_page()
    }
}

/// Serves the API on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, shared: Arc<Shared>) -> std::io::Result<()> {
    axum::serve(listener, router(shared)).await
}

#[utoipa::path(get, path = "/api/v1/rooms/{room}", params(("room" = String, Path, description = "the room's id")), security(("bearer" = [])),
    responses((status = 200, description = "the room's public part", body = RoomView), (status = 401, description = "no valid room token", body = ApiError), (status = 404, description = "missing, or not this token's to see (the same answer)", body = ApiError)))]
async fn get_room(
    State(s): State<Arc<Shared>>,
    Path(room): Path<String>,
    headers: HeaderMap,
) -> Reply {
    in_room(s, headers, room, |m| {
        Ok(Json(RoomView::new(m.room, m.public, m.closes.clone())))
    })
    .await
}

fn format_of(headers: &HeaderMap) -> PositionsFormat {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json {
        PositionsFormat::Json
    } else {
        PositionsFormat::Toml
    }
}

/// PUT of positions of `kind`.
async fn put_positions(
    s: Arc<Shared>,
    (room, party): (String, String),
    headers: HeaderMap,
    body: Bytes,
    kind: Kind,
) -> Reply {
    let format = format_of(&headers);
    in_room(s, headers, room, move |m| {
        Ok(Json(ops::enter_positions(m, &party, kind, format, &body)?))
    })
    .await
}

/// GET of positions of `kind`.
async fn get_positions(
    s: Arc<Shared>,
    (room, party): (String, String),
    headers: HeaderMap,
    kind: Kind,
) -> Reply {
    in_room(s, headers, room, move |m| {
        Ok(Json(ops::positions(m, &party, kind)?))
    })
    .await
}

#[utoipa::path(put, path = "/api/v1/rooms/{room}/parties/{party}/preferences", params(("room" = String, Path, description = "the room's id"), ("party" = String, Path, description = "a party's id")), security(("bearer" = [])),
    request_body(content = String, description = "the party's [[preferences]], [[red_lines]] and [[linkages]] blocks as TOML (or the same as JSON with Content-Type: application/json)", content_type = "application/toml"),
    responses((status = 200, description = "every version of its positions", body = PositionsHistory), (status = 401, description = "no valid room token", body = ApiError), (status = 404, description = "missing, or not this token's to see (the same answer)", body = ApiError), (status = 422, description = "invalid: every problem with its field path", body = ApiError)))]
async fn put_preferences(
    State(s): State<Arc<Shared>>,
    Path(path): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    put_positions(s, path, headers, body, Kind::Entered).await
}

#[utoipa::path(get, path = "/api/v1/rooms/{room}/parties/{party}/preferences", params(("room" = String, Path, description = "the room's id"), ("party" = String, Path, description = "a party's id")), security(("bearer" = [])),
    responses((status = 200, description = "every version of the party's positions", body = PositionsHistory), (status = 401, description = "no valid room token", body = ApiError), (status = 404, description = "missing, or not this token's to see (the same answer)", body = ApiError)))]
async fn get_preferences(
    State(s): State<Arc<Shared>>,
    Path(path): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    get_positions(s, path, headers, Kind::Entered).await
}

#[utoipa::path(put, path = "/api/v1/rooms/{room}/parties/{party}/estimates", params(("room" = String, Path, description = "the room's id"), ("party" = String, Path, description = "a party's id")), security(("bearer" = [])),
    request_body(content = String, description = "the mediator's estimate of the party's positions, as the party would write them", content_type = "application/toml"),
    responses((status = 200, description = "every version of the estimate", body = PositionsHistory), (status = 401, description = "no valid room token", body = ApiError), (status = 404, description = "missing, or not this token's to see (the same answer)", body = ApiError), (status = 422, description = "invalid: every problem with its field path", body = ApiError)))]
async fn put_estimates(
    State(s): State<Arc<Shared>>,
    Path(path): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    put_positions(s, path, headers, body, Kind::Estimate).await
}

#[utoipa::path(get, path = "/api/v1/rooms/{room}/parties/{party}/estimates", params(("room" = String, Path, description = "the room's id"), ("party" = String, Path, description = "a party's id")), security(("bearer" = [])),
    responses((status = 200, description = "every version of the mediator's estimate", body = PositionsHistory), (status = 401, description = "no valid room token", body = ApiError), (status = 404, description = "missing, or not this token's to see (the same answer)", body = ApiError)))]
async fn get_estimates(
    State(s): State<Arc<Shared>>,
    Path(path): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    get_positions(s, path, headers, Kind::Estimate).await
}

/// A JSON body as `T`, or the field path and what is wrong there.
fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let mut err = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("the body is not what was expected: {}", e.inner()),
        );
        err.path = (path != ".").then_some(path);
        err
    })
}

#[utoipa::path(post, path = "/api/v1/rooms/{room}/drafts", params(("room" = String, Path, description = "the room's id")), security(("bearer" = [])),
    request_body(content = DraftInput, content_type = "application/json"),
    responses((status = 201, description = "the draft, numbered", body = Draft), (status = 401, description = "no valid room token", body = ApiError), (status = 404, description = "missing, or not this token's to see (the same answer)", body = ApiError), (status = 422, description = "invalid: every problem with its field path", body = ApiError),
        (status = 409, description = "the room is closed to new drafts", body = ApiError)))]
async fn post_draft(
    State(s): State<Arc<Shared>>,
    Path(room): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    in_room(s, headers, room, move |m| {
        if !Access(m.role).run_the_text() {
            return Err(ApiError::not_found());
        }
        let input: DraftInput = parse_json(&body)?;
        Ok((StatusCode::CREATED, Json(ops::issue_draft(m, input)?)))
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/rooms/{room}/drafts", params(("room" = String, Path, description = "the room's id")), security(("bearer" = [])),
    responses((status = 200, description = "every draft, in order", body = Vec<Draft>), (status = 401, description = "no valid room token", body = ApiError), (status = 404, description = "missing, or not this token's to see (the same answer)", body = ApiError)))]
async fn list_drafts(
    State(s): State<Arc<Shared>>,
    Path(room): Path<String>,
    headers: HeaderMap,
) -> Reply {
    in_room(s, headers, room, |m| {
        if !Access(m.role).read_draft() {
            return Err(ApiError::not_found());
        }
        let drafts: Vec<Draft> = ops::drafts(m)?.into_iter().map(|(d, _)| d).collect();
        Ok(Json(drafts))
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/rooms/{room}/drafts/{n}", params(("room" = String, Path, description = "the room's id"), ("n" = u32, Path, description = "the draft's number")), security(("bearer" = [])),
    responses((status = 200, description = "the draft", body = Draft), (status = 401, description = "no valid room token", body = ApiError), (status = 404, description = "missing, or not this token's to see (the same answer)", body = ApiError)))]
async fn get_draft(
    State(s): State<Arc<Shared>>,
    Path((room, n)): Path<(String, u32)>,
    headers: HeaderMap,
) -> Reply {
    in_room(s, headers, room, move |m| {
        if !Access(m.role).read_draft() {
            return Err(ApiError::not_found());
        }
        Ok(Json(ops::one_draft(m, n)?.0))
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/rooms/{room}/drafts/{n}/responses", params(("room" = String, Path, description = "the room's id"), ("n" = u32, Path, description = "the draft's number")), security(("bearer" = [])),
    request_body(content = ResponseInput, content_type = "application/json"),
    responses((status = 201, description = "the party's answer, checked", body = Answer), (status = 401, description = "no valid room token", body = ApiError), (status = 404, description = "missing, or not this token's to see (the same answer)", body = ApiError), (status = 422, description = "invalid: every problem with its field path", body = ApiError)))]
async fn post_response(
    State(s): State<Arc<Shared>>,
    Path((room, n)): Path<(String, u32)>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    in_room(s, headers, room, move |m| {
        let Role::Party(party) = m.role else {
            return Err(ApiError::not_found());
        };
        if !Access(m.role).answer(party) {
            return Err(ApiError::not_found());
        }
        // The draft first: answering a missing one is a 404, whatever the body.
        ops::one_draft(m, n)?;
        let input: ResponseInput = parse_json(&body)?;
        Ok((StatusCode::CREATED, Json(ops::answer_draft(m, n, input)?)))
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/rooms/{room}/drafts/{n}/responses", params(("room" = String, Path, description = "the room's id"), ("n" = u32, Path, description = "the draft's number")), security(("bearer" = [])),
    responses((status = 200, description = "each party's latest answer, of those this token may read (every answer is in the room's record)", body = Vec<Answer>), (status = 401, description = "no valid room token", body = ApiError), (status = 404, description = "missing, or not this token's to see (the same answer)", body = ApiError)))]
async fn get_responses(
    State(s): State<Arc<Shared>>,
    Path((room, n)): Path<(String, u32)>,
    headers: HeaderMap,
) -> Reply {
    in_room(s, headers, room, move |m| {
        Ok(Json(ops::readable_answers(m, n)?))
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/rooms/{room}/drafts/{n}/board", params(("room" = String, Path, description = "the room's id"), ("n" = u32, Path, description = "the draft's number")), security(("bearer" = [])),
    responses((status = 200, description = "provision x party", body = Board), (status = 401, description = "no valid room token", body = ApiError), (status = 404, description = "missing, or not this token's to see (the same answer)", body = ApiError)))]
async fn get_board(
    State(s): State<Arc<Shared>>,
    Path((room, n)): Path<(String, u32)>,
    headers: HeaderMap,
) -> Reply {
    in_room(s, headers, room, move |m| Ok(Json(ops::board(m, n)?))).await
}

#[utoipa::path(post, path = "/api/v1/rooms/{room}/drafts/{n}/publish", params(("room" = String, Path, description = "the room's id"), ("n" = u32, Path, description = "the draft's number")), security(("bearer" = [])),
    responses((status = 200, description = "the board is public to the room"), (status = 401, description = "no valid room token", body = ApiError), (status = 404, description = "missing, or not this token's to see (the same answer)", body = ApiError)))]
async fn publish(
    State(s): State<Arc<Shared>>,
    Path((room, n)): Path<(String, u32)>,
    headers: HeaderMap,
) -> Reply {
    in_room(s, headers, room, move |m| {
        ops::publish(m, n)?;
        Ok(Json(serde_json::json!({"draft": n, "published": true})))
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/rooms/{room}/analysis", params(("room" = String, Path, description = "the room's id")), security(("bearer" = [])),
    responses((status = 200, description = "for the mediator: whose positions each party's are, and truce analyze's JSON over them with drafts as plans; for a party: PartyAnalysis over its own positions", body = PartyAnalysis),
        (status = 401, description = "no valid room token", body = ApiError), (status = 404, description = "missing, or not this token's to see (the same answer)", body = ApiError), (status = 409, description = "the party has entered no positions", body = ApiError), (status = 422, description = "invalid: every problem with its field path", body = ApiError)))]
async fn get_analysis(
    State(s): State<Arc<Shared>>,
    Path(room): Path<String>,
    headers: HeaderMap,
) -> Reply {
    in_room(s, headers, room, |m| match m.role {
        Role::Mediator => {
            let a = ops::mediator_analysis(m)?;
            let json = truce_present::room::RoomAnalysisJson {
                positions: a
                    .scenario
                    .parties
                    .iter()
                    .zip(&a.sources)
                    .map(|(p, s)| (p.id.as_str(), *s))
                    .collect(),
                analysis: truce_present::analysis_json::AnalysisJson::new(
                    &a.scenario,
                    &a.analysis,
                    None,
                ),
                improvements: a.improvements.clone(),
            };
            serde_json::to_value(&json)
                .map(Json)
                .map_err(ApiError::internal)
        }
        Role::Party(_) => {
            let (view, _) = ops::own_analysis(m)?;
            serde_json::to_value(&view)
                .map(Json)
                .map_err(ApiError::internal)
        }
        Role::Observer => Err(ApiError::not_found()),
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/rooms/{room}/ledger", params(("room" = String, Path, description = "the room's id")), security(("bearer" = [])),
    responses((status = 200, description = "the room's records in the ledger (docs/ledger.md)", body = Vec<Object>), (status = 401, description = "no valid room token", body = ApiError), (status = 404, description = "missing, or not this token's to see (the same answer)", body = ApiError)))]
async fn get_ledger(
    State(s): State<Arc<Shared>>,
    Path(room): Path<String>,
    headers: HeaderMap,
) -> Reply {
    in_room(s, headers, room, |m| Ok(Json(ops::record(m)?))).await
}

/// The body of `PUT …/closes`.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Closes {
    /// The last day drafts may be issued (YYYY-MM-DD); null keeps the room open.
    #[schema(value_type = Option<String>)]
    closes: Option<truce_engine::Date>,
}

#[utoipa::path(put, path = "/api/v1/rooms/{room}/closes", params(("room" = String, Path, description = "the room's id")), security(("bearer" = [])),
    request_body(content = Closes, content_type = "application/json"),
    responses((status = 200, description = "the room's closing day"), (status = 401, description = "no valid room token", body = ApiError), (status = 404, description = "missing, or not this token's to see (the same answer)", body = ApiError), (status = 422, description = "invalid: every problem with its field path", body = ApiError)))]
async fn put_closes(
    State(s): State<Arc<Shared>>,
    Path(room): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    in_room(s, headers, room, move |m| {
        if !Access(m.role).run_the_text() {
            return Err(ApiError::not_found());
        }
        let input: Closes = parse_json(&body)?;
        let day = ops::set_closes(m, input.closes)?;
        Ok(Json(serde_json::json!({"room": m.room, "closes": day})))
    })
    .await
}

/// The API's OpenAPI document, generated from the handlers and types.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "truce: the negotiation room", description = "docs/room.md; a refusal is the same 404 as absence"),
    paths(
        get_room, put_preferences, get_preferences, put_estimates, get_estimates, post_draft,
        list_drafts, get_draft, post_response, get_responses, get_board, publish, get_analysis,
        get_ledger, put_closes
    ),
    components(schemas(
        ApiError, PositionsHistory, PositionsVersion, Closes, RoomView, Draft, DraftInput,
        ResponseInput, Answer, Board, PartyAnalysis
    )),
    modifiers(&BearerTokens)
)]
struct ApiDoc;

/// Room tokens as HTTP bearer tokens.
struct BearerTokens;

impl utoipa::Modify for BearerTokens {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let scheme =
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build());
        match api.components.as_mut() {
            Some(c) => c.add_security_scheme("bearer", scheme),
            None => {
                let mut c = utoipa::openapi::Components::new();
                c.add_security_scheme("bearer", scheme);
                api.components = Some(c);
            }
        }
    }
}

/// The OpenAPI document served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    <ApiDoc as utoipa::OpenApi>::openapi()
}
