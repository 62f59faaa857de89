#!/bin/sh
# kinit boots Debian's kernel to a real root on a virtio disk, found
# every way root= can name it, on every filesystem the issue lists,
# and fails the way it should: a diagnosis, then the image's shell or,
# without one, the kernel's panic.
#
# Images: "named" asks for virtio_pci, virtio_blk and ext4 by name (the
# `make demo` image); "cold" holds the virtio and block drivers and the
# filesystems only as path patterns, so kinit must find virtio_pci and
# virtio_blk by coldplug and uevents and load each filesystem when it
# mounts; "shell" is "cold" with a static busybox as /bin/sh.
# The real root's /sbin/init is root-init (tests/boot/root-init.c): it
# prints its argv, the / line of /proc/mounts and the mounts kinit moved
# in, then powers off.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/qemu.sh"
. "$TOP/tests/lib/busybox.sh"
. "$TOP/tests/lib/disk.sh"
unset SOURCE_DATE_EPOCH

I=$BIN/initramfs
[ -x "$I" ] && [ -x "$BIN/kinit" ] || skip_all "initramfs and kinit are not built (run make)"
qemu_need_kernel
MODDIR=$(kernel_moddir 2>"$T/kernel.err") ||
	skip_all "cannot get Debian's modules: $(tail -n 1 "$T/kernel.err")"
BB=$(busybox_static 2>"$T/bb.err") ||
	skip_all "cannot get a static busybox: $(tail -n 1 "$T/bb.err")"
disk_tools ext4 2>"$T/disk.err" || skip_all "$(cat "$T/disk.err")"
cd "$T" || exit 1

