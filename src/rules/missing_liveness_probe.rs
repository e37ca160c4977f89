//! ## What it does
//! Finds long-running containers (not Jobs or CronJobs, not init containers)
//! without a liveness probe.
//!
//! ## Why it matters
//! A process that deadlocks or hangs without exiting is never restarted: the
//! pod stays Running and, if its readiness probe fails, simply out of service
//! until someone notices.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: api
//!     readinessProbe: {httpGet: {path: /healthz, port: 8080}}   # no livenessProbe
//! ```
//!
//! ## How to fix
//! Add a `livenessProbe` that checks only the process itself (not its
//! dependencies), with a generous `failureThreshold`.
use crate::model::Model;
use crate::finding::Finding;

meta!(
    "missing-liveness-probe",
    Warning,
    "container without a liveness probe"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for view in cx.containers() {
        if view.workload.is_batch() || view.container.liveness_probe.is_some() {
            continue;
        }
        let mut f = Finding::new(
            META.id,
            META.severity,
            view.container.name.loc.clone(),
            format!("container `{}` has no livenessProbe", view.container.name.value),
        )
        .label("no livenessProbe")
        .help("add a livenessProbe that checks the process itself")
        .service(Some(&view.service.name));
        f.key = format!("{}|{}", view.workload.id(), view.container.name.value);
        out.push(f);
    }
}
