//! Turns parsed instructions into stage facts, in file order, with the ARG
//! and ENV scope BuildKit uses for substitution: global ARGs for FROM lines,
//! then per stage the ARGs and ENVs declared so far (ENV wins over ARG of the
//! same name); a stage built `FROM` an earlier stage inherits its ENV.

use crate::image::split_reference;
use crate::located::exact_sub;
use crate::parse::{Command, CopySource, Parsed, Tok};
use crate::run;
use crate::split::RawInstruction;
use crate::words::{eval, split_raw, Evaluated};
use seamcheck_facts::dockerfile::{
    BaseImage, CommandFact, CommandForm, CopyFact, ExposedPort, HealthcheckFact, RunFact, Stage,
    UserSpec,
};
use seamcheck_facts::shell::{split_dockerfile_words, split_words};
use seamcheck_facts::{DockerfileFacts, EnvVar, LineIndex, Located, Location, ParseProblem};
use std::ops::Range;

/// Variables in scope: `(name, value, set by ENV)`; the last entry wins.
#[derive(Debug, Clone, Default)]
struct Scope {
    vars: Vec<(String, Option<String>, bool)>,
}

impl Scope {
    fn get(&self, name: &str) -> Option<String> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _, _)| n == name)
            .and_then(|(_, v, _)| v.clone())
    }
    fn set_env(&mut self, name: &str, value: Option<String>) {
        self.vars.push((name.to_string(), value, true));
    }
    fn set_arg(&mut self, name: &str, value: Option<String>) {
        // "Environment variables defined using ENV always override an ARG
        // instruction of the same name."
        if !self.vars.iter().any(|(n, _, env)| *env && n == name) {
            self.vars.push((name.to_string(), value, false));
        }
    }
    fn env_only(&self) -> Scope {
        Scope {
            vars: self.vars.iter().filter(|v| v.2).cloned().collect(),
        }
    }
}

pub struct Builder<'a> {
    text: &'a str,
    index: &'a LineIndex,
    escape: char,
    pub facts: DockerfileFacts,
    pub problems: Vec<ParseProblem>,
    globals: Scope,
    /// The scope of each stage, parallel to `facts.stages`.
    scopes: Vec<Scope>,
    /// The last FROM could not be parsed: what follows belongs to a stage
    /// that has no facts, not to the previous one.
    in_broken_stage: bool,
}

impl<'a> Builder<'a> {
    pub fn new(text: &'a str, index: &'a LineIndex, escape: char) -> Self {
        Builder {
            text,
            index,
            escape,
            facts: DockerfileFacts::default(),
            problems: Vec::new(),
            globals: Scope::default(),
            scopes: Vec::new(),
            in_broken_stage: false,
        }
    }

    /// A FROM that could not be parsed opens a stage seamcheck cannot see:
    /// its instructions are skipped (already reported with the FROM).
    pub fn broken_from(&mut self) {
        self.in_broken_stage = true;
    }

    pub fn problem(&mut self, message: impl Into<String>, span: Range<usize>) {
        self.problems.push(ParseProblem {
            message: message.into(),
            loc: self.index.location(span),
        });
    }

    fn loc(&self, span: &Range<usize>) -> Location {
        self.index.location(span.clone())
    }

