//! Spring YAML configuration (`application.yml`), flattened to dotted keys
//! straight from saphyr's event stream: nested maps (`server:` / `port:`)
//! and dotted keys (`server.port:`) give the same `server.port` entry.
//! No tree is built and our own stack is a `Vec`, so 100,000-deep nesting
//! costs memory, not stack; aliases are not expanded (an alias value is
//! skipped: it cannot be located where it is used), so alias bombs are inert.
//! Sequences contribute nothing: no key modelled here holds a list.

use super::entries::ConfigEntry;
use saphyr_parser::{Event, Parser, ScalarStyle};
use seamcheck_facts::{LineIndex, Location, ParseProblem};

/// Nesting deeper than this is not real configuration: stop reading there.
const MAX_DEPTH: usize = 200;

pub struct Read {
    pub entries: Vec<ConfigEntry>,
    pub problem: Option<ParseProblem>,
}

/// One open collection on the stack.
enum Frame {
    /// A mapping: the key prefix of its entries, and the key waiting for a
    /// value (text and location), if any.
    Mapping {
        prefix: String,
        pending_key: Option<(String, Location)>,
    },
    /// A sequence (or anything whose contents are ignored).
    Ignored,
}

pub fn read(text: &str, index: &LineIndex) -> Read {
    let chars = CharBytes::new(text);
    let mut out = Read {
        entries: Vec::new(),
        problem: None,
    };
    let guarded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_events(text, index, &chars, &mut out.entries)
    }));
    out.problem = match guarded {
        Ok(problem) => problem,
        Err(_) => Some(ParseProblem {
            message: "the yaml parser failed on this input".to_string(),
            loc: index.file_location(),
        }),
    };
    out
}

fn read_events(
    text: &str,
    index: &LineIndex,
    chars: &CharBytes,
    entries: &mut Vec<ConfigEntry>,
) -> Option<ParseProblem> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut document: Option<usize> = None;
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(pair) => pair,
            Err(e) => {
                let at = chars.byte(e.marker().index());
                let end = text
                    .get(at..)
                    .and_then(|r| r.chars().next())
                    .map_or(at, |c| at + c.len_utf8());
                return Some(ParseProblem {
                    message: format!(
                        "yaml syntax error: {}",
                        e.info().trim().trim_end_matches('.').to_lowercase()
                    ),
                    loc: index.location(at..end),
                });
            }
        };
        let loc = || {
            let start = chars.byte(span.start.index());
            let end = chars.byte(span.end.index());
            index.location(start..end.max(start))
        };
        match event {
            Event::DocumentStart(_) => {
                document = Some(document.map_or(0, |d| d + 1));
                stack.clear();
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Some(ParseProblem {
                        message: format!("yaml nested deeper than {MAX_DEPTH} levels"),
                        loc: loc(),
                    });
                }
                let is_mapping = matches!(event, Event::MappingStart(..));
                let frame = match stack.last_mut() {
                    None if is_mapping => Frame::Mapping {
                        prefix: String::new(),
                        pending_key: None,
                    },
                    Some(Frame::Mapping {
                        prefix,
                        pending_key,
                    }) if is_mapping => match pending_key.take() {
                        Some((key, _)) => Frame::Mapping {
                            prefix: join(prefix, &key),
                            pending_key: None,
                        },
                        // A mapping used as a key: nothing we model.
                        None => Frame::Ignored,
                    },
                    Some(Frame::Mapping { pending_key, .. }) => {
                        pending_key.take();
                        Frame::Ignored
                    }
                    _ => Frame::Ignored,
                };
                stack.push(frame);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::Scalar(value, style, _, _) => {
                let Some(Frame::Mapping {
                    prefix,
                    pending_key,
                }) = stack.last_mut()
                else {
                    continue;
                };
                match pending_key.take() {
                    None => *pending_key = Some((value.to_string(), loc())),
                    Some((key, key_loc)) => {
                        let value_loc = loc();
                        let value_loc = trim_quoted(text, index, value_loc, style);
                        let entry_loc = index.location(key_loc.span.start..value_loc.span.end);
                        entries.push(ConfigEntry {
                            key: join(prefix, &key),
                            value: value.trim().to_string(),
                            value_loc,
                            entry_loc,
                            document: document.unwrap_or(0),
                        });
                    }
                }
            }
            Event::Alias(_) => {
                if let Some(Frame::Mapping { pending_key, .. }) = stack.last_mut() {
                    pending_key.take();
                }
            }
            _ => {}
        }
    }
    None
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// saphyr's span of a quoted scalar may run past the closing quote (over
/// blanks and a comment): cut it at the closing quote.
fn trim_quoted(text: &str, index: &LineIndex, loc: Location, style: ScalarStyle) -> Location {
    let quote = match style {
        ScalarStyle::DoubleQuoted => '"',
        ScalarStyle::SingleQuoted => '\'',
        _ => {
            // Plain scalars: drop trailing blanks only.
            let raw = text.get(loc.span.start..loc.span.end).unwrap_or("");
            let end = loc.span.start + raw.trim_end().len();
            return index.location(loc.span.start..end);
        }
    };
    let raw = text.get(loc.span.start..loc.span.end).unwrap_or("");
    let mut escaped = false;
    for (i, c) in raw.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if quote == '"' && c == '\\' {
            escaped = true;
        } else if c == quote {
            return index.location(loc.span.start..loc.span.start + i + 1);
        }
    }
    loc
}

