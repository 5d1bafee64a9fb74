#!/bin/sh
# This file checks that an installed weft works: cmake --install into a
# scratch prefix, then weftcc from the prefix builds and runs a parallel
# program, a CMake project finds weft with find_package(weft), and a plain
# compile finds it through pkg-config.
# Usage: install.sh <build dir> <this projects dir>
set -u
BUILD=$1
SRC=$2/install
WORK=$(mktemp -d "${TMPDIR:-/tmp}/weft-install.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL [install]: $*" >&2; exit 1; }

cmake --install "$BUILD" --prefix "$WORK/prefix" >"$WORK/install.log" 2>&1 ||
    { cat "$WORK/install.log" >&2; fail "cmake --install"; }
P=$WORK/prefix
for f in bin/weftcc bin/weft-translate bin/weft-info bin/weftrun bin/weft-bench \
         include/weft.h include/omp.h include/weft/abi.h; do
    [ -e "$P/$f" ] || fail "$f is not installed"
done
libdir=$(ls -d "$P"/lib* | head -n 1)
ls "$libdir"/libweft.so* >/dev/null 2>&1 || fail "no libweft.so in $libdir"
[ -e "$libdir/libweft.a" ] || fail "no libweft.a in $libdir"

# weftcc from the prefix, away from the build tree.
unset WEFT_PREFIX WEFT_CC
"$P/bin/weftcc" -O2 -o "$WORK/app" "$SRC/app.c" || fail "weftcc from prefix"
out=$(OMP_NUM_THREADS=2 "$WORK/app") || fail "app exited with $?"
[ "$out" = "s=450000 procs_ok=1" ] || fail "app printed '$out'"

# find_package(weft) from a CMake project.
cmake -S "$SRC" -B "$WORK/cm" -DCMAKE_PREFIX_PATH="$P" >"$WORK/cm.log" 2>&1 ||
    { cat "$WORK/cm.log" >&2; fail "find_package(weft)"; }
cmake --build "$WORK/cm" >"$WORK/cmb.log" 2>&1 ||
    { cat "$WORK/cmb.log" >&2; fail "building the find_package consumer"; }
out=$("$WORK/cm/api") || fail "api (CMake) exited with $?"
[ "$out" = "api ok=1 err=invalid argument" ] || fail "api (CMake) printed '$out'"

# pkg-config.
PKG_CONFIG_PATH=$libdir/pkgconfig
export PKG_CONFIG_PATH
flags=$(pkg-config --cflags --libs weft) || fail "pkg-config weft"
# shellcheck disable=SC2086
cc -o "$WORK/api-pc" "$SRC/api.c" $flags -Wl,-rpath,"$libdir" ||
    fail "cc with pkg-config flags: $flags"
out=$("$WORK/api-pc") || fail "api (pkg-config) exited with $?"
[ "$out" = "api ok=1 err=invalid argument" ] || fail "api (pkg-config) printed '$out'"
echo "install: ok"
