//! `seamcheck graph`: per service, the chain Ingress → Service port →
//! targetPort → containerPort → EXPOSE → app listen, each node with its
//! file:line, each mismatching edge marked. (Being written for issue 4.)

use crate::audit::Audit;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Text,
    Dot,
    Mermaid,
    Json,
}

/// Renders the linked services of an audit.
pub fn render(audit: &Audit, format: GraphFormat) -> String {
    let _ = (audit, format);
    String::new()
}
