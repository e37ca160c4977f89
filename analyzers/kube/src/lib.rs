//! seamcheck analyzer for Kubernetes YAML: one file (multi-document, `kind:
//! List` included) to [`KubeFacts`]: workloads with their containers, Services
//! and Ingresses, every value with its precise location.
//!
//! Locations: a scalar value is located at its token (quotes included for a
//! quoted scalar, the `!!tag`/`&anchor` prefix too when present); an object
//! from its first key through its last value; an entry such as a probe from
//! its key through its last value.

mod chart;
mod configmap;
mod container;
mod helm;
mod ingress;
mod meta;
mod objects;
mod probe;
mod service;
mod skaffold;
mod templated;
mod workload;
mod yaml;

use helm::template_note;
use seamcheck_facts::render::RenderedFile;
use seamcheck_facts::{decode_text, Facts, FileAnalysis, FileKind, KubeFacts};
use seamcheck_yaml::SourceMap;

pub use chart::CHART_API;
pub use seamcheck_yaml::{ALIAS_NODE_BUDGET, MAX_DEPTH};

/// Analyzes one YAML file. `path` is relative to the audited root.
///
/// Never fails: unreadable input becomes `problems`, Helm templates become a
/// `notes` entry, and YAML that holds no Kubernetes object yields
/// `Facts::Empty` with no problem.
pub fn analyze(path: &str, bytes: &[u8]) -> FileAnalysis {
    let mut analysis = FileAnalysis::new(path, FileKind::KubeYaml, Facts::Empty);
    let text = match decode_text(path, bytes) {
        Ok(text) => text,
        Err(problem) => {
            analysis.problems.push(problem);
            return analysis;
        }
    };
    let src = SourceMap::new(path, text);
    let template_action = helm::first_template_action(text);
    if let Some(at) = template_action.filter(|_| helm::in_templates_dir(path)) {
        analysis
            .notes
            .push(template_note(&src, at, "helm template"));
        return analysis;
    }

    let loaded = seamcheck_yaml::load_file(&src);
    if !loaded.problems.is_empty() {
        if let Some(at) = template_action {
            // Template syntax is the likely cause: not an error of the file.
            analysis
                .notes
                .push(template_note(&src, at, "templated yaml"));
            return analysis;
        }
    }
    analysis.problems = loaded.problems;
    let mut extracted = objects::extract(&loaded.docs, &src);
    // Braces where names, labels or whole lines belong: a template that
    // happens to parse (a sed or Jinja template), not a manifest.
    if let Some(at) = template_action {
        if templated::has_control_line(text) || templated::identity_is_templated(&extracted.facts) {
            analysis.problems.clear();
            analysis
                .notes
                .push(template_note(&src, at, "templated yaml"));
            return analysis;
        }
    }
    if chart::is_chart_file(path) {
        let chart = chart::extract(&loaded.docs, &src);
        extracted.saw_object |= !chart.is_empty();
        extracted.facts.objects.extend(chart);
    }
    if extracted.saw_object {
        analysis.facts = Facts::Kube(extracted.facts);
    }
    analysis.suppressions =
        seamcheck_facts::suppress::scan(path, text, seamcheck_facts::suppress::CommentSyntax::HASH);
    analysis
}

/// Analyzes one rendered file (a Helm template's output, a kustomization's
/// objects). The text is YAML the renderer wrote; every location is mapped
/// through the file's origins to the real template, values or patch line.
/// Suppression comments are read from the real files, not from here.
pub fn analyze_rendered(file: &RenderedFile) -> FileAnalysis {
    let mut analysis = FileAnalysis::new(file.path.as_str(), FileKind::KubeYaml, Facts::Empty);
    let src = SourceMap::with_index(&file.text, file.line_index());
    let loaded = seamcheck_yaml::load_file(&src);
    analysis.problems = loaded.problems;
    let extracted = objects::extract(&loaded.docs, &src);
    if extracted.saw_object {
        analysis.facts = Facts::Kube(extracted.facts);
    }
    analysis
}

/// The Kubernetes facts of an analysis, if it holds any.
pub fn kube_facts(analysis: &FileAnalysis) -> Option<&KubeFacts> {
    match &analysis.facts {
        Facts::Kube(facts) => Some(facts),
        _ => None,
    }
}
