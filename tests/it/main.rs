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
mod compose;
mod config;
mod docs;
mod ecosystem_dotnet;
mod ecosystem_go;
mod ecosystem_java;
mod ecosystem_js;
mod ecosystem_kotlin;
mod ecosystem_nginx;
mod ecosystem_python_more;
mod ecosystem_rust;
mod formats;
mod graph;
mod graph_agreement;
mod hooks;
mod hostile;
mod hostile_io;
mod linking;
mod message_style;
mod parse_conformance;
mod parsing;
mod properties;
mod render_stage;
mod rules;
mod sre_app;
mod suppress;
mod value_flow;
