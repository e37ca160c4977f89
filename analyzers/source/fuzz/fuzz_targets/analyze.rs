//! Any bytes as application source: the first byte picks the file name (and
//! so the language module), the rest is the file. The analyzer must return,
//! never panic. `seed-corpus.sh` prefixes each fixture with its selector.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Every name discovery hands to the source analyzer, one per kind. Keep the
/// order: the seed script and the regression tests use these indices.
const PATHS: &[&str] = &[
    "app/main.py",
    "web/server.js",
    "web/server.ts",
    "cmd/api/main.go",
    "src/main.rs",
    "src/main/java/App.java",
    "src/main/kotlin/App.kt",
    "Api/Program.cs",
    "src/main/resources/application.properties",
    "src/main/resources/application.yml",
    "Api/appsettings.json",
    "Api/Properties/launchSettings.json",
    "web/package.json",
    "Rocket.toml",
    "nginx/nginx.conf",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let path = PATHS[usize::from(selector) % PATHS.len()];
    let analysis = seamcheck_source::analyze(path, bytes);
    assert_eq!(analysis.path, path);
});
