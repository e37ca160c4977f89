//! The statuses a Go handler answers, one `ReturnStatus` per way it responds:
//! net/http `w.WriteHeader(s)`, `http.Error(w, msg, s)`, `http.NotFound`,
//! `http.Redirect(w, r, url, s)`, and writes (`w.Write`, `fmt.Fprint*(w, …)`,
//! `io.WriteString(w, …)`, `json.NewEncoder(w).Encode(…)`) answer 200 unless
//! an earlier statement of an enclosing block set the status; gin/echo
//! `c.JSON(s, …)`, `c.String(s, …)`, `c.AbortWithStatus(s)`, `c.NoContent(s)`,
//! `echo.NewHTTPError(s)`; fiber `c.SendStatus(s)`, `c.Status(s).JSON(…)`,
//! `c.SendString(…)` (200), `fiber.NewError(s)`. Statuses are int constants
//! or `http.StatusX` / `fiber.StatusX`.

use super::imports::{Imports, ECHO, FIBER, NET_HTTP};
use super::syntax::{
    call_args, dotted_name, int_value, named_children, own_body_nodes, parameters, strip, Source,
    MAX_CHAIN,
};
use super::values::Values;
use crate::treesitter::NodeNames;
use seamcheck_facts::source::ReturnStatus;
use seamcheck_facts::ValueExpr;
use tree_sitter::Node;

/// gin/echo context methods whose first argument is the status.
const STATUS_FIRST: &[&str] = &[
    "JSON",
    "String",
    "HTML",
    "XML",
    "YAML",
    "TOML",
    "Data",
    "IndentedJSON",
    "PureJSON",
    "SecureJSON",
    "JSONP",
    "AsciiJSON",
    "ProtoBuf",
    "Redirect",
    "Status",
    "AbortWithStatus",
    "AbortWithStatusJSON",
    "AbortWithError",
    "NoContent",
    "Blob",
    "Stream",
    "JSONPretty",
    "JSONBlob",
    "XMLPretty",
    "XMLBlob",
    "HTMLBlob",
    "DataFromReader",
];

/// fiber methods that send with the status set before (200 by default).
const FIBER_SENDS: &[&str] = &[
    "SendString",
    "JSON",
    "Send",
    "SendFile",
    "Render",
    "XML",
    "Format",
];

/// What kind of handler a function is, from its parameter types.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HandlerKind {
    NetHttp,
    /// gin `*gin.Context` or echo `echo.Context`: status is the first argument.
    StatusFirst,
    Fiber,
}

pub struct StatusReader<'a, 't> {
    pub source: &'a Source<'t>,
    pub imports: &'a Imports,
    pub values: &'a Values<'a, 't>,
}

/// A function's handler kind and the name of its writer/context parameter.
pub fn handler_kind(
    function: Node<'_>,
    source: &Source<'_>,
    imports: &Imports,
) -> Option<(HandlerKind, String)> {
    for (name, ty) in parameters(function, source) {
        let bare = ty.trim_start_matches('*');
        if imports.is(bare, NET_HTTP, "ResponseWriter") {
            return Some((HandlerKind::NetHttp, name));
        }
        if imports.is(bare, super::imports::GIN, "Context") || imports.is(bare, ECHO, "Context") {
            return Some((HandlerKind::StatusFirst, name));
        }
        if imports.is(bare, FIBER, "Ctx") {
            return Some((HandlerKind::Fiber, name));
        }
    }
    None
}

