#!/bin/sh
# Bad input: list-file errors name FILE:LINE and leave no output (an
# existing output is untouched); hostile or foreign archives given to
# list and extract are reported with the image and byte offset.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/newc.sh"

cd "$T" || exit 1
I=initramfs
echo content > src
mkdir srcdir

# build_fails DESC LIST-TEXT EXPECTED-STDERR
build_fails() {
	printf '%s\n' "$2" > bad.list
	rm -f new.img
	$I build -o new.img bad.list 2> err
	rc=$?
	is "$rc:$(cat err)" "1:$3" "$1: exit 1 and the message"
	ok "$1: no output file left" test ! -e new.img
	echo precious > keep.img
	$I build -o keep.img bad.list 2> /dev/null
	is "$(cat keep.img)" "precious" "$1: an existing output is untouched"
	is "$(ls -A | LC_ALL=C sort | tr '\n' ' ')" "bad.list err keep.img src srcdir " \
		"$1: no temporary file left behind"
	rm -f keep.img err
}

build_fails "unknown type" "bogus /x 755 0 0" \
	"initramfs build: bad.list:1: unknown type 'bogus'"
build_fails "too few fields" "dir /ok 755 0 0
file /x" \
	"initramfs build: bad.list:2: malformed 'file' line: '/x'"
build_fails "hardlink to no file" "dir /ok 755 0 0
hardlink /ok/b /ok/a" \
	"initramfs build: bad.list:2: hardlink /ok/b: no file line before it names /ok/a"
build_fails "mtime out of range" "mtime 4294967296" \
	"initramfs build: bad.list:1: mtime must be seconds since 1970, at most 4294967295"
build_fails "negative uid" "# comment

dir /x 755 -1 0" \
	"initramfs build: bad.list:3: negative uid or gid"
build_fails "missing source file" "dir /ok 755 0 0
file /x $T/nonexistent 644 0 0" \
	"initramfs build: bad.list:2: $T/nonexistent: No such file or directory"
build_fails "directory in place of a file" "file /x $T/srcdir 644 0 0" \
	"initramfs build: bad.list:1: $T/srcdir: not a regular file"

rm -f new.img
$I build -o new.img "$T/nonexistent" 2> err
is "$?:$(cat err)" "1:initramfs build: $T/nonexistent: No such file or directory" \
	"a missing SOURCE: exit 1 and the message"
ok "a missing SOURCE: no output file left" test ! -e new.img

# Bad option values exit 2 without writing.
$I build --data-align 3 -o new.img srcdir 2> err
is "$?:$(head -1 err)" "2:initramfs build: invalid value '3': must be a positive multiple of 4" "--data-align 3 refused"
$I build --mtime -1 -o new.img srcdir 2> err
is "$?:$(head -1 err)" "2:initramfs build: invalid value '-1': must be a number from 0 to 4294967295" "--mtime -1 refused"
SOURCE_DATE_EPOCH=abc $I build -o new.img srcdir 2> err
is "$?:$(head -1 err)" "2:initramfs build: SOURCE_DATE_EPOCH='abc' is not a number of seconds" "bad SOURCE_DATE_EPOCH refused"
ok "bad options: no output file left" test ! -e new.img

# Archives. good.img: "ok" (header and name 116 bytes, data 4) then
# the trailer at offset 120; 244 bytes in all.
{ newc_entry ok 0100644 '' hi; newc_trailer; } > good.img
is "$($I list good.img)" "ok" "the hand-made archive lists"

# both_fail IMAGE EXPECTED DESC [EXTRACT-EXPECTED]: list and extract
# exit 1 with "initramfs CMD: IMAGE: EXPECTED" as the first line of
# stderr; extract then says what it kept.
both_fail() {
	$I list "$1" > out 2> err
	is "$?:$(head -1 err)" "1:initramfs list: $1: $2" "list, $3"
	rm -rf xd; mkdir xd
	$I extract "$1" xd > out 2> err
	is "$?:$(head -1 err)" "1:initramfs extract: $1: ${4:-$2}" "extract, $3"
	like "$(tail -1 err)" "^initramfs extract: the [0-9]+ entries before the error stay extracted in xd\$" \
		"extract, $3: says what it kept"
}

