//! Facts of application source code.

pub use crate::Framework;
use crate::{Located, Location, ValueExpr};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, Default)]
pub struct SourceFacts {
    /// `python`, later `javascript`, `go` …
    pub language: String,
    /// Web application objects (`app = Flask(__name__)`, `app = FastAPI()`).
    pub apps: Vec<AppObject>,
    /// Calls that start a server in this file (`app.run(...)`, `uvicorn.run(...)`).
    pub listens: Vec<Listen>,
    pub routes: Vec<Route>,
    /// Blocking sleeps inside request handlers.
    pub handler_sleeps: Vec<HandlerSleep>,
    /// `if __name__ == "__main__":` guard, if the file has one (the span from
    /// `if` to the end of the condition).
    pub main_guard: Option<Location>,
    /// Blueprints/routers attached to a parent in this file
    /// (`app.register_blueprint(bp, url_prefix=...)`, `app.include_router(r, prefix=...)`).
    /// Routes of a child defined in this file already carry the prefix; the
    /// list lets the linker apply prefixes to children imported from other files.
    pub mounts: Vec<Mount>,
    /// `package.json` only: its `scripts`, so the resolver can follow
    /// `npm start` / `npm run NAME` / `yarn NAME` into the script's command.
    pub package_scripts: Vec<PackageScript>,
    /// Awaited, non-blocking delays inside request handlers (JavaScript
    /// `await new Promise(r => setTimeout(r, ms))`, `await sleep(ms)` with such
    /// a helper): every request waits, but the event loop does not block.
    /// Blocking sleeps stay in `handler_sleeps`.
    pub handler_delays: Vec<HandlerSleep>,
    /// How the listens of this file combine with other configuration (JVM and
    /// .NET: Spring profiles, framework defaults inferred from the entry
    /// point, environment variables that take precedence over the written
    /// port). One entry per listen that needs one; `listen` indexes `listens`.
    pub listen_scopes: Vec<ListenScope>,
    /// Routes of this file that are served on another port than the app's
    /// main listen (Spring actuator endpoints under `management.server.port`).
    pub route_ports: Vec<RoutePort>,
    /// Routes whose path is not matched exactly (nginx `location /x` is a
    /// prefix, `location ~ re` a regular expression). A route absent from
    /// this list matches its path exactly (parameters aside).
    pub route_matches: Vec<RouteMatch>,
}

/// How a route's path matches request paths (see `SourceFacts::route_matches`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteMatch {
    /// Index into `SourceFacts::routes`.
    pub route: usize,
    pub kind: RouteMatchKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteMatchKind {
    /// Every request path that starts with the route's path (nginx
    /// `location /api/`, `location ^~ /static/`; `location /` serves all).
    Prefix,
    /// The route's path is a regular expression (nginx `location ~ re`,
    /// `~*` when `case_insensitive`), unanchored unless it says `^`/`$`.
    Regex { case_insensitive: bool },
}

impl SourceFacts {
    /// The scope of a listen, if the analyzer recorded one.
    pub fn scope_of(&self, listen: usize) -> Option<&ListenScope> {
        self.listen_scopes.iter().find(|s| s.listen == listen)
    }

    fn is_main(&self, i: usize, implicit: bool) -> bool {
        self.scope_of(i)
            .is_none_or(|s| !s.management && s.profile.is_none() && s.implicit == implicit)
    }

    /// The listen that serves the application: not a management port, not
    /// profile-specific; a written configuration before a framework default.
    pub fn main_listen(&self) -> Option<(usize, &Listen)> {
        let pick = |implicit: bool| {
            self.listens
                .iter()
                .enumerate()
                .find(|(i, _)| self.is_main(*i, implicit))
        };
        pick(false).or_else(|| pick(true))
    }

    /// The file starts a server by written code or configuration.
    pub fn has_explicit_listen(&self) -> bool {
        (0..self.listens.len()).any(|i| self.is_main(i, false))
    }

    /// The file only has framework-default listens (Spring `SpringApplication.run`).
    pub fn has_implicit_listen(&self) -> bool {
        (0..self.listens.len()).any(|i| self.is_main(i, true))
    }

