//! What stays the same in every run of one simulation: the packages on the
//! table (with issues held fixed taken out), which packages cross whose red
//! lines, who negotiates, the deadlines, each party's strategy, and the
//! mediator's best and final offer under the estimates as given.

use crate::config::{Config, Offers};
use crate::SimError;
use truce_engine::analysis::search::TableSearch;
use truce_engine::model::{Consequence, Noted, Role, Scenario};
use truce_engine::simulation::{Protocol, Strategy};

/// Most packages a simulation lists (its utilities are held per run);
/// larger tables are searched instead.
pub const MAX_PACKAGES: u64 = 1 << 21;

/// Most nodes the search for the best and final offer on a table too large
/// to list may visit (as the analysis allows).
pub const SEARCH_NODES: u64 = 200_000_000;

/// The negotiation set up for simulation. Parties are numbered by their
/// position among the parties with preferences ("valued" parties).
#[derive(Debug, Clone)]
pub struct Table<'s> {
    /// The scenario.
    pub scenario: &'s Scenario,
    /// The settings.
    pub config: Config,
    /// Scenario index of each valued party.
    pub valued: Vec<usize>,
    /// The parties that bargain (veto parties), as valued positions, in
    /// file order.
    pub negotiators: Vec<usize>,
    /// The mediator, as a valued position, if it has preferences.
    pub mediator: Option<usize>,
    /// Options on the table per issue (all, or the one it is held at).
    pub allowed: Vec<Vec<u16>>,
    /// Place values of the allowed space (last issue 1).
    pub stride: Vec<usize>,
    /// Packages on the table.
    pub count: usize,
    /// Whether every package is listed (utilities and red lines tabulated
    /// per package); otherwise they are evaluated when asked and the
    /// negotiators search for their offers.
    pub listed: bool,
    /// Per valued party: the red lines it keeps to (when its strategy
    /// does), as a mask over the scenario's: its own, and for negotiators
    /// the binding ones of parties with an issue-limited veto.
    pub red_mask: Vec<u64>,
    /// The veto parties' red lines, as a mask.
    pub binding_mask: u64,
    /// Listed tables: per valued party and package, crosses none of that
    /// party's red lines.
    red_ok: Vec<Vec<bool>>,
    /// Listed tables: per package, how many veto parties' red lines it
    /// crosses.
    binding_crossed: Vec<u8>,
    /// Each valued party's strategy.
    pub strategies: Vec<Strategy>,
    /// The last round in which agreement is possible before the mediator
    /// withdraws.
    pub walk_away: Option<u32>,
    /// Reservation changes: (after round, valued party, new value).
    pub reservation_changes: Vec<(u32, usize, Noted<f64>)>,
    /// The time horizon parties plan for: the walk-away round, else the
    /// last round.
    pub horizon: u32,
    /// Whether any weight, value or linkage is uncertain (then every run
    /// needs its own utilities).
    pub utilities_vary: bool,
    /// The mediator's best and final offer, from the estimates as given.
    pub best_offer: Option<usize>,
    /// The mediator's opening text: its own plan, else its best package.
    pub opening_text: Option<usize>,
    /// Stages of issues (sequenced protocol), every issue in one stage.
    pub stages: Vec<Vec<usize>>,
}

