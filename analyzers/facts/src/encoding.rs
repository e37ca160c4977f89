//! Text encodings announced by a byte order mark, for YAML.
//!
//! go-yaml (kubectl, compose, Helm, kustomize) reads a YAML stream in UTF-8
//! or, after a byte order mark, UTF-16 (little or big endian), as libyaml
//! does; it refuses UTF-32. So a UTF-16 YAML file is decoded here before it
//! is parsed, and a UTF-32 one is a located error. Positions of the decoded
//! text: lines and columns are those of the file; byte spans count in the
//! UTF-8 decoding (a UTF-16 file has no UTF-8 offsets to point at).

use crate::{LineIndex, ParseProblem, Span};

/// An encoding other than UTF-8, recognised by its byte order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WideEncoding {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

impl WideEncoding {
    /// The encoding a byte order mark at the start of `bytes` announces.
    /// UTF-32 is checked first: its little-endian mark begins with UTF-16's.
    pub fn of(bytes: &[u8]) -> Option<Self> {
        match bytes {
            [0xFF, 0xFE, 0, 0, ..] => Some(WideEncoding::Utf32Le),
            [0, 0, 0xFE, 0xFF, ..] => Some(WideEncoding::Utf32Be),
            [0xFF, 0xFE, ..] => Some(WideEncoding::Utf16Le),
            [0xFE, 0xFF, ..] => Some(WideEncoding::Utf16Be),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            WideEncoding::Utf16Le => "utf-16 little-endian",
            WideEncoding::Utf16Be => "utf-16 big-endian",
            WideEncoding::Utf32Le => "utf-32 little-endian",
            WideEncoding::Utf32Be => "utf-32 big-endian",
        }
    }
}

/// A YAML file's bytes as UTF-8: `Ok(None)` when they need no decoding
/// (no UTF-16/UTF-32 byte order mark), `Ok(Some(utf8))` for UTF-16 (mark
/// dropped), and a problem for UTF-32 or a broken UTF-16 sequence.
pub fn decode_yaml_bytes(path: &str, bytes: &[u8]) -> Result<Option<Vec<u8>>, ParseProblem> {
    let Some(encoding) = WideEncoding::of(bytes) else {
        return Ok(None);
    };
    let big_endian = match encoding {
        WideEncoding::Utf16Le => false,
        WideEncoding::Utf16Be => true,
        WideEncoding::Utf32Le | WideEncoding::Utf32Be => {
            return Err(problem(
                path,
                0..4,
                format!(
                    "{} text (byte order mark): the yaml readers of kubectl and compose \
                     (go-yaml) read only utf-8 and utf-16",
                    encoding.name()
                ),
            ));
        }
    };
    let units = bytes
        .get(2..)
        .unwrap_or(&[])
        .chunks(2)
        .map(|pair| match pair {
            [a, b] if big_endian => u16::from_be_bytes([*a, *b]),
            [a, b] => u16::from_le_bytes([*a, *b]),
            // An odd trailing byte: not a code unit, reported below.
            _ => 0xDC00,
        });
    let mut out = String::with_capacity(bytes.len());
    for (i, decoded) in char::decode_utf16(units).enumerate() {
        match decoded {
            Ok(c) => out.push(c),
            Err(_) => {
                let at = 2 + 2 * i;
                return Err(problem(
                    path,
                    at..(at + 2).min(bytes.len()),
                    format!(
                        "{} text (byte order mark) with an invalid code unit at byte {at}",
                        encoding.name()
                    ),
                ));
            }
        }
    }
    Ok(Some(out.into_bytes()))
}

fn problem(path: &str, span: std::ops::Range<usize>, message: String) -> ParseProblem {
    let mut loc = LineIndex::new(path, "").file_location();
    loc.span = Span::new(span.start, span.end);
    ParseProblem { message, loc }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mark: [u8; 2] = if big_endian {
            [0xFE, 0xFF]
        } else {
            [0xFF, 0xFE]
        };
        mark.into_iter()
            .chain(text.encode_utf16().flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            }))
            .collect()
    }

    #[test]
    fn utf16_is_decoded_without_its_mark() {
        for big_endian in [false, true] {
            let decoded = decode_yaml_bytes("a.yaml", &utf16("a: é𝄞\n", big_endian));
            assert_eq!(decoded.ok().flatten(), Some("a: é𝄞\n".as_bytes().to_vec()));
        }
        assert!(matches!(decode_yaml_bytes("a.yaml", b"a: 1\n"), Ok(None)));
        assert!(matches!(decode_yaml_bytes("a.yaml", b""), Ok(None)));
    }

    #[test]
    fn utf32_and_broken_utf16_are_problems() {
        let utf32 = decode_yaml_bytes("a.yaml", b"\xFF\xFE\0\0a\0\0\0").err();
        assert!(utf32.is_some_and(|p| p.message.starts_with("utf-32 little-endian")));
        let lone_surrogate = decode_yaml_bytes("a.yaml", b"\xFF\xFEa\0\x00\xD8").err();
        assert!(lone_surrogate.is_some_and(|p| p.loc.span == Span::new(4, 6)));
        assert!(decode_yaml_bytes("a.yaml", b"\xFF\xFEa\0b").is_err());
    }
}
