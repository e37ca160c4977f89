//! Rendered output (a Helm template's, a kustomization's) is analysed like a
//! file, and every fact points at the real line that produced it.

use seamcheck_facts::render::{Origin, OriginMap, RenderedFile, Via};
use seamcheck_facts::{Facts, LineIndex, Location};
use std::sync::Arc;

const TEMPLATE: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: web:1
      ports:
        - containerPort: {{ .Values.port }}
";
const VALUES: &str = "port: 8080\n";

/// The template rendered with `port: 8080`: the template's text up to the
/// action, then the value, then the template's closing newline.
fn rendered() -> RenderedFile {
    let template = Arc::new(LineIndex::new("chart/templates/pod.yaml", TEMPLATE));
    let action = TEMPLATE.find("{{").expect("an action");
    let action_end = TEMPLATE.find("}}").expect("its end") + 2;
    let value: Location = LineIndex::new("chart/values.yaml", VALUES).location(6..10);
    let mut origins = OriginMap::new(template.file_location());
    origins.push(
        0..action,
        Origin::Copied {
            file: template.clone(),
            start: 0,
        },
        None,
    );
    let via = Arc::new(Via {
        loc: template.location(action..action_end),
        message: "`chart/templates/pod.yaml` uses it".into(),
    });
    origins.push(action..action + 4, Origin::Produced(value), Some(via));
    origins.push(
        action + 4..action + 5,
        Origin::Copied {
            file: template.clone(),
            start: action_end,
        },
        None,
    );
    let mut text = TEMPLATE[..action].to_string();
    text.push_str("8080\n");
    RenderedFile {
        path: "chart/templates/pod.yaml".into(),
        text,
        origins,
    }
}

#[test]
fn facts_of_rendered_output_point_at_the_template_and_the_values_file() {
    let analysis = seamcheck_kube::analyze_rendered(&rendered());
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    let Facts::Kube(kube) = &analysis.facts else {
        panic!("kube facts expected");
    };
    let container = &kube.workloads[0].containers[0];
    assert_eq!(&*container.name.loc.path, "chart/templates/pod.yaml");
    assert_eq!(
        (container.name.loc.line, container.name.loc.column),
        (7, 13)
    );
    let port = &container.ports[0].container_port;
    assert_eq!(port.value, 8080);
    assert_eq!(&*port.loc.path, "chart/values.yaml");
    assert_eq!(
        (port.loc.line, port.loc.column, port.loc.end_column),
        (1, 7, 10)
    );
    let via = port.loc.via.as_ref().expect("the template action");
    assert_eq!(
        (&*via.loc.path, via.loc.line, via.loc.column),
        ("chart/templates/pod.yaml", 10, 26)
    );
}
