//! Node.js launchers: `node file.js` (also `nodejs`, `ts-node`, `tsx`,
//! `nodemon`, `bun`, `deno run`), package scripts (`npm start`, `npm run x`,
//! `yarn x`, `pnpm x`, `bun run x`), `npx`/`pnpm exec`/`bunx` wrappers, and
//! Next.js `next start`/`next dev` (`-p`/`--port`, else `PORT`, else 3000;
//! `-H`/`--hostname`, else 0.0.0.0) and `deno serve` (`--port`, default
//! 8000; `--host`, default 0.0.0.0).
//!
//! Only `next` and `deno serve` carry a port of their own: for a script the
//! code's listen call decides, and for a package script the command of the
//! `package.json` script does (see `SourceFacts::package_scripts`).

use crate::options::{default_setting, env_setting, parse_options, value_option};
use crate::{base_name, other, Env, Launch, ServerKind, Setting};
use seamcheck_facts::{Located, ValueExpr};

/// Paths a `node FILE` launch may run: the file, or what Node resolves a
/// name without extension to (`server` -> `server.js`, `server/index.js`).
pub(crate) fn runs(file: &str) -> Vec<String> {
    if base_name(file).contains('.') {
        vec![file.to_string()]
    } else {
        let f = file.trim_end_matches('/');
        vec![
            format!("{f}.js"),
            format!("{f}/index.js"),
            format!("{f}.mjs"),
            format!("{f}.cjs"),
        ]
    }
}

/// `None` when `program` is not one of this module's launchers.
pub(crate) fn launch(
    program: &str,
    first: &Located<String>,
    rest: &[Located<String>],
    env: &Env<'_>,
) -> Option<Launch> {
    let _ = first;
    match program {
        "node" | "nodejs" | "ts-node" | "ts-node-esm" | "tsx" | "nodemon" => {
            Some(node_script(program, rest))
        }
        "bun" => Some(bun(rest, env)),
        "bunx" | "npx" | "pnpx" => Some(runner(program, rest, env)),
        "deno" => Some(deno(rest)),
        "npm" => Some(npm(rest, env)),
        "yarn" | "pnpm" => Some(yarn_or_pnpm(program, rest, env)),
        "next" => Some(next(rest, env)),
        _ => None,
    }
}

/// Options of node (and the script runners) that take the next word.
const NODE_VALUE_OPTIONS: &[&str] = &[
    "-r",
    "--require",
    "--import",
    "--loader",
    "--experimental-loader",
    "-C",
    "--conditions",
    "--env-file",
    "--title",
    "--input-type",
    "--inspect-port",
    "--watch-path",
    // nodemon
    "-w",
    "--watch",
    "-e",
    "--ext",
    "-x",
    "--exec",
    "-d",
    "--delay",
    "-i",
    "--ignore",
    "--signal",
    // ts-node
    "-P",
    "--project",
    "-O",
    "--compiler-options",
];

/// `node [options] file [args]`: runs `file`. `-e`/`-p`/`-` run no file.
fn node_script(program: &str, args: &[Located<String>]) -> Launch {
    let mut i = 0;
    // `tsx watch file`, `node --watch file`: a development watcher.
    let mut watch = None;
    while let Some(w) = args.get(i) {
        let v = w.value.as_str();
        if matches!(
            v,
            "-e" | "--eval" | "-p" | "--print" | "-" | "-i" | "--interactive"
        ) && program != "nodemon"
        {
            return other(program);
        }
        if v == "--" {
            i += 1;
            continue;
        }
        if program == "tsx" && v == "watch" && i == 0 {
            watch = Some(w.clone());
            i += 1;
            continue;
        }
        if v.starts_with('-') {
            if v == "--watch" && program != "nodemon" {
                watch = Some(w.clone());
                i += 1;
                continue;
            }
            let takes_value = NODE_VALUE_OPTIONS.contains(&v) && !v.contains('=');
            i += if takes_value { 2 } else { 1 };
            continue;
        }
        let mut launch = script_launch(w);
        if program == "nodemon" {
            watch = Some(Located::new(program.to_string(), w.loc.clone()));
        }
        launch.debug = watch.map(|w| watcher_setting(&w));
        return launch;
    }
    other(program)
}

