#!/bin/sh
# This file handles one end-to-end cluster test of a plain C program with a
# weft cluster pragma: it builds the program serially with cc and with
# weftcc, runs the weftcc build alone (no workers: the loop runs on local
# threads) and through `weftrun -n 3` (a coordinator and two workers), and
# requires the same output as the serial build each time, with at least one
# chunk run remotely (WEFT_STATS). Every process is bounded in time; weftrun
# ends its workers, and WEFT_PARENT_PID ends them if weftrun dies.
# usage: weftcc_run.sh WEFTCC WEFTRUN CC SOURCE WORKDIR [ARGS...]
set -u
WEFTCC=$1 WEFTRUN=$2 CC=$3 SRC=$4 WORK=$5
shift 5
rm -rf "$WORK"
mkdir -p "$WORK"
fail() {
    echo "FAIL [$(basename "$SRC")]: $*"
    for f in "$WORK"/*.out "$WORK"/*.err "$WORK"/stats.json; do
        [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }
    done
    exit 1
}
"$CC" -O2 -o "$WORK/serial" "$SRC" -lm 2>"$WORK/cc.err" || fail "serial build"
"$WEFTCC" -O2 -o "$WORK/weft" "$SRC" -lm 2>"$WORK/weftcc.err" || fail "weftcc build"
timeout 60 "$WORK/serial" "$@" >"$WORK/serial.out" || fail "serial run"
unset WEFT_LISTEN WEFT_JOIN WEFT_SECRET WEFT_SECRET_FILE WEFT_STATS
OMP_NUM_THREADS=2 timeout 60 "$WORK/weft" "$@" >"$WORK/local.out" 2>"$WORK/local.err" ||
    fail "weft run without workers"
cmp -s "$WORK/serial.out" "$WORK/local.out" || fail "no workers: output differs from serial"
# One local thread, so that the workers get a share of the chunks.
OMP_NUM_THREADS=1 WEFT_MIN_WORKERS=2 WEFT_MIN_WORKERS_TIMEOUT=20 \
    WEFT_STATS="$WORK/stats.json" WEFT_PROGRESS=0 \
    timeout 90 "$WEFTRUN" -n 3 "$WORK/weft" "$@" >"$WORK/cluster.out" 2>"$WORK/cluster.err" ||
    fail "weftrun -n 3"
cmp -s "$WORK/serial.out" "$WORK/cluster.out" || fail "weftrun -n 3: output differs from serial"
remote=$(grep -o '"chunks_remote": [0-9]*' "$WORK/stats.json" | awk '{s += $2} END {print s + 0}')
[ "$remote" -gt 0 ] || fail "no chunk ran on a worker"
echo "PASS [$(basename "$SRC")]: $(cat "$WORK/serial.out") ($remote remote chunks)"