/// saphyr counts characters; locations need bytes.
struct CharBytes {
    /// Byte offset of every character plus the end; `None` for ASCII text.
    table: Option<Vec<usize>>,
    len: usize,
}

impl CharBytes {
    fn new(text: &str) -> Self {
        let table = (!text.is_ascii()).then(|| {
            let mut t: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
            t.push(text.len());
            t
        });
        CharBytes {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(t) => t.get(char_index).or(t.last()).copied().unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::entries::test_rows::{row, rows, Row};
    use super::*;

    fn entries(text: &str) -> Vec<Row> {
        let index = LineIndex::new("application.yml", text);
        let read = read(text, &index);
        assert!(read.problem.is_none(), "{:?}", read.problem);
        rows(text, read.entries)
    }

    #[test]
    fn nested_and_dotted_keys_and_documents() {
        let text = "server:\n  port: 8081   # main\n  address: \"0.0.0.0\"  # all\nmanagement.server.port: 9001\nlist:\n  - a: 1\n---\nspring:\n  config:\n    activate:\n      on-profile: prod\nserver.port: '${PORT:8080}'\n";
        assert_eq!(
            entries(text),
            vec![
                row("server.port", "8081", "8081", 0),
                row("server.address", "0.0.0.0", "\"0.0.0.0\"", 0),
                row("management.server.port", "9001", "9001", 0),
                row("spring.config.activate.on-profile", "prod", "prod", 1),
                row("server.port", "${PORT:8080}", "'${PORT:8080}'", 1),
            ]
        );
    }

    #[test]
    fn locations_count_characters() {
        let text = "# é\nserver:\n  port: 8080\n";
        let index = LineIndex::new("a.yml", text);
        let e = read(text, &index).entries;
        let loc = e.first().map(|e| e.value_loc.clone());
        assert_eq!(
            loc.map(|l| (l.line, l.column, l.end_column)),
            Some((3, 9, 12))
        );
    }

    #[test]
    fn bad_yaml_keeps_what_came_before() {
        let text = "server:\n  port: 8080\nbad: [\n";
        let index = LineIndex::new("a.yml", text);
        let read = read(text, &index);
        assert_eq!(read.entries.len(), 1);
        let problem = read
            .problem
            .map(|p| (p.message.starts_with("yaml syntax error"), p.loc.line));
        assert_eq!(problem.map(|p| p.0), Some(true));
    }

    #[test]
    fn deep_nesting_and_alias_bombs_are_bounded() {
        let deep = "a: ".to_string() + &"[".repeat(100_000);
        let index = LineIndex::new("a.yml", &deep);
        assert!(read(&deep, &index).problem.is_some());
        let deep_maps: String = (0..5000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        let index = LineIndex::new("a.yml", &deep_maps);
        let _ = read(&deep_maps, &index);
        let bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: *c\n";
        let index = LineIndex::new("a.yml", bomb);
        assert!(read(bomb, &index).entries.is_empty());
    }
}
