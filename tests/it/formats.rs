//! The CI formats, produced by the binary: SARIF (validated against the
//! official 2.1.0 schema), GitHub workflow commands (exact lines), GitLab
//! Code Quality (its documented fields), Markdown, several reports in one
//! run, and the human report at scale (grouping, --max-findings, --quiet).

use crate::support::*;
use serde_json::Value;
use std::collections::HashSet;
use std::path::PathBuf;

const BROKEN: &str = "sre-app/broken";

/// The official SARIF 2.1.0 schema: `$SEAMCHECK_SARIF_SCHEMA`, else
/// `../shared/schemas/` beside the repository. Under CI its absence is a
/// failure: a validation test that silently skips validates nothing.
fn sarif_schema() -> Option<Value> {
    let candidates: Vec<PathBuf> = std::env::var_os("SEAMCHECK_SARIF_SCHEMA")
        .map(PathBuf::from)
        .into_iter()
        .chain([repo().join("../shared/schemas/sarif-schema-2.1.0.json")])
        .collect();
    for path in &candidates {
        if let Ok(text) = std::fs::read_to_string(path) {
            return Some(serde_json::from_str(&text).expect("the SARIF schema is JSON"));
        }
    }
    assert!(
        !in_ci(),
        "the SARIF 2.1.0 schema is required under CI; looked in {candidates:?} (set SEAMCHECK_SARIF_SCHEMA)"
    );
    eprintln!("skipping SARIF schema validation: schema not found in {candidates:?}");
    None
}

/// SARIF and JSON of the same run, in the fixture directory itself.
fn sarif_and_json(rel: &str, extra: &[&str]) -> (Value, Value) {
    sarif_and_json_in(&fixture(rel), extra)
}

fn sarif_and_json_in(dir: &std::path::Path, extra: &[&str]) -> (Value, Value) {
    let out = tempfile::tempdir().expect("temp");
    let json_path = out.path().join("report.json");
    let json_arg = format!("json={}", json_path.display());
    let mut args = vec![".", "--format", "sarif", "--report", &json_arg];
    args.extend_from_slice(extra);
    let run = run_in(dir, &args);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("json report"))
            .expect("json");
    (crate::support::json(&run), json)
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let Some(schema) = sarif_schema() else {
        return;
    };
    for (rel, extra) in [
        (BROKEN, &[][..]),
        ("sre-app/fixed", &[][..]),
        ("bad-input", &[][..]),
        ("linking/monorepo", &["--show-suppressed"][..]),
    ] {
        let (sarif, _) = sarif_and_json(rel, extra);
        let errors = schema_errors(&schema, &sarif);
        assert!(errors.is_empty(), "{rel}: {errors:#?}");
    }
    // Suppressed results (inline and baseline) carry `suppressions`.
    let dir = scratch(BROKEN);
    edit_line(dir.path(), "k8s/deployment.yaml", 21, |l| {
        format!("{l}  # seamcheck: ignore[container-port-mismatch] -- sidecar")
    });
    let run = run_in(
        dir.path(),
        &[
            ".",
            "--select",
            "runs-as-root",
            "--write-baseline",
            "b.json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (sarif, _) = sarif_and_json_in(dir.path(), &["--show-suppressed", "--baseline", "b.json"]);
    let errors = schema_errors(&schema, &sarif);
    assert!(errors.is_empty(), "suppressed: {errors:#?}");
    let kinds: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["suppressions"][0]["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["inSource", "external"]);
    // The validator does reject a wrong document.
    let mut wrong = sarif;
    wrong["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!schema_errors(&schema, &wrong).is_empty());
}

#[test]
fn sarif_driver_lists_every_rule_with_its_documentation() {
    let (sarif, _) = sarif_and_json(BROKEN, &[]);
    assert_eq!(sarif["version"], "2.1.0");
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "seamcheck");
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), seamcheck::rules::RULES.len());
    for (rule, meta) in rules.iter().zip(seamcheck::rules::RULES) {
        let meta = meta.meta;
        assert_eq!(rule["id"], meta.id);
        assert!(rule["name"].as_str().is_some_and(|n| !n.contains('-')));
        assert!(rule["shortDescription"]["text"].as_str().is_some_and(|t| t
            .to_lowercase()
            .starts_with(&meta.summary.to_lowercase()[..10])));
        assert!(rule["fullDescription"]["text"]
            .as_str()
            .is_some_and(|t| t.len() > 20 && !t.contains("## ")));
        assert_eq!(rule["help"]["text"], meta.doc());
        assert_eq!(
            rule["defaultConfiguration"]["level"],
            meta.severity.as_str()
        );
    }
}

