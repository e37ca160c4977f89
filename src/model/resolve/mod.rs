//! What really runs in a deployment context, and where it listens.
//!
//! A context is the image alone (the Dockerfile's runtime stage) or one
//! Kubernetes container running that image. For each, the runtime's rules are
//! applied in order: the image's ENTRYPOINT + CMD (replaced by the container's
//! `command`/`args`), the image ENV (overridden by the container `env`), then
//! the start command decides which code runs and what host/port it binds:
//! a server flag, a server default, or the app's own `app.run(...)` when the
//! command runs the file as a script.

mod entry;
mod env;

pub use entry::normalize_relative;
pub use env::{EnvEntry, Environment};

use crate::finding::Related;
use crate::model::base_image;
use crate::model::image::ImageView;
use crate::model::inventory::Inventory;
use crate::model::link::Service;
use seamcheck_facts::dockerfile::{CommandFact, CommandForm};
use seamcheck_facts::kube::Container;
use seamcheck_facts::source::Listen;
use seamcheck_facts::{Located, Location, ValueExpr};
use seamcheck_launch::{self as launch, Launch, ServerKind, Setting};

/// A value resolved in a context, with where it is set and how it got there.
#[derive(Debug, Clone)]
pub struct Resolved<T> {
    pub value: T,
    /// Where the value is written (or, for a default, the call/command that
    /// relies on it).
    pub loc: Location,
    /// Human description: "app.run(port=8080)", "gunicorn default 127.0.0.1".
    pub describe: String,
    /// Further steps of the chain (the ENV line that set the variable …).
    pub chain: Vec<Related>,
    /// The environment variable the value is read from, if any.
    pub reads: Option<String>,
}

impl<T> Resolved<T> {
    /// The primary evidence followed by the chain, for a finding's `related`.
    pub fn evidence(&self) -> Vec<Related> {
        let mut out = vec![Related {
            loc: self.loc.clone(),
            message: self.describe.clone(),
        }];
        out.extend(self.chain.iter().cloned());
        out
    }
}

/// The step of `evidence` to blame for drift against a `declared` value
/// when a render caused it: the first step a render put in place (its
/// location has a `via`: a kustomize patch, an overlay's value) while the
/// declared value is as written. The drift is fixed there, so findings and
/// the port chain's mismatch edges point there.
pub fn rendered_cause(declared: &Location, evidence: &[Related]) -> Option<usize> {
    if declared.via.is_some() {
        return None;
    }
    evidence.iter().position(|r| r.loc.via.is_some())
}

/// The code that a context runs.
#[derive(Debug, Clone)]
pub struct EntryCode {
    /// Index into `Inventory::sources`.
    pub source: usize,
    pub evidence: String,
}

#[derive(Debug, Clone)]
pub struct Runtime<'a> {
    pub launch: Option<Launch>,
    /// Where the start command is written (CMD/ENTRYPOINT or `command`/`args`).
    pub command_loc: Option<Location>,
    pub entry: Option<EntryCode>,
    /// The app's own listen call, when the start command runs it.
    pub listen: Option<&'a Listen>,
    pub host: Option<Resolved<String>>,
    pub port: Option<Resolved<u16>>,
    /// Debug server mode in the code path that runs.
    pub debug: Option<Resolved<bool>>,
    pub env: Environment,
    /// The port is read from a variable with no default that nothing in this
    /// context sets: the process cannot start as configured.
    pub missing_port_env: Option<MissingEnv>,
    /// Ports of management listeners (Spring actuator on
    /// `management.server.port`): probes may aim there.
    pub management_ports: Vec<u16>,
    /// The base image's own server runs, but its default port does not
    /// hold (the Dockerfile edits its configuration): why not.
    pub base_server_unknown: Option<String>,
}

#[derive(Debug, Clone)]
pub struct MissingEnv {
    pub var: String,
    /// Where the variable is read (the listen call's port, the `$PORT` flag).
    pub loc: Location,
    pub describe: String,
}

impl Runtime<'_> {
    pub fn port(&self) -> Option<u16> {
        self.port.as_ref().map(|p| p.value)
    }
}

