//! ## What it does
//! Finds `EXPOSE $VAR` (or `${VAR}`) where no `ARG` or `ENV` of the stage
//! defines the variable. Also notes `EXPOSE HOST:CONTAINER` (the
//! `docker run -p` form, which BuildKit accepts): only the container port is
//! exposed, the host part is dropped.
//!
//! ## Why it matters
//! An undefined variable expands to nothing, so the instruction exposes no
//! port at all, silently; whoever reads the Dockerfile believes the opposite.
//! Likewise `EXPOSE 9000:8080` reads as a published port 9000, and publishes
//! nothing.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20-slim
//! EXPOSE $PORT        # no ARG PORT / ENV PORT before it
//! EXPOSE 9000:3000    # exposes 3000 only
//! ```
//!
//! ## How to fix
//! Define it first (`ARG PORT=3000` or `ENV PORT=3000`), or write the number;
//! write the container port alone and publish host ports where the container
//! runs (`docker run -p`, compose `ports`).
use crate::model::Model;
use crate::finding::Finding;

meta!(
    "expose-unresolved",
    Note,
    "`EXPOSE` of a variable no `ARG` or `ENV` of the stage defines: nothing is exposed"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for df in &cx.inv.dockerfiles {
        for stage in &df.facts.stages {
            for e in stage.expose.iter().filter(|e| e.port.is_none() && !e.unresolved_vars.is_empty()) {
                let vars: Vec<String> = e.unresolved_vars.iter().map(|v| format!("`{v}`")).collect();
                out.push(
                    Finding::new(
                        META.id,
                        META.severity,
                        e.loc.clone(),
                        format!("EXPOSE {} uses {} that nothing defines: no port is exposed", e.raw, vars.join(", ")),
                    )
                    .label("expands to nothing")
                    .help("define it with ARG or ENV before EXPOSE, or write the port number"),
                );
            }
        }
    }
    host_parts(cx, out);
}

/// `EXPOSE HOST:CONTAINER`: only the container port is exposed.
fn host_parts(cx: &Model, out: &mut Vec<Finding>) {
    let exposes = cx
        .inv
        .dockerfiles
        .iter()
        .flat_map(|d| &d.facts.stages)
        .flat_map(|stage| &stage.expose);
    for e in exposes {
        let (Some(host), Some(port)) = (&e.host_part, e.port) else {
            continue;
        };
        out.push(
            Finding::new(
                META.id,
                META.severity,
                e.loc.clone(),
                format!(
                    "EXPOSE {} exposes container port {port} only: an image cannot publish a host \
                     port, BuildKit drops `{host}`",
                    e.raw
                ),
            )
            .label(format!("exposes {port}"))
            .help(format!(
                "write `EXPOSE {port}` and publish the host port where the container runs \
                 (`docker run -p`, compose `ports`)"
            )),
        );
    }
}
