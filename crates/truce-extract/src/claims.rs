//! Attributed claims: quotations and reported statements, each with its
//! speaker, the outlet it came through, its date, its kind, the parties it
//! names and the issues it concerns.

use crate::article::Article;
use crate::dates::{self, DateRef};
use crate::lexicon::{self, DESCRIPTION_WORDS, OUTLETS, REPORTING_VERBS, UNNAMED};
use crate::text::{char_offset, sentences, words};
use jiff::civil::Date;
use serde::Serialize;

/// What a claim is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Words said, no more.
    Statement,
    /// Terms put forward.
    Proposal,
    /// Terms two or more sides accepted.
    Agreement,
    /// A party binding itself.
    Commitment,
    /// What a party requires first.
    Condition,
    /// A report that a party broke a commitment.
    ViolationReport,
    /// A party saying something did not happen.
    Denial,
    /// A party refusing terms.
    Rejection,
    /// A warning of what a party will do.
    Threat,
    /// A sanction imposed or lifted.
    Sanction,
    /// A meeting or call held, planned or cancelled.
    Meeting,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 11] = [
        Kind::Statement,
        Kind::Proposal,
        Kind::Agreement,
        Kind::Commitment,
        Kind::Condition,
        Kind::ViolationReport,
        Kind::Denial,
        Kind::Rejection,
        Kind::Threat,
        Kind::Sanction,
        Kind::Meeting,
    ];

    /// Its name in JSON and in annotations.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Statement => "statement",
            Kind::Proposal => "proposal",
            Kind::Agreement => "agreement",
            Kind::Commitment => "commitment",
            Kind::Condition => "condition",
            Kind::ViolationReport => "violation_report",
            Kind::Denial => "denial",
            Kind::Rejection => "rejection",
            Kind::Threat => "threat",
            Kind::Sanction => "sanction",
            Kind::Meeting => "meeting",
        }
    }

    /// The kind named `name`.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Who made a claim, as the ledger records a report's speaker.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Speaker {
    /// A named person.
    Named {
        /// The name (as the lexicon records it, else as written).
        name: String,
        /// The office, where the text or the lexicon gives one.
        #[serde(skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
    /// An unnamed source or a body: "a senior Trump administration
    /// official", "the Kremlin".
    Described {
        /// The words the report uses.
        description: String,
    },
}

impl Speaker {
    /// The name or the description.
    pub fn label(&self) -> &str {
        match self {
            Speaker::Named { name, .. } => name,
            Speaker::Described { description } => description,
        }
    }
}

/// The issues of a scenario and the words that name them and their
/// options, for `concerns`.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueTerms {
    /// The issue's id.
    pub id: String,
    /// Words that name the issue (lower case).
    pub terms: Vec<String>,
    /// Each option's id and the words that name it.
    pub options: Vec<(String, Vec<String>)>,
}

/// What the reader knows besides the text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// The publication date (else the article's `Date:` line).
    pub published: Option<Date>,
    /// The outlet that published the report (its own words are first-hand:
    /// no `via`).
    pub outlet: Option<String>,
    /// A scenario's names for its parties (lower case) and their ids.
    pub parties: Vec<(String, String)>,
    /// Party ids the scenario has (others are left out of `parties`).
    pub known_parties: Vec<String>,
    /// A scenario's issues.
    pub issues: Vec<IssueTerms>,
    /// A year for dates written without one when the publication date is
    /// unknown (the latest year a scenario's dates give).
    pub year_hint: Option<i16>,
}

impl Options {
    /// Options that link claims to `s`'s parties and issues.
    pub fn with_scenario(mut self, s: &truce_engine::Scenario) -> Self {
        for p in &s.parties {
            self.parties.push((p.id.to_lowercase(), p.id.clone()));
            self.parties.push((p.name.to_lowercase(), p.id.clone()));
            self.known_parties.push(p.id.clone());
        }
        let years = s
            .plans
            .iter()
            .filter_map(|p| p.date)
            .chain(s.deadlines.iter().filter_map(|d| d.date))
            .chain(s.sources.iter().filter_map(|d| d.date))
            .filter_map(|d| d.to_string().get(..4).and_then(|y| y.parse::<i16>().ok()));
        self.year_hint = self.year_hint.or(years.max());
        // A question's words count only where they single the issue out:
        // not a party's name, not a word another issue also uses.
        let own: Vec<Vec<String>> = s.issues.iter().map(|i| split_terms(&i.id)).collect();
        let asked: Vec<Vec<String>> = s.issues.iter().map(|i| key_words(&i.question)).collect();
        let shared = |w: &str, k: usize| {
            (0..s.issues.len())
                .filter(|&j| j != k)
                .any(|j| own[j].iter().chain(&asked[j]).any(|x| x == w))
        };
        for (k, issue) in s.issues.iter().enumerate() {
            let mut terms = own[k].clone();
            for w in &asked[k] {
                let party = lexicon::party_of(w, &self.parties).is_some();
                if !party && !shared(w, k) && !terms.contains(w) {
                    terms.push(w.clone());
                }
            }
            let options = issue
                .options
                .iter()
                .map(|o| {
                    let mut t = split_terms(&o.id);
                    t.extend(key_words(&o.label));
                    (o.id.clone(), t)
                })
                .collect();
            self.issues.push(IssueTerms {
                id: issue.id.clone(),
                terms,
                options,
            });
        }
        self
    }
}

