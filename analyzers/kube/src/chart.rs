//! A chart's `Chart.yaml`: not a Kubernetes object, but it marks an
//! application unit (the chart) and its `dependencies` create Services and
//! pods the scan does not hold.

use crate::meta::object_meta;
use crate::yaml::{field, sequence, text, text_field, Node};
use seamcheck_facts::kube::KubeObject;
use seamcheck_facts::Located;
use seamcheck_yaml::SourceMap;

/// `helm.sh/chart`: the pseudo API version seamcheck gives chart objects.
pub const CHART_API: &str = "helm.sh/chart";

pub(crate) fn is_chart_file(path: &str) -> bool {
    path.rsplit('/').next() == Some("Chart.yaml")
}

/// The chart (kind `Chart`) and each dependency (kind `ChartDependency`).
pub(crate) fn extract(docs: &[Node<'_>], src: &SourceMap<'_>) -> Vec<KubeObject> {
    let Some(doc) = docs.first() else {
        return Vec::new();
    };
    let Some(name) = field(doc, "name") else {
        return Vec::new();
    };
    let Some(chart_name) = text(name.value) else {
        return Vec::new();
    };
    let meta = object_meta(doc, src);
    let mut out = vec![KubeObject {
        api_version: CHART_API.to_string(),
        kind: "Chart".to_string(),
        name: src.located(chart_name.to_string(), name.value),
        namespace: None,
        loc: meta.loc,
        pod_label_sets: Vec::new(),
    }];
    if let Some(deps) = field(doc, "dependencies") {
        for dep in sequence(deps.value) {
            let Some(dep_name) = text_field(dep, "name") else {
                continue;
            };
            let loc = src.token_loc(dep);
            out.push(KubeObject {
                api_version: CHART_API.to_string(),
                kind: "ChartDependency".to_string(),
                name: Located::new(dep_name.to_string(), loc.clone()),
                namespace: None,
                loc,
                pod_label_sets: Vec::new(),
            });
        }
    }
    out
}
