//! What the renderer hands the audit: rendered objects whose every value
//! maps back to the line that wrote it, the files each top consumed, and
//! bad input reported at its line while the other tops still render.

mod support;

use seamcheck_facts::render::Rendered;
use seamcheck_facts::Location;
use support::{fixtures, DirTree};

fn render_fixtures() -> Vec<Rendered> {
    let tree = DirTree::new(fixtures());
    let dirs = tree.kustomization_dirs();
    seamcheck_kustomize::render_all(&tree, &dirs)
}

fn top<'r>(all: &'r [Rendered], dir: &str) -> &'r Rendered {
    all.iter().find(|r| r.unit.dir == dir).unwrap_or_else(|| {
        panic!(
            "no top {dir}: {:?}",
            all.iter().map(|r| &r.unit.dir).collect::<Vec<_>>()
        )
    })
}

/// The location of the `nth` occurrence of `needle` in the top's output.
fn locate(r: &Rendered, needle: &str, nth: usize) -> Location {
    let file = &r.files[0];
    let at = file
        .text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` not in\n{}", file.text))
        .0;
    file.line_index().location(at..at + needle.len())
}

fn place(loc: &Location) -> (&str, u32) {
    (&loc.path, loc.line)
}

#[test]
fn tops_are_the_kustomizations_nothing_else_uses() {
    let all = render_fixtures();
    let mut dirs: Vec<&str> = all.iter().map(|r| r.unit.dir.as_str()).collect();
    dirs.sort();
    assert!(dirs.contains(&"repo/orders/deploy/overlays/production"));
    assert!(dirs.contains(&"repo/orders/deploy/overlays/staging"));
    assert!(
        !dirs.contains(&"repo/orders/deploy/base"),
        "a base used by overlays is no top"
    );
    assert!(
        !dirs.contains(&"repo/shop/components/metrics"),
        "a used component is no top"
    );
    let loop_tops: Vec<&&str> = dirs.iter().filter(|d| d.starts_with("loop/")).collect();
    assert_eq!(loop_tops, vec![&"loop/a"], "one top per loop, to report it");
    let prod = top(&all, "repo/orders/deploy/overlays/production");
    assert_eq!(prod.unit.context, "repo/orders/deploy/overlays/production");
}

#[test]
fn a_value_set_by_a_patch_points_at_the_patch_line_with_the_kustomization_entry_as_via() {
    let all = render_fixtures();
    let prod = top(&all, "repo/orders/deploy/overlays/production");
    assert!(prod.problems.is_empty(), "{:?}", prod.problems);
    let port = locate(prod, "\"9090\"", 0);
    assert_eq!(
        place(&port),
        (
            "repo/orders/deploy/overlays/production/orders-port.yaml",
            12
        )
    );
    assert_eq!((port.column, port.end_column), (22, 27));
    let via = port.via.as_ref().expect("the patch entry");
    assert_eq!(
        place(&via.loc),
        (
            "repo/orders/deploy/overlays/production/kustomization.yaml",
            8
        )
    );
    // The patch names the variable it sets: the whole entry is the patch's.
    let entry = locate(prod, "name: PORT", 0);
    assert_eq!(
        place(&entry),
        (
            "repo/orders/deploy/overlays/production/orders-port.yaml",
            11
        )
    );
    // The base's values stay at the base's lines.
    let container_port = locate(prod, "8080", 1);
    assert_eq!(
        place(&container_port),
        ("repo/orders/deploy/base/deployment.yaml", 24)
    );
    assert!(container_port.via.is_none());
}

#[test]
fn a_prefixed_name_points_at_the_base_name_with_the_prefix_line_as_via() {
    let all = render_fixtures();
    let prod = top(&all, "repo/orders/deploy/overlays/production");
    let name = locate(prod, "prod-orders", 0);
    assert_eq!(place(&name).0, "repo/orders/deploy/base/service.yaml");
    assert_eq!(name.line, 4);
    let via = name.via.as_ref().expect("the namePrefix line");
    assert_eq!(
        place(&via.loc),
        (
            "repo/orders/deploy/overlays/production/kustomization.yaml",
            4
        )
    );
    let namespace = locate(prod, "production", 0);
    assert_eq!(
        place(&namespace),
        (
            "repo/orders/deploy/overlays/production/kustomization.yaml",
            3
        )
    );
}

#[test]
fn a_new_image_tag_points_at_the_base_image_with_the_images_entry_as_via() {
    let all = render_fixtures();
    let staging = top(&all, "repo/orders/deploy/overlays/staging");
    let image = locate(staging, "registry.example.com/shop/orders:1.5.0-rc1", 0);
    assert_eq!(
        place(&image),
        ("repo/orders/deploy/base/deployment.yaml", 19)
    );
    let via = image.via.as_ref().expect("the images entry");
    assert_eq!(
        place(&via.loc),
        ("repo/orders/deploy/overlays/staging/kustomization.yaml", 7)
    );
    let key = locate(staging, "replicas: 2", 0);
    assert_eq!(
        place(&key),
        ("repo/orders/deploy/base/deployment.yaml", 6),
        "the key stays the base's"
    );
    let text = &staging.files[0].text;
    let at = text.find("replicas: 2").expect("replicas") + "replicas: ".len();
    let count = staging.files[0].line_index().location(at..at + 1);
    assert_eq!(
        place(&count),
        ("repo/orders/deploy/overlays/staging/kustomization.yaml", 11)
    );
}

#[test]
fn generated_values_point_at_their_literal_and_consumed_files_are_listed() {
    let all = render_fixtures();
    let prod = top(&all, "repo/billing/k8s/overlays/prod");
    let literal = locate(prod, "\"8000\"", 0);
    assert_eq!(
        place(&literal),
        ("repo/billing/k8s/base/kustomization.yaml", 6)
    );
    for f in [
        "repo/billing/k8s/base/deployment.yaml",
        "repo/billing/k8s/base/kustomization.yaml",
        "repo/billing/k8s/overlays/prod/kustomization.yaml",
        "repo/billing/k8s/overlays/prod/probes.yaml",
        "repo/billing/k8s/overlays/prod/resources.yaml",
        "repo/billing/k8s/overlays/prod/service.yaml",
    ] {
        assert!(
            prod.consumed.iter().any(|c| c == f),
            "{f} not consumed: {:?}",
            prod.consumed
        );
    }
    assert!(prod.consumed.iter().all(|c| c.starts_with("repo/billing/")));
    // A probe added by a patch points at the patch file.
    let probe = locate(prod, "/healthz", 0);
    assert_eq!(
        place(&probe).0,
        "repo/billing/k8s/overlays/prod/probes.yaml"
    );
    let dev = top(&all, "repo/shop/overlays/dev");
    assert!(dev
        .consumed
        .iter()
        .any(|c| c == "repo/shop/components/metrics/exporter.yaml"));
}

#[test]
fn a_kustomization_loop_is_a_parse_problem_at_the_entry_that_closes_it() {
    let all = render_fixtures();
    let looped = top(&all, "loop/a");
    assert!(looped.files.is_empty());
    assert_eq!(looped.problems.len(), 1, "{:?}", looped.problems);
    let p = &looped.problems[0];
    assert_eq!(p.message, "kustomization loop: loop/a → loop/b → loop/a");
    assert_eq!(place(&p.loc), ("loop/b/kustomization.yaml", 2));
}

#[test]
fn bad_input_is_reported_at_its_line_and_the_other_tops_render() {
    let all = render_fixtures();
    // A missing file is a note (real repositories list files a build step
    // generates), and the unit is not rendered.
    let missing = top(&all, "bad/missing");
    assert!(missing.files.is_empty());
    assert!(missing.problems.is_empty(), "{:?}", missing.problems);
    assert_eq!(missing.notes.len(), 1);
    assert!(missing.notes[0]
        .message
        .starts_with("cannot read `bad/missing/gone.yaml`"));
    assert!(missing.notes[0]
        .message
        .ends_with("not rendered (a file generated before deploying, or a wrong path)"));
    assert_eq!(
        place(&missing.notes[0].loc),
        ("bad/missing/kustomization.yaml", 3)
    );

    let bad_path = top(&all, "bad/bad-path");
    assert!(bad_path.files.is_empty());
    assert_eq!(
        bad_path.problems[0].message,
        "JSON patch: path `/data/nested/key`: no `nested` to follow"
    );
    assert_eq!(
        place(&bad_path.problems[0].loc),
        ("bad/bad-path/ops.yaml", 2)
    );

    let no_target = top(&all, "bad/no-target");
    assert!(no_target.problems.is_empty());
    assert_eq!(
        no_target.files.len(),
        1,
        "a patch that selects nothing does not stop the render"
    );
    assert_eq!(no_target.notes.len(), 1);
    assert_eq!(
        place(&no_target.notes[0].loc),
        ("bad/no-target/kustomization.yaml", 5)
    );

    // A remote base, a remote patch, and a patch whose target is in the
    // remote base: three notes, no problem, the rest renders.
    let remote = top(&all, "remote/overlay");
    assert!(remote.problems.is_empty(), "{:?}", remote.problems);
    let notes: Vec<_> = remote
        .notes
        .iter()
        .map(|n| (n.message.as_str(), place(&n.loc)))
        .collect();
    assert_eq!(
        notes,
        [
            (
                "remote resource `github.com/example-org/platform//deploy/base?ref=v1.2.0` cannot be fetched: not rendered",
                ("remote/overlay/kustomization.yaml", 2)
            ),
            (
                "remote patch `https://raw.githubusercontent.com/example-org/platform/v1.2.0/patches/replicas.yaml` cannot be fetched: not applied",
                ("remote/overlay/kustomization.yaml", 5)
            ),
            (
                "patch targets Deployment `web`, which this kustomization does not have (its resources are incomplete)",
                ("remote/overlay/web-port.yaml", 4)
            ),
        ]
    );
    assert!(
        remote.files[0].text.contains("name: settings"),
        "the rest renders"
    );

    assert!(!top(&all, "repo/orders/deploy/overlays/production")
        .files
        .is_empty());
}

