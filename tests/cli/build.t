#!/bin/sh
# initramfs build: directory order, hard links, implied parents, owner
# and mtime options, --crc, --data-align, appended images,
# reproducibility, -o versus standard output, no image to a terminal.
. "$(dirname "$0")/../lib/tap.sh"

cd "$T" || exit 1
I=initramfs
E=1600000000			# 2020-09-13 12:26 UTC
W="2020-09-13 12:26"

# A small tree with fixed mtimes: byte-wise order (A < a-b < b.c), a
# hard-link pair, a name with spaces, a symlink.
mkdir -p d/sub d/a-b "d/with space"
echo hi > d/sub/f
echo data > d/h1
ln d/h1 d/h2
echo x > "d/with space/a file"
ln -s target d/lnk
: > d/A
: > d/b.c
find d -exec touch -h -d "@$E" {} +

$I build -o d.img d
is "$?" 0 "build of a directory exits 0"
is "$($I list d.img)" "$(cd d && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort)" \
	"directory names sorted byte-wise, parents first"
is "$($I list -l d.img)" "\
-rw-r--r--   1 0        0                 0 $W A
drwxr-xr-x   2 0        0                 0 $W a-b
-rw-r--r--   1 0        0                 0 $W b.c
-rw-r--r--   2 0        0                 0 $W h1
-rw-r--r--   2 0        0                 5 $W h2
lrwxrwxrwx   1 0        0                 7 $W lnk -> target
drwxr-xr-x   2 0        0                 0 $W sub
-rw-r--r--   1 0        0                 3 $W sub/f
drwxr-xr-x   2 0        0                 0 $W with space
-rw-r--r--   1 0        0                 2 $W with space/a file" \
	"long listing of a directory source: hard links nlink 2, data on the last name, symlink size counts the NUL"

mkdir x
$I extract d.img x
is "$?" 0 "extract of a directory image exits 0"
is "$(stat -c %i x/h1)" "$(stat -c %i x/h2)" "hard links extracted as one inode"
is "$(stat -c %h x/h1):$(cat x/h1):$(cat x/h2)" "2:data:data" "both hard-linked names hold the data"
is "$(cat "x/with space/a file")" "x" "a name with spaces survives build and extract"
is "$(readlink x/lnk)" "target" "symlink target survives build and extract"

# Implied parents: a list file naming only /a/b/c.
echo content > src1
printf 'file /a/b/c %s 644 0 0\n' "$T/src1" > implied.list
is "$($I build --mtime 5 implied.list | $I list -l -)" "\
drwxr-xr-x   2 0        0                 0 1970-01-01 00:00 a
drwxr-xr-x   2 0        0                 0 1970-01-01 00:00 a/b
-rw-r--r--   1 0        0                 8 1970-01-01 00:00 a/b/c" \
	"implied parents a and a/b (0755, owner 0) come before a/b/c"
# Every record but the trailer must have its own inode number (the
# kernel and cpio link names that share one).
inos=$($I build --mtime 5 implied.list | grep -aoE '07070[12][0-9A-F]{8}' | cut -c7- | grep -v 00000000)
is "$(printf '%s\n' "$inos" | sort | uniq -d)" "" "implied parents get inode numbers of their own"
printf 'file /q/a %s 644 0 0 /q/b\n' "$T/src1" > implied2.list
inos=$($I build --mtime 5 implied2.list | grep -aoE '07070[12][0-9A-F]{8}' | cut -c7- | grep -v 00000000)
is "$(printf '%s\n' "$inos" | uniq -c | awk '{print $1}' | tr '\n' ' ')" "1 2 " \
	"implied parent of a hard-link line is not in the link group"

# Owners: --squash, --root-uid, --root-gid.
chown 1234:5678 d/A
touch -h -d "@$E" d/A
owner() { $I build "$@" d | $I list -l - | awk '$NF == "A" { print $3, $4 }'; }
is "$(owner)" "1234 5678" "owners kept by default"
is "$(owner --squash)" "0 0" "--squash stores owner and group 0"
is "$(owner --root-uid 1234)" "0 5678" "--root-uid maps that uid to 0"
is "$(owner --root-gid 5678)" "1234 0" "--root-gid maps that gid to 0"
is "$(owner --root-uid 99 --root-gid 99)" "1234 5678" "--root-uid/--root-gid leave other ids alone"

