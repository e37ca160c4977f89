//! ## What it does
//! Checks that the container side of a compose service's `ports`
//! (`"8080:80"` → 80) and `expose` includes the port its app listens on,
//! resolved through the image, the `build.target` stage that runs, the
//! service's `command`/`entrypoint`/`environment` and `.env` interpolation.
//!
//! ## Why it matters
//! Compose forwards the published host port to exactly that container port.
//! If the app listens elsewhere, `localhost:8080` on the host answers
//! "connection reset" and the other services reach nothing either.
//!
//! ## Example
//! ```yaml
//! services:
//!   api:
//!     build: ./api
//!     ports: ["8080:80"]     # the app listens on 8000
//! ```
//!
//! ## How to fix
//! Publish the port the app listens on (`"8080:8000"`), or make the app listen
//! on the container port.
use super::Ctx;
use crate::finding::Finding;

meta!(
    "compose-port-mismatch",
    Error,
    "the container side of compose `ports`/`expose` is not where the app listens",
    "compose_port_mismatch.rs"
);

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for view in cx.compose_services() {
        let s = view.compose.service;
        let Some(app) = view.runtime.and_then(|r| r.port.as_ref()) else {
            continue;
        };
        // The model judged the list (`network_mode: host` ignores `ports`;
        // an unreadable port may be the right one).
        let Some(at) = view.ports.and_then(|v| v.mismatch) else {
            continue;
        };
        let specs: Vec<_> = s
            .ports
            .iter()
            .map(|p| &p.container)
            .chain(s.expose.iter().map(|e| &e.port))
            .collect();
        let Some(first) = specs.get(at) else { continue };
        let shown: Vec<String> = specs.iter().map(|p| p.raw.clone()).collect();
        let mut f = Finding::new(
            META.id,
            META.severity,
            first.loc.clone(),
            format!(
                "compose service `{}` sends container port {} but the app listens on {}",
                s.name.value,
                shown.join(", "),
                app.value
            ),
        )
        .label(format!("container port {}", shown.join(", ")))
        .help(format!("use {} as the container side", app.value))
        .service(Some(&view.service.name));
        f.related = app.evidence();
        f.key = format!("{}|{}|{}", s.name.value, shown.join(","), app.value);
        out.push(f);
    }
}
