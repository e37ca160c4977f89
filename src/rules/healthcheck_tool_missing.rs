//! ## What it does
//! Finds health checks that run a program the image does not contain: a
//! Dockerfile `HEALTHCHECK` or a Kubernetes `exec` probe that calls `curl`,
//! `wget`, `nc` or `grpc_health_probe` in an image whose base lacks it
//! (`*-slim`, distroless, scratch, alpine for curl) and that no `RUN` installs
//! and no `COPY` brings in; or a shell-form check in an image with no shell.
//! Unknown base images are not reported.
//!
//! ## Why it matters
//! The check fails with "executable file not found" on every run: Docker marks
//! the container unhealthy, and an exec liveness probe restarts a perfectly
//! healthy pod forever.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12-slim
//! HEALTHCHECK CMD curl -f http://localhost:8000/healthz || exit 1
//! ```
//!
//! ## How to fix
//! Use what the image has (`python -c "import urllib.request; …"`), install the
//! tool (`apt-get install -y --no-install-recommends curl`), or copy a static
//! binary in (`COPY --from=… /bin/grpc_health_probe /bin/`).
use super::helpers::{base_has_tool, image_brings_tool};
use crate::model::Model;
use crate::finding::Finding;
use crate::model::image::ImageView;
use crate::model::inventory::base_name;
use seamcheck_facts::dockerfile::{CommandForm, HealthcheckFact};
use seamcheck_facts::kube::ProbeAction;
use seamcheck_facts::Location;

meta!(
    "healthcheck-tool-missing",
    Warning,
    "a healthcheck or exec probe runs a program the image does not contain"
);

/// The image lacks `tool`, for sure.
fn missing(image: &ImageView<'_>, tool: &str) -> bool {
    let base = &image.external_base().value;
    base_has_tool(&base.repository, base.tag.as_deref(), tool) == Some(false)
        && !image_brings_tool(image, tool)
}

fn finding(tool: &str, what: &str, loc: Location, image: &ImageView<'_>, service: &str) -> Finding {
    let base = image.external_base();
    Finding::new(
        META.id,
        META.severity,
        loc,
        format!("{what} runs `{tool}`, which the image `{}` does not contain", base.value.raw),
    )
    .label(format!("`{tool}` not found in the image"))
    .help(if tool == "sh" {
        "use the exec form with a program the image has".to_string()
    } else {
        format!("install `{tool}` in the image, or check health with a program it has")
    })
    .service(Some(service))
    .related(&base.loc, format!("based on `{}`", base.value.raw))
}

/// A Dockerfile HEALTHCHECK or a compose healthcheck test, in `image`.
fn check_healthcheck(hc: &HealthcheckFact, what: &str, image: &ImageView<'_>, service: &str, out: &mut Vec<Finding>) {
    let Some(cmd) = &hc.command else { return };
    if cmd.form == CommandForm::Shell && missing(image, "sh") {
        out.push(finding("sh", &format!("the shell-form {what}"), cmd.loc.clone(), image, service));
        return;
    }
    let (Some(tool), Some(word)) = (hc.tool.as_deref(), cmd.argv.first()) else { return };
    let tool = base_name(tool);
    if missing(image, tool) {
        let loc = cmd.argv.iter().find(|w| base_name(&w.value) == tool).map_or(&word.loc, |w| &w.loc);
        out.push(finding(tool, what, loc.clone(), image, service));
    }
}

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for view in cx.compose_services() {
        let s = view.compose.service;
        let Some(hc) = s.healthcheck.as_ref().and_then(|h| h.test.as_ref()) else { continue };
        let Some(image) = view
            .service
            .dockerfile
            .and_then(|d| cx.inv.dockerfiles.get(d))
            .and_then(|d| d.image_for(view.link.target.as_deref()))
        else {
            continue;
        };
        let what = format!("the compose healthcheck of `{}`", s.name.value);
        check_healthcheck(hc, &what, &image, &view.service.name, out);
    }
    for (si, svc) in cx.services.iter().enumerate() {
        let Some(image) = svc.dockerfile.and_then(|d| cx.inv.dockerfiles.get(d)).and_then(|d| d.image()) else {
            continue;
        };
        if let Some(hc) = image.healthcheck() {
            check_healthcheck(hc, "HEALTHCHECK", &image, &svc.name, out);
        }
        for view in cx.containers_of(si) {
            let c = view.container;
            for probe in [&c.readiness_probe, &c.liveness_probe, &c.startup_probe].into_iter().flatten() {
                let ProbeAction::Exec { command } = &probe.action else { continue };
                let argv = seamcheck_launch::unwrap_command(command);
                let Some(program) = argv.first() else { continue };
                let tool = base_name(&program.value);
                if missing(&image, tool) {
                    let mut f = finding(tool, &format!("the exec {}", probe.kind.field()), program.loc.clone(), &image, &svc.name);
                    f.key = format!("{}|{}|{tool}", c.name.value, probe.kind.field());
                    out.push(f);
                }
            }
        }
    }
}
