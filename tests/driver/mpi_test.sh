#!/bin/sh
# This file handles the tests of weftcc's MPI support (--weft-mpi, WEFT_MPI=1,
# WEFT_MPICC, WEFT_CC=mpicc, the hint for <mpi.h> without MPI's flags), each
# case in a private scratch directory. Usage:
#   mpi_test.sh <weftcc> <fakecc.sh> <case> <built with MPI: 0/1> [mpirun]
# Cases "flags", "wrapper", "errors" use stand-in compiler wrappers and run
# in every build; "run" builds real MPI programs and runs them under mpirun,
# and exits 77 (CTest's skip) when the build has no MPI.
set -u

WEFTCC=$1
CASE=$3
HAVE_MPI=$4
MPIRUN=${5:-}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/weftcc-mpi-test.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
mkdir tmp src bin
TMPDIR=$WORK/tmp
export TMPDIR
unset WEFT_CC WEFT_PREFIX WEFT_MPI WEFT_MPICC FAKECC_LOG FAKECC_EXIT \
    FAKECC_SLEEP FAKECC_PIDFILE
FAKECC=$WORK/fakecc
cp "$2" "$FAKECC" && chmod +x "$FAKECC" || exit 1

fail() {
    echo "FAIL [mpi.$CASE]: $*" >&2
    exit 1
}

expect_eq() {
    [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

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

# The first and the last command in a FAKECC_LOG (compile and link).
first_cmd() { sed '/^--$/q' "$1"; }
last_cmd() { tac "$1" | sed '1d; /^--$/q' | tac; }

# A stand-in MPI: a header that declares what the program calls, in a
# directory no compiler searches by default.
mkdir -p fakempi/include fakempi/lib
cat > fakempi/include/mpi.h <<'EOF'
#ifndef FAKE_MPI_H
#define FAKE_MPI_H
#define FAKE_MPI_WRAPPER_HEADER 1
int MPI_Init(int *argc, char ***argv);
int MPI_Finalize(void);
#endif
EOF
cat > src/uses_mpi.c <<'EOF'
#include <mpi.h>
#include <stdio.h>
#ifndef FAKE_MPI_DEFINE
#error "FAKE_MPI_DEFINE missing: MPI's compile flags were not used"
#endif
int main(int argc, char **argv) {
    long s = 0;
    MPI_Init(&argc, &argv);
#pragma omp parallel for reduction(+ : s)
    for (int i = 0; i < 100; i++)
        s += i;
    printf("%ld\n", s);
    return MPI_Finalize();
}
EOF

# fake_wrapper <path> <style>: an MPI compiler wrapper that answers like
# Open MPI's (style openmpi: --showme:compile / --showme:link) or MPICH's
# (style mpich: -show prints the whole command; --showme:* is passed to the
# compiler, which rejects it), and otherwise runs cc with its own flags
# (link flags only when it links), like the real ones.
fake_wrapper() {
    cat > "$1" <<EOF
#!/bin/sh
CFLAGS="-I$WORK/fakempi/include -DFAKE_MPI_DEFINE=1"
LDFLAGS="-L$WORK/fakempi/lib -Wl,-rpath,$WORK/fakempi/lib -lfakempi"
if [ "$2" = openmpi ]; then
    case "\${1:-}" in
    --showme:compile) echo "\$CFLAGS"; exit 0 ;;
    --showme:link) echo "\$LDFLAGS"; exit 0 ;;
    esac
else
    case "\${1:-}" in
    -show) echo "cc \$CFLAGS -pthread \$LDFLAGS"; exit 0 ;;
    --showme:*) echo "cc: error: unrecognized option '\$1'" >&2; exit 1 ;;
    esac
fi
for a in "\$@"; do
    case "\$a" in -c|-S|-E) exec cc \$CFLAGS "\$@" ;; esac
done
exec cc \$CFLAGS "\$@" \$LDFLAGS
EOF
    chmod +x "$1"
}

