#!/bin/sh
# NFS servers by host name: kinit's ipconfig writes /etc/resolv.conf
# from dnsmasq's DHCP answer, then nfsmount resolves SERVER through the
# name server it names (dnsmasq again, in the test network of
# tests/lib/netns.sh) and gives the kernel the address. No NFS server
# runs: the mount fails, and its message shows the address used. Also
# a name through the search domain, a CNAME, an unknown name, a name
# server that refuses (port closed), one that never answers, and no
# name server at all. Every query stays in the test's namespaces:
# dnsmasq reads no resolv.conf of the machine's and forwards nothing.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/netns.sh"

[ -x "$BIN/kinit" ] || skip_all "build/kinit is not built"
netns_need_dnsmasq

IF=$NETNS_CLIENT_IF
NFS_IP=192.168.77.2	# on the server's link: refuses NFS at once
FILES_IP=192.168.77.3
ETC=$T/etc
MNT=$T/mnt
mkdir "$ETC" "$MNT" || exit 1
ip -n "$NETNS_SERVER" addr add "$NFS_IP/$NETNS_PREFIX" dev "$NETNS_SERVER_IF" &&
	ip -n "$NETNS_SERVER" addr add "$FILES_IP/$NETNS_PREFIX" dev "$NETNS_SERVER_IF" ||
	exit 1

# client ARGS...: ARGS in the client namespace with $ETC as its /etc
# (what ipconfig writes there stays for the next call). stdout in
# $T/out, stderr in $T/err, status in $rc, wall time in $ms.
client() {
	_c0=$(date +%s%N)
	# shellcheck disable=SC2016 # expanded by the inner shell
	netns_client_run sh -c 'mount --bind "$0" /etc || exit 125; exec "$@"' "$ETC" "$@" \
		>"$T/out" 2>"$T/err"
	rc=$?
	ms=$(( ($(date +%s%N) - _c0) / 1000000 ))
}

nfsmount() {
	client "$BIN/kinit" nfsmount "$1" "$MNT"
}

# The mount's message less the kernel's reason (": No such device"
# where the nfs module is missing, a connection error where it is not).
mount_said() {
	_m=$(cat "$T/err")
	printf '%s\n' "${_m%: *}"
}

# The address the kernel was given (addr=).
used_addr() {
	sed -n 's/^nfsmount: mount .*[(,]addr=\([0-9.]*\)[,)].*/\1/p' "$T/err"
}

# The default DHCP configuration, the server itself as the only name
# server (option 6), and DNS on: local names only.
first_search=${NETNS_SEARCH%% *}
{
	netns_dnsmasq_conf | sed 's/^port=0$/port=53/'
	cat <<-EOF
	dhcp-option=6,$NETNS_SERVER_IP
	no-resolv
	no-hosts
	no-poll
	local=/earlyspace.test/
	local=/$first_search/
	local=/nosuch/
	host-record=nfs.earlyspace.test,$NFS_IP
	host-record=files.$first_search,$FILES_IP
	host-record=bare,$FILES_IP
	cname=alias.earlyspace.test,nfs.earlyspace.test
	log-queries
	EOF
} > "$NETNS_DIR/dns.conf"
netns_dnsmasq_start "$NETNS_DIR/dns.conf" 2>"$T/dnsmasq.err"
is "$?" 0 "dnsmasq serves DHCP and DNS" || diag "$(cat "$T/dnsmasq.err")"

client "$BIN/kinit" ipconfig -t 10 "$IF"
is "$rc" 0 "ipconfig gets a lease" || diag "$(cat "$T/out" "$T/err")"
is "$(cat "$ETC/resolv.conf" 2>&1)" "search $NETNS_SEARCH
nameserver $NETNS_SERVER_IP" "ipconfig writes /etc/resolv.conf with the server as name server"

nfsmount nfs.earlyspace.test:/export
is "$rc" 2 "nfsmount NAME:/export: the kernel's mount fails (no NFS server): exit 2"
is "$(mount_said)" "nfsmount: mount nfs.earlyspace.test:/export on $MNT (nfs vers=3,nolock,addr=$NFS_IP)" \
	"the kernel was given the name's address (addr=$NFS_IP)" || diag "$(cat "$T/err")"
