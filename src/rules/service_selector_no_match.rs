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
use crate::creators::{candidate_creator, Want};
use crate::finding::{Finding, Severity};
use crate::model::Model;
use crate::model::unit::chart_root_of;

meta!(
    "service-selector-no-match",
    Error,
    "a Service selector matches no pod template in the scanned manifests"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    // With no workload in the scan, the pods live elsewhere: nothing to say.
    if cx.inv.workloads.is_empty() {
        return;
    }
    // Per Service file: whether any workload is near it, and per namespace
    // whether any workload is in it (once each, not per Service).
    let mut near_by_file: std::collections::HashMap<&str, bool> = Default::default();
    let mut in_namespace_by_name: std::collections::HashMap<&str, bool> = Default::default();
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
        let message = format!(
            "Service `{}` selector {} matches no pod template",
            svc_obj.service.name.value,
            shown.join(",")
        );
        // Something near may create the pods: say so, at note level.
        let want = Want::Pods(selector);
        let creator = candidate_creator(cx.inv, &cx.units, svc_obj.path, svc_obj.namespace(), &want);
        if let Some(c) = creator {
            out.push(
                Finding::new(
                    META.id,
                    Severity::Note,
                    loc,
                    format!("{message} in the scan; {} may create them", c.what),
                )
                .label("pods created elsewhere?")
                .help("nothing to change if that creator makes pods with these labels")
                .related(&c.loc, format!("candidate creator: {}", c.what)),
            );
            continue;
        }
        // No workload near the Service (its unit and the folders above), or
        // none in its namespace: the pods are deployed from elsewhere.
        let ns_explicit = svc_obj.service.namespace.is_some();
        let in_namespace = *in_namespace_by_name
            .entry(svc_obj.namespace())
            .or_insert_with(|| cx.inv.workloads.iter().any(|w| w.namespace() == svc_obj.namespace()));
        let near = *near_by_file.entry(svc_obj.path).or_insert_with(|| {
            cx.inv
                .workloads
                .iter()
                .any(|w| cx.units.in_reach(svc_obj.path, w.path))
        });
        if !near || (ns_explicit && !in_namespace) {
            let why = if near {
                format!("no workload of the scan is in namespace `{}`", svc_obj.namespace())
            } else {
                "no workload of the scan is near it (same application or a folder above)".to_string()
            };
            out.push(
                Finding::new(META.id, Severity::Note, loc, format!("{message}; {why}: its pods are deployed from elsewhere"))
                    .label("pods deployed elsewhere?")
                    .help("add the workload's manifest to the scan to check the selector"),
            );
            continue;
        }
        if chart_root_of(svc_obj.path).is_some() {
            out.push(
                Finding::new(
                    META.id,
                    Severity::Note,
                    loc,
                    format!("{message} in the scan; the chart's other templates may create them"),
                )
                .label("pods from the chart?")
                .help("render the chart to check (seamcheck reads templates that are plain YAML only)"),
            );
            continue;
        }
        let mut f = Finding::new(META.id, META.severity, loc, message)
        .label("selects no pod")
        .help("use labels of the workload's pod template (spec.template.metadata.labels)");
        // The nearest workloads first: those the user meant to select.
        let mut nearby: Vec<_> = cx
            .inv
            .workloads
            .iter()
            .filter(|w| w.namespace() == svc_obj.namespace())
            .collect();
        nearby.sort_by_key(|w| cx.units.distance(svc_obj.path, w.path));
        for w in nearby.into_iter().take(3) {
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
