#!/bin/sh
# This file measures weftcc's compile-time overhead: wall time of N runs of
# `weftcc -O2 -c` against `cc -O2 -c` on the same source (translation is
# the difference). Not a test (timings depend on the machine's load); run
# by hand: overhead.sh <weftcc> <source.c> [runs, default 5].
set -eu
WEFTCC=$1
SRC=$2
RUNS=${3:-5}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/weftcc-overhead.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }

# total_time <runs> <command...>: seconds for all runs, printed.
total_time() {
    n=$1
    shift
    t0=$(now)
    i=0
    while [ $i -lt "$n" ]; do
        "$@" > /dev/null
        i=$((i + 1))
    done
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}

"$WEFTCC" -O2 -c "$SRC" -o "$WORK/warm.o" # warm the caches
cc -O2 -c "$SRC" -o "$WORK/warm.o"
t_cc=$(total_time "$RUNS" cc -O2 -c "$SRC" -o "$WORK/cc.o")
t_weft=$(total_time "$RUNS" "$WEFTCC" -O2 -c "$SRC" -o "$WORK/weft.o")
printf 'source: %s, %s runs each\n' "$SRC" "$RUNS"
awk -v c="$t_cc" -v w="$t_weft" -v n="$RUNS" 'BEGIN {
    printf "cc -O2 -c:     %.3f s per compile\n", c / n
    printf "weftcc -O2 -c: %.3f s per compile\n", w / n
    printf "ratio: %.2fx (goal <= 1.5x)\n", w / c
}'
