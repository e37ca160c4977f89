//! Application units: where one application's manifests end. A samples or
//! platform repository holds many applications that reuse names (`web`,
//! `frontend`) in the same namespace; references resolve nearest first —
//! the same file, the same directory, the same unit (a kustomization, a
//! chart, a compose project, a skaffold config), then upward — so that a
//! namesake in a sibling tree never wins over a nearer candidate.

use crate::model::inventory::{parent_dir, Inventory};
use serde::Serialize;
use std::collections::HashMap;

/// What makes a directory the root of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum UnitKind {
    Kustomization,
    Chart,
    Compose,
    Skaffold,
    /// No marker: the file's own directory.
    Directory,
}

/// A unit: its root directory (relative to the audited root, `""` for the
/// root) and what marks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Unit {
    pub root: String,
    pub kind: UnitKind,
}

/// The unit roots of an audit.
#[derive(Debug, Default)]
pub struct Units {
    roots: HashMap<String, UnitKind>,
}

impl Units {
    pub fn new(inv: &Inventory<'_>) -> Self {
        let mut roots: HashMap<String, UnitKind> = HashMap::new();
        let mut mark = |dir: &str, kind: UnitKind| {
            roots.entry(dir.to_string()).or_insert(kind);
        };
        for o in &inv.objects {
            match o.object.kind.as_str() {
                "Chart" if o.group() == "helm.sh" => mark(parent_dir(o.path), UnitKind::Chart),
                "Kustomization" | "Component" if o.group() == "kustomize.config.k8s.io" => {
                    mark(parent_dir(o.path), UnitKind::Kustomization);
                }
                _ => {}
            }
        }
        // A `templates/` directory's parent is a chart even when its
        // Chart.yaml is not in the scan.
        for path in inv
            .templates
            .iter()
            .map(|t| t.0)
            .chain(inv.kube_services.iter().map(|s| s.path))
        {
            if let Some(chart) = chart_root_of(path) {
                mark(chart, UnitKind::Chart);
            }
        }
        for c in &inv.compose_services {
            mark(parent_dir(c.path), UnitKind::Compose);
        }
        for (path, _) in &inv.skaffold {
            mark(parent_dir(path), UnitKind::Skaffold);
        }
        Units { roots }
    }

    /// The unit a file belongs to: the nearest enclosing unit root, or the
    /// file's own directory.
    pub fn unit_of(&self, path: &str) -> Unit {
        let own = parent_dir(path);
        let mut dir = own;
        loop {
            if let Some(kind) = self.roots.get(dir) {
                return Unit {
                    root: dir.to_string(),
                    kind: *kind,
                };
            }
            if dir.is_empty() {
                break;
            }
            dir = parent_dir(dir);
        }
        Unit {
            root: own.to_string(),
            kind: UnitKind::Directory,
        }
    }

    /// How far `candidate` is from `from`, nearest first: 0 the same file,
    /// 1 the same directory, 2 the same unit, then 3 + the number of
    /// directories to climb from `from` to reach a common ancestor.
    pub fn distance(&self, from: &str, candidate: &str) -> usize {
        if from == candidate {
            return 0;
        }
        let (from_dir, cand_dir) = (parent_dir(from), parent_dir(candidate));
        if from_dir == cand_dir {
            return 1;
        }
        if self.unit_of(from).root == self.unit_of(candidate).root {
            return 2;
        }
        let from_parts: Vec<&str> = components(from_dir);
        let cand_parts: Vec<&str> = components(cand_dir);
        let common = from_parts
            .iter()
            .zip(&cand_parts)
            .take_while(|(a, b)| a == b)
            .count();
        3 + (from_parts.len() - common)
    }

    /// Whether `candidate` is in the unit of `from` or in a directory that
    /// encloses it (a creator next to or above the reference).
    pub fn in_reach(&self, from: &str, candidate: &str) -> bool {
        let unit = self.unit_of(from).root;
        let cand_dir = parent_dir(candidate);
        is_within(cand_dir, &unit) || is_within(parent_dir(from), cand_dir)
    }
}

/// `dir` is `root` or below it.
fn is_within(dir: &str, root: &str) -> bool {
    root.is_empty() || dir == root || dir.strip_prefix(root).is_some_and(|r| r.starts_with('/'))
}

fn components(dir: &str) -> Vec<&str> {
    dir.split('/').filter(|c| !c.is_empty()).collect()
}

/// `chart/templates/x.yaml` (any depth below `templates`) -> `chart`.
pub fn chart_root_of(path: &str) -> Option<&str> {
    let dir = parent_dir(path);
    let mut end = dir.len();
    loop {
        let part_start = dir[..end].rfind('/').map_or(0, |i| i + 1);
        if &dir[part_start..end] == "templates" {
            return Some(dir[..part_start].trim_end_matches('/'));
        }
        if part_start == 0 {
            return None;
        }
        end = part_start - 1;
    }
}

/// Keeps the nearest candidates to `from` (all those at the smallest distance).
pub fn keep_nearest<'p, T>(
    units: &Units,
    from: &str,
    candidates: &mut Vec<T>,
    path: impl Fn(&T) -> &'p str,
) {
    let Some(best) = candidates
        .iter()
        .map(|c| units.distance(from, path(c)))
        .min()
    else {
        return;
    };
    candidates.retain(|c| units.distance(from, path(c)) == best);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(roots: &[(&str, UnitKind)]) -> Units {
        Units {
            roots: roots.iter().map(|(d, k)| (d.to_string(), *k)).collect(),
        }
    }

    #[test]
    fn nearest_unit_root_wins() {
        let u = units(&[
            ("apps/web", UnitKind::Kustomization),
            ("", UnitKind::Compose),
        ]);
        assert_eq!(u.unit_of("apps/web/base/svc.yaml").root, "apps/web");
        assert_eq!(u.unit_of("apps/api/svc.yaml").root, "");
        let none = units(&[]);
        assert_eq!(
            none.unit_of("a/b/svc.yaml"),
            Unit {
                root: "a/b".into(),
                kind: UnitKind::Directory
            }
        );
    }

    #[test]
    fn distances_rank_file_dir_unit_then_upward() {
        let u = units(&[("app", UnitKind::Chart)]);
        assert_eq!(
            u.distance("app/templates/s.yaml", "app/templates/s.yaml"),
            0
        );
        assert_eq!(
            u.distance("app/templates/s.yaml", "app/templates/d.yaml"),
            1
        );
        assert_eq!(u.distance("app/templates/s.yaml", "app/other/d.yaml"), 2);
        let near = u.distance("x/a/s.yaml", "x/d.yaml");
        let far = u.distance("x/a/s.yaml", "y/b/d.yaml");
        assert!(near < far);
    }

    #[test]
    fn chart_roots() {
        assert_eq!(
            chart_root_of("k8s/helm/templates/svc.yaml"),
            Some("k8s/helm")
        );
        assert_eq!(chart_root_of("templates/svc.yaml"), Some(""));
        assert_eq!(chart_root_of("k8s/svc.yaml"), None);
    }
}
