//! Web application objects: `app = Flask(__name__)`, `app = FastAPI()`,
//! `bp = Blueprint("x", __name__, url_prefix="/api")`,
//! `router = APIRouter(prefix="/v1")`, and the mounts that attach blueprints
//! and routers to a parent (`register_blueprint`, `include_router`).

use super::imports::{is_one_of, Imports};
use super::syntax::{dotted_name, string_value, CallArgs, Source};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::{AppObject, Mount};
use seamcheck_facts::Located;
use std::collections::HashMap;
use tree_sitter::Node;

/// What kind of object a variable holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppKind {
    Flask,
    FastApi,
    Blueprint,
    ApiRouter,
}

impl AppKind {
    /// The framework the app fact carries.
    pub fn fact(self) -> seamcheck_facts::Framework {
        match self {
            AppKind::Flask => seamcheck_facts::Framework::Flask,
            AppKind::FastApi => seamcheck_facts::Framework::FastApi,
            AppKind::Blueprint => seamcheck_facts::Framework::Blueprint,
            AppKind::ApiRouter => seamcheck_facts::Framework::ApiRouter,
        }
    }

    /// The framework whose request semantics apply (blueprints are Flask).
    pub fn framework(self) -> Framework {
        match self {
            AppKind::Flask | AppKind::Blueprint => Framework::Flask,
            AppKind::FastApi | AppKind::ApiRouter => Framework::FastApi,
        }
    }
}

/// The two request semantics of the decorator frameworks: the subset of
/// [`seamcheck_facts::Framework`] this module matches on exhaustively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framework {
    Flask,
    FastApi,
}

impl Framework {
    /// The framework the route facts carry.
    pub fn fact(self) -> seamcheck_facts::Framework {
        match self {
            Framework::Flask => seamcheck_facts::Framework::Flask,
            Framework::FastApi => seamcheck_facts::Framework::FastApi,
        }
    }
}

/// One application object found in the file.
#[derive(Debug, Clone)]
pub struct App {
    pub kind: AppKind,
    /// The object's own prefix (`url_prefix=` / `prefix=`) when a constant.
    pub prefix: Option<Located<String>>,
}

/// A mount with the parts the route prefixing needs.
#[derive(Debug, Clone)]
pub struct MountInfo {
    pub fact: Mount,
    pub framework: Framework,
}

#[derive(Debug, Default)]
pub struct Apps {
    /// var -> object; a var bound to two different kinds is dropped.
    pub by_var: HashMap<String, App>,
    pub facts: Vec<AppObject>,
    /// Vars bound to `create_app(...)`, Flask's documented factory name: their
    /// `.run()` is a Flask dev server even though the `Flask()` call is elsewhere.
    pub factory_vars: Vec<String>,
    pub mounts: Vec<MountInfo>,
}

impl Apps {
    pub fn collect(nodes: &[Node<'_>], source: &Source<'_>, imports: &Imports) -> Apps {
        let mut apps = Apps::default();
        let mut conflicting: Vec<String> = Vec::new();
        for node in nodes {
            match node.cached_kind() {
                "assignment" => apps.add_assignment(*node, source, imports, &mut conflicting),
                "call" => apps.add_mount(*node, source),
                _ => {}
            }
        }
        for var in conflicting {
            apps.by_var.remove(&var);
        }
        apps
    }

    fn add_assignment(
        &mut self,
        node: Node<'_>,
        source: &Source<'_>,
        imports: &Imports,
        conflicting: &mut Vec<String>,
    ) {
        let (Some(left), Some(right)) = (node.field_child("left"), node.field_child("right"))
        else {
            return;
        };
        let Some(var) = dotted_name(left, source) else {
            return;
        };
        if right.cached_kind() != "call" {
            return;
        }
        let Some(callee) = right
            .field_child("function")
            .and_then(|f| dotted_name(f, source))
        else {
            return;
        };
        let qualified = imports.qualify(&callee);
        if qualified.rsplit('.').next() == Some("create_app") {
            self.factory_vars.push(var);
            return;
        }
        let Some(kind) = app_kind(&qualified) else {
            return;
        };
        let args = CallArgs::of(right, source);
        let prefix_keyword = match kind {
            AppKind::Blueprint => Some("url_prefix"),
            AppKind::ApiRouter => Some("prefix"),
            AppKind::Flask | AppKind::FastApi => None,
        };
        let prefix = prefix_keyword
            .and_then(|k| args.keyword(k))
            .and_then(|n| string_value(n, source).map(|s| source.located(s, n)));
        if self
            .by_var
            .get(&var)
            .is_some_and(|existing| existing.kind != kind)
        {
            conflicting.push(var.clone());
        }
        self.by_var.insert(
            var.clone(),
            App {
                kind,
                prefix: prefix.clone(),
            },
        );
        self.facts.push(AppObject {
            var,
            framework: kind.fact(),
            loc: source.loc(right),
            prefix,
        });
    }

    /// `parent.register_blueprint(child, url_prefix="/p")` and
    /// `parent.include_router(child, prefix="/p")`.
    fn add_mount(&mut self, node: Node<'_>, source: &Source<'_>) {
        let Some(function) = node.field_child("function") else {
            return;
        };
        if function.cached_kind() != "attribute" {
            return;
        }
        let (Some(object), Some(method)) = (
            function.field_child("object"),
            function.field_child("attribute"),
        ) else {
            return;
        };
        let (framework, prefix_keyword) = match source.text_of(method) {
            "register_blueprint" => (Framework::Flask, "url_prefix"),
            "include_router" => (Framework::FastApi, "prefix"),
            _ => return,
        };
        let Some(parent) = dotted_name(object, source) else {
            return;
        };
        let args = CallArgs::of(node, source);
        let child_key = match framework {
            Framework::Flask => "blueprint",
            Framework::FastApi => "router",
        };
        let Some(child) = args.get(0, child_key).and_then(|c| dotted_name(c, source)) else {
            return;
        };
        let prefix = args
            .keyword(prefix_keyword)
            .and_then(|n| string_value(n, source).map(|s| source.located(s, n)));
        self.mounts.push(MountInfo {
            fact: Mount {
                parent,
                child,
                prefix,
                loc: source.loc(node),
            },
            framework,
        });
    }
}

fn app_kind(qualified: &str) -> Option<AppKind> {
    if is_one_of(qualified, &["flask"], &["Flask"], true) {
        Some(AppKind::Flask)
    } else if is_one_of(qualified, &["fastapi"], &["FastAPI"], true) {
        Some(AppKind::FastApi)
    } else if is_one_of(qualified, &["flask"], &["Blueprint"], true) {
        Some(AppKind::Blueprint)
    } else if is_one_of(qualified, &["fastapi"], &["APIRouter"], true) {
        Some(AppKind::ApiRouter)
    } else {
        None
    }
}
