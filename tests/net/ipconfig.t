#!/bin/sh
# Our ipconfig (kinit's applet) in the test network of tests/lib/netns.sh:
# a DHCP lease from dnsmasq with every value of its configuration in
# /run/net-eth0.conf and applied to the interface, the file compared
# with klibc's for the same lease, BOOTP, a NAK handled, -t kept to the
# deadline, a carrier that comes late, a device that appears late, a
# static ip=, -n, a hostile server (hostile-dhcp.py), and Debian's
# initramfs-tools configure_networking run with ours as its ipconfig.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/netns.sh"

KIPCONFIG=/usr/lib/klibc/bin/ipconfig
[ -x "$BIN/kinit" ] || skip_all "build/kinit is not built"
netns_need_dnsmasq

IF=$NETNS_CLIENT_IF
CONF=$NETNS_CLIENT_RUN/net-$IF.conf

skip_n() {
	_s=$1
	while [ "$_s" -gt 0 ]; do
		skip "$2"
		_s=$((_s - 1))
	done
}

diag_if() {
	[ ! -s "$1" ] || diag "$(cat "$1")"
}

conf() {
	netns_conf_var "$1" "${2:-$CONF}"
}

client() {
	rm -f "$CONF"
	netns_client_boot "$@"
}

ours() {
	client "$BIN/kinit" ipconfig "$@"
}

reset_client() {
	ip -n "$NETNS_CLIENT" addr flush dev "$IF"
	ip -n "$NETNS_CLIENT" route flush dev "$IF" 2>/dev/null
	ip -n "$NETNS_CLIENT" link set "$IF" mtu 1500
}

link_mtu() {
	ip -n "$NETNS_CLIENT" -o link show dev "$IF" | sed -n 's/.* mtu \([0-9]*\) .*/\1/p'
}

client_addr() {
	ip -n "$NETNS_CLIENT" -o -4 addr show dev "$IF" | awk '{ print $4 }'
}

# shellcheck disable=SC2086 # the lists are meant to split
set -- $NETNS_DNS
dns0=$1 dns1=$2
# shellcheck disable=SC2086
set -- $NETNS_ROUTES
route0=$1 route1=$2
# shellcheck disable=SC2086
search=$(printf '%s. ' $NETNS_SEARCH | sed 's/ $//')

# --- DHCP --------------------------------------------------------------
netns_dnsmasq_start 2>"$T/dnsmasq.err"
is "$?" 0 "dnsmasq serves the server namespace"
diag_if "$T/dnsmasq.err"

ours -t 10 "$IF"
is "$rc" 0 "ipconfig -t 10 $IF gets a DHCP lease (in $ms ms)" || diag "$(cat "$T/out")"
out=$(cat "$T/out")
like "$out" "^IP-Config: $IF hardware address $NETNS_CLIENT_MAC mtu 1500 DHCP RARP\$" \
	"it prints klibc's hardware address line"
like "$out" "^IP-Config: $IF complete \\(dhcp from $NETNS_SERVER_IP\\):\$" \
	"and the summary line"
like "$out" "^ address: $NETNS_CLIENT_IP +broadcast: $NETNS_BROADCAST +netmask: $NETNS_NETMASK" \
	"with the address"
ok "it writes /run/net-$IF.conf" test -s "$CONF"
is "$(conf DEVICE)" "$IF" "DEVICE"
is "$(conf PROTO)" dhcp "PROTO"
is "$(conf IPV4ADDR)" "$NETNS_CLIENT_IP" "IPV4ADDR"
is "$(conf IPV4NETMASK)" "$NETNS_NETMASK" "IPV4NETMASK (option 1)"
is "$(conf IPV4BROADCAST)" "$NETNS_BROADCAST" "IPV4BROADCAST (option 28)"
is "$(conf IPV4ROUTE0SUBNET),$(conf IPV4ROUTE0GATEWAY)" "$route0" "option 121, first route"
is "$(conf IPV4ROUTE1SUBNET),$(conf IPV4ROUTE1GATEWAY)" "$route1" "option 121, second route"
is "$(grep -c '^IPV4GATEWAY=' "$CONF")" 0 "no IPV4GATEWAY beside option 121's routes"
is "$(conf IPV4DNS0) $(conf IPV4DNS1)" "$dns0 $dns1" "IPV4DNS0, IPV4DNS1 (option 6)"
is "$(conf HOSTNAME)" "$NETNS_HOSTNAME" "HOSTNAME (option 12)"
is "$(conf DNSDOMAIN)" "$NETNS_DOMAIN" "DNSDOMAIN (option 15)"
is "$(conf NISDOMAIN)" "$NETNS_NISDOMAIN" "NISDOMAIN (option 40)"
is "$(conf ROOTSERVER)" "$NETNS_SERVER_IP" "ROOTSERVER (siaddr)"
is "$(conf ROOTPATH)" "$NETNS_ROOTPATH" "ROOTPATH (option 17)"
is "$(conf filename)" pxelinux.0 "filename (the boot file)"
is "$(conf DHCPLEASETIME)" "$NETNS_LEASE" "DHCPLEASETIME (option 51)"
is "$(conf DOMAINSEARCH)" "$search" "DOMAINSEARCH (option 119)"
like "$(conf UPTIME)" '^[0-9]+$' "UPTIME"
cp "$CONF" "$T/ours.conf"

