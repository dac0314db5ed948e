#!/usr/bin/env bash
# Times certgate on the inputs that used to take quadratic or exponential time, each at two or
# three sizes, so growth is visible: doubling N should roughly double the time (the `modules`
# row is bounded instead: 2^N instances, at most 10 000 evaluated per root).
# Usage: bench/pathological.sh [KIND...]   (default: every kind)
# CERTGATE=path times that binary instead of a release build; TIMEOUT (default 120) caps a run.
# Inputs come from bench/gen_pathological.py into a temporary directory, removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CERTGATE:-}" ]; then
  cargo build --release --quiet
  CERTGATE=${CARGO_TARGET_DIR:-target}/release/certgate
fi
bin=$CERTGATE
limit=${TIMEOUT:-120}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

# kind | sizes | extra arguments | what is measured
rows=(
  "tfstring|20 22 24||locals doubling a string N times"
  "modules|10 14 18||modules calling the next twice, depth N"
  "fixfail|250 500 1000|--diff|N fixes, one failing validation (--diff)"
  "fixfail|250 500 1000|--format json|same, --format json"
  "planline|30000 60000 120000||one-line plan JSON, N web apps (human)"
  "planline|30000 60000 120000|--format json|same, --format json"
  "tfjson|50000 100000 200000||one-line main.tf.json, N web apps (human)"
  "tfjson|50000 100000 200000|--format json|same, --format json"
  "monodup|5000 10000 20000|--format json|N-file monorepo, one fix failing (--format json)"
  "hclkeys|8000 16000 32000||an HCL object with N keys"
  "foreach|25000 50000 100000||for_each over a map of N keys"
)
wanted=("$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%-9s %-14s %8s %10s %10s %9s  %s\n' kind args N bytes seconds "RSS MiB" note
for row in "${rows[@]}"; do
  IFS='|' read -r kind sizes args note <<<"$row"
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " == *" $kind "* ]]; then
    continue
  fi
  for n in $sizes; do
    dir=$work/$kind-$n
    [ -d "$dir" ] || python3 bench/gen_pathological.py "$kind" "$n" "$dir"
    bytes=$(du -sb "$dir" | cut -f1)
    # certgate exits 1 when it finds something; timeout exits 124 when the cap is reached.
    # shellcheck disable=SC2086 # the extra arguments are words
    /usr/bin/time -o "$work/time" -f '%e %M' timeout "$limit" \
      "$bin" check "$dir" --quiet $args >/dev/null 2>&1 || true
    read -r seconds rss < <(tail -n 1 "$work/time")
    if grep -q 'status 124' "$work/time"; then seconds=">$limit"; fi
    printf '%-9s %-14s %8s %10s %10s %9s  %s\n' "$kind" "${args:--}" "$n" "$bytes" "$seconds" \
      "$((rss / 1024))" "$note"
  done
done
