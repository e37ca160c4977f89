//! `.seamcheck.toml`: rule severities, excluded paths, explicit service links
//! and the suppression policy.
//!
//! The file is read with span-keeping TOML tables and checked key by key, so
//! that a typo is an error naming the key, its line, and the closest valid
//! key: a gate whose configuration silently does nothing is worse than none.

use crate::finding::Severity;
use crate::model::link::ServiceMapping;
use crate::rules::RULES;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::BTreeMap;
use std::path::Path;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The file looked for in the audited root when `--config` is not given.
pub const FILE_NAME: &str = ".seamcheck.toml";

/// What the configuration says about one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSetting {
    Off,
    Severity(Severity),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressionPolicy {
    /// Honour inline `seamcheck: ignore[…]` comments at all.
    pub allow: bool,
    /// Only honour those that give a reason after `--`.
    pub require_reason: bool,
}

impl Default for SuppressionPolicy {
    fn default() -> Self {
        SuppressionPolicy {
            allow: true,
            require_reason: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub rules: BTreeMap<String, RuleSetting>,
    /// Glob patterns, relative to the audited root.
    pub exclude: Vec<String>,
    /// `[paths] include-test-data`: audit test data too.
    pub include_test_data: bool,
    pub services: Vec<ServiceMapping>,
    pub suppressions: SuppressionPolicy,
    /// `[[charts]]`: extra Helm deployment contexts.
    pub charts: Vec<ChartValues>,
}

/// One `[[charts]]` entry: a chart rendered once more with these values
/// files (root-relative, later ones win), release name and namespace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartValues {
    pub path: String,
    pub values: Vec<String>,
    pub release: Option<String>,
    pub namespace: Option<String>,
    /// `FILE:LINE` of the entry, for errors found once the root is known.
    pub origin: String,
}

/// A configuration error: the message names the file, line and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

const TOP_KEYS: &[&str] = &["rules", "paths", "services", "suppressions", "charts"];
const CHART_KEYS: &[&str] = &["path", "values", "release", "namespace"];
const PATHS_KEYS: &[&str] = &["exclude", "include-test-data"];
const SERVICE_KEYS: &[&str] = &["name", "dockerfile", "workloads", "compose"];
const SUPPRESSION_KEYS: &[&str] = &["allow", "require-reason"];
const SETTINGS: &[&str] = &["off", "note", "warning", "error"];

/// Loads a configuration named on the command line (`--config`): a trusted
/// path, but still a regular file of at most `MAX_CONFIG_SIZE` bytes.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let origin = path.to_string_lossy();
    let bytes = crate::input::read_trusted(path, crate::input::MAX_CONFIG_SIZE)
        .map_err(|e| ConfigError(format!("{origin}: {}", read_error(&e))))?;
    parse_bytes(&bytes, &origin)
}

