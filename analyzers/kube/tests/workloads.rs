//! Where each workload kind keeps its pod template, `kind: List`, and odd
//! but valid shapes (flow style, merge keys, templated ports).

mod common;
use common::{analyze, kube, pos, span_text};
use seamcheck_facts::kube::ProbeAction;
use seamcheck_facts::PortRef;

#[test]
fn statefulset_with_tcp_and_exec_probes() {
    let text = "\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: postgres
spec:
  serviceName: postgres
  template:
    metadata:
      labels: {app: postgres}
    spec:
      containers:
        - name: db
          image: postgres:16
          ports:
            - containerPort: 5432
              name: pg
          readinessProbe:
            exec:
              command: [pg_isready, -U, postgres]
          livenessProbe:
            tcpSocket:
              port: pg
          startupProbe:
            grpc:
              port: 5433
";
    let analysis = analyze("db/statefulset.yml", text);
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    let sts = &kube(&analysis).workloads[0];
    assert_eq!(sts.kind, "StatefulSet");
    assert_eq!(sts.namespace, None);
    assert_eq!(sts.pod_labels[0].value, "postgres");
    assert_eq!(pos(&sts.pod_labels[0].loc), (9, 16, 9, 28));
    let db = &sts.containers[0];
    match &db.readiness_probe.as_ref().expect("readiness").action {
        ProbeAction::Exec { command } => {
            let words: Vec<&str> = command.iter().map(|c| c.value.as_str()).collect();
            assert_eq!(words, ["pg_isready", "-U", "postgres"]);
            assert_eq!(pos(&command[1].loc), (19, 37, 19, 38));
        }
        other => panic!("unexpected {other:?}"),
    }
    match &db.liveness_probe.as_ref().expect("liveness").action {
        ProbeAction::TcpSocket { port } => assert_eq!(port.value, PortRef::Name("pg".into())),
        other => panic!("unexpected {other:?}"),
    }
    match &db.startup_probe.as_ref().expect("startup").action {
        ProbeAction::Grpc { port, service } => {
            assert_eq!(port.value, PortRef::Number(5433));
            assert_eq!(pos(&port.loc), (25, 21, 25, 24));
            assert!(service.is_none());
        }
        other => panic!("unexpected {other:?}"),
    }
    // No `resources:` key at all.
    assert!(db.resources.loc.is_none());
}

#[test]
fn cronjob_template_is_under_job_template() {
    let text = "\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-report
  namespace: reports
spec:
  schedule: \"0 3 * * *\"
  jobTemplate:
    spec:
      template:
        metadata:
          labels:
            job: nightly-report
        spec:
          restartPolicy: OnFailure
          securityContext:
            runAsUser: 1000
            runAsNonRoot: yes
          containers:
            - name: report
              image: reports:2.0
              command:
                - python
                - -m
                - reports.nightly
";
    let analysis = analyze("k8s/cron.yaml", text);
    let cron = &kube(&analysis).workloads[0];
    assert_eq!(cron.kind, "CronJob");
    assert_eq!(cron.namespace.as_deref(), Some("reports"));
    assert_eq!(cron.pod_labels[0].key, "job");
    let security = cron.pod_security.as_ref().expect("pod security");
    assert_eq!(security.run_as_user.as_ref().map(|u| u.value), Some(1000));
    assert_eq!(
        security.run_as_non_root.as_ref().map(|b| b.value),
        Some(true)
    );
    let report = &cron.containers[0];
    let command = report.command.as_ref().expect("command");
    assert_eq!(command[2].value, "reports.nightly");
    assert_eq!(pos(&command[2].loc), (25, 19, 25, 33));
    assert!(report.args.is_none());
}

