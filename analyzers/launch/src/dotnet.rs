//! .NET launchers: `dotnet App.dll [--urls …]`.
//!
//! ASP.NET Core reads `--urls` (also `--urls=…`, `/urls …`, and the
//! `--http_ports` / `--Kestrel:Endpoints:NAME:Url` forms are left out: rare in
//! start commands) from its command-line configuration. It outranks
//! `ASPNETCORE_URLS` and `ASPNETCORE_HTTP_PORTS`, which are the app's own
//! configuration (see the `Listen` facts of its code), so they are not read
//! here. Kestrel endpoints configured in code or `appsettings.json` outrank
//! `--urls`; the resolver must let such a listen win (see the source README).

use crate::options::setting;
use crate::{Env, Launch, ServerKind, Setting};
use seamcheck_facts::shell::sub_location;
use seamcheck_facts::{value_expr, Located, ValueExpr};

/// ASP.NET Core: a URL written in code or `appsettings.json` outranks
/// `--urls` and `ASPNETCORE_URLS`.
pub(crate) fn code_outranks_command(server: &ServerKind) -> bool {
    matches!(server, ServerKind::Dotnet { .. })
}

/// `None` when `program` is not one of this module's launchers.
pub(crate) fn launch(
    program: &str,
    first: &Located<String>,
    rest: &[Located<String>],
    env: &Env<'_>,
) -> Option<Launch> {
    let _ = (first, env);
    if program != "dotnet" {
        return None;
    }
    // `dotnet [host options] App.dll [app args]`; `dotnet run`, `dotnet
    // watch` are development commands that build first: still a .NET app,
    // with no dll named.
    let mut i = 0;
    let mut dll: Option<&Located<String>> = None;
    while let Some(w) = rest.get(i) {
        i += 1;
        let v = w.value.as_str();
        if matches!(
            v,
            "--additionalprobingpath" | "--depsfile" | "--runtimeconfig" | "--fx-version"
        ) || v == "--roll-forward"
            || v == "--additional-deps"
        {
            i += 1;
            continue;
        }
        if v.starts_with('-') {
            continue;
        }
        if v.to_ascii_lowercase().ends_with(".dll") || matches!(v, "run" | "watch" | "exec") {
            dll = Some(w);
        }
        break;
    }
    let dll = dll?;
    let (host, port) = urls_argument(rest.get(i..).unwrap_or(&[]));
    Some(Launch {
        server: ServerKind::Dotnet {
            dll: dll.value.clone(),
        },
        app_target: Some(dll.clone()),
        host,
        port,
        debug: None,
        argv: Vec::new(),
    })
}

/// The last `--urls` argument (command-line configuration: the last value of a
/// key wins), as host and port settings of its first URL.
fn urls_argument(args: &[Located<String>]) -> (Option<Setting>, Option<Setting>) {
    let mut found: Option<(&Located<String>, usize)> = None;
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        let lower = w.value.to_ascii_lowercase();
        let key = lower.trim_start_matches(['-', '/']);
        if key == "urls" && lower != key {
            if let Some(next) = args.get(i) {
                found = Some((next, 0));
                i += 1;
            }
        } else if let Some(prefix_len) = ["--urls=", "/urls=", "urls="]
            .iter()
            .find(|p| lower.starts_with(*p))
            .map(|p| p.len())
        {
            found = Some((w, prefix_len));
        }
    }
    let Some((word, at)) = found else {
        return (None, None);
    };
    let list = word.value.get(at..).unwrap_or("");
    let written = format!("`--urls {list}`");
    let Some(url) = parse_first_url(list) else {
        let loc = sub_location(word, at..word.value.len()).or_else(|| Some(word.loc.clone()));
        let unknown = ValueExpr::unknown(list);
        return (
            Some(setting(unknown.clone(), loc.clone(), written.clone())),
            Some(setting(unknown, loc, written)),
        );
    };
    let locate = |r: std::ops::Range<usize>| {
        sub_location(word, at + r.start..at + r.end).or_else(|| Some(word.loc.clone()))
    };
    let host_text = list.get(url.host.clone()).unwrap_or("");
    let host = setting(
        match host_value(host_text) {
            Some(all) => ValueExpr::literal(all),
            None => value_expr(host_text),
        },
        locate(url.host.clone()),
        written.clone(),
    );
    let port = match url.port {
        Some(p) => setting(
            value_expr(list.get(p.clone()).unwrap_or("")),
            locate(p),
            written,
        ),
        None => setting(
            ValueExpr::literal(url.scheme_port.to_string()),
            locate(0..url.end),
            format!("{written}: no port in the URL, the scheme's default"),
        ),
    };
    (Some(host), Some(port))
}

/// `+`, `*` and `[::]` bind all interfaces in ASP.NET Core.
fn host_value(host: &str) -> Option<&'static str> {
    match host {
        "+" | "*" | "0.0.0.0" => Some("0.0.0.0"),
        "[::]" => Some("::"),
        _ => None,
    }
}

/// Byte ranges (into the list) of the first HTTP URL of a `;`-separated list.
#[derive(Debug, PartialEq, Eq)]
pub struct UrlParts {
    pub host: std::ops::Range<usize>,
    pub port: Option<std::ops::Range<usize>>,
    /// 80 for `http`, 443 for `https`: the port when the URL names none.
    pub scheme_port: u16,
    /// End of the URL in the list.
    pub end: usize,
}

