//! ## What it does
//! Checks that each port of a Kubernetes Service reaches the app: a named
//! `targetPort` must be a port name of the selected pods, and a numeric one
//! (or `port`, when `targetPort` is absent) must be where the app listens.
//!
//! ## Why it matters
//! kube-proxy forwards to exactly that port of each ready pod. A wrong number
//! gives "connection refused" to every client; an unknown name leaves the
//! Service without endpoints for that port.
//!
//! ## Example
//! ```yaml
//! ports:
//!   - port: 80
//!     targetPort: 80      # the app listens on 8080
//! ```
//!
//! ## How to fix
//! Set `targetPort` to the container port name (`targetPort: http`) or to the
//! port the app listens on.
use super::helpers::port_number;
use super::Ctx;
use crate::finding::Finding;
use super::context::ContainerView;
use std::collections::HashMap;
use crate::resolve::Resolved;
use seamcheck_facts::kube::Container;
use seamcheck_facts::PortRef;

meta!(
    "service-target-port-mismatch",
    Error,
    "a Service `targetPort` resolves to no port of the selected pods, or not to the app's port",
    "service_target_port_mismatch.rs"
);

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let views = cx.containers();
    let mut by_workload: HashMap<usize, Vec<&ContainerView<'_, '_>>> = HashMap::new();
    for v in &views {
        by_workload.entry(v.link.workload).or_default().push(v);
    }
    // Services with one selector share one list of workloads
    // (`Selections::selected`): what follows from that list is worked out
    // once per list, not once per Service (20,000 Services × 5,000
    // Deployments).
    let mut groups: HashMap<*const Vec<usize>, Group<'_, '_>> = HashMap::new();
    for (si, svc_obj) in cx.inv.services.iter().enumerate() {
        let Some(workloads) = cx.selections.selected.get(si) else {
            continue;
        };
        let group = groups
            .entry(std::sync::Arc::as_ptr(workloads))
            .or_insert_with(|| Group::new(workloads, &by_workload));
        let selected = &group.selected;
        // No pod selected is service-selector-no-match's finding, not this one.
        if selected.is_empty() {
            continue;
        }
        let containers = &group.containers;
        for sp in &svc_obj.service.ports {
            // A targetPort written but unreadable (a template) is unknown, not `port`.
            let Some(target) = sp.known_target() else { continue };
            let how = if sp.target_port.is_some() { "targetPort" } else { "port (no targetPort)" };
            let number = *group
                .numbers
                .entry(target.value.clone())
                .or_insert_with(|| port_number(&target.value, containers));
            let Some(number) = number else {
                let mut f = Finding::new(
                    META.id,
                    META.severity,
                    target.loc.clone(),
                    format!(
                        "Service `{}` targetPort `{}` names no port of the selected pods",
                        svc_obj.service.name.value, target.value
                    ),
                )
                .label("no container port has this name")
                .help("use a ports[].name of the selected containers, or a port number")
                .service(selected.first().map(|v| v.service.name.as_str()));
                for c in containers {
                    for p in &c.ports {
                        if let Some(n) = &p.name {
                            f = f.related(&n.loc, format!("container port `{}`", n.value));
                        }
                    }
                }
                out.push(f);
                continue;
            };
            // Every selected container with a known app port must miss it:
            // a sidecar listening there would make the Service work.
            let app_ports = &group.app_ports;
            if app_ports.is_empty()
                || app_ports.len() != selected.len()
                || app_ports.iter().any(|(_, p)| p.value == number)
            {
                continue;
            }
            let (view, app) = app_ports[0];
            let shown = match &target.value {
                PortRef::Number(n) => n.to_string(),
                PortRef::Name(name) => format!("`{name}` ({number})"),
            };
            let mut f = Finding::new(
                META.id,
                META.severity,
                target.loc.clone(),
                format!(
                    "Service `{}` {how} {shown} but the app listens on {}",
                    svc_obj.service.name.value, app.value
                ),
            )
            .label(format!("sends traffic to {number}"))
            .help(format!("set targetPort: {}", app.value))
            .service(Some(&view.service.name));
            f.related = app.evidence();
            out.push(f);
        }
    }
}

/// What the workloads one selector matches give this rule.
struct Group<'v, 'a> {
    selected: Vec<&'v ContainerView<'v, 'a>>,
    containers: Vec<&'a Container>,
    /// The selected containers whose app port is known, with it.
    app_ports: Vec<(&'v ContainerView<'v, 'a>, &'v Resolved<u16>)>,
    /// `port_number` of each targetPort seen.
    numbers: HashMap<PortRef, Option<u16>>,
}

impl<'v, 'a> Group<'v, 'a> {
    fn new(workloads: &[usize], by_workload: &HashMap<usize, Vec<&'v ContainerView<'v, 'a>>>) -> Self {
        let selected: Vec<&ContainerView<'_, '_>> = workloads
            .iter()
            .flat_map(|w| by_workload.get(w).into_iter().flatten().copied())
            .collect();
        let containers = selected.iter().map(|v| v.container).collect();
        let app_ports = selected
            .iter()
            .filter_map(|v| v.runtime.and_then(|r| r.port.as_ref()).map(|p| (*v, p)))
            .collect();
        Group {
            selected,
            containers,
            app_ports,
            numbers: HashMap::new(),
        }
    }
}
