//! A Flask service deployed with a Deployment, a Service and an Ingress in
//! one multi-document file.

mod common;
use common::{analyze, kube, pos, span_text};
use seamcheck_facts::kube::{ProbeAction, ProbeKind};
use seamcheck_facts::PortRef;

const MANIFEST: &str = r#"# Flask inventory service
apiVersion: apps/v1
kind: Deployment
metadata:
  name: inventory
  namespace: shop
  labels:
    app: inventory
spec:
  replicas: 2
  selector:
    matchLabels:
      app: inventory
  template:
    metadata:
      labels:
        app: inventory
        tier: "backend"
    spec:
      securityContext:
        runAsNonRoot: true
      initContainers:
        - name: migrate
          image: registry.example.com/shop/inventory:1.4.2
          command: ["flask", "db", "upgrade"]
      containers:
        - name: web
          image: registry.example.com/shop/inventory:1.4.2
          imagePullPolicy: IfNotPresent
          args:
            - gunicorn
            - --bind=0.0.0.0:8080
            - "app:create_app()"
          ports:
            - name: http
              containerPort: 8080
            - containerPort: 9102
              protocol: UDP
          env:
            - name: PORT
              value: "8080"
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: inventory-db
                  key: password
            - name: EMPTY
          envFrom:
            - configMapRef:
                name: inventory-config
            - secretRef:
                name: inventory-secrets
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 5
          livenessProbe:
            httpGet:
              path: /livez
              port: "8080"
              scheme: HTTP
            timeoutSeconds: 2
          resources:
            requests:
              cpu: 250m
              memory: "256Mi"
            limits:
              memory: 512Mi
          securityContext:
            runAsUser: 10001
---
apiVersion: v1
kind: Service
metadata:
  name: inventory
  namespace: shop
spec:
  selector:
    app: inventory
  ports:
    - name: web
      port: 80
      targetPort: http
    - port: 9102
      protocol: UDP
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: inventory
  namespace: shop
spec:
  defaultBackend:
    service:
      name: inventory
      port:
        number: 80
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /api/inventory
            pathType: Prefix
            backend:
              service:
                name: inventory
                port:
                  name: web
"#;

#[test]
fn finds_the_three_objects() {
    let analysis = analyze("k8s/inventory.yaml", MANIFEST);
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    assert!(analysis.notes.is_empty());
    let facts = kube(&analysis);
    assert_eq!(facts.workloads.len(), 1);
    assert_eq!(facts.services.len(), 1);
    assert_eq!(facts.ingresses.len(), 1);
}

#[test]
fn deployment_metadata_labels_and_location() {
    let analysis = analyze("k8s/inventory.yaml", MANIFEST);
    let deployment = &kube(&analysis).workloads[0];
    assert_eq!(deployment.kind, "Deployment");
    assert_eq!(deployment.name.value, "inventory");
    assert_eq!(pos(&deployment.name.loc), (5, 9, 5, 17));
    assert_eq!(deployment.namespace.as_deref(), Some("shop"));
    // The object runs from `apiVersion` to the last value before `---`.
    assert_eq!(pos(&deployment.loc), (2, 1, 71, 28));
    let labels: Vec<(&str, &str)> = deployment
        .pod_labels
        .iter()
        .map(|l| (l.key.as_str(), l.value.as_str()))
        .collect();
    assert_eq!(labels, [("app", "inventory"), ("tier", "backend")]);
    assert_eq!(
        span_text(MANIFEST, &deployment.pod_labels[1].loc),
        "tier: \"backend\""
    );
    let pod_security = deployment
        .pod_security
        .as_ref()
        .expect("pod securityContext");
    assert_eq!(
        pod_security.run_as_non_root.as_ref().map(|b| b.value),
        Some(true)
    );
    assert!(pod_security.run_as_user.is_none());
    assert_eq!(pos(&pod_security.loc), (20, 7, 20, 21));
}

