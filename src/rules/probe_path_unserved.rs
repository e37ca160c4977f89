//! ## What it does
//! Checks that the path of every `httpGet` probe is a route the container's app
//! serves, when seamcheck knows the app's routes (Flask and FastAPI routes,
//! blueprint and router prefixes included).
//!
//! ## Why it matters
//! A probe on a path the app does not serve gets 404 every time: the pod
//! never becomes ready, or a liveness probe restarts it in a loop.
//!
//! ## Example
//! ```yaml
//! readinessProbe:
//!   httpGet:
//!     path: /health       # the app serves /healthz
//!     port: 8080
//! ```
//!
//! ## How to fix
//! Probe a path the app serves, or add the health route to the app.
use super::routes::served_paths;
use crate::model::Model;
use crate::finding::Finding;
use seamcheck_facts::kube::ProbeAction;

meta!(
    "probe-path-unserved",
    Error,
    "an http probe path is not a route the app serves"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for view in cx.containers() {
        // The app's routes are known only when the image runs code seamcheck read.
        if view.runtime.is_none_or(|r| r.entry.is_none()) {
            continue;
        }
        let Some(served) = served_paths(cx.inv, view.service) else { continue };
        let c = view.container;
        for probe in [&c.readiness_probe, &c.liveness_probe, &c.startup_probe]
            .into_iter()
            .flatten()
        {
            let ProbeAction::HttpGet { path: Some(path), .. } = &probe.action else {
                continue;
            };
            let p = path.value.as_str();
            if served.may_serve(p) {
                continue;
            }
            let mut f = Finding::new(
                META.id,
                META.severity,
                path.loc.clone(),
                format!("{} path `{p}` is not a route the app serves", probe.kind.field()),
            )
            .label("no route serves this path")
            .help(format!("probe a served path: {}", served.known()))
            .service(Some(&view.service.name));
            f.key = format!("{}|{}|{p}", c.name.value, probe.kind.field());
            for r in served.routes.iter().take(5) {
                f = f.related(&r.path.loc, format!("route `{}`", r.path.value));
            }
            out.push(f);
        }
    }
}
