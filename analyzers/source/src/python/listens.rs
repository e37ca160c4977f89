//! Calls that start a server: Flask's `app.run(host, port, debug)` and
//! `uvicorn.run(app, host=..., port=...)`, with each setting read into a
//! `ValueExpr` and whether the call only runs as a script (main guard).

use super::apps::{AppKind, Apps};
use super::imports::Imports;
use super::main_guard::MainGuard;
use super::syntax::{dotted_name, opens_scope, string_value, CallArgs, Source};
use super::values::Values;
use crate::treesitter::NodeNames;
use seamcheck_facts::source::Listen;
use seamcheck_facts::{Framework, Located, Location, ValueExpr};
use tree_sitter::Node;

/// Where a call sits, handed down the tree walk.
#[derive(Clone, Default)]
struct Context<'t> {
    in_main_guard: bool,
    /// The module-level function that made `in_main_guard` true.
    via_function: Option<String>,
    /// The innermost enclosing function, whose assignments name lookups see.
    function: Option<Node<'t>>,
}

pub struct ListenFinder<'a, 't> {
    pub source: &'a Source<'t>,
    pub imports: &'a Imports,
    pub apps: &'a Apps,
    pub values: &'a Values<'a, 't>,
    pub guard: Option<&'a MainGuard<'t>>,
}