/// The image alone.
pub fn image_runtime<'a>(inv: &Inventory<'a>, svc: &Service) -> Option<Runtime<'a>> {
    let df = inv.dockerfiles.get(svc.dockerfile?)?;
    let image = df.image()?;
    let env = Environment::from_image(&image);
    let argv = image_argv(&image);
    Some(runtime(inv, svc, &image, argv, env))
}

/// One Kubernetes container running the service's image (`stage` is `None`
/// when the image is not built in the scan).
pub fn container_runtime<'a>(
    inv: &Inventory<'a>,
    svc: &Service,
    container: &Container,
    workload: &crate::model::inventory::WorkloadRef<'_>,
) -> Option<Runtime<'a>> {
    let df = inv.dockerfiles.get(svc.dockerfile?)?;
    let view = df.image()?;
    let mut env = Environment::from_image(&view);
    let config_maps = inv.config_maps_in(workload.namespace());
    env.override_with_container(container, &workload.workload.kind, &config_maps);
    let expand = |words: &[Located<String>]| -> Vec<Located<String>> {
        words
            .iter()
            .map(|w| expand_k8s_refs(w, container))
            .collect()
    };
    // `command` is the entrypoint, `args` the CMD.
    let replaced = |words: &Vec<Located<String>>| Override {
        words: expand(words),
        loc: words.first().map(|w| w.loc.clone()),
    };
    let argv = join_overrides(
        &view,
        container.command.as_ref().map(replaced),
        container.args.as_ref().map(replaced),
    );
    Some(runtime(inv, svc, &view, argv, env))
}

/// Kubernetes expands `$(VAR)` in `command`/`args` from the container's `env`
/// before the program starts (no shell involved); `$$(VAR)` is a literal
/// `$(VAR)`, and a reference to an undefined variable is left as written.
fn expand_k8s_refs(word: &Located<String>, container: &Container) -> Located<String> {
    let text = &word.value;
    if !text.contains("$(") {
        return word.clone();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(escaped) = after.strip_prefix("$(") {
            out.push_str("$(");
            rest = escaped;
            continue;
        }
        let reference = after
            .strip_prefix('(')
            .and_then(|r| r.find(')').map(|end| (&r[..end], &r[end + 1..])));
        match reference {
            Some((name, tail)) => {
                let value = container
                    .env
                    .iter()
                    .rev()
                    .find(|e| e.name == name)
                    .and_then(|e| e.value.as_deref());
                match value {
                    Some(v) => out.push_str(v),
                    None => {
                        out.push_str("$(");
                        out.push_str(name);
                        out.push(')');
                    }
                }
                rest = tail;
            }
            None => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Located::new(out, word.loc.clone())
}

/// One compose service running the service's image (its `build.target` stage).
pub fn compose_runtime<'a>(
    inv: &Inventory<'a>,
    svc: &Service,
    link: &crate::model::link::ComposeLink,
) -> Option<Runtime<'a>> {
    let df = inv.dockerfiles.get(svc.dockerfile?)?;
    let cs = inv.compose_services.get(link.compose_service)?;
    let view = df.image_for(link.target.as_deref())?;
    // Compose interpolates from `.env` beside the compose file; variables of
    // the shell that runs compose are unknown (and empty for compose).
    let dotenv_path = normalize_relative(&format!(
        "{}/.env",
        crate::model::inventory::parent_dir(cs.path)
    ));
    let dotenv = inv.dotenvs.iter().find(|d| d.path == dotenv_path);
    let lookup = |name: &str| -> Option<String> {
        dotenv?
            .file
            .dotenv
            .iter()
            .rev()
            .find(|v| v.name == name)
            .and_then(|v| v.value.clone())
    };
    let mut env = Environment::from_image(&view);
    env.override_with_compose(inv, cs, &lookup);
    let interp = |w: &Located<String>| {
        let v = seamcheck_facts::compose::interpolate(&w.value, &lookup)
            .unwrap_or_else(|_| w.value.clone());
        Located::new(v, w.loc.clone())
    };
    let s = cs.service;
    let replaced = |c: &seamcheck_facts::compose::ComposeCommand| Override {
        words: c.argv.iter().map(interp).collect(),
        loc: Some(c.loc.clone()),
    };
    let argv = join_overrides(
        &view,
        s.entrypoint.as_ref().map(replaced),
        s.command.as_ref().map(replaced),
    );
    Some(runtime(inv, svc, &view, argv, env))
}

