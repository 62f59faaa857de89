# tree.sh - make a varied file tree and describe a tree as text, to
# compare the extractions of cpio archives; run the peers (GNU cpio,
# bsdcpio, busybox cpio) as oracles. Source it after tap.sh.
#
#   tree_make DIR
#       creates DIR holding every kind of entry a directory source can
#       give: files of 0-5 bytes and larger ones, names of 1-4 bytes, a
#       255-byte name, names with spaces, a backslash, UTF-8 and a 0xff
#       byte, nested and empty directories, symlinks (relative,
#       absolute, dangling, to a directory), a 3-name hard-link group
#       across directories, an empty 2-name hard-link group, a fifo,
#       setuid, setgid, sticky and unusual modes, other owners, a
#       character and a block device. Every mtime is TREE_EPOCH.
#       Owners and devices need root; without root they are left out.
#   tree_describe DIR
#       prints one line per path under DIR (not DIR itself), sorted
#       byte-wise, fields separated by tabs:
#         PATH  TYPE  MODE  UID:GID  DETAIL...
#       TYPE is find's %y (f d l p c b s). DETAIL: for a regular file
#       its size, link count, hard-link group (hl=FIRST, FIRST being the
#       byte-wise first name under DIR with the same inode; hl=- when
#       the inode has one name) and md5; for a symlink '-> TARGET'
#       (its mode is not shown); for a device 'MAJ,MIN'. With TREE_MTIME
#       set, regular files also show their mtime (peers do not all set
#       the mtimes of directories and symlinks).
#       With TREE_NO_OWNER set, UID:GID is '-' (for extractions that do
#       not keep owners).
#   tree_cmp EXPECTED GOT
#       compares two descriptions (files); on a difference prints a
#       unified diff as TAP diagnostics and fails. Use as
#       `ok "case" tree_cmp want got`.
#
# The peers, as test oracles (PEER is gnu, bsd or busybox):
#   peer_have PEER              the peer is installed
#   peer_list PEER ARCHIVE      its `cpio -t`: names, one a line
#   peer_extract PEER ARCHIVE DIR
#       extracts as `cpio -idm` does in DIR (GNU with
#       --no-absolute-filenames); stderr is the peer's, less its
#       "N blocks" line and GNU's note on removing leading '/'; the
#       status is the peer's.
#   lsl_ours, lsl_gnu           filters: `initramfs list -l` and GNU
#       `cpio -tvn` lines (run in the C locale) reduced to the same
#       fields, date dropped: MODE NLINK UID GID SIZE|MAJ,MIN NAME [-> TARGET]
#   hl_dataless                 filter: from `cpio -tvn`, the names of
#       hard-linked files that carry no data (busybox's `cpio -t`
#       leaves these out).

TREE_EPOCH=${TREE_EPOCH:-1234567890}

_tree_put() { # FILE SIZE: write SIZE deterministic bytes into FILE
	if [ "$2" -eq 0 ]; then
		: > "$1"
	else
		# Decimal numbers run together: varied, deterministic bytes.
		seq 1 "$2" | tr -d '\n' | head -c "$2" > "$1"
	fi
}

tree_make() {
	_tm=$1
	mkdir -p "$_tm" || return 1
	(
		cd "$_tm" || exit 1
		set -e
		# Sizes 0-5 (every data-padding case) under names of 1-4
		# bytes (every name-padding case), and larger files.
		_tree_put a 0
		_tree_put bb 1
		_tree_put ccc 2
		_tree_put dddd 3
		_tree_put e 4
		_tree_put ff 5
		_tree_put big 70001
		_tree_put mid 4097
		# A 255-byte name (NAME_MAX) in a nested directory.
		mkdir -p n1/n2/n3/n4
		_tree_put "n1/n2/n3/n4/$(printf '%0255d' 7)" 6
		mkdir empty-dir
		mkdir "dir with space"
		_tree_put "dir with space/file name" 11
		_tree_put " lead space" 3
		_tree_put 'back\slash' 2
		_tree_put "$(printf 'utf8-\303\251')" 3
		_tree_put "$(printf 'byte-\377')" 4
		# Symlinks: relative, absolute, dangling, to a directory.
		ln -s ff sl
		ln -s /etc/hostname abs-link
		ln -s does/not/exist dangling
		ln -s n1/n2 dir-link
		ln -s "dir with space/file name" "space link"
		# A 3-name hard-link group across directories, and an empty
		# 2-name group.
		mkdir hl hl/sub
		_tree_put hl/one 9
		ln hl/one hl/two
		ln hl/one hl/sub/three
		: > hl/empty1
		ln hl/empty1 hl/sub/empty2
		mkfifo fifo
		# Modes.
		_tree_put suid 7
		_tree_put sgid 8
		_tree_put both 1
		_tree_put ro 3
		_tree_put none 2
		chmod 4755 suid
		chmod 2711 sgid
		chmod 6750 both
		chmod 0444 ro
		chmod 0000 none
		chmod 0600 hl/one
		mkdir sticky private rodir
		chmod 1777 sticky
		chmod 0700 private
		_tree_put rodir/inside 4
		chmod 0555 rodir
		chmod 0640 fifo
		# Owners and devices (only root may give files away or
		# make device nodes).
		if [ "$(id -u)" = 0 ]; then
			mkdir dev
			mknod dev/console c 5 1
			mknod dev/loop0 b 7 0
			chmod 0600 dev/console
			chown 1000:1000 e
			chown 0:100 ccc
			chown 4242:4343 private
			chown -h 1001:1002 sl
		fi
	) || return 1
	# The same mtime everywhere, children before their directories.
	find "$_tm" -depth -exec touch -h -d "@$TREE_EPOCH" {} +
}