case_flags() {
    fake_wrapper "$WORK/bin/ompi-wrap" openmpi
    fake_wrapper "$WORK/bin/mpich-wrap" mpich
    # Open MPI's answers: compile flags in the parse (the #error above) and
    # the compile step, link flags in the link step, after -lweft; -v shows
    # them.
    FAKECC_LOG=$WORK/log FAKECC_EXIT=0 WEFT_CC=$FAKECC \
        WEFT_MPICC=$WORK/bin/ompi-wrap "$WEFTCC" -v --weft-mpi -o app \
        src/uses_mpi.c 2> v.txt || { cat v.txt >&2; fail "--weft-mpi"; }
    expect_grep v.txt "weftcc: MPI flags from WEFT_MPICC"
    expect_grep v.txt "weftcc: MPI compile flags: -I$WORK/fakempi/include -DFAKE_MPI_DEFINE=1"
    expect_grep v.txt "weftcc: MPI link flags: -L$WORK/fakempi/lib -Wl,-rpath,$WORK/fakempi/lib -lfakempi"
    first_cmd log > first
    expect_grep first "-I$WORK/fakempi/include"
    expect_grep first "-DFAKE_MPI_DEFINE=1"
    expect_no_grep first "-lfakempi" "MPI link flag in the compile step"
    last_cmd log | tr '\n' ' ' > last
    expect_grep last "-lweft -L$WORK/fakempi/lib -Wl,-rpath,$WORK/fakempi/lib -lfakempi "
    # --weft-mpi itself never reaches the real compiler.
    expect_no_grep log "--weft-mpi"
    # MPICH's -show: the compiler word dropped, -I/-D to the compiles,
    # -pthread to both, the rest to the link.
    : > log
    FAKECC_LOG=$WORK/log FAKECC_EXIT=0 WEFT_CC=$FAKECC \
        WEFT_MPICC=$WORK/bin/mpich-wrap "$WEFTCC" --weft-mpi -c \
        src/uses_mpi.c -o u.o || fail "--weft-mpi, MPICH-style wrapper"
    tr '\n' ' ' < log > line
    expect_grep line "-I$WORK/fakempi/include -DFAKE_MPI_DEFINE=1 -pthread "
    expect_no_grep line "-lfakempi" "MPICH link flag in a compile"
    : > log
    FAKECC_LOG=$WORK/log FAKECC_EXIT=0 WEFT_CC=$FAKECC \
        WEFT_MPICC=$WORK/bin/mpich-wrap "$WEFTCC" --weft-mpi -o app u.o ||
        fail "--weft-mpi link, MPICH-style wrapper"
    tr '\n' ' ' < log > line
    expect_grep line "-pthread -L$WORK/fakempi/lib -Wl,-rpath,$WORK/fakempi/lib -lfakempi "
    # WEFT_MPI=1 in the environment is --weft-mpi; WEFT_MPI=0 is not.
    : > log
    FAKECC_LOG=$WORK/log FAKECC_EXIT=0 WEFT_CC=$FAKECC WEFT_MPI=1 \
        WEFT_MPICC=$WORK/bin/ompi-wrap "$WEFTCC" -c src/uses_mpi.c \
        -o u.o || fail "WEFT_MPI=1"
    expect_grep log "-DFAKE_MPI_DEFINE=1"
    FAKECC_EXIT=0 WEFT_CC=$FAKECC WEFT_MPI=0 \
        WEFT_MPICC=$WORK/bin/ompi-wrap "$WEFTCC" -c src/uses_mpi.c \
        -o u.o 2> err.txt && fail "WEFT_MPI=0 still added MPI"
    expect_grep err.txt "'mpi.h' file not found"
    # -E gets the compile flags too (the preprocessed text is the one a
    # compile would see).
    WEFT_MPICC=$WORK/bin/ompi-wrap "$WEFTCC" --weft-mpi -E src/uses_mpi.c \
        > pp.i || fail "--weft-mpi -E"
    expect_grep pp.i "int MPI_Init(int *argc, char ***argv);"
}