/// Words too common to link a claim to an issue.
const STOP: &[&str] = &[
    "the", "and", "for", "with", "from", "that", "this", "what", "which", "whether", "will",
    "would", "should", "under", "over", "into", "onto", "does", "have", "full", "partial", "none",
    "other", "more", "less", "than", "their", "there", "about", "they", "them", "some", "only",
    "each", "both", "status", "quo", "issue", "option", "party", "parties", "days", "open",
    "ended", "line", "current", "happens", "where", "whose", "since", "become",
];

fn split_terms(id: &str) -> Vec<String> {
    id.split(['_', '-'])
        .map(str::to_lowercase)
        .filter(|w| w.len() >= 4 && !STOP.contains(&w.as_str()))
        .collect()
}

fn key_words(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .map(|(_, w)| w.to_lowercase())
        .filter(|w| w.len() >= 5 && !STOP.contains(&w.as_str()))
        .collect()
}

/// One proposed claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    /// Its id within the report (c1, c2, …).
    pub id: String,
    /// The characters it rests on: [start, end) into the report's text.
    pub span: [usize; 2],
    /// That text.
    pub text: String,
    /// The exact words quoted, where the report quotes them.
    pub words: Option<String>,
    /// Who made it, when the text says.
    pub speaker: Option<Speaker>,
    /// The party the speaker speaks for.
    pub affiliation: Option<String>,
    /// The outlet it came through, when the report relays another's.
    pub via: Option<String>,
    /// The date it refers to, when the text gives one.
    pub date: Option<DateRef>,
    /// What it is.
    pub kind: Kind,
    /// The parties it names (the speaker's first).
    pub parties: Vec<String>,
    /// The scenario issues (and options) it concerns: `issue` or
    /// `issue=option`.
    pub concerns: Vec<String>,
    /// How sure the reader is that this is an attributed claim with this
    /// speaker (0 to 1).
    pub confidence: f64,
}

/// A quotation in a sentence: byte range including the marks.
fn quotes(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut straight: Option<usize> = None;
    for (i, c) in s.char_indices() {
        match c {
            '“' => open = Some(i),
            '”' => {
                if let Some(b) = open.take() {
                    out.push((b, i + c.len_utf8()));
                }
            }
            '"' => match straight.take() {
                Some(b) => out.push((b, i + 1)),
                None => straight = Some(i),
            },
            _ => {}
        }
    }
    // A quotation left open runs to the end of the sentence (it continues
    // in the next paragraph).
    if let Some(b) = open.or(straight) {
        out.push((b, s.len()));
    }
    out
}

/// Words whose absence between a verb and its subject lets the subject
/// stretch back (auxiliaries and time words).
const SKIPPABLE: &[&str] = &[
    "has",
    "had",
    "have",
    "also",
    "then",
    "later",
    "earlier",
    "on",
    "in",
    "a",
    "previously",
    "again",
    "already",
    "now",
    "would",
    "could",
    "was",
    "were",
    "is",
    "long",
    "repeatedly",
    "reportedly",
    "publicly",
    "privately",
    "recently",
    "since",
    "once",
    "still",
    "both",
];

/// Participles that attribute a clause to the sentence's subject
/// ("…, saying he hoped …").
const PARTICIPLES: &[&str] = &[
    "saying",
    "adding",
    "expressing",
    "warning",
    "calling",
    "insisting",
    "accusing",
    "claiming",
    "arguing",
    "noting",
    "stressing",
    "urging",
];

const ACTION_VERBS: &[&str] = &[
    "slapped",
    "imposed",
    "imposing",
    "sanctioning",
    "cancelled",
    "canceled",
    "ordered",
    "signed",
    "agreed",
    "declared",
    "accused",
    "proposed",
    "violated",
    "launched",
    "halted",
    "suspended",
    "rejected",
];

