# disk.sh - disks for boot tests, made in plain files: no loop device, no
# mount, no privileges. Source it after tap.sh (it needs T and ES_CACHE).
# Every function returns non-zero with the reason on stderr when it
# fails, "disk: TOOL is not installed (PACKAGE)" when a tool is missing,
# so that a caller can skip; an image it was making is removed then.
# Images are sparse where the tools allow (truncate, dd conv=sparse).
# /usr/sbin and /sbin are added to PATH: mke2fs and friends live there.
#
#   disk_root_tree DIR
#       populates DIR as a minimal real root: /sbin/init is root-init
#       (tests/boot/root-init.c, built with `musl-gcc -static -Os` once
#       and kept in $ES_CACHE/root-init/ under the source's checksum, or
#       in $T when the cache cannot be written), the empty directories
#       /proc /sys /dev /run /tmp /root, /etc/greeting holding
#       $DISK_GREETING (default "hello from the real root's disk") and an
#       /etc/os-release (systemd in a dracut image refuses to switch to a
#       root without one).
#   disk_root_init
#       prints the path of that compiled root-init (builds it if needed).
#   disk_tools FS
#       checks that the tools disk_fs needs for FS are installed.
#   disk_fs_supports FS label|uuid
#       succeeds when disk_fs can give an FS image a label (or a UUID).
#   disk_fs FS DIR OUT [LABEL] [UUID]
#       writes OUT, a filesystem image of type FS holding DIR's contents:
#       ext2 ext3 ext4 (mke2fs -d), xfs (mkfs.xfs -p with a protofile
#       made from DIR: names and the paths under DIR must not contain
#       white space or a colon), btrfs (mkfs.btrfs --rootdir), vfat
#       (mkfs.vfat, then mcopy -s; no symlinks, owners nor modes),
#       squashfs (mksquashfs -all-root), erofs (mkfs.erofs --all-root),
#       f2fs (mkfs.f2fs, then sload.f2fs) or iso9660 (genisoimage -R).
#       The size fits the contents with room to spare: twice their
#       size plus 8 MiB, at least what the filesystem needs (btrfs
#       128 MiB, f2fs 64 MiB, xfs 300 MiB, all sparse: the image is copied
#       with cp --sparse=always, which turns zeros into holes).
#       LABEL and UUID, when not empty, are written where the filesystem
#       has them (see disk_fs_supports; otherwise a note on stderr and
#       they are ignored). A UUID is given as blkid prints it: vfat's is
#       XXXX-XXXX (its volume id), iso9660's a date,
#       YYYY-MM-DD-HH-MM-SS-CC, written as the volume's creation and
#       modification times; squashfs has neither label nor UUID, erofs
#       a label only when mkfs.erofs takes -L (1.6 and later).
#   disk_swap OUT SIZE_MB [UUID] [LABEL]
#       writes OUT, a swap area of SIZE_MB MiB (mkswap).
#   disk_gpt OUT PART...
#       writes OUT, a GPT disk, its disk GUID $DISK_GPT_GUID (default
#       fixed, below), one partition per PART "IMAGEFILE:PARTLABEL:PARTUUID"
#       in order, the first at 1 MiB, each 1 MiB aligned and sized to
#       its image (rounded up to whole MiB), the image copied in. An
#       empty IMAGEFILE means an unformatted 8 MiB partition; an empty
#       PARTLABEL no name; an empty PARTUUID a random one. The type is
#       Linux swap for a swap image, Linux filesystem otherwise.
#   disk_mbr OUT DISKID PART...
#       writes OUT, an MBR disk with the disk identifier DISKID (0x and 8
#       hex digits: its partitions' PARTUUIDs are DISKID-01 ...), up to
#       four primary partitions PART "IMAGEFILE:TYPE" (TYPE in hex as
#       sfdisk takes it: 83, 82, c ...), laid out as disk_gpt does.
#   disk_part_offset DISK N
#       prints the byte offset of partition N (from 1) of DISK, from
#       sfdisk --dump, for `blkid -p -O OFFSET DISK`.

case ":$PATH:" in
*:/usr/sbin:*) ;;
*) PATH=$PATH:/usr/sbin:/sbin ;;
esac

