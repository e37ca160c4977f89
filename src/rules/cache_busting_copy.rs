//! ## What it does
//! Finds a stage that copies the whole build context (`COPY . .`) before the
//! `RUN` that installs dependencies (`pip install -r`, `npm ci`,
//! `go mod download` …).
//!
//! ## Why it matters
//! Docker reuses a layer only while everything before it is unchanged. With the
//! whole context copied first, any source edit invalidates the dependency
//! layer: every build reinstalls every dependency, slowly and with network
//! access.
//!
//! ## Example
//! ```dockerfile
//! COPY . /app
//! RUN pip install -r requirements.txt
//! ```
//!
//! ## How to fix
//! Copy only the dependency manifests first, install, then copy the rest:
//! ```dockerfile
//! COPY requirements.txt .
//! RUN pip install --no-cache-dir -r requirements.txt
//! COPY . .
//! ```
use crate::model::Model;
use crate::finding::Finding;

meta!(
    "cache-busting-copy",
    Note,
    "whole build context copied before dependencies are installed"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    // The first service built from each Dockerfile (by its index).
    let mut service_of: std::collections::HashMap<usize, &str> = std::collections::HashMap::new();
    for s in cx.services {
        if let Some(d) = s.dockerfile {
            service_of.entry(d).or_insert(s.name.as_str());
        }
    }
    for (index, df) in cx.inv.dockerfiles.iter().enumerate() {
        let service = service_of.get(&index).copied();
        for stage in &df.facts.stages {
            let Some(copy) = stage
                .copies
                .iter()
                .find(|c| c.whole_context && c.from.is_none())
            else {
                continue;
            };
            let copy_at = copy.loc.span.start;
            let installs = |r: &&seamcheck_facts::dockerfile::RunFact| r.installs_dependencies;
            // Dependencies installed before the copy are cached already: what
            // runs after it (`go build`, `pip install --no-deps .`) builds the
            // project itself, which must see the sources.
            if stage.runs.iter().filter(installs).any(|r| r.loc.span.start < copy_at) {
                continue;
            }
            let Some(install) = stage
                .runs
                .iter()
                .filter(installs)
                .find(|r| r.loc.span.start > copy_at)
            else {
                continue;
            };
            let mut f = Finding::new(
                META.id,
                META.severity,
                copy.loc.clone(),
                "the whole build context is copied before dependencies are installed".to_string(),
            )
            .label("any source change invalidates the layers below")
            .help("copy the dependency manifests first, install, then copy the rest")
            .service(service)
            .related(&install.loc, "dependencies are installed here");
            f.key = format!("{}|{}", stage.index, install.text);
            out.push(f);
        }
    }
}
