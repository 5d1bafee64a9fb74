#!/usr/bin/env bash
# This file handles the NUMA benchmarks (issue 5): it builds bench/stream.c
# and bench/stencil_ft.c three ways (weftcc with -DUSE_WEFT_ALLOC, gcc
# -fopenmp, clang -fopenmp; plus stream's weft work-stealing variant,
# -DSTREAM_DYNAMIC), then runs every build under OMP_PLACES=cores with
# OMP_PROC_BIND=close and =spread for each thread count, the builds of one
# setting back to back in an order rotated from setting to setting, and
# writes one Markdown report (machine, method, two tables).
#
# Usage: bench/run-numa.sh [--build-dir DIR] [--no-build] [--threads 1,2,4]
#          [--binds close,spread] [--size MIB] [--reps N] [--n N]
#          [--sweeps S] [--stencil-reps R] [--out FILE] [--weft-flags FLAGS]
#   --build-dir DIR  weft build with bin/weftcc (default <repo>/build-bench,
#                    configured and built like run-epcc.sh when missing)
#   --threads LIST   thread counts (default 1, 2 and the CPU count); on a
#                    16-core or multi-socket machine: --threads 1,2,4,8,16
#   --size MIB       stream: MiB per array, 3 arrays (default 64)
#   --reps N         stream: timed triads per run (default 10)
#   --n N, --sweeps S, --stencil-reps R: stencil grid side (4096), sweeps
#                    per repetition (20), repetitions (5)
#   --out FILE       report path (default bench/results/<machine>-numa.md;
#                    "-" prints it only). WEFT_BENCH_MACHINE names the machine
#                    (default: CPU model and count, as epcc_runner.py).
#   --weft-flags F   extra flags for the weftcc builds only (e.g. the
#                    -fsanitize flags a sanitizer build of libweft needs)
# Exit status: 0 ok, 1 a run failed or a result check failed, 2 usage/build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${WEFT_BENCH_BUILD_DIR:-$top/build-bench}
do_build=1
ncpu=$(nproc)
threads="1,2,$ncpu"
binds="close,spread"
size=64 reps=10 sn=4096 sweeps=20 sreps=5
# Default machine name: the one bench/epcc_runner.py derives (CPU model and
# CPU count), so one machine's result files share a prefix.
machine_slug() {
    local m
    m=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1 |
        tr '[:upper:]' '[:lower:]' | sed -E 's/[^a-z0-9]+/-/g; s/^-+//; s/-+$//; s/-(processor|cpu)$//' |
        cut -c1-40)
    echo "${m:-host}-$(nproc)c"
}
machine=${WEFT_BENCH_MACHINE:-$(machine_slug)}
out=""
weft_flags=""
while [ $# -gt 0 ]; do
    case $1 in
    --build-dir) build=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --threads) threads=$2; shift 2 ;;
    --binds) binds=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --n) sn=$2; shift 2 ;;
    --sweeps) sweeps=$2; shift 2 ;;
    --stencil-reps) sreps=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --weft-flags) weft_flags=$2; shift 2 ;;
    -h|--help)
        awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
        exit 0 ;;
    *) echo "run-numa.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -n "$out" ] || out=$here/results/$machine-numa.md

if [ "$do_build" = 1 ] && [ ! -x "$build/bin/weftcc" ]; then
    cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release \
        -DWEFT_BUILD_BENCH=ON -DWEFT_BUILD_TESTS=OFF \
        -DWEFT_BUILD_SAMPLES=OFF >/dev/null
    cmake --build "$build" -j2 --target weftcc weft >/dev/null
fi
weftcc=$build/bin/weftcc
if [ ! -x "$weftcc" ]; then
    echo "run-numa.sh: $weftcc not found (build first or drop --no-build)" >&2
    exit 2
fi

# ---- builds: one binary per (program, build) in <build>/bench-numa ----
bin=$build/bench-numa
mkdir -p "$bin"
opt=(-O2 -std=c11 -I"$here")
read -r -a wopt <<<"$weft_flags"
builds_stream=() builds_stencil=()
build_one() { # build_one PROGRAM VARIANT COMMAND...
    local prog=$1 variant=$2
    shift 2
    if "$@" -o "$bin/$prog-$variant" "$here/$prog.c" >"$bin/$prog-$variant.log" 2>&1; then
        return 0
    fi
    echo "run-numa.sh: $prog-$variant did not build:" >&2
    tail -5 "$bin/$prog-$variant.log" >&2
    return 1
}
for prog in stream stencil_ft; do
    vs=()
    build_one $prog weft env WEFT_CC=gcc "$weftcc" "${opt[@]}" ${wopt[@]+"${wopt[@]}"} \
        -DUSE_WEFT_ALLOC || exit 2
    vs+=(weft)
    if [ "$prog" = stream ]; then
        build_one $prog weft-steal env WEFT_CC=gcc "$weftcc" "${opt[@]}" \
            ${wopt[@]+"${wopt[@]}"} -DUSE_WEFT_ALLOC -DSTREAM_DYNAMIC || exit 2
        vs+=(weft-steal)
    fi
    for cc in gcc clang; do
        if command -v $cc >/dev/null && build_one $prog $cc-openmp $cc "${opt[@]}" -fopenmp; then
            vs+=("$cc-openmp")
        else
            echo "run-numa.sh: $cc-openmp skipped for $prog" >&2
        fi
    done
    if [ "$prog" = stream ]; then builds_stream=("${vs[@]}"); else builds_stencil=("${vs[@]}"); fi
