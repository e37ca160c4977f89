//! `healthcheck:` of a service, read into the Dockerfile HEALTHCHECK model
//! so the same rules apply to both layers.

use crate::command::list_argv;
use crate::fields::{located_text, present};
use crate::located::{word_part, ScalarText};
use seamcheck_facts::compose::{ComposeHealthcheck, VarScope};
use seamcheck_facts::dockerfile::{CommandFact, CommandForm, HealthcheckFact};
use seamcheck_facts::value_expr;
use seamcheck_facts::{Located, Location, ParseProblem, ValueExpr};
use seamcheck_launch::healthcheck::check_target;
use seamcheck_yaml::node::{boolean, is_sequence, sequence, text};
use seamcheck_yaml::{Entry, Node, SourceMap};

/// The health check and, when `test` is not a form compose accepts, a problem.
pub(crate) fn healthcheck(
    entry: Entry<'_, '_>,
    src: &SourceMap<'_>,
) -> (ComposeHealthcheck, Option<ParseProblem>) {
    let node = entry.value;
    let timing = |key: &str| located_text(node, key, src);
    let mut check = ComposeHealthcheck {
        test: None,
        disabled: present(node, "disable").and_then(|e| boolean(e.value)) == Some(true),
        port_var_scope: None,
        interval: timing("interval"),
        timeout: timing("timeout"),
        start_period: timing("start_period"),
        retries: timing("retries"),
        loc: src.entry_loc(entry.key, entry.value),
    };
    let mut problem = None;
    if check.disabled {
        check.test = Some(no_check(src.entry_loc(entry.key, entry.value)));
    } else if let Some(test) = present(node, "test") {
        let loc = src.entry_loc(test.key, test.value);
        match read_test(test.value, src) {
            Ok(Test::None) => {
                check.disabled = true;
                check.test = Some(no_check(loc));
            }
            Ok(Test::Command(form, argv)) => {
                let (fact, scope) = with_target(form, argv, src.token_loc(test.value), loc, src);
                check.test = Some(fact);
                check.port_var_scope = scope;
            }
            Err(bad) => problem = Some(bad),
        }
    }
    (check, problem)
}

enum Test {
    None,
    Command(CommandForm, Vec<Located<String>>),
}

/// `["CMD", args…]`, `["CMD-SHELL", "script"]`, `["NONE"]`, or a string
/// (the same as `CMD-SHELL`).
fn read_test(value: &Node<'_>, src: &SourceMap<'_>) -> Result<Test, ParseProblem> {
    if !is_sequence(value) {
        let script = text(value).ok_or_else(|| bad_test(src.token_loc(value)))?;
        let words = ScalarText::new(script, value, src).words(src);
        return Ok(Test::Command(CommandForm::Shell, words));
    }
    let items = sequence(value);
    let Some(first) = items.first() else {
        return Err(bad_test(src.token_loc(value)));
    };
    match text(first) {
        Some("NONE") => Ok(Test::None),
        Some("CMD") => {
            let argv = list_argv(value, src).into_iter().skip(1).collect();
            Ok(Test::Command(CommandForm::Exec, argv))
        }
        Some("CMD-SHELL") => {
            // Docker joins the rest with spaces into one script.
            let rest = items.get(1..).unwrap_or_default();
            let words = match rest {
                [one] => text(one)
                    .map(|s| ScalarText::new(s, one, src).words(src))
                    .unwrap_or_default(),
                _ => list_argv(value, src).into_iter().skip(1).collect(),
            };
            Ok(Test::Command(CommandForm::Shell, words))
        }
        _ => Err(bad_test(src.token_loc(first))),
    }
}

fn bad_test(loc: Location) -> ParseProblem {
    ParseProblem {
        message:
            "healthcheck test must be a string or a list starting with `CMD`, `CMD-SHELL` or `NONE`"
                .to_string(),
        loc,
    }
}

/// `HEALTHCHECK NONE` in the Dockerfile model.
fn no_check(loc: Location) -> HealthcheckFact {
    HealthcheckFact {
        command: None,
        tool: None,
        port: None,
        port_expr: None,
        path: None,
        host: None,
        loc,
    }
}

/// The check's program and target, and who expands the port's variable.
///
/// `${PORT}` is compose's (interpolated from the shell / `.env` before the
/// container exists); `$${PORT}` is left as `${PORT}` for the container's
/// shell, so it names a container variable in shell form and nothing
/// (a literal `${PORT}`) in exec form.
fn with_target(
    form: CommandForm,
    argv: Vec<Located<String>>,
    value_loc: Location,
    loc: Location,
    src: &SourceMap<'_>,
) -> (HealthcheckFact, Option<VarScope>) {
    let locate = |w: &Located<String>, r: std::ops::Range<usize>| word_part(w, r, src);
    let target = check_target(&argv, &locate);
    let mut port_expr = target.port_expr;
    let mut scope = None;
    if let Some(expr) = port_expr.as_mut() {
        match &expr.value {
            ValueExpr::Env { .. } => scope = Some(VarScope::Compose),
            ValueExpr::Unknown { text } if text.starts_with("$$") => {
                let unescaped = value_expr(text.get(1..).unwrap_or_default());
                if matches!(unescaped, ValueExpr::Env { .. }) {
                    scope = Some(VarScope::Container);
                    if form == CommandForm::Shell {
                        expr.value = unescaped;
                    }
                }
            }
            _ => {}
        }
    }
    let fact = HealthcheckFact {
        command: Some(CommandFact {
            form,
            argv,
            loc: value_loc,
        }),
        tool: target.tool,
        port: target.port,
        port_expr,
        path: target.path,
        host: target.host,
        loc,
    };
    (fact, scope)
}
