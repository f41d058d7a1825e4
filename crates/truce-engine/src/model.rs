//! The negotiation model: parties, issues, preferences, red lines, linkages,
//! plans and deadlines. Everything refers to parties, issues and options by
//! index; a [`Scenario`] is consistent because [`Scenario::new`] is the only
//! way to make one.

use crate::expr::Constraint;

/// The option id that a deferrable issue gains: "leave this for later talks".
pub const DEFERRED: &str = "deferred";
/// The label of the deferred option.
pub const DEFERRED_LABEL: &str = "left for later talks";

/// A value with the note of what it rests on: a sentence of a report, or
/// "assumption"; and, for numbers, how uncertain the estimate is.
#[derive(Debug, Clone, PartialEq)]
pub struct Noted<T> {
    /// The value.
    pub value: T,
    /// What the value rests on: a source and paragraph, or "assumption: ...".
    pub basis: Option<String>,
    /// How an estimate may vary (simulation samples it; analysis uses
    /// `value`).
    pub spread: Option<Spread>,
}

impl<T> Noted<T> {
    /// A value with its basis and no spread.
    pub fn new(value: T, basis: Option<String>) -> Self {
        Noted {
            value,
            basis,
            spread: None,
        }
    }
    /// A value with no basis (imported or computed).
    pub fn bare(value: T) -> Self {
        Noted::new(value, None)
    }
}

/// The uncertainty of an estimate, around its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spread {
    /// Any value in [lo, hi], equally likely.
    Uniform {
        /// The lowest value.
        lo: f64,
        /// The highest value.
        hi: f64,
    },
    /// From lo to hi, most likely at the value (a three-point estimate).
    Triangular {
        /// The lowest value.
        lo: f64,
        /// The highest value.
        hi: f64,
    },
    /// Normal around the value, cut to [lo, hi].
    Normal {
        /// The standard deviation.
        sd: f64,
        /// The lowest value kept.
        lo: f64,
        /// The highest value kept.
        hi: f64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// What a party is at the talks.
pub enum Role {
    /// At the table; signs the agreement.
    Party,
    /// Proposes packages; may have interests of its own and may walk away.
    Mediator,
    /// Consulted, does not sign.
    Ally,
    /// Observes; neither signs nor proposes.
    Observer,
}

impl Role {
    /// The role as written in scenario files (`party`, `mediator`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Party => "party",
            Role::Mediator => "mediator",
            Role::Ally => "ally",
            Role::Observer => "observer",
        }
    }
    /// The role named by `s`, if any.
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "party" => Role::Party,
            "mediator" => Role::Mediator,
            "ally" => Role::Ally,
            "observer" => Role::Observer,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
