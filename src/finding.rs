//! A finding: one rule's verdict on one place, with the other layers' evidence.

use seamcheck_facts::Location;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Evidence in another place (often another layer) that explains a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub loc: Location,
    /// Lowercase, no trailing period: "app.run(port=8080)".
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    /// Lowercase, no trailing period.
    pub message: String,
    pub service: Option<String>,
    /// Where the fix goes.
    pub location: Location,
    /// Label for the primary location in human output.
    pub label: String,
    pub related: Vec<Related>,
    /// One-line suggestion for this occurrence.
    pub help: Option<String>,
    /// The facts the finding rests on, without line numbers: feeds the
    /// fingerprint so that it survives unrelated edits that shift lines.
    pub key: String,
}

impl Finding {
    pub fn new(
        rule: &'static str,
        severity: Severity,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        let message = message.into();
        Finding {
            rule,
            severity,
            key: message.clone(),
            label: message.clone(),
            message,
            service: None,
            location,
            related: Vec::new(),
            help: None,
        }
    }
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }
    pub fn related(mut self, loc: &Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            loc: loc.clone(),
            message: message.into(),
        });
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn service(mut self, name: Option<&str>) -> Self {
        self.service = name.map(str::to_string);
        self
    }
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Stable across edits that only move lines: rule, file and the facts.
    pub fn fingerprint(&self) -> String {
        let mut h = Fnv64::default();
        for part in [
            self.rule,
            &*self.location.path,
            self.service.as_deref().unwrap_or(""),
            self.key.as_str(),
        ] {
            h.write(part.as_bytes());
            h.write(&[0xff]);
        }
        format!("{:016x}", h.0)
    }
}

/// FNV-1a: tiny, and stable across Rust versions (unlike `DefaultHasher`),
/// which a fingerprint stored in a baseline needs.
struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}
