#!/usr/bin/env bash
# This file handles the local rehearsal of a run on a bare machine: it
# starts bench/device/run.sh in a private mount namespace (unshare -m, so
# nothing outside this process tree sees it) where every system copy of a
# library the bundle carries (hwloc, libudev, libsodium, libxxhash, libgomp,
# libomp) and the compilers are covered by an empty file / directory. A
# binary that still reached for a system library would then fail, and
# run.sh's pre-flight and failures.txt would say so. Needs root (mounts).
#
# Usage: bench/device/test-hidden.sh [run.sh options]   (default: --quick
#        --threads 1,2 --out /tmp/weft-device-hidden)
# Exit status: run.sh's, or 2 when unshare/mount is not possible here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || set -- --quick --threads 1,2 --out /tmp/weft-device-hidden
command -v unshare >/dev/null || { echo "test-hidden.sh: no unshare" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "test-hidden.sh: needs root (mount)" >&2; exit 2; }
bundle_lib=$here/../../build-device/lib
[ -d "$bundle_lib" ] || { echo "test-hidden.sh: no bundle (run build-bundle.sh)" >&2; exit 2; }

# Every file, under the usual library folders, whose name starts with the
# soname of a bundled library (the real file and its links).
hide=()
for so in "$bundle_lib"/*; do
    base=$(basename "$so")
    base=${base%%.so*}
    for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /usr/lib/llvm-*/lib /usr/local/lib; do
        for f in "$d/$base".so*; do
            [ -e "$f" ] && hide+=("$(readlink -f "$f")")
        done
    done
done
tools=()
for c in gcc cc clang python3 cmake; do
    for p in $(type -ap $c); do tools+=("$(readlink -f "$p")"); done
    for p in /usr/bin/$c*; do [ -f "$p" ] && tools+=("$(readlink -f "$p")"); done
done
printf '%s\n' "${hide[@]}" "${tools[@]}" | sort -u >/tmp/weft-device-hidden.list
echo "test-hidden.sh: hiding $(wc -l </tmp/weft-device-hidden.list) files" >&2

# The private namespace: bind /dev/null over each file (an empty character
# device: the loader cannot map it), then run the benchmark script.
exec unshare -m --propagation private bash -c '
    while read -r f; do mount --bind /dev/null "$f"; done </tmp/weft-device-hidden.list
    for c in gcc clang python3; do
        if command -v $c >/dev/null && $c --version >/dev/null 2>&1; then
            echo "test-hidden.sh: $c still runs; the rehearsal is not bare" >&2
        fi
    done
    exec bash "$0" "$@"' "$here/run.sh" "$@"
