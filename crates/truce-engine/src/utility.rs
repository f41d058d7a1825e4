//! Utilities and red lines compiled for fast evaluation.
//!
//! A party's utility is additive over issues: the sum of weight × value of
//! the option chosen on each issue, plus the utility of every linkage that
//! holds. A party with linkages has its utility rescaled so it stays in
//! [0, 1] by construction ([`linkage_scale`]): nothing is clamped away. The issues are split
//! into a leading *prefix* and a trailing *suffix*; the suffix's sums are
//! tabulated once so the enumeration adds one number per party per package.
//! Every evaluation, enumerated or one-off, sums in the same grouping
//! (prefix, then suffix, then linkages in file order), so a package gets
//! bit-identical utilities however it is reached.

use crate::expr::Constraint;
use crate::model::ScenarioParts;
use crate::space::Space;

/// Largest number of packages tabulated for the suffix, by default.
pub const SUFFIX_TABLE_MAX: u64 = 4096;

/// How a party's linkages are fitted into [0, 1]: with P the sum of its
/// positive linkage utilities and N the sum of its negative ones (N ≤ 0),
/// its utility is (Σ weight × value + Σ linkages that hold − N) / S with
/// S = 1 + P − N, which lies in [0, 1] whenever the weights sum to 1 and
/// values lie in [0, 1]. Returns (S, −N / S): each term and linkage is
/// divided by S, and −N / S is added last. Without linkages: (1, 0).
pub fn linkage_scale(utilities: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let (mut pos, mut neg) = (0.0, 0.0);
    for x in utilities {
        if x > 0.0 {
            pos += x;
        } else {
            neg += x;
        }
    }
    let scale = 1.0 + pos - neg;
    (scale, -neg / scale)
}

/// Where a rule's issues lie, which decides when it is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulePlace {
    /// All its issues come before the split.
    Prefix,
    /// All its issues come after the split.
    Suffix,
    /// It spans the split.
    Mixed,
}

#[derive(Debug, Clone)]
/// Utilities of every valued party for any package, tabulated per issue: one arithmetic for every evaluation (analysis, plan reports, tests).
pub struct Evaluator {
    /// The agreement space's numbering.
    pub space: Space,
    /// Parties with preferences (scenario indices), in file order.
    pub valued: Vec<usize>,
    /// Position of each scenario party in `valued`.
    pub valued_pos: Vec<Option<usize>>,
    /// `tables[k][i][o]`: weight × value for valued party k, issue i, option o.
    tables: Vec<Vec<Vec<f64>>>,
    /// Issues before this index form the prefix; the rest the tabulated suffix.
    pub split: usize,
    /// The suffix issues' own numbering.
    suffix_space: Space,
    /// Packages of the suffix issues, numbered like the space.
    pub suffix_len: u64,
    /// Utility sums of the suffix issues: `suffix_sums[s * valued + k]`.
    suffix_sums: Vec<f64>,
    /// Per suffix package, the red lines it crosses and the linkages that hold
    /// (suffix-only rules).
    suffix_red: Vec<u64>,
    suffix_link: Vec<u64>,
    red_place: Vec<RulePlace>,
    link_place: Vec<RulePlace>,
    red_rules: Vec<Constraint>,
    link_rules: Vec<Constraint>,
    /// Per linkage: (valued position, utility); `None` for a party without
    /// preferences, which validation rules out.
    link_effect: Vec<Option<(usize, f64)>>,
    /// Whether valued party k has linkages (and so is rescaled, and
    /// clamped against rounding).
    clamped: Vec<bool>,
    /// Per valued party: added after its linkages (see [`linkage_scale`]).
    offset: Vec<f64>,
}

/// Evaluation of one package.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Per valued party.
    pub utilities: Vec<f64>,
    /// Bit r set when red line r is crossed.
    pub crossed: u64,
}

impl Evaluator {
    /// The evaluator of a scenario (its parts: a caller may evaluate
    /// estimates it drew itself).
    pub fn new(s: &ScenarioParts) -> Self {
        Self::with_suffix_limit(s, SUFFIX_TABLE_MAX)
    }