FS_PATTERNS=kernel/fs/ext4/*,kernel/fs/xfs/*,kernel/fs/btrfs/*,kernel/fs/squashfs/*,kernel/fs/fat/*,kernel/fs/nls/*
COLD_PATTERNS=kernel/drivers/virtio/*,kernel/drivers/block/virtio_blk*,$FS_PATTERNS

"$I" build -o named.img --moddir "$MODDIR" --compress zstd --kinit \
	--modules virtio_pci,virtio_blk,ext4 2>build.err
ok "the named image builds" test -s named.img || diag "$(cat build.err)"
"$I" build -o cold.img --moddir "$MODDIR" --compress zstd --kinit \
	--modules "$COLD_PATTERNS" 2>build.err
ok "the coldplug image builds" test -s cold.img || diag "$(cat build.err)"
printf 'file /bin/busybox %s 0755 0 0\nslink /bin/sh busybox 0777 0 0\n' "$BB" > shell.list
"$I" build -o shell.img --moddir "$MODDIR" --compress zstd --kinit \
	--modules "$COLD_PATTERNS" shell.list 2>build.err
ok "the image with a shell builds" test -s shell.img || diag "$(cat build.err)"
like "$("$I" list cold.img | tr '\n' ' ')" \
	'^init .*etc/modules' "cold: /init first, /etc/modules there"
"$I" extract cold.img cold.x >/dev/null 2>&1
is "$(grep -vc '^#' cold.x/etc/modules)" 0 "cold: /etc/modules names no module"

# The root: root-init as /sbin/init (and as /sbin/other-init for init=).
disk_root_tree root 2>disk.err || { diag "$(cat disk.err)"; exit 1; }
cp root/sbin/init root/sbin/other-init

UUID=5a1e0c7e-0000-4000-8000-00000000e4e4
disk_fs ext4 root ext4.img rootlabel $UUID 2>disk.err
ok "ext4 root image" test -s ext4.img || diag "$(cat disk.err)"
disk_swap swap.img 16 2>disk.err
ok "swap image" test -s swap.img || diag "$(cat disk.err)"
PU1=11111111-2222-4333-8444-555555555501
PU2=11111111-2222-4333-8444-555555555502
disk_gpt gpt.img "swap.img:swap:$PU1" "ext4.img:system root:$PU2" 2>disk.err
ok "GPT disk: swap on 1, root on 2" test -s gpt.img || diag "$(cat disk.err)"
disk_mbr mbr.img 0x5eed1e55 "swap.img:82" "ext4.img:83" 2>disk.err
ok "MBR disk: swap on 1, root on 2" test -s mbr.img || diag "$(cat disk.err)"

# boot NAME IMAGE DISK APPEND [MARKER]: console in NAME.log
boot() {
	QEMU_ARGS="-drive file=$T/$3,if=virtio,format=raw" \
		qemu_boot "$2" "$4" 120 "$1.log" "${5:-ROOT-END|Kernel panic}"
	qemu_console "$1.log" > "$1.console"
}

# reaches NAME: the real root's init ran and said goodbye.
reaches() {
	qemu_reached "$1.console" "$1: the real root's init runs" '^ROOT-INIT' '^ROOT-END'
}

root_line() { sed -n 's/^ROOT-MOUNT: //p' "$1.console"; }

boot whole cold.img ext4.img "root=/dev/vda"
reaches whole
like "$(root_line whole)" '^/dev/vda / ext4 ro[, ]' "whole: /dev/vda mounted read-only by default"
for m in "/dev devtmpfs" "/proc proc" "/sys sysfs" "/run tmpfs"; do
	like "$(grep '^ROOT-MOUNTS' whole.console | tr '\n' ' ')" " $m " \
		"whole: kinit moved ${m% *} into the root"
done
like "$(grep -c 'kinit: .*coldplug' whole.console)" '^[1-9]' "whole: kinit logged its coldplug step"

boot named named.img gpt.img "root=UUID=$UUID"
reaches named
like "$(root_line named)" '^/dev/vda2 / ext4 ' "UUID= on GPT: /dev/vda2"

for spec in "LABEL=rootlabel" "PARTUUID=$PU2" "PARTLABEL=system\\ root" "254:2" "fe02" \
	"PARTUUID=$PU1/PARTNROFF=1"; do
	name=$(printf '%s' "$spec" | tr -c 'A-Za-z0-9' _)
	arg=$(printf '%s' "$spec" | sed 's/\\ / /')
	case $arg in *" "*) arg="\"root=$arg\"" ;; *) arg="root=$arg" ;; esac
	boot "$name" cold.img gpt.img "$arg rootwait=20"
	reaches "$name"
	like "$(root_line "$name")" '^/dev/vda2 / ext4 ' "root=$spec: /dev/vda2"
done

boot mbr cold.img mbr.img "root=PARTUUID=5eed1e55-02"
reaches mbr
like "$(root_line mbr)" '^/dev/vda2 / ext4 ' "PARTUUID on MBR (SSSSSSSS-PP): /dev/vda2"

boot flags cold.img ext4.img "root=/dev/vda rw rootflags=commit=7"
reaches flags
like "$(root_line flags)" ' rw,.*commit=7' "rw and rootflags= reach the root's mount options"

boot initargs cold.img ext4.img "root=/dev/vda init=/sbin/other-init -- one two"
reaches initargs
is "$(sed -n 's/^ROOT-ARGV: //p' initargs.console | tr '\n' ' ')" \
	"/sbin/other-init one two " "init= runs with the arguments after --"

boot resume cold.img gpt.img "root=PARTLABEL=\"system root\" resume=PARTUUID=$PU1"
reaches resume
like "$(grep 'kinit' resume.console | tr '\n' ' ')" 'no hibernation image on /dev/vda1' \
	"resume= on a swap without an image: said, and the boot goes on"

# Each filesystem the issue names, by UUID or LABEL, with its module
# loaded when kinit mounts it.
for fs in xfs btrfs squashfs vfat; do
	if ! disk_tools "$fs" 2>/dev/null; then
		skip "no tools for $fs"; skip "no tools for $fs"; continue
	fi
	case $fs in
	vfat) id=2B3C-4D5E spec="UUID=$id" ;;
	squashfs) id= spec=/dev/vda ;;
	*) id=$UUID spec="UUID=$UUID" ;;
	esac
	if ! disk_fs "$fs" root "$fs.img" "" "$id" 2>disk.err; then
		_tap_result 1 "$fs image"; diag "$(cat disk.err)"; skip "no $fs image"; continue
	fi
	boot "$fs" cold.img "$fs.img" "root=$spec"
	reaches "$fs"
	like "$(root_line "$fs")" "^/dev/vda / $fs " "$fs root by $spec, type probed"
done
# vfat loads its code page and character set with request_module
# (Debian's defaults: nls_cp437, nls_ascii; nothing kinit loads
# itself); without kinit as the kernel's module helper the mount fails.
if [ -s vfat.console ]; then
	like "$(root_line vfat)" 'codepage=437,iocharset=ascii' \
		"the kernel's request_module is served: vfat got nls_cp437 and nls_ascii"
fi

# rootfstype= wins over the probe: an ext2 filesystem mounted by ext4.
disk_fs ext2 root ext2.img 2>disk.err
boot fstype cold.img ext2.img "root=/dev/vda rootfstype=ext4"
reaches fstype
like "$(root_line fstype)" '^/dev/vda / ext4 ' "rootfstype=ext4 mounts an ext2 filesystem as ext4"

# Failures.
boot wrongshell shell.img gpt.img "root=UUID=00000000-dead-4bad-8bad-000000000000 rootwait=5" \
	'/ # |Kernel panic|ROOT-END'
like "$(tr '\n' ' ' < wrongshell.console)" \
	'no such device after 5 s.*root=UUID=00000000-dead-4bad-8bad-000000000000 read as UUID.*/dev/vda2 .*TYPE=ext4 UUID=5a1e0c7e.*LABEL="rootlabel"' \
	"wrong UUID: kinit says what it looked for and lists the devices"
