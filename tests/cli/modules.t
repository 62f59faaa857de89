#!/bin/sh
# build --modules and the `module` and `firmware` lines, on Debian's
# kernel (its modules unpacked and indexed in the cache): requests by
# name, alias and path pattern, the firmware a module names, the index
# the image gets, and every way it goes wrong, each with a message that
# names what is missing and who needed it, and no image left behind.
# (tests/interop/modules-closure.t holds the resolution to kmod's
# modprobe; tests/boot/composition.t boots the result.)
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/refused.sh"
. "$TOP/tests/lib/kernel.sh"

MODDIR=$(kernel_moddir 2>"$T/kernel.err") ||
	skip_all "cannot get Debian's modules: $(tail -n 1 "$T/kernel.err")"
KVER=$(kernel_release)
cd "$T" || exit 1
I=initramfs
K=lib/modules/$KVER

# kos IMAGE: the modules in IMAGE, as modules.dep paths
kos() { $I list "$1" | sed -n "s|^$K/||p" | grep '\.ko' | sort; }
# show_depends NAME...: what modprobe loads for them, the same way
show_depends() {
	for _m; do
		modprobe -C /dev/null -d "${MODDIR%/lib/modules/*}" -S "$KVER" --show-depends "$_m"
	done | sed -n 's|^insmod [^ ]*/lib/modules/[^/]*/||p' | sed 's/ *$//' | sort -u
}

# By name, by alias, by path pattern.
$I build -o alias.img --moddir "$MODDIR" --modules fs-ext4 2> err
is "$?:$(cat err)" "0:" "--modules fs-ext4 (an alias)"
is "$(kos alias.img)" "$(show_depends ext4)" "the alias brings ext4's closure"
$I build -o pat.img --moddir "$MODDIR" --modules 'kernel/drivers/virtio/*' 2> err
is "$?:$(cat err)" "0:" "--modules with a path pattern"
is "$(kos pat.img)" "$(cd "$MODDIR" && find kernel/drivers/virtio -name '*.ko' | sort)" \
	"the pattern brings every module under kernel/drivers/virtio"
printf 'module virtio_blk\nmodule ext4 fs-xfs\n' > mods.list
$I build -o list.img --kver "$KVER" --moddir "$MODDIR" mods.list 2> err
is "$?:$(cat err)" "0:" "module lines"
is "$(kos list.img)" "$(show_depends virtio_blk ext4 xfs)" "module lines bring the same closure as modprobe"
like "$($I list list.img)" "
$K/modules.dep
" "the image has its modules.dep"

# The index names exactly what the image holds, in modules.dep's form.
mkdir x && $I extract list.img x 2> /dev/null
is "$(cut -d: -f1 x/$K/modules.dep | sort)" "$(kos list.img)" \
	"modules.dep has a line for each module held, and no other"
is "$(tr ' ' '\n' < x/$K/modules.dep | grep -v ':$' | sed 's/:$//' | grep . | sort -u |
	while read -r _d; do [ -f "x/$K/$_d" ] || echo "$_d"; done)" "" \
	"every dependency modules.dep names is in the image"
is "$(awk '$1 == "alias" { print $3 }' x/$K/modules.alias | sort -u)" \
	"$(grep -h -e '' x/$K/modules.dep | cut -d: -f1 | sed 's|.*/||; s/\.ko.*//; s/-/_/g' | sort -u |
		while read -r _m; do grep -q " $_m\$" "$MODDIR/modules.alias" && echo "$_m"; done)" \
	"modules.alias has the aliases of the modules held, only theirs"
same_file x/$K/modules.builtin "$MODDIR/modules.builtin" "modules.builtin is the kernel's, whole"