    /// Tabulates at most `suffix_limit` suffix packages (at least one issue's
    /// worth). Utilities are summed in the same grouping only by evaluators
    /// with the same limit.
    pub fn with_suffix_limit(s: &ScenarioParts, suffix_limit: u64) -> Self {
        let radices: Vec<u16> = s.issues.iter().map(|i| i.options.len() as u16).collect();
        let space = Space::new(radices.clone());
        let valued = s.valued_parties();
        let mut valued_pos = vec![None; s.parties.len()];
        for (k, &p) in valued.iter().enumerate() {
            valued_pos[p] = Some(k);
        }
        let scales: Vec<(f64, f64)> = valued
            .iter()
            .map(|&p| {
                linkage_scale(
                    s.linkages
                        .iter()
                        .filter(|l| l.party == p)
                        .map(|l| l.utility.value),
                )
            })
            .collect();
        let tables: Vec<Vec<Vec<f64>>> = valued
            .iter()
            .zip(&scales)
            .filter_map(|(&p, sc)| Some((s.preferences[p].as_ref()?, sc.0)))
            .map(|(prefs, scale)| {
                prefs
                    .issues
                    .iter()
                    .map(|ip| {
                        ip.values
                            .iter()
                            .map(|v| ip.weight.value * v.value / scale)
                            .collect()
                    })
                    .collect()
            })
            .collect();

        let n = radices.len();
        let mut split = n;
        let mut suffix_len = 1u64;
        while split > 0 {
            let next = suffix_len * radices[split - 1] as u64;
            if next > suffix_limit && split < n {
                break;
            }
            suffix_len = next;
            split -= 1;
        }

        let place = |c: &Constraint| {
            let issues = c.issues(n);
            if issues.iter().all(|&i| i < split) {
                RulePlace::Prefix
            } else if issues.iter().all(|&i| i >= split) {
                RulePlace::Suffix
            } else {
                RulePlace::Mixed
            }
        };
        let red_rules: Vec<Constraint> = s.red_lines.iter().map(|r| r.constraint.clone()).collect();
        let link_rules: Vec<Constraint> = s.linkages.iter().map(|l| l.when.clone()).collect();
        let red_place = red_rules.iter().map(place).collect();
        let link_place = link_rules.iter().map(place).collect();
        let link_effect: Vec<Option<(usize, f64)>> = s
            .linkages
            .iter()
            .map(|l| valued_pos[l.party].map(|k| (k, l.utility.value / scales[k].0)))
            .collect();
        let mut clamped = vec![false; valued.len()];
        for &(k, _) in link_effect.iter().flatten() {
            clamped[k] = true;
        }
        let offset: Vec<f64> = scales.iter().map(|sc| sc.1).collect();

        let mut e = Evaluator {
            suffix_space: Space::new(radices[split..].to_vec()),
            space,
            valued,
            valued_pos,
            tables,
            split,
            suffix_len,
            suffix_sums: Vec::new(),
            suffix_red: Vec::new(),
            suffix_link: Vec::new(),
            red_place,
            link_place,
            red_rules,
            link_rules,
            link_effect,
            clamped,
            offset,
        };
        e.tabulate_suffix();
        e
    }

    fn tabulate_suffix(&mut self) {
        let n = self.space.issue_count();
        let v = self.valued.len();
        let mut package = vec![0u16; n];
        let suffix = Space::new(self.space.radices()[self.split..].to_vec());
        self.suffix_sums = vec![0.0; self.suffix_len as usize * v];
        self.suffix_red = vec![0; self.suffix_len as usize];
        self.suffix_link = vec![0; self.suffix_len as usize];
        for s in 0..self.suffix_len {
            suffix.decode(s, &mut package[self.split..]);
            for k in 0..v {
                self.suffix_sums[s as usize * v + k] = self.sum_issues(k, &package, self.split..n);
            }
            self.suffix_red[s as usize] = self.crossed_in(&package, RulePlace::Suffix);
            self.suffix_link[s as usize] = self.links_in(&package, RulePlace::Suffix);
        }
    }