/// An orchestrator's replacement of the image's ENTRYPOINT or CMD: its
/// words (already expanded as that orchestrator does) and where it is written.
struct Override {
    words: Vec<Located<String>>,
    loc: Option<Location>,
}

/// The command a container runs, as Docker joins an orchestrator's overrides
/// with the image: a new entrypoint (Kubernetes `command`, compose
/// `entrypoint`) drops the image's CMD; a new CMD alone (`args`, `command`)
/// keeps the image's ENTRYPOINT; neither runs the image's own command.
fn join_overrides(
    view: &ImageView<'_>,
    entrypoint: Option<Override>,
    cmd: Option<Override>,
) -> Argv {
    match (entrypoint, cmd) {
        (Some(ep), cmd) => Argv {
            words: ep
                .words
                .into_iter()
                .chain(cmd.into_iter().flat_map(|c| c.words))
                .collect(),
            expands: false,
            loc: ep.loc,
            base_runs: None,
        },
        (None, Some(cmd)) => {
            let ep = view.entrypoint();
            Argv {
                words: ep
                    .map(|e| e.argv.clone())
                    .unwrap_or_default()
                    .into_iter()
                    .chain(cmd.words)
                    .collect(),
                expands: ep.is_some_and(|e| e.form == CommandForm::Shell),
                loc: cmd.loc,
                base_runs: None,
            }
        }
        (None, None) => image_argv(view),
    }
}

struct Argv {
    words: Vec<Located<String>>,
    /// A shell runs the command and expands `$VAR` (shell form, `sh -c`).
    expands: bool,
    loc: Option<Location>,
    /// Neither the Dockerfile nor the orchestrator sets the command: the
    /// base image's own runs.
    base_runs: Option<&'static base_image::BaseImageFacts>,
}

/// ENTRYPOINT + CMD as Docker joins them. A shell-form ENTRYPOINT ignores CMD.
/// What the Dockerfile does not set comes from the base image when the
/// base-image table knows it (`FROM php:8.3-apache` runs `apache2-foreground`).
fn image_argv(image: &ImageView<'_>) -> Argv {
    let shell = |c: &CommandFact| c.form == CommandForm::Shell;
    let base = image.external_base();
    let base_facts = base_image::facts_of(&base.value.repository, base.value.tag.as_deref());
    let base_words = |words: &[&str]| -> Vec<Located<String>> {
        words
            .iter()
            .map(|w| Located::new(w.to_string(), base.loc.clone()))
            .collect()
    };
    match (image.entrypoint(), image.cmd()) {
        (Some(ep), _) if shell(ep) => Argv {
            words: ep.argv.clone(),
            expands: true,
            loc: Some(ep.loc.clone()),
            base_runs: None,
        },
        (Some(ep), cmd) => Argv {
            words: ep
                .argv
                .iter()
                .chain(cmd.iter().flat_map(|c| c.argv.iter()))
                .cloned()
                .collect(),
            expands: cmd.is_some_and(shell),
            loc: Some(ep.loc.clone()),
            base_runs: None,
        },
        // The base image's ENTRYPOINT runs the CMD (`node` of distroless).
        (None, Some(cmd)) => Argv {
            words: match base_facts {
                Some(f) if !shell(cmd) => base_words(f.entrypoint)
                    .into_iter()
                    .chain(cmd.argv.iter().cloned())
                    .collect(),
                _ => cmd.argv.clone(),
            },
            expands: shell(cmd),
            loc: Some(cmd.loc.clone()),
            // `CMD ["catalina.sh", "run"]` restates the base's own command.
            base_runs: base_facts.filter(|f| {
                let base_program = f.cmd.first().map(|w| launch::base_name(w));
                let program = cmd.argv.first().map(|w| launch::base_name(&w.value));
                f.server.is_some()
                    && f.entrypoint.is_empty()
                    && !shell(cmd)
                    && base_program.is_some()
                    && base_program == program
            }),
        },
        // Neither is set: the base image's own command runs.
        (None, None) => match base_facts {
            Some(f) => Argv {
                words: base_words(f.entrypoint)
                    .into_iter()
                    .chain(base_words(f.cmd))
                    .collect(),
                expands: false,
                loc: Some(base.loc.clone()),
                base_runs: Some(f),
            },
            None => Argv {
                words: Vec::new(),
                expands: false,
                loc: None,
                base_runs: None,
            },
        },
    }
}

