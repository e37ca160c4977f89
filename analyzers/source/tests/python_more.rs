//! Python beyond Flask/FastAPI: Django url tables, aiohttp, Starlette,
//! Sanic, Tornado, gRPC.

mod common;
use common::{facts, pos, text_at};
use seamcheck_facts::source::RouteMatchKind;
use seamcheck_facts::ValueExpr;

fn lit(v: &str) -> ValueExpr {
    ValueExpr::literal(v)
}

#[test]
fn django_urls_with_views_in_the_same_file() {
    let text = r#"import time
from django.http import HttpResponseServerError, JsonResponse
from django.urls import path, re_path, include

from . import views


def health(request):
    return HttpResponseServerError("db down")


def slow(request):
    time.sleep(3)
    return JsonResponse({"ok": True})


urlpatterns = [
    path("healthz/", health),
    path("slow/", slow),
    path("orders/", views.orders),
    re_path(r"^legacy/(?P<id>\d+)/$", views.legacy),
    path("api/", include("api.urls")),
]
"#;
    let f = facts("shop/urls.py", text);
    let paths: Vec<&str> = f.routes.iter().map(|r| r.path.value.as_str()).collect();
    assert_eq!(
        paths,
        ["/healthz/", "/slow/", "/orders/", r"^legacy/(?P<id>\d+)/$"]
    );
    let health = &f.routes[0];
    assert_eq!(health.framework, "django");
    assert_eq!(pos(&health.path.loc), (18, 10, 18, 19));
    assert_eq!(pos(&health.handler.loc), (8, 5, 8, 10));
    assert_eq!(
        health.constant_error_status().and_then(|r| r.status),
        Some(500)
    );
    // A view from another module is located at the reference.
    assert_eq!(text_at(text, &f.routes[2].handler_loc), "views.orders");
    assert!(f.routes[2].returns.is_empty());
    assert_eq!(f.route_matches.len(), 1);
    assert_eq!(f.route_matches[0].route, 3);
    assert_eq!(f.handler_sleeps.len(), 1);
    assert_eq!(f.handler_sleeps[0].handler, "slow");
    assert_eq!(pos(&f.handler_sleeps[0].loc), (13, 5, 13, 17));
}

#[test]
fn aiohttp_run_app_and_routes() {
    let text = r#"import os
from aiohttp import web

routes = web.RouteTableDef()


@routes.get("/healthz")
async def health(request):
    raise web.HTTPServiceUnavailable()


async def index(request):
    return web.Response(text="hi")


def main():
    app = web.Application()
    app.add_routes(routes)
    app.router.add_get("/", index)
    app.add_routes([web.post("/items", index)])
    web.run_app(app, port=int(os.environ.get("PORT", "8081")))


if __name__ == "__main__":
    main()
"#;
    let f = facts("app.py", text);
    assert_eq!(f.listens.len(), 1);
    let l = &f.listens[0];
    assert_eq!(l.framework, "aiohttp");
    assert_eq!(l.default_host, "0.0.0.0");
    assert!(l.host.is_none());
    assert_eq!(
        l.port.as_ref().map(|p| p.value.clone()),
        Some(ValueExpr::env("PORT", Some("8081".into())))
    );
    assert_eq!(pos(&l.loc), (21, 5, 21, 62));
    let routes: Vec<(&str, Vec<String>)> = f
        .routes
        .iter()
        .map(|r| (r.path.value.as_str(), r.methods.clone()))
        .collect();
    assert_eq!(
        routes,
        [
            ("/healthz", vec!["GET".to_string()]),
            ("/", vec!["GET".to_string()]),
            ("/items", vec!["POST".to_string()])
        ]
    );
    assert_eq!(
        f.routes[0].constant_error_status().and_then(|r| r.status),
        Some(503)
    );
    assert_eq!(
        f.routes[1].returns.first().and_then(|r| r.status),
        Some(200)
    );
}

#[test]
fn starlette_sanic_tornado_and_grpc() {
    let starlette = r#"from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

async def health(request):
    return PlainTextResponse("down", status_code=503)

app = Starlette(routes=[Route("/healthz", health, methods=["GET", "HEAD"])])
"#;
    let f = facts("main.py", starlette);
    assert_eq!(f.routes.len(), 1);
    assert_eq!(f.routes[0].methods, ["GET", "HEAD"]);
    assert_eq!(
        f.routes[0].constant_error_status().and_then(|r| r.status),
        Some(503)
    );

    let sanic = r#"from sanic import Sanic
from sanic.response import text

app = Sanic("svc")

@app.get("/ping")
async def ping(request):
    return text("pong")

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8001)
"#;
    let f = facts("server.py", sanic);
    assert_eq!(f.listens.len(), 1);
    assert_eq!(f.listens[0].framework, "sanic");
    assert_eq!(
        f.listens[0].port.as_ref().map(|p| pos(&p.loc)),
        Some((11, 34, 11, 37))
    );
    assert_eq!(
        f.listens[0].host.as_ref().map(|p| p.value.clone()),
        Some(lit("0.0.0.0"))
    );
    assert_eq!(f.routes.len(), 1);
    assert_eq!(f.routes[0].framework, "sanic");

    let tornado = r#"import time
