//! Where a JVM app starts its server from code: Spring Boot's
//! `SpringApplication.run(App.class, args)` (also `new SpringApplication(…)
//! .run(…)`, `new SpringApplicationBuilder(…)….run(…)`), `Quarkus.run`,
//! `Micronaut.run`. None passes a port: the framework reads its own
//! configuration, so each is an *implicit* listen on the framework default
//! (see `ListenScope::implicit`) that a configuration file replaces.

use super::syntax::{last_segment, Source};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::{Listen, ListenScope};
use seamcheck_facts::{Framework, ValueExpr};
use tree_sitter::Node;

struct Launcher {
    /// Simple class name the call is made on (or constructed).
    class: &'static str,
    framework: Framework,
    port_var: &'static str,
}

const LAUNCHERS: &[Launcher] = &[
    Launcher {
        class: "SpringApplication",
        framework: Framework::SpringBoot,
        port_var: "SERVER_PORT",
    },
    Launcher {
        class: "SpringApplicationBuilder",
        framework: Framework::SpringBoot,
        port_var: "SERVER_PORT",
    },
    Launcher {
        class: "Quarkus",
        framework: Framework::Quarkus,
        port_var: "QUARKUS_HTTP_PORT",
    },
    Launcher {
        class: "Micronaut",
        framework: Framework::Micronaut,
        port_var: "MICRONAUT_SERVER_PORT",
    },
];

pub fn find(calls: &[Node<'_>], source: &Source<'_>) -> Vec<(Listen, ListenScope)> {
    let mut out = Vec::new();
    for call in calls {
        let name = call.field_child("name").map_or("", |n| source.text_of(n));
        if name != "run" {
            continue;
        }
        let Some(object) = call.field_child("object") else {
            continue;
        };
        let Some(launcher) = launcher_of(object, source) else {
            continue;
        };
        let call_text = format!("{}.run", launcher.class);
        out.push(implicit_listen(
            call_text,
            launcher.framework,
            launcher.port_var,
            *call,
            source,
        ));
    }
    out
}

/// The implicit listen of a launcher call that passes no port (Spring Boot's
/// `SpringApplication.run`, Kotlin's `runApplication<App>`): the framework
/// default 8080 on all interfaces, overridable by `port_var`. Shared with the
/// Kotlin module so both languages model Spring Boot identically.
pub(crate) fn implicit_listen(
    call_text: String,
    framework: Framework,
    port_var: &str,
    call: Node<'_>,
    source: &Source<'_>,
) -> (Listen, ListenScope) {
    let listen = Listen {
        call: call_text,
        framework,
        host: None,
        port: Some(source.located(ValueExpr::env(port_var, Some("8080".to_string())), call)),
        default_port: 8080,
        default_host: "0.0.0.0".to_string(),
        debug: None,
        in_main_guard: false,
        loc: source.loc(call),
        app_target: None,
        reload: None,
        port_defined_at: None,
        host_defined_at: None,
        via_function: None,
    };
    let scope = ListenScope {
        listen: 0,
        profile: None,
        implicit: true,
        management: false,
        // The port already reads the framework's variable.
        env_overrides: Vec::new(),
    };
    (listen, scope)
}

/// The launcher class a `.run` is called on: the class itself, or an object
/// built from it (`new SpringApplication(App.class)`, builder chains).
fn launcher_of(object: Node<'_>, source: &Source<'_>) -> Option<&'static Launcher> {
    let mut node = object;
    // Builder chains are short; the bound keeps a pathological one cheap.
    for _ in 0..64 {
        match node.cached_kind() {
            "identifier" | "field_access" | "scoped_identifier" => {
                let name = last_segment(source.text_of(node));
                return LAUNCHERS.iter().find(|l| l.class == name);
            }
            "object_creation_expression" => {
                let ty = node.field_child("type").map_or("", |t| source.text_of(t));
                return LAUNCHERS.iter().find(|l| l.class == last_segment(ty));
            }
            "method_invocation" => node = node.field_child("object")?,
            "parenthesized_expression" => node = node.named_child(0)?,
            _ => return None,
        }
    }
    None
}
