#!/bin/sh
# The kernel unpacks our compressed members. Debian's own 6.1 kernel
# boots in QEMU on images that `initramfs build --compress` writes; the
# image's /init, a shell script run by a static busybox, checks the
# sha256 of every file the sources hold (about 300, of 0 bytes to 1 MiB,
# text, random and mixed), every directory, every symlink's target and
# that nothing else is under /data, and prints one line on the console:
# "ES-CHECK PASS N files D dirs L links" or "ES-CHECK FAIL: ...".
#
#   FORMAT   one member of each format: none gzip bzip2 lzma xz lzo lz4 zstd
#   multi    three members, each with its own files: none, zstd, gzip
#   order    lz4 first (its member needs an end the kernel sees), then
#            an uncompressed member (after a compressed one: 4-aligned),
#            then xz
#   levels   xz:0 (many blocks), lz4:12 (lz4hc) in the middle, zstd:19
#
# Then probes of the kernel's rules, each a small image: our uncompressed
# member holding /init, then members made by the peers' tools (gzip, xz,
# lzop, lz4, zstd) or by us and damaged. For each, what the kernel does
# (unpacks it all, or says "Initramfs unpacking failed: ...") and what
# `initramfs list` does (exit 0, or exit 1 naming the member and its
# offset) must agree, except where doc/compression.md says we are
# stricter on purpose.
#
# One boot per image, 2-10 s each under software emulation. The static
# busybox comes from Debian's busybox-static package, unpacked into the
# cache (not installed: it conflicts with busybox, a peer of other tests).
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/qemu.sh"
. "$TOP/tests/lib/busybox.sh"
LC_ALL=C	# names are bytes: sort sees them so
export LC_ALL
unset SOURCE_DATE_EPOCH

I=$BIN/initramfs
[ -x "$I" ] || skip_all "$I is not built (run make)"
command -v perl >/dev/null 2>&1 || skip_all "perl is not installed"
perl -MJSON::PP -e 1 2>/dev/null || skip_all "perl's JSON::PP is not installed"

qemu_need_kernel
BB=$(busybox_static 2>"$T/bb.err") ||
	skip_all "cannot get a static busybox: $(tail -n 1 "$T/bb.err")"
cd "$T" || exit 1
M=1500000000	# --mtime

# --- the guest's /init --------------------------------------------------
cat > init.sh <<'EOF'
#!/bin/busybox sh
# /init of compression.t: compares what the kernel unpacked with the
# lists in /es-check, says so in one console line, powers off.
b=/bin/busybox
c=/es-check
cd / || $b poweroff -f
: > $c/bad
# sha256sum -c says "NAME: FAILED" of a wrong or missing file.
$b sha256sum -c $c/sums > $c/sums.out 2>&1 ||
	$b sed -n 's/: FAILED$//p' $c/sums.out >> $c/bad
nd=0
while read -r p; do
	nd=$((nd + 1))
	[ -d "$p" ] && [ ! -L "$p" ] || echo "dir:$p" >> $c/bad
done < $c/dirs
nl=0
while read -r p t; do
	nl=$((nl + 1))
	[ -L "$p" ] && [ "$($b readlink "$p")" = "$t" ] || echo "link:$p" >> $c/bad
done < $c/links
# Nothing under /data that the sources do not hold.
$b find data 2>/dev/null | $b sort > $c/found
$b diff $c/paths $c/found | $b sed -n 's/^+\([^+]\)/extra:\1/p' >> $c/bad
n=$($b wc -l < $c/bad)
# A new line first: the firmware's last line has no end.
echo
if [ "$n" = 0 ]; then
	echo "ES-CHECK PASS $($b wc -l < $c/sums) files $nd dirs $nl links"
else
	echo "ES-CHECK FAIL: $n: $($b head -n 8 $c/bad | $b tr '\n' ' ')"
fi
$b poweroff -f
EOF

