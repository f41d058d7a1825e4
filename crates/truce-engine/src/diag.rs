//! Typed, located errors for scenario files.
//!
//! The engine never prints: it hands back byte spans into the text it was
//! given, and the command line turns them into `file:line:column` and a caret.

use std::fmt;
use std::ops::Range;

/// What kind of mistake a scenario file contains. Stable: tests and scripts
/// may match on [`ErrorKind::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Not valid TOML, or a field of the wrong type or an unknown field.
    Syntax,
    /// A reference to a party, issue, option or plan that does not exist.
    UnknownId,
    /// Two things of one kind share an id.
    DuplicateId,
    /// A number outside its allowed range.
    OutOfRange,
    /// A party's issue weights do not sum to 1.
    WeightSum,
    /// A red line or linkage rule that does not parse or does not type-check.
    Expression,
    /// Something required is absent (a value for an option, a provision of a plan).
    Missing,
    /// Well-formed but contradictory or unusable input.
    Invalid,
}

impl ErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "truce::syntax",
            ErrorKind::UnknownId => "truce::unknown_id",
            ErrorKind::DuplicateId => "truce::duplicate_id",
            ErrorKind::OutOfRange => "truce::out_of_range",
            ErrorKind::WeightSum => "truce::weight_sum",
            ErrorKind::Expression => "truce::expression",
            ErrorKind::Missing => "truce::missing",
            ErrorKind::Invalid => "truce::invalid",
        }
    }
}

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub kind: ErrorKind,
    pub message: String,
    /// Byte range in the scenario text, when the problem has a place.
    pub span: Option<Range<usize>>,
    /// Short text shown under the caret.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Diagnostic {
            kind,
            message: message.into(),
            span: None,
            label: None,
            help: None,
        }
    }
    pub fn at(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// All problems found in one scenario file, in file order.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ScenarioError {
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.diagnostics.as_slice() {
            [] => write!(f, "invalid scenario"),
            [one] => write!(f, "{}", one.message),
            [first, rest @ ..] => write!(f, "{} (and {} more problems)", first.message, rest.len()),
        }
    }
}

/// Line and column (both 1-based, column in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Suggests the closest known name, for "did you mean" hints.
pub fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, k)| *d <= (k.len().max(name.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(line_column(text, 9), (2, 3));
    }

    #[test]
    fn closest_name_is_suggested() {
        assert_eq!(closest("ukriane", ["ukraine", "russia"]), Some("ukraine"));
        assert_eq!(closest("zzz", ["ukraine", "russia"]), None);
    }
}
