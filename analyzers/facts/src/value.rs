//! Values that may come from the environment: a port or host is an expression,
//! not just a number, so the linker can resolve it per deployment context.

use crate::Location;
use serde::Serialize;

/// How a value (a port, a host) is written where it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ValueExpr {
    /// A constant, as written (`8080`, `"0.0.0.0"`).
    Literal { value: String },
    /// Read from an environment variable, with the default used when it is unset.
    Env {
        var: String,
        default: Option<String>,
    },
    /// Anything else (a config lookup, a function call): seamcheck does not guess.
    Unknown { text: String },
}

impl ValueExpr {
    pub fn literal(v: impl Into<String>) -> Self {
        ValueExpr::Literal { value: v.into() }
    }
    pub fn env(var: impl Into<String>, default: Option<String>) -> Self {
        ValueExpr::Env {
            var: var.into(),
            default,
        }
    }
    pub fn unknown(text: impl Into<String>) -> Self {
        ValueExpr::Unknown { text: text.into() }
    }
}

/// A port given as a number or as a name (Kubernetes container port names).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum PortRef {
    Number(u16),
    Name(String),
}

impl std::fmt::Display for PortRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortRef::Number(n) => write!(f, "{n}"),
            PortRef::Name(s) => write!(f, "{s}"),
        }
    }
}

/// One environment variable set by a layer (Dockerfile ENV/ARG, Kubernetes env,
/// compose environment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvVar {
    pub name: String,
    /// `None` when the value is not a plain string (Kubernetes `valueFrom`).
    pub value: Option<String>,
    pub loc: Location,
}

/// Turns an argument into a value: a lone `$VAR`, `${VAR}`, `${VAR:-default}`
/// or `$(VAR)` (Kubernetes) is an `Env`; text without `$` is a `Literal`;
/// anything mixing both is `Unknown`.
pub fn value_expr(text: &str) -> ValueExpr {
    if !text.contains('$') {
        return ValueExpr::literal(text);
    }
    match single_var_ref(text) {
        Some((var, default)) => ValueExpr::env(var, default),
        None => ValueExpr::unknown(text),
    }
}

fn single_var_ref(text: &str) -> Option<(String, Option<String>)> {
    let rest = text.strip_prefix('$')?;
    if crate::shell::is_var_name(rest) {
        return Some((rest.to_string(), None));
    }
    if let Some(inner) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        return crate::shell::is_var_name(inner).then(|| (inner.to_string(), None));
    }
    let inner = rest.strip_prefix('{')?.strip_suffix('}')?;
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let name = inner.get(..name_len)?;
    if !crate::shell::is_var_name(name) {
        return None;
    }
    let op = inner.get(name_len..)?;
    if op.is_empty() {
        return Some((name.to_string(), None));
    }
    for prefix in [":-", "-", ":=", "="] {
        if let Some(default) = op.strip_prefix(prefix) {
            return Some((name.to_string(), Some(default.to_string())));
        }
    }
    if op.starts_with(":?") || op.starts_with('?') {
        return Some((name.to_string(), None));
    }
    None
}