#[test]
fn hostile_trees_end_with_a_problem() {
    // A chain of 40 nested kustomizations passes the nesting budget.
    let dir = tempdir();
    for i in 0..40 {
        let d = dir.join(format!("k{i}"));
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::write(
            d.join("kustomization.yaml"),
            format!("resources:\n  - ../k{}\n", i + 1),
        )
        .expect("write");
    }
    let d = dir.join("k40");
    std::fs::create_dir_all(&d).expect("mkdir");
    std::fs::write(d.join("kustomization.yaml"), "resources: []\n").expect("write");
    let tree = DirTree::new(&dir);
    let all = seamcheck_kustomize::render_all(&tree, &tree.kustomization_dirs());
    assert_eq!(all.len(), 1);
    assert!(all[0]
        .problems
        .iter()
        .any(|p| p.message.contains("nested deeper")));
    // Binary and malformed kustomizations are problems, not panics.
    let bin = tempdir();
    std::fs::write(bin.join("kustomization.yaml"), b"\xff\xfe\x00resources: [").expect("write");
    let tree = DirTree::new(&bin);
    let all = seamcheck_kustomize::render_all(&tree, &[String::new()]);
    assert!(!all[0].problems.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&bin);
}

fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "seamcheck-kustomize-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&d).expect("tempdir");
    d
}