# mtime clamping: A is newer than the limit, b.c older.
touch -d @2500000000 d/A
touch -d @1500000000 d/b.c
when() { $I build "$@" d | $I list -l - | awk '$NF == "A" || $NF == "b.c" { print $NF, $6, $7 }'; }
is "$(when --mtime 2000000000)" "A 2033-05-18 03:33
b.c 2017-07-14 02:40" "--mtime clamps newer files and keeps older mtimes"
is "$(SOURCE_DATE_EPOCH=2000000000 when)" "A 2033-05-18 03:33
b.c 2017-07-14 02:40" "SOURCE_DATE_EPOCH clamps like --mtime"
is "$(when)" "A 2049-03-22 04:26
b.c 2017-07-14 02:40" "without a limit mtimes are kept"

# --crc: magic 070702 and the data sum in the check field.
printf abc > abc
printf 'file /f %s 644 0 0\n' "$T/abc" > crc.list
$I build --crc --mtime 0 -o crc.img crc.list
is "$(head -c 6 crc.img)" "070702" "--crc writes 070702 records"
is "$(dd if=crc.img bs=1 skip=102 count=8 2>/dev/null)" "00000126" "--crc check field is the byte sum of the data"
$I build --mtime 0 -o nocrc.img crc.list
is "$(head -c 6 nocrc.img)" "070701" "without --crc the magic is 070701"

# --data-align: a 10000-byte file's data starts at a multiple of 4096.
{ printf 'BIGDATA-MARKER'; head -c 9986 /dev/zero | tr '\0' z; } > d/big
$I build --data-align 4096 -o al.img d
off=$(grep -obUa BIGDATA-MARKER al.img | cut -d: -f1)
is "$((off % 4096)):$(stat -c %s d/big)" "0:10000" "--data-align 4096 puts the data at a multiple of 4096 (offset $off)"
mkdir al; $I extract al.img al
same_file al/big d/big "aligned data extracts intact"
$I build -o nal.img d
off=$(grep -obUa BIGDATA-MARKER nal.img | cut -d: -f1)
ok "without --data-align the data is not padded to 4096 (offset $off)" test "$((off % 4096))" != 0

# An existing image as a source is appended as it is.
$I build -o app.img d.img implied.list
is "$($I list app.img)" "$($I list d.img; printf 'a\na/b\na/b/c')" "an image source is appended, then the list file"
head -c "$(stat -c %s d.img)" app.img > app-head.img
same_file app-head.img d.img "the appended image is copied byte for byte"

# Reproducibility, and -o versus standard output.
SOURCE_DATE_EPOCH=1000 $I build -o r1.img d implied.list
touch d/sub d/sub/f
SOURCE_DATE_EPOCH=1000 $I build -o r2.img d implied.list
same_file r1.img r2.img "two builds with the same SOURCE_DATE_EPOCH are byte-identical"
SOURCE_DATE_EPOCH=1000 $I build d implied.list > r3.img
same_file r3.img r1.img "standard output and -o FILE give the same bytes"
SOURCE_DATE_EPOCH=1000 $I build -o - d implied.list > r4.img
same_file r4.img r1.img "-o - writes standard output"

# No image on a terminal.
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1 </dev/null; then
	out=$(script -qec "$BIN/initramfs build $T/implied.list" /dev/null </dev/null | tr -d '\r')
	like "$out" "refusing to write an image to a terminal" "build to a terminal is refused with a message"
	out=$(script -qec "$BIN/initramfs build $T/implied.list; echo rc=\$?" /dev/null </dev/null | tr -d '\r')
	like "$out" "rc=2" "build to a terminal exits 2"
else
	skip "no pty (script -qec unavailable)"
	skip "no pty (script -qec unavailable)"
fi

done_testing
