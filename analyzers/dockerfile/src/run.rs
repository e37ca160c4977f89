//! What a RUN command does that seamcheck cares about: installing the
//! application's dependencies (for the order of COPY and installs) and
//! installing system packages (for the tools a HEALTHCHECK needs).

use seamcheck_facts::shell::base_name;
use seamcheck_facts::shell::is_command_separator;

/// The simple commands of a word list (operators removed), with leading
/// `sudo`, `exec`, `env` and `NAME=value` words dropped.
pub fn simple_commands(words: &[String]) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = vec![Vec::new()];
    for w in words {
        if is_command_separator(w) || w == ";" || matches!(w.as_str(), "(" | ")") {
            out.push(Vec::new());
        } else if let Some(last) = out.last_mut() {
            let skip_prefix = last.is_empty()
                && (matches!(w.as_str(), "sudo" | "exec" | "env" | "then" | "do" | "else")
                    || is_assignment(w));
            if !skip_prefix {
                last.push(w);
            }
        }
    }
    out.retain(|c| !c.is_empty());
    out
}

fn is_assignment(w: &str) -> bool {
    w.split_once('=').is_some_and(|(n, _)| {
        !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Positional words (not options) after the subcommand at `from`.
fn positionals<'a>(cmd: &[&'a str], from: usize) -> Vec<&'a str> {
    cmd.iter()
        .skip(from)
        .copied()
        .filter(|w| !w.starts_with('-'))
        .collect()
}

pub fn installs_dependencies(commands: &[Vec<&str>]) -> bool {
    commands.iter().any(|c| command_installs_dependencies(c))
}

fn command_installs_dependencies(cmd: &[&str]) -> bool {
    let Some(first) = cmd.first() else {
        return false;
    };
    let program = base_name(first);
    let sub = cmd.get(1).copied().unwrap_or("");
    let is_python = program.starts_with("python");
    match program {
        _ if is_pip(program) => pip_installs_project(cmd, 1),
        _ if is_python && sub == "-m" && cmd.get(2).is_some_and(|m| is_pip(m)) => {
            pip_installs_project(cmd, 3)
        }
        "uv" => sub == "sync" || (sub == "pip" && pip_installs_project(cmd, 2)),
        "poetry" | "pdm" => matches!(sub, "install" | "sync"),
        "pipenv" => matches!(sub, "install" | "sync"),
        "npm" => sub == "ci" || (matches!(sub, "install" | "i") && positionals(cmd, 2).is_empty()),
        "yarn" => sub.is_empty() || sub.starts_with('-') || sub == "install",
        "pnpm" => matches!(sub, "install" | "i") && positionals(cmd, 2).is_empty(),
        "go" => {
            matches!(sub, "build" | "install") || (sub == "mod" && cmd.get(2) == Some(&"download"))
        }
        "cargo" => matches!(sub, "build" | "fetch" | "install"),
        "bundle" => matches!(sub, "install"),
        "composer" => matches!(sub, "install"),
        "mvn" | "mvnw" | "gradle" | "gradlew" => true,
        "dotnet" => matches!(sub, "restore" | "build" | "publish"),
        _ => false,
    }
}

