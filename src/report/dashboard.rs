//! The dashboard part of the JSON report (and the HTML report's header):
//! who ran what on which commit, counts a team lead can chart, and what was
//! covered, so that "clean" can be told from "not checked".

use crate::audit::Audit;
use crate::finding::Severity;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

/// Where and how the audit ran.
#[derive(Serialize, JsonSchema, Debug, Clone)]
pub struct Run {
    /// The seamcheck version, with the commit it was built from when known
    /// (`0.1.0 (abc1234)`).
    pub tool_version: &'static str,
    /// When the report was made, RFC 3339 in UTC; `SOURCE_DATE_EPOCH`
    /// (seconds since 1970) fixes it for reproducible reports.
    pub timestamp: String,
    /// The audited root directory's name.
    pub root_name: String,
    /// The audited root's git commit (from `.git`, when it is in the root).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// The branch checked out, when HEAD names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_branch: Option<String>,
    /// A digest of the effective configuration (file and rule flags):
    /// two runs with the same digest applied the same rules the same way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_hash: Option<String>,
}

/// Findings by severity.
#[derive(Serialize, JsonSchema, Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct SeverityCounts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl SeverityCounts {
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Note => self.notes += 1,
        }
    }
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.notes
    }
}

/// The reported findings counted three ways.
#[derive(Serialize, JsonSchema, Debug, Clone, Default)]
pub struct Counts {
    pub by_severity: SeverityCounts,
    /// Rule ID → count (rules with no finding are absent).
    pub by_rule: BTreeMap<String, usize>,
    /// Service name → counts; findings tied to no service are under `""`.
    pub by_service: BTreeMap<String, SeverityCounts>,
}

/// What the audit could check.
#[derive(Serialize, JsonSchema, Debug, Clone, Default)]
pub struct Coverage {
    /// Services seamcheck linked.
    pub services_found: usize,
    /// Services whose every layer could be compared: a Dockerfile, something
    /// that runs its image (a workload or a compose service), and the port
    /// the app listens on.
    pub services_checked_end_to_end: usize,
    /// Workload containers whose image no Dockerfile here builds (only their
    /// manifests are checked).
    pub workloads_image_not_built_here: usize,
    /// Dockerfiles no workload or compose service runs.
    pub dockerfiles_linked_to_nothing: usize,
    /// Helm charts and kustomize overlays rendered, and those that failed.
    pub templates_rendered: usize,
    pub templates_failed: usize,
    /// The services not checked end to end, and why.
    pub not_checked: Vec<NotChecked>,
    /// `Kind/namespace/name/container` of the workloads counted above.
    pub unbuilt_workloads: Vec<String>,
    /// Paths of the Dockerfiles counted above.
    pub unlinked_dockerfiles: Vec<String>,
}

#[derive(Serialize, JsonSchema, Debug, Clone)]
pub struct NotChecked {
    pub service: String,
    /// What is missing: `no Dockerfile`, `nothing runs the image`,
    /// `listen port unknown`.
    pub missing: Vec<&'static str>,
}

pub fn run(audit: &Audit) -> Run {
    let head = crate::report::git::read_head(&audit.root).unwrap_or_default();
    let root_name = audit
        .root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| audit.root_display.clone());
    Run {
        tool_version: crate::version::LONG,
        timestamp: timestamp(),
        root_name,
        git_commit: head.commit,
        git_branch: head.branch,
        config_hash: audit.config_digest.clone(),
    }
}

pub fn counts(audit: &Audit) -> Counts {
    let mut c = Counts::default();
    for f in &audit.findings {
        c.by_severity.add(f.severity);
        *c.by_rule.entry(f.rule.to_string()).or_default() += 1;
        c.by_service
            .entry(f.service.clone().unwrap_or_default())
            .or_default()
            .add(f.severity);
    }
    c
}

pub fn coverage(audit: &Audit) -> Coverage {
    let mut c = Coverage {
        services_found: audit.services.len(),
        templates_rendered: audit.units_rendered,
        templates_failed: audit.units_failed,
        ..Coverage::default()
    };
    for s in &audit.services {
        let runs = !s.workloads.is_empty() || !s.compose.is_empty();
        let mut missing = Vec::new();
        if s.dockerfile.is_none() {
            missing.push("no Dockerfile");
            for w in &s.workloads {
                c.unbuilt_workloads
                    .push(format!("{}/{}", w.id, w.container));
            }
        }
        if !runs {
            missing.push("nothing runs the image");
            if let Some(d) = &s.dockerfile {
                c.unlinked_dockerfiles.push(d.clone());
            }
        }
        if s.listen.as_ref().and_then(|l| l.port).is_none() {
            missing.push("listen port unknown");
        }
        if missing.is_empty() {
            c.services_checked_end_to_end += 1;
        } else {
            c.not_checked.push(NotChecked {
                service: s.name.clone(),
                missing,
            });
        }
    }
    c.unbuilt_workloads.sort();
    c.unbuilt_workloads.dedup();
    c.unlinked_dockerfiles.sort();
    c.unlinked_dockerfiles.dedup();
    c.workloads_image_not_built_here = c.unbuilt_workloads.len();
    c.dockerfiles_linked_to_nothing = c.unlinked_dockerfiles.len();
    c
}

/// Now, or `SOURCE_DATE_EPOCH`, as RFC 3339 UTC.
pub fn timestamp() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
    rfc3339(secs)
}

/// Seconds since 1970 as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian;
/// Howard Hinnant's days-to-civil).
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// FNV-1a of `text` as 16 hex digits: stable across Rust versions.
pub fn digest(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339(4_102_444_799), "2099-12-31T23:59:59Z");
    }
}
