//! Sprig's string, encoding, hashing and path functions. The ones that only
//! cut, pad or wrap a string (`trim*`, `trunc`, `indent`, `nindent`,
//! `quote`, `squote`, `toString`) keep the origins of the bytes they keep.

use super::gofmt::go_quote;
use super::{int, msg, s, strval, want, Arg, FResult, FnError};
use crate::template::value::{Piece, Text, TextSeg, Value, V};
use base64::Engine as _;
use seamcheck_facts::render::Origin;
use sha2::Digest;

/// Most bytes `repeat`, `indent` and the like may produce.
const MAX_LEN: usize = 16 << 20;

/// The text of a string argument with its origins (a values-file string
/// without inner origins gets one segment for the whole).
fn text(a: &Arg) -> Result<Text, FnError> {
    let V::Str(t) = &a.val.v else {
        return Err(FnError::Msg(format!(
            "wrong type for value; expected string; got {}",
            if a.val.is_nil() {
                "<nil>"
            } else {
                a.val.type_name()
            }
        )));
    };
    Ok(with_own_origin(t, &a.val))
}

fn with_own_origin(t: &Text, v: &Value) -> Text {
    let mut t = t.clone();
    if t.segs.is_empty() && !t.s.is_empty() {
        if let Some(o) = &v.origin {
            t.segs.push(TextSeg {
                range: 0..t.s.len(),
                origin: Origin::Produced(o.value.clone()),
                via: None,
            });
        }
    }
    t
}

/// A value printed as Sprig's `strval`, keeping origins when it is a string.
fn strval_text(v: &Value) -> Text {
    match &v.v {
        V::Str(t) => with_own_origin(t, v),
        _ => {
            let s = strval(v);
            let mut t = Text::plain(s);
            if let Some(o) = &v.origin {
                if !t.s.is_empty() {
                    t.segs.push(TextSeg {
                        range: 0..t.s.len(),
                        origin: Origin::Produced(o.value.clone()),
                        via: None,
                    });
                }
            }
            t
        }
    }
}

fn b(v: bool) -> FResult {
    Ok(Value::bool(v))
}

fn str_out(s: String) -> FResult {
    if s.len() > MAX_LEN {
        return msg("string too long");
    }
    Ok(Value::str(s))
}

/// The pieces of `t` between `range` trimmed by `trim`.
fn trimmed(t: &Text, start: usize, end: usize) -> FResult {
    Ok(Value::text(t.slice(start..end.max(start))))
}

