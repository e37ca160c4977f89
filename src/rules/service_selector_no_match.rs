//! ## What it does
//! Checks that each Kubernetes Service's selector matches the pod template of
//! at least one workload in the scanned manifests (same namespace, every
//! selector label present on the pods).
//!
//! ## Why it matters
//! A Service whose selector matches no pod has no endpoints: every request to
//! it fails, while each manifest looks valid on its own.
//!
//! ## Example
//! ```yaml
//! selector:
//!   app: sre        # the Deployment's pods are labelled app: sre-app
//! ```
//!
//! ## How to fix
//! Make the selector a subset of the pod template's labels
//! (`spec.template.metadata.labels`), in the same namespace.
use super::Ctx;
use crate::finding::Finding;

meta!(
    "service-selector-no-match",
    Error,
    "a Service selector matches no pod template in the scanned manifests",
    "service_selector_no_match.rs"
);

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // With no workload in the scan, the pods live elsewhere: nothing to say.
    if cx.inv.workloads.is_empty() {
        return;
    }
    for (si, svc_obj) in cx.inv.kube_services.iter().enumerate() {
        let Some(selector) = &svc_obj.service.selector else { continue };
        let selects_some = cx.selections.selected.get(si).is_some_and(|w| !w.is_empty());
        if selector.is_empty() || selects_some {
            continue;
        }
        let shown: Vec<String> = selector.iter().map(|l| format!("{}={}", l.key, l.value)).collect();
        let loc = svc_obj
            .service
            .selector_loc
            .clone()
            .or_else(|| selector.first().map(|l| l.loc.clone()))
            .unwrap_or_else(|| svc_obj.service.name.loc.clone());
        let mut f = Finding::new(
            META.id,
            META.severity,
            loc,
            format!(
                "Service `{}` selector {} matches no pod template",
                svc_obj.service.name.value,
                shown.join(",")
            ),
        )
        .label("selects no pod")
        .help("use labels of the workload's pod template (spec.template.metadata.labels)");
        for w in cx
            .inv
            .workloads
            .iter()
            .filter(|w| w.namespace() == svc_obj.namespace())
            .take(3)
        {
            let labels: Vec<String> = w
                .workload
                .pod_labels
                .iter()
                .map(|l| format!("{}={}", l.key, l.value))
                .collect();
            let loc = w
                .workload
                .pod_labels
                .first()
                .map_or(&w.workload.name.loc, |l| &l.loc);
            f = f.related(
                loc,
                format!("{} `{}` pods are labelled {}", w.workload.kind, w.workload.name.value, labels.join(",")),
            );
        }
        out.push(f);
    }
}