#[test]
fn sarif_results_match_the_json_findings() {
    let (sarif, json) = sarif_and_json(BROKEN, &[]);
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .is_some_and(|u| u.starts_with("file:///") && u.ends_with('/')));
    let results = run["results"].as_array().expect("results");
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(results.len(), findings.len());
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for (r, f) in results.iter().zip(findings) {
        assert_eq!(r["ruleId"], f["rule"]);
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], f["rule"]);
        assert_eq!(r["level"], f["severity"]);
        let text = r["message"]["text"].as_str().expect("message");
        assert!(
            text.starts_with(
                f["message"]
                    .as_str()
                    .expect("message")
                    .split('`')
                    .next()
                    .expect("x")
            ),
            "{text}"
        );
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], f["location"]["path"]);
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &loc["region"];
        let l = &f["location"];
        assert_eq!(region["startLine"], l["line"]);
        assert_eq!(region["startColumn"], l["column"]);
        assert_eq!(region["endLine"], l["end_line"]);
        // SARIF's endColumn is exclusive, seamcheck's end_column inclusive.
        assert_eq!(
            region["endColumn"].as_u64(),
            l["end_column"].as_u64().map(|c| c + 1)
        );
        let related = r["relatedLocations"].as_array().map_or(0, Vec::len);
        assert_eq!(related, f["related"].as_array().map_or(0, Vec::len));
        assert_eq!(r["partialFingerprints"]["seamcheck/v1"], f["fingerprint"]);
    }
    // The incident's container-port finding links to the Python line.
    let cpm = results
        .iter()
        .find(|r| r["ruleId"] == "container-port-mismatch")
        .expect("container-port-mismatch");
    let related = &cpm["relatedLocations"][0];
    assert_eq!(related["id"], 1);
    assert_eq!(
        related["physicalLocation"]["artifactLocation"]["uri"],
        "app/main.py"
    );
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 22);
    assert!(cpm["message"]["text"]
        .as_str()
        .is_some_and(|t| t.contains("](1)")));
}

#[test]
fn sarif_uris_are_relative_to_the_directory_seamcheck_ran_in() {
    // From the repository root, as a workflow runs it: URIs must resolve
    // against the checkout, so they carry the audited directory.
    let run = run_in(&repo(), &["fixtures/sre-app/broken", "--format", "sarif"]);
    let sarif = json(&run);
    let uris: HashSet<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(
        uris.contains("fixtures/sre-app/broken/k8s/deployment.yaml"),
        "{uris:?}"
    );
    assert!(uris
        .iter()
        .all(|u| u.starts_with("fixtures/sre-app/broken/")));
}

#[test]
fn github_annotations_point_at_the_exact_lines() {
    let run = run_in(&fixture(BROKEN), &[".", "--format", "github"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let want = "::error file=k8s/deployment.yaml,line=21,col=30,endLine=21,endColumn=31,\
                title=container-port-mismatch::containerPort 80 but the app listens on 8080\
                %0Aapp/main.py:22: app.run(port=8080)";
    assert!(
        lines.iter().any(|l| l.starts_with(want)),
        "no line starts with {want}:\n{}",
        run.stdout
    );
    assert!(lines.iter().any(|l| l.starts_with(
        "::error file=Dockerfile,line=9,col=8,endLine=9,endColumn=9,title=expose-port-mismatch::EXPOSE 80"
    )));
    assert!(lines.iter().any(|l| l.starts_with(
        "::warning file=app/main.py,line=12,col=5,endLine=12,endColumn=18,title=sleep-in-handler::"
    )));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("::notice file=Dockerfile,")));
    // One line per finding, every line a command, and the summary last.
    let report = json(&run_in(&fixture(BROKEN), &[".", "--format", "json"]));
    let count = report["findings"].as_array().expect("findings").len();
    assert_eq!(lines.len(), count + 1);
    assert!(lines[..count].iter().all(|l| l.starts_with("::")));
    assert!(
        lines[count].starts_with("seamcheck: 4 errors"),
        "{}",
        lines[count]
    );
    // No raw newline or unescaped percent inside a command.
    assert!(lines[..count].iter().all(|l| !l.contains('\r')
        && !l
            .replace("%0A", "")
            .replace("%25", "")
            .replace("%3A", "")
            .replace("%2C", "")
            .replace("%0D", "")
            .contains('%')));
}