like "$(cat wrongshell.console)" 'starting /bin/sh' "wrong UUID: the rescue shell starts"
like "$(tail -c 200 wrongshell.console)" '/ # ' "wrong UUID: the shell prompts on the console"

boot wrongpanic cold.img gpt.img "root=UUID=00000000-dead-4bad-8bad-000000000000 rootwait=5"
like "$(tr '\n' ' ' < wrongpanic.console)" \
	'no /bin/sh in the image.*Kernel panic - not syncing: Attempted to kill init' \
	"wrong UUID without a shell: the kernel panics (panic=-1 ends the boot)"

boot breakpre shell.img ext4.img "root=/dev/vda break=premount" '/ # |Kernel panic|ROOT-END'
like "$(tr '\n' ' ' < breakpre.console)" 'break=premount.*starting /bin/sh.*/ # ' \
	"break=premount: the shell starts before the root is mounted"
like "$(grep -c '^ROOT-INIT' breakpre.console)" '^0$' "break=premount: the real init has not run"

# A filesystem kinit does not probe (bfs) is mounted as the kernel
# would: by trying every type it has. bfs holds no directories, so no
# init: what counts is the mount.
if command -v mkfs.bfs >/dev/null 2>&1; then
	truncate -s 1M bfs.disk && mkfs.bfs bfs.disk >/dev/null 2>&1
	"$I" build -o bfs.img --moddir "$MODDIR" --compress zstd --kinit \
		--modules virtio_pci,virtio_blk,bfs 2>build.err || diag "$(cat build.err)"
	boot bfs bfs.img bfs.disk "root=/dev/vda"
	like "$(tr '\n' ' ' < bfs.console)" \
		"no filesystem kinit knows; trying the kernel's: [a-z0-9,]*bfs.*mounted /dev/vda \\(bfs\\) on /root ro" \
		"an unprobed filesystem: the kernel's types are tried, bfs mounts"
else
	skip "mkfs.bfs is not installed (util-linux)"
fi

# ip= with a disk root configures the network all the same, as klibc's
# kinit does: DHCP, and IPv6 by the router advertisements of QEMU's user
# network (prefix fec0::/64; the guest's MAC is QEMU's default).
"$I" build -o net.img --moddir "$MODDIR" --compress zstd --kinit \
	--modules "$COLD_PATTERNS,virtio_net" 2>build.err
ok "the image with virtio_net builds" test -s net.img || diag "$(cat build.err)"
netboot() {
	QEMU_ARGS="-drive file=$T/ext4.img,if=virtio,format=raw
		-netdev user,id=n0 -device virtio-net-pci,netdev=n0,romfile=" \
		qemu_boot net.img "$2" 120 "$1.log" "ROOT-END|Kernel panic"
	qemu_console "$1.log" > "$1.console"
}
netboot ipdhcp "root=/dev/vda ip=dhcp"
reaches ipdhcp
like "$(tr '\n' ' ' < ipdhcp.console)" \
	'IP-Config: eth0 complete \(dhcp from 10\.0\.2\.2\):.*mounted /dev/vda' \
	"ip=dhcp: configured before the disk root is mounted"
netboot ipauto6 "root=/dev/vda ip=:::::eth0:auto6"
reaches ipauto6
like "$(tr '\n' ' ' < ipauto6.console)" \
	'IP-Config: eth0 complete \(auto6\): +address: fec0::5054:ff:fe12:3456/64' \
	"ip=...:auto6: the SLAAC address from QEMU's advertisements"

done_testing
