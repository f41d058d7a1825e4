//! Calendar dates, written `YYYY-MM-DD`: parsed once where they are read
//! (scenario files, ledger records, the command line), on jiff's calendar.

use serde::de::{self, Deserializer, Visitor};
use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

/// A text that is not a `YYYY-MM-DD` date of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date (YYYY-MM-DD)")]
pub struct NotADate(pub String);

impl Date {
    /// 1 January 1970, where day counts start.
    pub const EPOCH: Date = Date(jiff::civil::date(1970, 1, 1));

    /// Year, month (1–12) and day; `None` when the calendar has no such day.
    pub fn new(year: i16, month: i8, day: i8) -> Option<Date> {
        jiff::civil::Date::new(year, month, day).ok().map(Date)
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        // Both dates are within jiff's range, so the span always exists.
        self.0
            .until((jiff::Unit::Day, later.0))
            .map_or(0, |span| i64::from(span.get_days()))
    }

    /// The date `days` days later, if the calendar reaches it.
    pub fn plus_days(self, days: i64) -> Option<Date> {
        let span = jiff::Span::new().try_days(days).ok()?;
        self.0.checked_add(span).ok().map(Date)
    }
}

impl FromStr for Date {
    type Err = NotADate;
    /// Exactly `YYYY-MM-DD`, a day the calendar has.
    fn from_str(s: &str) -> Result<Date, NotADate> {
        let b = s.as_bytes();
        let shaped = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shaped {
            return Err(NotADate(s.to_string()));
        }
        s.parse::<jiff::civil::Date>()
            .map(Date)
            .map_err(|_| NotADate(s.to_string()))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date, YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_exactly_yyyy_mm_dd_of_the_calendar() {
        assert!("2024-02-29".parse::<Date>().is_ok());
        for bad in [
            "2025-02-29",
            "2025-04-31",
            "2025-4-18",
            "+02025-04-18",
            "2025-04-18T00:00",
            "",
            "abcd-ef-gh",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        let d: Date = "2025-03-25".parse().unwrap();
        assert_eq!(d.days_until("2025-04-19".parse().unwrap()), 25);
        assert_eq!(d.plus_days(30).unwrap().to_string(), "2025-04-24");
        assert_eq!(
            "2024-02-28"
                .parse::<Date>()
                .unwrap()
                .plus_days(1)
                .unwrap()
                .to_string(),
            "2024-02-29"
        );
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2025-03-25\"");
        let e = serde_json::from_str::<Date>("\"2025-02-30\"").unwrap_err();
        assert!(e.to_string().contains("`2025-02-30` is not a date"), "{e}");
    }
}
