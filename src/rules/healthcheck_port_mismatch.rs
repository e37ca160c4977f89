//! ## What it does
//! Checks that a Dockerfile `HEALTHCHECK` or a compose `healthcheck` aims at
//! the app: a URL that names the container itself (`localhost`, `127.0.0.1`,
//! and for compose the service's own name, `container_name` or `hostname`)
//! must use the port the app listens on in that context, and a path the app
//! serves (when its routes are known).
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
use super::routes::{served_paths, ServedPaths};
use crate::model::Model;
use crate::finding::Finding;
use crate::model::resolve::Runtime;
use seamcheck_facts::dockerfile::HealthcheckFact;

meta!(
    "healthcheck-port-mismatch",
    Warning,
    "a Dockerfile or compose healthcheck targets a port or path the app does not serve"
);

struct Check<'x> {
    hc: &'x HealthcheckFact,
    /// "HEALTHCHECK" or "compose healthcheck of `web`".
    what: String,
    /// Host names that reach the container itself besides loopback.
    self_names: Vec<&'x str>,
}

fn check_one(c: &Check<'_>, rt: &Runtime<'_>, served: Option<&ServedPaths<'_>>, service: &str, out: &mut Vec<Finding>) {
    let host = c.hc.host.as_deref();
    if !host.is_some_and(|h| is_self_host(h) || c.self_names.contains(&h)) {
        return;
    }
    if let (Some(app), Some(port)) = (&rt.port, &c.hc.port) {
        if port.value != app.value {
            let mut f = Finding::new(
                META.id,
                META.severity,
                port.loc.clone(),
                format!("{} probes port {} but the app listens on {}", c.what, port.value, app.value),
            )
            .label(format!("checks {}", port.value))
            .help(format!("check port {}", app.value))
            .service(Some(service));
            f.related = app.evidence();
            out.push(f);
            return;
        }
    }
    let (Some(path), Some(served)) = (&c.hc.path, served) else { return };
    if rt.entry.is_none() || served.may_serve(&path.value) {
        return;
    }
    out.push(
        Finding::new(
            META.id,
            META.severity,
            path.loc.clone(),
            format!("{} path `{}` is not a route the app serves", c.what, path.value),
        )
        .label("no route serves this path")
        .help(format!("check a served path: {}", served.known()))
        .service(Some(service)),
    );
}

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for (i, svc) in cx.services.iter().enumerate() {
        let served = served_paths(cx.inv, svc);
        let Some(image) = svc.dockerfile.and_then(|d| cx.inv.dockerfiles.get(d)).and_then(|d| d.image()) else {
            continue;
        };
        if let (Some(hc), Some(rt)) = (image.healthcheck(), cx.image_runtime(i)) {
            let c = Check { hc, what: "HEALTHCHECK".to_string(), self_names: Vec::new() };
            check_one(&c, rt, served.as_ref(), &svc.name, out);
        }
    }
    for view in cx.compose_services() {
        let s = view.compose.service;
        let (Some(hc), Some(rt)) = (s.healthcheck.as_ref().and_then(|h| h.test.as_ref()), view.runtime) else {
            continue;
        };
        let mut self_names = vec![s.name.value.as_str()];
        self_names.extend(s.container_name.as_ref().map(|n| n.value.as_str()));
        self_names.extend(s.hostname.as_ref().map(|n| n.value.as_str()));
        let c = Check {
            hc,
            what: format!("the compose healthcheck of `{}`", s.name.value),
            self_names,
        };
        let served = served_paths(cx.inv, view.service);
        check_one(&c, rt, served.as_ref(), &view.service.name, out);
    }
}
