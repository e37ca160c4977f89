//! Go: net/http, gin, echo, fiber, chi, gorilla/mux and gRPC: listens with
//! address splitting and env defaults, routes with group prefixes, statuses,
//! `time.Sleep` in handlers only; negatives and bad input.

mod common;
use common::{analyze, facts, pos, text_at};
use seamcheck_facts::{Facts, ValueExpr};

const NET_HTTP: &str = r#"package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

type server struct{ ready bool }

func (s *server) handleReady() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.ready {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	}
}

func healthz(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "database down", http.StatusInternalServerError)
}

func refreshLoop() {
	for {
		time.Sleep(30 * time.Second)
	}
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "9090"
	}
	s := &server{}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", healthz)
	mux.HandleFunc("GET /ready", s.handleReady())
	mux.HandleFunc("/orders", func(w http.ResponseWriter, r *http.Request) {
		if os.Getenv("INJECT_LATENCY") != "" {
			time.Sleep(2 * time.Second)
		}
		time.Sleep(time.Duration(500) * time.Millisecond)
		go func() { time.Sleep(time.Minute) }()
		json.NewEncoder(w).Encode(map[string]string{"status": "ok"})
	})
	go refreshLoop()
	// http.ListenAndServe(":7777", nil)
	log.Println("not a listen: http.ListenAndServe(\":6666\", nil)")
	srv := &http.Server{Addr: ":" + port, Handler: mux}
	log.Fatal(srv.ListenAndServe())
}
"#;

#[test]
fn net_http_listen_follows_the_getenv_default() {
    let f = facts("cmd/api/main.go", NET_HTTP);
    assert_eq!(f.language, "go");
    assert_eq!(f.listens.len(), 1, "{:?}", f.listens);
    let listen = &f.listens[0];
    assert_eq!(listen.call, "srv.ListenAndServe");
    assert_eq!(listen.framework, "net/http");
    assert!(listen.host.is_none());
    assert_eq!(listen.default_host, "0.0.0.0");
    let port = listen.port.as_ref().expect("port");
    assert_eq!(port.value, ValueExpr::env("PORT", Some("9090".into())));
    assert_eq!(pos(&port.loc), (54, 34, 54, 37));
    assert_eq!(
        text_at(NET_HTTP, listen.port_defined_at.as_ref().expect("default")),
        "\"9090\""
    );
    assert_eq!(pos(&listen.loc), (55, 12, 55, 31));
}

#[test]
fn net_http_routes_and_statuses() {
    let f = facts("cmd/api/main.go", NET_HTTP);
    let routes: Vec<(Vec<String>, &str, &str)> = f
        .routes
        .iter()
        .map(|r| {
            (
                r.methods.clone(),
                r.path.value.as_str(),
                r.handler.value.as_str(),
            )
        })
        .collect();
    assert_eq!(
        routes,
        [
            (vec![], "/healthz", "healthz"),
            (vec!["GET".to_string()], "/ready", "s.handleReady"),
            (vec![], "/orders", "ALL /orders"),
        ]
    );
    let health = &f.routes[0];
    assert_eq!(pos(&health.path.loc), (41, 17, 41, 26));
    assert_eq!(pos(&health.handler_loc).0, 24);
    assert_eq!(
        health.constant_error_status().and_then(|r| r.status),
        Some(500)
    );
    // The Go 1.22 pattern's path is located after the method.
    assert_eq!(pos(&f.routes[1].path.loc), (42, 22, 42, 27));
    let ready: Vec<Option<u16>> = f.routes[1].returns.iter().map(|r| r.status).collect();
    assert_eq!(ready, [Some(503), Some(200)]);
    assert_eq!(
        f.routes[2]
            .returns
            .iter()
            .map(|r| r.status)
            .collect::<Vec<_>>(),
        [Some(200)]
    );
}

