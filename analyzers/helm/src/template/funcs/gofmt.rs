//! Go's `fmt.Sprintf`, `Sprint` and `Sprintln` over template values: the
//! verbs charts use (`%s %v %d %q %t %f %e %g %x %X %o %b %c %T %%`) with
//! flags, width and precision, and Go's error forms (`%!d(string=x)`,
//! `%!s(MISSING)`, `%!(EXTRA ...)`).

use crate::template::value::{format_v, go_float, Value, V};

/// Where each argument's text landed in the output (for provenance).
pub type Placed = Vec<(std::ops::Range<usize>, usize)>;

pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    let mut prev_string = true;
    for (i, a) in args.iter().enumerate() {
        let is_string = matches!(a.v, V::Str(_));
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        format_v(a, &mut out);
        prev_string = is_string;
    }
    out
}

pub fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        format_v(a, &mut out);
    }
    out.push('\n');
    out
}

#[derive(Default, Clone, Copy)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

pub fn sprintf(format: &str, args: &[Value]) -> (String, Placed) {
    let mut out = String::new();
    let mut placed = Vec::new();
    let mut argi = 0;
    let mut chars = format.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&(_, f)) = chars.peek() {
            match f {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                '0' => spec.zero = true,
                _ => break,
            }
            chars.next();
        }
        let num = |chars: &mut std::iter::Peekable<std::str::CharIndices>, argi: &mut usize| {
            if chars.peek().map(|c| c.1) == Some('*') {
                chars.next();
                let v = args.get(*argi).and_then(|a| match a.v {
                    V::Int(i) | V::Int64(i) => usize::try_from(i).ok(),
                    _ => None,
                });
                *argi += 1;
                return v;
            }
            let mut n: Option<usize> = None;
            while let Some(&(_, d)) = chars.peek() {
                let Some(dv) = d.to_digit(10) else { break };
                n = Some(
                    n.unwrap_or(0)
                        .saturating_mul(10)
                        .saturating_add(dv as usize)
                        .min(1 << 20),
                );
                chars.next();
            }
            n
        };
        spec.width = num(&mut chars, &mut argi);
        if chars.peek().map(|c| c.1) == Some('.') {
            chars.next();
            spec.prec = Some(num(&mut chars, &mut argi).unwrap_or(0));
        }
        let Some((_, verb)) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(argi) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        let start = out.len();
        let body = format_one(arg, verb, spec);
        out.push_str(&pad(&body, spec));
        placed.push((start..out.len(), argi));
        argi += 1;
    }
    if argi < args.len() {
        out.push_str("%!(EXTRA ");
        for (i, a) in args[argi..].iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            if a.is_nil() {
                out.push_str("<nil>");
            } else {
                out.push_str(a.type_name());
                out.push('=');
                format_v(a, &mut out);
            }
        }
        out.push(')');
    }
    (out, placed)
}

fn pad(body: &str, spec: Spec) -> String {
    let Some(w) = spec.width else {
        return body.to_string();
    };
    let n = body.chars().count();
    if n >= w {
        return body.to_string();
    }
    let fill = w - n;
    if spec.minus {
        format!("{body}{}", " ".repeat(fill))
    } else if spec.zero {
        // Zero padding goes after a sign.
        let (sign, digits) = match body.chars().next() {
            Some(c @ ('-' | '+' | ' ')) => (c.to_string(), &body[1..]),
            _ => (String::new(), body),
        };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{body}", " ".repeat(fill))
    }
}

fn bad(arg: &Value, verb: char) -> String {
    if arg.is_nil() {
        return format!("%!{verb}(<nil>)");
    }
    let mut s = format!("%!{verb}({}=", arg.type_name());
    format_v(arg, &mut s);
    s.push(')');
    s
}

fn format_one(arg: &Value, verb: char, spec: Spec) -> String {
    match (&arg.v, verb) {
        (_, 'T') => arg.type_name().to_string(),
        (V::Nil, 'v') => "<nil>".into(),
        (V::List(items), _) if verb != 'T' => {
            let parts: Vec<String> = items
                .iter()
                .map(|x| {
                    format_one(
                        x,
                        verb,
                        Spec {
                            width: None,
                            ..spec
                        },
                    )
                })
                .collect();
            format!("[{}]", parts.join(" "))
        }
        (V::Map(m), _) => {
            let parts: Vec<String> = m
                .snap()
                .iter()
                .map(|(k, x)| {
                    format!(
                        "{}:{}",
                        format_one(
                            &Value::str(k.clone()),
                            verb,
                            Spec {
                                width: None,
                                ..spec
                            }
                        ),
                        format_one(
                            x,
                            verb,
                            Spec {
                                width: None,
                                ..spec
                            }
                        )
                    )
                })
                .collect();
            format!("map[{}]", parts.join(" "))
        }
        (V::Str(t), 's' | 'v') => match spec.prec {
            Some(p) => t.s.chars().take(p).collect(),
            None => t.s.clone(),
        },
        (V::Str(t), 'q') => go_quote(&t.s),
        (V::Str(t), 'x' | 'X') => {
            let mut s = String::new();
            for b in t.s.bytes() {
                s.push_str(&if verb == 'x' {
                    format!("{b:02x}")
                } else {
                    format!("{b:02X}")
                });
            }
            s
        }
        (V::Bool(b), 't' | 'v') => b.to_string(),
        (V::Int(i) | V::Int64(i), _) => {
            format_int(*i, verb, spec).unwrap_or_else(|| bad(arg, verb))
        }
        (V::Float(f), _) => format_float(*f, verb, spec).unwrap_or_else(|| bad(arg, verb)),
        (
            V::Strings(_) | V::ApiVersions(_) | V::Files(_) | V::SemVer(_) | V::Time(_),
            'v' | 's',
        ) => {
            let mut s = String::new();
            format_v(arg, &mut s);
            s
        }
        _ => bad(arg, verb),
    }
}