/// The base image's own command runs and starts its server: its port is the
/// image's default (or the variable it reads), unless the Dockerfile touches
/// the server's configuration or the environment rebinds it.
/// The port and host a base image's server listens on.
type ServerAddress = (Resolved<u16>, Resolved<String>);

fn base_server_port(
    image: &ImageView<'_>,
    facts: &base_image::BaseImageFacts,
    env: &Environment,
) -> Result<Option<ServerAddress>, String> {
    let Some(server) = facts.server.as_ref() else {
        return Ok(None);
    };
    let workdir = image.workdir().map_or(server.workdir, |w| w.value.as_str());
    // A copy into a config path, or into a folder that holds one.
    let touches = |dest: &str| {
        let dest = format!("/{}", normalize_relative(dest));
        server.config_paths.iter().any(|c| {
            let under = |a: &str, b: &str| {
                a == b || b == "/" || a.starts_with(&format!("{}/", b.trim_end_matches('/')))
            };
            under(&dest, c) || under(c, &dest)
        })
    };
    let copies_config = image.stages().iter().any(|s| {
        s.copies.iter().any(|c| {
            if c.dest.starts_with('/') {
                touches(&c.dest)
            } else {
                touches(&format!("{}/{}", workdir.trim_end_matches('/'), c.dest))
            }
        })
    });
    // A RUN that edits a config file about its port (`sed … ports.conf`,
    // `Listen 8080`); other edits (log targets) keep the default.
    let edits_config = image.stages().iter().any(|s| {
        s.runs.iter().any(|r| {
            let text = r.text.to_ascii_lowercase();
            server.config_paths.iter().any(|c| r.text.contains(c))
                && (text.contains("listen")
                    || text.contains("port")
                    || text.contains(&server.port.to_string()))
        })
    });
    let config = server.config_paths.join(", ");
    if copies_config || edits_config {
        return Err(format!(
            "the {} image serves on {} by default, but the Dockerfile changes its configuration ({config})",
            facts.name, server.port
        ));
    }
    if let Some(var) = server.rebinding_env.iter().find(|v| env.get(v).is_some()) {
        return Err(format!(
            "the {} image serves on {} by default, but `{var}` rebinds it",
            facts.name, server.port
        ));
    }
    let base = image.external_base();
    let host = Resolved {
        value: "0.0.0.0".to_string(),
        loc: base.loc.clone(),
        describe: format!("the {} image serves on all interfaces", facts.name),
        chain: Vec::new(),
        reads: None,
    };
    if let Some(entry) = server.port_env.and_then(|v| env.get(v)) {
        let Some(value) = entry
            .value
            .as_deref()
            .and_then(|v| v.trim().parse::<u16>().ok())
        else {
            return Err(format!(
                "the {} image reads its port from `{}`, whose value is not known",
                facts.name, entry.name
            ));
        };
        let port = Resolved {
            value,
            loc: entry.loc.clone(),
            describe: format!("{}={value} ({})", entry.name, entry.layer),
            chain: vec![Related {
                loc: base.loc.clone(),
                message: format!("the {} image reads `{}`", facts.name, entry.name),
            }],
            reads: Some(entry.name.clone()),
        };
        return Ok(Some((port, host)));
    }
    let port = Resolved {
        value: server.port,
        loc: base.loc.clone(),
        describe: format!(
            "the {} image `{}` runs its server on port {} (its default configuration)",
            facts.name, base.value.raw, server.port
        ),
        chain: Vec::new(),
        reads: server.port_env.map(str::to_string),
    };
    Ok(Some((port, host)))
}

