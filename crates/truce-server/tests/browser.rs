//! The dashboard in a real browser (headless Chromium through ChromeDriver,
//! Debian's `chromium` and `chromium-driver`): a whole round. The mediator
//! signs in and issues a draft; two parties, each in a browser session of
//! its own, enter their positions through the form and answer; the
//! mediator's board shows both answers. A party's pages never show the
//! other's values, in the text or the HTML. Every page is saved as a PNG
//! (in `TRUCE_SCREENSHOTS`, default `target/screenshots`; docs/dashboard.md
//! shows them).
//!
//! CI installs Chromium; without it the test fails there, and elsewhere
//! says it did not run.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use truce_engine::{parse_scenario, Scenario};
use truce_store::testing::scratch_ledgers;
use truce_store::Ledger;

mod common;

/// Ukraine's and Russia's marker values: each enters its own, and neither
/// may ever appear on the other's pages.
const UKRAINE_MARK: &str = "0.4217";
const RUSSIA_MARK: &str = "0.6389";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// ChromeDriver on a free port, or none where it is not installed (a
/// failure in CI).
fn chromedriver() -> Option<(Driver, u16)> {
    let port = free_port();
    match Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => Some((Driver(child), port)),
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "chromedriver is needed in CI (apt-get install chromium chromium-driver): {e}"
            );
            eprintln!("browser test NOT RUN: no chromedriver ({e})");
            None
        }
    }
}

async fn browser(port: u16) -> Client {
    // Two TLS back ends come with the WebDriver client; name one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1100,1400"]}),
    );
    // ChromeDriver needs a moment to listen.
    for _ in 0..100 {
        if let Ok(c) = ClientBuilder::rustls()
            .expect("rustls")
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer");
}

