//! Go's `text/template`, natively: parser, executor, values and the
//! function library Helm charts call.

pub mod codec;
pub mod exec;
pub mod funcs;
pub mod parse;
pub mod value;
