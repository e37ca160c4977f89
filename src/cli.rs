//! Command line: `seamcheck [audit] [PATH ...]`, `rules`, `explain ID`,
//! `graph [PATH]`, `init [DIR]`, `completions SHELL`, `man`.

use crate::audit::{self, Audit, AuditOptions};
use crate::baseline::{self, Baseline};
use crate::config::{self, Config, RuleSetting};
use crate::finding::Severity;
use crate::report::graph::{self, GraphFormat};
use crate::report::{self, Format, RenderOptions};
use crate::rules::{self, RULES};
use crate::suppress::{Suppressed, SuppressedBy};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "seamcheck",
    version = crate::version::LONG,
    about = "Finds configuration drift between app code, Dockerfile, compose and Kubernetes",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    audit: AuditArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Audit paths (the default command)
    Audit(AuditArgs),
    /// List the rules
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print a rule's documentation
    Explain {
        /// Rule ID, e.g. probe-port-mismatch
        id: String,
    },
    /// Show the linked services and their port chains
    Graph(GraphArgs),
    /// Write a commented starter .seamcheck.toml
    Init {
        /// Directory to write it in
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script (e.g. `seamcheck completions bash > /etc/bash_completion.d/seamcheck`)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `seamcheck man > seamcheck.1`
    Man,
}

/// The subcommands' names, for "did you mean" on a word taken for a path.
const COMMANDS: &[&str] = &[
    "audit",
    "rules",
    "explain",
    "graph",
    "init",
    "completions",
    "man",
];

#[derive(Args, Debug, Clone)]
struct AuditArgs {
    /// Files or directories to audit
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,
    /// Write the report to FILE (atomically) instead of stdout
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write a report in another format, e.g. `--report sarif=seamcheck.sarif`
    /// (repeatable; `-` as PATH is stdout)
    #[arg(long, value_name = "FORMAT=PATH", value_parser = parse_report)]
    report: Vec<(Format, PathBuf)>,
    /// Exit 1 when a finding at or above this severity remains
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Configuration file [default: .seamcheck.toml in the audited root, if present]
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Only these rules (comma-separated IDs)
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    select: Vec<String>,
    /// Skip these rules (comma-separated IDs)
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    ignore: Vec<String>,
    /// Hide the findings recorded in this baseline file
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record today's findings in FILE (they are then hidden in this run)
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// List the findings hidden by suppressions and the baseline
    #[arg(long)]
    show_suppressed: bool,
    /// Show at most N diagnostics, most severe first (the summary counts all);
    /// with --group-by, at most N per group (`--group-by rule`: per rule)
    #[arg(long, value_name = "N")]
    max_findings: Option<usize>,
    /// Human output: group diagnostics by rule, service or file [default: service]
    #[arg(long, value_enum, value_name = "BY")]
    group_by: Option<GroupByArg>,
    /// Human output: only the tables (findings per rule and per service) and the summary
    #[arg(long, conflicts_with = "quiet")]
    summary: bool,
    /// Human output: print only the summary
    #[arg(long, short)]
    quiet: bool,
    /// Also analyse rendered Kubernetes manifests read from stdin (`-`), e.g.
    /// `helm template ./chart | seamcheck audit --manifests - .`
    #[arg(long, value_name = "-")]
    manifests: Option<String>,
    /// Succeed even when no file of a known kind was found
    #[arg(long)]
    allow_empty: bool,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Skip files larger than this many bytes
    #[arg(long, default_value_t = audit_default_max())]
    max_file_size: u64,
    /// Audit test data too (directories `testdata`, `golden`, `__snapshots__`, files `*.golden.*`)
    #[arg(long)]
    include_test_data: bool,
    /// Also render the Helm chart in directory CHART with the values file FILE
    /// (both relative to the audited root; repeatable: the files of one chart
    /// form one extra deployment context, later ones win)
    #[arg(long, value_name = "CHART=FILE", value_parser = parse_values)]
    values: Vec<(String, String)>,
}