like "$(cat "$NETNS_DNSMASQ_LOG")" "query\\[A\\] nfs\\.earlyspace\\.test from $NETNS_CLIENT_IP" \
	"dnsmasq saw an A query from the client"

nfsmount nfs.earlyspace.test.:/export
is "$(used_addr)" "$NFS_IP" "a trailing dot: the same name"

nfsmount files:/export
is "$rc" 2 "a name without a dot: exit 2"
is "$(mount_said)" "nfsmount: mount files:/export on $MNT (nfs vers=3,nolock,addr=$FILES_IP)" \
	"is found in the first search domain (files.$first_search)"

nfsmount alias.earlyspace.test:/export
is "$(used_addr)" "$NFS_IP" "a CNAME: the address of the name it points to"

nfsmount nosuch.earlyspace.test:/export
is "$rc" 1 "an unknown name: exit 1"
is "$(cat "$T/err")" "nfsmount: nosuch.earlyspace.test: no such host" "an unknown name: no such host"
ok "and at once ($ms ms)" test "$ms" -lt 1000

nfsmount bare:/export
is "$(used_addr)" "$FILES_IP" \
	"a name without a dot that is not in the search domain: found as it is"
is "$(grep -o 'query\[A\] bare[^ ]*' "$NETNS_DNSMASQ_LOG" | tr '\n' ' ')" \
	"query[A] bare.$first_search query[A] bare " "asked as bare.$first_search, then as bare"

nfsmount nosuch:/export
is "$(cat "$T/err")" "nfsmount: nosuch: no such host" \
	"an unknown name without a dot: no such host"
is "$(grep -o 'query\[A\] nosuch[^ ]*' "$NETNS_DNSMASQ_LOG" | grep -v earlyspace | tr '\n' ' ')" \
	"query[A] nosuch.$first_search query[A] nosuch " "asked as nosuch.$first_search, then as nosuch"

# dnsmasq refuses what it cannot forward: no answer, asked in 2 rounds.
nfsmount refused.elsewhere:/export
is "$(cat "$T/err")" "nfsmount: refused.elsewhere: no answer from the name servers" \
	"a server that refuses (REFUSED): no answer"
is "$(grep -c 'query\[A\] refused\.elsewhere' "$NETNS_DNSMASQ_LOG")" 2 "asked twice (two rounds)"

nfsmount "$(printf '%064d' 0).earlyspace.test:/export"
is "$(cat "$T/err")" "nfsmount: $(printf '%064d' 0).earlyspace.test: not a host name" \
	"a label over 63 bytes: not a host name"
is "$(grep -c "query\\[A\\] $(printf '%064d' 0)" "$NETNS_DNSMASQ_LOG")" 0 "and never asked"

nfsmount "$NFS_IP:/export"
is "$(used_addr)" "$NFS_IP" "an address is still taken as it is"

# The name server's port closed: ICMP port unreachable ends each try.
netns_dnsmasq_stop
nfsmount nfs.earlyspace.test:/export
is "$(cat "$T/err")" "nfsmount: nfs.earlyspace.test: no answer from the name servers" \
	"no DNS service on the name server: no answer"
ok "said at once ($ms ms)" test "$ms" -lt 1500

# A name server that never answers (no host has its address): two
# rounds of 1 s.
printf 'nameserver %s\n' 192.168.77.53 > "$ETC/resolv.conf"
nfsmount nfs.earlyspace.test:/export
is "$(cat "$T/err")" "nfsmount: nfs.earlyspace.test: no answer from the name servers" \
	"a silent name server: no answer"
ok "after two rounds of 1 s ($ms ms)" test "$ms" -ge 1900 -a "$ms" -lt 3500

printf 'search %s\n# nameserver %s\n' "$first_search" "$NETNS_SERVER_IP" > "$ETC/resolv.conf"
nfsmount nfs.earlyspace.test:/export
is "$(cat "$T/err")" "nfsmount: nfs.earlyspace.test: no nameserver in /etc/resolv.conf" \
	"no name server in resolv.conf: said so"
rm -f "$ETC/resolv.conf"
nfsmount nfs.earlyspace.test:/export
is "$(cat "$T/err")" "nfsmount: nfs.earlyspace.test: no nameserver in /etc/resolv.conf" \
	"no resolv.conf: the same"
done_testing
