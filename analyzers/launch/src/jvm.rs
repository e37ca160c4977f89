//! JVM launchers: `java [-Dserver.port=…] -jar app.jar [--server.port=…]`,
//! `java -cp … Main`.
//!
//! Where the port comes from, lowest precedence first (Spring Boot's property
//! order; later wins): `-D` options in `JAVA_TOOL_OPTIONS` (the JVM reads
//! them before the command line), `-D` options in `JDK_JAVA_OPTIONS`
//! (prepended by the `java` launcher), `-D` options of the command line (an
//! unexpanded `$JAVA_OPTS` word is read from the environment), and
//! `--server.port=…` arguments after the jar or main class (Spring's
//! command-line property source). `SERVER_PORT` in the environment and
//! `application.properties` rank below all of these; they are the app's own
//! configuration, seen through its `Listen` facts.

use crate::options::setting;
use crate::{Env, Launch, ServerKind, Setting};
use seamcheck_facts::shell::sub_location;
use seamcheck_facts::{value_expr, Located, ValueExpr};

/// System properties / Spring arguments that set the HTTP port, by framework.
const PORT_KEYS: &[&str] = &["server.port", "quarkus.http.port", "micronaut.server.port"];
const HOST_KEYS: &[&str] = &[
    "server.address",
    "quarkus.http.host",
    "micronaut.server.host",
];

/// JVM options that take the next word as their value.
const OPTIONS_WITH_VALUE: &[&str] = &[
    "-cp",
    "-classpath",
    "--class-path",
    "-p",
    "--module-path",
    "--upgrade-module-path",
    "--add-modules",
    "--add-opens",
    "--add-exports",
    "--add-reads",
    "--limit-modules",
    "--patch-module",
    "--enable-native-access",
];

/// Environment variables the JVM (or its launcher) reads options from.
const OPTION_VARIABLES: &[&str] = &["JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"];

/// `None` when `program` is not one of this module's launchers.
pub(crate) fn launch(
    program: &str,
    first: &Located<String>,
    rest: &[Located<String>],
    env: &Env<'_>,
) -> Option<Launch> {
    let _ = first;
    if program != "java" {
        return None;
    }
    let mut found = Found::default();
    for var in OPTION_VARIABLES {
        if let Some(value) = env.get(var) {
            for word in value.split_whitespace() {
                found.system_property_from_env(word, var);
            }
        }
    }
    let mut target: Option<(Located<String>, bool)> = None;
    let mut i = 0;
    while let Some(w) = rest.get(i) {
        i += 1;
        let v = w.value.as_str();
        if v == "-jar" {
            target = rest.get(i).map(|jar| (jar.clone(), true));
            i += 1;
            break;
        }
        if v == "-m" || v == "--module" {
            target = rest.get(i).map(|m| (m.clone(), false));
            i += 1;
            break;
        }
        if OPTIONS_WITH_VALUE.contains(&v) {
            i += 1;
            continue;
        }
        if let Some(var) = variable_word(v) {
            // `java $JAVA_OPTS -jar app.jar` in a shell: the variable's words.
            if let Some(value) = env.get(var) {
                for word in value.split_whitespace() {
                    found.system_property_from_env(word, var);
                }
            }
            continue;
        }
        if v.starts_with('-') {
            found.system_property(w);
            continue;
        }
        target = Some((w.clone(), false));
        break;
    }
    // Arguments of the application itself: Spring's `--server.port=9090`.
    for w in rest.get(i..).unwrap_or(&[]) {
        found.spring_argument(w);
    }
    let jar = target
        .as_ref()
        .filter(|(_, is_jar)| *is_jar)
        .map(|(w, _)| w.value.clone());
    Some(Launch {
        server: ServerKind::Java { jar },
        app_target: target.map(|(w, _)| w),
        host: found.host,
        port: found.port,
        debug: None,
        argv: Vec::new(),
    })
}

/// A word that is exactly one variable reference (`$JAVA_OPTS`, `${JAVA_OPTS}`).
fn variable_word(word: &str) -> Option<&str> {
    let name = word.strip_prefix('$')?;
    let name = name
        .strip_prefix('{')
        .and_then(|n| n.strip_suffix('}'))
        .unwrap_or(name);
    let valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    valid.then_some(name)
}

/// The host and port settings found so far; a later one replaces an earlier.
#[derive(Default)]
struct Found {
    host: Option<Setting>,
    port: Option<Setting>,
}

impl Found {
    /// `-Dserver.port=9090` written on the command line.
    fn system_property(&mut self, word: &Located<String>) {
        let Some(assignment) = word.value.strip_prefix("-D") else {
            return;
        };
        self.assign(word, assignment, "-D");
    }

    /// `--server.port=9090` after the jar or main class.
    fn spring_argument(&mut self, word: &Located<String>) {
        let Some(assignment) = word.value.strip_prefix("--") else {
            return;
        };
        self.assign(word, assignment, "--");
    }

    /// `assignment` is the word after its `prefix` (`-D`, `--`).
    fn assign(&mut self, word: &Located<String>, assignment: &str, prefix: &str) {
        let Some((key, value)) = assignment.split_once('=') else {
            return;
        };
        let value_start = prefix.len() + key.len() + 1;
        let loc =
            sub_location(word, value_start..word.value.len()).unwrap_or_else(|| word.loc.clone());
        let origin = format!("`{prefix}{key}={value}`");
        let made = setting(value_expr(value), Some(loc), origin);
        if PORT_KEYS.contains(&key) {
            self.port = Some(made);
        } else if HOST_KEYS.contains(&key) {
            self.host = Some(made);
        }
    }

