#!/usr/bin/env bash
# A real Prometheus (Debian's `prometheus` package, installed when missing)
# scraping a running worker against the test broker, with the shipped alert
# rules loaded. Fails unless:
#   1. every panel query of deploy/grafana/attache.json, and its two variable
#      queries, return a non-empty result with a finite value through
#      Prometheus' HTTP API during a mixed end-to-end run (good pages, a few
#      404s and poison messages);
#   2. these alerts go from inactive to firing, read from /api/v1/rules, in
#      provoked faults:
#        AttacheHighDlqRatio         a flood of poison messages;
#        AttacheFetchErrorRatioHigh  a flood of URLs whose server answers 500;
#        AttacheConsumerLagGrowing   URLs arriving faster than a slow site
#                                    (every page takes 2 s) lets them finish;
#        AttacheTargetDown           the worker stopped (SIGTERM).
#
#   scripts/prometheus-test.sh        # KAFKA_PORT as for the tests
#
# Honest shortcuts, all in the test's own Prometheus config, none in the
# shipped files: scrape and rule evaluation every 1 s; the rules are
# deploy/prometheus/alerts.yaml's, expressions unchanged, but every `for:`
# is cut to $ALERT_FOR (default 10s) so the test does not wait 5-15 minutes;
# Grafana's $__rate_interval is replaced by $RATE_INTERVAL (default 30s),
# and $job / $instance by the values the dashboard's variable queries return.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

kafka_port="${KAFKA_PORT:-9092}"
# Ports in $KAFKA_PORT's own slot of ten, which the broker uses only +0 and
# +1 of (failure tests take the slots above, tests/support/kafka.rs).
prom_port="${PROMETHEUS_PORT:-$((kafka_port - 2))}"
metrics_port="${PROM_TEST_METRICS_PORT:-$((kafka_port + 6))}"
http_port="${PROM_TEST_HTTP_PORT:-$((kafka_port + 7))}"
alert_for="${ALERT_FOR:-10s}"
rate_interval="${RATE_INTERVAL:-30s}"
prom="http://127.0.0.1:$prom_port"
run_id="prom-$(date +%s)-$$"
seed="../shared/fixtures/seed-page.html"
[ -f "$seed" ] || { echo "prometheus-test: $seed is missing beside the repo" >&2; exit 1; }

fail() { echo "prometheus-test: FAIL: $*" >&2; exit 1; }
ok() { echo "prometheus-test: ok: $*"; }
started=$(date +%s)

if ! command -v prometheus >/dev/null; then
  echo "prometheus-test: installing prometheus (apt)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --quiet --locked --bin attache
bin="${CARGO_TARGET_DIR:-$root/target}/debug/attache"

# --- broker, pages, worker -----------------------------------------------------
scripts/kafka-dev.sh start >/dev/null
# One event topic per rule file, as the worker routes them.
event_topics=()
for rules in config/events/*.toml; do
  name="${rules##*/}"
  event_topics+=("$run_id.events.${name%.toml}")
done
scripts/kafka-dev.sh topics "$run_id.urls" "$run_id.articles" "$run_id.urls.dlq" "${event_topics[@]}"

