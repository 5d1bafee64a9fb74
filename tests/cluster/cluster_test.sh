#!/bin/sh
# This file handles the loopback cluster tests: it runs cluster_prog as a
# coordinator with workers in one scenario (through weftrun, hand-started
# workers, a worker killed or stopped mid-loop, a late worker, no worker, a
# wrong secret, another binary, the input cache, weftrun's --hosts path
# through a stand-in ssh), checks the program's own
# verdict (it compares with its serial loops), the WEFT_STATS file and the
# processes' messages, bounds every process in time and kills every child
# it started on the way out.
# usage: cluster_test.sh SCENARIO PROG OTHER_PROG WEFTRUN WORKDIR
set -u
scen=$1 PROG=$2 OTHER=$3 WEFTRUN=$4 WORK=$5
rm -rf "$WORK"
mkdir -p "$WORK"
PIDS=""
cleanup() {
    for p in $PIDS; do
        kill -CONT "$p" 2>/dev/null
        kill -KILL "$p" 2>/dev/null
    done
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
    echo "FAIL [$scen]: $*"
    for f in "$WORK"/*.out "$WORK"/*.err "$WORK"/*.log "$WORK"/*.json; do
        [ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }
    done
    exit 1
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
        echo $((20000 + $$ % 30000))
}

PORT=$(free_port)
SECRET=cluster-test-secret-$$
STATS=$WORK/stats.json
unset WEFT_LISTEN WEFT_JOIN WEFT_SECRET WEFT_SECRET_FILE WEFT_STATS WEFT_MIN_WORKERS

# start_worker NAME [SECRET [BINARY]]: a hand-started worker in the
# background, a direct child of this shell (so signals reach the worker
# itself); WEFT_PARENT_PID makes it end with this script, whatever kills it.
start_worker() {
    WEFT_JOIN=127.0.0.1:$PORT WEFT_SECRET=${2:-$SECRET} WEFT_NODE_NAME=$1 \
        WEFT_PARENT_PID=$$ "${3:-$PROG}" >"$WORK/$1.log" 2>&1 &
    eval "PID_$1=$!"
    PIDS="$PIDS $!"
}

# run_coord ARGS...: the coordinator in the foreground, bounded in time.
run_coord() {
    WEFT_LISTEN=127.0.0.1:$PORT WEFT_SECRET=$SECRET WEFT_STATS=$STATS \
        timeout -s KILL 50 "$PROG" "$@" >"$WORK/coord.out" 2>"$WORK/coord.err"
    COORD_RC=$?
}

# start_coord ARGS...: the coordinator in the background.
start_coord() {
    WEFT_LISTEN=127.0.0.1:$PORT WEFT_SECRET=$SECRET WEFT_STATS=$STATS \
        timeout -s KILL 50 "$PROG" "$@" >"$WORK/coord.out" 2>"$WORK/coord.err" &
    COORD_PID=$!
    PIDS="$PIDS $!"
}

wait_coord() {
    wait "$COORD_PID"
    COORD_RC=$?
}

# wait_exit PID SECONDS: waits for a background process to end on its own.
wait_exit() {
    n=0
    while kill -0 "$1" 2>/dev/null; do
        n=$((n + 1))
        [ $n -gt $(($2 * 10)) ] && return 1
        sleep 0.1
    done
    wait "$1"
}

# wait_joined N: waits (at most 20 s) until N workers hold connections to
# the coordinator's port, then a little longer for their handshakes.
wait_joined() {
    if ! command -v ss >/dev/null 2>&1; then
        sleep 2 # no ss (iproute2): give the workers time instead
        return
    fi
    n=0
    while [ "$(ss -Htn state established "( sport = :$PORT )" 2>/dev/null | wc -l)" -lt "$1" ]; do
        n=$((n + 1))
        [ $n -gt 200 ] && fail "workers did not join"
        sleep 0.1
    done
    sleep 0.3
}

check_ok() {
    [ "$COORD_RC" -eq 0 ] || fail "coordinator exited with $COORD_RC"
    grep -q "cluster_prog: ok" "$WORK/coord.out" || fail "results differ from the serial loop"
}

# Sum of chunks_remote over every loop in the stats file.
remote_chunks() {
    sed -n 's/.*"chunks_remote": \([0-9]*\).*/\1/p' "$STATS" | awk '{s += $1} END {print s + 0}'
}

# chunks of worker node number $1 (1-based, in joining order).
worker_chunks() {
    grep '"role": "worker"' "$STATS" | sed -n "${1}p" |
        sed -n 's/.*"chunks": \([0-9]*\).*/\1/p'
}

nworkers() {
    grep -c '"role": "worker"' "$STATS"
}

