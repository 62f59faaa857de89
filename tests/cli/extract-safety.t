#!/bin/sh
# initramfs extract: leading '/' dropped, '..' and paths through
# symlinks refused without writing outside DIR, type changes and
# overwrites as the kernel does them, device nodes, exit status,
# directory mtimes applied last.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/newc.sh"

cd "$T" || exit 1
I=initramfs
mkdir sand sand/out sand/elsewhere
echo bystander > sand/bystander

# snapshot: every path under sand outside sand/out, with checksums.
snapshot() {
	(cd sand && find . -path ./out -prune -o -print | LC_ALL=C sort &&
	 find . -path ./out -prune -o -type f -exec md5sum {} + | LC_ALL=C sort)
}

# Absolute names: a list file with /abs, then a hand-made /etc/x.
echo absdata > absrc
printf 'file /abs %s 644 0 0\n' "$T/absrc" > abs.list
$I build -o abs.img abs.list
$I extract abs.img sand/out
is "$?:$(cat sand/out/abs)" "0:absdata" "a list file's /abs extracts as DIR/abs"
rm -rf sand/out/*
{ newc_entry /etc 040755 '' ''; newc_entry /etc/x 0100644 '' abs; newc_trailer; } > abs2.img
before=$(snapshot)
$I extract abs2.img sand/out 2> err
is "$?:$(cat sand/out/etc/x)" "0:abs" "archive name /etc/x extracts as DIR/etc/x"
is "$(cat err)" "" "no warning for leading '/'"
is "$(snapshot)" "$before" "nothing written outside DIR for absolute names"

# '..' components are refused, the other entries extracted.
rm -rf sand/out/*
{
	newc_entry a 040755 '' ''
	newc_entry a/../../escape 0100644 '' bad
	newc_entry ../up 0100644 '' bad
	newc_entry .. 040755 '' ''
	newc_entry ../bystander 0100644 '' clobbered
	newc_entry a/.. 040700 '' ''
	newc_entry ok 0100644 '' fine
	newc_trailer
} > dotdot.img
before=$(snapshot)
$I extract dotdot.img sand/out 2> err
is "$?" 1 "'..' names: exit 1"
is "$(cat err)" "\
initramfs extract: warning: a/../../escape: refused: the name has a '..' component
initramfs extract: warning: ../up: refused: the name has a '..' component
initramfs extract: warning: ..: refused: the name has a '..' component
initramfs extract: warning: ../bystander: refused: the name has a '..' component
initramfs extract: warning: a/..: refused: the name has a '..' component
initramfs extract: entries not extracted: 5" "'..' names: each refused entry named"
is "$(snapshot)" "$before" "'..' names: nothing written outside DIR"
is "$(cd sand/out && find . | LC_ALL=C sort | tr '\n' ' '):$(cat sand/out/ok)" ". ./a ./ok :fine" \
	"'..' names: the other entries extracted"
is "$(stat -c %a sand/out)" "755" "'..' names: DIR's own mode untouched by a/.."

# A symlink, then a file through it.
rm -rf sand/out/*
{ newc_entry l 0120777 '' "$T/sand/elsewhere"; newc_entry l/x 0100644 '' through; newc_trailer; } > sl.img
before=$(snapshot)
$I extract sl.img sand/out 2> err
is "$?" 1 "file through a symlink entry: exit 1"
like "$(cat err)" "^initramfs extract: warning: l/x: refused: " "file through a symlink entry: refused by name"
is "$(snapshot)" "$before" "file through a symlink entry: nothing written through the symlink"
is "$(readlink sand/out/l)" "$T/sand/elsewhere" "the symlink itself is extracted"

# A symlink over a directory that is not empty fails, as the kernel's
# rmdir does; what follows still lands in the directory.
rm -rf sand/out/*
{ newc_entry d 040755 '' ''; newc_entry d/e 040755 '' ''; newc_entry d/e/f1 0100644 '' one
  newc_entry d 0120777 '' "$T/sand/elsewhere"; newc_entry d/e/f2 0100644 '' two; newc_trailer; } > swap.img
before=$(snapshot)
$I extract swap.img sand/out 2> err
is "$?:$(readlink sand/out/d):$(cat sand/out/d/e/f2)" "1::two" "a symlink over a full directory fails, later entries go on"
like "$(cat err)" "^initramfs extract: warning: d: File exists" "and is reported"
is "$(snapshot)" "$before" "nothing written outside DIR"

# A symlink already in DIR, then files below it.
rm -rf sand/out/*
ln -s "$T/sand/elsewhere" sand/out/pre
{ newc_entry pre/y 0100644 '' through; newc_entry pre/d 040755 '' ''; newc_trailer; } > pre.img
before=$(snapshot)
$I extract pre.img sand/out 2> err
is "$?" 1 "entries through an existing symlink: exit 1"
is "$(grep -c refused err)" 2 "entries through an existing symlink: both refused"
is "$(snapshot)" "$before" "entries through an existing symlink: nothing written through it"

# A directory entry named like an existing symlink: the kernel replaces
# the symlink (clean_path); nothing outside DIR may change mode or mtime.
rm -rf sand/out/*
chmod 755 sand/elsewhere
touch -d @1500000000 sand/elsewhere
ln -s ../elsewhere sand/out/pre
{ NEWC_MTIME=1000000000 newc_entry pre 040700 '' ''; newc_trailer; } > predir.img
$I extract predir.img sand/out 2> err
is "$(stat -c '%a %Y' sand/elsewhere)" "755 1500000000" \
	"directory entry over an existing symlink: the symlink's target keeps its mode and mtime"
is "$(stat -c '%F %a %Y' sand/out/pre)" "directory 700 1000000000" \
	"directory entry over an existing symlink: the symlink is replaced by the directory"

# Type changes and overwrites (kernel: another type is removed first,
# a directory only if empty; the same type is kept and overwritten).
rm -rf sand/out/*
mkdir sand/out/emptyd sand/out/fulld sand/out/dir2
echo keep > sand/out/fulld/k
echo oldoldoldold > sand/out/same
chmod 600 sand/out/same
echo wasfile > sand/out/tolink
echo wasfile > sand/out/todir
: > sand/out/dir2/inside
{
	newc_entry emptyd 0100644 '' newfile
	newc_entry fulld 0100600 '' nope
	newc_entry same 0100640 '' new
	newc_entry tolink 0120777 '' target
	newc_entry todir 040751 '' ''
	newc_entry dir2 040700 '' ''
	newc_trailer
} > types.img
$I extract types.img sand/out 2> err
is "$?" 1 "type changes: exit 1 (the non-empty directory stays)"
is "$(cat err)" "initramfs extract: warning: fulld: Is a directory
initramfs extract: entries not extracted: 1" "type changes: the non-empty directory named"
is "$(stat -c %F sand/out/emptyd):$(cat sand/out/emptyd)" "regular file:newfile" "an empty directory is replaced by a file"
is "$(stat -c %F sand/out/fulld):$(cat sand/out/fulld/k)" "directory:keep" "a non-empty directory is kept with its contents"
is "$(stat -c %a sand/out/same):$(cat sand/out/same)" "640:new" "a file of the same type is truncated, overwritten and chmod-ed"
is "$(stat -c %F sand/out/tolink):$(readlink sand/out/tolink)" "symbolic link:target" "a file is replaced by a symlink"
is "$(stat -c %F sand/out/todir):$(stat -c %a sand/out/todir)" "directory:751" "a file is replaced by a directory"
is "$(stat -c %a sand/out/dir2):$(ls sand/out/dir2)" "700:inside" "an existing directory is kept, its contents too, and chmod-ed"

# Device nodes (as root), fifo, and the exit status of a clean archive.
rm -rf sand/out/*
{
	NEWC_RMAJ=5 NEWC_RMIN=1 newc_entry console 020600 0 ''
	NEWC_RMAJ=8 NEWC_RMIN=3 newc_entry sda3 060640 0 ''
	NEWC_RMAJ=10 NEWC_RMIN=200 newc_entry tun 020666 0 ''
	newc_entry fifo 010644 0 ''
	newc_trailer
} > dev.img
if [ "$(id -u)" = 0 ]; then
	$I extract dev.img sand/out 2> err
	is "$?:$(cat err)" "0:" "devices as root: exit 0, no warning"
	is "$(cd sand/out && stat -c '%n %F %t %T %a' console sda3 tun)" "\
console character special file 5 1 600
sda3 block special file 8 3 640
tun character special file a c8 666" "device nodes made with their numbers and modes"
else
	skip "not root: devices are not made"
	skip "not root: devices are not made"
fi
is "$(stat -c '%F %a' sand/out/fifo)" "fifo 644" "a fifo is made"

# Directory mtimes are applied after the files inside are written.
rm -rf sand/out/*
{
	NEWC_MTIME=1000000000 newc_entry dd 040755 '' ''
	NEWC_MTIME=1100000000 newc_entry dd/sub 040755 '' ''
	NEWC_MTIME=1200000000 newc_entry dd/sub/f 0100644 '' in
	NEWC_MTIME=1300000000 newc_entry dd/g 0100644 '' in
	newc_trailer
} > mt.img
$I extract mt.img sand/out
is "$?" 0 "directory mtimes: exit 0"
is "$(cd sand/out && stat -c '%n %Y' dd dd/sub dd/sub/f dd/g)" "\
dd 1000000000
dd/sub 1100000000
dd/sub/f 1200000000
dd/g 1300000000" "directory mtimes restored after their contents were written"

# Standard input and -v.
rm -rf sand/out/*
out=$($I extract -v - sand/out < mt.img 2>&1)
is "$?:$out" "0:dd
dd/sub
dd/sub/f
dd/g" "extract -v - reads standard input and names each entry (on stderr, like cpio -v)"

done_testing
