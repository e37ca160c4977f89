//! Rendering the chart fixtures: what is rendered, what is left out, and
//! where rendered values point.

mod common;

use common::DirTree;
use seamcheck_helm::{render_charts, HelmOptions};

fn render(dir: &str) -> seamcheck_facts::render::Rendered {
    let mut out = render_charts(&DirTree::fixtures(), &[dir.to_string()], &HelmOptions::default());
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
    assert!(dep.text.contains("image: \"registry.example.com/shop:1.4.2\""));
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
    assert_eq!((&*loc.path, loc.line), ("create-app/chart/templates/deployment.yaml", 2));
    assert!(r.consumed.contains(&"create-app/chart/values.yaml".to_string()));
    assert!(r.consumed.contains(&"create-app/chart/templates/_helpers.tpl".to_string()));
}
