#!/bin/sh
# This file handles a stand-in "real compiler" for the weftcc driver tests:
# it appends its arguments (one per line, then a "--" line) to $FAKECC_LOG
# so a test can check exactly what weftcc ran, then behaves as asked:
# FAKECC_SLEEP=n becomes `sleep n` (signal tests; its pid goes to
# $FAKECC_PIDFILE), FAKECC_EXIT=n exits with n,
# otherwise it runs the real cc with the same arguments.
if [ -n "${FAKECC_LOG:-}" ]; then
    for a in "$@"; do printf '%s\n' "$a"; done >> "$FAKECC_LOG"
    printf -- '--\n' >> "$FAKECC_LOG"
fi
if [ -n "${FAKECC_SLEEP:-}" ]; then
    # exec keeps the pid: the test can check that the signal reached it.
    [ -n "${FAKECC_PIDFILE:-}" ] && echo $$ > "$FAKECC_PIDFILE"
    exec sleep "$FAKECC_SLEEP"
fi
if [ -n "${FAKECC_EXIT:-}" ]; then
    exit "$FAKECC_EXIT"
fi
exec cc "$@"