    /// `-Dserver.port=9090` inside `JAVA_TOOL_OPTIONS` / `$JAVA_OPTS`: the
    /// value is known but not where it is written, so the origin names the
    /// variable.
    fn system_property_from_env(&mut self, word: &str, var: &str) {
        let Some((key, value)) = word.strip_prefix("-D").and_then(|a| a.split_once('=')) else {
            return;
        };
        let made = setting(
            ValueExpr::literal(value),
            None,
            format!("`-D{key}={value}` in `{var}`"),
        );
        if PORT_KEYS.contains(&key) {
            self.port = Some(made);
        } else if HOST_KEYS.contains(&key) {
            self.host = Some(made);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{interpret, Launch, ServerKind};
    use seamcheck_facts::shell::split_words;
    use seamcheck_facts::{LineIndex, ValueExpr};

    fn run(line: &str, env: &[(&str, &str)]) -> Option<Launch> {
        let words = split_words(line, 0, &LineIndex::new("cmd", line));
        let lookup = |name: &str| {
            env.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        };
        interpret(&words, &lookup)
    }

    /// (port value, the text its location covers) of a launch.
    fn port_of(line: &str, env: &[(&str, &str)]) -> Option<(ValueExpr, Option<String>)> {
        let port = run(line, env)?.port?;
        let written = port
            .loc
            .and_then(|l| line.get(l.span.start..l.span.end).map(str::to_string));
        Some((port.value, written))
    }

    fn lit(v: &str) -> ValueExpr {
        ValueExpr::literal(v)
    }

    #[test]
    fn java_launches_and_their_ports() {
        type Row<'a> = (
            &'a str,
            &'a [(&'a str, &'a str)],
            Option<(ValueExpr, Option<&'a str>)>,
        );
        let rows: Vec<Row> = vec![
            ("java -jar app.jar", &[], None),
            (
                "java -Dserver.port=9090 -jar app.jar",
                &[],
                Some((lit("9090"), Some("9090"))),
            ),
            (
                "/opt/java/openjdk/bin/java -Xmx512m -Dserver.port=9090 -jar /app/app.jar",
                &[],
                Some((lit("9090"), Some("9090"))),
            ),
            (
                "java -jar app.jar --server.port=7070",
                &[],
                Some((lit("7070"), Some("7070"))),
            ),
            // Application arguments beat system properties.
            (
                "java -Dserver.port=1 -jar app.jar --server.port=2",
                &[],
                Some((lit("2"), Some("2"))),
            ),
            // A `-D` after the jar is an application argument Spring ignores.
            ("java -jar app.jar -Dserver.port=1", &[], None),
            (
                "java -cp app:app/lib/* -Dserver.port=8081 com.example.Main",
                &[],
                Some((lit("8081"), Some("8081"))),
            ),
            (
                "java -jar app.jar",
                &[("JAVA_TOOL_OPTIONS", "-Xss1m -Dserver.port=6060")],
                Some((lit("6060"), None)),
            ),
            (
                "sh -c 'java $JAVA_OPTS -jar app.jar'",
                &[("JAVA_OPTS", "-Dserver.port=5050")],
                Some((lit("5050"), None)),
            ),
            // The command line beats JAVA_TOOL_OPTIONS.
            (
                "java -Dserver.port=1 -jar a.jar",
                &[("JAVA_TOOL_OPTIONS", "-Dserver.port=2")],
                Some((lit("1"), Some("1"))),
            ),
            (
                "sh -c 'java -Dserver.port=${PORT:-8080} -jar app.jar'",
                &[],
                Some((
                    ValueExpr::env("PORT", Some("8080".into())),
                    Some("${PORT:-8080}"),
                )),
            ),
            (
                "java -Dquarkus.http.port=8180 -jar quarkus-run.jar",
                &[],
                Some((lit("8180"), Some("8180"))),
            ),
        ];
        for (line, env, want) in rows {
            let got = port_of(line, env);
            let want = want.map(|(v, w)| (v, w.map(str::to_string)));
            assert_eq!(got, want, "{line}");
        }
    }

    #[test]
    fn targets_and_hosts() {
        let l = run("java -Dserver.address=127.0.0.1 -jar /app/app.jar", &[]);
        let l = l.unwrap_or_else(|| panic!("launch"));
        assert_eq!(
            l.server,
            ServerKind::Java {
                jar: Some("/app/app.jar".into())
            }
        );
        assert_eq!(l.host.map(|h| h.value), Some(lit("127.0.0.1")));
        let l = run(
            "java -cp /app org.springframework.boot.loader.launch.JarLauncher",
            &[],
        );
        let l = l.unwrap_or_else(|| panic!("launch"));
        assert_eq!(l.server, ServerKind::Java { jar: None });
        assert_eq!(
            l.app_target.map(|t| t.value).as_deref(),
            Some("org.springframework.boot.loader.launch.JarLauncher")
        );
        assert!(run("javac Main.java", &[])
            .is_some_and(|l| !matches!(l.server, ServerKind::Java { .. })));
    }

    #[test]
    fn malformed_java_commands_never_panic() {
        for line in [
            "java",
            "java -jar",
            "java -cp",
            "java -D",
            "java -D=",
            "java -Dserver.port=",
            "java -jar a.jar --",
            "java -jar a.jar --=",
            "java $",
            "java ${}",
            "java -Dé=é -jar é",
        ] {
            let _ = run(line, &[("JAVA_TOOL_OPTIONS", "-D -D= -Dserver.port")]);
        }
    }
}
