//! The render stage end to end, with a tiny renderer registered only here:
//! it substitutes `{{ .Values.port }}` in a chart's templates with the
//! `port:` line of its `values.yaml`.

use seamcheck::audit::{run, AuditOptions};
use seamcheck::render::{itself, Identity, RenderOptions, Renderer, RootTree};
use seamcheck_facts::render::{Origin, OriginMap, Rendered, RenderedFile, Tree, UnitKind, Via};
use seamcheck_facts::LineIndex;
use std::sync::Arc;

const ACTION: &str = "{{ .Values.port }}";

struct ValuesPort;

impl Renderer for ValuesPort {
    fn kind(&self) -> UnitKind {
        UnitKind::HelmChart
    }

    fn render(&self, tree: &dyn Tree, dirs: &[String]) -> Vec<Rendered> {
        dirs.iter().map(|dir| render_chart(tree, dir)).collect()
    }
}

fn text_of(tree: &dyn Tree, path: &str) -> String {
    String::from_utf8(tree.read(path).unwrap_or_default()).unwrap_or_default()
}

fn render_chart(tree: &dyn Tree, dir: &str) -> Rendered {
    let values_path = format!("{dir}/values.yaml");
    let values = text_of(tree, &values_path);
    let value_at = values.find("port: ").map_or(0, |i| i + 6);
    let value = values[value_at..].trim_end().to_string();
    let value_loc =
        LineIndex::new(values_path.as_str(), &values).location(value_at..value_at + value.len());
    let mut out = Rendered {
        unit: seamcheck::discover::unit_in(dir, UnitKind::HelmChart),
        files: Vec::new(),
        consumed: vec![format!("{dir}/Chart.yaml"), values_path],
        problems: Vec::new(),
        notes: Vec::new(),
    };
    let templates = format!("{dir}/templates");
    for entry in tree.list(&templates).unwrap_or_default() {
        let path = format!("{templates}/{}", entry.name);
        let template = text_of(tree, &path);
        out.consumed.push(path.clone());
        let Some(at) = template.find(ACTION) else {
            out.files.push(itself(&path, &template));
            continue;
        };
        let real = Arc::new(LineIndex::new(path.as_str(), &template));
        let mut origins = OriginMap::new(real.file_location());
        let copied = |start| Origin::Copied {
            file: real.clone(),
            start,
        };
        origins.push(0..at, copied(0), None);
        let via = Arc::new(Via {
            loc: real.location(at..at + ACTION.len()),
            message: format!("`{path}` uses it"),
        });
        let end = at + value.len();
        origins.push(at..end, Origin::Produced(value_loc.clone()), Some(via));
        let rest = at + ACTION.len();
        origins.push(end..end + template.len() - rest, copied(rest), None);
        let text = format!("{}{value}{}", &template[..at], &template[rest..]);
        out.files.push(RenderedFile {
            path,
            text,
            origins,
        });
    }
    out
}

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: NAME
spec:
  selector:
    matchLabels:
      app: NAME
  template:
    metadata:
      labels:
        app: NAME
    spec:
      containers:
        - name: NAME
          image: registry.example.com/shop/payments:2.0.1
          ports:
            - containerPort: PORT
";

fn write(root: &std::path::Path, rel: &str, text: &str) {
    let path = root.join(rel);
    assert!(path
        .parent()
        .is_some_and(|p| std::fs::create_dir_all(p).is_ok()));
    assert!(std::fs::write(path, text).is_ok());
}

fn repository(root: &std::path::Path) {
    write(
        root,
        "payments/Dockerfile",
        "FROM python:3.12-slim\nWORKDIR /srv\nCOPY app/ app/\nUSER 10001\nEXPOSE 8080\n\
         CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8080\", \"app.main:app\"]\n",
    );
    write(
        root,
        "payments/app/main.py",
        "from flask import Flask\napp = Flask(__name__)\n",
    );
    write(
        root,
        "payments/requirements.txt",
        "flask==3.0.3\ngunicorn==22.0.0\n",
    );
    write(
        root,
        "chart/Chart.yaml",
        "apiVersion: v2\nname: payments\nversion: 1.0.0\n",
    );
    write(root, "chart/values.yaml", "replicas: 2\nport: 80\n");
    write(
        root,
        "chart/templates/deployment.yaml",
        &DEPLOYMENT
            .replace("NAME", "payments")
            .replace("PORT", ACTION),
    );
    // A plain object among the templates: audited through the render only.
    write(
        root,
        "chart/templates/worker.yaml",
        &DEPLOYMENT.replace("NAME", "worker").replace("PORT", "80"),
    );
}

