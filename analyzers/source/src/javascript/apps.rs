//! Web application and router objects: `express()`, `express.Router()`,
//! `Fastify()`, `new Koa()`, `new Router({ prefix })` (koa-router),
//! `Hapi.server({...})`, `await NestFactory.create(AppModule)`,
//! `http.createServer(handler)`; and `app.use('/prefix', router)` mounts.

use super::imports::Imports;
use super::syntax::{
    call_args, dotted_name, named_children, property, string_value, strip, Source, MAX_CHAIN,
};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::{AppObject, Mount};
use seamcheck_facts::{Framework, Located};
use tree_sitter::Node;

/// Framework names used in facts.
pub const EXPRESS: Framework = Framework::Express;
pub const EXPRESS_ROUTER: Framework = Framework::ExpressRouter;
pub const FASTIFY: Framework = Framework::Fastify;
pub const KOA: Framework = Framework::Koa;
pub const KOA_ROUTER: Framework = Framework::KoaRouter;
pub const HAPI: Framework = Framework::Hapi;
pub const NEST: Framework = Framework::NestJs;
pub const NODE_HTTP: Framework = Framework::NodeHttp;

/// An app or router object bound to a variable.
#[derive(Debug, Clone)]
pub struct App<'t> {
    pub var: String,
    pub framework: Framework,
    /// The constructor call.
    pub call: Node<'t>,
    /// koa-router `prefix` option.
    pub prefix: Option<Located<String>>,
    /// NestJS on the Fastify adapter: listens on localhost by default.
    pub fastify_adapter: bool,
}

pub struct Apps<'t> {
    pub apps: Vec<App<'t>>,
    pub mounts: Vec<Mount>,
}

/// What a constructor expression builds.
pub struct Built<'t> {
    pub framework: Framework,
    pub call: Node<'t>,
    pub prefix: Option<Located<String>>,
    pub fastify_adapter: bool,
}

impl<'t> Apps<'t> {
    pub fn collect(nodes: &[Node<'t>], source: &Source<'t>, imports: &Imports) -> Apps<'t> {
        let mut apps = Vec::new();
        for node in nodes {
            let (target, value) = match node.cached_kind() {
                "variable_declarator" => (node.field_child("name"), node.field_child("value")),
                "assignment_expression" => (node.field_child("left"), node.field_child("right")),
                _ => continue,
            };
            let (Some(target), Some(value)) = (target, value) else {
                continue;
            };
            let Some(var) = dotted_name(target, source) else {
                continue;
            };
            if let Some(built) = built_by(value, source, imports) {
                apps.push(App {
                    var,
                    framework: built.framework,
                    call: built.call,
                    prefix: built.prefix,
                    fastify_adapter: built.fastify_adapter,
                });
            }
        }
        let mut found = Apps {
            apps,
            mounts: Vec::new(),
        };
        found.mounts = found.collect_mounts(nodes, source);
        found
    }

    pub fn get(&self, var: &str) -> Option<&App<'t>> {
        self.apps.iter().rev().find(|a| a.var == var)
    }

    /// `parent.use('/prefix', child)` on an Express app or router.
    fn collect_mounts(&self, nodes: &[Node<'t>], source: &Source<'t>) -> Vec<Mount> {
        let mut mounts = Vec::new();
        for node in nodes
            .iter()
            .filter(|n| n.cached_kind() == "call_expression")
        {
            let Some(callee) = node.field_child("function") else {
                continue;
            };
            if callee.cached_kind() != "member_expression" {
                continue;
            }
            let method = callee.field_child("property").map(|p| source.text_of(p));
            if method != Some("use") {
                continue;
            }
            let Some(parent) = callee
                .field_child("object")
                .and_then(|o| dotted_name(o, source))
            else {
                continue;
            };
            if !self
                .get(&parent)
                .is_some_and(|a| matches!(a.framework, EXPRESS | EXPRESS_ROUTER | NODE_HTTP))
            {
                continue;
            }
            let args = call_args(*node);
            let (Some(first), Some(last)) = (args.first(), args.last()) else {
                continue;
            };
            let Some(prefix) = string_value(*first, source) else {
                continue;
            };
            if args.len() < 2 {
                continue;
            }
            mounts.push(Mount {
                parent,
                child: source.short_text_of(*last),
                prefix: Some(source.located(prefix, *first)),
                loc: source.loc(*node),
            });
        }
        mounts
    }

    /// The path prefix of routes declared on `var`: its own (koa-router
    /// `prefix`) and the ones of the mounts that attach it, outermost first.
    pub fn prefix_of(&self, var: &str) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut current = var.to_string();
        for _ in 0..MAX_CHAIN {
            if let Some(own) = self.get(&current).and_then(|a| a.prefix.as_ref()) {
                parts.push(own.value.clone());
            }
            let Some(mount) = self.mounts.iter().find(|m| m.child == current) else {
                break;
            };
            if let Some(p) = &mount.prefix {
                parts.push(p.value.clone());
            }
            current = mount.parent.clone();
        }
        parts.reverse();
        parts.concat()
    }

    pub fn facts(&self, source: &Source<'t>) -> Vec<AppObject> {
        self.apps
            .iter()
            .map(|a| AppObject {
                var: a.var.clone(),
                framework: a.framework,
                loc: source.loc(a.call),
                prefix: a.prefix.clone(),
            })
            .collect()
    }
}

/// What `expr` constructs, if it is one of the frameworks' constructors.
pub fn built_by<'t>(expr: Node<'t>, source: &Source<'t>, imports: &Imports) -> Option<Built<'t>> {
    let mut node = strip(expr);
    for _ in 0..MAX_CHAIN {
        if node.cached_kind() != "await_expression" {
            break;
        }
        node = strip(named_children(node).into_iter().next()?);
    }
    let is_new = match node.cached_kind() {
        "call_expression" => false,
        "new_expression" => true,
        _ => return None,
    };
    let callee = node.field_child(if is_new { "constructor" } else { "function" })?;
    let (module, path) = imports.resolve(callee, source)?;
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    let args = call_args(node);
    let built = |framework| Built {
        framework,
        call: node,
        prefix: None,
        fastify_adapter: false,
    };
    let framework = match (module.as_str(), path.as_slice(), is_new) {
        ("express", [], false) | ("express", ["default"], false) => EXPRESS,
        ("express", ["Router"], _) => EXPRESS_ROUTER,
        ("fastify", [] | ["default"] | ["fastify"] | ["Fastify"], false) => FASTIFY,
        ("koa", [] | ["default"], true) => KOA,
        ("@koa/router" | "koa-router", [] | ["default"], true) => {
            let prefix = args
                .first()
                .and_then(|o| property(*o, "prefix", source))
                .and_then(|p| string_value(p, source).map(|v| source.located(v, p)));
            return Some(Built {
                prefix,
                ..built(KOA_ROUTER)
            });
        }
        ("@hapi/hapi" | "hapi", ["server"], false) | ("@hapi/hapi" | "hapi", ["Server"], true) => {
            HAPI
        }
        ("@nestjs/core", ["NestFactory", "create"], false) => {
            let fastify_adapter = args
                .iter()
                .any(|a| source.text_of(*a).contains("FastifyAdapter"));
            return Some(Built {
                fastify_adapter,
                ..built(NEST)
            });
        }
        ("http" | "https" | "http2", ["createServer" | "createSecureServer"], false)
        | ("http" | "https", ["Server"], true) => NODE_HTTP,
        _ => return None,
    };
    Some(built(framework))
}
