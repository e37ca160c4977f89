//! .NET: an ASP.NET Core minimal API, a controller, and appsettings.json.

mod common;
use common::{analyze, facts, pos, text_at};
use seamcheck_facts::source::EnvFormat;
use seamcheck_facts::{Facts, ValueExpr};

/// (methods, path, handler, statuses)
type RouteRow<'a> = (Vec<String>, &'a str, &'a str, Vec<Option<u16>>);
/// (handler, call, seconds, position)
type SleepRow<'a> = (&'a str, &'a str, Option<f64>, (u32, u32, u32, u32));

const PROGRAM: &str = r#"using System.Threading;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHealthChecks();
var app = builder.Build();

var port = Environment.GetEnvironmentVariable("PORT") ?? "8080";

app.MapGet("/", () => "Hello");

app.MapGet("/healthz", () => Results.StatusCode(500));

app.MapGet("/ready", () =>
{
    // Thread.Sleep(9000) in a comment is not a sleep
    Thread.Sleep(3000);
    return Results.Problem("not ready");
});

var api = app.MapGroup("/api").WithTags("api");
api.MapGet("/orders", async () =>
{
    await Task.Delay(200);
    return Results.Ok(new[] { "a" });
});
api.MapPost("/orders", CreateOrder);

app.MapHealthChecks("/health");

_ = Task.Run(() => { while (true) { Thread.Sleep(1000); } });

app.Run($"http://0.0.0.0:{port}");

static IResult CreateOrder() => TypedResults.Created("/api/orders/1");
"#;

#[test]
fn minimal_api_listen_from_an_interpolated_url() {
    let f = facts("src/Shop.Api/Program.cs", PROGRAM);
    assert_eq!(f.language, "csharp");
    assert_eq!(f.listens.len(), 1);
    let l = &f.listens[0];
    assert_eq!(
        (l.call.as_str(), l.framework.as_str()),
        ("app.Run", "aspnetcore")
    );
    let port = l.port.as_ref().unwrap_or_else(|| panic!("port"));
    assert_eq!(port.value, ValueExpr::env("PORT", Some("8080".into())));
    assert_eq!(text_at(PROGRAM, &port.loc), "{port}");
    let host = l.host.as_ref().unwrap_or_else(|| panic!("host"));
    assert_eq!(host.value, ValueExpr::literal("0.0.0.0"));
    assert_eq!(text_at(PROGRAM, &host.loc), "0.0.0.0");
    assert_eq!(pos(&l.loc), (32, 1, 32, 33));
    assert!(!f.listen_scopes[0].implicit);
}

#[test]
fn minimal_api_routes_groups_and_statuses() {
    let f = facts("src/Shop.Api/Program.cs", PROGRAM);
    let routes: Vec<RouteRow> = f
        .routes
        .iter()
        .map(|r| {
            (
                r.methods.clone(),
                r.path.value.as_str(),
                r.handler.value.as_str(),
                r.returns.iter().map(|s| s.status).collect(),
            )
        })
        .collect();
    let get = || vec!["GET".to_string()];
    assert_eq!(
        routes,
        vec![
            (get(), "/", "MapGet(\"/\") lambda", vec![Some(200)]),
            (
                get(),
                "/healthz",
                "MapGet(\"/healthz\") lambda",
                vec![Some(500)]
            ),
            (
                get(),
                "/ready",
                "MapGet(\"/ready\") lambda",
                vec![Some(500)]
            ),
            (
                get(),
                "/api/orders",
                "MapGet(\"/orders\") lambda",
                vec![Some(200)]
            ),
            (
                vec!["POST".to_string()],
                "/api/orders",
                "CreateOrder",
                vec![Some(201)]
            ),
            (get(), "/health", "health checks", vec![]),
        ]
    );
    let health = &f.routes[1];
    assert_eq!(text_at(PROGRAM, &health.path.loc), "\"/healthz\"");
    assert_eq!(pos(&health.path.loc), (11, 12, 11, 21));
    assert_eq!(
        text_at(PROGRAM, &health.handler_loc),
        "() => Results.StatusCode(500)"
    );
    assert_eq!(
        health.constant_error_status().and_then(|s| s.status),
        Some(500)
    );
    assert!(f.routes[3].is_async);
    assert_eq!(f.routes[3].app_var, "api");
}

#[test]
fn sleeps_and_delays_in_handlers_only() {
    let f = facts("src/Shop.Api/Program.cs", PROGRAM);
    let sleeps: Vec<SleepRow> = f
        .handler_sleeps
        .iter()
        .map(|s| (s.handler.as_str(), s.call.as_str(), s.seconds, pos(&s.loc)))
        .collect();
    assert_eq!(
        sleeps,
        vec![(
            "MapGet(\"/ready\") lambda",
            "Thread.Sleep",
            Some(3.0),
            (16, 5, 16, 22)
        )]
    );
    let delays: Vec<(&str, Option<f64>, u32)> = f
        .handler_delays
        .iter()
        .map(|s| (s.call.as_str(), s.seconds, s.loc.line))
        .collect();
    assert_eq!(delays, vec![("await Task.Delay", Some(0.2), 23)]);
}

