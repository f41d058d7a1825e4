//! Dates as precise as the reports give them: a day, a month ("earlier in
//! April"), a range of days (a two-day meeting), or a time with its UTC
//! offset (a 30-hour truce from 18:00 Saturday Moscow time), alone or as a
//! range. Each is a half-open stretch of time `[start, end)`.
//!
//! A time with an offset is an instant; a day or month without one is a
//! stretch of the local calendar. Two instants compare as instants; any
//! other pair compares on the calendar (a bare "20 April" is read in the
//! zone of the time it is compared with), which is how reports of one
//! conflict are written.

use serde::de::{self, Deserializer, Visitor};
use serde::{Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;
use truce_engine::Date;

const DAY: i64 = 86_400;

/// The day seconds count from.
fn epoch() -> Date {
    Date::EPOCH
}

/// A point in time: a moment of the local calendar, with its UTC offset
/// when the report gives one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Moment {
    /// Seconds since 1970-01-01 00:00 on the local calendar.
    local: i64,
    /// Seconds east of UTC, when known.
    offset: Option<i32>,
}

impl Moment {
    /// Midnight at the start of a day, on the local calendar.
    pub fn day(d: Date) -> Moment {
        Moment {
            local: epoch().days_until(d) * DAY,
            offset: None,
        }
    }

    /// How two moments compare: as instants when both have an offset, on
    /// the calendar otherwise.
    pub fn compare(&self, other: &Moment) -> Ordering {
        match (self.offset, other.offset) {
            (Some(a), Some(b)) => (self.local - i64::from(a)).cmp(&(other.local - i64::from(b))),
            _ => self.local.cmp(&other.local),
        }
    }

    /// Whether `self` comes before `other`.
    pub fn before(&self, other: &Moment) -> bool {
        self.compare(other) == Ordering::Less
    }

    /// Whether `self` comes at or before `other`.
    pub fn at_or_before(&self, other: &Moment) -> bool {
        self.compare(other) != Ordering::Greater
    }

    /// The later of two moments.
    pub fn later(self, other: Moment) -> Moment {
        if self.before(&other) {
            other
        } else {
            self
        }
    }

    /// The earlier of two moments.
    pub fn earlier(self, other: Moment) -> Moment {
        if other.before(&self) {
            other
        } else {
            self
        }
    }

    /// A total order for sorting (UTC where known, the calendar read as
    /// UTC otherwise).
    pub fn sort_key(&self) -> i64 {
        self.local - i64::from(self.offset.unwrap_or(0))
    }

    /// The local calendar day it falls on.
    pub fn date(&self) -> Date {
        epoch()
            .plus_days(self.local.div_euclid(DAY))
            .unwrap_or_else(epoch)
    }

    /// The moment `days` days later on the same clock, if the calendar
    /// reaches it.
    pub fn plus_days(self, days: i64) -> Option<Moment> {
        let local = self.local.checked_add(days.checked_mul(DAY)?)?;
        // Stay within the calendar jiff knows.
        epoch().plus_days(local.div_euclid(DAY))?;
        Some(Moment { local, ..self })
    }

    fn plus_seconds(self, seconds: i64) -> Moment {
        Moment {
            local: self.local.saturating_add(seconds),
            ..self
        }
    }

    fn is_midnight(&self) -> bool {
        self.local.rem_euclid(DAY) == 0
    }
}

/// `2025-04-19` at midnight without an offset; otherwise
/// `2025-04-19T18:00+03:00` (seconds when there are any, `Z` for UTC).
impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date())?;
        if self.offset.is_none() && self.is_midnight() {
            return Ok(());
        }
        let s = self.local.rem_euclid(DAY);
        write!(f, "T{:02}:{:02}", s / 3600, s / 60 % 60)?;
        if s % 60 != 0 {
            write!(f, ":{:02}", s % 60)?;
        }
        match self.offset {
            None => Ok(()),
            Some(0) => f.write_str("Z"),
            Some(o) => {
                let sign = if o < 0 { '-' } else { '+' };
                let o = o.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", o / 3600, o / 60 % 60)
            }
        }
    }
}

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_str(self)
    }
}

/// How precisely a date is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// A day: `2025-04-20`.
    Day,
    /// A month: `2025-04`.
    Month,
    /// Days from one to another, both included: `2025-04-11/2025-04-12`.
    Days,
    /// A time to the minute or second: `2025-04-19T18:00+03:00`.
    Time,
    /// From one time to another (the second excluded).
    Times,
}

