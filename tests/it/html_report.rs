//! The HTML report: self-contained (no network), every repository value
//! escaped, and checked in a real browser. Headless Chromium (Debian's
//! `chromium`, installed by .ci/run) loads the report of the incident
//! fixture and of a monorepo fixture; the rendered DOM must hold every
//! finding and every service, and a screenshot is taken. Without Chromium
//! the browser part fails under CI and is skipped locally.

use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            })
        })
}

/// Runs headless Chromium on `page` with every background request off.
fn browse(browser: &Path, page: &Path, extra: &[&str]) -> std::process::Output {
    let profile = tempfile::tempdir().expect("profile dir");
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--window-size=1280,1600",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs")
}

fn html_and_json(dir: &Path) -> (String, Value) {
    let html = run_in(dir, &[".", "--format", "html"]);
    assert!(html.code == 0 || html.code == 1, "{}", html.stderr);
    let json = json(&run_in(dir, &[".", "--format", "json"]));
    (html.stdout, json)
}

/// No way for the page to reach the network: a CSP forbidding every
/// request, and nothing that names a resource to load.
fn assert_self_contained(html: &str) {
    assert!(
        html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"),
        "no CSP"
    );
    for banned in [
        "http://",
        "https://",
        "@import",
        "url(",
        "fetch(",
        "XMLHttpRequest",
        "WebSocket",
        "import(",
        "sendBeacon",
    ] {
        assert!(
            !html.contains(banned),
            "the page references a resource: {banned}"
        );
    }
    // Markup only (escaped text holds no raw `<`): no element that loads
    // something, no attribute naming a resource.
    for tag in html.split('<').skip(1).filter_map(|t| t.split('>').next()) {
        let name = tag.split_whitespace().next().unwrap_or_default();
        assert!(
            !["link", "img", "iframe", "object", "embed", "audio", "video", "source", "base"]
                .contains(&name),
            "element <{name}> in the page"
        );
        for attr in ["src=", "href=", "srcset=", "action=", "poster="] {
            assert!(!tag.contains(attr), "attribute {attr} in <{tag}>");
        }
    }
    assert_eq!(html.matches("<script").count(), 1, "one inline script only");
}

#[test]
fn the_report_is_self_contained_and_escapes_repository_text() {
    let dir = scratch("sre-app/broken");
    // A comment inside an excerpt that tries to close the code block and
    // run a script, and one that tries to load an image.
    let dockerfile = read(dir.path(), "Dockerfile");
    write(
        dir.path(),
        "Dockerfile",
        &format!("# </pre><script>alert(1)</script><img src=https://evil.example/x>\n{dockerfile}"),
    );
    let (html, report) = html_and_json(dir.path());
    assert_self_contained(&html);
    assert!(html.contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    let findings = report["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    assert_eq!(
        html.matches("<article class=\"finding\"").count(),
        findings.len()
    );
    // Filters offer every rule and service present.
    for f in findings {
        let rule = f["rule"].as_str().unwrap_or_default();
        assert!(
            html.contains(&format!("<option value=\"{rule}\">")),
            "{rule}"
        );
    }
    assert!(html.contains("<option value=\"sre-app\">"));
}

#[test]
fn a_mismatching_edge_is_drawn_red() {
    let (html, _) = html_and_json(&fixture("sre-app/broken"));
    assert!(html.contains("class=\"edge mismatch\""));
    let (clean, _) = html_and_json(&fixture("sre-app/fixed"));
    assert!(!clean.contains("class=\"edge mismatch\""));
    assert!(clean.contains("class=\"edge ok\""));
}

#[test]
fn chromium_renders_every_finding_and_service() {
    let Some(browser) = chromium() else {
        assert!(
            !in_ci(),
            "chromium is not installed: .ci/run installs it (apt-get install chromium)"
        );
        eprintln!("skipped: chromium is not installed");
        return;
    };
    let out = tempfile::tempdir().expect("temp dir");
    for (name, dir) in [
        ("incident", fixture("sre-app/broken")),
        ("monorepo", fixture("linking/monorepo")),
    ] {
        let (html, report) = html_and_json(&dir);
        assert_self_contained(&html);
        let page = out.path().join(format!("{name}.html"));
        std::fs::write(&page, &html).expect("write page");

        let dom = browse(&browser, &page, &["--dump-dom"]);
        let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
        // The script ran (it fills in the count) and the page is whole.
        let findings = report["findings"].as_array().expect("findings");
        assert!(
            dom.contains(&format!("{} shown", findings.len())),
            "{name}: the filter script did not run"
        );
        for f in findings {
            let fp = f["fingerprint"].as_str().unwrap_or_default();
            assert!(
                dom.contains(&format!("data-fingerprint=\"{fp}\"")),
                "{name}: finding {} missing from the DOM",
                f["rule"]
            );
        }
        let services = report["services"].as_array().expect("services");
        assert!(!services.is_empty(), "{name}");
        for s in services {
            let svc = s["name"].as_str().unwrap_or_default();
            assert!(
                dom.contains(&format!(
                    "<article class=\"service\" data-service=\"{svc}\">"
                )),
                "{name}: service {svc} missing from the DOM"
            );
        }
        // Nothing in the rendered DOM names a remote resource either.
        assert!(
            !dom.contains("http://") && !dom.contains("https://"),
            "{name}"
        );

        let shot = out.path().join(format!("{name}.png"));
        let run = browse(
            &browser,
            &page,
            &[&format!("--screenshot={}", shot.display())],
        );
        let png = std::fs::read(&shot).unwrap_or_default();
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "{name}: no screenshot: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        if let Some(keep) = std::env::var_os("SEAMCHECK_KEEP_SCREENSHOT") {
            let _ = std::fs::copy(&shot, Path::new(&keep).join(format!("{name}.png")));
        }
    }
}

#[path = "../bench/generate.rs"]
#[allow(dead_code)]
mod generate;

/// The HTML report of a generated 1,000-service monorepo: its size, the
/// time seamcheck takes to write it, and the time headless Chromium takes
/// to load and lay it out (`--dump-dom` returns once the page has loaded).
/// Measured by hand: `cargo test --test it html_report:: -- --ignored --nocapture`
/// (`SEAMCHECK_HTML_BENCH_SERVICES` changes the size).
#[test]
#[ignore = "a measurement, not a check"]
fn html_report_of_a_large_monorepo() {
    let services: usize = std::env::var("SEAMCHECK_HTML_BENCH_SERVICES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("monorepo");
    generate::generate(&root, services).expect("generate");
    let page = dir.path().join("report.html");
    let started = std::time::Instant::now();
    let run = run_in(
        &root,
        &[".", "--format", "html", "--output", &page.to_string_lossy()],
    );
    let audit_and_write = started.elapsed();
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let html = std::fs::read_to_string(&page).expect("report");
    assert_self_contained(&html);
    println!(
        "{services} services: {} bytes of HTML, {} findings, audit + HTML {:.2?}",
        html.len(),
        html.matches("<article class=\"finding\"").count(),
        audit_and_write
    );
    if let Some(browser) = chromium() {
        let started = std::time::Instant::now();
        let dom = browse(&browser, &page, &["--dump-dom"]);
        println!(
            "chromium load + layout + script: {:.2?} ({} bytes of DOM)",
            started.elapsed(),
            dom.stdout.len()
        );
        let started = std::time::Instant::now();
        let blank = dir.path().join("blank.html");
        std::fs::write(&blank, "<!DOCTYPE html><title>x</title>").expect("blank");
        browse(&browser, &blank, &["--dump-dom"]);
        println!("chromium on an empty page: {:.2?}", started.elapsed());
    }
}
