#!/usr/bin/env bash
# Article-extraction benchmark: attache vs trafilatura, same pages, same metric,
# same run, one core each (taskset -c 0). Prints a table with F1 and pages/s.
#
#   scripts/bench-extract.sh [DATA_DIR]
#
# DATA_DIR defaults to ../shared/bench/article-extraction (relative to the repo
# root). trafilatura is installed into a throwaway venv (BENCH_VENV, default
# /tmp/attache-bench-venv) from PyPI on first use.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo_root"
data="${1:-../shared/bench/article-extraction}"
venv="${BENCH_VENV:-/tmp/attache-bench-venv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo_root/target}"
[[ -f "$data/ground-truth.json" ]] || { echo "benchmark data not found in $data" >&2; exit 1; }
pin=(taskset -c 0)
command -v taskset >/dev/null || pin=()

if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import trafilatura" 2>/dev/null; then
    echo "installing trafilatura into $venv ..." >&2
    python3 -m venv "$venv"
    # lxml 6 moved the HTML cleaner (needed by justext) into its own package.
    "$venv/bin/pip" install --quiet --disable-pip-version-check trafilatura lxml_html_clean
fi

cargo build --quiet --release --example bench_extract
bench="$CARGO_TARGET_DIR/release/examples/bench_extract"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "running attache ..." >&2
"${pin[@]}" "$bench" --data "$data" --rounds 5 > "$work/attache.json"
echo "running trafilatura ..." >&2
"${pin[@]}" "$venv/bin/python" scripts/bench_trafilatura.py "$data" "$work/traf-out.json" > "$work/traf-speed.json"
"$bench" --data "$data" --score-file "$work/traf-out.json" > "$work/traf-score.json"

python3 - "$work" <<'PY'
import json, sys
from pathlib import Path
work = Path(sys.argv[1])
ours = json.loads((work / "attache.json").read_text())
speed = json.loads((work / "traf-speed.json").read_text())
theirs = json.loads((work / "traf-score.json").read_text())
theirs["pages_per_sec"] = speed["pages_per_sec"]
rows = [("attache", ours), (f"trafilatura {speed['trafilatura']}", theirs)]
print(f"{'system':<20} {'precision':>9} {'recall':>7} {'F1':>7} {'exact':>6} {'pages/s':>9}")
for name, r in rows:
    print(f"{name:<20} {r['precision']:>9.4f} {r['recall']:>7.4f} {r['f1']:>7.4f} {r['accuracy']:>6.3f} {r['pages_per_sec']:>9.1f}")
print(f"attache, longest story per page: F1 {ours['f1_longest']:.4f}; empty answers: {ours['empty']}")
print(f"speed ratio attache/trafilatura: {ours['pages_per_sec'] / theirs['pages_per_sec']:.1f}x "
      f"(one core each, {ours['pages']} pages)")
PY
