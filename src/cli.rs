//! Command line: `seamcheck [audit] [PATH ...]`, `rules`, `explain ID`,
//! `graph [PATH]`, `init [DIR]`.

use crate::audit::{self, Audit, AuditOptions};
use crate::baseline::{self, Baseline};
use crate::config::{self, Config, RuleSetting};
use crate::finding::Severity;
use crate::graph::{self, GraphFormat};
use crate::report::{self, Format, RenderOptions};
use crate::rules::{self, RULES};
use crate::suppress::{Suppressed, SuppressedBy};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "seamcheck",
    version,
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
}

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
    /// Show at most N diagnostics, most severe first (the summary counts all)
    #[arg(long, value_name = "N")]
    max_findings: Option<usize>,
    /// Human output: print only the summary
    #[arg(long, short)]
    quiet: bool,
    /// Succeed even when no file of a known kind was found
    #[arg(long)]
    allow_empty: bool,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Skip files larger than this many bytes
    #[arg(long, default_value_t = audit_default_max())]
    max_file_size: u64,
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
        None => run_audit(&cli.audit),
        Some(Command::Audit(a)) => run_audit(&a),
        Some(Command::Rules { format }) => Ok(list_rules(format)),
        Some(Command::Explain { id }) => explain(&id),
        Some(Command::Graph(g)) => run_graph(&g),
        Some(Command::Init { dir, force }) => init(&dir, force),
    };
    result.unwrap_or_else(|message| {
        eprintln!("error: {message}");
        2
    })
}

/// A usage or configuration error (exit 2); the message is printed once.
type Usage<T> = Result<T, String>;

fn check_rule_ids(ids: &[String]) -> Usage<()> {
    let all: Vec<&str> = RULES.iter().map(|r| r.meta.id).collect();
    for id in ids {
        if rules::find(id).is_none() {
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
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = root.join(config::FILE_NAME);
            if !p.is_file() {
                return Ok(Config::default());
            }
            p
        }
    };
    config::load(&path).map_err(|e| e.0)
}

fn check_paths(paths: &[PathBuf]) -> Usage<()> {
    for p in paths {
        if !p.exists() {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    Ok(())
}

fn options(args: &AuditArgs, config: Config) -> Usage<AuditOptions> {
    let mut ignore = args.ignore.clone();
    let mut severity = Vec::new();
    for (id, setting) in &config.rules {
        match setting {
            // `--select` on the command line wins over "off" in the file.
            RuleSetting::Off if !args.select.contains(id) => ignore.push(id.clone()),
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
        select: args.select.clone(),
        ignore,
        max_file_size: args.max_file_size,
        exclude: config.exclude,
        severity,
        suppressions: config.suppressions,
        baseline,
        ..AuditOptions::default()
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
    let audit = audit::run(&AuditOptions {
        paths,
        services: config.services,
        max_file_size: audit_default_max(),
        exclude: config.exclude,
        ..AuditOptions::default()
    });
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
                        "severity": r.meta.severity.as_str(),
                        "summary": r.meta.summary,
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
        }
        ListFormat::Text => {
            let width = RULES.iter().map(|r| r.meta.id.len()).max().unwrap_or(0);
            for r in RULES {
                println!(
                    "{:<width$}  {:<7}  {}",
                    r.meta.id,
                    r.meta.severity.as_str(),
                    r.meta.summary
                );
            }
        }
    }
    0
}

fn explain(id: &str) -> Usage<i32> {
    check_rule_ids(&[id.to_string()])?;
    match rules::find(id) {
        Some(r) => {
            println!(
                "# {} ({})\n\n{}",
                r.meta.id,
                r.meta.severity.as_str(),
                r.meta.doc()
            );
            Ok(0)
        }
        None => Err(format!("unknown rule ID `{id}` (see `seamcheck rules`)")),
    }
}