impl<'s> Table<'s> {
    /// The table of `scenario` under `config`.
    pub fn new(scenario: &'s Scenario, config: Config) -> Result<Table<'s>, SimError> {
        let valued = scenario.valued_parties();
        let pos = |p: usize| valued.iter().position(|&v| v == p);
        let negotiators: Vec<usize> = scenario
            .veto_parties()
            .into_iter()
            .filter_map(pos)
            .collect();
        if negotiators.is_empty() {
            return Err(SimError::NoNegotiators);
        }
        let mediator = scenario.mediator().and_then(pos);
        if matches!(config.protocol, Protocol::Mediated) && mediator.is_none() {
            return Err(SimError::NoMediator);
        }
        let allowed: Vec<Vec<u16>> = scenario
            .issues
            .iter()
            .zip(&config.fixed)
            .map(|(issue, fixed)| match fixed {
                Some(o) => vec![*o as u16],
                None => (0..issue.options.len() as u16).collect(),
            })
            .collect();
        let size = allowed
            .iter()
            .try_fold(1u64, |n, a| n.checked_mul(a.len() as u64))
            .filter(|&n| usize::try_from(n).is_ok())
            .ok_or(SimError::SpaceTooLarge)?;
        let listed = match config.offers {
            Offers::Auto => size <= MAX_PACKAGES,
            Offers::Listed if size > MAX_PACKAGES => {
                return Err(SimError::TooManyPackages {
                    limit: MAX_PACKAGES,
                })
            }
            Offers::Listed => true,
            Offers::Searched => false,
        };
        if !listed && matches!(config.protocol, Protocol::Sequenced) {
            return Err(SimError::SequencedTooLarge {
                limit: MAX_PACKAGES,
            });
        }
        let count = size as usize;
        let mut stride = vec![1usize; allowed.len()];
        for i in (0..allowed.len().saturating_sub(1)).rev() {
            stride[i] = stride[i + 1] * allowed[i + 1].len();
        }
        let mut red_mask = vec![0u64; valued.len()];
        let mut binding_mask = 0u64;
        // The binding red lines of parties whose consent is needed on some
        // issues only: public, and a deal across them would not stand, so
        // a negotiator that keeps to red lines keeps to these too.
        let mut consent_mask = 0u64;
        for (r, line) in scenario.red_lines.iter().enumerate().take(64) {
            if let Some(k) = pos(line.party) {
                red_mask[k] |= 1 << r;
            }
            if scenario.red_line_binds(r) {
                binding_mask |= 1 << r;
                if !scenario.parties[line.party].veto {
                    consent_mask |= 1 << r;
                }
            }
        }
        for &k in &negotiators {
            red_mask[k] |= consent_mask;
        }
        let mut table = Table {
            scenario,
            valued: valued.clone(),
            negotiators,
            mediator,
            allowed,
            stride,
            count,
            listed,
            red_mask,
            binding_mask,
            red_ok: Vec::new(),
            binding_crossed: Vec::new(),
            strategies: Vec::new(),
            walk_away: None,
            reservation_changes: Vec::new(),
            horizon: config.rounds.max(1),
            utilities_vary: false,
            best_offer: None,
            opening_text: None,
            stages: Vec::new(),
            config,
        };
        if listed {
            table.rules();
        }
        table.deadlines();
        table.strategies = valued
            .iter()
            .map(|&p| table.config.strategies[p].unwrap_or_default())
            .collect();
        table.utilities_vary = scenario.preferences.iter().flatten().any(|p| {
            p.issues.iter().any(|ip| {
                ip.weight.spread.is_some() || ip.values.iter().any(|v| v.spread.is_some())
            })
        }) || scenario.linkages.iter().any(|l| l.utility.spread.is_some());
        table.stages = table.stage_list();
        let nominal = crate::world::Utilities::nominal(&table);
        if listed {
            table.best_offer = table.compute_best_offer(&nominal);
            table.opening_text = table.compute_opening_text(&nominal);
        } else {
            table.search_offers(&nominal)?;
        }
        Ok(table)
    }

    /// Writes the options of package `index` into `out` (one per issue).
    pub fn decode(&self, index: usize, out: &mut [u16]) {
        crate::world::decode(&self.allowed, &self.stride, index, out);
    }

    /// The issues held fixed, as the engine's search takes them.
    pub fn held(&self) -> Vec<Option<u16>> {
        self.config
            .fixed
            .iter()
            .map(|f| f.and_then(|o| u16::try_from(o).ok()))
            .collect()
    }

    /// The scenario's red lines in `mask` that package `x` crosses.
    fn crossed(&self, x: usize, mask: u64) -> u64 {
        let mut package = vec![0u16; self.allowed.len()];
        self.decode(x, &mut package);
        self.crossed_by(&package, mask)
    }

    /// Whether `package` crosses any of the red lines in `mask`.
    pub fn crosses(&self, package: &[u16], mask: u64) -> bool {
        self.crossed_by(package, mask) != 0
    }

    fn crossed_by(&self, package: &[u16], mask: u64) -> u64 {
        let mut crossed = 0;
        let mut bits = mask;
        while bits != 0 {
            let r = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if self
                .scenario
                .red_lines
                .get(r)
                .is_some_and(|l| !l.constraint.holds(package))
            {
                crossed |= 1 << r;
            }
        }
        crossed
    }

    /// Whether package `x` crosses none of valued party `k`'s red lines.
    pub fn red_ok(&self, k: usize, x: usize) -> bool {
        if self.listed {
            return self.red_ok[k][x];
        }
        self.crossed(x, self.red_mask[k]) == 0
    }

    /// The first of valued party `k`'s red lines (scenario index) that
    /// package `x` crosses, if any.
    pub fn first_crossed(&self, k: usize, x: usize) -> Option<usize> {
        let crossed = self.crossed(x, self.red_mask[k]);
        (crossed != 0).then(|| crossed.trailing_zeros() as usize)
    }

    /// How many veto parties' red lines package `x` crosses.
    pub fn binding_crossed(&self, x: usize) -> u32 {
        if self.listed {
            return u32::from(self.binding_crossed[x]);
        }
        self.crossed(x, self.binding_mask).count_ones()
    }

    /// The best and final offer (ultimatum) or the opening text (mediated)
    /// of a table too large to list, found by the engine's exact search
    /// under the same rules as [`Table::compute_best_offer`] and
    /// [`Table::compute_opening_text`].
    fn search_offers(&mut self, u: &crate::world::Utilities) -> Result<(), SimError> {
        let Some(ev) = u.evaluator() else {
            return Ok(());
        };
        let search = TableSearch::new(ev, &self.held(), SEARCH_NODES);
        let reservation = self.nominal_reservations();
        let res: Vec<f64> = self.negotiators.iter().map(|&k| reservation[k]).collect();
        let mut floors: Vec<(usize, f64)> = self
            .negotiators
            .iter()
            .map(|&k| (k, reservation[k]))
            .collect();
        let mut red = self.binding_mask;
        if let Some(m) = self.mediator {
            floors.push((m, reservation[m]));
            red |= self.red_mask[m];
        }
        // Each search can take seconds here: only what the protocol uses.
        if matches!(self.config.protocol, Protocol::Ultimatum) {
            let offer = search
                .best_offer(self.mediator, &self.negotiators, &res, &floors, red)
                .map_err(|e| SimError::Search(e.to_string()))?;
            self.best_offer = offer.and_then(|o| self.index_of(&o.package));
        }
        if let (Some(m), Protocol::Mediated) = (self.mediator, self.config.protocol) {
            self.opening_text = match self.mediator_plan(m) {
                Some(x) => Some(x),
                None => search
                    .best_for(m, self.binding_mask)
                    .map_err(|e| SimError::Search(e.to_string()))?
                    .and_then(|o| self.index_of(&o.package)),
            };
        }
        Ok(())
    }

    /// Each valued party's reservation value under the estimates as given
    /// (or as the settings override it).
    fn nominal_reservations(&self) -> Vec<f64> {
        self.valued
            .iter()
            .map(|&p| {
                self.config.reservations[p].unwrap_or_else(|| {
                    self.scenario.preferences[p]
                        .as_ref()
                        .map_or(0.0, |x| x.reservation.value)
                })
            })
            .collect()
    }

    /// Package `index` on the table, one option per issue.
    pub fn package(&self, index: usize) -> Vec<u16> {
        let mut out = vec![0; self.allowed.len()];
        self.decode(index, &mut out);
        out
    }

    /// The number of a package, if every option in it is on the table.
    pub fn index_of(&self, package: &[u16]) -> Option<usize> {
        let mut index = 0usize;
        for ((o, allowed), &stride) in package.iter().zip(&self.allowed).zip(&self.stride) {
            let pos = allowed.iter().position(|a| a == o)?;
            index += pos * stride;
        }
        Some(index)
    }

    fn rules(&mut self) {
        let s = self.scenario;
        let v = self.valued.len();
        self.red_ok = vec![vec![true; self.count]; v];
        self.binding_crossed = vec![0; self.count];
        let mut package = vec![0u16; self.allowed.len()];
        for x in 0..self.count {
            self.decode(x, &mut package);
            for (r, line) in s.red_lines.iter().enumerate().take(64) {
                if !line.constraint.holds(&package) {
                    for (k, ok) in self.red_ok.iter_mut().enumerate() {
                        if self.red_mask[k] >> r & 1 == 1 {
                            ok[x] = false;
                        }
                    }
                    if self.binding_mask >> r & 1 == 1 {
                        self.binding_crossed[x] = self.binding_crossed[x].saturating_add(1);
                    }
                }
            }
        }
    }

    fn deadlines(&mut self) {
        let s = self.scenario;
        for d in &s.deadlines {
            let Some(round) = d.round else { continue };
            match &d.consequence {
                Consequence::MediatorWithdraws => {
                    self.walk_away = Some(self.walk_away.map_or(round, |w| w.min(round)));
                }
                Consequence::ReservationChange { party, reservation } => {
                    if let Some(k) = self.valued.iter().position(|p| p == party) {
                        self.reservation_changes
                            .push((round, k, reservation.clone()));
                    }
                }
                Consequence::Other(_) => {}
            }
        }
        if let Some(r) = self.config.deadline {
            self.walk_away = Some(r);
        }
        self.horizon = self
            .walk_away
            .unwrap_or(self.config.rounds)
            .min(self.config.rounds)
            .max(1);
    }

    fn stage_list(&self) -> Vec<Vec<usize>> {
        let mut stages: Vec<Vec<usize>> = self
            .config
            .stages
            .iter()
            .filter(|st| !st.is_empty())
            .cloned()
            .collect();
        let staged: Vec<usize> = stages.iter().flatten().copied().collect();
        let rest: Vec<usize> = (0..self.allowed.len())
            .filter(|i| !staged.contains(i))
            .collect();
        if !rest.is_empty() {
            stages.push(rest);
        }
        stages
    }

    /// As `analyze` defines it: among packages crossing no veto party's red
    /// line and giving each veto party its reservation value, the one the
    /// mediator values most (it must cross none of the mediator's own red
    /// lines and beat its reservation value); ties by the larger Nash
    /// product, then the lower package number. Without a mediator with
    /// preferences, the Nash point.
    fn compute_best_offer(&self, u: &crate::world::Utilities) -> Option<usize> {
        let reservation = self.nominal_reservations();
        let mut best: Option<(f64, f64, usize)> = None;
        for x in 0..self.count {
            if self.binding_crossed[x] > 0 {
                continue;
            }
            let mut nash = 1.0;
            let mut sum = 0.0;
            let mut ok = true;
            for &k in &self.negotiators {
                let gain = u.get(x, k) - reservation[k];
                ok &= gain >= 0.0;
                nash *= gain;
                sum += u.get(x, k);
            }
            if !ok {
                continue;
            }
            // (what is maximised, the tie-break)
            let key = match self.mediator {
                Some(m) => {
                    if !self.red_ok[m][x] || u.get(x, m) < reservation[m] {
                        continue;
                    }
                    (u.get(x, m), nash)
                }
                None => (nash, sum),
            };
            let better = match best {
                None => true,
                Some((bk, bt, _)) => key.0 > bk || (key.0 == bk && key.1 > bt),
            };
            if better {
                best = Some((key.0, key.1, x));
            }
        }
        best.map(|(_, _, x)| x)
    }

    /// The mediator's own plan (its first on the table), as a package.
    fn mediator_plan(&self, m: usize) -> Option<usize> {
        let mediator = self.valued[m];
        self.scenario
            .plans
            .iter()
            .filter(|p| p.proposed_by == Some(mediator))
            .find_map(|p| self.index_of(&p.package()))
    }

    fn compute_opening_text(&self, u: &crate::world::Utilities) -> Option<usize> {
        let m = self.mediator?;
        self.mediator_plan(m).or_else(|| {
            (0..self.count)
                .filter(|&x| self.binding_crossed[x] == 0)
                .max_by(|&a, &b| u.get(a, m).total_cmp(&u.get(b, m)).then(b.cmp(&a)))
        })
    }

    /// The scenario id of valued party `k`.
    pub fn party_id(&self, k: usize) -> &str {
        &self.scenario.parties[self.valued[k]].id
    }

    /// Whether valued party `k` is the mediator.
    pub fn is_mediator_role(&self, k: usize) -> bool {
        self.scenario.parties[self.valued[k]].role == Role::Mediator
    }
}
