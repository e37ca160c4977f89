//! ## What it does
//! Finds images with no `HEALTHCHECK` when no Kubernetes readiness or liveness
//! probe of a workload running the image covers its health either.
//! `HEALTHCHECK NONE` is an explicit choice and is not reported.
//!
//! ## Why it matters
//! Without any health check, Docker, compose and Swarm report a hung app as
//! "running" and never restart it or hold traffic back.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12-slim
//! CMD ["gunicorn", "-b", "0.0.0.0:8080", "app:app"]    # no HEALTHCHECK, no probes
//! ```
//!
//! ## How to fix
//! Add a `HEALTHCHECK` with a tool the image contains (slim images have no
//! curl: use `python -c` with `urllib`), or probes in the orchestrator.
use crate::model::Model;
use crate::finding::Finding;

meta!(
    "missing-healthcheck",
    Note,
    "the image has no `HEALTHCHECK` and no orchestrator probe covers it"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for (si, svc) in cx.services.iter().enumerate() {
        let Some(image) = svc
            .dockerfile
            .and_then(|d| cx.inv.dockerfiles.get(d))
            .and_then(|d| d.image())
        else {
            continue;
        };
        let stage = image.stage();
        if image.healthcheck().is_some() {
            continue;
        }
        let probed = cx.containers_of(si).iter().any(|v| {
            v.container.readiness_probe.is_some() || v.container.liveness_probe.is_some()
        });
        if probed {
            continue;
        }
        out.push(
            Finding::new(
                META.id,
                META.severity,
                stage.from.loc.clone(),
                "the image has no HEALTHCHECK and no probe covers it".to_string(),
            )
            .label("no health check for this image")
            .help("add a HEALTHCHECK, or readiness/liveness probes where it is deployed")
            .service(Some(&svc.name)),
        );
    }
}