# --- the payload ----------------------------------------------------------
# gen.pl DIR PART SEED: makes DIR/data/PART: 100 files of the sizes that
# matter (0-5, around 512, 4096, 65536) and of random sizes up to 256 KiB,
# one of about 1 MiB, in nested directories, of four kinds (text, random,
# mixed blocks, zeros), an empty directory and four symlinks (relative,
# absolute to a directory, dangling, up a directory). The bytes depend
# only on SEED.
cat > gen.pl <<'EOF'
use strict; use warnings;
my ($root, $part, $seed) = @ARGV;
srand($seed);
my $top = "$root/data/$part";
sub put {
	my ($p, $d) = @_;
	open(my $f, '>', $p) or die "$p: $!\n";
	binmode $f; print $f $d; close $f or die "$p: $!\n";
}
sub rnd { my $n = shift; my $s = ''; $s .= pack('L', int(rand(4294967296))) while length($s) < $n; substr($s, 0, $n) }
sub txt {
	my ($n, $tag) = @_; my ($s, $i) = ('', 0);
	$s .= sprintf("%s line %d: the quick brown fox\n", $tag, $i++) while length($s) < $n;
	substr($s, 0, $n)
}
sub mix {
	my $n = shift; my ($s, $i) = ('', 0);
	while (length($s) < $n) { $s .= ($i++ % 2) ? rnd(4096) : ("\0" x 1024) . txt(3072, "mix") }
	substr($s, 0, $n)
}
my @sizes = (0, 1, 2, 3, 4, 5, 511, 512, 513, 4095, 4096, 4097, 65535, 65536, 65537);
push @sizes, int(exp(rand(log(262144)))) for 1 .. 85;
my @kinds = (\&txt, \&rnd, \&mix, sub { "\0" x $_[0] });
my @dirs = ('', 'd0', 'd1', 'd1/deep', 'd1/deep/er', 'd2');
mkdir "$root/data"; mkdir $top or die "$top: $!\n";
for (grep { $_ ne '' } @dirs) { mkdir "$top/$_" or die "$top/$_: $!\n" }
mkdir "$top/empty-$part" or die;
my $i = 0;
for my $n (@sizes) {
	my $d = $dirs[$i % @dirs];
	put("$top/" . ($d eq '' ? '' : "$d/") . sprintf("f%03d", $i), $kinds[$i % @kinds]->($n, "$part/$i"));
	$i++;
}
my %big = (a => [1048576, \&rnd], b => [1048576, \&txt], c => [1048575, \&mix]);
my ($bn, $bk) = @{$big{$part} || [1048576, \&rnd]};
put("$top/d2/big", $bk->($bn, "$part/big"));
symlink("f000", "$top/l-rel") or die;
symlink("/data/$part/d0", "$top/l-abs-dir") or die;
symlink("no/such/file", "$top/l-dangling") or die;
symlink("../f001", "$top/d0/l-up") or die;
EOF

# check_make DIR SRC...: the lists /init reads, of the union of the
# SRC trees (each holding data/...), into DIR; prints the line /init
# must print.
check_make() {
	_cm=$1; shift
	mkdir -p "$_cm" || return 1
	for _s; do (cd "$_s" && find data -type f -exec sha256sum {} +); done |
		sort -k 2 > "$_cm/sums"
	for _s; do (cd "$_s" && find data -type d); done | sort -u > "$_cm/dirs"
	for _s; do (cd "$_s" && find data -type l -printf '%p %l\n'); done | sort > "$_cm/links"
	for _s; do (cd "$_s" && find data); done | sort -u > "$_cm/paths"
	echo "ES-CHECK PASS $(wc -l < "$_cm/sums") files $(wc -l < "$_cm/dirs") dirs $(wc -l < "$_cm/links") links"
}

