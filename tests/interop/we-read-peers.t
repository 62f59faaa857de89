#!/bin/sh
# We read what the peers write: archives of one varied tree (hard-link
# groups, every padding case, modes, owners) made by GNU cpio (newc with
# and without a "." entry, --reproducible, -R 0:0, crc, absolute names),
# bsdcpio (newc, "./" names) and busybox cpio (newc). For each:
# `initramfs list` prints what GNU `cpio -t` prints, `list -l` the same
# fields as `cpio -tvn`, and `initramfs extract` gives the tree GNU cpio
# extracts, which is the source tree. GNU cpio and bsdcpio put a
# hard-link group's data on its last name, busybox on the last one it
# writes (after the others, in reverse order): the extraction must link
# all the names to the one inode holding the data, whichever carries it.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/tree.sh"
LC_ALL=C	# names are bytes: sort, sed, grep and awk see them so
export LC_ALL

[ "$(id -u)" = 0 ] || skip_all "needs root (owners, setuid bits)"
peer_have gnu || skip_all "GNU cpio is not installed"
cd "$T" || exit 1
I=initramfs

tree_make src
TREE_MTIME=1 tree_describe src > want

# NAME PEER FORM ARGS...: archive src into NAME.cpio with PEER ARGS; FORM
# is how the names given to it look (find . | find . -mindepth 1 | bare
# | absolute), sorted
archive() {
	_n=$1 _p=$2 _f=$3; shift 3
	if ! peer_have "$_p"; then
		return 1
	fi
	case $_f in
	dot)	(cd src && find . | LC_ALL=C sort) ;;
	dotslash) (cd src && find . -mindepth 1 | LC_ALL=C sort) ;;
	bare)	(cd src && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort) ;;
	abs)	# the parents of src too: without them GNU cpio -d makes
		# directories the kernel (and initramfs extract) would not.
		_d=$T
		while [ "$_d" != / ]; do echo "$_d"; _d=$(dirname "$_d"); done | LC_ALL=C sort
		find "$T/src" | LC_ALL=C sort ;;
	esac > "$_n.names"
	case $_p in
	gnu)	(cd src && LC_ALL=C cpio -o --quiet "$@") ;;
	bsd)	(cd src && LC_ALL=C bsdcpio -o --quiet "$@") ;;
	busybox) (cd src && busybox cpio -o "$@" 2>/dev/null) ;;
	esac < "$_n.names" > "$_n.cpio"
}

# the owners in a description set to 0:0 (for -R 0:0)
root_owned() {
	awk -F '\t' 'BEGIN { OFS = "\t" } { if ($2 == "l") $3 = "0:0"; else $4 = "0:0"; print }' "$1"
}

for spec in \
	"gnu-newc gnu dot -H newc" \
	"gnu-repro gnu bare -H newc --reproducible" \
	"gnu-root gnu dotslash -H newc -R 0:0" \
	"gnu-crc gnu dot -H crc" \
	"gnu-abs gnu abs -H newc" \
	"bsd-newc bsd dot --format newc" \
	"busybox-newc busybox dotslash -H newc"
do
	set -- $spec
	a=$1
	if ! archive "$@"; then
		for n in 1 2 3 4 5 6; do skip "$a: $2 is not installed"; done
		continue
	fi
	is "$($I list $a.cpio 2>&1)" "$(LC_ALL=C cpio -t --quiet < $a.cpio)" \
		"$a: list prints the names of cpio -t, in order"
	is "$($I list -l $a.cpio 2>&1 | lsl_ours)" "$(LC_ALL=C cpio -tvn --quiet < $a.cpio | lsl_gnu)" \
		"$a: list -l shows cpio -tvn's modes, links, owners, sizes, names, targets"

	mkdir ours-$a gnu-$a
	$I extract $a.cpio ours-$a 2> err
	is "$?:$(cat err)" "0:" "$a: extract exits 0 without a message"
	peer_extract gnu $a.cpio gnu-$a 2> err
	is "$?:$(cat err)" "0:" "$a: GNU cpio extracts it without a message"
	sub=
	[ "$a" = gnu-abs ] && sub=${T#/}/src
	TREE_MTIME=1 tree_describe "ours-$a/$sub" > got-$a
	TREE_MTIME=1 tree_describe "gnu-$a/$sub" > gnu-$a.d
	ok "$a: extract gives GNU cpio's tree (content, modes, owners, links, mtimes)" \
		tree_cmp gnu-$a.d got-$a
	if [ "$a" = gnu-root ]; then
		root_owned want > want-$a
	else
		cp want want-$a
	fi
	ok "$a: extract gives the source tree" tree_cmp want-$a got-$a
done

# Where each writer put a group's data, so the cases above cover all
# three placements: last name (GNU), last name (bsdcpio, "./" names),
# last written name (busybox: hl/one, written after hl/two and hl/sub/three;
# busybox drops the "./" of the names).
hl_sizes() { # ARCHIVE: "name size" of the hl/one group, archive order
	$I list -l "$1" | lsl_ours | grep -aE ' (\./)?hl/(one|two|sub/three)$' |
	awk '{ print $6 ":" $5 }' | tr '\n' ' '
}
is "$(hl_sizes gnu-newc.cpio)" "hl/sub/three:0 hl/one:0 hl/two:9 " \
	"gnu-newc: list -l shows the data on the group's last name"
if peer_have bsd; then
	is "$(hl_sizes bsd-newc.cpio)" "./hl/one:0 ./hl/sub/three:0 ./hl/two:9 " \
		"bsd-newc: list -l shows the data on the group's last name"
else
	skip "bsdcpio is not installed"
fi
if peer_have busybox; then
	is "$(hl_sizes busybox-newc.cpio)" "hl/two:0 hl/sub/three:0 hl/one:9 " \
		"busybox-newc: list -l shows the data on the group's last name written"
else
	skip "busybox is not installed"
fi

# A few whole lines of list -l, date included (UTC).
W="2009-02-13 23:31"
is "$($I list -l gnu-newc.cpio | grep -aE ' (sl|fifo|private|both)( -> .*)?$')" "\
-rwsr-s---   1 0        0                 1 $W both
prw-r-----   1 0        0                 0 $W fifo
drwx------   2 4242     4343              0 $W private
lrwxrwxrwx   1 1001     1002              2 $W sl -> ff" \
	"gnu-newc: list -l lines of a setuid file, a fifo, a private directory, a symlink"

done_testing
