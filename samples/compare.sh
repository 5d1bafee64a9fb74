#!/usr/bin/env bash
# This file handles the samples' main job: run one sample built serial and
# built with weftcc, check that both print the same result, and report both
# times and the speed-up (the samples print their elapsed time to stderr as
# "time: <seconds> s").
#
# Usage: samples/compare.sh [--dir DIR] [--threads N] [--check] SAMPLE [ARGS...]
#   --dir DIR      where the binaries are (default: <repo>/build/samples)
#   --threads N    OMP_NUM_THREADS for the weft run (default: unset, so the
#                  runtime uses every core)
#   --check        only check the outputs (for tests), print no timing table
# Exit status: 0 when the outputs agree, 1 when they differ or a run fails,
# 2 on a usage error.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$top/build/samples
threads=""
check=""
while [ $# -gt 0 ]; do
    case "$1" in
    --dir) dir=${2:?--dir needs a value}; shift 2 ;;
    --threads) threads=${2:?--threads needs a value}; shift 2 ;;
    --check) check=1; shift ;;
    -h|--help) sed -n '2,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
    --*) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
sample=${1:-}
if [ -z "$sample" ]; then
    echo "usage: compare.sh [--dir DIR] [--threads N] [--check] SAMPLE [ARGS...]" >&2
    exit 2
fi
shift
serial=$dir/$sample-serial
weft=$dir/$sample
for b in "$serial" "$weft"; do
    if [ ! -x "$b" ]; then
        echo "compare.sh: $b not found; build first (scripts/build.sh)" >&2
        exit 2
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/weft-compare.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

run_serial() { "$serial" "$@" >"$tmp/serial.out" 2>"$tmp/serial.err"; }
run_weft() {
    if [ -n "$threads" ]; then
        OMP_NUM_THREADS=$threads "$weft" "$@" >"$tmp/weft.out" 2>"$tmp/weft.err"
    else
        "$weft" "$@" >"$tmp/weft.out" 2>"$tmp/weft.err"
    fi
}
if ! run_serial "$@"; then
    echo "compare.sh: serial run of $sample failed:" >&2
    cat "$tmp/serial.err" >&2
    exit 1
fi
if ! run_weft "$@"; then
    echo "compare.sh: weft run of $sample failed:" >&2
    cat "$tmp/weft.err" >&2
    exit 1
fi
if ! cmp -s "$tmp/serial.out" "$tmp/weft.out"; then
    echo "compare.sh: $sample: outputs DIFFER" >&2
    diff "$tmp/serial.out" "$tmp/weft.out" >&2
    exit 1
fi

seconds() { sed -n 's/^time: \([0-9.]*\) s$/\1/p' "$1" | tail -n 1; }
ts=$(seconds "$tmp/serial.err")
tw=$(seconds "$tmp/weft.err")
if [ -n "$check" ]; then
    echo "$sample: same output (serial ${ts:-?} s, weft ${tw:-?} s)"
    exit 0
fi
nt=${threads:-$(nproc)}
cat "$tmp/serial.out"
awk -v s="$ts" -v w="$tw" -v n="$nt" -v name="$sample" 'BEGIN {
    printf "%-12s %10s %10s %9s %11s\n", "sample", "serial s", "weft s",
        "speed-up", "efficiency"
    if (s == "" || w == "" || w + 0 <= 0) {
        printf "%-12s %10s %10s  (no time printed)\n", name, s, w
        exit
    }
    printf "%-12s %10.3f %10.3f %8.2fx %10.0f%%\n", name, s, w, s / w,
        100 * s / w / n
}'
echo "outputs identical; weft used ${nt} thread(s)"
