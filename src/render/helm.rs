//! Helm charts rendered natively by `seamcheck-helm` (see `docs/helm.md`):
//! release `release-name`, namespace `default`, the chart's own values;
//! then once per extra values context (`--values`, `[[charts]]`).

use super::Renderer;
use seamcheck_facts::render::{Rendered, Tree, UnitKind};
use seamcheck_helm::HelmOptions;

#[derive(Default)]
pub struct HelmRenderer {
    pub options: HelmOptions,
}

impl Renderer for HelmRenderer {
    fn kind(&self) -> UnitKind {
        UnitKind::HelmChart
    }

    fn render(&self, tree: &dyn Tree, dirs: &[String]) -> Vec<Rendered> {
        seamcheck_helm::render_charts(tree, dirs, &self.options)
    }
}
