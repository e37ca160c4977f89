//! JavaScript/TypeScript: Express, Fastify, Koa, hapi, NestJS and
//! `http.createServer`: listens with their values, routes with prefixes,
//! statuses, handler sleeps and delays; negatives and bad input.

mod common;
use common::{analyze, facts, pos, text_at};
use seamcheck_facts::{Facts, FileKind, ValueExpr};

const EXPRESS: &str = r#"const express = require('express');
const { setTimeout: wait } = require('timers/promises');

const app = express();
const api = express.Router();
const PORT = process.env.PORT || 8080;

function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

app.get('/healthz', (req, res) => {
  res.status(500).send('not ready');
});

app.get('/ready', (req, res) => {
  if (!global.ready) {
    return res.sendStatus(503);
  }
  res.json({ ok: true });
});

api.get('/orders/:id', async (req, res) => {
  await pause(250);
  const end = Date.now() + 2000;
  while (Date.now() < end) {}
  res.json({ id: req.params.id });
});

api.post('/orders', async (req, res) => {
  if (process.env.CHAOS_LATENCY) {
    await wait(1000);
  }
  res.status(201);
  res.json({});
});

function worker() {
  const end = Date.now() + 5000;
  while (Date.now() < end) {}
}

app.use('/api', api);

// app.listen(9999)
const banner = 'app.listen(7777)';
app.listen(PORT, () => console.log(`listening on ${PORT}`));
"#;

#[test]
fn express_listen_follows_the_env_default() {
    let f = facts("web/server.js", EXPRESS);
    assert_eq!(f.language, "javascript");
    assert_eq!(f.listens.len(), 1, "comments and strings are not listens");
    let listen = &f.listens[0];
    assert_eq!(listen.call, "app.listen");
    assert_eq!(listen.framework, "express");
    assert_eq!(listen.default_host, "0.0.0.0");
    assert!(listen.host.is_none());
    let port = listen.port.as_ref().expect("port");
    assert_eq!(port.value, ValueExpr::env("PORT", Some("8080".into())));
    assert_eq!(pos(&port.loc), (47, 12, 47, 15));
    let defined = listen.port_defined_at.as_ref().expect("defined at");
    assert_eq!(text_at(EXPRESS, defined), "process.env.PORT || 8080");
    assert_eq!(pos(&listen.loc).0, 47);
}

#[test]
fn express_routes_statuses_and_prefixes() {
    let f = facts("web/server.js", EXPRESS);
    let paths: Vec<(&str, &str)> = f
        .routes
        .iter()
        .map(|r| (r.methods[0].as_str(), r.path.value.as_str()))
        .collect();
    assert_eq!(
        paths,
        [
            ("GET", "/healthz"),
            ("GET", "/ready"),
            ("GET", "/api/orders/:id"),
            ("POST", "/api/orders")
        ]
    );
    let health = &f.routes[0];
    assert_eq!(pos(&health.path.loc), (12, 9, 12, 18));
    assert_eq!(health.handler.value, "GET /healthz");
    assert_eq!(pos(&health.handler_loc), (12, 21, 14, 1));
    assert_eq!(
        health.constant_error_status().and_then(|r| r.status),
        Some(500)
    );
    assert_eq!(pos(&health.returns[0].loc), (13, 3, 13, 35));
    let ready = &f.routes[1];
    let statuses: Vec<Option<u16>> = ready.returns.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(503), Some(200)]);
    assert!(ready.constant_error_status().is_none());
    // `res.status(201);` then `res.json({})` answers 201.
    let post = &f.routes[3];
    assert_eq!(
        post.returns.iter().map(|r| r.status).collect::<Vec<_>>(),
        [Some(201)]
    );
    assert_eq!(f.mounts.len(), 1);
    assert_eq!(f.mounts[0].child, "api");
    assert_eq!(
        f.apps
            .iter()
            .map(|a| a.framework.as_str())
            .collect::<Vec<_>>(),
        ["express", "express-router"]
    );
}

#[test]
fn express_sleeps_and_delays_in_handlers_only() {
    let f = facts("web/server.js", EXPRESS);
    assert_eq!(f.handler_sleeps.len(), 1, "{:?}", f.handler_sleeps);
    let busy = &f.handler_sleeps[0];
    assert_eq!(busy.call, "busy wait");
    assert_eq!(busy.seconds, Some(2.0));
    assert_eq!(busy.handler, "GET /api/orders/:id");
    assert!(busy.handler_is_async);
    assert_eq!(pos(&busy.loc), (26, 3, 26, 29));
    assert_eq!(f.handler_delays.len(), 2);
    let helper = &f.handler_delays[0];
    assert_eq!(
        (helper.call.as_str(), helper.seconds),
        ("pause", Some(0.25))
    );
    assert_eq!(pos(&helper.loc), (24, 3, 24, 18));
    assert!(!helper.guarded);
    let chaos = &f.handler_delays[1];
    assert_eq!((chaos.call.as_str(), chaos.seconds), ("wait", Some(1.0)));
    assert!(chaos.guarded);
    assert_eq!(
        text_at(EXPRESS, chaos.guard_condition.as_ref().expect("guard")),
        "(process.env.CHAOS_LATENCY)"
    );
}