    fn raw(&self, span: &Range<usize>) -> &'a str {
        self.text.get(span.clone()).unwrap_or("")
    }

    fn eval_in(&self, span: &Range<usize>, scope: &Scope) -> Evaluated {
        eval(self.text, span.clone(), self.escape, &|n: &str| {
            scope.get(n)
        })
    }

    /// The value after substitution, or as written when a variable could not
    /// be resolved (an unknown is shown, never replaced by a guess).
    fn value_or_raw(&self, span: &Range<usize>, scope: &Scope) -> (String, bool) {
        let e = self.eval_in(span, scope);
        if e.unresolved.is_empty() {
            (e.value, false)
        } else {
            (self.raw(span).to_string(), true)
        }
    }

    pub fn add(&mut self, inst: &RawInstruction, parsed: Parsed) {
        if let Parsed::From { image, name } = parsed {
            self.in_broken_stage = false;
            self.from(inst, &image, name);
            return;
        }
        if self.in_broken_stage {
            return;
        }
        if self.facts.stages.is_empty() {
            match parsed {
                Parsed::Arg { args } => self.global_arg(&args),
                _ => self.problem(
                    format!("`{}` before the first FROM", inst.keyword_upper()),
                    inst.keyword_span.clone(),
                ),
            }
            return;
        }
        let keyword = self.index.located(inst.keyword_upper(), inst.span.clone());
        let Some(mut stage) = self.facts.stages.pop() else {
            return;
        };
        let mut scope = self.scopes.pop().unwrap_or_default();
        stage.instructions.push(keyword);
        match parsed {
            Parsed::From { .. } | Parsed::Other => {}
            Parsed::Arg { args } => self.stage_arg(&mut stage, &mut scope, &args),
            Parsed::Env { args } => self.env(&mut stage, &mut scope, &args),
            Parsed::Expose { ports } => self.expose(&mut stage, &scope, &ports),
            Parsed::User { arg } => self.user(&mut stage, &scope, &arg),
            Parsed::Workdir { arg } => {
                let (value, _) = self.value_or_raw(&arg, &scope);
                let value = match &stage.workdir {
                    Some(prev) if !value.starts_with('/') && !value.contains(':') => {
                        format!("{}/{}", prev.value.trim_end_matches('/'), value)
                    }
                    _ => value,
                };
                stage.workdir = Some(self.index.located(value, arg));
            }
            Parsed::Copy {
                from,
                sources,
                dest,
            } => self.copy(&mut stage, &scope, inst, from, &sources, &dest),
            Parsed::Run { command } => {
                let fact = self.run(inst, &command);
                stage.runs.push(fact);
            }
            Parsed::Cmd(c) => stage.cmd = Some(self.command(&c)),
            Parsed::Entrypoint(c) => stage.entrypoint = Some(self.command(&c)),
            Parsed::Healthcheck(c) => stage.healthcheck = Some(self.healthcheck(inst, c)),
        }
        self.facts.stages.push(stage);
        self.scopes.push(scope);
    }

    fn from(&mut self, inst: &RawInstruction, image: &Range<usize>, name: Option<Tok>) {
        let (raw, _) = self.value_or_raw(image, &self.globals);
        let (repository, tag, digest) = split_reference(&raw);
        let parent = self.facts.stages.iter().position(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(&raw))
        });
        let scope = parent
            .and_then(|i| self.scopes.get(i))
            .map(Scope::env_only)
            .unwrap_or_default();
        let stage = Stage {
            index: self.facts.stages.len(),
            name: name.map(|n| n.value),
            from: self.index.located(
                BaseImage {
                    raw,
                    repository,
                    tag,
                    digest,
                    is_stage: parent.is_some(),
                },
                image.clone(),
            ),
            instructions: vec![self.index.located(inst.keyword_upper(), inst.span.clone())],
            expose: Vec::new(),
            users: Vec::new(),
            env: Vec::new(),
            args: Vec::new(),
            copies: Vec::new(),
            runs: Vec::new(),
            workdir: None,
            healthcheck: None,
            cmd: None,
            entrypoint: None,
        };
        self.facts.stages.push(stage);
        self.scopes.push(scope);
    }

    /// `ARG NAME[=default] …` words, split at their first `=`.
    fn arg_words(
        &self,
        args: &Range<usize>,
        scope: &Scope,
    ) -> Vec<(String, Option<String>, bool, Range<usize>)> {
        split_raw(self.text, args.clone(), self.escape)
            .into_iter()
            .map(|w| {
                let raw = self.raw(&w);
                match raw.find('=') {
                    Some(eq) => {
                        let value = self.eval_in(&(w.start + eq + 1..w.end), scope);
                        let known = value.unresolved.is_empty();
                        let name = raw.get(..eq).unwrap_or("").to_string();
                        (name, known.then_some(value.value), true, w)
                    }
                    None => (raw.to_string(), None, false, w),
                }
            })
            .collect()
    }

    fn global_arg(&mut self, args: &Range<usize>) {
        for (name, value, _, span) in self.arg_words(args, &self.globals) {
            self.globals.set_arg(&name, value.clone());
            let loc = self.loc(&span);
            self.facts.global_args.push(EnvVar { name, value, loc });
        }
    }

    fn stage_arg(&mut self, stage: &mut Stage, scope: &mut Scope, args: &Range<usize>) {
        for (name, value, has_default, span) in self.arg_words(args, scope) {
            // `ARG NAME` without default inside a stage takes the global value.
            let value = if has_default {
                value
            } else {
                self.globals.get(&name)
            };
            scope.set_arg(&name, value.clone());
            let loc = self.loc(&span);
            stage.args.push(EnvVar { name, value, loc });
        }
    }

    fn env(&mut self, stage: &mut Stage, scope: &mut Scope, args: &Range<usize>) {
        let words = split_raw(self.text, args.clone(), self.escape);
        let Some(first) = words.first() else { return };
        let first_raw = self.raw(first);
        let mut vars = Vec::new();
        match first_raw.find('=') {
            Some(_) => {
                for w in &words {
                    let raw = self.raw(w);
                    match raw.find('=') {
                        Some(eq) if eq > 0 => {
                            let value = self.eval_in(&(w.start + eq + 1..w.end), scope);
                            let known = value.unresolved.is_empty();
                            let name = raw.get(..eq).unwrap_or("").to_string();
                            vars.push((name, known.then_some(value.value), w.clone()));
                        }
                        _ => self.problem(
                            format!("ENV expects `NAME=value`, found `{raw}`"),
                            w.clone(),
                        ),
                    }
                }
            }
            None => {
                // Legacy `ENV NAME value with spaces`.
                match words.get(1) {
                    Some(second) => {
                        let value = self.eval_in(&(second.start..args.end), scope);
                        let known = value.unresolved.is_empty();
                        vars.push((
                            first_raw.to_string(),
                            known.then_some(value.value),
                            args.clone(),
                        ));
                    }
                    None => self.problem(format!("ENV `{first_raw}` has no value"), first.clone()),
                }
            }
        }
        // Every value of one ENV is expanded before any of them is set.
        for (name, value, span) in vars {
            scope.set_env(&name, value.clone());
            let loc = self.loc(&span);
            stage.env.push(EnvVar { name, value, loc });
        }
    }

    fn expose(&mut self, stage: &mut Stage, scope: &Scope, ports: &[Range<usize>]) {
        for span in ports {
            let raw = self.raw(span).to_string();
            let e = self.eval_in(span, scope);
            let loc = self.loc(span);
            if !e.unresolved.is_empty() {
                let (protocol, _) = protocol_of(&e.value);
                stage.expose.push(ExposedPort {
                    raw,
                    port: None,
                    range_end: None,
                    protocol,
                    unresolved_vars: e.unresolved,
                    host_part: None,
                    loc,
                });
                continue;
            }
            for token in e.value.split_whitespace() {
                let (protocol, ports) = protocol_of(token);
                let (ports, host_part) = crate::expose::container_part(ports);
                let parsed = parse_ports(ports);
                if parsed.is_none() {
                    self.problem(format!("invalid port `{token}` in EXPOSE"), span.clone());
                }
                let (port, range_end) = parsed.unwrap_or((None, None));
                stage.expose.push(ExposedPort {
                    raw: raw.clone(),
                    port,
                    range_end,
                    protocol,
                    unresolved_vars: Vec::new(),
                    host_part: host_part.map(str::to_string),
                    loc: loc.clone(),
                });
            }
        }
    }

    fn user(&mut self, stage: &mut Stage, scope: &Scope, arg: &Range<usize>) {
        let (raw, unresolved) = self.value_or_raw(arg, scope);
        let (user, group) = match raw.split_once(':') {
            Some((u, g)) => (u.to_string(), Some(g.to_string()).filter(|g| !g.is_empty())),
            None => (raw.clone(), None),
        };
        let uid = if unresolved {
            None
        } else {
            user.parse::<u32>().ok()
        };
        let spec = UserSpec {
            raw,
            user,
            group,
            uid,
            unresolved,
        };
        stage.users.push(self.index.located(spec, arg.clone()));
    }

    fn copy(
        &mut self,
        stage: &mut Stage,
        scope: &Scope,
        inst: &RawInstruction,
        from: Option<String>,
        sources: &[CopySource],
        dest: &Range<usize>,
    ) {
        let sources: Vec<String> = sources
            .iter()
            .filter_map(|s| match s {
                CopySource::Path(span) => Some(self.value_or_raw(span, scope).0),
                CopySource::Heredoc => None,
            })
            .collect();
        let whole_context = from.is_none()
            && sources
                .iter()
                .any(|s| matches!(s.as_str(), "." | "./" | "./." | "./*" | "*"));
        stage.copies.push(CopyFact {
            instruction: inst.keyword_upper(),
            sources,
            dest: self.value_or_raw(dest, scope).0,
            from,
            whole_context,
            loc: self.loc(&inst.span),
        });
    }

    /// The words of a command: JSON items, or the shell text split as the
    /// shell will.
    fn argv(&self, c: &Command) -> (CommandForm, Vec<Located<String>>) {
        match c {
            Command::Exec { items, .. } => (
                CommandForm::Exec,
                items
                    .iter()
                    .map(|t| self.index.located(t.value.clone(), t.span.clone()))
                    .collect(),
            ),
            Command::Shell { span } => (
                CommandForm::Shell,
                split_dockerfile_words(self.raw(span), span.start, self.index, self.escape),
            ),
        }
    }

    fn command(&self, c: &Command) -> CommandFact {
        let (form, argv) = self.argv(c);
        CommandFact {
            form,
            argv,
            loc: self.loc(&c.span()),
        }
    }

    fn run(&self, inst: &RawInstruction, c: &Command) -> RunFact {
        let (form, mut argv) = self.argv(c);
        let mut text = match form {
            CommandForm::Exec => argv
                .iter()
                .map(|w| w.value.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            CommandForm::Shell => self.raw(&c.span()).to_string(),
        };
        for h in &inst.heredocs {
            let body = self.raw(&h.body);
            text.push('\n');
            text.push_str(body);
            argv.push(
                self.index
                    .located(";".to_string(), h.body.start..h.body.start),
            );
            argv.extend(split_words(body, h.body.start, self.index));
        }
        let words: Vec<String> = argv.into_iter().map(|w| w.value).collect();
        let commands = run::simple_commands(&words);
        RunFact {
            text,
            installs_dependencies: run::installs_dependencies(&commands),
            system_packages: run::system_packages(&commands),
            loc: self.loc(&inst.span),
        }
    }

    fn healthcheck(&self, inst: &RawInstruction, c: Option<Command>) -> HealthcheckFact {
        let command = c.map(|c| self.command(&c));
        let locate =
            |w: &Located<String>, r: std::ops::Range<usize>| exact_sub(w, r, self.text, self.index);
        let target = command
            .as_ref()
            .map(|c| seamcheck_launch::healthcheck::check_target(&c.argv, &locate))
            .unwrap_or_default();
        HealthcheckFact {
            command,
            tool: target.tool,
            port: target.port,
            port_expr: target.port_expr,
            path: target.path,
            host: target.host,
            loc: self.loc(&inst.span),
        }
    }
}

/// `8080/tcp` -> ("tcp", "8080"); the protocol defaults to tcp.
fn protocol_of(token: &str) -> (String, &str) {
    match token.split_once('/') {
        Some((ports, proto)) => (proto.to_ascii_lowercase(), ports),
        None => ("tcp".to_string(), token),
    }
}

/// `8080` or `8000-8010`; `None` when not a port or a range.
#[allow(clippy::type_complexity)]
fn parse_ports(s: &str) -> Option<(Option<u16>, Option<u16>)> {
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (a.parse::<u16>().ok()?, b.parse::<u16>().ok()?);
            (a <= b).then_some((Some(a), Some(b)))
        }
        None => Some((Some(s.parse::<u16>().ok()?), None)),
    }
}