# base_list DIR: the list file of what every image carries: /init, the
# static busybox and the check lists in DIR.
base_list() {
	cat <<-EOF
	dir /dev 0755 0 0
	nod /dev/console 0600 0 0 c 5 1
	dir /root 0700 0 0
	dir /bin 0755 0 0
	file /bin/busybox $BB 0755 0 0
	file /init $T/init.sh 0755 0 0
	dir /es-check 0755 0 0
	EOF
	for _bl in sums dirs links paths; do
		echo "file /es-check/$_bl $T/$1/$_bl 0644 0 0"
	done
}

# boot CASE: boots CASE.img; the console, without CRs, in CASE.console.
# Passes when the guest got as far as /init's line or a panic.
boot() {
	qemu_boot "$1.img" quiet 120 "$1.log" 'ES-CHECK (PASS|FAIL)|Kernel panic'
	_b_rc=$?
	qemu_console "$1.log" > "$1.console"
	diag "boot $1: ${QEMU_BOOT_SECS}s wall time ($(qemu_accel))"
	ok "$1: the guest boots and reports" test "$_b_rc" = 0
	[ "$_b_rc" = 0 ] && return 0
	diag "qemu_boot returned $_b_rc (1: the guest stopped, 2: timeout); the console ends with:" \
		"$(tail -n 8 "$1.console")" "$(cat "$1.log.qemu")"
	return 1
}
es_line() { grep -ao 'ES-CHECK .*' "$1.console" | head -n 1; }
unpack_msg() { sed -n 's/.*Initramfs unpacking failed: //p' "$1.console" | head -n 1; }

# formats IMAGE: the formats of its members, by `initramfs info --json`
formats() {
	"$I" info --json "$1" 2>/dev/null | perl -MJSON::PP -e '
		local $/; my $j = decode_json(<STDIN>);
		print join(" ", map { $_->{format} } @{$j->{members}}), "\n"'
}
# magic IMAGE: its first 4 bytes in hex
magic() { od -An -tx1 -N4 "$1" | tr -d ' \n'; }

# --- the main images ------------------------------------------------------
mkdir pa pb pc
perl gen.pl pa a 1 && perl gen.pl pb b 2 && perl gen.pl pc c 3 ||
	{ ok "the payload is made" false; done_testing; exit; }
WANT=$(check_make main.chk pa pb pc)
diag "payload: $WANT, $(du -sk pa pb pc | awk '{ s += $1 } END { print s }') KiB"
base_list main.chk > main.list

# main CASE: boot CASE.img; /init finds everything, the kernel no error
main() {
	boot "$1" || return
	is "$(es_line "$1")" "$WANT" "$1: the kernel unpacks every member: /init finds every file, dir and link"
	is "$(unpack_msg "$1")" "" "$1: the kernel reports no unpacking error"
}

for f in none gzip bzip2 lzma xz lzo lz4 zstd; do
	"$I" build --mtime $M -o $f.img --compress $f main.list pa pb pc 2>err
	ok "$f: initramfs build --compress $f writes the image" test -s $f.img
	[ ! -s err ] || diag "$(cat err)"
	[ -s $f.img ] || continue
	case $f in
	none)	m=30373037 ;;	gzip)	m=1f8b08 ;;	bzip2)	m=425a68 ;;
	lzma)	m=5d0000 ;;	xz)	m=fd377a58 ;;	lzo)	m=894c5a4f ;;
	lz4)	m=02214c18 ;;	zstd)	m=28b52ffd ;;
	esac
	like "$(magic $f.img)" "^$m" "$f: the image starts with the magic of $f"
	is "$(formats $f.img)" "$f" "$f: initramfs info sees one $f member"
	main $f
done

"$I" build --mtime $M -o multi.img main.list pa --compress zstd pb --compress gzip pc 2>err
[ ! -s err ] || diag "$(cat err)"
is "$(formats multi.img)" "none zstd gzip" "multi: three members: none, zstd, gzip"
main multi

