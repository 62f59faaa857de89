#!/bin/sh
# Faults: each gives a clear message, a non-zero exit and no damage.
#  - build, gen_init_cpio -o and extract on a full filesystem (a 256 KiB
#    tmpfs in a mount namespace of this test; root only);
#  - a source file that shrinks or grows while it is archived: reported,
#    never a header that lies about its data;
#  - hostile archives that tests/cli/extract-safety.t and bad-input.t do
#    not already cover: a directory replaced by a symlink between
#    entries, a hard link to a name since replaced by a symlink, devices
#    and setuid bits as non-root, a 4 GiB entry claimed in a 1 KiB
#    image, names at PATH_MAX and NAME_MAX, a million tiny entries and
#    many hard-linked ones: nothing outside the target changes, memory
#    stays under a ulimit.
# Known limit: a stream to standard output cannot be taken back; a
# failed build leaves there what was written before the fault.

# As root, the whole test runs in a mount namespace of its own, so the
# small filesystems it mounts are seen by nothing else.
if [ -z "${ES_FAULTS_NS:-}" ] && [ "$(id -u)" = 0 ] &&
	unshare -m true 2>/dev/null; then
	ES_FAULTS_NS=1 exec unshare -m sh "$0" "$@"
fi
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/newc.sh"

cd "$T" || exit 1
FULL=$T/full
trap 'umount "$FULL" 2>/dev/null; rm -rf "$T"' EXIT
I=initramfs
have_py=$(command -v python3)

mkdir sand sand/out sand/elsewhere
echo bystander > sand/bystander

# snapshot: every path under sand outside sand/out, with checksums.
snapshot() {
	(cd sand && find . -path ./out -prune -o -printf '%p %M %n\n' | LC_ALL=C sort &&
	 find . -path ./out -prune -o -type f -exec md5sum {} + | LC_ALL=C sort)
}

# listing DIR: its names, one line.
listing() {
	(cd "$1" && ls -A | LC_ALL=C sort | tr '\n' ' ')
}

# --- a full filesystem -------------------------------------------------
# Ten files of 64 KiB that do not compress: 640 KiB, more than the
# 256 KiB filesystem holds.
mkdir big
for i in 0 1 2 3 4 5 6 7 8 9; do
	head -c 65536 /dev/urandom > "big/f$i"
done
printf 'file /a %s 644 0 0\nfile /b %s 644 0 0\nfile /c %s 644 0 0\nfile /d %s 644 0 0\n' \
	"$T/big/f0" "$T/big/f1" "$T/big/f2" "$T/big/f3" > big.list
$I build -o big.img big

if [ -n "${ES_FAULTS_NS:-}" ] && mkdir "$FULL" &&
	mount -t tmpfs -o size=256k es-faults "$FULL"; then
	echo precious > "$FULL/out.img"
	before=$(md5sum < "$FULL/out.img")

	# full_build DESC EXIT MESSAGE-REGEX COMMAND...: COMMAND writes
	# FULL/out.img; it fails, the old out.img stays, no temporary file.
	full_build() {
		_d=$1 _x=$2 _m=$3; shift 3
		"$@" 2> err
		is "$?" "$_x" "$_d: exit $_x"
		like "$(cat err)" "$_m" "$_d: the message" || diag "$(cat err)"
		is "$(md5sum < "$FULL/out.img")" "$before" "$_d: the previous out.img is untouched"
		is "$(listing "$FULL")" "out.img " "$_d: no temporary file left"
	}
	full_build "build on a full filesystem" 1 \
		"^initramfs build: writing $FULL/out\\.img: No space left on device\$" \
		$I build -o "$FULL/out.img" big
	full_build "build --compress gzip on a full filesystem" 1 \
		"^initramfs build: .*No space left on device\$" \
		$I build -o "$FULL/out.img" --compress gzip:1 big
	# gen_init_cpio's form: the message, then " line N" as the
	# kernel's program ends its errors; its status -1.
	full_build "gen_init_cpio -o on a full filesystem" 255 \
		"No space left on device line [0-9]+\$" \
		gen_init_cpio -o "$FULL/out.img" big.list

	# Extract: the entry that hits the full filesystem is named, and
	# so is each one after it that cannot be written; the run goes on
	# (a refused entry is consumed whole) and exits 1. What was
	# written stays, as the kernel's unpacker leaves it: the entries
	# before the fault whole, the one that hit it cut short, the later
	# ones as far as they got (empty files).
	mkdir "$FULL/x"
	before_sand=$(snapshot)
	$I extract big.img "$FULL/x" 2> err
	is "$?" 1 "extract on a full filesystem: exit 1"
	is "$(grep -cv '^initramfs extract: warning: f[0-9]: No space left on device$' err)" 1 \
		"extract on a full filesystem: every other line names an entry and ENOSPC" ||
		diag "$(cat err)"
	is "$(tail -1 err)" "initramfs extract: entries not extracted: $(grep -c warning err)" \
		"extract on a full filesystem: the count of entries not extracted"
	ok "extract on a full filesystem: the first entry is whole" cmp -s big/f0 "$FULL/x/f0"
	first=$(sed -n '1s/^initramfs extract: warning: \(f[0-9]\):.*/\1/p' err)
	ok "extract on a full filesystem: the entry named first ($first) is cut short" \
		test "$(stat -c %s "$FULL/x/$first")" -lt 65536
	is "$(md5sum < "$FULL/out.img")" "$before" "extract on a full filesystem: nothing else changes there"
	is "$(snapshot)" "$before_sand" "extract on a full filesystem: nothing else changes elsewhere"
	umount "$FULL"
