//! `appsettings.json` / `appsettings.{Environment}.json`: Kestrel endpoints
//! (`Kestrel:Endpoints:NAME:Url`) and the `Urls` key. `launchSettings.json`
//! is read by Visual Studio and `dotnet run` only, never by a published app
//! in a container, so it is not read at all.

use super::json;
use super::urls::{first_url, normalize_host};
use crate::{LanguageAnalyzer, LanguageOutput};
use seamcheck_facts::source::{EnvFormat, EnvOverride, Listen, ListenScope};
use seamcheck_facts::{FileKind, Framework, LineIndex, ParseProblem, SourceFacts, ValueExpr};

pub struct AppSettingsAnalyzer;

impl LanguageAnalyzer for AppSettingsAnalyzer {
    fn language(&self) -> &'static str {
        "aspnetcore-config"
    }

    fn kind(&self) -> FileKind {
        FileKind::AppConfig
    }

    fn reads_file_name(&self, lower_file_name: &str) -> bool {
        lower_file_name.starts_with("appsettings") && lower_file_name.ends_with(".json")
    }

    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput {
        let mut output = LanguageOutput::default();
        let path = index.path();
        if crate::java::syntax::is_test_path(path) {
            return output;
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        // `appsettings.Production.json` -> `Production` (as written: .NET
        // environment names compare case-insensitively, reports show them).
        let environment = name
            .get("appsettings".len()..name.len().saturating_sub(".json".len()))
            .and_then(|m| m.strip_prefix('.'))
            .filter(|m| !m.is_empty())
            .map(str::to_string);
        let (scalars, error) = json::read(text);
        if let Some(e) = error {
            let end = text
                .get(e.at..)
                .and_then(|r| r.chars().next())
                .map_or(e.at, |c| e.at + c.len_utf8());
            output.problems.push(ParseProblem {
                message: format!("json syntax error: {}", e.message),
                loc: index.location(e.at..end),
            });
        }
        let facts = build(&scalars, environment, index);
        if !facts.listens.is_empty() {
            output.facts = Some(facts);
        }
        output
    }
}

fn build(scalars: &[json::Scalar], environment: Option<String>, index: &LineIndex) -> SourceFacts {
    let mut facts = SourceFacts {
        language: "aspnetcore-config".to_string(),
        ..SourceFacts::default()
    };
    let mut endpoints: Vec<(&json::Scalar, Vec<EnvOverride>)> = Vec::new();
    for s in scalars {
        let lower = s.path.to_ascii_lowercase();
        let parts: Vec<&str> = s.path.split(':').collect();
        if let ["Kestrel" | "kestrel" | "KESTREL", _, name, _] = parts.as_slice() {
            if lower.starts_with("kestrel:endpoints:") && lower.ends_with(":url") {
                // Environment variables use `__` for `:`.
                let var = format!("Kestrel__Endpoints__{name}__Url");
                endpoints.push((
                    s,
                    vec![EnvOverride {
                        var,
                        format: EnvFormat::Urls,
                    }],
                ));
            }
        } else if lower == "urls" {
            endpoints.push((
                s,
                vec![EnvOverride {
                    var: "URLS".to_string(),
                    format: EnvFormat::Urls,
                }],
            ));
        }
    }
    // Kestrel endpoints outrank `Urls`; an http endpoint is what probes reach.
    endpoints.sort_by_key(|(s, _)| {
        let is_urls = s.path.eq_ignore_ascii_case("urls");
        let http = s
            .value
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("http://");
        (is_urls, !http)
    });
    for (s, env_overrides) in endpoints {
        let Some(url) = first_url(&s.value) else {
            continue;
        };
        let locate = |r: std::ops::Range<usize>| match &s.content {
            Some(content) => index.location(content.start + r.start..content.start + r.end),
            None => index.location(s.span.clone()),
        };
        let host_text = s.value.get(url.host.clone()).unwrap_or("");
        let host = seamcheck_facts::Located::new(
            ValueExpr::literal(normalize_host(host_text)),
            locate(url.host.clone()),
        );
        let port = match url.port {
            Some(p) => seamcheck_facts::Located::new(
                ValueExpr::literal(s.value.get(p.clone()).unwrap_or("")),
                locate(p),
            ),
            None => seamcheck_facts::Located::new(
                ValueExpr::literal(url.scheme_port.to_string()),
                index.location(s.span.clone()),
            ),
        };
        let listen = Listen {
            call: s.path.clone(),
            framework: Framework::AspNetCore,
            host: Some(host),
            port: Some(port),
            default_port: url.scheme_port,
            default_host: "0.0.0.0".to_string(),
            debug: None,
            in_main_guard: false,
            loc: index.location(s.span.clone()),
            app_target: None,
            reload: None,
            port_defined_at: None,
            host_defined_at: None,
            via_function: None,
        };
        facts.listen_scopes.push(ListenScope {
            listen: facts.listens.len(),
            profile: environment.clone(),
            implicit: false,
            management: false,
            env_overrides,
        });
        facts.listens.push(listen);
    }
    facts
}
