//! Typed, located problems in any input truce reads.
//!
//! The libraries never print: they hand back [`Diagnostic`]s with byte spans
//! into the text they were given (or lines and field paths), and the front
//! ends turn them into `file:line:column` and a caret, or JSON.

use std::fmt;
use std::ops::Range;

/// What kind of mistake an input contains. Stable: tests and scripts may
/// match on [`ErrorKind::code`].
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
    /// The stable code, e.g. `truce::unknown_id`.
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

/// One problem in an input: a scenario file, a rule, a GENIUS file, a
/// ledger line or field. Every library reports its problems as these, so
/// every front end renders them one way in text and one way in JSON.
///
/// Where the problem is: `file` when the input is one of several, `span`
/// (bytes in that file's text) when it has a place, `line` and `column`
/// once [`Diagnostic::locate`] has turned the span into them (or directly,
/// for line-based inputs), and `path` for a field inside a structured
/// record (`speaker.name`, `preferences[2].issues[1].weight`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Diagnostic {
    /// What kind of mistake; serialised as its code (`truce::syntax`).
    #[serde(serialize_with = "kind_code")]
    pub kind: ErrorKind,
    /// What is wrong.
    pub message: String,
    /// The file, when known.
    pub file: Option<String>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
    /// The field the problem is in, when the input is structured.
    pub path: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// Byte range in the file's text, when the problem has a place.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    /// Short text shown under the caret.
    #[serde(skip)]
    pub label: Option<String>,
}

fn kind_code<S: serde::Serializer>(kind: &ErrorKind, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(kind.code())
}

impl Diagnostic {
    /// A problem with no place yet.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Diagnostic {
            kind,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            path: None,
            help: None,
            span: None,
            label: None,
        }
    }
    /// At this byte range of the text.
    pub fn at(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }
    /// With this text under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
    /// With this advice.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// In this file.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
    /// On this line (line-based inputs such as JSON Lines and CSV).
    pub fn on_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }
    /// In this field.
    pub fn in_field(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
    /// Moves the span by `offset` bytes (a problem found in a piece of a
    /// larger text, such as a rule inside a scenario file).
    pub fn shifted(mut self, offset: usize) -> Self {
        self.span = self
            .span
            .map(|s| s.start.saturating_add(offset)..s.end.saturating_add(offset));
        self
    }
    /// Fills `line` and `column` from the span, `text` being the file's.
    pub fn locate(mut self, text: &str) -> Self {
        if let Some(span) = &self.span {
            let (line, column) = line_column(text, span.start);
            self.line = Some(line);
            self.column = Some(column);
        }
        self
    }
}

/// "file:line:column: message", or as much of the place as is known.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = Vec::new();
        if let Some(file) = &self.file {
            place.push(file.clone());
        }
        if let Some(line) = self.line {
            place.push(line.to_string());
            if let Some(column) = self.column {
                place.push(column.to_string());
            }
        }
        if !place.is_empty() {
            write!(f, "{}: ", place.join(":"))?;
        }
        if let Some(path) = &self.path {
            write!(f, "{path}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// All problems found in one scenario file, in file order.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ScenarioError {
    /// Each problem, located in the file's text.
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

/// The text of an input file, or the first invalid UTF-8 byte as a
/// located problem (`file:line:column`).
pub fn utf8_text(file: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        // The text before the bad byte is valid: count lines and columns there.
        let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let (line, column) = line_column(before, before.len());
        let mut d = Diagnostic::new(
            ErrorKind::Syntax,
            format!(
                "not UTF-8 text: byte 0x{:02X} at byte offset {at}",
                bytes[at.min(bytes.len().saturating_sub(1))]
            ),
        )
        .in_file(file)
        .help("save the file as UTF-8");
        d.line = Some(line);
        d.column = Some(column);
        d
    })
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
