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
    selections_in(inv, &crate::model::unit::Units::new(inv))
}

/// [`selections`] with the audit's units already computed.
pub fn selections_in(inv: &Inventory<'_>, units: &crate::model::unit::Units) -> Selections {
    // Labels the controllers add are indexed too; one whose value cannot be
    // known is indexed under the value `*` and matches any value of its key.
    let injected: Vec<Vec<super::injected::InjectedLabel>> = inv
        .workloads
        .iter()
        .map(super::injected::injected_labels)
        .collect();
    let mut by_label: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
    let mut label_sets: Vec<HashSet<(&str, &str)>> = Vec::with_capacity(inv.workloads.len());
    let mut any_value_keys: Vec<HashSet<&str>> = Vec::with_capacity(inv.workloads.len());
    for (w, wl) in inv.workloads.iter().enumerate() {
        let mut set = HashSet::new();
        let mut any_keys = HashSet::new();
        let own = wl
            .workload
            .pod_labels
            .iter()
            .map(|l| (l.key.as_str(), Some(l.value.as_str())));
        let added = injected
            .get(w)
            .into_iter()
            .flatten()
            .map(|l| (l.key, l.value.as_deref()));
        for (key, value) in own.chain(added) {
            let fresh = match value {
                Some(v) => set.insert((key, v)),
                None => any_keys.insert(key),
            };
            if fresh {
                by_label
                    .entry((wl.namespace(), key, value.unwrap_or("*")))
                    .or_default()
                    .push(w);
            }
        }
        label_sets.push(set);
        any_value_keys.push(any_keys);
    }
    let has_label = |w: usize, want: &(&str, &str)| {
        label_sets.get(w).is_some_and(|l| l.contains(want))
            || any_value_keys.get(w).is_some_and(|k| k.contains(want.0))
    };
    let mut out = Selections {
        selected: Vec::with_capacity(inv.kube_services.len()),
        selected_by: vec![Vec::new(); inv.workloads.len()],
        selected_by_count: vec![0; inv.workloads.len()],
    };
    // Selectors already matched: (namespace, labels) -> workloads, and the
    // nearest of them per Service file (nearness depends on the file only).
    type Key<'k> = (&'k str, Vec<(&'k str, &'k str)>);
    let mut matched_by_selector: HashMap<Key<'_>, Arc<Vec<usize>>> = HashMap::new();
    let mut nearest_by_file: HashMap<(Key<'_>, &str), Arc<Vec<usize>>> = HashMap::new();
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
        let workloads = match nearest_by_file.get(&(key.clone(), so.path)) {
            Some(w) => w.clone(),
            None => {
                let matched = match matched_by_selector.get(&key) {
                    Some(m) => m.clone(),
                    None => {
                        let exact = by_label
                            .get(&(so.namespace(), first.key.as_str(), first.value.as_str()))
                            .map_or(&[][..], Vec::as_slice);
                        let any_value = by_label
                            .get(&(so.namespace(), first.key.as_str(), "*"))
                            .map_or(&[][..], Vec::as_slice);
                        let mut matched: Vec<usize> = exact
                            .iter()
                            .chain(any_value)
                            .copied()
                            .filter(|&w| key.1.iter().all(|want| has_label(w, want)))
                            .collect();
                        matched.sort_unstable();
                        matched.dedup();
                        let matched = Arc::new(matched);
                        matched_by_selector.insert(key.clone(), matched.clone());
                        matched
                    }
                };
                // Nearest first: pods of a namesake application in a sibling
                // tree are not this Service's when nearer ones match.
                let mut nearest = matched.as_ref().clone();
                crate::model::unit::keep_nearest(units, so.path, &mut nearest, |&w| {
                    inv.workloads.get(w).map_or("", |wl| wl.path)
                });
                let nearest = if nearest.len() == matched.len() {
                    matched
                } else {
                    Arc::new(nearest)
                };
                nearest_by_file.insert((key, so.path), nearest.clone());
                nearest
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
    inv.services_named(ingress.namespace(), name)
        .iter()
        .filter_map(|&s| inv.kube_services.get(s))
        .collect()
}
