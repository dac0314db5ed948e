//! Fuzz target: bytes parsed and scanned as a Bicep file (see certgate::harness::bicep).
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    if let Err(why) = certgate::harness::bicep(bytes) {
        panic!("{why}");
    }
});
