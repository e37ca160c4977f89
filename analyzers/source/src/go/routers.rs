//! Router and server objects bound to names: `gin.Default()`, `echo.New()`,
//! `fiber.New()`, `chi.NewRouter()`, `mux.NewRouter()`, `http.NewServeMux()`,
//! their groups with a prefix (`r.Group("/v1")`, `r.PathPrefix("/api").Subrouter()`,
//! chi `r.Route("/api", func(r chi.Router) {...})`), and parameters typed as
//! routers (`func routes(r *gin.Engine)`). Names are scoped by function.

use super::imports::{Imports, CHI, ECHO, FIBER, GIN, GORILLA, NET_HTTP};
use super::syntax::{
    call_args, dotted_name, is_function, named_children, parameters, string_value, strip, Source,
    MAX_CHAIN,
};
use crate::treesitter::NodeNames;
use seamcheck_facts::Framework;
use tree_sitter::Node;

pub const F_NET_HTTP: Framework = Framework::NetHttp;
pub const F_GIN: Framework = Framework::Gin;
pub const F_ECHO: Framework = Framework::Echo;
pub const F_FIBER: Framework = Framework::Fiber;
pub const F_CHI: Framework = Framework::Chi;
pub const F_GORILLA: Framework = Framework::GorillaMux;

#[derive(Debug, Clone)]
pub struct RouterVar {
    pub name: String,
    /// The function the name is declared in; `None` at package level.
    pub scope: Option<usize>,
    pub framework: Framework,
    pub prefix: String,
    /// The constructor call, for `apps` facts; `None` for parameters.
    pub call: Option<(usize, usize)>,
}

#[derive(Debug, Default)]
pub struct Routers {
    pub vars: Vec<RouterVar>,
}

