#!/usr/bin/env bash
# Times a release build of certgate over a directory and reports files, bytes, resources,
# wall time and peak memory. Usage: bench/run.sh [DIR] [RUNS]   (default ../shared/corpus, 5)
# CERTGATE=path times that binary instead of a release build (in $CARGO_TARGET_DIR or target/).
# See also bench/monorepo.sh (synthetic monorepos against ripgrep) and bench/onsave.sh (one file).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus}
runs=${2:-5}
if [ -z "${CERTGATE:-}" ]; then
  cargo build --release --quiet
  CERTGATE=${CARGO_TARGET_DIR:-target}/release/certgate
fi
bin=$CERTGATE

files=$(find "$dir" -type f \( -name '*.tf' -o -name '*.json' -o -name '*.bicep' -o -name '*.bicepparam' -o -name '*.tfvars' \) | wc -l)
bytes=$(find "$dir" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
summary=$("$bin" check "$dir" --format json | python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print(" ".join(f"{k}={v}" for k,v in s.items()))' || true)

# Warm the page cache once, then take the median wall time and the largest peak RSS.
"$bin" check "$dir" --quiet --format json >/dev/null || true
times=()
peak=0
for _ in $(seq "$runs"); do
  start=$EPOCHREALTIME
  rss=$( { /usr/bin/time -f '%M' "$bin" check "$dir" --quiet --format json >/dev/null; } 2>&1 | tail -n 1 || true)
  end=$EPOCHREALTIME
  times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", (b - a) * 1000}')")
  (( rss > peak )) && peak=$rss
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

echo "directory:      $dir"
echo "files on disk:  $files (IaC-named), $bytes bytes in all"
echo "scan summary:   $summary"
echo "wall time:      ${median} ms median of $runs runs (warm cache)"
echo "peak memory:    $((peak / 1024)) MiB (max RSS)"
