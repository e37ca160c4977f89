//! The same manifest copied into variant folders (`release/`, `deploy/base/`,
//! `manifests/`, two versions of an example) yields the same finding at the
//! same line of byte-identical files. It is reported once, at the first
//! place, with the copies listed as related places.

use crate::finding::Finding;
use std::collections::HashMap;

/// Folds identical findings on copies: same rule, severity, message, file
/// name, line and column, in files `same_content` says are copies. The
/// first (in report order) stays.
pub fn fold_copies(
    findings: Vec<Finding>,
    same_content: impl Fn(&str, &str) -> bool,
) -> Vec<Finding> {
    type Key = (
        &'static str,
        crate::finding::Severity,
        String,
        String,
        u32,
        u32,
    );
    let key = |f: &Finding| -> Key {
        let name = f.location.path.rsplit('/').next().unwrap_or("").to_string();
        (
            f.rule,
            f.severity,
            f.message.clone(),
            name,
            f.location.line,
            f.location.column,
        )
    };
    let mut first: HashMap<Key, usize> = HashMap::new();
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        let k = key(&f);
        match first.get(&k).copied() {
            Some(i)
                if out.get(i).is_some_and(|o| {
                    o.location.path != f.location.path
                        && same_content(&o.location.path, &f.location.path)
                }) =>
            {
                if let Some(kept) = out.get_mut(i) {
                    let loc = f.location.clone();
                    kept.related.push(crate::finding::Related {
                        message: format!("the same finding in a copy: {}", loc.path),
                        loc,
                    });
                }
            }
            _ => {
                first.insert(k, out.len());
                out.push(f);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use seamcheck_facts::{LineIndex, Span};

    fn at(path: &str) -> Finding {
        let index = LineIndex::new(path, "a: 1\nb: 2\n");
        Finding::new(
            "service-selector-no-match",
            Severity::Error,
            index.location(Span::new(5, 9)),
            "m",
        )
    }

    #[test]
    fn copies_fold_into_the_first_with_related_places() {
        let all = || {
            vec![
                at("release/svc.yaml"),
                at("deploy/base/svc.yaml"),
                at("other.yaml"),
            ]
        };
        assert_eq!(
            fold_copies(all(), |_, _| false).len(),
            3,
            "not copies: kept"
        );
        let out = fold_copies(all(), |_, _| true);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].related.len(), 1);
        assert_eq!(&*out[0].related[0].loc.path, "deploy/base/svc.yaml");
    }
}
