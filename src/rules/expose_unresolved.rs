//! ## What it does
//! Finds `EXPOSE $VAR` (or `${VAR}`) where no `ARG` or `ENV` of the stage
//! defines the variable.
//!
//! ## Why it matters
//! An undefined variable expands to nothing, so the instruction exposes no
//! port at all, silently; whoever reads the Dockerfile believes the opposite.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20-slim
//! EXPOSE $PORT        # no ARG PORT / ENV PORT before it
//! ```
//!
//! ## How to fix
//! Define it first (`ARG PORT=3000` or `ENV PORT=3000`), or write the number.
use crate::model::Model;
use crate::finding::Finding;

meta!(
    "expose-unresolved",
    Note,
    "`EXPOSE` of a variable no `ARG` or `ENV` of the stage defines: nothing is exposed",
    "expose_unresolved.rs"
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
}
