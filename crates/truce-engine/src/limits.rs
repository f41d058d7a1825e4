//! The bounds every scenario keeps, whichever way it was made (parsed,
//! generated, imported from GENIUS), and the bounds on the files truce
//! reads. docs/scenario-format.md states them for users.

/// The most parties: the analysis keeps sets of parties in 64-bit masks.
pub const MAX_PARTIES: usize = 64;

/// The most issues.
pub const MAX_ISSUES: usize = 1_000;

/// The most options of one issue, its deferred option included: a package
/// holds each issue's option in 16 bits.
pub const MAX_OPTIONS: usize = u16::MAX as usize;

/// The most options over all issues.
pub const MAX_TOTAL_OPTIONS: usize = 1_000_000;

/// The most red lines plus veto parties (whose reservation values are
/// constraints too): the analysis keeps each set in a 64-bit mask.
pub const MAX_CONSTRAINTS: usize = 64;

/// The most linkages: they too are kept in a 64-bit mask.
pub const MAX_LINKAGES: usize = 64;

/// The most plans.
pub const MAX_PLANS: usize = 10_000;

/// The most deadlines.
pub const MAX_DEADLINES: usize = 10_000;

/// A party's weights must sum to 1 within this tolerance, so a utility
/// stays within [0, 1] to the last digits that matter.
pub const WEIGHT_SUM_TOLERANCE: f64 = 1e-9;

/// The largest scenario file truce reads.
pub const MAX_SCENARIO_BYTES: u64 = 64 << 20;

/// Largest capability a party may be given (any scale up to it).
pub const MAX_CAPABILITY: f64 = 1e9;
