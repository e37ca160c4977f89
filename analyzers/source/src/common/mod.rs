//! Knowledge shared by several languages, kept in one place so that a fix or
//! an addition reaches every language at once:
//!
//! - [`http_status`]: HTTP status names (`SERVICE_UNAVAILABLE`,
//!   `ServiceUnavailable`, Go's `StatusServiceUnavailable`) and their codes;
//! - [`guard`]: the words of a condition that make a sleep under it
//!   deliberate fault injection;
//! - [`jvm`]: what Java and Kotlin share (the handler-sleep walk, the
//!   `TimeUnit` table, `ResponseEntity` builders).

pub mod guard;
pub mod http_status;
pub mod jvm;