#[derive(Args, Debug, Clone)]
struct GraphArgs {
    /// Directory (or file) to audit
    #[arg(default_value = ".")]
    path: PathBuf,
    #[arg(long, value_enum, default_value_t = GraphFormatArg::Text)]
    format: GraphFormatArg,
    /// Configuration file [default: .seamcheck.toml in the audited root, if present]
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Write the graph to FILE (atomically) instead of stdout
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Succeed even when no file of a known kind was found
    #[arg(long)]
    allow_empty: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum GroupByArg {
    Rule,
    Service,
    File,
}

impl From<GroupByArg> for report::layout::GroupBy {
    fn from(g: GroupByArg) -> Self {
        match g {
            GroupByArg::Rule => Self::Rule,
            GroupByArg::Service => Self::Service,
            GroupByArg::File => Self::File,
        }
    }
}

fn audit_default_max() -> u64 {
    crate::discover::DEFAULT_MAX_FILE_SIZE
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum FormatArg {
    Human,
    Json,
    Sarif,
    Github,
    Gitlab,
    Markdown,
    /// A self-contained HTML page (no network), for CI artifacts
    Html,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Github => Format::Github,
            FormatArg::Gitlab => Format::Gitlab,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Html => Format::Html,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum GraphFormatArg {
    Text,
    Dot,
    Mermaid,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ListFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `sarif=out.sarif` → (Sarif, "out.sarif").
fn parse_report(s: &str) -> Result<(Format, PathBuf), String> {
    let names: Vec<&str> = Format::ALL.iter().map(|(n, _)| *n).collect();
    let (name, path) = s.split_once('=').ok_or_else(|| {
        format!(
            "expected FORMAT=PATH, e.g. sarif=seamcheck.sarif (formats: {})",
            names.join(", ")
        )
    })?;
    let format =
        Format::parse(name).ok_or_else(|| match config::closest(name, names.iter().copied()) {
            Some(c) => format!("unknown format `{name}`; did you mean `{c}`?"),
            None => format!("unknown format `{name}` (formats: {})", names.join(", ")),
        })?;
    if path.is_empty() {
        return Err("the PATH after `=` is empty".to_string());
    }
    Ok((format, PathBuf::from(path)))
}

/// `deploy/chart=deploy/prod.yaml` → ("deploy/chart", "deploy/prod.yaml").
fn parse_values(s: &str) -> Result<(String, String), String> {
    let (chart, file) = s.split_once('=').ok_or_else(|| {
        "expected CHART=FILE, e.g. deploy/chart=deploy/prod-values.yaml".to_string()
    })?;
    if chart.is_empty() {
        return Err("the CHART before `=` is empty (`.` is the audited root)".to_string());
    }
    if file.is_empty() {
        return Err("the FILE after `=` is empty".to_string());
    }
    Ok((chart.to_string(), file.to_string()))
}

/// Runs the command line; returns the exit status (0 clean, 1 findings at or
/// above `--fail-on`, 2 usage or configuration error).
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let result = match cli.command {
        None => suggest_command(&cli.audit.paths).and_then(|()| run_audit(&cli.audit)),
        Some(Command::Audit(a)) => run_audit(&a),
        Some(Command::Rules { format }) => Ok(list_rules(format)),
        Some(Command::Explain { id }) => explain(&id),
        Some(Command::Graph(g)) => run_graph(&g),
        Some(Command::Init { dir, force }) => init(&dir, force),
        Some(Command::Completions { shell }) => completions(shell),
        Some(Command::Man) => man(),
    };
    result.unwrap_or_else(|message| {
        // Messages quote names from the repository and the command line.
        eprintln!("error: {}", crate::escape::terminal(&message));
        2
    })
}

/// A usage or configuration error (exit 2); the message is printed once.
type Usage<T> = Result<T, String>;

/// `seamcheck grpah`: a word that is no path but close to a command name
/// gets "did you mean"; a path that exists is always a path (the default
/// command is `audit PATH`).
fn suggest_command(paths: &[PathBuf]) -> Usage<()> {
    let [one] = paths else { return Ok(()) };
    let Some(word) = one.to_str() else {
        return Ok(());
    };
    if one.exists() || word.contains(['/', '\\', '.']) {
        return Ok(());
    }
    match config::closest(word, COMMANDS.iter().copied()) {
        Some(c) => Err(format!(
            "`{word}` is neither a command nor a path; did you mean `{c}`? \
             (`seamcheck --help` lists the commands)"
        )),
        None => Ok(()),
    }
}

fn command() -> clap::Command {
    use clap::CommandFactory;
    Cli::command()
}

fn completions(shell: clap_complete::Shell) -> Usage<i32> {
    let mut cmd = command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "seamcheck", &mut out);
    emit_bytes(&out)
}

fn man() -> Usage<i32> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command())
        .render(&mut out)
        .map_err(|e| format!("cannot render the man page: {e}"))?;
    emit_bytes(&out)
}

