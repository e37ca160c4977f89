//! The model: the facts indexed (`inventory`), linked into services
//! (`link`), resolved per deployment context (`resolve`), with the port
//! chain (`chain`). Built once per audit; rules and reports read it.

pub mod chain;
pub mod context;
pub mod image;
pub mod inventory;
pub mod link;
pub mod resolve;
pub mod verdict;

pub use context::Model;