/// How strongly a word attributes: 3 a reporting verb, 2 a participle,
/// 1 an action verb, 0 none.
fn cue_strength(w: &str) -> u8 {
    let l = w.to_lowercase();
    if REPORTING_VERBS.contains(&l.as_str()) {
        3
    } else if PARTICIPLES.contains(&l.as_str()) {
        2
    } else if ACTION_VERBS.contains(&l.as_str()) {
        1
    } else {
        0
    }
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Is there punctuation that breaks a phrase between byte offsets `a` and
/// `b` of `s`?
fn broken(s: &str, a: usize, b: usize) -> bool {
    s.get(a..b).is_some_and(|gap| {
        gap.chars()
            .any(|c| matches!(c, ',' | ';' | ':' | '“' | '”' | '"' | '(' | ')' | '—' | '–'))
    })
}

/// The subject phrase ending just before word `k` (the verb).
fn subject_before(s: &str, ws: &[(usize, &str)], k: usize) -> Option<String> {
    let mut first = k;
    let mut j = k;
    while j > 0 {
        let (start, w) = ws[j - 1];
        let end_prev = start + w.len();
        if broken(s, end_prev, ws[j].0) {
            break;
        }
        let l = w.to_lowercase();
        let adverb = l.len() > 4 && l.ends_with("ly") && !capitalised(w);
        let ok = capitalised(w)
            || DESCRIPTION_WORDS.contains(&l.as_str())
            || SKIPPABLE.contains(&l.as_str())
            || adverb
            || lexicon::party_of(&l, &[]).is_some();
        if !ok {
            break;
        }
        j -= 1;
        first = j;
    }
    if first == k {
        return None;
    }
    // Drop time words and auxiliaries at either end ("Putin on Saturday").
    let mut phrase: Vec<&str> = ws[first..k].iter().map(|x| x.1).collect();
    while phrase.last().is_some_and(|w| {
        let l = w.to_lowercase();
        SKIPPABLE.contains(&l.as_str())
            || is_time_word(&l)
            || (l.ends_with("ly") && !capitalised(w))
    }) {
        phrase.pop();
    }
    // "This is reported by …": no subject.
    if phrase.len() == 1
        && matches!(
            phrase[0].to_lowercase().as_str(),
            "this" | "that" | "these" | "those" | "there" | "which" | "who" | "what"
        )
    {
        return None;
    }
    while phrase.first().is_some_and(|w| {
        let l = w.to_lowercase();
        (SKIPPABLE.contains(&l.as_str()) && l != "a") || matches!(l.as_str(), "with" | "of")
    }) {
        phrase.remove(0);
    }
    // "Putin on Saturday": cut at the time phrase.
    if let Some(p) = phrase.iter().position(|w| w.eq_ignore_ascii_case("on")) {
        if phrase
            .get(p + 1)
            .is_some_and(|w| is_time_word(&w.to_lowercase()))
        {
            phrase.truncate(p);
        }
    }
    let text = phrase.join(" ");
    (!text.is_empty() && phrase.iter().any(|w| meaningful(w))).then_some(text)
}

/// Offices a subject may be named by alone ("the president said").
const OFFICES: &[&str] = &[
    "president",
    "minister",
    "secretary",
    "envoy",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chancellor",
    "chief",
    "adviser",
    "advisor",
    "publication",
    "newspaper",
    "agency",
];

fn meaningful(w: &str) -> bool {
    let l = w.to_lowercase();
    capitalised(w) && !matches!(l.as_str(), "the" | "a" | "an")
        || UNNAMED.contains(&l.as_str())
        || OFFICES.contains(&l.as_str())
}

fn is_time_word(l: &str) -> bool {
    dates::is_day_or_month(l) || l.parse::<u32>().is_ok()
}

/// The subject phrase starting at word `k` (after "said", "according to",
/// "citing").
fn phrase_from(s: &str, ws: &[(usize, &str)], k: usize) -> Option<String> {
    let mut out = Vec::new();
    let mut j = k;
    while j < ws.len() {
        if j > k && broken(s, ws[j - 1].0 + ws[j - 1].1.len(), ws[j].0) {
            break;
        }
        let w = ws[j].1;
        let l = w.to_lowercase();
        if capitalised(w) || DESCRIPTION_WORDS.contains(&l.as_str()) || l == "trump" {
            out.push(w);
            j += 1;
        } else {
            break;
        }
    }
    while out.last().is_some_and(|w| {
        let l = w.to_lowercase();
        matches!(l.as_str(), "the" | "a" | "an" | "of" | "with" | "on") || is_time_word(&l)
    }) {
        out.pop();
    }
    let text = out.join(" ");
    (!text.is_empty() && out.iter().any(|w| meaningful(w))).then_some(text)
}

/// The outlet a phrase names, if it names one.
fn outlet(phrase: &str) -> Option<&'static str> {
    OUTLETS.iter().copied().find(|o| {
        let p = phrase.trim_start_matches("The ").trim_start_matches("the ");
        p.eq_ignore_ascii_case(o) || p.starts_with(o) && !o.is_empty()
    })
}