const NEST_MAIN: &str = r#"import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule, new FastifyAdapter());
  await app.listen(process.env.PORT ?? 3000);
}
bootstrap();
"#;

const NEST_CONTROLLER: &str = r#"import { Controller, Get, Post, HttpCode, HttpException, HttpStatus } from '@nestjs/common';

@Controller('health')
export class HealthController {
  @Get()
  check(): string {
    throw new HttpException('down', HttpStatus.SERVICE_UNAVAILABLE);
  }

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Post('ping')
  @HttpCode(202)
  ping() {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);
    return 'pong';
  }
}
"#;

#[test]
fn nestjs_main_and_controller() {
    let main = facts("src/main.ts", NEST_MAIN);
    assert_eq!(main.language, "typescript");
    let listen = &main.listens[0];
    assert_eq!(listen.framework, "nestjs");
    // On the Fastify adapter Nest listens on localhost unless told.
    assert_eq!(listen.default_host, "127.0.0.1");
    let port = listen.port.as_ref().expect("port");
    assert_eq!(port.value, ValueExpr::env("PORT", Some("3000".into())));
    assert_eq!(pos(&port.loc), (7, 20, 7, 43));

    let c = facts("src/health/health.controller.ts", NEST_CONTROLLER);
    let routes: Vec<(&str, &str, &str)> = c
        .routes
        .iter()
        .map(|r| {
            (
                r.methods[0].as_str(),
                r.path.value.as_str(),
                r.handler.value.as_str(),
            )
        })
        .collect();
    assert_eq!(
        routes,
        [
            ("GET", "/health", "check"),
            ("GET", "/health/live", "live"),
            ("POST", "/health/ping", "ping")
        ]
    );
    assert_eq!(
        c.routes[0].constant_error_status().and_then(|r| r.status),
        Some(503)
    );
    assert_eq!(pos(&c.routes[0].path.loc), (5, 3, 5, 8));
    assert_eq!(c.routes[1].returns[0].status, Some(200));
    assert_eq!(c.routes[2].returns[0].status, Some(202));
    assert_eq!(c.routes[0].app_var, "HealthController");
    assert_eq!(c.handler_sleeps.len(), 1);
    assert_eq!(c.handler_sleeps[0].call, "Atomics.wait");
    assert_eq!(c.handler_sleeps[0].seconds, Some(3.0));
    assert_eq!(pos(&c.handler_sleeps[0].loc).0, 18);
}

#[test]
fn fastify_koa_hapi_and_node_http() {
    let fastify = r#"import Fastify from 'fastify';
const fastify = Fastify({ logger: true });
fastify.get('/healthz', async (request, reply) => {
  return reply.code(503).send({ ok: false });
});
fastify.route({ method: ['GET', 'HEAD'], url: '/ready', handler: async () => ({ ok: true }) });
await fastify.listen({ port: 8080 });
"#;
    let f = facts("api/index.mjs", fastify);
    let listen = &f.listens[0];
    assert_eq!(
        (listen.framework.as_str(), listen.default_host.as_str()),
        ("fastify", "127.0.0.1")
    );
    assert_eq!(
        listen.port.as_ref().map(|p| &p.value),
        Some(&ValueExpr::literal("8080"))
    );
    assert_eq!(
        pos(&listen.port.as_ref().expect("port").loc),
        (7, 30, 7, 33)
    );
    assert_eq!(
        f.routes[0].constant_error_status().and_then(|r| r.status),
        Some(503)
    );
    assert_eq!(f.routes[1].methods, ["GET", "HEAD"]);
    assert_eq!(f.routes[1].returns[0].status, Some(200));

    let koa = r#"const Koa = require('koa');
const Router = require('@koa/router');
const app = new Koa();
const router = new Router({ prefix: '/api' });
router.get('/health', (ctx) => { ctx.status = 503; ctx.body = 'no'; });
app.use(router.routes());
app.listen(4000, '127.0.0.1');
"#;
    let f = facts("koa/app.js", koa);
    assert_eq!(f.routes[0].path.value, "/api/health");
    assert_eq!(
        f.routes[0].constant_error_status().and_then(|r| r.status),
        Some(503)
    );
    let host = f.listens[0].host.as_ref().expect("host");
    assert_eq!(host.value, ValueExpr::literal("127.0.0.1"));
    assert_eq!(pos(&host.loc), (7, 18, 7, 28));

    let hapi = r#"const Hapi = require('@hapi/hapi');
const init = async () => {
  const server = Hapi.server({ port: process.env.PORT || 3000, host: '0.0.0.0' });
  server.route({ method: 'GET', path: '/status', handler: (request, h) => h.response('down').code(500) });
  await server.start();
};
"#;
    let f = facts("hapi/server.js", hapi);
    let listen = &f.listens[0];
    assert_eq!(listen.framework, "hapi");
    assert_eq!(
        listen.port.as_ref().map(|p| &p.value),
        Some(&ValueExpr::env("PORT", Some("3000".into())))
    );
    assert_eq!(
        listen.host.as_ref().map(|p| &p.value),
        Some(&ValueExpr::literal("0.0.0.0"))
    );
    assert_eq!(f.routes[0].path.value, "/status");
    assert_eq!(
        f.routes[0].constant_error_status().and_then(|r| r.status),
        Some(500)
    );

    let node = r#"import http from 'node:http';
const { PORT = 5000, HOST } = process.env;
http.createServer((req, res) => { res.writeHead(200); res.end('ok'); }).listen(PORT, HOST);
"#;
    let f = facts("plain/server.mjs", node);
    let listen = &f.listens[0];
    assert_eq!(listen.framework, "node-http");
    assert_eq!(listen.call, "http.createServer(…).listen");
    assert_eq!(
        listen.port.as_ref().map(|p| &p.value),
        Some(&ValueExpr::env("PORT", Some("5000".into())))
    );
    assert_eq!(
        listen.host.as_ref().map(|p| &p.value),
        Some(&ValueExpr::env("HOST", None))
    );
}

