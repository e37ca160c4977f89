//! Kotlin: a Spring Boot service (`runApplication`, controllers with a class
//! prefix, statuses, handler sleeps) and the negatives around it.

mod common;
use common::{analyze, facts, text_at};
use seamcheck_facts::{Facts, ValueExpr};

const APP: &str = r#"package com.example.orders

import org.springframework.boot.autoconfigure.SpringBootApplication
import org.springframework.boot.runApplication

@SpringBootApplication
class OrdersApplication

fun main(args: Array<String>) {
    runApplication<OrdersApplication>(*args)
}
"#;

const CONTROLLER: &str = r#"package com.example.orders

import org.springframework.http.HttpStatus
import org.springframework.http.ResponseEntity
import org.springframework.web.bind.annotation.*
import org.springframework.web.server.ResponseStatusException

// @GetMapping("/commented") is a comment, not a route.
@RestController
@RequestMapping("/api")
class OrderController(private val repo: OrderRepository) {
    @GetMapping("/orders")
    fun list(): String {
        Thread.sleep(2000)
        return "[]"
    }

    @GetMapping("/healthz")
    fun health(): ResponseEntity<String> {
        if (!repo.ok()) {
            return ResponseEntity.status(500).body("db down")
        }
        return ResponseEntity.ok("up")
    }

    @RequestMapping(value = ["/ready", "/readyz"], method = [RequestMethod.GET])
    fun ready(): ResponseEntity<Void> = ResponseEntity.internalServerError().build()

    @DeleteMapping("/orders/{id}")
    fun delete(@PathVariable id: String) {
        throw ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "no")
    }

    @PostMapping
    suspend fun create(): String {
        return "ok"
    }

    fun warmUp() {
        Thread.sleep(5000)
    }
}
"#;

#[test]
fn run_application_is_an_implicit_spring_boot_listen() {
    let f = facts("svc/src/main/kotlin/com/example/orders/Application.kt", APP);
    assert_eq!(f.language, "kotlin");
    assert_eq!(f.apps.len(), 1);
    assert_eq!(f.apps[0].var, "OrdersApplication");
    assert_eq!(f.listens.len(), 1);
    let listen = &f.listens[0];
    assert_eq!(listen.framework, "spring-boot");
    assert_eq!(listen.call, "runApplication");
    assert_eq!(listen.loc.line, 10);
    assert_eq!(
        text_at(APP, &listen.loc),
        "runApplication<OrdersApplication>(*args)"
    );
    assert_eq!(listen.default_port, 8080);
    let port = listen.port.as_ref().map(|p| &p.value);
    assert_eq!(
        port,
        Some(&ValueExpr::env("SERVER_PORT", Some("8080".to_string())))
    );
    assert_eq!(f.listen_scopes.len(), 1);
    assert!(f.listen_scopes[0].implicit);
    assert_eq!(f.listen_scopes[0].listen, 0);
}

#[test]
fn spring_application_run_is_a_listen_too() {
    let text = "import org.springframework.boot.SpringApplication\n\
                fun main(args: Array<String>) {\n    SpringApplication.run(App::class.java, *args)\n}\n";
    let f = facts("src/main/kotlin/App.kt", text);
    assert_eq!(f.listens.len(), 1);
    assert_eq!(f.listens[0].call, "SpringApplication.run");
    assert_eq!(f.listens[0].loc.line, 3);
    assert!(f.listen_scopes[0].implicit);
}

#[test]
fn controller_routes_with_prefix_statuses_and_spans() {
    let f = facts(
        "svc/src/main/kotlin/com/example/orders/OrderController.kt",
        CONTROLLER,
    );
    let rows: Vec<(Vec<String>, &str, &str, u32)> = f
        .routes
        .iter()
        .map(|r| {
            (
                r.methods.clone(),
                r.path.value.as_str(),
                r.handler.value.as_str(),
                r.path.loc.line,
            )
        })
        .collect();
    let get = || vec!["GET".to_string()];
    assert_eq!(
        rows,
        vec![
            (get(), "/api/orders", "list", 12),
            (get(), "/api/healthz", "health", 18),
            (get(), "/api/ready", "ready", 26),
            (get(), "/api/readyz", "ready", 26),
            (vec!["DELETE".to_string()], "/api/orders/{id}", "delete", 29),
            (vec!["POST".to_string()], "/api", "create", 34),
        ]
    );
    let health = &f.routes[1];
    assert_eq!(health.handler.loc.line, 19);
    assert!(text_at(CONTROLLER, &health.handler_loc).starts_with("fun health()"));
    assert_eq!(health.handler_loc.end_line, 24);
    let statuses: Vec<(Option<u16>, u32)> = health
        .returns
        .iter()
        .map(|r| (r.status, r.loc.line))
        .collect();
    assert_eq!(statuses, vec![(Some(500), 21), (Some(200), 23)]);
    assert_eq!(f.routes[2].returns[0].status, Some(500));
    assert_eq!(f.routes[2].returns[0].loc.line, 27);
    assert_eq!(f.routes[4].returns[0].status, Some(503));
    assert_eq!(f.routes[4].returns[0].loc.line, 31);
    assert!(f.routes[5].is_async);
    assert!(!f.routes[0].is_async);
    assert_eq!(f.routes[0].app_var, "OrderController");
    assert_eq!(f.routes[0].framework, "spring");
}

