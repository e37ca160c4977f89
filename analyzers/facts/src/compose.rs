//! Facts of docker-compose files (`compose.yaml`, `docker-compose*.yml`) and
//! of the `.env` file compose reads beside them.
//!
//! Compose interpolates `$VAR`, `${VAR}`, `${VAR:-default}` … in every value
//! at compose time, from the shell and the `.env` file, before anything else
//! reads the file. Facts keep values as written (uninterpolated); the
//! variables are listed with their structure ([`VarRef`]) and
//! [`interpolate`] / [`value_expr`] let the linker resolve them per context.
//! `$$` is compose's escape for a literal `$` (left for the container's shell).

use crate::dockerfile::{HealthcheckFact, UserSpec};
use crate::{EnvVar, Located, Location, ValueExpr};
use serde::Serialize;
use std::ops::Range;

/// What kind of file the facts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ComposeSource {
    /// A compose file: `services`, `name`, `include`, `variables`.
    #[default]
    ComposeFile,
    /// A `.env` file: only `dotenv` is filled.
    DotEnv,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct ComposeFacts {
    pub source: ComposeSource,
    /// Top-level `name:` (the project name).
    pub project_name: Option<Located<String>>,
    pub services: Vec<ComposeService>,
    /// Top-level `include:` paths (string entries and `path:` of long entries),
    /// relative to this file's directory.
    pub includes: Vec<Located<String>>,
    /// Every variable compose interpolates anywhere in the file, in file
    /// order; a reference nested in a default (`${A:-${B}}`) is listed after
    /// the one containing it. `x-` extension fields included.
    pub variables: Vec<VarRef>,
    /// The variables a `.env` file defines (values unquoted, not interpolated).
    pub dotenv: Vec<EnvVar>,
}

/// One entry of `services:`. Merge keys (`<<: *defaults`) are expanded:
/// a value taken from an anchor is located where the anchor writes it.
#[derive(Debug, Clone, Serialize)]
pub struct ComposeService {
    /// The service's key.
    pub name: Located<String>,
    /// The key through the end of the service's mapping.
    pub loc: Location,
    pub image: Option<Located<String>>,
    pub build: Option<ComposeBuild>,
    /// Also a DNS name of the container on the compose network.
    pub container_name: Option<Located<String>>,
    pub hostname: Option<Located<String>>,
    pub ports: Vec<ComposePort>,
    /// `ports` entries that could not be read (not a string, number or
    /// mapping, or a mapping without `target`): each entry's location. When
    /// not empty, "no port maps to X" is unknown.
    pub unresolved_ports: Vec<Location>,
    /// `expose:` container ports (not published to the host).
    pub expose: Vec<ComposeExpose>,
    /// `environment:` (list `- A=b` or map `A: b`), overriding image ENV.
    /// `value: None` for `- A` / `A:` / `A: null`: taken from the shell that
    /// runs compose, unset in the container when the shell has none.
    /// Values are raw (see the module doc on interpolation).
    pub environment: Vec<EnvVar>,
    /// `env_file:` in order; later files override earlier ones, and
    /// `environment` overrides them all. Paths relative to this file's dir.
    pub env_files: Vec<EnvFile>,
    /// Replaces the image CMD.
    pub command: Option<ComposeCommand>,
    /// Replaces the image ENTRYPOINT (and drops the image CMD unless
    /// `command` is set too).
    pub entrypoint: Option<ComposeCommand>,
    /// Overrides the image HEALTHCHECK.
    pub healthcheck: Option<ComposeHealthcheck>,
    /// Overrides the image USER.
    pub user: Option<Located<UserSpec>>,
    /// Overrides the image WORKDIR.
    pub working_dir: Option<Located<String>>,
    /// `host` means the container shares the host network: `ports` are ignored.
    pub network_mode: Option<Located<String>>,
    /// A service with profiles only starts when one of them is enabled.
    pub profiles: Vec<Located<String>>,
    /// Names of the services this one depends on (list or map form).
    pub depends_on: Vec<Located<String>>,
    /// `extends:` another service (of this file, or of `file`); the fields
    /// of that service apply unless this one overrides them.
    pub extends: Option<ComposeExtends>,
}

