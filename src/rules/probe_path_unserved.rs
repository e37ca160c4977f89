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
use super::helpers::serving_routes;
use super::Ctx;
use crate::finding::Finding;
use seamcheck_facts::kube::ProbeAction;

meta!(
    "probe-path-unserved",
    Error,
    "an http probe path is not a route the app serves",
    "probe_path_unserved.rs"
);

/// Paths a framework serves without a route in the code.
fn served_by_framework(framework: &str, path: &str) -> bool {
    match framework {
        "flask" => path.starts_with("/static/"),
        "fastapi" => matches!(path, "/docs" | "/redoc" | "/openapi.json" | "/docs/oauth2-redirect"),
        _ => false,
    }
}

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for view in cx.containers() {
        let sources: Vec<_> = view
            .service
            .sources
            .iter()
            .filter_map(|&i| cx.inv.sources.get(i))
            .collect();
        let routes: Vec<_> = sources.iter().flat_map(|s| s.facts.routes.iter()).collect();
        // The app's routes are known only when the image runs code seamcheck read.
        let runs_known_code = view.runtime.is_some_and(|r| r.entry.is_some());
        if routes.is_empty() || !runs_known_code {
            continue;
        }
        // Blueprints/routers registered from another file may add a prefix
        // seamcheck did not see: then a suffix match is not a finding.
        let has_mounted_parts = sources.iter().any(|s| {
            s.facts
                .apps
                .iter()
                .any(|a| a.framework == "blueprint" || a.framework == "apirouter")
        });
        let frameworks: Vec<&str> = sources
            .iter()
            .flat_map(|s| s.facts.apps.iter().map(|a| a.framework.as_str()))
            .collect();
        let c = view.container;
        for probe in [&c.readiness_probe, &c.liveness_probe, &c.startup_probe]
            .into_iter()
            .flatten()
        {
            let ProbeAction::HttpGet { path: Some(path), .. } = &probe.action else {
                continue;
            };
            let p = path.value.as_str();
            if !serving_routes(routes.iter().copied(), p).is_empty()
                || frameworks.iter().any(|f| served_by_framework(f, p))
            {
                continue;
            }
            if has_mounted_parts
                && routes
                    .iter()
                    .any(|r| p.trim_end_matches('/').ends_with(r.path.value.trim_end_matches('/')))
            {
                continue;
            }
            let mut known: Vec<String> = routes.iter().map(|r| format!("`{}`", r.path.value)).collect();
            known.sort();
            known.dedup();
            let mut f = Finding::new(
                META.id,
                META.severity,
                path.loc.clone(),
                format!("{} path `{p}` is not a route the app serves", probe.kind.field()),
            )
            .label("no route serves this path")
            .help(format!("probe a served path: {}", known.join(", ")))
            .service(Some(&view.service.name));
            f.key = format!("{}|{}|{p}", c.name.value, probe.kind.field());
            for r in routes.iter().take(5) {
                f = f.related(&r.path.loc, format!("route `{}`", r.path.value));
            }
            out.push(f);
        }
    }
}