/// A person who speaks or acts for a party.
pub struct Person {
    /// Their name.
    pub name: String,
    /// Their office, e.g. "Secretary of State".
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
/// A party to the talks: a signatory, the mediator, an ally or an observer.
pub struct Party {
    /// Short id used in rules, ledgers and JSON (`ukraine`).
    pub id: String,
    /// Name for people ("Ukraine").
    pub name: String,
    /// What it is at the talks.
    pub role: Role,
    /// Whether the agreement needs this party's consent: its red lines and
    /// reservation value then bound the feasible set.
    pub veto: bool,
    /// Issues on which a party without a general veto must still consent
    /// (an issue-limited veto, `veto = ["frozen_assets"]`): its red lines
    /// that mention only these issues bind, and so does its reservation
    /// value, over its utility on these issues alone (see
    /// [`crate::consent`]). It does not bargain over the rest.
    pub consent: Vec<usize>,
    /// Who speaks for it.
    pub people: Vec<Person>,
    /// How much it can bring to bear on the outcome (forecasting models'
    /// capability or power; any non-negative scale, compared across the
    /// parties of one scenario), where the scenario gives it.
    pub capability: Option<Noted<f64>>,
}

#[derive(Debug, Clone, PartialEq)]
/// A report or document the scenario's values cite.
pub struct Source {
    /// Short id that bases cite (`seed`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Where it was published.
    pub outlet: Option<String>,
    /// Where it can be found.
    pub url: Option<String>,
    /// When it was published.
    pub date: Option<crate::date::Date>,
}

#[derive(Debug, Clone, PartialEq)]
/// One option of an issue (a possible provision).
pub struct IssueOption {
    /// Short id used in rules and plans (`de_facto`).
    pub id: String,
    /// What the option means, for people.
    pub label: String,
    /// What it rests on.
    pub basis: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
/// One question the agreement must settle, with its options.
pub struct Issue {
    /// Short id used in rules and plans (`crimea`).
    pub id: String,
    /// The question, for people.
    pub question: String,
    /// The options form a scale, in the order given.
    pub ordered: bool,
    /// A plan may leave this issue for later; then `options` ends with the
    /// implicit [`DEFERRED`] option, which is not part of the scale.
    pub deferrable: bool,
    /// The options, in file order (the deferred one last when deferrable).
    pub options: Vec<IssueOption>,
    /// What the issue rests on.
    pub basis: Option<String>,
    /// For a number (an army cap): its scale; the options are its steps.
    pub numeric: Option<NumericScale>,
}

/// A numeric issue's scale: from `min` to `max` in steps of `step`, each
/// step an option (ordered), printed with `unit` and digit grouping.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericScale {
    /// The smallest value.
    pub min: f64,
    /// The largest value (the last step at or below it).
    pub max: f64,
    /// The distance between options.
    pub step: f64,
    /// What the number counts (`troops`), if said.
    pub unit: Option<String>,
}

impl NumericScale {
    /// Number of steps from `min` to `max`, or `None` when the numbers do
    /// not make a scale (not finite, step not positive, max below min).
    pub fn steps(&self) -> Option<u64> {
        let ok = self.min.is_finite()
            && self.max.is_finite()
            && self.step.is_finite()
            && self.step > 0.0
            && self.max >= self.min;
        if !ok {
            return None;
        }
        let n = ((self.max - self.min) / self.step + 1e-9).floor();
        (n < 1e9).then(|| n as u64 + 1)
    }
    /// The value of option `o`.
    pub fn value(&self, o: usize) -> f64 {
        self.min + self.step * o as f64
    }
    /// The option whose value is `x`, if `x` lies on the scale.
    pub fn option_of(&self, x: f64, steps: usize) -> Option<usize> {
        let k = ((x - self.min) / self.step).round();
        let ok = k >= 0.0
            && (k as usize) < steps
            && (self.value(k as usize) - x).abs() <= self.step * 1e-9;
        ok.then_some(k as usize)
    }
    /// The option id of value `x`: the shortest text that reads back as it.
    pub fn id(x: f64) -> String {
        if x == x.trunc() && x.abs() < 1e15 {
            format!("{}", x as i64)
        } else {
            format!("{x}")
        }
    }
    /// The first `steps` steps as options: ids the numbers, labels for people.
    pub fn options(&self, steps: usize) -> Vec<IssueOption> {
        (0..steps)
            .map(|o| {
                let x = self.value(o);
                IssueOption {
                    id: Self::id(x),
                    label: self.label(x),
                    basis: None,
                }
            })
            .collect()
    }
    /// `x` for people: digits grouped by thousands, then the unit.
    pub fn label(&self, x: f64) -> String {
        let text = Self::id(x);
        let (sign, rest) = text
            .strip_prefix('-')
            .map_or(("", text.as_str()), |r| ("-", r));
        let (int, frac) = rest
            .split_once('.')
            .map_or((rest, None), |(a, b)| (a, Some(b)));
        let mut grouped = String::new();
        for (k, c) in int.chars().enumerate() {
            if k > 0 && (int.len() - k) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let mut out = format!("{sign}{grouped}");
        if let Some(f) = frac {
            out.push('.');
            out.push_str(f);
        }
        if let Some(u) = &self.unit {
            out.push(' ');
            out.push_str(u);
        }
        out
    }
}

impl IssueOption {
    /// The option a deferrable issue gains: "left for later talks".
    pub fn deferred() -> IssueOption {
        IssueOption {
            id: DEFERRED.into(),
            label: DEFERRED_LABEL.into(),
            basis: None,
        }
    }
}

impl Issue {
    /// The position of the option with this id; on a numeric issue, any
    /// spelling of a value on the scale (`800000`, `800_000`, `8e5`).
    pub fn option_index(&self, id: &str) -> Option<usize> {
        if let Some(o) = self.options.iter().position(|o| o.id == id) {
            return Some(o);
        }
        let scale = self.numeric.as_ref()?;
        let x: f64 = id.replace('_', "").parse().ok()?;
        scale.option_of(x, self.scale_len())
    }
    /// The options on the scale (all but the implicit deferred one).
    pub fn scale_len(&self) -> usize {
        self.options.len() - usize::from(self.deferrable)
    }
    /// The deferred option's position, when the issue is deferrable.
    pub fn deferred_index(&self) -> Option<usize> {
        self.deferrable.then(|| self.options.len() - 1)
    }
}

/// How one party values one issue.
#[derive(Debug, Clone, PartialEq)]
pub struct IssuePreference {
    /// Salience; a party's weights sum to 1.
    pub weight: Noted<f64>,
    /// Value of each option of the issue, in [0, 1].
    pub values: Vec<Noted<f64>>,
    /// For ordered issues valued by distance: the ideal option and tolerance.
    pub ideal: Option<(usize, u32)>,
    /// For ordered issues valued linearly along the scale: (offset, slope);
    /// the value at scale position k is offset + slope × k, clamped to [0, 1].
    pub linear: Option<(f64, f64)>,
    /// For numeric issues: (number, value) points, numbers rising; the value
    /// between two points is on the line joining them, flat beyond the ends.
    pub points: Option<Vec<(f64, f64)>>,
}

/// The value at `x` of the piecewise-linear function through `points`
/// (numbers rising), flat beyond the ends.
pub fn piecewise_value(points: &[(f64, f64)], x: f64) -> f64 {
    let Some(&(x0, y0)) = points.first() else {
        return 0.0;
    };
    if x <= x0 {
        return y0;
    }
    for w in points.windows(2) {
        let ((a, ya), (b, yb)) = (w[0], w[1]);
        if x <= b {
            return ya + (yb - ya) * (x - a) / (b - a);
        }
    }
    points.last().map_or(0.0, |p| p.1)
}

impl IssuePreference {
    /// The value the ideal point or the linear function gives option `o`,
    /// if either is set and `o` is on the scale.
    pub fn implied_value(&self, issue: &Issue, o: usize) -> Option<f64> {
        if o >= issue.scale_len() {
            return None;
        }
        if let Some((ideal, tolerance)) = self.ideal {
            return Some(distance_value(o, ideal, tolerance));
        }
        if let (Some(points), Some(scale)) = (&self.points, &issue.numeric) {
            return Some(piecewise_value(points, scale.value(o)));
        }
        self.linear
            .map(|(offset, slope)| linear_value(o, offset, slope))
    }
}

/// The value of option `x` for a party whose ideal is `ideal`: 1 at the
/// ideal, falling linearly by 1/(tolerance+1) a step, 0 beyond the tolerance.
pub fn distance_value(x: usize, ideal: usize, tolerance: u32) -> f64 {
    let d = x.abs_diff(ideal) as f64;
    (1.0 - d / (tolerance as f64 + 1.0)).max(0.0)
}

/// offset + slope × k, clamped to [0, 1] (GENIUS's linear evaluator).
pub fn linear_value(k: usize, offset: f64, slope: f64) -> f64 {
    (offset + slope * k as f64).clamp(0.0, 1.0)
}

#[derive(Debug, Clone, PartialEq)]
/// What one party values and what walking away is worth to it.
pub struct Preferences {
    /// Utility of no agreement, in [0, 1].
    pub reservation: Noted<f64>,
    /// What the block's numbers rest on, for every number without a basis
    /// of its own (typically "assumption: ...").
    pub basis: Option<String>,
    /// Discount factor (GENIUS); analysis ignores it, see docs/genius.md.
    pub discount: Option<Noted<f64>>,
    /// One per issue of the scenario; issues the party does not mention
    /// have weight 0.
    pub issues: Vec<IssuePreference>,
}

#[derive(Debug, Clone, PartialEq)]
/// A red line: packages a party refuses outright.
pub struct RedLine {
    /// Short id.
    pub id: String,
    /// The party whose red line it is.
    pub party: usize,
    /// What it says, for people.
    pub label: String,
    /// The rule as written, for display.
    pub rule: String,
    /// The rule compiled: a package crosses the red line when it fails.
    pub constraint: Constraint,
    /// What it rests on.
    pub basis: Option<String>,
    /// Made by truce, not written in the file: the reservation value of a
    /// party with an issue-limited veto, as a rule over those issues
    /// ([`crate::consent`]). Never written back.
    pub derived: bool,
}

#[derive(Debug, Clone, PartialEq)]
/// A linkage: a party values a combination of provisions more (or less) than their parts.
pub struct Linkage {
    /// Short id.
    pub id: String,
    /// The party whose utility it changes.
    pub party: usize,
    /// What it says, for people.
    pub label: String,
    /// The rule as written, for display.
    pub rule: String,
    /// The rule compiled: the linkage applies when it holds.
    pub when: Constraint,
    /// Added to the party's utility when the rule holds (negative removes).
    pub utility: Noted<f64>,
}

#[derive(Debug, Clone, PartialEq)]
/// One issue of a plan: the option the plan picks.
pub struct Provision {
    /// The option (its position in the issue's options).
    pub option: usize,
    /// What the provision rests on.
    pub basis: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
/// A plan put forward in the talks: one option per issue.
pub struct Plan {
    /// Short id (`paris`).
    pub id: String,
    /// Name for people.
    pub name: String,
    /// The party that put it forward.
    pub proposed_by: Option<usize>,
    /// When it was put forward.
    pub date: Option<crate::date::Date>,
    /// One provision per issue; a deferred issue holds its deferred option.
    pub provisions: Vec<Provision>,
    /// What the plan rests on.
    pub basis: Option<String>,
}

impl Plan {
    /// The plan as a package (one option per issue).
    pub fn package(&self) -> Vec<u16> {
        self.provisions.iter().map(|p| p.option as u16).collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
/// What happens when a deadline passes.
pub enum Consequence {
    /// The mediator ends its mediation.
    MediatorWithdraws,
    /// A party's reservation value changes (e.g. sanctions are imposed).
    ReservationChange {
        /// The party whose reservation value changes.
        party: usize,
        /// Its new reservation value.
        reservation: Noted<f64>,
    },
    /// Anything else, described in words.
    Other(String),
}

#[derive(Debug, Clone, PartialEq)]
/// A deadline of the talks and what follows it.
pub struct Deadline {
    /// Short id.
    pub id: String,
    /// What it is, for people.
    pub label: String,
    /// Calendar date.
    pub date: Option<crate::date::Date>,
    /// Round of a simulated negotiation.
    pub round: Option<u32>,
    /// The party that set it.
    pub set_by: Option<usize>,
    /// What happens when it passes.
    pub consequence: Consequence,
    /// What it rests on.
    pub basis: Option<String>,
}

/// The parts of a scenario, before validation: what a constructor (the
/// parser, the generator, GENIUS import) assembles and hands to
/// [`Scenario::new`]. Read through a [`Scenario`] with the same names.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioParts {
    /// Short id of the scenario.
    pub id: Option<String>,
    /// Its name, for people.
    pub name: String,
    /// What the scenario is about.
    pub description: Option<String>,
    /// Reports and documents its values cite.
    pub sources: Vec<Source>,
    /// Parties, in file order (indices used everywhere else).
    pub parties: Vec<Party>,
    /// Issues, in file order (the first is the most significant digit of a package number).
    pub issues: Vec<Issue>,
    /// One entry per party; `None` for parties without stated preferences.
    pub preferences: Vec<Option<Preferences>>,
    /// Red lines, in file order.
    pub red_lines: Vec<RedLine>,
    /// Linkages, in file order.
    pub linkages: Vec<Linkage>,
    /// Plans, in file order.
    pub plans: Vec<Plan>,
    /// Deadlines, in file order.
    pub deadlines: Vec<Deadline>,
    /// How the talks are simulated; empty when the file says nothing.
    pub simulation: crate::simulation::Simulation,
}

/// A negotiation scenario that passed validation ([`crate::validate`]):
/// every limit the engine relies on holds, so every index in it points at
/// something. It can only be made by [`Scenario::new`], and read (its
/// fields are those of [`ScenarioParts`]) but not changed in place.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario(ScenarioParts);

impl Scenario {
    /// Validates `parts`; every problem comes back with its field path.
    pub fn new(mut parts: ScenarioParts) -> Result<Scenario, crate::diag::ScenarioError> {
        crate::consent::derive(&mut parts);
        let diagnostics = crate::validate::problems(&parts);
        if diagnostics.is_empty() {
            Ok(Scenario(parts))
        } else {
            Err(crate::diag::ScenarioError { diagnostics })
        }
    }

