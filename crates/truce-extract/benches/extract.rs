//! Extraction speed (the targets: an article of 1,000 words in
//! under 50 ms; 1,000 articles in under 20 s on 2 cores). The articles are
//! generated here from sentences of our own writing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// criterion_group! defines a function it does not document.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use truce_extract::{extract, parse_article, Options};

const SENTENCES: &[&str] = &[
    "Russian President Vladimir Putin on Saturday declared a pause in strikes on energy sites, the Kremlin said.",
    "“We are ready to talk, but not on these terms,” Ukrainian President Volodymyr Zelensky said on Friday.",
    "According to Reuters, a senior US official said the talks could resume next week in Geneva.",
    "The White House said both sides had agreed to a ceasefire at sea, citing a statement from the mediators.",
    "Moscow, in return, has only promised to spare ports and said the deal would hold only after sanctions are lifted.",
    "Rubio acknowledged that Russia is violating the truce and warned that Washington could walk away.",
    "Analysts expect the negotiations to drag on through the summer as both armies regroup along the front.",
    "Peskov told TASS the Kremlin rejected any monitoring mission led by European states.",
    "The European Union said it was imposing new sanctions on Russian banks last week.",
    "Trump has held off on new measures for months, saying he hoped a meeting with Putin would settle the matter.",
];

fn article(words: usize, seed: usize) -> String {
    let mut out =
        String::from("A generated report\nDate: 2025-04-19\nSource: https://example.org\n\n");
    let mut n = 0;
    let mut k = seed;
    while n < words {
        let s = SENTENCES[k % SENTENCES.len()];
        n += s.split_whitespace().count();
        out.push_str(s);
        out.push(if k.is_multiple_of(3) { '\n' } else { ' ' });
        k += 7;
    }
    out
}

fn bench(c: &mut Criterion) {
    let one = article(1000, 0);
    let a = parse_article(&one);
    let o = Options::default();
    c.bench_function("extract_article_1000_words", |b| b.iter(|| extract(&a, &o)));
    let many: Vec<String> = (0..1000).map(|i| article(600, i)).collect();
    let mut g = c.benchmark_group("extract_1000_articles");
    g.sample_size(10);
    g.bench_function("sequential", |b| {
        b.iter(|| {
            many.iter()
                .map(|t| extract(&parse_article(t), &o).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