/// Loads `.seamcheck.toml` from the audited root, if there is one. It is
/// repository content: opened below the root without following a link, a
/// regular file of at most `MAX_CONFIG_SIZE` bytes.
pub fn load_in_root(root: &Path) -> Result<Option<Config>, ConfigError> {
    let base = crate::input::Base::new(root.to_path_buf());
    let origin = crate::input::Origin {
        base,
        inner: FILE_NAME.into(),
    };
    let shown = crate::discover::relative(Path::new(""), &origin.path());
    match origin.read(crate::input::MAX_CONFIG_SIZE) {
        Ok(bytes) => parse_bytes(&bytes, &shown).map(Some),
        Err(crate::input::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(crate::input::ReadError::Link) => Err(ConfigError(format!(
            "{shown}: a symbolic link; the configuration found in the audited directory \
             is not followed through links (name the file with --config to use it)"
        ))),
        Err(e) => Err(ConfigError(format!("{shown}: {}", read_error(&e)))),
    }
}

fn read_error(e: &crate::input::ReadError) -> String {
    match e {
        crate::input::ReadError::Io(e) => format!("cannot read: {e}"),
        e => format!("cannot read the configuration: {e}"),
    }
}

/// Parses bytes that should be UTF-8 TOML; invalid UTF-8 is an error that
/// quotes none of the file.
fn parse_bytes(bytes: &[u8], origin: &str) -> Result<Config, ConfigError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ConfigError(format!(
            "{origin}: not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    parse(text, origin)
}

/// Parses and checks a configuration; `origin` names it in errors.
pub fn parse(text: &str, origin: &str) -> Result<Config, ConfigError> {
    let at = |span: std::ops::Range<usize>, message: String| {
        let (line, column) = line_col(text, span.start);
        ConfigError(format!("{origin}:{line}:{column}: {message}"))
    };
    let doc = DeTable::parse(text).map_err(|e| {
        let message = e.message().trim_end_matches('.').to_string();
        match e.span() {
            Some(span) => at(span, format!("invalid TOML: {message}")),
            None => ConfigError(format!("{origin}: invalid TOML: {message}")),
        }
    })?;
    let mut config = Config::default();
    for (key, value) in doc.get_ref() {
        match key.get_ref().as_ref() {
            "rules" => read_rules(table(value, "rules", &at)?, &mut config, &at)?,
            "paths" => read_paths(table(value, "paths", &at)?, &mut config, &at)?,
            "services" => read_services(value, &mut config, &at)?,
            "charts" => {
                let line = |span: std::ops::Range<usize>| line_col(text, span.start).0;
                read_charts(value, &mut config, &at, origin, &line)?
            }
            "suppressions" => {
                read_suppressions(table(value, "suppressions", &at)?, &mut config, &at)?
            }
            other => return Err(at(key.span(), unknown("key", other, "", TOP_KEYS))),
        }
    }
    Ok(config)
}

type At<'a> = dyn Fn(std::ops::Range<usize>, String) -> ConfigError + 'a;

fn table<'a, 'i>(
    value: &'a Spanned<DeValue<'i>>,
    name: &str,
    at: &At<'_>,
) -> Result<&'a DeTable<'i>, ConfigError> {
    value.get_ref().as_table().ok_or_else(|| {
        at(
            value.span(),
            format!("`{name}` must be a table (`[{name}]`)"),
        )
    })
}

fn string<'a>(
    value: &'a Spanned<DeValue<'_>>,
    key: &str,
    at: &At<'_>,
) -> Result<&'a str, ConfigError> {
    value
        .get_ref()
        .as_str()
        .ok_or_else(|| at(value.span(), format!("`{key}` must be a string")))
}

fn strings(
    value: &Spanned<DeValue<'_>>,
    key: &str,
    at: &At<'_>,
) -> Result<Vec<String>, ConfigError> {
    let err = || at(value.span(), format!("`{key}` must be an array of strings"));
    let array = value.get_ref().as_array().ok_or_else(err)?;
    array
        .iter()
        .map(|v| v.get_ref().as_str().map(str::to_string).ok_or_else(err))
        .collect()
}

fn boolean(value: &Spanned<DeValue<'_>>, key: &str, at: &At<'_>) -> Result<bool, ConfigError> {
    value
        .get_ref()
        .as_bool()
        .ok_or_else(|| at(value.span(), format!("`{key}` must be true or false")))
}

fn read_rules(t: &DeTable<'_>, config: &mut Config, at: &At<'_>) -> Result<(), ConfigError> {
    let ids: Vec<&str> = RULES.iter().map(|r| r.meta.id).collect();
    for (key, value) in t {
        let id = key.get_ref().as_ref();
        let category = crate::rules::category::is_category(id);
        if crate::rules::find(id).is_none() && !category {
            return Err(at(key.span(), unknown("rule", id, " in `[rules]`", &ids)));
        }
        let setting = string(value, id, at)?;
        let parsed = match setting {
            "off" => RuleSetting::Off,
            "note" => RuleSetting::Severity(Severity::Note),
            "warning" => RuleSetting::Severity(Severity::Warning),
            "error" => RuleSetting::Severity(Severity::Error),
            other => {
                return Err(at(
                    value.span(),
                    unknown("setting", other, &format!(" for `{}`", shown(id)), SETTINGS),
                ))
            }
        };
        if category {
            // A category sets its rules unless a rule is set by its own ID.
            for rule in crate::rules::category::expand(id) {
                config.rules.entry(rule).or_insert(parsed);
            }
        } else {
            config.rules.insert(id.to_string(), parsed);
        }
    }
    Ok(())
}

