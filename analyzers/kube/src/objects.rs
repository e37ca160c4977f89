//! Finds the Kubernetes objects in loaded documents (top level and inside
//! `kind: List` / `*List` items) and hands each to the extractor of its kind.

use crate::yaml::{field, sequence, text_field, Node};
use crate::{configmap, ingress, service, skaffold, workload};
use seamcheck_facts::kube::KubeObject;
use seamcheck_facts::KubeFacts;
use seamcheck_yaml::SourceMap;

/// Lists inside lists are legal but unusual; a bound keeps the walk finite.
const MAX_LIST_NESTING: usize = 4;

/// What the documents hold.
pub(crate) struct Extracted {
    pub(crate) facts: KubeFacts,
    /// At least one mapping with `apiVersion` and `kind`: the file is a
    /// Kubernetes manifest even if no object in it is modelled.
    pub(crate) saw_object: bool,
}

pub(crate) fn extract(docs: &[Node<'_>], src: &SourceMap<'_>) -> Extracted {
    let mut out = Extracted {
        facts: KubeFacts::default(),
        saw_object: false,
    };
    let mut pending: Vec<(&Node<'_>, usize)> = docs.iter().rev().map(|d| (d, 0)).collect();
    while let Some((node, list_depth)) = pending.pop() {
        let (Some(api_version), Some(kind)) =
            (text_field(node, "apiVersion"), text_field(node, "kind"))
        else {
            continue;
        };
        out.saw_object = true;
        if is_list(kind) {
            if list_depth < MAX_LIST_NESTING {
                if let Some(items) = field(node, "items") {
                    let items = sequence(items.value).iter().rev();
                    pending.extend(items.map(|item| (item, list_depth + 1)));
                }
            }
            continue;
        }
        extract_object(node, api_version, kind, src, &mut out.facts);
    }
    out
}

fn is_list(kind: &str) -> bool {
    kind == "List" || kind.ends_with("List")
}

fn extract_object(
    node: &Node<'_>,
    api_version: &str,
    kind: &str,
    src: &SourceMap<'_>,
    facts: &mut KubeFacts,
) {
    let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
    match (group, kind) {
        ("", "Pod" | "ReplicationController")
        | ("apps" | "extensions", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
        | ("batch", "Job" | "CronJob") => {
            facts.workloads.push(workload::extract(node, kind, src));
        }
        ("", "Service") => facts.services.push(service::extract(node, src)),
        ("", "ConfigMap") => facts.config_maps.push(configmap::extract(node, src)),
        ("skaffold", "Config") => facts
            .skaffold_artifacts
            .extend(skaffold::extract(node, src)),
        ("networking.k8s.io" | "extensions", "Ingress") => {
            facts.ingresses.push(ingress::extract(node, src));
        }
        _ => {
            // Any other object with a pod template where controllers keep
            // theirs is a workload; the rest may still create pods (an
            // operator's custom resource) and is kept as an object.
            let workloads = workload::extract_by_shape(node, kind, src);
            if workloads.is_empty() {
                facts.objects.push(object(node, api_version, kind, src));
            } else {
                facts.workloads.extend(workloads);
            }
        }
    }
}

fn object(node: &Node<'_>, api_version: &str, kind: &str, src: &SourceMap<'_>) -> KubeObject {
    let meta = crate::meta::object_meta(node, src);
    KubeObject {
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        name: meta.name,
        namespace: meta.namespace,
        loc: meta.loc,
        pod_label_sets: workload::nested_pod_labels(node, src),
    }
}
