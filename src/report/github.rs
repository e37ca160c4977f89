//! GitHub Actions workflow commands: one annotation per finding, then the
//! summary line.
//!
//! `::error file=PATH,line=N,col=C,endLine=N,endColumn=C,title=RULE::message`
//! (`warning` for warnings, `notice` for notes). Paths are made relative to
//! the directory seamcheck ran in, which in a workflow is the checkout, so
//! the annotations land on the pull request's diff. Escaping follows the
//! runner's rules: `%`, CR and LF in the message; additionally `:` and `,`
//! in property values.

use crate::audit::Audit;
use crate::finding::{Finding, Severity};
use crate::report::ci_prefix;

pub fn render(audit: &Audit) -> String {
    let prefix = ci_prefix(audit);
    let mut out = String::with_capacity(audit.findings.len() * 160 + 80);
    for f in &audit.findings {
        out.push_str(&annotation(f, &prefix));
    }
    out.push_str(&crate::report::human::summary_line(audit));
    out
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

pub fn annotation(f: &Finding, prefix: &str) -> String {
    let l = &f.location;
    let mut message = f.message.clone();
    for r in &f.related {
        message.push_str(&format!(
            "\n{prefix}{}:{}: {}",
            r.loc.path, r.loc.line, r.message
        ));
    }
    if let Some(help) = &f.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        command(f.severity),
        escape_property(&format!("{prefix}{}", l.path)),
        l.line,
        l.column,
        l.end_line,
        l.end_column,
        escape_property(f.rule),
        escape_data(&message)
    )
}

/// Escapes a command's message: `%`, CR and LF as the runner unescapes
/// them (the toolkit's `escapeData`), and every other control or
/// bidirectional-formatting character percent-encoded too, which the runner
/// leaves as it is: visible, never raw in the log.
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if crate::escape::needs_escape(c) => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes a command property's value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("50%\r\nok: a, b"), "50%25%0D%0Aok: a, b");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(escape_data("\u{1b}]0;x\u{7}"), "%1B]0;x%07");
        assert_eq!(escape_data("\u{85}"), "%C2%85");
    }
}
