#!/usr/bin/env bash
# This file handles the one-command EPCC-style benchmark run: it configures
# and builds weft with -DWEFT_BUILD_BENCH=ON in a build folder of its own
# (Release, so libweft is optimised like the peers' runtimes), then runs
# bench/epcc_runner.py, which interleaves weft, libgomp and libomp and
# writes bench/results/<machine>-epcc.{md,csv}.
#
# Usage: bench/run-epcc.sh [--build-dir DIR] [--jobs N] [--no-build]
#                          [runner options: --threads 1,2 --reps N ...]
# Runner options are listed by: python3 bench/epcc_runner.py --help
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${WEFT_BENCH_BUILD_DIR:-$top/build-bench}
jobs=2
do_build=1
runner_args=()
while [ $# -gt 0 ]; do
    case $1 in
    --build-dir) build=$2; shift 2 ;;
    --build-dir=*) build=${1#*=}; shift ;;
    --jobs) jobs=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    -h|--help)
        awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
        exit 0 ;;
    *) runner_args+=("$1"); shift ;;
    esac
done

if [ "$do_build" = 1 ]; then
    if [ ! -f "$build/CMakeCache.txt" ]; then
        cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release \
            -DWEFT_BUILD_BENCH=ON -DWEFT_BUILD_TESTS=OFF \
            -DWEFT_BUILD_SAMPLES=OFF >/dev/null
    else
        # An existing build folder keeps its settings; only the benchmark
        # is switched on.
        cmake -S "$top" -B "$build" -DWEFT_BUILD_BENCH=ON >/dev/null
    fi
    # A variant whose compiler was not found at configure time has no
    # target; the runner then reports it as skipped.
    known=$(cmake --build "$build" --target help)
    targets=()
    for t in bench_epcc_weft bench_epcc_libgomp bench_epcc_libomp; do
        if grep -qw "$t" <<<"$known"; then targets+=("$t"); fi
    done
    if [ ${#targets[@]} = 0 ]; then
        echo "run-epcc.sh: no benchmark target in $build" >&2
        exit 1
    fi
    cmake --build "$build" -j"$jobs" --target "${targets[@]}" >/dev/null
fi
exec python3 "$here/epcc_runner.py" --bin-dir "$build/bench" "${runner_args[@]}"
