#!/bin/sh
# bench/size.sh: the size of the target binary, stripped, against its
# budget (96 KiB) and against what klibc-utils installs for the same
# jobs (kinit, run-init, fstype, resume and the shared klibc they need;
# klibc has no modprobe). Prints a markdown table; `make bench` runs it.
#
# Environment:
#   BIN           build directory holding kinit (default: build)
#   BENCH_DIR     where the table is saved (default: bench/out)
#   BENCH_STRICT  1 makes a binary over its budget fail the run
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/build}
BENCH_DIR=${BENCH_DIR:-$TOP/bench/out}
BENCH_STRICT=${BENCH_STRICT:-0}
BUDGET=98304
KLIBC_BIN=/usr/lib/klibc/bin

[ -x "$BIN/kinit" ] || { echo "bench: $BIN/kinit not found: run make first" >&2; exit 1; }
size=$(stat -c %s "$BIN/kinit") || exit 1
verdict=met
[ "$size" -le "$BUDGET" ] || verdict=MISSED

klibc_row() {
	set -- "$KLIBC_BIN/kinit" "$KLIBC_BIN/run-init" "$KLIBC_BIN/fstype" \
		"$KLIBC_BIN/nfsmount" "$KLIBC_BIN/ipconfig" \
		"$KLIBC_BIN/resume" /usr/lib/klibc-*.so
	for f; do [ -f "$f" ] || return 0; done
	printf '| klibc-utils %s: kinit, run-init, fstype, resume, nfsmount, ipconfig + klibc.so | %s |\n' \
		"$(dpkg-query -W -f '${Version}' klibc-utils 2>/dev/null)" \
		"$(stat -c %s "$@" | awk '{ s += $1 } END { print s }')"
}

mkdir -p "$BENCH_DIR" || exit 1
{
	printf '## kinit size (stripped)\n\n'
	printf '| binary | bytes |\n|---|---:|\n'
	printf '| ours: kinit (kinit, run-init, fstype, modprobe, resume, nfsmount, ipconfig; static musl) | %s |\n' "$size"
	klibc_row
	printf '\nbudget: %s bytes (96 KiB); ours is %s%% of it: %s\n' "$BUDGET" \
		"$((size * 100 / BUDGET))" "$verdict"
} | tee "$BENCH_DIR/size.md"
[ "$verdict" = met ] || [ "$BENCH_STRICT" != 1 ]
