#!/bin/sh
# Archives back to back, as the kernel reads an initramfs: `initramfs
# list` shows the names of every member (GNU cpio stops at the first
# trailer, so each member is listed by a peer on its own), `list -l` the
# fields GNU cpio gives each member, and `extract` what the peers give
# when they extract the members one after the other into one directory.
# busybox pads its archive to 4 bytes only, so a member put after it
# starts right after its trailer. A trailer ends a hard-link group: two
# GNU --reproducible archives reuse the same inode numbers, and their
# groups must stay apart. `build` with archives as sources appends them
# as they are.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/tree.sh"
LC_ALL=C	# names are bytes: sort, sed, grep and awk see them so
export LC_ALL

[ "$(id -u)" = 0 ] || skip_all "needs root (owners, setuid bits)"
for p in gnu bsd busybox; do
	peer_have $p || skip_all "$p cpio is not installed"
done
cd "$T" || exit 1
I=initramfs

# Three small trees: a file that later members overwrite, a directory
# they share, each its own hard-link group.
mkdir -p t1/etc t1/p t2/etc t2/q t3/etc t3/r
printf 'one\n' > t1/etc/conf
printf 'first' > t1/p/a
ln t1/p/a t1/p/b
chmod 4755 t1/p/a
printf 'two!\n' > t2/etc/conf
printf 'second' > t2/q/x
ln t2/q/x t2/q/y
ln -s ../etc/conf t2/q/l
printf 'third\n' > t3/etc/conf
printf 'x' > t3/r/m
ln t3/r/m t3/r/n
mkfifo t3/r/f
chmod 0700 t3/etc
for d in t1 t2 t3; do find $d -depth -exec touch -h -d "@$TREE_EPOCH" {} +; done

names() { (cd "$1" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort); }
names t1 | (cd t1 && LC_ALL=C cpio -o -H newc --quiet) > gnu.cpio
(cd t2 && find . | LC_ALL=C sort | LC_ALL=C bsdcpio -o --format newc --quiet) > bsd.cpio
names t3 | (cd t3 && busybox cpio -o -H newc 2>/dev/null) > busybox.cpio
is "$(($(wc -c < busybox.cpio) % 512 != 0))" 1 "busybox's archive is not padded to 512 bytes"

# CASE MEMBER...: list, list -l and extract of the members back to back
concat() {
	_c=$1; shift
	cat "$@" > $_c.cpio
	is "$($I list $_c.cpio 2>&1)" "$(for m; do LC_ALL=C cpio -t --quiet < $m; done)" \
		"$_c: list shows every member's names"
	is "$($I list -l $_c.cpio 2>&1 | lsl_ours)" \
		"$(for m; do LC_ALL=C cpio -tvn --quiet < $m | lsl_gnu; done)" \
		"$_c: list -l shows each member's fields as GNU cpio -tvn does"
	mkdir $_c.x $_c.gnu
	$I extract $_c.cpio $_c.x 2> err
	is "$?:$(cat err)" "0:" "$_c: extract exits 0 without a message"
	for m; do peer_extract gnu $m $_c.gnu 2>/dev/null; done
	TREE_MTIME=1 tree_describe $_c.x > $_c.got
	TREE_MTIME=1 tree_describe $_c.gnu > $_c.want
	ok "$_c: extract gives the tree of GNU cpio extracting the members in turn" \
		tree_cmp $_c.want $_c.got
}
# GNU cpio does not overwrite a file as new as the archive's without
# -u; use -u for the later members.
peer_extract() {
	(cd "$3" && LC_ALL=C cpio -idmu --no-absolute-filenames --quiet) < "$2"
}

concat gnu+bsd gnu.cpio bsd.cpio
concat gnu+bsd+busybox gnu.cpio bsd.cpio busybox.cpio
concat busybox+gnu busybox.cpio gnu.cpio
is "$(cat busybox+gnu.x/etc/conf)" "one" "busybox+gnu: the later member's file wins"

$I build -o built.cpio gnu.cpio bsd.cpio busybox.cpio
same_file built.cpio gnu+bsd+busybox.cpio "build of three peer archives appends them as they are"

# Two GNU --reproducible archives: both groups get inode 1 on device 0:0
# (the second record, after the 112 bytes of the directory's).
printf 'p\np/a\np/b\n' | (cd t1 && LC_ALL=C cpio -o -H newc --reproducible --quiet) > r1.cpio
printf 'q\nq/x\nq/y\n' | (cd t2 && LC_ALL=C cpio -o -H newc --reproducible --quiet) > r2.cpio
ino2() { dd if="$1" bs=1 skip=112 count=14 2>/dev/null; }
is "$(ino2 r1.cpio):$(ino2 r2.cpio)" "07070100000001:07070100000001" \
	"repro: both groups have inode 1"
cat r1.cpio r2.cpio > r12.cpio
mkdir r12.x
$I extract r12.cpio r12.x 2> err
is "$?:$(cat err)" "0:" "repro: extract exits 0 without a message"
TREE_NO_OWNER=1 tree_describe r12.x | cut -f 1,2,5- > r12.got
cat > r12.want <<EOF
p	d
p/a	f	5	2	hl=p/a	$(printf first | md5sum | cut -d' ' -f1)
p/b	f	5	2	hl=p/a	$(printf first | md5sum | cut -d' ' -f1)
q	d
q/x	f	6	2	hl=q/x	$(printf second | md5sum | cut -d' ' -f1)
q/y	f	6	2	hl=q/x	$(printf second | md5sum | cut -d' ' -f1)
EOF
ok "repro: a trailer ends the hard-link groups: two groups, each with its data" \
	tree_cmp r12.want r12.got

done_testing
