#!/usr/bin/env python3
"""Runs seamcheck over the real-world corpus and prints the figures as markdown tables.

Given a directory of extracted snapshots (one folder per repository, named OWNER+NAME, as
`extract.sh` leaves them), it audits each folder whole with `--format json`, keeps the JSON
reports in an output directory (for triage), and prints:

* per repository: files analysed, services, services with a Dockerfile, services with a
  Dockerfile and code (two measures, see below), listen resolved, errors, warnings,
  notes, wall time;
* per rule: error/warning/note counts over the corpus, and per repository for errors;
* the services with a Dockerfile and code whose listen address is unresolved (to triage).

"Dockerfile and code": seamcheck's own view (`services[].dockerfile` set and
`services[].sources` or `services[].entry` set) and an independent view (the Dockerfile's
folder holds files in a programming language, looked up on disk), so that a service
whose code seamcheck did not find still counts as one it should resolve.
"Listen resolved": `services[].listen.port`, or the listen of one of its workloads or
compose services, is known.

Usage: run.py CORPUS_DIR [--seamcheck PATH] [--out DIR] [--only NAME,...] [--repeat N]
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CODE_EXTENSIONS = {
    ".py", ".js", ".mjs", ".cjs", ".ts", ".go", ".java", ".kt", ".cs", ".rs", ".rb",
    ".php", ".ex", ".exs", ".cpp", ".cc", ".c", ".scala", ".fs", ".vb",
}
SKIP_DIRS = {"node_modules", ".git", "vendor", "target", "bin", "obj", "dist", "build"}


def read_corpus(tsv):
    rows = []
    with open(tsv, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            repo, commit, category, notes = (line.rstrip("\n").split("\t") + [""] * 4)[:4]
            rows.append({"repo": repo, "commit": commit, "category": category, "notes": notes})
    return rows


def has_code_near(root, dockerfile):
    """True when the Dockerfile's folder (recursively, 3 levels) holds source files."""
    folder = os.path.dirname(os.path.join(root, dockerfile))
    base_depth = folder.rstrip(os.sep).count(os.sep)
    for current, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")]
        if current.count(os.sep) - base_depth >= 3:
            dirs[:] = []
        for name in files:
            if os.path.splitext(name)[1] in CODE_EXTENSIONS:
                return True
    return False