    /// The parts, to change and validate again.
    pub fn into_parts(self) -> ScenarioParts {
        self.0
    }
}

impl std::ops::Deref for Scenario {
    type Target = ScenarioParts;
    fn deref(&self) -> &ScenarioParts {
        &self.0
    }
}

impl ScenarioParts {
    /// The position of the party with this id.
    pub fn party_index(&self, id: &str) -> Option<usize> {
        self.parties.iter().position(|p| p.id == id)
    }
    /// The position of the issue with this id.
    pub fn issue_index(&self, id: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.id == id)
    }
    /// Finds a plan by id or by name.
    pub fn plan_index(&self, key: &str) -> Option<usize> {
        self.plans
            .iter()
            .position(|p| p.id == key)
            .or_else(|| self.plans.iter().position(|p| p.name == key))
    }
    /// Number of packages in the agreement space, exactly, however large.
    pub fn package_count(&self) -> PackageCount {
        PackageCount::of(self.issues.iter().map(|i| i.options.len() as u64))
    }
    /// The first mediator, if any.
    pub fn mediator(&self) -> Option<usize> {
        self.parties.iter().position(|p| p.role == Role::Mediator)
    }
    /// Parties whose consent the agreement needs, in file order.
    pub fn veto_parties(&self) -> Vec<usize> {
        (0..self.parties.len())
            .filter(|&p| self.parties[p].veto)
            .collect()
    }
    /// Whether red line `r` bounds the feasible set: its party has a veto,
    /// or an issue-limited veto over every issue the red line mentions.
    pub fn red_line_binds(&self, r: usize) -> bool {
        let Some(line) = self.red_lines.get(r) else {
            return false;
        };
        let Some(party) = self.parties.get(line.party) else {
            return false;
        };
        party.veto
            || (!party.consent.is_empty()
                && line
                    .constraint
                    .issues(self.issues.len())
                    .iter()
                    .all(|i| party.consent.contains(i)))
    }