DISK_GREETING=${DISK_GREETING:-"hello from the real root's disk"}
DISK_GPT_GUID=${DISK_GPT_GUID:-8E4A1F5C-3B2D-4C6E-9A7B-E5A5CE0D15C0}
DISK_GPT_LINUX=0FC63DAF-8483-4772-8E79-3D69D8477DE4
DISK_GPT_SWAP=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F

_disk_fail() { printf 'disk: %s\n' "$*" >&2; return 1; }

# _disk_need TOOL PACKAGE: TOOL is on PATH, or say which package has it.
_disk_need() {
	command -v "$1" >/dev/null 2>&1 ||
		_disk_fail "$1 is not installed ($2)"
}

# _disk_abs PATH: PATH made absolute (its directory must exist).
_disk_abs() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$(pwd)" "$1" ;;
	esac
}

# _disk_sum FILE: a checksum of FILE's content, for cache keys.
_disk_sum() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum < "$1" | cut -c1-16
	else
		cksum < "$1" | tr ' ' -
	fi
}

disk_root_init() {
	_ri_src=$TOP/tests/boot/root-init.c
	[ -f "$_ri_src" ] || { _disk_fail "$_ri_src is missing"; return 1; }
	_disk_need musl-gcc musl-tools || return 1
	_ri_key=$(_disk_sum "$_ri_src") || return 1
	_ri_dir=$ES_CACHE/root-init
	mkdir -p "$_ri_dir" 2>/dev/null && [ -w "$_ri_dir" ] || _ri_dir=$T
	_ri_bin=$_ri_dir/root-init-$_ri_key
	if [ ! -x "$_ri_bin" ]; then
		# Built beside and renamed: a concurrent test sees all or nothing.
		if ! musl-gcc -static -Os -o "$_ri_bin.$$" "$_ri_src" 2>"$_ri_bin.$$.log"; then
			_disk_fail "musl-gcc cannot build root-init: $(head -n 3 "$_ri_bin.$$.log")"
			rm -f "$_ri_bin.$$" "$_ri_bin.$$.log"
			return 1
		fi
		rm -f "$_ri_bin.$$.log"
		mv -f "$_ri_bin.$$" "$_ri_bin" || return 1
	fi
	printf '%s\n' "$_ri_bin"
}

disk_root_tree() {
	_rt_init=$(disk_root_init) || return 1
	for _rt_d in sbin proc sys dev run tmp root etc; do
		mkdir -p "$1/$_rt_d" || return 1
	done
	chmod 1777 "$1/tmp" && chmod 0700 "$1/root" &&
		cp "$_rt_init" "$1/sbin/init" && chmod 0755 "$1/sbin/init" &&
		printf '%s\n' "$DISK_GREETING" > "$1/etc/greeting" &&
		printf 'NAME="earlyspace test root"\nID=earlyspace-test\n' > "$1/etc/os-release"
}

disk_tools() {
	case $1 in
	ext2 | ext3 | ext4) _disk_need mke2fs e2fsprogs ;;
	xfs) _disk_need mkfs.xfs xfsprogs ;;
	btrfs) _disk_need mkfs.btrfs btrfs-progs ;;
	vfat) _disk_need mkfs.vfat dosfstools && _disk_need mcopy mtools ;;
	squashfs) _disk_need mksquashfs squashfs-tools ;;
	erofs) _disk_need mkfs.erofs erofs-utils ;;
	f2fs) _disk_need mkfs.f2fs f2fs-tools && _disk_need sload.f2fs f2fs-tools ;;
	iso9660) _disk_need genisoimage genisoimage ;;
	*) _disk_fail "unknown filesystem '$1' (ext2 ext3 ext4 xfs btrfs vfat squashfs erofs f2fs iso9660)" ;;
	esac &&
		_disk_need truncate coreutils
}

disk_fs_supports() {
	case $1:$2 in
	ext[234]:* | xfs:* | btrfs:* | vfat:* | f2fs:* | iso9660:*) return 0 ;;
	erofs:uuid) return 0 ;;
	erofs:label) mkfs.erofs --help 2>&1 | grep -q -- '^ *-L' ;;
	*) return 1 ;;
	esac
}

