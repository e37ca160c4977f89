//! Fault injection: a sleep in a handler under an `if` whose condition reads a
//! flag, a setting or an environment variable is deliberate (a chaos switch),
//! not an accident. The words that say so are the same in every language;
//! each language adds how it reads configuration (`getenv`,
//! `GetEnvironmentVariable`, `process.env`).

/// Words of a condition (or of a name in it) that make the sleep under it
/// deliberate fault injection, matched in any case.
pub const FAULT_WORDS: &[&str] = &[
    "chaos", "fault", "inject", "latency", "delay", "flag", "feature", "simulate", "slow",
];

/// Whether `text` (a condition, a name) mentions a fault-injection word, in
/// any ASCII case.
pub fn mentions_fault_word(text: &str) -> bool {
    crate::words::mentions_any(text, FAULT_WORDS)
}
