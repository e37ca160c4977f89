//! ## What it does
//! Joins the pod's `securityContext` with the image's `USER`: finds containers
//! with `runAsNonRoot: true` and no `runAsUser` whose image user is a name
//! (`USER appuser`), root (`USER root`, uid 0), or absent on a base image that
//! runs as root.
//!
//! ## Why it matters
//! With `runAsNonRoot: true` and no `runAsUser`, the kubelet checks the image's
//! user before starting the container. It refuses uid 0, and it refuses any
//! non-numeric user because it cannot verify it ("image has non-numeric user,
//! cannot verify user is non-root"). The pod stays in
//! `CreateContainerConfigError`: the hardening meant to help takes the service down.
//!
//! ## Example
//! ```dockerfile
//! USER appuser
//! ```
//! ```yaml
//! securityContext:
//!   runAsNonRoot: true
//! ```
//!
//! ## How to fix
//! Use a numeric user in the image (`USER 10001`), or set `runAsUser: 10001`
//! in the pod or container `securityContext`.
use super::helpers::{effective, image_user, ImageUser};
use crate::model::Model;
use crate::finding::Finding;

meta!(
    "run-as-non-root-unverifiable",
    Error,
    "`runAsNonRoot` without `runAsUser` on an image whose user is a name or root: the pod never starts"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for view in cx.containers() {
        let (cs, ps) = (view.container.security.as_ref(), view.workload.workload.pod_security.as_ref());
        let Some(non_root) = effective(cs, ps, |s| s.run_as_non_root.as_ref()) else {
            continue;
        };
        if !non_root.value || effective(cs, ps, |s| s.run_as_user.as_ref()).is_some() {
            continue;
        }
        let Some(df) = view.service.dockerfile.and_then(|d| cx.inv.dockerfiles.get(d)) else {
            continue;
        };
        let Some(stage) = df.runtime_stage() else { continue };
        let (why, evidence, loc) = match image_user(df.facts, stage) {
            ImageUser::Explicit(u) if u.value.unresolved => continue,
            ImageUser::Explicit(u) if u.value.is_root() => (
                "the image runs as root".to_string(),
                format!("USER {}", u.value.raw),
                u.loc.clone(),
            ),
            ImageUser::Explicit(u) if u.value.uid.is_none() => (
                format!("the image user `{}` is a name the kubelet cannot verify", u.value.user),
                format!("USER {}", u.value.raw),
                u.loc.clone(),
            ),
            ImageUser::BaseDefault { root: true, from } => (
                "the image runs as root".to_string(),
                format!("no USER, and `{}` runs as root", from.value.raw),
                from.loc.clone(),
            ),
            _ => continue,
        };
        let mut f = Finding::new(
            META.id,
            META.severity,
            non_root.loc.clone(),
            format!(
                "runAsNonRoot without runAsUser but {why}: container `{}` never starts",
                view.container.name.value
            ),
        )
        .label("the kubelet refuses to start the container")
        .help("set runAsUser to a non-zero uid, or use a numeric USER in the image")
        .service(Some(&view.service.name))
        .related(&loc, evidence);
        f.key = format!("{}|{why}", view.container.name.value);
        out.push(f);
    }
}
