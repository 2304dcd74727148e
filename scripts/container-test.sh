#!/usr/bin/env bash
# Container smoke test: the image attache:dev, run as Kubernetes runs it,
# against the test broker (scripts/kafka-dev.sh on $KAFKA_PORT).
#
#   scripts/container-test.sh          # builds the image first (scripts/image.sh)
#   NO_BUILD=1 scripts/container-test.sh
#
# Checks, each a failure when it does not hold:
#   1. the image's own config: numeric non-root USER, exec-form ENTRYPOINT
#      and CMD with no shell, the entrypoint binary present in the image;
#   2. the container runs with a read-only root (only /tmp is a tmpfs, as the
#      Deployment's emptyDir), as uid 10001, with every capability dropped and
#      no-new-privileges, on the host network, with deploy/k8s/attache.toml
#      mounted where the ConfigMap goes; the process really runs as uid
#      10001 with no effective capability;
#   3. /readyz answers 200;
#   4. the seed page, served on 127.0.0.1 and produced as a URL by the image's
#      own `attache produce`, comes out as exactly its two events
#      (dialogue_held, state_visit_announced) and nothing in the DLQ;
#   5. SIGTERM ends the container with exit status 0 in under half of the
#      Deployment's terminationGracePeriodSeconds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/container-engine.sh
. scripts/container-engine.sh

image="${IMAGE:-attache:dev}"
kafka_port="${KAFKA_PORT:-9092}"
broker="127.0.0.1:$kafka_port"
# Ports in $KAFKA_PORT's own slot of ten, which the broker uses only +0 and
# +1 of (failure tests take the slots above, tests/support/kafka.rs).
http_port="${SMOKE_HTTP_PORT:-$((kafka_port + 9))}"
metrics_port="${SMOKE_METRICS_PORT:-$((kafka_port + 8))}"
run_id="smoke-$(date +%s)-$$"
name="attache-$run_id"
seed="../shared/fixtures/seed-page.html"
[ -f "$seed" ] || { echo "container-test: $seed is missing beside the repo" >&2; exit 1; }

fail() { echo "container-test: FAIL: $*" >&2; exit 1; }
ok() { echo "container-test: ok: $*"; }

started=$(date +%s)
if [ -z "${NO_BUILD:-}" ]; then scripts/image.sh; fi
container_engine_init
container_image_exists "$image" || fail "no image $image (run scripts/image.sh)"

# --- 1. the image's own config -------------------------------------------------
config="$("$ENGINE" image inspect --format '{{json .Config}}' "$image")"
python3 - "$config" <<'PY' || fail "image config"
import json, sys
config = json.loads(sys.argv[1])
user = config.get("User") or ""
uid = user.split(":")[0]
assert uid.isdigit() and int(uid) != 0, f"USER must be a numeric non-root uid, is {user!r}"
entrypoint = config.get("Entrypoint") or []
cmd = config.get("Cmd") or []
assert entrypoint, "no ENTRYPOINT"
shells = {"sh", "bash", "dash", "ash"}
for argv in (entrypoint, cmd):
    assert argv[:1] == [] or argv[0].rsplit("/", 1)[-1] not in shells, f"shell in {argv}"
    assert not any(a in ("-c",) for a in argv[:2]), f"shell-style {argv}"
print(f"image config: USER {user}, ENTRYPOINT {entrypoint}, CMD {cmd}")
PY
# The entrypoint resolves inside the image (exec form: no shell to find it).
version="$("$ENGINE" run --rm --network none "$image" --version)" || fail "entrypoint does not run"
ok "image config non-root, exec-form entrypoint ($version)"

# --- broker, topics and the seed page -----------------------------------------
scripts/kafka-dev.sh start >/dev/null
# One event topic per rule file, as the worker routes them.
event_topics=()
for rules in config/events/*.toml; do
  name="${rules##*/}"
  event_topics+=("$run_id.events.${name%.toml}")
done
scripts/kafka-dev.sh topics "$run_id.urls" "$run_id.articles" "$run_id.urls.dlq" "${event_topics[@]}"
pages="$(mktemp -d)"
cp "$seed" "$pages/seed-page.html"
python3 -m http.server "$http_port" --bind 127.0.0.1 --directory "$pages" >/dev/null 2>&1 &
http_pid=$!
cleanup() {
  "$ENGINE" rm -f "$name" >/dev/null 2>&1 || true
  kill "$http_pid" 2>/dev/null || true
  rm -rf "$pages"
}
trap cleanup EXIT

