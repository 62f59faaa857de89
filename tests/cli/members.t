#!/bin/sh
# Images of several members: build --compress for every format, info
# (table and JSON), list/extract --member, --microcode, images as
# sources of compressed members, thread-count independence, and the
# mistakes --compress users make.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/tree.sh"

cd "$T" || exit 1
I=initramfs
M=1600000000
FORMATS="gzip bzip2 lzma xz lzo lz4 zstd"

mkdir -p a/etc b/bin c
echo alpha > a/etc/a1
echo beta > b/bin/b1
head -c 300000 /dev/urandom > c/random
seq 1 200000 > c/counting

# Every format, alone: the image lists as the uncompressed build does.
$I build -o plain.img --mtime $M a b c 2> err
ok "uncompressed build" test -s plain.img
$I list plain.img > plain.list
for f in $FORMATS; do
	$I build -o "$f.img" --mtime $M --compress "$f" a b c 2> err
	is "$?:$(cat err)" "0:" "build --compress $f"
	$I list "$f.img" > "$f.list" 2> err
	is "$?:$(cat err)" "0:" "list of the $f image"
	same_file "$f.list" plain.list "$f image lists like the uncompressed one"
	set -- $($I info "$f.img" | awk 'NR == 2 { print $1, $2, $4, $5, $6 }')
	is "$*" "0 0 $f $(stat -c %s plain.img) $(sed -n '$=' plain.list)" \
		"info: $f member 0 at offset 0, its decoded size and entry count"
done

# Levels: in range accepted, out of range refused with the range.
$I build -o l.img --compress zstd:19 a 2> err
is "$?" 0 "zstd:19 accepted"
$I build -o l.img --compress gzip:10 a 2> err
is "$?:$(head -1 err)" "2:initramfs build: --compress gzip:10: gzip levels are 1 to 9" "gzip:10 refused with the range"
$I build -o l.img --compress zip a 2> err
like "$?:$(head -1 err)" "^2:initramfs build: --compress zip: unknown format" "unknown format refused"
$I build -o l.img a --compress zstd 2> err
is "$?:$(cat err)" "2:initramfs build: --compress zstd: no SOURCE follows it (it applies to the SOURCEs after it)" \
	"--compress after every source: said clearly"
ok "no image left behind by a refused build" test ! -e l.img.tmp

# Three members: none + zstd + gzip, each with its own files.
$I build -o three.img --mtime $M a --compress zstd b --compress gzip c 2> err
is "$?:$(cat err)" "0:" "three-member build"
$I info three.img > info.txt
is "$(awk 'NR > 1 { print $1, $4, $6 }' info.txt | tr '\n' ' ')" "0 none 2 1 zstd 2 2 gzip 2 " \
	"info: three members, formats and entry counts"
$I build -o zn.img --mtime $M --compress zstd a --compress none b 2>/dev/null
is "$($I info zn.img | awk 'NR == 3 { print $4, $2 % 4 }')" "none 0" \
	"an uncompressed member after a compressed one starts on a 4-byte boundary"
$I build -o gg.img --mtime $M --compress gzip a --compress gzip b 2>/dev/null
is "$(gzip -dc < gg.img | $I list - 2>/dev/null | tr '\n' ' ')" "etc etc/a1 bin bin/b1 " \
	"compressed members are not padded: gzip -dc reads two gzip members whole"
$I list --member 3 three.img > out 2> err
is "$?:$(cat err)" "1:initramfs list: three.img: no member 3: the image has 3 (counted from 0)" \
	"--member past the last member is an error"
$I info --json three.img > info.json
is "$(perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>);
	print join(" ", map { "$_->{index}:$_->{format}:$_->{entries}" } @{$j->{members}})' < info.json)" \
	"0:none:2 1:zstd:2 2:gzip:2" "info --json parses and agrees"
