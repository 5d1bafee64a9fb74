#!/bin/sh
# This file handles the weftcc driver tests: each case checks one family of
# gcc-compatible behaviour (outputs, response files, dependency files,
# pass-through inputs, exit statuses, temporaries) in a private scratch
# directory. Usage: driver_test.sh <weftcc> <fakecc.sh> <case>. Every case
# also checks that weftcc left nothing in its TMPDIR.
set -u

WEFTCC=$1
CASE=$3

WORK=$(mktemp -d "${TMPDIR:-/tmp}/weftcc-test.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
mkdir tmp src
TMPDIR=$WORK/tmp
export TMPDIR
unset WEFT_CC WEFT_PREFIX FAKECC_LOG FAKECC_EXIT FAKECC_SLEEP FAKECC_PIDFILE
# The stand-in compiler is run directly by weftcc: make sure it can be.
FAKECC=$WORK/fakecc
cp "$2" "$FAKECC" && chmod +x "$FAKECC" || exit 1

fail() {
    echo "FAIL [$CASE]: $*" >&2
    exit 1
}

# expect_eq <what> <expected> <actual>
expect_eq() {
    [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# expect_grep <file> <fixed string> [description]
expect_grep() {
    grep -F -q -- "$2" "$1" || { cat "$1" >&2; fail "${3:-$1 lacks '$2'}"; }
}

expect_no_grep() {
    if grep -F -q -- "$2" "$1"; then cat "$1" >&2; fail "${3:-$1 has '$2'}"; fi
}

no_temps_left() {
    left=$(ls -A "$WORK/tmp")
    [ -z "$left" ] || fail "temporaries left in TMPDIR: $left"
}

# A small program in two files with a header next to the sources and a
# libm call, the way real projects look.
cat > src/util.h <<'EOF'
#ifndef UTIL_H
#define UTIL_H
int twice(int x);
double root2(void);
#endif
EOF
cat > src/util.c <<'EOF'
#include <math.h>
#include "util.h"
int twice(int x) { return 2 * x; }
double root2(void) { volatile double two = 2.0; return sqrt(two); }
EOF
cat > src/main.c <<'EOF'
#include <stdio.h>
#include "util.h"
#ifndef MSG
#define MSG "plain"
#endif
int main(void) {
    printf("%d %.3f %s\n", twice(21), root2(), MSG);
    return 0;
}
EOF

case_compile() {
    mkdir obj
    "$WEFTCC" -O2 -c src/util.c -o obj/util.o || fail "-c -o failed"
    nm obj/util.o | grep -q ' T twice' || fail "obj/util.o lacks twice"
    "$WEFTCC" -c src/util.c || fail "-c without -o failed"
    [ -f util.o ] || fail "-c without -o did not write ./util.o"
    "$WEFTCC" -S src/util.c || fail "-S failed"
    grep -q twice util.s || fail "util.s lacks twice"
    "$WEFTCC" -S src/util.c -o obj/u.s && [ -f obj/u.s ] || fail "-S -o"
    "$WEFTCC" -fsyntax-only src/util.c || fail "-fsyntax-only failed"
}

case_link() {
    "$WEFTCC" -O2 -Wall -g -o app src/main.c src/util.c -lm || fail "link"
    expect_eq "output" "42 1.414 plain" "$(./app)"
    # Linking objects only, as make and CMake do.
    "$WEFTCC" -c src/main.c src/util.c || fail "-c with two sources"
    [ -f main.o ] && [ -f util.o ] || fail "two objects expected"
    "$WEFTCC" -o app2 main.o util.o -lm || fail "link of objects"
    expect_eq "output" "42 1.414 plain" "$(./app2)"
    # Default output name.
    "$WEFTCC" src/main.c util.o -lm || fail "link to a.out"
    expect_eq "output" "42 1.414 plain" "$(./a.out)"
    # gcc's rule: -o with -c and several files is an error.
    if "$WEFTCC" -c src/main.c src/util.c -o x.o 2> err.txt; then
        fail "-c -o with two files accepted"
    fi
    expect_grep err.txt "multiple files"
}

case_shared() {
    "$WEFTCC" -shared -fPIC -o libutil.so src/util.c -lm || fail "-shared"
    "$WEFTCC" -o app src/main.c -L. -lutil -Wl,-rpath,"$WORK" || fail "link"
    expect_eq "output" "42 1.414 plain" "$(./app)"
    cc -c src/util.c -o plain_util.o && ar rcs libu.a plain_util.o
    "$WEFTCC" -o app2 src/main.c libu.a -lm || fail "archive input"
    expect_eq "output" "42 1.414 plain" "$(./app2)"
    "$WEFTCC" -o app3 src/main.c -L. -lu -lm || fail "-l archive"
    expect_eq "output" "42 1.414 plain" "$(./app3)"
}

case_respfile() {
    mkdir "out dir"
    # Quotes, escaped quotes, a path with a space, and a nested @file.
    cat > inner.rsp <<'EOF'
-o "out dir/app"
src/main.c src/util.c
EOF
    cat > outer.rsp <<'EOF'
'-DMSG="hello world"'   -O1
  @inner.rsp
-lm
EOF
    "$WEFTCC" @outer.rsp || fail "response files"
    expect_eq "output" "42 1.414 hello world" "$("./out dir/app")"
    cat > esc.rsp <<'EOF'
-DMSG=\"back\ slash\" -o app2 src/main.c src/util.c -lm
EOF
    "$WEFTCC" @esc.rsp || fail "backslash escapes"
    expect_eq "output" "42 1.414 back slash" "$(./app2)"
    # A command line too long for one exec reaches the real compiler
    # through weftcc's own response file: 800 inputs of 150 characters.
    cc -c src/util.c -o util.o && ar rcs libu.a util.o
    dots=$(printf '%070d' 0 | sed 's|0|./|g')
    i=0
    while [ $i -lt 800 ]; do
        echo "$dots/libu.a"
        i=$((i + 1))
    done > long.rsp
    "$WEFTCC" -o app3 src/main.c @long.rsp -lm || fail "long command line"
    expect_eq "output" "42 1.414 plain" "$(./app3)"
    # A file that includes itself must not hang.
    echo '@loop.rsp' > loop.rsp
    if "$WEFTCC" @loop.rsp 2> err.txt; then fail "recursive @file"; fi
    expect_grep err.txt "nests too deeply"
}

case_depfile() {
    mkdir obj deps
    "$WEFTCC" -c src/main.c -o obj/main.o -MD || fail "-MD"
    [ -f obj/main.d ] || fail "obj/main.d not written"
    expect_eq "-MD first line" "obj/main.o: src/main.c" \
        "$(head -n 1 obj/main.d | cut -d' ' -f1-2)"
    expect_grep obj/main.d "src/util.h"
    expect_no_grep obj/main.d "weftcc-" "dependency file names a temporary"
    # What CMake's Makefile and Ninja generators pass.
    "$WEFTCC" -MD -MT obj/custom.o -MF deps/m.d -c src/main.c \
        -o obj/m2.o || fail "-MD -MT -MF"
    expect_eq "-MT target" "obj/custom.o: src/main.c" \
        "$(head -n 1 deps/m.d | cut -d' ' -f1-2)"
    # -MMD leaves system headers out; -MP adds phony header targets.
    "$WEFTCC" -c src/main.c -MMD -MP -MF deps/mm.d || fail "-MMD -MP"
    expect_eq "-MMD" "main.o: src/main.c src/util.h" "$(head -n 1 deps/mm.d)"
    expect_grep deps/mm.d "src/util.h:"
    expect_no_grep deps/mm.d "stdio.h"
    # Spaces in paths are escaped as gcc escapes them, also in TMPDIR.
    mkdir "sp dir" "$WORK/tmp/t m p"
    cp src/util.c src/util.h "sp dir/"
    TMPDIR="$WORK/tmp/t m p" "$WEFTCC" -c "sp dir/util.c" -o "sp dir/u.o" \
        -MD || fail "-MD with spaces"
    expect_eq "escaped paths" 'sp\ dir/u.o: sp\ dir/util.c' \
        "$(head -n 1 "sp dir/u.d" | cut -d' ' -f1-4)"
    expect_grep "sp dir/u.d" 'sp\ dir/util.h'
    expect_no_grep "sp dir/u.d" "weftcc-"
    rmdir "$WORK/tmp/t m p" || fail "temporaries left in a TMPDIR with spaces"
    # The old automake spelling.
    "$WEFTCC" -c src/util.c -Wp,-MD,deps/w.d || fail "-Wp,-MD"
    expect_grep deps/w.d "util.o: src/util.c"
    expect_no_grep deps/w.d "weftcc-"
}

case_keep() {
    mkdir obj bin
    "$WEFTCC" -c src/util.c -o obj/util.o || fail "-c"
    [ ! -e obj/util.weft.c ] || fail "translation kept without asking"
    "$WEFTCC" --weft-keep -c src/util.c -o obj/util.o || fail "--weft-keep"
    expect_grep obj/util.weft.c "twice"
    "$WEFTCC" -save-temps -c src/main.c -o obj/main.o || fail "-save-temps"
    expect_grep obj/main.weft.c "printf"
    "$WEFTCC" --weft-keep -o bin/app src/main.c src/util.c -lm || fail "link"
    [ -f bin/main.weft.c ] && [ -f bin/util.weft.c ] || fail "link keep"
}

case_status() {
    printf 'int broken(void) { return }\n' > src/bad.c
    cc -c src/bad.c -o ref.o 2> /dev/null
    ref=$?
    "$WEFTCC" -c src/bad.c -o bad.o 2> err.txt
    rc=$?
    expect_eq "exit status of a failing compile" "$ref" "$rc"
    expect_grep err.txt "src/bad.c:1:"
    [ ! -e bad.o ] || fail "bad.o written"
    FAKECC_EXIT=3 WEFT_CC=$FAKECC "$WEFTCC" -c src/util.c
    expect_eq "real compiler's status" 3 "$?"
    FAKECC_EXIT=5 WEFT_CC=$FAKECC "$WEFTCC" -o app src/util.c src/main.c
    expect_eq "real compiler's status when linking" 5 "$?"
    # The real compiler missing altogether.
    WEFT_CC=/nonexistent/cc "$WEFTCC" -c src/util.c 2> err.txt
    expect_eq "status of a missing compiler" 127 "$?"
    expect_grep err.txt "cannot run"
    # WEFT_CC pointing back at weftcc must not recurse.
    WEFT_CC=$WEFTCC "$WEFTCC" -c src/util.c 2> err.txt
    expect_eq "recursion guard status" 1 "$?"
    expect_grep err.txt "weftcc itself"
}

case_translate_error() {
    cat > src/terr.c <<'EOF'
int main(void) {
    int a[8];
#pragma omp parallel for schedule(no_such_kind)
    for (int i = 0; i < 8; i++)
        a[i] = i;
    return a[3];
}
EOF
    "$WEFTCC" -c src/terr.c -o terr.o 2> err.txt
    expect_eq "translation error status" 1 "$?"
    expect_grep err.txt "src/terr.c:3:"
    [ ! -e terr.o ] || fail "object written after a translation error"
    "$WEFTCC" -o app src/terr.c 2> err.txt
    expect_eq "translation error status when linking" 1 "$?"
    [ ! -e app ] || fail "program linked after a translation error"
    # Nothing compiled from the failing file: the real compiler never ran
    # on it.
    FAKECC_LOG=$WORK/log WEFT_CC=$FAKECC "$WEFTCC" -c src/terr.c 2> /dev/null
    [ ! -s log ] || fail "real compiler ran after a translation error"
}

case_xlang() {
    cp src/main.c src/main.txt
    FAKECC_LOG=$WORK/log WEFT_CC=$FAKECC \
        "$WEFTCC" -o app -x c src/main.txt -x none src/util.c -lm ||
        fail "-x c"
    expect_eq "output" "42 1.414 plain" "$(./app)"
    # main.txt went through the translator: the compiler saw a temporary.
    expect_grep log "$WORK/tmp/weftcc-" "-x c input not translated"
    expect_no_grep log "src/main.txt" "-x c input compiled untranslated"
    "$WEFTCC" -xc -c src/main.txt -o mt.o && [ -f mt.o ] || fail "-xc"
}

case_passthrough() {
    cat > src/g.S <<'EOF'
#if _OPENMP != 201511
#error "_OPENMP not set for pass-through inputs"
#endif
    .section .note.GNU-stack,"",@progbits
    .text
    .globl g_sym
g_sym:
    ret
EOF
    cat > src/s.s <<'EOF'
    .section .note.GNU-stack,"",@progbits
    .text
    .globl s_sym
s_sym:
    ret
EOF
    "$WEFTCC" -c src/g.S src/s.s || fail ".S/.s with -c"
    nm g.o | grep -q g_sym || fail "g.o lacks g_sym"
    nm s.o | grep -q s_sym || fail "s.o lacks s_sym"
    cc -c src/util.c -o u.o
    FAKECC_LOG=$WORK/log WEFT_CC=$FAKECC \
        "$WEFTCC" -o app src/main.c u.o src/s.s -lm || fail "mixed inputs"
    expect_eq "output" "42 1.414 plain" "$(./app)"
    expect_grep log "u.o"
    expect_grep log "src/s.s"
    # C from stdin is passed through untouched (pragmas ignored).
    printf 'int from_stdin(void) { return 7; }\n' |
        "$WEFTCC" -x c -c - -o stdin.o || fail "stdin input"
    nm stdin.o | grep -q from_stdin || fail "stdin.o lacks from_stdin"
}

# weft-translate -o onto something that is not a regular file (a FIFO here,
# /dev/null in practice) writes into it: renaming a temporary over it would
# replace the node with a regular file.
case_special_out() {
    translate=$(dirname "$WEFTCC")/weft-translate
    cat > src/pf.c <<'EOF'
void f(int *a) {
#pragma omp parallel for
    for (int i = 0; i < 4; i++) a[i] = i;
}
EOF
    mkfifo out.fifo || fail "mkfifo"
    cat out.fifo > got.c &
    reader=$!
    "$translate" src/pf.c -o out.fifo || fail "weft-translate -o FIFO"
    wait "$reader"
    [ -p out.fifo ] || fail "out.fifo is no longer a FIFO"
    expect_grep got.c "WEFT_parallel_for"
}

case_preprocess() {
    cat > src/pp.c <<'EOF'
int v = _OPENMP;
void f(int *a) {
#pragma omp parallel for
    for (int i = 0; i < 4; i++) a[i] = i;
}
EOF
    "$WEFTCC" -E src/pp.c -o pp.i || fail "-E"
    expect_grep pp.i "int v = 201511;"
    expect_grep pp.i "#pragma omp parallel for"
    "$WEFTCC" -E - < src/pp.c > stdin.i || fail "-E -"
    expect_grep stdin.i "int v = 201511;"
    "$WEFTCC" -M src/main.c > m.txt || fail "-M"
    expect_grep m.txt "main.o: src/main.c"
    # A configure-style probe of a header.
    printf '#include <stdio.h>\n' | "$WEFTCC" -E - > /dev/null || fail "probe"
}

case_info() {
    expect_eq "--version" "$(cc --version)" "$("$WEFTCC" --version)"
    expect_eq "-dumpversion" "$(cc -dumpversion)" "$("$WEFTCC" -dumpversion)"
    expect_eq "-dumpmachine" "$(cc -dumpmachine)" "$("$WEFTCC" -dumpmachine)"
    expect_eq "-print-prog-name" "$(cc -print-prog-name=ld)" \
        "$("$WEFTCC" -print-prog-name=ld)"
    "$WEFTCC" -v 2> v.txt || fail "-v alone"
    expect_grep v.txt "weftcc"
}

case_flags() {
    FAKECC_LOG=$WORK/log WEFT_CC=$FAKECC "$WEFTCC" -fopenmp -fopenmp=libgomp \
        -O2 -Wall -DX=1 -Isrc -c src/util.c -o util.o || fail "compile"
    expect_no_grep log "-fopenmp" "-fopenmp forwarded"
    expect_grep log "-D_OPENMP=201511"
    expect_grep log "-DX=1"
    tr '\n' ' ' < log > line
    expect_grep line "-iquote src " "no -iquote for the source directory"
    # Chunk bodies' loops get 32-byte alignment when optimising for speed,
    # before the user's flags, from a compiler known to take the flag (the
    # stand-in under the name gcc); any user choice of alignment or size
    # wins, and a compiler of another name never gets it.
    expect_no_grep log "-falign-loops" "alignment flag for an unknown compiler"
    ln -sf "$FAKECC" "$WORK/gcc"
    : > log
    FAKECC_LOG=$WORK/log WEFT_CC=$WORK/gcc "$WEFTCC" -O2 -Wall -c src/util.c \
        -o util.o || fail "compile as gcc"
    tr '\n' ' ' < log > line
    expect_grep line "-falign-loops=32 -O2 -Wall"
    for o in "-O2 -fno-align-loops" "-O3 -falign-loops=8" "-Os" "-O2 -O0" ""; do
        : > log
        # shellcheck disable=SC2086 # $o is a list of flags
        FAKECC_LOG=$WORK/log WEFT_CC=$WORK/gcc "$WEFTCC" $o -c src/util.c \
            -o util.o || fail "compile with '$o'"
        expect_no_grep log "-falign-loops=32" "alignment added with '$o'"
    done
    : > log
    FAKECC_LOG=$WORK/log WEFT_CC=$FAKECC "$WEFTCC" -fno-openmp -pipe \
        -o app src/main.c util.o -lm || fail "link"
    expect_eq "output" "42 1.414 plain" "$(./app)"
    expect_grep log "-lweft"
    expect_grep log "-Wl,-rpath,"
    expect_grep log "-pipe"
    expect_no_grep log "-fno-openmp"
    # Linker options stay out of the compile step and in the link step.
    : > log
    FAKECC_LOG=$WORK/log WEFT_CC=$FAKECC "$WEFTCC" -o app src/main.c \
        src/util.c -L. -lm -Wl,--as-needed || fail "link with -l -L -Wl,"
    sed '/^--$/q' log > first
    expect_grep first "/main.c" "first step is not the compile of main.c"
    expect_no_grep first "-lm" "linker option in a compile step"
    expect_no_grep first "-Wl,--as-needed" "linker option in a compile step"
    tac log | sed '1d; /^--$/q' > last
    expect_grep last "-lm"
    expect_grep last "-Wl,--as-needed"
}

case_static() {
    # -static: static libweft and what pkg-config --static names for its
    # dependencies, no rpath.
    FAKECC_LOG=$WORK/log FAKECC_EXIT=0 WEFT_CC=$FAKECC "$WEFTCC" -static \
        -o app src/main.c src/util.c -lm || fail "-static (flags only)"
    tac log | sed '1d; /^--$/q' > last
    expect_grep last "-static"
    expect_grep last "-lweft"
    expect_grep last "-lhwloc"
    expect_grep last "-lsodium"
    expect_grep last "-lxxhash"
    expect_no_grep last "-Wl,-rpath,"
    # The real link works where every dependency exists as an archive;
    # Debian has no libudev.a (static hwloc needs it): the only accepted
    # failure.
    if "$WEFTCC" -static -o app src/main.c src/util.c -lm 2> err.txt; then
        expect_eq "output" "42 1.414 plain" "$(./app)"
        if readelf -d app 2> /dev/null | grep -q NEEDED; then
            fail "-static output needs shared libraries"
        fi
    else
        grep -q "udev" err.txt || { cat err.txt >&2; fail "-static link"; }
        echo "note: no static libudev here; fully static link not possible"
    fi
}

case_verbose() {
    "$WEFTCC" -v -c src/util.c -o util.o 2> v.txt || fail "-v -c"
    expect_grep v.txt "weftcc: translate: src/util.c"
    expect_grep v.txt "weftcc: run:"
}

# interrupt <signal> <expected status>: starts a compile whose real
# compiler hangs, sends weftcc the signal, and checks weftcc's status, that
# the compiler was stopped too, and (at the end of the case) that no
# temporary is left.
interrupt() {
    rm -f ccpid
    FAKECC_SLEEP=20 FAKECC_PIDFILE=$WORK/ccpid WEFT_CC=$FAKECC \
        "$WEFTCC" -c src/util.c > /dev/null 2>&1 &
    pid=$!
    i=0
    while [ ! -s ccpid ] && [ $i -lt 200 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    [ -s ccpid ] || fail "the compiler never started"
    [ -n "$(ls -A "$WORK/tmp")" ] || fail "no temporary while compiling"
    sleep 0.2
    kill -"$1" $pid
    wait $pid
    expect_eq "status after SIG$1" "$2" "$?"
    ccpid=$(cat ccpid)
    i=0
    while kill -0 "$ccpid" 2> /dev/null && [ $i -lt 40 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    if kill -0 "$ccpid" 2> /dev/null; then
        kill "$ccpid"
        fail "the real compiler survived weftcc's SIG$1"
    fi
    no_temps_left
}

case_signal() {
    interrupt TERM 143
    interrupt HUP 129
}

# A crash of weftcc itself (a fault in libclang, say) still cleans up.
# Sanitizer builds keep their own fault handlers, so the case is not
# registered there.
case_crash() {
    ulimit -c 0
    interrupt SEGV 139
}

"case_$CASE"
no_temps_left
echo "PASS [$CASE]"
