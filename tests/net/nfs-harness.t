#!/bin/sh
# The NFS test server (tests/lib/nfs.sh) proven with a QEMU boot: a
# busybox initramfs gets an address from QEMU's user network (udhcpc),
# mounts the export that nfs-ganesha serves through 10.0.2.2 with the
# kernel's text options, prints a marker file of the export, writes a
# file back and powers off. NFSv4.2, v4.0 and v3; each written file must
# appear in the exported directory on this side. Then the same with our
# nfsmount applet (klibc's command line) in place of busybox's mount:
# its defaults (v3, nolock), vers=4.2, vers=4.0 (clientaddr= found by
# nfsmount itself) and ro. Last, kinit's NFS root: an image of
# `initramfs build --kinit` with the network and NFS drivers boots with
# root=/dev/nfs (ip=dhcp by default), nfsroot=10.0.2.2:/export over v4.2
# and v3, rw and ro, to the real root's init (root-init) on the export.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/qemu.sh"
. "$TOP/tests/lib/busybox.sh"
. "$TOP/tests/lib/nfs.sh"
. "$TOP/tests/lib/disk.sh"
unset SOURCE_DATE_EPOCH

I=$BIN/initramfs
[ "$(id -u)" = 0 ] || skip_all "needs root (namespaces)"
[ -x "$I" ] && [ -x "$BIN/kinit" ] || skip_all "initramfs and kinit are not built (run make)"
command -v ganesha.nfsd >/dev/null 2>&1 || skip_all "ganesha.nfsd is not installed (nfs-ganesha)"
unshare --mount --net --pid --fork true 2>/dev/null ||
	skip_all "cannot make mount, network and pid namespaces (unshare)"
qemu_need_kernel
MODDIR=$(kernel_moddir 2>"$T/kernel.err") ||
	skip_all "cannot get Debian's modules: $(tail -n 1 "$T/kernel.err")"
BB=$(busybox_static 2>"$T/bb.err") ||
	skip_all "cannot get a static busybox: $(tail -n 1 "$T/bb.err")"
cd "$T" || exit 1

# The guest's /init: the mount's type and options come from the kernel
# command line (NFSTYPE=, NFSOPTS=, NAME=: the kernel hands parameters
# it does not know to init as environment variables).
cat > init.sh <<'EOF'
#!/bin/sh
# The firmware's last words ("Booting from ROM..") end without a newline.
echo
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in virtio_pci virtio_net nfs nfsv3 nfsv4; do
	modprobe "$m" || echo "GUEST: modprobe $m failed"
done
ip link set lo up
ip link set eth0 up
if udhcpc -i eth0 -n -q -f -t 5 -T 1 -s /bin/dhcp-script >/dev/null 2>&1; then
	echo "GUEST-NET: $(ip -4 addr show dev eth0 | sed -n "s/.*inet \([0-9./]*\).*/\1/p")"
else
	echo "GUEST: udhcpc failed"
fi
# NFSMOUNT= set: our nfsmount with those options ("default": none).
if [ -n "$NFSMOUNT" ]; then
	if [ "$NFSMOUNT" = default ]; then
		set -- 10.0.2.2:/export /mnt
	else
		set -- -o "$NFSMOUNT" 10.0.2.2:/export /mnt
	fi
	nfsmount "$@"
	echo "GUEST-NFSMOUNT: exit $?"
	grep -q ' /mnt ' /proc/mounts
else
	mount -t "$NFSTYPE" -o "$NFSOPTS" 10.0.2.2:/export /mnt
fi
if [ $? = 0 ]; then
	echo "GUEST-MOUNT: $(grep ' /mnt ' /proc/mounts)"
	echo "GUEST-MARKER: $(cat /mnt/marker)"
	echo "written by the guest over $NAME" > "/mnt/from-$NAME" &&
		echo "GUEST-WROTE: from-$NAME"
	umount /mnt || echo "GUEST: umount failed"
else
	echo "GUEST: mount failed"
fi
echo GUEST-END
poweroff -f
EOF
cat > dhcp-script <<'EOF'
#!/bin/sh
case $1 in
bound | renew)
	ip addr add "$ip/$mask" dev "$interface"
	[ -z "$router" ] || ip route add default via "${router%% *}" dev "$interface"
	;;