fn script_launch(file: &Located<String>) -> Launch {
    Launch {
        server: ServerKind::NodeScript {
            file: file.value.clone(),
        },
        app_target: Some(file.clone()),
        ..other("node")
    }
}

fn watcher_setting(word: &Located<String>) -> Setting {
    Setting {
        value: ValueExpr::literal("true"),
        loc: Some(word.loc.clone()),
        origin: format!("`{}`: a development file watcher", word.value),
    }
}

fn package_script(manager: &str, script: &Located<String>) -> Launch {
    Launch {
        server: ServerKind::PackageScript {
            manager: manager.to_string(),
            script: script.value.clone(),
        },
        app_target: Some(script.clone()),
        ..other(manager)
    }
}

/// Index of the first word that is not an option; `with_value` options take
/// the next word.
fn first_positional(args: &[Located<String>], with_value: &[&str]) -> Option<usize> {
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let v = w.value.as_str();
        if !v.starts_with('-') || v == "-" {
            return Some(i);
        }
        i += if with_value.contains(&v) { 2 } else { 1 };
    }
    None
}

/// `npm [opts] start|test|stop|restart`, `npm run[-script] NAME`.
fn npm(args: &[Located<String>], env: &Env<'_>) -> Launch {
    let opts = &[
        "--prefix",
        "-w",
        "--workspace",
        "--loglevel",
        "-C",
        "--userconfig",
    ];
    let Some(at) = first_positional(args, opts) else {
        return other("npm");
    };
    let rest = args.get(at + 1..).unwrap_or(&[]);
    let Some(command) = args.get(at) else {
        return other("npm");
    };
    match command.value.as_str() {
        "start" | "test" | "t" | "tst" | "stop" | "restart" => {
            let script = match command.value.as_str() {
                "t" | "tst" => Located::new("test".to_string(), command.loc.clone()),
                _ => command.clone(),
            };
            package_script("npm", &script)
        }
        "run" | "run-script" | "rum" | "urn" => match first_positional(rest, opts) {
            Some(n) => rest
                .get(n)
                .map_or_else(|| other("npm"), |s| package_script("npm", s)),
            None => other("npm"),
        },
        "exec" | "x" => runner("npm", rest, env),
        _ => other("npm"),
    }
}

/// yarn and pnpm commands that are not scripts.
const YARN_PNPM_BUILTINS: &[&str] = &[
    "install",
    "i",
    "add",
    "remove",
    "rm",
    "upgrade",
    "up",
    "update",
    "init",
    "info",
    "config",
    "cache",
    "workspace",
    "workspaces",
    "why",
    "pack",
    "publish",
    "version",
    "bin",
    "global",
    "link",
    "unlink",
    "login",
    "logout",
    "audit",
    "outdated",
    "list",
    "ls",
    "licenses",
    "create",
    "import",
    "set",
    "plugin",
    "prune",
    "rebuild",
    "store",
    "fetch",
    "deploy",
    "patch",
    "install-test",
    "it",
];

/// `yarn [--cwd d] NAME`, `yarn run NAME`, `pnpm [--filter f] NAME`,
/// `pnpm run NAME`, `yarn node file`, `pnpm exec cmd`, `yarn dlx cmd`.
fn yarn_or_pnpm(manager: &str, args: &[Located<String>], env: &Env<'_>) -> Launch {
    let opts = &["--cwd", "--filter", "-F", "--dir", "-C", "--workspace"];
    let Some(at) = first_positional(args, opts) else {
        // Bare `yarn` installs.
        return other(manager);
    };
    let rest = args.get(at + 1..).unwrap_or(&[]);
    let Some(command) = args.get(at) else {
        return other(manager);
    };
    match command.value.as_str() {
        "run" | "run-script" => match first_positional(rest, opts) {
            Some(n) => rest
                .get(n)
                .map_or_else(|| other(manager), |s| package_script(manager, s)),
            None => other(manager),
        },
        "node" => node_script("node", rest),
        "exec" | "dlx" => runner(manager, rest, env),
        c if YARN_PNPM_BUILTINS.contains(&c) => other(manager),
        _ => package_script(manager, command),
    }
}