fn runtime<'a>(
    inv: &Inventory<'a>,
    svc: &Service,
    image: &ImageView<'_>,
    argv: Argv,
    env: Environment,
) -> Runtime<'a> {
    let base_runs = argv.base_runs;
    let mut rt = command_runtime(inv, svc, image, argv, env);
    if let (None, Some(facts)) = (&rt.port, base_runs) {
        match base_server_port(image, facts, &rt.env) {
            Ok(Some((port, host))) => {
                rt.port = Some(port);
                rt.host = rt.host.take().or(Some(host));
            }
            Ok(None) => {}
            Err(why) => rt.base_server_unknown = Some(why),
        }
    }
    rt
}

fn command_runtime<'a>(
    inv: &Inventory<'a>,
    svc: &Service,
    image: &ImageView<'_>,
    argv: Argv,
    env: Environment,
) -> Runtime<'a> {
    let expands = argv.expands || launch::runs_shell(&argv.words);
    let lookup = |name: &str| env.get(name).and_then(|e| e.value.clone());
    let launch = launch::interpret(&argv.words, &lookup);
    let mut rt = Runtime {
        launch: None,
        command_loc: argv.loc.clone(),
        entry: None,
        listen: None,
        host: None,
        port: None,
        debug: None,
        env: Environment::default(),
        missing_port_env: None,
        management_ports: Vec::new(),
        base_server_unknown: None,
    };
    let Some(mut launch) = launch else {
        rt.env = env;
        return rt;
    };
    let mut command_loc = argv
        .loc
        .clone()
        .or_else(|| launch.argv.first().map(|w| w.loc.clone()));
    let mut expands = expands;
    // The step before the command that runs the code (`npm start` in the CMD).
    let mut via: Option<Related> = None;
    // `npm start` runs the package.json script, through a shell.
    if let ServerKind::PackageScript { script, manager } = &launch.server {
        if let Some((words, loc)) = package_script(inv, svc, script, command_loc.as_ref()) {
            if let Some(inner) = launch::interpret(&words, &lookup) {
                via = command_loc.clone().map(|cl| Related {
                    loc: cl,
                    message: format!("`{manager}` runs the `{script}` script"),
                });
                launch = inner;
                command_loc = Some(loc);
                expands = true;
            }
        }
    }
    rt.command_loc = command_loc.clone();
    rt.entry = entry::entry_code(inv, svc, image, &launch);
    if matches!(launch.server, ServerKind::Other { .. }) {
        rt.launch = Some(launch);
        rt.env = env;
        return rt;
    }
    // What the start command itself sets (a flag, a server default) wins over
    // the code: gunicorn never runs the module's `app.run()`.
    if let Some(cl) = &command_loc {
        rt.port = launch
            .port
            .as_ref()
            .and_then(|s| setting_port(s, cl, &env, expands));
        rt.host = launch
            .host
            .as_ref()
            .and_then(|s| setting_host(s, cl, &env, expands));
        rt.debug = launch.debug.as_ref().and_then(|s| {
            let loc = s.loc.clone().unwrap_or_else(|| cl.clone());
            truthy(&s.value, &env).map(|value| Resolved {
                value,
                loc,
                describe: s.origin.clone(),
                chain: Vec::new(),
                reads: None,
            })
        });
    }
    // Otherwise the code the command runs decides, through its listen call.
    let listen = rt
        .entry
        .as_ref()
        .filter(|_| !launch.serves_app_object())
        .and_then(|e| inv.sources.get(e.source))
        .and_then(|s| s.facts.main_listen().map(|(i, l)| (s.facts, i, l)));
    // Management ports (Spring actuator) are where probes may aim too.
    rt.management_ports = rt
        .entry
        .as_ref()
        .and_then(|e| inv.sources.get(e.source))
        .map(|s| {
            s.facts
                .management_listens()
                .filter_map(|l| listen_port(l, &env, true).map(|p| p.value))
                .collect()
        })
        .unwrap_or_default();
    if let (None, Some(setting), Some(cl)) = (&rt.port, &launch.port, &command_loc) {
        if let Some(var) = missing_env(&setting.value, &env) {
            rt.missing_port_env = Some(MissingEnv {
                var: var.to_string(),
                loc: setting.loc.clone().unwrap_or_else(|| cl.clone()),
                describe: setting.origin.clone(),
            });
        }
    }
    if let Some((facts, index, listen)) = listen {
        rt.listen = Some(listen);
        let listen = active_profile_listen(inv, svc, listen, &env);
        // A URL written in ASP.NET code or configuration outranks `--urls`.
        let code_wins =
            launch.code_outranks_command() && facts.scope_of(index).is_none_or(|s| !s.implicit);
        if code_wins {
            rt.port = None;
            rt.host = None;
        }
        let overrides = facts
            .scope_of(index)
            .map_or(&[][..], |s| s.env_overrides.as_slice());
        if let Some((port, host)) = env_override(overrides, &env) {
            if launch.port.is_none() || code_wins {
                rt.port = port;
            }
            if launch.host.is_none() || code_wins {
                rt.host = host.or(rt.host.take());
            }
        }
        if (launch.port.is_none() || code_wins) && rt.port.is_none() {
            rt.port = listen_port(listen, &env, true);
            if let (None, Some(p)) = (&rt.port, &listen.port) {
                if let Some(var) = missing_env(&p.value, &env) {
                    rt.missing_port_env = Some(MissingEnv {
                        var: var.to_string(),
                        loc: p.loc.clone(),
                        describe: describe_call(listen, "port", &expr_text(&p.value)),
                    });
                }
            }
        }
        if (launch.host.is_none() || code_wins) && rt.host.is_none() {
            rt.host = listen_host(listen, &env, true);
        }
        if rt.debug.is_none() {
            rt.debug = listen_debug(listen, &env);
        }
        // Show which start command makes this code the one that runs.
        if let Some(cl) = &command_loc {
            let words: Vec<&str> = launch.argv.iter().map(|w| w.value.as_str()).collect();
            let step = Related {
                loc: cl.clone(),
                message: format!("`{}` runs it", words.join(" ")),
            };
            for chain in [
                rt.port.as_mut().map(|p| &mut p.chain),
                rt.host.as_mut().map(|h| &mut h.chain),
            ]
            .into_iter()
            .flatten()
            {
                if !chain.iter().any(|c| c.loc == step.loc) {
                    chain.push(step.clone());
                    chain.extend(via.clone());
                }
            }
        }
    }
    rt.launch = Some(launch);
    rt.env = env;
    rt
}

