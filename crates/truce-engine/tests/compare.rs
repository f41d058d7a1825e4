//! `compare` against the preferences read directly: each changed
//! provision's gain is the party's weight times the difference of its two
//! values (divided by the party's linkage scale, 1 + its positive linkage
//! utilities − its negative ones), the unchanged ones are not listed, and
//! the whole difference is the plans' plain utilities apart, the linkages'
//! part being the rest.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use truce_engine::compare::compare;
use truce_engine::generate::{generate, Shape};
use truce_engine::utility::Evaluator;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn comparison_follows_the_preferences(seed in 0u64..100_000, parties in 2usize..5, linkages in 0usize..3) {
        let s = generate(&Shape { parties, options: vec![3, 4, 2, 5, 3, 2], plans: 2, linkages, ..Shape::default() }, seed).unwrap();
        let c = compare(&s, 0, 1).unwrap();
        let (pa, pb) = (s.plans[0].package(), s.plans[1].package());
        let changed: Vec<usize> = (0..s.issues.len()).filter(|&i| pa[i] != pb[i]).collect();
        prop_assert_eq!(c.changes.iter().map(|x| x.issue).collect::<Vec<_>>(), changed);
        let ev = Evaluator::new(&s);
        for (k, &p) in c.valued.iter().enumerate() {
            let prefs = s.preferences[p].as_ref().unwrap();
            let links = s.linkages.iter().filter(|l| l.party == p).map(|l| l.utility.value);
            let scale = 1.0 + links.clone().filter(|&x| x > 0.0).sum::<f64>() - links.filter(|&x| x < 0.0).sum::<f64>();
            for x in &c.changes {
                let ip = &prefs.issues[x.issue];
                let want = ip.weight.value * (ip.values[x.to].value - ip.values[x.from].value) / scale;
                prop_assert!((x.gains[k] - want).abs() < 1e-12, "{} against {}", x.gains[k], want);
            }
            let (ua, ub) = (ev.plain_utility(k, &pa), ev.plain_utility(k, &pb));
            prop_assert!((c.utility_a[k] - ua).abs() < 1e-9);
            prop_assert!((c.difference[k] - (ub - ua)).abs() < 1e-9);
            let explained: f64 = c.changes.iter().map(|x| x.gains[k]).sum();
            prop_assert!((explained + c.linkages[k] - c.difference[k]).abs() < 1e-9);
            if linkages == 0 {
                prop_assert!(c.linkages[k].abs() < 1e-9);
            }
        }
        let crossed = |p: &[u16]| ev.evaluate(p).crossed;
        let mask = |v: &[usize]| v.iter().fold(0u64, |m, r| m | 1 << r);
        prop_assert_eq!(mask(&c.crosses_a), crossed(&pa));
        prop_assert_eq!(mask(&c.crosses_b), crossed(&pb));
    }
}

#[test]
fn a_plan_that_does_not_exist_is_no_comparison() {
    let s = generate(
        &Shape {
            plans: 1,
            ..Shape::default()
        },
        1,
    )
    .unwrap();
    assert!(compare(&s, 0, 1).is_none());
}
