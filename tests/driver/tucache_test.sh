#!/bin/sh
# This file handles the tests of the translation server's parsed-TU cache
# (translator/tucache.c): a file compiled again through the server (same
# worker: WEFT_TRANSLATE_WORKERS=1) must translate byte for byte as in
# process (WEFT_TRANSLATE_SERVER=0), with the same diagnostics and exit
# status, after every kind of change: the main file edited (same size,
# same mtime), a header edited (same size, mtime put back), a header added
# earlier in the include path, -D changed, another directory with the same
# relative path, a header deleted. The cache's decisions are read from
# WEFT_TRANSLATE_TIMES=1 ("TU cache hit ..." / "TU cache miss (why)"), so
# that each test also proves the cache was really used.
# Usage: tucache_test.sh <weftcc> <fake cc> <tests/e2e/progs dir> <case>
# [preamble]: with "preamble", cached TUs get precompiled preambles
# (WEFT_TRANSLATE_PREAMBLE=1).
set -u

WEFTCC=$1
FAKECC=$2
PROGS=$3
CASE=$4
MODE=${5:-}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/weftcc-tucache.XXXXXX") || exit 1
SOCKDIR=$WORK/sock
cleanup() {
    WEFT_TRANSLATE_SOCKDIR=$SOCKDIR "$WEFTCC" --weft-server-stop \
        > /dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK" || exit 1
mkdir -m 700 "$SOCKDIR" tmp
TMPDIR=$WORK/tmp
WEFT_TRANSLATE_SOCKDIR=$SOCKDIR
# Translation only: the stand-in compiler exits at once (fakecc.sh).
WEFT_CC=$FAKECC
FAKECC_EXIT=0
WEFT_TRANSLATE_WORKERS=1
export TMPDIR WEFT_TRANSLATE_SOCKDIR WEFT_CC FAKECC_EXIT \
    WEFT_TRANSLATE_WORKERS
unset WEFT_PREFIX WEFT_TRANSLATE_SERVER WEFT_TRANSLATE_IDLE \
    WEFT_TRANSLATE_TIMES WEFT_TRANSLATE_LIB WEFT_TRANSLATE_CACHE \
    WEFT_TRANSLATE_CACHE_RSS_MB WEFT_TRANSLATE_PREAMBLE FAKECC_LOG
if [ "$MODE" = preamble ]; then
    WEFT_TRANSLATE_PREAMBLE=1
    export WEFT_TRANSLATE_PREAMBLE
fi

fail() {
    echo "FAIL [$CASE $MODE]: $*" >&2
    exit 1
}

# daemon_pid: the running server's pid (from its pid file), or nothing.
daemon_pid() {
    cat "$SOCKDIR"/tr-*.pid 2> /dev/null | head -n 1
}

wait_until() {
    n=0
    while [ $n -lt "$1" ]; do
        eval "$2" && return 0
        sleep 0.1
        n=$((n + 1))
    done
    return 1
}

# start_server [env assignments...]: a fresh server with that environment
# (the first weftcc starts it), ready to serve.
start_server() {
    WEFT_TRANSLATE_SOCKDIR=$SOCKDIR "$WEFTCC" --weft-server-stop \
        > /dev/null 2>&1
    printf 'int start_it;\n' > start.c
    env "$@" "$WEFTCC" -c start.c -o start.o || fail "starting the server"
    wait_until 100 '[ -n "$(daemon_pid)" ]' || fail "no server"
    # Served once the worker is up: a request that reaches it.
    wait_until 100 '"$WEFTCC" -v -c start.c -o start.o 2>&1 |
        grep -q "translated by server"' || fail "server not serving"
}

# check <label> <expected cache word> <src> [cc args...]: translates src in
# process and through the server; the translations, diagnostics and exit
# statuses must be equal, and the server's cache must have said the
# expected word ("hit, unchanged", "hit, re-parse", "miss", or "-" for
# anything). Leaves the served translation in <label>.s.weft.c.
check() {
    label=$1
    want=$2
    src=$3
    shift 3
    rm -f "$label".i.weft.c "$label".s.weft.c
    WEFT_TRANSLATE_SERVER=0 "$WEFTCC" --weft-keep -c "$@" "$src" \
        -o "$label.i.o" 2> "$label.i.err"
    echo $? > "$label.i.rc"
    WEFT_TRANSLATE_TIMES=1 "$WEFTCC" --weft-keep -c "$@" "$src" \
        -o "$label.s.o" 2> "$label.s.all"
    echo $? > "$label.s.rc"
    grep -q "^weftcc: time: translate .* by server" "$label.s.all" ||
        { cat "$label.s.all" >&2; fail "$label: not translated by server"; }
    # The diagnostics alone: the timings go.
    grep -v -e '^weftcc: time: ' -e '^weft-translate: time: ' \
        "$label.s.all" > "$label.s.err"
    grep -v -e '^weftcc: time: ' "$label.i.err" > "$label.i.diag"
    cmp -s "$label.i.rc" "$label.s.rc" ||
        fail "$label: exit $(cat "$label.i.rc") in process," \
            "$(cat "$label.s.rc") served"
    cmp -s "$label.i.diag" "$label.s.err" || {
        diff "$label.i.diag" "$label.s.err" >&2
        fail "$label: diagnostics differ"
    }
    if [ -e "$label.i.weft.c" ] || [ -e "$label.s.weft.c" ]; then
        cmp "$label.i.weft.c" "$label.s.weft.c" ||
            fail "$label: the served translation differs"
    fi
    if [ "$want" != "-" ]; then
        grep "TU cache" "$label.s.all" | head -n 1 | grep -q -- "$want" || {
            grep "TU cache" "$label.s.all" >&2
            fail "$label: expected a cache $want"
        }
    fi
    # Scratch files of later passes never reach the cache.
    grep "TU cache" "$label.s.all" | grep -q "weft-pass" &&
        fail "$label: a later pass's scratch file used the cache"
    return 0
}

# The user's project: a header found through -I (two candidates), a local
# header, and a loop whose translation shows both headers' values.
make_project() {
    mkdir -p inc1 inc2
    # acc_t's type shows in the translation (the reduction's type).
    cat > inc2/vals.h <<'EOF'
#define SCALE 3
typedef long acc_t;
static inline int twice(int x) { return 2 * x; }
EOF
    cat > local.h <<'EOF'
#define LOCAL_N 100
EOF
    cat > main.c <<'EOF'
#include <stdio.h>
#include <vals.h>
#include "local.h"
#ifndef K
#define K 1
#endif
#if NARROW
#define ACC short
#else
#define ACC acc_t
#endif
int main(void) {
    ACC s = 0;
#pragma omp parallel for reduction(+: s) schedule(static, 4)
    for (int i = 0; i < LOCAL_N; i++)
        s += twice(i) * SCALE * K;
    printf("%ld\n", (long)s);
    return 0;
}
EOF
    # Files older than the cache's racy window, as in a real project.
    sleep 0.3
}

case_edits() {
    start_server
    make_project
    check first miss main.c -Iinc1 -Iinc2
    check again "hit, unchanged" main.c -Iinc1 -Iinc2
    grep -q 'schedule_static\|static' again.s.weft.c || fail "odd output"
    # The main file: same size, mtime put back to the nanosecond.
    touch -r main.c ref
    sed -i 's/static, 4/static, 7/' main.c
    touch -r ref main.c
    check main_same_size "hit, re-parse" main.c -Iinc1 -Iinc2
    grep -q '7' main_same_size.s.weft.c || fail "the edit is not in the output"
    cmp -s again.s.weft.c main_same_size.s.weft.c && fail "main edit missed"
    # A header the parse read: same size, mtime put back.
    touch -r inc2/vals.h ref
    sed -i 's/typedef long/typedef char/' inc2/vals.h
    touch -r ref inc2/vals.h
    check header_same_size "miss (an included file changed" main.c \
        -Iinc1 -Iinc2
    cmp -s main_same_size.s.weft.c header_same_size.s.weft.c &&
        fail "header edit missed"
    sleep 0.3
    # (A parse right after an edit is not trusted: one more compile.)
    check after_header0 - main.c -Iinc1 -Iinc2
    check after_header "hit, unchanged" main.c -Iinc1 -Iinc2
    # A header added earlier in the include path now wins.
    printf '#define SCALE 11\ntypedef int acc_t;\n%s\n' \
        'static inline int twice(int x) { return x; }' > inc1/vals.h
    check shadowed "miss (an include may resolve" main.c -Iinc1 -Iinc2
    cmp -s after_header.s.weft.c shadowed.s.weft.c &&
        fail "the new header was not used"
    # A local header (quoted include) edited, grown this time.
    sleep 0.3
    check before_local - main.c -Iinc1 -Iinc2
    printf '#define LOCAL_N 1000\n' > local.h
    check local_edit miss main.c -Iinc1 -Iinc2
    # -D changed: another key; each translation as in process.
    sleep 0.3
    check d3 - main.c -Iinc1 -Iinc2 -DNARROW=1
    check d4 - main.c -Iinc1 -Iinc2 -DNARROW=0
    check d3b "hit" main.c -Iinc1 -Iinc2 -DNARROW=1
    cmp -s d3.s.weft.c d4.s.weft.c && fail "-D did not change the output"
    # The shadowing header deleted: the first one is found again.
    rm inc1/vals.h
    check unshadowed miss main.c -Iinc1 -Iinc2
    # The header deleted altogether: the same error as in process.
    sleep 0.3
    check before_rm - main.c -Iinc1 -Iinc2
    rm inc2/vals.h
    check deleted miss main.c -Iinc1 -Iinc2
    [ "$(cat deleted.s.rc)" = 0 ] && fail "no error for a missing header"
    grep -q "vals.h" deleted.s.err || fail "no diagnostic naming vals.h"
    return 0
}

case_cwd() {
    start_server
    mkdir a b
    for d in a b; do
        cat > $d/main.c <<EOF
int f(int *v, int n) {
#pragma omp parallel for schedule(dynamic, $( [ $d = a ] && echo 2 || echo 9 ))
    for (int i = 0; i < n; i++)
        v[i] += 1;
    return n;
}
EOF
    done
    sleep 0.3
    (cd a && check a1 miss main.c) || exit 1
    (cd a && check a2 "hit, unchanged" main.c) || exit 1
    # Same relative path, same size, another directory: another key.
    (cd b && check b1 miss main.c) || exit 1
    cmp -s a/a2.s.weft.c b/b1.s.weft.c && fail "b/main.c got a/main.c's output"
    (cd a && check a3 "hit, unchanged" main.c) || exit 1
    return 0
}

case_diags() {
    start_server
    # A clause error and a C error: reported once, at the same place, on
    # every compile, cached or not.
    cat > bad.c <<'EOF'
#include <stdlib.h>
int g(int *v, int n) {
    int s = 0;
#pragma omp parallel for reduction(+: nosuch)
    for (int i = 0; i < n; i++)
        s += v[i];
    return s;
}
EOF
    cat > cerr.c <<'EOF'
#include <stdio.h>
int h(void) {
    return undeclared_thing + 1;
}
EOF
    # A header with a directive (an error) and one in #if 0 (skipped).
    cat > hdr.h <<'EOF'
static inline int hh(int *v, int n) {
#if 0
#pragma omp parallel for
#endif
    for (int i = 0; i < n; i++)
        v[i] = 0;
    return n;
}
EOF
    printf '#include "hdr.h"\nint use(int *v) { return hh(v, 4); }\n' \
        > usehdr.c
    sleep 0.3
    for f in bad cerr usehdr; do
        check ${f}1 miss $f.c
        check ${f}2 "hit" $f.c
        check ${f}3 "hit" $f.c
    done
    grep -q "bad.c:4:" bad3.s.err || fail "clause error not at bad.c:4"
    [ "$(grep -c error bad3.s.err)" = 1 ] || fail "error not reported once"
    grep -q "cerr.c:3:" cerr3.s.err || fail "C error not at cerr.c:3"
    [ "$(cat usehdr3.s.rc)" = 0 ] || fail "a skipped directive was reported"
    # Edited (a comment added): re-parsed, the same diagnostics again.
    for f in bad cerr; do
        printf '/* edited */\n' >> $f.c
        check ${f}4 "hit, re-parse" $f.c
        check ${f}5 "hit" $f.c
    done
    grep -q "bad.c:4:" bad5.s.err || fail "clause error not at bad.c:4"
    [ "$(grep -c error bad5.s.err)" = 1 ] || fail "error not reported once"
    grep -q "cerr.c:3:" cerr5.s.err || fail "C error not at cerr.c:3"
    # The header's directive made active: now an error in hdr.h.
    sed -i '/^#if 0$/d; /^#endif$/d' hdr.h
    check usehdr4 miss usehdr.c
    grep -q "hdr.h:2:" usehdr4.s.err || fail "header directive not reported"
    check usehdr5 - usehdr.c
    return 0
}

# The cache never changes a translation: end-to-end programs (every
# tenth, and all of those with macros that expand to directives or nested
# constructs: the macro.c rewrite and later passes), the first time (miss),
# again (a hit, compared with the first in-process translation: after a
# macro.c rewrite the TU holds other text and is re-parsed)
# and edited (a comment added: hit, re-parse), each as in process.
case_e2e() {
    start_server
    n=0
    i=0
    for p in "$PROGS"/*.c; do
        b=$(basename "$p" .c)
        i=$((i + 1))
        case $b in
        pragma_macro* | nested_*) ;;
        *) [ $((i % 10)) = 0 ] || continue ;;
        esac
        mkdir -p "e/$b"
        cp "$p" "e/$b/$b.c"
        n=$((n + 1))
    done
    [ $n -ge 15 ] || fail "only $n programs in $PROGS"
    sleep 0.3
    for d in e/*; do
        b=$(basename "$d")
        (
            cd "$d" || exit 1
            check x1 miss "$b.c" -I"$PROGS"
            WEFT_TRANSLATE_TIMES=1 "$WEFTCC" --weft-keep -c -I"$PROGS" \
                "$b.c" -o x2.s.o 2> x2.s.all
            grep -q "TU cache hit" x2.s.all || fail "x2: no hit"
            if [ -e x1.i.weft.c ] || [ -e x2.s.weft.c ]; then
                cmp x1.i.weft.c x2.s.weft.c || fail "x2 differs"
            fi
            printf '\n/* edited */\n' >> "$b.c"
            check x3 "hit, re-parse" "$b.c" -I"$PROGS"
        ) || fail "$b"
    done
    return 0
}