fn audit(root: &std::path::Path, render: RenderOptions) -> seamcheck::audit::Audit {
    run(&AuditOptions {
        paths: vec![root.to_path_buf()],
        max_file_size: seamcheck::discover::DEFAULT_MAX_FILE_SIZE,
        render,
        ..AuditOptions::default()
    })
}

#[test]
fn a_rendered_finding_lands_at_the_value_with_the_template_line_as_evidence() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let root = dir.path();
    repository(root);
    let audit = audit(
        root,
        RenderOptions {
            extra: vec![Arc::new(ValuesPort)],
            ..RenderOptions::default()
        },
    );
    let mismatches: Vec<_> = audit
        .findings
        .iter()
        .filter(|f| f.rule == "container-port-mismatch")
        .collect();
    let places: Vec<_> = mismatches
        .iter()
        .map(|f| (&*f.location.path, f.location.line, f.location.column))
        .collect();
    assert_eq!(
        places,
        [
            ("chart/templates/worker.yaml", 18, 30),
            ("chart/values.yaml", 2, 7)
        ],
        "{:#?}",
        audit.findings
    );
    let from_values = mismatches[1];
    let vias: Vec<_> = from_values
        .related
        .iter()
        .filter(|r| r.message == "`chart/templates/deployment.yaml` uses it")
        .map(|r| (&*r.loc.path, r.loc.line, r.loc.column))
        .collect();
    assert_eq!(vias, [("chart/templates/deployment.yaml", 18, 30)]);
    // The worker's finding has no `via`: its bytes were copied as written.
    assert!(mismatches[0]
        .related
        .iter()
        .all(|r| !r.message.ends_with("uses it")));
    // Consumed files are not analysed on their own: no "helm template"
    // note, and each workload once.
    assert!(
        audit.skipped.iter().all(|s| !s.rel.starts_with("chart/")),
        "{:?}",
        audit.skipped
    );
    let workloads: Vec<_> = audit
        .services
        .iter()
        .flat_map(|s| &s.workloads)
        .map(|w| w.id.clone())
        .collect();
    assert_eq!(workloads.len(), 2, "{workloads:?}");
    // The human report draws the snippet from the real values file (by
    // file: by default the worker's copy of the same message would stand
    // for it, "and 1 more place").
    let by_file = seamcheck::report::RenderOptions {
        group_by: Some(seamcheck::report::layout::GroupBy::File),
        ..Default::default()
    };
    let human = seamcheck::report::human::render_with(&audit, &by_file);
    assert!(human.contains("port: 80"), "{human}");
    assert!(
        human.contains("containerPort: {{ .Values.port }}"),
        "{human}"
    );
}

#[test]
fn the_shipped_helm_renderer_renders_the_chart_as_the_test_renderer_does() {
    // Since the Helm renderer is registered, a chart is no longer skipped
    // per file: the same findings as with the test-only renderer above.
    let Ok(dir) = tempfile::tempdir() else { return };
    let root = dir.path();
    repository(root);
    let audit = audit(root, RenderOptions::default());
    assert!(audit.skipped.is_empty(), "{:?}", audit.skipped);
    let places: Vec<_> = audit
        .findings
        .iter()
        .filter(|f| f.rule == "container-port-mismatch")
        .map(|f| (&*f.location.path, f.location.line, f.location.column))
        .collect();
    assert_eq!(
        places,
        [
            ("chart/templates/worker.yaml", 18, 30),
            ("chart/values.yaml", 2, 7)
        ]
    );
}

#[test]
fn the_identity_renderer_renders_files_to_themselves() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let root = dir.path();
    write(
        root,
        "base/kustomization.yaml",
        "resources: [deploy.yaml]\n",
    );
    write(root, "base/deploy.yaml", "kind: A\n");
    write(root, "base/nested/kustomization.yaml", "resources: []\n");
    write(root, "base/nested/x.yaml", "kind: B\n");
    write(root, "base/notes.txt", "not yaml\n");
    let tree = RootTree::new(root, 1024);
    let identity = Identity {
        kind: UnitKind::Kustomization,
    };
    let out = identity.render(&tree, &["base".to_string(), "base/nested".to_string()]);
    let consumed: Vec<_> = out.iter().map(|r| r.consumed.clone()).collect();
    assert_eq!(
        consumed,
        [
            vec!["base/deploy.yaml", "base/kustomization.yaml"],
            vec!["base/nested/kustomization.yaml", "base/nested/x.yaml"],
        ]
    );
    let file = &out[0].files[0];
    assert_eq!(file.text, "kind: A\n");
    let loc = file.line_index().location(6..7);
    assert_eq!(
        (&*loc.path, loc.line, loc.column),
        ("base/deploy.yaml", 1, 7)
    );
}

