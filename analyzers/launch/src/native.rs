//! Compiled programs of the image (`/app/server`, `./api`, `cargo run`) and nginx.
//!
//! Neither carries its port on the command line in a way seamcheck models:
//! the program's code (Go, Rust …) or nginx's configuration decides, so the
//! launch leaves `host`/`port` to the resolver, which reads the entry code's
//! `Listen` facts.

use crate::{Env, Launch, ServerKind};
use seamcheck_facts::Located;

/// Programs that are interpreters, package managers, shells or well-known
/// third-party servers: running one of them is not running "the service's
/// own compiled program". Checked by base name.
const KNOWN_TOOLS: &[&str] = &[
    // interpreters and runtimes (their own launch modules may not know every form)
    "node",
    "nodejs",
    "bun",
    "deno",
    "ts-node",
    "tsx",
    "java",
    "dotnet",
    "ruby",
    "perl",
    "php",
    "php-fpm",
    "lua",
    "luajit",
    "Rscript",
    "erl",
    "elixir",
    "mix",
    "iex",
    "julia",
    "pwsh",
    // package managers and build tools
    "npm",
    "npx",
    "yarn",
    "pnpm",
    "pip",
    "pip3",
    "go",
    "rustc",
    "mvn",
    "gradle",
    "make",
    "bundle",
    "rails",
    "rake",
    "composer",
    "uv",
    "poetry",
    // shells and coreutils seen as placeholders or helpers
    "sh",
    "bash",
    "dash",
    "ash",
    "zsh",
    "ksh",
    "fish",
    "busybox",
    "cat",
    "echo",
    "true",
    "false",
    "sleep",
    "tail",
    "ls",
    "env",
    "printenv",
    "timeout",
    "watch",
    "wait-for-it",
    "dockerize",
    // process managers and third-party servers whose config decides
    "supervisord",
    "s6-svscan",
    "runsvdir",
    "cron",
    "crond",
    "httpd",
    "apache2",
    "apachectl",
    "caddy",
    "envoy",
    "haproxy",
    "traefik",
    "lighttpd",
    "redis-server",
    "memcached",
    "postgres",
    "mysqld",
    "mongod",
    "rabbitmq-server",
    "nats-server",
    "consul",
    "vault",
    "prometheus",
    "grafana-server",
    "celery",
    "sidekiq",
    "pm2",
    "pm2-runtime",
    "nodemon",
    "serve",
    "http-server",
    "varnishd",
    "squid",
    "tomcat",
    "catalina.sh",
    "jetty",
    "uwsgi",
    "daphne",
    "waitress-serve",
    "streamlit",
];

/// Extensions of scripts and packages: an interpreter runs them, not the CPU.
const SCRIPT_EXTENSIONS: &[&str] = &[
    "sh", "bash", "py", "js", "mjs", "cjs", "ts", "rb", "pl", "php", "jar", "war", "dll", "ps1",
    "bat", "cmd", "lua", "r", "exs", "conf", "json", "yaml", "yml", "toml",
];

/// `None` when `program` is not one of this module's launchers.
pub(crate) fn launch(
    program: &str,
    first: &Located<String>,
    rest: &[Located<String>],
    env: &Env<'_>,
) -> Option<Launch> {
    let _ = env;
    match program {
        "nginx" | "openresty" => Some(nginx(rest)),
        "cargo" => cargo(first, rest),
        _ if is_compiled_program(program, &first.value) => Some(binary(first.clone())),
        _ => None,
    }
}

/// `nginx [-g 'daemon off;'] [-c file]`: the configuration decides where it
/// listens; `-c` names that configuration (the app target).
fn nginx(rest: &[Located<String>]) -> Launch {
    let config = rest
        .iter()
        .position(|w| w.value == "-c")
        .and_then(|i| rest.get(i + 1))
        .cloned();
    let mut launch = blank(ServerKind::Nginx);
    launch.app_target = config;
    launch
}

/// `cargo run [--release] [--bin NAME] [-- args]`: builds and runs the
/// package's binary; the code decides the port. Any other cargo command is
/// not a server.
fn cargo(first: &Located<String>, rest: &[Located<String>]) -> Option<Launch> {
    let run = rest.iter().position(|w| w.value == "run")?;
    // Only options of cargo itself (`+nightly`, `--locked`) may precede `run`.
    let before = rest.get(..run).unwrap_or(&[]);
    if before
        .iter()
        .any(|w| !(w.value.starts_with('-') || w.value.starts_with('+')))
    {
        return None;
    }
    let args = rest.get(run + 1..).unwrap_or(&[]);
    let end = args
        .iter()
        .position(|w| w.value == "--")
        .unwrap_or(args.len());
    let cargo_args = args.get(..end).unwrap_or(&[]);
    let bin = cargo_args
        .iter()
        .position(|w| w.value == "--bin")
        .and_then(|i| cargo_args.get(i + 1))
        .cloned()
        .or_else(|| {
            cargo_args.iter().find_map(|w| {
                let name = w.value.strip_prefix("--bin=")?;
                Some(Located::new(name.to_string(), w.loc.clone()))
            })
        });
    let target = bin.unwrap_or_else(|| Located::new("cargo run".to_string(), first.loc.clone()));
    let mut launch = blank(ServerKind::Binary {
        path: target.value.clone(),
    });
    launch.app_target = Some(target);
    Some(launch)
}

