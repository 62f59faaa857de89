#!/bin/sh
# run-one.sh - one test file of tests/sanitize/run.t, run through prove
# against the sanitizer build; run.t starts several at once (xargs -P).
#
#   run-one.sh N FILE
#
# FILE is a unit test binary (run as is) or a shell test (run with BIN
# pointing at the sanitizer build, so every `initramfs` it runs is the
# instrumented one). Into $SAN_RUN/N it writes out (what prove printed),
# status (prove's exit status), secs (the time it took) and rep/, where
# the sanitizer runtimes write their reports (log_path): a report counts
# even when the test never looks at the standard error or the exit
# status of the command that made it. Environment: SAN (the sanitizer
# build), SAN_RUN, ASAN_BASE, UBSAN_BASE (the runtimes' options without
# log_path). Shell tests run with shim/sh, first in their PATH as well:
# `ulimit -v` is a no-op there (see why in shim/sh).

n=$1 file=$2
shim=$(dirname "$0")/shim
dir=$SAN_RUN/$n
mkdir -p "$dir/rep" || exit 1
ASAN_OPTIONS=$ASAN_BASE:log_path=$dir/rep/asan
UBSAN_OPTIONS=$UBSAN_BASE:log_path=$dir/rep/ubsan
CMOCKA_MESSAGE_OUTPUT=TAP
BIN=$SAN
export ASAN_OPTIONS UBSAN_OPTIONS CMOCKA_MESSAGE_OUTPUT BIN
start=$(date +%s)
case $file in
*.t) PATH=$shim:$PATH prove -f --exec "$shim/sh" "$file" ;;
*) prove -f "$file" ;;
esac > "$dir/out" 2>&1
echo $? > "$dir/status"
echo $(($(date +%s) - start)) > "$dir/secs"
