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
use super::Ctx;
use crate::finding::Finding;
use crate::model::verdict::TargetVerdict;
use seamcheck_facts::PortRef;

meta!(
    "service-target-port-mismatch",
    Error,
    "a Service `targetPort` resolves to no port of the selected pods, or not to the app's port",
    "service_target_port_mismatch.rs"
);

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (si, svc_obj) in cx.inv.kube_services.iter().enumerate() {
        let selected = cx.selected_views(si);
        for (pi, sp) in svc_obj.service.ports.iter().enumerate() {
            // The model judged the target against every selected container.
            let (Some(verdict), Some(target)) = (cx.target_verdict(si, pi), sp.known_target())
            else {
                continue;
            };
            let how = if sp.target_port.is_some() { "targetPort" } else { "port (no targetPort)" };
            match *verdict {
                TargetVerdict::NoSuchName => {
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
                    for v in &selected {
                        for p in &v.container.ports {
                            if let Some(n) = &p.name {
                                f = f.related(&n.loc, format!("container port `{}`", n.value));
                            }
                        }
                    }
                    out.push(f);
                }
                TargetVerdict::Missed { number, first } => {
                    let Some(view) = selected.get(first) else { continue };
                    let Some(app) = view.runtime.and_then(|r| r.port.as_ref()) else {
                        continue;
                    };
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
                TargetVerdict::Reaches { .. } => {}
            }
        }
    }
}
