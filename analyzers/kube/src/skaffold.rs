//! `apiVersion: skaffold/*`, `kind: Config`: the build artifacts, which say
//! which directory (and Dockerfile) builds which image of the manifests.

use crate::yaml::{field, path, sequence, text, Node};
use seamcheck_facts::kube::SkaffoldArtifact;
use seamcheck_yaml::SourceMap;

pub(crate) fn extract(object: &Node<'_>, src: &SourceMap<'_>) -> Vec<SkaffoldArtifact> {
    let Some(artifacts) = path(object, &["build", "artifacts"]) else {
        return Vec::new();
    };
    let word = |node: &Node<'_>, key: &str| {
        field(node, key)
            .and_then(|e| text(e.value))
            .map(str::to_string)
    };
    sequence(artifacts)
        .iter()
        .filter_map(|a| {
            let image = field(a, "image")?;
            let name = text(image.value)?;
            let docker = field(a, "docker").map(|d| d.value);
            Some(SkaffoldArtifact {
                image: src.located(name.to_string(), image.value),
                context: word(a, "context"),
                dockerfile: docker.and_then(|d| word(d, "dockerfile")),
                target: docker.and_then(|d| word(d, "target")),
            })
        })
        .collect()
}