tree_describe() {
	(
		cd "$1" || exit 1
		# read joins runs of tabs, so %l, empty but for symlinks,
		# comes last.
		find . -mindepth 1 -printf '%P\t%y\t%m\t%U:%G\t%s\t%n\t%i\t%T@\t%l\n' |
		LC_ALL=C sort |
		while IFS='	' read -r _p _y _m _o _s _n _i _t _l; do
			[ -z "${TREE_NO_OWNER:-}" ] || _o=-
			case $_y in
			f)	_h=$(md5sum < "$_p") _h=${_h%% *}
				_x="$_s	$_n	$_i	$_h"
				[ -z "${TREE_MTIME:-}" ] || _x="$_x	${_t%%.*}"
				printf '%s\tf\t%s\t%s\t%s\n' "$_p" "$_m" "$_o" "$_x" ;;
			l)	printf '%s\tl\t%s\t-> %s\n' "$_p" "$_o" "$_l" ;;
			c|b)	printf '%s\t%s\t%s\t%s\t%s\n' "$_p" "$_y" "$_m" "$_o" \
					"$(stat -c '%Hr,%Lr' "$_p")" ;;
			*)	printf '%s\t%s\t%s\t%s\n' "$_p" "$_y" "$_m" "$_o" ;;
			esac
		done |
		# The inode (7th field of a file line) becomes the first
		# name that has it; the input is sorted, so that is the
		# byte-wise first.
		awk -F '\t' 'BEGIN { OFS = "\t" }
			$2 == "f" { n[$7]++; if (!($7 in first)) first[$7] = $1 }
			{ line[NR] = $0; ino[NR] = ($2 == "f") ? $7 : "" }
			END {
				for (i = 1; i <= NR; i++) {
					$0 = line[i]
					if (ino[i] != "")
						$7 = (n[ino[i]] > 1) ? "hl=" first[ino[i]] : "hl=-"
					print
				}
			}'
	)
}

tree_cmp() {
	if cmp -s "$1" "$2"; then
		return 0
	fi
	diag "tree differs (- expected, + got):"
	diff -u "$1" "$2" | tail -n +3 | diag "$(cat)"
	return 1
}

peer_have() {
	case $1 in
	gnu)	command -v cpio ;;
	bsd)	command -v bsdcpio ;;
	busybox) busybox cpio --help ;;
	*)	false ;;
	esac >/dev/null 2>&1
}

peer_list() {
	case $1 in
	gnu)	LC_ALL=C cpio -t --quiet < "$2" ;;
	bsd)	LC_ALL=C bsdcpio -t --quiet < "$2" ;;
	busybox) busybox cpio -t < "$2" 2> "$T/.peer.err"
		_pl_rc=$?
		grep -aEv '^[0-9]+ blocks?$' "$T/.peer.err" >&2
		return $_pl_rc ;;
	esac
}

peer_extract() {
	case $2 in
	/*)	_pe_a=$2 ;;
	*)	_pe_a=$PWD/$2 ;;
	esac
	(
		cd "$3" || exit 1
		case $1 in
		gnu)	LC_ALL=C cpio -idm --no-absolute-filenames --quiet ;;
		bsd)	LC_ALL=C bsdcpio -idm --quiet ;;
		busybox) busybox cpio -idm ;;
		esac < "$_pe_a"
	) 2> "$T/.peer.err"
	_pe_rc=$?
	grep -aEv '^[0-9]+ blocks?$|^cpio: Removing leading ./. from member names$' "$T/.peer.err" >&2
	return $_pe_rc
}

# Both keep: mode, links, uid, gid, size or "maj, min", then after the
# date (ours: YYYY-MM-DD HH:MM; GNU: Mon DD  YYYY or Mon DD HH:MM) one
# space and the name as it is (it may begin with a space).
lsl_ours() {
	sed -E 's/^([^ ]+) +([0-9]+) +([0-9]+) +([0-9]+) +([0-9]+|[0-9]+, +[0-9]+) [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} /\1 \2 \3 \4 \5 /' |
	sed -E 's/^([^ ]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+), +([0-9]+ )/\1,\2/'
}

lsl_gnu() {
	sed -E 's/^([^ ]+) +([0-9]+) +([0-9]+) +([0-9]+) +([0-9]+|[0-9]+, +[0-9]+) [A-Z][a-z]{2} [ 0-9][0-9] ( [0-9]{4}|[0-9]{2}:[0-9]{2}) /\1 \2 \3 \4 \5 /' |
	sed -E 's/^([^ ]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+), +([0-9]+ )/\1,\2/'
}

hl_dataless() {
	lsl_gnu | grep -aE '^-[^ ]* ([2-9]|[1-9][0-9]+) [0-9]+ [0-9]+ 0 ' |
	sed -E 's/^([^ ]+ ){5}//'
}
