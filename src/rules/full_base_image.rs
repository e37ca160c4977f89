//! ## What it does
//! Finds a final stage built on the full variant of an official image that has
//! a slim variant (`python:3.9` rather than `python:3.9-slim`; also `node`,
//! `ruby`, `perl`, `debian`).
//!
//! ## Why it matters
//! The full images carry compilers, headers and hundreds of packages the app
//! never uses: several hundred MB more to pull on every node and every scale-up,
//! and a larger attack surface for scanners to report.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.9
//! ```
//!
//! ## How to fix
//! Use the slim variant (`FROM python:3.9-slim`), or build in a full stage and
//! copy the result into a slim final stage.
use crate::model::Model;
use crate::finding::Finding;

meta!(
    "full-base-image",
    Note,
    "the final stage uses a full image where a slim variant exists"
);

const HAVE_SLIM: &[&str] = &["python", "node", "ruby", "perl", "debian"];

/// Tags that already name a small variant.
fn is_small_variant(tag: &str) -> bool {
    ["slim", "alpine", "distroless", "minimal", "busybox"]
        .iter()
        .any(|v| tag.contains(v))
}

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for svc in cx.services {
        let Some(image) = svc
            .dockerfile
            .and_then(|d| cx.inv.dockerfiles.get(d))
            .and_then(|d| d.image())
        else {
            continue;
        };
        // `FROM base AS final` where `base` is `FROM python:3.9`: the full image runs.
        let from = image.external_base();
        let base = &from.value;
        let repo = base.repository.strip_prefix("docker.io/").unwrap_or(&base.repository);
        let repo = repo.strip_prefix("library/").unwrap_or(repo);
        if base.is_stage || !HAVE_SLIM.contains(&repo) {
            continue;
        }
        let tag = base.tag.as_deref().unwrap_or("latest");
        if is_small_variant(tag) || tag.contains('$') {
            continue;
        }
        let slim = if tag == "latest" {
            "slim".to_string()
        } else {
            format!("{tag}-slim")
        };
        // The fingerprint keeps the repository, not the tag: a tag bump
        // is the same finding for a baseline.
        let key = format!("{repo}|{}", base.is_stage);
        out.push(
            Finding::new(
                META.id,
                META.severity,
                from.loc.clone(),
                format!("the final stage uses the full `{}` image", base.raw),
            )
            .label("full image")
            .help(format!("use `{repo}:{slim}`"))
            .service(Some(&svc.name))
            .with_key(key),
        );
    }
}