case $scen in
weftrun)
    WEFT_STATS=$STATS WEFT_MIN_WORKERS=2 WEFT_MIN_WORKERS_TIMEOUT=20 \
        timeout -s KILL 50 "$WEFTRUN" -n 3 "$PROG" -n 20000 -w 100 -r 2 -d 2001 \
        >"$WORK/coord.out" 2>"$WORK/coord.err"
    COORD_RC=$?
    check_ok
    [ "$(nworkers)" -eq 2 ] || fail "expected 2 workers in the stats"
    [ "$(remote_chunks)" -gt 0 ] || fail "no chunk ran remotely"
    # Workers' lines come back prefixed; no worker may outlive weftrun.
    ! pgrep -f "$PROG -n 20000 -w 100 -r 2 -d 2001" >/dev/null || fail "processes left behind"
    ;;
interrupt)
    # Ctrl-C on weftrun mid-loop ends the coordinator and every worker.
    WEFT_MIN_WORKERS=2 timeout -s KILL 50 "$WEFTRUN" -n 3 "$PROG" -n 20000 -w 20 -r 5 -d 20001 \
        >"$WORK/coord.out" 2>"$WORK/coord.err" &
    RUN_PID=$!
    PIDS="$PIDS $RUN_PID"
    sleep 1.5
    pgrep -f "$PROG -n 20000 -w 20 -r 5 -d 20001" >/dev/null || fail "the cluster did not start"
    kill -INT "$RUN_PID"
    wait_exit "$RUN_PID" 15
    rc=$?
    [ $rc -eq 130 ] || fail "weftrun exited with $rc, not 130 (SIGINT)"
    sleep 0.5
    ! pgrep -f "$PROG -n 20000 -w 20 -r 5 -d 20001" >/dev/null || fail "processes left behind"
    ;;
join)
    start_coord -n 20000 -w 100 -r 2 -d 2000
    export WEFT_MIN_WORKERS=2
    start_worker w1
    start_worker w2
    wait_coord
    check_ok
    [ "$(nworkers)" -eq 2 ] || fail "expected 2 workers in the stats"
    [ "$(remote_chunks)" -gt 0 ] || fail "no chunk ran remotely"
    wait_exit "$PID_w1" 10 || fail "worker w1 did not leave after the coordinator ended"
    wait_exit "$PID_w2" 10 || fail "worker w2 did not leave after the coordinator ended"
    ;;
kill | stop)
    export WEFT_MIN_WORKERS=2 WEFT_HEARTBEAT_MS=200
    start_coord -n 20000 -w 20 -r 1 -d 20000
    start_worker w1
    start_worker w2
    wait_joined 2
    sleep 0.5
    if [ "$scen" = kill ]; then
        kill -KILL "$PID_w1"
    else
        kill -STOP "$PID_w1"
    fi
    wait_coord
    check_ok
    if [ "$scen" = kill ]; then
        grep -q "lost: connection closed" "$WORK/coord.err" || fail "the killed worker was not noticed"
    else
        grep -q "lost: missed 3 heartbeats" "$WORK/coord.err" || fail "the stopped worker was not noticed"
        kill -CONT "$PID_w1"
    fi
    wait_exit "$PID_w2" 10 || fail "worker w2 did not leave"
    ;;
crash)
    # A worker dies of SIGSEGV on any chunk reaching iteration 10000, so
    # every worker dies once the loop gets there. Either local threads run
    # the re-queued chunks and the loop ends well, or one chunk fails on
    # three workers and the program ends with an error naming it; both must
    # report the signal.
    # (TSan keeps its own SIGSEGV handler unless told not to; ASan ignores
    # the worker's handler whatever it is told, so there only the loss of
    # the worker can be checked.)
    export WEFT_MIN_WORKERS=3 WEFT_HEARTBEAT_MS=200
    export TSAN_OPTIONS="${TSAN_OPTIONS:+$TSAN_OPTIONS:}handle_segv=0"
    start_coord -n 20000 -w 20 -r 1 -d 3000 -k 10000
    start_worker w1
    start_worker w2
    start_worker w3
    wait_coord
    if [ "${CLUSTER_TEST_ASAN:-0}" = 1 ]; then
        grep -q "lost: " "$WORK/coord.err" || fail "the crashed worker was not noticed"
    else
        grep -q "killed by signal 11" "$WORK/coord.err" ||
            fail "the crash signal was not reported"
    fi
    if [ "$COORD_RC" -eq 0 ]; then
        check_ok
    else
        grep -q "cluster chunk \[[0-9]*, [0-9]*) of the loop at cluster_prog.c:40 failed on 3 workers" \
            "$WORK/coord.err" || fail "the coordinator failed without naming the chunk"
    fi
    ;;
