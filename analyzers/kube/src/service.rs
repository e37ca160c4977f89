//! `kind: Service`: selector and ports.

use crate::container::protocol;
use crate::meta::{labels, object_meta};
use crate::yaml::{
    entries, field, is_null, path, port_number, port_ref, sequence, text, text_field, Node,
};
use seamcheck_facts::kube::{KubeService, ServicePort};
use seamcheck_facts::Location;
use seamcheck_yaml::SourceMap;

pub(crate) fn extract(object: &Node<'_>, src: &SourceMap<'_>) -> KubeService {
    let meta = object_meta(object, src);
    let spec = path(object, &["spec"]);
    let selector_entry = spec.and_then(|s| field(s, "selector"));
    // Kubernetes treats an empty selector like a missing one: endpoints are
    // managed by someone else, so the Service selects nothing on purpose.
    let selector = selector_entry
        .filter(|e| !entries(e.value).is_empty())
        .map(|e| labels(e.value, src));
    let (ports, unresolved_ports) = spec.map(|s| ports(s, src)).unwrap_or_default();
    KubeService {
        name: meta.name,
        namespace: meta.namespace,
        loc: meta.loc,
        selector,
        selector_loc: selector_entry.map(|e| src.entry_loc(e.key, e.value)),
        ports,
        service_type: spec.and_then(|s| text_field(s, "type")).map(str::to_string),
        unresolved_ports,
    }
}

fn ports(spec: &Node<'_>, src: &SourceMap<'_>) -> (Vec<ServicePort>, Vec<Location>) {
    let mut ports = Vec::new();
    let mut unresolved = Vec::new();
    let Some(entry) = field(spec, "ports") else {
        return (ports, unresolved);
    };
    for item in sequence(entry.value) {
        let loc = src.token_loc(item);
        let number =
            field(item, "port").and_then(|e| port_number(e.value).map(|p| src.located(p, e.value)));
        let Some(port) = number else {
            unresolved.push(loc);
            continue;
        };
        let target = field(item, "targetPort").filter(|e| !is_null(e.value));
        let target_port = target.and_then(|e| port_ref(e.value).map(|p| src.located(p, e.value)));
        let target_port_unresolved = match (target, &target_port) {
            (Some(e), None) => Some(src.token_loc(e.value)),
            _ => None,
        };
        ports.push(ServicePort {
            name: field(item, "name")
                .and_then(|e| text(e.value))
                .map(str::to_string),
            port,
            target_port,
            target_port_unresolved,
            protocol: protocol(item),
            loc,
        });
    }
    (ports, unresolved)
}
