//! A synthetic monorepo: `services` services, each a Dockerfile, a Flask app
//! and a Kubernetes manifest, beside ten times as many unrelated files (docs,
//! non-Kubernetes YAML, assets, vendored and third-party code). Deterministic:
//! the same size always gives the same tree, byte for byte.

use std::fs;
use std::io;
use std::path::Path;

/// Unrelated files per service: ten times the three service files.
pub const UNRELATED_PER_SERVICE: usize = 30;

pub struct Tree {
    pub files: usize,
    pub bytes: u64,
}

pub fn generate(root: &Path, services: usize) -> io::Result<Tree> {
    let mut tree = Tree { files: 0, bytes: 0 };
    let mut write = |rel: String, body: &[u8]| -> io::Result<()> {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&path, body)?;
        tree.files += 1;
        tree.bytes += body.len() as u64;
        Ok(())
    };
    write(".gitignore".into(), b"*.pyc\nbuild/\n")?;
    for i in 0..services {
        let name = format!("svc-{i:05}");
        let port = 8000 + (i % 50) as u16;
        // One service in seven drifts: the manifest says another port.
        let container_port = if i % 7 == 3 { port + 1 } else { port };
        let dir = format!("services/{name}");
        write(format!("{dir}/Dockerfile"), dockerfile(port).as_bytes())?;
        write(
            format!("{dir}/app/main.py"),
            flask_app(&name, port).as_bytes(),
        )?;
        write(
            format!("deploy/k8s/{name}.yaml"),
            manifest(&name, container_port).as_bytes(),
        )?;
        let mut unrelated = 0;
        for k in 0..8 {
            write(format!("{dir}/docs/page-{k}.md"), doc(&name, k).as_bytes())?;
            unrelated += 1;
        }
        write(
            format!("{dir}/docs/openapi.yaml"),
            openapi(&name).as_bytes(),
        )?;
        write(
            format!("{dir}/config/values.yaml"),
            values(&name).as_bytes(),
        )?;
        unrelated += 2;
        for k in 0..10 {
            write(format!("{dir}/assets/img-{k}.png"), &asset(i * 10 + k))?;
            unrelated += 1;
        }
        for k in 0..4 {
            write(format!("{dir}/vendor/lib/mod_{k}.py"), helper(k).as_bytes())?;
            unrelated += 1;
        }
        for k in 0..3 {
            write(
                format!("{dir}/static/js/bundle-{k}.js"),
                script(k).as_bytes(),
            )?;
            write(
                format!("{dir}/third_party/util_{k}.py"),
                helper(k).as_bytes(),
            )?;
            unrelated += 2;
        }
        debug_assert_eq!(unrelated, UNRELATED_PER_SERVICE);
    }
    Ok(tree)
}

fn dockerfile(port: u16) -> String {
    format!(
        r#"FROM python:3.12-slim
WORKDIR /app
RUN pip install --no-cache-dir flask==3.0.3 gunicorn==22.0.0
COPY app/ ./app/
ENV PORT={port}
EXPOSE {port}
USER 10001
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:{port}/healthz')"
CMD ["gunicorn", "--bind", "0.0.0.0:{port}", "app.main:app"]
"#
    )
}

fn flask_app(name: &str, port: u16) -> String {
    format!(
        r#""""The {name} service."""
import os

from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/healthz")
def healthz():
    return jsonify(status="ok")


@app.route("/api/items/<int:item_id>")
def item(item_id):
    if item_id < 0:
        return jsonify(error="bad id"), 400
    return jsonify(id=item_id, service="{name}")


@app.route("/api/items", methods=["POST"])
def create_item():
    return jsonify(created=True), 201


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "{port}")))
"#
    )
}

fn manifest(name: &str, port: u16) -> String {
    format!(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels:
    app: {name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
        - name: {name}
          image: registry.example.com/{name}:1.4.2
          ports:
            - containerPort: {port}
          readinessProbe:
            httpGet:
              path: /healthz
              port: {port}
          livenessProbe:
            httpGet:
              path: /healthz
              port: {port}
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app: {name}
  ports:
    - port: 80
      targetPort: {port}
"#
    )
}

fn doc(name: &str, k: usize) -> String {
    let mut s = format!("# {name}: page {k}\n\n");
    for p in 0..6 {
        s.push_str(&format!(
            "Paragraph {p} explains how {name} handles requests, retries and \
             timeouts. Nothing here configures the runtime.\n\n"
        ));
    }
    s
}

fn openapi(name: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo:\n  title: {name}\n  version: 1.4.2\npaths:\n  /api/items/{{id}}:\n    get:\n      responses:\n        '200':\n          description: an item\n"
    )
}

fn values(name: &str) -> String {
    format!("replicaCount: 2\nimage:\n  repository: registry.example.com/{name}\n  tag: 1.4.2\nfeatureFlags:\n  search: true\n")
}

/// Incompressible-looking bytes, as an image would be.
fn asset(seed: usize) -> Vec<u8> {
    let mut x = (seed as u64)
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for _ in 0..256 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        out.extend_from_slice(&x.to_le_bytes());
    }
    out
}

fn helper(k: usize) -> String {
    let mut s = format!("\"\"\"Helpers, part {k}.\"\"\"\n\n");
    for f in 0..12 {
        s.push_str(&format!(
            "def helper_{k}_{f}(values):\n    return [v * {f} for v in values if v]\n\n\n"
        ));
    }
    s
}

fn script(k: usize) -> String {
    let mut s = format!("/* bundle {k} */\n");
    for f in 0..30 {
        s.push_str(&format!(
            "function f{f}(a,b){{return a.map(function(x){{return x*{f}+b}})}}\n"
        ));
    }
    s
}