is "$(client_addr)" "$NETNS_CLIENT_IP/$NETNS_PREFIX" "the address is applied"
is "$(ip -n "$NETNS_CLIENT" -o -4 addr show dev "$IF" | sed -n 's/.* brd \([0-9.]*\) .*/\1/p')" \
	"$NETNS_BROADCAST" "with its broadcast address"
is "$(link_mtu)" "$NETNS_MTU" "the MTU is applied (option 26)"
routes=$(ip -n "$NETNS_CLIENT" -4 route show | sort | tr '\n' ';')
like "$routes" "^10\\.99\\.0\\.0/16 via 192\\.168\\.77\\.254 dev $IF" "the option 121 route is applied"
like "$routes" "default via $NETNS_GATEWAY dev $IF" "and the default route"
is "$(cat "$NETNS_CLIENT_RUN/uname-n")" "$NETNS_HOSTNAME" "the host name is set (it was \"(none)\")"
# shellcheck disable=SC2086
is "$(cat "$NETNS_CLIENT_RUN/resolv.conf" 2>&1)" "search $NETNS_SEARCH
nameserver $dns0
nameserver $dns1" "/etc/resolv.conf: the search list and the servers"
like "$(cat "$NETNS_DNSMASQ_LOG")" "DHCPACK\\($NETNS_SERVER_IF\\) $NETNS_CLIENT_IP $NETNS_CLIENT_MAC" \
	"dnsmasq acknowledged"

# The same lease through klibc's ipconfig: the same file, but UPTIME.
if [ -x "$KIPCONFIG" ]; then
	reset_client
	client "$KIPCONFIG" -t 10 "$IF"
	is "$rc" 0 "klibc's ipconfig gets the same lease" || diag "$(cat "$T/out")"
	cp "$CONF" "$T/klibc.conf" 2>/dev/null
	is "$(grep -v '^UPTIME=' "$T/ours.conf")" "$(grep -v '^UPTIME=' "$T/klibc.conf" 2>&1)" \
		"our net-$IF.conf equals klibc's, variable by variable, but UPTIME"
else
	skip "klibc's ipconfig is not installed (klibc-utils)"
	skip "no file to compare"
fi

# --- -n: nothing applied -------------------------------------------------
reset_client
ours -n -t 10 "$IF"
is "$rc" 0 "ipconfig -n gets the lease"
is "$(conf IPV4ADDR)" "$NETNS_CLIENT_IP" "and writes the file"
is "$(client_addr)" "" "but applies no address"
is "$(link_mtu)" 1500 "nor the MTU"
is "$(ip -n "$NETNS_CLIENT" -4 route show)" "" "nor routes"
ok "nor /etc/resolv.conf" test ! -e "$NETNS_CLIENT_RUN/resolv.conf"
is "$(cat "$NETNS_CLIENT_RUN/uname-n")" "(none)" "nor the host name"

