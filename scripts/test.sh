#!/usr/bin/env bash
# The test command (README, .ci/run): fetches and starts Apache Kafka 4.4
# (scripts/kafka-dev.sh; java 17+ and mvn needed), then runs fmt, clippy and
# every test. Failure tests start their own brokers and three-node clusters
# through the same script, on ports above $KAFKA_PORT.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ ! -d ../shared/fixtures ] || [ ! -d ../shared/bench/article-extraction ]; then
  echo "scripts/test.sh: ../shared (seed page and benchmark data) is missing beside the repo" >&2
  exit 1
fi

started_at=$(date +%s)
scripts/kafka-dev.sh start
# On exit, also stop what a failed test may have left running: the brokers
# and clusters failure tests start under this checkout's .tools/.
stop_brokers() {
  local dir
  for dir in .tools/kafka-cluster-*/; do
    [ -d "$dir" ] || continue
    dir="${dir%/}"
    KAFKA_CLUSTER_PORT="${dir##*-}" scripts/kafka-dev.sh destroy-cluster >/dev/null 2>&1 || true
  done
  for dir in .tools/kafka-[0-9]*/; do
    [ -d "$dir" ] || continue
    dir="${dir%/}"
    KAFKA_PORT="${dir##*-}" scripts/kafka-dev.sh stop >/dev/null 2>&1 || true
  done
}
trap stop_brokers EXIT
echo "kafka ready after $(( $(date +%s) - started_at )) s"

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
# The panic messages of failed tests, repeated at the very end: a CI summary
# that keeps only the log's tail still says why a test failed.
failure_details=$(awk '/^---- .* stdout ----$/ { show = 1 } /^failures:$/ { show = 0 } show' "$log" | head -n 300)
rm -f "$log"
# Deploy checks (issue 14): manifests against Kubernetes' and the CRDs'
# schemas, the image around the binary built above, the container smoke test,
# a real Prometheus with the alert rules. Counted as one more test.
if scripts/deploy-test.sh; then
  passed=$(( ${passed:-0} + 1 ))
else
  failed=$(( ${failed:-0} + 1 )); status=1
fi
echo
if [ -n "$failure_details" ]; then
  echo "why the failed tests failed:"
  echo "$failure_details"
  echo
fi
echo "scripts/test.sh took $(( $(date +%s) - started_at )) s"
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
