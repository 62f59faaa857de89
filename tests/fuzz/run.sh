#!/bin/sh
# run.sh - `make fuzz`: runs fuzz targets for a time each, one after
# the other, one process each (tests/fuzz/README.md).
#
#   sh tests/fuzz/run.sh BUILD_DIR SECONDS NAME...
#
# From the repository's root. NAME's corpus grows in
# BUILD_DIR/corpus/NAME, seeded from tests/fuzz/corpus/NAME (never
# written). Crash, leak, timeout and out-of-memory inputs go to
# BUILD_DIR/crash/NAME/, emptied when NAME's run starts: copy what you
# keep into tests/fuzz/regress/NAME first. Flags for NAME are in
# tests/fuzz/fuzz_NAME.options, one a line. Prints a line of figures
# per target; exits 1 when any target failed.
set -u

B=$1 secs=$2
shift 2
failed=

# The figures of a run, from libFuzzer's last status line and its
# -print_final_stats lines.
summary() {
	cov=$(grep -Eo 'cov: [0-9]+' "$2" | tail -1 | cut -d' ' -f2)
	ft=$(grep -Eo 'ft: [0-9]+' "$2" | tail -1 | cut -d' ' -f2)
	corp=$(grep -Eo 'corp: [0-9]+' "$2" | tail -1 | cut -d' ' -f2)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$2")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$2")
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$2")
	printf '%-12s runs %s  exec/s %s  cov %s  ft %s  corpus %s  rss %s MB\n' \
		"$1" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" \
		"${corp:-?}" "${rss:-?}"
}

for name; do
	bin=$B/fuzz_$name corpus=$B/corpus/$name crash=$B/crash/$name
	log=$B/fuzz_$name.log
	mkdir -p "$corpus" && rm -rf "$crash" && mkdir -p "$crash" || exit 1
	cp "tests/fuzz/corpus/$name"/* "$corpus"/ || exit 1
	opts=$(cat "tests/fuzz/fuzz_$name.options" 2>/dev/null)
	# shellcheck disable=SC2086
	"$bin" $opts -max_total_time="$secs" -rss_limit_mb=2048 -timeout=30 \
		-fork=0 -print_final_stats=1 -artifact_prefix="$crash/" \
		"$corpus" > "$log" 2>&1
	rc=$?
	summary "$name" "$log"
	found=$(ls "$crash")
	if [ "$rc" != 0 ] || [ -n "$found" ]; then
		echo "$name: FAILED (exit $rc), see $log" >&2
		for f in $found; do echo "  $crash/$f" >&2; done
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -5 >&2
		failed="$failed $name"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed" >&2
	exit 1
fi
