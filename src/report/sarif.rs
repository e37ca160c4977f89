//! SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
//!
//! - `tool.driver.rules`: every rule, with its summary, the "What it does"
//!   section as full description, the whole doc as help, the default level.
//! - each result: `ruleId`/`ruleIndex`, `level`, the message (with links to
//!   the related locations), the primary location as a URI relative to
//!   `%SRCROOT%` with a region, `relatedLocations` for the other layers'
//!   evidence, and `partialFingerprints` (line-independent).
//! - columns count Unicode code points (`columnKind`), and SARIF's
//!   `endColumn` is exclusive where seamcheck's `end_column` is inclusive.
//! - with `--show-suppressed`, hidden findings are included with a
//!   `suppressions` entry (`inSource` for comments, `external` for the
//!   baseline), which code scanning shows as dismissed.

use crate::audit::Audit;
use crate::finding::{Finding, Severity};
use crate::report::{ci_prefix, RenderOptions};
use crate::rules::{RuleMeta, RULES};
use crate::suppress::{Suppressed, SuppressedBy};
use seamcheck_facts::Location;
use serde_json::{json, Map, Value};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key of seamcheck's own fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "seamcheck/v1";

pub fn render(audit: &Audit, opts: &RenderOptions) -> String {
    let prefix = ci_prefix(audit);
    let mut results: Vec<Value> = audit.findings.iter().map(|f| result(f, &prefix)).collect();
    if opts.show_suppressed {
        results.extend(audit.suppressed.iter().map(|s| suppressed(s, &prefix)));
    }
    let mut run = Map::new();
    run.insert(
        "tool".into(),
        json!({
            "driver": {
                "name": "seamcheck",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": RULES.iter().map(|r| rule(r.meta)).collect::<Vec<_>>(),
            }
        }),
    );
    if let Some(base) = base_uri(audit, &prefix) {
        run.insert(
            "originalUriBaseIds".into(),
            json!({ "%SRCROOT%": { "uri": base } }),
        );
    }
    run.insert("columnKind".into(), json!("unicodeCodePoints"));
    run.insert("results".into(), Value::Array(results));
    crate::report::json::to_pretty(&json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [Value::Object(run)],
    }))
}

pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// `expose-port-mismatch` → `ExposePortMismatch`.
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|first| first.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The text of one `## Section` of a rule doc.
fn section(doc: &str, title: &str) -> Option<String> {
    let start = doc.find(&format!("## {title}\n"))? + title.len() + 4;
    let rest = doc.get(start..)?;
    let end = rest.find("\n## ").unwrap_or(rest.len());
    let text = rest
        .get(..end)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    Some(text)
}

/// First letter up, final period: SARIF descriptions are sentences.
fn sentence(s: &str) -> String {
    let mut c = s.chars();
    let mut out = c
        .next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// Where the rule docs are published, when the build knows it: the
/// `SEAMCHECK_DOCS_URL` of the build (the release recipe sets it to the
/// repository's tree at the tag), else the crate's `repository`. No guessed
/// host: without either, rules carry their full doc in `help` only.
const DOCS_BASE: &str = match option_env!("SEAMCHECK_DOCS_URL") {
    Some(url) => url,
    None => env!("CARGO_PKG_REPOSITORY"),
};

/// The rule's section of `docs/rules.md` (its heading is the rule ID).
fn help_uri(base: &str, id: &str) -> Option<String> {
    let base = base.trim_end_matches('/');
    (!base.is_empty()).then(|| format!("{base}/docs/rules.md#{id}"))
}

/// GitHub code scanning's `security-severity` (0–10, shown as low to
/// critical) for the rules of the `security` category.
fn security_severity(id: &str) -> Option<&'static str> {
    match id {
        "runs-as-root" => Some("6.0"),
        "run-as-non-root-unverifiable" => Some("4.0"),
        _ => None,
    }
}

fn rule(meta: &RuleMeta) -> Value {
    let doc = meta.doc();
    let full = section(&doc, "What it does").unwrap_or_else(|| meta.summary.to_string());
    let category = crate::rules::category::category_of(meta.id);
    let mut properties = json!({
        "tags": ["configuration", "containers", category],
        "precision": "high",
    });
    if let Some(severity) = security_severity(meta.id) {
        properties["security-severity"] = json!(severity);
    }
    let mut rule = json!({
        "id": meta.id,
        "name": pascal(meta.id),
        "shortDescription": { "text": sentence(meta.summary) },
        "fullDescription": { "text": full },
        "help": { "text": doc, "markdown": doc },
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": properties,
    });
    if let Some(uri) = help_uri(DOCS_BASE, meta.id) {
        rule["helpUri"] = json!(uri);
    }
    rule
}

fn rule_index(id: &str) -> Option<usize> {
    RULES.iter().position(|r| r.meta.id == id)
}

fn result(f: &Finding, prefix: &str) -> Value {
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(f.rule));
    if let Some(i) = rule_index(f.rule) {
        r.insert("ruleIndex".into(), json!(i));
    }
    r.insert("level".into(), json!(level(f.severity)));
    r.insert("message".into(), json!({ "text": message(f) }));
    r.insert(
        "locations".into(),
        json!([{ "physicalLocation": physical(&f.location, prefix) }]),
    );
    if !f.related.is_empty() {
        let related: Vec<Value> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| {
                json!({
                    "id": i + 1,
                    "physicalLocation": physical(&rel.loc, prefix),
                    "message": { "text": escape_text(&rel.message) },
                })
            })
            .collect();
        r.insert("relatedLocations".into(), Value::Array(related));
    }
    r.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: f.fingerprint() }),
    );
    if let Some(service) = &f.service {
        r.insert("properties".into(), json!({ "service": service }));
    }
    Value::Object(r)
}

