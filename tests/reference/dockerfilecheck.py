"""dockerfilecheck: BuildKit's Dockerfile parser, the reference seamcheck is
compared against (tests/parse_conformance.rs).

For every path on standard input (one a line) prints one JSON line:
{"path": ..., "buildkit": "ok" | "error: ..." | "skipped: ..."}. The PyPI
package `dockerfile` wraps BuildKit's `parser.Parse` (the line-level parse:
directives, continuations, heredocs, JSON forms); it takes text, so a file
that is not UTF-8 is skipped. Our own code.
"""

import json
import sys

import dockerfile


def verdict(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return "skipped: not utf-8 (%s)" % e.reason
    if "\0" in text:
        return "skipped: NUL byte"
    try:
        dockerfile.parse_string(text)
    except dockerfile.GoParseError as e:
        return "error: %s" % e
    return "ok"


def main():
    for line in sys.stdin:
        path = line.rstrip("\n")
        if path:
            print(json.dumps({"path": path, "buildkit": verdict(path)}), flush=True)


if __name__ == "__main__":
    main()