# --- BOOTP -------------------------------------------------------------
reset_client
ours -t 10 -c bootp -d "$IF"
is "$rc" 0 "ipconfig -c bootp gets an answer" || diag "$(cat "$T/out")"
like "$(cat "$T/out")" "complete \\(bootp from $NETNS_SERVER_IP\\)" "the summary says bootp"
is "$(conf PROTO)" bootp "PROTO is bootp"
is "$(conf IPV4ADDR)" "$NETNS_CLIENT_IP" "IPV4ADDR from BOOTP"
# What fits in the 64-byte vendor area (netns.sh): 12, 1, 3, 6, 28, 15, 26.
is "$(conf IPV4NETMASK)" "$NETNS_NETMASK" "IPV4NETMASK from the vendor area"
is "$(conf IPV4GATEWAY)" "$NETNS_GATEWAY" "IPV4GATEWAY from the vendor area (klibc has none)"
is "$(conf IPV4DNS0) $(conf IPV4DNS1)" "$dns0 $dns1" "the DNS servers from the vendor area"
is "$(conf HOSTNAME)" "$NETNS_HOSTNAME" "the host name from the vendor area"
is "$(conf ROOTSERVER)" "$NETNS_SERVER_IP" "ROOTSERVER"
is "$(conf filename)" pxelinux.0 "filename"
is "$(client_addr)" "$NETNS_CLIENT_IP/$NETNS_PREFIX" "the address is applied"
like "$(ip -n "$NETNS_CLIENT" -4 route show)" "default via $NETNS_GATEWAY" "the default route"
like "$(sed -n '/BOOTP(/,$p' "$NETNS_DNSMASQ_LOG")" \
	"BOOTP\\($NETNS_SERVER_IF\\) $NETNS_CLIENT_IP $NETNS_CLIENT_MAC" "dnsmasq answered BOOTP"

# --- NAK ---------------------------------------------------------------
# dnsmasq delays its OFFERs by a second; a bait server offers first an
# address dnsmasq does not give, in dnsmasq's name. The client's REQUEST
# for it gets dnsmasq's NAK; the client starts over and gets its lease.
netns_dnsmasq_stop
{ netns_dnsmasq_conf; echo 'dhcp-reply-delay=1'; } > "$T/delay.conf"
netns_dnsmasq_start "$T/delay.conf" 2>"$T/dnsmasq.err"
diag_if "$T/dnsmasq.err"
HOSTILE="$TOP/tests/net/hostile-dhcp.py"
# hostile MODE: start hostile-dhcp.py in the server namespace.
hostile() {
	rm -f "$T/hostile.ready"
	ip netns exec "$NETNS_SERVER" python3 "$HOSTILE" "$1" "$NETNS_SERVER_IF" "$NETNS_SERVER_IP" \
		"$T/hostile.ready" >"$T/hostile.log" 2>&1 &
	hostile_pid=$!
	_h=0
	while [ ! -e "$T/hostile.ready" ] && [ $_h -lt 100 ]; do
		sleep 0.05
		_h=$((_h + 1))
	done
}
hostile_stop() {
	kill "$hostile_pid" 2>/dev/null
	wait "$hostile_pid" 2>/dev/null
}
if command -v python3 >/dev/null 2>&1; then
	reset_client
	hostile bait
	ours -t 15 "$IF"
	hostile_stop
	is "$rc" 0 "ipconfig gets a lease in spite of the bait" || diag "$(cat "$T/out" "$T/hostile.log")"
	like "$(cat "$NETNS_DNSMASQ_LOG")" "DHCPNAK\\($NETNS_SERVER_IF\\) 192\\.168\\.77\\.200 $NETNS_CLIENT_MAC" \
		"dnsmasq NAKed the REQUEST for the bait's address"
	is "$(conf IPV4ADDR)" "$NETNS_CLIENT_IP" "after the NAK, the lease is dnsmasq's"
	is "$(client_addr)" "$NETNS_CLIENT_IP/$NETNS_PREFIX" "and applied"
else
	skip_n 4 "python3 is not installed"
fi
netns_dnsmasq_stop

# --- the deadline ------------------------------------------------------
reset_client
netns_dnsmasq_silent 2>"$T/dnsmasq.err"
diag_if "$T/dnsmasq.err"
ours -t 2 "$IF"
is "$rc" 255 "ipconfig -t 2 with a silent server gives up (status 255)"
like "$(cat "$T/out")" "^IP-Config: no response after 2 secs - giving up\$" "with klibc's message"
ok "between 1.8 and 3 s (took $ms ms)" test "$ms" -ge 1800 -a "$ms" -le 3000
ok "no configuration file is written" test ! -e "$CONF"
discovers=$(grep -c "DHCPDISCOVER($NETNS_SERVER_IF) $NETNS_CLIENT_MAC ignored" "$NETNS_DNSMASQ_LOG")
ok "it retransmitted ($discovers DISCOVERs in 2 s: 1 s, then 2 s apart, +-0.5 s)" \
	test "$discovers" -ge 2 -a "$discovers" -le 3
