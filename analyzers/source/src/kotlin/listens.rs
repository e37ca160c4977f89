//! Where a Kotlin Spring Boot app starts its server: `runApplication<App>(*args)`
//! (the Kotlin extension) or `SpringApplication.run(App::class.java, *args)`.
//! Neither passes a port: the listen is the same implicit one as Java's
//! (built by [`crate::java::listens::implicit_listen`]).

use super::syntax::{call, last_segment, named_children, nodes_of_kind, Source};
use crate::java::listens::implicit_listen;
use crate::treesitter::NodeNames;
use seamcheck_facts::source::{Listen, ListenScope};
use seamcheck_facts::Framework;
use tree_sitter::Node;

pub fn find(root: Node<'_>, source: &Source<'_>) -> Vec<(Listen, ListenScope)> {
    let mut out = Vec::new();
    for node in nodes_of_kind(root, &["call_expression", "binary_expression"]) {
        let Some(call_text) = launcher_call(node, source) else {
            continue;
        };
        out.push(implicit_listen(
            call_text.to_string(),
            Framework::SpringBoot,
            "SERVER_PORT",
            node,
            source,
        ));
    }
    out
}

fn launcher_call(node: Node<'_>, source: &Source<'_>) -> Option<&'static str> {
    if node.cached_kind() == "binary_expression" {
        return is_misparsed_run_application(node, source).then_some("runApplication");
    }
    let call = call(node, source)?;
    match (call.receiver, call.name) {
        (None, "runApplication") => Some("runApplication"),
        (Some(receiver), "run")
            if last_segment(source.text_of(receiver)) == "SpringApplication" =>
        {
            Some("SpringApplication.run")
        }
        _ => None,
    }
}

/// tree-sitter-kotlin-ng reads a statement `runApplication<App>(*args)` as
/// the comparisons `(runApplication < App) > (*args)`; recognise that shape.
fn is_misparsed_run_application(node: Node<'_>, source: &Source<'_>) -> bool {
    let (Some(left), Some(right)) = (node.field_child("left"), node.field_child("right")) else {
        return false;
    };
    let operator = node
        .field_child("operator")
        .map_or_else(|| between(left, right, source), |o| source.text_of(o));
    if left.cached_kind() != "binary_expression"
        || right.cached_kind() != "parenthesized_expression"
        || operator.trim() != ">"
    {
        return false;
    }
    let inner_left = left.field_child("left");
    let inner_right = left.field_child("right");
    matches!(
        (inner_left, inner_right),
        (Some(l), Some(r)) if l.cached_kind() == "identifier"
            && source.text_of(l) == "runApplication"
            && between(l, r, source).trim() == "<"
            && named_children(left).len() == 2
    )
}

/// The text between two sibling nodes (the operator when it has no field).
fn between<'s>(left: Node<'_>, right: Node<'_>, source: &Source<'s>) -> &'s str {
    source
        .text
        .get(left.end_byte()..right.start_byte())
        .unwrap_or("")
}