case_limits() {
    for f in a b c; do
        printf 'int %s(int *v, int n) {\n#pragma omp parallel for\n' $f > $f.c
        printf '    for (int i = 0; i < n; i++)\n        v[i] = %s;\n' \
            "$(printf %d "'$f")" >> $f.c
        printf '    return n;\n}\n' >> $f.c
    done
    sleep 0.3
    # Two entries: the least recently used one goes.
    start_server WEFT_TRANSLATE_CACHE=2
    check a1 miss a.c
    check b1 miss b.c
    check a2 "hit" a.c
    check c1 miss c.c
    check a3 "hit" a.c
    check b2 miss b.c
    # Off in the server.
    start_server WEFT_TRANSLATE_CACHE=0
    check off1 - a.c
    check off2 - a.c
    grep -q "TU cache" off2.s.all && fail "WEFT_TRANSLATE_CACHE=0 cached"
    # Off for one request.
    start_server
    check on1 miss a.c
    WEFT_TRANSLATE_CACHE=0
    export WEFT_TRANSLATE_CACHE
    check on2 - a.c
    unset WEFT_TRANSLATE_CACHE
    grep -q "TU cache" on2.s.all && fail "a request with CACHE=0 used it"
    check on3 "hit" a.c
    # Above the memory cap (1 MB: always), nothing is kept.
    start_server WEFT_TRANSLATE_CACHE_RSS_MB=1
    check rss1 miss a.c
    check rss2 miss a.c
    return 0
}

