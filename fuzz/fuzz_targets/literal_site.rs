//! Fuzz target: the literal-site property (certgate::harness::literal_site). The bytes decode
//! into a front end, a site with literal certificate fields and extras around it (doubling and
//! growing variables, other sites, loops, unset inputs, syntax errors); the site must keep the
//! verdict it has alone and never disappear.
#![no_main]

use certgate::harness::literal_site::{Case, check};

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let case = Case::decode(bytes);
    if let Err(why) = check(&case) {
        panic!("{why}\n{case:?}");
    }
});
