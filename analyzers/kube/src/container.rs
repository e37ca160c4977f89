//! One container of a pod spec: image, ports, env, command, probes,
//! resources, securityContext.

use crate::probe::probe;
use crate::yaml::{
    boolean, field, integer, is_mapping, is_null, is_sequence, port_number, sequence, text, Entry,
    Node,
};
use seamcheck_facts::kube::{Container, ContainerPort, ProbeKind, Resources, SecurityContext};
use seamcheck_facts::{EnvVar, Located, Location};
use seamcheck_yaml::SourceMap;

/// Every mapping of a `containers:` / `initContainers:` sequence.
pub(crate) fn containers(list: &Node<'_>, src: &SourceMap<'_>) -> Vec<Container> {
    sequence(list)
        .iter()
        .filter(|c| is_mapping(c))
        .map(|c| container(c, src))
        .collect()
}

fn container(node: &Node<'_>, src: &SourceMap<'_>) -> Container {
    let loc = src.token_loc(node);
    let string = |key: &str| located_text(node, key, src);
    let (ports, unresolved_ports) = ports(node, src);
    let probe_of = |kind: ProbeKind| field(node, kind.field()).map(|e| probe(kind, e, src));
    Container {
        name: string("name").unwrap_or_else(|| Located::new(String::new(), loc.clone())),
        image: string("image"),
        image_pull_policy: string("imagePullPolicy"),
        ports,
        env: env(node, src),
        env_from: env_from(node, src),
        command: string_list(node, "command", src),
        args: string_list(node, "args", src),
        readiness_probe: probe_of(ProbeKind::Readiness),
        liveness_probe: probe_of(ProbeKind::Liveness),
        startup_probe: probe_of(ProbeKind::Startup),
        resources: resources(node, src),
        security: field(node, "securityContext").map(|e| security_context(e, src)),
        unresolved_ports,
        loc,
    }
}

/// The string value of `key`, at the value's token.
pub(crate) fn located_text(
    node: &Node<'_>,
    key: &str,
    src: &SourceMap<'_>,
) -> Option<Located<String>> {
    let entry = field(node, key)?;
    text(entry.value).map(|t| src.located(t.to_string(), entry.value))
}

/// `command:` / `args:`; `None` when absent or not a list (then the image's
/// ENTRYPOINT / CMD apply).
fn string_list(node: &Node<'_>, key: &str, src: &SourceMap<'_>) -> Option<Vec<Located<String>>> {
    let entry = field(node, key)?;
    if !is_sequence(entry.value) {
        return None;
    }
    Some(
        sequence(entry.value)
            .iter()
            .filter_map(|item| text(item).map(|t| src.located(t.to_string(), item)))
            .collect(),
    )
}

fn ports(node: &Node<'_>, src: &SourceMap<'_>) -> (Vec<ContainerPort>, Vec<Location>) {
    let mut ports = Vec::new();
    let mut unresolved = Vec::new();
    let Some(entry) = field(node, "ports") else {
        return (ports, unresolved);
    };
    for item in sequence(entry.value) {
        let loc = src.token_loc(item);
        let number = field(item, "containerPort")
            .and_then(|e| port_number(e.value).map(|p| src.located(p, e.value)));
        let Some(container_port) = number else {
            unresolved.push(loc);
            continue;
        };
        ports.push(ContainerPort {
            name: located_text(item, "name", src),
            container_port,
            protocol: protocol(item),
            loc,
        });
    }
    (ports, unresolved)
}

/// `protocol`, defaulting to TCP as Kubernetes does.
pub(crate) fn protocol(item: &Node<'_>) -> String {
    field(item, "protocol")
        .and_then(|e| text(e.value))
        .unwrap_or("TCP")
        .to_string()
}

/// `env:`; each variable is located at its whole list item. A `valueFrom`
/// variable has no value seamcheck can know; a variable with neither
/// `value` nor `valueFrom` is set to the empty string.
fn env(node: &Node<'_>, src: &SourceMap<'_>) -> Vec<EnvVar> {
    let Some(entry) = field(node, "env") else {
        return Vec::new();
    };
    sequence(entry.value)
        .iter()
        .filter_map(|item| {
            let name = field(item, "name").and_then(|e| text(e.value))?;
            let value = match (field(item, "value"), field(item, "valueFrom")) {
                (_, Some(_)) => None,
                (Some(v), None) if is_null(v.value) => Some(String::new()),
                (Some(v), None) => Some(text(v.value)?.to_string()),
                (None, None) => Some(String::new()),
            };
            Some(EnvVar {
                name: name.to_string(),
                value,
                loc: src.token_loc(item),
            })
        })
        .collect()
}

/// ConfigMaps and Secrets named by `envFrom`, at their name's token.
fn env_from(node: &Node<'_>, src: &SourceMap<'_>) -> Vec<Located<String>> {
    let Some(entry) = field(node, "envFrom") else {
        return Vec::new();
    };
    sequence(entry.value)
        .iter()
        .filter_map(|item| {
            let source = field(item, "configMapRef").or_else(|| field(item, "secretRef"))?;
            located_text(source.value, "name", src)
        })
        .collect()
}

fn resources(node: &Node<'_>, src: &SourceMap<'_>) -> Resources {
    let Some(entry) = field(node, "resources") else {
        return Resources::default();
    };
    let quantity = |section: &str, name: &str| {
        let section = field(entry.value, section)?;
        let value = field(section.value, name)?.value;
        text(value).map(|q| src.located(q.to_string(), value))
    };
    Resources {
        loc: Some(src.token_loc(entry.key)),
        requests_cpu: quantity("requests", "cpu"),
        requests_memory: quantity("requests", "memory"),
        limits_cpu: quantity("limits", "cpu"),
        limits_memory: quantity("limits", "memory"),
    }
}

/// A pod or container `securityContext`, located at its key.
pub(crate) fn security_context(entry: Entry<'_, '_>, src: &SourceMap<'_>) -> SecurityContext {
    let context = entry.value;
    SecurityContext {
        run_as_user: field(context, "runAsUser")
            .and_then(|e| integer(e.value).map(|uid| src.located(uid, e.value))),
        run_as_non_root: field(context, "runAsNonRoot")
            .and_then(|e| boolean(e.value).map(|b| src.located(b, e.value))),
        loc: src.token_loc(entry.key),
    }
}