impl<'t> StatusReader<'_, 't> {
    pub fn returns(&self, function: Node<'t>) -> Vec<ReturnStatus> {
        let Some((kind, var)) = handler_kind(function, self.source, self.imports) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for node in own_body_nodes(function) {
            if node.cached_kind() != "call_expression" || is_inner_chain_call(node) {
                continue;
            }
            let status = match kind {
                HandlerKind::NetHttp => self.net_http(node, &var),
                HandlerKind::StatusFirst => self.status_first(node, &var),
                HandlerKind::Fiber => self.fiber(node, &var),
            };
            if let Some(status) = status {
                out.push(ReturnStatus {
                    status,
                    loc: self.source.loc(node),
                });
            }
        }
        out
    }

    fn callee(&self, call: Node<'t>) -> String {
        call.field_child("function")
            .and_then(|f| dotted_name(f, self.source))
            .unwrap_or_default()
    }

    /// Whether argument `i` of the call is the variable `var`.
    fn arg_is(&self, call: Node<'t>, i: usize, var: &str) -> bool {
        call_args(call)
            .get(i)
            .is_some_and(|a| self.source.text_of(strip(*a)) == var)
    }

    fn status_arg(&self, call: Node<'t>, i: usize) -> Option<u16> {
        let arg = *call_args(call).get(i)?;
        status_value(arg, self.source, self.values)
    }

    fn net_http(&self, call: Node<'t>, w: &str) -> Option<Option<u16>> {
        let callee = self.callee(call);
        if callee == format!("{w}.WriteHeader") {
            return Some(self.status_arg(call, 0));
        }
        if self.imports.is(&callee, NET_HTTP, "Error") && self.arg_is(call, 0, w) {
            return Some(self.status_arg(call, 2));
        }
        if self.imports.is(&callee, NET_HTTP, "NotFound") && self.arg_is(call, 0, w) {
            return Some(Some(404));
        }
        if self.imports.is(&callee, NET_HTTP, "Redirect") && self.arg_is(call, 0, w) {
            return Some(self.status_arg(call, 3));
        }
        let writes = callee == format!("{w}.Write")
            || (matches!(
                callee.as_str(),
                "fmt.Fprint" | "fmt.Fprintf" | "fmt.Fprintln" | "io.WriteString" | "io.Copy"
            ) && self.arg_is(call, 0, w))
            || self.encodes_to(call, w);
        if writes {
            return match self.preceding(call, w) {
                Some(_) => None,
                None => Some(Some(200)),
            };
        }
        None
    }

    /// `json.NewEncoder(w).Encode(v)`.
    fn encodes_to(&self, call: Node<'t>, w: &str) -> bool {
        let Some(function) = call.field_child("function").map(strip) else {
            return false;
        };
        if function.cached_kind() != "selector_expression" {
            return false;
        }
        let is_encode = function
            .field_child("field")
            .is_some_and(|f| self.source.text_of(f) == "Encode");
        let operand = function.field_child("operand").map(strip);
        is_encode
            && operand.is_some_and(|o| {
                o.cached_kind() == "call_expression"
                    && self.callee(o).ends_with("NewEncoder")
                    && self.arg_is(o, 0, w)
            })
    }

    /// An earlier statement of an enclosing block that sets the status.
    fn preceding(&self, node: Node<'t>, w: &str) -> Option<Option<u16>> {
        let mut current = node;
        for _ in 0..256 {
            let parent = current.parent()?;
            if super::syntax::is_function(current) {
                return None;
            }
            if matches!(parent.cached_kind(), "block" | "statement_list") {
                let mut sibling = current.prev_named_sibling();
                while let Some(s) = sibling {
                    if s.cached_kind() == "expression_statement" {
                        if let Some(call) = named_children(s)
                            .first()
                            .map(|c| strip(*c))
                            .filter(|c| c.cached_kind() == "call_expression")
                        {
                            let callee = self.callee(call);
                            if callee == format!("{w}.WriteHeader") {
                                return Some(self.status_arg(call, 0));
                            }
                            if callee == format!("{w}.Status") {
                                return Some(self.status_arg(call, 0));
                            }
                        }
                    }
                    sibling = s.prev_named_sibling();
                }
            }
            current = parent;
        }
        None
    }

    /// gin/echo: `c.JSON(500, …)`, `echo.NewHTTPError(503)`.
    fn status_first(&self, call: Node<'t>, c: &str) -> Option<Option<u16>> {
        let callee = self.callee(call);
        if self.imports.is(&callee, ECHO, "NewHTTPError") {
            return Some(self.status_arg(call, 0));
        }
        let method = callee.strip_prefix(c)?.strip_prefix('.')?;
        if !STATUS_FIRST.contains(&method) {
            return None;
        }
        // gin `c.Status(s)` alone sets the status of a later write.
        Some(self.status_arg(call, 0))
    }

    /// fiber: `c.SendStatus(s)`, `c.Status(s).JSON(…)`, `c.JSON(…)`,
    /// `fiber.NewError(s, …)`.
    fn fiber(&self, call: Node<'t>, c: &str) -> Option<Option<u16>> {
        let callee = self.callee(call);
        if self.imports.is(&callee, FIBER, "NewError") {
            return Some(self.status_arg(call, 0));
        }
        if callee == format!("{c}.SendStatus") {
            return Some(self.status_arg(call, 0));
        }
        let function = strip(call.field_child("function")?);
        if function.cached_kind() != "selector_expression" {
            return None;
        }
        let method = self.source.text_of(function.field_child("field")?);
        if !FIBER_SENDS.contains(&method) {
            return None;
        }
        // Walk the chain down to `c`, remembering a `Status(s)` step.
        let mut operand = strip(function.field_child("operand")?);
        let mut status = None;
        for _ in 0..MAX_CHAIN {
            match operand.cached_kind() {
                "identifier" if self.source.text_of(operand) == c => {
                    return Some(match status {
                        Some(s) => s,
                        None => self.preceding(call, c).unwrap_or(Some(200)),
                    });
                }
                "call_expression" => {
                    let f = strip(operand.field_child("function")?);
                    if f.cached_kind() != "selector_expression" {
                        return None;
                    }
                    if f.field_child("field")
                        .is_some_and(|m| self.source.text_of(m) == "Status")
                    {
                        status = Some(self.status_arg(operand, 0));
                    }
                    operand = strip(f.field_child("operand")?);
                }
                _ => return None,
            }
        }
        None
    }
}

/// A call that is the operand of a further method call (`c.Status(503)` in
/// `c.Status(503).JSON(…)`).
fn is_inner_chain_call(call: Node<'_>) -> bool {
    call.parent()
        .filter(|p| p.cached_kind() == "selector_expression")
        .and_then(|p| p.parent())
        .is_some_and(|g| g.cached_kind() == "call_expression")
}

/// `500`, `http.StatusInternalServerError`, `fiber.StatusOK`, a constant name.
pub fn status_value(node: Node<'_>, source: &Source<'_>, values: &Values<'_, '_>) -> Option<u16> {
    let node = strip(node);
    if let Some(i) = int_value(node, source) {
        return u16::try_from(i).ok();
    }
    if node.cached_kind() == "selector_expression" {
        let field = source.text_of(node.field_child("field")?);
        return status_named(field);
    }
    match values.eval(node).expr {
        ValueExpr::Literal { value } => value.parse().ok(),
        _ => None,
    }
}

/// Go's `http.Status*` constants (fiber uses the same names): `Status`
/// and the CamelCase name of the shared table (`common::http_status`).
pub fn status_named(name: &str) -> Option<u16> {
    crate::common::http_status::by_camel(name.strip_prefix("Status")?)
}
