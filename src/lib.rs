//! seamcheck: finds configuration drift between the layers of a containerized
//! service. The binary is a thin shell over this library: discover → render
//! → analyze (the analyzer crates) → link → check (rules) → report.

pub mod analyze;
pub mod audit;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod discover;
pub mod finding;
pub mod model;
pub mod render;
pub mod report;
pub mod rules;
pub mod suppress;

// The paths these modules had before they moved under `model` and `report`.
pub use model::{chain, image, inventory, link, resolve};
pub use report::graph;
