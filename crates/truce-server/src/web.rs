//! The dashboard: pages at `/` for people, over the same operations as the
//! API (`ops`). A room token signs in once; the browser then holds only a
//! session cookie (HttpOnly, SameSite=Strict, Secure over TLS) that scripts
//! cannot read. Every form carries the session's cross-site token, and a
//! request from another origin is refused. What a page may show is what
//! the API would answer the same token; a refusal is the same "not found".

use crate::api::{as_member, token_room, ApiError, Shared};
use crate::ops::{self, Kind};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use rand::RngCore;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use truce_present::dashboard::{self as pages, Problem, Signed};
use truce_room::form::PositionsForm;
use truce_room::{DraftInput, Overall, PositionsFormat, ProvisionAnswer, ResponseInput, Role};
use truce_store::rooms::token_hash;

/// The session cookie's name.
pub const COOKIE: &str = "truce_session";

/// A session lasts this long after sign-in.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);

/// At most this many sessions are kept; past it the oldest go first.
pub const MAX_SESSIONS: usize = 10_000;

/// A signed-in browser.
#[derive(Clone)]
struct Session {
    /// The hash of the room token it signed in with (checked again on
    /// every request, so a replaced token ends its sessions).
    token: String,
    room: String,
    csrf: String,
    created: Instant,
    /// A message for the next page.
    flash: Option<String>,
}

/// The server's sessions, by the hash of their cookie value (memory only:
/// a restart signs everyone out).
#[derive(Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
}

fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Sessions {
    fn start(&self, token: String, room: String) -> Result<String, ApiError> {
        let id = random_hex();
        let mut map = self
            .map
            .lock()
            .map_err(|_| ApiError::internal("sessions"))?;
        map.retain(|_, s| s.created.elapsed() < SESSION_LIFETIME);
        while map.len() >= MAX_SESSIONS {
            let Some(oldest) = map
                .iter()
                .min_by_key(|(_, s)| s.created)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            map.remove(&oldest);
        }
        map.insert(
            token_hash(&id),
            Session {
                token,
                room,
                csrf: random_hex(),
                created: Instant::now(),
                flash: None,
            },
        );
        Ok(id)
    }

    fn get(&self, id: &str) -> Option<Session> {
        let map = self.map.lock().ok()?;
        map.get(&token_hash(id))
            .filter(|s| s.created.elapsed() < SESSION_LIFETIME)
            .cloned()
    }

    fn take_flash(&self, id: &str) -> Option<String> {
        let mut map = self.map.lock().ok()?;
        map.get_mut(&token_hash(id))?.flash.take()
    }

    fn set_flash(&self, id: &str, text: String) {
        if let Ok(mut map) = self.map.lock() {
            if let Some(s) = map.get_mut(&token_hash(id)) {
                s.flash = Some(text);
            }
        }
    }

    fn end(&self, id: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(&token_hash(id));
        }
    }
}

/// The session cookie's value in a request.
fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| v.len() == 64)
}

/// Whether a request comes from this site: no `Origin`, or one whose host
/// is the request's `Host` (a form posted from elsewhere carries its own).
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host)
}

/// Headers every page gets: no script, no framing, nothing cached.
fn page_headers(r: &mut Response) {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // "same-origin", not "no-referrer": with no referrer at all a browser
    // sends `Origin: null` on its own forms, which the origin check refuses.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

fn html(status: StatusCode, body: String) -> Response {
    let mut r = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response();
    page_headers(&mut r);
    r
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// The page for an error from an operation: not found looks the same
/// whatever was refused; a token no longer valid signs out.
fn error_page(e: ApiError, signed: Option<&Signed>) -> Response {
    match e.status {
        401 => see_other("/"),
        404 => html(
            StatusCode::NOT_FOUND,
            pages::page("Not found", signed, pages::message("Not found", None)),
        ),
        status => html(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            pages::page(
                "Not done",
                signed,
                pages::message("Not done", Some(&e.message)),
            ),
        ),
    }
}

fn problems_of(e: &ApiError) -> Vec<Problem> {
    if e.problems.is_empty() {
        return vec![Problem {
            message: e.message.clone(),
            path: e.path.clone(),
            place: None,
        }];
    }
    e.problems
        .iter()
        .map(|d| Problem {
            message: d.message.clone(),
            path: d.path.clone(),
            place: d.line.zip(d.column),
        })
        .collect()
}

fn role_label(public: &truce_engine::ScenarioParts, role: &Role) -> String {
    match role {
        Role::Mediator => "mediator".into(),
        Role::Observer => "observer".into(),
        Role::Party(p) => public
            .parties
            .iter()
            .find(|x| &x.id == p)
            .map_or_else(|| p.clone(), |x| x.name.clone()),
    }
}

/// The dashboard's routes.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/", get(home))
        .route("/signin", post(sign_in))
        .route("/signout", post(sign_out))
        .route("/room", get(room_page))
        .route("/room/record", get(record_page))
        .route("/room/drafts", post(issue_draft))
        .route("/room/drafts/{n}/publish", post(publish))
        .route("/room/drafts/{n}/answer", post(answer))
        .route("/room/positions", post(positions))
        .route("/room/closes", post(closes))
        .route("/static/truce.css", get(stylesheet))
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        pages::STYLESHEET,
    )
        .into_response()
}