impl ComposeService {
    /// The build target stage, if `build.target` names one.
    pub fn build_target(&self) -> Option<&Located<String>> {
        self.build.as_ref().and_then(|b| b.target.as_ref())
    }
}

/// `build: ./dir` or `build: {context, dockerfile, target, args}`.
#[derive(Debug, Clone, Serialize)]
pub struct ComposeBuild {
    /// Relative to this file's directory (or a git URL). `None` in the long
    /// form without `context`: the context is then `.`.
    pub context: Option<Located<String>>,
    /// Relative to the context; `None` means `Dockerfile`.
    pub dockerfile: Option<Located<String>>,
    /// The stage that is built and run, instead of the last one.
    pub target: Option<Located<String>>,
    /// Build args (override the Dockerfile's ARG defaults). `value: None`
    /// for `- A` / `A:` (from the shell).
    pub args: Vec<EnvVar>,
    /// The `build:` key through its value.
    pub loc: Location,
}

/// A port written as compose writes them: `80`, `8000-8010`, `${PORT:-80}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortSpec {
    /// As written.
    pub raw: String,
    /// The (first) port, when it is a literal number 1-65535.
    pub port: Option<u16>,
    /// Last port of a range (`8000-8010`), when literal.
    pub range_end: Option<u16>,
    /// The value: `Literal`, `Env` (a compose variable: interpolated from
    /// the shell / `.env`, NOT the container env), or `Unknown`.
    pub expr: ValueExpr,
    /// The token itself.
    pub loc: Location,
}

impl PortSpec {
    /// Whether a literal port or range contains `port`.
    pub fn covers(&self, port: u16) -> bool {
        match (self.port, self.range_end) {
            (Some(p), Some(end)) => (p..=end).contains(&port),
            (Some(p), None) => p == port,
            _ => false,
        }
    }
}

/// One entry of `ports:`.
#[derive(Debug, Clone, Serialize)]
pub struct ComposePort {
    /// The entry as written (short syntax), or the long mapping's source text.
    pub raw: String,
    /// Written as a mapping (`target:`, `published:` …).
    pub long_syntax: bool,
    /// The container (target) port: where traffic arrives in the container.
    pub container: PortSpec,
    /// The host side; `None` = a random host port.
    pub published: Option<PortSpec>,
    /// `127.0.0.1`, `[::1]` …, as written; `None` = all interfaces.
    pub host_ip: Option<Located<String>>,
    /// Lowercase; `tcp` when not written.
    pub protocol: String,
    /// Long syntax `name:`.
    pub name: Option<Located<String>>,
    /// Variables the entry uses.
    pub vars: Vec<VarRef>,
    /// The whole entry.
    pub loc: Location,
}

/// One entry of `expose:`.
#[derive(Debug, Clone, Serialize)]
pub struct ComposeExpose {
    pub port: PortSpec,
    /// Lowercase; `tcp` when not written.
    pub protocol: String,
    /// The whole entry.
    pub loc: Location,
}

/// One `env_file:` entry.
#[derive(Debug, Clone, Serialize)]
pub struct EnvFile {
    pub path: Located<String>,
    /// `required: false` makes a missing file harmless.
    pub required: bool,
    pub loc: Location,
}

/// `command:` / `entrypoint:`.
///
/// Never run through a shell by compose: the list form is the argv; the
/// string form is split into words shell-style (quotes removed, no
/// expansion) and that is the argv. `$VAR` in either was already
/// interpolated by compose (from the shell / `.env`); `$$VAR` reaches the
/// program as `$VAR`, expanded only if the argv runs `sh -c`.
#[derive(Debug, Clone, Serialize)]
pub struct ComposeCommand {
    /// Empty for `[]` or `""`: the image's command is cleared.
    pub argv: Vec<Located<String>>,
    /// Written as one string (split here), not as a list.
    pub from_string: bool,
    /// The value (`command:` key excluded).
    pub loc: Location,
}

