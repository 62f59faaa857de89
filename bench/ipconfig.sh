#!/bin/sh
# bench/ipconfig.sh: how long our ipconfig (kinit's applet) and klibc's
# take to configure an interface, against dnsmasq in the two network
# namespaces of tests/lib/netns.sh, interleaved in the same run:
#   lease      the link up with its carrier: command start to exit
#   late       the server's end comes up 1 s after the command started:
#              from that moment to exit (klibc pays a fixed back-off)
# Prints a markdown table of medians; the goal: ours not slower than
# klibc in either case. Needs root, dnsmasq-base and klibc-utils.
#
# Environment:
#   BIN             build directory holding kinit (default: build)
#   IPC_ROUNDS      rounds per case (default 5)
#   BENCH_DIR       where the table is saved (default: bench/out)
#   BENCH_STRICT    1 makes a missed goal fail the run
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/build}
IPC_ROUNDS=${IPC_ROUNDS:-5}
BENCH_DIR=${BENCH_DIR:-$TOP/bench/out}
BENCH_STRICT=${BENCH_STRICT:-0}
KLIBC=/usr/lib/klibc/bin/ipconfig
export TOP BIN

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
[ -x "$BIN/kinit" ] || die "$BIN/kinit not found: run make first"
[ -x "$KLIBC" ] || die "klibc's ipconfig is not installed (klibc-utils)"
T=$(mktemp -d "${TMPDIR:-/tmp}/es-ipcbench.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
# shellcheck source=tests/lib/netns.sh
. "$TOP/tests/lib/netns.sh"
netns_setup up || die "cannot make the test network (see above)"
netns_dnsmasq_start || die "cannot start dnsmasq (see above)"
IF=$NETNS_CLIENT_IF

now_ms() { echo $(($(date +%s%N) / 1000000)); }

reset_client() {
	ip -n "$NETNS_CLIENT" addr flush dev "$IF"
	ip -n "$NETNS_CLIENT" route flush dev "$IF" 2>/dev/null
	rm -f "$NETNS_CLIENT_RUN/net-$IF.conf"
}

# run NAME: one configuration by NAME (ours or klibc), -t 30.
run() {
	if [ "$1" = ours ]; then
		netns_client_run "$BIN/kinit" ipconfig -t 30 "$IF" >/dev/null 2>&1
	else
		netns_client_run "$KLIBC" -t 30 "$IF" >/dev/null 2>&1
	fi
	[ -s "$NETNS_CLIENT_RUN/net-$IF.conf" ]
}

# lease NAME: prints the ms from start to a configured interface.
lease() {
	reset_client
	_t0=$(now_ms)
	run "$1" || { echo failed; return; }
	echo $(($(now_ms) - _t0))
}

# late NAME: the carrier comes 1 s after the start; ms from then.
late() {
	reset_client
	ip -n "$NETNS_SERVER" link set "$NETNS_SERVER_IF" down
	run "$1" > "$T/late.$1" 2>&1 &
	_pid=$!
	sleep 1
	ip -n "$NETNS_SERVER" link set "$NETNS_SERVER_IF" up
	_t0=$(now_ms)
	if wait "$_pid"; then echo $(($(now_ms) - _t0)); else echo failed; fi
}

median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }'; }

missed=0
for c in lease late; do
	: > "$T/$c.ours"
	: > "$T/$c.klibc"
	i=0
	while [ "$i" -lt "$IPC_ROUNDS" ]; do
		printf 'bench: ipconfig %s, round %s\n' "$c" $((i + 1)) >&2
		"$c" ours >> "$T/$c.ours"
		"$c" klibc >> "$T/$c.klibc"
		i=$((i + 1))
	done
done

mkdir -p "$BENCH_DIR" || exit 1
{
	printf '## ipconfig: DHCP against dnsmasq in a network namespace\n\n'
	printf 'runs: %s rounds a case, ours and klibc-utils %s interleaved; medians in ms\n\n' \
		"$IPC_ROUNDS" "$(dpkg-query -W -f '${Version}' klibc-utils 2>/dev/null)"
	printf '| case | ours ms | klibc ms | klibc/ours | goal | result |\n'
	printf '|---|---:|---:|---:|---|---|\n'
	for c in lease late; do
		o=$(grep -v failed "$T/$c.ours" | median)
		k=$(grep -v failed "$T/$c.klibc" | median)
		f=$(cat "$T/$c.ours" "$T/$c.klibc" | grep -c failed)
		r=met
		if [ "$o" = - ] || { [ "$k" != - ] && [ "$o" -gt "$k" ]; }; then
			r=MISSED
			missed=1
		fi
		ratio=$(awk -v o="$o" -v k="$k" 'BEGIN { if (o > 0 && k != "-") printf "%.1f", k / o; else print "-" }')
		printf '| %s | %s | %s | %s | ours <= klibc | %s%s |\n' "$c" "$o" "$k" "$ratio" "$r" \
			"$([ "$f" = 0 ] || echo " ($f failed runs)")"
	done
} | tee "$BENCH_DIR/ipconfig.md"
[ "$missed" = 0 ] || [ "$BENCH_STRICT" != 1 ]