else
	for i in $(seq 20); do skip "needs root and unshare -m (a tmpfs of its own)"; done
fi

# --- sources that change size --------------------------------------------
# The builder takes a file's size from fstat, writes it in the header,
# then copies exactly that many bytes: it checks that the data ended
# there, no sooner (shrank) and no later (grew).

# A sysfs attribute says 4096 bytes and holds fewer: it shrank.
SYSF=
for f in /sys/kernel/uevent_seqnum /sys/kernel/mm/transparent_hugepage/enabled /sys/power/state; do
	if [ "$(stat -c %s "$f" 2>/dev/null)" = 4096 ] &&
		[ "$(wc -c < "$f")" -lt 4096 ]; then SYSF=$f; break; fi
done
if [ -n "$SYSF" ]; then
	printf 'file /x %s 644 0 0\n' "$SYSF" > sys.list
	for crc in "" --crc; do
		rm -f sys.img
		$I build $crc -o sys.img sys.list 2> err
		is "$?" 1 "a file with less data than its size${crc:+ ($crc)}: exit 1"
		like "$(cat err)" "^initramfs build: sys\\.list:1: $SYSF: shrank while being archived \\([0-9]+ of 4096 bytes\\)\$" \
			"a file with less data than its size${crc:+ ($crc)}: named, 'shrank'"
		ok "a file with less data than its size${crc:+ ($crc)}: no image" test ! -e sys.img
	done
else
	for i in $(seq 6); do skip "no sysfs file of size 4096 with less data"; done
fi

# A procfs file says 0 bytes: it is archived empty, as its size says
# (as gen_init_cpio does); the header does not lie.
printf 'file /stat /proc/self/stat 644 0 0\nfile /after %s 644 0 0\n' "$T/big/f1" > proc.list
$I build -o proc.img proc.list
is "$?:$($I list -l proc.img | awk '{ print $5, $NF }' | tr '\n' ' ')" "0:0 stat 65536 after " \
	"a procfs file of size 0 is archived empty, and the next entry is sound"

# Deterministic: the builder streams to a pipe that the helper does not
# drain; once the pipe holds part of the data (the size is taken, the
# copy has begun), the helper appends to the file or cuts it to 1 MiB,
# and only then reads the rest.
# pipe_build grow|shrink: the status in $rc, stderr in err, the
# stream in stream.img.
pipe_build() {
	seq 1 1000000 | head -c 4194304 > moving
	printf 'file /moving %s 644 0 0\n' "$T/moving" > moving.list
	rm -f pipe
	mkfifo pipe
	$I build -o - moving.list > pipe 2> err &
	_pb=$!
	python3 - pipe moving "$1" stream.img <<'EOF'
import fcntl, os, struct, sys, termios, time
fifo, path, action, out = sys.argv[1:]
fd = os.open(fifo, os.O_RDONLY)
deadline = time.time() + 30
while time.time() < deadline:
    n = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0]
    if n > 4096:
        break
    time.sleep(0.01)
