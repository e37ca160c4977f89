//! Parses one logical instruction with `parse-dockerfile` and turns the result
//! into owned spans of the whole file.
//!
//! The crate stops at the first error of a file, so each instruction is given
//! to it alone, behind a small header (the `# escape=` directive of the file,
//! and `FROM scratch` for instructions that need a stage). Spans it returns
//! are shifted back to file offsets.

use crate::split::RawInstruction;
use parse_dockerfile::{Command as PdCommand, HealthcheckArguments, Instruction, Source};
use std::ops::Range;

/// A string token of the instruction: the parser's value (continuations and
/// JSON escapes resolved) and its span in the file.
#[derive(Debug, Clone)]
pub struct Tok {
    pub value: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub enum Command {
    /// JSON array; each element spans its string without the quotes.
    Exec { items: Vec<Tok>, span: Range<usize> },
    /// Raw text as written (continuations included).
    Shell { span: Range<usize> },
}

impl Command {
    pub fn span(&self) -> Range<usize> {
        match self {
            Command::Exec { span, .. } | Command::Shell { span } => span.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum CopySource {
    Path(Range<usize>),
    /// `COPY <<EOF /dest`: an inline file, named by its marker.
    Heredoc,
}

#[derive(Debug, Clone)]
pub enum Parsed {
    From {
        image: Range<usize>,
        name: Option<Tok>,
    },
    Arg {
        args: Range<usize>,
    },
    Env {
        args: Range<usize>,
    },
    Expose {
        ports: Vec<Range<usize>>,
    },
    User {
        arg: Range<usize>,
    },
    Workdir {
        arg: Range<usize>,
    },
    Copy {
        from: Option<String>,
        sources: Vec<CopySource>,
        dest: Range<usize>,
    },
    Run {
        command: Command,
    },
    Cmd(Command),
    Entrypoint(Command),
    /// `None` for `HEALTHCHECK NONE`.
    Healthcheck(Option<Command>),
    Other,
}

/// A parse error at a byte offset of the file.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

pub const KNOWN: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

pub fn parse(text: &str, inst: &RawInstruction, escape: char) -> Result<Parsed, ParseError> {
    let keyword = inst.keyword_upper();
    if keyword == "RUN" && !inst.heredocs.is_empty() {
        // The crate reads only a heredoc that starts the command, and only one:
        // the split already found every body, so the command line is enough.
        let start = skip_blanks(text, inst.keyword_span.end);
        return Ok(Parsed::Run {
            command: Command::Shell {
                span: start..inst.command.end.max(start),
            },
        });
    }
    if keyword == "ENTRYPOINT" {
        // `ENTRYPOINT []` clears the base image's entrypoint: BuildKit takes
        // an empty JSON array (as for CMD), the crate refuses it.
        let start = skip_blanks(text, inst.keyword_span.end);
        let args = text.get(start..inst.command.end.max(start)).unwrap_or("");
        if args.trim_end().starts_with('[')
            && args.trim_end().ends_with(']')
            && args.trim()[1..args.trim().len() - 1].trim().is_empty()
        {
            let end = start + args.trim_end().len();
            return Ok(Parsed::Entrypoint(Command::Exec {
                items: Vec::new(),
                span: start..end,
            }));
        }
    }
    let mut header = String::new();
    if escape != '\\' {
        header.push_str("# escape=");
        header.push(escape);
        header.push('\n');
    }
    let needs_stage = !matches!(keyword.as_str(), "FROM" | "ARG");
    if needs_stage {
        header.push_str("FROM scratch\n");
    }
    let body = text.get(inst.span.clone()).unwrap_or("");
    let mini = format!("{header}{body}");
    let shift = Shift {
        header: header.len(),
        start: inst.span.start,
    };
    let result = std::panic::catch_unwind(|| parse_mini(&mini, needs_stage, &shift));
    match result {
        Ok(r) => r,
        Err(_) => Err(ParseError {
            offset: inst.span.start,
            message: "the Dockerfile parser failed on this instruction".to_string(),
        }),
    }
}

fn skip_blanks(text: &str, at: usize) -> usize {
    let rest = text.get(at..).unwrap_or("");
    at + (rest.len() - rest.trim_start_matches([' ', '\t']).len())
}

/// Maps offsets of the mini text back to the file.
struct Shift {
    header: usize,
    start: usize,
}

impl Shift {
    fn at(&self, offset: usize) -> usize {
        offset
            .saturating_sub(self.header)
            .saturating_add(self.start)
    }
    fn span(&self, r: &Range<usize>) -> Range<usize> {
        self.at(r.start)..self.at(r.end)
    }
    fn tok(&self, value: &str, r: &Range<usize>) -> Tok {
        Tok {
            value: value.to_string(),
            span: self.span(r),
        }
    }
}

fn parse_mini(mini: &str, skip_first: bool, shift: &Shift) -> Result<Parsed, ParseError> {
    let error = |e: parse_dockerfile::Error| ParseError {
        offset: shift.at(offset_of(mini, e.line(), e.column())),
        message: format!("{e:#}").replace('\'', "`"),
    };
    let mut iter = parse_dockerfile::parse_iter(mini).map_err(error)?;
    if skip_first {
        match iter.next() {
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(error(e)),
            None => return Ok(Parsed::Other),
        }
    }
    let instruction = match iter.next() {
        Some(Ok(i)) => i,
        Some(Err(e)) => return Err(error(e)),
        None => return Ok(Parsed::Other),
    };
    // The split decided where the instruction ends; whatever the parser would
    // read after its first instruction is not looked at.
    Ok(convert(instruction, shift))
}

/// Byte offset of a 1-based line and byte column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let mut start = 0;
    for _ in 1..line {
        match text.get(start..).and_then(|r| r.find('\n')) {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    (start + column.saturating_sub(1)).min(text.len())
}

fn command(c: &PdCommand<'_>, shift: &Shift) -> Option<Command> {
    Some(match c {
        PdCommand::Exec(items) => Command::Exec {
            items: items
                .value
                .iter()
                .map(|s| shift.tok(&s.value, &s.span))
                .collect(),
            span: shift.span(&items.span),
        },
        PdCommand::Shell(s) => Command::Shell {
            span: shift.span(&s.span),
        },
        // A form added by a later version of the parser: not modelled.
        _ => return None,
    })
}

fn convert(instruction: Instruction<'_>, shift: &Shift) -> Parsed {
    match instruction {
        Instruction::From(f) => Parsed::From {
            image: shift.span(&f.image.span),
            name: f.as_.as_ref().map(|(_, n)| shift.tok(&n.value, &n.span)),
        },
        Instruction::Arg(a) => Parsed::Arg {
            args: shift.span(&a.arguments.span),
        },
        Instruction::Env(e) => Parsed::Env {
            args: shift.span(&e.arguments.span),
        },
        Instruction::Expose(e) => Parsed::Expose {
            ports: e.arguments.iter().map(|p| shift.span(&p.span)).collect(),
        },
        Instruction::User(u) => Parsed::User {
            arg: shift.span(&u.arguments.span),
        },
        Instruction::Workdir(w) => Parsed::Workdir {
            arg: shift.span(&w.arguments.span),
        },
        Instruction::Copy(c) => copy(&c.options, &c.src, &c.dest, shift),
        Instruction::Add(a) => copy(&a.options, &a.src, &a.dest, shift),
        Instruction::Run(r) => {
            command(&r.arguments, shift).map_or(Parsed::Other, |command| Parsed::Run { command })
        }
        Instruction::Cmd(c) => command(&c.arguments, shift).map_or(Parsed::Other, Parsed::Cmd),
        Instruction::Entrypoint(e) => {
            command(&e.arguments, shift).map_or(Parsed::Other, Parsed::Entrypoint)
        }
        Instruction::Healthcheck(h) => match &h.arguments {
            HealthcheckArguments::Cmd { arguments, .. } => {
                command(arguments, shift).map_or(Parsed::Other, |c| Parsed::Healthcheck(Some(c)))
            }
            _ => Parsed::Healthcheck(None),
        },
        _ => Parsed::Other,
    }
}

fn copy(
    options: &[parse_dockerfile::Flag<'_>],
    src: &[Source<'_>],
    dest: &parse_dockerfile::UnescapedString<'_>,
    shift: &Shift,
) -> Parsed {
    let from = options
        .iter()
        .find(|f| f.name.value == "from")
        .and_then(|f| f.value.as_ref())
        .map(|v| v.value.to_string());
    let sources = src
        .iter()
        .map(|s| match s {
            Source::Path(p) => CopySource::Path(shift.span(&p.span)),
            _ => CopySource::Heredoc,
        })
        .collect();
    Parsed::Copy {
        from,
        sources,
        dest: shift.span(&dest.span),
    }
}
