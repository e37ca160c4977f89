//! Byte spans and columns with CRLF line endings, non-ASCII text, quoting
//! and trailing comments.

mod common;
use common::{analyze, kube, pos, span_text};

#[test]
fn crlf_line_endings_keep_columns_right() {
    let text = "apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: web\r\nspec:\r\n  ports:\r\n    - port: 8080\r\n      targetPort: http\r\n";
    let analysis = analyze("k8s/crlf.yaml", text);
    let service = &kube(&analysis).services[0];
    assert_eq!(pos(&service.name.loc), (4, 9, 4, 11));
    let port = &service.ports[0].port;
    assert_eq!(pos(&port.loc), (7, 13, 7, 16));
    assert_eq!(span_text(text, &port.loc), "8080");
    let target = service.ports[0].target_port.as_ref().expect("target");
    assert_eq!(span_text(text, &target.loc), "http");
    // The object ends at its last value, not on the line break.
    assert_eq!(pos(&service.loc), (1, 1, 8, 22));
}

#[test]
fn non_ascii_text_before_a_port_gives_byte_spans_and_character_columns() {
    let text = "\
# Déploiement du service « café » — 日本語
apiVersion: apps/v1
kind: Deployment
metadata:
  name: café
  annotations:
    description: \"Serveur à l'écoute — ポート\"
spec:
  template:
    spec:
      containers:
        - name: café-web # conteneur principal
          image: café:1
          ports:
            - {name: ✓http, containerPort: 8080}
";
    let analysis = analyze("k8s/café.yaml", text);
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    let workload = &kube(&analysis).workloads[0];
    assert_eq!(workload.name.value, "café");
    assert_eq!(span_text(text, &workload.name.loc), "café");
    assert_eq!(pos(&workload.name.loc), (5, 9, 5, 12));
    let container = &workload.containers[0];
    assert_eq!(span_text(text, &container.name.loc), "café-web");
    let port = &container.ports[0];
    assert_eq!(span_text(text, &port.container_port.loc), "8080");
    assert_eq!(pos(&port.container_port.loc), (15, 44, 15, 47));
    let name = port.name.as_ref().expect("name");
    assert_eq!(span_text(text, &name.loc), "✓http");
}

#[test]
fn quoted_values_span_their_quotes_but_not_trailing_comments() {
    let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: \"quoted\"   # the pod
spec:
  containers:
    - name: 'it''s'  # escaped quote
      image: \"repo/\\\"odd\\\":1\" # escaped
      args: [\"a\" , 'b' ]
      command:
        - >-
          folded
          text

";
    let analysis = analyze("k8s/pod.yaml", text);
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    let pod = &kube(&analysis).workloads[0];
    assert_eq!(span_text(text, &pod.name.loc), "\"quoted\"");
    assert_eq!(pos(&pod.name.loc), (4, 9, 4, 16));
    let container = &pod.containers[0];
    assert_eq!(container.name.value, "it's");
    assert_eq!(span_text(text, &container.name.loc), "'it''s'");
    let image = container.image.as_ref().expect("image");
    assert_eq!(image.value, "repo/\"odd\":1");
    assert_eq!(span_text(text, &image.loc), "\"repo/\\\"odd\\\":1\"");
    let args = container.args.as_ref().expect("args");
    assert_eq!(span_text(text, &args[0].loc), "\"a\"");
    assert_eq!(span_text(text, &args[1].loc), "'b'");
    let command = container.command.as_ref().expect("command");
    assert_eq!(command[0].value, "folded text");
    assert_eq!(span_text(text, &command[0].loc), "folded\n          text");
    // The container ends at the last character of the folded scalar.
    assert_eq!(pos(&container.loc), (7, 7, 13, 14));
}
