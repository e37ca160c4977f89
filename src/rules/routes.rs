//! What seamcheck knows of the paths a service's app serves: the routes of the
//! source files in its build context, plus what the framework serves by itself.

use super::helpers::serving_routes;
use crate::model::inventory::Inventory;
use crate::model::link::Service;
use seamcheck_facts::source::{Route, RouteMatchKind};
use seamcheck_facts::Framework;

pub struct ServedPaths<'a> {
    pub routes: Vec<&'a Route>,
    /// Routes that serve more than their exact path: a prefix (nginx
    /// `location /api/`) or a regular expression, which seamcheck does not
    /// evaluate and so takes as possibly serving anything.
    wide: Vec<(&'a Route, RouteMatchKind)>,
    frameworks: Vec<Framework>,
    /// Blueprints/routers registered from another file may add a prefix
    /// seamcheck did not see: then a suffix match is not a finding.
    has_mounted_parts: bool,
}

/// `None` when the routes are not known: no route in the build context.
pub fn served_paths<'a>(inv: &'a Inventory<'a>, svc: &Service) -> Option<ServedPaths<'a>> {
    let sources: Vec<_> = svc
        .sources
        .iter()
        .filter_map(|&i| inv.sources.get(i))
        .collect();
    let routes: Vec<&Route> = sources.iter().flat_map(|s| s.facts.routes.iter()).collect();
    if routes.is_empty() {
        return None;
    }
    let wide = sources
        .iter()
        .flat_map(|s| {
            s.facts
                .route_matches
                .iter()
                .filter_map(|m| s.facts.routes.get(m.route).map(|r| (r, m.kind)))
        })
        .collect();
    Some(ServedPaths {
        routes,
        wide,
        frameworks: sources
            .iter()
            .flat_map(|s| s.facts.apps.iter().map(|a| a.framework))
            .collect(),
        has_mounted_parts: sources.iter().any(|s| {
            // The app objects a parent mounts: the names that contained
            // `blueprint` or `router` when this matched on strings.
            s.facts.apps.iter().any(|a| {
                matches!(
                    a.framework,
                    Framework::Blueprint
                        | Framework::ApiRouter
                        | Framework::ExpressRouter
                        | Framework::KoaRouter
                )
            })
        }),
    })
}

impl ServedPaths<'_> {
    /// `false` only when seamcheck is sure no route serves `path`.
    pub fn may_serve(&self, path: &str) -> bool {
        let wide = self.wide.iter().any(|(r, kind)| match kind {
            RouteMatchKind::Prefix => path.starts_with(r.path.value.as_str()),
            RouteMatchKind::Regex { .. } => true,
        });
        if wide
            || !serving_routes(self.routes.iter().copied(), path).is_empty()
            || self
                .frameworks
                .iter()
                .any(|&f| served_by_framework(f, path))
        {
            return true;
        }
        self.has_mounted_parts
            && self.routes.iter().any(|r| {
                path.trim_end_matches('/')
                    .ends_with(r.path.value.trim_end_matches('/'))
            })
    }

    /// The served paths, sorted, for a help message.
    pub fn known(&self) -> String {
        let mut known: Vec<String> = self
            .routes
            .iter()
            .map(|r| format!("`{}`", r.path.value))
            .collect();
        known.sort();
        known.dedup();
        crate::finding::listed(known)
    }
}

/// Paths a framework serves without a route in the code.
fn served_by_framework(framework: Framework, path: &str) -> bool {
    match framework {
        Framework::Flask => path.starts_with("/static/"),
        Framework::FastApi => matches!(
            path,
            "/docs" | "/redoc" | "/openapi.json" | "/docs/oauth2-redirect"
        ),
        _ => false,
    }
}
