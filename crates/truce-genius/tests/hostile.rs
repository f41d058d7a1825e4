//! GENIUS input as issue 9 lists it: odd values are refused with the file
//! and place, never written into a scenario truce itself would refuse.

// A failing test unwraps, expects or panics: that is how it fails; and it
// may tell the runner what it covered.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use truce_genius::{import, import_folder, GeniusFile, ImportOptions};

const DOMAIN: &str = r#"<negotiation_template><utility_space>
<objective index="0" name="root">
  <issue index="1" name="Price" etype="discrete">
    <item index="1" value="low"/><item index="2" value="high"/>
  </issue>
</objective></utility_space></negotiation_template>"#;

fn profile(extra: &str) -> String {
    format!(
        r#"<utility_space>
<objective index="0" name="root">
  <weight index="1" value="1"/>
  <issue index="1" name="Price" etype="discrete">
    <item index="1" value="low" evaluation="1"/><item index="2" value="high" evaluation="0"/>
  </issue>
</objective>
{extra}
</utility_space>"#
    )
}

fn file(name: &str, text: &str) -> GeniusFile {
    GeniusFile {
        name: name.into(),
        text: text.into(),
    }
}

fn options() -> ImportOptions {
    ImportOptions {
        name: "t".into(),
        real_steps: 10,
    }
}

#[test]
fn discount_factors_outside_0_1_are_refused_where_they_are() {
    for value in ["NaN", "2", "-1", "inf", "0"] {
        let files = [
            file("domain.xml", DOMAIN),
            file(
                "a.xml",
                &profile(&format!("<discount_factor value=\"{value}\"/>")),
            ),
        ];
        let e = import(&files, &options()).unwrap_err();
        assert!(e.message.contains("discount factor"), "{value}: {e}");
        assert_eq!(e.file.as_deref(), Some("a.xml"));
        assert_eq!(e.line, Some(8), "{value}: {e:?}");
    }
    let files = [
        file("domain.xml", DOMAIN),
        file("a.xml", &profile("<discount_factor value=\"0.5\"/>")),
    ];
    let s = import(&files, &options()).unwrap().scenario;
    assert_eq!(
        s.preferences[0]
            .as_ref()
            .unwrap()
            .discount
            .as_ref()
            .unwrap()
            .value,
        0.5
    );
}

#[test]
fn an_out_of_range_reservation_value_is_located() {
    let files = [
        file("domain.xml", DOMAIN),
        file("a.xml", &profile("<reservation value=\"1.5\"/>")),
    ];
    let e = import(&files, &options()).unwrap_err();
    assert!(e.message.contains("reservation value 1.5"), "{e}");
    assert_eq!((e.file.as_deref(), e.line), (Some("a.xml"), Some(8)));
}

#[test]
fn more_profiles_than_parties_truce_supports_are_refused() {
    let mut files = vec![file("domain.xml", DOMAIN)];
    for k in 0..65 {
        files.push(file(&format!("p{k:02}.xml"), &profile("")));
    }
    let e = import(&files, &options()).unwrap_err();
    assert!(
        e.message.contains("65 parties; truce supports at most 64"),
        "{e}"
    );
    files.truncate(65);
    assert_eq!(
        import(&files, &options()).unwrap().scenario.parties.len(),
        64
    );
}

#[test]
fn integer_bounds_that_overflow_are_refused() {
    let domain = DOMAIN.replace(
        r#"<issue index="1" name="Price" etype="discrete">
    <item index="1" value="low"/><item index="2" value="high"/>
  </issue>"#,
        r#"<issue index="1" name="N" vtype="integer" lowerbound="-1" upperbound="9223372036854775807"/>"#,
    );
    let e = import(&[file("domain.xml", &domain)], &options()).unwrap_err();
    assert!(e.message.contains("has bounds"), "{e}");
}

#[test]
fn de_duplicated_ids_never_collide_with_given_ones() {
    // Two profiles named `a` (in two folders' worth of names) and one `a_2`.
    let files = [
        file("domain.xml", DOMAIN),
        file("a.xml", &profile("")),
        file("a .xml", &profile("")),
        file("a_2.xml", &profile("")),
    ];
    let s = import(&files, &options()).unwrap().scenario;
    let mut ids: Vec<&str> = s.parties.iter().map(|p| p.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "{ids:?}");
}

#[test]
fn real_steps_are_bounded_and_zero_is_refused() {
    for steps in [0, 10_001, u32::MAX] {
        let files = vec![
            ("domain.xml".to_string(), DOMAIN.as_bytes().to_vec()),
            ("a.xml".to_string(), profile("").into_bytes()),
        ];
        let e = import_folder(Some("t"), files, steps).unwrap_err();
        assert!(e.message.contains("steps for a real issue"), "{e}");
    }
}

#[test]
fn a_latin1_file_that_declares_its_encoding_is_read() {
    let mut domain = br#"<?xml version="1.0" encoding="ISO-8859-1"?>"#.to_vec();
    domain.extend_from_slice(
        &DOMAIN
            .replace("value=\"high\"", "value=\"h\u{e9}\"")
            .chars()
            .map(|c| c as u8)
            .collect::<Vec<u8>>(),
    );
    let profile = profile("").replace("value=\"high\"", "value=\"h\u{e9}\"");
    let mut latin = br#"<?xml version="1.0" encoding="ISO-8859-1"?>"#.to_vec();
    latin.extend(profile.chars().map(|c| c as u8));
    let s = import_folder(
        Some("t"),
        vec![("domain.xml".into(), domain), ("a.xml".into(), latin)],
        10,
    )
    .unwrap()
    .scenario;
    assert!(
        s.issues[0].options.iter().any(|o| o.id == "hé"),
        "{:?}",
        s.issues[0].options
    );
}

#[test]
fn invalid_utf8_is_located_at_its_line_and_column() {
    let mut bytes = DOMAIN.as_bytes().to_vec();
    // Line 4 of the domain, after `<item index="1" value="`.
    let at = DOMAIN.find("low").unwrap();
    bytes[at] = 0xFF;
    let e = import_folder(Some("t"), vec![("domain.xml".into(), bytes)], 10).unwrap_err();
    assert_eq!((e.line, e.column), (Some(4), Some(28)), "{e:?}");
}
