#!/bin/sh
# IPv6, which klibc's ipconfig never had, in the test network of
# tests/lib/netns.sh: dnsmasq sends router advertisements and answers
# DHCPv6. dhcp6: SOLICIT, ADVERTISE, REQUEST, REPLY; the address bound
# to our DUID-LL in dnsmasq's configuration, the name servers and the
# search list in /run/net6-eth0.conf and /etc/resolv.conf, the address
# applied. auto6: the kernel's SLAAC address from the advertised prefix.
# Both start with the link down, so the first sends meet a link-local
# address still in duplicate detection. A silent network: the deadline.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/netns.sh"

[ -x "$BIN/kinit" ] || skip_all "build/kinit is not built"
netns_need_dnsmasq

IF=$NETNS_CLIENT_IF
CONF6=$NETNS_CLIENT_RUN/net6-$IF.conf
PREFIX=fd00:e5
# DUID-LL (type 3, Ethernet) of the client's MAC, as dnsmasq spells it.
DUID=00:03:00:01:$NETNS_CLIENT_MAC
# The kernel's EUI-64 address for that MAC (the U/L bit flipped).
SLAAC=$PREFIX::e5:ff:fe00:7710

conf6() {
	netns_conf_var "$1" "$CONF6"
}

client6() {
	rm -f "$CONF6"
	netns_client_link down
	netns_client_boot "$BIN/kinit" ipconfig "$@"
}

client_addrs6() {
	ip -n "$NETNS_CLIENT" -o -6 addr show dev "$IF" scope global | awk '{ print $4 }' | sort
}

# The namespaces as a booting machine has them: IPv6 on, a host (not a
# router) that takes advertisements; the server's address usable at once.
for s in "net.ipv6.conf.all.forwarding=0" "net.ipv6.conf.$IF.disable_ipv6=0" \
	"net.ipv6.conf.$IF.accept_ra=1" "net.ipv6.conf.$IF.autoconf=1"; do
	ip netns exec "$NETNS_CLIENT" sysctl -q -w "$s" || bail_out "sysctl $s"
done
ip netns exec "$NETNS_SERVER" sysctl -q -w "net.ipv6.conf.$NETNS_SERVER_IF.accept_dad=0" &&
	ip -n "$NETNS_SERVER" -6 addr add "$PREFIX::1/64" dev "$NETNS_SERVER_IF" nodad ||
	bail_out "cannot give the server $PREFIX::1"

# dnsmasq6 RANGE-LINES...: the common configuration, advertisements on,
# and the lines given.
dnsmasq6() {
	netns_dnsmasq_stop
	{
		netns_dnsmasq_conf
		echo enable-ra
		echo ra-param="$NETNS_SERVER_IF,5"
		printf '%s\n' "$@"
	} > "$NETNS_DIR/dnsmasq6.conf"
	netns_dnsmasq_start "$NETNS_DIR/dnsmasq6.conf" 2>"$T/dnsmasq.err"
	is "$?" 0 "dnsmasq: $1" || diag "$(cat "$T/dnsmasq.err")"
}

# --- DHCPv6 ------------------------------------------------------------
dnsmasq6 "dhcp-range=$PREFIX::100,$PREFIX::1ff,64,3600" \
	"dhcp-host=id:$DUID,[$PREFIX::10]" \
	"dhcp-option=option6:dns-server,[$PREFIX::53],[$PREFIX::54]" \
	"dhcp-option=option6:domain-search,v6.earlyspace.test,example.test"

client6 -t 20 -c dhcp6 -d "$IF"
is "$rc" 0 "ipconfig -c dhcp6 -d $IF: configured (in $ms ms)" || diag "$(cat "$T/out")"
out=$(cat "$T/out")
like "$out" "^IP-Config: $IF hardware address $NETNS_CLIENT_MAC mtu 1500 DHCPv6\$" \
	"the hardware address line says DHCPv6"
