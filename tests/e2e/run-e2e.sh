#!/usr/bin/env bash
# This file handles one end-to-end differential test: it builds a program
# three ways (serial with the pragmas ignored, through weftcc, and with
# gcc -fopenmp), runs the parallel builds at several thread counts and
# OMP_SCHEDULE settings, and fails unless every run prints exactly what the
# serial build printed and exits 0.
#
# Usage: run-e2e.sh PROG.c
# Environment:
#   WEFTCC       weftcc to test (empty: skip the weft build, say so loudly)
#   CC           serial compiler (default cc); pragmas are ignored there
#   OMPCC        OpenMP reference compiler (default gcc), built with
#                -fopenmp; its runs are labelled `omp`
#   E2E_CLANG    clang to use where a program says `E2E-OMPCC: clang`
#   E2E_CFLAGS   optimisation flags for every build (default -O2)
#   E2E_THREADS  thread counts to run (default "1 2 3 4")
#   E2E_TIMEOUT  seconds allowed for one run (default 20)
#   E2E_KEEP     non-empty: keep the temporary directory and print its path
#                (the weft build then also keeps its translated source,
#                weft.weft.c, through weftcc --weft-keep)
#   WEFT_E2E_SANITIZE  extra flags (e.g. "-fsanitize=thread") for the weftcc
#                compile and link; the gcc -fopenmp build is then skipped,
#                because libgomp is not instrumented and would give false
#                reports; serial vs gcc agreement is checked by the plain run.
# Directives read from the program's own comments (one per line):
#   // E2E-SCHEDULES: v1 v2 ...  also run every parallel build once per value
#                                with OMP_SCHEDULE=v (schedule(runtime) loops)
#   // E2E-LIBS: -lm ...         extra link flags for every build
#   // E2E-NO-GCC: reason        the program is not valid OpenMP for gcc
#                                (weft extension); only serial vs weft
#   // E2E-OMPCC: cc reason      use compiler cc (e.g. clang) instead of
#                                OMPCC for the -fopenmp build, where gcc has
#                                a known bug on the construct (say which)
#   // E2E-WEFT-REJECTS: text    weftcc must refuse the program with an
#                                error containing `text` (a construct weft
#                                does not support yet: an error, never a
#                                silently serial build); the other builds
#                                are still compared
set -u

prog=${1:?usage: run-e2e.sh PROG.c}
[ -f "$prog" ] || { echo "run-e2e: no such file: $prog" >&2; exit 2; }
name=$(basename "$prog" .c)
cc=${CC:-cc}
ompcc=${OMPCC:-gcc}
weftcc=${WEFTCC:-}
cflags=${E2E_CFLAGS:--O2}
threads=${E2E_THREADS:-1 2 3 4}
tmo=${E2E_TIMEOUT:-20}
san=${WEFT_E2E_SANITIZE:-}

directive() {
    sed -n "s|^[[:space:]]*//[[:space:]]*$1:[[:space:]]*||p" "$prog" | head -n 1
}
schedules=$(directive E2E-SCHEDULES)
libs=$(directive E2E-LIBS)
nogcc=$(directive E2E-NO-GCC)
ompcc_line=$(directive E2E-OMPCC)
rejects=$(directive E2E-WEFT-REJECTS)
if [ -n "$ompcc_line" ]; then
    ompcc=${ompcc_line%% *}
    [ "$ompcc" = clang ] && ompcc=${E2E_CLANG:-clang}
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/weft-e2e-$name.XXXXXX") || exit 2
if [ -n "${E2E_KEEP:-}" ]; then
    echo "run-e2e: keeping $tmp"
else
    trap 'rm -rf "$tmp"' EXIT
fi
trap 'exit 130' INT TERM

fail=0
note() { echo "run-e2e[$name]: $*"; }

# build LABEL COMPILER FLAGS...: compile and link $prog into $tmp/LABEL.
# shellcheck disable=SC2086 # flag variables are word lists on purpose
build() {
    local label=$1; shift
    if ! "$@" -o "$tmp/$label" "$prog" $libs >"$tmp/$label.build" 2>&1; then
        note "FAIL: $label build failed: $*"
        sed 's/^/    /' "$tmp/$label.build"
        return 1
    fi
    return 0
}

