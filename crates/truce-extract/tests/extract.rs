//! The reader on any text (no panic, spans that hold), on dates, and on
//! the annotated reports: the development set in ../shared/news-dev and
//! our own annotation of the seed report.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

use proptest::prelude::*;
use std::path::PathBuf;
use truce_extract::dates::find;
use truce_extract::evaluate::{parse_gold, score, Score};
use truce_extract::{extract, parse_article, Date, Options};

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    if p.exists() {
        Some(p)
    } else if std::env::var_os("CI").is_some() {
        panic!("{} is missing", p.display());
    } else {
        eprintln!("skipping: {} is not here", p.display());
        None
    }
}

fn day(s: &str) -> Option<Date> {
    Some(s.parse().unwrap())
}

#[test]
fn dates_resolve_against_the_publication_day() {
    // 2025-04-19 is a Saturday.
    let p = day("2025-04-19");
    let r = |s: &str| find(s, p, None).and_then(|d| d.resolved);
    assert_eq!(r("He said on Wednesday that"), Some("2025-04-16".into()));
    assert_eq!(r("Putin on Saturday declared"), Some("2025-04-19".into()));
    assert_eq!(r("Rubio said on April 18 that"), Some("2025-04-18".into()));
    assert_eq!(r("on 18 April 2024, he"), Some("2024-04-18".into()));
    assert_eq!(r("said yesterday"), Some("2025-04-18".into()));
    assert_eq!(r("talks last week"), Some("2025-04-07/2025-04-13".into()));
    assert_eq!(r("earlier this week"), Some("2025-04-14/2025-04-18".into()));
    assert_eq!(r("last month"), Some("2025-03".into()));
    // A date after publication, without a year, is last year's.
    assert_eq!(r("on December 3"), Some("2024-12-03".into()));
    assert_eq!(r("no date here"), None);
    // Without a publication day: said so, not guessed.
    let d = find("said on Wednesday", None, None).unwrap();
    assert!(d.resolved.is_none());
    assert!(d.unresolved.unwrap().contains("publication date"));
    // A year from elsewhere (a scenario) resolves a date without one.
    assert_eq!(
        find("on April 18", None, Some(2025)).and_then(|d| d.resolved),
        Some("2025-04-18".into())
    );
}

#[test]
fn a_quotation_is_attributed_with_its_outlet_and_date() {
    let text = "Title\nDate: 2025-04-19\nSource: https://example.org/x\n\n\
        “We will not accept any deal that rewards aggression,” the foreign minister said on Friday.\n\
        Peskov told Reuters the Kremlin rejected the proposal.\n";
    let a = parse_article(text);
    assert_eq!(a.title.as_deref(), Some("Title"));
    assert_eq!(a.published, day("2025-04-19"));
    let c = extract(&a, &Options::default());
    assert_eq!(c.len(), 2, "{c:#?}");
    assert!(c[0]
        .words
        .as_deref()
        .unwrap()
        .starts_with("We will not accept"));
    assert_eq!(
        c[0].date.as_ref().unwrap().resolved.as_deref(),
        Some("2025-04-18")
    );
    assert_eq!(c[1].speaker.as_ref().unwrap().label(), "Dmitry Peskov");
    assert_eq!(c[1].via.as_deref(), Some("Reuters"));
    assert_eq!(c[1].affiliation.as_deref(), Some("russia"));
    assert_eq!(c[1].kind.name(), "rejection");
    // Spans point at the text they quote.
    let chars: Vec<char> = text.chars().collect();
    for x in &c {
        let s: String = chars[x.span[0]..x.span[1]].iter().collect();
        assert_eq!(s.trim(), x.text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Any text: no panic, every span inside the text, its text the
    /// characters it covers, confidence between 0 and 1.
    #[test]
    fn any_text_reads_without_panic(
        parts in prop::collection::vec(
            prop_oneof![
                Just("Trump said".to_string()),
                Just("“".to_string()), Just("”".to_string()), Just("\"".to_string()),
                Just(", according to Bloomberg".to_string()),
                Just(" on April 31".to_string()), Just(" last week".to_string()),
                Just(". ".to_string()), Just("\n".to_string()), Just("U.S.".to_string()),
                Just("Moscow, in return, has only promised".to_string()),
                Just("ʼs".to_string()),
                "[a-zA-Z ,.’ʼ—]{0,20}",
                any::<String>(),
            ],
            0..30,
        ),
        published in prop::option::of((2000i16..2030, 1i8..=12, 1i8..=28)),
    ) {
        let text: String = parts.concat();
        let a = parse_article(&text);
        let o = Options {
            published: published.map(|(y, m, d)| Date::new(y, m, d).unwrap()),
            ..Options::default()
        };
        let claims = extract(&a, &o);
        let chars: Vec<char> = text.chars().collect();
        for c in &claims {
            prop_assert!(c.span[0] < c.span[1] && c.span[1] <= chars.len());
            let s: String = chars[c.span[0]..c.span[1]].iter().collect();
            prop_assert_eq!(s.trim(), c.text.as_str());
            prop_assert!((0.0..=1.0).contains(&c.confidence));
        }
    }
}

fn evaluate(gold_path: &std::path::Path, article_path: &std::path::Path) -> Score {
    let gold = parse_gold(&std::fs::read_to_string(gold_path).unwrap()).unwrap();
    let a = parse_article(&std::fs::read_to_string(article_path).unwrap());
    let claims = extract(&a, &Options::default());
    score(&a, &claims, &gold)
}

/// The development set: a floor under today's scores, so a change that
/// loses claims or speakers shows.
#[test]
fn development_set_scores_hold() {
    let Some(dir) = shared("news-dev") else {
        return;
    };
    let mut total = Score::default();
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.to_string_lossy().to_string();
        if let Some(stem) = name.strip_suffix(".gold.json") {
            total.add(&evaluate(&p, &PathBuf::from(format!("{stem}.txt"))));
            n += 1;
        }
    }
    assert!(n >= 4, "four annotated reports");
    assert_eq!(
        total.counts.unlocated, 0,
        "every annotated claim is found in its report"
    );
    assert!(total.f1().unwrap() >= 0.85, "F1 {:?}", total.f1());
    assert!(total.fields.speaker.accuracy().unwrap() >= 0.85);
    assert!(total.fields.kind.accuracy().unwrap() >= 0.8);
}

/// Our own annotation of the seed report (spans, not its words).
#[test]
fn seed_annotation_scores_hold() {
    let Some(seed) = shared("seed/000_01867d802962e3a7.txt") else {
        return;
    };
    let gold = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed.gold.json");
    let s = evaluate(&gold, &seed);
    assert_eq!(s.counts.gold, 20);
    assert!(s.recall().unwrap() >= 0.9, "recall {:?}", s.recall());
    assert!(s.f1().unwrap() >= 0.9, "F1 {:?}", s.f1());
    assert!(s.fields.via.accuracy().unwrap() >= 0.9);
}
