//! Patch and replacement targets: kind/group/version/name/namespace as
//! anchored regular expressions, label and annotation selectors.

use crate::resource::{Id, Resource};
use crate::value::Node;
use regex::Regex;

pub struct Selector {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Vec<Requirement>,
    annotations: Vec<Requirement>,
}

enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

fn anchored(node: Option<&Node>) -> Result<Option<Regex>, String> {
    let Some(pattern) = node.and_then(Node::str) else {
        return Ok(None);
    };
    regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
        .size_limit(1 << 20)
        .build()
        .map(Some)
        .map_err(|e| format!("target pattern `{pattern}` is not a valid regular expression: {e}"))
}

/// Parses `a=b,c!=d,e in (x,y),!f,g`.
fn requirements(text: &str) -> Result<Vec<Requirement>, String> {
    let mut out = Vec::new();
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let set = |rest: &str| -> Vec<String> {
            rest.trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .split(',')
                .map(|v| v.trim().to_string())
                .collect()
        };
        if let Some((k, v)) = part.split_once("!=") {
            out.push(Requirement::NotEquals(k.trim().into(), v.trim().into()));
        } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
            out.push(Requirement::Equals(k.trim().into(), v.trim().into()));
        } else if let Some((k, rest)) = part.split_once(" notin ") {
            out.push(Requirement::NotIn(k.trim().into(), set(rest)));
        } else if let Some((k, rest)) = part.split_once(" in ") {
            out.push(Requirement::In(k.trim().into(), set(rest)));
        } else if let Some(k) = part.strip_prefix('!') {
            out.push(Requirement::NotExists(k.trim().into()));
        } else if part
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./".contains(c))
        {
            out.push(Requirement::Exists(part.into()));
        } else {
            return Err(format!("selector `{text}` is not understood"));
        }
    }
    Ok(out)
}

fn satisfied(reqs: &[Requirement], map: Option<&Node>) -> bool {
    let get = |k: &str| map.and_then(|m| m.get(k)).and_then(Node::str);
    reqs.iter().all(|r| match r {
        Requirement::Equals(k, v) => get(k) == Some(v.as_str()),
        Requirement::NotEquals(k, v) => get(k) != Some(v.as_str()),
        Requirement::In(k, vs) => get(k).is_some_and(|x| vs.iter().any(|v| v == x)),
        Requirement::NotIn(k, vs) => get(k).is_none_or(|x| !vs.iter().any(|v| v == x)),
        Requirement::Exists(k) => get(k).is_some() || map.and_then(|m| m.get(k)).is_some(),
        Requirement::NotExists(k) => map.and_then(|m| m.get(k)).is_none(),
    })
}

impl Selector {
    pub fn parse(node: &Node) -> Result<Selector, String> {
        Ok(Selector {
            group: anchored(node.get("group"))?,
            version: anchored(node.get("version"))?,
            kind: anchored(node.get("kind"))?,
            name: anchored(node.get("name"))?,
            namespace: anchored(node.get("namespace"))?,
            labels: requirements(node.str_at(&["labelSelector"]).unwrap_or(""))?,
            annotations: requirements(node.str_at(&["annotationSelector"]).unwrap_or(""))?,
        })
    }

    pub fn matches(&self, r: &Resource) -> bool {
        let cur = r.id();
        let org = r.org_id();
        let is = |re: &Option<Regex>, a: &str, b: &str| {
            re.as_ref()
                .is_none_or(|re| re.is_match(a) || re.is_match(b))
        };
        let ns = |id: &Id| {
            if id.namespace.is_empty() {
                "default".to_string()
            } else {
                id.namespace.clone()
            }
        };
        is(&self.namespace, &ns(&org), &ns(&cur))
            && is(&self.name, &org.name, &cur.name)
            && is(&self.group, &cur.group, &cur.group)
            && is(&self.version, &cur.version, &cur.version)
            && is(&self.kind, &cur.kind, &cur.kind)
            && satisfied(&self.labels, r.obj.at(&["metadata", "labels"]))
            && satisfied(&self.annotations, r.obj.at(&["metadata", "annotations"]))
    }
}