"$I" build --mtime $M -o order.img --compress lz4 main.list pa --compress none pb \
	--compress xz pc 2>err
[ ! -s err ] || diag "$(cat err)"
is "$(formats order.img)" "lz4 none xz" "order: three members: lz4, none, xz"
main order

"$I" build --mtime $M -o levels.img --compress xz:0 main.list pa --compress lz4:12 pb \
	--compress zstd:19 pc 2>err
[ ! -s err ] || diag "$(cat err)"
is "$(formats levels.img)" "xz lz4 zstd" "levels: three members: xz:0, lz4:12, zstd:19"
main levels

# --- probes of the kernel's rules -----------------------------------------
# Each probe NAME has its own payload: NAME.p1 (data/NAME/text) and
# NAME.p2 (data/NAME/sub/{rand,link}); our uncompressed NAME.base holds
# /init and the lists of both; NAME.c1, NAME.c2 and NAME.cpio are our
# uncompressed archives of p1, p2 and both. The caller appends members
# to NAME.base to make NAME.img. NAME.names: the names of NAME.base and
# NAME.cpio, as `initramfs list` prints them (names2 NAME: of NAME.base,
# NAME.c1 and NAME.c2, for the probes that put c1 and c2 in two members).
probe_make() {
	mkdir -p $1.p1/data/$1 $1.p2/data/$1/sub
	seq 1 3000 > $1.p1/data/$1/text
	perl -e 'srand(7); print pack("L*", map { int(rand(4294967296)) } 1 .. 1500)' \
		> $1.p2/data/$1/sub/rand
	ln -s ../text $1.p2/data/$1/sub/link
	PROBE_WANT=$(check_make $1.chk $1.p1 $1.p2)
	base_list $1.chk > $1.list
	"$I" build --mtime $M -o $1.base $1.list &&
	"$I" build --mtime $M -o $1.c1 $1.p1 &&
	"$I" build --mtime $M -o $1.c2 $1.p2 &&
	"$I" build --mtime $M -o $1.cpio $1.p1 $1.p2 &&
	"$I" list $1.base > $1.names &&
	"$I" list $1.cpio >> $1.names
}
names2() { for _n in base c1 c2; do "$I" list $1.$_n; done > $1.names; }
have() { command -v "$1" >/dev/null 2>&1; }
size() { stat -c %s "$1"; }

# probe NAME KERNEL OURS DESCRIPTION: boots NAME.img.
#   KERNEL  PASS: the kernel unpacks every member (/init's check passes);
#           else an ERE the kernel's "Initramfs unpacking failed: "
#           message must match.
#   OURS    ok: `initramfs list` exits 0 and lists every entry;
#           else "member K (FORMAT) at offset O": it exits 1 saying so.
probe() {
	_p=$1 _pk=$2 _po=$3 _pd=$4
	if ! boot "$_p"; then
		skip "$_p: the guest did not report"
	elif [ "$_pk" = PASS ]; then
		is "$(es_line "$_p")" "$PROBE_WANT" "$_p: the kernel unpacks it ($_pd)"
		[ -z "$(unpack_msg "$_p")" ] || diag "$_p: the kernel said: $(unpack_msg "$_p")"
	else
		like "$(unpack_msg "$_p")" "$_pk" "$_p: the kernel refuses it ($_pd)"
		diag "$_p: the kernel said: $(unpack_msg "$_p")"
	fi
	"$I" list "$_p.img" > "$_p.list.out" 2> "$_p.list.err"
	_rc=$?
	if [ "$_po" = ok ]; then
		is "$_rc:$(cat "$_p.list.err")" "0:" "$_p: initramfs list reads it without a message"
		is "$(cat "$_p.list.out")" "$(cat "$_p.names")" "$_p: initramfs list lists every entry"
	else
		is "$_rc" 1 "$_p: initramfs list exits 1"
		like "$(cat "$_p.list.err")" "$_po" "$_p: initramfs list names the member: $_po"
	fi
}