fn read_paths(t: &DeTable<'_>, config: &mut Config, at: &At<'_>) -> Result<(), ConfigError> {
    for (key, value) in t {
        match key.get_ref().as_ref() {
            "exclude" => {
                let globs = strings(value, "exclude", at)?;
                for g in &globs {
                    if let Err(e) = Glob::new(g) {
                        return Err(at(
                            value.span(),
                            format!("invalid glob `{}` in `exclude`: {}", shown(g), e.kind()),
                        ));
                    }
                }
                config.exclude = globs;
            }
            "include-test-data" => match value.get_ref().as_bool() {
                Some(b) => config.include_test_data = b,
                None => {
                    return Err(at(
                        value.span(),
                        "`include-test-data` must be true or false".to_string(),
                    ))
                }
            },
            other => {
                return Err(at(
                    key.span(),
                    unknown("key", other, " in `[paths]`", PATHS_KEYS),
                ))
            }
        }
    }
    Ok(())
}

fn read_services(
    value: &Spanned<DeValue<'_>>,
    config: &mut Config,
    at: &At<'_>,
) -> Result<(), ConfigError> {
    let err = || {
        at(
            value.span(),
            "`services` must be an array of tables (`[[services]]`)".to_string(),
        )
    };
    let array = value.get_ref().as_array().ok_or_else(err)?;
    for item in array.iter() {
        let t = item.get_ref().as_table().ok_or_else(err)?;
        let mut mapping = ServiceMapping::default();
        let mut named = false;
        for (key, value) in t {
            match key.get_ref().as_ref() {
                "name" => {
                    mapping.name = string(value, "name", at)?.to_string();
                    named = true;
                }
                "dockerfile" => {
                    mapping.dockerfile = Some(string(value, "dockerfile", at)?.to_string())
                }
                "workloads" => mapping.workloads = strings(value, "workloads", at)?,
                "compose" => mapping.compose = strings(value, "compose", at)?,
                other => {
                    return Err(at(
                        key.span(),
                        unknown("key", other, " in `[[services]]`", SERVICE_KEYS),
                    ))
                }
            }
        }
        if !named {
            return Err(at(
                item.span(),
                "`[[services]]` entry without a `name`".to_string(),
            ));
        }
        config.services.push(mapping);
    }
    Ok(())
}

fn read_charts(
    value: &Spanned<DeValue<'_>>,
    config: &mut Config,
    at: &At<'_>,
    origin: &str,
    line: &dyn Fn(std::ops::Range<usize>) -> usize,
) -> Result<(), ConfigError> {
    let err = || {
        at(
            value.span(),
            "`charts` must be an array of tables (`[[charts]]`)".to_string(),
        )
    };
    let array = value.get_ref().as_array().ok_or_else(err)?;
    for item in array.iter() {
        let t = item.get_ref().as_table().ok_or_else(err)?;
        let mut chart = ChartValues {
            origin: format!("{origin}:{}", line(item.span())),
            ..ChartValues::default()
        };
        let mut has_path = false;
        for (key, value) in t {
            match key.get_ref().as_ref() {
                "path" => {
                    chart.path = string(value, "path", at)?.to_string();
                    has_path = true;
                }
                "values" => chart.values = strings(value, "values", at)?,
                "release" => chart.release = Some(string(value, "release", at)?.to_string()),
                "namespace" => chart.namespace = Some(string(value, "namespace", at)?.to_string()),
                other => {
                    return Err(at(
                        key.span(),
                        unknown("key", other, " in `[[charts]]`", CHART_KEYS),
                    ))
                }
            }
        }
        if !has_path {
            return Err(at(
                item.span(),
                "`[[charts]]` entry without a `path` (the chart directory)".to_string(),
            ));
        }
        if chart.values.is_empty() && chart.release.is_none() && chart.namespace.is_none() {
            return Err(at(
                item.span(),
                "`[[charts]]` entry with nothing to render differently: give `values` \
                 (and/or `release`, `namespace`)"
                    .to_string(),
            ));
        }
        config.charts.push(chart);
    }
    Ok(())
}