/// A speaker from the words that name it.
fn speaker_of(phrase: &str) -> Speaker {
    let ws: Vec<&str> = phrase.split_whitespace().collect();
    // "a senior Trump administration official" names no one; "the Trump
    // administration" is a body.
    let unnamed = ws.iter().any(|w| {
        let l = w.to_lowercase();
        UNNAMED.contains(&l.as_str())
            || matches!(
                l.as_str(),
                "administration"
                    | "government"
                    | "ministry"
                    | "office"
                    | "side"
                    | "kremlin"
                    | "treasury"
            )
    });
    if unnamed {
        return Speaker::Described {
            description: phrase.to_string(),
        };
    }
    for (k, w) in ws.iter().enumerate() {
        // Two-word spellings first (Vladimir Putin), then one.
        let two = ws.get(k + 1).map(|n| format!("{w} {n}"));
        let found = two
            .as_deref()
            .and_then(lexicon::person)
            .or_else(|| lexicon::person(w));
        if let Some(p) = found {
            let role = (k > 0).then(|| ws[..k].join(" ")).filter(|r| {
                let l = r.to_lowercase();
                l != "the" && l != "a"
            });
            return Speaker::Named {
                name: p.name.to_string(),
                role: role.or(Some(p.role.to_string())),
            };
        }
    }
    // An unknown name: the last two capitalised words that are not words
    // of office or party names.
    let caps: Vec<&str> = ws
        .iter()
        .copied()
        .filter(|w| {
            let l = w.to_lowercase();
            capitalised(w)
                && !DESCRIPTION_WORDS.contains(&l.as_str())
                && lexicon::party_of(&l, &[]).is_none()
                && outlet(w).is_none()
        })
        .collect();
    let lower = phrase.to_lowercase();
    let described = UNNAMED
        .iter()
        .any(|u| lower.split_whitespace().any(|w| w == *u))
        || lower.contains("kremlin")
        || lower.contains("white house")
        || lower.starts_with("the ")
        || caps.len() < 2;
    if !described {
        let n = caps.len();
        let name = caps[n - 2..].join(" ");
        let role_words: Vec<&str> = ws
            .iter()
            .copied()
            .take_while(|w| *w != caps[n - 2])
            .collect();
        return Speaker::Named {
            name,
            role: (!role_words.is_empty()).then(|| role_words.join(" ")),
        };
    }
    Speaker::Described {
        description: phrase.to_string(),
    }
}

/// The party a speaker speaks for.
fn affiliation(phrase: &str, o: &Options) -> Option<String> {
    let lower = phrase.to_lowercase();
    let ws: Vec<&str> = phrase.split_whitespace().collect();
    for w in &ws {
        if let Some(p) = lexicon::person(w) {
            return Some(map_party(p.party, o));
        }
    }
    find_parties(&lower, o).into_iter().next()
}

/// A built-in party id as the scenario names it (the id itself when the
/// scenario has it or when there is no scenario).
fn map_party(id: &str, o: &Options) -> String {
    if o.known_parties.is_empty() || o.known_parties.iter().any(|k| k == id) {
        return id.to_string();
    }
    // "europe" vs a scenario's "eu", and so on: the scenario's alias wins.
    o.parties
        .iter()
        .find(|(n, _)| n == id)
        .map_or_else(|| id.to_string(), |(_, k)| k.clone())
}

/// Parties named in lower-case `text`, in order of first mention.
fn find_parties(text: &str, o: &Options) -> Vec<String> {
    let ws: Vec<String> = words(text)
        .into_iter()
        .map(|(_, w)| w.to_lowercase())
        .collect();
    let mut out: Vec<String> = Vec::new();
    let add = |p: String, out: &mut Vec<String>| {
        let known = o.known_parties.is_empty() || o.known_parties.contains(&p);
        if known && !out.contains(&p) {
            out.push(p);
        }
    };
    let mut k = 0;
    while k < ws.len() {
        let mut hit = None;
        for len in (1..=3).rev() {
            if k + len > ws.len() {
                continue;
            }
            let phrase = ws[k..k + len].join(" ");
            if let Some(p) = lexicon::party_of(&phrase, &o.parties) {
                hit = Some((len, map_party(&p, o)));
                break;
            }
            if let Some(person) = lexicon::person(&phrase).filter(|_| len <= 2) {
                if phrase.len() > 3 {
                    hit = Some((len, map_party(person.party, o)));
                    break;
                }
            }
        }
        match hit {
            Some((len, p)) => {
                add(p, &mut out);
                k += len;
            }
            None => k += 1,
        }
    }
    out
}