pub fn call(name: &str, args: &[Arg]) -> Option<FResult> {
    Some(match name {
        "trim" => (|| {
            want(args, 1, name)?;
            let t = text(&args[0])?;
            let start = t.s.len() - t.s.trim_start().len();
            let end = t.s.trim_end().len();
            trimmed(&t, start, end)
        })(),
        "trimAll" | "trimall" => (|| {
            want(args, 2, name)?;
            let cut: Vec<char> = s(&args[0])?.chars().collect();
            let t = text(&args[1])?;
            let start = t.s.len() - t.s.trim_start_matches(cut.as_slice()).len();
            let end = t.s.trim_end_matches(cut.as_slice()).len();
            trimmed(&t, start, end)
        })(),
        "trimSuffix" => (|| {
            want(args, 2, name)?;
            let suf = s(&args[0])?.to_string();
            let t = text(&args[1])?;
            let end = if t.s.ends_with(&suf) {
                t.s.len() - suf.len()
            } else {
                t.s.len()
            };
            trimmed(&t, 0, end)
        })(),
        "trimPrefix" => (|| {
            want(args, 2, name)?;
            let pre = s(&args[0])?.to_string();
            let t = text(&args[1])?;
            let start = if t.s.starts_with(&pre) { pre.len() } else { 0 };
            trimmed(&t, start, t.s.len())
        })(),
        "trunc" => (|| {
            want(args, 2, name)?;
            let c = int(&args[0])?;
            let t = text(&args[1])?;
            let len = t.s.len() as i64;
            let (a, z) = if c < 0 && len + c > 0 {
                ((len + c) as usize, t.s.len())
            } else if c >= 0 && len > c {
                (0, c as usize)
            } else {
                (0, t.s.len())
            };
            if !t.s.is_char_boundary(a) || !t.s.is_char_boundary(z) {
                // Go cuts bytes; keep valid UTF-8 by falling back to lossy text.
                return Ok(Value::str(
                    String::from_utf8_lossy(&t.s.as_bytes()[a..z]).into_owned(),
                ));
            }
            trimmed(&t, a, z)
        })(),
        "abbrev" => (|| {
            want(args, 2, name)?;
            let w = int(&args[0])?;
            let st = s(&args[1])?;
            if w < 4 || st.len() as i64 <= w {
                return Ok(Value::str(st));
            }
            let cut = (w - 3) as usize;
            let cut = (0..=cut)
                .rev()
                .find(|i| st.is_char_boundary(*i))
                .unwrap_or(0);
            Ok(Value::str(format!("{}...", &st[..cut])))
        })(),
        "upper" | "lower" => (|| {
            want(args, 1, name)?;
            let t = text(&args[0])?;
            let out = if name == "upper" {
                t.s.to_uppercase()
            } else {
                t.s.to_lowercase()
            };
            if out.len() == t.s.len() {
                Ok(Value::text(Text {
                    s: out,
                    segs: t.segs,
                }))
            } else {
                Ok(Value::str(out))
            }
        })(),
        "title" => (|| {
            want(args, 1, name)?;
            let st = s(&args[0])?;
            let mut out = String::with_capacity(st.len());
            let mut prev = ' ';
            for c in st.chars() {
                let sep = if prev.is_ascii() {
                    !(prev.is_ascii_alphanumeric() || prev == '_')
                } else {
                    !(prev.is_alphanumeric()) && prev.is_whitespace()
                };
                if sep {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
                prev = c;
            }
            Ok(Value::str(out))
        })(),
        "untitle" => (|| {
            want(args, 1, name)?;
            let st = s(&args[0])?;
            let mut out = String::new();
            let mut prev_space = true;
            for c in st.chars() {
                if prev_space {
                    out.extend(c.to_lowercase());
                } else {
                    out.push(c);
                }
                prev_space = c.is_whitespace();
            }
            Ok(Value::str(out))
        })(),
        "substr" => (|| {
            want(args, 3, name)?;
            let (start, end) = (int(&args[0])?, int(&args[1])?);
            let st = s(&args[2])?;
            let len = st.len() as i64;
            let (a, z) = if start < 0 {
                (0, end)
            } else if end < 0 || end > len {
                (start, len)
            } else {
                (start, end)
            };
            if a < 0 || z < a || z > len {
                return msg(format!(
                    "runtime error: slice bounds out of range [{a}:{z}]"
                ));
            }
            let bytes = &st.as_bytes()[a as usize..z as usize];
            Ok(Value::str(String::from_utf8_lossy(bytes).into_owned()))
        })(),
        "repeat" => (|| {
            want(args, 2, name)?;
            let n = int(&args[0])?;
            let st = s(&args[1])?;
            if n < 0 {
                return msg("strings: negative Repeat count");
            }
            if (n as usize).saturating_mul(st.len()) > MAX_LEN {
                return msg("string too long");
            }
            str_out(st.repeat(n as usize))
        })(),
        "nospace" => (|| {
            want(args, 1, name)?;
            Ok(Value::str(
                s(&args[0])?
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>(),
            ))
        })(),
        "initials" => (|| {
            want(args, 1, name)?;
            Ok(Value::str(
                s(&args[0])?
                    .split_whitespace()
                    .filter_map(|w| w.chars().next())
                    .collect::<String>(),
            ))
        })(),
        "randAlphaNum" | "randAlpha" | "randAscii" | "randNumeric" => (|| {
            want(args, 1, name)?;
            let n = int(&args[0])?.clamp(0, 1 << 16) as usize;
            Ok(Value::str(deterministic_random(name, n)))
        })(),
        "contains" => (|| {
            want(args, 2, name)?;
            b(s(&args[1])?.contains(s(&args[0])?))
        })(),
        "hasPrefix" => (|| {
            want(args, 2, name)?;
            b(s(&args[1])?.starts_with(s(&args[0])?))
        })(),
        "hasSuffix" => (|| {
            want(args, 2, name)?;
            b(s(&args[1])?.ends_with(s(&args[0])?))
        })(),
        "quote" | "squote" => {
            let mut out = Text::default();
            for a in args.iter().filter(|a| !a.val.is_nil()) {
                if !out.s.is_empty() {
                    out.s.push(' ');
                }
                let inner = if name == "quote" {
                    strval_text(&a.val)
                } else {
                    // `'%v'` of the value.
                    strval_text(&a.val)
                };
                let quoted = if name == "quote" {
                    go_quote(&inner.s)
                } else {
                    format!("'{}'", inner.s)
                };
                let at = out.s.len();
                if quoted.len() == inner.s.len() + 2 {
                    out.s.push_str(&quoted[..1]);
                    out.segs.extend(inner.segs_in(0..inner.s.len(), at + 1));
                    out.s.push_str(&quoted[1..]);
                } else {
                    out.s.push_str(&quoted);
                    if let Some(o) = &a.val.origin {
                        out.segs.push(TextSeg {
                            range: at..out.s.len(),
                            origin: Origin::Produced(o.value.clone()),
                            via: None,
                        });
                    }
                }
            }
            Ok(Value::text(out))
        }
        "cat" => {
            let parts: Vec<String> = args
                .iter()
                .filter(|a| !a.val.is_nil())
                .map(|a| {
                    let mut s = String::new();
                    crate::template::value::format_v(&a.val, &mut s);
                    s
                })
                .collect();
            Ok(Value::str(parts.join(" ")))
        }
        "indent" | "nindent" => (|| {
            want(args, 2, name)?;
            let n = int(&args[0])?.clamp(0, 1 << 12) as usize;
            let t = text(&args[1])?;
            if t.s.len().saturating_mul(n / 8 + 2) > MAX_LEN {
                return msg("string too long");
            }
            let pad = " ".repeat(n);
            let mut pieces: Vec<Piece> = Vec::new();
            if name == "nindent" {
                pieces.push(Piece::New("\n"));
            }
            pieces.push(Piece::New(&pad));
            let mut start = 0;
            for (i, _) in t.s.match_indices('\n') {
                pieces.push(Piece::Old(start..i + 1));
                pieces.push(Piece::New(&pad));
                start = i + 1;
            }
            pieces.push(Piece::Old(start..t.s.len()));
            Ok(Value::text(t.rebuild(&pieces)))
        })(),
        "replace" => (|| {
            want(args, 3, name)?;
            let (old, new, src) = (s(&args[0])?, s(&args[1])?, s(&args[2])?);
            let out = if old.is_empty() {
                // Go inserts `new` around every rune.
                let mut o = String::from(new);
                for c in src.chars() {
                    o.push(c);
                    o.push_str(new);
                }
                o
            } else {
                src.replace(old, new)
            };
            str_out(out)
        })(),
        "plural" => (|| {
            want(args, 3, name)?;
            let n = int(&args[2])?;
            Ok(Value::str(if n == 1 { s(&args[0])? } else { s(&args[1])? }))
        })(),
        "sha1sum" => (|| {
            want(args, 1, name)?;
            Ok(Value::str(hex(&sha1(s(&args[0])?.as_bytes()))))
        })(),
        "sha256sum" => (|| {
            want(args, 1, name)?;
            Ok(Value::str(hex(&sha2::Sha256::digest(
                s(&args[0])?.as_bytes(),
            ))))
        })(),
        "adler32sum" => (|| {
            want(args, 1, name)?;
            let (mut a, mut bb) = (1u32, 0u32);
            for x in s(&args[0])?.bytes() {
                a = (a + u32::from(x)) % 65521;
                bb = (bb + a) % 65521;
            }
            Ok(Value::str(((bb << 16) | a).to_string()))
        })(),
        "toString" => (|| {
            want(args, 1, name)?;
            Ok(match &args[0].val.v {
                V::Str(_) => args[0].val.clone(),
                _ => Value::text(strval_text(&args[0].val)),
            })
        })(),
        "toStrings" => (|| {
            want(args, 1, name)?;
            Ok(Value::strings(match args[0].val.as_list() {
                Some(l) => l.iter().filter(|v| !v.is_nil()).map(strval).collect(),
                None => vec![strval(&args[0].val)],
            }))
        })(),
        "join" => (|| {
            want(args, 2, name)?;
            let sep = s(&args[0])?;
            let items: Vec<String> = match args[1].val.as_list() {
                Some(l) => l.iter().filter(|v| !v.is_nil()).map(strval).collect(),
                None => vec![strval(&args[1].val)],
            };
            str_out(items.join(sep))
        })(),
        "split" | "splitn" => (|| {
            let (sep, orig, n) = if name == "split" {
                want(args, 2, name)?;
                (s(&args[0])?, s(&args[1])?, -1)
            } else {
                want(args, 3, name)?;
                (s(&args[0])?, s(&args[2])?, int(&args[1])?)
            };
            let parts = go_split(orig, sep, n);
            Ok(Value::map(
                parts
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| (format!("_{i}"), Value::str(p)))
                    .collect(),
            ))
        })(),
        "splitList" => (|| {
            want(args, 2, name)?;
            Ok(Value::strings(go_split(s(&args[1])?, s(&args[0])?, -1)))
        })(),
        "b64enc" => (|| {
            want(args, 1, name)?;
            Ok(Value::str(
                base64::engine::general_purpose::STANDARD.encode(s(&args[0])?),
            ))
        })(),
        "b64dec" => (|| {
            want(args, 1, name)?;
            Ok(Value::str(
                match base64::engine::general_purpose::STANDARD.decode(s(&args[0])?) {
                    Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                    Err(e) => format!("illegal base64 data at input byte {}", b64_err_at(&e)),
                },
            ))
        })(),
        "b32enc" => (|| {
            want(args, 1, name)?;
            Ok(Value::str(base32(s(&args[0])?.as_bytes())))
        })(),
        "base" | "osBase" => path_fn(args, name, |p| {
            if p.is_empty() {
                return ".".into();
            }
            let t = p.trim_end_matches('/');
            if t.is_empty() {
                return "/".into();
            }
            t.rsplit('/').next().unwrap_or(t).to_string()
        }),
        "dir" | "osDir" => path_fn(args, name, |p| match p.rfind('/') {
            Some(i) => clean(&p[..i + 1]),
            None => ".".into(),
        }),
        "clean" | "osClean" => path_fn(args, name, clean),
        "ext" | "osExt" => path_fn(args, name, |p| {
            let base_start = p.rfind('/').map_or(0, |i| i + 1);
            match p[base_start..].rfind('.') {
                Some(i) => p[base_start + i..].to_string(),
                None => String::new(),
            }
        }),
        "isAbs" | "osIsAbs" => (|| {
            want(args, 1, name)?;
            b(s(&args[0])?.starts_with('/'))
        })(),
        "b32dec" => msg("b32dec is not supported"),
        _ => return None,
    })
}

