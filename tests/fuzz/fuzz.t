#!/bin/sh
# The fuzz targets (tests/fuzz/README.md): each one replays its seeds
# and the inputs that once made it fail (tests/fuzz/regress/NAME), then
# fuzzes for FUZZ_CHECK_SECONDS (default 15) from its seeds and must end
# without a crash, leak, timeout or running out of memory. Corpora grow
# in the test's temporary directory; an input that fails is kept in
# build/fuzz/check-crash/NAME. Needs clang and its libFuzzer runtime;
# skipped without them.
. "$(dirname "$0")/../lib/tap.sh"

SECS=${FUZZ_CHECK_SECONDS:-15}
FB=$TOP/build/fuzz
cd "$TOP" || exit 1
# fuzz_kmod writes its index files under TMPDIR: in $T they are removed
# even when a crash leaves them.
TMPDIR=$T
export TMPDIR

command -v clang > /dev/null || skip_all "clang is not installed"
cat > "$T/link.c" <<'C'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
C
clang -fsanitize=fuzzer,address,undefined -o "$T/link" "$T/link.c" > /dev/null 2>&1 ||
	skip_all "clang cannot link a fuzzer (libclang-rt-dev missing?)"

names=$(for f in tests/fuzz/fuzz_*.c; do f=${f#tests/fuzz/fuzz_}; echo "${f%.c}"; done)

# A make of our own, not the jobserver of a `make check` around us.
if ! env -u MAKEFLAGS -u MFLAGS make -j2 fuzz-build > "$T/build.log" 2>&1; then
	echo "1..1"
	echo "not ok 1 - make fuzz-build"
	diag "$(tail -20 "$T/build.log")"
	exit 1
fi

# flags NAME: the target's options file, one flag a line.
flags() { cat "tests/fuzz/fuzz_$1.options" 2> /dev/null; }

# quietly LOG COMMAND...: runs COMMAND with its output in LOG.
quietly() { _log=$1; shift; "$@" > "$_log" 2>&1; }

for name in $names; do
	bin=$FB/fuzz_$name
	regress=
	[ -d "tests/fuzz/regress/$name" ] && regress=$(ls -d "tests/fuzz/regress/$name"/*)
	# shellcheck disable=SC2046,SC2086
	ok "$name: replays its seeds and regression inputs" \
		quietly "$T/replay-$name.log" "$bin" $(flags "$name") \
		tests/fuzz/corpus/"$name"/* $regress ||
		diag "$(grep -E 'ERROR|SUMMARY|runtime error|Running:' "$T/replay-$name.log" | tail -5)"

	mkdir -p "$T/corpus/$name" "$T/crash/$name"
	cp "tests/fuzz/corpus/$name"/* "$T/corpus/$name"/
	# shellcheck disable=SC2046
	"$bin" $(flags "$name") -max_total_time="$SECS" -rss_limit_mb=2048 \
		-timeout=25 -fork=0 -print_final_stats=1 \
		-artifact_prefix="$T/crash/$name/" "$T/corpus/$name" \
		> "$T/fuzz-$name.log" 2>&1
	rc=$?
	is "$rc" 0 "$name: fuzzed for ${SECS}s, exit 0" ||
		diag "$(grep -E 'ERROR|SUMMARY|runtime error' "$T/fuzz-$name.log" | head -5)"
	# What it found outlives the test, for tests/fuzz/regress/NAME.
	is "$(ls "$T/crash/$name")" "" "$name: no crash file" || {
		mkdir -p "$FB/check-crash/$name"
		cp "$T/crash/$name"/* "$FB/check-crash/$name"/
		diag "kept in $FB/check-crash/$name: $(ls "$T/crash/$name")"
	}
	cov=$(grep -Eo 'cov: [0-9]+' "$T/fuzz-$name.log" | tail -1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$T/fuzz-$name.log")
	diag "$name: $cov, $speed exec/s"
done
done_testing
