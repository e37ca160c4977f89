//! kustomize's field specs: which paths of which kinds a transformer
//! writes (labels into selectors, annotations into pod templates, ...).

use crate::resource::Resource;
use crate::value::{Data, Node, Src};

#[derive(Debug, Clone)]
pub struct FieldSpec {
    pub path: Vec<String>,
    pub kind: Option<String>,
    pub group: Option<String>,
    pub create: bool,
}

fn spec(path: &str, kind: Option<&str>, group: Option<&str>, create: bool) -> FieldSpec {
    FieldSpec {
        path: path.split('/').map(str::to_string).collect(),
        kind: kind.map(str::to_string),
        group: group.map(str::to_string),
        create,
    }
}

impl FieldSpec {
    pub fn applies(&self, r: &Resource) -> bool {
        self.kind.as_deref().is_none_or(|k| k == r.kind())
            && self.group.as_deref().is_none_or(|g| g == r.group())
    }
}

/// `metadata/labels` and the pod templates' labels.
pub fn template_labels(meta: &str) -> Vec<FieldSpec> {
    let meta_path = format!("metadata/{meta}");
    let tpl = format!("spec/template/metadata/{meta}");
    let mut v = vec![
        spec(&meta_path, None, None, true),
        spec(&tpl, Some("ReplicationController"), Some(""), true),
        spec(&tpl, Some("Deployment"), None, true),
        spec(&tpl, Some("ReplicaSet"), None, true),
        spec(&tpl, Some("DaemonSet"), None, true),
    ];
    let apps_sts = if meta == "labels" { Some("apps") } else { None };
    v.push(spec(&tpl, Some("StatefulSet"), apps_sts, true));
    v.push(spec(&tpl, Some("Job"), Some("batch"), true));
    v.push(spec(
        &format!("spec/jobTemplate/metadata/{meta}"),
        Some("CronJob"),
        Some("batch"),
        true,
    ));
    v.push(spec(
        &format!("spec/jobTemplate/spec/template/metadata/{meta}"),
        Some("CronJob"),
        Some("batch"),
        true,
    ));
    v
}

pub fn volume_claim_template_labels() -> Vec<FieldSpec> {
    vec![spec(
        "spec/volumeClaimTemplates[]/metadata/labels",
        Some("StatefulSet"),
        Some("apps"),
        true,
    )]
}

/// `commonLabels` (and `labels` with `includeSelectors`): metadata,
/// templates, selectors.
pub fn common_labels() -> Vec<FieldSpec> {
    let mut v = vec![
        spec("spec/selector", Some("Service"), Some(""), true),
        spec(
            "spec/selector",
            Some("ReplicationController"),
            Some(""),
            true,
        ),
        spec("spec/selector/matchLabels", Some("Deployment"), None, true),
        spec("spec/selector/matchLabels", Some("ReplicaSet"), None, true),
        spec("spec/selector/matchLabels", Some("DaemonSet"), None, true),
        spec(
            "spec/selector/matchLabels",
            Some("StatefulSet"),
            Some("apps"),
            true,
        ),
        spec(
            "spec/selector/matchLabels",
            Some("Job"),
            Some("batch"),
            false,
        ),
        spec(
            "spec/jobTemplate/spec/selector/matchLabels",
            Some("CronJob"),
            Some("batch"),
            false,
        ),
        spec(
            "spec/selector/matchLabels",
            Some("PodDisruptionBudget"),
            Some("policy"),
            false,
        ),
        spec(
            "spec/podSelector/matchLabels",
            Some("NetworkPolicy"),
            Some("networking.k8s.io"),
            false,
        ),
        spec(
            "spec/ingress/from/podSelector/matchLabels",
            Some("NetworkPolicy"),
            Some("networking.k8s.io"),
            false,
        ),
        spec(
            "spec/egress/to/podSelector/matchLabels",
            Some("NetworkPolicy"),
            Some("networking.k8s.io"),
            false,
        ),
    ];
    for kind in ["Deployment", "StatefulSet"] {
        for p in [
            "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
            "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
        ] {
            v.push(spec(p, Some(kind), Some("apps"), false));
        }
    }
    v.extend(template_labels("labels"));
    v.extend(volume_claim_template_labels());
    v
}

/// Field specs written by the user (`labels[].fields`).
pub fn from_node(list: &Node) -> Vec<FieldSpec> {
    list.items()
        .iter()
        .filter_map(|f| {
            Some(FieldSpec {
                path: f
                    .str_at(&["path"])?
                    .split('/')
                    .map(str::to_string)
                    .collect(),
                kind: f.str_at(&["kind"]).map(str::to_string),
                group: f.str_at(&["group"]).map(str::to_string),
                create: f.str_at(&["create"]) == Some("true"),
            })
        })
        .collect()
}

/// Calls `f` on every node at `path` under `node`; lists on the way are
/// walked element by element. With `create`, missing maps are made.
pub fn visit(
    node: &mut Node,
    path: &[String],
    create: bool,
    src: &Src,
    f: &mut dyn FnMut(&mut Node),
) {
    if let Data::Seq(items) = &mut node.data {
        for item in items {
            visit(item, path, create, src, f);
        }
        return;
    }
    let Some((first, rest)) = path.split_first() else {
        f(node);
        return;
    };
    let list = first.ends_with("[]");
    let first = first.trim_end_matches("[]");
    if node.get(first).is_none_or(Node::is_null) {
        // A list (`volumeClaimTemplates[]`) is never made up.
        if !create || list || !node.is_map() {
            return;
        }
        node.set(first, Node::map(src.clone()));
    }
    if let Some(child) = node.get_mut(first) {
        visit(child, rest, create, src, f);
    }
}
