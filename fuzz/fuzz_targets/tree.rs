//! Fuzz target: a generated file tree on disk (links in and out of the project root, FIFOs,
//! device links, link loops, non-UTF-8 names, a file changed or removed before the fix is
//! written), scanned and fixed: nothing outside the root read or written, no hang (see
//! certgate::harness::tree).
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    if let Err(why) = certgate::harness::tree(bytes) {
        panic!("{why}");
    }
});
