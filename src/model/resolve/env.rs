//! The environment a container starts with: image ENV, overridden by the
//! orchestrator. ARG is build-time only and never reaches the process.

// ENV that base images set and that decides a port (the .NET images listen
// on 8080 since .NET 8): the base-image table has it.
use crate::model::base_image::inherited_env;
use crate::model::image::ImageView;
use seamcheck_facts::kube::{ConfigMap, Container};
use seamcheck_facts::Location;
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct EnvEntry {
    pub name: String,
    /// `None`: set from a source seamcheck cannot read (`valueFrom`).
    pub value: Option<String>,
    pub loc: Location,
    /// "the Dockerfile ENV", "the Deployment env".
    pub layer: String,
}

#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// By name: the last layer to set a variable wins. A map, not a list
    /// searched on each set, which was quadratic in 200,000 ENV lines.
    entries: HashMap<String, EnvEntry>,
    /// `envFrom` names a ConfigMap or Secret: any variable may be set there.
    pub has_opaque_sources: bool,
}

impl Environment {
    pub fn from_image(image: &ImageView<'_>) -> Self {
        let mut env = Environment::default();
        let base = image.external_base();
        for &(name, value) in inherited_env(&base.value.repository, base.value.tag.as_deref()) {
            env.set(EnvEntry {
                name: name.to_string(),
                value: Some(value.to_string()),
                loc: base.loc.clone(),
                layer: format!("the base image `{}`", base.value.raw),
            });
        }
        for var in image.env() {
            env.set(EnvEntry {
                name: var.name.clone(),
                value: var.value.clone(),
                loc: var.loc.clone(),
                layer: "the Dockerfile ENV".to_string(),
            });
        }
        env
    }

    /// `envFrom` ConfigMaps of the scan, then `env` (which wins), over the
    /// image ENV. An `envFrom` source not in the scan (a Secret, a ConfigMap
    /// applied elsewhere) may set anything.
    pub fn override_with_container(
        &mut self,
        container: &Container,
        workload_kind: &str,
        config_maps: &[&ConfigMap],
    ) {
        for source in &container.env_from {
            match config_maps.iter().find(|c| c.name.value == source.value) {
                Some(cm) => {
                    for var in &cm.data {
                        self.set(EnvEntry {
                            name: var.name.clone(),
                            value: var.value.clone(),
                            loc: var.loc.clone(),
                            layer: format!("the ConfigMap `{}`", cm.name.value),
                        });
                    }
                }
                None => self.has_opaque_sources = true,
            }
        }
        for var in &container.env {
            self.set(EnvEntry {
                name: var.name.clone(),
                value: var.value.clone(),
                loc: var.loc.clone(),
                layer: format!("the {workload_kind} env"),
            });
        }
    }

    /// Compose: `env_file` entries, then `environment`, over the image ENV.
    /// Values are interpolated at compose time; a variable without a value
    /// (`- DEBUG`) comes from the shell and is unknown; an `env_file` that is
    /// not in the scan may set anything.
    pub fn override_with_compose(
        &mut self,
        inv: &crate::model::inventory::Inventory<'_>,
        cs: &crate::model::inventory::ComposeServiceRef<'_>,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) {
        let dir = crate::model::inventory::parent_dir(cs.path);
        let layer = format!("the compose service `{}`", cs.service.name.value);
        for file in &cs.service.env_files {
            let path =
                crate::model::resolve::normalize_relative(&format!("{dir}/{}", file.path.value));
            match inv.dotenvs.iter().find(|d| d.path == path) {
                Some(d) => {
                    for var in &d.file.dotenv {
                        self.set(EnvEntry {
                            name: var.name.clone(),
                            value: var.value.clone(),
                            loc: var.loc.clone(),
                            layer: format!("{layer} env_file `{path}`"),
                        });
                    }
                }
                None => self.has_opaque_sources = true,
            }
        }
        for var in &cs.service.environment {
            let value = var
                .value
                .as_deref()
                .and_then(|v| seamcheck_facts::compose::interpolate(v, lookup).ok());
            self.set(EnvEntry {
                name: var.name.clone(),
                value,
                loc: var.loc.clone(),
                layer: layer.clone(),
            });
        }
    }

    fn set(&mut self, entry: EnvEntry) {
        self.entries.insert(entry.name.clone(), entry);
    }

    pub fn get(&self, name: &str) -> Option<&EnvEntry> {
        self.entries.get(name)
    }
}
