#!/usr/bin/env bash
# The deploy checks for CI, in one command, each step timed:
#   scripts/validate-manifests.sh   manifests against Kubernetes and CRD schemas
#   scripts/image.sh                attache:dev around the binary CI built
#   scripts/container-test.sh       the image run locked down against the broker
#   scripts/prometheus-test.sh      a real Prometheus, dashboard queries, alerts
# Uses the broker of scripts/kafka-dev.sh on $KAFKA_PORT (started if needed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

timings=()
step() {
  local t0
  t0=$(date +%s)
  echo "== $*"
  "$@"
  timings+=("$(( $(date +%s) - t0 )) s  $*")
}
step scripts/validate-manifests.sh
step scripts/image.sh
step env NO_BUILD=1 scripts/container-test.sh
step scripts/prometheus-test.sh
echo "deploy-test: all passed"
printf '  %s\n' "${timings[@]}"
