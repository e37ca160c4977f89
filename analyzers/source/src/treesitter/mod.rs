//! The tree-sitter plumbing every tree-sitter language module shares: the
//! [`Source`] being read, a stack-free [`walk`], the first syntax error as a
//! problem, and the parse skeleton ([`parse_and_extract`]). Language modules
//! keep only what depends on their grammar (node kinds, literals).

mod flat;
mod kinds;
mod parse;
mod problems;
mod source;
mod walk;

pub use flat::Flat;
pub use kinds::NodeNames;
pub use parse::{parse_and_extract, parse_and_extract_flat};
pub use problems::first_syntax_error;
pub use source::Source;
pub use walk::{all_nodes, named_children, scope_nodes, walk, walk_with_fields};
