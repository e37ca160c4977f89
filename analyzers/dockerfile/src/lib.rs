//! seamcheck analyzer for Dockerfiles / Containerfiles: one file in, its
//! facts out (stages, EXPOSE, USER, ENV/ARG, COPY/ADD, RUN, WORKDIR,
//! HEALTHCHECK, CMD/ENTRYPOINT), every fact with its exact location.
//!
//! The file is first split into logical instructions (`split`), then each is
//! parsed alone with `parse-dockerfile` (`parse`), so a malformed instruction
//! becomes one `ParseProblem` and the rest of the file still yields facts.

mod expose;
mod image;
mod located;
mod parse;
mod run;
mod split;
mod stages;
mod words;

use seamcheck_facts::{decode_text, Facts, FileAnalysis, FileKind, LineIndex, SkipNote};

/// More problems than this in one file are summarised in a note: a file that
/// is not a Dockerfile at all would otherwise report every line.
const MAX_PROBLEMS: usize = 50;

pub fn analyze(path: &str, bytes: &[u8]) -> FileAnalysis {
    let text = match decode_text(path, bytes) {
        Ok(t) => t,
        Err(problem) => {
            let mut out = FileAnalysis::new(path, FileKind::Dockerfile, Facts::Empty);
            out.problems.push(problem);
            return out;
        }
    };
    let index = LineIndex::new(path, text);
    let escape = split::escape_directive(text);
    let mut builder = stages::Builder::new(text, &index, escape);
    if let Some((span, value)) = split::invalid_escape_directive(text) {
        builder.problem(
            format!("invalid escape directive `{value}`: BuildKit takes only `\\` or a backquote"),
            span,
        );
    }
    for inst in split::split(text, escape) {
        let keyword = inst.keyword_upper();
        if !parse::KNOWN.contains(&keyword.as_str()) {
            builder.problem(
                format!("unknown instruction `{}`", inst.keyword),
                inst.keyword_span.clone(),
            );
            continue;
        }
        for h in inst.heredocs.iter().filter(|h| !h.terminated) {
            builder.problem(
                format!("here-document `{}` is never terminated", h.delimiter),
                inst.command.clone(),
            );
        }
        match parse::parse(text, &inst, escape) {
            Ok(parsed) => builder.add(&inst, parsed),
            // An unterminated here-document is reported once, above.
            Err(_) if inst.heredocs.iter().any(|h| !h.terminated) => {}
            Err(e) => {
                if keyword == "FROM" {
                    builder.broken_from();
                }
                let span = word_at(text, e.offset, inst.span.end);
                builder.problem(problem_message(&keyword, &e.message), span);
            }
        }
    }
    if builder.facts.stages.is_empty() {
        builder.problem("no FROM instruction: the file builds no image", 0..0);
    }
    let stages::Builder {
        facts,
        mut problems,
        ..
    } = builder;
    let mut out = FileAnalysis::new(path, FileKind::Dockerfile, Facts::Dockerfile(facts));
    if problems.len() > MAX_PROBLEMS {
        let dropped = problems.len() - MAX_PROBLEMS;
        problems.truncate(MAX_PROBLEMS);
        out.notes.push(SkipNote {
            message: format!("{dropped} more parse problems in this file are not reported"),
            loc: index.file_location(),
        });
    }
    out.problems = problems;
    out.suppressions = seamcheck_facts::suppress::scan(
        path,
        text,
        seamcheck_facts::suppress::CommentSyntax::DOCKERFILE,
    );
    out
}

/// "`COPY` requires at least two arguments", "invalid `HEALTHCHECK`: expected
/// CMD or NONE": the parser's words, lowercase first, keyword quoted once.
fn problem_message(keyword: &str, parser_message: &str) -> String {
    let prefix = format!("{keyword} instruction ");
    match parser_message.strip_prefix(&prefix) {
        Some(rest) => format!("`{keyword}` {rest}"),
        None => format!("invalid `{keyword}`: {parser_message}"),
    }
}

/// The non-blank run starting at `offset` (at least one character, and not
/// past `limit`), to point a problem at a token rather than at a byte.
fn word_at(text: &str, offset: usize, limit: usize) -> std::ops::Range<usize> {
    let rest = text.get(offset..limit.max(offset)).unwrap_or("");
    let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let len = if len == 0 {
        rest.chars().next().map_or(0, char::len_utf8)
    } else {
        len
    };
    offset..offset + len
}
