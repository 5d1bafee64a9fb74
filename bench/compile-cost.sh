#!/usr/bin/env bash
# This file measures what weftcc costs at compile time against a plain
# `gcc -O2 -c` (issue 3: at most 1.5x): for each sample and one generated
# ~2000-line file with 40 parallel loops, RUNS interleaved rounds of
#   gcc -O2 -c                       (the baseline),
#   weftcc -O2 -c, server warm       (the default: translation server) in
#                                     three cases: "recompile", the same
#                                     unchanged file again (its parsed TU is
#                                     cached by the server's worker, H29);
#                                     "edited", a copy with a comment added
#                                     each round (the cached TU re-parsed);
#                                     "first", a copy under a new path each
#                                     round (never seen: a fresh parse),
#   weftcc -O2 -c, in process        (WEFT_TRANSLATE_SERVER=0: dlopen of the
#                                     translator and libclang each time),
# and writes a Markdown table of medians: wall time, and CPU time (user +
# sys of the command and its children, plus for the server column the
# CPU the server's worker reports for the request with
# WEFT_TRANSLATE_TIMES=1, so no work is hidden in the server).
#
# Usage: bench/compile-cost.sh [--runs N] [--weftcc PATH] [--out FILE]
#                               [--no-cache] [--preamble]
#   defaults: 11 runs, build/bin/weftcc, bench/results/<machine>-compile-cost.md
#   --no-cache: WEFT_TRANSLATE_CACHE=0 (the server without its TU cache);
#   --preamble: WEFT_TRANSLATE_PREAMBLE=1 (cached TUs get a preamble).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=11
weftcc=$top/build/bin/weftcc
out=""
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) runs=$2; shift 2 ;;
    --weftcc) weftcc=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-cache) export WEFT_TRANSLATE_CACHE=0; shift ;;
    --preamble) export WEFT_TRANSLATE_PREAMBLE=1; shift ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "compile-cost.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
# Three keys a file each round (recompile, edited, first): room for all of
# them, so that the recompile column measures reuse and not eviction.
export WEFT_TRANSLATE_CACHE=${WEFT_TRANSLATE_CACHE:-24}
[ -x "$weftcc" ] || { echo "compile-cost.sh: no weftcc at $weftcc" >&2; exit 2; }
cpu=$(LC_ALL=C lscpu | sed -n 's/^Model name: *//p' | head -n 1)
machine=$(echo "$cpu" | tr 'A-Z' 'a-z' | awk '{print $1"-"$2}')-$(nproc)c
[ -n "$out" ] || out=$top/bench/results/$machine-compile-cost.md

work=$(mktemp -d "${TMPDIR:-/tmp}/weft-ccost.XXXXXX")
export WEFT_TRANSLATE_SOCKDIR=$work/sock
mkdir -m 700 "$WEFT_TRANSLATE_SOCKDIR"
trap '"$weftcc" --weft-server-stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# The large file: 60 functions, each a parallel loop with a reduction, a
# private temporary and some arithmetic, plus serial helpers (~1900 lines).
big=$work/big.c
{
    echo '#include <math.h>'
    echo '#include <stdio.h>'
    echo '#include <stdlib.h>'
    echo '#include <string.h>'
    for f in $(seq 1 60); do
        cat <<EOF

static double helper_$f(double x, int k)
{
    double y = x;
    for (int j = 0; j < k; j++) {
        y = y * 0.5 + sin(x + j) * 0.25;
        if (y > 1e6)
            y = 1e6;
        else if (y < -1e6)
            y = -1e6;
    }
    return y;
}

double kernel_$f(const double *a, double *b, long n, int k)
{
    double sum = 0.0;
    double t;
#pragma omp parallel for reduction(+: sum) private(t) schedule(static)
    for (long i = 0; i < n; i++) {
        t = a[i] * $f.0 + helper_$f(a[i], k);
        if (t > 0)
            t = sqrt(t);
        else
            t = -sqrt(-t);
        b[i] = t;
        sum += t;
    }
    return sum;
}
EOF
    done
    echo
    echo 'int main(int argc, char **argv)'
    echo '{'
    echo '    long n = argc > 1 ? atol(argv[1]) : 1000;'
    echo '    double *a = calloc((size_t)n, sizeof *a);'
    echo '    double *b = calloc((size_t)n, sizeof *b);'
    echo '    double s = 0;'
    echo '    if (!a || !b)'
    echo '        return 1;'
    echo '    for (long i = 0; i < n; i++)'
    echo '        a[i] = (double)i / (double)n;'
    for f in $(seq 1 60); do
        echo "    s += kernel_$f(a, b, n, 3);"
    done
    echo '    printf("%.6f\n", s);'
    echo '    free(a);'
    echo '    free(b);'
    echo '    return 0;'
    echo '}'
} > "$big"