/// `npx [-y] cmd args`, `bunx cmd`, `pnpm exec cmd`: runs `cmd`.
fn runner(program: &str, args: &[Located<String>], env: &Env<'_>) -> Launch {
    let opts = &["-p", "--package", "-c", "--call"];
    let Some(at) = first_positional(args, opts) else {
        return other(program);
    };
    let (Some(command), rest) = (args.get(at), args.get(at + 1..).unwrap_or(&[])) else {
        return other(program);
    };
    let name = base_name(&command.value).to_string();
    launch(&name, command, rest, env).unwrap_or_else(|| other(&name))
}

/// `bun [run] file.ts` runs a file; `bun [run] NAME` a package script.
fn bun(args: &[Located<String>], env: &Env<'_>) -> Launch {
    let opts = &["--cwd", "--env-file", "--preload", "-r", "--config", "-c"];
    let Some(at) = first_positional(args, opts) else {
        return other("bun");
    };
    let Some(word) = args.get(at) else {
        return other("bun");
    };
    let (target, _) = match word.value.as_str() {
        "run" => {
            let rest = args.get(at + 1..).unwrap_or(&[]);
            match first_positional(rest, opts).and_then(|n| rest.get(n)) {
                Some(t) => (t, rest),
                None => return other("bun"),
            }
        }
        "x" => return runner("bun", args.get(at + 1..).unwrap_or(&[]), env),
        "install" | "i" | "add" | "remove" | "build" | "test" | "upgrade" | "init" | "create"
        | "link" | "pm" => return other("bun"),
        _ => (word, args),
    };
    if looks_like_file(&target.value) {
        script_launch(target)
    } else {
        package_script("bun", target)
    }
}

fn looks_like_file(word: &str) -> bool {
    const EXTENSIONS: &[&str] = &[".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx"];
    word.contains('/') || EXTENSIONS.iter().any(|e| word.ends_with(e))
}

/// `deno run [flags] file`, `deno serve [--port p] [--host h] file`.
fn deno(args: &[Located<String>]) -> Launch {
    let opts = &[
        "-c",
        "--config",
        "--import-map",
        "--lock",
        "--cert",
        "--location",
        "--env-file",
        "--port",
        "--host",
    ];
    let Some(command) = args.first() else {
        return other("deno");
    };
    let rest = args.get(1..).unwrap_or(&[]);
    match command.value.as_str() {
        "run" => match first_positional(rest, opts).and_then(|n| rest.get(n)) {
            Some(file) => script_launch(file),
            None => other("deno"),
        },
        "serve" => {
            // Deno's many `--allow-*` switches: only `--port`/`--host` matter.
            let mut wanted = Vec::new();
            let mut words = rest.iter();
            while let Some(w) = words.next() {
                if w.value == "--port" || w.value == "--host" {
                    wanted.push(w.clone());
                    wanted.extend(words.next().cloned());
                } else if w.value.starts_with("--port=") || w.value.starts_with("--host=") {
                    wanted.push(w.clone());
                }
            }
            let options = parse_options(&wanted, &[]);
            let Some(file) = first_positional(rest, opts).and_then(|n| rest.get(n)) else {
                return other("deno");
            };
            let mut launch = script_launch(file);
            launch.port = value_option(&options, &["--port"])
                .or_else(|| Some(default_setting("8000", "deno serve default port 8000")));
            launch.host = value_option(&options, &["--host"]).or_else(|| {
                Some(default_setting(
                    "0.0.0.0",
                    "deno serve default host 0.0.0.0",
                ))
            });
            launch
        }
        _ => other("deno"),
    }
}

/// Next.js options that take no value.
const NEXT_FLAGS: &[&str] = &[
    "--turbo",
    "--turbopack",
    "--experimental-https",
    "-h",
    "--help",
];