    /// Listens that serve only management endpoints (Spring actuator port).
    pub fn management_listens(&self) -> impl Iterator<Item = &Listen> {
        self.listens
            .iter()
            .enumerate()
            .filter(|(i, _)| self.scope_of(*i).is_some_and(|s| s.management))
            .map(|(_, l)| l)
    }

    /// Listens that apply only when `profile` is active.
    pub fn profile_listens(&self, profile: &str) -> Vec<(usize, &Listen)> {
        self.listens
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                self.scope_of(*i).is_some_and(|s| {
                    !s.management
                        && s.profile
                            .as_deref()
                            .is_some_and(|p| p.eq_ignore_ascii_case(profile))
                })
            })
            .collect()
    }
}

/// Precedence information for one `Listen` (see `SourceFacts::listen_scopes`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListenScope {
    /// Index into `SourceFacts::listens`.
    pub listen: usize,
    /// The listen applies only when this profile is active (Spring
    /// `application-prod.yml`, a YAML/properties document with
    /// `spring.config.activate.on-profile: prod`, Quarkus `%prod.`), read by the
    /// app from `SPRING_PROFILES_ACTIVE` / `QUARKUS_PROFILE`. `None`: always.
    /// A profile listen overrides the profile-less one of the same module when
    /// its profile is active; each key overrides separately (`port`/`host`
    /// `None` there means "not set by this profile").
    pub profile: Option<String>,
    /// The framework default, inferred from the entry point rather than
    /// written configuration (Spring `SpringApplication.run` listens on
    /// `SERVER_PORT` or 8080; ASP.NET `app.Run()` on `ASPNETCORE_URLS` /
    /// `ASPNETCORE_HTTP_PORTS`). Any non-implicit listen of the same build
    /// context (an `application.properties`, `appsettings.json`) replaces it.
    pub implicit: bool,
    /// Serves only the management/actuator endpoints (Spring
    /// `management.server.port`), not the application: a probe may aim at it,
    /// but it is not "where the app listens".
    pub management: bool,
    /// Environment variables that, when set in the context, replace `port`
    /// (and, for `Urls`, `host` too), checked in order before it. Spring:
    /// `SERVER_PORT` over `server.port=${PORT:8080}`; ASP.NET:
    /// `ASPNETCORE_URLS` over `ASPNETCORE_HTTP_PORTS`.
    pub env_overrides: Vec<EnvOverride>,
}

/// An environment variable that overrides a listen's written port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvOverride {
    pub var: String,
    pub format: EnvFormat,
}

/// How an overriding variable's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvFormat {
    /// A port number (`SERVER_PORT=9090`); the first of a `;`/`,` list
    /// (`ASPNETCORE_HTTP_PORTS=8080;8081`).
    Port,
    /// A `;`-separated URL list (`ASPNETCORE_URLS=http://+:80;https://+:443`):
    /// the first `http://` URL gives host and port; `+`, `*` and `[::]` mean
    /// all interfaces, `localhost` loopback.
    Urls,
}

/// A route served on another port (see `SourceFacts::route_ports`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoutePort {
    /// Index into `SourceFacts::routes`.
    pub route: usize,
    /// Index into `SourceFacts::listens` of the listen that serves it (a
    /// `ListenScope::management` listen).
    pub listen: usize,
}

/// One entry of `package.json` `scripts`: `"start": "node server.js"`.
#[derive(Debug, Clone, Serialize)]
pub struct PackageScript {
    /// The script name (`start`), located at its JSON key (without quotes).
    pub name: Located<String>,
    /// The command as written in the JSON string (escapes decoded), located at
    /// the string's contents (without quotes). Split it with
    /// `seamcheck_facts::shell::split_located` and interpret it with
    /// `seamcheck_launch::interpret`.
    pub command: Located<String>,
}

