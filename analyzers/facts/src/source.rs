//! Facts of application source code.

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
    /// `flask`, `fastapi`, `blueprint`, `apirouter`.
    pub framework: String,
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
    /// `flask`, `uvicorn`, `fastapi` …
    pub framework: String,
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
    /// `flask` (also for blueprints) or `fastapi` (also for routers).
    pub framework: String,
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
