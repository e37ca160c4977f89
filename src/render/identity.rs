//! The identity renderer: every YAML file of a unit renders to itself, byte
//! for byte. It is the reference for what a renderer returns (virtual files
//! with their origins, the files consumed, problems and notes) and the
//! stand-in the render stage is tested with; the Helm and kustomize
//! renderers replace it for their kinds.

use super::Renderer;
use seamcheck_facts::render::{Origin, OriginMap, Rendered, RenderedFile, Tree, UnitKind};
use seamcheck_facts::{LineIndex, SkipNote};
use std::sync::Arc;

/// Directories below a unit deeper than this are not rendered (a guard
/// against pathological trees; real charts are a few levels deep).
const MAX_DEPTH: usize = 16;

pub struct Identity {
    pub kind: UnitKind,
}

impl Renderer for Identity {
    fn kind(&self) -> UnitKind {
        self.kind
    }

    fn render(&self, tree: &dyn Tree, dirs: &[String]) -> Vec<Rendered> {
        dirs.iter()
            .map(|dir| {
                let mut out = Rendered {
                    unit: crate::discover::unit_in(dir, self.kind),
                    files: Vec::new(),
                    consumed: Vec::new(),
                    problems: Vec::new(),
                    notes: Vec::new(),
                };
                collect(tree, dir, dirs, 0, &mut out);
                out
            })
            .collect()
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn note(path: &str, message: String) -> SkipNote {
    SkipNote {
        message,
        loc: LineIndex::new(path, "").file_location(),
    }
}

/// Renders the YAML files below `dir`, leaving out subdirectories that are
/// units of their own (they render on their own).
fn collect(tree: &dyn Tree, dir: &str, units: &[String], depth: usize, out: &mut Rendered) {
    let entries = match tree.list(dir) {
        Ok(entries) => entries,
        Err(message) => {
            out.notes.push(note(dir, message));
            return;
        }
    };
    for entry in entries {
        let path = join(dir, &entry.name);
        if entry.is_dir {
            if depth < MAX_DEPTH && !units.contains(&path) {
                collect(tree, &path, units, depth + 1, out);
            }
            continue;
        }
        let lower = entry.name.to_ascii_lowercase();
        if !(lower.ends_with(".yaml") || lower.ends_with(".yml")) {
            continue;
        }
        out.consumed.push(path.clone());
        let bytes = match tree.read(&path) {
            Ok(bytes) => bytes,
            Err(message) => {
                out.notes.push(note(&path, message));
                continue;
            }
        };
        let text = match seamcheck_facts::decode_text(&path, &bytes) {
            Ok(text) => text,
            Err(problem) => {
                out.problems.push(problem);
                continue;
            }
        };
        out.files.push(itself(&path, text));
    }
}

/// A file rendered to itself: one copied run over the whole text.
pub fn itself(path: &str, text: &str) -> RenderedFile {
    let real = Arc::new(LineIndex::new(path, text));
    let mut origins = OriginMap::new(real.file_location());
    origins.push(
        0..text.len(),
        Origin::Copied {
            file: real,
            start: 0,
        },
        None,
    );
    RenderedFile {
        path: path.to_string(),
        text: text.to_string(),
        origins,
    }
}
