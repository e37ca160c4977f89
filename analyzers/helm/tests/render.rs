//! Rendering the chart fixtures: what is rendered, what is left out, and
//! where rendered values point.

mod common;

use common::DirTree;
use seamcheck_helm::{render_charts, HelmOptions, ValuesContext};

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
        extra_values: vec![ValuesContext::new(
            "create-app/chart",
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

#[test]
fn a_values_context_may_name_its_release_and_namespace() {
    let options = HelmOptions {
        extra_values: vec![ValuesContext {
            chart: "values-context/chart".into(),
            files: vec![
                "values-context/deploy/prod-values.yaml".into(),
                "values-context/deploy/replicas.yaml".into(),
            ],
            release: Some("prod".into()),
            namespace: Some("shop".into()),
        }],
        ..HelmOptions::default()
    };
    let out = render_charts(
        &DirTree::fixtures(),
        &["values-context/chart".into()],
        &options,
    );
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].unit.context, "shop");
    assert_eq!(
        out[1].unit.context,
        "shop with values-context/deploy/prod-values.yaml, values-context/deploy/replicas.yaml \
         (release prod in shop)"
    );
    let dep = &out[1].files[0];
    assert!(
        dep.text.contains("name: prod-shop\n  namespace: shop\n"),
        "{}",
        dep.text
    );
    // Later files win: the tag of replicas.yaml, the port of prod-values.yaml.
    assert!(
        dep.text.contains("registry.example.com/shop:1.0.2"),
        "{}",
        dep.text
    );
    let at = dep.text.find("containerPort: 9090").unwrap() + "containerPort: ".len();
    let loc = dep.line_index().location(at..at + 1);
    assert_eq!(
        (&*loc.path, loc.line),
        ("values-context/deploy/prod-values.yaml", 4)
    );
    assert!(out[1]
        .consumed
        .contains(&"values-context/deploy/replicas.yaml".to_string()));
    // The chart's own context keeps the defaults.
    assert!(out[0].files[0]
        .text
        .contains("name: release-name-shop\n  namespace: default\n"));
}

const ARCHIVE: &str = "values-context/chart/charts/redis-1.2.3.tgz";

fn with_archives(archives: &[(&str, Vec<u8>)]) -> common::WithFiles<DirTree> {
    common::WithFiles {
        base: DirTree::fixtures(),
        extra: archives
            .iter()
            .map(|(name, bytes)| (format!("values-context/chart/charts/{name}"), bytes.clone()))
            .collect(),
    }
}

fn redis() -> Vec<u8> {
    common::tgz(&[
        (
            "redis/Chart.yaml",
            b"apiVersion: v2\nname: redis\nversion: 1.2.3\n",
        ),
        ("redis/values.yaml", b"image: redis:7.2\nport: 6379\n"),
        (
            "redis/templates/service.yaml",
            b"apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-redis\n\
              spec:\n  ports:\n    - port: {{ .Values.port }}\n",
        ),
        ("redis/templates/_helpers.tpl", b"{{/* nothing */}}\n"),
    ])
}

#[test]
fn a_packaged_subchart_renders_from_memory_with_locations_inside_the_archive() {
    let tree = with_archives(&[("redis-1.2.3.tgz", redis())]);
    let out = render_charts(
        &tree,
        &["values-context/chart".into()],
        &HelmOptions::default(),
    );
    assert_eq!(out.len(), 1);
    assert!(out[0].notes.is_empty(), "{:?}", out[0].notes);
    assert!(out[0].problems.is_empty(), "{:?}", out[0].problems);
    let svc_path = format!("{ARCHIVE}!/redis/templates/service.yaml");
    let svc = out[0]
        .files
        .iter()
        .find(|f| f.path == svc_path)
        .unwrap_or_else(|| {
            panic!(
                "{:?}",
                out[0].files.iter().map(|f| &f.path).collect::<Vec<_>>()
            )
        });
    assert!(
        svc.text.contains("name: release-name-redis"),
        "{}",
        svc.text
    );
    let at = svc.text.find("port: 6379").unwrap() + "port: ".len();
    let loc = svc.line_index().location(at..at + 1);
    assert_eq!(
        (loc.path.to_string(), loc.line),
        (format!("{ARCHIVE}!/redis/values.yaml"), 2)
    );
    // The archive and its entries were consumed; the parent still renders.
    assert!(out[0].consumed.contains(&ARCHIVE.to_string()));
    assert!(out[0]
        .files
        .iter()
        .any(|f| f.path == "values-context/chart/templates/deployment.yaml"));
}