if action == "grow":
    with open(path, "ab") as f:
        f.write(b"more")
else:
    os.truncate(path, 1 << 20)
with open(out, "wb") as o:
    while True:
        b = os.read(fd, 1 << 16)
        if not b:
            break
        o.write(b)
EOF
	wait "$_pb"
	rc=$?
}
if [ -n "$have_py" ]; then
	pipe_build grow
	is "$rc:$(cat err)" "1:initramfs build: moving.list:1: $T/moving: grew while being archived" \
		"a file that grows while archived: exit 1, named, 'grew'"
	pipe_build shrink
	is "$rc:$(cat err)" "1:initramfs build: moving.list:1: $T/moving: shrank while being archived (1048576 of 4194304 bytes)" \
		"a file that shrinks while archived: exit 1, named, 'shrank', how much"
	$I list stream.img > /dev/null 2> err
	is "$?:$(cat err)" "1:initramfs list: stream.img: offset 1048696: truncated archive: data or padding cut short" \
		"what reached the stream is a cut archive, not a lying header"
else
	for i in 1 2 3; do skip "python3 is not installed"; done
fi

# A real race: a file grows and is emptied in a loop while a tree that
# holds it is built 30 times. Each build fails naming it, or gives an
# image that lists whole (a lying header would throw the next one off).
mkdir racy
cp big/f0 big/f1 racy/
: > racy/m-file
(
	n=0
	while :; do
		printf 'grow' >> racy/m-file
		n=$((n + 1))
		[ $((n % 5000)) != 0 ] || : > racy/m-file
	done
) &
grower=$!
bad=0 failed=0
for i in $(seq 30); do
	if $I build -o racy.img racy 2> err; then
		$I list -l racy.img > racy.lst 2>&1 &&
			[ "$(awk '$NF == "f1" { print $5 }' racy.lst)" = 65536 ] || bad=$((bad + 1))
	elif grep -Eq "^initramfs build: racy/m-file: (grew|shrank) while being archived" err &&
		[ ! -e racy.img ]; then
		failed=$((failed + 1))
	else
		bad=$((bad + 1)); diag "$(cat err)"
	fi
	rm -f racy.img
done
kill "$grower"
wait "$grower" 2>/dev/null
is "$bad" 0 "a file changing during 30 builds: each image sound, or the build failed naming it ($failed failed)"

