#!/usr/bin/env bash
# Checks the PromQL of the alert rules and of the Grafana dashboard with
# promtool (Debian/Ubuntu: apt-get install prometheus), and runs the alert
# unit tests in alerts.test.yaml.
#
#   deploy/prometheus/check.sh
#
# Needs promtool and python3. The PrometheusRule's `spec` is a plain rule
# file once de-indented; dashboard queries become recording rules with the
# Grafana variables replaced by plain values.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
command -v promtool >/dev/null || { echo "promtool not found (apt-get install prometheus)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. Alert rules: the PrometheusRule spec as a plain rule file.
sed -n '/^spec:/,$p' "$here/alerts.yaml" | sed '1d; s/^  //' >"$work/attache.rules.yaml"
promtool check rules "$work/attache.rules.yaml"

# 2. Alert unit tests (they name attache.rules.yaml relative to themselves).
cp "$here/alerts.test.yaml" "$work/"
promtool test rules "$work/alerts.test.yaml"

# 3. Dashboard queries, as recording rules.
python3 - "$root/deploy/grafana/attache.json" >"$work/dashboard.rules.yaml" <<'PY'
import json, sys
dashboard = json.load(open(sys.argv[1]))
def panels(items):
    for panel in items:
        yield panel
        yield from panels(panel.get("panels", []))
print("groups:\n  - name: dashboard\n    rules:")
n = 0
for panel in panels(dashboard["panels"]):
    for target in panel.get("targets", []):
        expr = (target["expr"].replace("$__rate_interval", "5m")
                .replace('"$job"', '".*"').replace('"$instance"', '".*"'))
        n += 1
        print(f"      - record: dashboard:panel_{n}\n        expr: {json.dumps(expr)}")
for variable in dashboard["templating"]["list"]:
    if variable["type"] == "query":
        query = variable["query"]["query"]
        # label_values(metric, label) is Grafana syntax; check its selector.
        selector = query[len("label_values("):].rsplit(",", 1)[0].replace('"$job"', '".*"')
        n += 1
        print(f"      - record: dashboard:variable_{n}\n        expr: {json.dumps(selector)}")
PY
promtool check rules "$work/dashboard.rules.yaml"
echo "alert rules, alert unit tests and dashboard queries: OK"
