#!/bin/sh
# This file handles the "real build system" tests of weftcc: it copies one
# test project (make, cmake or configure) into a scratch directory, builds
# it with weftcc as the C compiler, runs the program with several threads
# and compares its output with expected.txt; the make project is also built
# with plain cc to check that the serial build prints the same.
# Usage: run_project.sh <kind> <weftcc> <projects dir> [cmake generator]
set -u
KIND=$1
WEFTCC=$2
SRC=$3/$KIND
GEN=${4:-Unix Makefiles}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/weftcc-project.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
cp -R "$SRC" "$WORK/src" || exit 1
cd "$WORK" || exit 1
OMP_NUM_THREADS=2
export OMP_NUM_THREADS
unset WEFT_CC WEFT_PREFIX

fail() {
    echo "FAIL [$KIND]: $*" >&2
    exit 1
}

check_output() {
    "$1" > out.txt || fail "$1 exited with $?"
    diff -u "$SRC/expected.txt" out.txt >&2 || fail "wrong output from $1"
}

case $KIND in
make)
    cd src || exit 1
    make CC="$WEFTCC" || fail "make CC=weftcc"
    check_output ./app
    OMP_NUM_THREADS=1 check_output ./app
    grep -q '^main.o: main.c stats.h' main.d || fail "main.d: $(cat main.d)"
    if grep -q weftcc- main.d stats.d; then fail "a .d names a temporary"; fi
    # Nothing to rebuild the second time round: dependencies are right.
    make CC="$WEFTCC" -q app || fail "make -q: project out of date"
    make clean > /dev/null
    make CC=cc > /dev/null 2>&1 || fail "serial build with cc"
    check_output ./app
    ;;
cmake)
    cmake -S src -B build -G "$GEN" -DCMAKE_C_COMPILER="$WEFTCC" \
        -DCMAKE_BUILD_TYPE=Release > configure.log 2>&1 ||
        { cat configure.log >&2; fail "cmake configure"; }
    grep -q 'compiler id GNU, _OPENMP defined: 1' configure.log ||
        { cat configure.log >&2; fail "compiler id / _OPENMP check"; }
    grep -q 'weftdemo: OpenMP 4.5' configure.log ||
        { cat configure.log >&2; fail "FindOpenMP through weftcc"; }
    cmake --build build || fail "cmake --build"
    check_output build/demo
    # An incremental build after touching the header rebuilds and relinks.
    touch src/kern.h
    cmake --build build > rebuild.log 2>&1 || fail "rebuild"
    grep -q "kern.c" rebuild.log || { cat rebuild.log >&2;
        fail "touching kern.h did not rebuild kern.c"; }
    ;;
configure)
    mkdir build && cd build || exit 1
    CC="$WEFTCC" sh ../src/configure ||
        { cat config.log >&2; fail "configure"; }
    check_output ./app
    ;;
*)
    fail "unknown project kind"
    ;;
esac
echo "PASS [$KIND]"
