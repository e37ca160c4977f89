//! Every integration test of the `seamcheck` crate, in one binary: one link
//! instead of one per file (see "Test build time" in docs/performance.md).
//! Each former `tests/NAME.rs` is the module `NAME`; run one with
//! `cargo test --test it NAME::` (e.g. `cargo test --test it rules::`).
//! Shared helpers are the modules `common` and `support`. The benchmark
//! (`tests/bench`) stays a target of its own.

mod common;
mod support;

mod architecture;
mod bad_input;
mod baseline;
mod cli;
mod cli_ergonomics;
mod compose;
mod config;
mod dashboard;
mod docs;
mod ecosystem_base_images;
mod ecosystem_dotnet;
mod ecosystem_go;
mod ecosystem_java;
mod ecosystem_js;
mod ecosystem_kotlin;
mod ecosystem_nginx;
mod ecosystem_python_more;
mod ecosystem_rust;
mod formats;
mod generated;
mod graph;
mod graph_agreement;
mod helm;
mod hooks;
mod hostile;
mod hostile_complexity;
mod hostile_io;
mod html_report;
mod kustomize;
mod linking;
mod message_style;
mod parse_conformance;
mod parsing;
mod precision;
mod properties;
mod release;
mod render_stage;
mod rules;
mod sre_app;
mod suppress;
mod value_flow;

/// A `tests/NAME.rs` would be a test binary of its own again (one more link
/// of the whole tool per change), and a file of `tests/it/` without its `mod`
/// line above would silently not run.
#[test]
fn every_integration_test_file_is_a_module_of_this_binary() {
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let rust_files = |dir: &std::path::Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("a tests directory")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rs"))
            .collect();
        names.sort();
        names
    };
    let stray = rust_files(&tests);
    assert!(
        stray.is_empty(),
        "move {stray:?} to tests/it/ and add a `mod` line to tests/it/main.rs"
    );
    let main = std::fs::read_to_string(tests.join("it/main.rs")).expect("tests/it/main.rs");
    for file in rust_files(&tests.join("it")) {
        let module = file.trim_end_matches(".rs");
        if module != "main" {
            assert!(
                main.lines().any(|l| l == format!("mod {module};")),
                "tests/it/{file} is not declared in tests/it/main.rs"
            );
        }
    }
}
