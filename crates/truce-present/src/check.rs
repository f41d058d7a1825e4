//! `truce check` on a valid scenario: what it holds and how many of its
//! numbers rest on a stated basis.

use serde::Serialize;
use std::io::{self, Write};
use std::path::Path;
use truce_engine::model::BasisCount;
use truce_engine::Scenario;

/// The summary of a valid scenario (`truce check --format json`).
#[derive(Debug, Serialize)]
pub struct CheckSummary<'a> {
    valid: bool,
    name: &'a str,
    parties: Vec<PartyRole<'a>>,
    issues: usize,
    /// The number of packages, when it fits in 64 bits.
    outcomes: Option<u64>,
    red_lines: usize,
    linkages: usize,
    plans: Vec<&'a str>,
    deadlines: usize,
    numbers: Numbers,
}

#[derive(Debug, Serialize)]
struct PartyRole<'a> {
    id: &'a str,
    role: &'static str,
    veto: bool,
}

#[derive(Debug, Serialize)]
struct Numbers {
    total: usize,
    with_basis: usize,
    assumptions: usize,
}

impl<'a> CheckSummary<'a> {
    /// The summary of `s`.
    pub fn new(s: &'a Scenario) -> Self {
        let BasisCount {
            total,
            with_basis,
            assumptions,
        } = s.basis_count();
        CheckSummary {
            valid: true,
            name: &s.name,
            parties: s
                .parties
                .iter()
                .map(|p| PartyRole {
                    id: &p.id,
                    role: p.role.as_str(),
                    veto: p.veto,
                })
                .collect(),
            issues: s.issues.len(),
            outcomes: s.package_count().as_u64(),
            red_lines: s.red_lines.len(),
            linkages: s.linkages.len(),
            plans: s.plans.iter().map(|p| p.id.as_str()).collect(),
            deadlines: s.deadlines.len(),
            numbers: Numbers {
                total,
                with_basis,
                assumptions,
            },
        }
    }
}

/// The summary in words, naming the file as the user gave it.
pub fn write_check<W: Write + ?Sized>(w: &mut W, path: &Path, s: &Scenario) -> io::Result<()> {
    writeln!(w, "{} is a valid scenario: {}", path.display(), s.name)?;
    writeln!(
        w,
        "  {} parties ({}), {} issues, {} packages",
        s.parties.len(),
        s.parties
            .iter()
            .map(|p| format!("{} [{}]", p.id, p.role.as_str()))
            .collect::<Vec<_>>()
            .join(", "),
        s.issues.len(),
        s.package_count()
    )?;
    writeln!(
        w,
        "  {} red lines, {} linkages, {} plans, {} deadlines",
        s.red_lines.len(),
        s.linkages.len(),
        s.plans.len(),
        s.deadlines.len()
    )?;
    let n = s.basis_count();
    writeln!(
        w,
        "  numbers with a stated basis: {} of {} ({} marked as assumptions)",
        n.with_basis, n.total, n.assumptions
    )
}
