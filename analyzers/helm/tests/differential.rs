//! Differential test against the reference: Go's own `text/template` with
//! Sprig and Helm's functions (tests/reference/main.go, built here from
//! Debian's packages in GOPATH mode). Every chart fixture is rendered by
//! both and compared after YAML normalization; a generated set of
//! templates, one or more per construct and function, is compared byte for
//! byte.
//!
//! Needs `go` and `/usr/share/gocode/src/github.com/Masterminds/sprig`
//! (`.ci/run` installs them). Without them the test fails under `CI=true`
//! and is skipped with a message otherwise.

mod common;

use common::DirTree;
use seamcheck_helm::template::codec;
use seamcheck_helm::testing;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SPRIG: &str = "/usr/share/gocode/src/github.com/Masterminds/sprig";

fn reference() -> Option<PathBuf> {
    let have_go = Command::new("go")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_go || !Path::new(SPRIG).is_dir() {
        let why = "the Helm reference needs `go` and Debian's golang-github-masterminds-sprig-dev, golang-k8s-sigs-yaml-dev";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{why} (install them: see .ci/run)");
        }
        eprintln!("skipping the Helm differential test: {why}");
        return None;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("helm-reference");
    std::fs::create_dir_all(&out).expect("a directory for the reference");
    let bin = out.join("reference");
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
    let status = Command::new("go")
        .args(["build", "-o"])
        .arg(&bin)
        .arg(".")
        .current_dir(&src)
        .env("GO111MODULE", "off")
        .env(
            "GOPATH",
            format!("{}:/usr/share/gocode", out.join("gopath").display()),
        )
        .env("GOCACHE", out.join("gocache"))
        .env_remove("GOFLAGS")
        .status()
        .expect("go build runs");
    assert!(status.success(), "the reference renderer builds");
    Some(bin)
}

/// Runs the reference on a job; returns name -> (out, err).
fn run_reference(
    bin: &Path,
    job: &serde_json::Value,
) -> serde_json::Map<String, serde_json::Value> {
    let mut child = Command::new(bin)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the reference runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(job.to_string().as_bytes())
            .expect("job written");
    }
    let out = child.wait_with_output().expect("reference output");
    assert!(
        out.status.success(),
        "reference failed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    match serde_json::from_slice(&out.stdout).expect("reference JSON") {
        serde_json::Value::Object(m) => m,
        _ => panic!("reference output is not an object"),
    }
}

/// A rendered template as Helm's splitter and a YAML decoder see it: the
/// JSON of every non-empty document.
fn normalize(text: &str) -> Vec<String> {
    text.split("\n---")
        .flat_map(|d| d.split("---\n"))
        .filter(|d| !d.trim().is_empty())
        .map(|d| match codec::parse_yaml(d) {
            Ok(v) => codec::to_json(&v, false, false),
            Err(e) => format!("unparsable: {e}: {d}"),
        })
        .collect()
}