fn binary(program: Located<String>) -> Launch {
    let mut launch = blank(ServerKind::Binary {
        path: program.value.clone(),
    });
    launch.app_target = Some(program);
    launch
}

/// A program of the image that no other module models: not a known tool or
/// interpreter, not a script (by extension), not a variable (`$APP`).
fn is_compiled_program(base: &str, written: &str) -> bool {
    if base.is_empty() || written.contains('$') || written.starts_with('-') {
        return false;
    }
    if KNOWN_TOOLS.contains(&base) || base.starts_with("python") || base.starts_with("pypy") {
        return false;
    }
    let extension = base.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    if extension.is_some_and(|e| SCRIPT_EXTENSIONS.contains(&e.as_str())) {
        return false;
    }
    // A name with characters no file name of a program has (`{`, `=`, a
    // quote) is shell syntax that was not split away, not a program.
    base.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+'))
}

fn blank(server: ServerKind) -> Launch {
    Launch {
        server,
        app_target: None,
        host: None,
        port: None,
        debug: None,
        argv: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpret;
    use seamcheck_facts::shell::split_words;
    use seamcheck_facts::LineIndex;

    fn run(line: &str) -> Launch {
        let words = split_words(line, 0, &LineIndex::new("cmd", line));
        interpret(&words, &|_| None).unwrap_or_else(|| blank(ServerKind::Nginx))
    }

    fn target(l: &Launch) -> Option<&str> {
        l.app_target.as_ref().map(|t| t.value.as_str())
    }

    #[test]
    fn compiled_programs_are_binaries_without_settings() {
        let rows = [
            ("/app/server", "/app/server"),
            ("./api --config /etc/api.toml", "./api"),
            ("/usr/local/bin/myservice", "/usr/local/bin/myservice"),
            ("tini -- /app/server", "/app/server"),
            ("exec ./bin/web-api", "./bin/web-api"),
            ("myservice serve", "myservice"),
            ("cargo run --release", "cargo run"),
            ("cargo run --release --bin api", "api"),
            ("cargo +nightly run --bin=worker -- --port 1", "worker"),
        ];
        for (line, path) in rows {
            let l = run(line);
            assert_eq!(
                l.server,
                ServerKind::Binary {
                    path: path.to_string()
                },
                "{line}"
            );
            assert_eq!(target(&l), Some(path), "{line}");
            assert!(l.host.is_none() && l.port.is_none(), "{line}");
        }
    }

    #[test]
    fn the_target_is_located_at_the_program() {
        let line = "exec /app/server";
        let l = run(line);
        let span = l.app_target.map(|t| t.loc.span);
        assert_eq!(
            span.and_then(|s| line.get(s.start..s.end)),
            Some("/app/server")
        );
    }

    #[test]
    fn nginx_is_nginx_and_its_config_is_the_target() {
        let l = run("nginx -g 'daemon off;'");
        assert_eq!(l.server, ServerKind::Nginx);
        assert_eq!(target(&l), None);
        assert!(l.host.is_none() && l.port.is_none());
        let l = run("/usr/sbin/nginx -c /etc/nginx/custom.conf -g 'daemon off;'");
        assert_eq!(l.server, ServerKind::Nginx);
        assert_eq!(target(&l), Some("/etc/nginx/custom.conf"));
        assert_eq!(run("openresty -g 'daemon off;'").server, ServerKind::Nginx);
    }

    #[test]
    fn tools_scripts_and_interpreters_are_not_binaries() {
        for line in [
            "./docker-entrypoint.sh",
            "/start.sh",
            "caddy run",
            "redis-server",
            "sleep infinity",
            "cargo build --release",
            "cargo test run",
            "$APP_BIN",
            "ruby app.rb",
            "/usr/bin/supervisord -n",
            "app.jar",
        ] {
            let l = run(line);
            assert!(
                matches!(l.server, ServerKind::Other { .. }),
                "{line}: {:?}",
                l.server
            );
        }
    }

    #[test]
    fn malformed_commands_never_panic() {
        for line in ["cargo", "cargo run --bin", "nginx -c", "./", "/"] {
            let _ = run(line);
        }
    }
}