# Accepted by the kernel.
probe_make gzip-fname
cp gzip-fname.cpio gzip-fname.c.cpio
gzip -c gzip-fname.c.cpio > g.gz
is "$(magic g.gz)" 1f8b0808 "gzip-fname: gzip stores the file name (FNAME)"
cat gzip-fname.base g.gz > gzip-fname.img
probe gzip-fname PASS ok "a gzip header with the file name"

if have xz; then
	probe_make xz-nocheck
	{ cat xz-nocheck.base; xz -c --check=none xz-nocheck.cpio; } > xz-nocheck.img
	probe xz-nocheck PASS ok "xz --check=none"
	probe_make xz-x86
	{ cat xz-x86.base; xz -c --check=crc32 --x86 --lzma2 xz-x86.cpio; } > xz-x86.img
	probe xz-x86 PASS ok "xz --check=crc32 --x86: the x86 BCJ filter is configured"
	probe_make lzma-9
	{ cat lzma-9.base; xz -c --format=lzma -9 lzma-9.cpio; } > lzma-9.img
	probe lzma-9 PASS ok "lzma -9: a 64 MiB dictionary"
else
	skip "xz is not installed (xz-utils)"
fi
if have lzop; then
	probe_make lzo-crc32
	{ cat lzo-crc32.base; lzop -c --crc32 lzo-crc32.cpio; } > lzo-crc32.img
	probe lzo-crc32 PASS ok "lzop --crc32: one CRC32 of the data per block"
	probe_make lzo-9
	{ cat lzo-9.base; lzop -c -9 lzo-9.cpio; } > lzo-9.img
	probe lzo-9 PASS ok "lzop -9 (LZO1X-999)"
else
	skip "lzop is not installed"
fi
if have lz4; then
	probe_make lz4-nul
	names2 lz4-nul
	{ cat lz4-nul.base; lz4 -c -l lz4-nul.c1; printf '\0\0\0\0'; gzip -n -c lz4-nul.c2; } > lz4-nul.img
	probe lz4-nul PASS ok "lz4 -l, 4 NUL bytes, then a gzip member"
else
	skip "lz4 is not installed"
fi
if have zstd; then
	probe_make zstd-long27
	{ cat zstd-long27.base; zstd -q -c --long=27 < zstd-long27.cpio; } > zstd-long27.img
	probe zstd-long27 PASS ok "zstd --long=27: a 128 MiB window"
else
	skip "zstd is not installed"
fi
# A compressed member, NULs to the next multiple of 4, an uncompressed one.
probe_make cpio-aligned
names2 cpio-aligned
gzip -n -c cpio-aligned.c1 > g.gz
{ cat cpio-aligned.base g.gz; head -c $(( (4 - $(size g.gz) % 4) % 4 )) /dev/zero; cat cpio-aligned.c2; } \
	> cpio-aligned.img
probe cpio-aligned PASS ok "an uncompressed member 4-aligned after a gzip member"

# Accepted by the kernel, refused by us on purpose: the kernel never
# checks gzip's CRC32 (doc/compression.md), nor lzop's checksums.
probe_make gzip-badcrc
gzip -n -c gzip-badcrc.cpio > g.gz
{ head -c $(($(size g.gz) - 8)) g.gz; printf '\336\255\276\357'; tail -c 4 g.gz; } > g2.gz
cat gzip-badcrc.base g2.gz > gzip-badcrc.img
probe gzip-badcrc PASS "member 1 \(gzip\) at offset $(size gzip-badcrc.base)" \
	"a gzip member whose CRC32 is wrong"

