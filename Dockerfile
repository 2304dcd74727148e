# syntax=docker/dockerfile:1
#
# attache container image.
#
#   docker build -t attache:dev .
#   docker run --rm -e ATTACHE_KAFKA__BROKERS=kafka:9092 -p 9898:9898 attache:dev
#
# With a binary built outside (CI builds one anyway), the `binary` stage is
# replaced by a directory holding it as `attache`, and the Rust stages are
# skipped (BuildKit, or podman >= 4.3):
#
#   docker buildx build --build-context binary=DIR -t attache:dev .
#
# scripts/image.sh does either (docker or podman, base images made locally
# when no registry is reachable).
#
# Builder and runtime share one Debian release so the libssl the binary links
# against (rdkafka's `ssl` feature) is the libssl3 the runtime installs.
ARG RUST_VERSION=1.95
ARG DEBIAN_RELEASE=bookworm

# ---- toolchain + cargo-chef ------------------------------------------------
FROM rust:${RUST_VERSION}-slim-${DEBIAN_RELEASE} AS chef
# librdkafka is built by rdkafka-sys with its own ./configure + make (default
# features, no cmake); it needs a C toolchain, make, pkg-config, OpenSSL and
# zlib headers. Debian package versions are not pinned (DL3008): pins break
# the build at the next point release; the base image tag fixes the release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        build-essential pkg-config libssl-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
# cargo-chef turns the manifests into a recipe so the dependency build below
# is its own layer, rebuilt only when Cargo.toml or Cargo.lock change.
RUN cargo install cargo-chef --locked --version 0.1.78
WORKDIR /build

# ---- dependency recipe -----------------------------------------------------
FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

# ---- build -----------------------------------------------------------------
FROM chef AS builder
COPY --from=planner /build/recipe.json recipe.json
# Dependencies only: cached until the recipe changes.
RUN cargo chef cook --release --locked --bin attache --recipe-path recipe.json
COPY . .
# --strip-debug drops DWARF but keeps symbol names for panic backtraces.
RUN cargo build --release --locked --bin attache \
    && strip --strip-debug target/release/attache \
    && cp target/release/attache /usr/local/bin/attache

# ---- the binary the runtime ships -------------------------------------------
# A stage of its own so `--build-context binary=DIR` can stand in for it.
FROM scratch AS binary
COPY --from=builder /usr/local/bin/attache /attache

# ---- runtime ---------------------------------------------------------------
FROM debian:${DEBIAN_RELEASE}-slim AS runtime
# The binary links libssl3/libcrypto3 (librdkafka's TLS and SASL-SCRAM),
# zlib, libgcc_s and libc; only libssl3 is missing from the base image.
# ca-certificates: the CA bundle OpenSSL, and so Kafka TLS, trusts by
# default (page fetches use rustls with its own bundled roots).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libssl3 \
    && rm -rf /var/lib/apt/lists/*
# A fixed numeric uid/gid so Kubernetes `runAsNonRoot` can verify it.
RUN groupadd --system --gid 10001 attache \
    && useradd --system --uid 10001 --gid attache --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin attache
COPY --from=binary /attache /usr/local/bin/attache
# Event rules and gazetteers are read at runtime from the relative paths
# config/events and config/gazetteer (events.rules_dir / gazetteer_dir), so
# they live under the working directory. The default config doubles as
# /etc/attache/attache.toml until a mounted file replaces it.
WORKDIR /opt/attache
COPY config/ /opt/attache/config/
COPY config/attache.toml /etc/attache/attache.toml
# Nothing is written at runtime: the root filesystem may be read-only.
USER 10001:10001
# /metrics, /livez, /readyz (metrics.listen)
EXPOSE 9898
ENTRYPOINT ["attache"]
CMD ["run", "--config", "/etc/attache/attache.toml"]