#[test]
fn a_suppression_in_a_consumed_file_still_silences_the_rendered_finding() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let root = dir.path();
    repository(root);
    write(
        root,
        "chart/values.yaml",
        "replicas: 2\nport: 80 # seamcheck: ignore[container-port-mismatch] -- the chart is retired\n",
    );
    // A directive in a template, which the per-file analysis skips unread.
    let worker = DEPLOYMENT.replace("NAME", "worker").replace(
        "PORT",
        "80 # seamcheck: ignore[container-port-mismatch] -- metrics only",
    );
    write(root, "chart/templates/worker.yaml", &worker);
    let audit = audit(
        root,
        RenderOptions {
            extra: vec![Arc::new(ValuesPort)],
            ..RenderOptions::default()
        },
    );
    assert!(
        audit
            .findings
            .iter()
            .all(|f| f.rule != "container-port-mismatch" && f.rule != "unused-suppression"),
        "{:#?}",
        audit.findings
    );
    let hidden: Vec<_> = audit
        .suppressed
        .iter()
        .map(|s| (&*s.finding.location.path, s.finding.location.line))
        .collect();
    assert_eq!(
        hidden,
        [
            ("chart/templates/worker.yaml", 18),
            ("chart/values.yaml", 2)
        ]
    );
}

/// Reports a problem and a note for each unit, and renders nothing.
struct Troubled;

impl Renderer for Troubled {
    fn kind(&self) -> UnitKind {
        UnitKind::HelmChart
    }

    fn render(&self, _tree: &dyn Tree, dirs: &[String]) -> Vec<Rendered> {
        dirs.iter()
            .map(|dir| {
                let values = format!("{dir}/values.yaml");
                let at = LineIndex::new(values.as_str(), "replicas: 2\nport: 80\n");
                Rendered {
                    unit: seamcheck::discover::unit_in(dir, UnitKind::HelmChart),
                    files: Vec::new(),
                    consumed: vec![values.clone()],
                    problems: vec![seamcheck_facts::ParseProblem {
                        message: "malformed values".into(),
                        loc: at.location(12..16),
                    }],
                    notes: vec![seamcheck_facts::SkipNote {
                        message: "template skipped: `required` failed".into(),
                        loc: at.file_location(),
                    }],
                }
            })
            .collect()
    }
}

/// A renderer with a bug.
struct Panicking;

impl Renderer for Panicking {
    fn kind(&self) -> UnitKind {
        UnitKind::HelmChart
    }

    fn render(&self, _tree: &dyn Tree, _dirs: &[String]) -> Vec<Rendered> {
        panic!("a renderer bug")
    }
}

#[test]
fn render_problems_are_parse_errors_and_notes_are_skipped_notes() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let root = dir.path();
    repository(root);
    let audit = audit(
        root,
        RenderOptions {
            extra: vec![Arc::new(Troubled)],
            ..RenderOptions::default()
        },
    );
    let errors: Vec<_> = audit
        .findings
        .iter()
        .filter(|f| f.rule == "parse-error")
        .map(|f| (&*f.location.path, f.location.line, f.message.as_str()))
        .collect();
    assert_eq!(errors, [("chart/values.yaml", 2, "malformed values")]);
    let mut notes: Vec<_> = audit
        .skipped
        .iter()
        .map(|s| (s.rel.as_str(), s.reason.as_str()))
        .collect();
    notes.sort();
    // The template the renderer did not consume keeps its per-file note.
    assert_eq!(
        notes,
        [
            (
                "chart/templates/deployment.yaml",
                "helm template skipped: not yaml until rendered"
            ),
            ("chart/values.yaml", "template skipped: `required` failed"),
        ]
    );
}

#[test]
fn a_renderer_that_panics_is_a_note_and_the_audit_goes_on() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let root = dir.path();
    repository(root);
    let audit = audit(
        root,
        RenderOptions {
            extra: vec![Arc::new(Panicking)],
            ..RenderOptions::default()
        },
    );
    assert!(
        audit
            .skipped
            .iter()
            .any(|s| s.rel == "chart" && s.reason.starts_with("internal error while rendering")),
        "{:?}",
        audit.skipped
    );
    // Nothing was consumed: the files are audited one by one, as without it.
    assert!(audit
        .findings
        .iter()
        .any(|f| f.rule == "container-port-mismatch"
            && &*f.location.path == "chart/templates/worker.yaml"));
}
