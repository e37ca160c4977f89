//! ## What it does
//! Finds serving containers without a readiness probe. A container serves when
//! it declares a port, a Service selects its pods, or its app is known to
//! listen. Jobs and CronJobs are not serving.
//!
//! ## Why it matters
//! Without a readiness probe a pod receives traffic as soon as its process
//! starts, before the app listens, and keeps receiving it when the app can no
//! longer answer: every rollout and every hiccup becomes user-facing errors.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: api
//!     ports: [{containerPort: 8080}]     # no readinessProbe
//! ```
//!
//! ## How to fix
//! Add a `readinessProbe` on the app's health endpoint and port.
use crate::model::Model;
use crate::finding::Finding;

meta!(
    "missing-readiness-probe",
    Warning,
    "serving container without a readiness probe"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for view in cx.containers() {
        if view.workload.is_batch() || view.container.readiness_probe.is_some() {
            continue;
        }
        let selected = !cx.selecting(view.link.workload).is_empty();
        let listens = view.runtime.is_some_and(|r| r.port.is_some());
        if view.container.ports.is_empty() && !selected && !listens {
            continue;
        }
        let mut f = Finding::new(
            META.id,
            META.severity,
            view.container.name.loc.clone(),
            format!("container `{}` serves traffic but has no readinessProbe", view.container.name.value),
        )
        .label("no readinessProbe")
        .help("add a readinessProbe on the app's health endpoint")
        .service(Some(&view.service.name));
        f.key = format!("{}|{}", view.workload.id(), view.container.name.value);
        out.push(f);
    }
}