/// `parent.register_blueprint(child, url_prefix=...)` or
/// `parent.include_router(child, prefix=...)`.
#[derive(Debug, Clone, Serialize)]
pub struct Mount {
    /// The parent object as written (`app`).
    pub parent: String,
    /// The child as written (`bp`, `users.router`).
    pub child: String,
    /// The prefix passed to the call, if a constant. Flask: replaces the
    /// blueprint's own `url_prefix`; FastAPI: prepended to the router's `prefix`.
    pub prefix: Option<Located<String>>,
    /// The whole call.
    pub loc: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppObject {
    /// The variable the app is bound to (`app`).
    pub var: String,
    /// `flask`, `fastapi`, `blueprint`, `apirouter`. An enum, not a string,
    /// so a misspelt name cannot cross the crate seam.
    pub framework: Framework,
    /// The constructor call (`Flask(__name__)`).
    pub loc: Location,
    /// The object's own path prefix when a constant: Blueprint `url_prefix=`,
    /// APIRouter `prefix=`; located at the string literal.
    pub prefix: Option<Located<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Listen {
    /// The call as written up to its `(`: `app.run`, `uvicorn.run`.
    pub call: String,
    /// `flask`, `uvicorn`, `fastapi` … (an enum: see [`Framework`]).
    pub framework: Framework,
    /// `None` when the call passes no host: the framework default applies.
    pub host: Option<Located<ValueExpr>>,
    /// `None` when the call passes no port: the framework default applies.
    pub port: Option<Located<ValueExpr>>,
    /// The framework's own default when no port is passed (Flask 5000, uvicorn 8000).
    pub default_port: u16,
    /// The framework's own default host (`127.0.0.1` for Flask and uvicorn).
    pub default_host: String,
    /// `debug=True` (or a value seamcheck could not read, as `Unknown`).
    pub debug: Option<Located<ValueExpr>>,
    /// Inside `if __name__ == "__main__":`: runs only as `python file.py`,
    /// never under gunicorn/uvicorn importing the module.
    pub in_main_guard: bool,
    /// The whole call expression.
    pub loc: Location,
    /// The application the server runs: uvicorn's first argument (`app`, or
    /// the string `main:app` without quotes); for Flask the object `run` is
    /// called on. Located at the argument / object.
    pub app_target: Option<Located<String>>,
    /// uvicorn `reload=` (a development switch, like Flask's debug).
    pub reload: Option<Located<ValueExpr>>,
    /// When `port` was resolved through a name (`port=PORT`), where that
    /// name's value is written (`PORT = 8080` -> the `8080`).
    pub port_defined_at: Option<Location>,
    /// Same as `port_defined_at`, for the host.
    pub host_defined_at: Option<Location>,
    /// When `in_main_guard` is true because the call sits in a module-level
    /// function that the main guard calls (`def main(): uvicorn.run(...)`),
    /// that function's name; `None` when the call is inside the guard itself.
    pub via_function: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Route {
    /// Upper-case methods; empty means the framework default (GET).
    pub methods: Vec<String>,
    /// Full path including blueprint/router prefixes seamcheck could resolve.
    pub path: Located<String>,
    pub handler: Located<String>,
    /// The whole handler function (decorators excluded).
    pub handler_loc: Location,
    pub is_async: bool,
    /// Each way the handler returns, with the status it answers.
    pub returns: Vec<ReturnStatus>,
    /// The object the route is declared on, as written (`app`, `bp`, `router`).
    pub app_var: String,
    /// `flask` (also for blueprints) or `fastapi` (also for routers), `spring`,
    /// `express` … (an enum: see [`Framework`]).
    pub framework: Framework,
}

impl Route {
    /// The handler answers a 4xx/5xx on every path seamcheck can see, and it
    /// saw every return. `None` when not all statuses are known.
    pub fn constant_error_status(&self) -> Option<&ReturnStatus> {
        if self.returns.is_empty() {
            return None;
        }
        if self
            .returns
            .iter()
            .all(|r| r.status.is_some_and(|s| s >= 400))
        {
            self.returns.first()
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ReturnStatus {
    /// The constant status (200 for a plain `return body`); `None` when it is
    /// computed at run time.
    pub status: Option<u16>,
    /// The `return`/`abort`/`raise` statement.
    pub loc: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct HandlerSleep {
    /// `time.sleep`, `asyncio.sleep` is not blocking and is not reported.
    pub call: String,
    /// Seconds, when a constant.
    pub seconds: Option<f64>,
    pub handler: String,
    pub handler_is_async: bool,
    /// Guarded by a condition on an env var or flag (fault injection): note level.
    pub guarded: bool,
    /// The whole call (`time.sleep(10)`).
    pub loc: Location,
    /// When `guarded`, the condition that guards it (`os.environ.get("CHAOS")`).
    pub guard_condition: Option<Location>,
}
