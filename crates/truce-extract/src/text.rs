//! Sentences and words with their byte offsets.

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Sgt", "Jan", "Feb",
    "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "No", "vs", "etc",
    "Prof", "Jr", "Sr", "Inc", "Ltd", "Co",
];

/// The sentences of `text[from..]`, as byte ranges into `text`: split at
/// line breaks and after `.`, `?` or `!` (with any closing quotes) that
/// is followed by a space and a capital, a digit or an opening quote.
pub fn sentences(text: &str, from: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let body = &text[from..];
    let mut start = 0;
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if c == '\n' {
            push(&mut out, body, from, start, i);
            start = i + 1;
        } else if matches!(c, '.' | '?' | '!') {
            let mut e = k + 1;
            while e < chars.len() && matches!(chars[e].1, '"' | '”' | '’' | '\'' | ')') {
                e += 1;
            }
            let next_is_space = e < chars.len() && chars[e].1 == ' ';
            let after = chars.get(e + 1).map(|x| x.1);
            let starts = after.is_some_and(|a| {
                a.is_uppercase() || a.is_ascii_digit() || matches!(a, '"' | '“' | '‘')
            });
            if next_is_space && starts && !(c == '.' && abbreviation(body, i)) {
                let end = chars.get(e).map_or(body.len(), |x| x.0);
                push(&mut out, body, from, start, end);
                start = end;
            }
        }
        k += 1;
    }
    push(&mut out, body, from, start, body.len());
    out
}

fn push(out: &mut Vec<(usize, usize)>, body: &str, from: usize, start: usize, end: usize) {
    let s = &body[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if s.trim().is_empty() {
        return;
    }
    out.push((from + start + lead, from + end - trail));
}

/// Is the full stop at byte `i` of `body` part of an abbreviation or an
/// initial (U.S., J. D. Vance)?
fn abbreviation(body: &str, i: usize) -> bool {
    let before = &body[..i];
    let word: &str = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true;
    }
    // U.S / U.K / e.g: dotted letters.
    if word.contains('.') && word.split('.').all(|p| p.chars().count() <= 1) {
        return true;
    }
    ABBREVIATIONS.contains(&word)
}

/// The words of `s` (letters, digits, apostrophes, dots inside U.S.,
/// hyphens), with byte offsets relative to `s`.
pub fn words(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let part = |c: char| c.is_alphanumeric() || matches!(c, '\'' | '’' | 'ʼ' | '-' | '.');
    for (i, c) in s.char_indices() {
        match (start, part(c)) {
            (None, true) => start = Some(i),
            (Some(b), false) => {
                out.push((b, trim_word(&s[b..i])));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(b) = start {
        out.push((b, trim_word(&s[b..])));
    }
    out.retain(|(_, w)| !w.is_empty());
    out
}

/// A word without a trailing full stop (kept in U.S.) or possessive.
fn trim_word(w: &str) -> &str {
    let w = w.trim_start_matches(['\'', '’', 'ʼ', '-', '.']);
    let w = if w.ends_with('.') && !w[..w.len() - 1].contains('.') {
        &w[..w.len() - 1]
    } else {
        w
    };
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("’s"))
        .or_else(|| w.strip_suffix("ʼs"))
        .unwrap_or(w)
        .trim_end_matches(['\'', '’', 'ʼ', '-'])
}

/// Characters before byte offset `b` of `text`: the span unit reported.
pub fn char_offset(text: &str, b: usize) -> usize {
    text[..b.min(text.len())].chars().count()
}