fn shots() -> PathBuf {
    let dir = std::env::var_os("TRUCE_SCREENSHOTS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Saves the whole page as `name.png` (the window made as tall as the
/// page first).
async fn screenshot(c: &Client, name: &str) {
    let height = c
        .execute("return document.documentElement.scrollHeight", vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(1400)
        .clamp(600, 12_000);
    c.set_window_size(1100, height as u32).await.unwrap();
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "{name} is not a PNG");
    std::fs::write(shots().join(format!("{name}.png")), png).unwrap();
    c.set_window_size(1100, 1400).await.unwrap();
}

async fn text(c: &Client) -> String {
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn sign_in(c: &Client, base: &str, token: &str) {
    visit(c, &format!("{base}/")).await;
    c.find(Locator::Id("token"))
        .await
        .unwrap()
        .send_keys(token)
        .await
        .unwrap();
    submit(c, "button[type=submit]").await;
    let want = format!("{base}/room");
    for _ in 0..100 {
        if c.current_url().await.unwrap().as_str() == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "signing in led to {} showing: {}",
        c.current_url().await.unwrap(),
        text(c).await
    );
}

async fn set(c: &Client, id: &str, value: &str) {
    let e = c
        .find(Locator::Css(&format!("[id=\"{id}\"]")))
        .await
        .unwrap_or_else(|_| panic!("no field {id}"));
    e.clear().await.unwrap();
    e.send_keys(value).await.unwrap();
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("nothing matches {css}"))
        .click()
        .await
        .unwrap();
}

/// Clicks a form's button and waits for the page it leads to.
async fn submit(c: &Client, css: &str) {
    c.execute("window.truceOldPage = true; return null", vec![])
        .await
        .unwrap();
    click(c, css).await;
    arrived(c, css).await;
}

/// Goes to `url` and waits until the new page is there (not the old one
/// still showing).
async fn visit(c: &Client, url: &str) {
    c.execute("window.truceOldPage = true; return null", vec![])
        .await
        .unwrap();
    c.goto(url).await.unwrap();
    arrived(c, url).await;
}

/// Waits until the page marked as old has given way to a loaded one.
async fn arrived(c: &Client, what: &str) {
    for _ in 0..200 {
        let fresh = c
            .execute(
                "return window.truceOldPage === undefined && document.readyState === 'complete'",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if fresh {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{what} led to no page");
}

/// Enters `party`'s positions from the shipped example through the form,
/// with `mark` as its value of the first option of its last issue.
async fn enter_positions(c: &Client, s: &Scenario, party: &str, mark: &str) {
    let p = s.party_index(party).unwrap();
    let prefs = s.preferences[p].as_ref().unwrap();
    set(c, "reservation", &prefs.reservation.value.to_string()).await;
    let last = s.issues.len() - 1;
    for (i, (issue, pref)) in s.issues.iter().zip(&prefs.issues).enumerate() {
        set(
            c,
            &format!("weight.{}", issue.id),
            &pref.weight.value.to_string(),
        )
        .await;
        for (o, option) in issue.options.iter().enumerate() {
            let v = pref
                .values
                .get(o)
                .map(|v| v.value)
                .or_else(|| pref.implied_value(issue, o));
            let text = match (i == last && o == 0, v) {
                (true, _) => mark.to_string(),
                (false, Some(v)) => v.to_string(),
                (false, None) => String::new(),
            };
            set(c, &format!("value.{}.{}", issue.id, option.id), &text).await;
        }
    }
    for (k, r) in s.red_lines.iter().filter(|r| r.party == p).enumerate() {
        set(c, &format!("red_label.{k}"), &r.label).await;
        set(c, &format!("red_rule.{k}"), &r.rule).await;
    }
    submit(c, "form[action='/room/positions'] button[type=submit]").await;
}

#[test]
fn a_whole_round_in_the_browser() {
    let Some((_driver, port)) = chromedriver() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = scratch_ledgers(dir.path(), "browser")
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let text_of_example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/ukraine-2025.toml"
    ))
    .unwrap();
    let scenario = parse_scenario(&text_of_example).unwrap();
    let (room, observer_token) = {
        let mut ledger = Ledger::open(&db.location).unwrap();
        let room = truce_server::create_room(&mut ledger, &scenario, Some("2099-12-31")).unwrap();
        let observer = truce_server::invite_observer(&mut ledger, &room.room).unwrap();
        (room, observer)
    };
    let server = common::start(&db);
    let base = server.root.clone();
    server.runtime.block_on(async {
        // The mediator signs in and issues a draft from the Paris plan.
        let mediator = browser(port).await;
        visit(&mediator, &format!("{base}/")).await;
        screenshot(&mediator, "01-sign-in").await;
        sign_in(&mediator, &base, &room.mediator_token).await;
        assert!(text(&mediator).await.contains("you run the text"));
        mediator
            .find(Locator::Css("#source"))
            .await
            .unwrap()
            .select_by_label("Paris proposal, April 2025")
            .await
            .unwrap();
        set(&mediator, "note", "The Paris text, for your caveats").await;
        submit(&mediator, "form[action='/room/drafts'] button[type=submit]").await;
        let page = text(&mediator).await;
        assert!(page.contains("Draft 1 issued"), "{page}");
        assert!(page.contains("not answered yet"));

        // Ukraine, in a browser of its own: positions, then its answer.
        let ukraine = browser(port).await;
        sign_in(&ukraine, &base, &room.tokens["ukraine"]).await;
        // A mistake first: a red line naming an option that does not
        // exist comes back with its place, and the form as sent.
        set(&ukraine, "red_label.1", "no deal on Crimea").await;
        set(&ukraine, "red_rule.1", "crimea != \"narnia\"").await;
        enter_positions(&ukraine, &scenario, "ukraine", UKRAINE_MARK).await;
        let page = text(&ukraine).await;
        assert!(
            page.contains("Not saved") && page.contains("narnia"),
            "{page}"
        );
        assert!(
            ukraine.source().await.unwrap().contains(UKRAINE_MARK),
            "the form keeps what was sent"
        );
        screenshot(&ukraine, "04-party-positions-refused").await;
        set(&ukraine, "red_label.1", "").await;
        set(&ukraine, "red_rule.1", "").await;
        enter_positions(&ukraine, &scenario, "ukraine", UKRAINE_MARK).await;
        let page = text(&ukraine).await;
        assert!(
            page.contains("Your positions are saved (version 1)"),
            "{page}"
        );
        click(&ukraine, "input[name='answer.crimea'][value='caveat']").await;
        ukraine
            .find(Locator::Css("[id='option.crimea']"))
            .await
            .unwrap()
            .select_by_value("not_recognised")
            .await
            .unwrap();
        set(
            &ukraine,
            "note.crimea",
            "no recognition, de jure or otherwise",
        )
        .await;
        click(
            &ukraine,
            "input[name='overall'][value='accept_with_caveats']",
        )
        .await;
        submit(
            &ukraine,
            "form[action='/room/drafts/1/answer'] button[type=submit]",
        )
        .await;
        let page = text(&ukraine).await;
        assert!(
            page.contains("Your answer to draft 1 is recorded"),
            "{page}"
        );
        assert!(page.contains("you accept it with caveats"), "{page}");
        screenshot(&ukraine, "05-party-ukraine").await;

        // Russia, in another: positions, then a rejection.
        let russia = browser(port).await;
        sign_in(&russia, &base, &room.tokens["russia"]).await;
        enter_positions(&russia, &scenario, "russia", RUSSIA_MARK).await;
        assert!(text(&russia).await.contains("Your positions are saved"));
        click(&russia, "input[name='answer.sanctions'][value='reject']").await;
        click(&russia, "input[name='overall'][value='reject']").await;
        submit(
            &russia,
            "form[action='/room/drafts/1/answer'] button[type=submit]",
        )
        .await;
        assert!(text(&russia)
            .await
            .contains("Your answer to draft 1 is recorded"));
        screenshot(&russia, "06-party-russia").await;

        // Neither party's pages show the other's values, in the text or
        // the HTML; nor the other's answer while the board is private.
        for (c, own, other) in [
            (&ukraine, UKRAINE_MARK, RUSSIA_MARK),
            (&russia, RUSSIA_MARK, UKRAINE_MARK),
        ] {
            for path in ["/room", "/room/record"] {
                visit(c, &format!("{base}{path}")).await;
                let html = c.source().await.unwrap();
                let page = text(c).await;
                assert!(
                    !html.contains(other) && !page.contains(other),
                    "{path} shows {other}"
                );
                if path == "/room" {
                    assert!(html.contains(own), "{path} lacks its own {own}");
                }
            }
        }
        visit(&ukraine, &format!("{base}/room/record")).await;
        let record = text(&ukraine).await;
        assert!(!record.contains("russia rejects"), "{record}");

        // The mediator's board: provision × party.
        visit(&mediator, &format!("{base}/room")).await;
        let board = mediator
            .find(Locator::Css("table.board"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            board.contains("caveat: not recognised as Russian"),
            "{board}"
        );
        assert!(
            board.contains("accepts with caveats") && board.contains("rejects"),
            "{board}"
        );
        let page = text(&mediator).await;
        assert!(page.contains("entered by the party"), "{page}");
        assert!(mediator
            .find(Locator::Css("svg.support-picture"))
            .await
            .is_ok());
        screenshot(&mediator, "03-mediator-board").await;

        // Published, the board reaches the record for everyone.
        submit(
            &mediator,
            "form[action='/room/drafts/1/publish'] button[type=submit]",
        )
        .await;
        assert!(text(&mediator).await.contains("public to the room"));
        visit(&ukraine, &format!("{base}/room/record")).await;
        let record = text(&ukraine).await;
        assert!(record.contains("russia rejects draft 1"), "{record}");
        screenshot(&ukraine, "07-record").await;

        // The page's own policy lets no script send anything.
        let fetched = mediator
            .execute(
                "return fetch('/room').then(() => 'sent', () => 'blocked')",
                vec![],
            )
            .await;
        assert!(
            fetched.is_err() || fetched.as_ref().unwrap().as_str() == Some("blocked"),
            "{fetched:?}"
        );
        // With the session's cookie but not its form token, or from
        // another origin, a form is refused.
        let session = mediator.get_named_cookie("truce_session").await.unwrap();
        let csrf = mediator
            .find(Locator::Css("input[name=csrf]"))
            .await
            .unwrap()
            .attr("value")
            .await
            .unwrap()
            .unwrap();
        let cookie = format!("truce_session={}", session.value());
        let url = format!("{base}/room/drafts");
        let statuses = tokio::task::spawn_blocking(move || {
            let post = |origin: Option<&str>, token: &str| {
                let mut r = ureq::post(&url).set("Cookie", &cookie);
                if let Some(o) = origin {
                    r = r.set("Origin", o);
                }
                match r.send_form(&[("csrf", token), ("source", "crimea=de_jure")]) {
                    Ok(resp) => resp.status(),
                    Err(ureq::Error::Status(code, _)) => code,
                    Err(e) => panic!("{e}"),
                }
            };
            (
                post(None, "not-the-token"),
                post(Some("http://evil.example"), &csrf),
            )
        })
        .await
        .unwrap();
        assert_eq!(statuses, (403, 403));
        visit(&mediator, &format!("{base}/room")).await;
        screenshot(&mediator, "02-mediator").await;

        // An observer sees the text and the published board, no positions.
        let observer = browser(port).await;
        sign_in(&observer, &base, &observer_token).await;
        let page = text(&observer).await;
        assert!(page.contains("You observe") && page.contains("rejects"), "{page}");
        let html = observer.source().await.unwrap();
        assert!(!html.contains(UKRAINE_MARK) && !html.contains(RUSSIA_MARK));
        screenshot(&observer, "09-observer").await;
        observer.close().await.unwrap();

        // On a phone's width the party's page is one column, nothing wider
        // than the screen.
        russia.set_window_size(390, 844).await.unwrap();
        visit(&russia, &format!("{base}/room")).await;
        let overflow = russia
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
                vec![],
            )
            .await
            .unwrap();
        let wide = russia
            .execute(
                "const w = document.documentElement.clientWidth; return Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > w + 1).slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            overflow.as_i64().unwrap_or(1) <= 0,
            "wider than a phone by {overflow}: {wide}"
        );
        let png = russia.screenshot().await.unwrap();
        std::fs::write(shots().join("08-party-on-a-phone.png"), png).unwrap();
        russia.set_window_size(1100, 1400).await.unwrap();

        // Signed out, the room is closed to this browser.
        submit(&ukraine, "header form[action='/signout'] button").await;
        visit(&ukraine, &format!("{base}/room")).await;
        assert!(text(&ukraine).await.contains("Sign in to a room"));

        for c in [mediator, ukraine, russia] {
            c.close().await.unwrap();
        }
    });
}

/// `truce report`'s file opens from disk in Chromium with every picture
/// drawn and nothing fetched.
#[test]
fn the_report_opens_offline_with_every_picture() {
    let Some((_driver, port)) = chromedriver() else {
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(root.join("examples/ukraine-2025.toml")).unwrap();
    let s = parse_scenario(&text).unwrap();
    let a = truce_engine::analysis::analyze(&s, &Default::default()).unwrap();
    let pair = truce_present::report::default_pair(&a);
    let d = pair.and_then(|(x, y)| truce_engine::analysis::density::density(&s, &a, x, y, 40));
    let mut config = truce_sim::Config::from_scenario(&s);
    config.set(&truce_engine::simulation::Setting::runs(500).unwrap());
    let sim = truce_sim::simulate(&s, &config, &s.simulation.vary, &|_| {}).unwrap();
    let ledger = std::fs::read_to_string(root.join("examples/ukraine-2025.ledger.jsonl")).unwrap();
    let records = truce_ledger::read_jsonl(&ledger).unwrap();
    let status = truce_ledger::status_at(&records, "2025-04-25".parse().unwrap());
    let html = truce_present::report::report_html(&truce_present::report::ReportInput {
        scenario: &s,
        analysis: &a,
        density: d.as_ref(),
        pair,
        simulation: Some(&sim),
        ledger: Some((&records, &status)),
        ledger_name: Some("examples/ukraine-2025.ledger.jsonl"),
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    std::fs::write(&file, html).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let c = browser(port).await;
        c.goto(&format!("file://{}", file.display())).await.unwrap();
        let drawn = c
            .execute(
                "return Array.from(document.querySelectorAll('svg.picture')).map(s => [s.getAttribute('class'), s.getBoundingClientRect().height])",
                vec![],
            )
            .await
            .unwrap();
        let drawn = drawn.as_array().unwrap();
        for kind in [
            "frontier-picture",
            "support-picture",
            "compare-picture",
            "odds-picture",
            "outcomes-picture",
            "variations-picture",
            "timeline-picture",
        ] {
            let found = drawn.iter().find(|p| p[0].as_str().unwrap().contains(kind));
            let height = found.and_then(|p| p[1].as_f64()).unwrap_or(0.0);
            assert!(height > 50.0, "{kind} is not drawn ({height} px)");
        }
        let fetched = c
            .execute("return performance.getEntriesByType('resource').length", vec![])
            .await
            .unwrap();
        assert_eq!(fetched.as_u64(), Some(0), "the report fetched something");
        screenshot(&c, "10-report").await;
        c.close().await.unwrap();
    });
}