#[test]
fn sleeps_only_in_handlers() {
    let f = facts("src/main/kotlin/OrderController.kt", CONTROLLER);
    assert_eq!(f.handler_sleeps.len(), 1, "{:?}", f.handler_sleeps);
    let sleep = &f.handler_sleeps[0];
    assert_eq!(sleep.handler, "list");
    assert_eq!(sleep.call, "Thread.sleep");
    assert_eq!(sleep.seconds, Some(2.0));
    assert!(!sleep.guarded);
    assert_eq!((sleep.loc.line, sleep.loc.column), (14, 9));
    assert_eq!(text_at(CONTROLLER, &sleep.loc), "Thread.sleep(2000)");
}

#[test]
fn sleep_in_a_lambda_or_non_controller_is_not_a_handler_sleep() {
    let text = r#"import org.springframework.web.bind.annotation.*
@RestController
class Jobs {
    @GetMapping("/start")
    fun start(): String {
        Thread { Thread.sleep(1000) }.start()
        return "started"
    }
}
class Worker {
    @GetMapping("/not-a-controller")
    fun run() { Thread.sleep(1000) }
}
"#;
    let f = facts("src/main/kotlin/Jobs.kt", text);
    assert!(f.handler_sleeps.is_empty(), "{:?}", f.handler_sleeps);
    assert_eq!(f.routes.len(), 1);
}

#[test]
fn templated_paths_are_not_constant() {
    let text = "import org.springframework.web.bind.annotation.*\n@RestController\nclass C {\n    @GetMapping(\"/$BASE/x\")\n    fun x() = \"x\"\n}\n";
    let f = facts("src/main/kotlin/C.kt", text);
    assert!(f.routes.is_empty(), "{:?}", f.routes);
}

#[test]
fn test_sources_and_unrelated_files_yield_nothing() {
    let test = analyze("svc/src/test/kotlin/com/example/AppTests.kt", APP);
    assert!(matches!(test.facts, Facts::Empty));
    let plain = analyze(
        "src/main/kotlin/Util.kt",
        "fun add(a: Int, b: Int) = a + b\n",
    );
    assert!(matches!(plain.facts, Facts::Empty));
}

#[test]
fn bad_input_is_a_problem_not_a_panic() {
    let truncated = "import org.springframework.boot.runApplication\nfun main(args: Array<String>) {\n    runApplication<App>(*args)\n";
    let a = analyze("src/main/kotlin/App.kt", truncated);
    assert!(!a.problems.is_empty());
    let binary = seamcheck_source::analyze("src/main/kotlin/App.kt", &[0xff, 0xfe, 0, 1]);
    assert_eq!(binary.problems.len(), 1);
    let deep = format!(
        "import org.springframework.web.bind.annotation.*\nval x = {}1{}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let _ = analyze("src/main/kotlin/Deep.kt", &deep);
}

#[test]
fn time_unit_sleeps_use_the_unit_and_a_guard_marks_them() {
    let controller = r#"package com.example.reports

import java.util.concurrent.TimeUnit
import org.springframework.web.bind.annotation.*

@RestController
class ReportController {
    @GetMapping("/nightly")
    fun nightly(): String {
        TimeUnit.HOURS.sleep(1)
        if (System.getenv("CHAOS_DELAY") != null) {
            TimeUnit.MICROSECONDS.sleep(500)
        }
        return "ok"
    }
}
"#;
    let f = facts("src/main/kotlin/ReportController.kt", controller);
    let sleeps: Vec<_> = f
        .handler_sleeps
        .iter()
        .map(|s| (s.call.as_str(), s.seconds, s.guarded))
        .collect();
    assert_eq!(
        sleeps,
        [
            ("TimeUnit.HOURS.sleep", Some(3600.0), false),
            ("TimeUnit.MICROSECONDS.sleep", Some(0.0005), true)
        ]
    );
}