# _disk_size_mb DIR MIN_MB: twice DIR's size plus 8 MiB, at least MIN_MB.
_disk_size_mb() {
	_ds_kb=$(du -sk "$1" | cut -f1) || return 1
	_ds_mb=$((_ds_kb * 2 / 1024 + 8))
	[ "$_ds_mb" -ge "$2" ] || _ds_mb=$2
	printf '%s\n' "$_ds_mb"
}

# _disk_blank OUT MB: a new sparse file of MB MiB.
_disk_blank() {
	rm -f "$1" && truncate -s "${2}M" "$1"
}

# _disk_proto REL: the protofile lines of the entries of directory REL
# (relative to the current directory, where mkfs.xfs will run), then the
# "$" that closes it. A subshell: its variables are its own in recursion.
_disk_proto() (
	find "$1" -mindepth 1 -maxdepth 1 | LC_ALL=C sort | while IFS= read -r _xp_p; do
		_xp_n=${_xp_p##*/}
		case $_xp_n in
		*[[:space:]:]*)
			_disk_fail "xfs: a protofile cannot hold the name '$_xp_p'"
			exit 1 ;;
		esac
		# shellcheck disable=SC2046 # the fields are meant to split
		set -- $(stat -c '%f %u %g %t %T' "$_xp_p") || exit 1
		_xp_m=$((0x$1))
		_xp_mode=$(printf '%03o' $((_xp_m & 0777)))
		[ $((_xp_m & 02000)) = 0 ] && _xp_mode=-$_xp_mode || _xp_mode=g$_xp_mode
		[ $((_xp_m & 04000)) = 0 ] && _xp_mode=-$_xp_mode || _xp_mode=u$_xp_mode
		case $((_xp_m & 0170000)) in
		$((0100000))) echo "$_xp_n -$_xp_mode $2 $3 $_xp_p" ;;
		$((0040000)))
			echo "$_xp_n d$_xp_mode $2 $3"
			_disk_proto "$_xp_p" || exit 1 ;;
		$((0120000))) echo "$_xp_n l$_xp_mode $2 $3 $(readlink "$_xp_p")" ;;
		$((0020000))) echo "$_xp_n c$_xp_mode $2 $3 $((0x$4)) $((0x$5))" ;;
		$((0060000))) echo "$_xp_n b$_xp_mode $2 $3 $((0x$4)) $((0x$5))" ;;
		$((0010000))) echo "$_xp_n p$_xp_mode $2 $3" ;;
		*) echo "disk: xfs: socket $_xp_p left out" >&2 ;;
		esac
	done || exit 1
	echo '$'
)

# _disk_xfs DIR OUT LABEL UUID
_disk_xfs() {
	case $1 in
	*[[:space:]:]*) _disk_fail "xfs: a protofile cannot name files under '$1'"; return 1 ;;
	esac
	_dx_mb=$(_disk_size_mb "$1" 300) && _disk_blank "$2" "$_dx_mb" || return 1
	_dx_proto=$2.proto
	# The first two lines are historical and ignored; then the root.
	{
		echo earlyspace
		echo '0 0'
		echo "d--$(stat -c '%a %u %g' "$1" | sed 's/^[0-9]*\([0-7][0-7][0-7]\) /\1 /')"
		(cd "$1" && _disk_proto .) || exit 1
	} > "$_dx_proto" || { rm -f "$_dx_proto"; return 1; }
	(cd "$1" && mkfs.xfs -q -f -p "$_dx_proto" ${3:+-L "$3"} ${4:+-m "uuid=$4"} "$2") >/dev/null
	_dx_rc=$?
	rm -f "$_dx_proto"
	return $_dx_rc
}

