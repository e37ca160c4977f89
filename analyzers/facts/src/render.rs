//! Rendered files: the text a renderer (Helm templates, a kustomization)
//! produces from a *unit* of real files, with an [`OriginMap`] that sends
//! every byte of that text back to the real place that produced it.
//!
//! The render stage sits between discovery and analysis. A renderer reads
//! the unit's files through a [`Tree`] (confined to the audited root by the
//! caller), and returns [`Rendered`]: virtual files plus the list of real
//! files it consumed (templates, values, patches), which are then never
//! analysed on their own. An analyzer reads a [`RenderedFile`] like any other
//! file, through a [`LineIndex`] built with [`LineIndex::rendered`]: every
//! `Location` it makes is then a real file's location, and a value that a
//! template or a patch put in place carries that place in [`Location::via`].
//!
//! No report ever shows rendered text: snippets come from the real files the
//! locations name.

use crate::{LineIndex, Location, ParseProblem, SkipNote, Span};
use serde::Serialize;
use std::sync::Arc;

/// The place that put a value where it is, for a location inside rendered
/// output: the template action that used a `values.yaml` value, the
/// kustomization line that applied a patch or a name prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Via {
    pub loc: Location,
    /// Lowercase, no trailing period: "`templates/deployment.yaml` uses it".
    pub message: String,
}

/// What kind of directory a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// A directory with `Chart.yaml`.
    HelmChart,
    /// A directory with `kustomization.yaml` (or `.yml`, `Kustomization`).
    Kustomization,
}

/// A directory rendered as a whole into one deployment context.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Unit {
    pub kind: UnitKind,
    /// The unit's directory, relative to the audited root, `/` separators
    /// (`""` for the root itself).
    pub dir: String,
    /// The deployment context's name as reports show it: the chart's name
    /// (with the extra values file, if any), the top kustomization's
    /// directory.
    pub context: String,
}

/// Where a run of rendered bytes came from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// Copied verbatim from a real file: rendered byte `rendered.start + k`
    /// is byte `start + k` of `file` (template text, a scalar copied as
    /// written). Locations inside the run are exact to the character.
    Copied { file: Arc<LineIndex>, start: usize },
    /// Produced from something written at this location, but not byte for
    /// byte (a value re-quoted by `toYaml`, a number re-printed, a merged
    /// key re-emitted): any span inside the run maps to the whole location.
    Produced(Location),
}

/// One run of rendered bytes and where it came from.
#[derive(Debug, Clone)]
pub struct Segment {
    pub rendered: Span,
    pub origin: Origin,
    pub via: Option<Arc<Via>>,
}

/// Rendered byte ranges to real locations. Segments are pushed in rendered
/// order and never overlap; bytes between segments (indentation or `- `
/// markers an emitter wrote) belong to the segment before them.
#[derive(Debug, Clone)]
pub struct OriginMap {
    segments: Vec<Segment>,
    /// Where bytes before the first segment point: the unit's main file.
    fallback: Location,
}

impl OriginMap {
    pub fn new(fallback: Location) -> Self {
        OriginMap {
            segments: Vec::new(),
            fallback,
        }
    }

    /// Records that the rendered bytes `rendered` came from `origin`. A
    /// segment that starts before the end of the previous one is clipped to
    /// keep the map ordered; an empty one is dropped. A copied run that
    /// continues the previous copied run of the same file is merged into it.
    pub fn push(&mut self, rendered: impl Into<Span>, origin: Origin, via: Option<Arc<Via>>) {
        let mut rendered: Span = rendered.into();
        if let Some(last) = self.segments.last_mut() {
            rendered.start = rendered.start.max(last.rendered.end);
            if rendered.start >= rendered.end {
                return;
            }
            if let (Origin::Copied { file: a, start: sa }, Origin::Copied { file: b, start: sb }) =
                (&last.origin, &origin)
            {
                let contiguous = last.rendered.end == rendered.start
                    && Arc::ptr_eq(a, b)
                    && *sa + (last.rendered.end - last.rendered.start) == *sb
                    && last.via == via;
                if contiguous {
                    last.rendered.end = rendered.end;
                    return;
                }
            }
        }
        if rendered.start < rendered.end {
            self.segments.push(Segment {
                rendered,
                origin,
                via,
            });
        }
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The segment holding rendered byte `at`, or the last one before it.
    fn segment_at(&self, at: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.rendered.start <= at);
        i.checked_sub(1).map(|i| &self.segments[i])
    }

    /// The real location of a rendered byte span. A span inside one copied
    /// run maps exactly; a span across runs goes from the start of the first
    /// run's place to the end of the last one's when both are in the same
    /// file and in order, and to the first one's place otherwise.
    pub fn locate(&self, span: Span) -> Location {
        let Some(first) = self.segment_at(span.start) else {
            return self.fallback.clone();
        };
        let last_byte = span.end.saturating_sub(1).max(span.start);
        let start_loc = piece(first, span.start, span.end);
        let mut loc = match self.segment_at(last_byte) {
            Some(last) if !std::ptr::eq(last, first) => {
                let end_loc = piece(last, last.rendered.start, span.end);
                if end_loc.path == start_loc.path && end_loc.span.end >= start_loc.span.start {
                    Location {
                        span: Span::new(start_loc.span.start, end_loc.span.end),
                        end_line: end_loc.end_line,
                        end_column: end_loc.end_column,
                        ..start_loc
                    }
                } else {
                    start_loc
                }
            }
            _ => start_loc,
        };
        if loc.via.is_none() {
            loc.via.clone_from(&first.via);
        }
        loc
    }
}

