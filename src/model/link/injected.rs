//! Labels a controller adds to the pods it creates, beyond the template's:
//! a Service may select a Job's pods by `job-name`, a StatefulSet's single
//! pod by `statefulset.kubernetes.io/pod-name`, a LeaderWorkerSet's by
//! `leaderworkerset.sigs.k8s.io/name`.

use crate::model::inventory::WorkloadRef;

/// One injected label: its value, or any value (a uid, an index, a hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjectedLabel {
    pub key: &'static str,
    /// `None`: the controller sets a value seamcheck cannot know.
    pub value: Option<String>,
}

fn exact(key: &'static str, value: &str) -> InjectedLabel {
    InjectedLabel {
        key,
        value: Some(value.to_string()),
    }
}

fn any(key: &'static str) -> InjectedLabel {
    InjectedLabel { key, value: None }
}

/// The labels the workload's controller adds to its pods.
pub fn injected_labels(w: &WorkloadRef<'_>) -> Vec<InjectedLabel> {
    let name = w.workload.name.value.as_str();
    match w.workload.kind.as_str() {
        "Job" => vec![
            exact("job-name", name),
            exact("batch.kubernetes.io/job-name", name),
            any("controller-uid"),
            any("batch.kubernetes.io/controller-uid"),
        ],
        // The Jobs a CronJob creates are named `<name>-<schedule time>`.
        "CronJob" => vec![
            any("job-name"),
            any("batch.kubernetes.io/job-name"),
            any("controller-uid"),
            any("batch.kubernetes.io/controller-uid"),
        ],
        "StatefulSet" => vec![
            any("statefulset.kubernetes.io/pod-name"),
            any("apps.kubernetes.io/pod-index"),
            any("controller-revision-hash"),
        ],
        "DaemonSet" => vec![
            any("controller-revision-hash"),
            any("pod-template-generation"),
        ],
        "Deployment" | "ReplicaSet" | "Rollout" | "CloneSet" => {
            vec![any("pod-template-hash"), any("rollouts-pod-template-hash")]
        }
        "LeaderWorkerSet" => vec![
            exact("leaderworkerset.sigs.k8s.io/name", name),
            any("leaderworkerset.sigs.k8s.io/group-index"),
            any("leaderworkerset.sigs.k8s.io/worker-index"),
            any("leaderworkerset.sigs.k8s.io/group-key"),
        ],
        // Knative Serving labels the revision's pods with the service name.
        "Service" => vec![
            exact("serving.knative.dev/service", name),
            any("serving.knative.dev/revision"),
            any("serving.knative.dev/configuration"),
        ],
        _ => Vec::new(),
    }
}

/// Whether the workload's pods carry `key=value`, from the template or
/// from the controller.
pub fn pod_has_label(w: &WorkloadRef<'_>, key: &str, value: &str) -> bool {
    w.workload
        .pod_labels
        .iter()
        .any(|l| l.key == key && l.value == value)
        || injected_labels(w)
            .iter()
            .any(|l| l.key == key && l.value.as_deref().is_none_or(|v| v == value))
}
