//! From settings to facts: where the server listens (per document and
//! profile), the management server, the actuator health routes and the
//! servlet context path.

use super::entries::ConfigEntry;
use super::placeholders::value_expr;
use seamcheck_facts::source::{
    AppObject, EnvFormat, EnvOverride, Listen, ListenScope, Route, RoutePort,
};
use seamcheck_facts::{Framework, Located, SourceFacts, ValueExpr};

/// A server whose port and host are configuration keys.
struct Server {
    framework: Framework,
    /// Canonical keys (see `entries::canonical`) and the environment variable
    /// that overrides each by relaxed binding.
    port_key: &'static str,
    port_var: &'static str,
    host_key: &'static str,
    host_var: &'static str,
    default_port: u16,
    management: bool,
}

const SERVERS: &[Server] = &[
    Server {
        framework: Framework::SpringBoot,
        port_key: "server.port",
        port_var: "SERVER_PORT",
        host_key: "server.address",
        host_var: "SERVER_ADDRESS",
        default_port: 8080,
        management: false,
    },
    Server {
        framework: Framework::Quarkus,
        port_key: "quarkus.http.port",
        port_var: "QUARKUS_HTTP_PORT",
        host_key: "quarkus.http.host",
        host_var: "QUARKUS_HTTP_HOST",
        default_port: 8080,
        management: false,
    },
    Server {
        framework: Framework::Micronaut,
        port_key: "micronaut.server.port",
        port_var: "MICRONAUT_SERVER_PORT",
        host_key: "micronaut.server.host",
        host_var: "MICRONAUT_SERVER_HOST",
        default_port: 8080,
        management: false,
    },
    Server {
        framework: Framework::SpringBoot,
        port_key: "management.server.port",
        port_var: "MANAGEMENT_SERVER_PORT",
        host_key: "management.server.address",
        host_var: "MANAGEMENT_SERVER_ADDRESS",
        default_port: 8080,
        management: true,
    },
];

/// One setting after profile prefixes are read.
struct Setting<'e> {
    entry: &'e ConfigEntry,
    /// Canonical key without a Quarkus `%profile.` prefix.
    key: String,
    profile: Option<String>,
}

/// `file_profile` comes from the file name (`application-prod.yml`).
pub fn build(entries: &[ConfigEntry], file_profile: Option<&str>) -> SourceFacts {
    let settings = with_profiles(entries, file_profile);
    let mut facts = SourceFacts {
        language: "jvm-config".to_string(),
        ..SourceFacts::default()
    };
    let mut found: Vec<(Listen, ListenScope, (bool, bool, usize))> = Vec::new();
    // One listen per server, document and profile.
    let mut groups: Vec<(usize, Option<String>)> = Vec::new();
    for s in &settings {
        let group = (s.entry.document, s.profile.clone());
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    for (document, profile) in &groups {
        let in_group: Vec<&Setting> = settings
            .iter()
            .filter(|s| s.entry.document == *document && s.profile == *profile)
            .collect();
        for server in SERVERS {
            // A later setting of the same key wins.
            let port = in_group.iter().rev().find(|s| s.key == server.port_key);
            let host = in_group.iter().rev().find(|s| s.key == server.host_key);
            let Some(first) = port.or(host) else {
                continue;
            };
            // `management.server.port=-1` turns the management endpoints off.
            if server.management && port.is_some_and(|p| p.entry.value == "-1") {
                continue;
            }
            let (listen, scope) = listen(server, first, port.copied(), host.copied(), profile);
            let order = (server.management, profile.is_some(), *document);
            found.push((listen, scope, order));
        }
    }
    // The profile-less main listen first: it is what applies by default.
    found.sort_by_key(|(_, _, order)| *order);
    for (i, (listen, mut scope, _)) in found.into_iter().enumerate() {
        scope.listen = i;
        facts.listens.push(listen);
        facts.listen_scopes.push(scope);
    }
    facts.apps = context_paths(&settings);
    add_actuator_routes(&settings, &mut facts);
    facts
}

fn with_profiles<'e>(entries: &'e [ConfigEntry], file_profile: Option<&str>) -> Vec<Setting<'e>> {
    let documents = entries
        .iter()
        .map(|e| e.document)
        .max()
        .map_or(0, |d| d + 1);
    let mut document_profile: Vec<Option<String>> = vec![None; documents.min(10_000)];
    for e in entries {
        let key = e.canonical_key();
        if key == "spring.config.activate.onprofile" || key == "spring.profiles" {
            if let Some(slot) = document_profile.get_mut(e.document) {
                *slot = Some(e.value.clone());
            }
        }
    }
    let mut out = Vec::new();
    for entry in entries {
        let mut key = entry.canonical_key();
        let mut profile = document_profile
            .get(entry.document)
            .cloned()
            .flatten()
            .or_else(|| file_profile.map(str::to_string));
        // Quarkus `%prod.quarkus.http.port`: `prod` is the packaged app's
        // profile, so it applies by default; dev and test never run in an image.
        if let Some(rest) = key.strip_prefix('%') {
            let Some((p, k)) = rest.split_once('.') else {
                continue;
            };
            let (p, k) = (p.to_string(), k.to_string());
            if p != "prod" {
                if p == "dev" || p == "test" {
                    continue;
                }
                profile = Some(p);
            }
            key = k;
        }
        out.push(Setting {
            entry,
            key,
            profile,
        });
    }
    out
}

