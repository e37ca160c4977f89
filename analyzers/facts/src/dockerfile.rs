//! Facts of a Dockerfile / Containerfile.

use crate::{EnvVar, Located, Location, ValueExpr};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, Default)]
pub struct DockerfileFacts {
    /// Build stages in file order; the last one is what runs unless a build
    /// target names another.
    pub stages: Vec<Stage>,
    /// ARGs declared before the first FROM (usable in FROM lines only, unless
    /// re-declared inside a stage).
    pub global_args: Vec<EnvVar>,
}

impl DockerfileFacts {
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }
    pub fn stage_named(&self, name: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub index: usize,
    /// `AS name`.
    pub name: Option<String>,
    /// The FROM instruction.
    pub from: Located<BaseImage>,
    /// Every instruction of the stage, in order (keyword upper-cased).
    pub instructions: Vec<Located<String>>,
    pub expose: Vec<ExposedPort>,
    /// USER instructions in order; the last one wins.
    pub users: Vec<Located<UserSpec>>,
    pub env: Vec<EnvVar>,
    pub args: Vec<EnvVar>,
    pub copies: Vec<CopyFact>,
    pub runs: Vec<RunFact>,
    pub workdir: Option<Located<String>>,
    /// The last HEALTHCHECK of the stage (`NONE` included).
    pub healthcheck: Option<HealthcheckFact>,
    pub cmd: Option<CommandFact>,
    pub entrypoint: Option<CommandFact>,
}

impl Stage {
    pub fn user(&self) -> Option<&Located<UserSpec>> {
        self.users.last()
    }
}

/// `FROM image[:tag][@digest] [AS name]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseImage {
    /// As written, after ARG substitution where possible.
    pub raw: String,
    /// Repository without tag or digest, e.g. `python`, `gcr.io/distroless/python3`.
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// The base is an earlier stage of this file (`FROM builder`).
    pub is_stage: bool,
}

/// One port of an EXPOSE instruction (a range is expanded into its ends).
#[derive(Debug, Clone, Serialize)]
pub struct ExposedPort {
    /// The token as written (`8080/tcp`, `$PORT`).
    pub raw: String,
    /// The port after ARG/ENV substitution; `None` when it could not be resolved.
    pub port: Option<u16>,
    /// Last port of a range `8000-8010`.
    pub range_end: Option<u16>,
    /// `tcp` unless written otherwise.
    pub protocol: String,
    /// Variables the token used that no ARG/ENV of the stage defines.
    pub unresolved_vars: Vec<String>,
    /// The host part of a `docker run -p` form (`9000` of `EXPOSE 9000:8080`,
    /// `127.0.0.1:9000` of `127.0.0.1:9000:8080`): BuildKit drops it and
    /// exposes the container port only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_part: Option<String>,
    pub loc: Location,
}

impl ExposedPort {
    pub fn covers(&self, port: u16) -> bool {
        match (self.port, self.range_end) {
            (Some(p), Some(end)) => (p..=end).contains(&port),
            (Some(p), None) => p == port,
            _ => false,
        }
    }
}

/// `USER name[:group]` / `USER uid[:gid]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserSpec {
    /// As written after substitution.
    pub raw: String,
    pub user: String,
    pub group: Option<String>,
    /// `Some` when the user is a number.
    pub uid: Option<u32>,
    /// The user contains a variable that could not be resolved.
    pub unresolved: bool,
}

impl UserSpec {
    pub fn is_root(&self) -> bool {
        self.uid == Some(0) || self.user == "root"
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CopyFact {
    /// `COPY` or `ADD`.
    pub instruction: String,
    pub sources: Vec<String>,
    pub dest: String,
    /// `--from=stage`: copies from another stage or image, not the build context.
    pub from: Option<String>,
    /// Copies the whole build context (`COPY . .`, `ADD . /app`).
    pub whole_context: bool,
    pub loc: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunFact {
    /// The command text (shell form) or the argv joined by spaces (exec form),
    /// heredoc bodies appended.
    pub text: String,
    /// Installs application dependencies (`pip install -r`, `npm ci`, `go mod
    /// download`, `cargo build`, `bundle install` …).
    pub installs_dependencies: bool,
    /// Packages installed with the system package manager (apt-get, apk, yum,
    /// dnf, microdnf), by name.
    pub system_packages: Vec<String>,
    pub loc: Location,
}

/// `HEALTHCHECK CMD …` or `HEALTHCHECK NONE`.
#[derive(Debug, Clone, Serialize)]
pub struct HealthcheckFact {
    /// `None` for `HEALTHCHECK NONE`.
    pub command: Option<CommandFact>,
    /// The program the check runs (`curl`, `wget`, `python` …).
    pub tool: Option<String>,
    /// Port of an URL or address in the command (`http://localhost:8080/healthz`).
    /// `None` when the URL names no port (`http://localhost/health` means 80
    /// for http, 443 for https) or when it is not a number (see `port_expr`).
    pub port: Option<Located<u16>>,
    /// The port as written in the URL, also when it is a variable
    /// (`http://localhost:${PORT}/health` -> `Env { var: "PORT" }`). Shell
    /// form expands it from the container environment; exec form does not.
    pub port_expr: Option<Located<ValueExpr>>,
    /// Path of an URL in the command.
    pub path: Option<Located<String>>,
    /// Host of an URL in the command (`0.0.0.0` for an empty host, `-addr=:50051`).
    pub host: Option<String>,
    pub loc: Location,
}

/// CMD / ENTRYPOINT / HEALTHCHECK CMD, turned into argv.
#[derive(Debug, Clone, Serialize)]
pub struct CommandFact {
    pub form: CommandForm,
    /// Exec form: the JSON array. Shell form: `["/bin/sh", "-c", text]` is what
    /// runs; here the text is split into words the way a POSIX shell would for
    /// simple commands (quotes removed, no expansion), each with its location.
    pub argv: Vec<Located<String>>,
    pub loc: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandForm {
    Exec,
    Shell,
}

/// Convenience for analyzers that describe a literal port.
pub fn literal_port(p: u16) -> ValueExpr {
    ValueExpr::literal(p.to_string())
}