/// A date as precise as its report gives it: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct When {
    start: Moment,
    end: Moment,
    precision: Precision,
}

/// A text that is none of the forms a date may take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date: write a day (2025-04-20), a month (2025-04), days from one to another (2025-04-11/2025-04-12), or a time with its UTC offset (2025-04-19T18:00+03:00), alone or as a range")]
pub struct NotAWhen(pub String);

impl When {
    /// One whole day.
    pub fn day(d: Date) -> When {
        let start = Moment::day(d);
        When {
            start,
            end: start.plus_seconds(DAY),
            precision: Precision::Day,
        }
    }
    /// The first moment it covers.
    pub fn start(&self) -> Moment {
        self.start
    }
    /// The first moment after it.
    pub fn end(&self) -> Moment {
        self.end
    }
    /// How precisely it is given.
    pub fn precision(&self) -> Precision {
        self.precision
    }
    /// The first local day it touches.
    pub fn first_day(&self) -> Date {
        self.start.date()
    }
    /// The last local day it touches.
    pub fn last_day(&self) -> Date {
        self.end.plus_seconds(-1).date()
    }
    /// Whether it is known to be over by `m`.
    pub fn over_by(&self, m: &Moment) -> bool {
        self.end.at_or_before(m)
    }
    /// Whether it may have begun before `m`.
    pub fn begun_before(&self, m: &Moment) -> bool {
        self.start.before(m)
    }
    /// Where it falls against `[from, until)`.
    pub fn against(&self, from: &Moment, until: Option<&Moment>) -> Placement {
        let inside =
            from.at_or_before(&self.start) && until.is_none_or(|u| self.end.at_or_before(u));
        let outside =
            self.end.at_or_before(from) || until.is_some_and(|u| u.at_or_before(&self.start));
        if inside {
            Placement::Inside
        } else if outside {
            Placement::Outside
        } else {
            Placement::Straddles
        }
    }
}

/// Where an imprecise date falls against a stretch of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Wholly inside.
    Inside,
    /// Wholly outside.
    Outside,
    /// Across an edge: it may or may not fall inside.
    Straddles,
}

fn digits(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `YYYY-MM-DDTHH:MM[:SS]` then `Z` or `±HH:MM`.
fn parse_time(s: &str) -> Option<(Moment, i64)> {
    let (day, rest) = s.split_once('T')?;
    let d: Date = day.parse().ok()?;
    let (clock, offset) = if let Some(c) = rest.strip_suffix('Z') {
        (c, 0)
    } else {
        let at = rest.rfind(['+', '-'])?;
        let (c, o) = rest.split_at(at);
        let sign = if o.starts_with('-') { -1 } else { 1 };
        let (h, m) = o.get(1..)?.split_once(':')?;
        let (h, m) = (digits(h)?, digits(m)?);
        if h.to_string().len() > 2 || h > 18 || m > 59 || o.len() != 6 {
            return None;
        }
        (c, sign * (h * 3600 + m * 60))
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.len() != 2) {
        return None;
    }
    let h = digits(parts[0])?;
    let m = digits(parts[1])?;
    let sec = parts.get(2).map_or(Some(0), |p| digits(p))?;
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    let unit = if parts.len() == 3 { 1 } else { 60 };
    let start = Moment {
        local: Moment::day(d).local + h * 3600 + m * 60 + sec,
        offset: Some(i32::try_from(offset).ok()?),
    };
    Some((start, unit))
}

fn parse_month(s: &str) -> Option<When> {
    let b = s.as_bytes();
    if b.len() != 7 || b[4] != b'-' {
        return None;
    }
    let first: Date = format!("{s}-01").parse().ok()?;
    let (y, m) = (digits(&s[..4])?, digits(&s[5..])?);
    let next = if m == 12 {
        format!("{:04}-01-01", y + 1)
    } else {
        format!("{y:04}-{:02}-01", m + 1)
    };
    let next: Date = next.parse().ok()?;
    Some(When {
        start: Moment::day(first),
        end: Moment::day(next),
        precision: Precision::Month,
    })
}

impl FromStr for When {
    type Err = NotAWhen;
    fn from_str(s: &str) -> Result<When, NotAWhen> {
        let bad = || NotAWhen(s.to_string());
        if let Some((a, b)) = s.split_once('/') {
            let when = if let (Ok(a), Ok(b)) = (a.parse::<Date>(), b.parse::<Date>()) {
                When {
                    start: Moment::day(a),
                    end: Moment::day(b).plus_days(1).ok_or_else(bad)?,
                    precision: Precision::Days,
                }
            } else {
                let (a, _) = parse_time(a).ok_or_else(bad)?;
                let (b, _) = parse_time(b).ok_or_else(bad)?;
                When {
                    start: a,
                    end: b,
                    precision: Precision::Times,
                }
            };
            // A stretch that ends before it starts is a typing slip.
            return if when.start.before(&when.end) {
                Ok(when)
            } else {
                Err(bad())
            };
        }
        if let Ok(d) = s.parse::<Date>() {
            return Ok(When::day(d));
        }
        if let Some(w) = parse_month(s) {
            return Ok(w);
        }
        let (start, unit) = parse_time(s).ok_or_else(bad)?;
        Ok(When {
            start,
            end: start.plus_seconds(unit),
            precision: Precision::Time,
        })
    }
}

/// Written back in the form it was read.
impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            Precision::Day => write!(f, "{}", self.start.date()),
            Precision::Month => {
                let d = self.start.date().to_string();
                f.write_str(d.get(..7).unwrap_or(&d))
            }
            Precision::Days => write!(f, "{}/{}", self.start.date(), self.last_day()),
            Precision::Time => {
                // Seconds are shown whenever the time was given to the second.
                let s = self.start;
                if self.end.local - s.local == 1 && s.local % 60 == 0 {
                    let t = s.to_string();
                    let (clock, zone) = t.split_at(16);
                    write!(f, "{clock}:00{zone}")
                } else {
                    write!(f, "{s}")
                }
            }
            Precision::Times => write!(f, "{}/{}", self.start, self.end),
        }
    }
}