# Environment as in the Deployment, plus this run's topics and the SSRF guard
# off because the page is served from 127.0.0.1 (as scripts/demo.sh does).
env_args=(
  -e ATTACHE_KAFKA__BROKERS="$broker"
  -e ATTACHE_KAFKA__GROUP_ID="$run_id"
  -e ATTACHE_TOPICS__INPUT="$run_id.urls"
  -e ATTACHE_TOPICS__ARTICLES="$run_id.articles"
  -e ATTACHE_TOPICS__DLQ="$run_id.urls.dlq"
  -e ATTACHE_TOPICS__EVENTS_DEFAULT="$run_id.events.{type}"
  -e ATTACHE_FETCH__ALLOW_PRIVATE_NETWORKS=true
  -e ATTACHE_FETCH__PER_HOST_MIN_DELAY_MS=0
  -e ATTACHE_METRICS__LISTEN="127.0.0.1:$metrics_port"
)
locked_down=(
  --network host --read-only --tmpfs "/tmp:rw,size=16m"
  --user 10001:10001 --cap-drop ALL --security-opt no-new-privileges
)
[ "$ENGINE" = podman ] && locked_down+=(--read-only-tmpfs=false)

# --- 2. run it locked down -----------------------------------------------------
container_started=$(date +%s%N)
"$ENGINE" run -d --name "$name" "${locked_down[@]}" "${env_args[@]}" \
  -v "$root/deploy/k8s/attache.toml:/etc/attache/attache.toml:ro" "$image" >/dev/null
pid="$("$ENGINE" inspect --format '{{.State.Pid}}' "$name")"
[ "$pid" -gt 0 ] || fail "container did not start: $("$ENGINE" logs "$name" 2>&1 | tail -5)"
uid="$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")"
[ "$uid" = 10001 ] || fail "process runs as uid $uid"
cap_eff="$(awk '/^CapEff:/ {print $2}' "/proc/$pid/status")"
[ "$cap_eff" = 0000000000000000 ] || fail "effective capabilities $cap_eff"
no_new_privs="$(awk '/^NoNewPrivs:/ {print $2}' "/proc/$pid/status")"
[ "$no_new_privs" = 1 ] || fail "NoNewPrivs is $no_new_privs"
"$ENGINE" inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$name" | grep -qx true || fail "root not read-only"
ok "container process: uid $uid, CapEff $cap_eff, NoNewPrivs, read-only root"

# --- 3. /readyz ----------------------------------------------------------------
ready=""
for _ in $(seq 1 120); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$metrics_port/readyz")" = 200 ]; then ready=1; break; fi
  "$ENGINE" inspect --format '{{.State.Running}}' "$name" | grep -qx true \
    || fail "container exited: $("$ENGINE" logs "$name" 2>&1 | tail -20)"
  sleep 0.5
done
[ -n "$ready" ] || fail "/readyz did not answer 200 in 60 s: $(curl -s "http://127.0.0.1:$metrics_port/readyz")"
ok "/readyz 200, $(( ($(date +%s%N) - container_started) / 1000000 )) ms after the container started"

# --- 4. the seed URL in, its two events out ------------------------------------
url="http://127.0.0.1:$http_port/seed-page.html"
"$ENGINE" run --rm "${locked_down[@]}" "${env_args[@]}" "$image" produce "$url" >/dev/null \
  || fail "attache produce"
published=0
for _ in $(seq 1 120); do
  published="$(curl -s "http://127.0.0.1:$metrics_port/metrics" \
    | awk '/^attache_events_published_total/ {n += $2} END {print n + 0}')"
  [ "$published" -ge 2 ] && break
  sleep 0.5
done
records="$("$ENGINE" run --rm "${locked_down[@]}" "${env_args[@]}" "$image" tail --idle-secs 5)"
python3 - "$records" "$url" <<'PY' || fail "events of the seed page"
import json, sys
# `attache tail` wraps each record: {"topic", "value", "headers", ...}.
records = [json.loads(line) for line in sys.argv[1].splitlines() if line.strip()]
events = [r["value"] for r in records if isinstance(r.get("value"), dict) and r["value"].get("record") == "event"]
others = [r for r in records if not (isinstance(r.get("value"), dict) and r["value"].get("record") == "event")]
assert not others, f"records other than events (DLQ?): {others}"
types = sorted(e["type"] for e in events)
assert types == ["dialogue_held", "state_visit_announced"], f"event types {types}"
for event in events:
    assert event["article"]["source_url"] == sys.argv[2], event["article"]
print(f"events: {types}, ids {sorted(e['id'] for e in events)}")
PY
ok "seed URL produced, its two events published ($published counted by the worker)"

# --- 5. SIGTERM ------------------------------------------------------------------
grace="$(awk '/terminationGracePeriodSeconds:/ {print $2}' deploy/k8s/deployment.yaml)"
limit=$(( grace / 2 ))
t0=$(date +%s%N)
"$ENGINE" kill --signal TERM "$name" >/dev/null
status="$(timeout "$grace" "$ENGINE" wait "$name")" || fail "still running $grace s after SIGTERM"
elapsed_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$status" = 0 ] || fail "exit status $status after SIGTERM: $("$ENGINE" logs "$name" 2>&1 | tail -10)"
[ "$elapsed_ms" -lt $(( limit * 1000 )) ] || fail "SIGTERM took $elapsed_ms ms (limit $limit s)"
ok "SIGTERM: exit status 0 after $elapsed_ms ms (terminationGracePeriodSeconds $grace)"
echo "container-test: all checks passed in $(( $(date +%s) - started )) s"
