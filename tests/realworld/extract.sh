#!/usr/bin/env bash
# Extracts the corpus listed in corpus.tsv into a directory, one folder per repository
# (OWNER+NAME), from bare git snapshots (default: /work/.mirror/OWNER+NAME/repo, as the
# session's `fetch` tool leaves them). Only the recorded commit is extracted; a snapshot
# whose HEAD moved is still extracted at the recorded commit when it has it.
# Usage: tests/realworld/extract.sh [OUT_DIR=/tmp/corpus] [MIRROR_DIR=/work/.mirror]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/corpus}
mirror=${2:-/work/.mirror}
mkdir -p "$out"
grep -v '^#' "$here/corpus.tsv" | while IFS=$'\t' read -r repo commit _category _notes; do
  [[ -n "$repo" ]] || continue
  name=${repo/\//+}
  git_dir=$mirror/$name/repo
  if [[ ! -d "$git_dir" ]]; then
    echo "missing snapshot: $repo (expected $git_dir)" >&2
    continue
  fi
  if [[ -d "$out/$name" ]]; then
    continue
  fi
  mkdir -p "$out/$name.part"
  python3 "$here/extract_tree.py" "$git_dir" "$commit" "$out/$name.part"
  mv "$out/$name.part" "$out/$name"
  echo "extracted $repo@${commit:0:12} -> $out/$name"
done
