//! `command:` and `entrypoint:`: compose never runs them through a shell.
//! A list is the argv; a string is split into words shell-style (quotes
//! removed, no expansion), and those words are the argv.

use crate::fields::present;
use crate::located::ScalarText;
use seamcheck_facts::compose::ComposeCommand;
use seamcheck_facts::Located;
use seamcheck_yaml::node::{is_sequence, sequence, text};
use seamcheck_yaml::{Node, SourceMap};

/// The command of `key`; `None` when not set (the image's applies).
pub(crate) fn command(
    service: &Node<'_>,
    key: &str,
    src: &SourceMap<'_>,
) -> Option<ComposeCommand> {
    let value = present(service, key)?.value;
    let loc = src.token_loc(value);
    if is_sequence(value) {
        return Some(ComposeCommand {
            argv: list_argv(value, src),
            from_string: false,
            loc,
        });
    }
    let written = text(value)?;
    Some(ComposeCommand {
        argv: ScalarText::new(written, value, src).words(src),
        from_string: true,
        loc,
    })
}

/// The scalar items of a list, each at its token (non-scalars skipped).
pub(crate) fn list_argv(list: &Node<'_>, src: &SourceMap<'_>) -> Vec<Located<String>> {
    sequence(list)
        .iter()
        .filter_map(|item| text(item).map(|t| src.located(t.to_string(), item)))
        .collect()
}