fn read_suppressions(t: &DeTable<'_>, config: &mut Config, at: &At<'_>) -> Result<(), ConfigError> {
    for (key, value) in t {
        match key.get_ref().as_ref() {
            "allow" => config.suppressions.allow = boolean(value, "allow", at)?,
            "require-reason" => {
                config.suppressions.require_reason = boolean(value, "require-reason", at)?
            }
            other => {
                return Err(at(
                    key.span(),
                    unknown("key", other, " in `[suppressions]`", SUPPRESSION_KEYS),
                ))
            }
        }
    }
    Ok(())
}

/// "unknown rule `missing-resource` in `[rules]`; did you mean `missing-resources`?"
fn unknown(what: &str, name: &str, place: &str, valid: &[&str]) -> String {
    let suggestion = closest(name, valid.iter().copied());
    let name = &shown(name);
    match suggestion {
        Some(s) => format!("unknown {what} `{name}`{place}; did you mean `{s}`?"),
        None => format!(
            "unknown {what} `{name}`{place} (expected one of: {})",
            valid.join(", ")
        ),
    }
}

/// A name from the file as an error message quotes it: at most 64
/// characters, control characters made visible.
fn shown(name: &str) -> String {
    let mut out: String = name.chars().take(64).collect();
    if name.chars().nth(64).is_some() {
        out.push('…');
    }
    crate::escape::terminal(&out).into_owned()
}

