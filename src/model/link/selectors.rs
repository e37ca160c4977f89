//! Service → pods by selector and namespace; Ingress → Service by name.

use crate::model::inventory::{IngressRef, Inventory, KubeServiceRef, WorkloadRef};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Which workloads each Service selects, and the reverse, computed once
/// through a label index (a Service is compared only with the workloads that
/// carry its first selector label, not with every workload), once per
/// distinct selector (20,000 Services with one selector share one list),
/// and against each workload's labels as a set (a 200,000-label selector
/// is one lookup per label, not a scan of the pod labels per label).
#[derive(Debug, Default)]
pub struct Selections {
    /// Per Service object: the workloads it selects (shared by the Services
    /// of one namespace with the same selector).
    pub selected: Vec<Arc<Vec<usize>>>,
    /// Per workload: the Service objects selecting it, at most
    /// [`MAX_SELECTING`] of them (the first in scan order).
    pub selected_by: Vec<Vec<usize>>,
    /// Per workload: how many Service objects select it in all.
    pub selected_by_count: Vec<usize>,
}

/// The Services kept per workload in `Selections::selected_by`: each one
/// becomes nodes of the workload's port chain and an entry of its report, so
/// 20,000 Services selecting 5,000 Deployments would otherwise be 100
/// million of each. Rules that judge a Service read `selected`, which is
/// complete.
pub const MAX_SELECTING: usize = 16;

pub fn selections(inv: &Inventory<'_>) -> Selections {
    let mut by_label: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
    let mut label_sets: Vec<HashSet<(&str, &str)>> = Vec::with_capacity(inv.workloads.len());
    for (w, wl) in inv.workloads.iter().enumerate() {
        let mut set = HashSet::new();
        for l in &wl.workload.pod_labels {
            if set.insert((l.key.as_str(), l.value.as_str())) {
                by_label
                    .entry((wl.namespace(), l.key.as_str(), l.value.as_str()))
                    .or_default()
                    .push(w);
            }
        }
        label_sets.push(set);
    }
    let mut out = Selections {
        selected: Vec::with_capacity(inv.kube_services.len()),
        selected_by: vec![Vec::new(); inv.workloads.len()],
        selected_by_count: vec![0; inv.workloads.len()],
    };
    // Selectors already matched: (namespace, labels) -> workloads.
    type Key<'k> = (&'k str, Vec<(&'k str, &'k str)>);
    let mut done: HashMap<Key<'_>, Arc<Vec<usize>>> = HashMap::new();
    let empty = Arc::new(Vec::new());
    for (s, so) in inv.kube_services.iter().enumerate() {
        let selector = so.service.selector.as_deref().unwrap_or(&[]);
        let Some(first) = selector.first() else {
            out.selected.push(empty.clone());
            continue;
        };
        let key: Key<'_> = (
            so.namespace(),
            selector
                .iter()
                .map(|l| (l.key.as_str(), l.value.as_str()))
                .collect(),
        );
        let workloads = match done.get(&key) {
            Some(w) => w.clone(),
            None => {
                let candidates = by_label
                    .get(&(so.namespace(), first.key.as_str(), first.value.as_str()))
                    .map_or(&[][..], Vec::as_slice);
                let matched: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|&w| {
                        label_sets
                            .get(w)
                            .is_some_and(|labels| key.1.iter().all(|want| labels.contains(want)))
                    })
                    .collect();
                let matched = Arc::new(matched);
                done.insert(key, matched.clone());
                matched
            }
        };
        for &w in workloads.iter() {
            if let (Some(by), Some(count)) =
                (out.selected_by.get_mut(w), out.selected_by_count.get_mut(w))
            {
                *count += 1;
                if by.len() < MAX_SELECTING {
                    by.push(s);
                }
            }
        }
        out.selected.push(workloads);
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
    inv.services_named(ingress.namespace(), name)
        .iter()
        .filter_map(|&s| inv.kube_services.get(s))
        .collect()
}
