#!/usr/bin/env bash
# The main job on a fresh machine: starts Apache Kafka (scripts/kafka-dev.sh),
# builds attache, serves the example pages on 127.0.0.1, produces their URLs
# onto the input topic, waits until every URL is accounted for (an article,
# an event or a dead letter) and prints the events.
#
#   scripts/demo.sh    # DEMO_TIMEOUT=300 (seconds, after the build); KAFKA_PORT (9092),
#                      # DEMO_PORT (8089, pages), DEMO_METRICS_PORT (9898)
#
# Exits non-zero when no event came out, or when some URL had no outcome
# within the timeout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

timeout_secs="${DEMO_TIMEOUT:-300}"
seed_page="../shared/fixtures/seed-page.html"
if [ ! -f "$seed_page" ]; then
  echo "demo: the seed page $seed_page (beside the repo) is missing" >&2
  exit 1
fi
command -v python3 >/dev/null || { echo "demo: python3 is needed to serve the example pages" >&2; exit 1; }

echo "== starting Apache Kafka on 127.0.0.1:${KAFKA_PORT:-9092} (the first run fetches it with Maven)" >&2
scripts/kafka-dev.sh start >&2
if [ -n "${DEMO_BIN:-}" ]; then
  bin="$DEMO_BIN"  # already built (the test that runs this script)
else
  echo "== building attache (the first build takes several minutes)" >&2
  cargo build --bin attache
  bin="${CARGO_TARGET_DIR:-$root/target}/debug/attache"
fi

run_id="demo-$(date +%s)"
work="$(mktemp -d)"
pages="$work/pages"
mkdir -p "$pages"
cp "$seed_page" "$pages/"
cp tests/fixtures/events/*.html "$pages/" 2>/dev/null || true
port="${DEMO_PORT:-8089}"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$pages" >/dev/null 2>&1 &
http_pid=$!

# Fresh topics per run, so the output shows this run only. The SSRF guard is
# off because the example pages are served from 127.0.0.1.
export ATTACHE_KAFKA__BROKERS="127.0.0.1:${KAFKA_PORT:-9092}"
export ATTACHE_KAFKA__GROUP_ID="$run_id"
export ATTACHE_TOPICS__INPUT="$run_id.urls"
export ATTACHE_TOPICS__ARTICLES="$run_id.articles"
export ATTACHE_TOPICS__DLQ="$run_id.urls.dlq"
export ATTACHE_TOPICS__EVENTS_DEFAULT="$run_id.events.{type}"
export ATTACHE_FETCH__ALLOW_PRIVATE_NETWORKS=true
export ATTACHE_FETCH__PER_HOST_MIN_DELAY_MS=0
export ATTACHE_FETCH__PER_HOST_CONCURRENCY=8
export ATTACHE_METRICS__LISTEN="127.0.0.1:${DEMO_METRICS_PORT:-9898}"
export ATTACHE_LOG__LEVEL=warn

# The broker creates no topics on its own (as most production clusters):
# create the input, the outputs and one topic per event type of the rules.
event_types=$(sed -n 's/^type *= *"\([a-z_]*\)".*/\1/p' config/events/*.toml | sort -u)
event_topics=()
for type in $event_types; do event_topics+=("$run_id.events.$type"); done
scripts/kafka-dev.sh topics "$ATTACHE_TOPICS__INPUT" "$ATTACHE_TOPICS__ARTICLES" "$ATTACHE_TOPICS__DLQ" "${event_topics[@]}" >&2

worker_pid=""
tail_pid=""
cleanup() {
  [ -n "$tail_pid" ] && kill "$tail_pid" 2>/dev/null
  [ -n "$worker_pid" ] && { kill -TERM "$worker_pid" 2>/dev/null; wait "$worker_pid" 2>/dev/null; }
  kill "$http_pid" 2>/dev/null
  rm -rf "$pages"
  true
}
trap cleanup EXIT

"$bin" run &
worker_pid=$!

