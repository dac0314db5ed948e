//! Fuzz target: the fixer on a generated project or one raw file. The fixed texts must parse,
//! the re-scan must not report a fixed finding, and fixing again must change nothing (see
//! certgate::harness::fixes).
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let Ok(files) = certgate_fuzz::fix_input(bytes) else {
        return;
    };
    if let Err(why) = certgate::harness::fixes(&files) {
        panic!("{why}");
    }
});