#[test]
fn pod_job_daemonset_and_replicaset() {
    let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: debug
  labels:
    app: debug
spec:
  containers:
    - name: shell
      image: busybox
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: migrate-
spec:
  template:
    spec:
      containers: [{name: migrate, image: 'app:1'}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
        - {name: agent, image: agent:3, ports: [{containerPort: 9100, name: metrics}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: legacy}
spec: {template: {spec: {containers: [{name: c, image: c}]}}}
";
    let analysis = analyze("k8s/misc.yaml", text);
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    let workloads = &kube(&analysis).workloads;
    let kinds: Vec<(&str, &str)> = workloads
        .iter()
        .map(|w| (w.kind.as_str(), w.name.value.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Pod", "debug"),
            ("Job", "migrate-"),
            ("DaemonSet", "agent"),
            ("ReplicaSet", "legacy")
        ]
    );
    assert_eq!(workloads[0].pod_labels[0].value, "debug");
    let migrate = &workloads[1].containers[0];
    assert_eq!(
        span_text(text, &migrate.image.as_ref().expect("image").loc),
        "'app:1'"
    );
    // A flow mapping ends at its closing brace.
    assert_eq!(
        span_text(text, &migrate.loc),
        "{name: migrate, image: 'app:1'}"
    );
    let agent = &workloads[2].containers[0];
    assert_eq!(agent.ports[0].container_port.value, 9100);
    assert_eq!(pos(&agent.ports[0].container_port.loc), (29, 65, 29, 68));
    assert_eq!(
        span_text(text, &agent.ports[0].loc),
        "{containerPort: 9100, name: metrics}"
    );
    assert_eq!(workloads[3].containers[0].name.value, "c");
}

#[test]
fn list_items_are_objects() {
    let text = "\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata:
      name: api
    spec:
      selector:
        app: api
      ports:
        - port: 80
          targetPort: 8080
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
    spec:
      template:
        metadata:
          labels:
            app: api
        spec:
          containers:
            - name: api
              image: api:1
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: api-config
    data:
      PORT: \"8080\"
";
    let analysis = analyze("k8s/list.yaml", text);
    let facts = kube(&analysis);
    assert_eq!(facts.services.len(), 1);
    assert_eq!(facts.workloads.len(), 1);
    let service = &facts.services[0];
    assert_eq!(pos(&service.loc), (4, 5, 13, 26));
    let target = service.ports[0].target_port.as_ref().expect("targetPort");
    assert_eq!(target.value, PortRef::Number(8080));
    assert_eq!(pos(&target.loc), (13, 23, 13, 26));
    assert_eq!(pos(&facts.workloads[0].loc), (14, 5, 26, 26));
}

#[test]
fn merge_keys_share_container_defaults() {
    let text = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  template:
    spec:
      containers:
        - &base
          name: worker
          image: worker:5
          resources:
            requests: {cpu: 100m, memory: 128Mi}
        - <<: *base
          name: sidecar
";
    let analysis = analyze("k8s/anchors.yaml", text);
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    let containers = &kube(&analysis).workloads[0].containers;
    assert_eq!(containers.len(), 2);
    assert_eq!(containers[1].name.value, "sidecar");
    let image = containers[1].image.as_ref().expect("merged image");
    assert_eq!(image.value, "worker:5");
    // A merged value is located where it is written: in the anchor.
    assert_eq!(pos(&image.loc), (11, 18, 11, 25));
}

#[test]
fn templated_and_invalid_values_are_unknown_not_guessed() {
    let text = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: web:1
          ports:
            - containerPort: \"{{ .Values.port }}\"
            - containerPort: 70000
            - containerPort: 8080
          readinessProbe:
            httpGet:
              path: /ready
              port: \"{{ .Values.port }}\"
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector: {}
  ports:
    - port: 80
      targetPort: \"${TARGET}\"
    - port: \"{{ .Values.svcPort }}\"
";
    let analysis = analyze("deploy/web.yaml", text);
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    let facts = kube(&analysis);
    let web = &facts.workloads[0].containers[0];
    assert_eq!(web.ports.len(), 1);
    assert_eq!(web.unresolved_ports.len(), 2);
    assert_eq!(pos(&web.unresolved_ports[0]), (12, 15, 12, 49));
    let probe = web.readiness_probe.as_ref().expect("probe");
    assert!(matches!(probe.action, ProbeAction::Unknown));

    let service = &facts.services[0];
    assert_eq!(service.service_type.as_deref(), Some("NodePort"));
    // An empty selector selects nothing on purpose, like a missing one.
    assert!(service.selector.is_none());
    assert!(service.selector_loc.is_some());
    assert_eq!(service.ports.len(), 1);
    assert!(service.ports[0].target_port.is_none());
    let unresolved = service.ports[0]
        .target_port_unresolved
        .as_ref()
        .expect("unresolved");
    assert_eq!(pos(unresolved), (29, 19, 29, 29));
    assert!(service.ports[0].known_target().is_none());
    assert_eq!(service.unresolved_ports.len(), 1);
}

#[test]
fn legacy_ingress_and_unknown_kinds() {
    let text = "\
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
spec:
  backend:
    serviceName: fallback
    servicePort: 8080
  rules:
    - http:
        paths:
          - path: /
            backend:
              serviceName: site
              servicePort: http
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: not-modelled
---
apiVersion: example.com/v1
kind: Deployment
metadata:
  name: a-custom-resource-named-deployment
";
    let analysis = analyze("k8s/old.yaml", text);
    let facts = kube(&analysis);
    assert!(facts.workloads.is_empty());
    let backends = &facts.ingresses[0].backends;
    assert_eq!(backends.len(), 2);
    assert_eq!(backends[0].service.value, "fallback");
    assert_eq!(
        backends[0].port.as_ref().map(|p| &p.value),
        Some(&PortRef::Number(8080))
    );
    assert_eq!(backends[1].service.value, "site");
    assert_eq!(pos(&backends[1].service.loc), (14, 28, 14, 31));
    assert_eq!(
        backends[1].port.as_ref().map(|p| &p.value),
        Some(&PortRef::Name("http".into()))
    );
    assert_eq!(backends[1].path.as_deref(), Some("/"));
}