#[test]
fn gitlab_code_quality_has_the_documented_fields() {
    let run = run_in(&fixture(BROKEN), &[".", "--format", "gitlab"]);
    assert_eq!(run.code, 1);
    let issues = json(&run);
    let issues = issues.as_array().expect("an array of issues");
    assert_eq!(issues.len(), 11);
    let mut fingerprints = HashSet::new();
    for i in issues {
        // The fields GitLab documents as required.
        assert!(i["description"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(i["check_name"].as_str().is_some());
        assert!(fingerprints.insert(i["fingerprint"].as_str().expect("fingerprint").to_string()));
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&i["severity"].as_str().expect("severity")));
        assert!(i["location"]["path"]
            .as_str()
            .is_some_and(|p| !p.starts_with('/')));
        assert!(i["location"]["lines"]["begin"]
            .as_u64()
            .is_some_and(|b| b >= 1));
    }
    let cpm = issues
        .iter()
        .find(|i| i["check_name"] == "container-port-mismatch")
        .expect("container-port-mismatch");
    assert_eq!(cpm["severity"], "critical");
    assert_eq!(cpm["location"]["path"], "k8s/deployment.yaml");
    assert_eq!(cpm["location"]["lines"]["begin"], 21);
    let sleep = issues
        .iter()
        .find(|i| i["check_name"] == "sleep-in-handler")
        .expect("sleep");
    assert_eq!(sleep["severity"], "major");
    let note = issues
        .iter()
        .find(|i| i["check_name"] == "full-base-image")
        .expect("note");
    assert_eq!(note["severity"], "info");
}

#[test]
fn markdown_summary_has_counts_a_table_and_details() {
    let run = run_in(&fixture(BROKEN), &[".", "--format", "markdown"]);
    assert_eq!(run.code, 1);
    let md = run.stdout;
    assert!(md.starts_with("## seamcheck: failed\n"), "{md}");
    assert!(md.contains("| error | 4 |"), "{md}");
    assert!(md.contains("| warning | 5 |"), "{md}");
    assert!(md.contains("| note | 2 |"), "{md}");
    assert!(
        md.contains("| sre-app | `container-port-mismatch` | error | 1 |"),
        "{md}"
    );
    assert!(
        md.contains("<details><summary><b>sre-app</b>: 4 errors, 5 warnings, 2 notes</summary>")
    );
    assert!(md.contains("`k8s/deployment.yaml:21:30`"), "{md}");
    assert_eq!(
        md.matches("<details>").count(),
        md.matches("</details>").count()
    );

    let clean = run_in(&fixture("sre-app/fixed"), &[".", "--format", "markdown"]);
    assert!(
        clean.stdout.starts_with("## seamcheck: passed"),
        "{}",
        clean.stdout
    );
    assert!(!clean.stdout.contains("<details>"));
}