fn emit_bytes(bytes: &[u8]) -> Usage<i32> {
    emit_with(None, |out| out.write_all(bytes)).map_err(|e| format!("cannot write: {e}"))?;
    Ok(0)
}

/// `--manifests -`: the stream on stdin, at most `max` bytes.
fn read_manifests(arg: Option<&str>, max: u64) -> Usage<Option<Vec<u8>>> {
    match arg {
        None => Ok(None),
        Some("-") => {
            use std::io::Read;
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .take(max.saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read the manifests on stdin: {e}"))?;
            if bytes.len() as u64 > max {
                return Err(format!(
                    "the manifests on stdin are larger than the {max}-byte limit (--max-file-size)"
                ));
            }
            Ok(Some(bytes))
        }
        Some(other) => Err(format!(
            "--manifests takes `-` (stdin), not `{other}`: name manifest files as PATHs"
        )),
    }
}

fn check_rule_ids(ids: &[String]) -> Usage<()> {
    let all: Vec<&str> = RULES.iter().map(|r| r.meta.id).collect();
    for id in ids {
        if rules::find(id).is_none() && !rules::category::is_category(id) {
            return Err(match config::closest(id, all.iter().copied()) {
                Some(c) => {
                    format!("unknown rule ID `{id}`; did you mean `{c}`? (see `seamcheck rules`)")
                }
                None => format!("unknown rule ID `{id}` (see `seamcheck rules`)"),
            });
        }
    }
    Ok(())
}

/// The configuration: `--config FILE` (which must exist), else
/// `.seamcheck.toml` in the audited root if there is one.
fn load_config(explicit: Option<&Path>, root: &Path) -> Usage<Config> {
    match explicit {
        Some(p) => config::load(p).map_err(|e| e.0),
        None => config::load_in_root(root)
            .map(Option::unwrap_or_default)
            .map_err(|e| e.0),
    }
}

fn check_paths(paths: &[PathBuf]) -> Usage<()> {
    for p in paths {
        if !p.exists() {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    Ok(())
}

/// `path` (as the user wrote it) as a `/`-separated path relative to the
/// audited `root`, `""` for the root itself: relative paths are taken
/// from the root, an absolute path must lie inside it; `..` is refused, and
/// no component may be a symbolic link (the renderer reads through the
/// confined tree, which follows none).
fn inside_root(root: &Path, path: &str) -> Result<String, String> {
    let outside = || {
        format!(
            "`{path}` is not inside the audited directory {}",
            root.display()
        )
    };
    let given = Path::new(path);
    let rel: PathBuf = if given.is_absolute() {
        let root = root.canonicalize().map_err(|_| outside())?;
        let full = given.canonicalize().map_err(|e| format!("`{path}`: {e}"))?;
        full.strip_prefix(&root)
            .map_err(|_| outside())?
            .to_path_buf()
    } else {
        given.to_path_buf()
    };
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            std::path::Component::Normal(p) => {
                parts.push(p.to_str().ok_or_else(|| format!("`{path}` is not UTF-8"))?)
            }
            std::path::Component::CurDir => {}
            _ => return Err(outside()),
        }
    }
    let mut real = root.to_path_buf();
    for p in &parts {
        real.push(p);
        let meta = std::fs::symlink_metadata(&real)
            .map_err(|_| format!("`{path}`: no such file or directory in {}", root.display()))?;
        if meta.file_type().is_symlink() {
            return Err(format!("`{path}` is a symbolic link (not followed)"));
        }
    }
    Ok(parts.join("/"))
}

/// The extra Helm deployment contexts: one per chart named by `--values`
/// (its files in order), then one per `[[charts]]` entry. Every path must
/// name a chart directory or a file inside the audited root.
fn helm_values(
    root: &Path,
    flags: &[(String, String)],
    charts: &[config::ChartValues],
) -> Usage<Vec<seamcheck_helm::ValuesContext>> {
    let chart_dir = |path: &str, place: &str| -> Usage<String> {
        let rel = inside_root(root, path).map_err(|e| format!("{place}: {e}"))?;
        let manifest = root.join(&rel).join("Chart.yaml");
        if !std::fs::symlink_metadata(manifest).is_ok_and(|m| m.is_file()) {
            return Err(format!(
                "{place}: `{path}` is not a Helm chart directory (no Chart.yaml)"
            ));
        }
        Ok(rel)
    };
    let values_file = |path: &str, place: &str| -> Usage<String> {
        let rel = inside_root(root, path).map_err(|e| format!("{place}: {e}"))?;
        if !std::fs::symlink_metadata(root.join(&rel)).is_ok_and(|m| m.is_file()) {
            return Err(format!("{place}: `{path}` is not a file"));
        }
        Ok(rel)
    };
    let mut out: Vec<seamcheck_helm::ValuesContext> = Vec::new();
    for (chart, file) in flags {
        let place = format!("--values {chart}={file}");
        let dir = chart_dir(chart, &place)?;
        let file = values_file(file, &place)?;
        match out.iter_mut().find(|c| c.chart == dir) {
            Some(c) => c.files.push(file),
            None => out.push(seamcheck_helm::ValuesContext::new(dir, vec![file])),
        }
    }
    for entry in charts {
        let place = format!("{}: `[[charts]]`", entry.origin);
        let mut context =
            seamcheck_helm::ValuesContext::new(chart_dir(&entry.path, &place)?, vec![]);
        for f in &entry.values {
            context.files.push(values_file(f, &place)?);
        }
        context.release.clone_from(&entry.release);
        context.namespace.clone_from(&entry.namespace);
        out.push(context);
    }
    Ok(out)
}

fn options(args: &AuditArgs, config: Config) -> Usage<AuditOptions> {
    // Category names (`hygiene`) stand for their rules.
    let select = rules::category::expand_all(&args.select);
    let mut ignore = rules::category::expand_all(&args.ignore);
    // Debug of the parsed configuration (ordered maps and vectors) plus the
    // flags that change which rules run: the same text means the same rules
    // applied the same way, whatever the file's comments or key order.
    let config_digest = crate::report::dashboard::digest(&format!(
        "{config:?}\nselect={:?}\nignore={:?}\nmax-file-size={}{}",
        args.select,
        args.ignore,
        args.max_file_size,
        if args.values.is_empty() {
            String::new()
        } else {
            format!("\nvalues={:?}", args.values)
        }
    ));
    let root = audit::audit_root(&args.paths);
    let helm_values = helm_values(&root, &args.values, &config.charts)?;
    let mut severity = Vec::new();
    for (id, setting) in &config.rules {
        match setting {
            // `--select` on the command line wins over "off" in the file.
            RuleSetting::Off if !select.contains(id) => ignore.push(id.clone()),
            RuleSetting::Off => {}
            RuleSetting::Severity(s) => severity.push((id.clone(), *s)),
        }
    }
    let baseline = match &args.baseline {
        Some(p) => Some(Baseline::load(p)?),
        None => None,
    };
    Ok(AuditOptions {
        paths: args.paths.clone(),
        services: config.services,
        select,
        ignore,
        max_file_size: args.max_file_size,
        include_test_data: args.include_test_data || config.include_test_data,
        exclude: config.exclude,
        severity,
        suppressions: config.suppressions,
        baseline,
        config_digest: Some(config_digest),
        stdin_manifests: read_manifests(args.manifests.as_deref(), args.max_file_size)?,
        render: crate::render::RenderOptions {
            helm_values,
            ..crate::render::RenderOptions::default()
        },
    })
}

fn run_audit(args: &AuditArgs) -> Usage<i32> {
    check_rule_ids(&[args.select.clone(), args.ignore.clone()].concat())?;
    check_paths(&args.paths)?;
    let root = audit::audit_root(&args.paths);
    let config = load_config(args.config.as_deref(), &root)?;
    let mut result = audit::run(&options(args, config)?);
    if result.files_analysed == 0 && !args.allow_empty {
        return Err(format!(
            "no file of a known kind (Dockerfile, Kubernetes or compose YAML, application source) \
             found in {}: nothing was checked (pass --allow-empty to accept this)",
            result.root_display
        ));
    }
    if let Some(path) = &args.write_baseline {
        write_baseline(&mut result, path)?;
    }
    let render_opts = RenderOptions {
        color: false,
        max_findings: args.max_findings,
        quiet: args.quiet,
        show_suppressed: args.show_suppressed,
        group_by: args.group_by.map(Into::into),
        summary: args.summary,
    };
    let mut outputs: Vec<(Format, Option<&Path>)> =
        vec![(args.format.into(), args.output.as_deref())];
    outputs.extend(
        args.report
            .iter()
            .map(|(f, p)| (*f, Some(p.as_path()).filter(|p| p.as_os_str() != "-"))),
    );
    for (format, path) in outputs {
        let opts = RenderOptions {
            color: format == Format::Human && use_color(args.color, path.is_some()),
            ..render_opts.clone()
        };
        emit_with(path, |out| report::write(&result, format, &opts, out)).map_err(|e| {
            let to = path.map_or_else(|| "stdout".to_string(), |p| p.display().to_string());
            format!("cannot write the report to {to}: {e}")
        })?;
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| result.findings.iter().any(|f| f.severity >= t));
    // The process exits next: freeing every fact one by one would only
    // delay that (a tenth of a second on a 5,000-service repository).
    std::mem::forget(result);
    Ok(i32::from(failed))
}

/// Records every finding not suppressed inline (including those an older
/// `--baseline` hid), then treats them as baselined in this run.
fn write_baseline(result: &mut Audit, path: &Path) -> Usage<()> {
    let mut all: Vec<_> = result.findings.clone();
    all.extend(
        result
            .suppressed
            .iter()
            .filter(|s| matches!(s.by, SuppressedBy::Baseline))
            .map(|s| s.finding.clone()),
    );
    report::write_atomic(path, baseline::render(&all).as_bytes())
        .map_err(|e| format!("cannot write the baseline to {}: {e}", path.display()))?;
    let newly = std::mem::take(&mut result.findings);
    result
        .suppressed
        .extend(newly.into_iter().map(|finding| Suppressed {
            finding,
            by: SuppressedBy::Baseline,
        }));
    eprintln!(
        "seamcheck: wrote {} to {}",
        report::plural(all.len(), "finding"),
        path.display()
    );
    Ok(())
}

fn run_graph(args: &GraphArgs) -> Usage<i32> {
    let paths = vec![args.path.clone()];
    check_paths(&paths)?;
    let root = audit::audit_root(&paths);
    let config = load_config(args.config.as_deref(), &root)?;
    let helm_values = helm_values(&root, &[], &config.charts)?;
    let audit = audit::run(&AuditOptions {
        render: crate::render::RenderOptions {
            helm_values,
            ..crate::render::RenderOptions::default()
        },
        paths,
        services: config.services,
        max_file_size: audit_default_max(),
        include_test_data: config.include_test_data,
        exclude: config.exclude,
        ..AuditOptions::default()
    });
    if audit.files_analysed == 0 && !args.allow_empty {
        return Err(format!(
            "no file of a known kind (Dockerfile, Kubernetes or compose YAML, application source) \
             found in {}: nothing to draw (pass --allow-empty to accept this)",
            audit.root_display
        ));
    }
    if audit.services.is_empty() {
        eprintln!(
            "seamcheck: nothing to draw: no service was linked in {} ({} analysed)",
            crate::escape::terminal(&audit.root_display),
            report::plural(audit.files_analysed, "file")
        );
    }
    let format = match args.format {
        GraphFormatArg::Text => GraphFormat::Text,
        GraphFormatArg::Dot => GraphFormat::Dot,
        GraphFormatArg::Mermaid => GraphFormat::Mermaid,
        GraphFormatArg::Json => GraphFormat::Json,
    };
    emit(&graph::render(&audit, format), args.output.as_deref())
        .map_err(|e| format!("cannot write the graph: {e}"))?;
    Ok(0)
}

fn init(dir: &Path, force: bool) -> Usage<i32> {
    if !dir.is_dir() {
        return Err(format!("{}: not a directory", dir.display()));
    }
    let path = dir.join(config::FILE_NAME);
    // The file is found in the directory, not named by the user: a link
    // there is not written through (as `--output` would for a named link).
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!(
            "{} is a symbolic link; not written through (remove it first)",
            path.display()
        ));
    }
    if path.exists() && !force {
        return Err(format!(
            "{} already exists (pass --force to overwrite it)",
            path.display()
        ));
    }
    report::write_atomic(&path, config::starter().as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(0)
}

