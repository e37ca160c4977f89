//! seamcheck: finds configuration drift between the layers of a containerized
//! service. The binary is a thin shell over this library: discover → render
//! → analyze (the analyzer crates) → model (link, resolve, verdicts) → check
//! (rules) → report.

pub mod analyze;
pub mod audit;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod copies;
pub mod creators;
pub mod discover;
pub mod escape;
pub mod finding;
pub mod generated;
pub mod input;
pub mod json_text;
pub mod model;
pub mod path_text;
pub mod render;
pub mod report;
pub mod rules;
pub mod suppress;
pub mod testdata;
pub mod version;
