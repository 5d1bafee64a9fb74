#!/bin/sh
# This file handles the MPI transport tests: it runs weft programs under
# mpirun (the cluster tests' programs built with weftcc, the hand-lowered
# cluster_prog, a program that uses MPI itself) and checks their output
# against serial builds, the WEFT_STATS file (chunks done by remote ranks,
# named rankN@host) and the messages of the failure cases (plain MPI_Init,
# a worker rank killed or stopped mid-loop, WEFT_TRANSPORT). Every process
# is bounded in time; ranks run copies of the binaries in WORKDIR, so the
# clean-up kills exactly the processes this script started.
# usage: mpi_test.sh SCENARIO WORKDIR MPIRUN WEFTCC CC PROG SRC "MPI_FLAGS"
set -u
scen=$1 WORK=$2 MPIRUN=$3 WEFTCC=$4 CC=$5 PROG=$6 SRC=$7 MPI_FLAGS=$8
rm -rf "$WORK"
mkdir -p "$WORK"
# Open MPI refuses to run as root without these (CI containers run as root).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Open MPI's own allocations are not ours to report.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
export OMP_NUM_THREADS=1 WEFT_PROGRESS=0
unset WEFT_LISTEN WEFT_JOIN WEFT_SECRET WEFT_SECRET_FILE WEFT_STATS WEFT_TRANSPORT WEFT_MIN_WORKERS