impl<'t> ListenFinder<'_, 't> {
    pub fn find(&self, module: Node<'t>) -> Vec<Listen> {
        let mut listens = Vec::new();
        let mut runserver = RunserverDefaults::default();
        self.source
            .walk_with_fields(module, Context::default(), |node, field, parent| {
                let mut context = parent.clone();
                if self.is_guard_body(node, field) {
                    context.in_main_guard = true;
                }
                if node.cached_kind() == "function_definition" {
                    // Only a module-level function can be the one the guard calls.
                    let at_module_level = parent.function.is_none();
                    let name = node
                        .field_child("name")
                        .map(|n| self.source.text_of(n).to_string());
                    if at_module_level && !parent.in_main_guard {
                        if let Some(name) = name.filter(|n| self.guard_calls(n)) {
                            context.in_main_guard = true;
                            context.via_function = Some(name);
                        }
                    }
                    context.function = Some(node);
                } else if opens_scope(node) && node.id() != module.id() {
                    // A class body or lambda does not run where it is written.
                    context.in_main_guard = false;
                    context.via_function = None;
                }
                if node.cached_kind() == "call" {
                    if let Some(listen) = self.listen(node, &context) {
                        listens.push(listen);
                    }
                } else if node.cached_kind() == "assignment" {
                    self.runserver_default(node, &context, &mut runserver);
                }
                Some(context)
            });
        if let Some(listen) = runserver.listen() {
            listens.push(listen);
        }
        listens
    }

    /// `runserver.default_addr = "0.0.0.0"` / `runserver.default_port = ...`
    /// on Django's runserver `Command` (a `manage.py` idiom): the defaults
    /// `manage.py runserver` uses when no `addrport` is given.
    fn runserver_default(
        &self,
        assignment: Node<'t>,
        context: &Context<'t>,
        out: &mut RunserverDefaults,
    ) {
        let (Some(left), Some(right)) = (
            assignment.field_child("left"),
            assignment.field_child("right"),
        ) else {
            return;
        };
        if left.cached_kind() != "attribute" {
            return;
        }
        let Some(target) = dotted_name(left, self.source) else {
            return;
        };
        let Some((object, attribute)) = target.rsplit_once('.') else {
            return;
        };
        if self.imports.qualify(object) != "django.core.management.commands.runserver.Command" {
            return;
        }
        let Some(read) = self.values.read(right, context.function) else {
            return;
        };
        let setting = Setting {
            value: self.source.located(read.value, right),
            defined_at: read.defined_at,
        };
        match attribute {
            "default_addr" => out.host = Some(setting),
            "default_port" => out.port = Some(setting),
            _ => return,
        }
        out.loc.get_or_insert_with(|| self.source.loc(assignment));
        // Shown as `runserver(port=…)`: the Command the defaults are set on.
        out.call.get_or_insert_with(|| object.to_string());
    }

    fn is_guard_body(&self, node: Node<'t>, field: Option<&str>) -> bool {
        field == Some("consequence") && self.guard.is_some_and(|g| g.body.id() == node.id())
    }

    fn guard_calls(&self, name: &str) -> bool {
        self.guard
            .is_some_and(|g| g.called_functions.iter().any(|c| c == name))
    }

    fn listen(&self, call: Node<'t>, context: &Context<'t>) -> Option<Listen> {
        let function = call.field_child("function")?;
        let callee = dotted_name(function, self.source)?;
        // Arguments are read only for a call that starts a server: a file
        // makes many calls and runs one server.
        if self.imports.qualify(&callee) == "uvicorn.run" {
            let args = CallArgs::of(call, self.source);
            return Some(self.uvicorn_run(call, callee, &args, context));
        }
        let object = function
            .field_child("object")
            .filter(|_| function.cached_kind() == "attribute")?;
        let method = function.field_child("attribute")?;
        if self.source.text_of(method) != "run" {
            return None;
        }
        let var = dotted_name(object, self.source)?;
        let is_flask_app = self
            .apps
            .by_var
            .get(&var)
            .is_some_and(|app| app.kind == AppKind::Flask)
            || self.apps.factory_vars.contains(&var);
        if !is_flask_app {
            return None;
        }
        let args = CallArgs::of(call, self.source);
        Some(self.flask_run(call, callee, object, &args, context))
    }

    /// `Flask.run(host=None, port=None, debug=None, load_dotenv=True, **options)`.
    fn flask_run(
        &self,
        call: Node<'t>,
        callee: String,
        object: Node<'t>,
        args: &CallArgs<'t>,
        context: &Context<'t>,
    ) -> Listen {
        let host = self.setting(args.get(0, "host"), args, context);
        let port = self.setting(args.get(1, "port"), args, context);
        let debug = self.setting(args.get(2, "debug"), args, context);
        Listen {
            call: callee,
            framework: Framework::Flask,
            host: host.as_ref().map(|s| s.value.clone()),
            port: port.as_ref().map(|s| s.value.clone()),
            default_port: 5000,
            default_host: "127.0.0.1".to_string(),
            debug: debug.map(|s| s.value),
            in_main_guard: context.in_main_guard,
            loc: self.source.loc(call),
            app_target: Some(
                self.source
                    .located(self.source.text_of(object).to_string(), object),
            ),
            reload: None,
            port_defined_at: port.and_then(|s| s.defined_at),
            host_defined_at: host.and_then(|s| s.defined_at),
            via_function: context.via_function.clone(),
        }
    }

    /// `uvicorn.run(app, *, host="127.0.0.1", port=8000, reload=False, ...)`.
    fn uvicorn_run(
        &self,
        call: Node<'t>,
        callee: String,
        args: &CallArgs<'t>,
        context: &Context<'t>,
    ) -> Listen {
        let host = self.setting(args.keyword("host"), args, context);
        let port = self.setting(args.keyword("port"), args, context);
        let reload = self.setting(args.keyword("reload"), args, context);
        let app_target = args.get(0, "app").map(|target| {
            let name = string_value(target, self.source)
                .unwrap_or_else(|| self.source.short_text_of(target));
            self.source.located(name, target)
        });
        Listen {
            call: callee,
            framework: Framework::Uvicorn,
            host: host.as_ref().map(|s| s.value.clone()),
            port: port.as_ref().map(|s| s.value.clone()),
            default_port: 8000,
            default_host: "127.0.0.1".to_string(),
            debug: None,
            in_main_guard: context.in_main_guard,
            loc: self.source.loc(call),
            app_target,
            reload: reload.map(|s| s.value),
            port_defined_at: port.and_then(|s| s.defined_at),
            host_defined_at: host.and_then(|s| s.defined_at),
            via_function: context.via_function.clone(),
        }
    }

    /// One setting: the argument's value, or unknown at the `**kwargs` that
    /// may carry it, or `None` when it is not passed (or passed as `None`):
    /// then the framework default applies.
    fn setting(
        &self,
        argument: Option<Node<'t>>,
        args: &CallArgs<'t>,
        context: &Context<'t>,
    ) -> Option<Setting> {
        let Some(argument) = argument else {
            let splat = args.splat?;
            return Some(Setting {
                value: self
                    .source
                    .located(ValueExpr::unknown(self.source.short_text_of(splat)), splat),
                defined_at: None,
            });
        };
        let read = self.values.read(argument, context.function)?;
        Some(Setting {
            value: self.source.located(read.value, argument),
            defined_at: read.defined_at,
        })
    }
}

struct Setting {
    value: Located<ValueExpr>,
    defined_at: Option<Location>,
}

/// What a module sets on Django's runserver `Command`.
#[derive(Default)]
struct RunserverDefaults {
    host: Option<Setting>,
    port: Option<Setting>,
    /// The first assignment, and the name it assigns through.
    loc: Option<Location>,
    call: Option<String>,
}

impl RunserverDefaults {
    fn listen(self) -> Option<Listen> {
        let loc = self.loc?;
        Some(Listen {
            call: self.call.unwrap_or_default(),
            framework: Framework::Django,
            host: self.host.as_ref().map(|s| s.value.clone()),
            port: self.port.as_ref().map(|s| s.value.clone()),
            default_port: 8000,
            default_host: "127.0.0.1".to_string(),
            debug: None,
            // Read wherever `manage.py` is run: it sets the class before
            // `execute_from_command_line`.
            in_main_guard: false,
            loc,
            app_target: None,
            reload: None,
            port_defined_at: self.port.and_then(|s| s.defined_at),
            host_defined_at: self.host.and_then(|s| s.defined_at),
            via_function: None,
        })
    }
}
