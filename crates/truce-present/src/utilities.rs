//! Every package's utility for every party with preferences, in package
//! order (first issue most significant): `truce utilities`, for
//! cross-checks with other tools.

use std::io::{self, Write};
use truce_engine::utility::Evaluator;
use truce_engine::Scenario;

/// How the table is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UtilityTable {
    /// A header `package,<party>,...`, then one row per package.
    Csv,
    /// Little-endian f64 values, one row of parties per package, no header.
    Binary,
}

/// Writes the table of `s`. The caller bounds the size of the agreement
/// space first: this walks all of it.
pub fn write_utilities<W: Write + ?Sized>(
    w: &mut W,
    s: &Scenario,
    format: UtilityTable,
) -> io::Result<()> {
    let ev = Evaluator::new(s);
    if format == UtilityTable::Csv {
        let header: Vec<&str> = ev
            .valued
            .iter()
            .map(|&p| s.parties[p].id.as_str())
            .collect();
        writeln!(w, "package,{}", header.join(","))?;
    }
    let mut result = Ok(());
    let mut row = String::new();
    ev.for_each_package(|index, _, utilities| {
        if result.is_err() {
            return;
        }
        result = match format {
            UtilityTable::Binary => utilities
                .iter()
                .try_for_each(|u| w.write_all(&u.to_le_bytes())),
            UtilityTable::Csv => {
                use std::fmt::Write as _;
                row.clear();
                let _ = write!(row, "{index}");
                for u in utilities {
                    let _ = write!(row, ",{u}");
                }
                row.push('\n');
                w.write_all(row.as_bytes())
            }
        };
    });
    result
}