/// The command of a `package.json` script of the build context (the one
/// nearest its root), split into words; `npm start` without a `start`
/// script runs `node server.js`.
fn package_script(
    inv: &Inventory<'_>,
    svc: &Service,
    script: &str,
    command: Option<&Location>,
) -> Option<(Vec<Located<String>>, Location)> {
    let mut packages: Vec<_> = svc
        .sources
        .iter()
        .filter_map(|&i| inv.sources.get(i))
        .filter(|s| !s.facts.package_scripts.is_empty() || s.path.ends_with("package.json"))
        .collect();
    packages.sort_by_key(|s| s.path.matches('/').count());
    let found = packages.iter().find_map(|p| {
        p.facts
            .package_scripts
            .iter()
            .find(|s| s.name.value == script)
    });
    match found {
        Some(s) => Some((
            seamcheck_facts::shell::split_located(&s.command),
            s.command.loc.clone(),
        )),
        None if script == "start" && !packages.is_empty() => {
            let loc = command?.clone();
            let words = ["node", "server.js"]
                .iter()
                .map(|w| Located::new(w.to_string(), loc.clone()))
                .collect();
            Some((words, loc))
        }
        None => None,
    }
}

/// The variables frameworks read their active profile from, and the profile
/// that applies when they are unset.
const PROFILE_VARS: &[(&str, Option<&str>)] = &[
    ("SPRING_PROFILES_ACTIVE", None),
    ("QUARKUS_PROFILE", None),
    ("MICRONAUT_ENVIRONMENTS", None),
    ("ASPNETCORE_ENVIRONMENT", Some("Production")),
    ("DOTNET_ENVIRONMENT", None),
];

