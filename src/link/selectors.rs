//! Service → pods by selector and namespace; Ingress → Service by name.

use crate::inventory::{IngressRef, Inventory, ServiceObjRef, WorkloadRef};

/// A Service selects a workload's pods when they share the namespace and every
/// selector label is on the pod template. A Service without a selector
/// selects nothing on purpose (its endpoints are managed by hand).
pub fn selects(service: &ServiceObjRef<'_>, workload: &WorkloadRef<'_>) -> bool {
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
) -> Vec<&'i ServiceObjRef<'a>> {
    inv.services
        .iter()
        .filter(|s| s.service.name.value == name && s.namespace() == ingress.namespace())
        .collect()
}
