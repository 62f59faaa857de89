#!/bin/sh
# The DHCP test network (tests/lib/netns.sh) proven with klibc's
# ipconfig, the oracle our own ipconfig is later compared with: a lease
# from dnsmasq with every value of the default configuration in
# /run/net-eth0.conf, the silent server that makes ipconfig give up,
# BOOTP, and nothing left behind in the machine's /run or namespaces.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/netns.sh"

KIPCONFIG=/usr/lib/klibc/bin/ipconfig
[ -x "$KIPCONFIG" ] || skip_all "klibc's ipconfig is not installed (klibc-utils)"
netns_need_dnsmasq

CONF=$NETNS_CLIENT_RUN/net-$NETNS_CLIENT_IF.conf
host_name=$(uname -n)
had_host_conf=no
[ ! -e "/run/net-$NETNS_CLIENT_IF.conf" ] || had_host_conf=yes

# diag_if FILE: FILE's content as diagnostics, when there is any.
diag_if() {
	[ ! -s "$1" ] || diag "$(cat "$1")"
}

# conf VAR: the value of VAR in the file klibc wrote (single-quoted).
conf() {
	sed -n "s/^$1='\\(.*\\)'\$/\\1/p" "$CONF"
}

# kipconfig ARGS...: klibc's ipconfig in the client namespace; its
# output in $T/ipconfig.out, its status in $rc, its wall time in $ms,
# the client's host name afterwards in $NETNS_CLIENT_RUN/uname-n.
kipconfig() {
	rm -f "$CONF"
	_k0=$(date +%s%N)
	# shellcheck disable=SC2016 # expanded by the inner shell
	netns_client_run sh -c '"$0" "$@"; rc=$?; uname -n > /run/uname-n; exit $rc' \
		"$KIPCONFIG" "$@" >"$T/ipconfig.out" 2>&1
	rc=$?
	ms=$(( ($(date +%s%N) - _k0) / 1000000 ))
}

# --- DHCP --------------------------------------------------------------
netns_dnsmasq_start 2>"$T/dnsmasq.err"
is "$?" 0 "dnsmasq serves the server namespace"
diag_if "$T/dnsmasq.err"

kipconfig -t 10 -d "$NETNS_CLIENT_IF"
is "$rc" 0 "klibc ipconfig gets a DHCP lease"
[ "$rc" = 0 ] || diag "$(cat "$T/ipconfig.out")"
like "$(cat "$T/ipconfig.out")" "complete \\(dhcp from $NETNS_SERVER_IP\\)" \
	"its summary names the server"
ok "it writes /run/net-$NETNS_CLIENT_IF.conf in the client's /run" test -s "$CONF"

# The default configuration, as klibc reports it: every value.
# shellcheck disable=SC2086 # the lists are meant to split
set -- $NETNS_DNS
dns0=$1 dns1=$2
# shellcheck disable=SC2086
set -- $NETNS_ROUTES
route0=$1 route1=$2
is "$(conf DEVICE)" "$NETNS_CLIENT_IF" "DEVICE"
is "$(conf PROTO)" dhcp "PROTO"
is "$(conf IPV4ADDR)" "$NETNS_CLIENT_IP" "IPV4ADDR: the static host entry"
is "$(conf IPV4NETMASK)" "$NETNS_NETMASK" "IPV4NETMASK (option 1)"
is "$(conf IPV4BROADCAST)" "$NETNS_BROADCAST" "IPV4BROADCAST (option 28)"
is "$(conf IPV4ROUTE0SUBNET),$(conf IPV4ROUTE0GATEWAY)" "$route0" "option 121, first route"
is "$(conf IPV4ROUTE1SUBNET),$(conf IPV4ROUTE1GATEWAY)" "$route1" \
	"option 121, second route: the default through the gateway (option 3)"