netns_dnsmasq_stop

# --- a carrier that comes late ---------------------------------------------
# Both ends down: ipconfig brings its link up, which has no carrier
# until the server's end comes up a second later.
reset_client
netns_dnsmasq_start 2>"$T/dnsmasq.err"
diag_if "$T/dnsmasq.err"
netns_client_link down
ip -n "$NETNS_SERVER" link set "$NETNS_SERVER_IF" down
ours -t 20 "$IF" &
ours_pid=$!
sleep 1
ip -n "$NETNS_SERVER" link set "$NETNS_SERVER_IF" up
up0=$(date +%s%N)
wait "$ours_pid"
rc=$?
after=$(( ($(date +%s%N) - up0) / 1000000 ))
is "$rc" 0 "with the carrier late, ipconfig is configured" || diag "$(cat "$T/out")"
ok "less than 4 s after the link came up (took $after ms)" test "$after" -lt 4000
is "$(conf IPV4ADDR)" "$NETNS_CLIENT_IP" "with the lease"

# --- a device that appears late -------------------------------------------
ours -t 10 ip=10.9.9.9:::255.255.255.0::es-late:none &
ours_pid=$!
sleep 1
ip -n "$NETNS_CLIENT" link add es-late type veth peer name es-late-peer
wait "$ours_pid"
rc=$?
is "$rc" 0 "a named device that appears a second late is waited for" || diag "$(cat "$T/out")"
like "$(ip -n "$NETNS_CLIENT" -o -4 addr show dev es-late)" "inet 10\\.9\\.9\\.9/24 " \
	"and configured"
ip -n "$NETNS_CLIENT" link del es-late

# --- static ip= ----------------------------------------------------------
reset_client
ours "ip=192.168.77.50::192.168.77.1:255.255.255.0:host:$IF:none"
is "$rc" 0 "a static ip= is applied" || diag "$(cat "$T/out")"
is "$(conf PROTO)" none "PROTO='none'"
is "$(conf IPV4ADDR)" 192.168.77.50 "IPV4ADDR from ip="
is "$(conf IPV4NETMASK)" 255.255.255.0 "IPV4NETMASK from ip="
is "$(conf IPV4BROADCAST)" 192.168.77.255 "IPV4BROADCAST computed"
is "$(conf IPV4GATEWAY)" 192.168.77.1 "IPV4GATEWAY from ip="
is "$(conf HOSTNAME)" host "HOSTNAME from ip="
like "$(cat "$T/out")" "^IP-Config: $IF complete:\$" "the summary has no server"
is "$(client_addr)" 192.168.77.50/24 "the address is applied"
like "$(ip -n "$NETNS_CLIENT" -4 route show)" "default via 192\\.168\\.77\\.1 dev $IF" \
	"and the default route"
is "$(cat "$NETNS_CLIENT_RUN/uname-n")" host "and the host name"
netns_dnsmasq_stop

# --- a hostile server ------------------------------------------------------
if command -v python3 >/dev/null 2>&1; then
	reset_client
	hostile hostile
	ours -t 10 "$IF"
	hostile_stop
	is "$rc" 0 "malformed replies first, then a valid one: configured" ||
		diag "$(cat "$T/out" "$T/hostile.log")"
	is "$(conf IPV4ADDR)" 192.168.77.66 "by the valid reply"
	is "$(conf HOSTNAME)" hostile "with its host name"
	is "$(conf DOMAINSEARCH)" "" "its looping option 119 ignored alone"
	is "$(conf IPV4GATEWAY)" "$NETNS_SERVER_IP" "its bad option 121 ignored alone (option 3 used)"
	like "$(cat "$T/hostile.log")" "^hostile [0-9]+ replies to type 3" "after malformed ACKs too"
	reset_client
	hostile garbage
	ours -t 3 "$IF"
	hostile_stop
	is "$rc" 255 "only malformed replies: ipconfig gives up cleanly" ||
		diag "$(cat "$T/out" "$T/hostile.log")"
	like "$(cat "$T/hostile.log")" "^garbage [0-9]+ replies to type 1" "after hearing them"
	ok "no configuration file is written" test ! -e "$CONF"
	ok "within a second of -t 3 (took $ms ms)" test "$ms" -ge 2800 -a "$ms" -le 4000