#[test]
fn a_value_from_an_inline_patch_points_at_its_line_in_the_kustomization() {
    let all = render_fixtures();
    let targets = top(&all, "differential/targets");
    let text = &targets.files[0].text;
    let at = text.find("replicas: 5").expect("patched replicas") + "replicas: ".len();
    let loc = targets.files[0].line_index().location(at..at + 1);
    assert_eq!(place(&loc), ("differential/targets/kustomization.yaml", 13));
    assert_eq!((loc.column, loc.end_column), (19, 19));
    let via = loc.via.as_ref().expect("the patch entry");
    assert_eq!(via.loc.line, 4);
}

#[test]
fn a_lattice_of_shared_bases_is_cut_off_by_the_build_budget() {
    // Every level uses the next one twice (through two directories): 2^30
    // builds without a budget.
    let dir = tempdir();
    for i in 0..30 {
        for side in ["l", "r"] {
            let d = dir.join(format!("{side}{i}"));
            std::fs::create_dir_all(&d).expect("mkdir");
            std::fs::write(
                d.join("kustomization.yaml"),
                format!("resources:\n  - ../l{n}\n  - ../r{n}\n", n = i + 1),
            )
            .expect("write");
        }
    }
    for side in ["l30", "r30"] {
        let d = dir.join(side);
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::write(d.join("kustomization.yaml"), "resources: []\n").expect("write");
    }
    let tree = DirTree::new(&dir);
    let started = std::time::Instant::now();
    let all = seamcheck_kustomize::render_all(&tree, &tree.kustomization_dirs());
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
    assert!(all.iter().all(|r| r
        .problems
        .iter()
        .any(|p| p.message.contains("kustomization builds"))));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn truncated_and_mangled_fixtures_never_panic() {
    let root = fixtures();
    let tree = DirTree::new(&root);
    let dirs = tree.kustomization_dirs();
    let mut files: Vec<String> = Vec::new();
    for d in &dirs {
        for e in tree_list(&tree, d) {
            files.push(if d.is_empty() { e } else { format!("{d}/{e}") });
        }
    }
    for (n, file) in files.iter().enumerate() {
        let original = std::fs::read(root.join(file)).expect("read");
        for cut in [original.len() / 3, original.len() * 4 / 5] {
            let mut mangled = original[..cut].to_vec();
            mangled.extend_from_slice(if n % 2 == 0 {
                b"\n  - : [\n"
            } else {
                b"\xff: {{"
            });
            let tree = support::Overlay::new(DirTree::new(&root), file, mangled);
            let top_dirs: Vec<String> = dirs
                .iter()
                .filter(|d| file.starts_with(d.split('/').next().unwrap_or("")))
                .cloned()
                .collect();
            let _ = seamcheck_kustomize::render_all(&tree, &top_dirs);
        }
    }
}

fn tree_list(tree: &DirTree, dir: &str) -> Vec<String> {
    use seamcheck_facts::render::Tree;
    tree.list(dir)
        .unwrap_or_default()
        .into_iter()
        .filter(|e| !e.is_dir)
        .map(|e| e.name)
        .collect()
}