/// The kind of a claim from its sentence and the verb that reports it.
fn kind_of(text: &str, verb: Option<&str>) -> Kind {
    let verb = verb.map(str::to_lowercase);
    let t = text.to_lowercase();
    let any = |xs: &[&str]| xs.iter().any(|x| t.contains(x));
    match verb.as_deref() {
        Some("proposed" | "proposes") => return Kind::Proposal,
        Some("rejected" | "rejects") => return Kind::Rejection,
        Some("denied" | "denies" | "dismissed") => return Kind::Denial,
        Some("warned" | "warns" | "threatened" | "threatens") => return Kind::Threat,
        Some("promised" | "promises" | "pledged" | "pledges" | "vowed") => return Kind::Commitment,
        // An accusation is a statement unless it reports a violation.
        Some("accused" | "accuses" | "accusing") => {
            return if any(&["violat", "breach", "broke"]) {
                Kind::ViolationReport
            } else {
                Kind::Statement
            };
        }
        _ => {}
    }
    if any(&[
        "threat",
        "warn",
        "repel",
        "further action",
        "walk away",
        "retaliat",
        "withdraw from",
        "end its mediation",
        "stop mediating",
    ]) {
        Kind::Threat
    } else if any(&["violat", "breach", "broke the", "broken the", "broke its"]) {
        Kind::ViolationReport
    } else if any(&["denied", "denies", "dismissed", "did not happen"]) {
        Kind::Denial
    } else if t.contains("sanction")
        && any(&[
            "impos",
            "slapped",
            "sanctioning",
            "new sanctions on",
            "announced sanctions",
        ])
    {
        Kind::Sanction
    } else if any(&[
        "only after",
        "only if",
        "unless",
        "condition",
        "called for",
        "provided that",
        "in exchange for",
    ]) {
        Kind::Condition
    } else if any(&["meeting", "summit", "met with", "cancelled", "canceled"]) {
        Kind::Meeting
    } else if any(&[
        "gave the appropriate command",
        "ordered",
        "i order",
        "command to",
        "pledg",
        "promis",
        "commit",
        "guarantee",
        "would help",
        "will help",
    ]) {
        Kind::Commitment
    } else if any(&[
        "reject",
        "refused",
        "refuses",
        "ruled out",
        "turned down",
        "red line",
        "will not recognize",
        "will not recognise",
        "never recognize",
        "never recognise",
    ]) {
        Kind::Rejection
    } else if any(&["agreed", " agree ", "accepted"]) {
        Kind::Agreement
    } else if any(&["propos", "offer", "peace plan", "suggest"]) {
        Kind::Proposal
    } else if t.contains("agreement") {
        Kind::Agreement
    } else if any(&["declar", "vow", "ready to", "will stop", "to pause"]) {
        Kind::Commitment
    } else {
        Kind::Statement
    }
}

fn concerns(text: &str, o: &Options) -> Vec<String> {
    let t = text.to_lowercase();
    let ws: Vec<String> = words(&t).into_iter().map(|(_, w)| w.to_string()).collect();
    let has = |term: &str| {
        ws.iter()
            .any(|w| w == term || (term.len() >= 6 && w.starts_with(term)))
    };
    let mut out = Vec::new();
    for issue in &o.issues {
        let option = issue
            .options
            .iter()
            .find(|(_, terms)| !terms.is_empty() && terms.iter().all(|x| has(x)));
        let named = issue.terms.iter().any(|x| has(x));
        match option {
            Some((id, _)) if named => out.push(format!("{}={id}", issue.id)),
            _ if named => out.push(issue.id.clone()),
            _ => {}
        }
    }
    out
}

/// The last claim's speaker and outlet, for "he said", "this source" and
/// quotations that continue.
#[derive(Clone)]
struct Last {
    phrase: String,
    via: Option<String>,
}

/// Subjects that point back at the last speaker.
const PRONOUNS: &[&str] = &[
    "he",
    "she",
    "it",
    "they",
    "the post",
    "the statement",
    "the readout",
    "the ministry",
    "the official",
    "the spokesman",
    "the spokeswoman",
    "officials",
    "this source",
    "the source",
    "the administration official",
    "this official",
    "the same source",
];

/// Who a sentence attributes its claim to, and through which outlet.
struct Attribution {
    phrase: String,
    via: Option<String>,
    confidence: f64,
}

/// Does "the president" (or another office) point at the last speaker,
/// who holds that office?
fn same_office(subject: &str, last: Option<&Last>) -> bool {
    let Some(office) = subject.strip_prefix("the ") else {
        return false;
    };
    if !OFFICES.contains(&office) {
        return false;
    }
    let Some(last) = last else { return false };
    let ws: Vec<&str> = last.phrase.split_whitespace().collect();
    ws.iter()
        .find_map(|w| lexicon::person(w))
        .is_some_and(|p| p.role.to_lowercase().contains(office))
}

