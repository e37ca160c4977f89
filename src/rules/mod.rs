//! The rules: one file each. A rule's module doc comment (*What it does / Why
//! it matters / Example / How to fix*) is what `seamcheck explain` prints and
//! what `docs/rules.md` is generated from.

mod helpers;
mod routes;

/// The rules' name for the model they read.
pub use crate::model::Model as Ctx;

use crate::finding::{Finding, Severity};

pub struct RuleMeta {
    pub id: &'static str,
    pub severity: Severity,
    /// One line, lowercase, no trailing period.
    pub summary: &'static str,
    /// The rule's own source file; its `//!` lines are the documentation.
    source: &'static str,
}

impl RuleMeta {
    /// The module doc comment, as Markdown.
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                break;
            };
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            out.push('\n');
        }
        out.trim().to_string()
    }
}

pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Ctx<'_>, &mut Vec<Finding>),
}

macro_rules! rules {
    ($($module:ident),* $(,)?) => {
        $(mod $module;)*
        /// Every rule, in the order of the design's table.
        pub static RULES: &[Rule] = &[$(Rule { meta: &$module::META, check: $module::check }),*];
    };
}

macro_rules! meta {
    ($id:literal, $severity:ident, $summary:literal, $file:literal) => {
        pub static META: crate::rules::RuleMeta = crate::rules::RuleMeta::new(
            $id,
            crate::finding::Severity::$severity,
            $summary,
            include_str!($file),
        );
    };
}

impl RuleMeta {
    pub const fn new(
        id: &'static str,
        severity: Severity,
        summary: &'static str,
        source: &'static str,
    ) -> Self {
        RuleMeta {
            id,
            severity,
            summary,
            source,
        }
    }
}

rules![
    expose_port_mismatch,
    container_port_mismatch,
    probe_port_mismatch,
    service_target_port_mismatch,
    service_selector_no_match,
    compose_port_mismatch,
    ingress_backend_missing,
    localhost_bind,
    probe_path_unserved,
    probe_handler_error_status,
    sleep_in_handler,
    run_as_non_root_unverifiable,
    runs_as_root,
    latest_tag_pull_policy,
    missing_resources,
    missing_readiness_probe,
    missing_liveness_probe,
    debug_mode_enabled,
    full_base_image,
    cache_busting_copy,
    missing_healthcheck,
    port_env_required,
    port_env_ignored,
    expose_unresolved,
    healthcheck_tool_missing,
    healthcheck_port_mismatch,
    parse_error,
    unused_suppression,
];

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.meta.id == id)
}
