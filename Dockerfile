# certgate in a container: a static musl binary on a distroless base, run as a non-root user.
#   docker build -t certgate .
#   docker run --rm -v "$PWD:/src:ro" certgate            # = certgate check .
#   docker run --rm -v "$PWD:/src:ro" certgate check --format sarif .

# Build stage: Alpine's Rust targets musl, which links statically by default.
FROM rust:1.95-alpine3.22 AS build
# musl-dev: the C runtime that the static link needs. Not pinned (DL3018): Alpine drops old
# package revisions, so a pin breaks the build; the base image tag pins the release.
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /build
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN cargo build --release --locked \
    && cp target/release/certgate /certgate

# Final stage: no shell, no package manager; only the binary and CA certificates.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /certgate /usr/local/bin/certgate
# 65532 is distroless's `nonroot` user: the scan needs to read the mounted tree, never to write.
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["certgate"]
CMD ["check", "."]
