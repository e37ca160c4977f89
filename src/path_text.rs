//! Report paths: a file's raw name (any bytes but `/` and NUL on Unix) as
//! text that names it unambiguously.
//!
//! The escape, applied per path component:
//! - `\` is written `\\`;
//! - a byte that is not part of valid UTF-8 is written `\xHH` (two
//!   lowercase hex digits; always 80 to ff);
//! - a control character is written `\xHH` (C0 and DEL) or `\u{HH}` (C1);
//! - everything else is itself.
//!
//! So distinct names stay distinct (the escape is reversible, see
//! [`unescape`]), plain UTF-8 names are unchanged, and no report path holds
//! a raw control character.

use std::ffi::OsStr;
use std::fmt::Write;

/// Appends `name`, escaped, to `out`.
pub fn push_component(out: &mut String, name: &OsStr) {
    let mut rest = name.as_encoded_bytes();
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                push_text(out, text);
                return;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                push_text(out, std::str::from_utf8(valid).unwrap_or_default());
                let bad = e.error_len().unwrap_or(after.len()).max(1);
                for b in after.iter().take(bad) {
                    let _ = write!(out, "\\x{b:02x}");
                }
                rest = after.get(bad..).unwrap_or_default();
            }
        }
    }
}

fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c.is_control() && (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// Whether `name` is written as itself.
pub fn is_plain(name: &str) -> bool {
    !name.chars().any(|c| c == '\\' || c.is_control())
}

/// The raw bytes an escaped path stands for (the inverse of
/// [`push_component`], separators included).
pub fn unescape(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let rest = text.get(i + 1..).unwrap_or_default();
        if rest.starts_with('\\') {
            out.push(b'\\');
            chars.next();
        } else if let Some(hex) = rest.strip_prefix('x').and_then(|r| r.get(..2)) {
            match u8::from_str_radix(hex, 16) {
                Ok(b) => {
                    out.push(b);
                    for _ in 0..3 {
                        chars.next();
                    }
                }
                Err(_) => out.push(b'\\'),
            }
        } else if let Some(body) = rest.strip_prefix("u{").and_then(|r| r.split_once('}')) {
            match u32::from_str_radix(body.0, 16)
                .ok()
                .and_then(char::from_u32)
            {
                Some(c) => {
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    for _ in 0..body.0.len() + 3 {
                        chars.next();
                    }
                }
                None => out.push(b'\\'),
            }
        } else {
            out.push(b'\\');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(bytes: &[u8]) -> String {
        let mut s = String::new();
        // SAFETY-free: on Unix any bytes are an OsStr.
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            push_component(&mut s, OsStr::from_bytes(bytes));
        }
        #[cfg(not(unix))]
        push_component(
            &mut s,
            OsStr::new(std::str::from_utf8(bytes).unwrap_or("?")),
        );
        s
    }

    #[test]
    fn escapes_are_unambiguous_and_reversible() {
        #[cfg(unix)]
        let cases: &[&[u8]] = &[
            b"plain.yaml",
            b"caf\xc3\xa9",
            b"a\xff",
            b"a\xfe",
            b"a\\xff",
            b"a\xef\xbf\xbd",
            b"\x1b]0;x\x07",
            b"\xc2\x85nl",
            b"back\\slash",
        ];
        #[cfg(not(unix))]
        let cases: &[&[u8]] = &[b"plain.yaml", b"a\\xff"];
        let mut seen = std::collections::HashSet::new();
        for raw in cases {
            let e = escaped(raw);
            assert!(!e.chars().any(char::is_control), "{e:?}");
            assert_eq!(unescape(&e), raw.to_vec(), "{e}");
            assert!(seen.insert(e), "{raw:?}");
        }
        assert_eq!(escaped(b"a\xff"), "a\\xff");
        assert_eq!(escaped(b"a\\xff"), "a\\\\xff");
        assert_eq!(escaped(b"plain.yaml"), "plain.yaml");
    }
}
