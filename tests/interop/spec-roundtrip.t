#!/bin/sh
# build -> extract -> list --spec -> build gives the same bytes: for the
# varied directory tree (spaces and a backslash in names, a 255-byte
# name, hard-link groups across directories, modes, owners), for a tree
# whose hard-link group is contiguous in the byte-wise order, for a
# list file with devices, a fifo, a socket, a hard-link group whose
# names need implied parents (with and without --crc), and for that
# group with its parents listed first. --mtime is earlier than every
# source mtime, so every record gets it; one more trip of the tree
# without --mtime shows the mtime lines keep every record's own. Also a
# GNU cpio archive survives the trip entry for entry.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/tree.sh"
LC_ALL=C	# names are bytes: sort, sed, grep and awk see them so
export LC_ALL

[ "$(id -u)" = 0 ] || skip_all "needs root (owners, setuid bits, device nodes)"
cd "$T" || exit 1
I=initramfs
M=1000000000	# before TREE_EPOCH

# roundtrip CASE SOURCE BUILD-OPTIONS...: three checks; on a difference
# the names of both archives in order as diagnostics
roundtrip() {
	_c=$1 _s=$2; shift 2
	[ $# -gt 0 ] && [ "$1" = --own-mtimes ] && shift || set -- --mtime $M "$@"
	$I build "$@" -o $_c.cpio "$_s"
	mkdir $_c.x
	$I extract $_c.cpio $_c.x 2> err
	is "$?:$(cat err)" "0:" "$_c: build and extract exit 0 without a message"
	$I list --spec --data-dir $_c.x $_c.cpio > $_c.list &&
	$I build "$@" -o $_c.2.cpio $_c.list 2> err
	is "$?:$(cat err)" "0:" "$_c: list --spec and the rebuild exit 0 without a message"
	same_file $_c.2.cpio $_c.cpio "$_c: the rebuild is byte-identical"
	if ! cmp -s $_c.2.cpio $_c.cpio; then
		$I list $_c.cpio > $_c.names
		$I list $_c.2.cpio > $_c.2.names
		diag "names in archive order (- first build, + rebuild):"
		diff -u $_c.names $_c.2.names | tail -n +3 | diag "$(cat)"
	fi
}

tree_make src
roundtrip tree src
like "$(cat tree.list)" "
hardlink /" "tree: the names of a group scattered by the sort are hardlink lines"
# Different mtimes on a directory, a symlink and a file, so the trip
# has several to keep.
for _t in d l f; do
	find src -mindepth 1 -type $_t | sort | head -n 1
done | while IFS= read -r _p; do touch -h -d @1200000000 "$_p"; done
roundtrip mtimes src --own-mtimes
is "$(grep '^mtime ' mtimes.list | uniq -d)" "" \
	"mtimes: an mtime line only where the value changes"
ok "mtimes: the tree's records have more than one mtime" \
	test "$(grep -c '^mtime ' mtimes.list)" -gt 1

# The hard-link group's names follow each other in the byte-wise order.
mkdir flat flat/d
printf 'linked' > flat/d/a
ln flat/d/a flat/d/b
ln flat/d/a flat/d/c
printf 'other' > flat/d/d
ln -s a flat/d/s
: > flat/e1
ln flat/e1 flat/e2
chmod 4750 flat/d/a
roundtrip flat flat

mkdir in
printf 'hello\n' > in/h
printf '12345' > in/five
cat > in.list <<EOF
dir /dev 755 0 0
nod /dev/console 600 0 0 c 5 1
nod /dev/nvme0n1 640 0 6 b 259 65536
pipe /run/fifo 620 0 0
sock /run/sock 755 0 0
slink /bin/sh busybox 777 0 0
file /bin/busybox $T/in/h 4755 0 0 /sbin/init /usr/bin/sh
file /etc/x $T/in/five 640 12 34
dir /var/tmp 1777 0 0
EOF
roundtrip list in.list
roundtrip crc in.list --crc

# The same group with its parents given before it: its names follow
# each other in the archive.
cat > explicit.list <<EOF
dir /bin 755 0 0
dir /sbin 755 0 0
dir /usr 755 0 0
dir /usr/bin 755 0 0
file /bin/busybox $T/in/h 4755 0 0 /sbin/init /usr/bin/sh
nod /dev/console 600 0 0 c 5 1
EOF
roundtrip explicit explicit.list

# A GNU cpio archive (with its "." entry): extract, --spec, build. The
# bytes differ (inode numbers, device, mtimes), and so do the fields
# GNU cpio takes from the file system where gen_init_cpio writes fixed
# values: the links of directories and fifos (we write 2) and the size
# of a symlink (we count the target's NUL). The rest must not.
# entries: list -l fields less those, sorted
entries() {
	$I list -l "$1" | lsl_ours |
	sed -E 's/^([dps][^ ]*) [0-9]+ /\1 - /; s/^(l[^ ]* [0-9]+ [0-9]+ [0-9]+) [0-9]+ /\1 - /' |
	LC_ALL=C sort
}
if peer_have gnu; then
	(cd src && find . | LC_ALL=C sort | LC_ALL=C cpio -o -H newc --quiet) > gnu.cpio
	mkdir gnu.x
	$I extract gnu.cpio gnu.x &&
	$I list --spec --data-dir gnu.x gnu.cpio > gnu.list &&
	$I build -o gnu.2.cpio gnu.list
	is "$?" 0 "gnu: extract, list --spec, build exit 0"
	is "$(entries gnu.2.cpio)" "$(entries gnu.cpio)" \
		"gnu: the rebuild has the same entries (modes, file links, owners, sizes, names, targets)"
	mkdir gnu.2.x
	$I extract gnu.2.cpio gnu.2.x
	TREE_MTIME=1 tree_describe gnu.x > gnu.d
	TREE_MTIME=1 tree_describe gnu.2.x > gnu.2.d
	ok "gnu: the rebuild extracts to the same tree" tree_cmp gnu.d gnu.2.d
else
	skip "GNU cpio is not installed"
	skip "GNU cpio is not installed"
	skip "GNU cpio is not installed"
fi

done_testing