/// The outlet a phrase refers back to ("the publication", "the paper").
fn refers_to_outlet(phrase: &str) -> bool {
    let l = phrase.to_lowercase();
    [
        "publication",
        "the paper",
        "newspaper",
        "the outlet",
        "the agency",
    ]
    .iter()
    .any(|x| l.contains(x))
}

/// The attribution of sentence `s` (words `ws`, verb at `verb`), given the
/// last speaker.
fn attribute(
    s: &str,
    ws: &[(usize, &str)],
    verb: Option<usize>,
    strength: u8,
    quoted: bool,
    last: Option<&Last>,
) -> Option<Attribution> {
    let lower = s.to_lowercase();
    let mut via: Option<String> = None;
    let mut according: Option<String> = None;
    let mut anaphoric = false;
    let mut confidence: f64 = 0.4;
    // "according to X", "citing X", "reported by X".
    for cue in ["according to ", "citing ", "reported by "] {
        let Some(p) = lower.find(cue) else { continue };
        let start = p + cue.len();
        // Within the clause: up to the next comma or full stop.
        let clause_end = lower[start..]
            .find([',', '.', ';'])
            .map_or(lower.len(), |e| start + e);
        // "according to a readout issued by the Kremlin": the body behind
        // the document speaks.
        let by = lower[start..clause_end].find(" by ").map(|b| start + b + 4);
        let at = by.unwrap_or(start);
        let Some(k) = ws.iter().position(|(i, _)| *i >= at) else {
            continue;
        };
        let x = phrase_from(s, ws, k).or_else(|| {
            // "this source": the last speaker.
            let rest = &lower[start..clause_end];
            PRONOUNS
                .iter()
                .find(|p| rest.trim() == **p)
                .map(|p| p.to_string())
        });
        let Some(x) = x else { continue };
        if let Some(o) = outlet(&x) {
            via = Some(o.to_string());
        } else if PRONOUNS.contains(&x.to_lowercase().as_str()) || refers_to_outlet(&x) {
            anaphoric = true;
        } else {
            according = Some(x);
            confidence += 0.2;
        }
    }
    let mut subject: Option<String> = None;
    if let Some(k) = verb {
        let before = subject_before(s, ws, k);
        let prev_is_quote = k > 0 && broken(s, ws[k - 1].0 + ws[k - 1].1.len(), ws[k].0);
        subject = before.or_else(|| {
            if strength == 2 {
                // "Trump has held off …, saying …": the sentence's subject.
                phrase_from(s, ws, 0)
            } else if prev_is_quote && quoted {
                // "…,” said Trump".
                phrase_from(s, ws, k + 1)
            } else if strength == 3 {
                // "Moscow, in return, has only promised": the sentence's
                // subject, set off by commas.
                phrase_from(s, ws, 0).filter(|p| {
                    lexicon::party_of(&p.to_lowercase(), &[]).is_some()
                        || p.split_whitespace().any(|w| lexicon::person(w).is_some())
                })
            } else {
                None
            }
        });
    }
    let mut phrase: Option<String> = None;
    if let Some(subj) = subject {
        let l = subj.to_lowercase();
        if let Some(o) = outlet(&subj) {
            // "Bloomberg reported": the outlet relays its sources.
            via = Some(o.to_string());
            phrase = Some(format!("{o}'s sources"));
            confidence += 0.2;
        } else if PRONOUNS.contains(&l.as_str()) || same_office(&l, last) {
            phrase = last.map(|x| x.phrase.clone());
            via = via.or_else(|| last.and_then(|x| x.via.clone()));
            confidence += 0.1;
        } else if refers_to_outlet(&subj) {
            // "the publication's sources said": the outlet last named.
            via = via.or_else(|| last.and_then(|x| x.via.clone()));
            phrase = Some(subj);
            confidence += 0.2;
        } else {
            phrase = Some(subj);
            confidence += 0.3;
        }
    }
    let speech = verb.is_some_and(|k| {
        matches!(
            ws[k].1.to_lowercase().as_str(),
            "said"
                | "says"
                | "say"
                | "told"
                | "tells"
                | "stated"
                | "states"
                | "announced"
                | "acknowledged"
                | "confirmed"
                | "added"
                | "noted"
                | "insisted"
                | "claimed"
                | "wrote"
                | "writes"
                | "posted"
                | "explained"
                | "stressed"
                | "argued"
        )
    });
    if phrase.is_some() && according.is_some() && !speech {
        // "Putin has agreed …, according to a readout issued by the
        // Kremlin": the source reports the act.
        phrase = according;
    } else if phrase.is_some() && (according.is_some() || anaphoric) {
        // "According to this source, Umerov told …": the source relays
        // what a named person said.
        via = via.or_else(|| last.and_then(|x| x.via.clone()));
    } else if phrase.is_none() {
        phrase = according;
        if phrase.is_none() && anaphoric {
            phrase = last.map(|x| x.phrase.clone());
            via = via.or_else(|| last.and_then(|x| x.via.clone()));
        }
        if phrase.is_none() {
            if let Some(v) = &via {
                // "according to Bloomberg", no one named.
                phrase = Some(format!("{v}'s sources"));
            }
        }
    }
    // "told Fox Business", "speaking to Fox Business", "in an interview
    // with CNN": the outlet it came through.
    if via.is_none() {
        for (k, (_, w)) in ws.iter().enumerate() {
            let l = w.to_lowercase();
            if matches!(l.as_str(), "told" | "to" | "with") {
                if let Some(o) = phrase_from(s, ws, k + 1).as_deref().and_then(outlet) {
                    via = Some(o.to_string());
                    break;
                }
            }
        }
    }
    if phrase.is_none() && quoted {
        // A quotation on its own continues the last speaker.
        phrase = last.map(|x| x.phrase.clone());
        via = via.or_else(|| last.and_then(|x| x.via.clone()));
        confidence = 0.3;
    }
    phrase.map(|phrase| Attribution {
        phrase,
        via,
        confidence,
    })
}

