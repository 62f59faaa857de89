#!/bin/sh
# fstype on real images made by each filesystem's own mkfs (in sparse
# files: no loop device, no mount), and on GPT and MBR disks made by
# sfdisk. Two oracles: klibc's fstype for FSTYPE/FSSIZE (same output
# and exit status wherever klibc knows the type) and blkid -p for what
# `fstype -v` adds: TYPE, UUID, LABEL, and PTTYPE, PTUUID and each
# partition's PARTUUID, PARTLABEL, type, start and size (partx, which
# reads the table through libblkid). A missing mkfs skips its case.
. "$(dirname "$0")/../lib/tap.sh"
PATH=$PATH:/usr/sbin:/sbin

KINIT=$BIN/kinit
KLIBC=${KLIBC_FSTYPE:-/usr/lib/klibc/bin/fstype}
[ -x "$KINIT" ] || skip_all "$KINIT is not built"
command -v blkid > /dev/null || skip_all "blkid is not installed"

have() { command -v "$1" > /dev/null; }

# Our value of VAR (FSTYPE, LABEL, PART2_UUID ...) for IMG: -v's output
# is meant for eval, quoting included.
ours() {
	(eval "$("$KINIT" fstype -v "$1" 2> /dev/null)"
	 eval "printf '%s' \"\${$2:-}\"")
}

# TYPE, UUID and LABEL as blkid reads them (raw bytes: -o value).
same_as_blkid() { # IMG DESCRIPTION
	for tag in TYPE UUID LABEL; do
		is "$(ours "$1" $tag)" "$(blkid -p -o value -s $tag "$1")" "$2: $tag as blkid's"
	done
}

# The whole output and the exit status, as klibc's fstype.
same_as_klibc() { # IMG DESCRIPTION
	if [ ! -x "$KLIBC" ]; then
		skip "klibc's fstype is not installed"
		return
	fi
	want=$("$KLIBC" "$1"; echo "exit $?")
	is "$("$KINIT" fstype "$1"; echo "exit $?")" "$want" "$2: as klibc's fstype"
}

# ---- filesystems ----

for fs in ext2 ext3 ext4; do
	truncate -s 8M "$T/$fs"
	mke2fs -q -F -t $fs -L "lab-$fs" "$T/$fs"
	same_as_klibc "$T/$fs" $fs
	same_as_blkid "$T/$fs" $fs
done

# A label that needs quoting and UTF-8: eval must give it back.
truncate -s 8M "$T/ext4q"
mke2fs -q -F -t ext4 -L "l'ä b\$x" "$T/ext4q"
same_as_blkid "$T/ext4q" "ext4, label with a quote, a space and UTF-8"
rm -f "$T"/ext*

if have mkfs.xfs; then
	truncate -s 300M "$T/xfs"
	mkfs.xfs -q -f -L xfslabel "$T/xfs"
	same_as_klibc "$T/xfs" xfs
	same_as_blkid "$T/xfs" xfs
	rm -f "$T/xfs"
else
	skip "mkfs.xfs is not installed"
fi

if have mkfs.btrfs; then
	truncate -s 120M "$T/btrfs"
	mkfs.btrfs -q -f -L "btrfs label" "$T/btrfs" > /dev/null
	same_as_klibc "$T/btrfs" btrfs
	same_as_blkid "$T/btrfs" btrfs
	rm -f "$T/btrfs"
else
	skip "mkfs.btrfs is not installed"
fi

if have mkfs.vfat; then
	for bits in 12 16 32; do
		truncate -s 40M "$T/fat$bits"
		mkfs.vfat -F $bits -n "FAT$bits LBL" -i 1234abcd "$T/fat$bits" > /dev/null
		same_as_blkid "$T/fat$bits" "FAT$bits"
		is "$("$KINIT" fstype "$T/fat$bits")" "FSTYPE=vfat
FSSIZE=41943040" "FAT$bits: vfat and its size (klibc has no FAT)"
		rm -f "$T/fat$bits"
	done
	# A label set later lives in the root directory, not the BPB.
	if have mlabel; then
		truncate -s 40M "$T/fatdir"
		mkfs.vfat -F 16 -n BOOTLBL "$T/fatdir" > /dev/null
		MTOOLS_SKIP_CHECK=1 mlabel -i "$T/fatdir" ::DIRLBL
		same_as_blkid "$T/fatdir" "FAT16 relabelled by mlabel"
		rm -f "$T/fatdir"
	else
		skip "mlabel is not installed"
	fi