/// The innermost function enclosing `node` (its id), if any.
pub fn enclosing_function(node: Node<'_>) -> Option<Node<'_>> {
    let mut current = node;
    for _ in 0..4096 {
        current = current.parent()?;
        if is_function(current) {
            return Some(current);
        }
    }
    None
}

impl Routers {
    pub fn collect(nodes: &[Node<'_>], source: &Source<'_>, imports: &Imports) -> Routers {
        let mut routers = Routers::default();
        for node in nodes {
            match node.cached_kind() {
                "short_var_declaration" | "assignment_statement" | "var_spec" => {
                    routers.declaration(*node, source, imports);
                }
                "function_declaration" | "method_declaration" | "func_literal" => {
                    for (name, ty) in parameters(*node, source) {
                        // A chi `Route` closure's parameter already has its prefix.
                        let known = routers
                            .vars
                            .iter()
                            .any(|v| v.scope == Some(node.id()) && v.name == name);
                        if known {
                            continue;
                        }
                        if let Some(framework) = router_type(&ty, imports) {
                            routers.vars.push(RouterVar {
                                name,
                                scope: Some(node.id()),
                                framework,
                                prefix: String::new(),
                                call: None,
                            });
                        }
                    }
                }
                "call_expression" => routers.chi_route(*node, source),
                _ => {}
            }
        }
        routers
    }

    fn declaration(&mut self, node: Node<'_>, source: &Source<'_>, imports: &Imports) {
        let (left, right) = if node.cached_kind() == "var_spec" {
            let mut cursor = node.walk();
            let names: Vec<Node<'_>> = node.children_by_field_name("name", &mut cursor).collect();
            (
                names,
                node.field_child("value")
                    .map(named_children)
                    .unwrap_or_default(),
            )
        } else {
            (
                node.field_child("left")
                    .map(named_children)
                    .unwrap_or_default(),
                node.field_child("right")
                    .map(named_children)
                    .unwrap_or_default(),
            )
        };
        for (target, value) in left.iter().zip(right.iter()) {
            if target.cached_kind() != "identifier" {
                continue;
            }
            if let Some((framework, prefix)) = self.built_by(*value, source, imports) {
                self.vars.push(RouterVar {
                    name: source.text_of(*target).to_string(),
                    scope: enclosing_function(node).map(|f| f.id()),
                    framework,
                    prefix,
                    call: Some((value.start_byte(), value.end_byte())),
                });
            }
        }
    }

    /// What a value builds: a router (with its prefix) or nothing.
    fn built_by(
        &self,
        value: Node<'_>,
        source: &Source<'_>,
        imports: &Imports,
    ) -> Option<(Framework, String)> {
        let value = strip(value);
        if value.cached_kind() != "call_expression" {
            return None;
        }
        let function = value.field_child("function")?;
        let callee = dotted_name(function, source);
        if let Some(callee) = callee.as_deref() {
            let constructors: [(&[&str], &str, Framework); 7] = [
                (GIN, "Default", F_GIN),
                (GIN, "New", F_GIN),
                (ECHO, "New", F_ECHO),
                (FIBER, "New", F_FIBER),
                (CHI, "NewRouter", F_CHI),
                (GORILLA, "NewRouter", F_GORILLA),
                (NET_HTTP, "NewServeMux", F_NET_HTTP),
            ];
            for (paths, name, framework) in constructors {
                if imports.is(callee, paths, name) {
                    return Some((framework, String::new()));
                }
            }
            if imports.is(callee, CHI, "NewMux") {
                return Some((F_CHI, String::new()));
            }
        }
        // `parent.Group("/v1")` (gin, echo, fiber).
        let function = strip(function);
        if function.cached_kind() != "selector_expression" {
            return None;
        }
        let method = source.text_of(function.field_child("field")?);
        let operand = strip(function.field_child("operand")?);
        match method {
            "Group" => {
                let parent = self.lookup(&dotted_name(operand, source)?, value)?;
                if !matches!(parent.framework, F_GIN | F_ECHO | F_FIBER) {
                    return None;
                }
                let (prefix, _) = string_value(*call_args(value).first()?, source)?;
                Some((parent.framework, join(&parent.prefix, &prefix)))
            }
            // gorilla: `r.PathPrefix("/api").Subrouter()`.
            "Subrouter" if operand.cached_kind() == "call_expression" => {
                let inner = strip(operand.field_child("function")?);
                if inner.cached_kind() != "selector_expression" {
                    return None;
                }
                if source.text_of(inner.field_child("field")?) != "PathPrefix" {
                    return None;
                }
                let parent =
                    self.lookup(&dotted_name(inner.field_child("operand")?, source)?, value)?;
                let (prefix, _) = string_value(*call_args(operand).first()?, source)?;
                Some((parent.framework, join(&parent.prefix, &prefix)))
            }
            _ => None,
        }
    }

    /// chi `r.Route("/api", func(r chi.Router) {...})`: the closure's
    /// parameter is a router with the joined prefix.
    fn chi_route(&mut self, call: Node<'_>, source: &Source<'_>) {
        let Some(function) = call.field_child("function").map(strip) else {
            return;
        };
        if function.cached_kind() != "selector_expression" {
            return;
        }
        let method = function.field_child("field").map(|f| source.text_of(f));
        if !matches!(method, Some("Route" | "Group")) {
            return;
        }
        let Some(parent) = function
            .field_child("operand")
            .and_then(|o| dotted_name(o, source))
            .and_then(|n| self.lookup(&n, call).cloned())
        else {
            return;
        };
        if parent.framework != F_CHI {
            return;
        }
        let args = call_args(call);
        let prefix = match (method, args.first()) {
            (Some("Route"), Some(first)) => match string_value(*first, source) {
                Some((p, _)) => join(&parent.prefix, &p),
                None => return,
            },
            _ => parent.prefix.clone(),
        };
        let Some(closure) = args
            .last()
            .map(|a| strip(*a))
            .filter(|a| a.cached_kind() == "func_literal")
        else {
            return;
        };
        if let Some((name, _)) = parameters(closure, source).into_iter().next() {
            self.vars.push(RouterVar {
                name,
                scope: Some(closure.id()),
                framework: F_CHI,
                prefix,
                call: None,
            });
        }
    }

    /// The router a name stands for at `at`: declared in the innermost
    /// enclosing function that declares it, else at package level.
    pub fn lookup(&self, name: &str, at: Node<'_>) -> Option<&RouterVar> {
        let mut scope = enclosing_function(at);
        for _ in 0..MAX_CHAIN {
            let id = scope.map(|s| s.id());
            if let Some(found) = self
                .vars
                .iter()
                .rev()
                .find(|v| v.name == name && v.scope == id)
            {
                return Some(found);
            }
            match scope {
                Some(s) => scope = enclosing_function(s),
                None => return None,
            }
        }
        None
    }
}

/// Router types of parameters: `*gin.Engine`, `chi.Router`, `*mux.Router` …
fn router_type(ty: &str, imports: &Imports) -> Option<Framework> {
    let ty = ty.trim_start_matches('*');
    let table: [(&[&str], &[&str], Framework); 6] = [
        (GIN, &["Engine", "RouterGroup", "IRouter", "IRoutes"], F_GIN),
        (ECHO, &["Echo", "Group"], F_ECHO),
        (FIBER, &["App", "Router", "Group"], F_FIBER),
        (CHI, &["Router", "Mux"], F_CHI),
        (GORILLA, &["Router"], F_GORILLA),
        (NET_HTTP, &["ServeMux"], F_NET_HTTP),
    ];
    table.into_iter().find_map(|(paths, names, framework)| {
        names
            .iter()
            .any(|n| imports.is(ty, paths, n))
            .then_some(framework)
    })
}

/// Joins router prefixes: one `/` between parts.
pub fn join(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    let path = path.trim_start_matches('/');
    let joined = if path.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix}/{path}")
    };
    if joined.is_empty() {
        "/".to_string()
    } else if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}
