# seamcheck as a static binary in an otherwise empty image:
#   docker build -t seamcheck .
#   docker run --rm -v "$PWD:/work:ro" seamcheck audit .
# Multi-stage: the Rust toolchain and a C compiler (for the tree-sitter
# grammars) build a musl binary; the final image is `scratch` with that
# binary alone, run as a non-root user. seamcheck's own audit of this file
# is clean (tests/it/release.rs).

FROM rust:1.90-slim-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends musl-tools \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Manifests first: the dependency layer is rebuilt only when they change.
COPY Cargo.toml Cargo.lock build.rs ./
COPY analyzers ./analyzers
COPY src ./src
RUN target="$(uname -m)-unknown-linux-musl" \
    && rustup target add "$target" \
    && cargo build --release --locked --target "$target" \
    && cp "target/$target/release/seamcheck" /seamcheck

# seamcheck: ignore[missing-healthcheck] -- a command-line tool that exits, not a server
FROM scratch
COPY --from=build /seamcheck /seamcheck
# No shell, no package manager, no root: 65532 is distroless's "nonroot".
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/seamcheck"]
CMD ["audit", "."]
