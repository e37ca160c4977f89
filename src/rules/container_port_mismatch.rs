//! ## What it does
//! Checks that a Kubernetes container's `containerPort`s include the port its
//! app listens on, resolved through the image's start command, the image ENV,
//! the container's `command`/`args`/`env` and the app's code.
//!
//! ## Why it matters
//! `containerPort` is what probes, Services (through named ports) and every
//! reader of the manifest take as the container's port. When it names a port
//! nothing listens on, the Service and the probes built on it point at nothing.
//!
//! ## Example
//! ```yaml
//! ports:
//!   - containerPort: 80     # the app listens on 8080
//! ```
//!
//! ## How to fix
//! Declare the port the app listens on (`containerPort: 8080`) and point probes
//! and Services at it, ideally through a port name.
use super::Ctx;
use crate::finding::Finding;

meta!(
    "container-port-mismatch",
    Error,
    "the `containerPort`s do not include the port the container's app listens on",
    "container_port_mismatch.rs"
);

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for view in cx.containers() {
        let Some(port) = view.runtime.and_then(|r| r.port.as_ref()) else {
            continue;
        };
        let ports = &view.container.ports;
        // The model judged the list (an unreadable containerPort, a
        // template, may be the right one: then it is not a mismatch).
        let Some(at) = view.ports.and_then(|v| v.mismatch) else {
            continue;
        };
        let Some(first) = ports.get(at) else { continue };
        let declared: Vec<String> = ports
            .iter()
            .map(|p| p.container_port.value.to_string())
            .collect();
        let mut f = Finding::new(
            META.id,
            META.severity,
            first.container_port.loc.clone(),
            format!(
                "containerPort {} but the app listens on {}",
                declared.join(", "),
                port.value
            ),
        )
        .label(format!("declares {}", declared.join(", ")))
        .help(format!("set containerPort: {}", port.value))
        .service(Some(&view.service.name));
        f.key = format!("{}|{}|{}", view.container.name.value, declared.join(","), port.value);
        f.related = port.evidence();
        out.push(f);
    }
}