case_wrapper() {
    # WEFT_CC=mpicc: the wrapper compiles and links; weftcc only gives its
    # flags to the translator's parse, and adds nothing to the wrapper's
    # commands. Named mpicc, as users name it.
    fake_wrapper "$WORK/bin/mpicc" openmpi
    printf 'int fake_mpi_lib;\nint MPI_Init(int *c, char ***v) { (void)c; (void)v; return 0; }\nint MPI_Finalize(void) { return 0; }\n' \
        > fakempi/lib.c
    cc -shared -fPIC -o fakempi/lib/libfakempi.so fakempi/lib.c ||
        fail "cannot build the stand-in MPI library"
    WEFT_CC=$WORK/bin/mpicc "$WEFTCC" -v -o app src/uses_mpi.c 2> v.txt ||
        { cat v.txt >&2; fail "WEFT_CC=mpicc"; }
    expect_eq "output" "4950" "$(./app)"
    expect_grep v.txt "weftcc: MPI flags from the MPI wrapper in WEFT_CC"
    expect_grep v.txt "weftcc: MPI parse flags: -I$WORK/fakempi/include"
    grep '^weftcc: run:' v.txt > runs
    expect_no_grep runs "fakempi/include" "weftcc repeated the wrapper's flags"
    # The MPICH-style wrapper works the same way, through -show.
    fake_wrapper "$WORK/bin/mpicc.mpich" mpich
    WEFT_CC=$WORK/bin/mpicc.mpich "$WEFTCC" -c src/uses_mpi.c -o u.o ||
        fail "WEFT_CC=mpicc.mpich"
    nm u.o | grep -q ' U MPI_Init' || fail "u.o does not call MPI_Init"
    # A wrapper whose own compiler is weftcc (OMPI_CC=weftcc, say) with
    # WEFT_CC=that wrapper would loop: the recursion guard stops it.
    printf '#!/bin/sh\ncase "$1" in --showme:*|-show) exit 1 ;; esac\nexec "%s" "$@"\n' \
        "$WEFTCC" > bin/mpicc-loop
    chmod +x bin/mpicc-loop
    WEFT_CC=$WORK/bin/mpicc-loop "$WEFTCC" -c -I fakempi/include \
        -DFAKE_MPI_DEFINE src/uses_mpi.c 2> err.txt &&
        fail "a wrapper around weftcc accepted"
    expect_grep err.txt "weftcc itself"
}