#[test]
fn container_image_ports_and_args() {
    let analysis = analyze("k8s/inventory.yaml", MANIFEST);
    let deployment = &kube(&analysis).workloads[0];
    assert_eq!(deployment.init_containers.len(), 1);
    let migrate = &deployment.init_containers[0];
    let command: Vec<&str> = migrate
        .command
        .iter()
        .flatten()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(command, ["flask", "db", "upgrade"]);
    let upgrade = &migrate.command.as_ref().expect("command")[2];
    assert_eq!(span_text(MANIFEST, &upgrade.loc), "\"upgrade\"");

    let web = &deployment.containers[0];
    assert_eq!(web.name.value, "web");
    assert_eq!(pos(&web.name.loc), (27, 17, 27, 19));
    let image = web.image.as_ref().expect("image");
    assert_eq!(image.value, "registry.example.com/shop/inventory:1.4.2");
    assert_eq!(pos(&image.loc), (28, 18, 28, 58));
    assert_eq!(
        web.image_pull_policy.as_ref().map(|p| p.value.as_str()),
        Some("IfNotPresent")
    );
    // The container runs from `name:` through the last line of its securityContext.
    assert_eq!(pos(&web.loc), (27, 11, 71, 28));

    let args = web.args.as_ref().expect("args");
    assert_eq!(args.len(), 3);
    assert_eq!(args[1].value, "--bind=0.0.0.0:8080");
    assert_eq!(pos(&args[1].loc), (32, 15, 32, 33));
    assert_eq!(args[2].value, "app:create_app()");
    assert_eq!(span_text(MANIFEST, &args[2].loc), "\"app:create_app()\"");

    assert_eq!(web.ports.len(), 2);
    let http = &web.ports[0];
    assert_eq!(http.name.as_ref().map(|n| n.value.as_str()), Some("http"));
    assert_eq!(http.container_port.value, 8080);
    assert_eq!(pos(&http.container_port.loc), (36, 30, 36, 33));
    assert_eq!(span_text(MANIFEST, &http.container_port.loc), "8080");
    assert_eq!(http.protocol, "TCP");
    assert_eq!(pos(&http.loc), (35, 15, 36, 33));
    assert_eq!(web.ports[1].protocol, "UDP");
    assert!(web.ports[1].name.is_none());
    assert!(web.unresolved_ports.is_empty());
}

#[test]
fn container_env_and_env_from() {
    let analysis = analyze("k8s/inventory.yaml", MANIFEST);
    let web = &kube(&analysis).workloads[0].containers[0];
    let env: Vec<(&str, Option<&str>)> = web
        .env
        .iter()
        .map(|e| (e.name.as_str(), e.value.as_deref()))
        .collect();
    assert_eq!(
        env,
        [
            ("PORT", Some("8080")),
            ("DB_PASSWORD", None),
            ("EMPTY", Some(""))
        ]
    );
    assert_eq!(pos(&web.env[0].loc), (40, 15, 41, 27));
    let from: Vec<&str> = web.env_from.iter().map(|e| e.value.as_str()).collect();
    assert_eq!(from, ["inventory-config", "inventory-secrets"]);
    assert_eq!(pos(&web.env_from[0].loc), (50, 23, 50, 38));
}

