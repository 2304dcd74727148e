#!/usr/bin/env bash
# The test command (README, .ci/run): installs and starts what the tests need
# (a local Tansu broker), then runs every test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ ! -d ../shared/fixtures ] || [ ! -d ../shared/bench/article-extraction ]; then
  echo "scripts/test.sh: ../shared (seed page and benchmark data) is missing beside the repo" >&2
  exit 1
fi

scripts/kafka-dev.sh start
trap 'scripts/kafka-dev.sh stop >/dev/null 2>&1 || true' EXIT

cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
# Integration tests share one broker; each uses its own topics and groups.
cargo test --all-targets --no-fail-fast -- --test-threads="${TEST_THREADS:-4}"
