#!/bin/sh
# The kernel judges our images. Debian's own 6.1 kernel boots in QEMU on
# images that `initramfs build` writes; the test's /init (probe-init.c)
# describes, on the console, every path the kernel's unpacker made, and
# that report must equal what the sources say, field by field: type,
# mode (setuid, setgid, sticky), owner, size, link count and hard-link
# group, device number, mtime, content checksum, symlink target.
#
#   list     a list file with every directive, data of 0-5 bytes and
#            1 MiB, setuid/setgid, other owners, a 3-name hard link
#   crc      the same list with --crc: the kernel verifies every sum
#   corrupt  a --crc image with one data byte flipped: the kernel must
#            say "bad data checksum"
#   tree     a directory source (hard links, names with spaces, owners,
#            devices) and, appended as it is, an archive whose hard-link
#            group reuses an inode number of the first: both members
#            unpack and the trailer keeps the groups apart
#   align    the list with --data-align 4096: data really aligned, and
#            the kernel unpacks the same tree
#   gic      the list through the gen_init_cpio personality, -t -c -a 4096
#
# One boot per image, about 2-10 s each under software emulation.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/qemu.sh"
LC_ALL=C	# names are bytes: sort sees them so
export LC_ALL
unset SOURCE_DATE_EPOCH

I=$BIN/initramfs
[ -x "$I" ] || skip_all "$I is not built (run make)"
command -v musl-gcc >/dev/null 2>&1 || skip_all "musl-gcc is not installed (musl-tools)"
command -v perl >/dev/null 2>&1 || skip_all "perl is not installed"
qemu_need_kernel
cd "$T" || exit 1

FM=1234567890	# mtime of the source files
TM=1500000000	# --mtime: entries without an mtime of their own get it

# The probe is both the guest's /init and, run on the host over a
# directory, the describer of the expected tree.
musl-gcc -static -Os -o probe-init "$TOP/tests/boot/probe-init.c" 2>cc.log
ok "probe-init compiles with musl-gcc -static" test -x probe-init ||
	{ diag "$(cat cc.log)"; done_testing; exit; }

ck() { _ck=$(cksum < "$1"); echo "${_ck%% *}"; }
sz() { stat -c %s "$1"; }

# newc_dump IMAGE: one line per record of the uncompressed archives in
# IMAGE: data offset, ino, mode (octal), nlink, filesize, name.
newc_dump() {
	perl -e '
		local $/; open(my $f, "<", $ARGV[0]) or die "$ARGV[0]: $!\n";
		binmode $f; my $b = <$f>; my $o = 0;
		while ($o + 110 <= length $b) {
			if (substr($b, $o, 1) eq "\0") { $o++; next }
			my $h = substr($b, $o, 110);
			$h =~ /^07070[12]/ or die "no cpio magic at $o\n";
			my @v = map { hex } unpack("x6 (A8)13", $h);
			my $name = substr($b, $o + 110, $v[11]); $name =~ s/\0.*//s;
			my $d = ($o + 110 + $v[11] + 3) & ~3;
			printf "%d\t%d\t%o\t%d\t%d\t%s\n", $d, $v[0], $v[1], $v[4], $v[6], $name;
			$o = ($d + $v[6] + 3) & ~3;
		}' "$1"
}

# boot CASE IMAGE: boot IMAGE, keep the console in CASE.log and the
# probe's report in CASE.got. Passes when the probe ran to its end.
boot() {
	qemu_boot "$2" "" 120 "$1.log"
	_b_rc=$?
	qemu_console "$1.log" | sed -n '/^PROBE-BEGIN$/,/^PROBE-END$/{/^PROBE-/d;p;}' > "$1.got"
	diag "boot $1: ${QEMU_BOOT_SECS}s wall time ($(qemu_accel))"
	ok "$1: the kernel unpacks the image and runs the probe as /init" \
		test "$_b_rc" = 0
	[ "$_b_rc" = 0 ] && return 0
	diag "qemu_boot returned $_b_rc (1: the guest stopped, 2: timeout);" \
		"what the console says of the image and of init:" \
		"$(qemu_console "$1.log" | grep -aiE 'initramfs|initrd|unpack|init |panic' | tail -n 12)" \
		"$(cat "$1.log.qemu")"
	return 1
}

