//! ## What it does
//! Finds apps that bind a loopback address (`127.0.0.1`, `localhost`, `::1`)
//! inside a container, whether written in the code, passed by the start
//! command, or left to a server default (gunicorn, uvicorn, `flask run` and
//! Flask's `app.run()` all default to `127.0.0.1`).
//!
//! ## Why it matters
//! Loopback inside a container is the container's own loopback: probes,
//! Services and published ports arrive on the pod's IP and get "connection
//! refused", while the app works perfectly when tried from inside.
//!
//! ## Example
//! ```dockerfile
//! CMD ["uvicorn", "main:app", "--port", "8000"]   # no --host: 127.0.0.1
//! ```
//!
//! ## How to fix
//! Bind all interfaces: `--host 0.0.0.0`, `-b 0.0.0.0:8000`,
//! `app.run(host="0.0.0.0")`.
use crate::model::Model;
use crate::finding::Finding;
use crate::model::resolve::is_loopback;

meta!(
    "localhost-bind",
    Error,
    "the app binds 127.0.0.1 or localhost inside a container"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for (i, svc) in cx.services.iter().enumerate() {
        if svc.dockerfile.is_none() {
            continue;
        }
        for rt in cx.runtimes_of(i) {
            let Some(host) = &rt.host else { continue };
            if !is_loopback(&host.value) {
                continue;
            }
            let mut f = Finding::new(
                META.id,
                META.severity,
                host.loc.clone(),
                format!(
                    "the app binds {} inside the container, unreachable for probes and Services",
                    host.value
                ),
            )
            .label(host.describe.clone())
            .help("bind 0.0.0.0 (all interfaces)")
            .service(Some(&svc.name));
            f.key = format!("{}|{}", host.value, host.describe);
            f.related = host.chain.clone();
            if let Some(cmd) = &rt.command_loc {
                if *cmd != host.loc {
                    f = f.related(cmd, "the start command that runs it");
                }
            }
            out.push(f);
        }
    }
}
