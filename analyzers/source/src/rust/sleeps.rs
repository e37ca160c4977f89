//! Blocking sleeps (`std::thread::sleep`) inside a handler's body: in an
//! async handler it blocks an executor thread, in any handler it delays the
//! response. Sleeps in closures handed to another thread or a blocking pool
//! (`thread::spawn`, `spawn_blocking`, actix `web::block`) and in nested
//! items are not the handler's.

use super::items::Items;
use super::src::Src;
use super::syntax::{call_path, ends_with, ident, last, path_segments, strip};
use seamcheck_facts::source::HandlerSleep;
use seamcheck_facts::Location;
use syn::visit::Visit;
use syn::{Expr, Lit};

/// Calls whose closure argument runs elsewhere.
const OFFLOADS: &[&str] = &[
    "spawn",
    "spawn_blocking",
    "block",
    "block_in_place",
    "spawn_local",
];

pub struct SleepFinder<'a, 'f> {
    pub src: &'a Src<'a>,
    pub items: &'a Items<'f>,
}

pub enum Body<'f> {
    Block(&'f syn::Block),
    Expr(&'f Expr),
}

impl SleepFinder<'_, '_> {
    pub fn find(&self, handler: &str, is_async: bool, body: Body<'_>) -> Vec<HandlerSleep> {
        let mut walker = Walker {
            finder: self,
            guard: Vec::new(),
            found: Vec::new(),
            handler,
            is_async,
        };
        match body {
            Body::Block(b) => walker.visit_block(b),
            Body::Expr(e) => walker.visit_expr(e),
        }
        walker.found
    }

    fn is_blocking_sleep(&self, call: &syn::ExprCall) -> Option<String> {
        let path = path_segments(&call.func)?;
        let full = self.items.qualify(&path);
        let is_std = ends_with(&full, &["std", "thread", "sleep"])
            || (full.len() == 2 && ends_with(&full, &["thread", "sleep"]));
        is_std.then(|| path.join("::"))
    }

    /// `Duration::from_secs(10)`, `from_millis(500)`, `from_secs_f64(1.5)`.
    fn seconds(&self, call: &syn::ExprCall) -> Option<f64> {
        let (path, duration) = call_path(call.args.first()?)?;
        let arg = strip(duration.args.first()?);
        let number = match arg {
            Expr::Lit(l) => match &l.lit {
                Lit::Int(i) => i.base10_parse::<f64>().ok(),
                Lit::Float(f) => f.base10_parse::<f64>().ok(),
                _ => None,
            },
            _ => None,
        }?;
        let scale = match last(&path) {
            "from_secs" | "from_secs_f64" | "from_secs_f32" => 1.0,
            "from_millis" => 1e-3,
            "from_micros" => 1e-6,
            "from_nanos" => 1e-9,
            _ => return None,
        };
        Some(number * scale)
    }

    /// The condition reads the environment, a config/flag name or an
    /// upper-case switch (`if SLOW_MODE`).
    fn reads_config(&self, condition: &Expr) -> bool {
        let mut stripped = strip(condition);
        if let Expr::Unary(u) = stripped {
            stripped = strip(&u.expr);
        }
        if ident(stripped).is_some_and(|n| is_constant_name(&n)) {
            return true;
        }
        let mut reads = ConfigReads {
            items: self.items,
            found: false,
        };
        reads.visit_expr(condition);
        reads.found
    }
}

struct Walker<'w, 'a, 'f> {
    finder: &'w SleepFinder<'a, 'f>,
    /// Conditions that guard the current node (innermost last).
    guard: Vec<Location>,
    found: Vec<HandlerSleep>,
    handler: &'w str,
    is_async: bool,
}

impl<'ast> Visit<'ast> for Walker<'_, '_, '_> {
    fn visit_item(&mut self, _: &'ast syn::Item) {}

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let Some(name) = self.finder.is_blocking_sleep(call) {
            self.found.push(HandlerSleep {
                call: name,
                seconds: self.finder.seconds(call),
                handler: self.handler.to_string(),
                handler_is_async: self.is_async,
                guarded: !self.guard.is_empty(),
                loc: self.finder.src.loc(call),
                guard_condition: self.guard.first().cloned(),
            });
        }
        let offloads = path_segments(&call.func).is_some_and(|p| OFFLOADS.contains(&last(&p)));
        if offloads {
            // The closure runs on another thread: only the callee is ours.
            self.visit_expr(&call.func);
            return;
        }
        syn::visit::visit_expr_call(self, call);
    }

    fn visit_expr_if(&mut self, i: &'ast syn::ExprIf) {
        self.visit_expr(&i.cond);
        let guarded = self.finder.reads_config(&i.cond);
        if guarded {
            self.guard.push(self.finder.src.loc(&*i.cond));
        }
        self.visit_block(&i.then_branch);
        if let Some((_, e)) = &i.else_branch {
            self.visit_expr(e);
        }
        if guarded {
            self.guard.pop();
        }
    }
}

struct ConfigReads<'a, 'f> {
    items: &'a Items<'f>,
    found: bool,
}

impl<'ast> Visit<'ast> for ConfigReads<'_, '_> {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments = super::syntax::segments(path);
        let full = self.items.qualify(&segments);
        if ends_with(&full, &["env", "var"])
            || ends_with(&full, &["env", "var_os"])
            || segments.iter().any(|s| has_flag_word(s) || s == "config")
        {
            self.found = true;
        }
        syn::visit::visit_path(self, path);
    }
    fn visit_expr_field(&mut self, f: &'ast syn::ExprField) {
        if let syn::Member::Named(n) = &f.member {
            if has_flag_word(&n.to_string()) {
                self.found = true;
            }
        }
        syn::visit::visit_expr_field(self, f);
    }
    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        if has_flag_word(&m.method.to_string()) {
            self.found = true;
        }
        syn::visit::visit_expr_method_call(self, m);
    }
}

fn has_flag_word(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    crate::common::guard::mentions_fault_word(&lower)
}

fn is_constant_name(name: &str) -> bool {
    name.len() > 1
        && name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}
