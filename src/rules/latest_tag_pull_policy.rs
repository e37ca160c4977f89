//! ## What it does
//! Finds containers whose image is `:latest` or untagged (no digest) without an
//! explicit `imagePullPolicy: Always`.
//!
//! ## Why it matters
//! `latest` says nothing about which build runs. With `IfNotPresent` or
//! `Never`, each node keeps whatever `latest` it pulled first, so pods of one
//! Deployment run different code; relying on the implicit default hides the
//! same drift as soon as someone adds a tag policy. Rollbacks are impossible
//! because there is no older tag to go back to.
//!
//! ## Example
//! ```yaml
//! image: sre-candidate:latest     # no imagePullPolicy
//! ```
//!
//! ## How to fix
//! Pin a version tag or a digest (`image: registry/app:1.4.2`); if you must
//! track `latest`, set `imagePullPolicy: Always`.
use crate::model::Model;
use crate::finding::Finding;
use crate::model::link::split_image_tag;

meta!(
    "latest-tag-pull-policy",
    Warning,
    "an image `:latest` or untagged without `imagePullPolicy: Always`"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for (wi, w) in cx.inv.workloads.iter().enumerate() {
        let service = cx.service_of(wi).map(|s| s.name.as_str());
        for c in w.workload.containers.iter().chain(&w.workload.init_containers) {
            let Some(image) = &c.image else { continue };
            if image.value.contains('@') || image.value.contains("${") || image.value.contains("{{") {
                continue;
            }
            let (repository, tag) = split_image_tag(&image.value);
            if !matches!(tag, None | Some("latest")) {
                continue;
            }
            // Built from this repository by skaffold or compose: the tool
            // sets the tag when it deploys.
            if super::not_running::built_and_tagged_at_deploy(cx, repository) {
                continue;
            }
            let policy = c.image_pull_policy.as_ref();
            if policy.is_some_and(|p| p.value == "Always") {
                continue;
            }
            let what = if tag.is_none() { "untagged" } else { "`:latest`" };
            let (loc, message) = match policy {
                Some(p) => (
                    p.loc.clone(),
                    format!(
                        "image `{}` is {what} but imagePullPolicy is {}: nodes keep a stale image",
                        image.value, p.value
                    ),
                ),
                None => (
                    image.loc.clone(),
                    format!(
                        "image `{}` is {what} with no imagePullPolicy: which build runs is unknown",
                        image.value
                    ),
                ),
            };
            let mut f = Finding::new(META.id, META.severity, loc, message)
                .label(format!("{what} image"))
                .help("pin a version tag or digest, or set imagePullPolicy: Always")
                .service(service);
            if policy.is_some() {
                f = f.related(&image.loc, format!("image `{}`", image.value));
            }
            f.key = format!("{}|{}|{}", c.name.value, image.value, policy.map_or("", |p| p.value.as_str()));
            out.push(f);
        }
    }
}
