# netns.sh - a private two-host network for DHCP and BOOTP tests: a
# server and a client network namespace joined by a veth pair, dnsmasq
# as the server. Source it after tap.sh. Needs root, iproute2, unshare
# (util-linux) and, for the server, dnsmasq (dnsmasq-base).
#
# Nothing here touches the machine's own interfaces: both ends of the
# veth pair are created inside the namespaces (`ip -n SERVER link add
# ... peer ... netns CLIENT`), and the addresses exist only there.
#
#   netns_need_dnsmasq
#       for a test file: skips all of it (skip_all) unless it runs as
#       root with dnsmasq installed and netns_setup up succeeds.
#   netns_setup [up|down]
#       makes the namespaces $NETNS_SERVER and $NETNS_CLIENT (names
#       unique to this test run), the veth pair $NETNS_SERVER_IF (with
#       $NETNS_SERVER_IP/$NETNS_PREFIX, up) and $NETNS_CLIENT_IF (MAC
#       $NETNS_CLIENT_MAC, no address, up or down as asked: default up),
#       lo up on both sides. Everything it makes is removed at exit
#       (the EXIT trap, and HUP INT TERM, which exit through it; a
#       background guard deletes the namespaces even when the test
#       shell is killed outright). Sets NETNS_DIR ($T/netns), where the
#       configuration, log, leases and the client's /run live.
#       Returns non-zero, with the reason on stderr and nothing left
#       behind, when it cannot (not root, no ip netns, no veth): the
#       caller skips.
#   netns_server_run CMD...
#       runs CMD in the server namespace.
#   netns_client_run CMD...
#       runs CMD in the client namespace, in a private UTS namespace
#       (a DHCP client sets the host name: never the machine's) and a
#       private mount namespace where /run is $NETNS_CLIENT_RUN (a
#       directory under $T, bind mounted) and, when the machine's
#       /etc/resolv.conf is a file, /etc/resolv.conf is
#       $NETNS_DIR/resolv.conf: what the client writes there (klibc's
#       ipconfig writes /run/net-DEV.conf) is read by the test
#       afterwards, and the machine's files are never touched.
#   netns_client_link up|down
#       sets the client's link up or down (e.g. to bring it up late).
#   netns_dnsmasq_conf
#       prints the default dnsmasq configuration (below) to stdout: a
#       test edits it or appends lines to it for netns_dnsmasq_start.
#   netns_dnsmasq_start [CONF]
#       starts dnsmasq in the server namespace with the configuration in
#       the file CONF (default: netns_dnsmasq_conf), in the foreground
#       of a background job (--keep-in-foreground), its log in
#       $NETNS_DNSMASQ_LOG (every DHCP exchange logged), its leases in
#       $NETNS_DIR/leases; waits until it listens on port 67. It is
#       stopped at exit or by netns_dnsmasq_stop. One at a time.
#   netns_dnsmasq_silent
#       starts the "silent server": dnsmasq listening on the same
#       network but ignoring every request (dhcp-ignore for all hosts),
#       so a client hears nothing while the log shows its requests.
#   netns_dnsmasq_stop
#       stops it (SIGTERM, then waits).
#   netns_leased MAC
#       prints the address the lease file holds for MAC (empty if none).
#   netns_client_boot PROGRAM ARGS...
#       PROGRAM in the client namespace as at boot: a host name of
#       "(none)" and an empty /etc of its own (a tmpfs in its private
#       mount namespace) for resolv.conf. Its output in $T/out, status
#       in $rc, wall time in $ms; the host name and resolv.conf
#       afterwards in $NETNS_CLIENT_RUN/uname-n and resolv.conf.
#   netns_conf_var VAR FILE
#       the value of VAR in a net-DEV.conf (single-quoted as klibc
#       writes it).
#
# The default configuration: DHCP and BOOTP (dnsmasq answers BOOTP
# for hosts with a static entry), authoritative, no DNS service
# (port=0), the client's MAC bound to $NETNS_CLIENT_IP and the name
# $NETNS_HOSTNAME, a dynamic range for other hosts. The values it
# hands out, by option:
#   1   $NETNS_NETMASK        3   $NETNS_GATEWAY
#   6   $NETNS_DNS (two, space-separated)
#   12  $NETNS_HOSTNAME       15  $NETNS_DOMAIN
#   17  $NETNS_ROOTPATH       26  $NETNS_MTU
#   28  $NETNS_BROADCAST      40  $NETNS_NISDOMAIN
#   42  $NETNS_NTP            51  $NETNS_LEASE (seconds)
#   54  $NETNS_SERVER_IP      119 $NETNS_SEARCH (space-separated)
#   121 $NETNS_ROUTES: "DEST/LEN,GATEWAY" words, space-separated; the
#       list ends with the default route, so a client that honours 121
#       (and so ignores 3, RFC 3442) still has the same gateway.
#   siaddr (next server) is $NETNS_SERVER_IP, the boot file pxelinux.0.
# dnsmasq sends an option only when the client lists it in option 55
# (klibc's ipconfig does not ask for 42); in a BOOTP reply (64 bytes of
# vendor area) it fits 12, 1, 3, 6, 28, 15 and 26, in that order.
# Other hosts get an address of $NETNS_RANGE with the same options but
# no host name. Lines appended to the configuration can change all of
# this (dnsmasq takes the last dhcp-option for a number).

