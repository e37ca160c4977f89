//! YAML that is not a Kubernetes manifest yields nothing and no problem;
//! Helm templates are skipped with a note.

mod common;
use common::{analyze, kube, pos};
use seamcheck_facts::Facts;

#[test]
fn github_workflow_is_not_kubernetes() {
    let text = "\
name: ci
on:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: cargo test
";
    let analysis = analyze(".github/workflows/ci.yml", text);
    assert!(matches!(analysis.facts, Facts::Empty));
    assert!(analysis.problems.is_empty());
    assert!(analysis.notes.is_empty());
}

#[test]
fn helm_values_file_is_not_kubernetes() {
    let text = "\
replicaCount: 2
image:
  repository: shop/inventory
  tag: \"\"
service:
  port: 80
containerPort: 8080
";
    let analysis = analyze("charts/inventory/values.yaml", text);
    assert!(matches!(analysis.facts, Facts::Empty));
    assert!(analysis.problems.is_empty());
}

#[test]
fn unmodelled_kinds_give_empty_kube_facts() {
    let text = "\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  PORT: \"8080\"
";
    let analysis = analyze("k8s/kustomization.yaml", text);
    let facts = kube(&analysis);
    assert!(facts.workloads.is_empty() && facts.services.is_empty() && facts.ingresses.is_empty());
    assert!(analysis.problems.is_empty());
}

#[test]
fn empty_and_comment_only_files() {
    for text in [
        "",
        "# nothing here\n",
        "---\n---\n",
        "just a string\n",
        "- 1\n- 2\n",
    ] {
        let analysis = analyze("k8s/empty.yaml", text);
        assert!(matches!(analysis.facts, Facts::Empty), "{text:?}");
        assert!(analysis.problems.is_empty(), "{text:?}");
    }
}

#[test]
fn helm_template_is_skipped_with_a_note() {
    let text = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include \"inventory.fullname\" . }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
        - name: web
          ports:
            - containerPort: {{ .Values.containerPort }}
";
    let analysis = analyze("charts/inventory/templates/deployment.yaml", text);
    assert!(matches!(analysis.facts, Facts::Empty));
    assert!(analysis.problems.is_empty());
    assert_eq!(analysis.notes.len(), 1);
    assert_eq!(
        analysis.notes[0].message,
        "helm template skipped: not yaml until rendered"
    );
    assert_eq!(pos(&analysis.notes[0].loc), (4, 9, 4, 10));
}

#[test]
fn broken_templated_yaml_outside_a_chart_is_a_note_not_an_error() {
    let text = "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
{{- range .Values.ports }}
    - port: {{ . }}
{{- end }}
";
    let analysis = analyze("deploy/service.yaml.tpl", text);
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    assert_eq!(analysis.notes.len(), 1);
    assert_eq!(
        analysis.notes[0].message,
        "templated yaml skipped: not yaml until rendered"
    );
    assert_eq!(pos(&analysis.notes[0].loc), (7, 1, 7, 2));
}

#[test]
fn plain_manifest_in_a_templates_directory_is_read() {
    let text = "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 80
";
    let analysis = analyze("charts/web/templates/service.yaml", text);
    assert_eq!(kube(&analysis).services.len(), 1);
    assert!(analysis.notes.is_empty());
}
