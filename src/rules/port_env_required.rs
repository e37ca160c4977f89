//! ## What it does
//! Finds apps that read their port from an environment variable with no
//! default (`os.environ["PORT"]`, `-b 0.0.0.0:$PORT`) in a deployment context
//! where nothing sets that variable: not the image's `ENV`, not the
//! Kubernetes container's `env` (a container with `envFrom` may set anything,
//! so it is not reported).
//!
//! ## Why it matters
//! The process crashes at start (`KeyError: 'PORT'`) or binds a port nobody
//! chose, while the image `EXPOSE`s or the manifest declares a port that
//! promises otherwise. `docker run` of the image alone fails.
//!
//! ## Example
//! ```python
//! app.run(host="0.0.0.0", port=int(os.environ["PORT"]))   # no ENV PORT anywhere
//! ```
//!
//! ## How to fix
//! Give the variable a default in the code (`os.environ.get("PORT", "8080")`),
//! or set it in the image (`ENV PORT=8080`) or the orchestrator.
use crate::model::Model;
use crate::finding::Finding;

meta!(
    "port-env-required",
    Warning,
    "the app reads its port from an env var no layer of this deployment context sets"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for (i, svc) in cx.services.iter().enumerate() {
        // The image alone: only when EXPOSE promises a port.
        let promises = svc
            .dockerfile
            .and_then(|d| cx.inv.dockerfiles.get(d))
            .and_then(|d| d.image())
            .map(|img| img.expose().into_iter().find(|e| e.port.is_some()).map(|e| e.loc.clone()));
        if let (Some(rt), Some(Some(expose))) = (cx.image_runtime(i), promises) {
            if let Some(m) = &rt.missing_port_env {
                out.push(
                    Finding::new(
                        META.id,
                        META.severity,
                        m.loc.clone(),
                        format!(
                            "the port comes from `{}`, which the image does not set and has no default",
                            m.var
                        ),
                    )
                    .label(format!("reads ${} with no default", m.var))
                    .help(format!("add a default in the code, or `ENV {}=<port>` to the image", m.var))
                    .service(Some(&svc.name))
                    .related(&expose, "EXPOSE promises a port"),
                );
            }
        }
    }
    for view in cx.compose_services() {
        let Some(m) = view.runtime.and_then(|r| r.missing_port_env.as_ref()) else { continue };
        let name = &view.compose.service.name;
        let mut f = Finding::new(
            META.id,
            META.severity,
            m.loc.clone(),
            format!(
                "the port comes from `{}`, which neither the image nor compose service `{}` sets",
                m.var, name.value
            ),
        )
        .label(format!("reads ${} with no default", m.var))
        .help(format!("set `{}` in the service's environment, or give it a default", m.var))
        .service(Some(&view.service.name))
        .related(&name.loc, format!("compose service `{}` sets no `{}`", name.value, m.var));
        f.key = format!("{}|{}", m.var, view.compose.id());
        out.push(f);
    }
    for view in cx.containers() {
        let Some(m) = view.runtime.and_then(|r| r.missing_port_env.as_ref()) else { continue };
        let mut f = Finding::new(
            META.id,
            META.severity,
            m.loc.clone(),
            format!(
                "the port comes from `{}`, which neither the image nor {} `{}` sets",
                m.var, view.workload.workload.kind, view.workload.workload.name.value
            ),
        )
        .label(format!("reads ${} with no default", m.var))
        .help(format!("set `{}` in the container's env, or give it a default", m.var))
        .service(Some(&view.service.name))
        .related(&view.container.name.loc, format!("container `{}` sets no `{}`", view.container.name.value, m.var));
        f.key = format!("{}|{}", m.var, view.workload.id());
        out.push(f);
    }
}