fn use_color(choice: ColorChoice, to_file: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            !to_file
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Writes to stdout, or to `path` atomically.
fn emit(text: &str, path: Option<&Path>) -> std::io::Result<()> {
    emit_with(path, |out| out.write_all(text.as_bytes()))
}

/// Writes what `fill` produces to `path` (atomically) or to stdout.
fn emit_with(
    path: Option<&Path>,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let Some(path) = path else {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        return match fill(&mut out).and_then(|()| out.flush()) {
            // A closed pipe (`| head`) is not an error worth reporting.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => r,
        };
    };
    report::write_atomic_with(path, fill)
}

fn list_rules(format: ListFormat) -> i32 {
    match format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.meta.id,
                        "category": rules::category::category_of(r.meta.id),
                        "severity": r.meta.severity.as_str(),
                        "summary": r.meta.summary,
                    })
                })
                .collect();
            let text = serde_json::to_string_pretty(&list).unwrap_or_default() + "\n";
            quiet_on_closed_pipe(emit(&text, None))
        }
        ListFormat::Text => {
            let width = RULES.iter().map(|r| r.meta.id.len()).max().unwrap_or(0);
            let mut text = String::new();
            for r in RULES {
                text.push_str(&format!(
                    "{:<width$}  {:<7}  {}\n",
                    r.meta.id,
                    r.meta.severity.as_str(),
                    r.meta.summary
                ));
            }
            quiet_on_closed_pipe(emit(&text, None))
        }
    }
}

/// Exit status of a listing written to stdout: `emit` already takes a
/// closed pipe (`| head`) for success; another write error is reported.
fn quiet_on_closed_pipe(result: std::io::Result<()>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            2
        }
    }
}

fn explain(id: &str) -> Usage<i32> {
    check_rule_ids(&[id.to_string()])?;
    match rules::find(id) {
        Some(r) => {
            let text = format!(
                "# {} ({})\n\n{}\n",
                r.meta.id,
                r.meta.severity.as_str(),
                r.meta.doc()
            );
            Ok(quiet_on_closed_pipe(emit(&text, None)))
        }
        None => Err(format!("unknown rule ID `{id}` (see `seamcheck rules`)")),
    }
}
