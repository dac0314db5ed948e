#!/usr/bin/env bash
# Runs certgate's fuzz targets one at a time, each for SECONDS (default 600), and prints the
# executions and findings of each at the end.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      targets: hcl arm_json arm_expr bicep structured fix tree
#                                          literal_site
#
# cargo-fuzz needs nightly-only compiler flags; on a stable toolchain RUSTC_BOOTSTRAP=1 allows
# them (set here). Targets are built without a sanitizer (`-s none`): certgate is safe Rust, so
# AddressSanitizer would find nothing the Rust runtime does not already abort on (panics, stack
# overflows), at about half the speed. Corpora are seeded from fixtures/ at run time and are
# not committed; crashes land in fuzz/artifacts/<target>/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(hcl arm_json arm_expr bicep structured fix tree literal_site)
fi
export RUSTC_BOOTSTRAP=1
# The `tree` target builds file trees in the temporary directory: one per run, removed after.
TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/certgate-fuzz.XXXXXX")
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT

cd "$here"
# cargo-fuzz is a cargo subcommand, not a dependency: install it on first use.
if ! cargo fuzz --version >/dev/null 2>&1; then
    nice -n 10 cargo install cargo-fuzz --locked
fi
nice -n 10 cargo fuzz build -s none

# Copies each file found by `find ARGS` into corpus dir $1, named by its content hash.
seed_files() {
    local dir=$1
    shift
    find "$repo/fixtures" "$@" -type f -print0 | while IFS= read -r -d '' file; do
        cp "$file" "$dir/$(sha1sum <"$file" | cut -c1-40)"
    done
}

seed() {
    local target=$1 dir="$here/corpus/$1"
    mkdir -p "$dir"
    case $target in
    hcl) seed_files "$dir" -name '*.tf' ;;
    arm_json) seed_files "$dir" -name '*.json' ;;
    bicep) seed_files "$dir" \( -name '*.bicep' -o -name '*.bicepparam' \) ;;
    arm_expr)
        # Every bracketed expression string in the ARM fixtures.
        find "$repo/fixtures/arm" -name '*.json' -print0 | xargs -0 grep -oh '"\[[^"]*\]"' |
            sed 's/^"//; s/"$//' | sort -u | while IFS= read -r expression; do
            printf '%s' "$expression" >"$dir/$(printf '%s' "$expression" | sha1sum | cut -c1-40)"
        done
        ;;
    fix)
        # Raw files framed as `R<kind>` + text (see certgate_fuzz::fix_input).
        local kind pattern
        for kind in 0:'*.tf' 1:'*.tf.json' 2:'*.json' 3:'*.bicep'; do
            pattern=${kind#*:}
            find "$repo/fixtures" -path '*fix_*' -name "$pattern" ! -name '*.parameters*' -print0 |
                while IFS= read -r -d '' file; do
                    case $kind:$file in 2:*.tf.json) continue ;; esac
                    { printf 'R%s' "${kind%%:*}"; cat "$file"; } >"$dir/seed.tmp"
                    mv "$dir/seed.tmp" "$dir/$(sha1sum <"$file" | cut -c1-40)"
                done
        done
        ;;
    structured | tree | literal_site) ;; # generated from any bytes; libFuzzer starts from empty
    esac
}

mkdir -p "$here/logs"
for target in "${targets[@]}"; do
    seed "$target"
    mkdir -p "$here/artifacts/$target"
    echo "== $target: ${seconds}s" >&2
    # Generated targets need their whole input from the start: a grammar spends bytes on every
    # choice, and libFuzzer would otherwise grow inputs from a few bytes slowly.
    extra=()
    case $target in structured | fix | tree | literal_site) extra=(-max_len=4096 -len_control=0) ;; esac
    nice -n 10 "$here/target/x86_64-unknown-linux-gnu/release/$target" \
        -artifact_prefix="$here/artifacts/$target/" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        "${extra[@]}" "$here/corpus/$target" >"$here/logs/$target.log" 2>&1 || true
done

printf '\n%-12s %12s %8s %8s %8s %8s\n' target executions crashes timeouts ooms corpus
for target in "${targets[@]}"; do
    log="$here/logs/$target.log"
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    count() { find "$here/artifacts/$target" -name "$1-*" | wc -l; }
    printf '%-12s %12s %8s %8s %8s %8s\n' "$target" "${runs:-?}" "$(count crash)" \
        "$(count timeout)" "$(count oom)" "$(find "$here/corpus/$target" -type f | wc -l)"
done
echo "logs: fuzz/logs/<target>.log; inputs that failed: fuzz/artifacts/<target>/" >&2
