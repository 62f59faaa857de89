#!/bin/sh
# Composition at boot: an image of a static busybox and the modules
# virtio_pci, virtio_blk and ext4, asked for by name only, boots Debian's
# kernel, and its /init loads them with busybox's modprobe from the index
# that `initramfs build` wrote, then mounts an ext4 disk on virtio. The
# disk is made by mke2fs with Debian's defaults (metadata_csum), so the
# mount needs crc32c: ext4's softdep, which the kernel asks for through
# /sbin/modprobe (request_module) if nobody loaded it first.
#
# Also an image whose busybox is Debian's dynamic one, added with
# --program: the loader and libraries the builder found run it.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/qemu.sh"
. "$TOP/tests/lib/busybox.sh"
unset SOURCE_DATE_EPOCH

I=$BIN/initramfs
[ -x "$I" ] || skip_all "$I is not built (run make)"
command -v mke2fs >/dev/null 2>&1 || skip_all "mke2fs is not installed (e2fsprogs)"
qemu_need_kernel
MODDIR=$(kernel_moddir 2>"$T/kernel.err") ||
	skip_all "cannot get Debian's modules: $(tail -n 1 "$T/kernel.err")"
KVER=$(kernel_release)
BB=$(busybox_static 2>"$T/bb.err") ||
	skip_all "cannot get a static busybox: $(tail -n 1 "$T/bb.err")"
cd "$T" || exit 1

# The disk: ext4 with a greeting on it.
mkdir disk
echo "hello from the virtio ext4 disk" > disk/greeting
mke2fs -q -t ext4 -d disk -F disk.img 16M 2> mke2fs.err
ok "mke2fs makes the ext4 disk" test -s disk.img || diag "$(cat mke2fs.err)"
QEMU_ARGS="-drive file=$T/disk.img,if=virtio,format=raw"
export QEMU_ARGS

# /init: modprobe by name, wait for the disk, mount it, report.
cat > init.sh <<'EOF2'
#!/bin/sh
PATH=/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in virtio_pci virtio_blk ext4; do
	modprobe $m || echo "COMPOSE-FAIL modprobe $m: exit $?"
done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if mount -t ext4 -o ro /dev/vda /mnt; then
	echo "COMPOSE-MODULES $(cut -d' ' -f1 /proc/modules | sort | tr '\n' ' ')"
	echo "COMPOSE-PASS $(cat /mnt/greeting)"
else
	echo "COMPOSE-FAIL mount: $(dmesg | tail -n 3 | tr '\n' '|')"
fi
poweroff -f
EOF2

# busybox_list BUSYBOX-LINE: the image's /init, shell and tools as
# applet links of the busybox that BUSYBOX-LINE adds.
busybox_list() {
	cat <<-EOF2
	$1
	file /init $T/init.sh 0755 0 0
	dir /proc 0755 0 0
	dir /sys 0755 0 0
	dir /dev 0755 0 0
	dir /mnt 0755 0 0
	nod /dev/console 0600 0 0 c 5 1
	EOF2
	for _a in sh mount cut sort tr cat sleep dmesg poweroff; do
		echo "slink /bin/$_a busybox 0777 0 0"
	done
	echo "slink /sbin/modprobe /bin/busybox 0777 0 0"
}

# boot CASE: boots CASE.img with the disk; the console in CASE.console
boot() {
	qemu_boot "$1.img" "quiet" 120 "$1.log" 'COMPOSE-(PASS|FAIL)|Kernel panic'
	_b_rc=$?
	qemu_console "$1.log" > "$1.console"
	diag "boot $1: ${QEMU_BOOT_SECS}s wall time ($(qemu_accel))"
	ok "$1: the guest boots and reports" test "$_b_rc" = 0 ||
		diag "qemu_boot returned $_b_rc; the console ends with:" \
			"$(tail -n 12 "$1.console")"
}

# --- static busybox, modules by name ---------------------------------
busybox_list "file /bin/busybox $BB 0755 0 0" > static.list
"$I" build -o static.img --kver "$KVER" --moddir "$MODDIR" \
	--modules virtio_pci,virtio_blk,ext4 static.list 2> build.err
is "$?:$(cat build.err)" "0:" "static: build with --modules exits 0 without a message"

# What the image holds under /lib/modules is what modprobe --show-depends
# names, and the index covers exactly that.
for _m in virtio_pci virtio_blk ext4; do
	modprobe -C /dev/null -d "${MODDIR%/lib/modules/*}" -S "$KVER" --show-depends $_m
done 2>/dev/null | sed -n 's|^insmod [^ ]*/lib/modules/[^/]*/||p' | sed 's/ *$//' | sort -u > want.ko
"$I" list static.img | sed -n "s|^lib/modules/$KVER/||p" | grep '\.ko' | sort > got.ko
ok "static: some modules were added" test -s got.ko
is "$(cat got.ko)" "$(cat want.ko)" "static: the image's modules are modprobe --show-depends' for the names"
for _f in modules.dep modules.alias modules.softdep modules.builtin modules.order; do
	"$I" list static.img | grep -qx "lib/modules/$KVER/$_f"
	ok "static: the image has lib/modules/$KVER/$_f" test $? = 0
done

boot static
like "$(cat static.console)" "COMPOSE-PASS hello from the virtio ext4 disk" \
	"static: busybox modprobe loads the modules from the index and the disk mounts"
mods=$(sed -n 's/.*COMPOSE-MODULES //p' static.console)
for _m in virtio_pci virtio_blk ext4 jbd2 mbcache; do
	like " $mods " " $_m " "static: $_m is loaded"
done
like " $mods " " crc32c_(generic|intel) " "static: a crc32c module is loaded (ext4's softdep)"
ok "static: no modprobe failed" test -z "$(grep -a 'COMPOSE-FAIL' static.console)" ||
	diag "$(grep -a 'COMPOSE-FAIL' static.console)"

# --- Debian's dynamic busybox through --program ----------------------
DYN=$(command -v busybox)
if [ -n "$DYN" ] && ! LC_ALL=C ldd "$DYN" 2>&1 | grep -q 'not a dynamic'; then
	busybox_list "# busybox and its libraries come from --program" > dyn.list
	"$I" build -o dyn.img --program "$DYN=/bin/busybox" --kver "$KVER" \
		--moddir "$MODDIR" --modules virtio_pci,virtio_blk,ext4 dyn.list 2> build.err
	is "$?:$(cat build.err)" "0:" "dynamic: build with --program exits 0 without a message"
	boot dyn
	like "$(cat dyn.console)" "COMPOSE-PASS hello from the virtio ext4 disk" \
		"dynamic: the loader and libraries --program added run busybox"
else
	skip "busybox is not installed or not dynamic"
	skip "busybox is not installed or not dynamic"
	skip "busybox is not installed or not dynamic"
fi

done_testing