head -c 60 good.img > trunc-hdr.img
both_fail trunc-hdr.img "offset 0: truncated archive: header cut short" "header cut short"
head -c 150 good.img > trunc-hdr2.img
both_fail trunc-hdr2.img "offset 120: truncated archive: header cut short" "second header cut short"
newc_entry ok 0100644 100 hi > trunc-data.img
both_fail trunc-data.img "offset 120: truncated archive: data or padding cut short" "data cut short" \
	"offset 120: truncated archive: file data cut short"

{ newc_entry ok 0100644 '' hi; NEWC_MAGIC=070799 newc_entry no 0100644 '' ''; } > magic.img
both_fail magic.img "offset 120: no cpio magic" "bad magic at a 4-aligned entry"
printf 'this is not an archive at all, just some text\n' > text.img
both_fail text.img "member 0 at offset 0: invalid magic at start of compressed archive" "junk that is no known compression"

NEWC_MAGIC=070707 newc_entry odc 0100644 '' '' > odc-hand.img
both_fail odc-hand.img "offset 0: incorrect cpio method used: use -H newc option" "070707 magic"
if command -v cpio >/dev/null 2>&1; then
	(cd srcdir && : > f && echo f | cpio -o -H odc 2>/dev/null) > odc.img
	both_fail odc.img "offset 0: incorrect cpio method used: use -H newc option" "GNU cpio -H odc output"
else
	skip "cpio not installed"; skip "cpio not installed"
fi

NEWC_NONUL=1 newc_entry bad 0100644 '' hi > nonul.img
both_fail nonul.img "offset 0: malformed archive: name without NUL terminator: 'badX'" "name without NUL"

cp good.img hex.img
printf ZZ | dd of=hex.img bs=1 seek=14 conv=notrunc 2>/dev/null
both_fail hex.img "offset 0: malformed header: field mode is not 8 hex digits" "non-hex digits in a field"

# Compressed members: the member's index, format and offset lead.
{ cat good.img; gzip -n -c good.img | head -c 20; } > gzcut.img
both_fail gzcut.img "member 1 (gzip) at offset 244: compressed data ends before the member does (at offset 264)" \
	"a gzip member cut short"
is "$(cat xd/ok)" "hi" "extract keeps what came before the damaged member"
{ cat good.img; printf '\037\236junk'; } > gz9e.img
$I list gz9e.img > out 2> err
like "$?:$(head -1 err)" "^1:initramfs list: gz9e.img: member 1 \\(gzip\\) at offset 244: decompressor failed: Not a gzip file" \
	"old gzip magic 1f 9e: the kernel's gunzip refuses it, and so do we"
{ head -c 200 good.img; } > cut.img
gzip -n -c cut.img > gzmid.img
both_fail gzmid.img "member 0 (gzip) at offset 0: junk at the end of compressed archive: the member ends inside an entry, at uncompressed offset 120: truncated archive: header cut short" \
	"a gzip member ending inside an entry (the kernel's words)"
{ cat good.img; printf 'x'; gzip -n -c good.img; } > gzjunk.img
both_fail gzjunk.img "member 1 at offset 244: invalid magic at start of compressed archive" "a non-NUL byte between members"
{ cat good.img; printf 'JUNK'; } | gzip -n -c > gzwithin.img
both_fail gzwithin.img "member 0 (gzip) at offset 0: junk within compressed archive" \
	"junk inside a gzip member after its trailer (the kernel's words)"

# namesize 0: skipped with a warning, the rest goes on.
{ NEWC_NAMESIZE=0 newc_entry '' 0100644 '' ''; newc_entry ok 0100644 '' hi; newc_trailer; } > ns0.img
$I list ns0.img > out 2> err
is "$?:$(cat out)" "0:ok" "list, namesize 0: exit 0 and the next entry listed"
is "$(cat err)" "initramfs list: warning: ns0.img: offset 0: '' skipped as the kernel does: namesize is 0 or over PATH_MAX" \
	"list, namesize 0: a warning with the offset"
rm -rf xd; mkdir xd
$I extract ns0.img xd 2> err
is "$?:$(cat xd/ok)" "1:hi" "extract, namesize 0: the next entry extracted, exit 1 (an entry skipped)"
like "$(cat err)" "namesize is 0" "extract, namesize 0: a warning"

# Missing image, missing argument.
$I list "$T/nonexistent" 2> err
is "$?:$(cat err)" "1:initramfs list: $T/nonexistent: No such file or directory" "list of a missing image"
$I list 2> err
is "$?:$(head -1 err)" "2:initramfs list: expected one IMAGE" "list without IMAGE exits 2"

done_testing