like "$out" "^IP-Config: $IF complete \\(dhcp6\\):\$" "the summary line"
like "$out" "^ address: $PREFIX::10/128\$" "with the address"
ok "it writes /run/net6-$IF.conf" test -s "$CONF6"
is "$(conf6 DEVICE6)" "$IF" "DEVICE6"
is "$(conf6 IPV6PROTO)" dhcp6 "IPV6PROTO"
is "$(conf6 IPV6ADDR)" "$PREFIX::10" "IPV6ADDR: dnsmasq's address for our DUID-LL"
is "$(conf6 IPV6NETMASK)" 128 "IPV6NETMASK: the /128 DHCPv6 gives"
is "$(conf6 IPV6DNS0) $(conf6 IPV6DNS1)" "$PREFIX::53 $PREFIX::54" "IPV6DNS0, IPV6DNS1 (option 23)"
is "$(conf6 IPV6DOMAINSEARCH)" "v6.earlyspace.test. example.test." "IPV6DOMAINSEARCH (option 24)"
like "$(conf6 UPTIME)" '^[0-9]+$' "UPTIME"
ok "no net-$IF.conf: IPv4 was not asked for" test ! -e "$NETNS_CLIENT_RUN/net-$IF.conf"
like "$(client_addrs6)" "^$PREFIX::10/128\$" "the address is applied"
ip -n "$NETNS_CLIENT" -o -6 addr show dev "$IF" scope global > "$T/addr"
is "$(grep -c tentative "$T/addr")" 0 "and usable at once (not tentative)"
is "$(cat "$NETNS_CLIENT_RUN/resolv.conf" 2>&1)" "search v6.earlyspace.test example.test
nameserver $PREFIX::53
nameserver $PREFIX::54" "/etc/resolv.conf: the search list and the servers"
log=$(cat "$NETNS_DNSMASQ_LOG")
for m in SOLICIT ADVERTISE REQUEST REPLY; do
	like "$log" "DHCP$m\\($NETNS_SERVER_IF\\)" "dnsmasq's log: DHCP$m"
done
like "$log" "DHCPREPLY\\($NETNS_SERVER_IF\\) $PREFIX::10 $DUID" \
	"the REPLY gave the address to our DUID"
ok "the server reaches the address (busybox ping)" \
	ip netns exec "$NETNS_SERVER" busybox ping -6 -c 1 -W 2 "$PREFIX::10"

# --- auto6 (SLAAC) -----------------------------------------------------
ip -n "$NETNS_CLIENT" -6 addr flush dev "$IF" scope global
dnsmasq6 "dhcp-range=$PREFIX::,ra-only,64,3600"
client6 -t 20 ":::::$IF:auto6"
is "$rc" 0 "ipconfig :::::$IF:auto6: configured (in $ms ms)" || diag "$(cat "$T/out")"
like "$(cat "$T/out")" "^IP-Config: $IF complete \\(auto6\\):\$" "the summary line"
is "$(conf6 IPV6PROTO)" auto6 "IPV6PROTO"
is "$(conf6 IPV6ADDR)" "$SLAAC" "IPV6ADDR: the kernel's EUI-64 address in the prefix"
is "$(conf6 IPV6NETMASK)" 64 "IPV6NETMASK: the advertised prefix's length"
is "$(grep -c DHCPSOLICIT "$NETNS_DNSMASQ_LOG")" 0 "no DHCPv6 asked"
ok "no /etc/resolv.conf without servers" test ! -e "$NETNS_CLIENT_RUN/resolv.conf"

# --- a silent network --------------------------------------------------
netns_dnsmasq_stop
client6 -t 2 -c dhcp6 -d "$IF"
is "$rc" 255 "dhcp6 with no server: given up at -t 2 (status 255, $ms ms)"
like "$(cat "$T/out")" "IP-Config: no response after 2 secs - giving up" "said so"
ok "and within 2.5 s" test "$ms" -lt 2500

done_testing