/// The listen of the active profile (`application-prod.yml` with
/// `SPRING_PROFILES_ACTIVE=prod`, `appsettings.Production.json`) when one in
/// the build context sets a port; else `main`.
fn active_profile_listen<'a>(
    inv: &Inventory<'a>,
    svc: &Service,
    main: &'a Listen,
    env: &Environment,
) -> &'a Listen {
    let mut active: Vec<String> = Vec::new();
    for (var, default) in PROFILE_VARS {
        match env.get(var).and_then(|e| e.value.clone()) {
            Some(v) => active.extend(
                v.split(',')
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty()),
            ),
            None => active.extend(default.map(str::to_string)),
        }
    }
    // The last active profile wins, as in Spring.
    for profile in active.iter().rev() {
        for &i in &svc.sources {
            let Some(src) = inv.sources.get(i) else {
                continue;
            };
            if let Some((_, l)) = src
                .facts
                .profile_listens(profile)
                .into_iter()
                .find(|(_, l)| l.port.is_some())
            {
                return l;
            }
        }
    }
    main
}

/// A port and a host, each resolved or not.
type PortAndHost = (Option<Resolved<u16>>, Option<Resolved<String>>);

/// A variable that replaces the written port when set (`SERVER_PORT`,
/// `ASPNETCORE_URLS`), checked in order.
fn env_override(
    overrides: &[seamcheck_facts::source::EnvOverride],
    env: &Environment,
) -> Option<PortAndHost> {
    use seamcheck_facts::source::EnvFormat;
    overrides.iter().find_map(|o| {
        let entry = env.get(&o.var)?;
        let value = entry.value.as_deref()?;
        let (host, port) = match o.format {
            EnvFormat::Port => (None, value.split([';', ',']).next().and_then(parse_port)),
            EnvFormat::Urls => {
                let url = value
                    .split([';', ','])
                    .map(str::trim)
                    .find(|u| u.starts_with("http://"))?;
                let rest = url.trim_start_matches("http://");
                let authority = rest.split('/').next().unwrap_or(rest);
                let (h, p) = match authority.rsplit_once(':') {
                    Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
                        (h, parse_port(p))
                    }
                    _ => (authority, Some(80)),
                };
                let h = if matches!(h, "+" | "*" | "[::]") {
                    "0.0.0.0"
                } else {
                    h
                };
                (Some(h.to_string()), p)
            }
        };
        let describe = format!("{}={value} set by {}", o.var, entry.layer);
        let resolved = |v| Resolved {
            value: v,
            loc: entry.loc.clone(),
            describe: describe.clone(),
            chain: Vec::new(),
            reads: Some(o.var.clone()),
        };
        Some((
            port.map(resolved),
            host.map(|h| Resolved {
                value: h,
                loc: entry.loc.clone(),
                describe: describe.clone(),
                chain: Vec::new(),
                reads: Some(o.var.clone()),
            }),
        ))
    })
}

fn describe_call(listen: &Listen, arg: &str, text: &str) -> String {
    format!("{}({arg}={text})", listen.call)
}

fn listen_port(listen: &Listen, env: &Environment, expands: bool) -> Option<Resolved<u16>> {
    match &listen.port {
        None => Some(Resolved {
            value: listen.default_port,
            loc: listen.loc.clone(),
            describe: format!(
                "{}() without a port listens on {} ({} default)",
                listen.call, listen.default_port, listen.framework
            ),
            chain: Vec::new(),
            reads: None,
        }),
        Some(p) => {
            let (text, chain) = resolve_expr(&p.value, env, expands)?;
            let value = parse_port(&text)?;
            let mut describe = describe_call(listen, "port", &expr_text(&p.value));
            if let (ValueExpr::Env { var, .. }, true) = (&p.value, chain.is_empty()) {
                // The default applies: say that no layer overrides it.
                describe = format!("{describe}: no layer sets {var}, so {value}");
            }
            Some(Resolved {
                value,
                loc: p.loc.clone(),
                describe,
                chain,
                reads: env_var(&p.value),
            })
        }
    }
}

fn listen_host(listen: &Listen, env: &Environment, expands: bool) -> Option<Resolved<String>> {
    match &listen.host {
        None => Some(Resolved {
            value: listen.default_host.clone(),
            loc: listen.loc.clone(),
            describe: format!(
                "{}() without a host binds {} ({} default)",
                listen.call, listen.default_host, listen.framework
            ),
            chain: Vec::new(),
            reads: None,
        }),
        Some(h) => {
            let (value, chain) = resolve_expr(&h.value, env, expands)?;
            Some(Resolved {
                value,
                loc: h.loc.clone(),
                describe: describe_call(listen, "host", &expr_text(&h.value)),
                chain,
                reads: env_var(&h.value),
            })
        }
    }
}

