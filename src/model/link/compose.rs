//! Which Dockerfile builds the image of a compose service: its `build:`
//! (context + dockerfile, relative to the compose file), an explicit
//! `[[services]]` mapping, or its `image:` name ~ a Dockerfile directory.

use super::images::dockerfile_by_image_name;
use super::ServiceMapping;
use crate::inventory::{parent_dir, Inventory};
use crate::resolve::normalize_relative;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ComposeLink {
    /// Index into `Inventory::compose_services`.
    pub compose_service: usize,
    /// `build.target`: the stage that runs instead of the final one.
    pub target: Option<String>,
    /// The build context, relative to the audited root.
    pub context: Option<String>,
    pub evidence: String,
}

/// Every compose service whose image a Dockerfile of the scan builds.
pub fn link_compose(inv: &Inventory<'_>, mappings: &[ServiceMapping]) -> Vec<(usize, ComposeLink)> {
    let mut out = Vec::new();
    for (i, cs) in inv.compose_services.iter().enumerate() {
        let dir = parent_dir(cs.path);
        let name = &cs.service.name.value;
        let target = cs
            .service
            .build
            .as_ref()
            .and_then(|b| b.target.as_ref())
            .map(|t| t.value.clone());
        let by_config = mappings.iter().find(|m| m.compose.iter().any(|c| c == name)).and_then(|m| {
            let path = m.dockerfile.as_deref()?;
            let d = inv.dockerfile_at(path)?;
            Some((d, None, format!("`[[services]]` `{}` in the configuration links compose service `{name}` to `{path}`", m.name)))
        });
        let by_build = cs.service.build.as_ref().and_then(|b| {
            let context = b.context.as_ref().map_or(".", |c| c.value.as_str());
            // A remote context (git URL) is not in the scan.
            if context.contains("://") || context.starts_with("git@") {
                return None;
            }
            let context_dir = normalize_relative(&format!("{dir}/{context}"));
            let file = b
                .dockerfile
                .as_ref()
                .map_or("Dockerfile", |f| f.value.as_str());
            let path = normalize_relative(&format!("{context_dir}/{file}"));
            let d = inv.dockerfile_at(&path)?;
            Some((
                d,
                Some(context_dir),
                format!(
                    "compose service `{name}` builds `{path}` (`build:` in {})",
                    cs.path
                ),
            ))
        });
        let by_image = || {
            let image = cs.service.image.as_ref()?;
            dockerfile_by_image_name(inv, &image.value).map(|(d, ev)| (d, None, ev))
        };
        if let Some((d, context, evidence)) = by_config.or(by_build).or_else(by_image) {
            out.push((
                d,
                ComposeLink {
                    compose_service: i,
                    target,
                    context,
                    evidence,
                },
            ));
        }
    }
    out
}