    /// Parties with stated preferences, in file order.
    pub fn valued_parties(&self) -> Vec<usize> {
        (0..self.parties.len())
            .filter(|&p| self.preferences[p].is_some())
            .collect()
    }
    /// The number of a package in the agreement space (first issue most
    /// significant); see [`crate::space::Space`].
    pub fn space_index(&self, package: &[u16]) -> u64 {
        self.issues.iter().zip(package).fold(0u64, |n, (i, &o)| {
            n.wrapping_mul(i.options.len() as u64)
                .wrapping_add(o as u64)
        })
    }
    /// How many of the scenario's numbers carry a basis, and how many of
    /// those are marked as assumptions: reservation values, weights and the
    /// option values a party states (on issues it weighs), linkage
    /// utilities, reservation changes at deadlines and parties'
    /// capabilities. A number without a basis of its own takes its
    /// preference block's.
    pub fn basis_count(&self) -> BasisCount {
        let mut count = BasisCount::default();
        let mut add = |basis: Option<&str>| {
            count.total += 1;
            if let Some(b) = basis {
                count.with_basis += 1;
                if b.to_lowercase().starts_with("assumption") {
                    count.assumptions += 1;
                }
            }
        };
        for prefs in self.preferences.iter().flatten() {
            let block = prefs.basis.as_deref();
            add(prefs.reservation.basis.as_deref().or(block));
            for ip in &prefs.issues {
                if ip.weight.value > 0.0 {
                    add(ip.weight.basis.as_deref().or(block));
                    if ip.ideal.is_none() && ip.linear.is_none() {
                        for v in &ip.values {
                            add(v.basis.as_deref().or(block));
                        }
                    }
                }
            }
        }
        for l in &self.linkages {
            add(l.utility.basis.as_deref());
        }
        for d in &self.deadlines {
            if let Consequence::ReservationChange { reservation, .. } = &d.consequence {
                add(reservation.basis.as_deref());
            }
        }
        for c in self.parties.iter().filter_map(|p| p.capability.as_ref()) {
            add(c.basis.as_deref());
        }
        count
    }
    /// The package as `issue id -> option id` pairs.
    /// A numeric issue shows its label (the number grouped, with its unit).
    pub fn describe_package(&self, package: &[u16]) -> Vec<(&str, &str)> {
        self.issues
            .iter()
            .zip(package)
            .map(|(i, &o)| {
                let option = &i.options[o as usize];
                let shown = if i.numeric.is_some() {
                    option.label.as_str()
                } else {
                    option.id.as_str()
                };
                (i.id.as_str(), shown)
            })
            .collect()
    }
}

/// The numbers of a scenario that carry a basis ([`Scenario::basis_count`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BasisCount {
    /// Every number counted.
    pub total: usize,
    /// Those with a basis, their own or their preference block's.
    pub with_basis: usize,
    /// Those whose basis starts with "assumption".
    pub assumptions: usize,
}

/// The exact number of packages of an agreement space, which can exceed
/// any machine integer (a thousand issues of many options).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageCount {
    /// Base-10^9 digits, least significant first.
    limbs: Vec<u32>,
}

impl PackageCount {
    const BASE: u64 = 1_000_000_000;

