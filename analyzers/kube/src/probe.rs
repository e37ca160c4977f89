//! readinessProbe / livenessProbe / startupProbe of a container.

use crate::container::located_text;
use crate::yaml::{field, integer, port_number, port_ref, sequence, text, Entry, Node};
use seamcheck_facts::kube::{Probe, ProbeAction, ProbeKind};
use seamcheck_facts::{Located, PortRef};
use seamcheck_yaml::SourceMap;

/// A probe, located from its key through its last value.
pub(crate) fn probe(kind: ProbeKind, entry: Entry<'_, '_>, src: &SourceMap<'_>) -> Probe {
    let body = entry.value;
    let seconds = |key: &str| {
        let value = field(body, key)?.value;
        integer(value).map(|n| src.located(n, value))
    };
    Probe {
        kind,
        action: action(body, src),
        loc: src.entry_loc(entry.key, entry.value),
        timeout_seconds: seconds("timeoutSeconds"),
        period_seconds: seconds("periodSeconds"),
        initial_delay_seconds: seconds("initialDelaySeconds"),
        failure_threshold: seconds("failureThreshold"),
    }
}

/// The handler. Kubernetes allows exactly one; if several are written the
/// first of httpGet, tcpSocket, grpc, exec is taken. A handler whose port
/// cannot be read (a template placeholder) is `Unknown`, never a guess.
fn action(body: &Node<'_>, src: &SourceMap<'_>) -> ProbeAction {
    if let Some(http) = field(body, "httpGet") {
        let Some(port) = located_port(http.value, src) else {
            return ProbeAction::Unknown;
        };
        return ProbeAction::HttpGet {
            path: located_text(http.value, "path", src),
            port,
            scheme: field(http.value, "scheme")
                .and_then(|e| text(e.value))
                .map(str::to_string),
        };
    }
    if let Some(tcp) = field(body, "tcpSocket") {
        return match located_port(tcp.value, src) {
            Some(port) => ProbeAction::TcpSocket { port },
            None => ProbeAction::Unknown,
        };
    }
    if let Some(grpc) = field(body, "grpc") {
        // A gRPC probe port is a number only (no names).
        let port = field(grpc.value, "port")
            .and_then(|e| port_number(e.value).map(|p| src.located(PortRef::Number(p), e.value)));
        return match port {
            Some(port) => ProbeAction::Grpc {
                port,
                service: field(grpc.value, "service")
                    .and_then(|e| text(e.value))
                    .map(str::to_string),
            },
            None => ProbeAction::Unknown,
        };
    }
    if let Some(exec) = field(body, "exec") {
        let command = field(exec.value, "command")
            .map(|e| {
                sequence(e.value)
                    .iter()
                    .filter_map(|item| text(item).map(|t| src.located(t.to_string(), item)))
                    .collect()
            })
            .unwrap_or_default();
        return ProbeAction::Exec { command };
    }
    ProbeAction::Unknown
}

fn located_port(handler: &Node<'_>, src: &SourceMap<'_>) -> Option<Located<PortRef>> {
    let value = field(handler, "port")?.value;
    port_ref(value).map(|p| src.located(p, value))
}