#[test]
fn sleeps_in_handlers_not_in_workers_or_goroutines() {
    let f = facts("cmd/api/main.go", NET_HTTP);
    let sleeps: Vec<(u32, Option<f64>, bool)> = f
        .handler_sleeps
        .iter()
        .map(|s| (s.loc.line, s.seconds, s.guarded))
        .collect();
    assert_eq!(sleeps, [(45, Some(2.0), true), (47, Some(0.5), false)]);
    assert_eq!(f.handler_sleeps[1].handler, "ALL /orders");
    assert_eq!(pos(&f.handler_sleeps[1].loc), (47, 3, 47, 51));
}

#[test]
fn gin_echo_fiber_chi_gorilla() {
    let gin = r#"package main

import "github.com/gin-gonic/gin"

func main() {
	r := gin.Default()
	v1 := r.Group("/api/v1")
	{
		v1.GET("/health", func(c *gin.Context) { c.JSON(503, gin.H{"ok": false}) })
	}
	r.Run()
}
"#;
    let f = facts("gin/main.go", gin);
    assert_eq!(f.routes[0].path.value, "/api/v1/health");
    assert_eq!(
        f.routes[0].constant_error_status().and_then(|r| r.status),
        Some(503)
    );
    let port = f.listens[0].port.as_ref().expect("gin reads PORT");
    assert_eq!(port.value, ValueExpr::env("PORT", Some("8080".into())));

    let echo = r#"package main

import (
	"net/http"
	"github.com/labstack/echo/v4"
)

func main() {
	e := echo.New()
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.Logger.Fatal(e.Start("127.0.0.1:1323"))
}
"#;
    let f = facts("echo/main.go", echo);
    let listen = &f.listens[0];
    assert_eq!(
        (listen.call.as_str(), listen.framework.as_str()),
        ("e.Start", "echo")
    );
    let host = listen.host.as_ref().expect("host");
    assert_eq!(host.value, ValueExpr::literal("127.0.0.1"));
    assert_eq!(pos(&host.loc), (11, 26, 11, 34));
    assert_eq!(
        pos(&listen.port.as_ref().expect("port").loc),
        (11, 36, 11, 39)
    );
    assert_eq!(f.routes[0].returns[0].status, Some(200));

    let fiber = r#"package main

import (
	"fmt"
	"os"
	"github.com/gofiber/fiber/v2"
)

func main() {
	app := fiber.New()
	app.Get("/ready", func(c *fiber.Ctx) error { return c.Status(fiber.StatusServiceUnavailable).SendString("no") })
	app.Listen(fmt.Sprintf(":%s", os.Getenv("PORT")))
}
"#;
    let f = facts("fiber/main.go", fiber);
    assert_eq!(f.routes[0].methods, ["GET"]);
    assert_eq!(
        f.routes[0].constant_error_status().and_then(|r| r.status),
        Some(503)
    );
    assert_eq!(
        f.listens[0].port.as_ref().map(|p| &p.value),
        Some(&ValueExpr::env("PORT", None))
    );

    let chi = r#"package main

import (
	"net"
	"net/http"
	"github.com/go-chi/chi/v5"
	"github.com/gorilla/mux"
)

func routes(m *mux.Router) {
	api := m.PathPrefix("/api").Subrouter()
	api.HandleFunc("/items", list).Methods(http.MethodGet, "HEAD")
}

func list(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }

func main() {
	r := chi.NewRouter()
	r.Route("/admin", func(r chi.Router) {
		r.Get("/health", list)
	})
	http.ListenAndServe(net.JoinHostPort("localhost", "3000"), r)
}
"#;
    let f = facts("chi/main.go", chi);
    let routes: Vec<(String, Vec<String>)> = f
        .routes
        .iter()
        .map(|r| (r.path.value.clone(), r.methods.clone()))
        .collect();
    assert_eq!(
        routes,
        [
            (
                "/api/items".to_string(),
                vec!["GET".to_string(), "HEAD".to_string()]
            ),
            ("/admin/health".to_string(), vec!["GET".to_string()]),
        ]
    );
    assert_eq!(f.routes[0].returns[0].status, Some(204));
    let listen = &f.listens[0];
    assert_eq!(
        listen.host.as_ref().map(|h| &h.value),
        Some(&ValueExpr::literal("localhost"))
    );
    assert_eq!(
        listen.port.as_ref().map(|h| &h.value),
        Some(&ValueExpr::literal("3000"))
    );
}

