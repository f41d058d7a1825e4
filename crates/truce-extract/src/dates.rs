//! Date expressions in a sentence ("on Wednesday", "on April 18", "last
//! week", "yesterday") resolved against the publication date, in the
//! ledger's forms: a day `2025-04-18`, days `2025-04-07/2025-04-13`, a
//! month `2025-04`.

use crate::text::words;
use jiff::civil::{Date, Weekday};
use serde::Serialize;

/// A date the text gives for a claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateRef {
    /// The words as written.
    pub words: String,
    /// In the ledger's form, when it could be resolved.
    pub resolved: Option<String>,
    /// Why it could not be, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unresolved: Option<String>,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

fn month(w: &str) -> Option<i8> {
    let w = w.to_lowercase();
    let w = w.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() >= 3 && m.starts_with(w) && w != "may" && w.len() <= 4))
        .or_else(|| (w == "may").then_some(4))
        .map(|i| i as i8 + 1)
}

/// Is a lower-case word a weekday, a month, or today, yesterday, tonight?
pub(crate) fn is_day_or_month(l: &str) -> bool {
    MONTHS.contains(&l)
        || WEEKDAYS.iter().any(|(n, _)| *n == l)
        || matches!(l, "today" | "yesterday" | "tonight")
}

fn day(s: &str) -> Option<i8> {
    let t = s.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == ',');
    t.parse::<i8>().ok().filter(|d| (1..=31).contains(d))
}

fn year(s: &str) -> Option<i16> {
    s.trim_end_matches(',')
        .parse::<i16>()
        .ok()
        .filter(|y| (1900..=2100).contains(y))
}

/// The most recent `weekday` on or before `d`.
fn last(d: Date, weekday: Weekday) -> Date {
    let back = (d.weekday().to_monday_zero_offset() - weekday.to_monday_zero_offset() + 7) % 7;
    d.checked_sub(jiff::Span::new().days(i64::from(back)))
        .unwrap_or(d)
}

fn shift(d: Date, days: i64) -> Option<Date> {
    d.checked_add(jiff::Span::new().days(days)).ok()
}

/// The first date expression in `sentence`, resolved against `published`.
pub fn find(sentence: &str, published: Option<Date>, year_hint: Option<i16>) -> Option<DateRef> {
    let w: Vec<&str> = words(sentence).into_iter().map(|x| x.1).collect();
    let lower: Vec<String> = w.iter().map(|x| x.to_lowercase()).collect();
    let need = |words: String, f: &dyn Fn(Date) -> Option<String>| DateRef {
        words,
        resolved: published.and_then(f),
        unresolved: published
            .is_none()
            .then(|| "a relative date, and the report's publication date is unknown".to_string()),
    };
    for k in 0..w.len() {
        // Month day[, year] and day Month [year].
        if let Some(m) = month(w[k]) {
            if w[k].chars().next().is_some_and(char::is_uppercase) {
                if let Some(d) = w.get(k + 1).and_then(|x| day(x)) {
                    let y = w.get(k + 2).and_then(|x| year(x));
                    return Some(absolute(
                        format!("{} {}", w[k], w[k + 1]),
                        y,
                        m,
                        d,
                        published,
                        year_hint,
                    ));
                }
                if k > 0 {
                    if let Some(d) = day(w[k - 1]) {
                        let y = w.get(k + 1).and_then(|x| year(x));
                        return Some(absolute(
                            format!("{} {}", w[k - 1], w[k]),
                            y,
                            m,
                            d,
                            published,
                            year_hint,
                        ));
                    }
                }
            }
        }
        match lower[k].as_str() {
            "today" | "tonight" => {
                return Some(need(w[k].to_string(), &|p| Some(p.to_string())));
            }
            "yesterday" => {
                return Some(need(w[k].to_string(), &|p| {
                    shift(p, -1).map(|d| d.to_string())
                }));
            }
            "last" | "earlier" if matches!(lower.get(k + 1).map(String::as_str), Some("week")) => {
                return Some(need(format!("{} week", w[k]), &|p| {
                    let monday = last(p, Weekday::Monday);
                    let from = shift(monday, -7)?;
                    let to = shift(monday, -1)?;
                    Some(format!("{from}/{to}"))
                }));
            }
            "earlier" if matches!(lower.get(k + 2).map(String::as_str), Some("week")) => {
                // "earlier this week": Monday up to the day before.
                return Some(need(format!("{} this week", w[k]), &|p| {
                    let monday = last(p, Weekday::Monday);
                    let to = shift(p, -1)?;
                    Some(if to < monday {
                        monday.to_string()
                    } else {
                        format!("{monday}/{to}")
                    })
                }));
            }
            "last" if matches!(lower.get(k + 1).map(String::as_str), Some("month")) => {
                return Some(need("last month".to_string(), &|p| {
                    let first = p.first_of_month();
                    let prev = shift(first, -1)?;
                    Some(format!("{:04}-{:02}", prev.year(), prev.month()))
                }));
            }
            x => {
                if let Some((_, wd)) = WEEKDAYS.iter().find(|(n, _)| *n == x) {
                    let wd = *wd;
                    return Some(need(w[k].to_string(), &move |p| {
                        Some(last(p, wd).to_string())
                    }));
                }
            }
        }
    }
    None
}

fn absolute(
    words: String,
    y: Option<i16>,
    m: i8,
    d: i8,
    published: Option<Date>,
    year_hint: Option<i16>,
) -> DateRef {
    let year = y.or(published.map(|p| p.year())).or(year_hint);
    let Some(year) = year else {
        return DateRef {
            words,
            resolved: None,
            unresolved: Some("no year, and the report's publication date is unknown".into()),
        };
    };
    match Date::new(year, m, d) {
        Ok(date) => {
            // Without a year, a date after publication is last year's.
            let date = match (y, published) {
                (None, Some(p)) if date > p => Date::new(year - 1, m, d).unwrap_or(date),
                _ => date,
            };
            DateRef {
                words,
                resolved: Some(date.to_string()),
                unresolved: None,
            }
        }
        Err(_) => DateRef {
            words,
            resolved: None,
            unresolved: Some("no such day".into()),
        },
    }
}
