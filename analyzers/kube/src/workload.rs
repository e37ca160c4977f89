//! Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob and Pod:
//! where each keeps its pod template, and what the pod spec holds.

use crate::container::{containers, security_context};
use crate::meta::{labels, object_meta};
use crate::yaml::{field, path, Node};
use seamcheck_facts::kube::Workload;
use seamcheck_yaml::SourceMap;

pub(crate) fn extract(object: &Node<'_>, kind: &str, src: &SourceMap<'_>) -> Workload {
    let meta = object_meta(object, src);
    // (where the pod labels live, the pod spec)
    let (labels_owner, pod_spec) = match kind {
        "Pod" => (Some(object), path(object, &["spec"])),
        _ => {
            let template = match kind {
                "CronJob" => path(object, &["spec", "jobTemplate", "spec", "template"]),
                _ => path(object, &["spec", "template"]),
            };
            (template, template.and_then(|t| path(t, &["spec"])))
        }
    };
    let pod_labels = labels_owner
        .and_then(|owner| path(owner, &["metadata", "labels"]))
        .map(|l| labels(l, src))
        .unwrap_or_default();
    let list = |key: &str| {
        pod_spec
            .and_then(|spec| field(spec, key))
            .map(|e| containers(e.value, src))
            .unwrap_or_default()
    };
    Workload {
        kind: kind.to_string(),
        name: meta.name,
        namespace: meta.namespace,
        loc: meta.loc,
        pod_labels,
        containers: list("containers"),
        init_containers: list("initContainers"),
        pod_security: pod_spec
            .and_then(|spec| field(spec, "securityContext"))
            .map(|e| security_context(e, src)),
    }
}
