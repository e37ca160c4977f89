//! Kustomizations rendered by the `seamcheck-kustomize` crate: every top
//! (a kustomization no other one uses) becomes one deployment context.

use super::Renderer;
use seamcheck_facts::render::{Rendered, Tree, UnitKind};

pub struct KustomizeRenderer;

impl Renderer for KustomizeRenderer {
    fn kind(&self) -> UnitKind {
        UnitKind::Kustomization
    }

    fn render(&self, tree: &dyn Tree, dirs: &[String]) -> Vec<Rendered> {
        seamcheck_kustomize::render_all(tree, dirs)
    }
}