is "$($I list --member 1 three.img | tr '\n' ' ')" "bin bin/b1 " "list --member 1"
is "$($I list --member 1- three.img | tr '\n' ' ')" "bin bin/b1 counting random " "list --member 1-"
is "$($I list --member 0-1 three.img | tr '\n' ' ')" "etc etc/a1 bin bin/b1 " "list --member 0-1"
$I list --member 2-1 three.img 2> err
like "$?:$(cat err)" "^2:initramfs list: --member 2-1: expected N, N- or N-M" "a backwards range refused"
mkdir x3
$I extract --member 2 three.img x3 2> err
is "$?:$(ls x3 | tr '\n' ' ')" "0:counting random " "extract --member 2 takes only that member"
mkdir xall
$I extract three.img xall 2> err
is "$?:$(cat xall/etc/a1 xall/bin/b1)" "0:alpha
beta" "extract of all three members"
same_file xall/random c/random "the gzip member's data intact"

# lz4 legacy frames have no end: an lz4 member followed by another must
# be closed by 4 zero bytes, or the kernel reads the next as a chunk.
$I build -o lz4mid.img --mtime $M --compress lz4 a --compress gzip b 2> err
is "$?:$($I list lz4mid.img | tr '\n' ' ')" "0:etc etc/a1 bin bin/b1 " "lz4 member followed by a gzip member"
off=$($I info lz4mid.img | awk 'NR == 2 { print $2 + $3 }')
is "$(od -An -tx1 -j "$off" -N 4 lz4mid.img | tr -d ' ')" "00000000" "four zero bytes after the lz4 member"

# The same bytes whatever the thread count.
for f in zstd xz; do
	$I build -o "t1.$f" --mtime $M --threads 1 --compress "$f:1" c c c 2>/dev/null
	$I build -o "t2.$f" --mtime $M --threads 2 --compress "$f:1" c c c 2>/dev/null
	$I build -o "t4.$f" --mtime $M --threads 4 --compress "$f:1" c c c 2>/dev/null
	ok "$f: --threads 1, 2 and 4 give the same bytes" sh -c "cmp -s t1.$f t2.$f && cmp -s t1.$f t4.$f"
done

# An image as the source of a compressed member: its entries copied.
$I build -o inner.img --mtime $M --compress gzip b 2>/dev/null
$I build -o outer.img --mtime $M --compress zstd a inner.img 2> err
is "$?:$($I info outer.img | awk 'NR > 1 { print $4, $6 }' | tr '\n' ' ')" "0:zstd 4 " \
	"an image added to a zstd member: one member holding its entries"
is "$($I list outer.img | tr '\n' ' ')" "etc etc/a1 bin bin/b1 " "its entries are listed"
# ... and into an uncompressed member: appended as it is.
$I build -o outer2.img --mtime $M a inner.img 2> err
is "$?:$($I info outer2.img | awk 'NR > 1 { print $4 }' | tr '\n' ' ')" "0:none gzip " \
	"an image added to an uncompressed member keeps its own members"

# Early microcode: first, uncompressed, where the kernel's loader looks.
mkdir ucode
printf 'INTEL-1' > ucode/06-55-04
printf 'INTEL-2' > ucode/06-8e-09
printf 'DMA\000amd-container' > amd.bin
$I build -o uc.img --mtime $M --microcode ucode --microcode amd.bin --compress zstd a 2> err
is "$?:$($I info uc.img | awk 'NR > 1 { print $1, $4 }' | tr '\n' ' ')" "0:0 none 1 zstd " \
	"microcode in an uncompressed member before the rest"
is "$($I list --member 0 uc.img | tr '\n' ' ')" \
	"kernel kernel/x86 kernel/x86/microcode kernel/x86/microcode/GenuineIntel.bin kernel/x86/microcode/AuthenticAMD.bin " \
	"both vendors' files, with their parents"
mkdir xu
$I extract --member 0 uc.img xu 2>/dev/null
is "$(cat xu/kernel/x86/microcode/GenuineIntel.bin)" "INTEL-1INTEL-2" "a directory's updates concatenated in name order"
is "$(od -An -c -N 4 xu/kernel/x86/microcode/AuthenticAMD.bin | tr -d ' ')" 'DMA\0' "AMD container recognised by its magic"

done_testing