/// `healthcheck:` of a service.
#[derive(Debug, Clone, Serialize)]
pub struct ComposeHealthcheck {
    /// The test in the Dockerfile model. `["CMD", …]` -> exec form argv;
    /// `["CMD-SHELL", "…"]` or a string -> shell form, the script split into
    /// words (it runs as `/bin/sh -c "…"`); `["NONE"]` and `disable: true`
    /// -> `command: None`. `None` when `test` is not written: the image's
    /// HEALTHCHECK test runs, with this entry's timings.
    pub test: Option<HealthcheckFact>,
    /// `disable: true` or `test: ["NONE"]`: no health check at all.
    pub disabled: bool,
    /// Who expands the variable of `test.port_expr`, when it is one.
    pub port_var_scope: Option<VarScope>,
    pub interval: Option<Located<String>>,
    pub timeout: Option<Located<String>>,
    pub start_period: Option<Located<String>>,
    pub retries: Option<Located<String>>,
    /// The `healthcheck:` key through its value.
    pub loc: Location,
}

/// Who expands a `$VAR` written in a compose value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VarScope {
    /// `$VAR` / `${VAR}`: compose, at compose time, from the shell / `.env`.
    Compose,
    /// `$$VAR`: compose leaves `$VAR`; the container's shell expands it
    /// from the container environment (shell-form checks only).
    Container,
}

/// `extends: web` or `extends: {service: web, file: common.yml}`.
#[derive(Debug, Clone, Serialize)]
pub struct ComposeExtends {
    pub service: Located<String>,
    pub file: Option<Located<String>>,
}

/// One `${VAR…}` / `$VAR` compose interpolates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VarRef {
    pub name: String,
    pub op: VarOp,
    /// The reference as written (`${PORT:-8080}`).
    pub raw: String,
    pub loc: Location,
}

/// The operator of a braced reference. `or_empty` is the `:` variants
/// (`:-`, `:?`, `:+`): an empty value counts as unset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VarOp {
    /// `$VAR`, `${VAR}`: empty string when unset.
    Plain,
    /// `${VAR:-value}`, `${VAR-value}`. `value` is raw (may hold references).
    Default { value: String, or_empty: bool },
    /// `${VAR:?message}`, `${VAR?message}`: compose refuses to start when unset.
    Required { message: String, or_empty: bool },
    /// `${VAR:+value}`, `${VAR+value}`: `value` when set, else empty.
    Alternate { value: String, or_empty: bool },
}

/// A reference found in a text, with its byte range in that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpolation {
    pub name: String,
    pub op: VarOp,
    pub range: Range<usize>,
}

/// Most references read from one string; bounds the work on hostile input.
const MAX_REFS_PER_TEXT: usize = 64;

/// Defaults nest (`${A:-${B:-x}}`); deeper than this is refused.
const MAX_NESTING: usize = 16;

/// Every reference in `text`, outer ones before those nested in them; `$$`
/// escapes and malformed references are skipped. Linear in the text: the
/// closing brace of every `{` is found in one pass first.
pub fn interpolations(text: &str) -> Vec<Interpolation> {
    let closes = closing_braces(text);
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if out.len() >= MAX_REFS_PER_TEXT {
            break;
        }
        if b != b'$' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'$') {
            i += 2;
            continue;
        }
        let close = closes.get(&(i + 1)).copied();
        match reference_with(text, i, close) {
            Some(found) => {
                // Step inside a braced reference to find nested ones.
                i = match close {
                    Some(_) => i + 2,
                    None => found.range.end,
                };
                out.push(found);
            }
            None => i += 1,
        }
    }
    out
}

/// The byte offset of the `}` matching each `{` of the text.
fn closing_braces(text: &str) -> std::collections::HashMap<usize, usize> {
    let mut open = Vec::new();
    let mut closes = std::collections::HashMap::new();
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'{' => open.push(i),
            b'}' => {
                if let Some(start) = open.pop() {
                    closes.insert(start, i);
                }
            }
            _ => {}
        }
    }
    closes
}

/// The reference starting at the `$` at byte `at`.
fn reference_at(text: &str, at: usize) -> Option<Interpolation> {
    let close = match text.get(at + 1..at + 2) {
        Some("{") => Some(at + 2 + matching_brace(text.get(at + 2..)?)?),
        _ => None,
    };
    reference_with(text, at, close)
}