#[test]
fn several_reports_in_one_run_are_written_atomically() {
    let out = tempfile::tempdir().expect("temp");
    let p = |n: &str| out.path().join(n);
    let args = [
        ".".to_string(),
        "--format".into(),
        "json".into(),
        "--output".into(),
        p("report.json").display().to_string(),
        "--report".into(),
        format!("sarif={}", p("report.sarif").display()),
        "--report".into(),
        format!("gitlab={}", p("gl-code-quality.json").display()),
        "--report".into(),
        format!("markdown={}", p("summary.md").display()),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = run_in(&fixture(BROKEN), &args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "everything went to files");
    let json: Value = serde_json::from_str(&read(out.path(), "report.json")).expect("json");
    assert_eq!(json["summary"]["errors"], 4);
    let sarif: Value = serde_json::from_str(&read(out.path(), "report.sarif")).expect("sarif");
    assert_eq!(sarif["version"], "2.1.0");
    let gl: Value = serde_json::from_str(&read(out.path(), "gl-code-quality.json")).expect("gl");
    assert_eq!(gl.as_array().map(Vec::len), Some(11));
    assert!(read(out.path(), "summary.md").contains("<details>"));
    // Only the four reports: no temporary file left behind.
    assert_eq!(std::fs::read_dir(out.path()).expect("dir").count(), 4);

    // A bad --report is a usage error naming the closest format.
    let bad = run_in(&fixture(BROKEN), &[".", "--report", "sarf=x.sarif"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("did you mean `sarif`?"),
        "{}",
        bad.stderr
    );
    // An unwritable output is exit 2, not a half-written file.
    let blocker = out.path().join("report.json").join("report.json");
    let bad = run_in(
        &fixture(BROKEN),
        &[".", "--output", &blocker.to_string_lossy()],
    );
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("cannot write the report"),
        "{}",
        bad.stderr
    );
}

#[test]
fn human_report_is_grouped_by_service_and_can_be_capped() {
    // Two copies of the incident, as two services of one repository.
    let dir = tempfile::tempdir().expect("temp");
    for name in ["beta", "alpha"] {
        let copy = scratch(BROKEN);
        for rel in ["Dockerfile", "app/main.py", "app/requirements.txt"] {
            write(&dir.path().join(name), rel, &read(copy.path(), rel));
        }
        for rel in ["k8s/deployment.yaml", "k8s/service.yaml"] {
            let text = read(copy.path(), rel)
                .replace("sre-candidate", name)
                .replace("sre", name);
            write(&dir.path().join(name), rel, &text);
        }
    }
    let run = run_in(dir.path(), &[".", "--color", "never"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run_in(dir.path(), &[".", "--format", "json"]));
    let services: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["service"].as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(services, ["alpha-app", "beta-app"], "{}", run.stdout);
    assert!(
        !run.stdout.contains('\u{1b}'),
        "no colour with --color never"
    );
    // Issue 13: errors first, then warnings, then notes, one section each;
    // within a severity by service name (then file).
    let headers: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("── "))
        .collect();
    let rank = |h: &str| {
        ["error", "warning", "note"]
            .iter()
            .position(|s| h.contains(s))
    };
    let ranks: Vec<_> = headers.iter().map(|h| rank(h)).collect();
    let mut sorted = ranks.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        ranks, sorted,
        "one section per severity, most severe first: {headers:?}"
    );
    // Within a section, alpha-app's findings come before beta-app's.
    let places: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("── ") || l.contains("╭─[ "))
        .collect();
    let section_of = |needle: &str| {
        places
            .iter()
            .position(|l| l.contains(needle))
            .map(|i| places[..i].iter().filter(|l| l.starts_with("── ")).count())
    };
    for needle in ["─[ alpha/", "─[ beta/"] {
        assert!(section_of(needle).is_some(), "{needle}: {}", run.stdout);
    }
    for (i, l) in places.iter().enumerate() {
        if l.contains("─[ alpha/") {
            let after_beta = places[..i]
                .iter()
                .rev()
                .take_while(|p| !p.starts_with("── "))
                .any(|p| p.contains("─[ beta/"));
            assert!(!after_beta, "alpha after beta in one section: {places:?}");
        }
    }
    // The per-service summary, then the total last.
    for s in &services {
        assert!(run.stdout.contains(&format!("\n  {s}: ")), "{s}");
    }
    assert!(run
        .stdout
        .trim_end()
        .lines()
        .last()
        .is_some_and(|l| l.starts_with("seamcheck: ")));

    // --max-findings keeps the most severe; the summary still counts all.
    let capped = run_in(
        &fixture(BROKEN),
        &[".", "--color", "never", "--max-findings", "2"],
    );
    assert_eq!(capped.code, 1);
    let shown = capped.stdout.matches("] Error: ").count()
        + capped.stdout.matches("] Warning: ").count()
        + capped.stdout.matches("] Note: ").count();
    assert_eq!(shown, 2, "{}", capped.stdout);
    assert_eq!(capped.stdout.matches("] Error: ").count(), 2);
    assert!(capped
        .stdout
        .contains("note: 9 more findings not shown (--max-findings 2)"));
    assert!(capped.stdout.trim_end().ends_with("(1 service)"));

    // --quiet: the summary alone; the exit status is unchanged.
    let quiet = run_in(&fixture(BROKEN), &[".", "--quiet"]);
    assert_eq!(quiet.code, 1);
    assert_eq!(
        quiet.stdout,
        "seamcheck: 4 errors, 5 warnings, 2 notes in 4 files (1 service)\n"
    );
}

#[test]
fn human_report_stays_fast_and_bounded_with_thousands_of_findings() {
    // 1,500 workloads without resources or probes: thousands of findings.
    let dir = tempfile::tempdir().expect("temp");
    let mut yaml = String::new();
    for i in 0..1500 {
        yaml.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w{i}\nspec:\n  selector:\n    matchLabels: {{app: w{i}}}\n  template:\n    metadata:\n      labels: {{app: w{i}}}\n    spec:\n      containers:\n        - name: c\n          image: shop/w{i}:1.0.0\n"
        ));
    }
    write(dir.path(), "k8s/all.yaml", &yaml);
    let started = std::time::Instant::now();
    let run = run_in(
        dir.path(),
        &[".", "--color", "never", "--max-findings", "20"],
    );
    assert!(started.elapsed().as_secs() < 60);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("more findings not shown"),
        "{}",
        &run.stdout[..500.min(run.stdout.len())]
    );
    assert!(
        run.stdout.lines().count() < 400,
        "the cap bounds the output"
    );
    let json = json(&run_in(dir.path(), &[".", "--format", "json"]));
    assert!(json["findings"].as_array().expect("findings").len() >= 3000);
}