# _disk_vfat DIR OUT LABEL UUID
_disk_vfat() {
	_dv_id=$(printf '%s' "$4" | tr -d -)
	case $_dv_id in
	'') ;;
	[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]) ;;
	*) _disk_fail "vfat: a UUID is 8 hex digits, XXXX-XXXX, not '$4'"; return 1 ;;
	esac
	_dv_mb=$(_disk_size_mb "$1" 8) && _disk_blank "$2" "$_dv_mb" || return 1
	mkfs.vfat ${3:+-n "$3"} ${_dv_id:+-i "$_dv_id"} "$2" >/dev/null || return 1
	# mcopy wants the target last; -s recurses, -p -m keep what FAT can.
	MTOOLS_SKIP_CHECK=1 find "$1" -mindepth 1 -maxdepth 1 -exec \
		sh -c 'out=$1; shift; mcopy -s -p -m -Q -i "$out" "$@" ::/' sh "$2" {} +
}

# _disk_iso_date OUT UUID: blkid's UUID of an ISO 9660 volume is its
# creation (or modification) time in the primary volume descriptor
# (sector 16): digits at offsets 813 and 830, then a time zone byte.
_disk_iso_date() {
	case $2 in
	[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]-[0-9][0-9]-[0-9][0-9]-[0-9][0-9]-[0-9][0-9]) ;;
	*) _disk_fail "iso9660: a UUID is a date, YYYY-MM-DD-HH-MM-SS-CC, not '$2'"; return 1 ;;
	esac
	_di_d=$(printf '%s' "$2" | tr -d -)
	for _di_off in 813 830; do
		printf '%s\000' "$_di_d" |
			dd of="$1" bs=1 seek=$((32768 + _di_off)) conv=notrunc status=none || return 1
	done
}

# _disk_fs FS DIR OUT LABEL UUID: the filesystem's own tools at work.
_disk_fs() {
	case $1 in
	ext2 | ext3 | ext4)
		_df_mb=$(_disk_size_mb "$2" 8) && _disk_blank "$3" "$_df_mb" &&
			mke2fs -q -F -t "$1" ${4:+-L "$4"} ${5:+-U "$5"} -d "$2" "$3" ;;
	xfs) _disk_xfs "$2" "$3" "$4" "$5" ;;
	btrfs)
		_df_mb=$(_disk_size_mb "$2" 128) && _disk_blank "$3" "$_df_mb" &&
			mkfs.btrfs -q -f ${4:+-L "$4"} ${5:+-U "$5"} --rootdir "$2" "$3" >/dev/null ;;
	vfat) _disk_vfat "$2" "$3" "$4" "$5" ;;
	squashfs)
		rm -f "$3" &&
			mksquashfs "$2" "$3" -noappend -all-root -quiet -no-progress >/dev/null ;;
	erofs)
		rm -f "$3" &&
			mkfs.erofs --quiet --all-root ${4:+-L "$4"} ${5:+-U "$5"} "$3" "$2" >/dev/null ;;
	f2fs)
		_df_mb=$(_disk_size_mb "$2" 64) && _disk_blank "$3" "$_df_mb" &&
			mkfs.f2fs -q -f ${4:+-l "$4"} ${5:+-U "$5"} "$3" >/dev/null &&
			sload.f2fs -f "$2" -t / "$3" >/dev/null ;;
	iso9660)
		rm -f "$3" &&
			genisoimage -quiet -R ${4:+-V "$4"} -o "$3" "$2" &&
			{ [ -z "$5" ] || _disk_iso_date "$3" "$5"; } ;;
	esac
}

