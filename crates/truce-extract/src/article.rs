//! A news report as text: an optional header (title, `Date:` and
//! `Source:` lines, as in the shared development set) and the body.

use jiff::civil::Date;

/// A report ready for reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The whole text, as given.
    pub text: String,
    /// The title (the first line, when a header follows it).
    pub title: Option<String>,
    /// The publication date from the `Date:` line.
    pub published: Option<Date>,
    /// The URL from the `Source:` line.
    pub url: Option<String>,
    /// Where the body starts (byte offset into `text`).
    pub body_start: usize,
}

/// Reads a report. A header is recognised when line 2 or 3 starts with
/// `Date:` or `Source:`; otherwise the whole text is the body.
pub fn parse_article(text: &str) -> Article {
    let mut lines = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n').take(6) {
        lines.push((at, line.trim_end_matches(['\n', '\r'])));
        at += line.len();
    }
    let is_header = |l: &str| l.starts_with("Date:") || l.starts_with("Source:");
    let has_header = lines.iter().skip(1).take(2).any(|(_, l)| is_header(l));
    let mut article = Article {
        text: text.to_string(),
        title: None,
        published: None,
        url: None,
        body_start: 0,
    };
    if !has_header {
        return article;
    }
    article.title = lines
        .first()
        .map(|(_, l)| l.trim().to_string())
        .filter(|t| !t.is_empty());
    let mut body = lines.get(1).map_or(text.len(), |(s, _)| *s);
    for (start, line) in lines.iter().skip(1) {
        if let Some(d) = line.strip_prefix("Date:") {
            article.published = d.trim().parse::<Date>().ok();
        } else if let Some(u) = line.strip_prefix("Source:") {
            let u = u.trim();
            article.url = (!u.is_empty()).then(|| u.to_string());
        } else if line.trim().is_empty() {
            body = start + line.len();
            // The blank line ends the header; the body starts after it.
            body = text[body..]
                .find(|c: char| !c.is_whitespace())
                .map_or(text.len(), |x| body + x);
            break;
        } else {
            body = *start;
            break;
        }
        body = start + line.len();
    }
    article.body_start = body.min(text.len());
    article
}
