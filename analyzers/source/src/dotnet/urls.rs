//! ASP.NET Core URL lists (`http://+:80;https://+:443`): host and port of the
//! first `http://` URL (else the first URL), as byte ranges of the text.

use std::ops::Range;

#[derive(Debug, PartialEq, Eq)]
pub struct Url {
    pub host: Range<usize>,
    /// `None`: the URL names no port; `scheme_port` applies.
    pub port: Option<Range<usize>>,
    pub scheme_port: u16,
}

pub fn first_url(list: &str) -> Option<Url> {
    let mut offset = 0;
    let mut first: Option<Url> = None;
    for entry in list.split(';') {
        let entry_start = offset;
        offset += entry.len() + 1;
        let lead = entry.len() - entry.trim_start().len();
        let trimmed = entry.trim();
        let Some((scheme, rest)) = trimmed.split_once("://") else {
            continue;
        };
        let scheme_port = match scheme.to_ascii_lowercase().as_str() {
            "http" => 80,
            "https" => 443,
            _ => continue,
        };
        let authority_start = entry_start + lead + scheme.len() + 3;
        let authority = rest.split('/').next().unwrap_or(rest);
        let host_len = if authority.starts_with('[') {
            authority.find(']').map_or(authority.len(), |i| i + 1)
        } else {
            authority.rfind(':').unwrap_or(authority.len())
        };
        let port = authority
            .get(host_len..)
            .and_then(|r| r.strip_prefix(':'))
            .filter(|p| !p.is_empty())
            .map(|p| {
                let end = authority_start + authority.len();
                end - p.len()..end
            });
        let url = Url {
            host: authority_start..authority_start + host_len,
            port,
            scheme_port,
        };
        if scheme_port == 80 {
            return Some(url);
        }
        first = first.or(Some(url));
    }
    first
}

/// `+`, `*`, `[::]` and `0.0.0.0` bind every interface.
pub fn normalize_host(host: &str) -> String {
    match host {
        "+" | "*" | "0.0.0.0" => "0.0.0.0".to_string(),
        "[::]" => "::".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        let u = first_url("https://+:443;http://+:8080");
        assert_eq!(
            u,
            Some(Url {
                host: 21..22,
                port: Some(23..27),
                scheme_port: 80
            })
        );
        let u = first_url("http://[::]:80/");
        assert_eq!(u.map(|u| (u.host, u.port)), Some((7..11, Some(12..14))));
        let u = first_url("http://localhost");
        assert_eq!(
            u.map(|u| (u.host, u.port, u.scheme_port)),
            Some((7..16, None, 80))
        );
        assert_eq!(first_url("unix:/tmp/s"), None);
        for bad in [
            "http://",
            "http://:",
            "http://[",
            ";",
            "http://é:é",
            "https://[::",
        ] {
            let _ = first_url(bad);
        }
    }
}
