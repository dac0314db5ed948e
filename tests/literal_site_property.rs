//! The literal-site property as a proptest, for every front end (Terraform, ARM, Bicep): adding
//! other content to a unit never changes the verdict of a site whose certificate fields are
//! literals, and never removes it. The same cases drive the `literal_site` fuzz target.

use certgate::harness::literal_site::{Case, Front, check};
use proptest::prelude::*;

/// Cases of one front end: the first byte picks it, the rest is free.
fn cases(front: u8) -> impl Strategy<Value = Case> {
    proptest::collection::vec(any::<u8>(), 0..24).prop_map(move |mut bytes| {
        bytes.insert(0, front);
        Case::decode(&bytes)
    })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn terraform_literal_site_keeps_its_verdict(case in cases(0)) {
        prop_assert_eq!(case.front, Front::Terraform);
        check(&case).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn arm_literal_site_keeps_its_verdict(case in cases(1)) {
        prop_assert_eq!(case.front, Front::Arm);
        check(&case).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn bicep_literal_site_keeps_its_verdict(case in cases(2)) {
        prop_assert_eq!(case.front, Front::Bicep);
        check(&case).map_err(TestCaseError::fail)?;
    }
}

/// The reported spill-over, as fixed cases: every extra at once, before and after the site.
#[test]
fn every_extra_at_once_keeps_the_literal_site() {
    for front in 0..3u8 {
        for fields in [0u8, 1, 2, 4, 5, 13] {
            let mut bytes = vec![front, fields, 6 * 2];
            for kind in 0..7u8 {
                bytes.extend([kind, 255]);
                bytes.extend([kind | 0x80, 3]);
            }
            let case = Case::decode(&bytes);
            if let Err(why) = check(&case) {
                panic!("{why}\n{case:?}");
            }
        }
    }
}
