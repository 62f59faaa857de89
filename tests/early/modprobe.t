#!/bin/sh
# The modprobe applet of kinit against kmod's modprobe, on Debian's
# kernel (its .deb unpacked into the cache, the index written by depmod:
# tests/lib/kernel.sh) and on the index an image of ours carries. Both
# run with -d ROOT -S RELEASE (kmod also with -C /dev/null: the host's
# modprobe.d has no say; ours reads none), so nothing is ever loaded:
# --show-depends must print kmod's lines byte for byte (softdeps first,
# dependencies deepest first, kmod's repeats, "builtin NAME", module
# parameters from the kernel command line and from the words after the
# module), -n -v what a load would insert (ours opens each file, as a
# real load does, and stops before finit_module), and unknown names
# kmod's messages and exit status; -q stays silent.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/kernel.sh"
LC_ALL=C
export LC_ALL

need_kmod_modprobe
DEPMOD=$(command -v depmod) ||
	for DEPMOD in /sbin/depmod /usr/sbin/depmod ''; do
		[ -x "$DEPMOD" ] && break
	done
[ -x "$BIN/kinit" ] || skip_all "no $BIN/kinit (run make)"
moddir=$(kernel_moddir) || skip_all "Debian's kernel cannot be had"
release=${moddir##*/}
base=${moddir%/lib/modules/*}
cd "$T" || exit 1
# The applet by its name, as the image links it (/sbin/modprobe).
ln -s "$BIN/kinit" modprobe

# ROOT ARGS...: both sides, standard output and error together
theirs() { _r=$1; shift; "$MODPROBE" -C /dev/null -d "$_r" -S "$release" "$@" 2>&1; }
ours() { _r=$1; shift; ./modprobe -d "$_r" -S "$release" "$@" 2>&1; }
# DESCRIPTION ROOT ARGS...: the same output and the same exit status
same() {
	_d=$1; shift
	_o=$(ours "$@"; echo "exit $?")
	_t=$(theirs "$@"; echo "exit $?")
	is "$_o" "$_t" "$_d"
}

# The brief's names, the aliases the kernel asks for, a modalias, a
# symbol, built-in modules, one listing a module three times (sd_mod),
# one whose alias names a module and its own dependency (both probed).
for n in ext4 virtio_blk virtio_pci xfs btrfs nfs squashfs vfat isofs sd_mod \
	crypto-crc32c fs-ext4 fs-btrfs crypto-camellia \
	pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00 \
	virtio:d00000002v00001AF4 symbol:jbd2_journal_start hmac crc32c; do
	same "$n: modprobe --show-depends, line for line" "$base" --show-depends "$n"
done
like "$(ours "$base" --show-depends crypto-crc32c)" "crc32c-intel\\.ko $" \
	"crypto-crc32c: crc32c_intel is one of its modules"

# kmod's option forms, options after operands included (getopt_long's
# order), and "--" ending them.
is "$(./modprobe --dirname="$base" --set-version "$release" ext4 --show-depends -C /dev/null 2>&1)" \
	"$(theirs "$base" --show-depends ext4)" "long options, = or not, after the module"
is "$(./modprobe -qD -d"$base" -S"$release" -- ext4 2>&1)" \
	"$(theirs "$base" --show-depends ext4)" "-qD -dROOT -SVERSION -- MODULE"
out=$(./modprobe --no-such-option ext4 2>&1)
like "$?:$out" "^1:modprobe: unknown option or missing argument: --no-such-option" \
	"an unknown option: exit status 1, said"

# Words after the module are its parameters (quoted when they hold a
# blank); with an alias, every module it names gets them.
same "ext4 with parameters" "$base" --show-depends ext4 foo=1 "bar=a b"
same "an alias with parameters" "$base" --show-depends crypto-crc32c x=1
same "-a: each module's list in turn" "$base" -D -a ext4 xfs hmac

# Unknown names: kmod's message (FATAL, or WARNING for each of -a's),
# exit status 1; with -q nothing at all.
same "an unknown name: modprobe's message" "$base" no_such_module
same "-a with an unknown name" "$base" -n -a ext4 no_such_module
same "an unknown name with --show-depends" "$base" --show-depends no_such_module
same "a directory without an index: nothing is found" "$T/nowhere" ext4
out=$(./modprobe -q -d "$base" -S "$release" -- no_such_module 2>&1)
is "$?:$out" "1:" "-q -- UNKNOWN: exit status 1, not a word"
out=$(./modprobe -q -d "$base" -S "$release" -n -- fs-ext4 2>&1)
is "$?:$out" "0:" "-q -- fs-ext4 (request_module's call), dry: exit status 0"
out=$(./modprobe -q -n -d "$base" -S "$release" -- hmac 2>&1)
is "$?:$out" "0:" "a built-in module is there: exit status 0"
out=$(./modprobe -d "$base" -S "$release" 2>&1)
is "$?:$out" "1:modprobe: ERROR: missing parameters. See -h." "no MODULE: kmod's message"

# -n -v: what would be inserted, each module once. kmod's dry run lists
# its repeats (sd_mod's crct10dif_common), ours does not: they are
# inserted once. Modules the host has loaded are left out by both.
for n in ext4 fs-ext4 virtio_blk btrfs sd_mod; do
	is "$(ours "$base" -n -v "$n")" "$(theirs "$base" -n -v "$n" | awk '!seen[$0]++')" \
		"$n: modprobe -n -v, each module once"
done
out=$(./modprobe -n -v -d "$base" -S "$release" -r hmac 2>&1)
is "$?:$out" "1:modprobe: hmac is built into the kernel: it cannot be removed" \
	"-r of a built-in module: refused"

# Every module, alias and symbol the kernel's index knows: one -a run on
# each side (standard output only: standard error interleaves).
sed -n 's/^\([^:]*\):.*/\1/p' "$moddir/modules.dep" | sed 's|.*/||; s|\..*||' > names
{
	awk '$1 == "alias" { print $2 }' "$moddir/modules.alias"
	tr '\0' '\n' < "$moddir/modules.builtin.modinfo" | sed -n 's/^[^.]*\.alias=//p'
} | sed 's/\[\(.\)[^]]*\]/\1/g; s/\*//g; s/?/Z/g' | sort -u > aliases
awk '$1 == "alias" && NR % 5 == 0 { print $2 }' "$moddir/modules.symbols" > symbols
for list in names aliases symbols; do
	# shellcheck disable=SC2046 # one argument per line
	"$MODPROBE" -C /dev/null -d "$base" -S "$release" -D -a $(cat $list) > $list.theirs 2>/dev/null
	# shellcheck disable=SC2046
	./modprobe -d "$base" -S "$release" -D -a $(cat $list) > $list.ours 2>/dev/null
	same_file $list.ours $list.theirs "every one of $(wc -l < $list) $list: modprobe's lines"
done

# An image's index, written by our builder and read by ours: the same
# lines as kmod gives on the whole kernel's index, for what the image
# holds (its modules.dep lines are the kernel's, so the order is too).
# kmod reads only depmod's .bin files, so for the rest it reads a
# depmod'd copy of the extracted tree: unknown names, and every module
# and alias the image holds (compared as sets of lines: depmod may
# write a module's dependencies in another valid order).
if [ -z "$DEPMOD" ]; then
	skip "depmod (kmod) is not installed: no image comparison"
elif ! initramfs build --moddir "$moddir" --modules virtio_pci,virtio_blk,ext4 \
	-o img >build.log 2>&1 || ! initramfs extract img img.d >>build.log 2>&1; then
	diag "$(tail -n 5 build.log)"
	ok "an image with virtio_pci, virtio_blk and ext4 is built and extracted" false
else
	cp -a img.d dep.d
	"$DEPMOD" -C /dev/null -b "$T/dep.d" "$release" 2>depmod.log ||
		diag "$(cat depmod.log)"
	img=$T/img.d
	# ROOT ARGS...: kmod's output with ROOT's paths as the image's, and
	# its exit status
	theirs_as_img() {
		_o=$(theirs "$@"); _s=$?
		printf '%s\n' "$_o" | sed "s|^\(insmod \)*$1/|\1$img/|; s|directory $1/|directory $img/|"
		echo "exit $_s"
	}
	for n in virtio_pci virtio_blk ext4 fs-ext4 crypto-crc32c crc32c jbd2 hmac \
		pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00 \
		virtio:d00000002v00001AF4 symbol:jbd2_journal_start; do
		is "$(ours "$img" --show-depends "$n"; echo "exit $?")" \
			"$(theirs_as_img "$base" --show-depends "$n")" \
			"image: $n as kmod gives it from the whole kernel"
	done
	is "$(ours "$img" -D xfs; echo "exit $?")" "$(theirs_as_img "$T/dep.d" -D xfs)" \
		"image: a module it lacks is not found"
	is "$(ours "$img" -n -v fs-ext4)" \
		"$(theirs_as_img "$base" -n -v fs-ext4 | sed '$d' | awk '!seen[$0]++')" \
		"image: fs-ext4, modprobe -n -v (each file opened, none inserted)"
	sed -n 's/^\([^:]*\):.*/\1/p' "$img/lib/modules/$release/modules.dep" |
		sed 's|.*/||; s|\..*||' > img.names
	awk '$1 == "alias" { print $2 }' "$img/lib/modules/$release/modules.alias" |
		sed 's/\[\(.\)[^]]*\]/\1/g; s/\*//g; s/?/Z/g' | sort -u > img.aliases
	ok "the image holds 10 or more modules and their aliases" \
		test "$(wc -l < img.names)" -ge 10 -a -s img.aliases
	# shellcheck disable=SC2046 # one argument per line
	is "$(ours "$img" -D -a $(cat img.names img.aliases) | sort)" \
		"$(theirs_as_img "$T/dep.d" -D -a $(cat img.names img.aliases) | sed '$d' | sort)" \
		"image: every module and alias it holds, as kmod sees its depmod'd copy"
fi

done_testing