# The kernel never reads lzop's checksums either (it skips 4 bytes).
if have lzop; then
	probe_make lzo-badsum
	# Flip a bit of the first block's adler32: after the header (whose
	# length depends on version, flags and name) and two block sizes.
	lzop -c lzo-badsum.cpio | perl -e 'local $/; my $d = <STDIN>;
		my $p = 9; my $v = unpack("n", substr($d, $p, 2));
		$p += 7 + ($v >= 0x940);
		$p += (unpack("N", substr($d, $p, 4)) & 0x800) ? 8 : 4;
		$p += 8 + ($v >= 0x940 ? 4 : 0);
		$p += 1 + ord(substr($d, $p, 1)) + 4;
		substr($d, $p + 8, 1) ^= "\x01"; print $d' > l.lzo
	lzop -t < l.lzo > /dev/null 2>&1
	is "$?" 1 "lzo-badsum: lzop -t sees the wrong adler32"
	cat lzo-badsum.base l.lzo > lzo-badsum.img
	probe lzo-badsum PASS "member 1 \(lzo\) at offset $(size lzo-badsum.base)" \
		"an lzop block whose adler32 is wrong"
fi

# Refused by the kernel.
if have xz; then
	probe_make xz-crc64
	{ cat xz-crc64.base; xz -c xz-crc64.cpio; } > xz-crc64.img
	probe xz-crc64 "^Input was encoded with settings that are not supported by this XZ decoder" \
		"member 1 \(xz\) at offset $(size xz-crc64.base)" "xz's default check, CRC64"
	probe_make xz-delta
	{ cat xz-delta.base; xz -c --check=crc32 --delta --lzma2 xz-delta.cpio; } > xz-delta.img
	probe xz-delta "^Input was encoded with settings that are not supported by this XZ decoder" \
		"member 1 \(xz\) at offset $(size xz-delta.base)" "the delta filter"
	probe_make xz-arm
	{ cat xz-arm.base; xz -c --check=crc32 --arm --lzma2 xz-arm.cpio; } > xz-arm.img
	probe xz-arm "^Input was encoded with settings that are not supported by this XZ decoder" \
		"member 1 \(xz\) at offset $(size xz-arm.base)" "the ARM BCJ filter, not configured"
	probe_make xz-x86-start
	{ cat xz-x86-start.base; xz -c --check=crc32 --x86=start=16 --lzma2 xz-x86-start.cpio; } \
		> xz-x86-start.img
	probe xz-x86-start "^Input was encoded with settings that are not supported by this XZ decoder" \
		"member 1 \(xz\) at offset $(size xz-x86-start.base)" \
		"the x86 BCJ filter with a start offset"
