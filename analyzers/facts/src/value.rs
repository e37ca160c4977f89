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