/// The strongest reporting word outside quotations (a reporting verb
/// before a participle before an action verb), the first of equals.
fn strongest_cue(ws: &[(usize, &str)], outside: &dyn Fn(usize) -> bool) -> (Option<usize>, u8) {
    let mut verb = None;
    let mut strength = 0;
    for (k, (i, w)) in ws.iter().enumerate() {
        if !outside(*i) {
            continue;
        }
        let went_on = w.eq_ignore_ascii_case("went") && ws.get(k + 1).is_some_and(|n| n.1 == "on");
        let c = if went_on { 3 } else { cue_strength(w) };
        if c > strength {
            strength = c;
            verb = Some(k);
        }
    }
    (verb, strength)
}

/// Where a sentence without quotations splits into two claims: before
/// "and" joining a second reporting verb ("acknowledged that … and warned
/// …"). Byte offsets of the parts.
fn clauses(s: &str, ws: &[(usize, &str)], verb: Option<usize>) -> Vec<(usize, usize)> {
    let Some(v) = verb else {
        return vec![(0, s.len())];
    };
    for k in v + 2..ws.len() {
        let w = ws[k].1.to_lowercase();
        if ws[k - 1].1.eq_ignore_ascii_case("and")
            && (REPORTING_VERBS.contains(&w.as_str())
                || matches!(w.as_str(), "promised" | "warned"))
        {
            let cut = ws[k - 1].0;
            return vec![(0, cut), (cut, s.len())];
        }
    }
    vec![(0, s.len())]
}

/// Does a sentence mark its time as before the report's occasion?
fn earlier_time(lower: &str) -> bool {
    [
        "previously",
        "earlier",
        " had ",
        "already",
        "has long",
        "have long",
        "for years",
        "last year",
        "in the past",
        "for months",
    ]
    .iter()
    .any(|x| lower.contains(x))
}