#[test]
fn a_hostile_packaged_subchart_is_a_note_and_the_rest_renders() {
    let three_mib = vec![0u8; 3 << 20];
    let bomb: Vec<(String, &[u8])> = (0..6)
        .map(|i| (format!("bomb/f{i}"), three_mib.as_slice()))
        .collect();
    let bomb: Vec<(&str, &[u8])> = bomb.iter().map(|(p, b)| (p.as_str(), *b)).collect();
    let tree = with_archives(&[
        ("redis-1.2.3.tgz", redis()),
        (
            "evil-1.0.0.tgz",
            common::tgz(&[
                (
                    "evil/Chart.yaml",
                    b"apiVersion: v2\nname: evil\nversion: 1.0.0\n",
                ),
                ("evil/../../../escape.yaml", b"kind: Secret\n"),
            ]),
        ),
        ("bomb-1.0.0.tgz", common::tgz(&bomb)),
        (
            "big-1.0.0.tgz",
            common::tgz(&[("big/values.yaml", &three_mib)]),
        ),
        (
            "link-1.0.0.tgz",
            common::tgz_link("link/Chart.yaml", "/etc/passwd"),
        ),
        (
            "abs-1.0.0.tgz",
            common::tgz(&[("/abs/Chart.yaml", b"name: abs\n")]),
        ),
        ("junk-1.0.0.tgz", b"not gzip at all".to_vec()),
    ]);
    let options = HelmOptions {
        max_file_size: 1 << 20,
        ..HelmOptions::default()
    };
    let out = render_charts(&tree, &["values-context/chart".into()], &options);
    let mut notes: Vec<(String, String)> = out[0]
        .notes
        .iter()
        .map(|n| (n.loc.path.to_string(), n.message.clone()))
        .collect();
    notes.sort();
    let at = |name: &str| format!("values-context/chart/charts/{name}");
    assert_eq!(
        notes,
        vec![
            (
                at("abs-1.0.0.tgz"),
                "packaged subchart `abs-1.0.0.tgz` is not rendered: entry `/abs/Chart.yaml` is not a relative path".into()
            ),
            (
                at("big-1.0.0.tgz"),
                "packaged subchart `big-1.0.0.tgz` is not rendered: entry `big/values.yaml` is larger than the 1048576-byte limit (--max-file-size)".into()
            ),
            (
                at("bomb-1.0.0.tgz"),
                "packaged subchart `bomb-1.0.0.tgz` is not rendered: entry `bomb/f0` is larger than the 1048576-byte limit (--max-file-size)".into()
            ),
            (
                at("evil-1.0.0.tgz"),
                "packaged subchart `evil-1.0.0.tgz` is not rendered: entry `evil/../../../escape.yaml` leaves the archive (`..`, empty or `.` component)".into()
            ),
            (
                at("junk-1.0.0.tgz"),
                "packaged subchart `junk-1.0.0.tgz` is not rendered: not a readable gzipped tar archive: invalid gzip header".into()
            ),
            (
                at("link-1.0.0.tgz"),
                "packaged subchart `link-1.0.0.tgz` is not rendered: entry `link/Chart.yaml` is a link or special file (not followed)".into()
            ),
        ]
    );
    // With entries under the per-file cap, the total cap stops the bomb.
    let out = render_charts(
        &tree,
        &["values-context/chart".into()],
        &HelmOptions::default(),
    );
    let bomb_note = out[0]
        .notes
        .iter()
        .find(|n| n.loc.path.ends_with("bomb-1.0.0.tgz"))
        .map(|n| n.message.as_str());
    assert_eq!(
        bomb_note,
        Some("packaged subchart `bomb-1.0.0.tgz` is not rendered: entry `bomb/f5` is not readable: it decompresses to more than 16 MiB")
    );
    // The rest is rendered: the parent's templates and the good archive.
    let paths: Vec<&str> = out[0].files.iter().map(|f| f.path.as_str()).collect();
    assert!(
        paths.contains(&"values-context/chart/templates/deployment.yaml"),
        "{paths:?}"
    );
    assert!(
        paths.contains(&format!("{ARCHIVE}!/redis/templates/service.yaml").as_str()),
        "{paths:?}"
    );
}