else
	skip "mkfs.vfat is not installed"
fi

if have genisoimage; then
	mkdir -p "$T/tree/dir"
	echo hello > "$T/tree/dir/file"
	genisoimage -quiet -V ISOLABEL -o "$T/iso" "$T/tree" 2> /dev/null
	same_as_klibc "$T/iso" iso9660
	same_as_blkid "$T/iso" iso9660
	genisoimage -quiet -J -V "Long Volume Label With Spaces 12" \
		-o "$T/joliet" "$T/tree" 2> /dev/null
	same_as_klibc "$T/joliet" "iso9660 with Joliet"
	same_as_blkid "$T/joliet" "iso9660 with Joliet"
	rm -f "$T/iso" "$T/joliet"
else
	skip "genisoimage is not installed"
fi

if have mksquashfs; then
	mkdir -p "$T/tree"
	echo hello > "$T/tree/file"
	mksquashfs "$T/tree" "$T/squashfs" -quiet -noappend > /dev/null
	same_as_blkid "$T/squashfs" squashfs
	# klibc reads version 3's bytes_used field (offset 63) in version 4
	# superblocks; ours is the real one, at offset 40.
	used=$(od -An -tu8 -j40 -N8 "$T/squashfs" | tr -d ' ')
	is "$("$KINIT" fstype "$T/squashfs")" "FSTYPE=squashfs
FSSIZE=$used" "squashfs: FSSIZE is bytes_used"
	rm -f "$T/squashfs"
else
	skip "mksquashfs is not installed"
fi

if have mkfs.erofs; then
	mkdir -p "$T/tree"
	mkfs.erofs -U 01234567-89ab-cdef-0123-456789abcdef "$T/erofs" "$T/tree" \
		> /dev/null 2>&1
	same_as_blkid "$T/erofs" erofs
	rm -f "$T/erofs"
else
	skip "mkfs.erofs is not installed"
fi

if have mkfs.f2fs; then
	truncate -s 64M "$T/f2fs"
	mkfs.f2fs -q -l "f2fs label" "$T/f2fs" > /dev/null
	same_as_blkid "$T/f2fs" f2fs
	rm -f "$T/f2fs"
else
	skip "mkfs.f2fs is not installed"
fi

if have mkswap; then
	truncate -s 4M "$T/swap"
	mkswap -L swaplabel -U 11111111-2222-3333-4444-555555555555 "$T/swap" \
		> /dev/null 2>&1
	same_as_klibc "$T/swap" swap
	same_as_blkid "$T/swap" swap
	# What the kernel writes over the signature when it hibernates.
	printf 'S1SUSPEND\0' |
		dd of="$T/swap" bs=1 seek=4086 conv=notrunc 2> /dev/null
	same_as_klibc "$T/swap" "hibernation image"
	same_as_blkid "$T/swap" "hibernation image"
	rm -f "$T/swap"
else
	skip "mkswap is not installed"
fi

if have mkfs.cramfs; then
	mkdir -p "$T/tree"
	mkfs.cramfs -n crlabel "$T/tree" "$T/cramfs" > /dev/null
	same_as_klibc "$T/cramfs" cramfs
	same_as_blkid "$T/cramfs" cramfs
	rm -f "$T/cramfs"
else
	skip "mkfs.cramfs is not installed"
fi

if have mkfs.minix; then
	for v in 1 2 3; do
		truncate -s 4M "$T/minix$v"
		mkfs.minix -$v "$T/minix$v" > /dev/null
		same_as_blkid "$T/minix$v" "minix v$v"
	done
	same_as_klibc "$T/minix1" "minix v1"
	rm -f "$T"/minix*
else
	skip "mkfs.minix is not installed"
fi

head -c 100000 /dev/urandom | gzip -c > "$T/gz"
same_as_klibc "$T/gz" gzip

# ---- partition tables ----

# partx -r's escaping: bytes other than printable ASCII as \xHH.
partx_escape() {
	printf '%s' "$1" | od -An -v -tx1 | tr -s ' ' '\n' | while read -r h; do
		[ -n "$h" ] || continue
		d=$(printf '%d' "0x$h")
		if [ "$d" -gt 32 ] && [ "$d" -lt 127 ] && [ "$d" -ne 92 ]; then
			printf "\\$(printf '%03o' "$d")"
		else
			printf '\\x%s' "$h"
		fi
	done
}

