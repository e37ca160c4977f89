#!/usr/bin/env bash
# Copies the repository's source fixtures into corpus/analyze (not committed),
# each prefixed with the selector byte of its kind (the index into PATHS in
# fuzz_targets/analyze.rs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
corpus="$here/corpus/analyze"
mkdir -p "$corpus"
selector() {
    case "$1" in
        *.py) echo 0 ;;
        *.js | *.mjs | *.cjs | *.jsx) echo 1 ;;
        *.ts | *.tsx) echo 2 ;;
        *.go) echo 3 ;;
        *.rs) echo 4 ;;
        *.java) echo 5 ;;
        *.kt) echo 6 ;;
        *.cs) echo 7 ;;
        application*.properties) echo 8 ;;
        application*.yml | application*.yaml) echo 9 ;;
        appsettings*.json) echo 10 ;;
        launchSettings.json) echo 11 ;;
        package.json) echo 12 ;;
        Rocket.toml) echo 13 ;;
        *.conf) echo 14 ;;
        *) echo "" ;;
    esac
}
find "$root/fixtures" "$root/analyzers/source" -path '*/fuzz/*' -prune -o -path '*/target/*' -prune -o -type f -print0 |
    while IFS= read -r -d '' f; do
        s="$(selector "$(basename "$f")")"
        [ -n "$s" ] || continue
        out="$corpus/$(sha1sum "$f" | cut -c1-16)"
        { printf "\\$(printf '%03o' "$s")"; cat "$f"; } > "$out"
    done
echo "$(ls "$corpus" | wc -l) seeds in $corpus"