#[test]
fn import_values_bring_a_dependency_s_tables_to_the_parent() {
    let file = |p: &str, t: &str| (format!("imp/{p}"), t.as_bytes().to_vec());
    let tree = common::WithFiles {
        base: DirTree::fixtures(),
        extra: [
            file(
                "Chart.yaml",
                "apiVersion: v2\nname: imp\nversion: 1.0.0\ndependencies:\n\
                 \x20 - name: db\n    import-values:\n      - data\n\
                 \x20 - name: cache\n    alias: kv\n    import-values:\n\
                 \x20     - child: service\n        parent: cacheService\n\
                 \x20     - child: missing.table\n        parent: nothing\n",
            ),
            file("values.yaml", "dbHost: from-parent\n"),
            file(
                "templates/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: imp\ndata:\n\
                 \x20 port: \"{{ .Values.dbPort }}\"\n  host: {{ .Values.dbHost }}\n\
                 \x20 cache: \"{{ .Values.cacheService.port }}\"\n\
                 \x20 nothing: \"{{ .Values.nothing }}\"\n",
            ),
            file(
                "charts/db/Chart.yaml",
                "apiVersion: v2\nname: db\nversion: 1.0.0\n",
            ),
            file(
                "charts/db/values.yaml",
                "exports:\n  data:\n    dbPort: 5432\n    dbHost: db\n",
            ),
            file(
                "charts/cache/Chart.yaml",
                "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
            ),
            file("charts/cache/values.yaml", "service:\n  port: 6379\n"),
        ]
        .into_iter()
        .collect(),
    };
    let out = render_charts(&tree, &["imp".into()], &HelmOptions::default());
    assert_eq!(out.len(), 1);
    assert!(out[0].notes.is_empty(), "{:?}", out[0].notes);
    let cm = &out[0].files[0];
    assert_eq!(cm.path, "imp/templates/cm.yaml");
    // The string form imports `exports.data` to the top, the map form
    // `service` of the aliased `kv` to `cacheService`; the parent's own
    // `dbHost` wins; a missing table imports nothing.
    assert!(
        cm.text.contains(
            "  port: \"5432\"\n  host: from-parent\n  cache: \"6379\"\n  nothing: \"\"\n"
        ),
        "{}",
        cm.text
    );
    // An imported value points at the dependency's values file.
    let at = cm.text.find("5432").unwrap();
    let loc = cm.line_index().location(at..at + 1);
    assert_eq!((&*loc.path, loc.line), ("imp/charts/db/values.yaml", 3));
    let at = cm.text.find("6379").unwrap();
    let loc = cm.line_index().location(at..at + 1);
    assert_eq!((&*loc.path, loc.line), ("imp/charts/cache/values.yaml", 2));
}

#[test]
fn the_packaged_subcharts_of_a_chart_are_bounded_together() {
    // Five archives of 15 MiB each: each under the 16 MiB of one archive,
    // together over the 64 MiB of a chart.
    let three_mib = vec![0u8; 3 << 20];
    let archive = |name: &str| {
        let chart = format!("apiVersion: v2\nname: {name}\nversion: 1.0.0\n");
        let paths: Vec<String> = (0..5).map(|i| format!("{name}/files/f{i}")).collect();
        let chart_path = format!("{name}/Chart.yaml");
        let mut files: Vec<(&str, &[u8])> = vec![(chart_path.as_str(), chart.as_bytes())];
        files.extend(paths.iter().map(|p| (p.as_str(), three_mib.as_slice())));
        common::tgz(&files)
    };
    let names = ["a", "b", "c", "d", "e"];
    let archives: Vec<(String, Vec<u8>)> = names
        .iter()
        .map(|n| (format!("{n}-1.0.0.tgz"), archive(n)))
        .collect();
    let archives: Vec<(&str, Vec<u8>)> = archives
        .iter()
        .map(|(n, b)| (n.as_str(), b.clone()))
        .collect();
    let tree = with_archives(&archives);
    let out = render_charts(
        &tree,
        &["values-context/chart".into()],
        &HelmOptions::default(),
    );
    let notes: Vec<&str> = out[0].notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(
        notes,
        [
            "packaged subchart `e-1.0.0.tgz` is not rendered: entry `e/files/f1` is not readable: \
          the chart's packaged subcharts decompress to more than 64 MiB together"
        ],
    );
    assert!(out[0]
        .files
        .iter()
        .any(|f| f.path == "values-context/chart/templates/deployment.yaml"));
}