# report_is CASE EXPECTED: the guest's report equals EXPECTED (a file).
report_is() {
	ok "$1: the kernel made exactly the tree the sources describe" \
		cmp -s "$2" "$1.got"
	cmp -s "$2" "$1.got" ||
		diag "fields: PATH TYPE MODE UID:GID SIZE NLINK LINK RDEV MTIME CKSUM TARGET" \
			"report differs (- expected, + the kernel's):" \
			"$(diff -u "$2" "$1.got" | tail -n +3)"
}

# console_has CASE REGEX DESCRIPTION: a console line matches REGEX.
console_has() {
	qemu_console "$1.log" > "$1.console"
	ok "$3" grep -aEq -- "$2" "$1.console"
	grep -aEq -- "$2" "$1.console" ||
		diag "the console ends with:" "$(tail -n 8 "$1.console")"
}

# The root and what every image carries. The root is the kernel's own
# (no archive here names it): rootfs is a tmpfs, mode 1777.
ROOT_LINE=".	d	1777	0:0	-	-	-	-	-	-	-"
cat > base.list <<EOF
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /root 0700 0 0
file /init $T/probe-init 0755 0 0
EOF
base_expect() {
	cat <<-EOF
	$ROOT_LINE
	dev	d	0755	0:0	-	-	-	-	$TM	-	-
	dev/console	c	0600	0:0	-	1	-	5,1	$TM	-	-
	init	f	0755	0:0	$(sz probe-init)	1	-	-	$TM	$(ck probe-init)	-
	root	d	0700	0:0	-	-	-	-	$TM	-	-
	EOF
}

