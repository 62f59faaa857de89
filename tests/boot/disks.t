#!/bin/sh
# The disks boot tests put under the kernel, checked without booting:
# tests/lib/disk.sh makes a real root with root-init as /sbin/init, an
# image of it in every filesystem it knows, swap, GPT and MBR disks, and
# the tools that read disks on the host (blkid -p, sfdisk --dump, and
# each filesystem's own reader) find there the labels, UUIDs,
# PARTLABELs, PARTUUIDs, types and files asked for. root-init --print
# gives the report the guest would give.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/disk.sh"
LC_ALL=C
export LC_ALL

command -v musl-gcc >/dev/null 2>&1 || skip_all "musl-gcc is not installed (musl-tools)"
command -v blkid >/dev/null 2>&1 || skip_all "blkid is not installed (util-linux)"
command -v sfdisk >/dev/null 2>&1 || skip_all "sfdisk is not installed (fdisk)"
cd "$T" || exit 1

# The values asked for; blkid prints UUIDs in lower case.
LABEL=esroot
UUID=5e0c0a7e-1b2c-4d3e-8f40-0123456789ab
GREETING="greeting from disks.t"

# --- the real root -----------------------------------------------------

DISK_GREETING=$GREETING disk_root_tree root 2> tree.err
ok "disk_root_tree populates a directory" test -x root/sbin/init ||
	{ diag "$(cat tree.err)"; done_testing; exit; }
for _d in proc sys dev run tmp root; do
	ok "the root has an empty /$_d" test -d "root/$_d" -a -z "$(ls -A "root/$_d")"
