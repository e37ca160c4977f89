//! `replacements`: copy a field of one object into fields of others.

use crate::build::Renderer;
use crate::files::join;
use crate::resource::Resource;
use crate::select::Selector;
use crate::transform::via;
use crate::value::{Data, Node};

enum Seg {
    Key(String),
    Match(String, String),
    Index(usize),
    All,
}

fn parse_path(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    let mut cur = String::new();
    let mut bracket = false;
    for c in path.chars() {
        match c {
            '[' if cur.is_empty() => bracket = true,
            ']' if bracket => bracket = false,
            '.' if !bracket => segs.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    segs.push(cur);
    segs.into_iter()
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s == "*" {
                Seg::All
            } else if let Some((k, v)) = s.split_once('=') {
                Seg::Match(k.to_string(), v.to_string())
            } else if let Ok(i) = s.parse::<usize>() {
                Seg::Index(i)
            } else {
                Seg::Key(s)
            }
        })
        .collect()
}

fn find<'n>(node: &'n Node, segs: &[Seg]) -> Option<&'n Node> {
    let mut node = node;
    for seg in segs {
        node = match seg {
            Seg::Key(k) => node.get(k)?,
            Seg::Match(k, v) => node
                .items()
                .iter()
                .find(|i| i.str_at(&[k]) == Some(v.as_str()))?,
            Seg::Index(i) => node.items().get(*i).or_else(|| node.get(&i.to_string()))?,
            Seg::All => return None,
        };
    }
    Some(node)
}

/// Sets every node at `segs` to `value`; false when the path is missing.
fn set(node: &mut Node, segs: &[Seg], create: bool, f: &dyn Fn(&mut Node)) -> bool {
    let Some((seg, rest)) = segs.split_first() else {
        f(node);
        return true;
    };
    match seg {
        Seg::Key(k) => {
            if node.get(k).is_none() {
                if !create || !node.is_map() {
                    return false;
                }
                node.set(k, Node::map(node.src.clone()));
            }
            node.get_mut(k).is_some_and(|c| set(c, rest, create, f))
        }
        Seg::Match(k, v) => {
            let Data::Seq(items) = &mut node.data else {
                return false;
            };
            let mut any = false;
            for i in items
                .iter_mut()
                .filter(|i| i.str_at(&[k]) == Some(v.as_str()))
            {
                any |= set(i, rest, create, f);
            }
            any
        }
        Seg::Index(i) => match &mut node.data {
            Data::Seq(items) => items.get_mut(*i).is_some_and(|c| set(c, rest, create, f)),
            _ => node
                .get_mut(&i.to_string())
                .is_some_and(|c| set(c, rest, create, f)),
        },
        Seg::All => {
            let Data::Seq(items) = &mut node.data else {
                return false;
            };
            let mut any = false;
            for i in items.iter_mut() {
                any |= set(i, rest, create, f);
            }
            any
        }
    }
}

fn piece(text: &str, options: Option<&Node>) -> Option<String> {
    let Some(delim) = options.and_then(|o| o.str_at(&["delimiter"])) else {
        return Some(text.to_string());
    };
    let index: usize = options
        .and_then(|o| o.str_at(&["index"]))
        .unwrap_or("0")
        .parse()
        .ok()?;
    text.split(delim).nth(index).map(str::to_string)
}

