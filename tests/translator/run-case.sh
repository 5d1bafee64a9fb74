#!/usr/bin/env bash
# This file handles one translator golden test: it runs every `// RUN:`
# line of a case file (clang/test style) with its substitutions:
#   %s  the case file        %t  a scratch output path (removed first)
#   %weft-translate          %FileCheck          %cc (the C compiler)
#   %inc  weft's include dir
# and `not CMD` which succeeds only when CMD exits with status 1 (a user
# error reported by the translator: not a crash, not success).
# Usage: run-case.sh CASE WEFT_TRANSLATE FILECHECK CC INCDIR SCRATCHDIR
set -u
case_file=$1 wt=$2 fc=$3 cc=$4 inc=$5 scratch=$6
mkdir -p "$scratch"
name=$(basename "$case_file" .c)
tmp="$scratch/$name.out.c"
rm -f "$tmp"

not() {
    "$@"
    local rc=$?
    if [ "$rc" -ne 1 ]; then
        echo "not: expected exit status 1 from '$*', got $rc" >&2
        return 1
    fi
    return 0
}
export -f not

n=0
while IFS= read -r line; do
    case "$line" in
    *"// RUN:"*) ;;
    *) continue ;;
    esac
    cmd=${line#*// RUN:}
    cmd=${cmd//%weft-translate/$wt}
    cmd=${cmd//%FileCheck/$fc}
    cmd=${cmd//%cc/$cc}
    cmd=${cmd//%inc/$inc}
    cmd=${cmd//%s/$case_file}
    cmd=${cmd//%t/$tmp}
    n=$((n + 1))
    echo "RUN: $cmd"
    if ! bash -o pipefail -c "$cmd"; then
        echo "FAILED: $case_file: RUN line $n" >&2
        exit 1
    fi
done < "$case_file"
if [ "$n" -eq 0 ]; then
    echo "$case_file: no RUN lines" >&2
    exit 1
fi
exit 0
