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
use crate::creators::{candidate_creator, Want};
use crate::finding::{Finding, Severity};
use crate::model::Model;
use crate::model::link::service_backends;
use seamcheck_facts::PortRef;

meta!(
    "ingress-backend-missing",
    Error,
    "an Ingress backend names a Service or Service port that does not exist"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    // With no Service in the scan, the backends are defined elsewhere.
    if cx.inv.kube_services.is_empty() {
        return;
    }
    // Whether any Service is near an Ingress file, once per file.
    let mut near_by_file: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    for ing in &cx.inv.ingresses {
        for b in &ing.ingress.backends {
            let mut targets = service_backends(cx.inv, ing, &b.service.value);
            // A Service without ports is a patch (kustomize), not the object.
            if targets.iter().any(|t| !t.service.ports.is_empty()) {
                targets.retain(|t| !t.service.ports.is_empty());
            }
            // Nearest first: a namesake in a sibling tree is another app's.
            crate::model::unit::keep_nearest(&cx.units, ing.path, &mut targets, |t| t.path);
            let Some(target) = targets.first() else {
                let want = Want::Service(&b.service.value);
                if let Some(c) =
                    candidate_creator(cx.inv, &cx.units, ing.path, ing.namespace(), &want)
                {
                    out.push(
                        Finding::new(
                            META.id,
                            Severity::Note,
                            b.service.loc.clone(),
                            format!(
                                "Ingress `{}` backend Service `{}` is not in the scan; {} may create it",
                                ing.ingress.name.value, b.service.value, c.what
                            ),
                        )
                        .label("Service created elsewhere?")
                        .help("nothing to change if that creator makes this Service")
                        .related(&c.loc, format!("candidate creator: {}", c.what)),
                    );
                    continue;
                }
                // No Service near the Ingress: its backends are deployed
                // from elsewhere.
                let near = *near_by_file.entry(ing.path).or_insert_with(|| {
                    cx.inv
                        .kube_services
                        .iter()
                        .any(|s| cx.units.in_reach(ing.path, s.path))
                });
                if !near {
                    out.push(
                        Finding::new(
                            META.id,
                            Severity::Note,
                            b.service.loc.clone(),
                            format!(
                                "Ingress `{}` backend Service `{}` is not in the scan; no Service of the scan is near it (same application or a folder above)",
                                ing.ingress.name.value, b.service.value
                            ),
                        )
                        .label("Service deployed elsewhere?")
                        .help("add the Service's manifest to the scan to check the backend"),
                    );
                    continue;
                }
                let in_namespace = cx.inv.services_in(ing.namespace());
                let known = crate::finding::listed_of_total(
                    in_namespace
                        .iter()
                        .filter_map(|&s| cx.inv.kube_services.get(s))
                        .map(|s| format!("`{}`", s.service.name.value)),
                    in_namespace.len(),
                );
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
                    f = f.help(format!("Services in this namespace: {known}"));
                }
                out.push(f);
                continue;
            };
            let Some(port) = &b.port else { continue };
            let ports = &target.service.ports;
            // Several namesakes equally near: fine if any has the port.
            let found = targets.iter().flat_map(|t| &t.service.ports).any(|p| match &port.value {
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
            .help(format!(
                "use a port of the Service: {}",
                crate::finding::listed(shown)
            ));
            for p in ports {
                f = f.related(&p.port.loc, format!("Service port {}", p.port.value));
            }
            out.push(f);
        }
    }
}