#[test]
fn implicit_run_reads_aspnetcore_variables() {
    let text = "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.MapGet(\"/\", () => \"hi\");\napp.Run();\n";
    let f = facts("Program.cs", text);
    assert_eq!(f.listens.len(), 1);
    let l = &f.listens[0];
    assert_eq!(
        l.port.as_ref().map(|p| p.value.clone()),
        Some(ValueExpr::env("ASPNETCORE_HTTP_PORTS", None))
    );
    assert_eq!(pos(&l.loc), (4, 1, 4, 9));
    let scope = &f.listen_scopes[0];
    assert!(scope.implicit);
    let overrides: Vec<(&str, EnvFormat)> = scope
        .env_overrides
        .iter()
        .map(|o| (o.var.as_str(), o.format))
        .collect();
    assert_eq!(
        overrides,
        vec![
            ("ASPNETCORE_URLS", EnvFormat::Urls),
            ("DOTNET_URLS", EnvFormat::Urls)
        ]
    );
}

#[test]
fn urls_add_use_urls_and_kestrel_listen_calls() {
    let text = "var builder = WebApplication.CreateBuilder(args);\nbuilder.WebHost.UseUrls(\"http://*:5005\");\nbuilder.WebHost.ConfigureKestrel(o => o.ListenAnyIP(7070));\nvar app = builder.Build();\napp.Urls.Add(\"http://localhost:6000\");\n";
    let f = facts("Program.cs", text);
    let rows: Vec<(String, Option<ValueExpr>, Option<ValueExpr>)> = f
        .listens
        .iter()
        .map(|l| {
            (
                l.call.clone(),
                l.host.as_ref().map(|h| h.value.clone()),
                l.port.as_ref().map(|p| p.value.clone()),
            )
        })
        .collect();
    let lit = |v: &str| Some(ValueExpr::literal(v));
    assert_eq!(
        rows,
        vec![
            (
                "builder.WebHost.UseUrls".to_string(),
                lit("0.0.0.0"),
                lit("5005")
            ),
            ("o.ListenAnyIP".to_string(), lit("0.0.0.0"), lit("7070")),
            ("app.Urls.Add".to_string(), lit("localhost"), lit("6000")),
        ]
    );
    assert_eq!(
        text_at(
            text,
            &f.listens[0]
                .port
                .as_ref()
                .unwrap_or_else(|| panic!("p"))
                .loc
        ),
        "5005"
    );
}

const CONTROLLER: &str = r#"using Microsoft.AspNetCore.Mvc;

namespace Shop.Api.Controllers;

[ApiController]
[Route("api/[controller]")]
public class StatusController : ControllerBase
{
    [HttpGet("live")]
    public IActionResult Live() => Ok("up");

    [HttpGet("ready")]
    public IActionResult Ready()
    {
        return StatusCode(503, "warming up");
    }

    [HttpGet("/ping")]
    public async Task<IActionResult> Ping()
    {
        Thread.Sleep(TimeSpan.FromSeconds(2));
        return Ok();
    }

    [HttpPost]
    public IActionResult Post(int x)
    {
        if (x > 0) { return NoContent(); }
        return Problem(statusCode: 502);
    }

    private void Helper() { Thread.Sleep(50); }
}
"#;

#[test]
fn controllers_with_tokens_absolute_paths_and_statuses() {
    let f = facts("src/Shop.Api/Controllers/StatusController.cs", CONTROLLER);
    let routes: Vec<RouteRow> = f
        .routes
        .iter()
        .map(|r| {
            (
                r.methods.clone(),
                r.path.value.as_str(),
                r.handler.value.as_str(),
                r.returns.iter().map(|s| s.status).collect(),
            )
        })
        .collect();
    let get = || vec!["GET".to_string()];
    assert_eq!(
        routes,
        vec![
            (get(), "/api/Status/live", "Live", vec![Some(200)]),
            (get(), "/api/Status/ready", "Ready", vec![Some(503)]),
            (get(), "/ping", "Ping", vec![Some(200)]),
            (
                vec!["POST".to_string()],
                "/api/Status",
                "Post",
                vec![Some(204), Some(502)]
            ),
        ]
    );
    assert_eq!(pos(&f.routes[1].path.loc), (12, 14, 12, 20));
    assert_eq!(pos(&f.routes[1].handler.loc), (13, 26, 13, 30));
    assert!(f.routes[2].is_async);
    let sleeps: Vec<(&str, Option<f64>, u32)> = f
        .handler_sleeps
        .iter()
        .map(|s| (s.handler.as_str(), s.seconds, s.loc.line))
        .collect();
    assert_eq!(sleeps, vec![("Ping", Some(2.0), 21)]);
    assert!(f.listens.is_empty());
}

