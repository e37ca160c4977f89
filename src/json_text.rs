//! Pretty JSON that is safe to show anywhere: every JSON output (the
//! report, the baseline, the schema) goes through it. It sits below both
//! `report` and `baseline` so that neither imports the other.

use serde::Serialize;

/// Pretty JSON with a final newline, serialized into one growing buffer.
pub fn to_pretty(value: &impl Serialize) -> String {
    let mut buf = Vec::with_capacity(4096);
    if let Err(e) = write_pretty(&mut buf, value) {
        return format!("{{\"error\": {:?}}}\n", e.to_string());
    }
    buf.push(b'\n');
    String::from_utf8(buf).unwrap_or_default()
}

/// Pretty JSON (two-space indent) in which, beyond what JSON requires
/// (C0 controls, `"` and `\\`), C1 controls, DEL and bidirectional-formatting
/// characters are `\\uXXXX` escapes too, and so is the `#` that would make
/// `##[`: the same string to a parser, and never a raw escape sequence to a
/// terminal nor a workflow command to a CI log that shows the file.
pub fn write_pretty(out: impl std::io::Write, value: &impl Serialize) -> serde_json::Result<()> {
    let formatter = Escaping(serde_json::ser::PrettyFormatter::with_indent(b"  "));
    let mut ser = serde_json::Serializer::with_formatter(out, formatter);
    value.serialize(&mut ser)
}

struct Escaping<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for Escaping<'_> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            // `##[` anywhere in a CI log line is the runner's old command
            // syntax: its second `#` is written `\u0023`.
            if c == '#' && fragment[..i].ends_with('#') && fragment[i + 1..].starts_with('[') {
                w.write_all(&fragment.as_bytes()[start..i])?;
                w.write_all(b"\\u0023")?;
                start = i + 1;
                continue;
            }
            if crate::escape::needs_escape(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{u:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}