files=()
for s in "$top"/samples/*.c; do
    # cluster_mc.c needs the cluster layer's flags; it is not a plain
    # `cc -c` file.
    [ "$(basename "$s")" = cluster_mc.c ] && continue
    files+=("$s")
done
files+=("$big")

# measure <file> <label> <cmd...>: appends "wall_ms cpu_ms" to
# $work/<label>; the server's worker CPU is added from its report.
measure() {
    local log=$work/$2.$(basename "$1")
    shift 2
    local t
    t=$( { TIMEFORMAT='%R %U %S'; time "$@" > /dev/null 2> "$work/err"; } 2>&1 )
    local extra
    extra=$(sed -n 's/.*server worker .*(cpu \([0-9.]*\) ms).*/\1/p' \
        "$work/err" | awk '{s += $1} END {print s + 0}')
    echo "$t" | awk -v x="$extra" '{printf "%.1f %.1f %.1f\n", $1 * 1000, ($2 + $3) * 1000 + x, x}' >> "$log"
}

median() { # median <column> <file>
    awk -v c="$1" '{print $c}' "$2" | sort -n |
        awk '{v[NR] = $1} END {m = int((NR + 1) / 2);
             print (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2}'
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
# Warm the page cache, and start the server once (the first weftcc starts
# it and translates in process; "server warm" is every later one).
for f in "${files[@]}"; do
    gcc -O2 -c "$f" -o "$work/o.o"
    "$weftcc" -O2 -c "$f" -o "$work/o.o"
done
sleep 1
mkdir "$work/edit"
for f in "${files[@]}"; do
    cp "$f" "$work/edit/"
done
for r in $(seq 1 "$runs"); do
    for f in "${files[@]}"; do
        b=$(basename "$f")
        mkdir -p "$work/first/$r"
        cp "$f" "$work/first/$r/"
        printf '/* edit %d */\n' "$r" >> "$work/edit/$b"
        measure "$f" gcc gcc -O2 -c "$f" -o "$work/g.o"
        measure "$f" server env WEFT_TRANSLATE_TIMES=1 \
            "$weftcc" -O2 -c "$f" -o "$work/s.o"
        measure "$f" edited env WEFT_TRANSLATE_TIMES=1 \
            "$weftcc" -O2 -c "$work/edit/$b" -o "$work/e.o"
        measure "$f" first env WEFT_TRANSLATE_TIMES=1 \
            "$weftcc" -O2 -c "$work/first/$r/$b" -o "$work/f.o"
        measure "$f" inproc env WEFT_TRANSLATE_SERVER=0 \
            "$weftcc" -O2 -c "$f" -o "$work/i.o"
    done
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

{
    echo "# weftcc compile cost: $machine"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $cpu, $(nproc) CPUs, $(gcc --version | head -n 1)."
    echo "Load average before: $load0; after: $load1. $runs interleaved rounds,"
    echo "medians in ms. Generated by bench/compile-cost.sh."
    echo "Server TU cache: WEFT_TRANSLATE_CACHE=$WEFT_TRANSLATE_CACHE; preamble:"
    echo "${WEFT_TRANSLATE_PREAMBLE:-off (default)}. Server columns: recompile"
    echo "(same file unchanged), edited (a comment added each round), first"
    echo "(a never-seen path each round)."
    echo
    echo "| file | lines | gcc -O2 -c | recompile | ratio | edited | ratio | first | ratio | in process | ratio | cpu: gcc | cpu: recompile | ratio | cpu: edited | ratio | cpu: first | ratio | cpu: in process | ratio |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for f in "${files[@]}"; do
        b=$(basename "$f")
        name=$b
        [ "$f" = "$big" ] && name="generated, 60 loops"
        row="| $name | $(wc -l < "$f")"
        for col in 1 2; do
            g=$(median $col "$work/gcc.$b")
            row="$row | $(awk -v g="$g" 'BEGIN { printf "%.0f", g }')"
            for k in server edited first inproc; do
                v=$(median $col "$work/$k.$b")
                row="$row | $(awk -v v="$v" -v g="$g" \
                    'BEGIN { printf "%.0f | %.2f", v, v / g }')"
            done
        done
        echo "$row |"
    done
    echo
    echo "The translation alone: CPU of the server's worker for the request"
    echo "(WEFT_TRANSLATE_TIMES=1), medians in ms."
    echo
    echo "| file | recompile | edited | first |"
    echo "|---|---:|---:|---:|"
    for f in "${files[@]}"; do
        b=$(basename "$f")
        name=$b
        [ "$f" = "$big" ] && name="generated, 60 loops"
        echo "| $name | $(median 3 "$work/server.$b") | $(median 3 "$work/edited.$b") | $(median 3 "$work/first.$b") |"
    done
} > "$out"
cat "$out"
