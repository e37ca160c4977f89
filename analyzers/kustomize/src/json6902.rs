//! JSON patches (RFC 6902) applied to an object: add, remove, replace,
//! move, copy, test, with JSON pointers (RFC 6901).

use crate::value::{Data, Node};

/// Why an operation failed, for a problem at the operation's line.
pub type OpError = String;

fn pointer(path: &str) -> Result<Vec<String>, OpError> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!("path `{path}` does not start with `/`"));
    };
    Ok(rest
        .split('/')
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn index(token: &str, len: usize, allow_end: bool) -> Option<usize> {
    if token == "-" && allow_end {
        return Some(len);
    }
    if token.is_empty()
        || !token.bytes().all(|b| b.is_ascii_digit())
        || (token.len() > 1 && token.starts_with('0'))
    {
        return None;
    }
    let i: usize = token.parse().ok()?;
    let max = if allow_end {
        len
    } else {
        len.saturating_sub(1)
    };
    (i <= max && (allow_end || len > 0)).then_some(i)
}

fn walk<'n>(root: &'n mut Node, tokens: &[String], path: &str) -> Result<&'n mut Node, OpError> {
    let mut node = root;
    for t in tokens {
        node = match &mut node.data {
            Data::Map(m) => m
                .iter_mut()
                .find(|(k, _)| k.text == *t)
                .map(|(_, v)| v)
                .ok_or_else(|| format!("path `{path}`: no `{t}` to follow"))?,
            Data::Seq(s) => {
                let len = s.len();
                let i = index(t, len, false).ok_or_else(|| {
                    format!("path `{path}`: `{t}` is not an index of a list of {len}")
                })?;
                &mut s[i]
            }
            Data::Scalar(_) => return Err(format!("path `{path}`: `{t}` inside a scalar")),
        };
    }
    Ok(node)
}

fn get(root: &mut Node, path: &str) -> Result<Node, OpError> {
    let tokens = pointer(path)?;
    walk(root, &tokens, path).map(|n| n.clone())
}

fn add(root: &mut Node, path: &str, value: Node) -> Result<(), OpError> {
    let tokens = pointer(path)?;
    let Some((last, parent)) = tokens.split_last() else {
        *root = value;
        return Ok(());
    };
    let parent_node = walk(root, parent, path)?;
    match &mut parent_node.data {
        Data::Map(_) => {
            parent_node.set(last, value);
            Ok(())
        }
        Data::Seq(s) => {
            let i = index(last, s.len(), true)
                .ok_or_else(|| format!("path `{path}`: `{last}` is not an index"))?;
            s.insert(i, value);
            Ok(())
        }
        Data::Scalar(_) => Err(format!("path `{path}`: parent is a scalar")),
    }
}

fn remove(root: &mut Node, path: &str) -> Result<Node, OpError> {
    let tokens = pointer(path)?;
    let Some((last, parent)) = tokens.split_last() else {
        return Err("cannot remove the whole object".into());
    };
    let parent_node = walk(root, parent, path)?;
    match &mut parent_node.data {
        Data::Map(_) => parent_node
            .remove(last)
            .ok_or_else(|| format!("path `{path}`: no `{last}` to remove")),
        Data::Seq(s) => {
            let i = index(last, s.len(), false)
                .ok_or_else(|| format!("path `{path}`: `{last}` is not an index"))?;
            Ok(s.remove(i))
        }
        Data::Scalar(_) => Err(format!("path `{path}`: parent is a scalar")),
    }
}

/// Applies one operation (`op` is the operation's mapping).
pub fn apply(root: &mut Node, op: &Node) -> Result<(), OpError> {
    let name = op
        .get("op")
        .and_then(Node::str)
        .ok_or("an operation without `op`")?;
    let path = op
        .get("path")
        .and_then(Node::str)
        .ok_or("an operation without `path`")?;
    let value = || {
        op.get("value")
            .cloned()
            .ok_or_else(|| format!("`{name}` without `value`"))
    };
    let from = || {
        op.get("from")
            .and_then(Node::str)
            .ok_or_else(|| format!("`{name}` without `from`"))
    };
    match name {
        "add" => add(root, path, value()?),
        "remove" => remove(root, path).map(|_| ()),
        "replace" => {
            let tokens = pointer(path)?;
            // kustomize's JSON patch library replaces a missing map key by
            // adding it.
            let parent_is_map = tokens
                .split_last()
                .is_some_and(|(_, parent)| walk(root, parent, path).is_ok_and(|p| p.is_map()));
            match walk(root, &tokens, path) {
                Ok(target) => {
                    *target = value()?;
                    Ok(())
                }
                Err(_) if parent_is_map => add(root, path, value()?),
                Err(e) => Err(e),
            }
        }
        "move" => {
            let moved = remove(root, from()?)?;
            add(root, path, moved)
        }
        "copy" => {
            let copied = get(root, from()?)?;
            add(root, path, copied)
        }
        "test" => {
            let current = get(root, path)?;
            let expected = value()?;
            if crate::compare::same(&current, &expected) {
                Ok(())
            } else {
                Err(format!("test at `{path}` failed"))
            }
        }
        other => Err(format!("unknown operation `{other}`")),
    }
}
