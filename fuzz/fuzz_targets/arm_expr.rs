//! Fuzz target: text parsed and evaluated as an ARM template expression wherever a template
//! evaluates one (see certgate::harness::arm_expression).
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    if let Err(why) = certgate::harness::arm_expression(&text) {
        panic!("{why}");
    }
});