    /// Weight × value of option `o` of issue `i` for valued party k.
    #[inline]
    pub fn term(&self, k: usize, i: usize, o: usize) -> f64 {
        self.tables[k][i][o]
    }

    #[inline]
    fn sum_issues(&self, k: usize, package: &[u16], issues: std::ops::Range<usize>) -> f64 {
        let mut sum = 0.0;
        for i in issues {
            sum += self.tables[k][i][package[i] as usize];
        }
        sum
    }

    /// Red lines of the given place that `package` crosses.
    #[inline]
    pub fn crossed_in(&self, package: &[u16], place: RulePlace) -> u64 {
        let mut mask = 0;
        for (r, rule) in self.red_rules.iter().enumerate() {
            if self.red_place[r] == place && !rule.holds(package) {
                mask |= 1 << r;
            }
        }
        mask
    }

    /// Linkages of the given place that hold for `package`.
    #[inline]
    pub fn links_in(&self, package: &[u16], place: RulePlace) -> u64 {
        let mut mask = 0;
        for (l, rule) in self.link_rules.iter().enumerate() {
            if self.link_place[l] == place && rule.holds(package) {
                mask |= 1 << l;
            }
        }
        mask
    }

    /// The red lines' rules, by scenario index.
    pub fn red_rules(&self) -> &[Constraint] {
        &self.red_rules
    }

    /// The linkages' rules, by scenario index.
    pub fn link_rules(&self) -> &[Constraint] {
        &self.link_rules
    }

    /// Per linkage: the valued party it moves and by how much.
    pub fn link_effects(&self) -> &[Option<(usize, f64)>] {
        &self.link_effect
    }

    /// Whether valued party k has linkages (its utility is rescaled into
    /// [0, 1], and clamped there against rounding).
    pub fn is_clamped(&self, k: usize) -> bool {
        self.clamped[k]
    }

    /// What is added to valued party k's utility after its linkages (see
    /// [`linkage_scale`]; 0 without linkages).
    pub fn offset(&self, k: usize) -> f64 {
        self.offset[k]
    }

    /// Whether some red line or linkage spans the prefix and the suffix.
    pub fn has_mixed_rules(&self) -> bool {
        self.red_place.contains(&RulePlace::Mixed) || self.link_place.contains(&RulePlace::Mixed)
    }

    /// Whether any linkage changes a utility.
    pub fn has_linkages(&self) -> bool {
        !self.link_effect.is_empty()
    }

    /// Prefix utility sums of `package` for every valued party.
    #[inline]
    pub fn prefix_sums(&self, package: &[u16], out: &mut [f64]) {
        for (k, slot) in out.iter_mut().enumerate() {
            *slot = self.sum_issues(k, package, 0..self.split);
        }
    }

    #[inline]
    /// The suffix utility sums of suffix package `s`, per valued party.
    pub fn suffix_sums(&self, s: u64) -> &[f64] {
        let v = self.valued.len();
        &self.suffix_sums[s as usize * v..(s as usize + 1) * v]
    }
    #[inline]
    /// The red lines suffix package `s` alone crosses (a mask).
    pub fn suffix_crossed(&self, s: u64) -> u64 {
        self.suffix_red[s as usize]
    }
    #[inline]
    /// The linkages suffix package `s` alone triggers (a mask).
    pub fn suffix_links(&self, s: u64) -> u64 {
        self.suffix_link[s as usize]
    }

    /// Adds linkage utilities (in file order) and the offset of the parties
    /// that have linkages, and clamps them against rounding.
    #[inline]
    pub fn apply_linkages(&self, links: u64, utilities: &mut [f64]) {
        if self.link_effect.is_empty() {
            return;
        }
        for (l, effect) in self.link_effect.iter().enumerate() {
            if let Some((k, u)) = *effect {
                if links >> l & 1 == 1 {
                    utilities[k] += u;
                }
            }
        }
        for (k, u) in utilities.iter_mut().enumerate() {
            if self.clamped[k] {
                *u = (*u + self.offset[k]).clamp(0.0, 1.0);
            }
        }
    }

