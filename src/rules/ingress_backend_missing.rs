//! ## What it does
//! Checks that every Ingress backend names a Service of the scanned manifests
//! (same namespace) and a port that Service defines (by number or by name).
//!
//! ## Why it matters
//! The ingress controller answers 503 for a backend Service that does not
//! exist or a port it does not have: the route is down while both manifests
//! apply cleanly.
//!
//! ## Example
//! ```yaml
//! backend:
//!   service:
//!     name: sre-service
//!     port:
//!       number: 8080      # the Service's port is 80 (targetPort 8080)
//! ```
//!
//! ## How to fix
//! Name the Service's `port` (not its `targetPort`), or its port name.
use super::Ctx;
use crate::finding::Finding;
use crate::link::service_backends;
use seamcheck_facts::PortRef;

meta!(
    "ingress-backend-missing",
    Error,
    "an Ingress backend names a Service or Service port that does not exist",
    "ingress_backend_missing.rs"
);

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // With no Service in the scan, the backends are defined elsewhere.
    if cx.inv.kube_services.is_empty() {
        return;
    }
    for ing in &cx.inv.ingresses {
        for b in &ing.ingress.backends {
            let targets = service_backends(cx.inv, ing, &b.service.value);
            let Some(target) = targets.first() else {
                let known: Vec<String> = cx
                    .inv
                    .kube_services
                    .iter()
                    .filter(|s| s.namespace() == ing.namespace())
                    .map(|s| format!("`{}`", s.service.name.value))
                    .collect();
                let mut f = Finding::new(
                    META.id,
                    META.severity,
                    b.service.loc.clone(),
                    format!(
                        "Ingress `{}` backend Service `{}` does not exist in namespace `{}`",
                        ing.ingress.name.value,
                        b.service.value,
                        ing.namespace()
                    ),
                )
                .label("no such Service");
                if !known.is_empty() {
                    f = f.help(format!("Services in this namespace: {}", known.join(", ")));
                }
                out.push(f);
                continue;
            };
            let Some(port) = &b.port else { continue };
            let ports = &target.service.ports;
            let found = ports.iter().any(|p| match &port.value {
                PortRef::Number(n) => p.port.value == *n,
                PortRef::Name(name) => p.name.as_deref() == Some(name.as_str()),
            });
            if found {
                continue;
            }
            let shown: Vec<String> = ports
                .iter()
                .map(|p| match &p.name {
                    Some(n) => format!("{} ({n})", p.port.value),
                    None => p.port.value.to_string(),
                })
                .collect();
            let mut f = Finding::new(
                META.id,
                META.severity,
                port.loc.clone(),
                format!(
                    "Ingress `{}` backend port {} is not a port of Service `{}`",
                    ing.ingress.name.value, port.value, b.service.value
                ),
            )
            .label("no such Service port")
            .help(format!("use a port of the Service: {}", shown.join(", ")));
            for p in ports {
                f = f.related(&p.port.loc, format!("Service port {}", p.port.value));
            }
            out.push(f);
        }
    }
}