# Preambles (libclang's temporary files) are written to the server's
# private directory, never $TMPDIR, and none is left behind: not by a
# killed worker, not by the stopped server.
case_tmpfiles() {
    WEFT_TRANSLATE_PREAMBLE=1
    export WEFT_TRANSLATE_PREAMBLE
    start_server
    make_project
    check t1 miss main.c -Iinc2
    printf '/* edit */\n' >> main.c
    check t2 "hit, re-parse" main.c -Iinc2
    ls "$SOCKDIR"/tr-*.tmp/w*/preamble-* > pch.list 2> /dev/null ||
        fail "no preamble in the server's directory"
    # No preamble in TMPDIR (weftcc's own weftcc-XXXXXX work directory may
    # still be going away when this runs: it is not what this case checks).
    find tmp -name 'preamble-*' | grep -q . &&
        fail "a preamble was written to TMPDIR: $(find tmp -name 'preamble-*')"
    mode=$(stat -c %a "$SOCKDIR"/tr-*.tmp)
    [ "$mode" = 700 ] || fail "the preamble directory has mode $mode"
    # A worker killed: the daemon removes its directory.
    w=$(pgrep -P "$(daemon_pid)")
    [ -n "$w" ] || fail "no worker"
    kill -KILL $w
    wait_until 50 '! ls -d "$SOCKDIR"/tr-*.tmp/w'"$w"' > /dev/null 2>&1' ||
        fail "the killed worker's preambles were left"
    check t3 - main.c -Iinc2
    printf '/* edit 2 */\n' >> main.c
    check t4 "hit, re-parse" main.c -Iinc2
    ls "$SOCKDIR"/tr-*.tmp/w*/preamble-* > /dev/null 2>&1 ||
        fail "no preamble after the restart"
    "$WEFTCC" --weft-server-stop > /dev/null || fail "stop"
    ls -d "$SOCKDIR"/tr-*.tmp > /dev/null 2>&1 &&
        fail "preambles left after --weft-server-stop: $(find "$SOCKDIR")"
    # No preamble in TMPDIR (weftcc's own weftcc-XXXXXX work directory may
    # still be going away when this runs: it is not what this case checks).
    find tmp -name 'preamble-*' | grep -q . &&
        fail "a preamble was written to TMPDIR: $(find tmp -name 'preamble-*')"
    # The idle exit cleans up the same way.
    # Idle after 6 s: long enough that t5 and t6 (two translations on a
    # loaded 2-CPU machine) cannot straddle it.
    start_server WEFT_TRANSLATE_IDLE=6
    WEFT_TRANSLATE_TIMES=1 "$WEFTCC" -c main.c -Iinc2 -o t5.o 2> t5.err ||
        fail "t5"
    printf '/* edit 3 */\n' >> main.c
    WEFT_TRANSLATE_TIMES=1 "$WEFTCC" -c main.c -Iinc2 -o t6.o 2> t6.err ||
        fail "t6"
    grep -q "hit, re-parse" t6.err || { cat t5.err t6.err >&2; fail "t6 no hit"; }
    ls "$SOCKDIR"/tr-*.tmp/w*/preamble-* > /dev/null 2>&1 ||
        fail "no preamble before the idle exit"
    wait_until 300 '! ls "$SOCKDIR"/tr-*.sock > /dev/null 2>&1' ||
        fail "the server did not exit when idle"
    ls -d "$SOCKDIR"/tr-*.tmp > /dev/null 2>&1 &&
        fail "preambles left after the idle exit"
    return 0
}

case_"$CASE"
echo "PASS [$CASE $MODE]"
