#!/bin/sh
# This file handles the tests of weftcc's translation server (server.c):
# same results with and without it, concurrent clients, recovery from a
# stale socket and a killed server, refusal of an unsafe socket directory,
# idle exit, --weft-server-stop, and that weftcc maps libclang only when it
# translates in process. Usage: server_test.sh <weftcc> <samples dir> <case>.
# Each case runs in a scratch directory with its own socket directory and
# stops its server on exit.
set -u

WEFTCC=$1
SAMPLES=$2
CASE=$3

WORK=$(mktemp -d "${TMPDIR:-/tmp}/weftcc-server.XXXXXX") || exit 1
SOCKDIR=$WORK/sock
cleanup() {
    WEFT_TRANSLATE_SOCKDIR=$SOCKDIR "$WEFTCC" --weft-server-stop \
        > /dev/null 2>&1
    chmod -R u+rwx "$WORK" 2> /dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK" || exit 1
mkdir -m 700 "$SOCKDIR" tmp
TMPDIR=$WORK/tmp
WEFT_TRANSLATE_SOCKDIR=$SOCKDIR
export TMPDIR WEFT_TRANSLATE_SOCKDIR
unset WEFT_CC WEFT_PREFIX WEFT_TRANSLATE_SERVER WEFT_TRANSLATE_IDLE \
    WEFT_TRANSLATE_TIMES WEFT_TRANSLATE_LIB

fail() {
    echo "FAIL [$CASE]: $*" >&2
    exit 1
}

expect_grep() {
    grep -F -q -- "$2" "$1" || { cat "$1" >&2; fail "${3:-$1 lacks '$2'}"; }
}

expect_no_grep() {
    if grep -F -q -- "$2" "$1"; then cat "$1" >&2; fail "${3:-$1 has '$2'}"; fi
}

# daemon_pid: the running server's pid (from its pid file), or nothing.
daemon_pid() {
    cat "$SOCKDIR"/tr-*.pid 2> /dev/null | head -n 1
}

# wait_until <tenths of a second> <shell condition>
wait_until() {
    n=0
    while [ $n -lt "$1" ]; do
        eval "$2" && return 0
        sleep 0.1
        n=$((n + 1))
    done
    return 1
}

# A file with a clause error: weftcc must print the same diagnostic and
# exit the same way with and without the server.
cat > bad.c <<'EOF'
#include <stdio.h>
int main(void) {
    int s = 0;
#pragma omp parallel for reduction(+: nosuchvar)
    for (int i = 0; i < 10; i++)
        s += i;
    printf("%d\n", s);
    return 0;
}
EOF
cat > plain.c <<'EOF'
int plain(int x) { return x + 1; }
EOF

# compile_with <dir> <env assignment>: compiles the samples and bad.c,
# keeping translations, statuses and diagnostics in <dir>.
compile_with() {
    mkdir -p "$1"
    for f in pi histogram stencil; do
        env "$2" "$WEFTCC" -O2 --weft-keep -c "$SAMPLES/$f.c" \
            -o "$1/$f.o" 2> "$1/$f.err"
        echo "$f $?" >> "$1/status"
    done
    env "$2" "$WEFTCC" -O2 --weft-keep -c bad.c -o "$1/bad.o" \
        2> "$1/bad.err"
    echo "bad $?" >> "$1/status"
}

case_same() {
    compile_with inproc WEFT_TRANSLATE_SERVER=0
    # The first weftcc starts the server (and translates in process);
    # the next ones are served by it.
    "$WEFTCC" -v -c plain.c -o p.o 2> p.err || fail "first compile"
    expect_grep p.err "started the server"
    compile_with served WEFT_TRANSLATE_SERVER=1
    "$WEFTCC" -v -c "$SAMPLES/pi.c" -o v.o 2> v.err || fail "-v compile"
    expect_grep v.err "translated by server" "not translated by the server"
    for f in pi histogram stencil; do
        [ -s "inproc/$f.weft.c" ] || fail "no translation of $f kept"
        cmp "inproc/$f.weft.c" "served/$f.weft.c" ||
            fail "$f: the server's translation differs"
        cmp "inproc/$f.o" "served/$f.o" || fail "$f: objects differ"
        [ -s "inproc/$f.err" ] && fail "$f: diagnostics: $(cat inproc/$f.err)"
    done
    cmp inproc/status served/status || fail "exit statuses differ"
    expect_grep inproc/status "bad 1"
    expect_grep inproc/bad.err "bad.c:4:"
    cmp inproc/bad.err served/bad.err ||
        fail "diagnostics differ: $(cat inproc/bad.err) / $(cat served/bad.err)"
    [ -e served/bad.o ] && fail "an object was written for bad.c"
    return 0
}

case_concurrent() {
    "$WEFTCC" -c "$SAMPLES/pi.c" -o warm.o || fail "first compile"
    wait_until 100 '[ -n "$(daemon_pid)" ]' || fail "no server"
    i=0
    while [ $i -lt 8 ]; do
        ( "$WEFTCC" -O2 -v "$SAMPLES/pi.c" -o "pi$i" -lm 2> "c$i.err"
          echo $? > "c$i.rc" ) &
        i=$((i + 1))
    done
    wait
    i=0
    while [ $i -lt 8 ]; do
        [ "$(cat c$i.rc)" = 0 ] || { cat c$i.err >&2; fail "client $i"; }
        expect_grep "c$i.err" "translated by server"
        # A short run of the program: built right, it prints its sum.
        "./pi$i" 1000 > "out$i" 2> /dev/null || fail "pi$i did not run"
        [ $i -gt 0 ] && { cmp out0 "out$i" || fail "pi$i prints otherwise"; }
        i=$((i + 1))
    done
    return 0
}

case_killed() {
    "$WEFTCC" -c "$SAMPLES/pi.c" -o a.o || fail "first compile"
    wait_until 100 '[ -n "$(daemon_pid)" ]' || fail "no server"
    pid=$(daemon_pid)
    # Kill the server and its workers while compiles are under way: each
    # compile still succeeds (in process where its request was lost).
    i=0
    while [ $i -lt 4 ]; do
        ( "$WEFTCC" -O2 -c "$SAMPLES/nbody.c" -o "n$i.o" 2> "n$i.err"
          echo $? > "n$i.rc" ) &
        i=$((i + 1))
    done
    sleep 0.05
    kill -KILL $(pgrep -P "$pid") "$pid" 2> /dev/null
    wait
    i=0
    while [ $i -lt 4 ]; do
        [ "$(cat n$i.rc)" = 0 ] || { cat "n$i.err" >&2; fail "compile $i"; }
        [ $i -gt 0 ] && { cmp n0.o "n$i.o" || fail "n$i.o differs"; }
        i=$((i + 1))
    done
    "$WEFTCC" -c "$SAMPLES/pi.c" -o b.o || fail "compile after the kill"
    cmp a.o b.o || fail "objects differ after the kill"
    # Workers killed while idle: the daemon replaces them.
    wait_until 100 '[ -n "$(daemon_pid)" ]' || fail "no server"
    for w in $(pgrep -P "$(daemon_pid)"); do kill -KILL "$w"; done
    "$WEFTCC" -v -c "$SAMPLES/pi.c" -o d.o 2> d.err ||
        fail "compile after the worker kill"
    expect_grep d.err "translated by server"
    cmp a.o d.o || fail "objects differ after the worker kill"
}

case_stale() {
    "$WEFTCC" -c plain.c -o p0.o || fail "compile"
    wait_until 100 '[ -n "$(daemon_pid)" ]' || fail "no server"
    pid=$(daemon_pid)
    sock=$(ls "$SOCKDIR"/tr-*.sock)
    # Killed outright, the server leaves its socket: a stale one.
    kill -KILL "$pid"
    wait_until 50 '! kill -0 "$pid" 2> /dev/null' || fail "server alive"
    [ -S "$sock" ] || fail "no stale socket left"
    "$WEFTCC" -v -c plain.c -o p1.o 2> p1.err || fail "compile, stale socket"
    expect_grep p1.err "started the server"
    wait_until 100 '[ -n "$(daemon_pid)" ] && [ "$(daemon_pid)" != "$pid" ]' ||
        fail "no new server"
    "$WEFTCC" -v -c plain.c -o p2.o 2> p2.err || fail "compile after restart"
    expect_grep p2.err "translated by server"
    cmp p0.o p2.o || fail "objects differ"
    # --weft-server-stop stops the live server and removes a dead one's
    # socket alike.
    pid=$(daemon_pid)
    kill -KILL "$pid"
    wait_until 50 '! kill -0 "$pid" 2> /dev/null' || fail "server alive"
    "$WEFTCC" -c plain.c -o p3.o || fail "compile"
    wait_until 100 '[ -n "$(daemon_pid)" ] && [ "$(daemon_pid)" != "$pid" ]' ||
        fail "no new server"
    pid=$(daemon_pid)
    "$WEFTCC" --weft-server-stop > stop.out || fail "stop"
    expect_grep stop.out "stopped 1 translation server"
    kill -0 "$pid" 2> /dev/null && fail "the server survived the stop"
    ls "$SOCKDIR"/tr-*.sock > /dev/null 2>&1 && fail "sockets left after stop"
    return 0
}

case_perms() {
    chmod 755 "$SOCKDIR"
    "$WEFTCC" -v -c plain.c -o p.o 2> p.err || fail "compile, mode 0755"
    expect_grep p.err "translating in process"
    expect_grep p.err "not a directory of mode 0700"
    ls "$SOCKDIR" | grep -q . && fail "something was created in $SOCKDIR"
    chmod 700 "$SOCKDIR"
    mkdir -m 700 real
    ln -s "$WORK/real" link
    WEFT_TRANSLATE_SOCKDIR=$WORK/link "$WEFTCC" -v -c plain.c -o q.o \
        2> q.err || fail "compile, symlinked directory"
    expect_grep q.err "translating in process"
    ls real | grep -q . && fail "a symlinked directory was used"
    nm p.o | grep -q ' T plain' || fail "p.o lacks plain"
    # WEFT_TRANSLATE_SERVER=0 turns the server off altogether.
    WEFT_TRANSLATE_SERVER=0 "$WEFTCC" -v -c plain.c -o r.o 2> r.err ||
        fail "compile without server"
    expect_grep r.err "WEFT_TRANSLATE_SERVER=0"
    ls "$SOCKDIR" | grep -q . && fail "WEFT_TRANSLATE_SERVER=0 made a server"
    return 0
}

case_idle() {
    WEFT_TRANSLATE_IDLE=1 "$WEFTCC" -v -c plain.c -o p.o 2> p.err ||
        fail "compile"
    expect_grep p.err "started the server"
    # Loading takes a moment, then one idle second: gone within seconds.
    wait_until 150 '! ls "$SOCKDIR"/tr-*.sock > /dev/null 2>&1' ||
        fail "the server did not exit when idle"
    ls "$SOCKDIR"/tr-*.pid > /dev/null 2>&1 && fail "pid file left"
    return 0
}

case_nolibclang() {
    "$WEFTCC" -c plain.c -o p.o || fail "compile"
    LD_DEBUG=files "$WEFTCC" --version > v.out 2> v.dbg || fail "--version"
    expect_grep v.dbg "file=" "LD_DEBUG=files printed nothing"
    expect_no_grep v.dbg "libclang" "--version loaded libclang"
    LD_DEBUG=files "$WEFTCC" p.o -o p.so -shared > l.out 2> l.dbg ||
        fail "link"
    expect_no_grep l.dbg "libclang" "a link loaded libclang"
    LD_DEBUG=files "$WEFTCC" -E plain.c > e.out 2> e.dbg || fail "-E"
    expect_no_grep e.dbg "libclang" "-E loaded libclang"
    # Served: the client itself never maps it either.
    "$WEFTCC" -c plain.c -o p.o || fail "compile"
    LD_DEBUG=files "$WEFTCC" -c plain.c -o p2.o 2> s.dbg || fail "served"
    expect_no_grep s.dbg "libclang" "a served compile loaded libclang"
    # The control: in process, it does.
    WEFT_TRANSLATE_SERVER=0 LD_DEBUG=files "$WEFTCC" -c plain.c -o p3.o \
        2> i.dbg || fail "in-process compile"
    expect_grep i.dbg "libclang" "the in-process compile did not load libclang"
}

case_"$CASE"
echo "PASS [$CASE]"
