//! Package imports: the local name of each imported path
//! (`"github.com/go-chi/chi/v5"` is `chi`, `m "github.com/gorilla/mux"` is `m`).

use super::syntax::{string_value, Source};
use crate::treesitter::NodeNames;
use tree_sitter::Node;

#[derive(Debug, Default)]
pub struct Imports {
    /// (local name, import path)
    names: Vec<(String, String)>,
}

impl Imports {
    pub fn collect(nodes: &[Node<'_>], source: &Source<'_>) -> Imports {
        let mut imports = Imports::default();
        for spec in nodes.iter().filter(|n| n.cached_kind() == "import_spec") {
            let Some((path, _)) = spec
                .field_child("path")
                .and_then(|p| string_value(p, source))
            else {
                continue;
            };
            let local = match spec.field_child("name") {
                Some(name) if name.cached_kind() == "package_identifier" => {
                    source.text_of(name).to_string()
                }
                Some(_) => continue, // `_` or `.` imports
                None => default_name(&path),
            };
            imports.names.push((local, path));
        }
        imports
    }

    /// The import path a local package name stands for.
    pub fn path_of(&self, local: &str) -> Option<&str> {
        self.names
            .iter()
            .find(|(l, _)| l == local)
            .map(|(_, p)| p.as_str())
    }

    /// Whether `pkg.Name` (as written, `pkg` a local name) is `Name` of the
    /// package whose path is one of `paths` (a version suffix `/v5` ignored).
    pub fn is(&self, dotted: &str, paths: &[&str], name: &str) -> bool {
        let Some((pkg, member)) = dotted.split_once('.') else {
            return false;
        };
        member == name
            && self
                .path_of(pkg)
                .is_some_and(|p| paths.contains(&unversioned(p)))
    }

    pub fn imports_any(&self, paths: &[&str]) -> bool {
        self.names
            .iter()
            .any(|(_, p)| paths.contains(&unversioned(p)))
    }
}

/// `github.com/labstack/echo/v4` -> `github.com/labstack/echo`.
pub fn unversioned(path: &str) -> &str {
    match path.rsplit_once('/') {
        Some((head, last))
            if last.len() > 1
                && last.starts_with('v')
                && last.chars().skip(1).all(|c| c.is_ascii_digit()) =>
        {
            head
        }
        _ => path,
    }
}

/// The package name Go gives an import without alias: its last element,
/// skipping a major-version suffix.
fn default_name(path: &str) -> String {
    unversioned(path)
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .to_string()
}

pub const NET_HTTP: &[&str] = &["net/http"];
pub const GIN: &[&str] = &["github.com/gin-gonic/gin"];
pub const ECHO: &[&str] = &["github.com/labstack/echo"];
pub const FIBER: &[&str] = &["github.com/gofiber/fiber"];
pub const CHI: &[&str] = &["github.com/go-chi/chi"];
pub const GORILLA: &[&str] = &["github.com/gorilla/mux"];
pub const GRPC: &[&str] = &["google.golang.org/grpc"];