fn is_pip(program: &str) -> bool {
    program
        .strip_prefix("pip")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `pip install -r requirements.txt`, `pip install .`, `pip install -e .`:
/// installs what the project declares, not a named tool.
fn pip_installs_project(cmd: &[&str], sub_at: usize) -> bool {
    // `--no-deps` installs the project alone: it needs the sources, and
    // downloads nothing a layer cache could keep.
    if cmd.get(sub_at) != Some(&"install") || cmd.contains(&"--no-deps") {
        return false;
    }
    cmd.iter().skip(sub_at + 1).any(|w| {
        matches!(
            *w,
            "-r" | "--requirement" | "-e" | "--editable" | "." | "./"
        ) || w.starts_with("-r")
            || w.starts_with("--requirement=")
            || w.starts_with("./")
            || w.ends_with(".whl")
    })
}

/// Package names installed by apt-get/apt/apk/yum/dnf/microdnf/zypper, flags
/// and version pins removed.
pub fn system_packages(commands: &[Vec<&str>]) -> Vec<String> {
    let mut out = Vec::new();
    for cmd in commands {
        let Some(first) = cmd.first() else { continue };
        let (install_words, value_options): (&[&str], &[&str]) = match base_name(first) {
            "apt-get" | "apt" => (&["install"], &["-o", "-t", "--target-release"]),
            "apk" => (
                &["add"],
                &["-t", "--virtual", "-X", "--repository", "--root", "-p"],
            ),
            "yum" | "dnf" | "microdnf" => (
                &["install"],
                &["--setopt", "--enablerepo", "--disablerepo", "--releasever"],
            ),
            "zypper" => (&["install", "in"], &[]),
            _ => continue,
        };
        let mut words = cmd.iter().skip(1);
        // Options may come before the subcommand (`apt-get -y install x`).
        let mut found = false;
        let mut skip_next = false;
        for w in words.by_ref() {
            if skip_next {
                skip_next = false;
                continue;
            }
            if install_words.contains(w) {
                found = true;
                break;
            }
            if value_options.contains(w) {
                skip_next = true;
            } else if !w.starts_with('-') {
                break;
            }
        }
        if !found {
            continue;
        }
        for w in words {
            if skip_next {
                skip_next = false;
                continue;
            }
            if value_options.contains(w) {
                skip_next = true;
                continue;
            }
            if w.starts_with('-') || w.is_empty() {
                continue;
            }
            let name = w.split('=').next().unwrap_or(w);
            if !name.is_empty() {
                out.push(name.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmds(line: &str) -> Vec<String> {
        let index = seamcheck_facts::LineIndex::new("f", line);
        seamcheck_facts::shell::split_words(line, 0, &index)
            .into_iter()
            .map(|w| w.value)
            .collect()
    }

    fn installs(line: &str) -> bool {
        installs_dependencies(&simple_commands(&cmds(line)))
    }

    fn packages(line: &str) -> Vec<String> {
        system_packages(&simple_commands(&cmds(line)))
    }

    #[test]
    fn dependency_installs() {
        for yes in [
            "pip install -r requirements.txt",
            "pip3 install --no-cache-dir -r requirements.txt",
            "pip install -rrequirements.txt",
            "python -m pip install .",
            "pip install -e .",
            "uv sync --frozen",
            "poetry install --no-root",
            "pipenv install --deploy",
            "npm ci",
            "npm install",
            "npm i --omit=dev",
            "yarn",
            "yarn install --frozen-lockfile",
            "pnpm install",
            "go mod download",
            "CGO_ENABLED=0 go build -o /app ./cmd/server",
            "cargo build --release",
            "bundle install",
            "composer install --no-dev",
            "./mvnw -B package",
            "gradle build",
            "dotnet restore",
            "cd /app && pip install -r req.txt",
        ] {
            assert!(installs(yes), "{yes}");
        }
        for no in [
            "pip install gunicorn",
            "npm install -g pm2",
            "yarn add left-pad",
            "apt-get install -y curl",
            "echo pip install -r x",
            "go version",
            "pip install --no-deps .",
        ] {
            assert!(!installs(no), "{no}");
        }
    }

    #[test]
    fn system_package_names() {
        assert_eq!(
            packages("apt-get update && apt-get install -y --no-install-recommends curl ca-certificates=2023 && rm -rf /var/lib/apt/lists/*"),
            vec!["curl", "ca-certificates"]
        );
        assert_eq!(
            packages("apk add --no-cache --virtual .deps gcc wget"),
            vec!["gcc", "wget"]
        );
        assert_eq!(
            packages("apt-get -y -o Dpkg::Options::=x install curl"),
            vec!["curl"]
        );
        assert_eq!(
            packages("microdnf install -y shadow-utils"),
            vec!["shadow-utils"]
        );
        assert_eq!(packages("apt-get update"), Vec::<String>::new());
        assert_eq!(packages("apt-get install"), Vec::<String>::new());
    }
}