fn suppressed(s: &Suppressed, prefix: &str) -> Value {
    let mut v = result(&s.finding, prefix);
    let entry = match &s.by {
        SuppressedBy::Inline { reason, .. } => {
            let mut e = json!({ "kind": "inSource", "status": "accepted" });
            if let (Some(reason), Some(obj)) = (reason, e.as_object_mut()) {
                obj.insert("justification".into(), json!(reason));
            }
            e
        }
        SuppressedBy::Baseline => json!({
            "kind": "external",
            "status": "accepted",
            "justification": "listed in the baseline",
        }),
    };
    if let Some(obj) = v.as_object_mut() {
        obj.insert("suppressions".into(), json!([entry]));
    }
    v
}

/// The message, its help, and links to the related locations (SARIF
/// embedded links `[text](id)`; other brackets escaped).
fn message(f: &Finding) -> String {
    let mut text = escape_text(&f.message);
    if !f.related.is_empty() {
        let links: Vec<String> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| format!("[{}]({})", escape_text(&r.message), i + 1))
            .collect();
        text.push_str(&format!(" (see {})", links.join("; ")));
    }
    if let Some(help) = &f.help {
        text.push_str(&format!(". Fix: {}", escape_text(help)));
    }
    text
}

/// SARIF message text treats `[…](…)` as a link: escape brackets and
/// backslashes that are the message's own.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn physical(loc: &Location, prefix: &str) -> Value {
    json!({
        "artifactLocation": {
            "uri": relative_uri(&format!("{prefix}{}", loc.path)),
            "uriBaseId": "%SRCROOT%",
        },
        "region": {
            "startLine": loc.line.max(1),
            "startColumn": loc.column.max(1),
            "endLine": loc.end_line.max(loc.line).max(1),
            // Exclusive in SARIF: one past the last character.
            "endColumn": loc.end_column.max(1) + 1,
        },
    })
}

/// A report path (escaped as `path_text` says) as a relative URI reference:
/// the raw bytes of each segment percent-encoded except RFC 3986's
/// unreserved characters and the sub-delimiters, `:` included, so no first
/// segment can read as a scheme (`file:/etc/passwd`) and every name, UTF-8
/// or not, maps to its own URI.
pub fn relative_uri(path: &str) -> String {
    let raw = crate::path_text::unescape(path);
    let mut out = String::with_capacity(raw.len());
    for &b in &raw {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes what may not appear in a URI path (RFC 3986), byte-wise.
pub fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `file:///abs/dir/` of the directory the result URIs are relative to: the
/// current directory when the root was given relative to it, else the root.
fn base_uri(audit: &Audit, prefix: &str) -> Option<String> {
    let dir = if prefix.is_empty() {
        audit.root.canonicalize().ok()?
    } else {
        std::env::current_dir().ok()?.canonicalize().ok()?
    };
    let mut path = dir.to_string_lossy().replace('\\', "/");
    if !path.starts_with('/') {
        path.insert(0, '/'); // C:/x → /C:/x
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    Some(format!("file://{}", encode_uri_path(&path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sections_and_escapes() {
        assert_eq!(pascal("expose-port-mismatch"), "ExposePortMismatch");
        assert_eq!(
            section(
                "## What it does\nFinds x\nand y.\n\n## Why\nz",
                "What it does"
            )
            .as_deref(),
            Some("Finds x and y.")
        );
        assert_eq!(
            sentence("image has no healthcheck"),
            "Image has no healthcheck."
        );
        assert_eq!(escape_text("a [b] \\c"), "a \\[b\\] \\\\c");
        assert_eq!(encode_uri_path("a b/ç.py"), "a%20b/%C3%A7.py");
        assert_eq!(
            relative_uri("file:/etc/passwd.yaml"),
            "file%3A/etc/passwd.yaml"
        );
        assert_eq!(relative_uri("a\\xff/b%c"), "a%FF/b%25c");
        assert_eq!(relative_uri("a\\\\xff"), "a%5Cxff");
        assert_eq!(relative_uri("../a/Dockerfile"), "../a/Dockerfile");
    }
}

#[cfg(test)]
mod rule_metadata_tests {
    use super::*;

    #[test]
    fn help_uri_points_at_the_rule_section_only_with_a_known_base() {
        assert_eq!(
            help_uri(
                "https://github.com/acme/seamcheck/blob/v1.2.0/",
                "runs-as-root"
            )
            .as_deref(),
            Some("https://github.com/acme/seamcheck/blob/v1.2.0/docs/rules.md#runs-as-root")
        );
        assert_eq!(help_uri("", "runs-as-root"), None);
    }

    #[test]
    fn rules_are_tagged_by_category_and_security_rules_rated() {
        let meta = |id: &str| {
            crate::rules::RULES
                .iter()
                .find(|r| r.meta.id == id)
                .map(|r| rule(r.meta))
                .expect("a rule")
        };
        let root = meta("runs-as-root");
        assert_eq!(root["properties"]["tags"][2], "security");
        assert_eq!(root["properties"]["security-severity"], "6.0");
        let port = meta("container-port-mismatch");
        assert_eq!(port["properties"]["tags"][2], "wiring");
        assert!(port["properties"].get("security-severity").is_none());
        let probe = meta("missing-liveness-probe");
        assert_eq!(probe["properties"]["tags"][2], "hygiene");
    }
}