/// The location of the part `[start, end)` of rendered bytes that falls in
/// `seg` (clipped to it).
fn piece(seg: &Segment, start: usize, end: usize) -> Location {
    match &seg.origin {
        Origin::Produced(loc) => loc.clone(),
        Origin::Copied {
            file,
            start: origin,
        } => {
            let from = start.clamp(seg.rendered.start, seg.rendered.end);
            let to = end.clamp(from, seg.rendered.end);
            let shift = |b: usize| origin + (b - seg.rendered.start);
            file.location(shift(from)..shift(to))
        }
    }
}

/// One file of rendered output.
#[derive(Debug, Clone)]
pub struct RenderedFile {
    /// A virtual path inside the unit's directory that names what was
    /// rendered (`chart/templates/deployment.yaml`,
    /// `overlays/prod/kustomization.yaml`); unique within one [`Rendered`].
    /// It never appears in a report unless a location cannot be mapped.
    pub path: String,
    pub text: String,
    pub origins: OriginMap,
}

impl RenderedFile {
    /// The line index an analyzer reads this file through: every location
    /// it makes is mapped to a real file.
    pub fn line_index(&self) -> LineIndex {
        LineIndex::rendered(
            self.path.as_str(),
            &self.text,
            Arc::new(self.origins.clone()),
        )
    }
}

/// What a renderer made of one unit.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub unit: Unit,
    pub files: Vec<RenderedFile>,
    /// Real files the unit consumed (templates, values files, patches,
    /// resources, generator inputs), relative to the root: audited only
    /// through the render, never on their own.
    pub consumed: Vec<String>,
    /// Inputs that could not be read or rendered (a kustomization loop, a
    /// malformed values file): `parse-error` findings.
    pub problems: Vec<ParseProblem>,
    /// What was left out and why (a template that failed on `required`, a
    /// remote base): notes.
    pub notes: Vec<SkipNote>,
}

/// An entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TreeEntry {
    pub name: String,
    pub is_dir: bool,
}

/// Read access to the audited tree for a renderer. Paths are relative to
/// the audited root with `/` separators. The implementation confines every
/// read to the root (no link followed out of it), caps sizes and reads only
/// regular files; an error is a message for a note or a parse error.
pub trait Tree: Sync {
    fn read(&self, path: &str) -> Result<Vec<u8>, String>;
    /// The entries of a directory, sorted by name.
    fn list(&self, dir: &str) -> Result<Vec<TreeEntry>, String>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template() -> Arc<LineIndex> {
        Arc::new(LineIndex::new(
            "chart/templates/d.yaml",
            "kind: Deployment\nport: {{ .Values.port }}\n",
        ))
    }

    fn values_loc() -> Location {
        LineIndex::new("chart/values.yaml", "port: 80\n").location(6..8)
    }

    /// `kind: Deployment\nport: 80\n` rendered from the template above.
    fn rendered() -> LineIndex {
        let tpl = template();
        let mut map = OriginMap::new(tpl.file_location());
        map.push(
            0..23,
            Origin::Copied {
                file: tpl.clone(),
                start: 0,
            },
            None,
        );
        let via = Arc::new(Via {
            loc: tpl.location(23..42),
            message: "`chart/templates/d.yaml` uses it".into(),
        });
        map.push(23..25, Origin::Produced(values_loc()), Some(via));
        map.push(
            25..26,
            Origin::Copied {
                file: tpl.clone(),
                start: 42,
            },
            None,
        );
        LineIndex::rendered("chart/templates/d.yaml", "kind: Deployment\nport: 80\n", {
            Arc::new(map)
        })
    }

    #[test]
    fn copied_text_maps_exactly() {
        let idx = rendered();
        let loc = idx.location(17..21);
        assert_eq!(&*loc.path, "chart/templates/d.yaml");
        assert_eq!((loc.line, loc.column, loc.end_column), (2, 1, 4));
        assert!(loc.via.is_none());
    }

    #[test]
    fn a_value_maps_to_its_values_file_with_the_template_as_via() {
        let idx = rendered();
        let loc = idx.location(23..25);
        assert_eq!(&*loc.path, "chart/values.yaml");
        assert_eq!((loc.line, loc.column, loc.end_column), (1, 7, 8));
        let via = loc.via.expect("the template line");
        assert_eq!(&*via.loc.path, "chart/templates/d.yaml");
        assert_eq!(via.loc.line, 2);
    }

    #[test]
    fn an_entry_across_runs_of_different_files_keeps_its_start() {
        let idx = rendered();
        let loc = idx.location(17..25);
        assert_eq!(&*loc.path, "chart/templates/d.yaml");
        assert_eq!((loc.line, loc.column), (2, 1));
    }

    #[test]
    fn contiguous_copies_merge_and_overlaps_are_clipped() {
        let tpl = template();
        let mut map = OriginMap::new(tpl.file_location());
        let copied = |start| Origin::Copied {
            file: tpl.clone(),
            start,
        };
        map.push(0..5, copied(0), None);
        map.push(5..10, copied(5), None);
        map.push(8..12, copied(20), None);
        map.push(12..12, copied(30), None);
        let spans: Vec<_> = map.segments().iter().map(|s| s.rendered).collect();
        assert_eq!(spans, vec![Span::new(0, 10), Span::new(10, 12)]);
    }

    #[test]
    fn bytes_before_any_segment_point_at_the_fallback() {
        let tpl = template();
        let map = OriginMap::new(tpl.file_location());
        assert_eq!(map.locate(Span::new(0, 3)).line, 1);
    }
}
