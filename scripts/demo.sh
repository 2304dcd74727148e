#!/usr/bin/env bash
# The main job on a fresh machine: starts a local broker and the worker,
# serves the example pages on 127.0.0.1, produces their URLs onto the input
# topic and prints the events the worker publishes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

scripts/kafka-dev.sh start
cargo build --quiet --bin attache
bin="${CARGO_TARGET_DIR:-$root/target}/debug/attache"

run_id="demo-$(date +%s)"
pages="$(mktemp -d)"
cp ../shared/fixtures/seed-page.html "$pages/"
cp tests/fixtures/events/*.html "$pages/" 2>/dev/null || true
port="${DEMO_PORT:-8089}"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$pages" >/dev/null 2>&1 &
http_pid=$!

# Fresh topics per run, so the output shows this run only. The SSRF guard is
# off because the example pages are served from 127.0.0.1.
export ATTACHE_KAFKA__GROUP_ID="$run_id"
export ATTACHE_TOPICS__INPUT="$run_id.urls"
export ATTACHE_TOPICS__ARTICLES="$run_id.articles"
export ATTACHE_TOPICS__DLQ="$run_id.urls.dlq"
export ATTACHE_TOPICS__EVENTS_DEFAULT="$run_id.events.{type}"
export ATTACHE_FETCH__ALLOW_PRIVATE_NETWORKS=true
export ATTACHE_FETCH__PER_HOST_MIN_DELAY_MS=0
export ATTACHE_FETCH__PER_HOST_CONCURRENCY=8
export ATTACHE_METRICS__LISTEN=127.0.0.1:9898
export ATTACHE_LOG__LEVEL=warn

"$bin" run &
worker_pid=$!
cleanup() { kill -TERM "$worker_pid" 2>/dev/null || true; wait "$worker_pid" 2>/dev/null || true; kill "$http_pid" 2>/dev/null || true; rm -rf "$pages"; }
trap cleanup EXIT

ls "$pages" | sed "s#^#http://127.0.0.1:$port/#" | "$bin" produce >&2
echo "waiting for events (metrics on http://127.0.0.1:9898/metrics) ..." >&2
"$bin" tail --idle-secs 15 | tee "/tmp/$run_id.events.ndjson"
echo "events and dead letters of this run: /tmp/$run_id.events.ndjson" >&2
