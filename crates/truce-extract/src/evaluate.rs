//! Scores against annotated reports (the shared development set's
//! `*.gold.json`): which proposed claims match an annotated one (their
//! spans overlap), and, on matched pairs, whether speaker, affiliation,
//! outlet, date and kind agree.

use crate::article::Article;
use crate::claims::Claim;
use crate::lexicon;
use serde::{Deserialize, Serialize};

/// An annotated report.
#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    /// The report annotated, where the annotation names it (a path
    /// relative to the annotation).
    #[serde(default)]
    pub article_file: Option<String>,
    /// Its claims.
    pub claims: Vec<GoldClaim>,
}

/// One annotated claim.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldClaim {
    /// Its id.
    pub id: String,
    /// The words of the report it rests on (or give `span`).
    #[serde(default)]
    pub quote_or_claim: String,
    /// The characters of the report it rests on, [start, end), for an
    /// annotation that does not copy the report's words.
    #[serde(default)]
    pub span: Option<[usize; 2]>,
    /// Who made it.
    pub speaker: Option<String>,
    /// The party the speaker speaks for.
    pub speaker_affiliation: Option<String>,
    /// The outlet relaying it.
    pub via: Option<String>,
    /// The date it refers to.
    pub date: Option<String>,
    /// Its kind.
    pub event_type: String,
}

/// Reads an annotation file.
pub fn parse_gold(text: &str) -> Result<Gold, String> {
    serde_json::from_str(text).map_err(|e| format!("line {}: {e}", e.line()))
}

/// Matched and counted claims.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts {
    /// Claims proposed.
    pub predicted: usize,
    /// Claims annotated.
    pub gold: usize,
    /// Pairs matched (one to one, by overlapping spans).
    pub matched: usize,
    /// Annotated claims whose words were not found in the report.
    pub unlocated: usize,
}

/// How often one field agrees on matched pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Agreement {
    /// Pairs where it agrees.
    pub correct: usize,
    /// Pairs compared.
    pub compared: usize,
}

impl Agreement {
    /// The share that agrees (none when nothing was compared).
    pub fn accuracy(&self) -> Option<f64> {
        (self.compared > 0).then(|| self.correct as f64 / self.compared as f64)
    }
    fn add(&mut self, ok: bool) {
        self.compared += 1;
        self.correct += usize::from(ok);
    }
}

/// The fields compared on matched pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Fields {
    /// The speaker (the same person, or descriptions that contain one another).
    pub speaker: Agreement,
    /// The party spoken for.
    pub affiliation: Agreement,
    /// The relaying outlet (both none counts as agreement).
    pub via: Agreement,
    /// The date referred to (both none counts as agreement).
    pub date: Agreement,
    /// The kind.
    pub kind: Agreement,
}

/// One report's score.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Score {
    /// Claims counted.
    pub counts: Counts,
    /// Fields on matched pairs.
    pub fields: Fields,
    /// Per matched pair: (proposed id, annotated id).
    pub pairs: Vec<(String, String)>,
}

impl Score {
    /// Adds another report's score.
    pub fn add(&mut self, o: &Score) {
        let c = &mut self.counts;
        c.predicted += o.counts.predicted;
        c.gold += o.counts.gold;
        c.matched += o.counts.matched;
        c.unlocated += o.counts.unlocated;
        for (a, b) in [
            (&mut self.fields.speaker, o.fields.speaker),
            (&mut self.fields.affiliation, o.fields.affiliation),
            (&mut self.fields.via, o.fields.via),
            (&mut self.fields.date, o.fields.date),
            (&mut self.fields.kind, o.fields.kind),
        ] {
            a.correct += b.correct;
            a.compared += b.compared;
        }
    }

    /// Precision: matched over proposed.
    pub fn precision(&self) -> Option<f64> {
        let c = self.counts;
        (c.predicted > 0).then(|| c.matched as f64 / c.predicted as f64)
    }