case ":$PATH:" in
*:/usr/sbin:*) ;;
*) PATH=$PATH:/usr/sbin:/sbin ;;
esac

NETNS_SERVER_IF=es-srv0
NETNS_CLIENT_IF=eth0
NETNS_CLIENT_MAC=02:e5:00:00:77:10
NETNS_SERVER_IP=192.168.77.1
NETNS_PREFIX=24
NETNS_NETMASK=255.255.255.0
NETNS_BROADCAST=192.168.77.255
NETNS_CLIENT_IP=192.168.77.10
NETNS_RANGE="192.168.77.100 192.168.77.150"
NETNS_GATEWAY=192.168.77.1
NETNS_DNS="192.168.77.53 192.168.77.54"
NETNS_HOSTNAME=esclient
NETNS_DOMAIN=example.test
NETNS_ROOTPATH=192.168.77.1:/srv/nfsroot
NETNS_MTU=1400
NETNS_NISDOMAIN=esnis
NETNS_NTP=192.168.77.123
NETNS_LEASE=3600
NETNS_SEARCH="example.test lab.example.test"
NETNS_ROUTES="10.99.0.0/16,192.168.77.254 0.0.0.0/0,192.168.77.1"

_netns_fail() { printf 'netns: %s\n' "$*" >&2; return 1; }

# _netns_delete NS...: kill what runs in each namespace, delete it (which
# deletes its end of the veth pair, and so the pair).
_netns_delete() {
	for _nc_ns; do
		for _nc_p in $(ip netns pids "$_nc_ns" 2>/dev/null); do
			kill -KILL "$_nc_p" 2>/dev/null
		done
		ip netns delete "$_nc_ns" 2>/dev/null
	done
}

# _netns_guard: a background watcher that deletes the namespaces when
# the test shell dies without running its EXIT trap (SIGKILL): `ip netns
# add` namespaces outlive every process. Its output goes nowhere, so
# that prove does not wait for it.
_netns_guard() {
	_ng_main=$$
	(
		trap '' HUP INT
		trap 'exit 0' TERM
		while kill -0 "$_ng_main" 2>/dev/null; do
			sleep 0.5
		done
		_netns_delete "$NETNS_CLIENT" "$NETNS_SERVER"
	) </dev/null >/dev/null 2>&1 &
	_netns_guard_pid=$!
}

# _netns_cleanup: stop dnsmasq and the guard, delete the namespaces.
# Safe to run twice.
_netns_cleanup() {
	netns_dnsmasq_stop
	if [ -n "${_netns_guard_pid:-}" ]; then
		kill -TERM "$_netns_guard_pid" 2>/dev/null
		wait "$_netns_guard_pid" 2>/dev/null
		_netns_guard_pid=''
	fi
	[ -z "${NETNS_SERVER:-}" ] || _netns_delete "$NETNS_CLIENT" "$NETNS_SERVER"
	NETNS_CLIENT='' NETNS_SERVER=''
}

netns_need_dnsmasq() {
	[ "$(id -u)" = 0 ] || skip_all "needs root (network namespaces)"
	command -v dnsmasq >/dev/null 2>&1 || skip_all "dnsmasq is not installed (dnsmasq-base)"
	netns_setup up 2>"$T/netns.err" || skip_all "$(cat "$T/netns.err")"
}