is "$(conf IPV4DNS0) $(conf IPV4DNS1)" "$dns0 $dns1" "IPV4DNS0, IPV4DNS1 (option 6)"
is "$(conf HOSTNAME)" "$NETNS_HOSTNAME" "HOSTNAME (option 12)"
is "$(conf DNSDOMAIN)" "$NETNS_DOMAIN" "DNSDOMAIN (option 15)"
is "$(conf NISDOMAIN)" "$NETNS_NISDOMAIN" "NISDOMAIN (option 40)"
is "$(conf ROOTSERVER)" "$NETNS_SERVER_IP" "ROOTSERVER (siaddr)"
is "$(conf ROOTPATH)" "$NETNS_ROOTPATH" "ROOTPATH (option 17)"
is "$(conf filename)" pxelinux.0 "filename (the boot file)"
is "$(conf DHCPLEASETIME)" "$NETNS_LEASE" "DHCPLEASETIME (option 51)"
# shellcheck disable=SC2086
is "$(conf DOMAINSEARCH)" "$(printf '%s. ' $NETNS_SEARCH | sed 's/ $//')" \
	"DOMAINSEARCH (option 119)"

# What klibc applied to the client's interface.
addr=$(ip -n "$NETNS_CLIENT" -o -4 addr show dev "$NETNS_CLIENT_IF" | awk '{ print $4 }')
is "$addr" "$NETNS_CLIENT_IP/$NETNS_PREFIX" "the client's interface has the address"
mtu=$(ip -n "$NETNS_CLIENT" -o link show dev "$NETNS_CLIENT_IF" | sed -n 's/.* mtu \([0-9]*\) .*/\1/p')
is "$mtu" "$NETNS_MTU" "and the MTU (option 26)"
routes=$(ip -n "$NETNS_CLIENT" -4 route show | sort | tr '\n' ';')
like "$routes" "^10\\.99\\.0\\.0/16 via 192\\.168\\.77\\.254 dev $NETNS_CLIENT_IF" \
	"and the option 121 route"
like "$routes" "default via $NETNS_GATEWAY dev $NETNS_CLIENT_IF" "and the default route"
is "$(netns_leased "$NETNS_CLIENT_MAC")" "$NETNS_CLIENT_IP" "dnsmasq's lease file holds the lease"
is "$(cat "$NETNS_CLIENT_RUN/uname-n")" "$NETNS_HOSTNAME" "the client's host name is set"
is "$(uname -n)" "$host_name" "the machine's host name is untouched"
ok "the machine's /run is untouched" \
	test "$had_host_conf" = yes -o ! -e "/run/net-$NETNS_CLIENT_IF.conf"

