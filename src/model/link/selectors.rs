//! Service → pods by selector and namespace; Ingress → Service by name.

use crate::inventory::{IngressRef, Inventory, KubeServiceRef, WorkloadRef};
use std::collections::HashMap;

/// Which workloads each Service selects, and the reverse, computed once
/// through a label index (a Service is compared only with the workloads that
/// carry its first selector label, not with every workload).
#[derive(Debug, Default)]
pub struct Selections {
    /// Per Kubernetes Service (`Inventory::kube_services`): the workloads it selects.
    pub selected: Vec<Vec<usize>>,
    /// Per workload: the Kubernetes Services selecting it.
    pub selected_by: Vec<Vec<usize>>,
}

pub fn selections(inv: &Inventory<'_>) -> Selections {
    let mut by_label: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
    for (w, wl) in inv.workloads.iter().enumerate() {
        for l in &wl.workload.pod_labels {
            by_label
                .entry((wl.namespace(), l.key.as_str(), l.value.as_str()))
                .or_default()
                .push(w);
        }
    }
    let mut out = Selections {
        selected: vec![Vec::new(); inv.kube_services.len()],
        selected_by: vec![Vec::new(); inv.workloads.len()],
    };
    for (s, so) in inv.kube_services.iter().enumerate() {
        let Some(first) = so.service.selector.as_ref().and_then(|sel| sel.first()) else {
            continue;
        };
        let candidates = by_label
            .get(&(so.namespace(), first.key.as_str(), first.value.as_str()))
            .map_or(&[][..], Vec::as_slice);
        for &w in candidates {
            if inv.workloads.get(w).is_some_and(|wl| selects(so, wl)) {
                out.selected[s].push(w);
                out.selected_by[w].push(s);
            }
        }
    }
    out
}

/// A Service selects a workload's pods when they share the namespace and every
/// selector label is on the pod template. A Service without a selector
/// selects nothing on purpose (its endpoints are managed by hand).
pub fn selects(service: &KubeServiceRef<'_>, workload: &WorkloadRef<'_>) -> bool {
    let Some(selector) = &service.service.selector else {
        return false;
    };
    !selector.is_empty()
        && service.namespace() == workload.namespace()
        && selector.iter().all(|want| {
            workload
                .workload
                .pod_labels
                .iter()
                .any(|l| l.key == want.key && l.value == want.value)
        })
}

/// The Services of the scan an Ingress backend names (same namespace).
pub fn service_backends<'i, 'a>(
    inv: &'i Inventory<'a>,
    ingress: &IngressRef<'_>,
    name: &str,
) -> Vec<&'i KubeServiceRef<'a>> {
    inv.kube_services
        .iter()
        .filter(|s| s.service.name.value == name && s.namespace() == ingress.namespace())
        .collect()
}
