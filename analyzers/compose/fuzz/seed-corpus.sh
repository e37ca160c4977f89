#!/usr/bin/env bash
# Copies the repository's compose and .env fixtures into corpus/analyze (not
# committed), each prefixed with its selector byte (0: compose, 1: .env).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
corpus="$here/corpus/analyze"
mkdir -p "$corpus"
find "$root/fixtures" "$root/analyzers/compose" -path '*/fuzz/*' -prune -o -path '*/target/*' -prune -o -type f \
    \( -name 'compose*.y*ml' -o -name 'docker-compose*.y*ml' -o -name '.env' \) -print0 |
    while IFS= read -r -d '' f; do
        case "$(basename "$f")" in .env) s='\001' ;; *) s='\000' ;; esac
        { printf "$s"; cat "$f"; } > "$corpus/$(sha1sum "$f" | cut -c1-16)"
    done
# Two seeds of our own, so the corpus is never empty.
{ printf '\000'; cat <<'YAML'; } > "$corpus/builtin-compose"
x-env: &env
  LOG_LEVEL: info
services:
  api:
    build: {context: ./api, dockerfile: Dockerfile, target: prod}
    image: registry.example.com/api:${TAG:-latest}
    ports: ["8080:8000", {target: 9000, published: "9001", protocol: tcp}]
    expose: [8000]
    environment: {<<: *env, PORT: "8000"}
    env_file: [.env]
    command: ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
    healthcheck: {test: ["CMD", "curl", "-f", "http://localhost:8000/healthz"], interval: 10s}
    user: "10001"
    depends_on: {db: {condition: service_healthy}}
  db:
    image: postgres:16
    profiles: [dev]
YAML
{ printf '\001'; cat <<'ENV'; } > "$corpus/builtin-dotenv"
# comment
TAG=1.4.2
export PORT=8000
QUOTED="a b ${TAG}"
SINGLE='x'
ENV
echo "$(ls "$corpus" | wc -l) seeds in $corpus"
