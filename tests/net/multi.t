#!/bin/sh
# ipconfig with several interfaces: a second veth pair (es-srv1 to eth1)
# joins the namespaces of tests/lib/netns.sh, dnsmasq serves both. Named
# devices must all be configured; "all" (an ip= without a device) or -o
# ends with the first one configured; a named device that gets no answer
# keeps the run to its deadline even when another one is done.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/netns.sh"

[ -x "$BIN/kinit" ] || skip_all "build/kinit is not built"
netns_need_dnsmasq

SRV1=es-srv1
ip -n "$NETNS_SERVER" link add "$SRV1" type veth peer name eth1 netns "$NETNS_CLIENT" &&
	ip -n "$NETNS_SERVER" addr add 192.168.78.1/24 dev "$SRV1" &&
	ip -n "$NETNS_SERVER" link set "$SRV1" up &&
	ip -n "$NETNS_CLIENT" link set eth1 address 02:e5:00:00:78:10 ||
	bail_out "cannot make the second veth pair"

conf() {
	netns_conf_var "$1" "$NETNS_CLIENT_RUN/net-$2.conf"
}

ours() {
	rm -f "$NETNS_CLIENT_RUN"/net-*.conf
	for i in eth0 eth1; do
		ip -n "$NETNS_CLIENT" addr flush dev "$i"
		ip -n "$NETNS_CLIENT" link set "$i" down
	done
	netns_client_boot "$BIN/kinit" ipconfig "$@"
}

configured() {
	(cd "$NETNS_CLIENT_RUN" && ls net-*.conf 2>/dev/null | tr '\n' ' ')
}

# dnsmasq on both links, or (with "eth0") on eth0's only.
serve() {
	netns_dnsmasq_stop
	netns_dnsmasq_conf > "$NETNS_DIR/multi.conf"
	[ "$1" = eth0 ] ||
		cat >> "$NETNS_DIR/multi.conf" <<-EOF
		interface=$SRV1
		dhcp-range=set:l1,192.168.78.100,192.168.78.150,255.255.255.0,3600
		dhcp-option=tag:l1,3,192.168.78.1
		dhcp-option=tag:l1,28,192.168.78.255
		dhcp-option=tag:l1,121,0.0.0.0/0,192.168.78.1
		EOF
	netns_dnsmasq_start "$NETNS_DIR/multi.conf" 2>"$T/dnsmasq.err"
	is "$?" 0 "dnsmasq serves ${1:-both links}" || diag "$(cat "$T/dnsmasq.err")"
}

serve
ours -t 10 eth0 eth1
is "$rc" 0 "ipconfig eth0 eth1: both configured (in $ms ms)" || diag "$(cat "$T/out")"
is "$(configured)" "net-eth0.conf net-eth1.conf " "a file for each"
is "$(conf IPV4ADDR eth0)" "$NETNS_CLIENT_IP" "eth0 has its bound address"
like "$(conf IPV4ADDR eth1)" '^192\.168\.78\.1[0-4][0-9]$' "eth1 one of its link's range"
is "$(grep -c 'complete (dhcp from' "$T/out")" 2 "two summaries"

ours -t 10 -d all
is "$rc" 0 "ipconfig -d all: configured (in $ms ms)" || diag "$(cat "$T/out")"
is "$(grep -c 'complete (dhcp from' "$T/out")" 1 "the first one configured ends the run"
like "$(configured)" '^net-eth[01]\.conf $' "one file"

ours -t 10 -o eth0 eth1
is "$rc" 0 "ipconfig -o eth0 eth1: configured" || diag "$(cat "$T/out")"
is "$(grep -c 'complete (dhcp from' "$T/out")" 1 "-o: the first one ends the run"

serve eth0
ours -t 2 eth0 eth1
is "$rc" 255 "eth0 answered, eth1 not: given up at -t 2 (status 255, $ms ms)"
is "$(configured)" "net-eth0.conf " "eth0 is configured all the same"
like "$(cat "$T/out")" "IP-Config: no response after 2 secs - giving up" "said so"

done_testing