# /page/* is the seed page, /slow/* the seed page after 2 s, /fail/* answers
# 500, anything else 404.
python3 - "$http_port" "$seed" >"$work/http.log" 2>&1 <<'PY' &
import sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
port, page = int(sys.argv[1]), open(sys.argv[2], "rb").read()
class Pages(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/page/"):
            status, body = 200, page
        elif self.path.startswith("/slow/"):
            time.sleep(2)
            status, body = 200, page
        elif self.path.startswith("/fail/"):
            status, body = 500, b"internal error\n"
        else:
            status, body = 404, b"not found\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("127.0.0.1", port), Pages).serve_forever()
PY
pids+=($!)

export ATTACHE_KAFKA__BROKERS="127.0.0.1:$kafka_port"
export ATTACHE_KAFKA__GROUP_ID="$run_id"
export ATTACHE_TOPICS__INPUT="$run_id.urls"
export ATTACHE_TOPICS__ARTICLES="$run_id.articles"
export ATTACHE_TOPICS__DLQ="$run_id.urls.dlq"
export ATTACHE_TOPICS__EVENTS_DEFAULT="$run_id.events.{type}"
export ATTACHE_FETCH__ALLOW_PRIVATE_NETWORKS=true
export ATTACHE_FETCH__PER_HOST_MIN_DELAY_MS=0
export ATTACHE_FETCH__PER_HOST_CONCURRENCY=8
export ATTACHE_METRICS__LISTEN="127.0.0.1:$metrics_port"
export ATTACHE_LOG__LEVEL=warn
"$bin" run >"$work/worker.log" 2>&1 &
worker_pid=$!
pids+=("$worker_pid")

# --- Prometheus ----------------------------------------------------------------
# The PrometheusRule's spec is a plain rule file once de-indented (as in
# deploy/prometheus/check.sh); only `for:` is shortened.
sed -n '/^spec:/,$p' deploy/prometheus/alerts.yaml | sed '1d; s/^  //' \
  | sed -E "s/^( *for:) .*/\1 $alert_for/" >"$work/rules.yaml"
[ "$(grep -c "^ *for: $alert_for\$" "$work/rules.yaml")" = "$(grep -c '^ *- alert:' "$work/rules.yaml")" ] \
  || fail "not every alert's for: was shortened"
cat >"$work/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $work/rules.yaml
scrape_configs:
  # Named as the ServiceMonitor's job, which the alerts select (job=~"attache.*").
  - job_name: attache
    static_configs:
      - targets: ["127.0.0.1:$metrics_port"]
EOF
promtool check config "$work/prometheus.yml" >/dev/null || fail "prometheus config"
# Debian's package may have started its own service on 9090.
if (exec 3<>"/dev/tcp/127.0.0.1/$prom_port") 2>/dev/null; then
  fail "port $prom_port is taken (set PROMETHEUS_PORT)"
fi
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do curl -sf "$prom/-/ready" >/dev/null && break; sleep 0.5; done
curl -sf "$prom/-/ready" >/dev/null || fail "prometheus not ready: $(tail -5 "$work/prometheus.log")"
ok "prometheus $(prometheus --version 2>&1 | awk 'NR==1 {print $3}') on $prom, worker metrics on :$metrics_port"

for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$metrics_port/readyz")" = 200 ] && break
  kill -0 "$worker_pid" 2>/dev/null || fail "worker exited: $(tail -20 "$work/worker.log")"
  sleep 0.5
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$metrics_port/readyz")" = 200 ] || fail "worker not ready"

# --- traffic -------------------------------------------------------------------
# A producer loop: every 0.5 s one batch whose mix is read from $work/mix
# ("GOOD NOT_FOUND POISON FAIL SLOW" counts), so the phases below only
# rewrite it.
echo "18 1 1 0 0" >"$work/mix"
poison=('not a url' 'ftp://example.com/file.html' '{"url": 42}' '{"link": "https://example.com/"}' 'https://user:secret@example.com/')
(
  n=0
  while :; do
    read -r good missing bad failing slow <"$work/mix"
    {
      for _ in $(seq 1 "$good"); do n=$((n + 1)); echo "http://127.0.0.1:$http_port/page/$n"; done
      for _ in $(seq 1 "$missing"); do n=$((n + 1)); echo "http://127.0.0.1:$http_port/missing/$n"; done
      for i in $(seq 1 "$bad"); do echo "${poison[$((i % ${#poison[@]}))]}"; done
      for _ in $(seq 1 "$failing"); do n=$((n + 1)); echo "http://127.0.0.1:$http_port/fail/$n"; done
      for _ in $(seq 1 "$slow"); do n=$((n + 1)); echo "http://127.0.0.1:$http_port/slow/$n"; done
    } | "$bin" produce >/dev/null 2>>"$work/produce.log" || echo "produce failed" >>"$work/produce.log"
    sleep 0.5
  done
) &
pids+=($!)

api() { curl -sf --get "$prom/api/v1/$1" "${@:2}"; }

alert_state() { # alert name -> inactive | pending | firing
  api rules --data-urlencode type=alert | python3 -c '
import json, sys
name = sys.argv[1]
for group in json.load(sys.stdin)["data"]["groups"]:
    for rule in group["rules"]:
        if rule["name"] == name:
            print(rule["state"]); sys.exit(0)
print("missing")' "$1"
}

expect_inactive() {
  local state
  state="$(alert_state "$1")"
  [ "$state" = inactive ] || fail "$1 is $state before its fault"
}

