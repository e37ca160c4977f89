//! One `key = value` setting of a JVM configuration file, whatever its
//! format (`.properties` line, YAML scalar under nested keys).

use seamcheck_facts::Location;

/// A setting with a scalar value.
#[derive(Debug, Clone)]
pub struct ConfigEntry {
    /// The full key as written, dotted (`server.port`, `%prod.quarkus.http.port`).
    pub key: String,
    /// The value with escapes decoded and surrounding blanks removed.
    pub value: String,
    /// The value token (quotes included for a quoted YAML scalar).
    pub value_loc: Location,
    /// From the start of the key to the end of the value (for a YAML nested
    /// key: the innermost key).
    pub entry_loc: Location,
    /// The document of the file (`---` in YAML, `#---` in properties), from 0.
    pub document: usize,
}

impl ConfigEntry {
    /// The key in Spring's canonical form for comparison: lower case, with
    /// `-` and `_` removed (relaxed binding: `server.PORT`,
    /// `management.endpoints.web.base_path`).
    pub fn canonical_key(&self) -> String {
        canonical(&self.key)
    }
}

pub fn canonical(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Test helpers shared by the `.properties` and YAML readers' tests.
#[cfg(test)]
pub mod test_rows {
    use super::ConfigEntry;

    /// (key, value, value as written, document).
    pub type Row = (String, String, String, usize);

    /// Each entry as a [`Row`], the written value cut from `text` at its location.
    pub fn rows(text: &str, entries: Vec<ConfigEntry>) -> Vec<Row> {
        entries
            .into_iter()
            .map(|e| {
                let written = text
                    .get(e.value_loc.span.start..e.value_loc.span.end)
                    .unwrap_or("?")
                    .to_string();
                (e.key, e.value, written, e.document)
            })
            .collect()
    }

    pub fn row(k: &str, v: &str, w: &str, d: usize) -> Row {
        (k.into(), v.into(), w.into(), d)
    }
}