else
	skip_n 10 "python3 is not installed"
fi

# --- a server that NAKs every REQUEST ----------------------------------------
# It offers an address and NAKs the REQUEST for it, every time: the
# client starts over each time and still gives up at its deadline.
if command -v python3 >/dev/null 2>&1; then
	reset_client
	hostile nak
	ours -t 3 "$IF"
	hostile_stop
	is "$rc" 255 "a server that NAKs every REQUEST: ipconfig gives up (status 255)" ||
		diag "$(cat "$T/out" "$T/hostile.log")"
	naks=$(sed -n 's/^nak \([0-9]*\) NAKs sent$/\1/p' "$T/hostile.log" | tail -1)
	ok "it started over after each NAK (${naks:-0} NAKs)" test "${naks:-0}" -ge 2
	# klibc's ipconfig waits for its retransmission timer after a NAK:
	# 2 NAKs in 3 s against this server; ours pauses a second.
	ok "it does not flood the server: at most 10 NAKs in 3 s (${naks:-0})" test "${naks:-0}" -le 10
	ok "within a second of -t 3 (took $ms ms)" test "$ms" -ge 2800 -a "$ms" -le 4000
	ok "no configuration file is written" test ! -e "$CONF"
	is "$(client_addr)" "" "and no address applied"
else
	skip_n 6 "python3 is not installed"
fi

# --- every device, or none -------------------------------------------------
netns_dnsmasq_start 2>"$T/dnsmasq.err"
diag_if "$T/dnsmasq.err"
reset_client
ours -t 10 ip=dhcp
is "$rc" 0 "ip=dhcp: every device with broadcast (the loopback is not one)" ||
	diag "$(cat "$T/out")"
is "$(grep -c 'hardware address' "$T/out")" 1 "only $IF is tried"
is "$(conf IPV4ADDR)" "$NETNS_CLIENT_IP" "and configured"
netns_dnsmasq_stop
ours -t 5 ip=off
is "$rc" 1 "ip=off: no devices to configure (status 1)"
like "$(cat "$T/out")" "^ipconfig: no devices to configure\$" "with klibc's message"
ours -t 1 es-absent
is "$rc" 255 "a named device that never appears: given up at the deadline"

# --- initramfs-tools' configure_networking -----------------------------------
# Debian's own scripts/functions, run as its init-top scripts run it,
# with our ipconfig first in PATH: it must configure the link and the
# file it sources must give the variables.
ITFUNCS=/usr/share/initramfs-tools/scripts/functions
if [ -r "$ITFUNCS" ]; then
	mkdir -p "$T/itbin"
	ln -sf "$BIN/kinit" "$T/itbin/ipconfig"
	netns_dnsmasq_start 2>"$T/dnsmasq.err"
	diag_if "$T/dnsmasq.err"
	reset_client
	for ip in dhcp "" "::::$NETNS_HOSTNAME:$IF:dhcp"; do
		# any net-*.conf stops it: those of the tests above go
		rm -f "$NETNS_CLIENT_RUN"/net-*.conf
		# shellcheck disable=SC2016 # expanded by the inner shell
		netns_client_run env PATH="$T/itbin:$PATH" IP="$ip" DEVICE="$IF" sh -c '
			quiet=y
			. "$1"
			starttime=$(_uptime)
			configure_networking
			echo "got $DEVICE $IPV4ADDR $IPV4NETMASK $ROOTPATH"' it "$ITFUNCS" >"$T/out" 2>&1
		is "$(sed -n 's/^got //p' "$T/out")" \
			"$IF $NETNS_CLIENT_IP $NETNS_NETMASK $NETNS_ROOTPATH" \
			"configure_networking with IP='$ip' configures $IF and sources the file" ||
			diag "$(cat "$T/out")"
		reset_client
	done
	netns_dnsmasq_stop
else
	skip_n 3 "initramfs-tools is not installed"
fi

# --- usage -----------------------------------------------------------------
ours -t 1 -c nonsense "$IF"
is "$rc" 1 "an unknown protocol is a usage error"
ours -t 1 ip=1.2.3:::::
is "$rc" 1 "a bad ip= is a parse error"
like "$(cat "$T/out")" "^ipconfig: " "with an ipconfig: message"
ours -t 1 -x
is "$rc" 1 "an unknown option is a usage error"

done_testing
