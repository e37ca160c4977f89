//! `kind: Ingress`: which Service and port each rule path and the default
//! backend send to. Reads `networking.k8s.io/v1` (`service.name`,
//! `service.port.number|name`) and the older `extensions/v1beta1` /
//! `networking.k8s.io/v1beta1` form (`serviceName`, `servicePort`).

use crate::container::located_text;
use crate::meta::object_meta;
use crate::yaml::{field, path, port_number, port_ref, sequence, text, Entry, Node};
use seamcheck_facts::kube::{Ingress, IngressBackend};
use seamcheck_facts::{Located, PortRef};
use seamcheck_yaml::SourceMap;

pub(crate) fn extract(object: &Node<'_>, src: &SourceMap<'_>) -> Ingress {
    let meta = object_meta(object, src);
    let mut backends = Vec::new();
    if let Some(spec) = path(object, &["spec"]) {
        let default = field(spec, "defaultBackend").or_else(|| field(spec, "backend"));
        backends.extend(default.and_then(|e| backend(e, None, src)));
        let rules = field(spec, "rules")
            .map(|e| sequence(e.value))
            .unwrap_or_default();
        for rule in rules {
            let paths = path(rule, &["http", "paths"])
                .map(sequence)
                .unwrap_or_default();
            for http_path in paths {
                let route = field(http_path, "path")
                    .and_then(|e| text(e.value))
                    .map(str::to_string);
                let found = field(http_path, "backend").and_then(|e| backend(e, route, src));
                backends.extend(found);
            }
        }
    }
    Ingress {
        name: meta.name,
        namespace: meta.namespace,
        loc: meta.loc,
        backends,
    }
}

/// A backend naming a Service; `None` for a `resource` backend.
fn backend(
    entry: Entry<'_, '_>,
    route: Option<String>,
    src: &SourceMap<'_>,
) -> Option<IngressBackend> {
    let body = entry.value;
    let (service, port) = match field(body, "service") {
        Some(v1) => {
            let service = located_text(v1.value, "name", src)?;
            let port = field(v1.value, "port").and_then(|p| v1_port(p.value, src));
            (service, port)
        }
        None => {
            let service = located_text(body, "serviceName", src)?;
            let port = field(body, "servicePort")
                .and_then(|e| port_ref(e.value).map(|p| src.located(p, e.value)));
            (service, port)
        }
    };
    Some(IngressBackend {
        service,
        port,
        path: route,
        loc: src.entry_loc(entry.key, entry.value),
    })
}

/// `port: {number: 80}` or `port: {name: http}`.
fn v1_port(port: &Node<'_>, src: &SourceMap<'_>) -> Option<Located<PortRef>> {
    if let Some(number) = field(port, "number") {
        return port_number(number.value).map(|p| src.located(PortRef::Number(p), number.value));
    }
    let name = located_text(port, "name", src)?;
    Some(name.map(PortRef::Name))
}
