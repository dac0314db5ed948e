//! Fuzz target: bytes scanned as an ARM template through the lenient JSON reader (see certgate::harness::arm_template).
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    if let Err(why) = certgate::harness::arm_template(bytes) {
        panic!("{why}");
    }
});