disk_fs() {
	[ $# -ge 3 ] || { _disk_fail "usage: disk_fs FS DIR OUT [LABEL] [UUID]"; return 1; }
	disk_tools "$1" || return 1
	[ -d "$2" ] || { _disk_fail "$2 is not a directory"; return 1; }
	_dfs_label=${4:-} _dfs_uuid=${5:-}
	if [ -n "$_dfs_label" ] && ! disk_fs_supports "$1" label; then
		echo "disk: $1 has no label: '$_dfs_label' ignored" >&2
		_dfs_label=
	fi
	if [ -n "$_dfs_uuid" ] && ! disk_fs_supports "$1" uuid; then
		echo "disk: $1 has no UUID: '$_dfs_uuid' ignored" >&2
		_dfs_uuid=
	fi
	_dfs_out=$(_disk_abs "$3")
	if ! _disk_fs "$1" "$(_disk_abs "$2")" "$_dfs_out" "$_dfs_label" "$_dfs_uuid"; then
		rm -f "$_dfs_out"
		_disk_fail "cannot make the $1 image $3"
		return 1
	fi
	# mkfs.xfs allocates its 64 MiB log (zeros): a sparse copy drops it.
	if cp --sparse=always "$_dfs_out" "$_dfs_out.sparse" 2>/dev/null; then
		mv -f "$_dfs_out.sparse" "$_dfs_out"
	else
		rm -f "$_dfs_out.sparse"
	fi
}

disk_swap() {
	[ $# -ge 2 ] || { _disk_fail "usage: disk_swap OUT SIZE_MB [UUID] [LABEL]"; return 1; }
	_disk_need mkswap util-linux && _disk_need truncate coreutils || return 1
	# mkswap warns about a swap file others can read, and about its
	# holes: it is a disk image, never swapped on by this kernel.
	if ! _disk_blank "$1" "$2" || ! chmod 0600 "$1" ||
		! mkswap ${3:+-U "$3"} ${4:+-L "$4"} "$1" >"$1.log" 2>&1; then
		_disk_fail "cannot make the swap area $1: $(tail -n 3 "$1.log" 2>/dev/null)"
		rm -f "$1" "$1.log"
		return 1
	fi
	rm -f "$1.log"
}

# _disk_mib IMAGEFILE: its size in whole MiB, rounded up; 8 for none.
_disk_mib() {
	if [ -z "$1" ]; then
		echo 8
		return 0
	fi
	[ -f "$1" ] || { _disk_fail "$1: no such image"; return 1; }
	_dm_b=$(stat -c %s "$1") || return 1
	[ "$_dm_b" -gt 0 ] || { _disk_fail "$1 is empty"; return 1; }
	echo $(((_dm_b + 1048575) / 1048576))
}

# _disk_finish OUT MIB: OUT made MIB MiB long, partitioned by sfdisk from
# OUT.sfdisk, then the images listed in OUT.copy ("START_MIB PATH" lines)
# copied in.
_disk_finish() {
	_disk_blank "$1" "$2" || return 1
	if ! sfdisk -q --no-reread --no-tell-kernel "$1" < "$1.sfdisk" > "$1.log" 2>&1; then
		_disk_fail "sfdisk $1: $(tail -n 3 "$1.log")"
		return 1
	fi
	while read -r _dw_at _dw_img; do
		dd if="$_dw_img" of="$1" bs=1M seek="$_dw_at" conv=notrunc,sparse \
			status=none || return 1
	done < "$1.copy"
}

# _disk_parted OUT STATUS: disk_gpt's and disk_mbr's last step, STATUS
# theirs: the scratch files go; so does the disk if it failed.
_disk_parted() {
	_dp_rc=$2
	rm -f "$1.sfdisk" "$1.copy" "$1.log"
	if [ "$_dp_rc" != 0 ]; then
		rm -f "$1"
		_disk_fail "cannot make the disk $1"
	fi
}

_disk_part_tools() {
	_disk_need sfdisk fdisk && _disk_need blkid util-linux &&
		_disk_need dd coreutils && _disk_need truncate coreutils
}

# _disk_gpt_script OUT PART...: OUT.sfdisk and OUT.copy for disk_gpt;
# prints the disk's size in MiB.
_disk_gpt_script() {
	_dg_out=$1
	shift
	printf 'label: gpt\nlabel-id: %s\nunit: sectors\n' "$DISK_GPT_GUID" > "$_dg_out.sfdisk" &&
		: > "$_dg_out.copy" || return 1
	_dg_at=1
	for _dg_p; do
		_dg_img=${_dg_p%%:*} _dg_r=${_dg_p#*:}
		_dg_name=${_dg_r%%:*} _dg_uuid=${_dg_r#*:}
		if [ "$_dg_p" = "$_dg_r" ] || [ "$_dg_r" = "$_dg_uuid" ] ||
			[ "${_dg_uuid#*:}" != "$_dg_uuid" ]; then
			_disk_fail "a GPT partition is IMAGEFILE:PARTLABEL:PARTUUID, not '$_dg_p'"
			return 1
		fi
		case $_dg_name in
		*'"'* | *\\*) _disk_fail "a PARTLABEL may not hold quotes: '$_dg_name'"; return 1 ;;
		esac
		_dg_mb=$(_disk_mib "$_dg_img") || return 1
		_dg_type=$DISK_GPT_LINUX
		if [ -n "$_dg_img" ] &&
			[ "$(blkid -p -s TYPE -o value "$_dg_img" 2>/dev/null)" = swap ]; then
			_dg_type=$DISK_GPT_SWAP
		fi
		printf 'start=%s, size=%s, type=%s%s%s\n' $((_dg_at * 2048)) $((_dg_mb * 2048)) \
			"$_dg_type" "${_dg_uuid:+, uuid=$_dg_uuid}" \
			"${_dg_name:+, name=\"$_dg_name\"}" >> "$_dg_out.sfdisk" || return 1
		if [ -n "$_dg_img" ]; then
			printf '%s %s\n' "$_dg_at" "$(_disk_abs "$_dg_img")" >> "$_dg_out.copy" || return 1
		fi
		_dg_at=$((_dg_at + _dg_mb))
	done
	# The backup GPT takes the last 33 sectors: a whole MiB more.
	echo $((_dg_at + 1))
}

# _disk_partitioned SCRIPT OUT ARGS...: OUT laid out by SCRIPT (which
# writes OUT.sfdisk and OUT.copy and prints the size in MiB), then made.
_disk_partitioned() {
	_dp_script=$1
	_disk_part_tools || return 1
	_dp_out=$(_disk_abs "$2")
	shift 2
	_dp_mb=$("$_dp_script" "$_dp_out" "$@") && _disk_finish "$_dp_out" "$_dp_mb"
	_disk_parted "$_dp_out" $?
}

disk_gpt() {
	[ $# -ge 2 ] || { _disk_fail "usage: disk_gpt OUT IMAGEFILE:PARTLABEL:PARTUUID..."; return 1; }
	_disk_partitioned _disk_gpt_script "$@"
}

# _disk_mbr_script OUT DISKID PART...: as _disk_gpt_script, for disk_mbr.
_disk_mbr_script() {
	_dm_out=$1 _dm_id=$2
	shift 2
	case $_dm_id in
	0x[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]) ;;
	*) _disk_fail "an MBR disk id is 0x and 8 hex digits, not '$_dm_id'"; return 1 ;;
	esac
	[ $# -le 4 ] || { _disk_fail "an MBR holds at most 4 primary partitions, not $#"; return 1; }
	printf 'label: dos\nlabel-id: %s\nunit: sectors\n' "$_dm_id" > "$_dm_out.sfdisk" &&
		: > "$_dm_out.copy" || return 1
	_dm_at=1
	for _dm_p; do
		_dm_img=${_dm_p%%:*} _dm_type=${_dm_p#*:}
		case $_dm_type in
		"$_dm_p" | '' | *[!0-9a-fA-F]*)
			_disk_fail "an MBR partition is IMAGEFILE:TYPE (TYPE in hex), not '$_dm_p'"
			return 1 ;;
		esac
		_dm_mb=$(_disk_mib "$_dm_img") || return 1
		printf 'start=%s, size=%s, type=%s\n' $((_dm_at * 2048)) $((_dm_mb * 2048)) \
			"$_dm_type" >> "$_dm_out.sfdisk" || return 1
		if [ -n "$_dm_img" ]; then
			printf '%s %s\n' "$_dm_at" "$(_disk_abs "$_dm_img")" >> "$_dm_out.copy" || return 1
		fi
		_dm_at=$((_dm_at + _dm_mb))
	done
	echo "$_dm_at"
}

disk_mbr() {
	[ $# -ge 3 ] || { _disk_fail "usage: disk_mbr OUT DISKID IMAGEFILE:TYPE..."; return 1; }
	_disk_partitioned _disk_mbr_script "$@"
}

disk_part_offset() {
	_dpo_s=$(sfdisk --dump "$1" 2>/dev/null | grep ': start=' | sed -n "${2}p" |
		sed 's/.*start= *\([0-9]*\).*/\1/')
	[ -n "$_dpo_s" ] || { _disk_fail "$1 has no partition $2"; return 1; }
	echo $((_dpo_s * 512))
}
