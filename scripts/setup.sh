#!/usr/bin/env bash
# This file installs the Debian packages weft needs (only those missing), so
# a fresh Debian 12 machine can build, test and benchmark weft.
set -euo pipefail

PKGS=(build-essential cmake pkg-config clang libclang-dev llvm-dev
      libhwloc-dev hwloc libcunit1-dev libomp-dev libsodium-dev
      libxxhash-dev libopenmpi-dev openmpi-bin python3 binutils procps
      coreutils)

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "weft: installing Debian packages: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || {
        echo "weft: need root (or sudo) to install: ${missing[*]}" >&2
        exit 1
    }
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