#[test]
fn listen_without_port_is_unknown_not_a_guess() {
    let f = facts(
        "a.js",
        "const express = require('express');\nconst app = express();\napp.listen(() => {});\n",
    );
    let port = f.listens[0].port.as_ref().expect("port");
    assert!(matches!(port.value, ValueExpr::Unknown { .. }));
    let f = facts(
        "b.js",
        "const express = require('express');\nconst app = express();\napp.listen(config.port);\n",
    );
    assert_eq!(
        f.listens[0].port.as_ref().map(|p| &p.value),
        Some(&ValueExpr::unknown("config.port"))
    );
}

#[test]
fn negatives_test_files_and_unrelated_code() {
    let server = "const express = require('express');\nconst app = express();\napp.get('/x', (req, res) => res.send('x'));\napp.listen(3000);\n";
    for path in [
        "src/app.test.js",
        "src/__tests__/app.js",
        "test/app.e2e-spec.ts",
        "src/app.spec.ts",
    ] {
        let a = analyze(path, server);
        assert!(matches!(a.facts, Facts::Empty), "{path}");
        assert!(a.problems.is_empty());
    }
    // A `listen` on something that is not a server, `map.get` with a path-like key.
    let other = "const express = require('express');\nconst cache = new Map();\ncache.get('/x', 1);\nemitter.listen(8080);\n";
    let f = facts("src/util.js", other);
    assert!(f.listens.is_empty() && f.routes.is_empty());
    // Browser code never mentioning a server is not parsed.
    let a = analyze(
        "public/app.js",
        "document.querySelector('#x').addEventListener('click', () => {});",
    );
    assert!(matches!(a.facts, Facts::Empty));
}

#[test]
fn bad_input_is_a_problem_and_the_rest_still_counts() {
    let broken = "const express = require('express');\nconst app = express();\nfunction broken( {\n\napp.get('/healthz', (req, res) => res.sendStatus(500));\napp.listen(8080);\n";
    let a = analyze("srv.js", broken);
    assert_eq!(a.problems.len(), 1, "{:?}", a.problems);
    assert!(a.problems[0].message.starts_with("javascript syntax error"));
    assert_eq!(a.problems[0].loc.line, 3);
    let a = analyze("srv.ts", "\u{0}binary");
    assert_eq!(a.kind, FileKind::TypeScript);
    assert_eq!(a.problems.len(), 1);
    let a = seamcheck_source::analyze("srv.js", b"const x = '\xff';");
    assert_eq!(a.problems.len(), 1);
    let deep = format!(
        "const express = require('express');\nconst app = express();\napp.listen({}8080{});\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let f = facts("deep.js", &deep);
    assert_eq!(f.listens.len(), 1);
    let deep_arrays = format!("require('express'); x = {};", "[".repeat(100_000));
    let _ = analyze("deep2.js", &deep_arrays);
    let truncated = "const express = require('express');\nconst app = express();\napp.listen(process.env.PORT ||";
    let a = analyze("t.js", truncated);
    assert_eq!(a.problems.len(), 1);
}

#[test]
fn tsx_files_parse_with_the_tsx_grammar() {
    let text = "import express from 'express';\nconst app = express();\nconst View = () => <div>hi</div>;\napp.listen(8080);\n";
    let a = analyze("src/server.tsx", text);
    assert!(a.problems.is_empty(), "{:?}", a.problems);
    let Facts::Source(f) = a.facts else {
        panic!("facts")
    };
    assert_eq!(f.listens.len(), 1);
}