#[test]
fn grpc_listener_and_helper_defaults() {
    let text = r#"package main

import (
	"net"
	"os"
	"google.golang.org/grpc"
)

func getEnv(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return fallback
}

func main() {
	lis, _ := net.Listen("tcp", ":"+getEnv("GRPC_PORT", "50051"))
	s := grpc.NewServer()
	s.Serve(lis)
}
"#;
    let f = facts("grpc/main.go", text);
    let listen = &f.listens[0];
    assert_eq!(listen.framework, "grpc");
    let port = listen.port.as_ref().expect("port");
    assert_eq!(
        port.value,
        ValueExpr::env("GRPC_PORT", Some("50051".into()))
    );
    assert_eq!(text_at(text, &port.loc), "getEnv(\"GRPC_PORT\", \"50051\")");
    // `net.Listen("unix", ...)` is not a TCP port.
    let unix =
        "package main\nimport \"net\"\nfunc main() { net.Listen(\"unix\", \"/tmp/s.sock\") }\n";
    assert!(facts("u.go", unix).listens.is_empty());
}

#[test]
fn literal_default_overridden_by_env() {
    let text = r#"package main

import (
	"net/http"
	"os"
)

func main() {
	addr := "8080"
	if v := os.Getenv("PORT"); v != "" {
		addr = v
	}
	http.ListenAndServe("0.0.0.0:"+addr, nil)
}
"#;
    let f = facts("m.go", text);
    let listen = &f.listens[0];
    assert_eq!(
        listen.port.as_ref().map(|p| &p.value),
        Some(&ValueExpr::env("PORT", Some("8080".into())))
    );
    assert_eq!(
        listen.host.as_ref().map(|p| &p.value),
        Some(&ValueExpr::literal("0.0.0.0"))
    );
    assert_eq!(
        text_at(text, &listen.host.as_ref().expect("host").loc),
        "0.0.0.0"
    );
    // A port assigned in two unrelated ways is unknown.
    let twice = "package main\nimport (\"net/http\"; \"os\")\nfunc main() {\n\tp := os.Getenv(\"PORT\")\n\tp = compute()\n\thttp.ListenAndServe(\":\"+p, nil)\n}\n";
    let f = facts("t.go", twice);
    assert!(matches!(
        f.listens[0].port.as_ref().map(|p| &p.value),
        Some(ValueExpr::Unknown { .. })
    ));
    // No address: `http.Server{}` serves on :80.
    let empty = "package main\nimport \"net/http\"\nfunc main() {\n\tsrv := http.Server{}\n\tsrv.ListenAndServe()\n}\n";
    let f = facts("e.go", empty);
    assert!(f.listens[0].port.is_none());
    assert_eq!(f.listens[0].default_port, 80);
}

#[test]
fn test_files_and_bad_input() {
    let server =
        "package main\nimport \"net/http\"\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n";
    assert!(matches!(
        analyze("cmd/main_test.go", server).facts,
        Facts::Empty
    ));
    assert!(matches!(
        analyze("tools/gen.go", "package main\nfunc main() {}\n").facts,
        Facts::Empty
    ));
    let broken = "package main\nimport \"net/http\"\nfunc broken( {\n}\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n";
    let a = analyze("b.go", broken);
    assert_eq!(a.problems.len(), 1, "{:?}", a.problems);
    assert!(a.problems[0].message.starts_with("go syntax error"));
    assert_eq!(a.problems[0].loc.line, 3);
    assert_eq!(
        seamcheck_source::analyze("x.go", b"package \xff")
            .problems
            .len(),
        1
    );
    let deep = format!("package main\nimport \"net/http\"\nfunc main() {{ x := {}1{}\n http.ListenAndServe(\":8080\", nil) }}\n", "(".repeat(100_000), ")".repeat(100_000));
    let f = facts("deep.go", &deep);
    assert_eq!(f.listens.len(), 1);
}
