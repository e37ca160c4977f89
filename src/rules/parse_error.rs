//! ## What it does
//! Reports a file of a known kind (Dockerfile, Kubernetes YAML, application
//! source) that could not be parsed: malformed YAML, an unknown Dockerfile
//! instruction, binary or non-UTF-8 content, a YAML alias bomb or nesting too
//! deep to read safely. The rest of the repository is still audited, and the
//! rest of the file too where the parser could recover. A syntax error in
//! program source (Python, JavaScript, TypeScript, Go, Rust, Java, Kotlin,
//! C#) is a note: seamcheck's grammars trail the languages (JSX in a `.js`
//! file, new syntax), and the compiler decides.
//!
//! ## Why it matters
//! A file seamcheck cannot read is a file whose drift it cannot check; the
//! same file usually fails `kubectl apply` or `docker build` too.
//!
//! ## Example
//! ```yaml
//! spec:
//!   containers:
//!     - name: api
//!       image: "api:1.0      # unterminated quote
//! ```
//!
//! ## How to fix
//! Fix the syntax at the reported location, or exclude the file if it is not
//! what its name says.
use crate::model::Model;
use crate::finding::{Finding, Severity};
use seamcheck_facts::FileKind;

meta!(
    "parse-error",
    Error,
    "a file of a known kind could not be parsed"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for file in cx.files {
        for p in &file.problems {
            if grammar_may_lag(file.kind, &p.message) {
                out.push(
                    Finding::new(
                        META.id,
                        Severity::Note,
                        p.loc.clone(),
                        format!(
                            "{}; seamcheck's grammar may not know this syntax (the compiler decides): facts after it may be missing",
                            p.message
                        ),
                    )
                    .label("not understood here"),
                );
                continue;
            }
            out.push(
                Finding::new(META.id, META.severity, p.loc.clone(), p.message.clone())
                    .label("cannot parse this"),
            );
        }
    }
}

/// A syntax error that seamcheck's tree-sitter grammar finds in program
/// source: the grammars trail the languages and their dialects (JSX in a
/// `.js` file, new Python or Java syntax), and the language's own compiler,
/// not seamcheck, decides whether the code is valid. A note, never an error.
/// Files a real reader rejects (not UTF-8 source, malformed YAML, JSON
/// configuration, Dockerfiles) stay errors.
fn grammar_may_lag(kind: FileKind, message: &str) -> bool {
    let program = matches!(
        kind,
        FileKind::Python
            | FileKind::JavaScript
            | FileKind::TypeScript
            | FileKind::Go
            | FileKind::Rust
            | FileKind::Java
            | FileKind::Kotlin
            | FileKind::CSharp
    );
    program && message.contains(" syntax error")
}
