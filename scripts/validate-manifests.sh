#!/usr/bin/env bash
# Validates the Kubernetes manifests offline against Kubernetes' own schemas.
#
#   scripts/validate-manifests.sh
#   K8S_VERSIONS="1.30.0 1.37.0" scripts/validate-manifests.sh
#
#   1. kustomize build of deploy/k8s: `kubectl kustomize` (kustomize built into
#      kubectl), else `kustomize build`, else kustomize installed with
#      `go install sigs.k8s.io/kustomize/kustomize/v5` into .tools/;
#   2. the built-in kinds against the Kubernetes OpenAPI schemas shipped by
#      PyPI kubernetes-validate, strict (unknown fields rejected), for every
#      version in $K8S_VERSIONS;
#   3. the ScaledObject, ServiceMonitor and PrometheusRule against the
#      OpenAPI v3 schemas of their CRDs, stored with their licences under
#      deploy/schemas/ (KEDA v2.20.2, prometheus-operator v0.93.0), strict,
#      after a self-test that broken copies of each object are rejected.
# Tools are installed once into .tools/ (git-ignored).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

tools="$root/.tools"
venv="$tools/validate-venv"
# 1.27: the oldest with PodDisruptionBudget.spec.unhealthyPodEvictionPolicy;
# 1.37: the newest kubernetes-validate 1.37.0 ships.
versions="${K8S_VERSIONS:-1.27.0 1.30.0 1.33.0 1.37.0}"
kustomize_version=v5.5.0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
started=$(date +%s)

if [ ! -x "$venv/bin/kubernetes-validate" ] || ! "$venv/bin/python" -c 'import jsonschema, yaml' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    kubernetes-validate==1.37.0 jsonschema==4.26.0 PyYAML==6.0.4
fi

echo "== kustomize build deploy/k8s"
if command -v kubectl >/dev/null && kubectl kustomize deploy/k8s >"$work/k8s.yaml" 2>"$work/kustomize.err"; then
  echo "kubectl kustomize ($(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: //p'))"
else
  if ! command -v kustomize >/dev/null && [ ! -x "$tools/go/bin/kustomize" ]; then
    command -v go >/dev/null || { echo "validate-manifests: need kubectl, kustomize or go to build deploy/k8s" >&2; exit 2; }
    GOBIN="$tools/go/bin" go install "sigs.k8s.io/kustomize/kustomize/v5@$kustomize_version"
  fi
  kustomize_bin="$(command -v kustomize || echo "$tools/go/bin/kustomize")"
  "$kustomize_bin" build deploy/k8s >"$work/k8s.yaml"
  echo "$kustomize_bin ($("$kustomize_bin" version))"
fi
grep '^kind:' "$work/k8s.yaml" | sort | uniq -c | sed 's/^ */  /'

echo "== built-in kinds: Kubernetes schemas (kubernetes-validate, strict)"
# kubernetes-validate only warns on kinds it has no schema for (the CRD
# kinds, checked below); a failure against a known schema exits non-zero.
for version in $versions; do
  "$venv/bin/kubernetes-validate" --strict --quiet --no-warn -k "$version" "$work/k8s.yaml" \
    || { echo "FAIL: Kubernetes $version" >&2; exit 1; }
  echo "ok   Kubernetes $version"
done

echo "== custom resources: CRD schemas (deploy/schemas)"
crds=(deploy/schemas/keda/keda.sh_scaledobjects.yaml
  deploy/schemas/prometheus-operator/monitoring.coreos.com_servicemonitors.yaml
  deploy/schemas/prometheus-operator/monitoring.coreos.com_prometheusrules.yaml)
"$venv/bin/python" deploy/schemas/validate_crd_objects.py --self-test "$work/k8s.yaml" "${crds[@]}"
"$venv/bin/python" deploy/schemas/validate_crd_objects.py "$work/k8s.yaml" "${crds[@]}" \
  --expect ScaledObject ServiceMonitor PrometheusRule
echo "validate-manifests: all manifests valid ($(( $(date +%s) - started )) s)"
