#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets/) for a while and prints
# executions and time per target.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]   # default: 600 s each, all targets
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Stable Rust works because
# RUSTC_BOOTSTRAP=1 unlocks the nightly flags cargo-fuzz passes.
# FUZZ_SANITIZER (default `none`; `address` finds memory errors in unsafe
# code at a few times the cost). New corpus entries stay in fuzz/corpus/
# (git keeps only the seed-* files); crashes land in fuzz/artifacts/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

seconds="${1:-600}"
shift || true
if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(ls fuzz/fuzz_targets | sed 's/\.rs$//')
fi
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz missing: cargo install cargo-fuzz" >&2; exit 1; }
export RUSTC_BOOTSTRAP=1
sanitizer="${FUZZ_SANITIZER:-none}"
logs="$root/fuzz/logs"
mkdir -p "$logs"

status=0
summary=()
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  log="$logs/$target.log"
  echo "== $target: ${seconds}s (sanitizer $sanitizer), log $log"
  if cargo fuzz run --sanitizer "$sanitizer" "$target" "fuzz/corpus/$target" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=262144 \
      -print_final_stats=1 >"$log" 2>&1; then
    result="ok"
  else
    result="FAILED (see $log and fuzz/artifacts/$target/)"
    status=1
  fi
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n1)"
  took="$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' | tail -n1)"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -n1 | grep -o '[0-9]*')"
  summary+=("$target: ${runs:-?} executions in ${took:-$seconds} s, coverage ${cov:-?} edges, $result")
done
echo
printf '%s\n' "${summary[@]}"
exit "$status"