    /// The product of `factors`.
    pub fn of(factors: impl IntoIterator<Item = u64>) -> PackageCount {
        let mut limbs = vec![1u32];
        for f in factors {
            let mut carry: u128 = 0;
            for limb in &mut limbs {
                let x = u128::from(*limb) * u128::from(f) + carry;
                *limb = (x % u128::from(Self::BASE)) as u32;
                carry = x / u128::from(Self::BASE);
            }
            while carry > 0 {
                limbs.push((carry % u128::from(Self::BASE)) as u32);
                carry /= u128::from(Self::BASE);
            }
            while limbs.len() > 1 && limbs.last() == Some(&0) {
                limbs.pop();
            }
        }
        PackageCount { limbs }
    }

    /// The count, when it fits in 64 bits.
    pub fn as_u64(&self) -> Option<u64> {
        self.limbs.iter().rev().try_fold(0u64, |n, &l| {
            n.checked_mul(Self::BASE)?.checked_add(u64::from(l))
        })
    }

    /// All its decimal digits.
    pub fn digits(&self) -> String {
        let mut out = String::new();
        for (k, limb) in self.limbs.iter().rev().enumerate() {
            if k == 0 {
                out.push_str(&limb.to_string());
            } else {
                out.push_str(&format!("{limb:09}"));
            }
        }
        out
    }
}

/// Exact up to 30 digits, then as "about 1.2 × 10^100".
impl std::fmt::Display for PackageCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits = self.digits();
        if digits.len() <= 30 {
            return f.write_str(&digits);
        }
        let (head, rest) = digits.split_at(1);
        write!(f, "about {head}.{} × 10^{}", &rest[..1], digits.len() - 1)
    }
}