# run LABEL NTHREADS SCHEDULE: run one build and compare with the serial
# output. An empty SCHEDULE leaves OMP_SCHEDULE unset.
run() {
    local label=$1 nt=$2 sched=$3 out=$tmp/$1.$2.out rc
    if [ -n "$sched" ]; then
        OMP_NUM_THREADS=$nt OMP_SCHEDULE=$sched timeout "$tmo" \
            "$tmp/$label" >"$out" 2>"$out.err"
    else
        (unset OMP_SCHEDULE; OMP_NUM_THREADS=$nt timeout "$tmo" \
            "$tmp/$label" >"$out" 2>"$out.err")
    fi
    rc=$?
    local what="$label OMP_NUM_THREADS=$nt${sched:+ OMP_SCHEDULE=$sched}"
    if [ $rc -ne 0 ]; then
        note "FAIL: $what exited with status $rc"
        sed 's/^/    stderr: /' "$out.err" | head -n 20
        fail=1
        return
    fi
    if ! cmp -s "$tmp/serial.out" "$out"; then
        note "FAIL: $what printed something else than the serial build:"
        diff "$tmp/serial.out" "$out" | head -n 20 | sed 's/^/    /'
        fail=1
    fi
}

# shellcheck disable=SC2086
build serial $cc $cflags -Wno-unknown-pragmas || exit 1
(unset OMP_SCHEDULE; timeout "$tmo" "$tmp/serial" >"$tmp/serial.out" \
    2>"$tmp/serial.err")
rc=$?
if [ $rc -ne 0 ]; then
    note "FAIL: serial build exited with status $rc"
    sed 's/^/    stderr: /' "$tmp/serial.err" | head -n 20
    exit 1
fi
if [ ! -s "$tmp/serial.out" ]; then
    note "FAIL: serial build printed nothing"
    exit 1
fi

builds=""
if [ -n "$weftcc" ]; then
    # shellcheck disable=SC2086
    # Sanitizer reports need line numbers: add -g in that mode.
    if [ -n "$rejects" ]; then
        if "$weftcc" $cflags -o "$tmp/weft" "$prog" $libs >"$tmp/weft.build" 2>&1; then
            note "FAIL: weftcc accepted a program it must refuse ($rejects)"
            fail=1
        elif grep -qF -- "$rejects" "$tmp/weft.build" &&
             grep -q "$(basename "$prog"):[0-9]*:[0-9]*: error:" "$tmp/weft.build"; then
            note "weftcc refuses it as expected: $(head -n 1 "$tmp/weft.build")"
        else
            note "FAIL: weftcc failed without the expected error ($rejects)"
            sed 's/^/    /' "$tmp/weft.build"
            fail=1
        fi
    elif build weft "$weftcc" $cflags $san ${san:+-g} ${E2E_KEEP:+--weft-keep}; then
        builds="weft"
    else
        fail=1
    fi
else
    note "WEFTCC is not set: weftcc build NOT tested"
fi
if [ -n "$san" ]; then
    note "sanitizer mode ($san): gcc -fopenmp build skipped"
elif [ -n "$nogcc" ]; then
    note "gcc -fopenmp build skipped: $nogcc"
else
    [ -n "$ompcc_line" ] && note "-fopenmp build uses: $ompcc_line"
    # shellcheck disable=SC2086
    if build omp "$ompcc" $cflags -fopenmp; then builds="$builds omp"
    else fail=1; fi
fi

for b in $builds; do
    for nt in $threads; do
        run "$b" "$nt" ""
        for s in $schedules; do
            run "$b" "$nt" "$s"
        done
    done
done

if [ $fail -eq 0 ]; then
    # shellcheck disable=SC2086
    note "ok ($(wc -l <"$tmp/serial.out") lines; builds: serial${builds:+ }$(echo $builds); threads: $threads${schedules:+; schedules: $schedules})"
fi
exit $fail