urls="$work/urls.txt"
(cd "$pages" && ls) | sed "s#^#http://127.0.0.1:$port/#" >"$urls"
if ! "$bin" produce <"$urls" >&2; then
  echo "demo: the broker on $ATTACHE_KAFKA__BROKERS did not take the URLs (see above)" >&2
  exit 1
fi

# Everything this run publishes, read back as NDJSON while the worker runs.
out="$work/outputs.ndjson"
tail_args=(--topic "$ATTACHE_TOPICS__ARTICLES" --topic "$ATTACHE_TOPICS__DLQ")
for topic in "${event_topics[@]}"; do tail_args+=(--topic "$topic"); done
"$bin" tail "${tail_args[@]}" --idle-secs "$timeout_secs" >"$out" &
tail_pid=$!

# Counts the produced URLs that have an outcome: an article or event (its
# source_url header) or a dead letter (its payload is the input).
accounted() {
  python3 - "$urls" "$out" "$ATTACHE_TOPICS__DLQ" <<'EOF'
import json, sys
urls = {line.strip() for line in open(sys.argv[1]) if line.strip()}
done = set()
for line in open(sys.argv[2]):
    try:
        record = json.loads(line)
    except ValueError:
        continue  # a line still being written
    if record["topic"] == sys.argv[3]:
        done.add(record["value"] if isinstance(record["value"], str) else "")
    else:
        done.add(record["headers"].get("source_url", ""))
print(len(urls & done))
EOF
}

total=$(wc -l <"$urls")
echo "== $total URLs produced; waiting for each to have an article, an event or a dead letter (up to ${timeout_secs} s; metrics on http://$ATTACHE_METRICS__LISTEN/metrics)" >&2
deadline=$(( $(date +%s) + timeout_secs ))
done_count=0
while :; do
  done_count=$(accounted)
  [ "$done_count" -ge "$total" ] && break
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "demo: only $done_count of $total URLs had an outcome within ${timeout_secs} s (set DEMO_TIMEOUT to wait longer)" >&2
    break
  fi
  if ! kill -0 "$worker_pid" 2>/dev/null; then
    echo "demo: the worker exited early (see its log above)" >&2
    break
  fi
  sleep 1
done
# Let late records of the last URL arrive.
sleep 2

saved="/tmp/$run_id.outputs.ndjson"
cp "$out" "$saved"
# The events as NDJSON on stdout, a one-line summary of each on stderr.
set +e
python3 - "$saved" "$ATTACHE_TOPICS__DLQ" "$ATTACHE_TOPICS__ARTICLES" <<'EOF'
import json, sys
events, articles, dead = [], 0, []
for line in open(sys.argv[1]):
    record = json.loads(line)
    if record["topic"] == sys.argv[2]:
        dead.append(record)
    elif record["topic"] == sys.argv[3]:
        articles += 1
    else:
        events.append(record["value"])
for event in events:
    print(json.dumps(event))
sys.stdout.flush()
print(f"== {len(events)} events, {articles} articles, {len(dead)} dead letters", file=sys.stderr)
for event in events:
    actors = ", ".join(sorted({a.get("country") or a.get("name") or "?" for a in event.get("actors") or []}))
    location = (event.get("location") or {}).get("name") or "-"
    dates = event.get("start_date") or "-"
    if event.get("end_date") and event.get("end_date") != dates:
        dates += " to " + event["end_date"]
    source = (event.get("article") or {}).get("source_url", "")
    print(f"  {event.get('type')} ({event.get('status')}): {actors or '-'} in {location}, {dates}  <- {source}", file=sys.stderr)
for record in dead:
    headers = record.get("headers", {})
    print(f"  dead letter: {record['value']} ({headers.get('error.kind', '?')})", file=sys.stderr)
sys.exit(0 if events else 3)
EOF
status=$?
set -e
echo "== every record of this run: $saved" >&2
echo "== the broker keeps running for the next run; stop it with: scripts/kafka-dev.sh stop" >&2
if [ "$status" -ne 0 ]; then
  echo "demo: no events came out" >&2
  exit 1
fi
[ "$done_count" -ge "$total" ] || exit 1
