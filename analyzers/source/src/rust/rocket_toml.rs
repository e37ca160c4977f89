//! `Rocket.toml`: the `port` and `address` a Rocket app listens on, per
//! profile. A flat file, read line by line (tables, `key = value`).
//!
//! Rocket merges, later wins: its defaults (127.0.0.1:8000), `[default]`,
//! the selected profile (`release` for a release build, which is what an
//! image ships; `ROCKET_PROFILE` may select another), `[global]`, then the
//! `ROCKET_PORT` / `ROCKET_ADDRESS` variables. The listen this file yields
//! is the release profile's, with the variables on top as `Env` values.

use crate::{LanguageAnalyzer, LanguageOutput};
use seamcheck_facts::source::Listen;
use seamcheck_facts::{
    FileKind, Framework, LineIndex, Location, ParseProblem, SourceFacts, ValueExpr,
};
use std::ops::Range;

use super::listens::{ROCKET_HOST, ROCKET_PORT};

/// Tables that apply to a release build, lowest precedence first.
const RELEASE_TABLES: &[&str] = &["default", "release", "global"];

pub struct RocketTomlAnalyzer;

impl LanguageAnalyzer for RocketTomlAnalyzer {
    fn language(&self) -> &'static str {
        "rust"
    }

    fn kind(&self) -> FileKind {
        FileKind::AppConfig
    }

    fn reads_file_name(&self, lower_file_name: &str) -> bool {
        lower_file_name == "rocket.toml"
    }

    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput {
        let mut output = LanguageOutput::default();
        let read = read(text);
        if let Some((at, message)) = read.error {
            output.problems.push(ParseProblem {
                message,
                loc: index.location(at),
            });
        }
        let pick = |key: &str| {
            RELEASE_TABLES.iter().rev().find_map(|t| {
                read.values
                    .iter()
                    .rev()
                    .find(|v| v.table == *t && v.key == key)
            })
        };
        let port = pick("port");
        let address = pick("address");
        if port.is_none() && address.is_none() {
            // Nothing here changes where the app listens.
            return output;
        }
        let listen_at = port
            .or(address)
            .map_or_else(|| index.file_location(), |v| index.location(v.line.clone()));
        let setting = |v: Option<&Entry>, var: &str, default: &str| {
            let written = v.map(|v| (v.value.clone(), index.location(v.value_span.clone())));
            let (value, loc): (String, Location) =
                written.unwrap_or_else(|| (default.to_string(), listen_at.clone()));
            seamcheck_facts::Located::new(ValueExpr::env(var, Some(value)), loc)
        };
        let listen = Listen {
            call: "Rocket.toml".to_string(),
            framework: Framework::Rocket,
            host: Some(setting(address, "ROCKET_ADDRESS", ROCKET_HOST)),
            port: Some(setting(port, "ROCKET_PORT", &ROCKET_PORT.to_string())),
            default_port: ROCKET_PORT,
            default_host: ROCKET_HOST.to_string(),
            debug: None,
            in_main_guard: false,
            loc: listen_at,
            app_target: None,
            reload: None,
            port_defined_at: None,
            host_defined_at: None,
            via_function: None,
        };
        output.facts = Some(SourceFacts {
            language: "rust".to_string(),
            listens: vec![listen],
            ..SourceFacts::default()
        });
        output
    }
}

struct Entry {
    table: String,
    key: String,
    value: String,
    /// The value as written, without quotes.
    value_span: Range<usize>,
    /// The whole `key = value` line.
    line: Range<usize>,
}

struct Read {
    values: Vec<Entry>,
    error: Option<(Range<usize>, String)>,
}

fn read(text: &str) -> Read {
    let mut out = Read {
        values: Vec::new(),
        error: None,
    };
    let mut table = String::new();
    let mut offset = 0;
    // Inside a multi-line string (`"""`/`'''`) or array: skipped.
    let mut skipping_until: Option<&str> = None;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if let Some(close) = skipping_until {
            if line.contains(close) {
                skipping_until = None;
            }
            continue;
        }
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(header) = trimmed.strip_prefix('[') {
            match header.find(']') {
                Some(end) => {
                    let name = header.get(..end).unwrap_or("").trim().trim_matches('[');
                    table = name.trim_matches('"').to_string();
                }
                None => {
                    out.error.get_or_insert((
                        start + indent..start + line.len(),
                        "rocket.toml syntax error: unclosed table header".to_string(),
                    ));
                }
            }
            continue;
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            out.error.get_or_insert((
                start + indent..start + line.len(),
                "rocket.toml syntax error: expected `key = value`".to_string(),
            ));
            continue;
        };
        let value_trimmed = value.trim();
        for opener in ["\"\"\"", "'''"] {
            if value_trimmed.starts_with(opener) && value_trimmed.matches(opener).count() == 1 {
                skipping_until = Some(opener);
            }
        }
        if value_trimmed.starts_with('[') && !value_trimmed.contains(']') {
            skipping_until = Some("]");
        }
        let key = key.trim().trim_matches('"');
        // `default.port = 1` (dotted keys) under the root table.
        let (table_name, key) = match key.rsplit_once('.') {
            Some((t, k)) if table.is_empty() => (t.trim().to_string(), k.trim()),
            _ => (table.clone(), key),
        };
        if key != "port" && key != "address" {
            continue;
        }
        let value_start = start
            + indent
            + (trimmed.len() - value.len())
            + (value.len() - value.trim_start().len());
        let literal = scalar(value_trimmed);
        let Some((text_value, inner)) = literal else {
            continue;
        };
        out.values.push(Entry {
            table: table_name,
            key: key.to_string(),
            value: text_value,
            value_span: value_start + inner.start..value_start + inner.end,
            line: start + indent..start + line.len(),
        });
    }
    out
}

/// An integer or a basic string (no escapes), with the range of its text
/// inside `value` (quotes excluded). Comments after the value are ignored.
fn scalar(value: &str) -> Option<(String, Range<usize>)> {
    if let Some(rest) = value.strip_prefix('"').or_else(|| value.strip_prefix('\'')) {
        let end = rest.find(['"', '\''])?;
        let inner = rest.get(..end)?;
        if inner.contains('\\') {
            return None;
        }
        return Some((inner.to_string(), 1..1 + end));
    }
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '_'))
        .unwrap_or(value.len());
    let digits = value.get(..end)?;
    (!digits.is_empty()).then(|| (digits.replace('_', ""), 0..end))
}