netns_setup() {
	[ "$(id -u)" = 0 ] || { _netns_fail "not root"; return 1; }
	command -v ip >/dev/null 2>&1 || { _netns_fail "ip is not installed (iproute2)"; return 1; }
	command -v unshare >/dev/null 2>&1 || { _netns_fail "unshare is not installed (util-linux)"; return 1; }
	NETNS_DIR=$T/netns
	NETNS_CLIENT_RUN=$NETNS_DIR/client-run
	NETNS_DNSMASQ_LOG=$NETNS_DIR/dnsmasq.log
	mkdir -p "$NETNS_CLIENT_RUN" || return 1
	: > "$NETNS_DIR/resolv.conf" || return 1
	_ns_tag=${T##*.}
	NETNS_SERVER=es-$_ns_tag-$$-srv
	NETNS_CLIENT=es-$_ns_tag-$$-cli
	# One EXIT trap for every library with something to clean (nfs.sh
	# installs the same); a signal exits through it.
	# shellcheck disable=SC2154 # _x is the trap's own loop variable
	trap 'for _x in _netns_cleanup _nfs_cleanup; do command -v $_x >/dev/null && $_x; done; rm -rf "$T"' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	_netns_guard
	if ! _ns_err=$(ip netns add "$NETNS_SERVER" 2>&1 && ip netns add "$NETNS_CLIENT" 2>&1); then
		_netns_cleanup
		_netns_fail "cannot make a network namespace: $_ns_err"
		return 1
	fi
	if ! _ns_err=$(ip -n "$NETNS_SERVER" link add "$NETNS_SERVER_IF" type veth \
		peer name "$NETNS_CLIENT_IF" netns "$NETNS_CLIENT" 2>&1); then
		_netns_cleanup
		_netns_fail "cannot make a veth pair: $_ns_err"
		return 1
	fi
	if ! _ns_err=$( {
		ip -n "$NETNS_SERVER" link set lo up &&
		ip -n "$NETNS_CLIENT" link set lo up &&
		ip -n "$NETNS_SERVER" addr add "$NETNS_SERVER_IP/$NETNS_PREFIX" \
			broadcast "$NETNS_BROADCAST" dev "$NETNS_SERVER_IF" &&
		ip -n "$NETNS_SERVER" link set "$NETNS_SERVER_IF" up &&
		ip -n "$NETNS_CLIENT" link set "$NETNS_CLIENT_IF" address "$NETNS_CLIENT_MAC" &&
		netns_client_link "${1:-up}"; } 2>&1); then
		_netns_cleanup
		_netns_fail "cannot configure the veth pair: $_ns_err"
		return 1
	fi
}

netns_client_link() {
	case $1 in
	up | down) ip -n "$NETNS_CLIENT" link set "$NETNS_CLIENT_IF" "$1" ;;
	*) _netns_fail "netns_client_link up|down, not '$1'" ;;
	esac
}

netns_server_run() {
	ip netns exec "$NETNS_SERVER" "$@"
}

# The inner script: /run and /etc/resolv.conf become the test's, then
# the command runs. `ip netns exec` already made a mount namespace whose
# mounts do not propagate back; unshare makes one of our own anyway,
# and the UTS namespace that `ip netns exec` does not.
netns_client_run() {
	# shellcheck disable=SC2016 # the inner script expands its own
	ip netns exec "$NETNS_CLIENT" unshare --mount --uts --propagation private sh -c '
		mount --bind "$1" /run || exit 125
		if [ -f /etc/resolv.conf ] && [ ! -L /etc/resolv.conf ]; then
			mount --bind "$2" /etc/resolv.conf || exit 125
		fi
		shift 2
		exec "$@"' sh "$NETNS_CLIENT_RUN" "$NETNS_DIR/resolv.conf" "$@"
}

