//! ## What it does
//! Checks that every readiness, liveness and startup probe (`httpGet`,
//! `tcpSocket`, `grpc`) aims at the port the container's app listens on, and
//! that a named probe port is a port the container defines.
//!
//! ## Why it matters
//! The kubelet connects to exactly that port. If nothing listens there the
//! probe fails with "connection refused": a readiness probe keeps the pod out
//! of every Service forever, a liveness probe restarts it in a loop.
//!
//! ## Example
//! ```yaml
//! readinessProbe:
//!   httpGet:
//!     path: /healthz
//!     port: 80            # the app listens on 8080
//! ```
//!
//! ## How to fix
//! Probe the port the app listens on. Naming the container port (`name: http`)
//! and probing `port: http` keeps the two from drifting apart again.
use super::helpers::port_number;
use crate::model::Model;
use crate::finding::Finding;
use seamcheck_facts::PortRef;

meta!(
    "probe-port-mismatch",
    Error,
    "a probe's port is not where the app listens, or names no port of the container"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for view in cx.containers() {
        let c = view.container;
        let app_port = view.runtime.and_then(|r| r.port.as_ref());
        for probe in [&c.readiness_probe, &c.liveness_probe, &c.startup_probe]
            .into_iter()
            .flatten()
        {
            let Some(port) = probe.action.port() else { continue };
            let field = probe.kind.field();
            let Some(number) = port_number(&port.value, &[c]) else {
                let declared: Vec<String> = c
                    .ports
                    .iter()
                    .filter_map(|p| p.name.as_ref().map(|n| format!("`{}`", n.value)))
                    .collect();
                let mut f = Finding::new(
                    META.id,
                    META.severity,
                    port.loc.clone(),
                    format!(
                        "{field} port `{}` names no port of container `{}`",
                        port.value, c.name.value
                    ),
                )
                .label("no container port has this name")
                .service(Some(&view.service.name));
                f = if declared.is_empty() {
                    f.help("name the container port (ports[].name) or probe a port number")
                } else {
                    f.help(format!("use one of the defined names: {}", declared.join(", ")))
                };
                for p in &c.ports {
                    if let Some(n) = &p.name {
                        f = f.related(&n.loc, format!("container port `{}`", n.value));
                    }
                }
                out.push(f);
                continue;
            };
            let Some(app) = app_port else { continue };
            let management = view.runtime.is_some_and(|r| r.management_ports.contains(&number));
            if number == app.value || management {
                continue;
            }
            let shown = match &port.value {
                PortRef::Number(n) => n.to_string(),
                PortRef::Name(name) => format!("`{name}` ({number})"),
            };
            let (loc, related) = super::helpers::where_the_fix_goes(
                &port.loc,
                format!("{field} port {shown}"),
                app.evidence(),
            );
            let mut f = Finding::new(
                META.id,
                META.severity,
                loc,
                format!(
                    "{field} port {shown} but the app listens on {}",
                    app.value
                ),
            )
            .label(format!("probes {number}"))
            .help(format!("probe port {}", app.value))
            .service(Some(&view.service.name));
            f.key = format!("{}|{field}|{number}|{}", c.name.value, app.value);
            f.related = related;
            out.push(f);
        }
    }
}
