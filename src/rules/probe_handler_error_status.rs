//! ## What it does
//! Finds `httpGet` probes whose path is served by a handler that answers a
//! 4xx/5xx status on every return path seamcheck can see (`return "x", 500`,
//! `abort(503)`, `JSONResponse(status_code=500)`).
//!
//! ## Why it matters
//! The kubelet counts only 200–399 as success. A health handler that always
//! answers 500 keeps the pod out of the Service (readiness) or restarts it
//! forever (liveness), and no port check will show why.
//!
//! ## Example
//! ```python
//! @app.route("/healthz")
//! def health():
//!     return "Unhealthy", 500
//! ```
//!
//! ## How to fix
//! Return 200 when the service is healthy; keep error statuses for real,
//! state-dependent failures.
use super::helpers::serving_routes;
use crate::model::Model;
use crate::finding::Finding;
use seamcheck_facts::kube::ProbeAction;

meta!(
    "probe-handler-error-status",
    Error,
    "the handler of a probed path always answers a 4xx/5xx status"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for view in cx.containers() {
        if view.runtime.is_none_or(|r| r.entry.is_none()) {
            continue;
        }
        let routes: Vec<_> = view
            .service
            .sources
            .iter()
            .filter_map(|&i| cx.inv.sources.get(i))
            .flat_map(|s| s.facts.routes.iter())
            .collect();
        let c = view.container;
        for probe in [&c.readiness_probe, &c.liveness_probe, &c.startup_probe]
            .into_iter()
            .flatten()
        {
            let ProbeAction::HttpGet { path: Some(path), .. } = &probe.action else {
                continue;
            };
            let serving = serving_routes(routes.iter().copied(), &path.value);
            // Two handlers could serve it (methods, shadowing): only a sure answer counts.
            let [route] = serving.as_slice() else { continue };
            let Some(ret) = route.constant_error_status() else { continue };
            let status = ret.status.unwrap_or_default();
            let mut f = Finding::new(
                META.id,
                META.severity,
                ret.loc.clone(),
                format!(
                    "handler `{}` of probed path `{}` always answers {status}, so the {} never passes",
                    route.handler.value,
                    path.value,
                    probe.kind.field()
                ),
            )
            .label(format!("answers {status}"))
            .help("return 200 when healthy")
            .service(Some(&view.service.name))
            .related(&path.loc, format!("{} probes `{}`", probe.kind.field(), path.value));
            f.key = format!("{}|{}|{status}", route.handler.value, path.value);
            for other in route.returns.iter().skip(1) {
                f = f.related(&other.loc, format!("also answers {}", other.status.unwrap_or_default()));
            }
            out.push(f);
        }
    }
}