# Firmware: e100 names e100/d101m_ucode.bin and two more.
mkdir -p fw/e100 fw/updates/e100
echo m > fw/e100/d101m_ucode.bin
echo s-new > fw/updates/e100/d101s_ucode.bin
echo s-old > fw/e100/d101s_ucode.bin
$I build -o fw.img --moddir "$MODDIR" --firmware-dir "$T/fw" --modules e100 2> err
is "$?" 0 "--modules e100 with some of its firmware"
like "$($I list fw.img)" "lib/firmware/e100/d101m_ucode.bin" "the firmware found is added"
like "$($I list fw.img)" "lib/firmware/updates/e100/d101s_ucode.bin" "updates/ comes first, as for the kernel"
like "$(cat err)" "module e100: firmware e100/d102e_ucode.bin not found under $T/fw" \
	"the firmware not found is a warning naming the module"
printf 'firmware e100/d101m_ucode.bin\n' > fw.list
$I build -o fwl.img --firmware-dir "$T/fw" fw.list 2> err
is "$?:$(cat err)" "0:" "a firmware line"
like "$($I list fwl.img)" "lib/firmware/e100/d101m_ucode.bin" "the firmware line adds the file"

# Compressed modules (.ko.xz, .ko.zst) go in as they are; their
# .modinfo is read through the decoder for the firmware they name.
mkdir -p zmod
for _f in $(show_depends e100); do
	mkdir -p "zmod/$(dirname "$_f")"
	case $_f in
	*e100.ko) xz --check=crc32 -c "$MODDIR/$_f" > "zmod/$_f.xz" ;;	# as the kernel compresses them
	*) zstd -q -c "$MODDIR/$_f" > "zmod/$_f.zst" ;;
	esac
done
grep -E "^($(show_depends e100 | tr '\n' '|' | sed 's/|$//')):" "$MODDIR/modules.dep" |
	sed 's|e100\.ko|e100.ko.xz|g; s|\(kernel/[^ :]*\.ko\)\([ :]\)|\1.zst\2|g; s|\(kernel/[^ :]*\.ko\)$|\1.zst|' > zmod/modules.dep
$I build -o z.img --moddir "$T/zmod" --firmware-dir "$T/fw" --modules e100 2> err
is "$?" 0 "compressed modules"
like "$($I list z.img)" "kernel/drivers/net/ethernet/intel/e100.ko.xz" "a .ko.xz goes in as it is"
like "$($I list z.img)" "lib/firmware/e100/d101m_ucode.bin" "the firmware a .ko.xz names is found"
like "$(cat err)" "module e100: firmware e100/d102e_ucode.bin not found" \
	"and the firmware not found is named, as for a plain module"

# What goes wrong.
build_refused "unknown module" "^initramfs build: --modules virtio_blk,nosuch: nosuch: no module or alias" \
	--moddir "$MODDIR" --modules virtio_blk,nosuch
printf 'dir /x 755 0 0\nmodule ext4 nosuch\n' > bad.list
build_refused "unknown module in a list" "^initramfs build: bad.list:2: nosuch: no module or alias" \
	--moddir "$MODDIR" bad.list
mkdir empty
build_refused "no modules.dep" "empty: no modules.dep \\(run depmod\\)" --moddir "$T/empty" --modules ext4
build_refused "firmware nowhere" "firmware nothing.bin: not found under $T/fw" \
	--firmware-dir "$T/fw" --firmware nothing.bin

# A dependency whose file is gone: the index still names it.
mkdir -p part && cp -a "$MODDIR"/modules.* part/ && mkdir -p part/kernel/fs/ext4 &&
	cp "$MODDIR"/kernel/fs/ext4/ext4.ko part/kernel/fs/ext4/
build_refused "a dependency's file missing" ": no file kernel/[^ ]*\\.ko in $T/part, .*dependency of ext4\$" \
	--moddir "$T/part" --modules ext4

# A corrupt module: named, not skipped.
mkdir -p broken && cp -a "$MODDIR"/modules.* broken/ &&
	for _f in $(show_depends virtio_blk); do
		mkdir -p "broken/$(dirname "$_f")" && cp "$MODDIR/$_f" "broken/$_f"
	done && printf 'junk' > broken/kernel/drivers/block/virtio_blk.ko
build_refused "a corrupt module" "module virtio_blk: .*virtio_blk.ko: not an ELF file" \
	--moddir "$T/broken" --modules virtio_blk

done_testing
