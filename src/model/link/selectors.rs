//! Service → pods by selector and namespace; Ingress → Service by name.

use crate::model::inventory::{IngressRef, Inventory, KubeServiceRef, WorkloadRef};
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
    selections_in(inv, &crate::model::unit::Units::new(inv))
}

/// [`selections`] with the audit's units already computed.
pub fn selections_in(inv: &Inventory<'_>, units: &crate::model::unit::Units) -> Selections {
    let mut by_label: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
    // Labels the controllers add are indexed too; one whose value cannot be
    // known is indexed under the value `*`.
    let injected: Vec<Vec<super::injected::InjectedLabel>> = inv
        .workloads
        .iter()
        .map(super::injected::injected_labels)
        .collect();
    for (w, wl) in inv.workloads.iter().enumerate() {
        for l in &wl.workload.pod_labels {
            by_label
                .entry((wl.namespace(), l.key.as_str(), l.value.as_str()))
                .or_default()
                .push(w);
        }
        for l in injected.get(w).into_iter().flatten() {
            by_label
                .entry((wl.namespace(), l.key, l.value.as_deref().unwrap_or("*")))
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
        let exact = by_label
            .get(&(so.namespace(), first.key.as_str(), first.value.as_str()))
            .map_or(&[][..], Vec::as_slice);
        let any_value = by_label
            .get(&(so.namespace(), first.key.as_str(), "*"))
            .map_or(&[][..], Vec::as_slice);
        let mut selected: Vec<usize> = exact
            .iter()
            .chain(any_value)
            .copied()
            .filter(|&w| inv.workloads.get(w).is_some_and(|wl| selects(so, wl)))
            .collect();
        selected.sort_unstable();
        selected.dedup();
        // Nearest first: pods of a namesake application in a sibling tree
        // are not this Service's when nearer ones match.
        crate::model::unit::keep_nearest(units, so.path, &mut selected, |&w| {
            inv.workloads.get(w).map_or("", |wl| wl.path)
        });
        for w in selected {
            out.selected[s].push(w);
            out.selected_by[w].push(s);
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
        && selector
            .iter()
            .all(|want| super::injected::pod_has_label(workload, &want.key, &want.value))
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