impl From<Date> for When {
    fn from(d: Date) -> When {
        When::day(d)
    }
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<When, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = When;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a date: YYYY-MM-DD, YYYY-MM, a range A/B, or a time with its UTC offset",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<When, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> When {
        s.parse().unwrap()
    }

    #[test]
    fn every_form_reads_back_as_written() {
        for s in [
            "2025-04-20",
            "2025-04",
            "2025-12",
            "2025-04-11/2025-04-12",
            "2025-04-19T18:00+03:00",
            "2025-04-19T18:00:30Z",
            "2025-04-19T18:00:00-05:30",
            "2025-04-19T18:00+03:00/2025-04-21T00:00+03:00",
        ] {
            assert_eq!(w(s).to_string(), s);
        }
        for bad in [
            "2025-4-20",
            "2025-13",
            "2025-04-20T18:00",
            "2025-04-20T25:00Z",
            "2025-04-20T18:00+3:00",
            "2025-04-12/2025-04-11",
            "2025-04-20/",
            "",
            "2025-04-20T18:00+03:00/2025-04-20T17:00+03:00",
        ] {
            assert!(bad.parse::<When>().is_err(), "{bad}");
        }
    }

    #[test]
    fn stretches_are_half_open_and_zones_compare_as_instants() {
        let easter = w("2025-04-19T18:00+03:00/2025-04-21T00:00+03:00");
        let (from, until) = (easter.start(), easter.end());
        // "On 20 April" is read in Moscow time, inside the truce.
        assert_eq!(
            w("2025-04-20").against(&from, Some(&until)),
            Placement::Inside
        );
        // 19 April runs across its start.
        assert_eq!(
            w("2025-04-19").against(&from, Some(&until)),
            Placement::Straddles
        );
        assert_eq!(
            w("2025-04-21").against(&from, Some(&until)),
            Placement::Outside
        );
        // 17:30 in Kyiv (UTC+3 in summer) is before 18:00 in Moscow.
        assert_eq!(
            w("2025-04-19T17:30+03:00").against(&from, Some(&until)),
            Placement::Outside
        );
        // 16:30 UTC is 19:30 in Moscow: inside.
        assert_eq!(
            w("2025-04-19T16:30Z").against(&from, Some(&until)),
            Placement::Inside
        );
        assert_eq!(
            w("2025-04").against(&from, Some(&until)),
            Placement::Straddles
        );
        assert_eq!(w("2025-04").last_day().to_string(), "2025-04-30");
        assert_eq!(
            w("2025-04-11/2025-04-12").last_day().to_string(),
            "2025-04-12"
        );
    }
}