/// The first `http://` URL of an ASP.NET URL list (`http://+:80;https://+:443`),
/// else the first URL. `None` when no entry has a `scheme://` prefix.
pub fn parse_first_url(list: &str) -> Option<UrlParts> {
    let mut start = 0;
    let mut first: Option<UrlParts> = None;
    for entry in list.split(';') {
        let entry_start = start;
        start += entry.len() + 1;
        let trimmed_start = entry_start + (entry.len() - entry.trim_start().len());
        let entry = entry.trim();
        let Some((scheme, rest)) = entry.split_once("://") else {
            continue;
        };
        let scheme_port = match scheme.to_ascii_lowercase().as_str() {
            "http" => 80,
            "https" => 443,
            _ => continue,
        };
        let authority_start = trimmed_start + scheme.len() + 3;
        let authority = rest.split('/').next().unwrap_or(rest);
        let authority_end = authority_start + authority.len();
        // `[::1]:80`: the port follows the closing bracket.
        let host_end_in_authority = if authority.starts_with('[') {
            authority.find(']').map_or(authority.len(), |i| i + 1)
        } else {
            authority.rfind(':').unwrap_or(authority.len())
        };
        let port = authority
            .get(host_end_in_authority..)
            .and_then(|r| r.strip_prefix(':'))
            .filter(|p| !p.is_empty())
            .map(|p| authority_end - p.len()..authority_end);
        let parts = UrlParts {
            host: authority_start..authority_start + host_end_in_authority,
            port,
            scheme_port,
            end: trimmed_start + entry.len(),
        };
        if scheme_port == 80 {
            return Some(parts);
        }
        first = first.or(Some(parts));
    }
    first
}

#[cfg(test)]
mod tests {
    use super::parse_first_url;
    use crate::{interpret, Launch, ServerKind};
    use seamcheck_facts::shell::split_words;
    use seamcheck_facts::{LineIndex, ValueExpr};

    fn run(line: &str) -> Option<Launch> {
        let words = split_words(line, 0, &LineIndex::new("cmd", line));
        interpret(&words, &|_| None)
    }

    fn setting_text(line: &str, s: Option<crate::Setting>) -> Option<(ValueExpr, String)> {
        let s = s?;
        let loc = s.loc?;
        Some((s.value, line.get(loc.span.start..loc.span.end)?.to_string()))
    }

    fn lit(v: &str) -> ValueExpr {
        ValueExpr::literal(v)
    }

    #[test]
    fn dotnet_launches_and_urls() {
        type Row<'a> = (
            &'a str,
            Option<(ValueExpr, &'a str)>,
            Option<(ValueExpr, &'a str)>,
        );
        let rows: Vec<Row> = vec![
            ("dotnet Shop.Api.dll", None, None),
            (
                "dotnet Shop.Api.dll --urls http://0.0.0.0:5000",
                Some((lit("0.0.0.0"), "0.0.0.0")),
                Some((lit("5000"), "5000")),
            ),
            (
                "dotnet /app/Api.dll '--urls=http://+:8080;https://+:8443'",
                Some((lit("0.0.0.0"), "+")),
                Some((lit("8080"), "8080")),
            ),
            (
                "dotnet Api.dll --urls 'https://localhost:7001;http://localhost:5001'",
                Some((lit("localhost"), "localhost")),
                Some((lit("5001"), "5001")),
            ),
            (
                "dotnet Api.dll --urls http://[::]:80",
                Some((lit("::"), "[::]")),
                Some((lit("80"), "80")),
            ),
            (
                "dotnet Api.dll --urls http://*",
                Some((lit("0.0.0.0"), "*")),
                Some((lit("80"), "http://*")),
            ),
            (
                "sh -c 'dotnet Api.dll --urls http://0.0.0.0:${PORT}'",
                Some((lit("0.0.0.0"), "0.0.0.0")),
                Some((ValueExpr::env("PORT", None), "${PORT}")),
            ),
        ];
        for (line, host, port) in rows {
            let l = run(line).unwrap_or_else(|| panic!("{line}"));
            assert!(matches!(l.server, ServerKind::Dotnet { .. }), "{line}");
            let want = |w: Option<(ValueExpr, &str)>| w.map(|(v, t)| (v, t.to_string()));
            assert_eq!(setting_text(line, l.host), want(host), "{line}");
            assert_eq!(setting_text(line, l.port), want(port), "{line}");
        }
    }

    #[test]
    fn targets() {
        let l = run("dotnet Shop.Api.dll").unwrap_or_else(|| panic!("launch"));
        assert_eq!(
            l.server,
            ServerKind::Dotnet {
                dll: "Shop.Api.dll".into()
            }
        );
        assert_eq!(
            l.app_target.map(|t| t.value).as_deref(),
            Some("Shop.Api.dll")
        );
        // `dotnet --info` runs no app.
        let l = run("dotnet --info").unwrap_or_else(|| panic!("launch"));
        assert!(matches!(l.server, ServerKind::Other { .. }));
        let l = run("dotnet run --urls http://+:80").unwrap_or_else(|| panic!("launch"));
        assert!(l.port.is_some_and(|p| p.value == lit("80")));
    }

    #[test]
    fn url_lists() {
        assert_eq!(parse_first_url("ftp://x"), None);
        assert_eq!(parse_first_url(""), None);
        let u = parse_first_url(" http://a:1 ").unwrap_or_else(|| panic!("url"));
        assert_eq!((u.host, u.port), (8..9, Some(10..11)));
        let u = parse_first_url("http://[::1]:5000/").unwrap_or_else(|| panic!("url"));
        assert_eq!((u.host, u.port), (7..12, Some(13..17)));
        for bad in [
            "http://",
            "http://:",
            "http://[",
            "https://[::",
            ";;",
            "http://é:é",
        ] {
            let _ = parse_first_url(bad);
        }
        for line in [
            "dotnet",
            "dotnet --urls",
            "dotnet a.dll --urls",
            "dotnet a.dll --urls=",
        ] {
            let _ = run(line);
        }
    }
}