cleanup() {
    for p in $(pgrep -f "$WORK/" 2>/dev/null); do
        [ "$p" != "$$" ] && kill -CONT "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
    done
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
    echo "FAIL [$scen]: $*"
    for f in "$WORK"/*.out "$WORK"/*.err "$WORK"/*.json; do
        [ -f "$f" ] && { echo "--- $f"; tail -n 25 "$f"; }
    done
    exit 1
}

# run_mpi N ARGS...: mpirun with N ranks, bounded (TERM lets mpirun take
# its ranks down; KILL 5 s later if it does not). --oversubscribe: more
# ranks than the machine's 2 cores. btl_vader_single_copy_mechanism none:
# the shared-memory transport's single-copy mode uses CMA/ptrace, which
# containers often forbid; plain copies work everywhere.
run_mpi() {
    n=$1
    shift
    timeout -k 5 25 "$MPIRUN" --oversubscribe \
        --mca btl_vader_single_copy_mechanism none -n "$n" "$@"
}

# remote_chunks FILE: chunks done by workers, from a WEFT_STATS file.
remote_chunks() {
    grep -o '"chunks_remote": [0-9]*' "$1" 2>/dev/null | awk '{s += $2} END {print s + 0}'
}

# check_ranks FILE N: the stats list workers rank1@ .. rank(N-1)@, and
# remote ranks did chunks (which ones did is up to the scheduler's timing).
check_ranks() {
    r=1
    while [ "$r" -lt "$2" ]; do
        grep -q "\"host\": \"rank$r@[^\"]*\", \"role\": \"worker\"" "$1" ||
            fail "stats: MPI rank $r is not a worker"
        r=$((r + 1))
    done
    grep -q '"role": "worker", "chunks": [1-9]' "$1" || fail "stats: no chunk done by a worker rank"
    [ "$(remote_chunks "$1")" -gt 0 ] || fail "stats: no chunk ran on a remote rank"
}

cp "$PROG" "$WORK/prog" || fail "copy $PROG"
PROG=$WORK/prog

case $scen in
weftcc)
    # A cluster test program through weftcc: the same output as the serial
    # build under mpirun -n 1, 2 and 3, with remote chunks for 2 and 3.
    "$CC" -O2 -o "$WORK/serial" "$SRC" -lm 2>"$WORK/cc.err" || fail "serial build"
    "$WEFTCC" -O2 -o "$WORK/weft" "$SRC" -lm 2>"$WORK/weftcc.err" || fail "weftcc build"
    timeout 30 "$WORK/serial" >"$WORK/serial.out" || fail "serial run"
    for n in 1 2 3; do
        WEFT_STATS="$WORK/stats$n.json" run_mpi $n "$WORK/weft" >"$WORK/mpi$n.out" 2>"$WORK/mpi$n.err" ||
            fail "mpirun -n $n exited with $?"
        cmp -s "$WORK/serial.out" "$WORK/mpi$n.out" || fail "mpirun -n $n: output differs from serial"
        if [ $n -gt 1 ]; then
            check_ranks "$WORK/stats$n.json" $n
        elif grep -q '"role": "worker"' "$WORK/stats1.json"; then
            fail "mpirun -n 1 had workers"
        fi
    done
    echo "PASS [$scen $(basename "$SRC")]: $(cat "$WORK/serial.out") ($(remote_chunks "$WORK/stats3.json") remote chunks at -n 3)"
    ;;
prog)
    # The hand-lowered cluster_prog (two loops, to/from/tofrom maps, a
    # reduction, repeated inputs through the cache) checks itself.
    for n in 1 2 3; do
        WEFT_STATS="$WORK/stats$n.json" run_mpi $n "$PROG" -r 3 >"$WORK/mpi$n.out" 2>"$WORK/mpi$n.err" ||
            fail "mpirun -n $n exited with $?"
        [ "$(cat "$WORK/mpi$n.out")" = "cluster_prog: ok" ] || fail "mpirun -n $n: wrong output"
        [ $n -gt 1 ] && check_ranks "$WORK/stats$n.json" $n
    done
    echo "PASS [$scen]: -n 1, 2, 3 ($(remote_chunks "$WORK/stats3.json") remote chunks at -n 3)"
    ;;
mixed)
    # A program that uses MPI itself: rank 0's line equals the serial
    # build's, and every rank checked its own memory (Allreduce).
    "$CC" -O2 -DMIXED_SERIAL -o "$WORK/serial" "$SRC" 2>"$WORK/cc.err" || fail "serial build"
    # shellcheck disable=SC2086
    "$WEFTCC" -O2 -o "$WORK/mixed" "$SRC" $MPI_FLAGS 2>"$WORK/weftcc.err" || fail "weftcc build with MPI"
    timeout 30 "$WORK/serial" >"$WORK/serial.out" || fail "serial run"
    for n in 1 2 3; do
        WEFT_STATS="$WORK/stats$n.json" run_mpi $n "$WORK/mixed" >"$WORK/mpi$n.out" 2>"$WORK/mpi$n.err" ||
            fail "mpirun -n $n exited with $?"
        cmp -s "$WORK/serial.out" "$WORK/mpi$n.out" || fail "mpirun -n $n: output differs from serial"
    done
    check_ranks "$WORK/stats3.json" 3
    echo "PASS [$scen]: $(cat "$WORK/serial.out") ($(remote_chunks "$WORK/stats3.json") remote chunks at -n 3)"
    ;;
plaininit)
    # MPI_Init gives MPI_THREAD_SINGLE: a clear error on the first cluster
    # loop, a non-zero exit, no hang.
    # shellcheck disable=SC2086
    "$WEFTCC" -O2 -o "$WORK/mixed" "$SRC" $MPI_FLAGS 2>"$WORK/weftcc.err" || fail "weftcc build with MPI"
    run_mpi 2 "$WORK/mixed" plain >"$WORK/mpi.out" 2>"$WORK/mpi.err"
    rc=$?
    [ $rc -ne 0 ] || fail "plain MPI_Init: exit status 0"
    [ $rc -ne 124 ] && [ $rc -ne 137 ] || fail "plain MPI_Init: timed out"
    grep -q "initialised MPI with MPI_THREAD_SINGLE.*MPI_Init_thread.*MPI_THREAD_MULTIPLE" "$WORK/mpi.err" ||
        fail "plain MPI_Init: no clear message"
    echo "PASS [$scen]: exit $rc, $(grep -m1 'weft: fatal' "$WORK/mpi.err" | cut -c1-100)..."
    ;;
kill | stop)
    # A worker rank killed (SIGKILL: the launcher notices) or stopped
    # (SIGSTOP: weft's heartbeat check notices) in the middle of a loop:
    # rank 0's progress line showing 3 nodes says a loop runs on all ranks
    # (each rank also records its pid). The job must end within the test's
    # bounds with a non-zero status and a message, and leave no process.
    if [ "$scen" = kill ]; then sig=KILL; else sig=STOP; fi
    WEFT_PROGRESS=1 WEFT_HEARTBEAT_MS=300 timeout -k 5 40 "$MPIRUN" --oversubscribe \
        --mca btl_vader_single_copy_mechanism none -n 3 \
        sh -c 'echo $$ >"$0/pid.$OMPI_COMM_WORLD_RANK"; exec "$0/prog" -n 200000 -w 1 -d 2000 -r 3' "$WORK" \
        >"$WORK/mpi.out" 2>"$WORK/mpi.err" &
    job=$!
    n=0
    until grep -q "3 nodes" "$WORK/mpi.err" 2>/dev/null && [ -s "$WORK/pid.2" ]; do
        kill -0 $job 2>/dev/null || fail "the job ended before a loop ran on 3 ranks"
        n=$((n + 1))
        [ $n -lt 200 ] || fail "no loop ran on 3 ranks within 20 s"
        sleep 0.1
    done
    start=$(date +%s)
    kill -$sig "$(cat "$WORK/pid.2")"
    wait $job
    rc=$?
    took=$(($(date +%s) - start))
    [ $rc -ne 0 ] || fail "exit status 0 after rank 2 got SIG$sig"
    # (137 is mpirun passing on rank 2's SIGKILL, so time tells a hang.)
    [ $rc -ne 124 ] && [ "$took" -lt 15 ] || fail "the job hung after rank 2 got SIG$sig"
    if [ $sig = STOP ]; then
        grep -q "weft: fatal: cluster worker rank2@.* lost: missed 3 heartbeats; ending the MPI job" "$WORK/mpi.err" ||
            fail "no message naming the stopped rank"
    else
        grep -q "rank 2 .*signal 9\|weft: fatal: cluster worker rank2@" "$WORK/mpi.err" ||
            fail "no message naming the killed rank"
    fi
    sleep 0.5
    left=$(pgrep -f "$WORK/" | grep -v "^$$\$" | wc -l)
    [ "$left" -eq 0 ] || fail "$left processes left after the job ended"
    echo "PASS [$scen]: exit $rc after ${took}s"
    ;;
transport)
    # WEFT_TRANSPORT=mpi without a launcher: a clear error.
    WEFT_TRANSPORT=mpi timeout 10 "$PROG" -r 1 >"$WORK/forced.out" 2>"$WORK/forced.err"
    rc=$?
    [ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "WEFT_TRANSPORT=mpi without a launcher: exit $rc"
    grep -q "WEFT_TRANSPORT=mpi, but this process was not started by an MPI launcher" "$WORK/forced.err" ||
        fail "WEFT_TRANSPORT=mpi without a launcher: no clear message"
    # WEFT_TRANSPORT=sockets under mpirun -n 1: the socket layer as usual
    # (a coordinator with WEFT_LISTEN, and a worker joining it).
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
        echo $((20000 + $$ % 30000)))
    # A direct child (WEFT_PARENT_PID ends it with this script; the clean-up
    # kills it too).
    WEFT_JOIN=127.0.0.1:$PORT WEFT_SECRET=mpi-test-secret-$$ WEFT_NODE_NAME=sockw \
        WEFT_PARENT_PID=$$ "$PROG" >"$WORK/worker.out" 2>&1 &
    WEFT_TRANSPORT=sockets WEFT_LISTEN=127.0.0.1:$PORT WEFT_SECRET=mpi-test-secret-$$ \
        WEFT_MIN_WORKERS=1 WEFT_MIN_WORKERS_TIMEOUT=15 WEFT_STATS="$WORK/stats.json" \
        run_mpi 1 "$PROG" -r 2 >"$WORK/sock.out" 2>"$WORK/sock.err" ||
        fail "WEFT_TRANSPORT=sockets under mpirun -n 1 exited with $?"
    [ "$(cat "$WORK/sock.out")" = "cluster_prog: ok" ] || fail "sockets under mpirun: wrong output"
    grep -q '"host": "sockw@' "$WORK/stats.json" || fail "sockets under mpirun: the socket worker did not join"
    [ "$(remote_chunks "$WORK/stats.json")" -gt 0 ] || fail "sockets under mpirun: no remote chunk"
    # WEFT_TRANSPORT=sockets under mpirun -n 2 without WEFT_LISTEN: two
    # plain programs, each running every loop itself.
    WEFT_TRANSPORT=sockets run_mpi 2 "$PROG" -r 1 >"$WORK/plain.out" 2>"$WORK/plain.err" ||
        fail "WEFT_TRANSPORT=sockets under mpirun -n 2 exited with $?"
    [ "$(grep -c '^cluster_prog: ok$' "$WORK/plain.out")" -eq 2 ] || fail "sockets, -n 2: not two plain runs"
    echo "PASS [$scen]: mpi without launcher refused; sockets under mpirun kept"
    ;;
*)
    fail "unknown scenario"
    ;;
esac
exit 0