fn listen(
    server: &Server,
    first: &Setting,
    port: Option<&Setting>,
    host: Option<&Setting>,
    profile: &Option<String>,
) -> (Listen, ListenScope) {
    let port_expr = port.map(|p| {
        Located::new(
            value_expr(&p.entry.value, Some(server.port_var)),
            p.entry.value_loc.clone(),
        )
    });
    let host_expr = host.map(|h| {
        Located::new(
            value_expr(&h.entry.value, Some(server.host_var)),
            h.entry.value_loc.clone(),
        )
    });
    // Unless the port already reads the framework's own variable, that
    // variable outranks what the file says.
    let reads_own_var = matches!(
        port_expr.as_ref().map(|p| &p.value),
        Some(ValueExpr::Env { var, .. }) if var == server.port_var
    );
    let env_overrides = if reads_own_var {
        Vec::new()
    } else {
        vec![EnvOverride {
            var: server.port_var.to_string(),
            format: EnvFormat::Port,
        }]
    };
    let loc = first.entry.entry_loc.clone();
    let call = first.entry.key.clone();
    let listen = Listen {
        call,
        framework: server.framework,
        host: host_expr,
        port: port_expr,
        default_port: server.default_port,
        default_host: "0.0.0.0".to_string(),
        debug: None,
        in_main_guard: false,
        loc,
        app_target: None,
        reload: None,
        port_defined_at: None,
        host_defined_at: None,
        via_function: None,
    };
    let scope = ListenScope {
        listen: 0,
        profile: profile.clone(),
        implicit: false,
        management: server.management,
        env_overrides,
    };
    (listen, scope)
}

/// `server.servlet.context-path` (Spring MVC) and `spring.webflux.base-path`
/// prefix every route of the app, as an app object with a prefix.
fn context_paths(settings: &[Setting]) -> Vec<AppObject> {
    settings
        .iter()
        .filter(|s| {
            s.profile.is_none()
                && (s.key == "server.servlet.contextpath" || s.key == "spring.webflux.basepath")
        })
        .map(|s| AppObject {
            var: s.entry.key.clone(),
            framework: Framework::SpringBoot,
            loc: s.entry.entry_loc.clone(),
            prefix: Some(Located::new(
                s.entry.value.clone(),
                s.entry.value_loc.clone(),
            )),
        })
        .collect()
}

/// Actuator health endpoints. A file that configures `management.*` uses
/// Spring Boot Actuator (the dependency itself is in the build file, which
/// is not read), and `/actuator/health` is exposed by default; the liveness
/// and readiness groups are on by default when the app runs on Kubernetes.
fn add_actuator_routes(settings: &[Setting], facts: &mut SourceFacts) {
    let Some(evidence) = settings.iter().find(|s| s.key.starts_with("management.")) else {
        return;
    };
    let management = facts
        .listen_scopes
        .iter()
        .find(|s| s.management && s.profile.is_none())
        .map(|s| s.listen);
    if settings
        .iter()
        .any(|s| s.profile.is_none() && s.key == "management.server.port" && s.entry.value == "-1")
    {
        return;
    }
    // The profile-less base path, else the file's own (a profile file).
    let base_paths = settings
        .iter()
        .rev()
        .filter(|s| s.key == "management.endpoints.web.basepath");
    let base_path = base_paths
        .clone()
        .find(|s| s.profile.is_none())
        .or_else(|| base_paths.clone().next());
    let base = base_path.map_or("/actuator", |s| s.entry.value.as_str());
    let base = base.trim_end_matches('/');
    let path_loc = base_path.map_or_else(
        || evidence.entry.entry_loc.clone(),
        |s| s.entry.value_loc.clone(),
    );
    for suffix in ["/health", "/health/liveness", "/health/readiness"] {
        let path = format!("{base}{suffix}");
        let route = Route {
            methods: vec!["GET".to_string()],
            path: Located::new(path, path_loc.clone()),
            handler: Located::new(
                "actuator health endpoint".to_string(),
                evidence.entry.entry_loc.clone(),
            ),
            handler_loc: evidence.entry.entry_loc.clone(),
            is_async: false,
            // UP answers 200, DOWN/OUT_OF_SERVICE 503: it depends on state.
            returns: Vec::new(),
            app_var: "actuator".to_string(),
            framework: Framework::SpringBootActuator,
        };
        facts.routes.push(route);
        if let Some(listen) = management {
            facts.route_ports.push(RoutePort {
                route: facts.routes.len() - 1,
                listen,
            });
        }
    }
}
