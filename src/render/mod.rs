//! The render stage, between discovery and analysis: a directory rendered as
//! a whole (a Helm chart, a kustomization: a [`Unit`]) becomes virtual files
//! whose every byte maps back to the real file that produced it
//! (`seamcheck_facts::render`). Rendered files are analysed like any file;
//! the real files a unit consumed are then audited only through the render
//! (their suppression comments still count: they are read from the real
//! file).
//!
//! A unit kind with no registered renderer keeps the per-file behaviour
//! (Helm templates skipped with a note, kustomization files read one by
//! one).

mod helm;
mod identity;
mod kustomize;
mod tree;

pub use identity::{itself, Identity};
pub use tree::RootTree;

use seamcheck_facts::render::{Rendered, Tree, Unit, UnitKind};
use seamcheck_facts::{Facts, FileAnalysis, FileKind, LineIndex, SkipNote};
use std::collections::BTreeSet;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

/// Turns units of one kind into rendered files. A renderer reads only
/// through `tree`, never executes anything, and never panics on input (a
/// panic is still caught and becomes a note).
pub trait Renderer: Sync + Send {
    fn kind(&self) -> UnitKind;
    /// Renders the units of [`Renderer::kind`] found in `dirs` (relative to
    /// the root, `""` for the root), all at once: a renderer may need to see
    /// them together (an overlay and its base are both units).
    fn render(&self, tree: &dyn Tree, dirs: &[String]) -> Vec<Rendered>;
}

/// What the render stage is told besides the tree.
#[derive(Default, Clone)]
pub struct RenderOptions {
    /// Renderers tried before the registered ones (the first of a kind
    /// wins): for tests and embedders.
    pub extra: Vec<Arc<dyn Renderer>>,
    /// Extra Helm deployment contexts (`--values CHART=FILE`, `[[charts]]`):
    /// each renders its chart once more with its values files.
    pub helm_values: Vec<seamcheck_helm::ValuesContext>,
    /// `--max-file-size`, for files a renderer unpacks (a packaged
    /// subchart's entries); 0: the default.
    pub max_file_size: u64,
}

/// The renderers seamcheck ships, one line each. (The identity renderer is
/// not among them: registered for a kind, it would read the files of a
/// chart's `templates/` as YAML, which they are not until rendered.)
pub fn registry(options: &RenderOptions) -> Vec<Arc<dyn Renderer>> {
    vec![
        Arc::new(helm::HelmRenderer {
            options: seamcheck_helm::HelmOptions {
                extra_values: options.helm_values.clone(),
                max_file_size: if options.max_file_size == 0 {
                    crate::discover::DEFAULT_MAX_FILE_SIZE
                } else {
                    options.max_file_size
                },
                ..seamcheck_helm::HelmOptions::default()
            },
        }),
        Arc::new(kustomize::KustomizeRenderer),
    ]
}

/// What rendering the units produced, analysed.
#[derive(Default)]
pub struct RenderStage {
    /// The analyses of the rendered files (those holding something), and
    /// one per unit with problems or notes.
    pub files: Vec<FileAnalysis>,
    /// Rendered files analysed.
    pub count: usize,
    /// Real files consumed by a unit, relative to the root.
    pub consumed: BTreeSet<String>,
    /// Units (charts, overlays) rendered, and those that failed (a problem
    /// reported, or nothing produced and a note saying why): the report's
    /// coverage counts them.
    pub units_rendered: usize,
    pub units_failed: usize,
}

/// Renders every unit that has a renderer (the first of its kind in
/// `renderers`), and analyses the rendered files.
pub fn render_units(
    tree: &dyn Tree,
    units: &[Unit],
    renderers: &[Arc<dyn Renderer>],
) -> RenderStage {
    let mut stage = RenderStage::default();
    let mut kinds: Vec<UnitKind> = units.iter().map(|u| u.kind).collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let Some(renderer) = renderers.iter().find(|r| r.kind() == kind) else {
            continue;
        };
        let dirs: Vec<String> = units
            .iter()
            .filter(|u| u.kind == kind)
            .map(|u| u.dir.clone())
            .collect();
        let rendered = std::panic::catch_unwind(AssertUnwindSafe(|| renderer.render(tree, &dirs)))
            .unwrap_or_else(|_| {
                dirs.iter()
                    .map(|dir| failed(crate::discover::unit_in(dir, kind)))
                    .collect()
            });
        for r in rendered {
            absorb(&mut stage, r);
        }
    }
    stage.files.sort_by(|a, b| a.path.cmp(&b.path));
    stage
}

/// A unit whose renderer failed: a note, nothing rendered.
fn failed(unit: Unit) -> Rendered {
    let notes = vec![SkipNote {
        message: "internal error while rendering (please report it)".to_string(),
        loc: LineIndex::new(unit_path(&unit), "").file_location(),
    }];
    Rendered {
        unit,
        files: Vec::new(),
        consumed: Vec::new(),
        problems: Vec::new(),
        notes,
    }
}

/// A unit's directory as a report path (`.` for the root).
fn unit_path(unit: &Unit) -> &str {
    if unit.dir.is_empty() {
        "."
    } else {
        &unit.dir
    }
}

fn absorb(stage: &mut RenderStage, rendered: Rendered) {
    let failed =
        !rendered.problems.is_empty() || (rendered.files.is_empty() && !rendered.notes.is_empty());
    if failed {
        stage.units_failed += 1;
    } else {
        stage.units_rendered += 1;
    }
    stage.consumed.extend(rendered.consumed);
    for file in &rendered.files {
        stage.count += 1;
        let analysis =
            std::panic::catch_unwind(AssertUnwindSafe(|| seamcheck_kube::analyze_rendered(file)))
                .unwrap_or_else(|_| {
                    let mut a =
                        FileAnalysis::new(file.path.clone(), FileKind::KubeYaml, Facts::Empty);
                    a.notes.push(SkipNote {
                        message: "internal analyzer error on this rendered file (please report it)"
                            .to_string(),
                        loc: file.origins.locate(seamcheck_facts::Span::new(0, 0)),
                    });
                    a
                });
        if !analysis.holds_nothing() {
            stage.files.push(analysis);
        }
    }
    if !(rendered.problems.is_empty() && rendered.notes.is_empty()) {
        let mut a = FileAnalysis::new(unit_path(&rendered.unit), FileKind::KubeYaml, Facts::Empty);
        a.problems = rendered.problems;
        a.notes = rendered.notes;
        stage.files.push(a);
    }
}

/// The per-file analyses with the render stage's results in: a consumed
/// file's own analysis is replaced by its suppression comments alone (read
/// again from the real file: an analyzer that skipped the file, a Helm
/// template, did not read them), and the rendered analyses join. Sorted by
/// path.
pub fn merge(
    per_file: Vec<FileAnalysis>,
    stage: RenderStage,
    tree: &dyn Tree,
) -> Vec<FileAnalysis> {
    if stage.consumed.is_empty() && stage.files.is_empty() {
        return per_file;
    }
    let mut files: Vec<FileAnalysis> = per_file
        .into_iter()
        .filter(|f| !stage.consumed.contains(&f.path))
        .collect();
    for path in &stage.consumed {
        let kind = crate::discover::classify(path).unwrap_or(FileKind::KubeYaml);
        let Ok(bytes) = tree.read(path) else { continue };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let suppressions = seamcheck_facts::suppress::scan_file(path, text, kind);
        if !suppressions.is_empty() {
            let mut a = FileAnalysis::new(path.clone(), kind, Facts::Empty);
            a.suppressions = suppressions;
            files.push(a);
        }
    }
    files.extend(stage.files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}
