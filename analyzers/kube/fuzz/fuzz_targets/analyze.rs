//! Any bytes named like a Kubernetes manifest: the analyzer must return,
//! never panic, and stay bounded (alias bombs, deep nesting).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let analysis = seamcheck_kube::analyze("k8s/app.yaml", bytes);
    assert_eq!(analysis.path, "k8s/app.yaml");
});
