#!/usr/bin/env bash
# This file sets up, builds and runs every weft test.
# Usage: scripts/test.sh [--sanitize=thread|address] [-L label] [ctest args]
#   --sanitize=thread   build in build-tsan with ThreadSanitizer
#   --sanitize=address  build in build-asan with AddressSanitizer + UBSan
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
san=""
args=()
for a in "$@"; do
    case "$a" in
    --sanitize=*) san=${a#--sanitize=} ;;
    *) args+=("$a") ;;
    esac
done

"$top/scripts/setup.sh"
case "$san" in
"") dir=$top/build; opts=() ;;
thread|tsan) dir=$top/build-tsan; opts=(-DWEFT_ENABLE_TSAN=ON) ;;
address|asan) dir=$top/build-asan
    opts=(-DWEFT_ENABLE_ASAN=ON -DWEFT_ENABLE_UBSAN=ON) ;;
*) echo "scripts/test.sh: unknown --sanitize=$san (thread or address)" >&2
   exit 2 ;;
esac
# weftcc's translation server (translator/server.c): a private socket
# directory for this build and test run, and no server left behind by it.
export WEFT_TRANSLATE_SOCKDIR=$dir/tr-sock
mkdir -p -m 700 "$WEFT_TRANSLATE_SOCKDIR"
trap '"$dir/bin/weftcc" --weft-server-stop >/dev/null 2>&1 || true' EXIT
"$top/scripts/build.sh" "$dir" -DWEFT_BUILD_TESTS=ON "${opts[@]}"
cd "$dir"
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --output-on-failure -j"$(nproc)" "${args[@]}"
