//! Wrappers around the real program: `exec`, `tini --`, `dumb-init`,
//! `env A=b`, `gosu user`, `poetry run`, `uv run`, `sh -c "…"`.

use seamcheck_facts::shell::{base_name, is_command_separator, is_var_name, split_located};
use seamcheck_facts::Located;

/// Strips what only wraps the real program: `exec`, `tini --`, `dumb-init`,
/// `env A=b`, `gosu user`, `poetry run`, `sh -c "…"`, leading `A=b`
/// assignments. For a `sh -c` script with several commands, the command kept
/// is the one run with `exec`, else the last one of the script (the one left
/// in the foreground), cut at `||` or `|`.
pub fn unwrap_command(argv: &[Located<String>]) -> Vec<Located<String>> {
    unwrap(argv).argv
}

/// `sh -c "…"` / `bash -c` at the start: a shell runs the command, so
/// variables in it are expanded.
pub fn runs_shell(words: &[Located<String>]) -> bool {
    let first = words.first().map(|w| base_name(&w.value));
    matches!(first, Some("sh" | "bash" | "ash" | "dash" | "zsh"))
        && words.iter().any(|w| w.value == "-c")
}

pub(crate) struct Unwrapped {
    pub(crate) argv: Vec<Located<String>>,
    /// `NAME=value` set on the command line; `None` value = unset (`env -u`).
    pub(crate) assignments: Vec<(String, Option<String>)>,
}

/// Bounds how many wrappers are peeled off (`sh -c "sh -c '…'"` nests).
const MAX_WRAPPERS: usize = 32;

pub(crate) fn unwrap(argv: &[Located<String>]) -> Unwrapped {
    let mut words = argv.to_vec();
    let mut assignments = Vec::new();
    for _ in 0..MAX_WRAPPERS {
        let before = words.len();
        let skip_assignments = words
            .iter()
            .take_while(|w| assignment(&w.value).is_some())
            .count();
        for w in words.iter().take(skip_assignments) {
            if let Some((n, v)) = assignment(&w.value) {
                assignments.push((n.to_string(), Some(v.to_string())));
            }
        }
        words.drain(..skip_assignments);
        let Some(first) = words.first() else { break };
        let name = base_name(&first.value).to_string();
        let skip = match name.as_str() {
            "exec" => skip_flags(&words, 1, &["-a"], false),
            "tini" | "tini-static" => skip_flags(&words, 1, &["-p", "-e"], true),
            "dumb-init" => skip_flags(&words, 1, &["-r", "--rewrite"], true),
            "gosu" | "su-exec" => 2,
            "env" => skip_env(&words, &mut assignments),
            "poetry" | "pipenv" | "pdm" | "hatch" | "rye"
                if words.get(1).is_some_and(|w| w.value == "run") =>
            {
                2
            }
            "uv" if words.get(1).is_some_and(|w| w.value == "run") => skip_flags(
                &words,
                2,
                &[
                    "--with",
                    "--python",
                    "-p",
                    "--directory",
                    "--project",
                    "--env-file",
                    "--extra",
                    "--group",
                    "--package",
                    "--module",
                ],
                true,
            ),
            "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" => match shell_script(&words) {
                Some(script) => {
                    words = main_command(split_located(script));
                    continue;
                }
                None => 0,
            },
            _ => 0,
        };
        if skip == 0 {
            break;
        }
        words.drain(..skip.min(words.len()));
        if words.len() == before {
            break;
        }
    }
    Unwrapped {
        argv: words,
        assignments,
    }
}

fn assignment(word: &str) -> Option<(&str, &str)> {
    let (name, value) = word.split_once('=')?;
    is_var_name(name).then_some((name, value))
}

/// Index of the first word after the wrapper's options. `with_value` lists
/// options that take the next word; `--` ends the options when `dashdash`.
fn skip_flags(
    words: &[Located<String>],
    from: usize,
    with_value: &[&str],
    dashdash: bool,
) -> usize {
    let mut i = from;
    while let Some(w) = words.get(i) {
        let v = w.value.as_str();
        if dashdash && v == "--" {
            return i + 1;
        }
        if !v.starts_with('-') || v == "-" {
            break;
        }
        i += if with_value.contains(&v) { 2 } else { 1 };
    }
    i
}

fn skip_env(words: &[Located<String>], assignments: &mut Vec<(String, Option<String>)>) -> usize {
    let mut i = 1;
    while let Some(w) = words.get(i) {
        let v = w.value.as_str();
        if v == "--" {
            return i + 1;
        }
        if v == "-u" || v == "--unset" {
            if let Some(name) = words.get(i + 1) {
                assignments.push((name.value.clone(), None));
            }
            i += 2;
        } else if let Some(name) = v.strip_prefix("--unset=") {
            assignments.push((name.to_string(), None));
            i += 1;
        } else if v.starts_with('-') {
            i += 1;
        } else if let Some((n, val)) = assignment(v) {
            assignments.push((n.to_string(), Some(val.to_string())));
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// The command string of `sh [-euxc…] [-o opt] -c 'script'`, if any.
fn shell_script(words: &[Located<String>]) -> Option<&Located<String>> {
    let mut has_c = false;
    let mut i = 1;
    while let Some(w) = words.get(i) {
        let v = w.value.as_str();
        if v == "--" {
            i += 1;
            break;
        }
        let is_option = (v.starts_with('-') || v.starts_with('+')) && v.len() > 1;
        if !is_option {
            break;
        }
        if v.starts_with("--") {
            i += 1;
            continue;
        }
        let letters = v.get(1..).unwrap_or("");
        if letters.contains('c') && v.starts_with('-') {
            has_c = true;
        }
        i += if letters.ends_with('o') { 2 } else { 1 };
    }
    if has_c {
        words.get(i)
    } else {
        None
    }
}

/// Picks the command of a script that stays in the foreground (see
/// [`unwrap_command`]).
fn main_command(words: Vec<Located<String>>) -> Vec<Located<String>> {
    let mut commands: Vec<Vec<Located<String>>> = vec![Vec::new()];
    // Words after `||` or `|` until the next `&&`/`;` belong to a fallback or a
    // pipe reader, not to the command that serves.
    let mut skipping = false;
    for w in words {
        if is_command_separator(&w.value) {
            match w.value.as_str() {
                "||" | "|" | "|&" => skipping = true,
                "&" => {
                    // Runs in the background: not the foreground command.
                    if let Some(last) = commands.last_mut() {
                        last.clear();
                    }
                    skipping = false;
                }
                _ => {
                    skipping = false;
                    commands.push(Vec::new());
                }
            }
            continue;
        }
        if !skipping {
            if let Some(last) = commands.last_mut() {
                last.push(w);
            }
        }
    }
    commands.retain(|c| !c.is_empty());
    let exec = commands
        .iter()
        .position(|c| c.first().is_some_and(|w| w.value == "exec"));
    match exec {
        Some(i) => commands.swap_remove(i),
        None => commands.pop().unwrap_or_default(),
    }
}
