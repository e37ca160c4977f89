//! .NET / ASP.NET Core minimal API end to end: `app.Run($"http://0.0.0.0:{port}")`
//! with `PORT ?? "8080"`, a Deployment on port 80 is caught with the
//! `app.Run` line in `related`; the agreeing variant is clean.

use crate::common::{audit_json, of_rule, triples};

const MISMATCH: &str = "ecosystems/dotnet-minimal/mismatch";
const CLEAN: &str = "ecosystems/dotnet-minimal/clean";
const PROGRAM: &str = "src/Shop.Api/Program.cs";

#[test]
fn container_port_mismatch_points_at_app_run() {
    let (report, code) = audit_json(MISMATCH, &[]);
    assert_eq!(code, 1);
    let found = of_rule(&report, "container-port-mismatch");
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0]["location"]["line"], 22);
    let related = found[0]["related"].as_array().cloned().unwrap_or_default();
    assert!(
        related
            .iter()
            .any(|r| r["path"] == PROGRAM && r["line"] == 17),
        "{related:#?}"
    );
}

#[test]
fn handler_sleep_and_error_health_handler_are_found_and_negatives_are_silent() {
    let (report, _) = audit_json(MISMATCH, &[]);
    let t = triples(&report);
    assert!(
        t.contains(&("sleep-in-handler".into(), PROGRAM.into(), 11)),
        "{t:#?}"
    );
    assert!(
        t.contains(&("probe-handler-error-status".into(), PROGRAM.into(), 15)),
        "{t:#?}"
    );
    // The background service's sleep, the test project's listen and the
    // MapGet in a comment are not findings.
    assert!(t
        .iter()
        .all(|(_, path, _)| !path.contains("CacheWarmer") && !path.contains("tests/")));
    assert_eq!(of_rule(&report, "sleep-in-handler").len(), 1);
}

#[test]
fn clean_variant_is_clean() {
    let (report, code) = audit_json(CLEAN, &[]);
    let serious: Vec<_> = crate::common::findings(&report)
        .iter()
        .filter(|f| f["severity"] == "error" || f["severity"] == "warning")
        .collect();
    assert!(serious.is_empty(), "{:#?}", triples(&report));
    assert_eq!(code, 0);
}

/// `app.Run()` with no URL listens where the .NET 8 base image's
/// `ASPNETCORE_HTTP_PORTS=8080` says: the chain names the FROM line.
#[test]
fn the_base_image_port_of_aspnet_8_is_followed() {
    let (report, code) = audit_json("ecosystems/dotnet-implicit-port", &[]);
    assert_eq!(report["services"][0]["listen"]["port"], 8080);
    let found = of_rule(&report, "container-port-mismatch");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["location"]["line"], 16);
    let related = found[0]["related"].as_array().expect("related");
    assert!(related.iter().any(|r| r["path"] == "Dockerfile"
        && r["line"] == 8
        && r["message"]
            .as_str()
            .unwrap_or_default()
            .contains("ASPNETCORE_HTTP_PORTS=8080")));
    assert_eq!(of_rule(&report, "probe-port-mismatch").len(), 2);
    assert_eq!(code, 1);
}
