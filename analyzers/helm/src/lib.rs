//! Renders Helm charts natively, as `helm template` would with default
//! options, and records for every rendered byte the real place it came
//! from: template text is copied from the template file, a value taken from
//! `values.yaml` points at its node, with the template action as `via`.
//!
//! No helm binary, no network, nothing from the chart is executed: the Go
//! template language, Sprig and Helm's functions are implemented here (see
//! `template`). A template that fails (`required`, `fail`, an unsupported
//! function, a type error) becomes a note at its position; the others still
//! render. See `docs/helm.md`.

mod archive;
mod chart;
mod render;
pub mod template;

pub use render::{render_chart_dir, render_charts, testing, HelmOptions, ValuesContext};

/// The API versions `.Capabilities.APIVersions` holds (for the reference
/// renderer of the differential test).
#[doc(hidden)]
pub fn render_api_versions() -> Vec<String> {
    render::api_versions()
}