/// `next start|dev [dir] [-p PORT] [-H HOST]`: the port is `-p`, else the
/// `PORT` variable, else 3000; the host `-H`, else every interface.
fn next(args: &[Located<String>], env: &Env<'_>) -> Launch {
    let Some(command) = args.first() else {
        return other("next");
    };
    let is_dev = command.value == "dev";
    if command.value != "start" && !is_dev {
        return other("next");
    }
    let options = parse_options(args.get(1..).unwrap_or(&[]), NEXT_FLAGS);
    let mut launch = Launch {
        server: ServerKind::NextStart,
        app_target: options.positionals.first().cloned(),
        ..other("next")
    };
    launch.port = value_option(&options, &["-p", "--port"])
        .or_else(|| env_setting("PORT", env))
        .or_else(|| Some(default_setting("3000", "next start default port 3000")));
    launch.host = value_option(&options, &["-H", "--hostname"]).or_else(|| {
        Some(default_setting(
            "0.0.0.0",
            "next start default host 0.0.0.0",
        ))
    });
    if is_dev {
        launch.debug = Some(Setting {
            value: ValueExpr::literal("true"),
            loc: Some(command.loc.clone()),
            origin: "`next dev`: the development server".to_string(),
        });
    }
    launch
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpret;
    use seamcheck_facts::shell::split_words;
    use seamcheck_facts::LineIndex;

    fn run(line: &str, env: &[(&str, &str)]) -> Launch {
        let words = split_words(line, 0, &LineIndex::new("cmd", line));
        let lookup = |name: &str| {
            env.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        };
        interpret(&words, &lookup).unwrap_or_else(|| other("<empty>"))
    }

    fn text<'a>(line: &'a str, s: &Option<Setting>) -> Option<&'a str> {
        let loc = s.as_ref()?.loc.as_ref()?;
        line.get(loc.span.start..loc.span.end)
    }

    fn script(file: &str) -> ServerKind {
        ServerKind::NodeScript { file: file.into() }
    }

    fn pkg(manager: &str, script: &str) -> ServerKind {
        ServerKind::PackageScript {
            manager: manager.into(),
            script: script.into(),
        }
    }

    #[test]
    fn scripts_and_package_scripts() {
        let rows: Vec<(&str, ServerKind, Option<&str>)> = vec![
            ("node server.js", script("server.js"), Some("server.js")),
            (
                "node --enable-source-maps -r dotenv/config dist/main.js --port 1",
                script("dist/main.js"),
                Some("dist/main.js"),
            ),
            (
                "/usr/local/bin/node --max-old-space-size=512 index.mjs",
                script("index.mjs"),
                Some("index.mjs"),
            ),
            (
                "node --env-file .env app.js",
                script("app.js"),
                Some("app.js"),
            ),
            (
                "ts-node -P tsconfig.json src/main.ts",
                script("src/main.ts"),
                Some("src/main.ts"),
            ),
            (
                "tsx watch src/index.ts",
                script("src/index.ts"),
                Some("src/index.ts"),
            ),
            (
                "nodemon -w src --exec node src/app.js",
                script("src/app.js"),
                Some("src/app.js"),
            ),
            (
                "bun run src/index.ts",
                script("src/index.ts"),
                Some("src/index.ts"),
            ),
            ("bun server.js", script("server.js"), Some("server.js")),
            (
                "deno run --allow-net -A main.ts",
                script("main.ts"),
                Some("main.ts"),
            ),
            ("npm start", pkg("npm", "start"), Some("start")),
            (
                "npm run start:prod",
                pkg("npm", "start:prod"),
                Some("start:prod"),
            ),
            (
                "npm --prefix api run-script serve",
                pkg("npm", "serve"),
                Some("serve"),
            ),
            (
                "npm run --silent serve -- --port 4000",
                pkg("npm", "serve"),
                Some("serve"),
            ),
            ("yarn start", pkg("yarn", "start"), Some("start")),
            (
                "yarn --cwd api run serve",
                pkg("yarn", "serve"),
                Some("serve"),
            ),
            (
                "pnpm --filter api start",
                pkg("pnpm", "start"),
                Some("start"),
            ),
            ("pnpm run prod", pkg("pnpm", "prod"), Some("prod")),
            ("bun run start", pkg("bun", "start"), Some("start")),
            (
                "yarn node server.js",
                script("server.js"),
                Some("server.js"),
            ),
            (
                "npx ts-node src/server.ts",
                script("src/server.ts"),
                Some("src/server.ts"),
            ),
            (
                "dumb-init node server.js",
                script("server.js"),
                Some("server.js"),
            ),
            (
                "sh -c 'npm run migrate && exec node server.js'",
                script("server.js"),
                Some("server.js"),
            ),
        ];
        for (line, server, target) in rows {
            let l = run(line, &[]);
            assert_eq!(l.server, server, "{line}");
            assert_eq!(
                l.app_target.as_ref().map(|a| a.value.as_str()),
                target,
                "{line}"
            );
            // The word is located where it is written.
            if let (Some(t), Some(a)) = (target, &l.app_target) {
                if t != "test" {
                    assert_eq!(
                        line.get(a.loc.span.start..a.loc.span.end),
                        Some(t),
                        "{line}"
                    );
                }
            }
            assert!(l.port.is_none() && l.host.is_none(), "{line}");
        }
    }

    #[test]
    fn not_servers() {
        for line in [
            "node",
            "node -e 'require(\"./x\")'",
            "node --print 1",
            "npm",
            "npm install",
            "npm ci --omit=dev",
            "yarn",
            "yarn install --frozen-lockfile",
            "pnpm add x",
            "bun install",
            "deno task start",
            "deno",
            "next build",
            "next",
            "npx",
            "npm run",
        ] {
            let l = run(line, &[]);
            assert!(
                matches!(l.server, ServerKind::Other { .. }),
                "{line}: {:?}",
                l.server
            );
        }
    }

    #[test]
    fn next_start_ports() {
        let line = "next start -p 4000 -H 127.0.0.1";
        let l = run(line, &[]);
        assert_eq!(l.server, ServerKind::NextStart);
        assert_eq!(
            l.port.as_ref().map(|p| &p.value),
            Some(&ValueExpr::literal("4000"))
        );
        assert_eq!(text(line, &l.port), Some("4000"));
        assert_eq!(text(line, &l.host), Some("127.0.0.1"));

        let line = "next start --port=${PORT:-3001}";
        let l = run(line, &[]);
        assert_eq!(
            l.port.as_ref().map(|p| &p.value),
            Some(&ValueExpr::env("PORT", Some("3001".into())))
        );
        assert_eq!(text(line, &l.port), Some("${PORT:-3001}"));

        let l = run("next start", &[("PORT", "8080")]);
        assert_eq!(
            l.port.as_ref().map(|p| &p.value),
            Some(&ValueExpr::env("PORT", None))
        );
        assert!(l.port.as_ref().is_some_and(|p| p.loc.is_none()));

        let l = run("npx next start", &[]);
        assert_eq!(l.server, ServerKind::NextStart);
        assert_eq!(
            l.port.as_ref().map(|p| &p.value),
            Some(&ValueExpr::literal("3000"))
        );
        assert_eq!(
            l.host.as_ref().map(|p| &p.value),
            Some(&ValueExpr::literal("0.0.0.0"))
        );
        assert!(l.debug.is_none());

        let l = run("node_modules/.bin/next dev", &[]);
        assert_eq!(l.server, ServerKind::NextStart);
        assert!(l.debug.is_some());
    }

    #[test]
    fn deno_serve_has_its_own_defaults() {
        let line = "deno serve --allow-net --port 9000 main.ts";
        let l = run(line, &[]);
        assert_eq!(l.server, script("main.ts"));
        assert_eq!(text(line, &l.port), Some("9000"));
        assert_eq!(
            l.host.as_ref().map(|p| &p.value),
            Some(&ValueExpr::literal("0.0.0.0"))
        );
        let l = run("deno serve main.ts", &[]);
        assert_eq!(
            l.port.as_ref().map(|p| &p.value),
            Some(&ValueExpr::literal("8000"))
        );
    }

    #[test]
    fn watchers_are_debug() {
        assert!(run("nodemon app.js", &[]).debug.is_some());
        assert!(run("tsx watch a.ts", &[]).debug.is_some());
        assert!(run("node --watch a.js", &[]).debug.is_some());
        assert!(run("node a.js", &[]).debug.is_none());
    }

    #[test]
    fn malformed_never_panics() {
        for line in [
            "node -r",
            "npm run --",
            "yarn --cwd",
            "pnpm -F",
            "bun run",
            "bun x",
            "deno run",
            "deno serve --port",
            "next start -p",
            "npx -p",
            "tsx watch",
            "nodemon --exec",
        ] {
            let _ = run(line, &[]);
        }
    }
}
