#!/usr/bin/env bash
# This file is the README's first command: it installs what weft needs,
# builds it, and runs the main job: the mandelbrot sample built serially,
# with weft, and with gcc's and clang's OpenMP, timed side by side by
# weft-bench (outputs checked equal, medians, speed-up).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup.sh"
"$top/scripts/build.sh" "$top/build" >/dev/null
echo "weft: built into $top/build (tools in build/bin)" >&2
exec "$top/build/bin/weft-bench" --runs "${RUNS:-3}" --ldflags -lm \
    "$top/samples/mandelbrot.c" "$@"