fn path_fn(args: &[Arg], name: &str, f: impl Fn(&str) -> String) -> FResult {
    want(args, 1, name)?;
    Ok(Value::str(f(s(&args[0])?)))
}

/// Go's `path.Clean`.
fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// `strings.Split` / `SplitN` (n < 0: all).
fn go_split(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let chars: Vec<String> = s.chars().map(|c| c.to_string()).collect();
        if n > 0 && chars.len() > n as usize {
            let mut head: Vec<String> = chars[..n as usize - 1].to_vec();
            head.push(chars[n as usize - 1..].concat());
            return head;
        }
        return chars;
    }
    if n < 0 {
        s.split(sep).map(str::to_string).collect()
    } else {
        s.splitn(n as usize, sep).map(str::to_string).collect()
    }
}

fn b64_err_at(e: &base64::DecodeError) -> usize {
    match e {
        base64::DecodeError::InvalidByte(i, _) => *i,
        base64::DecodeError::InvalidLastSymbol(i, _) => *i,
        _ => 0,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn base32(data: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = buf.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b));
        let chars = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for i in 0..8 {
            if i < chars {
                out.push(A[((bits >> (35 - i * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// SHA-1 (for `sha1sum`): small and dependency-free.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 80];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                block[4 * i],
                block[4 * i + 1],
                block[4 * i + 2],
                block[4 * i + 3],
            ]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let (mut a, mut b, mut c, mut d, mut e) = (h[0], h[1], h[2], h[3], h[4]);
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// What the random functions return here: a fixed cycle of characters of
/// their class, so that renders are reproducible.
pub fn deterministic_random(name: &str, n: usize) -> String {
    let alphabet: &[u8] = match name {
        "randAlpha" => b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "randNumeric" => b"0123456789",
        _ => b"abcdefghijklmnopqrstuvwxyz0123456789",
    };
    (0..n)
        .map(|i| alphabet[i % alphabet.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_known_value() {
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
    }

    #[test]
    fn go_paths() {
        assert_eq!(clean("a/../b/./c/"), "b/c");
        assert_eq!(base32(b"hi"), "NBUQ====");
    }
}
