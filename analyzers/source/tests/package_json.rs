//! package.json: the scripts, located at their JSON strings.

mod common;
use common::{analyze, pos, text_at};
use seamcheck_facts::{Facts, FileKind};

const PACKAGE: &str = r#"{
  "name": "orders",
  "private": true,
  "scripts": {
    "build": "tsc -p .",
    "start": "node dist/server.js",
    "start:dev": "nodemon --exec \"ts-node\" src/server.ts"
  },
  "dependencies": { "express": "^4.19.2" }
}
"#;

#[test]
fn scripts_are_located() {
    let a = analyze("services/orders/package.json", PACKAGE);
    assert_eq!(a.kind, FileKind::AppConfig);
    assert!(a.problems.is_empty());
    let Facts::Source(f) = a.facts else {
        panic!("facts")
    };
    let names: Vec<&str> = f
        .package_scripts
        .iter()
        .map(|s| s.name.value.as_str())
        .collect();
    assert_eq!(names, ["build", "start", "start:dev"]);
    let start = &f.package_scripts[1];
    assert_eq!(start.command.value, "node dist/server.js");
    assert_eq!(pos(&start.command.loc), (6, 15, 6, 33));
    assert_eq!(pos(&start.name.loc), (6, 6, 6, 10));
    let dev = &f.package_scripts[2];
    assert_eq!(
        dev.command.value,
        "nodemon --exec \"ts-node\" src/server.ts"
    );
    assert_eq!(
        text_at(PACKAGE, &dev.command.loc),
        "nodemon --exec \\\"ts-node\\\" src/server.ts"
    );
}

#[test]
fn broken_package_json_is_a_problem_with_a_location() {
    let text = "{\n  \"scripts\": {\n    \"start\": \"node a.js\",\n  }\n}\n";
    let a = analyze("package.json", text);
    assert_eq!(a.problems.len(), 1);
    assert!(
        a.problems[0]
            .message
            .starts_with("invalid package.json: trailing comma"),
        "{}",
        a.problems[0].message
    );
    assert_eq!(a.problems[0].loc.line, 4);
    let Facts::Source(f) = a.facts else {
        panic!("facts")
    };
    assert_eq!(f.package_scripts.len(), 1);
    assert_eq!(analyze("package.json", "\u{0}").problems.len(), 1);
    let deep = "[".repeat(100_000);
    assert_eq!(analyze("package.json", &deep).problems.len(), 1);
}
