//! Workloads: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob,
//! Pod, ReplicationController, and any other object that carries a pod
//! template where the built-in controllers keep theirs (an Argo `Rollout`, a
//! Knative `Service`, an OpenKruise `CloneSet`, a KEDA `ScaledJob`, a
//! `LeaderWorkerSet`): the shape decides, not a list of kinds.

use crate::container::{containers, security_context};
use crate::meta::{labels, object_meta};
use crate::yaml::{field, is_mapping, is_sequence, path, Node};
use seamcheck_facts::kube::{Label, Workload};
use seamcheck_yaml::SourceMap;

/// Where a pod template sits in an object, by the shapes controllers use.
const TEMPLATE_PATHS: &[&[&str]] = &[
    &["spec", "template"],
    &["spec", "jobTemplate", "spec", "template"],
    // KEDA ScaledJob.
    &["spec", "jobTargetRef", "template"],
    // LeaderWorkerSet: the leader's and the workers' pods.
    &["spec", "leaderWorkerTemplate", "leaderTemplate"],
    &["spec", "leaderWorkerTemplate", "workerTemplate"],
];

/// A nested pod template is looked for this deep in an object it is not
/// modelled for; operators keep theirs a few levels down.
const MAX_TEMPLATE_DEPTH: usize = 8;

/// The workloads of an object: one per pod template it holds where a
/// controller keeps it (two for a LeaderWorkerSet), none when it has none.
pub(crate) fn extract_by_shape(
    object: &Node<'_>,
    kind: &str,
    src: &SourceMap<'_>,
) -> Vec<Workload> {
    if kind == "Pod" {
        return vec![extract_from(object, kind, Some(object), src)];
    }
    TEMPLATE_PATHS
        .iter()
        .filter_map(|p| path(object, p))
        .filter(|t| is_pod_template(t))
        .map(|t| extract_from(object, kind, Some(t), src))
        .collect()
}

/// A built-in workload kind: read even when its template is incomplete.
pub(crate) fn extract(object: &Node<'_>, kind: &str, src: &SourceMap<'_>) -> Workload {
    if kind == "Pod" {
        return extract_from(object, kind, Some(object), src);
    }
    let template = match kind {
        "CronJob" => path(object, &["spec", "jobTemplate", "spec", "template"]),
        _ => path(object, &["spec", "template"]),
    };
    extract_from(object, kind, template, src)
}

/// A mapping whose `spec.containers` is a sequence: a pod (template).
fn is_pod_template(node: &Node<'_>) -> bool {
    is_mapping(node) && path(node, &["spec", "containers"]).is_some_and(is_sequence)
}

/// The labels of every pod template nested anywhere in an object (bounded
/// depth), for objects an operator turns into pods.
pub(crate) fn nested_pod_labels(object: &Node<'_>, src: &SourceMap<'_>) -> Vec<Vec<Label>> {
    let mut out = Vec::new();
    let mut pending: Vec<(&Node<'_>, usize)> = vec![(object, 0)];
    while let Some((node, depth)) = pending.pop() {
        if depth > 0 && is_pod_template(node) {
            out.push(
                path(node, &["metadata", "labels"])
                    .map(|l| labels(l, src))
                    .unwrap_or_default(),
            );
            continue;
        }
        if depth >= MAX_TEMPLATE_DEPTH {
            continue;
        }
        if is_mapping(node) {
            for e in crate::yaml::entries(node) {
                pending.push((e.value, depth + 1));
            }
        } else if is_sequence(node) {
            for item in crate::yaml::sequence(node) {
                pending.push((item, depth + 1));
            }
        }
    }
    out
}

fn extract_from(
    object: &Node<'_>,
    kind: &str,
    labels_owner: Option<&Node<'_>>,
    src: &SourceMap<'_>,
) -> Workload {
    let meta = object_meta(object, src);
    let pod_spec = labels_owner.and_then(|t| path(t, &["spec"]));
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
