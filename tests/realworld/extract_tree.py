#!/usr/bin/env python3
"""Writes the tree of one commit of a bare git directory into a folder.

Unlike `git archive`, it tolerates blobs missing from the snapshot (the session's `fetch`
snapshots omit files of 4 MiB and more): those are skipped and counted. Symlinks are
written as small text files holding their target (the audit must not follow links out of
the tree). Usage: extract_tree.py GIT_DIR COMMIT OUT_DIR
"""
import os
import subprocess
import sys


def main() -> int:
    git_dir, commit, out = sys.argv[1:4]
    listing = subprocess.run(
        ["git", "--git-dir", git_dir, "ls-tree", "-r", "-z", "--full-tree", commit],
        check=True, capture_output=True).stdout
    entries = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, oid = meta.split(b" ")
        if kind == b"blob":
            entries.append((mode, oid.decode(), path))
    batch = subprocess.Popen(["git", "--git-dir", git_dir, "cat-file", "--batch"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    missing = 0
    for mode, oid, path in entries:
        batch.stdin.write(oid.encode() + b"\n")
        batch.stdin.flush()
        header = batch.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            missing += 1
            continue
        size = int(header[2])
        data = batch.stdout.read(size)
        batch.stdout.read(1)  # the newline after the object
        target = os.path.join(out.encode(), path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)
        if mode == b"100755":
            os.chmod(target, 0o755)
    batch.stdin.close()
    batch.wait()
    print(f"{len(entries) - missing} files, {missing} missing from the snapshot", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
