//! Spring property placeholders: `${PORT:8080}` reads `PORT` (an environment
//! variable or any property of that name) with the default `8080`.

use seamcheck_facts::ValueExpr;

/// The value of a port/host setting as an expression. A literal is wrapped
/// as `Env{own_var, default literal}` when `own_var` is given (Spring's
/// relaxed binding: `SERVER_PORT` replaces `server.port`); a single
/// placeholder `${NAME[:default]}` whose name is an environment-style name
/// becomes `Env{NAME, default}`; anything else (nested placeholders, a
/// placeholder naming a dotted property, text around it) is `Unknown`.
pub fn value_expr(value: &str, own_var: Option<&str>) -> ValueExpr {
    if !value.contains("${") {
        return match own_var {
            Some(var) => ValueExpr::env(var, Some(value.to_string())),
            None => ValueExpr::literal(value),
        };
    }
    match single_placeholder(value) {
        Some((name, default)) => ValueExpr::env(name, default),
        None => ValueExpr::unknown(value),
    }
}

/// `${NAME}` or `${NAME:default}` and nothing else, with an env-style name
/// (letters, digits, `_`). A default holding another placeholder is not simple.
fn single_placeholder(value: &str) -> Option<(String, Option<String>)> {
    let inner = value.strip_prefix("${")?.strip_suffix('}')?;
    let (name, default) = match inner.split_once(':') {
        Some((n, d)) => (n, Some(d)),
        None => (inner, None),
    };
    let env_like = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !env_like || default.is_some_and(|d| d.contains('$') || d.contains('}')) {
        return None;
    }
    Some((name.to_string(), default.map(str::to_string)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        let env = |v: &str, d: Option<&str>| ValueExpr::env(v, d.map(str::to_string));
        assert_eq!(
            value_expr("9090", Some("SERVER_PORT")),
            env("SERVER_PORT", Some("9090"))
        );
        assert_eq!(value_expr("9090", None), ValueExpr::literal("9090"));
        assert_eq!(
            value_expr("${PORT:8080}", Some("SERVER_PORT")),
            env("PORT", Some("8080"))
        );
        assert_eq!(value_expr("${PORT}", None), env("PORT", None));
        assert_eq!(value_expr("${PORT:}", None), env("PORT", Some("")));
        for unknown in ["${a.b:1}", "${X:${Y:1}}", "x${PORT}", "${", "${}", "${:1}"] {
            assert_eq!(
                value_expr(unknown, None),
                ValueExpr::unknown(unknown),
                "{unknown}"
            );
        }
    }
}