/// The reference at the `$` at byte `at`; `close` is the byte of the `}`
/// closing its `{`, when it is braced.
fn reference_with(text: &str, at: usize, close: Option<usize>) -> Option<Interpolation> {
    let rest = text.get(at + 1..)?;
    if rest.starts_with('{') {
        let close = close?;
        let content = text.get(at + 2..close)?;
        let (name, op) = parse_braced(content)?;
        return Some(Interpolation {
            name,
            op,
            range: at..close + 1,
        });
    }
    let len = name_len(rest);
    (len > 0).then(|| Interpolation {
        name: rest.get(..len).unwrap_or_default().to_string(),
        op: VarOp::Plain,
        range: at..at + 1 + len,
    })
}

/// Byte offset of the `}` closing a `${`, braces inside counted.
fn matching_brace(inner: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn name_len(s: &str) -> usize {
    let first_ok = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok {
        return 0;
    }
    s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len())
}

fn parse_braced(content: &str) -> Option<(String, VarOp)> {
    let len = name_len(content);
    let name = content.get(..len).filter(|n| !n.is_empty())?.to_string();
    let op = content.get(len..)?;
    if op.is_empty() {
        return Some((name, VarOp::Plain));
    }
    let (or_empty, op) = match op.strip_prefix(':') {
        Some(rest) => (true, rest),
        None => (false, op),
    };
    let arg = op.get(1..).unwrap_or_default().to_string();
    let op = match op.chars().next()? {
        '-' => VarOp::Default {
            value: arg,
            or_empty,
        },
        '?' => VarOp::Required {
            message: arg,
            or_empty,
        },
        '+' => VarOp::Alternate {
            value: arg,
            or_empty,
        },
        _ => return None,
    };
    Some((name, op))
}

/// Why a text could not be interpolated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterpolationError {
    /// `${VAR:?message}` with `VAR` unset (or empty).
    Required { var: String, message: String },
    /// Not a valid compose template (`${`, `${1x}`, `$5`, nesting too deep).
    Invalid { at: usize },
}

