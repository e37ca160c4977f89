//! What a container's start command runs and where it listens.
//!
//! Used by the linker, which joins ENTRYPOINT and CMD (and Kubernetes
//! `command`/`args`) the way the runtime does and then asks this crate what the
//! resulting argv starts, which source files it runs ([`Launch::runs`]) and
//! where it listens; and by the analyzers that read health check commands
//! ([`healthcheck`]). It interprets an argv that analyzers already split
//! (`seamcheck_facts::shell`); it reads no file.
//!
//! One module per runtime: [`python`], [`node`], [`jvm`], [`dotnet`],
//! [`native`] (compiled binaries, nginx). Each has a `launch` function that
//! recognises its programs and a `runs` function that says which source files
//! a launch of its own runs. Wrappers (`sh -c`, `exec`, `tini`, `env`) are
//! peeled off by `wrappers.rs`; command-line option parsing shared by the
//! servers is in `options.rs`.

pub mod dotnet;
pub mod healthcheck;
pub mod jvm;
pub mod native;
pub mod node;
mod options;
pub mod python;
mod wrappers;

pub use seamcheck_facts::shell::base_name;
pub use wrappers::{runs_shell, unwrap_command};

use seamcheck_facts::{Located, Location, ValueExpr};
use serde::Serialize;
use wrappers::unwrap;

/// The server a start command launches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ServerKind {
    /// `python app/main.py`: runs that file as `__main__`.
    PythonScript {
        file: String,
    },
    /// `python -m package.module`.
    PythonModule {
        module: String,
    },
    Gunicorn,
    Uvicorn,
    Hypercorn,
    /// `flask run` / `python -m flask run`.
    FlaskRun,
    /// `streamlit run app.py` (`--server.port`, `STREAMLIT_SERVER_PORT`,
    /// default 8501 on all interfaces).
    Streamlit,
    /// `node server.js` (also `bun`, `deno run`, `ts-node`, `tsx`): runs that file.
    NodeScript {
        file: String,
    },
    /// `npm start`, `npm run NAME`, `yarn NAME`, `pnpm NAME`: runs a
    /// `package.json` script, whose own command decides.
    PackageScript {
        manager: String,
        script: String,
    },
    /// `next start` / `next dev` (Next.js: `-p`/`PORT`, default 3000).
    NextStart,
    /// `java [-Dserver.port=…] -jar app.jar` or `java -cp … Main`.
    Java {
        jar: Option<String>,
    },
    /// `dotnet App.dll [--urls …]`.
    Dotnet {
        dll: String,
    },
    /// A compiled program of the image (`/app/server`, `./api`): Go, Rust …
    Binary {
        path: String,
    },
    /// `nginx -g 'daemon off;'`: its configuration decides.
    Nginx,
    /// Some other program seamcheck does not model.
    Other {
        program: String,
    },
}

/// A host or port setting of the launch and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Setting {
    pub value: ValueExpr,
    /// Where it is written; `None` for a server default (then `origin` says which).
    pub loc: Option<Location>,
    /// Human explanation: "`--bind 0.0.0.0:8080`", "gunicorn default".
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Launch {
    pub server: ServerKind,
    /// `module:app` for gunicorn/uvicorn/hypercorn; the script for `python x.py`;
    /// the module for `python -m`; `FLASK_APP` or `None` for `flask run`.
    pub app_target: Option<Located<String>>,
    /// Effective bind host: explicit flag, env var the server reads, or the
    /// server default. `None` when the server is `Other` or a Python script
    /// (the script's own code decides).
    pub host: Option<Setting>,
    pub port: Option<Setting>,
    /// Debug/reload switches (`flask run --debug`, `FLASK_DEBUG=1`, `--reload`).
    pub debug: Option<Setting>,
    /// The argv as interpreted (after stripping `sh -c`, `exec`, init wrappers).
    pub argv: Vec<Located<String>>,
}

/// Interprets a start command. `env` answers the container's environment
/// (image ENV overridden by the orchestrator), used for server defaults that
/// read variables (gunicorn `PORT`, `FLASK_RUN_PORT` …). Returns `None` for an
/// empty argv.
///
/// Environment values are not copied into the settings: a setting read from a
/// variable is `ValueExpr::Env` (with `loc: None`), so the linker can show
/// where the variable was set.
pub fn interpret(argv: &[Located<String>], env: &dyn Fn(&str) -> Option<String>) -> Option<Launch> {
    let unwrapped = unwrap(argv);
    let env = Env {
        overlay: &unwrapped.assignments,
        outer: env,
    };
    let words = unwrapped.argv;
    let first = words.first()?;
    let program = base_name(&first.value).to_string();
    let rest = words.get(1..).unwrap_or(&[]);
    let mut launch = python::launch(&program, first, rest, &env)
        .or_else(|| node::launch(&program, first, rest, &env))
        .or_else(|| jvm::launch(&program, first, rest, &env))
        .or_else(|| dotnet::launch(&program, first, rest, &env))
        .or_else(|| native::launch(&program, first, rest, &env))
        .unwrap_or_else(|| other(&program));
    launch.argv = words;
    Some(launch)
}

