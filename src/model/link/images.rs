//! Which Dockerfile builds the image a container runs.

use super::{ContainerLink, ServiceMapping};
use crate::model::inventory::Inventory;

/// Every serving container of every workload, with the Dockerfile it is
/// linked to (or `None`).
pub fn link_containers(
    inv: &Inventory<'_>,
    mappings: &[ServiceMapping],
) -> Vec<(Option<usize>, ContainerLink)> {
    let mut out = Vec::new();
    let single = inv.dockerfiles.len() == 1 && inv.workloads.len() == 1;
    for (w, wl) in inv.workloads.iter().enumerate() {
        let only_container = wl.workload.containers.len() == 1;
        for (c, container) in wl.workload.containers.iter().enumerate() {
            let image = container.image.as_ref().map(|i| i.value.as_str());
            let by_config = dockerfile_by_mapping(inv, mappings, &wl.id())
                .or_else(|| image.and_then(|i| dockerfile_by_skaffold(inv, i)));
            let by_name = by_config.or_else(|| {
                image
                    .and_then(|i| dockerfile_by_image_name(inv, i))
                    .filter(|(d, _)| same_application_tree(inv, wl.path, *d))
            });
            let (dockerfile, evidence) = match by_name {
                Some((d, ev)) => (Some(d), ev),
                None if single && only_container => (
                    Some(0),
                    "the repository has one Dockerfile and one workload".to_string(),
                ),
                None => (
                    None,
                    "image not built by a Dockerfile in the scan".to_string(),
                ),
            };
            out.push((
                dockerfile,
                ContainerLink {
                    workload: w,
                    container: c,
                    evidence,
                },
            ));
        }
    }
    out
}

/// A skaffold artifact builds the image: its context and Dockerfile.
fn dockerfile_by_skaffold(inv: &Inventory<'_>, image: &str) -> Option<(usize, String)> {
    let (repository, _) = split_image_tag(image);
    let (skaffold_path, artifact) = inv
        .skaffold
        .iter()
        .find(|(_, a)| a.image.value == repository)?;
    let dir = crate::model::inventory::parent_dir(skaffold_path);
    let context = artifact.context.as_deref().unwrap_or(".");
    let file = artifact.dockerfile.as_deref().unwrap_or("Dockerfile");
    let path = crate::model::resolve::normalize_relative(&format!("{dir}/{context}/{file}"));
    let d = inv.dockerfile_at(&path)?;
    Some((
        d,
        format!("{skaffold_path} builds image `{repository}` from `{path}`"),
    ))
}

/// A link by image name alone joins a manifest and a Dockerfile of the same
/// application: their nearest common directory is the root (a `src/` +
/// `deploy/` layout), the manifest's directory or its parent (`app/k8s/`
/// beside `app/Dockerfile`). Two trees that meet only in a shared folder
/// further up (`ai-ml/a/k8s/` and `ai-ml/b/server/`) are two applications of
/// a samples monorepo that happen to reuse a directory name. A Dockerfile in
/// a directory above the manifest is its application's at any depth
/// (`orders/Dockerfile` and the overlay `orders/deploy/overlays/prod/`).
fn same_application_tree(inv: &Inventory<'_>, manifest: &str, dockerfile: usize) -> bool {
    let Some(df) = inv.dockerfiles.get(dockerfile) else {
        return false;
    };
    let manifest_dir: Vec<&str> = crate::model::inventory::parent_dir(manifest)
        .split('/')
        .filter(|c| !c.is_empty())
        .collect();
    let df_dir: Vec<&str> = df.dir.split('/').filter(|c| !c.is_empty()).collect();
    let common = manifest_dir
        .iter()
        .zip(&df_dir)
        .take_while(|(a, b)| a == b)
        .count();
    common == 0 || common == df_dir.len() || manifest_dir.len() - common <= 1
}

/// `[[services]]` in `.seamcheck.toml` names the workload and its Dockerfile.
fn dockerfile_by_mapping(
    inv: &Inventory<'_>,
    mappings: &[ServiceMapping],
    workload_id: &str,
) -> Option<(usize, String)> {
    let m = mappings
        .iter()
        .find(|m| m.workloads.iter().any(|w| w == workload_id))?;
    let path = m.dockerfile.as_deref()?;
    let d = inv.dockerfile_at(path)?;
    Some((
        d,
        format!(
            "`[[services]]` `{}` in the configuration links `{workload_id}` to `{path}`",
            m.name
        ),
    ))
}

/// `registry/shop/inventory:2.3` ~ `services/inventory/Dockerfile`. Only an
/// unambiguous match links.
pub(super) fn dockerfile_by_image_name(
    inv: &Inventory<'_>,
    image: &str,
) -> Option<(usize, String)> {
    let repo = image_repository_name(image)?;
    let matches = inv.dockerfiles_in_dirs_named(repo);
    match matches {
        [one] => Some((
            *one,
            format!("image name `{image}` matches the Dockerfile's directory `{repo}/`"),
        )),
        _ => None,
    }
}

/// Containers whose image name matches the directory of several Dockerfiles:
/// seamcheck links none of them and says so, with the candidates.
pub fn ambiguous_links(inv: &Inventory<'_>) -> Vec<super::LinkNote> {
    let mut out = Vec::new();
    for wl in &inv.workloads {
        for c in &wl.workload.containers {
            let Some(image) = &c.image else { continue };
            let Some(repo) = image_repository_name(&image.value) else {
                continue;
            };
            let candidates = inv.dockerfiles_in_dirs_named(repo);
            if candidates.len() < 2 {
                continue;
            }
            let paths: Vec<String> = candidates
                .iter()
                .filter_map(|&d| inv.dockerfiles.get(d))
                .map(|d| format!("`{}`", d.path))
                .collect();
            out.push(super::LinkNote {
                path: image.loc.path.to_string(),
                line: image.loc.line,
                column: image.loc.column,
                message: format!(
                    "image `{}` of {} `{}` could be built by {}: not linked (name its Dockerfile in `[[services]]`)",
                    image.value,
                    wl.workload.kind,
                    wl.workload.name.value,
                    paths.join(" or ")
                ),
            });
        }
    }
    out
}

/// The last path segment of an image reference, without tag or digest.
pub fn image_repository_name(image: &str) -> Option<&str> {
    let without_digest = image.split('@').next()?;
    let last = without_digest.rsplit('/').next()?;
    let name = last.split(':').next()?;
    (!name.is_empty()).then_some(name)
}

/// `python:3.9` -> (`python`, Some(`3.9`)); handles registries with ports.
pub fn split_image_tag(image: &str) -> (&str, Option<&str>) {
    let without_digest = image.split('@').next().unwrap_or(image);
    let slash = without_digest.rfind('/').map_or(0, |i| i + 1);
    match without_digest[slash..].find(':') {
        Some(colon) => (
            &without_digest[..slash + colon],
            Some(&without_digest[slash + colon + 1..]),
        ),
        None => (without_digest, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_names() {
        assert_eq!(
            image_repository_name("registry:5000/shop/inventory:2.3"),
            Some("inventory")
        );
        assert_eq!(image_repository_name("sre-app"), Some("sre-app"));
        assert_eq!(image_repository_name("nginx@sha256:abc"), Some("nginx"));
    }

    #[test]
    fn tags() {
        assert_eq!(
            split_image_tag("registry:5000/app"),
            ("registry:5000/app", None)
        );
        assert_eq!(
            split_image_tag("sre-candidate:latest"),
            ("sre-candidate", Some("latest"))
        );
        assert_eq!(split_image_tag("a/b:1@sha256:ff"), ("a/b", Some("1")));
    }
}