/// `debug=True` (Flask) or `reload=True` (uvicorn) in the listen call that runs.
fn listen_debug(listen: &Listen, env: &Environment) -> Option<Resolved<bool>> {
    [("debug", &listen.debug), ("reload", &listen.reload)]
        .into_iter()
        .filter_map(|(arg, v)| {
            let d = v.as_ref()?;
            Some(Resolved {
                value: truthy(&d.value, env)?,
                loc: d.loc.clone(),
                describe: describe_call(listen, arg, &expr_text(&d.value)),
                chain: Vec::new(),
                reads: None,
            })
        })
        .max_by_key(|r| r.value)
}

fn setting_port(
    s: &Setting,
    command: &Location,
    env: &Environment,
    expands: bool,
) -> Option<Resolved<u16>> {
    let text = setting_host(s, command, env, expands)?;
    Some(Resolved {
        value: parse_port(&text.value)?,
        loc: text.loc,
        describe: text.describe,
        chain: text.chain,
        reads: text.reads,
    })
}

fn setting_host(
    s: &Setting,
    command: &Location,
    env: &Environment,
    expands: bool,
) -> Option<Resolved<String>> {
    // A server that reads the variable itself (gunicorn's `PORT`) needs no shell.
    let (value, chain) = resolve_expr(&s.value, env, expands || s.loc.is_none())?;
    Some(Resolved {
        value,
        loc: s.loc.clone().unwrap_or_else(|| command.clone()),
        describe: s.origin.clone(),
        chain,
        reads: env_var(&s.value),
    })
}

/// A value expression in this context's environment. `expands` is false for
/// exec-form arguments, which no shell expands: `${PORT}` reaches the program
/// as text, so seamcheck does not claim to know the value.
fn resolve_expr(
    expr: &ValueExpr,
    env: &Environment,
    expands: bool,
) -> Option<(String, Vec<Related>)> {
    match expr {
        ValueExpr::Env { .. } if !expands => None,
        ValueExpr::Literal { value } => Some((value.clone(), Vec::new())),
        ValueExpr::Env { var, default } => match env.get(var) {
            Some(EnvEntry {
                value: Some(v),
                loc,
                layer,
                ..
            }) => Some((
                v.clone(),
                vec![Related {
                    loc: loc.clone(),
                    message: format!("{var}={v} set by {layer}"),
                }],
            )),
            Some(EnvEntry { value: None, .. }) => None,
            None => default.clone().map(|d| (d, Vec::new())),
        },
        ValueExpr::Unknown { .. } => None,
    }
}

fn env_var(expr: &ValueExpr) -> Option<String> {
    match expr {
        ValueExpr::Env { var, .. } => Some(var.clone()),
        _ => None,
    }
}

/// The variable an expression needs that the environment does not set and
/// that has no default.
fn missing_env<'e>(expr: &'e ValueExpr, env: &Environment) -> Option<&'e str> {
    match expr {
        ValueExpr::Env { var, default: None }
            if env.get(var).is_none() && !env.has_opaque_sources =>
        {
            Some(var)
        }
        _ => None,
    }
}

pub fn expr_text(expr: &ValueExpr) -> String {
    match expr {
        ValueExpr::Literal { value } => value.clone(),
        ValueExpr::Env {
            var,
            default: Some(d),
        } => format!("${var} or {d}"),
        ValueExpr::Env { var, default: None } => format!("${var}"),
        ValueExpr::Unknown { text } => text.clone(),
    }
}

fn truthy(expr: &ValueExpr, env: &Environment) -> Option<bool> {
    let (text, _) = resolve_expr(expr, env, true)?;
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" | "" | "none" => Some(false),
        _ => None,
    }
}

fn parse_port(text: &str) -> Option<u16> {
    text.trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .parse()
        .ok()
}

/// Loopback addresses: a server bound there is unreachable from outside the
/// container (probes, Services, published ports).
pub fn is_loopback(host: &str) -> bool {
    let h = host.trim().trim_matches(|c| c == '[' || c == ']');
    h == "localhost" || h == "::1" || h.starts_with("127.")
}
