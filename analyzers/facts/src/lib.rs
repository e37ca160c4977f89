//! The shared fact model of seamcheck.
//!
//! Every analyzer turns one file into a [`FileAnalysis`]; every fact in it
//! carries a [`Location`] (file, byte span, 1-based line and column). The
//! linker and the rules in the `seamcheck` crate read only these types.

mod analysis;
pub mod budget;
pub mod compose;
pub mod dockerfile;
pub mod encoding;
mod framework;
pub mod go_json;
pub mod kube;
mod location;
pub mod render;
pub mod shell;
pub mod source;
pub mod suppress;
mod value;

pub use analysis::{decode_text, Facts, FileAnalysis, FileKind, ParseProblem, SkipNote};
pub use compose::ComposeFacts;
pub use dockerfile::DockerfileFacts;
pub use framework::Framework;
pub use kube::KubeFacts;
pub use location::{LineIndex, Located, Location, Span};
pub use source::SourceFacts;
pub use suppress::Suppression;
pub use value::{value_expr, EnvVar, PortRef, ValueExpr};
