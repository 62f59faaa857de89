# nfs.sh - an NFS server for boot tests: nfs-ganesha (userspace, VFS
# backend) serving a directory of the test, reached by a QEMU guest
# through QEMU's user network at 10.0.2.2 (QEMU forwards it to its own
# 127.0.0.1). Source it after tap.sh (and qemu.sh). Needs root,
# unshare and nsenter (util-linux), ip and ss (iproute2), ganesha.nfsd
# (nfs-ganesha, nfs-ganesha-vfs) and, for NFSv3, rpcbind.
#
# The server runs in namespaces of its own: `unshare --mount --net --pid
# --fork --kill-child --propagation private --mount-proc`, lo up with
# 127.0.0.1/8 and 127.0.0.2/8 (ganesha wants an address besides the one
# it binds), a tmpfs on /run (ganesha writes /run/ganesha and
# /run/blkid, rpcbind its socket there). Port 2049 and rpcbind's port
# 111 exist only in that network namespace, and every process of it
# dies with the namespace's first process. QEMU joins the network
# namespace (nsenter --net), so its 127.0.0.1 is the server's. The whole
# configuration, state and logs live under $NFS_DIR ($T/nfs).
#
#   nfs_start v4|v3 DIR
#       serves DIR (an absolute path, or made so) as /export, read-write,
#       no root squash, sec=sys, TCP, from unprivileged ports (QEMU
#       connects from one). v4: NFSv4 only (4.0, 4.1, 4.2). v3: NFSv3
#       and v4, with rpcbind, MOUNT on port $NFS_MNT_PORT. Grace period
#       off (else the first create waits ~90 s). Waits until the ports
#       listen; returns non-zero with the reason on stderr when the
#       server cannot start (the namespaces are gone again then).
#       Sets NFS_PID (the first process of the namespaces, a host pid).
#   nfs_exec CMD...
#       runs CMD inside the server's network and mount namespaces.
#   nfs_stop
#       stops the server and its namespaces (also done at exit).
#   nfs_serve v4|v3 DIR CMD...
#       nfs_start, then CMD (a shell function too) with QEMU set to a
#       wrapper that runs $QEMU inside the server's network namespace
#       (so qemu_boot works unchanged), then nfs_stop. Returns CMD's
#       status, or 125 when the server could not start.
#   nfs_log
#       prints ganesha's log (for diag on failure).
#
# The guest side (QEMU's user network): the server is $NFS_SERVER
# (10.0.2.2), the guest 10.0.2.15. Mount options that work with the
# kernel's text options (no mount.nfs helper to add addr=):
#   v4.2: -t nfs4 -o vers=4.2,addr=10.0.2.2,clientaddr=10.0.2.15
#   v4.0: -t nfs4 -o vers=4.0,addr=10.0.2.2,clientaddr=10.0.2.15
#   v3:   -t nfs -o vers=3,proto=tcp,mountproto=tcp,nolock,addr=10.0.2.2,
#         mountaddr=10.0.2.2,mountport=20048,port=2049
# with the source 10.0.2.2:/export ($NFS_SERVER:$NFS_EXPORT): ganesha's
# Mount_Path_Pseudo makes NFSv3's MOUNT take the same pseudo path.
# $NFS_OPTS_V42, $NFS_OPTS_V40 and $NFS_OPTS_V3 hold these options, and
# $NFS_QEMU_NET the QEMU_ARGS of the guest's network card: virtio-net on
# the user network, romfile= empty (no iPXE option ROM to load).
# QEMU's DHCP server hands out 10.0.2.15/24, router 10.0.2.2, DNS
# 10.0.2.3.
#
# When the test shell dies without its EXIT trap (SIGKILL), the FIFO
# that holds the namespaces closes once QEMU is gone too (qemu_boot
# kills it when the test shell has died), and the server goes with it.

# shellcheck disable=SC2034 # for the tests that source this file
NFS_SERVER=10.0.2.2
NFS_EXPORT=/export
NFS_PORT=2049
NFS_MNT_PORT=20048
# shellcheck disable=SC2034
NFS_OPTS_V42=vers=4.2,addr=10.0.2.2,clientaddr=10.0.2.15
# shellcheck disable=SC2034
NFS_OPTS_V40=vers=4.0,addr=10.0.2.2,clientaddr=10.0.2.15
# shellcheck disable=SC2034
NFS_QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,romfile="
# shellcheck disable=SC2034
NFS_OPTS_V3=vers=3,proto=tcp,mountproto=tcp,nolock,addr=10.0.2.2,mountaddr=10.0.2.2,mountport=$NFS_MNT_PORT,port=$NFS_PORT

case ":$PATH:" in
*:/usr/sbin:*) ;;
*) PATH=$PATH:/usr/sbin:/sbin ;;
esac

_nfs_fail() { printf 'nfs: %s\n' "$*" >&2; return 1; }

