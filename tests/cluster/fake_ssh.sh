#!/bin/sh
# This file handles a stand-in for ssh in the cluster tests: weftrun runs
# `ssh -o BatchMode=yes -T HOST COMMAND` for each remote worker; this runs
# COMMAND locally instead (stdin, which carries the secret, passes through).
shift 4
exec sh -c "$1"