/// The candidate nearest to `word` by edit distance, if near enough to be a
/// plausible typo (at most a third of the word's length, and at least 2),
/// or a candidate the word is a prefix of.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| {
            // `warn` → `warning`: a prefix is as good as one typo.
            let prefix = word.chars().count() >= 3 && c.starts_with(word);
            (if prefix { 1 } else { edit_distance(word, c) }, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let delete = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let insert = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(substitute.min(delete).min(insert));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Decides which discovered paths `[paths] exclude` removes. A pattern
/// matches a file or any directory above it, so `examples` and
/// `examples/**` both exclude everything under `examples/`; `*` does not
/// cross `/`, `**` does.
#[derive(Debug, Clone)]
pub struct PathFilter {
    set: GlobSet,
    empty: bool,
}

impl PathFilter {
    pub fn new(patterns: &[String]) -> Result<Self, ConfigError> {
        let mut builder = GlobSetBuilder::new();
        for p in patterns {
            let trimmed = p.trim_start_matches("./").trim_end_matches('/');
            let glob = globset::GlobBuilder::new(trimmed)
                .literal_separator(true)
                .build()
                .map_err(|e| ConfigError(format!("invalid glob `{}`: {}", shown(p), e.kind())))?;
            builder.add(glob);
        }
        let set = builder
            .build()
            .map_err(|e| ConfigError(format!("invalid globs: {e}")))?;
        Ok(PathFilter {
            set,
            empty: patterns.is_empty(),
        })
    }

    /// `rel` is relative to the audited root, `/`-separated.
    pub fn excludes(&self, rel: &str) -> bool {
        if self.empty {
            return false;
        }
        let mut prefix = rel;
        loop {
            if self.set.is_match(prefix) {
                return true;
            }
            match prefix.rsplit_once('/') {
                Some((parent, _)) => prefix = parent,
                None => return false,
            }
        }
    }
}

/// The file `seamcheck init` writes: every key, commented, with the rules
/// and their default severities.
pub fn starter() -> String {
    let mut out = String::from(
        "# seamcheck configuration. Every section is optional; see docs/ci.md.\n\
         # An unknown key or rule ID is an error, so typos cannot go unnoticed.\n\
         \n\
         # Per-rule severity: \"error\", \"warning\", \"note\", or \"off\".\n\
         # The defaults are shown commented out.\n\
         [rules]\n",
    );
    let width = RULES.iter().map(|r| r.meta.id.len()).max().unwrap_or(0);
    for r in RULES {
        let value = format!("\"{}\"", r.meta.severity.as_str());
        out.push_str(&format!(
            "# {:<width$} = {:<9}  # {}\n",
            r.meta.id, value, r.meta.summary
        ));
    }
    out.push_str(
        "\n[paths]\n\
         # Glob patterns, relative to the audited root, of files not to audit\n\
         # (`*` stays within a directory, `**` crosses them; a directory pattern\n\
         # excludes everything under it). .gitignore is honoured as well.\n\
         exclude = []\n\
         # exclude = [\"examples/**\", \"**/testdata/**\"]\n\
         \n\
         # Explicit links, for when naming conventions do not tell which Dockerfile\n\
         # builds the image a workload runs. Workloads are `Kind/namespace/name`.\n\
         # [[services]]\n\
         # name = \"inventory\"\n\
         # dockerfile = \"services/inventory/Dockerfile\"\n\
         # workloads = [\"Deployment/shop/inventory\"]\n\
         # compose = [\"inventory\"]\n\
         \n\
         # Extra Helm deployment contexts: the chart rendered once more with these\n\
         # values files (relative to the audited root, later ones win), as\n\
         # `--values CHART=FILE` does. `release` and `namespace` are optional.\n\
         # [[charts]]\n\
         # path = \"deploy/chart\"\n\
         # values = [\"deploy/prod-values.yaml\"]\n\
         # release = \"shop\"\n\
         # namespace = \"prod\"\n\
         \n\
         [suppressions]\n\
         # Honour inline `seamcheck: ignore[rule-id] -- reason` comments. A central\n\
         # policy can set this to false so that only this file decides.\n\
         allow = true\n\
         # Only honour inline suppressions that give a reason after `--`.\n\
         require-reason = false\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_design_example_parses() {
        let c = parse(
            "[rules]\nmissing-resources = \"off\"\nsleep-in-handler = \"error\"\n\
             [paths]\nexclude = [\"examples/**\", \"**/testdata/**\"]\n\
             [[services]]\nname = \"inventory\"\ndockerfile = \"services/inventory/Dockerfile\"\n\
             workloads = [\"Deployment/shop/inventory\"]\n",
            "t",
        )
        .expect("valid");
        assert_eq!(c.rules.get("missing-resources"), Some(&RuleSetting::Off));
        assert_eq!(
            c.rules.get("sleep-in-handler"),
            Some(&RuleSetting::Severity(Severity::Error))
        );
        assert_eq!(c.exclude.len(), 2);
        assert_eq!(c.services[0].workloads, ["Deployment/shop/inventory"]);
        assert!(c.suppressions.allow);
    }

    #[test]
    fn unknown_keys_name_the_line_and_suggest() {
        let e = parse("[rules]\nmissing-resource = \"off\"\n", ".seamcheck.toml").unwrap_err();
        assert_eq!(
            e.0,
            ".seamcheck.toml:2:1: unknown rule `missing-resource` in `[rules]`; did you mean `missing-resources`?"
        );
        let e = parse("[path]\nexclude = []\n", "c").unwrap_err();
        assert!(
            e.0.contains("unknown key `path`; did you mean `paths`?"),
            "{e}"
        );
        let e = parse("[rules]\nruns-as-root = \"warn\"\n", "c").unwrap_err();
        assert!(e.0.contains("did you mean `warning`?"), "{e}");
        let e = parse("[suppressions]\nalow = false\n", "c").unwrap_err();
        assert!(e.0.contains("did you mean `allow`?"), "{e}");
        let e = parse("[[services]]\nname = \"a\"\nworkload = []\n", "c").unwrap_err();
        assert!(e.0.contains("did you mean `workloads`?"), "{e}");
        let e = parse("zzzzzz = 1\n", "c").unwrap_err();
        assert!(e.0.contains("expected one of: rules, paths"), "{e}");
    }

    #[test]
    fn wrong_types_and_bad_toml_are_errors() {
        for text in [
            "rules = 1\n",
            "[paths]\nexclude = \"x\"\n",
            "[paths]\nexclude = [\"a[\"]\n",
            "[suppressions]\nallow = \"no\"\n",
            "[[services]]\ndockerfile = \"Dockerfile\"\n",
            "[rules\n",
        ] {
            assert!(parse(text, "c").is_err(), "{text}");
        }
    }

    #[test]
    fn the_starter_config_is_valid_and_names_every_rule() {
        let text = starter();
        assert_eq!(parse(&text, "starter"), Ok(Config::default()));
        for r in RULES {
            assert!(text.contains(r.meta.id), "{}", r.meta.id);
        }
    }

    #[test]
    fn exclusion_matches_files_and_directories() {
        let f = PathFilter::new(&["examples".into(), "**/testdata/**".into(), "*.py".into()])
            .expect("globs");
        assert!(f.excludes("examples/a/Dockerfile"));
        assert!(f.excludes("svc/testdata/deploy.yaml"));
        assert!(f.excludes("main.py"));
        assert!(!f.excludes("app/main.py"), "`*` does not cross `/`");
        assert!(!f.excludes("examples2/Dockerfile"));
        assert!(!PathFilter::new(&[]).expect("empty").excludes("a"));
    }

    #[test]
    fn charts_are_extra_values_contexts() {
        let c = parse(
            "[rules]\n\n[[charts]]\npath = \"deploy/chart\"\n\
             values = [\"deploy/prod.yaml\", \"deploy/eu.yaml\"]\n\
             release = \"shop\"\nnamespace = \"prod\"\n\
             [[charts]]\npath = \".\"\nvalues = [\"ci/values.yaml\"]\n",
            ".seamcheck.toml",
        )
        .expect("valid");
        assert_eq!(
            c.charts,
            [
                ChartValues {
                    path: "deploy/chart".into(),
                    values: vec!["deploy/prod.yaml".into(), "deploy/eu.yaml".into()],
                    release: Some("shop".into()),
                    namespace: Some("prod".into()),
                    origin: ".seamcheck.toml:3".into(),
                },
                ChartValues {
                    path: ".".into(),
                    values: vec!["ci/values.yaml".into()],
                    release: None,
                    namespace: None,
                    origin: ".seamcheck.toml:8".into(),
                },
            ]
        );
        let e = parse("[[charts]]\npath = \"c\"\nvalue = []\n", "c").unwrap_err();
        assert!(e.0.contains("did you mean `values`?"), "{e}");
        let e = parse("[[charts]]\nvalues = [\"v.yaml\"]\n", "c").unwrap_err();
        assert!(e.0.contains("without a `path`"), "{e}");
        let e = parse("[[charts]]\npath = \"c\"\n", "c").unwrap_err();
        assert!(e.0.contains("nothing to render differently"), "{e}");
        assert!(parse("[[charts]]\npath = \"c\"\nvalues = \"v.yaml\"\n", "c").is_err());
        assert!(parse("charts = 1\n", "c").is_err());
    }

    #[test]
    fn closest_needs_a_plausible_typo() {
        assert_eq!(closest("rules", ["rules", "paths"]), Some("rules"));
        assert_eq!(closest("xyz", ["rules", "paths"]), None);
    }
}
