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
use super::Ctx;
use crate::finding::{Finding, Severity};

meta!(
    "sleep-in-handler",
    Warning,
    "blocking sleep inside a request handler",
    "sleep_in_handler.rs"
);

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (i, src) in cx.inv.sources.iter().enumerate() {
        let service = cx
            .services
            .iter()
            .find(|s| s.sources.contains(&i))
            .map(|s| s.name.as_str());
        for sleep in &src.facts.handler_sleeps {
            let secs = sleep.seconds.map(|s| format!("{s}")).unwrap_or_else(|| "…".into());
            let effect = if sleep.handler_is_async {
                "blocks the event loop for every request"
            } else {
                "delays every request"
            };
            let mut f = Finding::new(
                META.id,
                META.severity,
                sleep.loc.clone(),
                format!(
                    "blocking `{}({secs})` in handler `{}` {effect}",
                    sleep.call, sleep.handler
                ),
            )
            .label("blocks the worker")
            .help(if sleep.handler_is_async {
                "remove it, or use `await asyncio.sleep()`"
            } else {
                "remove the sleep from the request path"
            })
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