pub fn replacements(r: &mut Renderer<'_>, list: &Node, dir: &str, ra: &mut [Resource]) {
    let mut entries: Vec<Node> = Vec::new();
    for e in list.items() {
        if let Some(rel) = e.str_at(&["path"]) {
            match join(dir, rel).map(|p| (r.files.yaml(&p), p)) {
                Some((Ok(y), p)) => {
                    r.consumed.insert(p);
                    for d in &y.docs {
                        if d.is_map() {
                            entries.push(d.clone());
                        } else {
                            entries.extend(d.items().iter().cloned());
                        }
                    }
                }
                Some((Err(err), p)) => r.missing(&p, &err, e.src.loc.clone()),
                None => r.problem(
                    format!("`{rel}` is outside the audited tree"),
                    e.src.loc.clone(),
                ),
            }
        } else {
            entries.push(e.clone());
        }
    }
    for e in entries {
        let v = via(&e, "the kustomization's `replacements` entry copies it");
        let Some(source) = e.get("source") else {
            r.problem("a replacement without `source`", e.src.loc.clone());
            continue;
        };
        let sel = match Selector::parse(source) {
            Ok(s) => s,
            Err(m) => {
                r.problem(m, source.src.loc.clone());
                continue;
            }
        };
        let hits: Vec<&Resource> = ra.iter().filter(|x| sel.matches(x)).collect();
        if hits.len() != 1 {
            r.problem(
                format!(
                    "the replacement's source selects {} objects, not one",
                    hits.len()
                ),
                source.src.loc.clone(),
            );
            continue;
        }
        let path = source.str_at(&["fieldPath"]).unwrap_or("metadata.name");
        let Some(value) = find(&hits[0].obj, &parse_path(path)).cloned() else {
            r.problem(
                format!("the replacement's source has no `{path}`"),
                source.src.loc.clone(),
            );
            continue;
        };
        let value = match value.str().map(|t| piece(t, source.get("options"))) {
            Some(Some(t)) if source.get("options").is_some() => {
                let mut n = value.clone();
                n.rewrite(t, None);
                n
            }
            _ => value,
        };
        for target in e.get("targets").map(Node::items).unwrap_or_default() {
            let Some(select) = target.get("select").map(Selector::parse) else {
                continue;
            };
            let select = match select {
                Ok(s) => s,
                Err(m) => {
                    r.problem(m, target.src.loc.clone());
                    continue;
                }
            };
            let rejects: Vec<Selector> = target
                .get("reject")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|n| Selector::parse(n).ok())
                .collect();
            let options = target.get("options");
            let create = options.and_then(|o| o.str_at(&["create"])) == Some("true");
            for res in ra.iter_mut() {
                if !select.matches(res) || rejects.iter().any(|x| x.matches(res)) {
                    continue;
                }
                for fp in target
                    .get("fieldPaths")
                    .map(Node::items)
                    .unwrap_or_default()
                {
                    let Some(fp_text) = fp.str() else { continue };
                    let value = value.clone();
                    let v = v.clone();
                    let delim = options
                        .and_then(|o| o.str_at(&["delimiter"]))
                        .map(str::to_string);
                    let index: usize = options
                        .and_then(|o| o.str_at(&["index"]))
                        .and_then(|i| i.parse().ok())
                        .unwrap_or(0);
                    let apply = move |n: &mut Node| {
                        let mut new = value.clone();
                        // A scalar keeps the target's type: a number copied
                        // into a string field (an `args` item) is a string.
                        let target_is_string =
                            matches!(crate::compare::canonical(n), crate::compare::Canon::Str(_));
                        if let Data::Scalar(s) = &mut new.data {
                            if target_is_string && !s.quoted {
                                s.quoted = true;
                                s.raw = None;
                                new.src.copy = None;
                            }
                        }
                        if let (Some(d), Some(old), Some(val)) = (&delim, n.str(), value.str()) {
                            let mut parts: Vec<String> =
                                old.split(d.as_str()).map(str::to_string).collect();
                            if index < parts.len() {
                                parts[index] = val.to_string();
                            } else {
                                parts.push(val.to_string());
                            }
                            new.rewrite(parts.join(d), None);
                        }
                        new.src.via = Some(v.clone());
                        *n = new;
                    };
                    if !set(&mut res.obj, &parse_path(fp_text), create, &apply) {
                        r.problem(
                            format!("the replacement's target has no `{fp_text}`"),
                            fp.src.loc.clone(),
                        );
                    }
                }
            }
        }
    }
}
