#!/usr/bin/env bash
# Times the on-save check an editor runs for one file, process start to exit: the buffer on
# stdin (`--stdin-filename`, JSON for the editor to read) and the file named on the command
# line (what pre-commit does). Reports the median wall time, the mean CPU time (user + system)
# and the peak memory of each.
#
# Usage: bench/onsave.sh [DIR] [RUNS]    (RUNS default 50)
#   DIR: a Terraform module directory; its main.tf is the edited file. Default: a root module
#   of the 10 000-file synthetic monorepo (bench/gen_monorepo.py) that calls a local module
#   declaring an App Service site, with terraform.tfvars and variables.tf beside it.
# Environment: CERTGATE=path (default: a release build in $CARGO_TARGET_DIR or target/),
#   BENCH_DIR=target/bench (where the synthetic monorepo is cached), SEED (generator seed).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${2:-50}
if [ -z "${CERTGATE:-}" ]; then
  cargo build --release --quiet
  CERTGATE=${CARGO_TARGET_DIR:-target}/release/certgate
fi
bin=$(realpath "$CERTGATE")
command -v hyperfine >/dev/null || { echo "onsave.sh needs hyperfine" >&2; exit 2; }

dir=${1:-}
if [ -z "$dir" ]; then
  seed=${SEED:-20261130}
  bench_dir=${BENCH_DIR:-target/bench}
  tree="$bench_dir/monorepo-10000-s$seed-g$(sha256sum bench/gen_monorepo.py | cut -c1-8)"
  if [ ! -e "$tree.done" ]; then
    rm -rf "$tree" && mkdir -p "$bench_dir"
    python3 bench/gen_monorepo.py "$tree" 10000 --seed "$seed"
    touch "$tree.done"
  fi
  # The first root module (in path order) that calls a local site module.
  main=$(grep -l -- '-site-' "$tree"/terraform/*/stack-*/main.tf | sort | head -n 1)
  dir=$(dirname "$main")
fi
dir=$(realpath "$dir")
file="$dir/main.tf"
[ -f "$file" ] || { echo "no main.tf in $dir" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$dir"
# Relative paths, as an editor started in the module directory passes them.
stdin_cmd="$bin check --format json --stdin-filename main.tf - < main.tf"
file_cmd="$bin check main.tf"
hyperfine -i --style none --warmup 5 --runs "$runs" --export-json "$tmp/stdin.json" \
  "$stdin_cmd" >/dev/null 2>&1
hyperfine -N -i --style none --warmup 5 --runs "$runs" --export-json "$tmp/file.json" \
  "$file_cmd" >/dev/null 2>&1
peak() { # largest max-RSS of 5 runs, KiB
  local peak=0 rss
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%M' -o "$tmp/rss" "$@" >/dev/null 2>&1 <main.tf || true
    rss=$(tail -n 1 "$tmp/rss")
    (( rss > peak )) && peak=$rss
  done
  echo "$peak"
}
stdin_rss=$(peak "$bin" check --format json --stdin-filename main.tf -)
file_rss=$(peak "$bin" check main.tf)
row() { # name, hyperfine JSON, RSS KiB
  python3 - "$1" "$2" "$3" <<'EOF'
import json, sys
name, path, rss = sys.argv[1], sys.argv[2], int(sys.argv[3])
r = json.load(open(path))["results"][0]
print(f"| `{name}` | {r['median'] * 1000:.1f} ms | {r['min'] * 1000:.1f} ms | "
      f"{(r['user'] + r['system']) * 1000:.1f} ms | {rss / 1024:.1f} MiB |")
EOF
}
echo "certgate: $bin"
echo "module:   $dir ($(ls "$dir" | wc -l) files; $(wc -c <main.tf) bytes in main.tf)"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) on $(nproc) cores; $runs runs after 5 warm-ups"
echo
echo "| command (in the module directory) | median wall | min wall | mean CPU (user+sys) | peak RSS |"
echo "|---|---|---|---|---|"
row "certgate check --format json --stdin-filename main.tf - < main.tf" "$tmp/stdin.json" "$stdin_rss"
row "certgate check main.tf" "$tmp/file.json" "$file_rss"