async fn home(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    match cookie(&headers).and_then(|c| s.sessions.get(&c)) {
        Some(_) => see_other("/room"),
        None => html(StatusCode::OK, pages::sign_in(None)),
    }
}

#[derive(serde::Deserialize)]
struct SignIn {
    token: String,
}

async fn sign_in(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Form(f): Form<SignIn>,
) -> Response {
    if !same_origin(&headers) {
        return html(
            StatusCode::FORBIDDEN,
            pages::sign_in(Some("This form was sent from another site.")),
        );
    }
    let token = f.token.trim();
    let refused = || {
        html(
            StatusCode::UNAUTHORIZED,
            pages::sign_in(Some(
                "That token opens no room. Check it, or ask the mediator for a new one (a new invitation replaces the old token).",
            )),
        )
    };
    if token.is_empty() || token.len() > 200 {
        return refused();
    }
    let hash = token_hash(token);
    match token_room(s.clone(), hash.clone()).await {
        Ok(Some((room, _))) => match s.sessions.start(hash, room) {
            Ok(id) => {
                let mut r = see_other("/room");
                let secure = if s.secure() { "; Secure" } else { "" };
                if let Ok(v) = HeaderValue::from_str(&format!(
                    "{COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
                    SESSION_LIFETIME.as_secs()
                )) {
                    r.headers_mut().insert(header::SET_COOKIE, v);
                }
                r
            }
            Err(e) => error_page(e, None),
        },
        Ok(None) => refused(),
        Err(e) => error_page(e, None),
    }
}

/// The session of a request that changes something: signed in, from this
/// site, with the session's cross-site token.
fn posting(
    s: &Shared,
    headers: &HeaderMap,
    fields: &[(String, String)],
) -> Result<(String, Session), Response> {
    let Some((id, session)) = cookie(headers).and_then(|c| s.sessions.get(&c).map(|x| (c, x)))
    else {
        return Err(see_other("/"));
    };
    let sent = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    // Compared as hashes: the time taken says nothing about the token.
    let same = sent.is_some_and(|t| token_hash(t) == token_hash(&session.csrf));
    if !same_origin(headers) || !same {
        return Err(html(
            StatusCode::FORBIDDEN,
            pages::page(
                "Refused",
                None,
                pages::message(
                    "Refused",
                    Some("This form was not sent from this room's page. Reload the page and send it again."),
                ),
            ),
        ));
    }
    Ok((id, session))
}

async fn sign_out(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    match posting(&s, &headers, &fields) {
        Ok((id, _)) => {
            s.sessions.end(&id);
            let mut r = see_other("/");
            if let Ok(v) = HeaderValue::from_str(&format!(
                "{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
            )) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            r
        }
        Err(r) => r,
    }
}

/// What a room page needs beyond the operation's answer.
struct PageCtx {
    id: String,
    session: Session,
}

fn signed_in(s: &Shared, headers: &HeaderMap) -> Option<PageCtx> {
    let id = cookie(headers)?;
    let session = s.sessions.get(&id)?;
    Some(PageCtx { id, session })
}

