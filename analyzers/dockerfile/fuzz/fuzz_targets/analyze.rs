//! Any bytes named `Dockerfile`: the analyzer must return, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let analysis = seamcheck_dockerfile::analyze("svc/Dockerfile", bytes);
    assert_eq!(analysis.path, "svc/Dockerfile");
});
