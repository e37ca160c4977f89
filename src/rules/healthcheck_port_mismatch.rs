//! ## What it does
//! Checks that the Dockerfile `HEALTHCHECK` aims at the app: a URL that names
//! the container itself (`localhost`, `127.0.0.1`) must use the port the app
//! listens on, and a path the app serves (when its routes are known).
//!
//! ## Why it matters
//! The check runs inside the container. On the wrong port it gets "connection
//! refused", on the wrong path 404: Docker, compose and Swarm mark a healthy
//! container unhealthy, restart it, or hold back traffic and rollouts.
//!
//! ## Example
//! ```dockerfile
//! HEALTHCHECK CMD wget -qO- http://localhost:8080/health || exit 1
//! CMD ["gunicorn", "-b", "0.0.0.0:5000", "app:app"]
//! ```
//!
//! ## How to fix
//! Check the port and path the app serves: `http://localhost:5000/health`.
use super::helpers::is_self_host;
use super::routes::served_paths;
use super::Ctx;
use crate::finding::Finding;

meta!(
    "healthcheck-port-mismatch",
    Warning,
    "a dockerfile healthcheck targets a port or path the app does not serve",
    "healthcheck_port_mismatch.rs"
);

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (i, svc) in cx.services.iter().enumerate() {
        let Some(image) = svc.dockerfile.and_then(|d| cx.inv.dockerfiles.get(d)).and_then(|d| d.image()) else {
            continue;
        };
        let Some(hc) = image.healthcheck() else { continue };
        let Some(rt) = cx.image_runtime(i) else { continue };
        if !hc.host.as_deref().is_some_and(is_self_host) {
            continue;
        }
        if let (Some(app), Some(port)) = (&rt.port, &hc.port) {
            if port.value != app.value {
                let mut f = Finding::new(
                    META.id,
                    META.severity,
                    port.loc.clone(),
                    format!("HEALTHCHECK probes port {} but the app listens on {}", port.value, app.value),
                )
                .label(format!("checks {}", port.value))
                .help(format!("check port {}", app.value))
                .service(Some(&svc.name));
                f.related = app.evidence();
                out.push(f);
                continue;
            }
        }
        let Some(path) = &hc.path else { continue };
        if rt.entry.is_none() {
            continue;
        }
        let Some(served) = served_paths(cx.inv, svc) else { continue };
        if served.may_serve(&path.value) {
            continue;
        }
        out.push(
            Finding::new(
                META.id,
                META.severity,
                path.loc.clone(),
                format!("HEALTHCHECK path `{}` is not a route the app serves", path.value),
            )
            .label("no route serves this path")
            .help(format!("check a served path: {}", served.known()))
            .service(Some(&svc.name)),
        );
    }
}
