//! Fuzz target: bytes scanned as the `main.tf` of a one-file root module (see certgate::harness::terraform).
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    if let Err(why) = certgate::harness::terraform(bytes) {
        panic!("{why}");
    }
});