case_errors() {
    # A program that includes <mpi.h>, built without MPI's flags: the
    # parser's error plus a note naming --weft-mpi (unless this machine
    # finds an mpi.h in the default directories, where the case is moot).
    if printf '#include <mpi.h>\n' | cc -E -x c - > /dev/null 2>&1; then
        echo "note: mpi.h is in the default include path here; hint not tested"
    else
        "$WEFTCC" -c src/uses_mpi.c -o u.o 2> err.txt &&
            fail "built without MPI's flags"
        expect_grep err.txt "src/uses_mpi.c:1:10:"
        expect_grep err.txt "'mpi.h' file not found"
        expect_grep err.txt "build MPI programs with \`weftcc --weft-mpi\`"
        [ ! -e u.o ] || fail "object written"
        # The probe behind the note must not have a failing compiler write
        # to /dev/null: gcc run as root deletes a failed output file, even
        # that one.
        [ -c /dev/null ] || fail "/dev/null is no longer a device"
    fi
    # mpi.h found through the user's own -I, failing for another reason:
    # no note blaming MPI.
    "$WEFTCC" -c -I fakempi/include src/uses_mpi.c -o u.o 2> err.txt &&
        fail "#error ignored"
    expect_grep err.txt "FAKE_MPI_DEFINE missing"
    expect_no_grep err.txt "--weft-mpi" "misleading MPI note"
    # A wrapper that answers nothing useful: a clear error, no compile.
    printf '#!/bin/sh\nexit 3\n' > bin/broken-wrap
    chmod +x bin/broken-wrap
    FAKECC_LOG=$WORK/log WEFT_CC=$FAKECC WEFT_MPICC=$WORK/bin/broken-wrap \
        "$WEFTCC" --weft-mpi -c src/uses_mpi.c 2> err.txt
    expect_eq "status with a broken WEFT_MPICC" 1 "$?"
    expect_grep err.txt "--weft-mpi: WEFT_MPICC=$WORK/bin/broken-wrap answers neither"
    [ ! -s log ] || fail "compiled although MPI was not found"
    FAKECC_LOG=$WORK/log WEFT_CC=$FAKECC WEFT_MPI=1 \
        WEFT_MPICC=$WORK/bin/missing-wrap "$WEFTCC" -c src/uses_mpi.c \
        2> err.txt
    expect_eq "status with a missing WEFT_MPICC" 1 "$?"
    expect_grep err.txt "WEFT_MPI=1: WEFT_MPICC=$WORK/bin/missing-wrap"
    [ ! -s log ] || fail "compiled although MPI was not found"
    # A bad WEFT_MPI value is named and ignored.
    FAKECC_EXIT=0 WEFT_CC=$FAKECC WEFT_MPI=maybe "$WEFTCC" -c -I fakempi/include \
        -DFAKE_MPI_DEFINE src/uses_mpi.c 2> err.txt || fail "WEFT_MPI=maybe"
    expect_grep err.txt "WEFT_MPI=maybe is not 1 or 0"
    # Without MPI at weftcc's build time and without mpicc in PATH,
    # --weft-mpi is an error (only testable in a build without MPI: one
    # with MPI uses the flags it was built with).
    if [ "$HAVE_MPI" = 0 ]; then
        FAKECC_LOG=$WORK/log WEFT_CC=$FAKECC PATH=$WORK/bin \
            "$WEFTCC" --weft-mpi -c src/uses_mpi.c 2> err.txt
        expect_eq "status without any MPI" 1 "$?"
        expect_grep err.txt "no MPI found: weftcc was built without MPI"
        [ ! -s log ] || fail "compiled although MPI was not found"
    fi
}

case_run() {
    if [ "$HAVE_MPI" != 1 ]; then
        echo "SKIP: this build has no MPI (find_package(MPI) found none)"
        exit 77
    fi
    [ -n "$MPIRUN" ] && [ -x "$MPIRUN" ] || fail "no mpirun in a build with MPI"
    cat > src/hello.c <<'EOF'
#include <mpi.h>
#include <stdio.h>
int main(int argc, char **argv) {
    int rank, size;
    long s = 0;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
#pragma omp parallel for reduction(+ : s)
    for (int i = 0; i <= 1000 * (rank + 1); i++)
        s += i;
    printf("rank %d of %d: %ld\n", rank, size, s);
    MPI_Finalize();
    return 0;
}
EOF
    "$WEFTCC" --weft-mpi -O1 -o hello src/hello.c || fail "--weft-mpi build"
    WEFT_CC=mpicc "$WEFTCC" -O1 -o hello2 src/hello.c ||
        fail "WEFT_CC=mpicc build"
    # Running as root (containers, CI) needs --allow-run-as-root; two
    # ranks on a 2-core machine need --oversubscribe. Open MPI's own
    # allocations are not the program's leaks (sanitizer builds).
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
    export ASAN_OPTIONS
    for prog in hello hello2; do
        OMP_NUM_THREADS=2 timeout -k 5 60 "$MPIRUN" --allow-run-as-root \
            --oversubscribe -n 2 "./$prog" > out.txt 2> err.txt
        rc=$?
        [ $rc = 0 ] || { cat out.txt err.txt >&2; fail "$prog: mpirun status $rc"; }
        sort out.txt > sorted.txt
        printf 'rank 0 of 2: 500500\nrank 1 of 2: 2001000\n' > want.txt
        cmp -s want.txt sorted.txt ||
            { cat out.txt err.txt >&2; fail "$prog: wrong output"; }
    done
}

"case_$CASE"
no_temps_left
echo "PASS [mpi.$CASE]"
