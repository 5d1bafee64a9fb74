#!/usr/bin/env bash
# This file handles the whole benchmark suite in one command (issue 8): it
# builds weft (Release, build-bench/, as run-epcc.sh does), runs every
# sample (samples/*.c but cluster_mc.c) through weft-bench (serial, weft,
# gcc-openmp, clang-openmp at 1, 2 and all CPUs), the overhead benchmark
# (run-epcc.sh) and the NUMA benchmarks (run-numa.sh), and writes
# bench/results/<machine>.md: machine, compilers, date, every table, and
# the speed-up plots beside it (<machine>-<sample>.svg), plus
# <machine>-numa.md and <machine>-suite-epcc.csv. Each machine gets
# its own files; other machines' results are left alone.
#
# Usage: bench/run-all.sh [--quick] [--machine NAME] [--threads LIST]
#                         [--build-dir DIR] [--no-build] [--skip PARTS]
#                         [--notes FILE]
#   --quick          3 runs instead of 5, smaller problem sizes, fewer EPCC
#                    repetitions and a smaller NUMA benchmark (about 5
#                    minutes on 2 CPUs; a full run takes about 8)
#   --machine NAME   result file prefix (default: CPU model and count, the
#                    name run-epcc.sh uses, e.g. amd-epyc-2c)
#   --threads LIST   thread counts for every part (default 1, 2 and the CPU
#                    count; e.g. 1,2,4,8,16 on a 16-core machine)
#   --skip PARTS     comma list among samples,epcc,numa
#   --notes FILE     Markdown appended to the report as its Notes section
#                    (the analysis of the figures, written after a run)
# Exit status: 0 when every part succeeded, 1 when a part failed (the
# results file says which), 2 on a usage or build error.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${WEFT_BENCH_BUILD_DIR:-$top/build-bench}
quick=0 do_build=1 skip="" machine="" threads="" notes=""
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1; shift ;;
    --machine) machine=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --build-dir) build=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --skip) skip=$2; shift 2 ;;
    --notes) notes=$2; shift 2 ;;
    -h|--help)
        awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
        exit 0 ;;
    *) echo "run-all.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [ -n "$notes" ] && [ ! -r "$notes" ]; then
    echo "run-all.sh: cannot read --notes $notes" >&2
    exit 2
fi
ncpu=$(nproc)
if [ -z "$threads" ]; then
    threads=$(printf '%s\n' 1 2 "$ncpu" | sort -n -u | paste -sd, -)
fi
if [ -z "$machine" ]; then
    m=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1 |
        tr '[:upper:]' '[:lower:]' | sed -E 's/[^a-z0-9]+/-/g; s/^-+//; s/-+$//; s/-(processor|cpu)$//' |
        cut -c1-40)
    machine="${m:-host}-${ncpu}c"
fi
skipped() { case ",$skip," in *",$1,"*) return 0 ;; esac; return 1; }
results=$here/results
mkdir -p "$results"
report=$results/$machine.md
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')

# ---- build: the same folder and settings as run-epcc.sh ----
if [ "$do_build" = 1 ]; then
    if [ ! -f "$build/CMakeCache.txt" ]; then
        cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release \
            -DWEFT_BUILD_BENCH=ON -DWEFT_BUILD_TESTS=OFF \
            -DWEFT_BUILD_SAMPLES=OFF >/dev/null || exit 2
    else
        cmake -S "$top" -B "$build" -DWEFT_BUILD_BENCH=ON >/dev/null || exit 2
    fi
    cmake --build "$build" -j2 >/dev/null || {
        echo "run-all.sh: build failed in $build" >&2
        exit 2
    }
fi
for f in bin/weftcc bin/weft-bench; do
    [ -x "$build/$f" ] || { echo "run-all.sh: $build/$f missing" >&2; exit 2; }
done

# Parts write their sections into a scratch folder; the report is put
# together at the end so an interrupted run leaves the old report intact.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
failed_parts=()