# _netns_common_conf: what every configuration shares.
_netns_common_conf() {
	cat <<-EOF
	port=0
	interface=$NETNS_SERVER_IF
	bind-interfaces
	user=root
	dhcp-leasefile=$NETNS_DIR/leases
	log-facility=$NETNS_DNSMASQ_LOG
	log-dhcp
	dhcp-range=${NETNS_RANGE% *},${NETNS_RANGE#* },$NETNS_NETMASK,$NETNS_LEASE
	EOF
}

netns_dnsmasq_conf() {
	_netns_common_conf
	_nd_dns=$(printf '%s' "$NETNS_DNS" | tr ' ' ,)
	_nd_search=$(printf '%s' "$NETNS_SEARCH" | tr ' ' ,)
	_nd_routes=$(printf '%s' "$NETNS_ROUTES" | tr ' ' ,)
	# dnsmasq fills a packet in the reverse order of these lines, after
	# the host name: the essentials last, so that they are the ones that
	# fit in a BOOTP reply's 64-byte vendor area.
	cat <<-EOF
	dhcp-authoritative
	dhcp-host=$NETNS_CLIENT_MAC,$NETNS_CLIENT_IP,$NETNS_HOSTNAME,$NETNS_LEASE
	dhcp-option=121,$_nd_routes
	dhcp-option=119,$_nd_search
	dhcp-option=42,$NETNS_NTP
	dhcp-option=40,$NETNS_NISDOMAIN
	dhcp-option=26,$NETNS_MTU
	dhcp-option=17,$NETNS_ROOTPATH
	dhcp-option=15,$NETNS_DOMAIN
	dhcp-option=28,$NETNS_BROADCAST
	dhcp-option=6,$_nd_dns
	dhcp-option=3,$NETNS_GATEWAY
	dhcp-option=1,$NETNS_NETMASK
	dhcp-boot=pxelinux.0,esserver,$NETNS_SERVER_IP
	EOF
}

# _netns_dnsmasq_run CONF: start dnsmasq with CONF, wait for port 67.
_netns_dnsmasq_run() {
	[ -z "${_netns_dnsmasq_pid:-}" ] || { _netns_fail "dnsmasq is already running"; return 1; }
	command -v dnsmasq >/dev/null 2>&1 || { _netns_fail "dnsmasq is not installed (dnsmasq-base)"; return 1; }
	: > "$NETNS_DNSMASQ_LOG"
	ip netns exec "$NETNS_SERVER" dnsmasq --keep-in-foreground --conf-file="$1" \
		--pid-file="$NETNS_DIR/dnsmasq.pid" </dev/null >"$NETNS_DIR/dnsmasq.out" 2>&1 &
	_netns_dnsmasq_pid=$!
	_nr_i=0
	while [ $_nr_i -lt 100 ]; do
		if ! kill -0 "$_netns_dnsmasq_pid" 2>/dev/null; then
			_netns_dnsmasq_pid=
			_netns_fail "dnsmasq did not start: $(cat "$NETNS_DIR/dnsmasq.out" "$NETNS_DNSMASQ_LOG" | tail -n 3)"
			return 1
		fi
		# ss: is a UDP socket bound to port 67 in the server namespace?
		ip netns exec "$NETNS_SERVER" ss -Hlun 'sport = :67' 2>/dev/null | grep -q . && return 0
		sleep 0.05
		_nr_i=$((_nr_i + 1))
	done
	netns_dnsmasq_stop
	_netns_fail "dnsmasq does not listen on port 67 after 5 s"
}

netns_dnsmasq_start() {
	if [ $# = 0 ]; then
		netns_dnsmasq_conf > "$NETNS_DIR/dnsmasq.conf" || return 1
		set -- "$NETNS_DIR/dnsmasq.conf"
	fi
	_netns_dnsmasq_run "$1"
}

netns_dnsmasq_silent() {
	{ _netns_common_conf; echo 'dhcp-ignore=tag:!known'; } > "$NETNS_DIR/silent.conf" ||
		return 1
	_netns_dnsmasq_run "$NETNS_DIR/silent.conf"
}

netns_dnsmasq_stop() {
	[ -n "${_netns_dnsmasq_pid:-}" ] || return 0
	kill -TERM "$_netns_dnsmasq_pid" 2>/dev/null
	wait "$_netns_dnsmasq_pid" 2>/dev/null
	_netns_dnsmasq_pid=
	return 0
}

netns_leased() {
	[ -f "$NETNS_DIR/leases" ] || return 0
	awk -v mac="$1" 'tolower($2) == tolower(mac) { print $3 }' "$NETNS_DIR/leases"
}

netns_client_boot() {
	rm -f "$NETNS_CLIENT_RUN/resolv.conf" "$NETNS_CLIENT_RUN/uname-n"
	_nb_t0=$(date +%s%N)
	# shellcheck disable=SC2016 # expanded by the inner shell
	netns_client_run sh -c 'echo "(none)" > /proc/sys/kernel/hostname && mount -t tmpfs es-etc /etc || exit 125
		"$0" "$@"; rc=$?
		uname -n > /run/uname-n
		[ ! -e /etc/resolv.conf ] || cp /etc/resolv.conf /run/resolv.conf
		exit $rc' "$@" >"$T/out" 2>&1
	rc=$?
	ms=$(( ($(date +%s%N) - _nb_t0) / 1000000 ))
}

netns_conf_var() {
	sed -n "s/^$1='\\(.*\\)'\$/\\1/p" "$2"
}