# --- hostile archives ------------------------------------------------------
# A directory replaced by a symlink between entries: d/e is created, then
# d/e/x fails after its parent was walked (a symlink with no target), so
# the walk of d/e is still at hand when d/e (empty) becomes a symlink;
# d/e/y must not go through it.
rm -rf sand/out/*
{
	newc_entry d 040755 '' ''
	newc_entry d/e 040755 '' ''
	newc_entry d/e/x 0120777 '' ''
	newc_entry d/e 0120777 '' "$T/sand/elsewhere"
	newc_entry d/e/y 0100644 '' through
	newc_entry d/z 0100644 '' fine
	newc_trailer
} > swap.img
before=$(snapshot)
$I extract swap.img sand/out 2> err
is "$?:$(readlink sand/out/d/e):$(cat sand/out/d/z)" "1:$T/sand/elsewhere:fine" \
	"a directory replaced by a symlink between entries: exit 1, the symlink made, the rest extracted"
is "$(cat err)" "initramfs extract: warning: d/e/x: No such file or directory
initramfs extract: warning: d/e/y: refused: a parent is missing, not a directory or a symlink (Not a directory)
initramfs extract: entries not extracted: 2" \
	"a directory replaced by a symlink between entries: the entry below it refused by name"
is "$(snapshot)" "$before" "a directory replaced by a symlink between entries: nothing written through it"

# A hard link whose first name was replaced by a symlink: the second name
# links to the symlink (as the kernel's link() does), and its data is
# not written through it.
rm -rf sand/out/*
{
	NEWC_INO=50 NEWC_NLINK=2 newc_entry h 0100644 0 ''
	newc_entry h 0120777 '' "$T/sand/bystander"
	NEWC_INO=50 NEWC_NLINK=2 newc_entry h2 0100644 '' clobbered
	newc_trailer
} > hl.img
before=$(snapshot)
$I extract hl.img sand/out 2> err
is "$?:$(cat err)" "1:initramfs extract: warning: h2: Too many levels of symbolic links
initramfs extract: entries not extracted: 1" "a hard link to a name since made a symlink: refused by name"
is "$(snapshot)" "$before" "a hard link to a name since made a symlink: nothing written through it"

# Devices and setuid bits. Policy (extract.h, extract --help): as root,
# devices are made and every mode bit kept; otherwise devices are
# skipped with a warning and setuid and setgid dropped, silently.
{
	NEWC_RMAJ=1 NEWC_RMIN=3 newc_entry null 020666 0 ''
	NEWC_RMAJ=8 NEWC_RMIN=0 newc_entry sda 060600 0 ''
	newc_entry su 0104755 '' x
	newc_entry sg 0102755 '' y
	newc_entry sgdir 042775 '' ''
	newc_entry fifo 010644 0 ''
	newc_trailer
} > modes.img
modes() {
	(cd "$1" && stat -c '%n %F %a' -- * | tr '\n' ';')
}
if [ "$(id -u)" = 0 ]; then
	rm -rf sand/out/*
	$I extract modes.img sand/out 2> err
	is "$?:$(cat err):$(modes sand/out)" \
		"0::fifo fifo 644;null character special file 666;sda block special file 600;sg regular file 2755;sgdir directory 2775;su regular file 4755;" \
		"as root: devices made, setuid and setgid kept"
else
	skip "not root: devices are not made"
fi
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
	as_nobody() {
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	}
	chmod 711 "$T"
	mkdir nobody nobody/out
	chown 65534:65534 nobody nobody/out
	echo mine > nobody/bystander
	nobody_snap() {
		(cd nobody && ls -A && stat -c '%n %a %U %s %Y' . bystander && md5sum bystander)
	}
	before=$(nobody_snap)
	as_nobody $I extract modes.img nobody/out 2> err
	is "$?:$(cat err)" "1:initramfs extract: warning: null: device node skipped (not running as root)
initramfs extract: warning: sda: device node skipped (not running as root)
initramfs extract: entries not extracted: 2" "as non-root: each device skipped by name, exit 1"
	is "$(modes nobody/out)" "fifo fifo 644;sg regular file 755;sgdir directory 775;su regular file 755;" \
		"as non-root: no device node, setuid and setgid dropped, the rest made"
	is "$(nobody_snap)" "$before" \
		"as non-root: nothing beside the target changes"
	chmod 700 "$T"
elif [ "$(id -u)" = 0 ]; then
	for i in 1 2 3; do skip "setpriv is not installed"; done
else
	for i in 1 2 3; do skip "not root: cannot run as another user"; done
fi

# A 1 KiB image that claims a 4 GiB file, and one that claims a 4 GiB
# symlink target; under a 40 MB address space no buffer sized by the
# claim fits.
limited() { # COMMAND...: run under the address-space limit
	# shellcheck disable=SC3045 # dash and bash have ulimit -v
	(ulimit -v 40000 && exec "$@")
}
newc_entry huge 0100644 4294967295 "$(printf '%0800d' 0)" > huge.img
newc_entry hugelink 0120777 4294967295 "$(printf '%0800d' 0)" > hugelink.img
ok "the 4 GiB claims fit in 1 KiB" test "$(cat huge.img hugelink.img | wc -c)" -le 2048
limited $I list huge.img > out 2> err
is "$?:$(cat out):$(cat err)" "1:huge:initramfs list: huge.img: offset 916: truncated archive: data or padding cut short" \
	"list, a 4 GiB file claimed: exit 1, truncated at the image's end"
rm -rf sand/out/*
before=$(snapshot)
limited $I extract huge.img sand/out 2> err
is "$?:$(cat err)" "1:initramfs extract: huge.img: offset 916: truncated archive: file data cut short
initramfs extract: the 0 entries before the error stay extracted in sand/out" \
	"extract, a 4 GiB file claimed: exit 1, truncated"
is "$(stat -c %s sand/out/huge)" 800 "extract, a 4 GiB file claimed: the file keeps what the image held"
is "$(snapshot)" "$before" "extract, a 4 GiB file claimed: nothing outside DIR changes"
rm -rf sand/out/*
limited $I extract hugelink.img sand/out 2> err
is "$?:$(head -2 err)" "1:initramfs extract: warning: hugelink: skipped as the kernel does: symlink target is over PATH_MAX
initramfs extract: hugelink.img: offset 920: truncated archive: data or padding cut short" \
	"extract, a 4 GiB symlink target claimed: skipped as the kernel does, then truncated"
is "$(tail -1 err)" "initramfs extract: the 0 entries before the error stay extracted in sand/out" \
	"extract, a 4 GiB symlink target claimed: the count of entries kept"
is "$(listing sand/out):$(snapshot)" ":$before" "extract, a 4 GiB symlink target claimed: nothing made"

# Names: 4095 bytes and a NUL (namesize PATH_MAX) are extracted, below
# their 16 directories; namesize PATH_MAX + 1 is skipped as the kernel
# skips it; a component over NAME_MAX is refused by the filesystem.
d254=$(printf '%0254d' 0)
long=$d254
for i in $(seq 15); do long=$long/$d254; done
leaf=$(printf "%0$((4095 - ${#long} - 1))d" 7)
{
	p=
	for i in $(seq 16); do
		p=${p:+$p/}$d254
		newc_entry "$p" 040755 '' ''
	done
	newc_entry "$long/$leaf" 0100644 '' deep
	newc_entry "$long/${leaf}x" 0100644 '' over
	newc_entry "$(printf '%0256d' 0)" 0100644 '' name
	newc_trailer
} > names.img
rm -rf sand/out/*
before=$(snapshot)
$I extract names.img sand/out 2> err
is "$?:$(cat err)" "1:initramfs extract: warning: (no name): skipped as the kernel does: namesize is 0 or over PATH_MAX
initramfs extract: warning: $(printf '%0256d' 0): File name too long
initramfs extract: entries not extracted: 2" "names over PATH_MAX and NAME_MAX: each refused"
is "$(cd sand/out && cat "$long/$leaf")" deep "a name of 4095 bytes (namesize 4096) is extracted"
is "$(snapshot)" "$before" "long names: nothing outside DIR changes"

# A million tiny entries (116 MB, streamed): empty files m/000 to
# m/999 over and over. list and extract run in 40 MB of address space.
if [ -n "$have_py" ]; then
	cat > many.py <<'EOF'
import sys
n, link = int(sys.argv[1]), sys.argv[2] == "link"
pad = lambda b: b + b"\0" * (-len(b) % 4)
def rec(ino, name, mode, nlink=1):
    nm = name.encode() + b"\0"
    return pad(b"070701" + b"".join(b"%08X" % v for v in
        (ino, mode, 0, 0, nlink, 0, 0, 0, 0, 0, 0, len(nm), 0)) + nm)
out = sys.stdout.buffer
out.write(rec(1, "m", 0o40755))
if link:  # each entry a new inode of two names, one name: h
    for i in range(0, n, 1000):
        out.write(b"".join(rec(2 + i + k, "m/h", 0o100644, 2) for k in range(1000)))
else:
    block = b"".join(rec(2 + k, "m/%03d" % k, 0o100644) for k in range(1000))
    for i in range(0, n, 1000):
        out.write(block)
out.write(rec(0, "TRAILER!!!", 0))
EOF
	python3 many.py 1000000 files | limited $I list - > many.lst 2> err
	is "$?:$(wc -l < many.lst):$(tail -1 many.lst):$(cat err)" "0:1000001:m/999:" \
		"list of a million entries in 40 MB"
	rm -rf sand/out/*
	before=$(snapshot)
	python3 many.py 1000000 files | limited $I extract - sand/out 2> err
	is "$?:$(ls sand/out/m | wc -l):$(cat err)" "0:1000:" "extract of a million entries in 40 MB"
	is "$(snapshot)" "$before" "a million entries: nothing outside DIR changes"
	# 200,000 names that each start a hard-link group: the table of
	# groups is looked up by hash (a list would take minutes).
	rm -rf sand/out/*
	t0=$(date +%s)
	python3 many.py 200000 link | $I extract - sand/out 2> err
	is "$?:$(ls sand/out/m):$(cat err)" "0:h:" "200,000 hard-link groups extract"
	ok "in less than 20 s (took $(($(date +%s) - t0)) s)" test $(($(date +%s) - t0)) -lt 20
else
	for i in 1 2 3 4 5; do skip "python3 is not installed"; done
fi

done_testing