/// Draws one value from a number's spread (its value when it has none).
/// Normal draws outside the bounds are drawn again (up to 64 times, then
/// cut to the bounds).
pub fn draw(n: &Noted<f64>, rng: &mut impl rand::Rng) -> f64 {
    use rand_distr::Distribution;
    match n.spread {
        None => n.value,
        Some(Spread::Uniform { lo, hi }) => {
            if hi > lo {
                rng.gen_range(lo..=hi)
            } else {
                lo
            }
        }
        Some(Spread::Triangular { lo, hi }) => match rand_distr::Triangular::new(lo, hi, n.value) {
            Ok(d) => d.sample(rng),
            Err(_) => n.value,
        },
        Some(Spread::Normal { sd, lo, hi }) => match rand_distr::Normal::new(n.value, sd) {
            Ok(d) => {
                for _ in 0..64 {
                    let x = d.sample(rng);
                    if (lo..=hi).contains(&x) {
                        return x;
                    }
                }
                n.value.clamp(lo, hi)
            }
            Err(_) => n.value,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::PackageCount;

    #[test]
    fn package_counts_are_exact_past_any_integer() {
        assert_eq!(PackageCount::of([]).digits(), "1");
        assert_eq!(PackageCount::of([4, 2, 3]).as_u64(), Some(24));
        let big = PackageCount::of(std::iter::repeat_n(10, 100));
        assert_eq!(big.digits(), format!("1{}", "0".repeat(100)));
        assert_eq!(big.as_u64(), None);
        assert_eq!(big.to_string(), "about 1.0 × 10^100");
        let max = PackageCount::of([u64::MAX]);
        assert_eq!(max.as_u64(), Some(u64::MAX));
        assert_eq!(PackageCount::of([u64::MAX, 2]).as_u64(), None);
        assert_eq!(
            PackageCount::of([u64::MAX, u64::MAX]).digits(),
            (u128::from(u64::MAX) * u128::from(u64::MAX)).to_string()
        );
    }
}