smallcache)
    # The worker's input cache cannot hold x: it answers NEED each time,
    # sits the loop out after a few misses, and the results stay right.
    export WEFT_MIN_WORKERS=1
    start_coord -n 20000 -w 20 -r 2
    WEFT_INPUT_CACHE=4K start_worker w1
    wait_coord
    check_ok
    grep -q "sits this loop out" "$WORK/coord.err" || fail "the worker was not left out"
    grep -q "cannot store an input section" "$WORK/w1.log" || fail "the worker did not refuse the input"
    ;;
late)
    export WEFT_MIN_WORKERS=1
    start_coord -n 20000 -w 20 -r 1 -d 20000
    start_worker w1
    wait_joined 1
    sleep 0.4
    start_worker w2
    wait_coord
    check_ok
    [ "$(nworkers)" -eq 2 ] || fail "the late worker did not join"
    [ "$(worker_chunks 2)" -gt 0 ] || fail "the late worker ran no chunk"
    ;;
zero)
    run_coord -n 5000 -w 50 -r 2
    check_ok
    [ "$(remote_chunks)" -eq 0 ] || fail "remote chunks without workers"
    # And without WEFT_LISTEN at all.
    timeout -s KILL 50 "$PROG" -n 5000 -w 50 -r 2 >"$WORK/plain.out" 2>&1 ||
        fail "plain run failed"
    grep -q "cluster_prog: ok" "$WORK/plain.out" || fail "plain run results differ"
    ;;
secret | other)
    export WEFT_MIN_WORKERS=1 WEFT_MIN_WORKERS_TIMEOUT=5
    start_coord -n 20000 -w 50 -r 2
    if [ "$scen" = secret ]; then
        start_worker w1 wrong-secret-0123456789
    else
        start_worker w1 "$SECRET" "$OTHER"
    fi
    wait_coord
    check_ok
    [ "$(remote_chunks)" -eq 0 ] || fail "a refused worker ran chunks"
    grep -q "refused a cluster worker" "$WORK/coord.err" || fail "no refusal reported"
    wait_exit "$PID_w1" 10
    rc=$?
    [ $rc -ne 0 ] || fail "the refused worker exited 0"
    grep -q "refused us" "$WORK/w1.log" || fail "the worker did not report the refusal"
    ;;
cache)
    WEFT_STATS=$STATS WEFT_MIN_WORKERS=1 WEFT_MIN_WORKERS_TIMEOUT=20 \
        timeout -s KILL 50 "$WEFTRUN" -n 2 "$PROG" -n 40000 -w 100 -r 3 \
        >"$WORK/coord.out" 2>"$WORK/coord.err"
    COORD_RC=$?
    check_ok
    # Loop 1's x is 40000 doubles: sent in the first call only.
    grep '"key": "cluster_prog.c:40:1"' "$STATS" |
        sed -n 's/.*"chunks_remote": \([0-9]*\).*"bytes_sent": \([0-9]*\).*/\1 \2/p' \
            >"$WORK/bytes.txt"
    [ "$(wc -l <"$WORK/bytes.txt")" -eq 3 ] || fail "expected 3 calls of loop 1"
    awk 'NR == 1 {c1 = $1; b1 = $2}
         NR > 1 && $1 > 0 && !($2 < b1 - 300000 && $2 < 320000) {bad = 1}
         END {exit (c1 > 0 && b1 > 320000 && !bad) ? 0 : 1}' "$WORK/bytes.txt" ||
        fail "bytes sent did not drop after the first call: $(tr '\n' ' ' <"$WORK/bytes.txt")"
    ;;
hosts)
    # The --hosts path, with a stand-in ssh that runs the command here.
    mkdir -p "$WORK/bin"
    cp "$(dirname "$0")/fake_ssh.sh" "$WORK/bin/ssh"
    chmod +x "$WORK/bin/ssh"
    PATH=$WORK/bin:$PATH WEFT_STATS=$STATS WEFT_MIN_WORKERS=2 WEFT_MIN_WORKERS_TIMEOUT=20 \
        timeout -s KILL 50 "$WEFTRUN" --hosts hostA,hostB -n 3 "$PROG" -n 20000 -w 100 -r 1 \
        >"$WORK/coord.out" 2>"$WORK/coord.err"
    COORD_RC=$?
    check_ok
    [ "$(nworkers)" -eq 2 ] || fail "expected 2 workers in the stats"
    [ "$(remote_chunks)" -gt 0 ] || fail "no chunk ran remotely"
    ;;
*)
    fail "unknown scenario"
    ;;
esac
echo "PASS [$scen]"