/// Proposes the attributed claims of `article`.
pub fn extract(article: &Article, options: &Options) -> Vec<Claim> {
    let published = options.published.or(article.published);
    let text = &article.text;
    let mut out: Vec<Claim> = Vec::new();
    let mut last: Option<Last> = None;
    // The last date each side's claims were given, for its later claims
    // that give none (a report's later paraphrases of one side usually
    // concern the same occasion).
    let mut dated: Vec<(String, DateRef)> = Vec::new();
    let mut last_date: Option<DateRef> = None;
    for (a, b) in sentences(text, article.body_start) {
        let s = &text[a..b];
        let ws = words(s);
        let qs: Vec<(usize, usize)> = quotes(s)
            .into_iter()
            .filter(|(x, y)| words(&s[*x..*y]).len() >= 4)
            .collect();
        let outside = |i: usize| !qs.iter().any(|(x, y)| i >= *x && i < *y);
        let lower = s.to_lowercase();
        let (verb, strength) = strongest_cue(&ws, &outside);
        let attributed =
            verb.is_some() || lower.contains("according to ") || lower.contains("citing ");
        if qs.is_empty() && !attributed {
            continue;
        }
        let parts = if qs.is_empty() {
            clauses(s, &ws, verb)
        } else {
            qs.clone()
        };
        let Some(att) = attribute(s, &ws, verb, strength, !qs.is_empty(), last.as_ref()) else {
            continue;
        };
        let mut via = att.via.clone();
        last = Some(Last {
            phrase: att.phrase.clone(),
            via: via.clone(),
        });
        if let (Some(v), Some(mine)) = (&via, &options.outlet) {
            if v.eq_ignore_ascii_case(mine) {
                via = None;
            }
        }
        let speaker = speaker_of(&att.phrase);
        let aff = affiliation(&att.phrase, options);
        let mut date = dates::find(s, published, options.year_hint);
        if date.is_none() && lower.contains("the same day") {
            date = last_date.clone().map(|d| DateRef {
                words: "on the same day".to_string(),
                ..d
            });
        }
        if let Some(side) = &aff {
            match &date {
                Some(d) if d.resolved.is_some() => {
                    dated.retain(|(x, _)| x != side);
                    dated.push((side.clone(), d.clone()));
                }
                None if !earlier_time(&lower) => {
                    date = dated.iter().find(|(x, _)| x == side).map(|(_, d)| DateRef {
                        words: format!("(none; as the same side's earlier claim: \"{}\")", d.words),
                        resolved: d.resolved.clone(),
                        unresolved: None,
                    });
                }
                _ => {}
            }
        }
        if let Some(d) = date.as_ref().filter(|d| d.resolved.is_some()) {
            last_date = Some(d.clone());
        }
        let mut parties = aff.iter().cloned().collect::<Vec<_>>();
        for p in find_parties(&lower, options) {
            if !parties.contains(&p) {
                parties.push(p);
            }
        }
        let about = concerns(s, options);
        for (x, y) in parts {
            let part = &s[x..y];
            let quoted = !qs.is_empty();
            // A split clause takes its own verb ("and warned …").
            let part_ws = words(part);
            let (pv, _) = strongest_cue(&part_ws, &|_| true);
            let verb_word = if quoted {
                verb.map(|k| ws[k].1)
            } else {
                pv.map(|k| part_ws[k].1)
            };
            let kind_text = if quoted { s } else { part };
            let words_quoted = if quoted {
                Some(
                    part.trim_matches(|c: char| matches!(c, '“' | '”' | '"'))
                        .trim_end_matches(',')
                        .to_string(),
                )
            } else {
                // Short quotations inside a reported claim ("90%", "all
                // hostilities") are the speaker's own words.
                let short: Vec<String> = quotes(part)
                    .into_iter()
                    .map(|(x, y)| {
                        part[x..y]
                            .trim_matches(|c: char| matches!(c, '“' | '”' | '"'))
                            .trim_end_matches(',')
                            .to_string()
                    })
                    .filter(|w| !w.trim().is_empty())
                    .collect();
                (!short.is_empty()).then(|| short.join(" … "))
            };
            let (cs, ce) = (char_offset(text, a + x), char_offset(text, a + y));
            out.push(Claim {
                id: format!("c{}", out.len() + 1),
                span: [cs, ce],
                text: part.trim().to_string(),
                words: words_quoted,
                speaker: Some(speaker.clone()),
                affiliation: aff.clone(),
                via: via.clone(),
                date: date.clone(),
                kind: kind_of(kind_text, verb_word),
                parties: parties.clone(),
                concerns: about.clone(),
                confidence: (att.confidence + if quoted { 0.1 } else { 0.0 }).min(0.95),
            });
        }
    }
    carry_person_dates(&mut out);
    out
}

/// A named speaker's undated claim takes the date of its nearest dated
/// claim in the report, unless its sentence marks an earlier time.
fn carry_person_dates(claims: &mut [Claim]) {
    let named: Vec<Option<String>> = claims
        .iter()
        .map(|c| match &c.speaker {
            Some(Speaker::Named { name, .. }) => Some(name.clone()),
            _ => None,
        })
        .collect();
    for i in 0..claims.len() {
        if claims[i].date.is_some() || earlier_time(&claims[i].text.to_lowercase()) {
            continue;
        }
        let Some(name) = &named[i] else { continue };
        let nearest = (0..claims.len())
            .filter(|&j| j != i && named[j].as_ref() == Some(name))
            .filter(|&j| {
                claims[j]
                    .date
                    .as_ref()
                    .is_some_and(|d| d.resolved.is_some())
            })
            .min_by_key(|&j| j.abs_diff(i));
        if let Some(j) = nearest {
            if let Some(d) = claims[j].date.clone() {
                claims[i].date = Some(DateRef {
                    words: format!(
                        "(none; as {name}'s dated claim in the report: \"{}\")",
                        d.words
                    ),
                    resolved: d.resolved,
                    unresolved: None,
                });
            }
        }
    }
}