def read_triage(tsv):
    """The hand classification of error findings: (fingerprint, location) -> (class, note)."""
    triage = {}
    if not os.path.exists(tsv):
        return triage
    with open(tsv, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            fingerprint, _repo, _rule, location, klass, note = (line.rstrip("\n").split("\t") + [""] * 6)[:6]
            triage[(fingerprint, location)] = (klass, note)
    return triage


def classify_errors(report, triage):
    """Counts the errors by triage class; an error not in the triage file is `unclassified`."""
    classes = collections.Counter()
    for finding in report["findings"]:
        if finding["severity"] != "error":
            continue
        where = f"{finding['location']['path']}:{finding['location']['line']}"
        classes[triage.get((finding["fingerprint"], where), ("unclassified", ""))[0]] += 1
    return classes


def read_listen_triage(tsv):
    """The hand reasons for unresolved listens: (repository, service, Dockerfile) -> (class, reason)."""
    reasons = {}
    if not os.path.exists(tsv):
        return reasons
    with open(tsv, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            repo, service, dockerfile, klass, reason = (line.rstrip("\n").split("\t") + [""] * 5)[:5]
            reasons[(repo, service, dockerfile)] = (klass, reason)
    return reasons


def listen_port(service):
    if service.get("listen") and service["listen"].get("port") is not None:
        return service["listen"]["port"]
    for link in service.get("workloads", []) + service.get("compose", []):
        if link.get("listen") and link["listen"].get("port") is not None:
            return link["listen"]["port"]
    return None


def audit(seamcheck, folder, out_json, repeat=1):
    """Audits one folder; the wall time is the fastest of `repeat` runs (the machine is shared)."""
    elapsed = float("inf")
    for _ in range(max(1, repeat)):
        start = time.monotonic()
        with open(out_json, "wb") as sink:
            proc = subprocess.run([seamcheck, "--format", "json", "--fail-on", "never", folder],
                                  stdout=sink, stderr=subprocess.PIPE)
        elapsed = min(elapsed, time.monotonic() - start)
    if proc.returncode != 0:
        sys.stderr.write(f"{folder}: exit {proc.returncode}: {proc.stderr.decode(errors='replace')[:500]}\n")
        return None, elapsed
    with open(out_json, encoding="utf-8") as handle:
        return json.load(handle), elapsed


def summarise(root, report, triage):
    services = report["services"]
    with_dockerfile = [s for s in services if s.get("dockerfile")]
    seamcheck_code = [s for s in with_dockerfile if s.get("sources") or s.get("entry")]
    disk_code = [s for s in with_dockerfile if has_code_near(root, s["dockerfile"])]
    code = {id(s): s for s in seamcheck_code + disk_code}.values()
    unresolved = [s for s in code if listen_port(s) is None]
    by_rule = collections.Counter((f["rule"], f["severity"]) for f in report["findings"])
    return {
        "files": report["summary"]["files"],
        "services": len(services),
        "dockerfile": len(with_dockerfile),
        "code_seamcheck": len(seamcheck_code),
        "code": len(code),
        "resolved": len(code) - len(unresolved),
        "unresolved": unresolved,
        "errors": report["summary"]["errors"],
        "warnings": report["summary"]["warnings"],
        "notes": report["summary"]["notes"],
        "by_rule": by_rule,
        "classes": classify_errors(report, triage),
        "link_notes": len(report.get("link_notes", [])),
        "skipped": len(report.get("skipped", [])),
    }


def split(classes):
    """`true / false / test data / unclassified` counts of one repository's errors."""
    false = sum(n for k, n in classes.items() if k.startswith("false"))
    return f"{classes['true']} / {false} / {classes['testdata']} / {classes['unclassified']}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir")
    parser.add_argument("--seamcheck", default=os.path.join(HERE, "..", "..", "target", "release", "seamcheck"))
    parser.add_argument("--out", default="/tmp/corpus-reports")
    parser.add_argument("--only", default="")
    parser.add_argument("--repeat", type=int, default=1, help="runs per repository; the fastest wall time is kept")
    parser.add_argument("--tsv", default=os.path.join(HERE, "corpus.tsv"))
    parser.add_argument("--triage", default=os.path.join(HERE, "triage.tsv"))
    parser.add_argument("--listen-triage", default=os.path.join(HERE, "listen_triage.tsv"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    only = {o for o in args.only.split(",") if o}
    triage = read_triage(args.triage)
    listen_triage = read_listen_triage(args.listen_triage)

    rows = []
    for entry in read_corpus(args.tsv):
        name = entry["repo"].replace("/", "+")
        folder = os.path.join(args.corpus_dir, name)
        if only and entry["repo"] not in only and name not in only:
            continue
        if not os.path.isdir(folder):
            sys.stderr.write(f"not extracted: {folder}\n")
            continue
        report, elapsed = audit(args.seamcheck, folder, os.path.join(args.out, name + ".json"), args.repeat)
        if report is None:
            continue
        figures = dict(entry, seconds=elapsed, name=name)
        figures.update(summarise(folder, report, triage))  # its "notes" (the count) wins over the TSV's
        rows.append(figures)

    print("## Per repository\n")
    print("| repository | files | services | with Dockerfile | Dockerfile + code | listen resolved | errors | true / false / test data / unclassified | warnings | notes | wall s |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    totals = collections.Counter()
    classes = collections.Counter()
    for r in rows:
        print(f"| {r['repo']} | {r['files']} | {r['services']} | {r['dockerfile']} | {r['code']} ({r['code_seamcheck']}) "
              f"| {r['resolved']}/{r['code']} | {r['errors']} | {split(r['classes'])} | {r['warnings']} | {r['notes']} | {r['seconds']:.2f} |")
        classes.update(r["classes"])
        for key in ("files", "services", "dockerfile", "code", "code_seamcheck", "resolved", "errors", "warnings", "notes"):
            totals[key] += r[key]
        totals["seconds"] += r["seconds"]
    share = f" ({100 * totals['resolved'] / totals['code']:.0f}%)" if totals["code"] else ""
    print(f"| **total ({len(rows)})** | {totals['files']} | {totals['services']} | {totals['dockerfile']} "
          f"| {totals['code']} ({totals['code_seamcheck']}) | {totals['resolved']}/{totals['code']}{share} "
          f"| {totals['errors']} | {split(classes)} | {totals['warnings']} | {totals['notes']} | {totals['seconds']:.2f} |")
    print("\n\"Dockerfile + code\": on disk (in brackets: those where seamcheck found the code).\n")

    print("## Error findings by triage class\n")
    print("| class | errors | repositories |")
    print("|---|---:|---:|")
    for klass, count in classes.most_common():
        repos = sum(1 for r in rows if r["classes"][klass])
        print(f"| {klass} | {count} | {repos} |")
    print()

    print("## Findings by rule\n")
    rules = collections.Counter()
    for r in rows:
        rules.update(r["by_rule"])
    names = sorted({rule for rule, _ in rules})
    print("| rule | errors | warnings | notes | repositories |")
    print("|---|---:|---:|---:|---:|")
    for rule in sorted(names, key=lambda n: (-rules[(n, "error")], -rules[(n, "warning")], -rules[(n, "note")], n)):
        repos = sum(1 for r in rows if any(k[0] == rule for k in r["by_rule"]))
        print(f"| {rule} | {rules[(rule, 'error')]} | {rules[(rule, 'warning')]} | {rules[(rule, 'note')]} | {repos} |")

    print("\n## Errors by repository and rule\n")
    print("| repository | rule | errors |")
    print("|---|---|---:|")
    for r in rows:
        for (rule, severity), count in sorted(r["by_rule"].items()):
            if severity == "error":
                print(f"| {r['repo']} | {rule} | {count} |")

    print("\n## Services with a Dockerfile and code, listen unresolved\n")
    print("| repository | service | Dockerfile | entry found | reason class | reason |")
    print("|---|---|---|---|---|---|")
    reasons = collections.Counter()
    for r in rows:
        for s in r["unresolved"]:
            entry = s["entry"]["path"] if s.get("entry") else "-"
            klass, reason = listen_triage.get((r["repo"], s["name"], s["dockerfile"]), ("unclassified", ""))
            reasons[klass] += 1
            print(f"| {r['repo']} | {s['name']} | {s['dockerfile']} | {entry} | {klass} | {reason} |")
    print("\n## Unresolved listens by reason\n")
    print("| reason class | services |")
    print("|---|---:|")
    for klass, count in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"| {klass} | {count} |")
    servers = totals["code"] - reasons["A-not-server"]
    if servers:
        print(f"\nListen resolved, servers only (Dockerfile + code minus A-not-server): "
              f"{totals['resolved']}/{servers} ({100 * totals['resolved'] / servers:.0f}%)")
    print(f"\nJSON reports: {args.out}/OWNER+NAME.json")


if __name__ == "__main__":
    main()