esac
exit 0
EOF
cat > guest.list <<EOF
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /dev 0755 0 0
dir /mnt 0755 0 0
dir /bin 0755 0 0
nod /dev/console 0600 0 0 c 5 1
file /bin/busybox $BB 0755 0 0
file /bin/nfsmount $BIN/kinit 0755 0 0
slink /bin/sh busybox 0777 0 0
file /bin/dhcp-script $T/dhcp-script 0755 0 0
file /init $T/init.sh 0755 0 0
EOF
"$I" build -o guest.img --moddir "$MODDIR" --compress zstd \
	--modules virtio_pci,virtio_net,nfsv4,nfsv3 guest.list 2>build.err
ok "the guest image builds" test -s guest.img
[ -s guest.img ] || diag "$(cat build.err)"
mods=$("$I" list guest.img | grep '\.ko' | sed 's,.*/,,' | tr '\n' ' ')
for m in virtio_pci.ko virtio_net.ko sunrpc.ko nfs.ko nfsv4.ko nfsv3.ko; do
	like "$mods" "(^| )$m" "the image holds $m"
done

mkdir export
MARKER="exported by ganesha $$"
printf '%s\n' "$MARKER" > export/marker

# The server alone: its ports exist in its namespace only.
host_2049=$(ss -Hltn "sport = :$NFS_PORT" | wc -l)
host_ganesha=$(ls -d /run/ganesha 2>/dev/null)
if nfs_start v3 "$T/export" 2>nfs.err; then
	_tap_result 0 "the v3 server starts"
	like "$(nfs_exec rpcinfo -p 127.0.0.1 2>&1 | tr -s ' ' | tr '\n' ';')" \
		"100003 3 tcp 2049 nfs;.*100005 3 tcp $NFS_MNT_PORT mountd" \
		"rpcbind knows NFSv3 and MOUNT on $NFS_MNT_PORT (nfs_exec)"
	is "$(ss -Hltn "sport = :$NFS_PORT" | wc -l)" "$host_2049" \
		"no new listener on port $NFS_PORT on the machine"
	is "$(ls -d /run/ganesha 2>/dev/null)" "$host_ganesha" "nor a /run/ganesha"
	p=$NFS_PID
	nfs_stop
	ok "nfs_stop ends the namespace's processes" test ! -d "/proc/$p"
else
	_tap_result 1 "the v3 server starts"
	diag "$(cat nfs.err)"
fi

# boot NAME TYPE OPTIONS [NFSMOUNT]: the guest, with the server already running (inside
# nfs_serve); its console in NAME.console.
boot() {
	QEMU_ARGS=$NFS_QEMU_NET \
		qemu_boot guest.img "quiet NAME=$1 NFSTYPE=$2 NFSOPTS=$3 NFSMOUNT=${4:-}" 120 "$1.log" \
		'^GUEST-END|Kernel panic'
	_b_rc=$?
	echo "$NFS_PID" > "$1.server"
	qemu_console "$1.log" > "$1.console"
	echo "$QEMU_BOOT_SECS" > "$1.secs"
	return $_b_rc
}

# check NAME VERSION [MODE]: what the guest said and wrote; MODE ro:
# mounted read-only, and nothing written.
check() {
	diag "$1: boot took $(cat "$1.secs") s"
	if ! grep -q '^GUEST-END' "$1.console"; then
		_tap_result 1 "$1: the guest runs to its end"
		diag "$(tail -n 20 "$1.console")" "$(tail -n 5 "$1.log.qemu" 2>/dev/null)"
	else
		_tap_result 0 "$1: the guest runs to its end"
	fi
	like "$(sed -n 's/^GUEST-NET: //p' "$1.console")" '^10\.0\.2\.15/24$' \
		"$1: udhcpc gets 10.0.2.15/24 from QEMU's user network"
	like "$(sed -n 's/^GUEST-MOUNT: //p' "$1.console")" \
		"^10\\.0\\.2\\.2:/export /mnt nfs4? ${3:-rw},.*vers=$2[,.]" \
		"$1: the export is mounted ${3:-rw}, version $2"
	is "$(sed -n 's/^GUEST-MARKER: //p' "$1.console")" "$MARKER" "$1: the guest reads the marker"
	if [ "${3:-rw}" = ro ]; then
		ok "$1: nothing could be written" test ! -e "export/from-$1"
	else
		is "$(cat "export/from-$1" 2>/dev/null)" "written by the guest over $1" \
			"$1: the file the guest wrote is in the exported directory"
	fi
	grep '^GUEST: ' "$1.console" | sed 's/^/# /'
}