/// Renders the room page for the session's member; `problems` and
/// `positions` carry a form sent back with its mistakes.
async fn render_room(
    s: Arc<Shared>,
    ctx: PageCtx,
    status: StatusCode,
    problems: Vec<Problem>,
    positions: Option<PositionsForm>,
) -> Response {
    let flash = s.sessions.take_flash(&ctx.id);
    let csrf = ctx.session.csrf.clone();
    let out = as_member(
        s.clone(),
        ctx.session.token.clone(),
        ctx.session.room.clone(),
        move |m| {
            let today = truce_store::rooms::today();
            let label = role_label(m.public, m.role);
            let drafts = ops::drafts(m)?;
            let body = match m.role.clone() {
                Role::Mediator => {
                    let board = match drafts.last() {
                        Some((d, _)) => Some(ops::board(m, d.number)?),
                        None => None,
                    };
                    let analysis = ops::mediator_analysis(m);
                    let current = drafts.last().map(|(d, _)| d.number);
                    let frontier = analysis.as_ref().ok().and_then(|a| {
                        let (x, y) = truce_present::report::default_pair(&a.analysis)?;
                        let d = truce_engine::analysis::density::density(
                            &a.scenario,
                            &a.analysis,
                            x,
                            y,
                            30,
                        );
                        truce_pictures::frontier::frontier(
                            &a.scenario,
                            &a.analysis,
                            x,
                            y,
                            d.as_ref(),
                        )
                    });
                    let view = match &analysis {
                        Ok(a) => Ok(pages::MediatorAnalysisView {
                            sources: &a.sources,
                            scenario: &a.scenario,
                            analysis: &a.analysis,
                            improvements: current
                                .and_then(|n| a.improvements.get(&n))
                                .map_or(&[][..], |v| v.as_slice()),
                            frontier,
                        }),
                        Err(e) => Err(format!("No analysis yet: {}", e.message)),
                    };
                    pages::mediator_page(&pages::MediatorPage {
                        room: m.room,
                        public: m.public,
                        closes: m.closes.as_deref(),
                        today,
                        drafts: &drafts,
                        board: board.as_ref(),
                        analysis: view,
                        flash: flash.as_deref(),
                        problems: &problems,
                        csrf: &csrf,
                    })
                }
                Role::Party(party) => {
                    let current = drafts.last().map(|(d, _)| d.clone());
                    let answer = match &current {
                        Some(d) => ops::own_answer(m, d.number)?,
                        None => None,
                    };
                    let history = ops::positions(m, &party, Kind::Entered)?;
                    let form = match positions {
                        Some(f) => f,
                        None => history
                            .versions
                            .last()
                            .and_then(|v| {
                                let format = if v.format == "json" {
                                    PositionsFormat::Json
                                } else {
                                    PositionsFormat::Toml
                                };
                                truce_room::read_positions(m.public, &party, &v.body, format).ok()
                            })
                            .map(|p| PositionsForm::from_positions(m.public, &p))
                            .unwrap_or_default(),
                    };
                    let standing = ops::own_analysis(m);
                    let picture = standing.as_ref().ok().and_then(|(_, own)| {
                        let a = truce_engine::analysis::analyze(own, &Default::default()).ok()?;
                        truce_pictures::support::support(own, &a)
                    });
                    let standing_view = match &standing {
                        Ok((a, _)) => Ok((a, picture)),
                        // The API's message names its endpoint; the page has the form.
                        Err(e) if e.status == 409 => Err(
                            "Enter your positions below to see where you stand on each draft."
                                .into(),
                        ),
                        Err(e) => Err(e.message.clone()),
                    };
                    pages::party_page(&pages::PartyPage {
                        party: &party,
                        public: m.public,
                        closes: m.closes.as_deref(),
                        today,
                        current: current.as_ref(),
                        answer: answer.as_ref(),
                        standing: standing_view,
                        form: &form,
                        versions: history.versions.len(),
                        flash: flash.as_deref(),
                        problems: &problems,
                        csrf: &csrf,
                    })
                }
                Role::Observer => {
                    let current = match drafts.last() {
                        Some((d, published)) => {
                            let board = if *published {
                                Some(ops::board(m, d.number)?)
                            } else {
                                None
                            };
                            Some((d.clone(), board))
                        }
                        None => None,
                    };
                    pages::observer_page(
                        m.public,
                        m.closes.as_deref(),
                        today,
                        current.as_ref().map(|(d, b)| (d, b.as_ref())),
                    )
                }
            };
            Ok((m.public.name.clone(), label, body))
        },
    )
    .await;
    match out {
        Ok((name, label, body)) => {
            let signed = Signed {
                room_name: &name,
                role: label,
                csrf: &ctx.session.csrf,
            };
            html(status, pages::page(&name, Some(&signed), body))
        }
        Err(e) => error_page(e, None),
    }
}

async fn room_page(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    match signed_in(&s, &headers) {
        Some(ctx) => render_room(s, ctx, StatusCode::OK, Vec::new(), None).await,
        None => see_other("/"),
    }
}

