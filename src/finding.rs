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
    /// Adds a related location, unless the finding already has
    /// [`MAX_LISTED`] of them: the candidates of one finding can number in
    /// the thousands (a Service selecting 5,000 Deployments), and a finding
    /// is read by a person. The help says how many there are in all.
    pub fn related(mut self, loc: &Location, message: impl Into<String>) -> Self {
        if self.related.len() >= MAX_LISTED {
            return self;
        }
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
    /// What identifies the finding for baselines (`fingerprint`), when the
    /// message holds values that change with releases (an image tag).
    pub fn with_key(mut self, key: String) -> Self {
        self.key = key;
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

/// Candidates one finding lists at most (in its help or related locations).
pub const MAX_LISTED: usize = 10;

/// `items` joined by `, `, at most [`MAX_LISTED`] of them, then how many
/// more there are: "`a`, `b` … and 4,995 more".
pub fn listed(items: impl IntoIterator<Item = String>) -> String {
    listed_with(items, ", ")
}

/// [`listed`] of the first items of a list of `total`: only those shown are
/// formatted (a finding per Ingress backend listing 20,000 Services would
/// otherwise format all 20,000 names each time).
pub fn listed_of_total(items: impl IntoIterator<Item = String>, total: usize) -> String {
    let shown: Vec<String> = items.into_iter().take(MAX_LISTED).collect();
    let more = total.saturating_sub(shown.len());
    let mut out = shown.join(", ");
    if more > 0 {
        out.push_str(&format!(" and {} more", thousands(more)));
    }
    out
}

/// [`listed`] with another separator (`EXPOSE 80 443 …`).
pub fn listed_with(items: impl IntoIterator<Item = String>, separator: &str) -> String {
    let mut shown = Vec::new();
    let mut more = 0usize;
    for item in items {
        if shown.len() < MAX_LISTED {
            shown.push(item);
        } else {
            more += 1;
        }
    }
    let mut out = shown.join(separator);
    if more > 0 {
        out.push_str(&format!(" and {} more", thousands(more)));
    }
    out
}

/// `4995` -> `4,995`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod listed_tests {
    use super::*;

    #[test]
    fn a_long_list_is_cut_with_a_count() {
        let items = (0..5_000).map(|i| format!("s{i}"));
        let text = listed(items);
        assert!(text.starts_with("s0, s1, "));
        assert!(text.ends_with("s9 and 4,990 more"), "{text}");
        assert_eq!(listed(["a".to_string(), "b".to_string()]), "a, b");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}
