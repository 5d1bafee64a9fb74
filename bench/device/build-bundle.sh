#!/usr/bin/env bash
# This file handles the bundle for a benchmark run on a machine that has
# none of weft's build or run-time dependencies (no hwloc, no libomp, maybe
# no gcc): it builds here, in Release, libweft and every benchmark binary
# bench/device/run.sh runs, and copies them with every shared library they
# need outside glibc into one folder that travels with the working tree.
#
# The binaries are built exactly as the suite's own runners build them:
#   - bench/epcc-{weft,libgomp,libomp}: the CMake targets of bench/ (what
#     bench/run-epcc.sh builds);
#   - samples/*.c but cluster_mc.c: serial (cc -O2 ... -lm), weft (weftcc
#     -O2 ... -lm, back end cc), gcc-openmp (gcc -fopenmp -O2 ... -lm) and
#     clang-openmp (clang -fopenmp -O2 ... -lm), as weft-bench builds them
#     with --ldflags -lm;
#   - bench/stream.c: weft and weft-steal (weftcc, WEFT_CC=gcc,
#     -DUSE_WEFT_ALLOC, -DSTREAM_DYNAMIC), gcc-openmp and clang-openmp, with
#     run-numa.sh's flags (-O2 -std=c11 -Ibench).
# The binaries keep their build-time RUNPATH; run.sh puts <bundle>/lib on
# LD_LIBRARY_PATH, which the loader searches first, so the bundled copies
# are the ones loaded there and here. The script ends by checking, with
# ldd, that every library outside glibc resolves inside the bundle.
#
# Usage: bench/device/build-bundle.sh [--out DIR] [--build-dir DIR] [--jobs N]
#   --out DIR        the bundle (default <repo>/build-device; it is emptied
#                    first, and only if it is absent, empty or a bundle)
#   --build-dir DIR  CMake build folder (default <repo>/build-device-cmake;
#                    configured Release, benchmarks on, tests and MPI off)
#   --jobs N         parallel build jobs (default 2)
# Exit status: 0 bundle complete and checked; 1 a build or the check failed;
# 2 usage error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bundle=$top/build-device
build=$top/build-device-cmake
jobs=2
while [ $# -gt 0 ]; do
    case $1 in
    --out) bundle=$2; shift 2 ;;
    --build-dir) build=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help)
        awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
        exit 0 ;;
    *) echo "build-bundle.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
say() { echo "build-bundle.sh: $*" >&2; }
die() { say "$*"; exit 1; }

for tool in cmake gcc clang ldd; do
    command -v $tool >/dev/null || die "$tool not found"
done

# ---- libweft, weftcc and the EPCC executables ----
say "configuring $build (Release)"
mkdir -p "$build"
log=$build/bundle-build.log
if ! cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWEFT_BUILD_BENCH=ON \
    -DWEFT_BUILD_TESTS=OFF -DWEFT_BUILD_SAMPLES=OFF -DWEFT_WITH_MPI=OFF >"$log" 2>&1; then
    tail -20 "$log" >&2
    die "configure failed (log: $log)"
fi
say "building weft, weftcc and epcc-{weft,libgomp,libomp} (log: $log)"
if ! cmake --build "$build" -j"$jobs" --target weft weftcc bench_epcc_weft \
    bench_epcc_libgomp bench_epcc_libomp >>"$log" 2>&1; then
    tail -30 "$log" >&2
    die "build failed (log: $log)"
fi
nwarn=$(grep -c 'warning:' "$log" || true)
[ "$nwarn" = 0 ] || say "note: $nwarn compiler warning(s) in $log"
weftcc=$build/bin/weftcc
for f in "$weftcc" "$build/lib/libweft.so.0" "$build"/bench/epcc-{weft,libgomp,libomp}; do
    [ -e "$f" ] || die "$f was not built"
done

# ---- the bundle folder ----
# Emptied only when it is ours: a stray --out must not delete other files.
if [ -e "$bundle" ]; then
    if [ -n "$(ls -A "$bundle")" ] && [ ! -f "$bundle/MANIFEST.txt" ]; then
        die "$bundle exists and is not a bundle (no MANIFEST.txt); not touching it"
    fi
    rm -rf "$bundle"
fi
mkdir -p "$bundle/bin" "$bundle/lib" "$bundle/logs"
bundle=$(cd "$bundle" && pwd)
cp "$build"/bench/epcc-{weft,libgomp,libomp} "$bundle/bin/"

