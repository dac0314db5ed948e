#!/usr/bin/env bash
# Scans synthetic monorepos (bench/gen_monorepo.py) with certgate and with ripgrep, in the same
# run and on the same warm tree, and prints time, peak memory and the certgate/rg ratio.
#
# Usage: bench/monorepo.sh [FILES...]          (default: 10000 100000)
# Environment:
#   RUNS=7                 timed runs per command (median wall and CPU time, largest peak RSS)
#   BENCH_DIR=target/bench where generated trees are cached (one per size, seed and generator)
#   SEED=20261130          generator seed
#   CERTGATE=path          binary to time (default: a release build in $CARGO_TARGET_DIR or target/)
#   BASELINE=path          another binary (e.g. a build of the previous commit) timed in the same
#                          interleaved loop, for before/after figures on a loaded machine
#
# The ripgrep run is the I/O floor: it walks the same tree, opens the same IaC-named files and
# searches them for the strings the front ends' sniffs look for (src/*/front.rs), listing
# matches.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-7}
seed=${SEED:-20261130}
bench_dir=${BENCH_DIR:-target/bench}
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000)

if [ -z "${CERTGATE:-}" ]; then
  cargo build --release --quiet
  CERTGATE=${CARGO_TARGET_DIR:-target}/release/certgate
fi
bin=$(realpath "$CERTGATE")
base=${BASELINE:+$(realpath "$BASELINE")}
for tool in rg hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "monorepo.sh needs $tool" >&2; exit 2; }
done

# The strings the front ends sniff for (src/*/front.rs, src/terraform/interest.rs): in-scope
# azurerm types, module calls (HCL, JSON, Bicep), the ARM site type, linked templates, plan JSON.
# `-i` because the ARM ones are case-insensitive.
patterns=(azurerm_linux_web_app azurerm_windows_web_app azurerm_linux_function_app
  azurerm_windows_function_app azurerm_function_app_flex_consumption azurerm_logic_app_standard
  azurerm_app_service azurerm_function_app 'module "' '"module"' 'module ' microsoft.web/sites
  relativepath '"format_version"')
rg_args=(-l -i -F -j "$(nproc)")
for p in "${patterns[@]}"; do rg_args+=(-e "$p"); done
for g in '*.tf' '*.tf.json' '*.json' '*.bicep' '*.bicepparam'; do rg_args+=(-g "$g"); done

gen_hash=$(sha256sum bench/gen_monorepo.py | cut -c1-8)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One timed run: wall time from the shell's clock, CPU time and peak RSS from /usr/bin/time.
# Appends "wall_ms cpu_ms rss_kib" to $tmp/NAME.
timed() {
  local name=$1; shift
  local start end
  start=$EPOCHREALTIME
  /usr/bin/time -f '%U %S %M' -o "$tmp/time" "$@" >/dev/null 2>&1 || true
  end=$EPOCHREALTIME
  read -r user sys rss < <(tail -n 1 "$tmp/time")
  awk -v a="$start" -v b="$end" -v u="$user" -v s="$sys" -v r="$rss" \
    'BEGIN {printf "%.1f %.0f %d\n", (b - a) * 1000, (u + s) * 1000, r}' >>"$tmp/$name"
}
# Median wall ms, median CPU ms, largest RSS in MiB of the runs recorded under NAME.
stats() {
  sort -n "$tmp/$1" | awk '{w[NR]=$1} END {printf "%.0f ", w[int((NR+1)/2)]}'
  sort -n -k2 "$tmp/$1" | awk '{c[NR]=$2} END {printf "%.0f ", c[int((NR+1)/2)]}'
  awk '$3 > m {m=$3} END {printf "%.0f\n", m / 1024}' "$tmp/$1"
}

rows=()
for files in "${sizes[@]}"; do
  tree="$bench_dir/monorepo-$files-s$seed-g$gen_hash"
  if [ ! -e "$tree.done" ]; then
    rm -rf "$tree"
    mkdir -p "$bench_dir"
    python3 bench/gen_monorepo.py "$tree" "$files" --seed "$seed"
    touch "$tree.done"
  fi
  iac=$(find "$tree" -type f \( -name '*.tf' -o -name '*.json' -o -name '*.bicep' -o -name '*.bicepparam' \) | wc -l)
  mb=$(find "$tree" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s / 1e6}')
  rm -f "$tmp"/rg "$tmp"/human "$tmp"/json "$tmp"/base_human "$tmp"/base_json
  (
    cd "$tree"
    # Warm the page cache and the dentry cache, then alternate the commands so that a
    # change in machine load hits all of them alike.
    rg "${rg_args[@]}" . >/dev/null || true
    "$bin" check . >/dev/null 2>&1 || true
    for _ in $(seq "$runs"); do
      timed rg rg "${rg_args[@]}" .
      timed human "$bin" check .
      timed json "$bin" check . --format json
      if [ -n "$base" ]; then
        timed base_human "$base" check .
        timed base_json "$base" check . --format json
      fi
    done
  )
  read -r rg_ms rg_cpu rg_rss < <(stats rg)
  found=$(cd "$tree" && "$bin" check . --format json 2>/dev/null | python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print(s["resources"], "resources,", s["failing"], "failing")' || true)
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
  for which in "" ${base:+base_}; do
    read -r human_ms human_cpu human_rss < <(stats "${which}human")
    read -r json_ms json_cpu json_rss < <(stats "${which}json")
    per_k=$(awk -v a="$human_ms" -v f="$files" 'BEGIN {printf "%.1f", a * 1000 / f}')
    label=$files
    [ -n "$which" ] && label="$files (baseline)"
    rows+=("| $label | $iac | $mb MB | $rg_ms ms / $rg_cpu ms | $human_ms ms / $human_cpu ms | $(ratio "$human_ms" "$rg_ms") / $(ratio "$human_cpu" "$rg_cpu") | $per_k ms | $human_rss MiB | $json_ms ms / $json_cpu ms | $(ratio "$json_ms" "$rg_ms") | $json_rss MiB | $found |")
  done
done

echo "certgate: $bin"
[ -n "$base" ] && echo "baseline: $base"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) on $(nproc) cores; median of $runs runs, warm cache"
echo
echo "| files | IaC files | bytes | rg -l floor (wall / CPU) | certgate check (wall / CPU) | ratio (wall / CPU) | wall per 1k files | peak RSS | --format json (wall / CPU) | ratio | peak RSS | found |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