_nfs_need() {
	command -v "$1" >/dev/null 2>&1 || _nfs_fail "$1 is not installed ($2)"
}

# _nfs_plugins: the directory of ganesha's FSAL modules.
_nfs_plugins() {
	for _np in /usr/lib/*/ganesha/libfsalvfs.so /usr/lib/ganesha/libfsalvfs.so \
		/usr/lib64/ganesha/libfsalvfs.so; do
		[ -f "$_np" ] && { dirname "$_np"; return 0; }
	done
	_nfs_fail "no libfsalvfs.so (nfs-ganesha-vfs)"
}

# _nfs_conf MODE DIR PLUGINS: ganesha's configuration.
_nfs_conf() {
	if [ "$1" = v3 ]; then
		_nc_proto='3, 4' _nc_mnt="MNT_Port = $NFS_MNT_PORT;"
	else
		_nc_proto=4 _nc_mnt=
	fi
	cat <<-EOF
	NFS_CORE_PARAM {
		Bind_addr = 127.0.0.1;
		# NFSv3's MOUNT takes the pseudo path too: one name, /export.
		Mount_Path_Pseudo = true;
		NFS_Port = $NFS_PORT;
		$_nc_mnt
		Protocols = $_nc_proto;
		Enable_NLM = false;
		Enable_RQUOTA = false;
		Enable_UDP = false;
		Plugins_Dir = $3;
	}
	NFS_KRB5 { Active_krb5 = false; CCacheDir = $NFS_DIR/run; }
	NFSv4 {
		Graceless = true;
		RecoveryRoot = $NFS_DIR/recov;
		Only_Numeric_Owners = true;
	}
	LOG { Default_Log_Level = EVENT; }
	EXPORT {
		Export_Id = 1;
		Path = $2;
		Pseudo = $NFS_EXPORT;
		Protocols = $_nc_proto;
		Transports = TCP;
		Access_Type = RW;
		Squash = No_Root_Squash;
		SecType = sys;
		PrivilegedPort = false;
		FSAL { Name = VFS; }
	}
	EOF
}

# The script that runs as the namespaces' first process: $1 mode, $2
# the state directory. It says "ready" or "failed: why" in $2/state,
# then holds the namespaces until its standard input (a FIFO the test
# shell keeps open) reaches its end or it is sent TERM.
_nfs_inner() {
	cat <<-'EOF'
	mode=$1 dir=$2
	# An asynchronous command's standard input would be /dev/null.
	exec 3<&0
	say() { printf '%s\n' "$*" > "$dir/state.tmp" && mv -f "$dir/state.tmp" "$dir/state"; }
	fail() { say "failed: $*"; exit 1; }
	trap 'exit 0' TERM
	mount -t tmpfs -o mode=0755 tmpfs /run || fail "cannot mount a tmpfs on /run"
	ip link set lo up && ip addr add 127.0.0.2/8 dev lo || fail "cannot set up lo"
	listening() { ss -Hltn "sport = :$1" | grep -q .; }
	wait_port() {
		i=0
		while ! listening "$1"; do
			kill -0 "$2" 2>/dev/null || return 1
			[ $i -lt 200 ] || return 1
			sleep 0.05
			i=$((i + 1))
		done
	}
	if [ "$mode" = v3 ]; then
		mkdir -p /run/rpcbind && { chown _rpc /run/rpcbind 2>/dev/null || :; }
		rpcbind -f </dev/null >"$dir/rpcbind.log" 2>&1 &
		rpcbind=$!
		wait_port 111 $rpcbind || fail "rpcbind does not listen: $(tail -n 2 "$dir/rpcbind.log")"
	fi
	ganesha.nfsd -F -f "$dir/ganesha.conf" -L "$dir/ganesha.log" -p "$dir/ganesha.pid" \
		-N NIV_EVENT </dev/null >"$dir/ganesha.out" 2>&1 &
	ganesha=$!
	wait_port 2049 $ganesha || fail "ganesha does not listen on 2049: $(tail -n 3 "$dir/ganesha.log")"
	if [ "$mode" = v3 ]; then
		wait_port 20048 $ganesha || fail "ganesha's MOUNT does not listen on 20048"
	fi
	say ready
	# Until the test shell closes the FIFO (or dies), or a TERM.
	cat <&3 >/dev/null &
	wait $!
	EOF
}

# _nfs_cleanup: stop the server if it runs; for the EXIT trap.
_nfs_cleanup() {
	nfs_stop
}

# _nfs_traps: one EXIT trap for every library that has something to
# clean (netns.sh installs the same).
_nfs_traps() {
	# shellcheck disable=SC2154 # _x is the trap's own loop variable
	trap 'for _x in _netns_cleanup _nfs_cleanup; do command -v $_x >/dev/null && $_x; done; rm -rf "$T"' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

nfs_start() {
	[ -z "${_nfs_unshare:-}" ] || { _nfs_fail "a server is already running"; return 1; }
	case ${1:-} in
	v3 | v4) ;;
	*) _nfs_fail "nfs_start v4|v3 DIR, not '${1:-}'"; return 1 ;;
	esac
	[ "$(id -u)" = 0 ] || { _nfs_fail "not root"; return 1; }
	_nfs_need ganesha.nfsd nfs-ganesha || return 1
	_nfs_need unshare util-linux && _nfs_need nsenter util-linux || return 1
	_nfs_need ip iproute2 && _nfs_need ss iproute2 || return 1
	[ "$1" = v4 ] || _nfs_need rpcbind rpcbind || return 1
	[ -d "$2" ] || { _nfs_fail "no directory $2"; return 1; }
	_ns_plugins=$(_nfs_plugins) || return 1
	NFS_DIR=$T/nfs
	rm -rf "$NFS_DIR" && mkdir -p "$NFS_DIR/run" "$NFS_DIR/recov" || return 1
	_ns_path=$(cd "$2" && pwd -P) || return 1
	_nfs_conf "$1" "$_ns_path" "$_ns_plugins" > "$NFS_DIR/ganesha.conf" &&
		_nfs_inner > "$NFS_DIR/inner.sh" &&
		mkfifo "$NFS_DIR/hold" || return 1
	_nfs_traps
	unshare --mount --net --pid --fork --kill-child --propagation private --mount-proc \
		sh "$NFS_DIR/inner.sh" "$1" "$NFS_DIR" <"$NFS_DIR/hold" >"$NFS_DIR/inner.log" 2>&1 &
	_nfs_unshare=$!
	# Opening the FIFO lets unshare open it too; the namespaces last as
	# long as this descriptor is open.
	exec 8>"$NFS_DIR/hold"
	_ns_i=0
	while [ ! -f "$NFS_DIR/state" ]; do
		if ! kill -0 "$_nfs_unshare" 2>/dev/null || [ $_ns_i -ge 300 ]; then
			echo "failed: the namespace did not come up: $(tail -n 2 "$NFS_DIR/inner.log")" \
				> "$NFS_DIR/state"
			break
		fi
		sleep 0.05
		_ns_i=$((_ns_i + 1))
	done
	if [ "$(cat "$NFS_DIR/state")" != ready ]; then
		_ns_why=$(cat "$NFS_DIR/state")
		nfs_stop
		_nfs_fail "${_ns_why#failed: }"
		return 1
	fi
	NFS_PID=$(ps -o pid= --ppid "$_nfs_unshare" | tr -d ' ')
	[ -n "$NFS_PID" ] || { nfs_stop; _nfs_fail "cannot find the namespace's process"; return 1; }
}

nfs_exec() {
	nsenter -t "$NFS_PID" --net --mount "$@"
}

nfs_stop() {
	[ -n "${_nfs_unshare:-}" ] || return 0
	exec 8>&-
	[ -z "${NFS_PID:-}" ] || kill -TERM "$NFS_PID" 2>/dev/null
	# The first process ends, unshare follows; --kill-child and the end
	# of the pid namespace take every other process with them.
	_ns_i=0
	while kill -0 "$_nfs_unshare" 2>/dev/null && [ $_ns_i -lt 100 ]; do
		sleep 0.05
		_ns_i=$((_ns_i + 1))
	done
	kill -KILL "$_nfs_unshare" 2>/dev/null
	wait "$_nfs_unshare" 2>/dev/null
	_nfs_unshare='' NFS_PID=''
	return 0
}

nfs_serve() {
	_nv_mode=$1 _nv_dir=$2
	shift 2
	nfs_start "$_nv_mode" "$_nv_dir" || return 125
	_nv_qemu=${QEMU:-qemu-system-x86_64}
	_nv_real=$(command -v "$_nv_qemu") || { nfs_stop; _nfs_fail "$_nv_qemu is not installed"; return 125; }
	if ! printf '#!/bin/sh\nexec nsenter -t %s --net "%s" "$@"\n' "$NFS_PID" "$_nv_real" \
		> "$NFS_DIR/qemu" || ! chmod 0755 "$NFS_DIR/qemu"; then
		nfs_stop
		return 125
	fi
	# Not "QEMU=... CMD": shells differ on whether that outlives a function.
	_nv_saved=${QEMU-}
	QEMU=$NFS_DIR/qemu
	"$@"
	_nv_rc=$?
	QEMU=$_nv_saved
	[ -n "$QEMU" ] || unset QEMU
	nfs_stop
	return $_nv_rc
}

nfs_log() {
	cat "$NFS_DIR/ganesha.log" "$NFS_DIR/ganesha.out" "$NFS_DIR/inner.log" 2>/dev/null
}