fn chart_dirs() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/helm");
    let mut out = Vec::new();
    let mut stack = vec![(root.clone(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        if dir.join("Chart.yaml").is_file() {
            // Subcharts render as part of their parent.
            if !rel.contains("/charts/") {
                out.push(rel.clone());
            }
        }
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                let name = e.file_name().to_string_lossy().into_owned();
                stack.push((
                    e.path(),
                    if rel.is_empty() {
                        name
                    } else {
                        format!("{rel}/{name}")
                    },
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn chart_fixtures_render_as_go_and_sprig_do() {
    let Some(bin) = reference() else { return };
    let tree = DirTree::fixtures();
    let (mut total, mut identical, mut exact, mut both_fail) = (0, 0, 0, 0);
    let mut mismatches = Vec::new();
    for dir in chart_dirs() {
        let Some(job) = testing::chart_job(&tree, &dir) else {
            continue;
        };
        let templates: serde_json::Map<String, serde_json::Value> = job
            .templates
            .iter()
            .map(|(n, t)| (n.clone(), serde_json::Value::String(t.clone())))
            .collect();
        let renders: Vec<serde_json::Value> = job
            .cases
            .iter()
            .map(|c| {
                serde_json::json!({
                    "name": c.name,
                    "data": serde_json::from_str::<serde_json::Value>(&c.data_json).expect("data JSON"),
                    "files": c.files.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect::<serde_json::Map<String, serde_json::Value>>(),
                    "apiVersions": seamcheck_helm::render_api_versions(),
                })
            })
            .collect();
        let theirs = run_reference(
            &bin,
            &serde_json::json!({"templates": templates, "renders": renders}),
        );
        for c in &job.cases {
            total += 1;
            let t = &theirs[&c.name];
            let their_err = t["err"].as_str().unwrap_or("");
            let their_out = t["out"].as_str().unwrap_or("");
            match &c.ours {
                Ok(ours) if their_err.is_empty() => {
                    if normalize(ours) == normalize(their_out) {
                        identical += 1;
                        exact += usize::from(ours == their_out);
                    } else {
                        mismatches.push(format!(
                            "{}:\n--- ours\n{ours}\n--- reference\n{their_out}",
                            c.name
                        ));
                    }
                }
                Err(_) if !their_err.is_empty() => both_fail += 1,
                Ok(_) => mismatches.push(format!("{}: reference failed: {their_err}", c.name)),
                Err(e) => mismatches.push(format!(
                    "{}: we failed: {e}; reference rendered:\n{their_out}",
                    c.name
                )),
            }
        }
    }
    eprintln!(
        "helm differential (charts): {total} templates, {identical} identical after YAML normalization ({exact} byte for byte), {both_fail} fail in both"
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
    assert!(total >= 8, "the fixtures hold templates");
}

/// Values every generated case sees.
const VALUES: &str = r#"{
  "name": "web", "port": 8080, "big": 1000000, "float": 1.5, "neg": -3, "zero": 0,
  "empty": "", "yes": "yes", "num": "42", "t": true, "f": false, "nil": null,
  "list": ["b", "a", "c", "a"], "nums": [3, 1, 2], "emptyList": [], "emptyMap": {},
  "map": {"b": 2, "a": "x", "c": {"d": [1, {"e": "f"}]}, "a10": 1, "a2": 2, "_u": 0, "Z": 1},
  "multi": "line one\nline two\n", "spaces": "  padded  ", "tpl": "{{ .Values.name }}-{{ .Release.Name }}",
  "env": {"LOG_LEVEL": "debug", "PORT": "8000"}, "image": {"repository": "r/app", "tag": ""},
  "json": "{\"a\": [1, 2], \"b\": {\"c\": true}}", "yaml": "a: 1\nb: [x, y]\n", "url": "a b&c=d/é",
  "version": "1.22.3-gke.100", "html": "<a href=\"x\">'&'</a>"
}"#;

const CASES: &[&str] = &[
    // text, actions, trim markers, comments
    "plain text",
    "a {{- \" b \" -}} c",
    "x {{/* comment */}} y {{- /* trimmed */ -}} z",
    "{{ .Values.name }} {{ .Values.port }} {{ .Values.big }} {{ .Values.float }} {{ .Values.neg }}",
    "{{ .Values.nil }}|{{ .Values.missing }}|{{ .Values.t }}|{{ .Values.list }}|{{ .Values.map }}|{{ .Values.emptyMap }}",
    "{{ 1 }} {{ 1.5 }} {{ 0x1F }} {{ 1e3 }} {{ 'a' }} {{ \"s\\t\" }} {{ `raw\\n` }} {{ true }} {{ nil | print }}",
    // variables
    "{{ $x := 1 }}{{ $x }}{{ $x = 2 }}{{ $x }}{{ $ := . }}",
    "{{ $n := .Values.name }}{{ with .Values.map }}{{ $n }}-{{ .a }}-{{ $.Values.port }}{{ end }}",
    // if / else if / with / range
    "{{ if .Values.t }}T{{ else }}F{{ end }} {{ if .Values.f }}T{{ else if .Values.name }}N{{ else }}F{{ end }}",
    "{{ if .Values.empty }}x{{ end }}{{ if .Values.emptyList }}x{{ else }}empty{{ end }}{{ if .Values.zero }}x{{ end }}",
    "{{ with .Values.missing }}x{{ else }}none{{ end }} {{ with .Values.image }}{{ .repository }}{{ end }}",
    "{{ range .Values.list }}[{{ . }}]{{ end }} {{ range $i, $v := .Values.list }}{{ $i }}={{ $v }} {{ end }}",
    "{{ range $k, $v := .Values.map }}{{ $k }}:{{ $v }};{{ end }}",
    "{{ range .Values.emptyList }}x{{ else }}nothing{{ end }} {{ range .Values.missing }}x{{ end }}",
    "{{ range .Values.nums }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ . }}{{ end }}|{{ range .Values.nums }}{{ if eq . 1.0 }}{{ continue }}{{ end }}{{ . }}{{ end }}",
    "{{- range $name, $value := .Values.env }}\n- name: {{ $name }}\n  value: {{ $value | quote }}\n{{- end }}",
    // define, template, block, include
    "{{ define \"t1\" }}<{{ . }}>{{ end }}{{ template \"t1\" .Values.name }}{{ template \"t1\" }}",
    "{{ block \"blk\" .Values.port }}block {{ . }}{{ end }}",
    "{{ define \"lbl\" }}app: {{ .name }}\nport: {{ .port }}{{ end }}{{ include \"lbl\" .Values | nindent 2 }}",
    // builtins
    "{{ and 1 0 2 }} {{ and 1 2 }} {{ or 0 \"\" }} {{ or 0 3 }} {{ not .Values.t }} {{ len .Values.list }} {{ len .Values.name }}",
    "{{ index .Values.map \"a\" }} {{ index .Values.list 1 }} {{ index .Values.map \"c\" \"d\" 0 }} {{ index .Values.map \"nope\" }}",
    "{{ slice .Values.list 1 }} {{ slice .Values.list 1 3 }}",
    "{{ slice .Values.name 1 }}",
    "{{ print 1 2 \"a\" \"b\" 3 }}|{{ println 1 \"x\" }}|{{ print .Values.nil }}",
    "{{ printf \"%s-%d-%v-%q-%5.2f|%-4s|%04d|%x|%t\" .Values.name 7 .Values.list \"q\" 3.14159 \"ab\" 42 255 true }}",
    "{{ printf \"%v %v %s %d\" .Values.port .Values.big .Values.port .Values.port }}",
    "{{ printf \"%s\" }} {{ printf \"%d\" \"x\" }} {{ printf \"a\" 1 }}",
    "{{ eq .Values.name \"web\" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt \"b\" \"a\" }} {{ ge 1.5 .Values.float }} {{ eq .Values.missing \"x\" }} {{ eq 1 2 1 }}",
    "{{ html .Values.html }} {{ js .Values.html }} {{ urlquery .Values.url }}",
    // sprig strings
    "{{ default \"d\" .Values.empty }} {{ default \"d\" .Values.name }} {{ default 5 .Values.zero }} {{ .Values.missing | default \"m\" }}",
    "{{ empty .Values.empty }} {{ empty .Values.list }} {{ coalesce .Values.empty .Values.nil \"c\" }} {{ ternary \"y\" \"n\" true }}",
    "{{ quote .Values.name }} {{ squote .Values.name }} {{ quote .Values.port }} {{ quote .Values.multi }} {{ quote .Values.nil }}",
    "{{ upper .Values.name }} {{ lower \"ABC\" }} {{ title \"hello wide-world\" }} {{ untitle \"Hello World\" }}",
    "[{{ trim .Values.spaces }}] [{{ trimAll \"-\" \"--a-b--\" }}] {{ trimSuffix \"-\" \"abc-\" }} {{ trimPrefix \"x\" \"xyz\" }}",
    "{{ replace \"a\" \"o\" \"banana\" }} {{ contains \"an\" \"banana\" }} {{ hasPrefix \"ba\" \"banana\" }} {{ hasSuffix \"na\" \"banana\" }}",
    "{{ indent 4 .Values.multi }}|{{ nindent 2 \"a\\nb\" }}",
    "{{ toString .Values.port }} {{ toString .Values.list }} {{ int .Values.port }} {{ int64 .Values.float }} {{ float64 .Values.num }} {{ atoi .Values.num }} {{ int \"0x10\" }}",
    "{{ add 1 2 .Values.port }} {{ sub 10 3 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 2 }} {{ max 1 5 3 }} {{ min 4 2 }} {{ add1 .Values.port }}",
    "{{ addf 1.5 2 }} {{ subf 5 1.5 }} {{ mulf 1.5 2 }} {{ divf 3 2 }} {{ ceil 1.2 }} {{ floor 1.8 }} {{ round 1.2345 2 }}",
    "{{ until 3 }} {{ untilStep 0 10 3 }} {{ seq 3 }} {{ seq 2 5 }} {{ seq 5 -1 1 }}",
    "{{ trunc 3 \"abcdef\" }} {{ trunc -2 \"abcdef\" }} {{ abbrev 5 \"hello world\" }} {{ substr 1 3 \"abcdef\" }} {{ repeat 3 \"ab\" }} {{ nospace \"a b c\" }} {{ initials \"foo bar\" }}",
    "{{ cat \"a\" 1 .Values.nil \"b\" }} {{ plural \"one\" \"many\" 2 }} {{ sha1sum \"x\" }} {{ sha256sum \"x\" }} {{ adler32sum \"x\" }}",
    "{{ b64enc \"hello\" }} {{ b64dec \"aGVsbG8=\" }} {{ b32enc \"hi\" }}",
    "{{ randAlphaNum 5 | len }} {{ uuidv4 | len }}",
    // lists and dicts
    "{{ list 1 \"a\" .Values.float }} {{ tuple 1 2 }} {{ append .Values.list \"z\" }} {{ prepend .Values.list \"z\" }}",
    "{{ first .Values.list }} {{ last .Values.list }} {{ rest .Values.list }} {{ initial .Values.list }} {{ uniq .Values.list }} {{ reverse .Values.list }}",
    "{{ without .Values.list \"a\" }} {{ has \"a\" .Values.list }} {{ has \"q\" .Values.list }} {{ concat .Values.list .Values.nums }} {{ compact (list 1 \"\" 0 2) }}",
    "{{ sortAlpha .Values.list }} {{ join \"-\" .Values.list }} {{ join \",\" .Values.nums }} {{ splitList \",\" \"a,b,c\" }} {{ split \".\" \"a.b\" }}",
    "{{ $d := dict \"a\" 1 \"b\" \"x\" }}{{ $d }} {{ get $d \"a\" }} {{ get $d \"q\" }} {{ hasKey $d \"b\" }} {{ keys $d | sortAlpha }}",
    "{{ $d := dict \"a\" 1 }}{{ set $d \"c\" 3 }} {{ unset (dict \"a\" 1 \"b\" 2) \"a\" }} {{ pick .Values.map \"a\" \"b\" }} {{ omit .Values.map \"c\" \"a10\" }}",
    "{{ pluck \"a\" .Values.map (dict \"a\" 9) }} {{ values (dict \"x\" 1) }} {{ dig \"c\" \"d\" \"none\" .Values.map }} {{ dig \"q\" \"r\" \"none\" .Values.map }}",
    "{{ merge (dict \"a\" 1 \"n\" (dict \"x\" 1)) (dict \"a\" 2 \"b\" 3 \"n\" (dict \"y\" 2)) }} {{ mergeOverwrite (dict \"a\" 1) (dict \"a\" 2 \"b\" 3) }}",
    "{{ deepCopy .Values.map | toJson }} {{ chunk 2 .Values.list }}",
    "{{ $d := dict \"a\" 1 }}{{ $_ := set $d \"c\" 3 }}{{ $d }} {{ $_ := unset $d \"a\" }}{{ $d }} {{ $e := $d }}{{ $_ := set $e \"z\" 0 }}{{ $d }}",
    "{{ $dst := dict \"a\" 1 }}{{ $_ := merge $dst (dict \"b\" 2) }}{{ $dst }} {{ $c := deepCopy $dst }}{{ $_ := set $c \"q\" 1 }}{{ $dst }}",
    "{{ $_ := set .Values \"added\" \"yes\" }}{{ .Values.added }}",
    "{{ hasKey .Values.missing \"a\" }}",
    "{{ $m := .Values.missing }}{{ hasKey $m \"a\" }} {{ get $m \"a\" }} {{ keys $m }} {{ .Values.missing | keys }} {{ hasKey (index .Values \"missing\") \"a\" }}",
    "{{ set .Values.missing \"a\" 1 }}",
    // types
    "{{ typeOf .Values.port }} {{ typeOf .Values.name }} {{ typeOf .Values.list }} {{ typeOf .Values.map }} {{ typeOf 1 }} {{ typeOf (add 1 1) }} {{ typeOf .Values.t }}",
    "{{ kindOf .Values.port }} {{ kindOf .Values.list }} {{ kindOf .Values.map }} {{ kindIs \"string\" .Values.name }} {{ typeIs \"float64\" .Values.port }} {{ deepEqual .Values.list .Values.list }}",
    // regex and semver
    "{{ regexMatch \"^w.b$\" .Values.name }} {{ regexFind \"[0-9]+\" \"ab123cd45\" }} {{ regexFindAll \"[0-9]+\" \"a1b22c333\" -1 }} {{ regexFindAll \"[0-9]\" \"123\" 2 }}",
    "{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\" }} {{ regexReplaceAllLiteral \"a\" \"banana\" \"$1\" }} {{ regexSplit \",\" \"a,b,c\" -1 }} {{ regexQuoteMeta \"a.b\" }}",
    "{{ semverCompare \">=1.21-0\" .Values.version }} {{ semverCompare \">=1.21\" .Values.version }} {{ semverCompare \"^1.2\" \"1.9.0\" }} {{ semverCompare \"~1.2\" \"1.3.0\" }} {{ semverCompare \"1.2.x\" \"1.2.7\" }} {{ semverCompare \"<1.19 || >=1.25\" \"1.30.0\" }}",
    "{{ (semver \"1.2.3-beta+b1\").Major }} {{ (semver \"v2.5\").Minor }} {{ (semver \"1.2.3-beta\").Prerelease }}",
    // YAML and JSON
    "{{ toYaml .Values.map }}\n---\n{{ toYaml .Values.list }}\n---\n{{ toYaml .Values.multi }}",
    "{{ toYaml (dict \"s\" \"yes\" \"n\" \"42\" \"e\" \"\" \"c\" \"a: b\" \"h\" \"#x\" \"t\" \"2024-01-01\" \"f\" 1.5 \"b\" true \"z\" nil \"l\" (list) \"m\" (dict)) }}",
    "{{ toJson .Values.map }} {{ toJson .Values.html }} {{ toJson .Values.big }} {{ toPrettyJson (dict \"a\" (list 1 2)) }} {{ toRawJson .Values.html }}",
    "{{ (fromJson .Values.json).b.c }} {{ hasKey (fromJson \"not json\") \"Error\" }} {{ fromJsonArray \"[1,\\\"a\\\"]\" }}",
    "{{ fromYaml \"a: 1\\nb: 0\\na: 2\\n\" }}",
    "{{ (fromYaml .Values.yaml).b }} {{ fromYaml \": bad: [\" | len }} {{ fromYamlArray \"- a\\n- 1\\n\" }} {{ (fromYaml \"p: 0755\").p }}",
    // Helm
    "{{ tpl .Values.tpl . }} {{ tpl \"{{ .name }}\" .Values }}",
    "{{ required \"need name\" .Values.name }}",
    "{{ lookup \"v1\" \"Secret\" \"ns\" \"name\" }} {{ (lookup \"v1\" \"Secret\" \"ns\" \"name\").data | default \"none\" }}",
    "{{ now | date \"2006-01-02T15:04:05Z07:00\" }} {{ date \"Jan 2, 2006\" now }}",
    "{{ .Release.Name }} {{ .Release.Namespace }} {{ .Chart.Name }} {{ .Chart.Version }}",
    "{{ base \"a/b/c.txt\" }} {{ dir \"a/b/c.txt\" }} {{ ext \"a/b/c.txt\" }} {{ clean \"a/../b/./c\" }} {{ isAbs \"/x\" }}",
    // errors: both must fail
    "{{ .Values.missing.deeper }}",
    "{{ required \"need it\" .Values.missing }}",
    "{{ fail \"stop here\" }}",
    "{{ eq .Values.port 8080 }}",
    "{{ indent .Values.port \"x\" }}",
    "{{ upper .Values.port }}",
    "{{ index .Values.list 10 }}",
    "{{ template \"nope\" }}",
];

#[test]
fn generated_templates_render_byte_for_byte_as_go_and_sprig_do() {
    let Some(bin) = reference() else { return };
    let values: serde_json::Value = serde_json::from_str(VALUES).expect("values JSON");
    let data_json = serde_json::json!({
        "Values": values,
        "Release": {"Name": "release-name", "Namespace": "default", "IsInstall": true, "Service": "Helm"},
        "Chart": {"Name": "demo", "Version": "0.1.0", "AppVersion": "1.0"},
        "Capabilities": {"KubeVersion": {"Version": "v1.32.0"}},
        "Template": {"Name": "demo/templates/case.yaml", "BasePath": "demo/templates"},
    });
    let data = data_json.to_string();
    let mut templates = serde_json::Map::new();
    let mut renders = Vec::new();
    for (i, case) in CASES.iter().enumerate() {
        let name = format!("case{i:03}");
        templates.insert(name.clone(), serde_json::Value::String(case.to_string()));
        renders.push(serde_json::json!({"name": name, "data": data_json.clone(), "files": {}, "apiVersions": []}));
    }
    let theirs = run_reference(
        &bin,
        &serde_json::json!({"templates": templates, "renders": renders}),
    );
    let all: Vec<(String, String)> = CASES
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("case{i:03}"), c.to_string()))
        .collect();
    let (mut same, mut both_fail) = (0, 0);
    let mut mismatches = Vec::new();
    for (name, text) in &all {
        let ours = testing::render_text(&all, name, &data);
        let t = &theirs[name];
        let their_err = t["err"].as_str().unwrap_or("");
        let their_out = t["out"].as_str().unwrap_or("");
        match ours {
            Ok(o) if their_err.is_empty() && o == their_out => same += 1,
            Err(_) if !their_err.is_empty() => both_fail += 1,
            Ok(o) => mismatches.push(format!(
                "{text}\n  ours:      {o:?}\n  reference: {their_out:?} {their_err}"
            )),
            Err(e) => mismatches.push(format!(
                "{text}\n  ours failed: {e}\n  reference: {their_out:?}"
            )),
        }
    }
    eprintln!(
        "helm differential (generated): {} templates, {same} identical byte for byte, {both_fail} fail in both",
        CASES.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} of {} differ:\n{}",
        mismatches.len(),
        CASES.len(),
        mismatches.join("\n\n")
    );
}

/// Real-world charts (not in the repository): `HELM_REALWORLD=DIR` renders
/// every chart under DIR with both engines and prints the figures; without
/// the variable it does nothing. `cargo test -p seamcheck-helm --test
/// differential realworld -- --nocapture`.
#[test]
fn realworld_charts_when_asked() {
    let Ok(root) = std::env::var("HELM_REALWORLD") else {
        return;
    };
    let Some(bin) = reference() else { return };
    let tree = DirTree(PathBuf::from(&root));
    let mut dirs = Vec::new();
    let mut stack = vec![(PathBuf::from(&root), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        // A chart, unless it is a subchart (in `charts/` of a chart).
        let is_sub = dir.parent().is_some_and(|p| {
            p.file_name().is_some_and(|n| n == "charts")
                && p.parent().is_some_and(|c| c.join("Chart.yaml").is_file())
        });
        if dir.join("Chart.yaml").is_file() && !is_sub {
            dirs.push(rel.clone());
        }
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                let name = e.file_name().to_string_lossy().into_owned();
                stack.push((
                    e.path(),
                    if rel.is_empty() {
                        name
                    } else {
                        format!("{rel}/{name}")
                    },
                ));
            }
        }
    }
    dirs.sort();
    let (mut total, mut ours_ok, mut identical, mut exact, mut both_fail) = (0, 0, 0, 0, 0);
    let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
    let mut mismatches = Vec::new();
    let started = std::time::Instant::now();
    let mut ours_time = std::time::Duration::ZERO;
    for dir in &dirs {
        let t0 = std::time::Instant::now();
        let Some(job) = testing::chart_job(&tree, dir) else {
            continue;
        };
        ours_time += t0.elapsed();
        let templates: serde_json::Map<String, serde_json::Value> = job
            .templates
            .iter()
            .map(|(n, t)| (n.clone(), serde_json::Value::String(t.clone())))
            .collect();
        let renders: Vec<serde_json::Value> = job
            .cases
            .iter()
            .map(|c| {
                serde_json::json!({
                    "name": c.name,
                    "data": serde_json::from_str::<serde_json::Value>(&c.data_json).unwrap_or_default(),
                    "files": c.files.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect::<serde_json::Map<String, serde_json::Value>>(),
                    "apiVersions": seamcheck_helm::render_api_versions(),
                })
            })
            .collect();
        let theirs = run_reference(
            &bin,
            &serde_json::json!({"templates": templates, "renders": renders}),
        );
        for c in &job.cases {
            total += 1;
            let t = &theirs.get(&c.name).cloned().unwrap_or_default();
            let their_err = t["err"].as_str().unwrap_or("");
            let their_out = t["out"].as_str().unwrap_or("");
            match &c.ours {
                Ok(o) => {
                    ours_ok += 1;
                    if their_err.is_empty() && normalize(o) == normalize(their_out) {
                        identical += 1;
                        exact += usize::from(o == their_out);
                    } else {
                        let first = o.lines().zip(their_out.lines()).find(|(a, b)| a != b);
                        mismatches.push(format!("{}: ours {} bytes, reference {} bytes {their_err}; first difference: {first:?}", c.name, o.len(), their_out.len()));
                    }
                }
                Err(e) => {
                    let reason: String =
                        e.split(':').next().unwrap_or(e).chars().take(80).collect();
                    *reasons.entry(reason).or_default() += 1;
                    if !their_err.is_empty() {
                        both_fail += 1;
                    } else {
                        mismatches.push(format!("{}: we failed ({e}), reference rendered", c.name));
                    }
                }
            }
        }
    }
    eprintln!(
        "realworld: {} charts, {total} templates; we render {ours_ok}; {identical} identical to the reference after YAML normalization ({exact} byte for byte); {both_fail} fail in both; {} differ; our render time {:?} of {:?}",
        dirs.len(),
        mismatches.len(),
        ours_time,
        started.elapsed()
    );
    for (r, n) in &reasons {
        eprintln!("  failure {n:4} x {r}");
    }
    for m in mismatches.iter().take(40) {
        eprintln!("  differs: {m}");
    }
}
