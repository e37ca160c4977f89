//! Defensive YAML loading shared by the seamcheck analyzers (Kubernetes,
//! compose): saphyr `MarkedYaml` trees whose positions become byte-exact
//! seamcheck `Location`s, with hostile input bounded.
//!
//! - [`load`]: every document of a file, nesting capped at [`MAX_DEPTH`],
//!   alias expansion capped at [`ALIAS_NODE_BUDGET`] nodes, recovery at the
//!   next `---` after an error, parser panics caught.
//! - [`SourceMap`]: saphyr's character positions to byte spans and
//!   `Location`s; token ends recomputed (quotes in, trailing comments out).
//! - [`node`]: typed reads of scalars and mappings (YAML 1.1 booleans, merge
//!   keys, local tags such as compose's `!reset`).
//! - [`template`]: `{{ … }}` detection, for files that are templates.
//!
//! Trees are never deeper than [`MAX_DEPTH`], so code walking them may
//! recurse; it must still not recurse on anything else derived from input.

pub mod events;
mod keys;
pub mod load;
pub mod node;
pub mod source;
pub mod template;

pub use load::{
    load_documents, load_documents_with, LoadOptions, LoadProblem, Loaded, ALIAS_NODE_BUDGET,
    MAX_DEPTH,
};
pub use node::{Entry, Node};
pub use saphyr::ScalarStyle;
pub use source::SourceMap;

use seamcheck_facts::ParseProblem;

/// The documents of one file and what could not be read, located.
pub struct LoadedFile<'t> {
    pub docs: Vec<Node<'t>>,
    pub problems: Vec<ParseProblem>,
}

/// Loads every document of the file `src` indexes. Never fails: errors
/// become problems located at the character the parser reports, and every
/// document completed around them is kept.
pub fn load_file<'t>(src: &SourceMap<'t>) -> LoadedFile<'t> {
    load_file_with(src, LoadOptions::default())
}

/// [`load_file`] with options (Helm's values accept duplicate keys).
pub fn load_file_with<'t>(src: &SourceMap<'t>, options: LoadOptions) -> LoadedFile<'t> {
    let loaded = load_documents_with(src.text(), |byte| src.char_of(byte), options);
    let problems = loaded
        .problems
        .iter()
        .map(|p| ParseProblem {
            message: p.message.clone(),
            loc: src.error_loc(p.at_char),
        })
        .collect();
    LoadedFile {
        docs: loaded.docs,
        problems,
    }
}
