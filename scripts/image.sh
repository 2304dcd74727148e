#!/usr/bin/env bash
# Builds the container image attache:dev from the repository's Dockerfile,
# with docker where an engine runs, else podman (installed from Debian's
# packages when missing; see scripts/container-engine.sh).
#
#   scripts/image.sh                  # runtime stage around a binary built here
#                                     # (cargo build --bin attache; CI's own binary)
#   scripts/image.sh --binary PATH    # ... around that binary (e.g. target/release/attache)
#   scripts/image.sh --full           # the whole multi-stage build, as `docker build .`
#   IMAGE=attache:x scripts/image.sh  # another tag
#
# The default swaps the Dockerfile's `binary` stage for a directory holding
# the binary (--build-context binary=DIR), so the Rust stages are skipped;
# everything after it (base, packages, user, config, entrypoint) is the
# Dockerfile's own. --full builds the Rust stages too, in release mode.
# Prints the image size and the build time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/container-engine.sh
. scripts/container-engine.sh

image="${IMAGE:-attache:dev}"
mode=prebuilt
binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --full) mode=full ;;
    --binary) binary="$2"; shift ;;
    *) echo "usage: scripts/image.sh [--full | --binary PATH]" >&2; exit 2 ;;
  esac
  shift
done

container_engine_init
container_ensure_debian_base

started=$(date +%s)
if [ "$mode" = full ]; then
  container_ensure_rust_base
  started=$(date +%s)
  container_build -t "$image" -f Dockerfile .
else
  if [ -z "$binary" ]; then
    cargo build --quiet --locked --bin attache
    binary="${CARGO_TARGET_DIR:-$root/target}/debug/attache"
  fi
  [ -x "$binary" ] || { echo "scripts/image.sh: no binary at $binary" >&2; exit 1; }
  started=$(date +%s)
  stage="$(mktemp -d)"
  trap 'rm -rf "$stage"' EXIT
  # As the builder stage does: drop DWARF, keep symbols for backtraces.
  cp "$binary" "$stage/attache"
  strip --strip-debug "$stage/attache"
  container_build -t "$image" -f Dockerfile --build-context binary="$stage" .
fi
seconds=$(( $(date +%s) - started ))
bytes="$(container_image_size_bytes "$image")"
echo "image $image ($ENGINE, $mode): $(( bytes / 1000000 )) MB, built in ${seconds} s"
