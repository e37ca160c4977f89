//! A hostile repository against seamcheck's reads, writes and printing, end
//! to end through the binary. Every tree is generated at test time in a
//! temporary directory, beside a canary file and a canary link outside it
//! that must never be read or written. Unix only (links, FIFOs, devices,
//! non-UTF-8 names); the device cases need root and are skipped otherwise.
#![cfg(unix)]

use seamcheck::report::escape::has_raw_control;
use serde_json::Value;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{symlink, FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longer than any audit here on a loaded 2-core machine; a stall (a FIFO
/// read, `/dev/zero`) is killed at this point and fails the test.
const TIMEOUT: Duration = Duration::from_secs(120);

const CANARY: &str = "CANARY-7f3a do not read me";

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// Runs the binary in `cwd` with a deadline.
fn run_in(cwd: &Path, args: &[&OsStr]) -> Run {
    run_as(cwd, args, None)
}

/// [`run_in`], as user and group `uid` when given (needs root).
fn run_as(cwd: &Path, args: &[&OsStr], uid: Option<u32>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_seamcheck"));
    if let Some(id) = uid {
        use std::os::unix::process::CommandExt;
        command.uid(id).gid(id);
    }
    let mut child = command
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the seamcheck binary runs");
    // Drained while the child runs: a full pipe would block it.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let start = Instant::now();
    let status;
    loop {
        if let Ok(Some(s)) = child.try_wait() {
            status = s;
            break;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("seamcheck {args:?} stalled for {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().unwrap_or_default(),
        stderr: String::from_utf8_lossy(&stderr.join().unwrap_or_default()).into_owned(),
    }
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("create the fixture directory");
    }
    fs::write(path, bytes).expect("write a fixture file");
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("no NUL");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

/// A service whose Dockerfile has findings with snippets (root user, no
/// healthcheck) and a manifest with more.
const DOCKERFILE: &str = "FROM alpine:3.20\nCMD [\"sleep\", \"1\"]\n";

/// A sandbox: `repo/` (the audited tree) and, outside it, a canary file and
/// a canary link pointing at it.
struct Sandbox {
    _dir: tempfile::TempDir,
    top: PathBuf,
    repo: PathBuf,
    canary: PathBuf,
    canary_link: PathBuf,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        let top = dir.path().to_path_buf();
        let repo = top.join("repo");
        fs::create_dir_all(&repo).expect("repo");
        let canary = top.join("canary");
        write(&canary, CANARY);
        let canary_link = top.join("canary-link");
        symlink(&canary, &canary_link).expect("canary link");
        Sandbox {
            _dir: dir,
            top,
            repo,
            canary,
            canary_link,
        }
    }

    /// The canary is untouched and its link still a link to it.
    fn check_canaries(&self) {
        assert_eq!(
            fs::read_to_string(&self.canary).ok().as_deref(),
            Some(CANARY)
        );
        let meta = fs::symlink_metadata(&self.canary_link).expect("canary link");
        assert!(meta.file_type().is_symlink());
        assert_eq!(
            fs::read_link(&self.canary_link).ok(),
            Some(self.canary.clone())
        );
    }

    fn audit(&self, extra: &[&OsStr]) -> Run {
        let mut args = vec![os("audit"), self.repo.as_os_str()];
        args.extend_from_slice(extra);
        run_in(&self.top, &args)
    }
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}", String::from_utf8_lossy(bytes)))
}

// ---------------------------------------------------------------- outputs

/// Before: `--output /dev/null` as root renamed a regular file over the
/// device node. Now a character device is written in place.
#[test]
fn output_onto_a_character_device_keeps_the_device() {
    let sb = Sandbox::new();
    write(&sb.repo.join("Dockerfile"), DOCKERFILE);
    if is_root() {
        // A null device of our own, then the machine's.
        let dev = sb.top.join("null");
        let c = std::ffi::CString::new(dev.as_os_str().as_bytes()).expect("no NUL");
        // SAFETY: a valid path; makedev(1, 3) is the null device.
        let made = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) };
        assert_eq!(made, 0, "mknod");
        let run = sb.audit(&[os("--output"), dev.as_os_str()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(fs::symlink_metadata(&dev)
            .expect("dev")
            .file_type()
            .is_char_device());
    }
    for dev in ["/dev/null", "/dev/stdout"] {
        if !Path::new(dev).exists() {
            continue;
        }
        let run = sb.audit(&[os("--format"), os("json"), os("--output"), os(dev)]);
        assert_eq!(run.code, 0, "{dev}: {}", run.stderr);
        let meta = fs::metadata("/dev/null").expect("/dev/null");
        assert!(meta.file_type().is_char_device(), "/dev/null replaced");
        if dev == "/dev/stdout" {
            // Written to the process's own stdout (here a pipe).
            assert!(!json(&run.stdout)["version"].is_null());
        }
    }
    sb.check_canaries();
}

/// Before: a FIFO destination was replaced by a regular file. Now it is
/// written in place, to the reader at its other end.
#[test]
fn output_onto_a_fifo_is_written_to_the_reader() {
    let sb = Sandbox::new();
    write(&sb.repo.join("Dockerfile"), DOCKERFILE);
    let fifo = sb.top.join("pipe");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).expect("read the FIFO"))
    };
    let run = sb.audit(&[os("--format"), os("json"), os("--output"), fifo.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let got = reader.join().expect("reader");
    assert!(json(&got)["findings"].is_array());
    assert!(fs::symlink_metadata(&fifo)
        .expect("fifo")
        .file_type()
        .is_fifo());
    sb.check_canaries();
}

/// Before: the link the user named was replaced by a regular file, and a
/// 0600 report became 0644. Now the link's target is written (the link
/// stays) and an existing file keeps its mode.
#[test]
fn output_through_a_named_link_and_with_its_mode_kept() {
    let sb = Sandbox::new();
    write(&sb.repo.join("Dockerfile"), DOCKERFILE);
    let target = sb.top.join("reports/real.json");
    write(&target, "old");
    fs::set_permissions(&target, fs::Permissions::from_mode(0o600)).expect("chmod");
    let link = sb.top.join("report.json");
    symlink("reports/real.json", &link).expect("link");
    let run = sb.audit(&[os("--format"), os("json"), os("--output"), link.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fs::symlink_metadata(&link)
        .expect("link")
        .file_type()
        .is_symlink());
    let meta = fs::metadata(&target).expect("target");
    assert_eq!(meta.permissions().mode() & 0o7777, 0o600);
    assert!(json(&fs::read(&target).expect("report"))["findings"].is_array());

    // `--report` and `--write-baseline` go through the same writer.
    let sarif = sb.top.join("out.sarif");
    write(&sarif, "old");
    fs::set_permissions(&sarif, fs::Permissions::from_mode(0o640)).expect("chmod");
    let baseline = sb.top.join("baseline.json");
    write(&baseline, "old");
    fs::set_permissions(&baseline, fs::Permissions::from_mode(0o600)).expect("chmod");
    let report = OsString::from(format!("sarif={}", sarif.display()));
    let run = sb.audit(&[
        os("--report"),
        &report,
        os("--write-baseline"),
        baseline.as_os_str(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o7777;
    assert_eq!(mode(&sarif), 0o640);
    assert_eq!(mode(&baseline), 0o600);
    json(&fs::read(&sarif).expect("sarif"));
    sb.check_canaries();
}

/// Before: the temporary file `.NAME.seamcheck-PID.tmp` did not fit beside
/// a 255-byte NAME (ENAMETOOLONG). Now the longest valid name works.
#[test]
fn a_255_byte_output_name_works() {
    let sb = Sandbox::new();
    write(&sb.repo.join("Dockerfile"), DOCKERFILE);
    let name = format!("{}.json", "r".repeat(250));
    assert_eq!(name.len(), 255);
    let out = sb.top.join(&name);
    let run = sb.audit(&[os("--format"), os("json"), os("--output"), out.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(json(&fs::read(&out).expect("report"))["findings"].is_array());
    // No temporary file is left behind.
    let left: Vec<_> = fs::read_dir(&sb.top)
        .expect("list")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Before: a link planted at the temporary name (`.NAME.seamcheck-PID.tmp`,
/// both parts guessable) inside the audited tree made the writer overwrite
/// the link's target, and the output itself became that link. Now the
/// temporary file is created `O_EXCL` under a random name: every planted
/// name is left alone.
#[test]
fn a_link_planted_at_the_temporary_name_is_not_followed() {
    let sb = Sandbox::new();
    let out_dir = sb.repo.join("out");
    fs::create_dir_all(&out_dir).expect("out");
    let pid = std::process::id();
    let planted = [
        format!(".report.json.seamcheck-{pid}.tmp"),
        ".seamcheck.tmp".to_string(),
        "report.json.tmp".to_string(),
    ];
    for name in &planted {
        symlink(&sb.canary, out_dir.join(name)).expect("plant");
    }
    let out = out_dir.join("report.json");
    seamcheck::report::write_atomic(&out, b"{\"ok\": true}\n").expect("write");
    assert_eq!(fs::read(&out).expect("out"), b"{\"ok\": true}\n");
    assert!(fs::symlink_metadata(&out)
        .expect("out")
        .file_type()
        .is_file());
    for name in &planted {
        let meta = fs::symlink_metadata(out_dir.join(name)).expect("planted");
        assert!(meta.file_type().is_symlink(), "{name}");
    }
    sb.check_canaries();
}

// ----------------------------------------------------------------- inputs

/// A directory named with a byte that is not UTF-8, holding a Dockerfile
/// with findings, and beside it what its lossy name (`x\u{FFFD}`) names.
fn lossy_trap(sb: &Sandbox, decoy: impl Fn(&Path)) {
    let raw = sb.repo.join(OsStr::from_bytes(b"x\xff"));
    write(&raw.join("Dockerfile"), DOCKERFILE);
    decoy(&sb.repo.join("x\u{FFFD}"));
}

/// Before: the human report re-read a finding's file by its lossily
/// converted path, so a link named like the lossy form printed another
/// file (here outside the tree) as the snippet, `/dev/zero` was read until
/// memory ran out, and a FIFO blocked the run. Now snippets come from the
/// file analysed, by the same confined route, and must be its bytes.
#[test]
fn snippets_never_come_from_what_a_lossy_path_names() {
    type Decoy = Box<dyn Fn(&Sandbox, &Path)>;
    let decoys: [(&str, Decoy); 3] = [
        (
            "link out of the tree",
            Box::new(|sb: &Sandbox, lossy: &Path| {
                let outside = sb.top.join("elsewhere");
                write(&outside.join("Dockerfile"), CANARY);
                symlink(&outside, lossy).expect("link");
            }),
        ),
        (
            "/dev/zero",
            Box::new(|_: &Sandbox, lossy: &Path| {
                fs::create_dir_all(lossy).expect("dir");
                symlink("/dev/zero", lossy.join("Dockerfile")).expect("link");
            }),
        ),
        (
            "FIFO",
            Box::new(|_: &Sandbox, lossy: &Path| {
                fs::create_dir_all(lossy).expect("dir");
                mkfifo(&lossy.join("Dockerfile"));
            }),
        ),
    ];
    for (what, decoy) in &decoys {
        let sb = Sandbox::new();
        lossy_trap(&sb, |lossy| decoy(&sb, lossy));
        let run = sb.audit(&[os("--color"), os("never")]);
        let out = run.out();
        assert_eq!(run.code, 0, "{what}: {}\n{out}", run.stderr);
        assert!(!out.contains(CANARY), "{what}: {out}");
        // The real file's snippet is drawn, under its escaped name.
        assert!(out.contains("x\\xff/Dockerfile"), "{what}: {out}");
        assert!(out.contains("FROM alpine:3.20"), "{what}: {out}");
        sb.check_canaries();
    }
}

/// Before: directories whose names differ only in non-UTF-8 bytes collided
/// after lossy conversion; all but one Dockerfile was dropped, and which
/// one survived varied between runs. Now each has its own escaped report
/// path, and 20 runs print the same report.
#[test]
fn names_colliding_after_lossy_conversion_are_all_audited_deterministically() {
    let sb = Sandbox::new();
    for (raw, port) in [
        (&b"svc\xff"[..], 8080),
        (b"svc\xfe", 8081),
        (b"svc\xfd", 8082),
    ] {
        let dir = sb.repo.join(OsStr::from_bytes(raw));
        write(
            &dir.join("Dockerfile"),
            format!("FROM alpine:3.20\nEXPOSE {port}\nCMD [\"sleep\", \"1\"]\n"),
        );
    }
    let first = sb.audit(&[os("--format"), os("json")]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let report = json(&first.stdout);
    let mut paths: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["location"]["path"].as_str().map(str::to_string))
        .collect();
    paths.sort();
    paths.dedup();
    assert_eq!(
        paths,
        [
            "svc\\xfd/Dockerfile",
            "svc\\xfe/Dockerfile",
            "svc\\xff/Dockerfile"
        ]
    );
    for _ in 1..20 {
        let again = sb.audit(&[os("--format"), os("json")]);
        assert_eq!(again.stdout, first.stdout);
    }
    // SARIF names each file by its raw bytes, percent-encoded.
    let sarif = json(&sb.audit(&[os("--format"), os("sarif")]).stdout);
    let uris = uris(&sarif);
    for raw in [
        "svc%FF/Dockerfile",
        "svc%FE/Dockerfile",
        "svc%FD/Dockerfile",
    ] {
        assert!(uris.iter().any(|u| u == raw), "{uris:?}");
    }
}

fn uris(sarif: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for r in sarif["runs"][0]["results"].as_array().into_iter().flatten() {
        for l in r["locations"].as_array().into_iter().flatten() {
            if let Some(u) = l["physicalLocation"]["artifactLocation"]["uri"].as_str() {
                out.push(u.to_string());
            }
        }
    }
    out
}

/// Before: `.seamcheck.toml` was followed through a link out of the root
/// (its keys echoed in the error) and read without a cap (a sparse 6 GiB
/// file aborted the run). Now a link is refused without reading it, a FIFO
/// or a file over 1 MiB is an error (exit 2) quoting nothing of it.
#[test]
fn the_configuration_in_the_root_is_confined_and_capped() {
    let sb = Sandbox::new();
    write(&sb.repo.join("Dockerfile"), DOCKERFILE);
    let secret = sb.top.join("secret.toml");
    write(&secret, "[canary-secret-key]\nx = 1\n");
    let config = sb.repo.join(".seamcheck.toml");
    symlink(&secret, &config).expect("link");
    let run = sb.audit(&[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert!(!run.stderr.contains("canary"), "{}", run.stderr);

    fs::remove_file(&config).expect("rm");
    mkfifo(&config);
    let run = sb.audit(&[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);

    fs::remove_file(&config).expect("rm");
    let sparse = fs::File::create(&config).expect("create");
    sparse.set_len(6 << 30).expect("sparse 6 GiB");
    let run = sb.audit(&[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("larger than the"), "{}", run.stderr);

    // A key with a control sequence is quoted visibly.
    fs::remove_file(&config).expect("rm");
    write(&config, "\"k\\u001b]0;x\\u0007\" = 1\n");
    let run = sb.audit(&[]);
    assert_eq!(run.code, 2);
    assert!(!has_raw_control(&run.stderr), "{:?}", run.stderr);
    sb.check_canaries();
}

/// Before: `--baseline` and `--config` were read whole whatever they were
/// (`/dev/zero` until memory ran out, a FIFO blocked). Now, though trusted
/// paths, they must be regular files under a cap.
#[test]
fn explicit_config_and_baseline_are_regular_and_capped() {
    let sb = Sandbox::new();
    write(&sb.repo.join("Dockerfile"), DOCKERFILE);
    let fifo = sb.top.join("fifo");
    mkfifo(&fifo);
    let sparse = sb.top.join("sparse");
    fs::File::create(&sparse)
        .and_then(|f| f.set_len(6 << 30))
        .expect("sparse");
    for flag in ["--baseline", "--config"] {
        for path in [Path::new("/dev/zero"), &fifo, &sparse] {
            let run = sb.audit(&[os(flag), path.as_os_str()]);
            assert_eq!(run.code, 2, "{flag} {}: {}", path.display(), run.stderr);
        }
    }
    // Outside the root is fine for a path the user names.
    let config = sb.top.join("team.toml");
    write(&config, "[rules]\nruns-as-root = \"off\"\n");
    let run = sb.audit(&[os("--config"), config.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// Before: `seamcheck ../a/x ../a/y` reported `a/x` (the `..` lost), and
/// the human report drew its snippet from `./a/x`, another file. Now the
/// path keeps its `..` and the snippet is the audited file's.
#[test]
fn paths_above_the_current_directory_keep_their_dots() {
    let sb = Sandbox::new();
    let a = sb.top.join("a/svc");
    write(&a.join("Dockerfile"), DOCKERFILE);
    write(
        &a.join("k8s/deploy.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {selector: {app: svc}, ports: [{port: 80}]}\n",
    );
    let cwd = sb.top.join("b");
    write(
        &cwd.join("a/svc/Dockerfile"),
        format!("FROM busybox:1.36 # {CANARY}\n"),
    );
    let args = [
        os("audit"),
        os("../a/svc/Dockerfile"),
        os("../a/svc/k8s/deploy.yaml"),
        os("--color"),
        os("never"),
    ];
    let run = run_in(&cwd, &args);
    let out = run.out();
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert!(out.contains("../a/svc/Dockerfile"), "{out}");
    assert!(!out.contains(CANARY), "{out}");
    assert!(out.contains("FROM alpine:3.20"), "{out}");
    let mut json_args = args.to_vec();
    json_args.truncate(3);
    json_args.extend([os("--format"), os("json")]);
    let report = json(&run_in(&cwd, &json_args).stdout);
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["location"]["path"].as_str())
        .collect();
    assert!(!paths.is_empty());
    assert!(
        paths.iter().all(|p| p.starts_with("../a/svc/")),
        "{paths:?}"
    );
}

// ------------------------------------------------------------- printing

/// A manifest whose names carry a newline followed by a workflow command,
/// OSC and CSI sequences, a C1 CSI and a bidi override; a Dockerfile whose
/// text carries an OSC; a top-level directory named `file:`; a Markdown
/// image and link in a value.
fn hostile_printing_tree(sb: &Sandbox) {
    write(
        &sb.repo.join("Dockerfile"),
        "FROM alpine:3.20\n# \u{1b}]0;owned\u{7} \u{1b}[2J\nCMD [\"sleep\", \"1\"]\n",
    );
    write(
        &sb.repo.join("k8s/deploy.yaml"),
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: "web\n::error file=a,line=1::injected\e]8;;http://x\a\x9b31m\u202E"
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: "c\r\n##[error]old-injected ![img](http://evil.example/p.png) [l](http://evil.example) `tick` @someone #1"
          image: "registry.example.com/web:1.0"
"#,
    );
    write(
        &sb.repo.join("file:/etc/passwd.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: p}\nspec:\n  selector: {matchLabels: {app: p}}\n  template:\n    metadata: {labels: {app: p}}\n    spec:\n      containers: [{name: p, image: \"registry.example.com/p:1.0\"}]\n",
    );
}

/// No line of `text` starts a workflow command, except `own` ones.
fn assert_no_command_lines(what: &str, text: &str, own: impl Fn(&str) -> bool) {
    for line in text.lines() {
        let t = line.trim_start();
        if own(line) {
            continue;
        }
        assert!(!t.starts_with("::"), "{what}: command line {line:?}");
        assert!(!line.contains("##["), "{what}: old-style command {line:?}");
    }
}

/// Before: a value with `\n::error …` started a workflow command in human
/// and graph output, an OSC survived `--color never`, Markdown rendered a
/// value as an image and link, and a `file:` directory gave the SARIF URI
/// `file:/etc/passwd.yaml`. Now every format escapes for its sink.
#[test]
fn every_format_escapes_repository_text_for_its_sink() {
    let sb = Sandbox::new();
    hostile_printing_tree(&sb);
    let mut findings = 0;
    for format in ["json", "sarif", "gitlab", "github", "markdown", "human"] {
        let colors: &[&str] = if format == "human" {
            &["never", "always"]
        } else {
            &["never"]
        };
        for color in colors {
            let run = sb.audit(&[os("--format"), os(format), os("--color"), os(color)]);
            assert_eq!(run.code, 0, "{format}: {}", run.stderr);
            let out = run.out();
            assert!(!out.is_empty());
            let stripped = if *color == "always" {
                strip_sgr(&out)
            } else {
                out.clone()
            };
            assert!(
                !has_raw_control(&stripped),
                "{format} --color {color}: {stripped:?}"
            );
            match format {
                "json" => {
                    findings = json(&run.stdout)["findings"].as_array().map_or(0, Vec::len);
                }
                "sarif" => {
                    let sarif = json(&run.stdout);
                    let uris = uris(&sarif);
                    assert!(
                        uris.iter().any(|u| u == "file%3A/etc/passwd.yaml"),
                        "{uris:?}"
                    );
                    for u in &uris {
                        let scheme = u.split_once(':').is_some_and(|(s, _)| !s.contains('/'));
                        assert!(!scheme, "{u}");
                    }
                }
                "gitlab" => {
                    json(&run.stdout);
                }
                "github" => {
                    let own = |l: &str| {
                        ["::error file=", "::warning file=", "::notice file="]
                            .iter()
                            .any(|p| l.starts_with(p))
                    };
                    assert_eq!(out.lines().filter(|l| own(l)).count(), findings);
                    assert_no_command_lines(format, &out, own);
                }
                "markdown" => {
                    // Outside code spans and backslash escapes, no link,
                    // image, raw HTML or mention is left in the findings.
                    for line in out.lines().filter(|l| l.trim_start().starts_with("- ")) {
                        let bare = markdown_bare_text(line);
                        for bad in ["](", "![", "<", "@someone"] {
                            assert!(!bare.contains(bad), "{bad} in {line:?} ({bare:?})");
                        }
                    }
                    assert_no_command_lines(format, &out, |_| false);
                }
                _ => assert_no_command_lines(format, &out, |_| false),
            }
        }
    }
    assert!(findings > 0);
    for format in ["text", "dot", "mermaid", "json"] {
        let run = run_in(
            &sb.top,
            &[os("graph"), sb.repo.as_os_str(), os("--format"), os(format)],
        );
        assert_eq!(run.code, 0, "graph {format}: {}", run.stderr);
        let out = run.out();
        assert!(!has_raw_control(&out), "graph {format}: {out:?}");
        assert_no_command_lines(&format!("graph {format}"), &out, |_| false);
        if format == "json" {
            json(&run.stdout);
        }
    }
    sb.check_canaries();
}

/// A Markdown line without its code spans and backslash-escaped characters:
/// what a renderer would interpret.
fn markdown_bare_text(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                // The closing run of exactly the same length.
                let mut j = i + run;
                let mut close = None;
                while j < chars.len() {
                    if chars[j] == '`' {
                        let r = chars[j..].iter().take_while(|&&c| c == '`').count();
                        if r == run {
                            close = Some(j + r);
                            break;
                        }
                        j += r;
                    } else {
                        j += 1;
                    }
                }
                match close {
                    Some(end) => i = end,
                    None => {
                        out.extend(&chars[i..i + run]);
                        i += run;
                    }
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// `ESC [ params m`, the colour codes seamcheck itself prints.
fn strip_sgr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('\u{1b}') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let sgr_len = after.strip_prefix('[').and_then(|p| {
            let n = p.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
            (p[n..].starts_with('m')).then_some(n + 2)
        });
        match sgr_len {
            Some(n) => rest = &after[n..],
            None => {
                out.push('\u{1b}');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

// ------------------------------------------------- report writers, fuzzed

mod writers {
    use proptest::prelude::*;
    use seamcheck::audit::Audit;
    use seamcheck::discover::Skipped;
    use seamcheck::finding::{Finding, Severity};
    use seamcheck::report::escape::has_raw_control;
    use seamcheck::report::{self, Format, RenderOptions};
    use seamcheck_facts::LineIndex;

    /// Text that is mostly the dangerous characters.
    fn hostile() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "\n",
            "\r",
            "\r\n",
            "\u{1b}",
            "\u{1b}]0;t\u{7}",
            "\u{1b}[2J",
            "\u{9b}",
            "\u{85}",
            "\u{202e}",
            "\u{7f}",
            "\0",
            "::error::x",
            "##[error]",
            "%",
            "%0A",
            ":",
            ",",
            "`",
            "``",
            "|",
            "[a](http://e)",
            "![i](x)",
            "<b>",
            "&",
            "\\",
            "\"",
            "*",
            "_",
            "#1",
            "@u",
            "www.e.com",
            "file:",
            "é",
            " ",
            "a",
        ]);
        prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
    }

    fn audit(message: &str, path: &str, help: &str, service: &str) -> Audit {
        let path = if path.is_empty() { "x" } else { path };
        let text = "line one\nline two\n";
        let idx = LineIndex::new(path, text);
        let mut f = Finding::new("runs-as-root", Severity::Error, idx.location(0..4), message)
            .label(message);
        f.help = Some(help.to_string());
        f.service = Some(service.to_string());
        let other = LineIndex::new(format!("{path}/{service}"), text);
        let f = f.related(&other.location(9..13), message);
        Audit {
            root: ".".into(),
            root_display: ".".into(),
            files: Vec::new(),
            files_analysed: 1,
            skipped: vec![Skipped {
                rel: path.to_string(),
                reason: message.to_string(),
            }],
            link_notes: Vec::new(),
            services: Vec::new(),
            findings: vec![f],
            suppressed: Vec::new(),
            sources: Default::default(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn every_format_is_clean_and_parses(
            message in hostile(), path in hostile(), help in hostile(), service in hostile()
        ) {
            let a = audit(&message, &path, &help, &service);
            for (name, format) in Format::ALL {
                for color in [false, true] {
                    let opts = RenderOptions { color, ..RenderOptions::default() };
                    let out = report::render(&a, *format, &opts);
                    let plain = if color { super::strip_sgr(&out) } else { out.clone() };
                    prop_assert!(!has_raw_control(&plain), "{name}: {out:?}");
                    for line in out.lines() {
                        let own = *name == "github" && line.starts_with("::error file=");
                        prop_assert!(own || !line.trim_start().starts_with("::"), "{name}: {line:?}");
                        prop_assert!(own || !line.contains("##["), "{name}: {line:?}");
                    }
                    if matches!(*name, "json" | "sarif" | "gitlab") {
                        prop_assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok(), "{name}");
                    }
                    if *name == "github" {
                        prop_assert_eq!(out.lines().filter(|l| l.starts_with("::")).count(), 1);
                    }
                }
            }
        }
    }
}

/// `init` writes `.seamcheck.toml` found in a directory, not named by the
/// user: a link planted there is refused, never written through.
#[test]
fn init_does_not_write_through_a_planted_link() {
    let sb = Sandbox::new();
    symlink(&sb.canary, sb.repo.join(".seamcheck.toml")).expect("plant");
    let run = run_in(&sb.top, &[os("init"), sb.repo.as_os_str(), os("--force")]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    sb.check_canaries();
}

/// The same promises hold for an unprivileged user (root only: it needs to
/// switch to `nobody`'s uid 65534; skipped otherwise).
#[test]
fn an_unprivileged_user_gets_the_same_guarantees() {
    if !is_root() {
        return;
    }
    let sb = Sandbox::new();
    lossy_trap(&sb, |lossy| {
        let outside = sb.top.join("elsewhere");
        write(&outside.join("Dockerfile"), CANARY);
        symlink(&outside, lossy).expect("link");
    });
    let out = sb.top.join("out");
    fs::create_dir_all(&out).expect("out");
    let report = out.join("report.json");
    write(&report, "old");
    // The sandbox is readable by all, the output directory writable by all.
    let mut stack = vec![sb.top.clone()];
    while let Some(p) = stack.pop() {
        let meta = fs::symlink_metadata(&p).expect("meta");
        if meta.file_type().is_symlink() {
            continue;
        }
        let mode = if meta.is_dir() { 0o755 } else { 0o644 };
        fs::set_permissions(&p, fs::Permissions::from_mode(mode)).expect("chmod");
        if meta.is_dir() {
            stack.extend(fs::read_dir(&p).expect("list").flatten().map(|e| e.path()));
        }
    }
    fs::set_permissions(&out, fs::Permissions::from_mode(0o777)).expect("chmod");
    fs::set_permissions(&report, fs::Permissions::from_mode(0o666)).expect("chmod");
    let args = [
        os("audit"),
        sb.repo.as_os_str(),
        os("--color"),
        os("never"),
        os("--report"),
        &OsString::from(format!("json={}", report.display())),
    ];
    let run = run_as(&sb.top, &args, Some(65534));
    let text = run.out();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!text.contains(CANARY), "{text}");
    assert!(text.contains("FROM alpine:3.20"), "{text}");
    assert!(json(&fs::read(&report).expect("report"))["findings"].is_array());
    // A file it may replace but does not own keeps its mode (the owner
    // becomes the writer: only root may give a file away).
    let meta = fs::metadata(&report).expect("meta");
    assert_eq!(meta.permissions().mode() & 0o7777, 0o666);
    sb.check_canaries();
}

/// Before: the walker opened every `.gitignore` and `.ignore` itself,
/// following links: a FIFO there blocked the audit forever, and a link to
/// `/dev/zero` aborted it (exit 134). Now an unsafe ignore file is never
/// opened: in a subdirectory, that directory is not walked; at the root, no
/// ignore file is read; either way with a note, and the rest is audited.
#[test]
fn ignore_files_never_stall_or_exhaust_the_walk() {
    let sb = Sandbox::new();
    write(&sb.repo.join("Dockerfile"), DOCKERFILE);
    write(&sb.repo.join("sub/Dockerfile"), DOCKERFILE);
    write(&sb.repo.join("ok/Dockerfile"), DOCKERFILE);
    write(&sb.repo.join("ok/skipped/Dockerfile"), DOCKERFILE);
    // A link inside the tree to a regular file is honoured as before.
    write(&sb.repo.join("rules/ignore.txt"), "skipped/\n");
    symlink("../rules/ignore.txt", sb.repo.join("ok/.gitignore")).expect("link");
    symlink("/dev/zero", sb.repo.join("sub/.ignore")).expect("link");
    mkfifo(&sb.repo.join(".gitignore"));
    let notes = |run: &Run| -> Vec<(String, String)> {
        json(&run.stdout)["skipped"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| {
                let f = |k: &str| s[k].as_str().unwrap_or_default().to_string();
                (f("path"), f("reason"))
            })
            .collect()
    };
    let dockerfiles = |run: &Run| -> Vec<String> {
        let mut v: Vec<String> = json(&run.stdout)["services"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["dockerfile"].as_str().map(str::to_string))
            .collect();
        v.sort();
        v
    };
    // The root's FIFO: no ignore file is read, the rest is audited.
    let run = sb.audit(&[os("--format"), os("json")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let n = notes(&run);
    assert!(
        n.iter()
            .any(|(p, r)| p == ".gitignore" && r.contains("not a regular file")),
        "{n:?}"
    );
    assert_eq!(
        dockerfiles(&run),
        [
            "Dockerfile",
            "ok/Dockerfile",
            "ok/skipped/Dockerfile",
            "sub/Dockerfile"
        ]
    );
    // Without it: `sub/` is not walked, `ok/.gitignore` is honoured.
    fs::remove_file(sb.repo.join(".gitignore")).expect("rm");
    let run = sb.audit(&[os("--format"), os("json")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let n = notes(&run);
    assert!(
        n.iter()
            .any(|(p, r)| p == "sub/.ignore" && r.contains("not walked")),
        "{n:?}"
    );
    assert_eq!(dockerfiles(&run), ["Dockerfile", "ok/Dockerfile"]);
    sb.check_canaries();
}