    /// Evaluates one package, with the same arithmetic as the enumeration.
    pub fn evaluate(&self, package: &[u16]) -> Evaluation {
        let v = self.valued.len();
        let mut utilities = vec![0.0; v];
        self.prefix_sums(package, &mut utilities);
        let s = self.suffix_space.index(&package[self.split..]);
        for (u, x) in utilities.iter_mut().zip(self.suffix_sums(s)) {
            *u += *x;
        }
        let links = self.links_in(package, RulePlace::Prefix)
            | self.suffix_links(s)
            | self.links_in(package, RulePlace::Mixed);
        self.apply_linkages(links, &mut utilities);
        let crossed = self.crossed_in(package, RulePlace::Prefix)
            | self.suffix_crossed(s)
            | self.crossed_in(package, RulePlace::Mixed);
        Evaluation { utilities, crossed }
    }

    /// Valued party k's utility of `package`, bit for bit what
    /// [`Evaluator::evaluate`] gives it.
    pub fn utility_of(&self, k: usize, package: &[u16]) -> f64 {
        let s = self.suffix_space.index(&package[self.split..]);
        let mut u = self.sum_issues(k, package, 0..self.split);
        u += self.suffix_sums(s)[k];
        if !self.clamped[k] {
            return u;
        }
        for (l, effect) in self.link_effect.iter().enumerate() {
            if let Some((kk, x)) = *effect {
                if kk == k && self.link_rules[l].holds(package) {
                    u += x;
                }
            }
        }
        (u + self.offset[k]).clamp(0.0, 1.0)
    }

    /// Calls `f(package number, package, utilities)` for every package in
    /// numbering order, with the same arithmetic as [`Evaluator::evaluate`].
    pub fn for_each_package(&self, mut f: impl FnMut(u64, &[u16], &[f64])) {
        let Some(size) = self.space.size() else {
            return;
        };
        let n = self.space.issue_count();
        let split = self.split;
        let prefix = Space::new(self.space.radices()[..split].to_vec());
        let suffix = Space::new(self.space.radices()[split..].to_vec());
        let mut package = vec![0u16; n];
        let mut pre = vec![0.0; self.valued.len()];
        let mut u = vec![0.0; self.valued.len()];
        for p in 0..size / self.suffix_len.max(1) {
            self.prefix_sums(&package, &mut pre);
            let pre_links = self.links_in(&package, RulePlace::Prefix);
            for s in 0..self.suffix_len {
                suffix.decode(s, &mut package[split..]);
                for ((x, a), b) in u.iter_mut().zip(&pre).zip(self.suffix_sums(s)) {
                    *x = a + b;
                }
                if self.has_linkages() {
                    let links = pre_links
                        | self.suffix_links(s)
                        | self.links_in(&package, RulePlace::Mixed);
                    self.apply_linkages(links, &mut u);
                }
                f(p * self.suffix_len + s, &package, &u);
            }
            prefix.advance(&mut package[..split]);
        }
    }

    /// Utility of `package` for valued party k, summed plainly issue by issue
    /// (for checks; may differ from [`Evaluator::evaluate`] in the last bit).
    pub fn plain_utility(&self, k: usize, package: &[u16]) -> f64 {
        let mut u = self.sum_issues(k, package, 0..self.space.issue_count());
        let mut clamp = false;
        for (l, &(kk, x)) in self
            .link_effect
            .iter()
            .enumerate()
            .filter_map(|(l, e)| e.as_ref().map(|e| (l, e)))
        {
            if kk == k {
                clamp = true;
                if self.link_rules[l].holds(package) {
                    u += x;
                }
            }
        }
        if clamp {
            u = (u + self.offset[k]).clamp(0.0, 1.0);
        }
        u
    }
}