done
is "$(cat root/etc/greeting)" "$GREETING" "/etc/greeting holds DISK_GREETING"
ok "the root has an /etc/os-release (systemd wants one)" grep -q "^ID=" root/etc/os-release
is "$(stat -c %a root/tmp)" 1777 "/tmp is 1777"
ri=$(disk_root_init)
same_file root/sbin/init "$ri" "/sbin/init is the cached root-init"
case $ri in
"$ES_CACHE"/root-init/root-init-*) _where=cache ;;
"$T"/*) _where=T ;;
*) _where="elsewhere: $ri" ;;
esac
like "$_where" '^(cache|T)$' "root-init is kept in \$ES_CACHE/root-init or \$T"
_m1=$(stat -c %Y "$ri")
DISK_GREETING=$GREETING disk_root_tree root2
is "$(stat -c %Y "$(disk_root_init)")" "$_m1" "a second tree reuses the compiled root-init"

# root-init --print: the report, without the reboot.
root/sbin/init --print one "two words" > print.out 2> print.err
is "$?" 0 "root-init --print exits 0"
is "$(head -n 1 print.out)" "ROOT-INIT: hello from the real root" "the report opens with ROOT-INIT"
is "$(sed -n 's/^ROOT-ARGV: //p' print.out | sed 1d)" "$(printf '%s\n' --print one "two words")" \
	"ROOT-ARGV: one line per argument, spaces kept"
is "$(sed -n 's/^ROOT-ARGV: //p' print.out | head -n 1)" "root/sbin/init" "ROOT-ARGV: argv[0] comes first"
if [ -r /proc/mounts ]; then
	like "$(grep '^ROOT-MOUNT: ' print.out)" '^ROOT-MOUNT: [^ ]+ / ' "ROOT-MOUNT: the line of the mount on /"
	is "$(grep -c '^ROOT-MOUNT: ' print.out)$(grep -c '^ROOT-MOUNTS: ' print.out)" \
		"$(awk '$2 == "/"' /proc/mounts | wc -l)$(awk '$2 != "/"' /proc/mounts | wc -l)" \
		"ROOT-MOUNT and ROOT-MOUNTS: every line of /proc/mounts, once"
	like "$(grep '^ROOT-UPTIME: ' print.out)" '^ROOT-UPTIME: [0-9]+\.[0-9]+$' "ROOT-UPTIME: seconds"
else
	skip "no /proc/mounts on this host"
	skip "no /proc/mounts on this host"
	skip "no /proc/uptime on this host"
fi
is "$(sed -n 's/^ROOT-FILES: //p' print.out)" "$(ls -A / | sort | tr '\n' ' ' | sed 's/ $//')" \
	"ROOT-FILES: the names in /, sorted"
is "$(tail -n 1 print.out)" ROOT-END "the report ends with ROOT-END"
ok "root-init writes nothing on stderr" test ! -s print.err

# In a root without /proc the report says so and still ends.
if [ "$(id -u)" = 0 ] && command -v chroot >/dev/null 2>&1; then
	chroot root /sbin/init --print > chroot.out 2>&1
	like "$(cat chroot.out)" 'ROOT-ERROR: /proc is not mounted' "without /proc: root-init says so"
	is "$(sed -n 's/^ROOT-GREETING: //p' chroot.out)|$(tail -n 1 chroot.out)" "$GREETING|ROOT-END" \
		"without /proc: the greeting, then ROOT-END"
else
	skip "chroot needs root"
	skip "chroot needs root"
fi

# --- filesystems --------------------------------------------------------

# blkid_of FILE [OFFSET]: TYPE LABEL UUID as blkid -p finds them.
blkid_of() {
	blkid -p ${2:+-O "$2"} -o export "$1" 2>/dev/null |
		sed -n 's/^\(TYPE\|LABEL\|UUID\)=/\1=/p' | sort | tr '\n' ' ' | sed 's/ $//'
}

# greeting_of FS IMAGE: /etc/greeting as FS's own reader sees it in
# IMAGE, or "no reader" when the host has none.
greeting_of() {
	case $1 in
	ext*) command -v debugfs >/dev/null && debugfs -R 'cat /etc/greeting' "$2" 2>/dev/null ;;
	squashfs) unsquashfs -cat "$2" etc/greeting 2>/dev/null ;;
	vfat) MTOOLS_SKIP_CHECK=1 mtype -i "$2" ::/etc/greeting 2>/dev/null ;;
	iso9660) command -v isoinfo >/dev/null && isoinfo -R -i "$2" -x /etc/greeting 2>/dev/null ;;
	erofs)
		fsck.erofs --extract="$T/x.$1" "$2" >/dev/null 2>&1 && cat "$T/x.$1/etc/greeting" ;;
	btrfs)
		mkdir -p "$T/x.$1" && btrfs restore "$2" "$T/x.$1" >/dev/null 2>&1 &&
			cat "$T/x.$1/etc/greeting" ;;
	xfs)
		# xfs_db lists; the content would need block maps: the name
		# and size of /sbin/init do.
		xfs_db -r -c 'ls /sbin' "$2" 2>/dev/null |
			awk '$3 == "regular" && $6 == "init" { print $6 }' ;;
	*) echo "no reader" ;;
	esac
}

FSLIST="ext2 ext3 ext4 xfs btrfs vfat squashfs erofs f2fs iso9660"
for fs in $FSLIST; do
	if ! disk_tools "$fs" 2> tools.err; then
		skip "$fs: $(cat tools.err)"
		continue
	fi
	_l='' _u=''
	disk_fs_supports "$fs" label && _l=$LABEL
	if disk_fs_supports "$fs" uuid; then
		case $fs in
		vfat) _u=5E0C-0A7E ;;
		iso9660) _u=2023-04-05-06-07-08-09 ;;
		*) _u=$UUID ;;
		esac
	fi
	disk_fs "$fs" root "$fs.img" "$_l" "$_u" 2> fs.err
	_rc=$?
	_want="${_l:+LABEL=$_l }TYPE=$fs${_u:+ UUID=$_u}"
	is "$_rc:$(blkid_of "$fs.img")" "0:$_want" "$fs: blkid -p sees type, label and UUID" ||
		diag "$(cat fs.err)"
	case $fs in
	xfs) _g=init ;;
	*) _g=$GREETING ;;
	esac
	_got=$(greeting_of "$fs" "$fs.img")
	if [ "$_got" = "no reader" ]; then
		skip "$fs: no reader for the image on this host"
	else
		is "$_got" "$_g" "$fs: the image holds the tree (read back with its own tools)"
	fi
done

# Sparse: xfs's minimum of 300 MiB costs no disk.
if [ -f xfs.img ]; then
	_kb=$(du -k xfs.img | cut -f1)
	ok "xfs: the 300 MiB image takes under 8 MiB of disk ($_kb KiB)" test "$_kb" -lt 8192
else
	skip "no xfs image"
fi

# A label or UUID the filesystem cannot hold is ignored, with a note.
if disk_tools squashfs 2>/dev/null; then
	disk_fs squashfs root sq.img "$LABEL" "$UUID" 2> sq.err
	is "$?:$(blkid_of sq.img)" "0:TYPE=squashfs" "squashfs: label and UUID ignored"
	like "$(cat sq.err)" "squashfs has no label" "squashfs: a note says the label was ignored"
else
	skip "squashfs-tools missing"
	skip "squashfs-tools missing"
fi

disk_fs btrfz root bad.img 2> bad.err
is "$?:$(test -e bad.img && echo exists)" "1:" "an unknown filesystem fails and leaves no image"
like "$(cat bad.err)" "unknown filesystem 'btrfz'" "an unknown filesystem is named"
disk_fs vfat root bad.img "" nothex 2> bad.err
is "$?:$(test -e bad.img && echo exists)" "1:" "a malformed vfat UUID fails and leaves no image"

# --- swap ---------------------------------------------------------------

SWAPUUID=0b5e7a11-0c0d-4e0f-9a1b-2c3d4e5f6a7b
disk_swap swap.img 12 "$SWAPUUID" esswap 2> swap.err
is "$?:$(blkid_of swap.img)" "0:LABEL=esswap TYPE=swap UUID=$SWAPUUID" "disk_swap: blkid -p sees swap, its label and UUID"
is "$(stat -c %s swap.img)" $((12 * 1048576)) "disk_swap: the size asked for"
ok "disk_swap: nothing on stderr" test ! -s swap.err || diag "$(cat swap.err)"

# --- GPT ----------------------------------------------------------------

# dump_parts DISK: start, size, type, uuid and name of each partition as
# sfdisk --dump gives them, the device name left out.
dump_parts() {
	sfdisk --dump "$1" | sed -n 's/^[^ ]* : //p' | tr -s ' '
}

P1=11111111-2222-4333-8444-000000000001
P2=11111111-2222-4333-8444-000000000002
P3=11111111-2222-4333-8444-000000000003
if [ -f ext4.img ]; then
	disk_gpt gpt.img "ext4.img:es root:$P1" "swap.img:es swap:$P2" ":empty:$P3" 2> gpt.err
	ok "disk_gpt: a disk of ext4, swap and an empty partition" test $? = 0 ||
		diag "$(cat gpt.err)"
	is "$(sfdisk --dump gpt.img | sed -n 's/^label-id: //p')" "$DISK_GPT_GUID" "disk_gpt: the disk GUID is DISK_GPT_GUID"
	is "$(dump_parts gpt.img)" "$(cat <<-EOF
	start= 2048, size= 16384, type=$DISK_GPT_LINUX, uuid=$(echo "$P1" | tr a-f A-F), name="es root"
	start= 18432, size= 24576, type=$DISK_GPT_SWAP, uuid=$(echo "$P2" | tr a-f A-F), name="es swap"
	start= 43008, size= 16384, type=$DISK_GPT_LINUX, uuid=$(echo "$P3" | tr a-f A-F), name="empty"
	EOF
	)" "disk_gpt: 1 MiB aligned partitions, sized to their images, with types, PARTUUIDs and PARTLABELs"
	is "$(blkid -p -o export gpt.img | sed -n 's/^PTUUID=//p')" "$(echo "$DISK_GPT_GUID" | tr A-F a-f)" \
		"disk_gpt: blkid -p sees the GPT"
	_o1=$(disk_part_offset gpt.img 1) _o2=$(disk_part_offset gpt.img 2) _o3=$(disk_part_offset gpt.img 3)
	is "$_o1 $_o2 $_o3" "1048576 9437184 22020096" "disk_part_offset: the byte offsets of the partitions"
	is "$(blkid_of gpt.img "$_o1")" "LABEL=$LABEL TYPE=ext4 UUID=$UUID" "disk_gpt: partition 1 holds the ext4 image"
	is "$(blkid_of gpt.img "$_o2")" "LABEL=esswap TYPE=swap UUID=$SWAPUUID" "disk_gpt: partition 2 holds the swap area"
	is "$(blkid_of gpt.img "$_o3")" "" "disk_gpt: partition 3 is unformatted"
	# the whole disk: 1 MiB, the partitions, 1 MiB for the backup GPT
	is "$(stat -c %s gpt.img)" $(((1 + 8 + 12 + 8 + 1) * 1048576)) "disk_gpt: the disk is no larger than needed"
	ok "disk_gpt: sparse (under 4 MiB of disk)" test "$(du -k gpt.img | cut -f1)" -lt 4096
	ok "disk_gpt: no scratch file left" test -z "$(ls gpt.img.* 2>/dev/null)"
	dd if=gpt.img bs=1M skip=1 count=8 status=none | cmp -s - ext4.img
	ok "disk_gpt: partition 1 is the ext4 image, byte for byte" test $? = 0
else
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12; do skip "no ext4 image"; done
fi

disk_gpt bad.img "ext4.img:only-two" 2> bad.err
is "$?:$(ls bad.img* 2>/dev/null)" "1:" "disk_gpt: a malformed PART fails and leaves nothing"
like "$(cat bad.err)" "IMAGEFILE:PARTLABEL:PARTUUID, not 'ext4.img:only-two'" "disk_gpt: the malformed PART is named"
disk_gpt bad.img "missing.img:x:$P1" 2> bad.err
is "$?:$(ls bad.img* 2>/dev/null)" "1:" "disk_gpt: a missing image fails and leaves nothing"

# --- MBR ----------------------------------------------------------------

if [ -f ext4.img ]; then
	disk_mbr mbr.img 0x1234abcd ext4.img:83 swap.img:82 :83 2> mbr.err
	ok "disk_mbr: a disk of ext4, swap and an empty partition" test $? = 0 ||
		diag "$(cat mbr.err)"
	is "$(sfdisk --dump mbr.img | sed -n 's/^label-id: //p')" 0x1234abcd "disk_mbr: the disk identifier"
	is "$(dump_parts mbr.img)" "$(cat <<-EOF
	start= 2048, size= 16384, type=83
	start= 18432, size= 24576, type=82
	start= 43008, size= 16384, type=83
	EOF
	)" "disk_mbr: 1 MiB aligned partitions of the types asked for"
	is "$(blkid_of mbr.img "$(disk_part_offset mbr.img 1)")" "LABEL=$LABEL TYPE=ext4 UUID=$UUID" \
		"disk_mbr: partition 1 holds the ext4 image"
	is "$(blkid_of mbr.img "$(disk_part_offset mbr.img 2)")" "LABEL=esswap TYPE=swap UUID=$SWAPUUID" \
		"disk_mbr: partition 2 holds the swap area"
	is "$(blkid -p -o export mbr.img | sed -n 's/^PTUUID=//p')" 1234abcd "disk_mbr: blkid -p sees the MBR"
else
	for _i in 1 2 3 4 5 6; do skip "no ext4 image"; done
fi
disk_mbr bad.img 1234abcd ext4.img:83 2> bad.err
is "$?:$(ls bad.img* 2>/dev/null)" "1:" "disk_mbr: a disk id without 0x fails and leaves nothing"
disk_mbr bad.img 0x1234abcd :83 :83 :83 :83 :83 2> bad.err
like "$(cat bad.err)" "at most 4 primary partitions" "disk_mbr: a fifth partition is refused"

done_testing
