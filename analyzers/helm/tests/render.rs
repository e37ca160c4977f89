//! Rendering the chart fixtures: what is rendered, what is left out, and
//! where rendered values point.

mod common;

use common::DirTree;
use seamcheck_helm::{render_charts, HelmOptions};

fn render(dir: &str) -> seamcheck_facts::render::Rendered {
    let mut out = render_charts(
        &DirTree::fixtures(),
        &[dir.to_string()],
        &HelmOptions::default(),
    );
    assert_eq!(out.len(), 1, "one deployment context");
    out.remove(0)
}

#[test]
fn helm_create_chart_renders_and_maps_values_to_values_yaml() {
    let r = render("create-app/chart");
    for f in &r.files {
        eprintln!("=== {}\n{}", f.path, f.text);
    }
    assert!(r.notes.is_empty(), "{:?}", r.notes);
    let paths: Vec<&str> = r.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "create-app/chart/templates/deployment.yaml",
            "create-app/chart/templates/service.yaml",
            "create-app/chart/templates/serviceaccount.yaml",
        ],
        "helpers, NOTES.txt and the test hook render nothing"
    );
    let dep = &r.files[0];
    assert!(dep.text.contains("name: release-name-shop\n"));
    assert!(dep
        .text
        .contains("image: \"registry.example.com/shop:1.4.2\""));
    let idx = dep.line_index();
    // containerPort: 80 points at values.yaml `port: 80`, via the template line.
    let at = dep.text.find("containerPort: 80").unwrap() + "containerPort: ".len();
    let loc = idx.location(at..at + 2);
    assert_eq!(&*loc.path, "create-app/chart/values.yaml");
    assert_eq!(loc.line, 19);
    let via = loc.via.expect("the template action");
    assert_eq!(&*via.loc.path, "create-app/chart/templates/deployment.yaml");
    assert_eq!(via.loc.line, 28);
    // The probe path, emitted by toYaml | nindent, points at its own line.
    let at = dep.text.find("path: /").unwrap() + "path: ".len();
    let loc = idx.location(at..at + 1);
    assert_eq!((&*loc.path, loc.line), ("create-app/chart/values.yaml", 34));
    // Template text points at the template.
    let at = dep.text.find("kind: Deployment").unwrap();
    let loc = idx.location(at..at + 4);
    assert_eq!(
        (&*loc.path, loc.line),
        ("create-app/chart/templates/deployment.yaml", 2)
    );
    // A value from Chart.yaml points there, with the template as `via`.
    let at = dep.text.find("- name: shop").unwrap() + "- name: ".len();
    let loc = idx.location(at..at + 4);
    assert_eq!((&*loc.path, loc.line), ("create-app/chart/Chart.yaml", 2));
    assert_eq!(loc.via.map(|v| v.loc.line), Some(23));
    assert!(r
        .consumed
        .contains(&"create-app/chart/values.yaml".to_string()));
    assert!(r
        .consumed
        .contains(&"create-app/chart/templates/_helpers.tpl".to_string()));
}

#[test]
fn a_missing_required_value_is_a_note_at_the_template_and_the_rest_renders() {
    let r = render("required");
    let paths: Vec<&str> = r.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, vec!["required/templates/service.yaml"]);
    assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
    let note = &r.notes[0];
    assert!(
        note.message.contains("database.url is required"),
        "{}",
        note.message
    );
    assert!(
        note.message.contains("required/templates/secret.yaml"),
        "{}",
        note.message
    );
    assert_eq!(
        (&*note.loc.path, note.loc.line),
        ("required/templates/secret.yaml", 6)
    );
}

#[test]
fn a_subchart_renders_with_the_parents_values_and_globals() {
    let r = render("umbrella");
    assert!(r.notes.is_empty(), "{:?}", r.notes);
    let sts = r
        .files
        .iter()
        .find(|f| f.path == "umbrella/charts/cache/templates/statefulset.yaml")
        .expect("the subchart's template");
    assert!(
        sts.text.contains("image: registry.example.com/redis:7.2"),
        "{}",
        sts.text
    );
    assert!(sts.text.contains("containerPort: 6380"), "{}", sts.text);
    // The port the parent overrides points at the parent's values.yaml.
    let at = sts.text.find("containerPort: 6380").unwrap() + "containerPort: ".len();
    let loc = sts.line_index().location(at..at + 4);
    assert_eq!((&*loc.path, loc.line), ("umbrella/values.yaml", 5));
    assert!(r
        .consumed
        .contains(&"umbrella/charts/cache/values.yaml".to_string()));
}

#[test]
fn a_disabled_subchart_renders_nothing() {
    use seamcheck_facts::render::{Tree, TreeEntry};
    /// The umbrella fixture with `cache.enabled: false`.
    struct Disabled(DirTree);
    impl Tree for Disabled {
        fn read(&self, path: &str) -> Result<Vec<u8>, String> {
            if path == "umbrella/values.yaml" {
                return Ok(b"cache:\n  enabled: false\n".to_vec());
            }
            self.0.read(path)
        }
        fn list(&self, dir: &str) -> Result<Vec<TreeEntry>, String> {
            self.0.list(dir)
        }
    }
    let out = render_charts(
        &Disabled(DirTree::fixtures()),
        &["umbrella".into()],
        &HelmOptions::default(),
    );
    let paths: Vec<&str> = out[0].files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, vec!["umbrella/templates/web.yaml"]);
}

#[test]
fn a_library_chart_renders_nothing_by_itself() {
    let r = render("library");
    assert!(r.files.is_empty());
    assert_eq!(r.notes.len(), 1);
    assert!(r.notes[0].message.starts_with("library chart"));
    assert!(r
        .consumed
        .contains(&"library/templates/_labels.tpl".to_string()));
}

#[test]
fn the_clean_chart_renders_every_object() {
    let r = render("clean");
    assert!(r.notes.is_empty(), "{:?}", r.notes);
    let all: String = r.files.iter().map(|f| f.text.as_str()).collect();
    assert!(
        all.contains("apiVersion: networking.k8s.io/v1\nkind: Ingress"),
        "{all}"
    );
    assert!(
        all.contains("app.properties: |\n    orders.retry=3"),
        "{all}"
    );
    assert!(
        all.contains("- name: DB_HOST\n              value: \"orders-db\""),
        "{all}"
    );
    assert!(all.contains("value: \"Hello from release-name\""), "{all}");
    assert!(
        all.contains("image: \"registry.example.com/orders:2.0.1\""),
        "{all}"
    );
}

#[test]
fn an_extra_values_file_is_one_more_deployment_context() {
    let options = HelmOptions {
        extra_values: vec![(
            "create-app/chart".into(),
            vec!["create-app/prod-values.yaml".into()],
        )],
        ..HelmOptions::default()
    };
    let out = render_charts(&DirTree::fixtures(), &["create-app/chart".into()], &options);
    assert_eq!(out.len(), 2);
    assert_eq!(out[1].unit.context, "shop with create-app/prod-values.yaml");
    let dep = &out[1].files[0];
    assert!(dep.text.contains("replicas: 3"), "{}", dep.text);
    let at = dep.text.find("replicas: 3").unwrap() + "replicas: ".len();
    let loc = dep.line_index().location(at..at + 1);
    assert_eq!((&*loc.path, loc.line), ("create-app/prod-values.yaml", 1));
}