nfs_serve v4 "$T/export" boot v42 nfs4 "$NFS_OPTS_V42"
rc=$?
[ "$rc" != 125 ] || diag "the v4 server did not start" "$(nfs_log | tail -n 5)"
check v42 4.2
nfs_serve v4 "$T/export" boot v40 nfs4 "$NFS_OPTS_V40"
check v40 4.0
nfs_serve v3 "$T/export" boot v3 nfs "$NFS_OPTS_V3"
rc=$?
[ "$rc" != 125 ] || diag "the v3 server did not start" "$(nfs_log | tail -n 5)"
check v3 3

# Our nfsmount, with klibc's options.
for run in "ours-v3 v3 3 default" "ours-v42 v4 4.2 vers=4.2" "ours-v40 v4 4.0 vers=4.0" \
	"ours-ro v4 4.2 vers=4.2,ro"; do
	set -- $run
	nfs_serve "$2" "$T/export" boot "$1" - - "$4"
	is "$(sed -n 's/^GUEST-NFSMOUNT: //p' "$1.console")" "exit 0" "$1: nfsmount -o $4 exits 0"
	case $1 in ours-ro) check "$1" "$3" ro ;; *) check "$1" "$3" ;; esac
done

# kinit's NFS root: the real root is root-init's tree, exported.
"$I" build -o root.img --moddir "$MODDIR" --compress zstd --kinit \
	--modules virtio_pci,virtio_net,nfsv4,nfsv3 2>build.err
ok "the kinit image builds" test -s root.img || diag "$(cat build.err)"
DISK_GREETING="greeting over NFS" disk_root_tree rootfs 2>tree.err ||
	diag "$(cat tree.err)"

# nfsroot NAME APPEND: a kinit boot of root.img; console in NAME.console.
nfsroot() {
	QEMU_ARGS=$NFS_QEMU_NET \
		qemu_boot root.img "$2" 120 "$1.log" '^ROOT-END|Kernel panic'
	echo "$NFS_PID" > "$1.server"
	qemu_console "$1.log" > "$1.console"
}

# root_ok NAME TYPE MODE VERSION: the real init ran on the export.
root_ok() {
	qemu_reached "$1.console" "$1: kinit reaches the real root's init over NFS" \
		'^ROOT-GREETING: greeting over NFS' '^ROOT-END'
	like "$(sed -n 's/^ROOT-MOUNT: //p' "$1.console")" \
		"^10\\.0\\.2\\.2:/export / $2 $3,.*vers=$4[,.]" "$1: / is the export, $2 $3, version $4"
}

nfs_serve v4 "$T/rootfs" nfsroot kinit-v42 \
	"root=/dev/nfs nfsroot=10.0.2.2:/export,vers=4.2 ip=dhcp rw"
root_ok kinit-v42 nfs4 rw 4.2
like "$(grep '^IP-Config' kinit-v42.console | tr '\n' ' ')" \
	'IP-Config: eth0 complete \(dhcp from 10\.0\.2\.2\)' "kinit-v42: ipconfig's summary on the console"
nfs_serve v3 "$T/rootfs" nfsroot kinit-v3 "root=/dev/nfs nfsroot=10.0.2.2:/export"
root_ok kinit-v3 nfs ro 3

# The namespaces' first processes (ganesha and rpcbind die with them).
left=
for f in v42.server v40.server v3.server ours-v3.server ours-v42.server ours-v40.server \
	ours-ro.server kinit-v42.server kinit-v3.server; do
	p=$(cat "$f" 2>/dev/null)
	[ -z "$p" ] || ! kill -0 "$p" 2>/dev/null || left="$left $p"
done
is "$left" "" "no server is left running"

done_testing