# --- another host: the dynamic range; a line appended to the default
# configuration overrides an option ---------------------------------------
netns_dnsmasq_stop
{ netns_dnsmasq_conf; echo 'dhcp-option=26,1300'; } > "$T/dynamic.conf"
netns_dnsmasq_start "$T/dynamic.conf" 2>"$T/dnsmasq.err"
diag_if "$T/dnsmasq.err"
OTHER_MAC=02:e5:00:00:77:99
ip -n "$NETNS_CLIENT" addr flush dev "$NETNS_CLIENT_IF"
ip -n "$NETNS_CLIENT" link set "$NETNS_CLIENT_IF" address "$OTHER_MAC"
kipconfig -t 10 -d "$NETNS_CLIENT_IF"
is "$rc" 0 "another MAC gets a lease"
[ "$rc" = 0 ] || diag "$(cat "$T/ipconfig.out")"
addr=$(conf IPV4ADDR)
in_range=no
last=${NETNS_RANGE##*.} first=${NETNS_RANGE%% *} first=${first##*.}
[ "${addr%.*}" = "${NETNS_SERVER_IP%.*}" ] && [ "${addr##*.}" -ge "$first" ] &&
	[ "${addr##*.}" -le "$last" ] && in_range=yes
is "$in_range" yes "its address ($addr) is in $NETNS_RANGE"
is "$(conf HOSTNAME)" "" "and it gets no host name"
is "$(netns_leased "$OTHER_MAC")" "$addr" "dnsmasq's lease file holds it"
mtu=$(ip -n "$NETNS_CLIENT" -o link show dev "$NETNS_CLIENT_IF" | sed -n 's/.* mtu \([0-9]*\) .*/\1/p')
is "$mtu" 1300 "the appended option 26 overrides the default"
ip -n "$NETNS_CLIENT" link set "$NETNS_CLIENT_IF" address "$NETNS_CLIENT_MAC"
netns_dnsmasq_stop
netns_dnsmasq_start 2>"$T/dnsmasq.err"
diag_if "$T/dnsmasq.err"

# --- BOOTP -------------------------------------------------------------
# klibc sends no vendor area and reads none back (a known defect): it
# has the address, the server and the boot file, and guesses the mask.
# dnsmasq's log shows that the essentials were in the reply.
ip -n "$NETNS_CLIENT" addr flush dev "$NETNS_CLIENT_IF"
kipconfig -t 10 -c bootp -d "$NETNS_CLIENT_IF"
is "$rc" 0 "klibc ipconfig -c bootp gets an answer"
[ "$rc" = 0 ] || diag "$(cat "$T/ipconfig.out")"
is "$(conf PROTO)" bootp "PROTO is bootp"
is "$(conf IPV4ADDR)" "$NETNS_CLIENT_IP" "IPV4ADDR from BOOTP"
is "$(conf IPV4NETMASK)" "$NETNS_NETMASK" "IPV4NETMASK (guessed by klibc)"
is "$(conf ROOTSERVER)" "$NETNS_SERVER_IP" "ROOTSERVER from BOOTP"
is "$(conf filename)" pxelinux.0 "filename from BOOTP"
bootp_log=$(sed -n '/BOOTP(/,$p' "$NETNS_DNSMASQ_LOG")
like "$bootp_log" "BOOTP\\($NETNS_SERVER_IF\\) $NETNS_CLIENT_IP $NETNS_CLIENT_MAC" \
	"dnsmasq answered BOOTP"
for o in 1:netmask 3:router 6:dns-server 12:hostname; do
	like "$bootp_log" "option:$(printf '%3d' "${o%:*}") ${o#*:} " \
		"dnsmasq's BOOTP reply carries option ${o%:*}"
done
netns_dnsmasq_stop

# --- the silent server -------------------------------------------------
ip -n "$NETNS_CLIENT" addr flush dev "$NETNS_CLIENT_IF"
netns_dnsmasq_silent 2>"$T/dnsmasq.err"
is "$?" 0 "the silent server starts"
diag_if "$T/dnsmasq.err"
kipconfig -t 3 -d "$NETNS_CLIENT_IF"
is "$rc" 255 "klibc ipconfig -t 3 gives up (status 255)"
[ "$rc" = 255 ] || diag "$(cat "$T/ipconfig.out")"
like "$(cat "$T/ipconfig.out")" "giving up" "and says so"
ok "within 10 s (took $ms ms)" test "$ms" -lt 10000
ok "no configuration file is written" test ! -e "$CONF"
like "$(cat "$NETNS_DNSMASQ_LOG")" "DHCPDISCOVER\\($NETNS_SERVER_IF\\) $NETNS_CLIENT_MAC ignored" \
	"the server heard the client and kept silent"
netns_dnsmasq_stop

# --- the client's link ---------------------------------------------------
linkstate() {
	ip -n "$NETNS_CLIENT" -o link show dev "$NETNS_CLIENT_IF" | grep -Eo '<[^>]*>'
}
netns_client_link down
unlike_up=$(linkstate | grep -c '[<,]UP[,>]')
is "$unlike_up" 0 "netns_client_link down takes the client's link down"
netns_client_link up
like "$(linkstate)" '[<,]UP[,>]' "netns_client_link up brings it up"

# --- nothing left behind -----------------------------------------------
srv=$NETNS_SERVER cli=$NETNS_CLIENT
_netns_cleanup
left=$(ip netns list | grep -E "^($srv|$cli)( |\$)")
is "$left" "" "the namespaces are removed"

done_testing