# --- list: every directive --------------------------------------------
mkdir src
for n in 0 1 2 3 4 5; do head -c $n /dev/zero | tr '\0' "$n" > src/s$n; done
seq 1 200000 | head -c 1048577 > src/big	# 1 MiB + 1
printf 'nine byte' > src/hl
touch -d "@$FM" src/*

cat base.list - > all.list <<EOF
dir /d 0755 0 0
file /d/a $T/src/s0 0644 0 0
file /d/bb $T/src/s1 0644 0 0
file /d/ccc $T/src/s2 0644 0 0
file /d/dddd $T/src/s3 0644 0 0
file /d/e $T/src/s4 0644 0 0
file /d/ff $T/src/s5 0644 0 0
file /d/big $T/src/big 0644 0 0
file /d/suid $T/src/s3 4755 0 0
file /d/sgid $T/src/s4 2711 0 100
file /d/owned $T/src/s5 0640 1000 1001
dir /d/sticky 1777 0 0
dir /d/private 0700 4242 4343
slink /d/link ccc 0777 0 0
slink /d/abs /init 0777 5 6
nod /d/loop0 0660 0 6 b 7 0
nod /d/big-dev 0600 0 0 b 259 65537
nod /d/null 0666 0 0 c 1 3
pipe /d/fifo 0640 3 4
sock /d/sock 0755 0 0
dir /hl 0755 0 0
dir /hl/sub 0750 0 0
file /hl/one $T/src/hl 0600 7 8 /hl/two /hl/sub/three
EOF

f_line() { # PATH SRC MODE UID:GID
	printf '%s\tf\t%s\t%s\t%s\t1\t-\t-\t%s\t%s\t-\n' "$1" "$3" "$4" "$(sz "$2")" $FM "$(ck "$2")"
}
hl_line() { # PATH
	printf '%s\tf\t0600\t7:8\t9\t3\thl/one\t-\t%s\t%s\t-\n' "$1" $FM "$(ck src/hl)"
}
{
	base_expect
	cat <<-EOF
	d	d	0755	0:0	-	-	-	-	$TM	-	-
	d/sticky	d	1777	0:0	-	-	-	-	$TM	-	-
	d/private	d	0700	4242:4343	-	-	-	-	$TM	-	-
	d/link	l	0777	0:0	3	1	-	-	$TM	-	ccc
	d/abs	l	0777	5:6	5	1	-	-	$TM	-	/init
	d/loop0	b	0660	0:6	-	1	-	7,0	$TM	-	-
	d/big-dev	b	0600	0:0	-	1	-	259,65537	$TM	-	-
	d/null	c	0666	0:0	-	1	-	1,3	$TM	-	-
	d/fifo	p	0640	3:4	-	1	-	-	$TM	-	-
	d/sock	s	0755	0:0	-	1	-	-	$TM	-	-
	hl	d	0755	0:0	-	-	-	-	$TM	-	-
	hl/sub	d	0750	0:0	-	-	-	-	$TM	-	-
	EOF
	f_line d/a src/s0 0644 0:0
	f_line d/bb src/s1 0644 0:0
	f_line d/ccc src/s2 0644 0:0
	f_line d/dddd src/s3 0644 0:0
	f_line d/e src/s4 0644 0:0
	f_line d/ff src/s5 0644 0:0
	f_line d/big src/big 0644 0:0
	f_line d/suid src/s3 4755 0:0
	f_line d/sgid src/s4 2711 0:100
	f_line d/owned src/s5 0640 1000:1001
	hl_line hl/one
	hl_line hl/two
	hl_line hl/sub/three
} | sort > all.want

"$I" build --mtime $TM -o list.img all.list 2>err
ok "list: initramfs build writes the image" test -s list.img
[ ! -s err ] || diag "$(cat err)"
boot list list.img && report_is list all.want

# --- crc: the kernel checks every data sum ------------------------------
"$I" build --crc --mtime $TM -o crc.img all.list 2>err
is "$(head -c 6 crc.img)" 070702 "crc: the image is written with 070702 records"
boot crc crc.img && report_is crc all.want
console_has crc "Trying to unpack rootfs image as initramfs|Unpacking initramfs" \
	"crc: the console shows the image being unpacked"
is "$(qemu_console crc.log | grep -a "Initramfs unpacking failed")" "" \
	"crc: the kernel reports no unpacking error"

# --- corrupt: one flipped data byte -----------------------------------
printf 'VICTIM-DATA-%052d\n' 0 > src/victim
touch -d "@$FM" src/victim
cat base.list - > corrupt.list <<EOF
dir /c 0755 0 0
file /c/first $T/src/s5 0644 0 0
file /c/victim $T/src/victim 0644 0 0
file /c/after $T/src/s4 0644 0 0
EOF
"$I" build --crc --mtime $TM -o corrupt.img corrupt.list
cp corrupt.img corrupt.orig
off=$(grep -obUa VICTIM-DATA corrupt.img | cut -d: -f1)
printf W | dd of=corrupt.img bs=1 seek="${off:-0}" conv=notrunc 2>/dev/null
is "$(cmp -l corrupt.orig corrupt.img | wc -l)" 1 "corrupt: exactly one data byte differs"
boot corrupt corrupt.img
console_has corrupt "Initramfs unpacking failed: bad data checksum" \
	"corrupt: the kernel reports the bad data checksum"
is "$(grep '^c/first	' corrupt.got)" "$(f_line c/first src/s5 0644 0:0)" \
	"corrupt: the record before the bad one is unpacked intact"
# What the kernel keeps of the bad record and after it is its own
# business; say it, do not judge it.
diag "corrupt: the kernel left: $(cut -f1 corrupt.got | grep '^c' | tr '\n' ' ')"

# --- tree: a directory source, then an archive appended as it is --------
if [ "$(id -u)" != 0 ]; then
	skip "tree: needs root (owners and device nodes in the source tree)"
else
	mkdir tree tree/hl tree/hl/sub "tree/dir with space" tree/nest tree/nest/deeper
	printf 'nine byte' > tree/hl/one
	ln tree/hl/one tree/hl/two
	ln tree/hl/one tree/hl/sub/three
	: > tree/hl/empty1
	ln tree/hl/empty1 tree/nest/empty2
	printf 'spaced\n' > "tree/name with spaces"
	printf 'inner\n' > "tree/dir with space/inner file"
	ln "tree/dir with space/inner file" "tree/dir with space/second name"
	printf 'caf\303\251\n' > "$(printf 'tree/caf\303\251')"
	ln -s "name with spaces" "tree/link to space"
	ln -s ../hl/one tree/nest/up
	seq 1 20000 | head -c 70001 > tree/nest/deeper/big
	printf 'suid\n' > tree/suid
	# chown before chmod: chown clears the setuid bit.
	chown 1000:1000 tree/suid
	chmod 4755 tree/suid
	chown -h 1001:1002 "tree/link to space"
	chown 0:50 tree/nest
	chmod 2770 tree/nest
	mkfifo tree/fifo
	mknod tree/nest/null c 1 3
	mknod tree/nest/disk b 8 16
	chmod 0600 tree/nest/disk
	mkdir tree/empty-dir tree/n1 tree/n1/n2
	printf 'long\n' > "tree/n1/n2/$(printf '%0255d' 7)"
	ln -s /nowhere/at/all tree/dangling
	ln -s n1/n2 tree/dir-link
	printf 'secret\n' > tree/mode-none
	chmod 0000 tree/mode-none
	find tree -depth -exec touch -h -d "@$FM" {} +

	# The second archive: a hard-link pair that reuses the inode of the
	# tree's 3-name group. The kernel keeps them apart only if a trailer
	# comes between.
	"$I" build --mtime $TM -o first.img base.list tree
	ino=$(newc_dump first.img | awk -F '\t' '$6 == "hl/one" { print $2 }')
	printf 'second archive\n' > src/second
	touch -d "@$FM" src/second
	cat > second.list <<-EOF
	dir /second 0755 0 0
	EOF
	# Each list line takes the next inode from 721.
	i=722
	while [ $i -lt "${ino:-722}" ]; do
		echo "pipe /second/p$i 0600 0 0" >> second.list
		i=$((i + 1))
	done
	echo "file /second/x $T/src/second 0644 0 0 /second/y" >> second.list
	"$I" build --mtime $TM -o second.img second.list
	"$I" build --mtime $TM -o tree.img base.list tree second.img 2>err
	ok "tree: initramfs build writes the image" test -s tree.img
	[ ! -s err ] || diag "$(cat err)"
	is "$(newc_dump tree.img | awk -F '\t' -v i="$ino" '($2 == i && $4 >= 2) || $6 == "TRAILER!!!" { print $6 }' | tr '\n' ' ')" \
		"hl/one hl/sub/three hl/two TRAILER!!! second/x second/y TRAILER!!! " \
		"tree: the second archive's hard links reuse the inode of the first's, a trailer between"

	# The expected root: the same entries, made by coreutils.
	mkdir want want/dev want/root want/second
	mknod want/dev/console c 5 1
	chmod 0600 want/dev/console
	chmod 0700 want/root
	cp probe-init want/init
	cp -a tree/. want/
	for p in $(sed -n 's/^pipe \([^ ]*\) .*/\1/p' second.list); do
		mkfifo -m 0600 "want$p"
	done
	cp src/second want/second/x
	ln want/second/x want/second/y
	touch -h -d "@$TM" want/dev want/dev/console want/root want/init want/second want/second/p*
	touch -d "@$FM" want/second/x
	"$T/probe-init" want |
		awk -F '\t' -v r="$ROOT_LINE" '$1 == "." { print r; next } { print }' > tree.want
	boot tree tree.img && report_is tree tree.want