# ---- samples through weft-bench ----
# Problem sizes: the samples' defaults (sized for a few seconds serial) in a
# full run; for --quick, sizes that take a fraction of a second.
quick_args() {
    case $1 in
    histogram) echo 100000000 ;;
    mandelbrot) echo 600 ;;
    matmul) echo 400 ;;
    nbody) echo 1200 8 ;;
    pi) echo 40000000 ;;
    saxpy) echo 1000000 100 ;;
    stencil) echo 300 400 ;;
    *) echo "" ;;
    esac
}
if ! skipped samples; then
    runs=5
    [ "$quick" = 1 ] && runs=3
    : >"$work/samples.md"
    for src in "$top"/samples/*.c; do
        s=$(basename "$src" .c)
        # cluster_mc needs the cluster layer's nodes, not one machine's cores.
        [ "$s" = cluster_mc ] && continue
        args=()
        if [ "$quick" = 1 ]; then read -r -a args <<<"$(quick_args "$s")"; fi
        echo "run-all.sh: sample $s ${args[*]}" >&2
        svg=$results/$machine-$s.svg
        (cd "$top" && python3 "$build/bin/weft-bench" --quiet --threads "$threads" \
            --runs "$runs" --ldflags -lm --plot "$svg" --json "$work/$s.json" \
            "samples/$s.c" ${args[@]+-- "${args[@]}"}) >"$work/$s.out" 2>&1
        rc=$?
        {
            echo "### $s${args[*]:+ (arguments: ${args[*]})}"
            echo
            if [ $rc != 0 ]; then
                echo "**weft-bench exit status $rc** (see bench/README.md)."
                echo
            fi
            echo '```'
            cat "$work/$s.out"
            echo '```'
            echo
            [ -f "$svg" ] && echo "![$s speed-up]($machine-$s.svg)" && echo
        } >>"$work/samples.md"
        if [ $rc != 0 ]; then status=1; failed_parts+=("sample $s (exit $rc)"); fi
    done
fi

# ---- EPCC overheads ----
if ! skipped epcc; then
    echo "run-all.sh: EPCC overheads" >&2
    # Written to the scratch folder and copied into the report: the
    # machine's own <machine>-epcc.md (a longer, annotated run made with
    # run-epcc.sh) is not replaced by the suite's shorter one.
    epcc_args=(--threads "$threads" --machine "$machine" --out-dir "$work")
    [ "$quick" = 1 ] && epcc_args+=(--reps 5 --block-reps 5)
    if "$here/run-epcc.sh" --build-dir "$build" --no-build "${epcc_args[@]}" \
            >"$work/epcc.log" 2>&1 && [ -f "$work/$machine-epcc.md" ]; then
        # The epcc file starts with its own title; keep its sections. Its
        # raw figures are kept as <machine>-suite-epcc.csv.
        cp "$work/$machine-epcc.csv" "$results/$machine-suite-epcc.csv"
        sed "1{/^# /d}; s/^## /### /; s/$machine-epcc\.csv/$machine-suite-epcc.csv/" \
            "$work/$machine-epcc.md" | sed '/./,$!d' >"$work/epcc.md"
    else
        status=1
        failed_parts+=("epcc")
        { echo '```'; tail -20 "$work/epcc.log"; echo '```'; } >"$work/epcc.md"
    fi
fi

# ---- NUMA benchmarks ----
if ! skipped numa; then
    echo "run-all.sh: NUMA benchmarks" >&2
    numa_args=(--threads "$threads" --out "$results/$machine-numa.md")
    [ "$quick" = 1 ] && numa_args+=(--size 32 --reps 5 --n 2048 --sweeps 10 --stencil-reps 3)
    if WEFT_BENCH_MACHINE=$machine "$here/run-numa.sh" --build-dir "$build" --no-build \
            "${numa_args[@]}" >"$work/numa.out" 2>"$work/numa.log"; then
        :
    else
        status=1
        failed_parts+=("numa")
    fi
    if [ -s "$work/numa.out" ]; then
        sed '1{/^# /d}; s/^## /### /' "$work/numa.out" | sed '/./,$!d' >"$work/numa.md"
    else
        { echo '```'; tail -20 "$work/numa.log"; echo '```'; } >"$work/numa.md"
    fi
fi

# ---- report ----
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
domains=$(lscpu 2>/dev/null | sed -n 's/^NUMA node(s): *//p')
{
    echo "# weft benchmark suite on $machine"
    echo
    echo "Generated by \`bench/run-all.sh${quick:+$([ "$quick" = 1 ] && echo ' --quick')}\` from $started to $(date -u '+%H:%M UTC')."
    echo
    echo "## Machine and compilers"
    echo
    echo "- CPU: $cpu; $ncpu CPUs (\`nproc\`), ${domains:-?} NUMA domain(s)"
    echo "- Kernel: $(uname -sr) ($(uname -m))"
    echo "- Load average (1/5/15 min) at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- cc: $(cc --version 2>/dev/null | head -1)"
    echo "- gcc: $(gcc --version 2>/dev/null | head -1)"
    echo "- clang: $(clang --version 2>/dev/null | head -1 || echo none)"
    echo "- weft: $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$top" diff --quiet HEAD 2>/dev/null || echo ' with uncommitted changes'), build $build (Release)"
    echo "- Thread counts: $threads"
    if [ ${#failed_parts[@]} -gt 0 ]; then
        echo
        echo "**Failed parts:** ${failed_parts[*]}."
    fi
    if ! skipped samples; then
        echo
        echo "## Samples (weft-bench)"
        echo
        echo "Each sample built serial (\`cc -O2\`), with weftcc, \`gcc -fopenmp\` and \`clang -fopenmp\` (all -O2); rounds interleave the variants; median/min/max seconds; \`vs gcc\` = gcc-openmp median / median (above 1: faster than gcc). See tools/bench/README.md."
        echo
        cat "$work/samples.md"
    fi
    if ! skipped epcc; then
        echo "## Overheads (EPCC-style, bench/run-epcc.sh)"
        echo
        cat "$work/epcc.md"
        echo
    fi
    if ! skipped numa; then
        echo "## NUMA benchmarks (bench/run-numa.sh)"
        echo
        echo "Also in \`$machine-numa.md\`."
        echo
        cat "$work/numa.md"
    fi
    if [ -n "$notes" ]; then
        echo
        echo "## Notes"
        echo
        cat "$notes"
    fi
} >"$report.tmp" && mv "$report.tmp" "$report"
echo "run-all.sh: wrote $report" >&2
exit $status
