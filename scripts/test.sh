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
# The broker-restart test needs Tansu with SQLite storage; built once, then
# cached in ~/.cargo/bin.
scripts/kafka-dev.sh install-persistent
trap 'scripts/kafka-dev.sh stop >/dev/null 2>&1 || true' EXIT

cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
# Integration tests share one broker; each uses its own topics and groups.
# Examples and benches are compiled by clippy above; they hold no tests.
log="$(mktemp)"
set +e
cargo test --lib --bins --tests --no-fail-fast -- --test-threads="${TEST_THREADS:-4}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^passed/) n += $i } END { print n + 0 }' "$log")
failed=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^failed/) n += $i } END { print n + 0 }' "$log")
rm -f "$log"
echo
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
