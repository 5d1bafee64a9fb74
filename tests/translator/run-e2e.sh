#!/usr/bin/env bash
# This file handles one translate + compile + run test: it builds PROGRAM
# twice, serially with the plain compiler (pragmas ignored) and through
# weft-translate linked with libweft, runs both (the weft build with 1 and
# with 4 threads) and fails unless all outputs are identical.
# Usage: run-e2e.sh PROGRAM WEFT_TRANSLATE CC INCDIR LIBDIR SCRATCHDIR [CFLAGS]
set -eu
src=$1 wt=$2 cc=$3 inc=$4 libdir=$5 scratch=$6
extra=${7:-}
name=$(basename "$src" .c)
mkdir -p "$scratch"
out="$scratch/$name"
"$wt" "$src" -o "$out.weft.c"
# shellcheck disable=SC2086
"$cc" -std=gnu11 -O2 -Wall -Werror $extra -I"$inc" "$out.weft.c" \
    -o "$out.weft" -L"$libdir" -Wl,-rpath,"$libdir" -lweft -lpthread -lm
# shellcheck disable=SC2086
"$cc" -std=gnu11 -O2 -w $extra "$src" -o "$out.serial" -lm
"$out.serial" > "$out.serial.txt"
OMP_NUM_THREADS=1 "$out.weft" > "$out.weft1.txt"
OMP_NUM_THREADS=4 "$out.weft" > "$out.weft4.txt"
diff -u "$out.serial.txt" "$out.weft1.txt"
diff -u "$out.serial.txt" "$out.weft4.txt"
if [ ! -s "$out.serial.txt" ]; then
    echo "$src printed nothing" >&2
    exit 1
fi
echo "$name: serial and weft outputs agree"
