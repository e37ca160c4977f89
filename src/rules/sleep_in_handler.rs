//! ## What it does
//! Finds blocking sleeps (`time.sleep`) inside HTTP request handlers. In an
//! `async def` handler the sleep also blocks the event loop. A sleep guarded by
//! a flag or environment variable (fault injection) is reported as a note.
//!
//! ## Why it matters
//! Every request waits for the sleep; with a few workers, a 10 s sleep turns
//! into timeouts for everyone, and probes that share the workers start failing.
//! In an async server one sleeping handler stalls every other request.
//!
//! ## Example
//! ```python
//! @app.route("/")
//! def home():
//!     time.sleep(10)
//!     return "hello"
//! ```
//!
//! ## How to fix
//! Remove the sleep. To wait on something, use a timeout on that call, or
//! `await asyncio.sleep()` in async code.
use crate::model::Model;
use crate::finding::{Finding, Severity};

meta!(
    "sleep-in-handler",
    Warning,
    "blocking sleep inside a request handler"
);

pub fn check(cx: &Model<'_>, out: &mut Vec<Finding>) {
    let mut service_of: std::collections::HashMap<usize, &str> = std::collections::HashMap::new();
    for s in cx.services {
        for &i in &s.sources {
            service_of.entry(i).or_insert(s.name.as_str());
        }
    }
    for (i, src) in cx.inv.sources.iter().enumerate() {
        if src.facts.handler_sleeps.is_empty() {
            continue;
        }
        let service = service_of.get(&i).copied();
        // One event loop serves every request in Node, as in an async Python handler.
        let event_loop = matches!(src.facts.language.as_str(), "javascript" | "typescript");
        for sleep in &src.facts.handler_sleeps {
            let what = if sleep.call.contains(' ') {
                // "busy wait": not a call with an argument.
                format!("a {}", sleep.call)
            } else {
                let secs = sleep.seconds.map(|s| format!("{s}")).unwrap_or_else(|| "…".into());
                format!("blocking `{}({secs})`", sleep.call)
            };
            let effect = match (src.facts.language.as_str(), sleep.handler_is_async || event_loop) {
                ("rust", true) => "blocks an executor thread and every task on it",
                (_, true) => "blocks the event loop for every request",
                _ => "delays every request",
            };
            let help = match (src.facts.language.as_str(), sleep.handler_is_async) {
                ("python", true) => "remove it, or use `await asyncio.sleep()`",
                ("javascript" | "typescript", _) => "remove it, or await a timer (`await setTimeout(ms)` from `timers/promises`)",
                _ => "remove the sleep from the request path",
            };
            let mut f = Finding::new(
                META.id,
                META.severity,
                sleep.loc.clone(),
                format!("{what} in handler `{}` {effect}", sleep.handler),
            )
            .label("blocks the worker")
            .help(help)
            .service(service);
            if sleep.guarded {
                f = f
                    .severity(Severity::Note)
                    .label("guarded by a flag: fault injection?");
            }
            out.push(f);
        }
    }
}
