//! ## What it does
//! Finds images whose running stage runs as root — `USER root`/`USER 0`, or no
//! `USER` on a base image that runs as root — unless every deployment of the
//! image overrides it: a Kubernetes `securityContext` (`runAsNonRoot: true` or
//! a non-zero `runAsUser`) or a compose `user:` that is not root.
//!
//! ## Why it matters
//! A process running as root turns any code-execution bug into root in the
//! container, and a container escape into root on the node.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.9
//! COPY . /app
//! CMD ["python", "/app/main.py"]      # no USER: runs as root
//! ```
//!
//! ## How to fix
//! Create an unprivileged user and switch to it by uid
//! (`RUN useradd -u 10001 app` then `USER 10001`), or set
//! `securityContext.runAsUser`/`runAsNonRoot` in the pod.
use super::helpers::{effective, image_user, ImageUser};
use crate::model::Model;
use crate::finding::Finding;

meta!(
    "runs-as-root",
    Warning,
    "the image stage that runs runs as root and no orchestrator setting overrides it"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for (si, view_svc) in cx.services.iter().enumerate() {
        let Some(df) = view_svc.dockerfile.and_then(|d| cx.inv.dockerfiles.get(d)) else {
            continue;
        };
        let Some(stage) = df.runtime_stage() else { continue };
        // A scratch stage with no command carries files (a Wasm module): no
        // process, no user.
        if super::not_running::carries_files_only(df, stage) {
            continue;
        }
        // The fingerprint names the base's repository, not its tag: a tag
        // bump is the same finding for a baseline.
        let (loc, why, key) = match image_user(df.facts, stage) {
            ImageUser::Explicit(u) if u.value.is_root() => (
                u.loc.clone(),
                format!("USER {}", u.value.raw),
                format!("USER {}", u.value.raw),
            ),
            ImageUser::BaseDefault { root: true, from } => (
                from.loc.clone(),
                format!("no USER, and `{}` runs as root", from.value.raw),
                format!("base {}", from.value.repository),
            ),
            _ => continue,
        };
        // Every workload running the image must force a non-root user.
        let unprotected: Vec<_> = cx
            .containers_of(si)
            .into_iter()
            .filter(|v| !forces_non_root(v.container, v.workload.workload))
            .collect();
        let compose = cx.compose_services_of(si);
        let compose_unprotected: Vec<_> = compose
            .iter()
            .filter(|v| {
                v.compose
                    .service
                    .user
                    .as_ref()
                    .is_none_or(|u| u.value.is_root() || u.value.unresolved)
            })
            .collect();
        let contexts = view_svc.containers.len() + view_svc.compose.len();
        if contexts > 0 && unprotected.is_empty() && compose_unprotected.is_empty() {
            continue;
        }
        let mut f = Finding::new(
            META.id,
            META.severity,
            loc,
            format!("the image runs as root ({why})"),
        )
        .label("runs as root")
        .help("add `USER 10001` (a non-root uid) after installing packages")
        .service(Some(&view_svc.name))
        .with_key(key);
        for v in compose_unprotected.iter().take(3) {
            f = f.related(
                &v.compose.service.name.loc,
                format!("compose service `{}` sets no non-root `user:`", v.compose.service.name.value),
            );
        }
        for v in unprotected.iter().take(3) {
            f = f.related(
                &v.container.name.loc,
                format!(
                    "{} `{}` sets no runAsNonRoot or runAsUser",
                    v.workload.workload.kind, v.workload.workload.name.value
                ),
            );
        }
        out.push(f);
    }
}

fn forces_non_root(
    c: &seamcheck_facts::kube::Container,
    w: &seamcheck_facts::kube::Workload,
) -> bool {
    let (cs, ps) = (c.security.as_ref(), w.pod_security.as_ref());
    let uid = effective(cs, ps, |s| s.run_as_user.as_ref()).map(|u| u.value);
    let non_root = effective(cs, ps, |s| s.run_as_non_root.as_ref()).map(|b| b.value);
    match uid {
        Some(0) => false,
        Some(_) => true,
        None => non_root == Some(true),
    }
}
