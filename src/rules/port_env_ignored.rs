//! ## What it does
//! Finds a layer that sets `PORT` (in the Dockerfile `ENV` or the Kubernetes
//! container `env`) to a value the app does not listen on, because the code or
//! the start command fixes the port and never reads the variable
//! (`app.run(port=5000)`, `gunicorn -b 0.0.0.0:8000`).
//!
//! ## Why it matters
//! Whoever reads the manifest believes the port is configurable and set; the
//! probes, Services and dashboards built from that belief aim at a port
//! nothing listens on. The next person who "changes the port" in the manifest
//! changes nothing.
//!
//! ## Example
//! ```dockerfile
//! ENV PORT=9000
//! CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]   # gunicorn ignores PORT when --bind is given
//! ```
//!
//! ## How to fix
//! Read the variable where the server starts (`-b 0.0.0.0:$PORT` in shell form,
//! `int(os.environ.get("PORT", 8000))`), or remove the variable.
use crate::model::Model;
use crate::finding::Finding;
use crate::model::resolve::Runtime;

meta!(
    "port-env-ignored",
    Warning,
    "a layer sets the port variable but the app never reads it and listens on a fixed port"
);

/// The variables that conventionally carry a service's port.
const PORT_VARS: &[&str] = &["PORT"];

fn check_runtime(rt: &Runtime<'_>, service: &str, out: &mut Vec<Finding>) {
    let Some(port) = &rt.port else { return };
    for var in PORT_VARS {
        if port.reads.as_deref() == Some(var) {
            continue;
        }
        let Some(entry) = rt.env.get(var) else { continue };
        let Some(value) = entry.value.as_deref().and_then(|v| v.trim().parse::<u16>().ok()) else {
            continue;
        };
        if value == port.value {
            continue;
        }
        let mut f = Finding::new(
            META.id,
            META.severity,
            entry.loc.clone(),
            format!(
                "{var}={value} is set by {} but the app ignores it and listens on {}",
                entry.layer, port.value
            ),
        )
        .label(format!("{var} is never read"))
        .help(format!("make the server read ${var}, or remove it"))
        .service(Some(service));
        f.related = port.evidence();
        f.key = format!("{var}|{value}|{}", port.value);
        out.push(f);
    }
}

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for (i, svc) in cx.services.iter().enumerate() {
        for rt in cx.runtimes_of(i) {
            check_runtime(rt, &svc.name, out);
        }
    }
}
