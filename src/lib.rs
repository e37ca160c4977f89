//! seamcheck: finds configuration drift between the layers of a containerized
//! service. The binary is a thin shell over this library: discover → analyze
//! (the analyzer crates) → link → check (rules) → report.

pub mod analyze;
pub mod audit;
pub mod baseline;
pub mod chain;
pub mod cli;
pub mod config;
pub mod creators;
pub mod discover;
pub mod finding;
pub mod graph;
pub mod image;
pub mod inventory;
pub mod link;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod suppress;
pub mod testdata;
pub mod unit;