/// Interpolates `text` the way compose does. `lookup(name)` is the value of
/// a variable in the shell / `.env`, `None` when unset; an unset variable
/// without default becomes the empty string (compose warns and does that).
pub fn interpolate(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, InterpolationError> {
    interpolate_at_depth(text, lookup, 0)
}

fn interpolate_at_depth(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    depth: usize,
) -> Result<String, InterpolationError> {
    if depth > MAX_NESTING {
        return Err(InterpolationError::Invalid { at: 0 });
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(rest) = text.get(i..) {
        let Some(dollar) = rest.find('$') else {
            out.push_str(rest);
            break;
        };
        out.push_str(rest.get(..dollar).unwrap_or_default());
        let at = i + dollar;
        if text.get(at + 1..at + 2) == Some("$") {
            out.push('$');
            i = at + 2;
            continue;
        }
        let found = reference_at(text, at).ok_or(InterpolationError::Invalid { at })?;
        out.push_str(&resolve(&found, lookup, depth)?);
        i = found.range.end;
    }
    Ok(out)
}

fn resolve(
    found: &Interpolation,
    lookup: &dyn Fn(&str) -> Option<String>,
    depth: usize,
) -> Result<String, InterpolationError> {
    let value = lookup(&found.name);
    let is_set = |or_empty: bool| match &value {
        Some(v) => !(or_empty && v.is_empty()),
        None => false,
    };
    let nested = |t: &str| interpolate_at_depth(t, lookup, depth + 1);
    match &found.op {
        VarOp::Plain => Ok(value.clone().unwrap_or_default()),
        VarOp::Default { value: d, or_empty } => match is_set(*or_empty) {
            true => Ok(value.clone().unwrap_or_default()),
            false => nested(d),
        },
        VarOp::Required { message, or_empty } => match is_set(*or_empty) {
            true => Ok(value.clone().unwrap_or_default()),
            false => Err(InterpolationError::Required {
                var: found.name.clone(),
                message: message.clone(),
            }),
        },
        VarOp::Alternate {
            value: alt,
            or_empty,
        } => match is_set(*or_empty) {
            true => nested(alt),
            false => Ok(String::new()),
        },
    }
}

/// A compose value as a [`ValueExpr`]: text without references is a
/// `Literal` (`$$` read as `$`); one reference that is the whole text is an
/// `Env` (a compose variable) with its default when the default is literal;
/// anything else is `Unknown`.
pub fn value_expr(text: &str) -> ValueExpr {
    if !text.contains('$') {
        return ValueExpr::literal(text);
    }
    let refs = interpolations(text);
    let Some(first) = refs.first() else {
        return if text.replace("$$", "").contains('$') {
            ValueExpr::unknown(text)
        } else {
            ValueExpr::literal(text.replace("$$", "$"))
        };
    };
    if first.range != (0..text.len()) {
        return ValueExpr::unknown(text);
    }
    match &first.op {
        VarOp::Plain | VarOp::Required { .. } => ValueExpr::env(first.name.clone(), None),
        VarOp::Default { value, .. } if !value.contains('$') => {
            ValueExpr::env(first.name.clone(), Some(value.clone()))
        }
        _ => ValueExpr::unknown(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, Range<usize>)> {
        interpolations(text)
            .into_iter()
            .map(|i| (i.name, i.range))
            .collect()
    }

    #[test]
    fn finds_references_and_nested_defaults() {
        assert_eq!(
            names("${HOST:-0.0.0.0}:$PORT"),
            vec![("HOST".into(), 0..16), ("PORT".into(), 17..22)]
        );
        assert_eq!(
            names("${A:-${B}}"),
            vec![("A".into(), 0..10), ("B".into(), 5..9)]
        );
        assert!(names("$$PORT and $5 and ${").is_empty());
    }

    #[test]
    fn operators() {
        let op = |t: &str| interpolations(t).first().map(|i| i.op.clone());
        assert_eq!(
            op("${P-80}"),
            Some(VarOp::Default {
                value: "80".into(),
                or_empty: false
            })
        );
        assert_eq!(
            op("${P:?set P}"),
            Some(VarOp::Required {
                message: "set P".into(),
                or_empty: true
            })
        );
        assert_eq!(
            op("${P:+x}"),
            Some(VarOp::Alternate {
                value: "x".into(),
                or_empty: true
            })
        );
        assert_eq!(op("${P!x}"), None);
    }

    #[test]
    fn interpolates_like_compose() {
        let env = |name: &str| match name {
            "PORT" => Some("9000".to_string()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        let run = |t: &str| interpolate(t, &env);
        assert_eq!(run("${PORT:-80}"), Ok("9000".into()));
        assert_eq!(run("${NOPE:-80}"), Ok("80".into()));
        assert_eq!(run("${EMPTY:-80}"), Ok("80".into()));
        assert_eq!(run("${EMPTY-80}"), Ok(String::new()));
        assert_eq!(run("${NOPE:-${PORT}}"), Ok("9000".into()));
        assert_eq!(run("$$PORT $PORT"), Ok("$PORT 9000".into()));
        assert_eq!(run("${NOPE}"), Ok(String::new()));
        assert_eq!(run("${PORT:+on}${NOPE:+on}"), Ok("on".into()));
        assert_eq!(
            run("${NOPE:?need it}"),
            Err(InterpolationError::Required {
                var: "NOPE".into(),
                message: "need it".into()
            })
        );
        assert_eq!(run("a ${B"), Err(InterpolationError::Invalid { at: 2 }));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let text = "${A:-".repeat(50_000) + &"}".repeat(50_000);
        assert!(interpolate(&text, &|_| None).is_err());
        assert!(interpolations(&text).len() <= MAX_REFS_PER_TEXT);
    }

    #[test]
    fn many_unclosed_references_take_linear_time() {
        let text = "${A:-".repeat(200_000);
        let started = std::time::Instant::now();
        assert!(interpolations(&text).is_empty());
        assert!(interpolate(&text, &|_| None).is_err());
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn value_expressions() {
        assert_eq!(value_expr("8080"), ValueExpr::literal("8080"));
        assert_eq!(
            value_expr("${PORT:-80}"),
            ValueExpr::env("PORT", Some("80".into()))
        );
        assert_eq!(value_expr("$PORT"), ValueExpr::env("PORT", None));
        assert_eq!(value_expr("${P:?x}"), ValueExpr::env("P", None));
        assert_eq!(value_expr("80$X"), ValueExpr::unknown("80$X"));
        assert_eq!(value_expr("${A:-${B}}"), ValueExpr::unknown("${A:-${B}}"));
        assert_eq!(value_expr("$$5"), ValueExpr::literal("$5"));
    }
}
