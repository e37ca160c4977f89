//! ## What it does
//! Finds containers without a CPU request, a memory request or a memory limit.
//! A CPU limit is not required: many teams leave it out on purpose to avoid
//! throttling.
//!
//! ## Why it matters
//! Without requests the scheduler packs pods blindly and they are the first
//! evicted under pressure; without a memory limit one leaking pod can take the
//! node's memory from every other pod.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: sre-app
//!     image: sre-app:1.0     # no resources
//! ```
//!
//! ## How to fix
//! ```yaml
//! resources:
//!   requests: {cpu: 100m, memory: 128Mi}
//!   limits: {memory: 256Mi}
//! ```
use super::helpers::and_list;
use crate::model::Model;
use crate::finding::Finding;

meta!(
    "missing-resources",
    Warning,
    "a container without CPU and memory requests, or without a memory limit"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for view in cx.containers() {
        let r = &view.container.resources;
        let mut missing = Vec::new();
        if r.requests_cpu.is_none() {
            missing.push("cpu request".to_string());
        }
        if r.requests_memory.is_none() {
            missing.push("memory request".to_string());
        }
        if r.limits_memory.is_none() {
            missing.push("memory limit".to_string());
        }
        if missing.is_empty() {
            continue;
        }
        let loc = r.loc.clone().unwrap_or_else(|| view.container.name.loc.clone());
        let mut f = Finding::new(
            META.id,
            META.severity,
            loc,
            format!(
                "container `{}` has no {}",
                view.container.name.value,
                and_list(&missing)
            ),
        )
        .label(format!("no {}", and_list(&missing)))
        .help("set resources.requests.cpu, resources.requests.memory and resources.limits.memory")
        .service(Some(&view.service.name));
        f.key = format!("{}|{}|{}", view.workload.id(), view.container.name.value, missing.join(","));
        out.push(f);
    }
}
