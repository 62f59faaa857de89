#!/bin/sh
# make demo: boot Debian's own kernel to a real root with kinit.
#
# Fetches Debian 12's kernel package into the cache (unpacked, never
# installed), makes a small ext4 root disk (mke2fs -d) whose /sbin/init
# greets, builds a kinit image for that kernel with the three modules
# the root needs, boots it in QEMU and shows the boot's timeline: the
# kernel's timestamps on kinit's steps, then the real root's init.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/build}
ES_CACHE=${ES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/earlyspace}
T=$(mktemp -d "${TMPDIR:-/tmp}/es-demo.XXXXXX")
trap 'rm -rf "$T"' EXIT
export TOP BIN ES_CACHE T
. "$TOP/tests/lib/qemu.sh"
. "$TOP/tests/lib/disk.sh"

say() { printf '\n== %s\n' "$*"; }

say "Debian's kernel (downloaded once into $ES_CACHE)"
MODDIR=$(kernel_moddir)
QEMU_KERNEL=$(kernel_vmlinux)
export QEMU_KERNEL
echo "$(kernel_release): $QEMU_KERNEL"

say "a root disk: ext4 made by mke2fs -d, /sbin/init greets"
DISK_GREETING="hello from the real root, mounted by kinit"
disk_root_tree "$T/root"
UUID=0e5a1f00-d3b0-4c1e-9d00-00000000de70
disk_fs ext4 "$T/root" "$T/root.img" demo-root "$UUID"
echo "root.img: ext4, UUID=$UUID, LABEL=demo-root"

say "initramfs build --kinit --modules virtio_pci,virtio_blk,ext4"
"$BIN/initramfs" build -o "$T/kinit.img" --moddir "$MODDIR" \
	--compress zstd --kinit --modules virtio_pci,virtio_blk,ext4
"$BIN/initramfs" info "$T/kinit.img"
echo "kinit: $(wc -c < "$BIN/kinit") bytes, static; image: $(wc -c < "$T/kinit.img") bytes"

say "boot: qemu -kernel vmlinux -initrd kinit.img -append 'root=UUID=$UUID'"
export QEMU_ARGS="-drive file=$T/root.img,if=virtio,format=raw"
set +e
qemu_boot "$T/kinit.img" "root=UUID=$UUID" 120 "$T/console" 'ROOT-END|Kernel panic'
rc=$?
set -e
qemu_console "$T/console" | grep -E 'Run /init|kinit:|ROOT-(INIT|GREETING|MOUNT:|UPTIME)|Kernel panic' |
	sed 's/^ROOT-/    real root: /'
if [ "$rc" != 0 ]; then
	echo "demo: the boot did not reach the real root (qemu_boot: $rc; console: below)" >&2
	qemu_console "$T/console" | tail -n 30 >&2
	exit 1
fi
echo
echo "booted to the real root's init in ${QEMU_BOOT_SECS}s of wall time"
