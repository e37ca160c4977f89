//! One entry of `services:`.

use crate::command::command;
use crate::fields::{env_entries, located_scalar, located_text, present, string_list};
use crate::healthcheck::healthcheck;
use crate::ports::{expose, ports};
use seamcheck_facts::compose::{ComposeBuild, ComposeExtends, ComposeService, EnvFile};
use seamcheck_facts::dockerfile::UserSpec;
use seamcheck_facts::{Located, ParseProblem};
use seamcheck_yaml::node::{boolean, is_mapping, merged_entries, sequence, text};
use seamcheck_yaml::{Entry, Node, SourceMap};

/// Reads one service; problems of its fields go to `problems`.
pub(crate) fn service(
    entry: Entry<'_, '_>,
    name: &str,
    src: &SourceMap<'_>,
    problems: &mut Vec<ParseProblem>,
) -> ComposeService {
    let node = entry.value;
    let list = |key: &str| present(node, key).map_or_else(Vec::new, |e| string_list(e.value, src));
    let (ports, unresolved_ports) = present(node, "ports")
        .map(|e| ports(e.value, src))
        .unwrap_or_default();
    let healthcheck = present(node, "healthcheck").map(|e| {
        let (check, problem) = healthcheck(e, src);
        problems.extend(problem);
        check
    });
    ComposeService {
        name: src.located(name.to_string(), entry.key),
        loc: src.entry_loc(entry.key, entry.value),
        image: located_text(node, "image", src),
        build: present(node, "build").map(|e| build(e, src)),
        container_name: located_text(node, "container_name", src),
        hostname: located_text(node, "hostname", src),
        ports,
        unresolved_ports,
        expose: present(node, "expose").map_or_else(Vec::new, |e| expose(e.value, src)),
        environment: present(node, "environment")
            .map_or_else(Vec::new, |e| env_entries(e.value, src)),
        env_files: present(node, "env_file").map_or_else(Vec::new, |e| env_files(e.value, src)),
        command: command(node, "command", src),
        entrypoint: command(node, "entrypoint", src),
        healthcheck,
        user: located_text(node, "user", src).map(|u| {
            let spec = user_spec(&u.value);
            Located::new(spec, u.loc)
        }),
        working_dir: located_text(node, "working_dir", src),
        network_mode: located_text(node, "network_mode", src),
        profiles: list("profiles"),
        depends_on: present(node, "depends_on").map_or_else(Vec::new, |e| depends_on(e.value, src)),
        extends: present(node, "extends").and_then(|e| extends(e.value, src)),
    }
}

/// `build: ./dir` or the long form.
fn build(entry: Entry<'_, '_>, src: &SourceMap<'_>) -> ComposeBuild {
    let node = entry.value;
    let mut build = ComposeBuild {
        context: None,
        dockerfile: None,
        target: None,
        args: Vec::new(),
        loc: src.entry_loc(entry.key, entry.value),
    };
    if let Some(context) = located_scalar(node, src) {
        build.context = Some(context);
        return build;
    }
    build.context = located_text(node, "context", src);
    build.dockerfile = located_text(node, "dockerfile", src);
    build.target = located_text(node, "target", src);
    build.args = present(node, "args").map_or_else(Vec::new, |e| env_entries(e.value, src));
    build
}

/// `env_file: .env`, a list of paths, or of `{path, required}`.
fn env_files(value: &Node<'_>, src: &SourceMap<'_>) -> Vec<EnvFile> {
    let one = |item: &Node<'_>| -> Option<EnvFile> {
        if let Some(path) = located_scalar(item, src) {
            let loc = path.loc.clone();
            return Some(EnvFile {
                path,
                required: true,
                loc,
            });
        }
        Some(EnvFile {
            path: located_text(item, "path", src)?,
            required: present(item, "required").and_then(|e| boolean(e.value)) != Some(false),
            loc: src.token_loc(item),
        })
    };
    if is_mapping(value) || text(value).is_some() {
        return one(value).into_iter().collect();
    }
    sequence(value).iter().filter_map(one).collect()
}

/// `depends_on: [db, cache]` or `depends_on: {db: {condition: …}}`.
fn depends_on(value: &Node<'_>, src: &SourceMap<'_>) -> Vec<Located<String>> {
    if is_mapping(value) {
        return merged_entries(value)
            .into_iter()
            .filter_map(|e| located_scalar(e.key, src))
            .collect();
    }
    string_list(value, src)
}

fn extends(value: &Node<'_>, src: &SourceMap<'_>) -> Option<ComposeExtends> {
    if let Some(service) = located_scalar(value, src) {
        return Some(ComposeExtends {
            service,
            file: None,
        });
    }
    Some(ComposeExtends {
        service: located_text(value, "service", src)?,
        file: located_text(value, "file", src),
    })
}

/// `user: "1000:1000"`, `user: node`, `user: ${UID}`.
fn user_spec(raw: &str) -> UserSpec {
    let (user, group) = match raw.split_once(':') {
        Some((u, g)) => (u, Some(g.to_string())),
        None => (raw, None),
    };
    UserSpec {
        raw: raw.to_string(),
        user: user.to_string(),
        group,
        uid: user.parse().ok(),
        unresolved: raw.contains('$'),
    }
}