/// The runtime a start command runs on: one module of this crate each. A
/// language of the source analyzer names its runtime in its descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Runtime {
    /// [`python`]: CPython and its servers.
    Python,
    /// [`node`]: Node.js, Bun, Deno (JavaScript and TypeScript).
    Node,
    /// [`jvm`]: Java and Kotlin.
    Jvm,
    /// [`dotnet`]: ASP.NET Core (C#).
    Dotnet,
    /// [`native`]: compiled programs (Go, Rust) and nginx.
    Native,
}

/// Which source files a start command runs, as its runtime finds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runs {
    /// Paths (relative to the working directory, or absolute) the command
    /// may run, in the runtime's order (`node server` tries `server.js`, then
    /// `server/index.js`). Empty when the command names no file it can tell
    /// (`gunicorn` without an app target): nothing is guessed then.
    Files(Vec<String>),
    /// The command names no source file by design (a jar, a compiled binary,
    /// a package script, nginx): the one piece of code of the build context
    /// that starts a server is what it runs, if there is exactly one.
    NoSourceNamed,
    /// A program seamcheck does not model.
    Unknown,
}

impl Launch {
    /// The runtime of the program started; `None` for a program seamcheck
    /// does not model.
    pub fn runtime(&self) -> Option<Runtime> {
        Some(match &self.server {
            ServerKind::PythonScript { .. }
            | ServerKind::PythonModule { .. }
            | ServerKind::Gunicorn
            | ServerKind::Uvicorn
            | ServerKind::Hypercorn
            | ServerKind::FlaskRun
            | ServerKind::Streamlit => Runtime::Python,
            ServerKind::NodeScript { .. }
            | ServerKind::PackageScript { .. }
            | ServerKind::NextStart => Runtime::Node,
            ServerKind::Java { .. } => Runtime::Jvm,
            ServerKind::Dotnet { .. } => Runtime::Dotnet,
            ServerKind::Binary { .. } | ServerKind::Nginx => Runtime::Native,
            ServerKind::Other { .. } => return None,
        })
    }

    /// The server imports an app object (`module:app`) and serves it
    /// itself, so the module's own `app.run()` under `__main__` never runs
    /// (gunicorn, uvicorn, hypercorn, `flask run`).
    pub fn serves_app_object(&self) -> bool {
        python::serves_app_object(&self.server)
    }

    /// A URL written in the program's code or configuration outranks the
    /// command line's (ASP.NET: `UseUrls`/Kestrel configuration over `--urls`;
    /// Django: `runserver.default_addr`/`default_port` set in `manage.py`
    /// over runserver's own defaults when no `addrport` is given).
    pub fn code_outranks_command(&self) -> bool {
        dotnet::code_outranks_command(&self.server) || python::runserver_defaults_in_code(self)
    }

    /// Which source files this launch runs, asked of its runtime's module.
    pub fn runs(&self) -> Runs {
        match &self.server {
            ServerKind::PythonScript { .. }
            | ServerKind::PythonModule { .. }
            | ServerKind::Gunicorn
            | ServerKind::Uvicorn
            | ServerKind::Hypercorn
            | ServerKind::FlaskRun
            | ServerKind::Streamlit => Runs::Files(python::runs(self)),
            ServerKind::NodeScript { file } => Runs::Files(node::runs(file)),
            ServerKind::PackageScript { .. }
            | ServerKind::NextStart
            | ServerKind::Java { .. }
            | ServerKind::Dotnet { .. }
            | ServerKind::Binary { .. }
            | ServerKind::Nginx => Runs::NoSourceNamed,
            ServerKind::Other { .. } => Runs::Unknown,
        }
    }
}

/// The environment as the launched program sees it: `env A=b` / `A=b cmd`
/// assignments of the command line over the container environment.
pub(crate) struct Env<'a> {
    overlay: &'a [(String, Option<String>)],
    outer: &'a dyn Fn(&str) -> Option<String>,
}

impl Env<'_> {
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        match self.overlay.iter().rev().find(|(n, _)| n == name) {
            Some((_, value)) => value.clone(),
            None => (self.outer)(name),
        }
    }
}

// ---------------------------------------------------------------------------
// Programs

pub(crate) fn other(program: &str) -> Launch {
    Launch {
        server: ServerKind::Other {
            program: program.to_string(),
        },
        app_target: None,
        host: None,
        port: None,
        debug: None,
        argv: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