    /// Recall: matched over annotated.
    pub fn recall(&self) -> Option<f64> {
        let c = self.counts;
        (c.gold > 0).then(|| c.matched as f64 / c.gold as f64)
    }

    /// F1: their harmonic mean.
    pub fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        (p + r > 0.0).then(|| 2.0 * p * r / (p + r))
    }
}

/// Folds the marks that differ between an annotation and its report.
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '“' | '”' | '„' => '"',
            '‘' | '’' => '\'',
            '—' | '–' => '-',
            c => c,
        })
        .collect()
}

/// Where annotated words lie in the report, in characters.
pub fn locate(text: &str, words: &str) -> Option<[usize; 2]> {
    let hay: Vec<char> = fold(text).chars().collect();
    let needle: Vec<char> = fold(words.trim()).chars().collect();
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len())
        .position(|w| w == needle.as_slice())
        .map(|s| [s, s + needle.len()])
}

fn normal(s: &str) -> String {
    let s = s.split('(').next().unwrap_or(s).trim().to_lowercase();
    s.trim_start_matches("the ").to_string()
}

/// Do a proposed and an annotated speaker name the same speaker?
pub fn same_speaker(ours: &str, gold: &str) -> bool {
    let (a, b) = (normal(ours), normal(gold));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b || a.contains(&b) || b.contains(&a) {
        return true;
    }
    let person = |s: &str| {
        s.split_whitespace()
            .find_map(lexicon::person)
            .map(|p| p.name)
    };
    matches!((person(ours), person(gold)), (Some(x), Some(y)) if x == y)
}

fn same_party(ours: Option<&str>, gold: Option<&str>) -> bool {
    let g = gold.and_then(|g| lexicon::party_of(&g.to_lowercase(), &[]));
    match (ours, g) {
        (None, None) => true,
        (Some(o), Some(g)) => o.eq_ignore_ascii_case(&g),
        _ => false,
    }
}

/// Scores `claims` proposed for `article` against `gold`.
pub fn score(article: &Article, claims: &[Claim], gold: &Gold) -> Score {
    let spans: Vec<Option<[usize; 2]>> = gold
        .claims
        .iter()
        .map(|g| {
            let n = article.text.chars().count();
            g.span
                .filter(|[a, b]| a < b && *b <= n)
                .or_else(|| locate(&article.text, &g.quote_or_claim))
        })
        .collect();
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (p, c) in claims.iter().enumerate() {
        for (g, s) in spans.iter().enumerate() {
            if let Some([gs, ge]) = s {
                let lo = c.span[0].max(*gs);
                let hi = c.span[1].min(*ge);
                if hi > lo {
                    pairs.push((hi - lo, p, g));
                }
            }
        }
    }
    // The largest overlaps first, each claim matched once.
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut used_p = vec![false; claims.len()];
    let mut used_g = vec![false; gold.claims.len()];
    let mut score = Score {
        counts: Counts {
            predicted: claims.len(),
            gold: gold.claims.len(),
            matched: 0,
            unlocated: spans.iter().filter(|s| s.is_none()).count(),
        },
        ..Score::default()
    };
    for (_, p, g) in pairs {
        if used_p[p] || used_g[g] {
            continue;
        }
        used_p[p] = true;
        used_g[g] = true;
        let (c, gc) = (&claims[p], &gold.claims[g]);
        score.counts.matched += 1;
        score.pairs.push((c.id.clone(), gc.id.clone()));
        let f = &mut score.fields;
        f.speaker.add(match (&c.speaker, &gc.speaker) {
            (Some(s), Some(g)) => same_speaker(s.label(), g),
            (None, None) => true,
            _ => false,
        });
        f.affiliation.add(same_party(
            c.affiliation.as_deref(),
            gc.speaker_affiliation.as_deref(),
        ));
        f.via.add(match (&c.via, &gc.via) {
            (None, None) => true,
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        });
        let ours = c.date.as_ref().and_then(|d| d.resolved.clone());
        f.date.add(ours == gc.date);
        f.kind.add(c.kind.name() == gc.event_type);
    }
    score
}