async fn record_page(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let Some(ctx) = signed_in(&s, &headers) else {
        return see_other("/");
    };
    let out = as_member(
        s.clone(),
        ctx.session.token.clone(),
        ctx.session.room.clone(),
        |m| {
            let records = ops::public_record(m)?;
            let status = truce_ledger::status_at(&records, truce_store::rooms::today().into());
            let picture = truce_pictures::timeline::timeline(&records, &status);
            Ok((
                m.public.name.clone(),
                role_label(m.public, m.role),
                pages::record_page(m.public, &records, picture),
            ))
        },
    )
    .await;
    match out {
        Ok((name, label, body)) => {
            let signed = Signed {
                room_name: &name,
                role: label,
                csrf: &ctx.session.csrf,
            };
            html(StatusCode::OK, pages::page("Record", Some(&signed), body))
        }
        Err(e) => error_page(e, None),
    }
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Runs a form's operation; on success back to the room with `done`'s
/// message, on a mistake the room again with the problems (422) and, for
/// the positions form (`resend`), the form as it was sent.
async fn act<T: Send + 'static>(
    s: Arc<Shared>,
    headers: HeaderMap,
    fields: Vec<(String, String)>,
    resend: bool,
    op: impl FnOnce(&mut ops::Member, &[(String, String)]) -> Result<T, ApiError> + Send + 'static,
    done: impl FnOnce(T) -> String,
) -> Response {
    let (id, session) = match posting(&s, &headers, &fields) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let sent = if resend { fields.clone() } else { Vec::new() };
    let out = as_member(
        s.clone(),
        session.token.clone(),
        session.room.clone(),
        move |m| op(m, &fields),
    )
    .await;
    match out {
        Ok(x) => {
            s.sessions.set_flash(&id, done(x));
            see_other("/room")
        }
        Err(e) if e.status == 422 || e.status == 409 => {
            let problems = problems_of(&e);
            let form = resend
                .then(|| s.public_of(&session.room))
                .flatten()
                .map(|p| PositionsForm::from_fields(&p, &sent));
            render_room(
                s,
                PageCtx { id, session },
                StatusCode::UNPROCESSABLE_ENTITY,
                problems,
                form,
            )
            .await
        }
        Err(e) => error_page(e, None),
    }
}

async fn issue_draft(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    act(
        s,
        headers,
        fields,
        false,
        |m, f| {
            let provisions = field(f, "source")
                .unwrap_or("")
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .map(|(i, o)| (i.to_string(), o.to_string()))
                .collect();
            let note = field(f, "note")
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(String::from);
            let input = DraftInput {
                plan: None,
                provisions,
                best_and_final: field(f, "best_and_final") == Some("yes"),
                note,
            };
            ops::issue_draft(m, input)
        },
        |d| format!("Draft {} issued.", d.number),
    )
    .await
}

async fn publish(
    State(s): State<Arc<Shared>>,
    Path(n): Path<u32>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    act(
        s,
        headers,
        fields,
        false,
        move |m, _| ops::publish(m, n),
        move |_| format!("The board of draft {n} is public to the room."),
    )
    .await
}

async fn answer(
    State(s): State<Arc<Shared>>,
    Path(n): Path<u32>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    act(
        s,
        headers,
        fields,
        false,
        move |m, f| {
            let (draft, _) = ops::one_draft(m, n)?;
            let note = |issue: &str| {
                field(f, &format!("note.{issue}"))
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(String::from)
            };
            let mut provisions = std::collections::BTreeMap::new();
            for p in &draft.provisions {
                let a = match field(f, &format!("answer.{}", p.issue)) {
                    Some("caveat") => ProvisionAnswer::Caveat {
                        option: field(f, &format!("option.{}", p.issue))
                            .unwrap_or("")
                            .to_string(),
                        note: note(&p.issue),
                    },
                    Some("reject") => ProvisionAnswer::Reject {
                        note: note(&p.issue),
                    },
                    _ => ProvisionAnswer::Accept,
                };
                provisions.insert(p.issue.clone(), a);
            }
            let overall = match field(f, "overall") {
                Some("accept") => Overall::Accept,
                Some("accept_with_caveats") => Overall::AcceptWithCaveats,
                Some("reject") => Overall::Reject,
                _ => {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "choose an answer to the whole text",
                    ))
                }
            };
            ops::answer_draft(
                m,
                n,
                ResponseInput {
                    provisions,
                    overall,
                },
            )
        },
        move |_| format!("Your answer to draft {n} is recorded."),
    )
    .await
}

async fn positions(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    act(
        s,
        headers,
        fields,
        true,
        |m, f| {
            let Role::Party(party) = m.role.clone() else {
                return Err(ApiError::not_found());
            };
            let form = PositionsForm::from_fields(m.public, f);
            let toml = form.to_toml(m.public, &party).map_err(ApiError::invalid)?;
            ops::enter_positions(
                m,
                &party,
                Kind::Entered,
                PositionsFormat::Toml,
                toml.as_bytes(),
            )
        },
        |h| format!("Your positions are saved (version {}).", h.versions.len()),
    )
    .await
}

async fn closes(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    act(
        s,
        headers,
        fields,
        false,
        |m, f| {
            let day = match field(f, "closes").map(str::trim).filter(|d| !d.is_empty()) {
                None => None,
                Some(d) => Some(d.parse::<truce_engine::Date>().map_err(|_| {
                    ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        format!("`{d}` is not a day (YYYY-MM-DD)"),
                    )
                })?),
            };
            ops::set_closes(m, day)
        },
        |d| match d {
            Some(d) => format!("Drafts may now be issued until {d}."),
            None => "The room has no deadline for drafts now.".into(),
        },
    )
    .await
}

/// The page for a path that is nothing.
pub(crate) fn not_found_page() -> Response {
    error_page(ApiError::not_found(), None)
}