# build_one NAME COMMAND...: builds <bundle>/bin/NAME, its log in logs/.
build_one() {
    local name=$1
    shift
    if ! "$@" -o "$bundle/bin/$name" >"$bundle/logs/$name.log" 2>&1; then
        tail -5 "$bundle/logs/$name.log" >&2
        die "$name did not build: $*"
    fi
}

# ---- samples, four ways each ----
samples=()
for src in "$top"/samples/*.c; do
    s=$(basename "$src" .c)
    [ "$s" = cluster_mc ] && continue   # needs a cluster, not a team
    samples+=("$s")
done
say "building samples: ${samples[*]}"
for s in "${samples[@]}"; do
    src=$top/samples/$s.c
    build_one "$s-serial" cc -O2 "$src" -lm
    build_one "$s-weft" "$weftcc" -O2 "$src" -lm
    build_one "$s-gcc-openmp" gcc -fopenmp -O2 "$src" -lm
    build_one "$s-clang-openmp" clang -fopenmp -O2 "$src" -lm
done

# ---- STREAM, four ways ----
say "building stream: weft, weft-steal, gcc-openmp, clang-openmp"
sopt=(-O2 -std=c11 -I"$top/bench" "$top/bench/stream.c")
build_one stream-weft env WEFT_CC=gcc "$weftcc" "${sopt[@]}" -DUSE_WEFT_ALLOC
build_one stream-weft-steal env WEFT_CC=gcc "$weftcc" "${sopt[@]}" \
    -DUSE_WEFT_ALLOC -DSTREAM_DYNAMIC
build_one stream-gcc-openmp gcc "${sopt[@]}" -fopenmp
build_one stream-clang-openmp clang "${sopt[@]}" -fopenmp

# ---- shared libraries outside glibc ----
# glibc's own libraries are on every Linux machine and must match its
# loader, so they are never copied; everything else the binaries load is.
glibc_re='^(linux-vdso|ld-linux|libc|libm|libdl|libpthread|librt|libresolv|libutil)\.so'
cp -L "$build/lib/libweft.so.0" "$bundle/lib/"
copied=" libweft.so.0 "
for f in "$bundle"/bin/* "$bundle/lib/libweft.so.0"; do
    while read -r name path; do
        [[ $name =~ $glibc_re ]] && continue
        [[ $copied == *" $name "* ]] && continue
        [ -f "$path" ] || die "ldd $f: $name resolves to nothing ($path)"
        cp -L "$path" "$bundle/lib/$name"
        copied+="$name "
    done < <(ldd "$f" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }')
done
# A library the copied ones need in turn (libhwloc needs libudev) shows in
# the binaries' ldd above, which lists the whole closure.

# ---- check: outside glibc, everything resolves inside the bundle ----
bad=0
for f in "$bundle"/bin/* "$bundle"/lib/*; do
    while read -r name path; do
        [[ $name =~ $glibc_re ]] && continue
        case $path in
        "$bundle/lib/"*) ;;
        *) say "CHECK FAILED: $(basename "$f") loads $name from $path"; bad=1 ;;
        esac
    done < <(LD_LIBRARY_PATH="$bundle/lib" ldd "$f" |
        awk '$2 == "=>" { print $1, $3 }')
done
[ "$bad" = 0 ] || die "some libraries resolve outside $bundle/lib"

# ---- manifest: what was built, from what, with what ----
{
    echo "weft device bundle (bench/device/build-bundle.sh)"
    echo "built: $(date -u '+%Y-%m-%d %H:%M UTC') on $(uname -n) ($(uname -m))"
    echo "weft source: $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')$(
        [ -n "$(git -C "$top" status --porcelain --untracked-files=no 2>/dev/null)" ] &&
        echo ' with uncommitted changes')"
    echo "libweft: CMAKE_BUILD_TYPE=Release from $build"
    echo "cc: $(cc --version | head -1)"
    echo "gcc: $(gcc --version | head -1)"
    echo "clang: $(clang --version | head -1)"
    echo "weftcc back end: cc (samples), gcc (stream)"
    echo "samples: ${samples[*]}"
    echo "files:"
    (cd "$bundle" && find bin lib -type f | sort | xargs ls -l | awk '{ print "  " $5, $9 }')
} >"$bundle/MANIFEST.txt"
size=$(du -sh "$bundle" | cut -f1)
say "bundle ready: $bundle ($size); every library outside glibc resolves inside it"
