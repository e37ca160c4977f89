//! JVM application configuration: Spring Boot `application[-PROFILE].properties`
//! / `.yml` / `.yaml` (also Quarkus and Micronaut keys in the same files).
//! Flat formats: read with a small properties reader and saphyr's YAML event
//! parser, no grammar needed.

mod entries;
mod facts;
mod placeholders;
mod properties;
mod yaml;

use crate::{LanguageAnalyzer, LanguageOutput};
use seamcheck_facts::{FileKind, LineIndex};

/// Spring/Quarkus/Micronaut configuration files.
pub struct JvmConfigAnalyzer;

impl LanguageAnalyzer for JvmConfigAnalyzer {
    fn language(&self) -> &'static str {
        "jvm-config"
    }

    fn kind(&self) -> FileKind {
        FileKind::AppConfig
    }

    fn reads_file_name(&self, lower_file_name: &str) -> bool {
        split_name(lower_file_name).is_some()
    }

    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput {
        let mut output = LanguageOutput::default();
        let path = index.path();
        let name = path.rsplit('/').next().unwrap_or(path);
        let Some((profile, format)) = split_name(&name.to_ascii_lowercase()) else {
            return output;
        };
        // Profile names are case-sensitive: take it from the name as written.
        let start = "application-".len();
        let profile = profile.map(|p| {
            name.get(start..start + p.len())
                .map_or(p.clone(), str::to_string)
        });
        // Test configuration never runs in the image.
        if is_test_resource(path) {
            return output;
        }
        let entries = match format {
            Format::Properties => properties::read(text, index),
            Format::Yaml => {
                let read = yaml::read(text, index);
                output.problems.extend(read.problem);
                read.entries
            }
        };
        let facts = facts::build(&entries, profile.as_deref());
        let has_facts =
            !facts.listens.is_empty() || !facts.routes.is_empty() || !facts.apps.is_empty();
        if has_facts {
            output.facts = Some(facts);
        }
        output
    }
}

enum Format {
    Properties,
    Yaml,
}

/// `application.yml` -> (None, Yaml); `application-prod.properties` ->
/// (Some("prod"), Properties). `None` for other names (`bootstrap.yml`
/// configures Spring Cloud, not the server).
fn split_name(lower: &str) -> Option<(Option<String>, Format)> {
    let (stem, format) = if let Some(s) = lower.strip_suffix(".properties") {
        (s, Format::Properties)
    } else if let Some(s) = lower
        .strip_suffix(".yml")
        .or_else(|| lower.strip_suffix(".yaml"))
    {
        (s, Format::Yaml)
    } else {
        return None;
    };
    let rest = stem.strip_prefix("application")?;
    if rest.is_empty() {
        return Some((None, format));
    }
    let profile = rest.strip_prefix('-').filter(|p| !p.is_empty())?;
    Some((Some(profile.to_string()), format))
}

fn is_test_resource(path: &str) -> bool {
    let with_slash = format!("/{path}");
    with_slash.contains("/src/test/") || with_slash.contains("/src/integrationtest/")
}
