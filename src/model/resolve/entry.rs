//! Which source file of the build context a start command runs.
//!
//! The command names a path inside the image (`python app/main.py` run from
//! `WORKDIR /app`, or `gunicorn main:app`): which paths that may be is the
//! runtime's knowledge (`seamcheck_launch`, `Launch::runs`); the Dockerfile's
//! COPY instructions say where in the build context that file came from.

use super::EntryCode;
use crate::model::image::ImageView;
use crate::model::inventory::Inventory;
use crate::model::link::Service;
use seamcheck_launch::{Launch, Runs};

pub fn entry_code(
    inv: &Inventory<'_>,
    svc: &Service,
    image: &ImageView<'_>,
    launch: &Launch,
) -> Option<EntryCode> {
    svc.dockerfile?;
    // The runtime's module says which files the command runs (or that it
    // names none); this module maps them through the image to the context.
    let (candidates, names_no_source) = match launch.runs() {
        Runs::Unknown => return None,
        Runs::Files(files) => (files, false),
        Runs::NoSourceNamed => (Vec::new(), true),
    };
    let workdir = image.workdir().map_or("/", |w| w.value.as_str());
    for rel in &candidates {
        let abs = absolute(workdir, rel);
        for ctx_path in context_paths(image, &abs) {
            let path = join(&svc.context, &ctx_path);
            if let Some(i) = inv.source_at(&path) {
                return Some(EntryCode {
                    source: i,
                    evidence: format!("the start command runs `{abs}`, copied from `{path}`"),
                });
            }
        }
    }

    // COPY mapping not understood: a unique file of the build context whose
    // path ends with the one the command names is still unambiguous.
    for rel in &candidates {
        let suffix = rel.trim_start_matches("./");
        let hits: Vec<usize> = svc
            .sources
            .iter()
            .copied()
            .filter(|&i| {
                inv.sources
                    .get(i)
                    .is_some_and(|s| s.path == suffix || s.path.ends_with(&format!("/{suffix}")))
            })
            .collect();
        if let [one] = hits.as_slice() {
            let path = inv.sources.get(*one).map_or("", |s| s.path);
            return Some(EntryCode {
                source: *one,
                evidence: format!("the start command runs `{rel}`, the only such file: `{path}`"),
            });
        }
    }
    // Only when the command names no source file: a script that was not
    // found is not replaced by another file's guess.
    if names_no_source {
        only_listening_code(inv, svc)
    } else {
        None
    }
}

/// A compiled binary, a package script, a jar: the command does not name a
/// source file. When exactly one file of the build context starts a server,
/// that is the code the image runs; with two, seamcheck does not guess.
fn only_listening_code(inv: &Inventory<'_>, svc: &Service) -> Option<EntryCode> {
    // Written configuration (an application.yml, a listen call) replaces a
    // framework default (Spring's `SpringApplication.run` on 8080).
    let with = |explicit: bool| -> Vec<usize> {
        svc.sources
            .iter()
            .copied()
            .filter(|&i| {
                inv.sources.get(i).is_some_and(|s| {
                    if explicit {
                        s.facts.has_explicit_listen()
                    } else {
                        s.facts.has_implicit_listen()
                    }
                })
            })
            .collect()
    };
    let explicit = with(true);
    let listening = if explicit.is_empty() {
        with(false)
    } else {
        explicit
    };
    match listening.as_slice() {
        [one] => Some(EntryCode {
            source: *one,
            evidence: format!(
                "the only code of the build context that starts a server: `{}`",
                inv.sources.get(*one).map_or("", |s| s.path)
            ),
        }),
        _ => None,
    }
}

fn absolute(workdir: &str, path: &str) -> String {
    if path.starts_with('/') {
        normalize(path)
    } else {
        normalize(&format!("{}/{}", workdir.trim_end_matches('/'), path))
    }
}

/// `a/./b/../c` -> `a/c`, relative (no leading `/`; `""` for the root).
pub fn normalize_relative(path: &str) -> String {
    normalize(path).trim_start_matches('/').to_string()
}

/// Removes `.` and `..` components; the result starts with `/`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

fn join(dir: &str, rel: &str) -> String {
    let rel = normalize(rel);
    let rel = rel.trim_start_matches('/');
    if dir.is_empty() {
        rel.to_string()
    } else {
        format!("{dir}/{rel}")
    }
}

/// Build-context paths that a COPY/ADD put at `abs` in the image, latest first
/// (a later COPY overwrites an earlier one).
fn context_paths(image: &ImageView<'_>, abs: &str) -> Vec<String> {
    let workdir = image.workdir().map_or("/", |w| w.value.as_str());
    let mut out = Vec::new();
    for copy in image
        .copies_latest_first()
        .into_iter()
        .filter(|c| c.from.is_none())
    {
        let dest = absolute(workdir, &copy.dest);
        let dest_is_dir = copy.dest.ends_with('/') || copy.sources.len() > 1 || copy.dest == ".";
        for src in &copy.sources {
            let src_norm = normalize(src);
            let src_rel = src_norm.trim_start_matches('/');
            let looks_like_file = crate::model::inventory::base_name(src_rel).contains('.');
            if src_rel.is_empty() || !looks_like_file {
                // A directory: its contents land in dest.
                if let Some(rest) = strip_dir(abs, &dest) {
                    out.push(if src_rel.is_empty() {
                        rest.to_string()
                    } else {
                        format!("{src_rel}/{rest}")
                    });
                }
            } else {
                let target = if dest_is_dir {
                    format!(
                        "{}/{}",
                        dest.trim_end_matches('/'),
                        crate::model::inventory::base_name(src_rel)
                    )
                } else {
                    dest.clone()
                };
                if normalize(&target) == abs {
                    out.push(src_rel.to_string());
                }
            }
        }
    }
    out
}

fn strip_dir<'a>(path: &'a str, dir: &str) -> Option<&'a str> {
    let dir = dir.trim_end_matches('/');
    path.strip_prefix(dir)?.strip_prefix('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_paths() {
        assert_eq!(absolute("/app", "app/main.py"), "/app/app/main.py");
        assert_eq!(absolute("/app", "./main.py"), "/app/main.py");
        assert_eq!(absolute("/srv/", "/opt/x.py"), "/opt/x.py");
        assert_eq!(join("svc", "./app/main.py"), "svc/app/main.py");
        assert_eq!(join("", "main.py"), "main.py");
    }
}