done

# ---- runs ----
# Only the settings under test reach the programs: inherited OpenMP or weft
# variables would change one runtime and not the others.
clean_env=()
for v in $(env | sed -n 's/^\(\(OMP\|GOMP\|KMP\|WEFT\)_[A-Za-z0-9_]*\)=.*/\1/p'); do
    clean_env+=(-u "$v")
done
kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
status=0
rot=0
ref_sum=""
stream_rows="" stencil_rows=""
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
IFS=, read -r -a tlist <<<"$threads"
IFS=, read -r -a blist <<<"$binds"
for t in "${tlist[@]}"; do
    for b in "${blist[@]}"; do
        # Rotated order: the build that runs first in one setting runs last
        # in a later one, so a slow phase of a shared machine spreads out.
        order=()
        all=("${builds_stream[@]/#/stream:}" "${builds_stencil[@]/#/stencil_ft:}")
        k=${#all[@]}
        for ((i = 0; i < k; i++)); do order+=("${all[(i + rot) % k]}"); done
        rot=$((rot + 1))
        for pv in "${order[@]}"; do
            prog=${pv%%:*} variant=${pv#*:}
            if [ "$prog" = stream ]; then args=(--size "$size" --reps "$reps")
            else args=(--n "$sn" --sweeps "$sweeps" --reps "$sreps"); fi
            echo "run-numa.sh: $prog $variant threads=$t bind=$b" >&2
            if ! line=$(env "${clean_env[@]}" OMP_NUM_THREADS="$t" OMP_PLACES=cores \
                    OMP_PROC_BIND="$b" "$bin/$prog-$variant" "${args[@]}"); then
                echo "run-numa.sh: $prog-$variant failed at threads=$t bind=$b" >&2
                status=1
                line=""
            fi
            if [ "$prog" = stream ]; then
                [ "$(kv check "$line")" = ok ] || status=1
                stream_rows+="| $t | $b | $variant | $(kv sched "$line") | $(kv best_gbs "$line") | $(kv median_gbs "$line") | $(kv check "$line") |"$'\n'
            else
                best=$(kv best_sweep_s "$line") med=$(kv median_sweep_s "$line")
                # Every build and thread count computes the same grid.
                sum=$(kv checksum "$line")
                [ -n "$sum" ] && [ -z "$ref_sum" ] && ref_sum=$sum
                if [ -z "$sum" ] || [ "$sum" != "$ref_sum" ]; then
                    echo "run-numa.sh: stencil_ft-$variant checksum $sum, expected $ref_sum" >&2
                    status=1
                fi
                ms() { [ -n "$1" ] && awk -v x="$1" 'BEGIN { printf "%.3f", x * 1000 }'; }
                stencil_rows+="| $t | $b | $variant | $(ms "$best") | $(ms "$med") | $(kv checksum "$line") |"$'\n'
            fi
        done
    done
done

# ---- report ----
domains=$(lscpu 2>/dev/null | sed -n 's/^NUMA node(s): *//p')
sockets=$(lscpu 2>/dev/null | sed -n 's/^Socket(s): *//p')
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
report=$(cat <<REPORT
# NUMA benchmarks on $machine

- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); CPU: $cpu; $ncpu CPUs, ${sockets:-?} socket(s), ${domains:-?} NUMA domain(s); kernel $(uname -r); load average at start: $load_start
- Compilers: $(gcc --version | head -1); $(clang --version 2>/dev/null | head -1 || echo 'no clang'); weftcc back end: gcc
- Command: bench/run-numa.sh --threads $threads --binds $binds --size $size --reps $reps --n $sn --sweeps $sweeps --stencil-reps $sreps
- Builds: \`weft\` = weftcc -DUSE_WEFT_ALLOC (weft_alloc FIRST_TOUCH_STATIC, then the same parallel initialisation), \`weft-steal\` = the same with the triad under schedule(nonmonotonic: dynamic, 8192); \`gcc-openmp\`/\`clang-openmp\` = malloc + parallel first-touch initialisation with schedule(static). All -O2. Every run: OMP_PLACES=cores, OMP_PROC_BIND as in the table, other OMP_/GOMP_/KMP_/WEFT_ variables removed.
$( [ "${domains:-1}" -le 1 ] && echo "- **This machine has one NUMA domain: page placement cannot differ between builds or bindings here. Differences in these tables are runtime overheads and noise (a shared machine), not locality.**" )

## STREAM triad (a = b + s*c, 3 x $size MiB, GB/s = 24*N/t, best and median of $reps)

| threads | OMP_PROC_BIND | build | schedule | best GB/s | median GB/s | check |
| ---: | --- | --- | --- | ---: | ---: | --- |
$stream_rows
## First-touch stencil ($sn x $sn, 2 grids, time per sweep, best and median of $sreps x $sweeps sweeps)

| threads | OMP_PROC_BIND | build | best ms/sweep | median ms/sweep | checksum |
| ---: | --- | --- | ---: | ---: | --- |
$stencil_rows
REPORT
)
if [ "$out" = - ]; then
    printf '%s\n' "$report"
else
    mkdir -p "$(dirname "$out")"
    printf '%s\n' "$report" >"$out"
    printf '%s\n' "$report"
    echo "run-numa.sh: wrote $out" >&2
fi
exit $status
