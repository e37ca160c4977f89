//! The web framework (or server) a source fact belongs to.
//!
//! The analyzers used to write it as a `String` and the rules matched on
//! those strings: a typo on either side of the crate seam (`"fastapi"` vs
//! `"fast-api"`) compiled silently and only lost a finding. The enum makes
//! every name a variant; the written name stays what the reports print.

use serde::{Serialize, Serializer};
use std::fmt;

/// One variant per framework an analyzer produces. [`Framework::as_str`] is
/// the name written in messages and in the JSON report.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Framework {
    // Python
    Flask,
    FastApi,
    /// A Flask `Blueprint`.
    Blueprint,
    /// A FastAPI `APIRouter`.
    ApiRouter,
    Uvicorn,
    Django,
    Starlette,
    Aiohttp,
    Sanic,
    Tornado,
    /// gRPC servers (Python `grpc.server`, Go `net.Listen` in a grpc file).
    Grpc,
    // JVM
    SpringBoot,
    /// Spring MVC routes (`@GetMapping` …).
    Spring,
    SpringBootActuator,
    Quarkus,
    Micronaut,
    JaxRs,
    // .NET
    AspNetCore,
    AspNetCoreMvc,
    AspNetCoreHealthChecks,
    // Rust
    Rocket,
    ActixWeb,
    Axum,
    Hyper,
    Warp,
    Tonic,
    Tokio,
    /// `std::net::TcpListener`.
    RustStd,
    // Go
    NetHttp,
    /// Go `net.Listen("tcp", …)` without grpc.
    GoNet,
    Gin,
    Echo,
    Fiber,
    Chi,
    GorillaMux,
    // JavaScript
    Express,
    ExpressRouter,
    Fastify,
    Koa,
    KoaRouter,
    Hapi,
    NestJs,
    NodeHttp,
    // Configuration
    Nginx,
}

impl Framework {
    /// The name as written in messages and reports (`flask`, `spring-boot`,
    /// `net/http`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Framework::Flask => "flask",
            Framework::FastApi => "fastapi",
            Framework::Blueprint => "blueprint",
            Framework::ApiRouter => "apirouter",
            Framework::Uvicorn => "uvicorn",
            Framework::Django => "django",
            Framework::Starlette => "starlette",
            Framework::Aiohttp => "aiohttp",
            Framework::Sanic => "sanic",
            Framework::Tornado => "tornado",
            Framework::Grpc => "grpc",
            Framework::SpringBoot => "spring-boot",
            Framework::Spring => "spring",
            Framework::SpringBootActuator => "spring-boot-actuator",
            Framework::Quarkus => "quarkus",
            Framework::Micronaut => "micronaut",
            Framework::JaxRs => "jaxrs",
            Framework::AspNetCore => "aspnetcore",
            Framework::AspNetCoreMvc => "aspnetcore-mvc",
            Framework::AspNetCoreHealthChecks => "aspnetcore-healthchecks",
            Framework::Rocket => "rocket",
            Framework::ActixWeb => "actix-web",
            Framework::Axum => "axum",
            Framework::Hyper => "hyper",
            Framework::Warp => "warp",
            Framework::Tonic => "tonic",
            Framework::Tokio => "tokio",
            Framework::RustStd => "std",
            Framework::NetHttp => "net/http",
            Framework::GoNet => "net",
            Framework::Gin => "gin",
            Framework::Echo => "echo",
            Framework::Fiber => "fiber",
            Framework::Chi => "chi",
            Framework::GorillaMux => "gorilla/mux",
            Framework::Express => "express",
            Framework::ExpressRouter => "express-router",
            Framework::Fastify => "fastify",
            Framework::Koa => "koa",
            Framework::KoaRouter => "koa-router",
            Framework::Hapi => "hapi",
            Framework::NestJs => "nestjs",
            Framework::NodeHttp => "node-http",
            Framework::Nginx => "nginx",
        }
    }
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Debug prints the name quoted, as the `String` it replaces did, so debug
/// output (assertion messages, dumps) reads the same.
impl fmt::Debug for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Serialized as its name: the JSON report is unchanged.
impl Serialize for Framework {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// For tests that compare with the written name (`assert_eq!(l.framework,
/// "flask")`); code in the crates compares variants.
impl PartialEq<&str> for Framework {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Framework {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}
