//! What the file declares at item level: functions by name, constants,
//! `use` imports, and which web frameworks it imports.

use super::syntax::{is_cfg_test, is_test_fn};
use std::collections::HashMap;
use syn::visit::Visit;
use syn::{Expr, Item, ItemFn, UseTree};

#[derive(Default)]
pub struct Items<'f> {
    /// Non-test functions by name; a name declared twice maps to several.
    pub fns: HashMap<String, Vec<&'f ItemFn>>,
    /// `const`/`static` initialisers by name.
    pub consts: HashMap<String, Vec<&'f Expr>>,
    /// Imported name -> full path (`sleep` -> `std::thread::sleep`).
    pub imports: HashMap<String, Vec<String>>,
    /// Crate roots the file imports or names in `extern crate`.
    pub crates: Vec<String>,
}

impl<'f> Items<'f> {
    pub fn collect(file: &'f syn::File) -> Self {
        let mut items = Items::default();
        let mut stack: Vec<&'f Item> = file.items.iter().rev().collect();
        while let Some(item) = stack.pop() {
            match item {
                Item::Fn(f) if !is_test_fn(&f.attrs) && !is_cfg_test(&f.attrs) => {
                    items
                        .fns
                        .entry(f.sig.ident.to_string())
                        .or_default()
                        .push(f);
                }
                Item::Const(c) => {
                    items
                        .consts
                        .entry(c.ident.to_string())
                        .or_default()
                        .push(&c.expr);
                }
                Item::Static(s) => {
                    items
                        .consts
                        .entry(s.ident.to_string())
                        .or_default()
                        .push(&s.expr);
                }
                Item::Use(u) => items.add_use(&u.tree),
                Item::ExternCrate(e) => items.crates.push(e.ident.to_string()),
                Item::Mod(m) if !is_cfg_test(&m.attrs) => {
                    if let Some((_, content)) = &m.content {
                        stack.extend(content.iter().rev());
                    }
                }
                _ => {}
            }
        }
        // Paths written in full (`rocket::build()`, `actix_web::HttpServer`)
        // name a crate without importing it.
        let mut roots = RootPaths::default();
        roots.visit_file(file);
        items.crates.extend(roots.roots);
        items
    }

    /// The one function of this name, if exactly one.
    pub fn function(&self, name: &str) -> Option<&'f ItemFn> {
        match self.fns.get(name).map(Vec::as_slice) {
            Some([one]) => Some(one),
            _ => None,
        }
    }

    pub fn constant(&self, name: &str) -> Option<&'f Expr> {
        match self.consts.get(name).map(Vec::as_slice) {
            Some([one]) => Some(one),
            _ => None,
        }
    }

    /// The full path of a path as written, through `use` imports of its
    /// first segment (`thread::sleep` with `use std::thread;` ->
    /// `std::thread::sleep`).
    pub fn qualify(&self, path: &[String]) -> Vec<String> {
        let Some((first, rest)) = path.split_first() else {
            return Vec::new();
        };
        match self.imports.get(first) {
            Some(full) => full.iter().chain(rest).cloned().collect(),
            None => path.to_vec(),
        }
    }

    pub fn uses_crate(&self, name: &str) -> bool {
        self.crates.iter().any(|c| c == name)
    }

    fn add_use(&mut self, tree: &UseTree) {
        let mut stack: Vec<(Vec<String>, &UseTree)> = vec![(Vec::new(), tree)];
        while let Some((prefix, tree)) = stack.pop() {
            match tree {
                UseTree::Path(p) => {
                    let mut next = prefix.clone();
                    next.push(p.ident.to_string());
                    if prefix.is_empty() {
                        self.crates.push(p.ident.to_string());
                    }
                    stack.push((next, &p.tree));
                }
                UseTree::Name(n) => {
                    let name = n.ident.to_string();
                    let mut full = prefix.clone();
                    if name == "self" {
                        if let Some(last) = prefix.last().cloned() {
                            self.imports.insert(last, full);
                        }
                        continue;
                    }
                    full.push(name.clone());
                    if prefix.is_empty() {
                        self.crates.push(name.clone());
                    }
                    self.imports.insert(name, full);
                }
                UseTree::Rename(r) => {
                    let mut full = prefix.clone();
                    full.push(r.ident.to_string());
                    self.imports.insert(r.rename.to_string(), full);
                }
                UseTree::Group(g) => {
                    for t in &g.items {
                        stack.push((prefix.clone(), t));
                    }
                }
                UseTree::Glob(_) => {}
            }
        }
    }
}

/// First segments of multi-segment paths written in the file.
#[derive(Default)]
struct RootPaths {
    roots: Vec<String>,
}

impl Visit<'_> for RootPaths {
    fn visit_path(&mut self, path: &syn::Path) {
        if path.segments.len() > 1 {
            if let Some(first) = path.segments.first() {
                let name = first.ident.to_string();
                if matches!(
                    name.as_str(),
                    "rocket" | "actix_web" | "axum" | "warp" | "tokio" | "hyper" | "tonic"
                ) && !self.roots.contains(&name)
                {
                    self.roots.push(name);
                }
            }
        }
        syn::visit::visit_path(self, path);
    }
}

/// The `let` bindings of a function body by name, with their initialiser;
/// a name bound more than once maps to several (ambiguous), one declared
/// without a value (`let port;`) to `None`.
pub fn lets(block: &syn::Block) -> HashMap<String, Vec<Option<&Expr>>> {
    struct Lets<'a> {
        found: HashMap<String, Vec<Option<&'a Expr>>>,
    }
    impl<'a> Visit<'a> for Lets<'a> {
        fn visit_local(&mut self, local: &'a syn::Local) {
            let mut pat = &local.pat;
            if let syn::Pat::Type(t) = pat {
                pat = &t.pat;
            }
            if let (syn::Pat::Ident(id), Some(init)) = (pat, &local.init) {
                self.found
                    .entry(id.ident.to_string())
                    .or_default()
                    .push(Some(&init.expr));
                if id.mutability.is_some() {
                    // `let mut port = 8080;` may be reassigned: not followed.
                    self.found
                        .entry(id.ident.to_string())
                        .or_default()
                        .push(None);
                }
            } else if let syn::Pat::Ident(id) = pat {
                // Declared without a value: assigned later, not followed.
                self.found
                    .entry(id.ident.to_string())
                    .or_default()
                    .push(None);
            }
            syn::visit::visit_local(self, local);
        }
        // Nested functions have their own bindings.
        fn visit_item_fn(&mut self, _: &'a ItemFn) {}
    }
    let mut v = Lets {
        found: HashMap::new(),
    };
    v.visit_block(block);
    v.found
}