import tornado.ioloop
import tornado.web

class HealthHandler(tornado.web.RequestHandler):
    def get(self):
        self.set_status(500)
        self.write("broken")

class MainHandler(tornado.web.RequestHandler):
    def get(self):
        time.sleep(1)
        self.write("hello")

def make_app():
    return tornado.web.Application([(r"/healthz", HealthHandler), (r"/", MainHandler)])

if __name__ == "__main__":
    app = make_app()
    app.listen(8888)
    tornado.ioloop.IOLoop.current().start()
"#;
    let f = facts("server.py", tornado);
    assert_eq!(f.listens.len(), 1);
    assert_eq!(f.listens[0].framework, "tornado");
    assert_eq!(
        f.listens[0].port.as_ref().map(|p| p.value.clone()),
        Some(lit("8888"))
    );
    assert_eq!(f.listens[0].default_host, "0.0.0.0");
    let paths: Vec<&str> = f.routes.iter().map(|r| r.path.value.as_str()).collect();
    assert_eq!(paths, ["/healthz", "/"]);
    assert_eq!(
        f.routes[0].constant_error_status().and_then(|r| r.status),
        Some(500)
    );
    assert_eq!(f.handler_sleeps.len(), 1);
    assert_eq!(f.handler_sleeps[0].loc.line, 12);

    let grpc = r#"from concurrent import futures
import grpc

def serve(port):
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_insecure_port("[::]:50051")
    server.add_insecure_port(f"0.0.0.0:{port}")
    server.start()
"#;
    let f = facts("server.py", grpc);
    assert_eq!(f.listens.len(), 2);
    let first = &f.listens[0];
    assert_eq!(first.framework, "grpc");
    assert_eq!(
        first.host.as_ref().map(|h| h.value.clone()),
        Some(lit("::"))
    );
    assert_eq!(
        first.port.as_ref().map(|p| (p.value.clone(), pos(&p.loc))),
        Some((lit("50051"), (6, 36, 6, 40)))
    );
    assert_eq!(
        f.listens[1].host.as_ref().map(|h| h.value.clone()),
        Some(lit("0.0.0.0"))
    );
    assert!(matches!(
        f.listens[1].port.as_ref().map(|p| &p.value),
        Some(ValueExpr::Unknown { .. })
    ));
    let _ = RouteMatchKind::Prefix;
}

#[test]
fn negatives_for_the_new_frameworks() {
    // `listen` with no tornado import, a port in a string, a sleep in a worker.
    let text = r#"import time
from django.urls import path

def worker():
    while True:
        time.sleep(60)

MESSAGE = "add_insecure_port('[::]:50051')"
sock.listen(5)
urlpatterns = []
"#;
    let f = facts("urls.py", text);
    assert!(f.listens.is_empty());
    assert!(f.routes.is_empty());
    assert!(f.handler_sleeps.is_empty());
}

#[test]
fn grpc_address_joined_with_plus() {
    // Fires: a literal host ending in `:` plus the port, with or without str().
    let text = r#"import os
import grpc

def serve():
    port = os.environ.get("PORT", "8080")
    server = grpc.server(None)
    server.add_insecure_port("[::]:" + port)
    server.add_insecure_port("0.0.0.0:" + str(9090))
"#;
    let f = facts("grpc_server.py", text);
    assert_eq!(f.listens.len(), 2);
    let first = &f.listens[0];
    assert_eq!(first.framework, "grpc");
    assert_eq!(
        first.host.as_ref().map(|h| (h.value.clone(), pos(&h.loc))),
        // `[::]`: columns 31 to 34, the end column being the last character's.
        Some((lit("::"), (7, 31, 7, 34)))
    );
    assert!(matches!(
        first.port.as_ref().map(|p| &p.value),
        Some(ValueExpr::Env { var, default: Some(d) }) if var == "PORT" && d == "8080"
    ));
    assert_eq!(
        f.listens[1].port.as_ref().map(|p| p.value.clone()),
        Some(lit("9090"))
    );

    // Does not fire as a known address: the literal is not a host prefix, or
    // the operator is not `+`.
    let text = r#"import grpc

def serve(port, prefix):
    server = grpc.server(None)
    server.add_insecure_port("localhost" + port)
    server.add_insecure_port(prefix + ":50051")
"#;
    let f = facts("grpc_server.py", text);
    assert_eq!(f.listens.len(), 2);
    for listen in &f.listens {
        assert!(matches!(
            listen.port.as_ref().map(|p| &p.value),
            Some(ValueExpr::Unknown { .. })
        ));
    }
}