#[test]
fn probes_named_and_numeric_string_ports() {
    let analysis = analyze("k8s/inventory.yaml", MANIFEST);
    let web = &kube(&analysis).workloads[0].containers[0];
    let readiness = web.readiness_probe.as_ref().expect("readiness");
    assert_eq!(readiness.kind, ProbeKind::Readiness);
    assert_eq!(pos(&readiness.loc), (53, 11, 57, 28));
    assert_eq!(readiness.period_seconds.as_ref().map(|p| p.value), Some(5));
    assert!(readiness.timeout_seconds.is_none());
    match &readiness.action {
        ProbeAction::HttpGet { path, port, scheme } => {
            assert_eq!(path.as_ref().map(|p| p.value.as_str()), Some("/healthz"));
            assert_eq!(port.value, PortRef::Name("http".into()));
            assert_eq!(pos(&port.loc), (56, 21, 56, 24));
            assert!(scheme.is_none());
        }
        other => panic!("unexpected {other:?}"),
    }
    let liveness = web.liveness_probe.as_ref().expect("liveness");
    assert_eq!(liveness.timeout_seconds.as_ref().map(|t| t.value), Some(2));
    match &liveness.action {
        ProbeAction::HttpGet { port, scheme, .. } => {
            assert_eq!(port.value, PortRef::Number(8080));
            assert_eq!(span_text(MANIFEST, &port.loc), "\"8080\"");
            assert_eq!(scheme.as_deref(), Some("HTTP"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(web.startup_probe.is_none());
}

#[test]
fn resources_and_container_security() {
    let analysis = analyze("k8s/inventory.yaml", MANIFEST);
    let web = &kube(&analysis).workloads[0].containers[0];
    let resources = &web.resources;
    assert_eq!(resources.loc.as_ref().map(pos), Some((64, 11, 64, 19)));
    let cpu = resources.requests_cpu.as_ref().expect("cpu request");
    assert_eq!(
        (cpu.value.as_str(), pos(&cpu.loc)),
        ("250m", (66, 20, 66, 23))
    );
    let memory = resources.requests_memory.as_ref().expect("memory request");
    assert_eq!(memory.value, "256Mi");
    assert_eq!(span_text(MANIFEST, &memory.loc), "\"256Mi\"");
    assert!(resources.limits_cpu.is_none());
    assert_eq!(
        resources.limits_memory.as_ref().map(|m| m.value.as_str()),
        Some("512Mi")
    );
    let security = web.security.as_ref().expect("container securityContext");
    let uid = security.run_as_user.as_ref().expect("runAsUser");
    assert_eq!((uid.value, pos(&uid.loc)), (10001, (71, 24, 71, 28)));
    assert!(security.run_as_non_root.is_none());
}

#[test]
fn service_selector_and_ports() {
    let analysis = analyze("k8s/inventory.yaml", MANIFEST);
    let service = &kube(&analysis).services[0];
    assert_eq!(service.name.value, "inventory");
    assert_eq!(pos(&service.name.loc), (76, 9, 76, 17));
    assert_eq!(service.namespace.as_deref(), Some("shop"));
    assert_eq!(pos(&service.loc), (73, 1, 86, 19));
    let selector = service.selector.as_ref().expect("selector");
    assert_eq!(selector.len(), 1);
    assert_eq!(
        (selector[0].key.as_str(), selector[0].value.as_str()),
        ("app", "inventory")
    );
    assert_eq!(
        service.selector_loc.as_ref().map(pos),
        Some((79, 3, 80, 18))
    );
    assert!(service.service_type.is_none());

    let web = &service.ports[0];
    assert_eq!(web.name.as_deref(), Some("web"));
    assert_eq!((web.port.value, pos(&web.port.loc)), (80, (83, 13, 83, 14)));
    let target = web.target_port.as_ref().expect("targetPort");
    assert_eq!(target.value, PortRef::Name("http".into()));
    assert_eq!(pos(&target.loc), (84, 19, 84, 22));
    let metrics = &service.ports[1];
    assert!(metrics.target_port.is_none());
    assert!(metrics.target_port_unresolved.is_none());
    assert_eq!(metrics.effective_target().value, PortRef::Number(9102));
    assert_eq!(metrics.protocol, "UDP");
}

#[test]
fn ingress_backends_by_number_and_name() {
    let analysis = analyze("k8s/inventory.yaml", MANIFEST);
    let ingress = &kube(&analysis).ingresses[0];
    assert_eq!(ingress.name.value, "inventory");
    assert_eq!(ingress.backends.len(), 2);
    let default = &ingress.backends[0];
    assert_eq!(default.service.value, "inventory");
    assert_eq!(pos(&default.service.loc), (96, 13, 96, 21));
    assert_eq!(
        default.port.as_ref().map(|p| &p.value),
        Some(&PortRef::Number(80))
    );
    assert!(default.path.is_none());
    assert_eq!(pos(&default.loc), (94, 3, 98, 18));
    let routed = &ingress.backends[1];
    assert_eq!(routed.path.as_deref(), Some("/api/inventory"));
    let port = routed.port.as_ref().expect("port");
    assert_eq!(port.value, PortRef::Name("web".into()));
    assert_eq!(pos(&port.loc), (109, 25, 109, 27));
}
