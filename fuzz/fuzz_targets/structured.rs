//! Fuzz target: a generated Terraform, ARM or Bicep project (variables, locals, parameters,
//! modules, loops), scanned, so the evaluators see valid programs (see certgate_fuzz::project).
#![no_main]

use arbitrary::Unstructured;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let Ok(files) = certgate_fuzz::project(&mut Unstructured::new(bytes)) else {
        return;
    };
    if let Err(why) = certgate::harness::project(&files) {
        panic!("{why}");
    }
});
