//! The model stage: the facts indexed (`inventory`, with the Dockerfile
//! stages an image is built from in `image`), linked into services (`link`:
//! "service" always means such a linked unit; Kubernetes Services are
//! `kube_services`, compose services `compose_services`), resolved per
//! deployment context (`resolve`), with each port-chain hop judged once
//! (`verdict`) and drawn as the chain (`chain`). [`Model`] is built once per
//! audit (`audit::run`); rules read it and never compare ports themselves,
//! reports (the graph included) only render it. Nothing here imports a rule,
//! a report or the audit.

pub mod chain;
pub mod context;
pub mod image;
pub mod inventory;
pub mod link;
pub mod paths;
pub mod resolve;
pub mod verdict;

pub use context::Model;