# Waits (up to $2 seconds, default 120) until the alert fires.
wait_firing() {
  local name="$1" limit="${2:-120}" t0 state seen_pending=""
  t0=$(date +%s)
  for _ in $(seq 1 $(( limit * 2 ))); do
    state="$(alert_state "$name")"
    [ "$state" = pending ] && seen_pending=1
    if [ "$state" = firing ]; then
      ok "$name: inactive -> ${seen_pending:+pending -> }firing in $(( $(date +%s) - t0 )) s"
      return
    fi
    sleep 0.5
  done
  fail "$name did not fire within $limit s (state $state)"
}

# --- 1. every panel query returns data -----------------------------------------
# Let the first batches through and fill a couple of rate windows.
sleep "${WARMUP_SECS:-40}"
python3 - "$prom" "$rate_interval" deploy/grafana/attache.json <<'PY' || fail "dashboard queries"
import json, math, sys, urllib.parse, urllib.request
prom, rate_interval, path = sys.argv[1:]
dashboard = json.load(open(path))

def get(endpoint, **params):
    url = f"{prom}/api/v1/{endpoint}?{urllib.parse.urlencode(params)}"
    answer = json.load(urllib.request.urlopen(url, timeout=10))
    assert answer["status"] == "success", answer
    return answer["data"]

# Template variables as Grafana resolves them: label_values(selector, label)
# is the label-values API with a match[] selector; "All" of a multi-value
# variable is the values joined by |.
variables = {}
for variable in dashboard["templating"]["list"]:
    if variable["type"] != "query":
        continue
    query = variable["query"]["query"]
    inner = query[len("label_values("):-1]
    selector, label = (part.strip() for part in inner.rsplit(",", 1))
    for name, value in variables.items():
        selector = selector.replace(f"${name}", value)
    values = get(f"label/{label}/values", **{"match[]": selector})
    assert values, f"variable {variable['name']}: {query} has no values"
    variables[variable["name"]] = "|".join(values)
    print(f"  variable ${variable['name']} = {variables[variable['name']]}")

def panels(items):
    for panel in items:
        yield panel
        yield from panels(panel.get("panels", []))

failures, checked = [], 0
for panel in panels(dashboard["panels"]):
    for target in panel.get("targets", []):
        expr = target["expr"].replace("$__rate_interval", rate_interval)
        for name, value in variables.items():
            expr = expr.replace(f"${name}", value)
        result = get("query", query=expr)["result"]
        finite = [s for s in result if math.isfinite(float(s["value"][1]))]
        checked += 1
        line = f"{panel['title']} [{target.get('refId', '?')}]: {len(result)} series, {len(finite)} finite"
        print("  " + line)
        if not finite:
            failures.append(f"{line}: {expr}")
assert not failures, "panels without data:\n" + "\n".join(failures)
print(f"  {checked} panel queries, all with data")
PY
ok "every dashboard panel query returns data"
grep -v '^$' "$work/produce.log" | tail -3 >&2 || true

# --- 2. provoked faults drive alerts to firing ---------------------------------
expect_inactive AttacheHighDlqRatio
expect_inactive AttacheFetchErrorRatioHigh
expect_inactive AttacheTargetDown

# Poison flood: every message of a batch is poison.
echo "0 0 40 0 0" >"$work/mix"
wait_firing AttacheHighDlqRatio

# Fetch errors: the server answers 500 (not retried) for every URL.
echo "0 0 0 40 0" >"$work/mix"
wait_firing AttacheFetchErrorRatioHigh

# Lag: 40 URLs/s for a host served 2 s a page, fetch.per_host_concurrency 8
# at a time; uncommitted offsets pile up. The rule's trend is a [5m:1m]
# subquery, so it needs two whole-minute points: up to ~3 minutes.
expect_inactive AttacheConsumerLagGrowing
echo "0 0 0 0 20" >"$work/mix"
wait_firing AttacheConsumerLagGrowing 240

# The worker stops: Prometheus' scrape fails, up == 0.
echo "0 0 0 0 0" >"$work/mix"
kill -TERM "$worker_pid"
status=0
wait "$worker_pid" || status=$?
[ "$status" = 0 ] || fail "worker exited with status $status on SIGTERM"
wait_firing AttacheTargetDown

echo "prometheus-test: all checks passed in $(( $(date +%s) - started )) s"
