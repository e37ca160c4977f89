//! Where an ASP.NET Core app listens, from its code: `app.Run(url)`,
//! `app.Urls.Add(url)`, `UseUrls(url)`, Kestrel `ListenAnyIP(port)` /
//! `ListenLocalhost(port)` (explicit: code outranks the environment), and
//! `app.Run()` on a built host (implicit: `ASPNETCORE_URLS`, then
//! `ASPNETCORE_HTTP_PORTS`, decide; see `ListenScope`).

use super::values::{port_expr, url_expr, Declarations};
use crate::java::syntax::{named_children, Source};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::{EnvFormat, EnvOverride, Listen, ListenScope};
use seamcheck_facts::{Framework, Located, ValueExpr};
use tree_sitter::Node;

pub fn find(
    invocations: &[Node<'_>],
    source: &Source<'_>,
    decls: &Declarations<'_>,
    built_hosts: &[&str],
) -> Vec<(Listen, ListenScope)> {
    let mut out = Vec::new();
    for call in invocations {
        let Some(function) = call.field_child("function") else {
            continue;
        };
        if function.cached_kind() != "member_access_expression" {
            continue;
        }
        let name = function
            .field_child("name")
            .map_or("", |n| source.text_of(n));
        let receiver = function.field_child("expression");
        let receiver_text = receiver.map_or("", |r| source.text_of(r));
        let args: Vec<Node<'_>> = call
            .field_child("arguments")
            .map(named_children)
            .unwrap_or_default();
        let call_text = source.text_of(function).to_string();
        // `Task.Run(…)` and friends are not hosts.
        let on_built_host =
            built_hosts.contains(&receiver_text) || receiver_text.ends_with(".Build()");
        let found = match name {
            "Run" | "RunAsync" if !on_built_host => None,
            "Run" | "RunAsync" => match args.first() {
                Some(a) => url_listen(*a, *call, &call_text, source, decls),
                None => Some(implicit(*call, &call_text, source)),
            },
            "Add" if receiver_text.ends_with(".Urls") => args
                .first()
                .and_then(|a| url_listen(*a, *call, &call_text, source, decls)),
            "UseUrls" => args
                .first()
                .and_then(|a| url_listen(*a, *call, &call_text, source, decls)),
            "ListenAnyIP" | "ListenLocalhost" => args.first().map(|a| {
                let host = if name == "ListenAnyIP" {
                    "0.0.0.0"
                } else {
                    "localhost"
                };
                let port = source.located(port_expr(*a, source, decls), *a);
                explicit(
                    *call,
                    &call_text,
                    Some(Located::new(ValueExpr::literal(host), source.loc(function))),
                    port,
                    source,
                )
            }),
            _ => None,
        };
        out.extend(found);
    }
    out
}

fn url_listen(
    arg: Node<'_>,
    call: Node<'_>,
    call_text: &str,
    source: &Source<'_>,
    decls: &Declarations<'_>,
) -> Option<(Listen, ListenScope)> {
    let url = url_expr(arg, source, decls);
    let (host, port) = match url {
        Some(u) => (Some(u.host), u.port),
        // A URL seamcheck cannot read: both unknown, located at the argument.
        None => {
            let unknown = source.located(ValueExpr::unknown(source.short_text_of(arg)), arg);
            (Some(unknown.clone()), unknown)
        }
    };
    Some(explicit(call, call_text, host, port, source))
}

fn explicit(
    call: Node<'_>,
    call_text: &str,
    host: Option<Located<ValueExpr>>,
    port: Located<ValueExpr>,
    source: &Source<'_>,
) -> (Listen, ListenScope) {
    let listen = base_listen(call, call_text, host, Some(port), source);
    let scope = ListenScope {
        listen: 0,
        profile: None,
        implicit: false,
        management: false,
        env_overrides: Vec::new(),
    };
    (listen, scope)
}

/// `app.Run()`: the port comes from `ASPNETCORE_URLS` if set, else
/// `ASPNETCORE_HTTP_PORTS` (set to 8080 by the .NET 8+ `aspnet` images; the
/// resolver must know the base image's environment), else Kestrel's
/// `localhost:5000`, which no container can reach.
fn implicit(call: Node<'_>, call_text: &str, source: &Source<'_>) -> (Listen, ListenScope) {
    let port = source.located(ValueExpr::env("ASPNETCORE_HTTP_PORTS", None), call);
    let listen = base_listen(call, call_text, None, Some(port), source);
    let scope = ListenScope {
        listen: 0,
        profile: None,
        implicit: true,
        management: false,
        env_overrides: ["ASPNETCORE_URLS", "DOTNET_URLS"]
            .iter()
            .map(|v| EnvOverride {
                var: v.to_string(),
                format: EnvFormat::Urls,
            })
            .collect(),
    };
    (listen, scope)
}

fn base_listen(
    call: Node<'_>,
    call_text: &str,
    host: Option<Located<ValueExpr>>,
    port: Option<Located<ValueExpr>>,
    source: &Source<'_>,
) -> Listen {
    Listen {
        call: call_text.to_string(),
        framework: Framework::AspNetCore,
        host,
        port,
        default_port: 5000,
        // Under ASPNETCORE_HTTP_PORTS or a `+`/`*` URL Kestrel binds every
        // interface; the no-configuration `localhost:5000` has no port here.
        default_host: "0.0.0.0".to_string(),
        debug: None,
        in_main_guard: false,
        loc: source.loc(call),
        app_target: None,
        reload: None,
        port_defined_at: None,
        host_defined_at: None,
        via_function: None,
    }
}
