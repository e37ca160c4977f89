//! Writes rendered objects as block YAML and records, for every key and
//! scalar written, where it came from: a token still as written is copied
//! (exact to the character), anything else is produced from its source.

use crate::value::{Data, Node, Src};
use seamcheck_facts::render::{Origin, OriginMap};
use seamcheck_facts::Location;

pub struct Emitter {
    pub text: String,
    pub origins: OriginMap,
}

impl Emitter {
    pub fn new(fallback: Location) -> Self {
        Emitter {
            text: String::new(),
            origins: OriginMap::new(fallback),
        }
    }

    pub fn document(&mut self, obj: &Node) {
        if !self.text.is_empty() {
            self.text.push_str("---\n");
        }
        match &obj.data {
            Data::Map(m) if !m.is_empty() => self.map(obj, 0),
            _ => {
                self.scalar_or_flow(obj);
                self.text.push('\n');
            }
        }
    }

    fn token(&mut self, written: String, raw: Option<&str>, src: &Src) {
        let start = self.text.len();
        let (text, origin) = match (raw, &src.copy) {
            (Some(raw), Some((file, at))) => (
                raw.to_string(),
                Origin::Copied {
                    file: file.clone(),
                    start: *at,
                },
            ),
            _ => (written, Origin::Produced(src.loc.clone())),
        };
        self.text.push_str(&text);
        self.origins
            .push(start..self.text.len(), origin, src.via.clone());
    }

    fn indent(&mut self, n: usize) {
        self.text.extend(std::iter::repeat_n(' ', n));
    }

    /// A scalar, or an empty collection in flow style.
    fn scalar_or_flow(&mut self, node: &Node) {
        match &node.data {
            Data::Scalar(s) => {
                let written = format_scalar(&s.text, s.quoted);
                self.token(written, s.raw.as_deref(), &node.src);
            }
            Data::Map(_) => self.token("{}".into(), None, &node.src),
            Data::Seq(_) => self.token("[]".into(), None, &node.src),
        }
    }

    fn is_block(node: &Node) -> bool {
        match &node.data {
            Data::Map(m) => !m.is_empty(),
            Data::Seq(s) => !s.is_empty(),
            Data::Scalar(_) => false,
        }
    }

    /// The entries of a non-empty map, the first one at the current column
    /// (the caller wrote its indentation), the others at `indent`.
    fn map(&mut self, node: &Node, indent: usize) {
        for (i, (k, v)) in node.entries().iter().enumerate() {
            if i > 0 {
                self.indent(indent);
            }
            let key = format_scalar(&k.text, true);
            self.token(key, k.raw.as_deref(), &k.src);
            self.text.push(':');
            if Self::is_block(v) {
                self.text.push('\n');
                match &v.data {
                    Data::Map(_) => {
                        self.indent(indent + 2);
                        self.map(v, indent + 2);
                    }
                    _ => self.seq(v, indent),
                }
            } else {
                self.text.push(' ');
                self.scalar_or_flow(v);
                self.text.push('\n');
            }
        }
    }

    fn seq(&mut self, node: &Node, indent: usize) {
        for item in node.items() {
            self.indent(indent);
            self.text.push_str("- ");
            if Self::is_block(item) {
                match &item.data {
                    Data::Map(_) => self.map(item, indent + 2),
                    _ => {
                        self.text.push('\n');
                        self.seq(item, indent + 2);
                    }
                }
            } else {
                self.scalar_or_flow(item);
                self.text.push('\n');
            }
        }
    }
}

/// A scalar as YAML: plain when it reads back as the same value, double
/// quoted otherwise. `quoted` says it must read back as a string.
pub fn format_scalar(text: &str, quoted: bool) -> String {
    if !quoted
        && !text.is_empty()
        && text.chars().all(|c| c.is_ascii_graphic() || c == ' ')
        && plain_safe(text, false)
    {
        return text.to_string();
    }
    if plain_safe(text, true) {
        return text.to_string();
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `text` can be written plain. With `as_string`, it must also not
/// read back as anything but a string (YAML 1.1 and 1.2).
fn plain_safe(text: &str, as_string: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text.starts_with(' ') || text.ends_with(' ') || text.ends_with(':') {
        return false;
    }
    // A leading indicator makes a plain scalar something else; a number's
    // minus sign is fine when the text need not read as a string.
    let negative_number = first == '-' && text.len() > 1 && !text.starts_with("- ") && !as_string;
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) && !negative_number {
        return false;
    }
    if text.contains(": ")
        || text.contains(" #")
        || text.contains('\t')
        || text.chars().any(|c| c.is_control())
    {
        return false;
    }
    if !as_string {
        return true;
    }
    if !text
        .chars()
        .all(|c| c.is_alphanumeric() || "-_./=+:@~^()".contains(c))
    {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~"
    ) {
        return false;
    }
    // Anything starting like a number (ints, floats, sexagesimals, dates).
    !(first.is_ascii_digit() || first == '.' || first == '+' || first == '-' || first == '~')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_that_read_as_other_types_are_quoted() {
        assert_eq!(format_scalar("8080", true), "\"8080\"");
        assert_eq!(format_scalar("yes", true), "\"yes\"");
        assert_eq!(format_scalar("web-1", true), "web-1");
        assert_eq!(format_scalar("nginx:1.25", true), "nginx:1.25");
        assert_eq!(format_scalar("a: b", true), "\"a: b\"");
        assert_eq!(format_scalar("8080", false), "8080");
        assert_eq!(format_scalar("line\nnext", true), "\"line\\nnext\"");
    }
}
