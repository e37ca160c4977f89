//! Command line: `seamcheck [audit] [PATH ...]`, `rules`, `explain ID`.

use crate::audit::{self, AuditOptions};
use crate::finding::Severity;
use crate::report;
use crate::rules::{self, RULES};
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
}

#[derive(Args, Debug, Clone)]
struct AuditArgs {
    /// Files or directories to audit
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to FILE (atomically) instead of stdout
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when a finding at or above this severity remains
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Only these rules (comma-separated IDs)
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    select: Vec<String>,
    /// Skip these rules (comma-separated IDs)
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    ignore: Vec<String>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Skip files larger than this many bytes
    #[arg(long, default_value_t = audit_default_max())]
    max_file_size: u64,
}

fn audit_default_max() -> u64 {
    crate::discover::DEFAULT_MAX_FILE_SIZE
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Human,
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
    match cli.command {
        None => run_audit(&cli.audit),
        Some(Command::Audit(a)) => run_audit(&a),
        Some(Command::Rules { format }) => list_rules(format),
        Some(Command::Explain { id }) => explain(&id),
    }
}

fn unknown_rules(ids: &[String]) -> Vec<String> {
    ids.iter()
        .filter(|id| rules::find(id).is_none())
        .cloned()
        .collect()
}

fn run_audit(args: &AuditArgs) -> i32 {
    let unknown = unknown_rules(&[args.select.clone(), args.ignore.clone()].concat());
    if !unknown.is_empty() {
        eprintln!(
            "error: unknown rule ID {} (see `seamcheck rules`)",
            unknown.join(", ")
        );
        return 2;
    }
    for p in &args.paths {
        if !p.exists() {
            eprintln!("error: {}: no such file or directory", p.display());
            return 2;
        }
    }
    let result = audit::run(&AuditOptions {
        paths: args.paths.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        max_file_size: args.max_file_size,
        ..AuditOptions::default()
    });
    let text = match args.format {
        Format::Json => report::json::render(&result),
        Format::Human => {
            report::human::render(&result, use_color(args.color, args.output.is_some()))
        }
    };
    if let Err(e) = emit(&text, args.output.as_deref()) {
        eprintln!("error: cannot write the report: {e}");
        return 2;
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| result.findings.iter().any(|f| f.severity >= t));
    i32::from(failed)
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

/// Writes to stdout, or to `path` atomically (a temporary file beside it,
/// then a rename), so a reader never sees half a report.
fn emit(text: &str, path: Option<&Path>) -> std::io::Result<()> {
    let Some(path) = path else {
        let mut out = std::io::stdout().lock();
        return match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
            // A closed pipe (`| head`) is not an error worth reporting.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => r,
        };
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.seamcheck-{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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

fn explain(id: &str) -> i32 {
    match rules::find(id) {
        Some(r) => {
            println!(
                "# {} ({})\n\n{}",
                r.meta.id,
                r.meta.severity.as_str(),
                r.meta.doc()
            );
            0
        }
        None => {
            eprintln!("error: unknown rule ID `{id}` (see `seamcheck rules`)");
            2
        }
    }
}
