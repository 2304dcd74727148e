#!/usr/bin/env bash
# Shared by scripts/image.sh and scripts/container-test.sh (source it, do not
# run it).
#
# Picks the container engine: `docker` when a Docker engine answers, else
# `podman`, installed from Debian's packages (with runc and debootstrap) when
# missing. When no registry can be reached, the base images the Dockerfile
# names are made locally:
#   debian:bookworm-slim         debootstrap --variant=minbase, trimmed like
#                                the official slim image (no docs/man/locales)
#   rust:<version>-slim-bookworm that Debian base plus this machine's Rust
#                                toolchain (only for scripts/image.sh --full)
# Everything is idempotent: a second run finds the engine, the config and
# the images and does nothing.

# The sourcing script sets $root to the repository.
: "${root:?root must be set to the repository before sourcing container-engine.sh}"

# The Debian release and Rust version the Dockerfile's ARGs default to.
container_debian_release() { sed -n 's/^ARG DEBIAN_RELEASE=//p' "$root/Dockerfile"; }
container_rust_version() { sed -n 's/^ARG RUST_VERSION=//p' "$root/Dockerfile"; }

container_log() { echo "[${0##*/}] $*" >&2; }

# Sets ENGINE to docker or podman.
container_engine_init() {
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    ENGINE=docker
    return
  fi
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  if [ "${#missing[@]}" -gt 0 ]; then
    container_log "installing ${missing[*]} (apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  container_podman_config
  ENGINE=podman
}

# Podman on these machines: RLIMIT_NOFILE cannot be set inside containers,
# and crun refuses the hybrid cgroup layout, so runc is the runtime.
container_podman_config() {
  local conf=/etc/containers/containers.conf
  if [ -f "$conf" ] && grep -q '^default_ulimits = \[\]' "$conf" && grep -q '^runtime = "runc"' "$conf"; then
    return
  fi
  if [ -f "$conf" ] && grep -q '^\[' "$conf"; then
    container_log "$conf exists without default_ulimits = [] and runtime = \"runc\"; add them by hand" 
    return 1
  fi
  mkdir -p /etc/containers
  cat >"$conf" <<'CONF'
# Written by attache's scripts/container-engine.sh: setting RLIMIT_NOFILE is
# not permitted in this kind of machine, and crun refuses hybrid cgroups.
[containers]
default_ulimits = []

[engine]
runtime = "runc"
CONF
  container_log "wrote $conf"
}

container_image_exists() {
  if [ "$ENGINE" = docker ]; then docker image inspect "$1" >/dev/null 2>&1; else podman image exists "$1"; fi
}

# Pulls $1 from its registry; false (quickly) when no registry answers.
container_try_pull() {
  timeout 60 "$ENGINE" pull -q "$1" >/dev/null 2>&1
}

# debian:<release>-slim: pulled, or made by debootstrap.
container_ensure_debian_base() {
  local release image rootfs
  release="$(container_debian_release)"
  image="debian:${release}-slim"
  container_image_exists "$image" && return
  if container_try_pull "$image"; then return; fi
  command -v debootstrap >/dev/null || {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  container_log "no registry: making $image with debootstrap (about 1 min)"
  rootfs="$(mktemp -d)"
  debootstrap --variant=minbase "$release" "$rootfs" http://deb.debian.org/debian >/dev/null
  # As the official slim image: later installs skip docs, man pages and
  # locales, and apt keeps no package cache.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/info/*
CFG
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CFG
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* "$rootfs"/usr/share/info/* \
    "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" -c . | "$ENGINE" import - "$image" >/dev/null
  rm -rf "$rootfs"
  container_log "made $image"
}

# rust:<version>-slim-<release>: pulled, or the Debian base plus this
# machine's toolchain laid out as the official image does (RUSTUP_HOME
# /usr/local/rustup, CARGO_HOME /usr/local/cargo, gcc and libc6-dev).
container_ensure_rust_base() {
  local release version image toolchain ctx
  release="$(container_debian_release)"
  version="$(container_rust_version)"
  image="rust:${version}-slim-${release}"
  container_image_exists "$image" && return
  if container_try_pull "$image"; then return; fi
  container_ensure_debian_base
  toolchain="$(rustc +"$version" --print sysroot 2>/dev/null || rustc --print sysroot)"
  case "$("$toolchain/bin/rustc" --version)" in
    "rustc $version"*) ;;
    *) container_log "this machine has no Rust $version toolchain (found $("$toolchain/bin/rustc" --version))"; return 1 ;;
  esac
  container_log "no registry: making $image from debian:${release}-slim and $toolchain"
  ctx="$(mktemp -d)"
  mkdir -p "$ctx/toolchain"
  # Compiler, cargo and the std library; no docs or sources.
  cp -a "$toolchain/bin" "$toolchain/lib" "$ctx/toolchain/"
  rm -rf "$ctx/toolchain/lib/rustlib/src" "$ctx/toolchain/lib/rustlib/"*/analysis
  # This machine's extra CAs (an egress TLS proxy here), so cargo in the
  # builder stage reaches crates.io the way cargo on the host does.
  mkdir -p "$ctx/ca"
  cp /usr/local/share/ca-certificates/*.crt "$ctx/ca/" 2>/dev/null || true
  cat >"$ctx/Containerfile" <<CF
FROM debian:${release}-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
COPY ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null
COPY toolchain /usr/local/rust
ENV CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:/usr/local/rust/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /usr/local/cargo/bin && rustc --version && cargo --version
CF
  "$ENGINE" build --network host -q -t "$image" "$ctx" >/dev/null
  rm -rf "$ctx"
  container_log "made $image"
}

# `build` with the flags this engine needs (podman: host network for apt).
container_build() {
  if [ "$ENGINE" = podman ]; then podman build --network host "$@"; else docker build "$@"; fi
}

container_image_size_bytes() {
  "$ENGINE" image inspect --format '{{.Size}}' "$1"
}
