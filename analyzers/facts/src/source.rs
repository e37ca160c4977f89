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
    /// `if __name__ == "__main__":` guard, if the file has one.
    pub main_guard: Option<Location>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppObject {
    /// The variable the app is bound to (`app`).
    pub var: String,
    /// `flask`, `fastapi`, `blueprint`, `apirouter`.
    pub framework: String,
    pub loc: Location,
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
    pub loc: Location,
}
