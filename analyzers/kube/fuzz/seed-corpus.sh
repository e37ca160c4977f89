#!/usr/bin/env bash
# Copies the repository's YAML fixtures into corpus/analyze (not committed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
corpus="$here/corpus/analyze"
mkdir -p "$corpus"
find "$root/fixtures" "$root/analyzers" -path '*/fuzz/*' -prune -o -type f \
    \( -name '*.yaml' -o -name '*.yml' \) -print0 |
    while IFS= read -r -d '' f; do
        cp "$f" "$corpus/$(sha1sum "$f" | cut -c1-16)"
    done
echo "$(ls "$corpus" | wc -l) seeds in $corpus"
