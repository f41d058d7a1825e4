//! One stage of the sequenced protocol: its packages (the stage's issues
//! free, earlier stages' options fixed, later issues still open), their
//! utilities with open issues at their mean value, and which of them can
//! still be finished within each party's red lines.

use crate::table::Table;
use crate::world::{Ladder, Utilities, Valuation};

/// One stage's packages: the stage's issues free, the earlier stages'
/// options fixed, the later issues not yet settled.
#[derive(Debug)]
pub struct Stage {
    issues: Vec<usize>,
    /// Options per issue: fixed (decided), the stage's options, or (for
    /// later issues) the first option on the table, standing in.
    base: Vec<u16>,
    allowed: Vec<Vec<u16>>,
    stride: Vec<usize>,
    /// The stage packages' utilities.
    pub utilities: Utilities,
    /// Each negotiator's packages, best first.
    pub ladders: Vec<Ladder>,
    /// Per valued party and stage package: some way to finish it crosses
    /// none of that party's red lines.
    pub red_ok: Vec<Vec<bool>>,
    /// The table number of `base` (whose stage issues stand at their first
    /// option), and each stage issue's place value in the table.
    base_index: usize,
    table_stride: Vec<usize>,
}

impl Stage {
    /// The stage of `issues`, with the earlier stages' options `decided`.
    pub fn new(t: &Table, v: &Valuation, decided: &[Option<u16>], issues: &[usize]) -> Stage {
        let allowed: Vec<Vec<u16>> = issues.iter().map(|&i| t.allowed[i].clone()).collect();
        let mut stride = vec![1usize; issues.len()];
        for j in (0..issues.len().saturating_sub(1)).rev() {
            stride[j] = stride[j + 1] * allowed[j + 1].len();
        }
        let count: usize = allowed.iter().map(Vec::len).product();
        let base: Vec<u16> = (0..t.allowed.len())
            .map(|i| decided[i].unwrap_or(t.allowed[i][0]))
            .collect();
        let parties = t.valued.len();
        let later: Vec<usize> = (0..t.allowed.len())
            .filter(|i| decided[*i].is_none() && !issues.contains(i))
            .collect();
        // Settled issues at their options, later ones at their mean value.
        let fixed_part: Vec<f64> = (0..parties)
            .map(|k| {
                let settled: f64 = decided
                    .iter()
                    .enumerate()
                    .filter_map(|(i, d)| d.map(|o| v.utilities.term(k, i, o)))
                    .sum();
                let open: f64 = later
                    .iter()
                    .map(|&i| {
                        t.allowed[i]
                            .iter()
                            .map(|&o| v.utilities.term(k, i, o))
                            .sum::<f64>()
                            / t.allowed[i].len() as f64
                    })
                    .sum();
                settled + open
            })
            .collect();
        let mut values = vec![0.0; count * parties];
        let mut red_ok = vec![vec![false; count]; parties];
        let mut stage = Stage {
            issues: issues.to_vec(),
            base_index: t.index_of(&base).unwrap_or(0),
            base,
            allowed,
            stride,
            utilities: Utilities::from_values(Vec::new(), parties),
            ladders: Vec::new(),
            red_ok: Vec::new(),
            table_stride: issues.iter().map(|&i| t.stride[i]).collect(),
        };
        let mut options = vec![0u16; t.allowed.len()];
        for x in 0..count {
            stage.decode(x, &mut options);
            for k in 0..parties {
                values[x * parties + k] = fixed_part[k]
                    + issues
                        .iter()
                        .map(|&i| v.utilities.term(k, i, options[i]))
                        .sum::<f64>();
            }
        }
        // Which stage packages can still be finished within each party's
        // red lines: every table package agreeing with what is settled.
        let mut full = vec![0u16; t.allowed.len()];
        for y in 0..t.count {
            t.decode(y, &mut full);
            if decided
                .iter()
                .zip(&full)
                .any(|(d, o)| d.is_some_and(|d| d != *o))
            {
                continue;
            }
            let x = stage.index_of(&full);
            for (k, ok) in red_ok.iter_mut().enumerate() {
                if t.red_ok(k, y) {
                    ok[x] = true;
                }
            }
        }
        stage.utilities = Utilities::from_values(values, parties);
        stage.ladders = (0..parties)
            .map(|k| {
                let respect = t.strategies[k].respect_red_lines;
                Ladder::from_packages(
                    (0..count).filter(|&x| !respect || red_ok[k][x]),
                    &stage.utilities,
                    k,
                )
            })
            .collect();
        stage.red_ok = red_ok;
        stage
    }

    /// Writes stage package `x` as a whole package into `out`.
    pub fn decode(&self, mut x: usize, out: &mut [u16]) {
        out.copy_from_slice(&self.base);
        for ((&i, allowed), &stride) in self.issues.iter().zip(&self.allowed).zip(&self.stride) {
            out[i] = allowed[x / stride];
            x %= stride;
        }
    }

    /// The stage package a table package falls in.
    pub fn index_of(&self, options: &[u16]) -> usize {
        self.issues
            .iter()
            .zip(&self.allowed)
            .zip(&self.stride)
            .map(|((&i, allowed), &stride)| {
                allowed.iter().position(|&o| o == options[i]).unwrap_or(0) * stride
            })
            .sum()
    }

    /// The table package standing for stage package x in the minutes (on
    /// the hot path: every offer names one).
    pub fn full(&self, mut x: usize) -> usize {
        let mut index = self.base_index;
        for (&stride, &table_stride) in self.stride.iter().zip(&self.table_stride) {
            index += x / stride * table_stride;
            x %= stride;
        }
        index
    }
}
