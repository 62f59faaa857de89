#!/bin/sh
# What loading a module takes, by our index (src/kmod, through `initramfs
# modules --show-depends`) and by kmod's modprobe, for Debian's kernel
# (its .deb unpacked into the cache, the index written by depmod: see
# tests/lib/kernel.sh). modprobe runs as `modprobe -C /dev/null -d BASE
# -S RELEASE --show-depends`, so the host's modprobe.d has no say and
# nothing is loaded. Both must print the same lines, byte for byte: the
# softdeps (ext4's crypto-crc32c), the dependencies deepest first, the
# modules kmod lists twice, and "builtin NAME". Then the same for every
# module of the kernel, every alias its index knows (patterns turned into
# a string they match), a path pattern, and --once against modprobe's
# list with its repeats dropped.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/kernel.sh"
LC_ALL=C
export LC_ALL

need_kmod_modprobe
moddir=$(kernel_moddir) || skip_all "Debian's kernel cannot be had"
release=${moddir##*/}
base=${moddir%/lib/modules/*}
cd "$T" || exit 1

theirs() { "$MODPROBE" -C /dev/null -d "$base" -S "$release" --show-depends "$@"; }
ours() { initramfs modules --moddir "$moddir" --show-depends "$@"; }

# NAME...: one modprobe run each, as the brief's list names them
for n in virtio_blk virtio_pci virtio_net ext4 xfs btrfs nfs squashfs vfat \
	isofs e1000 9p sd_mod crypto-crc32c fs-ext4 fs-btrfs \
	pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00 \
	virtio:d00000001v00001AF4 hmac crypto-hmac ksmbd libcrc32c; do
	is "$(ours "$n" 2>&1)" "$(theirs "$n" 2>&1)" "$n: the lines modprobe --show-depends prints"
done

like "$(ours ext4)" "crc32c_generic\\.ko $" "ext4 brings crc32c through its softdep"
is "$(ours virtio_blk | sed 's|.*/||')" "virtio_ring.ko 
virtio.ko 
virtio_blk.ko " "virtio_blk: virtio_ring, then virtio, then the module"
is "$(ours hmac)" "builtin hmac" "a built-in module: nothing to load"

out=$(initramfs modules --moddir "$moddir" -D ext4 no_such_module e1000 2>err)
is "$?:$(cat err)" "1:initramfs modules: no_such_module: no module or alias" \
	"a name naming nothing: its message, exit status 1"
is "$out" "$(theirs ext4; theirs e1000)" "the other names are still shown"

# Every module, then every alias: one run on each side, modprobe -a
# printing each NAME's list in turn as --show-depends does.
sed -n 's/^\([^:]*\):.*/\1/p' "$moddir/modules.dep" | sed 's|.*/||; s|\..*||' > names
{
	awk '$1 == "alias" { print $2 }' "$moddir/modules.alias"
	tr '\0' '\n' < "$moddir/modules.builtin.modinfo" | sed -n 's/^[^.]*\.alias=//p'
} | sed 's/\[\(.\)[^]]*\]/\1/g; s/\*//g; s/?/Z/g' | sort -u > aliases
awk '$1 == "alias" && NR % 5 == 0 { print $2 }' "$moddir/modules.symbols" > symbols
ok "the kernel has modules, aliases and symbols" \
	test "$(wc -l < names)" -gt 1000 -a "$(wc -l < aliases)" -gt 10000 -a -s symbols
# Only standard output: a warning on standard error would land anywhere
# in a block-buffered standard output.
for list in names aliases symbols; do
	# shellcheck disable=SC2046 # one argument per line
	theirs -a $(cat $list) > $list.theirs 2>/dev/null
	# shellcheck disable=SC2046
	ours $(cat $list) > $list.ours 2>/dev/null
	same_file $list.ours $list.theirs "every one of $(wc -l < $list) $list: modprobe's lines"
done

# --once: modprobe's lines across all the NAMEs, each kept where it first
# appears (the list an image and our modprobe load)
# shellcheck disable=SC2046
initramfs modules --moddir "$moddir" -D --once $(cat names) > once.ours 2>/dev/null
awk '!seen[$0]++' names.theirs > once.theirs
same_file once.ours once.theirs "--once: each module where modprobe first lists it"

# A path pattern probes each module it matches, in modules.dep's order:
# modprobe -a of those names.
grep -o '^kernel/drivers/virtio/[^:]*' "$moddir/modules.dep" | sed 's|.*/||; s|\..*||' > virtio
ok "kernel/drivers/virtio/ holds modules" test "$(wc -l < virtio)" -gt 3
# shellcheck disable=SC2046
is "$(ours 'kernel/drivers/virtio/*')" "$(theirs -a $(cat virtio))" \
	"kernel/drivers/virtio/*: each module it matches, as modprobe -a lists them"
is "$(ours kernel/fs/ext4/ext4)" "$(theirs ext4)" "a path without .ko: that module"

done_testing
