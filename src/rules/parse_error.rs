//! ## What it does
//! Reports a file of a known kind (Dockerfile, Kubernetes YAML, application
//! source) that could not be parsed: malformed YAML, an unknown Dockerfile
//! instruction, binary or non-UTF-8 content, a YAML alias bomb or nesting too
//! deep to read safely. The rest of the repository is still audited, and the
//! rest of the file too where the parser could recover.
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
use crate::finding::Finding;

meta!(
    "parse-error",
    Error,
    "a file of a known kind could not be parsed"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    for file in cx.files {
        for p in &file.problems {
            out.push(
                Finding::new(META.id, META.severity, p.loc.clone(), p.message.clone())
                    .label("cannot parse this"),
            );
        }
    }
}