fi

# --- align: --data-align 4096 ----------------------------------------
"$I" build --data-align 4096 --mtime $TM -o align.img all.list 2>err
[ ! -s err ] || diag "$(cat err)"
is "$(newc_dump align.img | awk -F '\t' '$5 > 4096 { print $6 ":" ($1 % 4096) }')" \
	"init:0
d/big:0" "align: the data of every file over 4096 bytes starts at a multiple of 4096"
boot align align.img && report_is align all.want

# --- gic: the gen_init_cpio personality, -c and -a together -------------
# -t gives every entry, regular files too, that mtime.
if [ -x "$BIN/gen_init_cpio" ]; then
	"$BIN/gen_init_cpio" -t $TM -c -a 4096 all.list > gic.img 2>err
	[ ! -s err ] || diag "$(cat err)"
	is "$(head -c 6 gic.img)" 070702 "gic: gen_init_cpio -c writes 070702 records"
	awk -F '\t' -v t=$TM 'BEGIN { OFS = "\t" } $2 == "f" { $9 = t } { print }' all.want > gic.want
	boot gic gic.img && report_is gic gic.want
else
	skip "gic: $BIN/gen_init_cpio is not built"
fi

# No QEMU outlives its boot.
if command -v pgrep >/dev/null 2>&1; then
	is "$(pgrep -f -- "-initrd $T/" | tr '\n' ' ')" "" "no QEMU process is left behind"
else
	skip "pgrep is not installed (procps)"
fi

done_testing
