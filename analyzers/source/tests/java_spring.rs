//! Java: a Spring Boot service (entry point, controllers with a class
//! prefix, statuses, handler sleeps) and a JAX-RS resource.

mod common;
use common::{analyze, facts, pos, text_at};
use seamcheck_facts::{Facts, ValueExpr};

/// (handler, call, seconds, guarded, position)
type SleepRow<'a> = (&'a str, &'a str, Option<f64>, bool, (u32, u32, u32, u32));

const APP: &str = r#"package com.example.orders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class OrdersApplication {
    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }
}
"#;

const CONTROLLER: &str = r#"package com.example.orders;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/api")
public class OrderController {
    // Thread.sleep(5000) in a comment is not a sleep: "Thread.sleep(1)" neither.
    @GetMapping("/orders")
    public String list() throws InterruptedException {
        Thread.sleep(2000);
        return "[]";
    }

    @GetMapping("/healthz")
    public ResponseEntity<String> health() {
        return ResponseEntity.status(500).body("db down");
    }

    @RequestMapping(value = {"/ready", "/readyz"}, method = RequestMethod.GET)
    public ResponseEntity<Void> ready() {
        return ResponseEntity.internalServerError().build();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
    public void create() {
    }

    @DeleteMapping("/orders/{id}")
    public void delete(@PathVariable String id) {
        throw new ResponseStatusException(HttpStatus.NOT_IMPLEMENTED, "no");
    }

    @GetMapping("/mixed")
    public ResponseEntity<String> mixed(boolean ok) {
        if (ok) {
            return ResponseEntity.ok("fine");
        }
        return new ResponseEntity<>("bad", HttpStatus.BAD_GATEWAY);
    }

    @GetMapping("/computed")
    public ResponseEntity<String> computed() {
        ResponseEntity<String> r = build();
        return r;
    }

    @GetMapping("/async")
    public CompletableFuture<String> async() {
        return CompletableFuture.supplyAsync(() -> {
            try { Thread.sleep(100); } catch (InterruptedException e) { }
            return "later";
        });
    }

    @GetMapping("/chaos")
    public String chaos() throws InterruptedException {
        if (System.getenv("CHAOS_DELAY") != null) {
            TimeUnit.SECONDS.sleep(3);
        }
        return "ok";
    }

    private void warmUp() throws InterruptedException {
        Thread.sleep(10_000);
    }
}
"#;

#[test]
fn spring_boot_entry_point_is_an_implicit_listen_on_server_port() {
    let f = facts(
        "orders/src/main/java/com/example/orders/OrdersApplication.java",
        APP,
    );
    assert_eq!(f.language, "java");
    let app = f.apps.first().unwrap_or_else(|| panic!("app"));
    assert_eq!(
        (app.var.as_str(), app.framework.as_str()),
        ("OrdersApplication", "spring-boot")
    );
    assert_eq!(f.listens.len(), 1);
    let listen = &f.listens[0];
    assert_eq!(
        (listen.call.as_str(), listen.framework.as_str()),
        ("SpringApplication.run", "spring-boot")
    );
    assert_eq!(
        listen.port.as_ref().map(|p| p.value.clone()),
        Some(ValueExpr::env("SERVER_PORT", Some("8080".into())))
    );
    assert_eq!(
        text_at(APP, &listen.loc),
        "SpringApplication.run(OrdersApplication.class, args)"
    );
    assert_eq!(pos(&listen.loc), (9, 9, 9, 60));
    assert_eq!(
        (listen.default_port, listen.default_host.as_str()),
        (8080, "0.0.0.0")
    );
    let scope = f.listen_scopes.first().unwrap_or_else(|| panic!("scope"));
    assert!(scope.implicit && !scope.management && scope.profile.is_none());
    assert_eq!(scope.listen, 0);
}

#[test]
fn builder_forms_are_listens_too() {
    let text = "import org.springframework.boot.builder.SpringApplicationBuilder;\nclass A { public static void main(String[] a) { new SpringApplicationBuilder(A.class).profiles(\"x\").run(a); } }\n";
    let f = facts("src/main/java/A.java", text);
    assert_eq!(f.listens.len(), 1);
    assert_eq!(pos(&f.listens[0].loc).0, 2);
}

#[test]
fn routes_carry_the_class_prefix_and_their_path_literal() {
    let f = facts(
        "orders/src/main/java/com/example/orders/OrderController.java",
        CONTROLLER,
    );
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
    let get = || vec!["GET".to_string()];
    assert_eq!(
        routes,
        vec![
            (get(), "/api/orders", "list"),
            (get(), "/api/healthz", "health"),
            (get(), "/api/ready", "ready"),
            (get(), "/api/readyz", "ready"),
            (vec!["POST".to_string()], "/api", "create"),
            (vec!["DELETE".to_string()], "/api/orders/{id}", "delete"),
            (get(), "/api/mixed", "mixed"),
            (get(), "/api/computed", "computed"),
            (get(), "/api/async", "async"),
            (get(), "/api/chaos", "chaos"),
        ]
    );
    let health = &f.routes[1];
    assert_eq!(text_at(CONTROLLER, &health.path.loc), "\"/healthz\"");
    assert_eq!(pos(&health.path.loc), (20, 17, 20, 26));
    assert_eq!(pos(&health.handler.loc), (21, 35, 21, 40));
    assert_eq!(health.app_var, "OrderController");
    assert_eq!(health.framework, "spring");
    assert!(text_at(CONTROLLER, &health.handler_loc).starts_with("ResponseEntity<String> health()"));
    assert_eq!(pos(&f.routes[3].path.loc), (25, 40, 25, 48));
}

#[test]
fn constant_statuses_per_return_path() {
    let f = facts("orders/src/main/java/OrderController.java", CONTROLLER);
    let status = |handler: &str| -> Vec<Option<u16>> {
        f.routes
            .iter()
            .find(|r| r.handler.value == handler)
            .map(|r| r.returns.iter().map(|s| s.status).collect())
            .unwrap_or_default()
    };
    assert_eq!(status("list"), vec![Some(200)]);
    assert_eq!(status("health"), vec![Some(500)]);
    assert_eq!(status("ready"), vec![Some(500)]);
    assert_eq!(status("create"), vec![Some(503)]);
    assert_eq!(status("delete"), vec![Some(501)]);
    assert_eq!(status("mixed"), vec![Some(200), Some(502)]);
    assert_eq!(status("computed"), vec![None]);
    // The lambda's return is not the handler's.
    assert_eq!(status("async"), vec![None]);
    let health = f.routes.iter().find(|r| r.handler.value == "health");
    let health = health.unwrap_or_else(|| panic!("health"));
    assert_eq!(
        health.constant_error_status().and_then(|s| s.status),
        Some(500)
    );
    assert_eq!(pos(&health.returns[0].loc), (22, 9, 22, 58));
    let mixed = f.routes.iter().find(|r| r.handler.value == "mixed");
    assert!(mixed.is_some_and(|r| r.constant_error_status().is_none()));
}

#[test]
fn sleeps_only_in_handler_bodies() {
    let f = facts("orders/src/main/java/OrderController.java", CONTROLLER);
    let sleeps: Vec<SleepRow> = f
        .handler_sleeps
        .iter()
        .map(|s| {
            (
                s.handler.as_str(),
                s.call.as_str(),
                s.seconds,
                s.guarded,
                pos(&s.loc),
            )
        })
        .collect();
    assert_eq!(
        sleeps,
        vec![
            ("list", "Thread.sleep", Some(2.0), false, (16, 9, 16, 26)),
            (
                "chaos",
                "TimeUnit.SECONDS.sleep",
                Some(3.0),
                true,
                (65, 13, 65, 37)
            ),
        ]
    );
    let guard = f.handler_sleeps[1].guard_condition.as_ref();
    assert_eq!(
        guard.map(|g| text_at(CONTROLLER, g)),
        Some("(System.getenv(\"CHAOS_DELAY\") != null)")
    );
}

#[test]
fn jaxrs_resources() {
    let text = r#"package org.acme;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

@Path("/health")
public class HealthResource {
    @GET
    @Path("live")
    public Response live() {
        return Response.serverError().build();
    }

    @GET
    public String root() {
        return "ok";
    }
}
"#;
    let f = facts("src/main/java/org/acme/HealthResource.java", text);
    let routes: Vec<(&str, Vec<Option<u16>>)> = f
        .routes
        .iter()
        .map(|r| {
            (
                r.path.value.as_str(),
                r.returns.iter().map(|s| s.status).collect(),
            )
        })
        .collect();
    assert_eq!(
        routes,
        vec![
            ("/health/live", vec![Some(500)]),
            ("/health", vec![Some(200)])
        ]
    );
    assert!(f.routes.iter().all(|r| r.framework == "jaxrs"));
}

#[test]
fn negatives_test_files_comments_and_strings() {
    // A test class starts the app: not the service's listen.
    let test = "import org.springframework.boot.SpringApplication;\nclass AppTest { void t() { SpringApplication.run(App.class); } }\n";
    let a = analyze("svc/src/test/java/AppTest.java", test);
    assert!(matches!(a.facts, Facts::Empty));
    // Ports in comments and strings are not listens.
    let text = "import org.springframework.web.bind.annotation.RestController;\n// SpringApplication.run(A.class) on port 9090\nclass A { String s = \"SpringApplication.run(x)\"; int port = 9090; }\n";
    let f = facts("src/main/java/A.java", text);
    assert!(f.listens.is_empty() && f.routes.is_empty() && f.handler_sleeps.is_empty());
    // A file with no framework word is not parsed at all.
    let a = analyze(
        "src/main/java/Util.java",
        "class Util { void f() { Thread.sleep(1); } }",
    );
    assert!(matches!(a.facts, Facts::Empty) && a.problems.is_empty());
}

#[test]
fn syntax_errors_are_located_and_the_rest_still_read() {
    let text = "import org.springframework.web.bind.annotation.*;\n@RestController\nclass A {\n  @GetMapping(\"/a\")\n  String a() { return \"x\"; }\n  void broken( { }\n}\n";
    let a = analyze("src/main/java/A.java", text);
    let p = a.problems.first().unwrap_or_else(|| panic!("problem"));
    assert!(p.message.starts_with("java syntax error"), "{}", p.message);
    match a.facts {
        Facts::Source(f) => assert_eq!(f.routes.len(), 1),
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_input_never_panics() {
    let deep = format!(
        "import org.springframework.web.bind.annotation.*;\nclass A {{ int x = {}1{}; }}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let _ = analyze("src/main/java/Deep.java", &deep);
    let a = seamcheck_source::analyze("src/main/java/Bin.java", b"SpringApplication\0\x01");
    assert!(!a.problems.is_empty());
    let a = seamcheck_source::analyze("src/main/java/Latin.java", b"SpringApplication \xff");
    assert!(!a.problems.is_empty());
    for cut in [10, 100, 400, 900, CONTROLLER.len() - 3] {
        let _ = analyze(
            "src/main/java/Cut.java",
            CONTROLLER.get(..cut).unwrap_or(""),
        );
    }
}
