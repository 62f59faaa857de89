#!/bin/sh
# Peers read what `initramfs build` writes: GNU cpio, bsdcpio and busybox
# cpio list our archives (the same names in the same order) and extract
# them, as root, into the very tree we built them from. Four archives:
# a directory source (every padding case, links, modes, owners,
# devices), a list file (devices, implied parents, a hard-link group
# across directories), the directory again with --crc (GNU cpio
# verifies the checksums) and with --data-align (names padded with NULs).
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/tree.sh"
LC_ALL=C	# names are bytes: sort, sed, grep and awk see them so
export LC_ALL

[ "$(id -u)" = 0 ] || skip_all "needs root (owners, setuid bits, device nodes)"
cd "$T" || exit 1
I=initramfs
PEERS="gnu bsd busybox"
M=2000000000	# later than every source mtime: nothing is clamped

tree_make src
TREE_MTIME=1 tree_describe src > want-dir

mkdir in
printf 'hello\n' > in/h
printf 'x' > in/one
: > in/empty
touch -d "@$TREE_EPOCH" in/*
md5() { _m=$(md5sum < "$1"); echo "${_m%% *}"; }
cat > in.list <<EOF
# devices, implied parents (run, sbin, usr, usr/bin, var), a hard-link
# group across directories, owners and special modes
dir /dev 755 0 0
nod /dev/console 600 0 0 c 5 1
nod /dev/null 666 0 0 c 1 3
nod /dev/sda 660 0 6 b 8 0
nod /dev/nvme0n1 640 0 6 b 259 65536
pipe /run/fifo 620 0 0
sock /run/sock 755 0 0
slink /bin/sh busybox 777 0 0
file /bin/busybox $T/in/h 4755 0 0 /sbin/init /usr/bin/sh
file /etc/x $T/in/one 640 12 34
file /etc/empty $T/in/empty 2600 0 0
dir /var/tmp 1777 0 0
EOF
E=$TREE_EPOCH
cat > want-list <<EOF
bin	d	755	0:0
bin/busybox	f	4755	0:0	6	3	hl=bin/busybox	$(md5 in/h)	$E
bin/sh	l	0:0	-> busybox
dev	d	755	0:0
dev/console	c	600	0:0	5,1
dev/null	c	666	0:0	1,3
dev/nvme0n1	b	640	0:6	259,65536
dev/sda	b	660	0:6	8,0
etc	d	755	0:0
etc/empty	f	2600	0:0	0	1	hl=-	$(md5 in/empty)	$E
etc/x	f	640	12:34	1	1	hl=-	$(md5 in/one)	$E
run	d	755	0:0
run/fifo	p	620	0:0
run/sock	s	755	0:0
sbin	d	755	0:0
sbin/init	f	4755	0:0	6	3	hl=bin/busybox	$(md5 in/h)	$E
usr	d	755	0:0
usr/bin	d	755	0:0
usr/bin/sh	f	4755	0:0	6	3	hl=bin/busybox	$(md5 in/h)	$E
var	d	755	0:0
var/tmp	d	1777	0:0
EOF

$I build --mtime $M -o dir.cpio src
is "$?" 0 "dir: build exits 0"
$I build --mtime $M -o list.cpio in.list
is "$?" 0 "list: build exits 0"
$I build --mtime $M --crc -o crc.cpio src
is "$?" 0 "crc: build exits 0"
is "$(head -c 6 crc.cpio)" "070702" "crc: records have magic 070702"
$I build --mtime $M --data-align 512 -o align.cpio src
is "$?" 0 "align: build exits 0"
# The data of big (70001 bytes) starts on a 512-byte boundary: its name
# is padded with NULs, counted in namesize (the header's last field but
# one, 16 bytes before the name).
o=$(grep -abo 'big' align.cpio | cut -d: -f1)
ns=$(dd if=align.cpio bs=1 skip=$((o - 16)) count=8 2>/dev/null)
is "$(( (o + 0x$ns + 3) / 4 * 4 % 512 )):$((0x$ns > 4))" "0:1" "align: big's data is aligned"

# Known peer quirks, each applied to the expectation of that peer only:
# - busybox `cpio -t` leaves out hard-linked names that carry no data;
# - busybox does not give symlinks their owner (no lchown);
# - libarchive cannot make sockets: bsdcpio writes an empty regular
#   file (with the mtime of the record: the socket has none, so M).
expect_names() { # PEER ARCHIVE: what PEER's -t should print
	if [ "$1" = busybox ]; then
		cpio -tvn --quiet < "$2" | hl_dataless > dataless
		$I list "$2" | grep -avxF -f dataless
	else
		$I list "$2"
	fi
}
expect_tree() { # PEER WANT: the description PEER's extraction should give
	case $1 in
	busybox) awk -F '\t' 'BEGIN { OFS = "\t" } $2 == "l" { $3 = "0:0" } { print }' "$2" ;;
	bsd)	awk -F '\t' 'BEGIN { OFS = "\t" }
			$2 == "s" { $2 = "f"; $0 = $0 "\t0\t1\thl=-\td41d8cd98f00b204e9800998ecf8427e\t" M }
			{ print }' M="$M" "$2" ;;
	*)	cat "$2" ;;
	esac
}

for a in dir list crc align; do
	want=want-$a
	[ -f $want ] || want=want-dir
	is "$(LC_ALL=C cpio -tvn --quiet < $a.cpio | lsl_gnu)" "$($I list -l $a.cpio | lsl_ours)" \
		"$a: GNU cpio -tvn shows our list -l's modes, links, owners, sizes, names, targets"
	for p in $PEERS; do
		if ! peer_have $p; then
			skip "$a: $p is not installed"
			skip "$a: $p is not installed"
			skip "$a: $p is not installed"
			continue
		fi
		got=$(peer_list $p $a.cpio 2> err)
		is "$got" "$(expect_names $p $a.cpio)" "$a: $p cpio -t lists our names in our order"
		mkdir x-$a-$p
		peer_extract $p $a.cpio x-$a-$p 2> err
		is "$?:$(cat err)" "0:" "$a: $p extracts without an error or warning"
		TREE_MTIME=1 tree_describe x-$a-$p > got-$a-$p
		expect_tree $p $want > exp-$a-$p
		ok "$a: $p extracts the source tree (content, modes, owners, links, devices, mtimes)" \
			tree_cmp exp-$a-$p got-$a-$p
	done
done

# The --crc checks above mean something only if GNU cpio verifies them:
# a wrong check field must make it complain. "12345" sums to 0xFF.
printf 'file /f %s 644 0 0\n' "$T/src/ff" > one.list
$I build --crc --mtime $M -o one.cpio one.list
is "$(dd if=one.cpio bs=1 skip=102 count=8 2>/dev/null)" "000000FF" "crc: check field of a 5-byte file"
{ head -c 102 one.cpio; printf '000000FE'; tail -c +111 one.cpio; } > bad.cpio
mkdir x-bad
peer_extract gnu bad.cpio x-bad 2> err
like "$(cat err)" "checksum error" "crc: GNU cpio does report a wrong check field"

done_testing