# Every partition partx lists (through libblkid), field by field.
same_parts() { # IMG DESCRIPTION
	for tag in PTTYPE PTUUID; do
		is "$(ours "$1" $tag)" "$(blkid -p -o value -s $tag "$1")" "$2: $tag as blkid's"
	done
	partx -g -r -o NR,START,SECTORS,TYPE,UUID,NAME "$1" > "$T/partx"
	n=0
	while read -r nr start sectors type uuid name; do
		n=$((n + 1))
		got="$nr $(ours "$1" PART${nr}_START) $(ours "$1" PART${nr}_SECTORS)"
		got="$got $(ours "$1" PART${nr}_TYPE) $(ours "$1" PART${nr}_UUID)"
		got="$got $(partx_escape "$(ours "$1" PART${nr}_LABEL)")"
		is "$got" "$nr $start $sectors $type $uuid $name" \
			"$2: partition $nr as partx's"
	done < "$T/partx"
	is "$("$KINIT" fstype -v "$1" | grep -c '_UUID=')" "$n" "$2: $n partitions, no more"
}

if have sfdisk && have partx; then
	truncate -s 64M "$T/gpt"
	sfdisk -q "$T/gpt" << 'EOF'
label: gpt
label-id: 01234567-89AB-CDEF-0123-456789ABCDEF
start=2048, size=20480, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=11111111-2222-3333-4444-555555555555, name="root fs"
size=10240, type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F, name="swäp"
size=4096, name="third"
EOF
	same_parts "$T/gpt" GPT
	is "$("$KINIT" fstype -v "$T/gpt" > /dev/null; echo $?)" 0 \
		"GPT: a table alone counts as identified with -v"
	is "$("$KINIT" fstype "$T/gpt"; echo $?)" "FSTYPE=unknown
FSSIZE=0
1" "GPT: without -v only the filesystem counts"
	# The primary header damaged: the backup at the last LBA is read.
	printf 'X' | dd of="$T/gpt" bs=1 seek=600 conv=notrunc 2> /dev/null
	is "$(ours "$T/gpt" PART1_UUID)" 11111111-2222-3333-4444-555555555555 \
		"GPT: backup header used when the primary is bad"
	rm -f "$T/gpt"

	truncate -s 64M "$T/mbr"
	sfdisk -q "$T/mbr" << 'EOF'
label: dos
label-id: 0xdeadbeef
start=2048, size=8192, type=83
size=8192, type=82
size=30000, type=5
size=4096, type=83
size=4096, type=83
size=2048, type=c
EOF
	same_parts "$T/mbr" "MBR with logical partitions"
	rm -f "$T/mbr"
else
	skip "sfdisk or partx is not installed"
fi

# ---- the command line ----

truncate -s 8M "$T/ext2"
mke2fs -q -F -t ext2 "$T/ext2"
is "$("$KINIT" fstype < "$T/ext2")" "$("$KINIT" fstype "$T/ext2")" "standard input"
is "$("$KINIT" fstype - < "$T/ext2")" "$("$KINIT" fstype "$T/ext2")" "- is standard input"
is "$(cd "$T" && "$KINIT" fstype -- ext2)" "$("$KINIT" fstype "$T/ext2")" "-- ends the options"

head -c 4096 /dev/zero > "$T/small"
is "$("$KINIT" fstype "$T/small"; echo "exit $?")" "FSTYPE=unknown
FSSIZE=0
exit 1" "a 4 KiB file is unknown (klibc fails to read 65 KiB)"

out=$("$KINIT" fstype "$T/missing" 2>&1; echo "exit $?")
like "$out" "^fstype: $T/missing: No such file or directory" "a missing file is named"
like "$out" "exit 2\$" "a missing file exits 2"
out=$("$KINIT" fstype a b 2>&1; echo "exit $?")
like "$out" "^usage: fstype" "two files: usage"
like "$out" "^exit 1\$" "two files: exit 1"
like "$("$KINIT" fstype -x 2>&1; echo "exit $?")" "unknown option -x" "unknown option"
like "$("$KINIT" fstype --help)" "PART<N>_UUID" "--help describes -v"
out=$("$KINIT" fstype "$T" 2>&1; echo "exit $?")
like "$out" "^fstype: $T: Is a directory" "a read error names the file"
like "$out" "exit 2\$" "a read error exits 2"

done_testing
