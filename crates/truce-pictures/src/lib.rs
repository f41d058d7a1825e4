//! truce's pictures, as SVG made on the server: one library, so the
//! report (`truce report`) and the dashboard (`truce serve`) draw the same
//! marks from the same numbers.
//!
//! - [`frontier`]: the Pareto frontier of two parties over the density of
//!   the feasible set, with plans, solutions, the best and final offer and
//!   reservation values;
//! - [`support`]: each party's utility of each plan against its
//!   reservation value;
//! - [`compare`]: two plans side by side, provision by provision, with
//!   each party's gain or loss;
//! - [`simulation`]: the odds of a deal, the outcome per issue, and how
//!   the odds move under each variation;
//! - [`timeline`]: the ledger's commitments, violations, deadlines and
//!   promises over time.
//!
//! Pure: data in, markup out. Every mark carries a class and `data-`
//! attributes with the numbers it stands for, so tests (and scripts) read
//! what a picture shows, not only that it renders. Pictures have a
//! `<title>` and `<desc>`, and no mark depends on colour alone to be read:
//! shapes and labels say the same.

pub mod compare;
pub mod frontier;
pub mod simulation;
pub mod support;
pub mod timeline;

pub use maud::Markup;

/// Colours per party, in scenario order (Okabe and Ito's palette, which
/// readers with colour blindness can tell apart).
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7A6A00", "#000000",
];

/// The colour of the `i`th party.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// A linear map from a domain to a range of pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Scale {
    pub(crate) fn new(domain: (f64, f64), range: (f64, f64)) -> Scale {
        let (d0, mut d1) = domain;
        if !(d1 - d0).is_normal() {
            d1 = d0 + 1.0;
        }
        Scale {
            d0,
            d1,
            r0: range.0,
            r1: range.1,
        }
    }

    pub(crate) fn at(&self, v: f64) -> f64 {
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

/// A coordinate as SVG writes it: one decimal is finer than a pixel.
pub(crate) fn px(v: f64) -> String {
    if v.is_finite() {
        format!("{:.1}", v)
    } else {
        "0".into()
    }
}

/// A number in a `data-` attribute: six decimals, as the JSON reports.
pub(crate) fn data(v: f64) -> String {
    let r = (v * 1e6).round() / 1e6;
    if r == 0.0 {
        "0".into()
    } else {
        format!("{r}")
    }
}

/// A share as a percentage for people: "42%", "0.4%".
pub(crate) fn percent(p: f64) -> String {
    let x = p * 100.0;
    // Near the ends a rounded figure would say "never" or "always".
    if x != 0.0 && (x.abs() < 1.0 || (99.0..100.0).contains(&x)) {
        format!("{x:.1}%")
    } else {
        format!("{x:.0}%")
    }
}

/// The style every picture shares, inside each SVG so a picture copied out
/// of a page keeps its look.
pub(crate) const STYLE: &str = "text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:12px;fill:#222}\
.axis line,.axis path{stroke:#888;stroke-width:1}.grid{stroke:#e4e4e4;stroke-width:1}\
.muted{fill:#666}.small{font-size:10px}";