fi
if have zstd; then
	probe_make zstd-long28
	{ cat zstd-long28.base; zstd -q -c --long=28 < zstd-long28.cpio; } > zstd-long28.img
	probe zstd-long28 "ZSTD" "member 1 \(zstd\) at offset $(size zstd-long28.base)" \
		"zstd --long=28: a 256 MiB window"

	# Ours, one byte flipped where zstd itself sees the damage.
	probe_make zstd-flip
	"$I" build --mtime $M -o zstd-flip.img zstd-flip.list --compress zstd zstd-flip.p1 zstd-flip.p2
	# shellcheck disable=SC2046 # two numbers, meant to split
	set -- $("$I" info --json zstd-flip.img | perl -MJSON::PP -e '
		local $/; my $m = decode_json(<STDIN>)->{members}[1];
		print "$m->{offset} $m->{stored}\n"')
	zo=${1:-0} zn=${2:-0}
	cp zstd-flip.img zstd-flip.orig
	at=
	for k in 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
		try=$((zo + zn * k / 17))
		perl -e 'local $/; my $d = <STDIN>;
			substr($d, $ARGV[0], 1) ^= "\x55"; print $d' $try \
			< zstd-flip.orig > zstd-flip.img
		if ! tail -c +$((zo + 1)) zstd-flip.img | head -c "$zn" | zstd -q -t 2>/dev/null; then
			at=$try
			break
		fi
	done
	ok "zstd-flip: a byte of the zstd member flipped, which zstd -t detects (at ${at:-none})" \
		test -n "$at"
	probe zstd-flip "^ZSTD-compressed data is (probably )?corrupt" \
		"member 1 \(zstd\) at offset $zo" "a byte flipped in our zstd member"
fi
if have lz4; then
	probe_make lz4-gzip
	lz4 -c -l lz4-gzip.c1 > l.lz4
	{ cat lz4-gzip.base l.lz4; gzip -n -c lz4-gzip.c2; } > lz4-gzip.img
	probe lz4-gzip "^Decoding failed" "member 1 \(lz4\) at offset $(size lz4-gzip.base)" \
		"lz4 -l directly followed by a gzip member: no end the kernel sees"
fi
if have lzop; then
	probe_make lzo-nocheck
	{ cat lzo-nocheck.base; lzop -c --no-checksum lzo-nocheck.cpio; } > lzo-nocheck.img
	probe lzo-nocheck "^Compressed data violation|^file corrupted" \
		"member 1 \(lzo\) at offset $(size lzo-nocheck.base)" \
		"lzop --no-checksum: the kernel skips a checksum that is not there"
fi
probe_make cpio-unaligned
# gzip streams of the same data vary in length with the name stored:
# find one whose length is not a multiple of 4.
for n in x xx xxx xxxx; do
	cp cpio-unaligned.c1 $n
	gzip -c $n > g.gz
	[ $(($(size g.gz) % 4)) = 0 ] || break
done
cat cpio-unaligned.base g.gz cpio-unaligned.c2 > cpio-unaligned.img
probe cpio-unaligned "^invalid magic at start of compressed archive" \
	"member 2 at offset $(($(size cpio-unaligned.base) + $(size g.gz)))" \
	"an uncompressed member right after a gzip member, not 4-aligned"
probe_make mid-entry
# The payload cut 1000 bytes into rand's data, compressed whole.
o=$(grep -obUa 'sub/rand' mid-entry.cpio | head -n 1 | cut -d: -f1)
head -c $((o + 1000)) mid-entry.cpio | gzip -n > g.gz
cat mid-entry.base g.gz > mid-entry.img
probe mid-entry "^junk at the end of compressed archive" \
	"member 1 \(gzip\) at offset $(size mid-entry.base)" "a gzip member that ends inside an entry"
# gzip headers the kernel's own parser does not skip (crafted: gzip never
# writes them; pigz and bgzip do).
probe_make gzip-comment
gzip -n -c gzip-comment.cpio | perl -e 'local $/; my $d = <STDIN>;
	substr($d, 3, 1) = chr(ord(substr($d, 3, 1)) | 0x10); substr($d, 10, 0) = "a comment\0";
	print $d' > g.gz
gzip -t g.gz 2>/dev/null
is "$?" 0 "gzip-comment: gzip reads the crafted FCOMMENT header"
cat gzip-comment.base g.gz > gzip-comment.img
probe gzip-comment "^uncompression error" "member 1 \(gzip\) at offset $(size gzip-comment.base)" \
	"a gzip header with a comment"
probe_make gzip-extra
gzip -n -c gzip-extra.cpio | perl -e 'local $/; my $d = <STDIN>;
	substr($d, 3, 1) = chr(ord(substr($d, 3, 1)) | 0x04); substr($d, 10, 0) = pack("v", 6) . "BC\2\0xy";
	print $d' > g.gz
cat gzip-extra.base g.gz > gzip-extra.img
probe gzip-extra "^uncompression error" "member 1 \(gzip\) at offset $(size gzip-extra.base)" \
	"a gzip header with an extra field"

# No QEMU outlives its boot.
if command -v pgrep >/dev/null 2>&1; then
	is "$(pgrep -f -- "-initrd $T/" | tr '\n' ' ')" "" "no QEMU process is left behind"
else
	skip "pgrep is not installed (procps)"
fi

done_testing