#[test]
fn appsettings_kestrel_endpoints() {
    let text = "{\n  \"Logging\": { \"LogLevel\": { \"Default\": \"Information\" } },\n  \"Kestrel\": {\n    \"Endpoints\": {\n      \"Https\": { \"Url\": \"https://0.0.0.0:8443\" },\n      \"Http\": { \"Url\": \"http://0.0.0.0:5080\" }\n    }\n  }\n}\n";
    let f = facts("src/Shop.Api/appsettings.json", text);
    assert_eq!(f.language, "aspnetcore-config");
    let rows: Vec<(&str, Option<ValueExpr>, String)> = f
        .listens
        .iter()
        .zip(&f.listen_scopes)
        .map(|(l, s)| {
            (
                l.call.as_str(),
                l.port.as_ref().map(|p| p.value.clone()),
                s.env_overrides
                    .first()
                    .map(|o| o.var.clone())
                    .unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "Kestrel:Endpoints:Http:Url",
                Some(ValueExpr::literal("5080")),
                "Kestrel__Endpoints__Http__Url".to_string()
            ),
            (
                "Kestrel:Endpoints:Https:Url",
                Some(ValueExpr::literal("8443")),
                "Kestrel__Endpoints__Https__Url".to_string()
            ),
        ]
    );
    let port = f.listens[0].port.as_ref().unwrap_or_else(|| panic!("port"));
    assert_eq!(pos(&port.loc), (6, 40, 6, 43));
    assert!(f
        .listen_scopes
        .iter()
        .all(|s| s.profile.is_none() && !s.implicit));
    let f = facts(
        "src/Shop.Api/appsettings.Production.json",
        "{ \"Urls\": \"http://+:9000\" }",
    );
    assert_eq!(f.listen_scopes[0].profile.as_deref(), Some("Production"));
    assert_eq!(
        f.listens[0].host.as_ref().map(|h| h.value.clone()),
        Some(ValueExpr::literal("0.0.0.0"))
    );
}

#[test]
fn negatives() {
    // launchSettings.json is development-only: not read.
    assert!(
        seamcheck_source::analyzer_for("src/Api/Properties/launchSettings.json")
            .is_none_or(|a| a.language() != "aspnetcore-config")
    );
    // Test projects are not the service.
    let a = analyze("tests/Api.Tests/HealthTests.cs", PROGRAM);
    assert!(matches!(a.facts, Facts::Empty));
    // A worker service host: no web listen, and its loop sleeps are not handler sleeps.
    let worker = "using Microsoft.AspNetCore.Mvc;\nvar host = Host.CreateApplicationBuilder(args).Build();\nhost.Run();\nclass W { void X() { Thread.Sleep(5000); } }\n// app.Run(\"http://0.0.0.0:1234\");\nvar s = \"app.MapGet(\\\"/x\\\")\";\n";
    let f = facts("Worker/Program.cs", worker);
    assert!(f.listens.is_empty() && f.routes.is_empty() && f.handler_sleeps.is_empty());
    // appsettings without endpoints: nothing.
    let a = analyze("appsettings.json", "{ \"AllowedHosts\": \"*\" }");
    assert!(matches!(a.facts, Facts::Empty));
}

#[test]
fn bad_input() {
    let a = analyze(
        "appsettings.json",
        "{ \"Kestrel\": { \"Endpoints\": { \"Http\": { \"Url\": \"http://+:80\" } } }, oops }",
    );
    assert_eq!(a.problems.len(), 1);
    assert!(a.problems[0].message.starts_with("json syntax error"));
    assert!(matches!(a.facts, Facts::Source(ref f) if f.listens.len() == 1));
    let _ = analyze("appsettings.json", &"[".repeat(100_000));
    let deep = format!(
        "var app = WebApplication.Create(); var x = {}1{};",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let _ = analyze("Program.cs", &deep);
    let a = seamcheck_source::analyze("Program.cs", b"WebApplication\xff");
    assert!(!a.problems.is_empty());
    for cut in [5, 50, 200, 400, PROGRAM.len() - 2] {
        let _ = analyze("Program.cs", PROGRAM.get(..cut).unwrap_or(""));
    }
    let a = analyze(
        "Program.cs",
        "var app = WebApplication.Create();\napp.MapGet(\"/x\", () => {\n",
    );
    assert!(a
        .problems
        .first()
        .is_some_and(|p| p.message.starts_with("c# syntax error")));
}