fn format_int(i: i64, verb: char, spec: Spec) -> Option<String> {
    let sign = |s: String| {
        if i >= 0 && spec.plus {
            format!("+{s}")
        } else if i >= 0 && spec.space {
            format!(" {s}")
        } else {
            s
        }
    };
    let mag = i.unsigned_abs();
    let neg = if i < 0 { "-" } else { "" };
    Some(match verb {
        'd' | 'v' => {
            let mut digits = mag.to_string();
            if let Some(p) = spec.prec {
                while digits.len() < p {
                    digits.insert(0, '0');
                }
            }
            sign(format!("{neg}{digits}"))
        }
        'x' => sign(format!(
            "{neg}{}{mag:x}",
            if spec.sharp { "0x" } else { "" }
        )),
        'X' => sign(format!(
            "{neg}{}{mag:X}",
            if spec.sharp { "0X" } else { "" }
        )),
        'o' => sign(format!("{neg}{}{mag:o}", if spec.sharp { "0" } else { "" })),
        'O' => sign(format!("{neg}0o{mag:o}")),
        'b' => sign(format!("{neg}{mag:b}")),
        'c' => char::from_u32(u32::try_from(i).ok()?)
            .unwrap_or('\u{FFFD}')
            .to_string(),
        'q' => {
            let c = char::from_u32(u32::try_from(i).ok()?).unwrap_or('\u{FFFD}');
            format!("'{}'", go_quote(&c.to_string()).trim_matches('"'))
        }
        'U' => format!("U+{mag:04X}"),
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => return None,
        _ => return None,
    })
}

fn format_float(f: f64, verb: char, spec: Spec) -> Option<String> {
    let s = match verb {
        'v' => match spec.prec {
            None => go_float(f),
            Some(p) => format_g(f, Some(p)),
        },
        'g' => format_g(f, spec.prec),
        'G' => format_g(f, spec.prec).to_uppercase(),
        'f' | 'F' => format!("{:.*}", spec.prec.unwrap_or(6), f),
        'e' => format_e(f, spec.prec.unwrap_or(6)),
        'E' => format_e(f, spec.prec.unwrap_or(6)).to_uppercase(),
        _ => return None,
    };
    Some(if f >= 0.0 && spec.plus {
        format!("+{s}")
    } else {
        s
    })
}

/// `%e`: mantissa with `prec` digits, exponent with at least two digits.
fn format_e(f: f64, prec: usize) -> String {
    let s = format!("{:.*e}", prec, f);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

fn format_g(f: f64, prec: Option<usize>) -> String {
    match prec {
        None => go_float(f),
        Some(p) => {
            let p = p.max(1);
            if f == 0.0 {
                return "0".into();
            }
            let exp = f.abs().log10().floor() as i32;
            if exp < -4 || exp >= p as i32 {
                let s = format_e(f, p - 1);
                let (m, e) = s.split_once('e').unwrap_or((&s, ""));
                let m = if m.contains('.') {
                    m.trim_end_matches('0').trim_end_matches('.')
                } else {
                    m
                };
                format!("{m}e{e}")
            } else {
                let decimals = (p as i32 - 1 - exp).max(0) as usize;
                let s = format!("{:.*}", decimals, f);
                if s.contains('.') {
                    s.trim_end_matches('0').trim_end_matches('.').to_string()
                } else {
                    s
                }
            }
        }
    }
}

/// Go's `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if is_printable(c) => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `strconv.IsPrint` for the characters charts
/// hold: controls, surrogates, private use and a few format characters are
/// not printable.
fn is_printable(c: char) -> bool {
    let u = c as u32;
    !(u < 0x20
        || (0x7f..0xa0).contains(&u)
        || u == 0xad
        || (0xe000..0xf900).contains(&u)
        || (0x200b..0x2010).contains(&u)
        || (0x2028..0x202f).contains(&u)
        || (0x2060..0x2070).contains(&u)
        || u == 0xfeff
        || (0xfff9..0xfffc).contains(&u)
        || u >= 0xf0000)
}
