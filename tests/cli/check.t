#!/bin/sh
# initramfs check: one broken image per finding, each asserting the
# finding's exact severity, code and path and the exit status (0 clean
# or notes only, 1 warnings, 2 errors); clean images (a static /init, a
# busybox with its libraries) give no finding; --json parses and holds
# the fields; hostile images (a 4 GiB file claimed in 1 KiB, 100,000
# entries, a path 2000 directories deep) are reported without a crash
# under a 400 MB address-space limit; Debian's initramfs-tools and
# dracut images give only the findings named below, each justified.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/newc.sh"

cd "$T" || exit 1
I=initramfs
LC_ALL=C	# names are bytes: the shell counts them so
export LC_ALL
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) ||
	skip_all "python3 is not installed"
python3() { "$PY" "$@"; }	# once resolved: version-manager shims are slow

# mkelf OUT 32|64 exec|dyn|rel [MODINFO]: a minimal x86 ELF file; a
# relocatable one gets a .modinfo of MODINFO's comma-separated strings.
cat > mkelf.py <<'EOF'
import struct, sys
out, cls, typ = sys.argv[1], int(sys.argv[2]), sys.argv[3]
modinfo = sys.argv[4].replace(',', '\0').encode() + b'\0' if len(sys.argv) > 4 else None
et = {'exec': 2, 'dyn': 3, 'rel': 1}[typ]
w = cls == 64
machine, ehsize = (62, 64) if w else (3, 52)
phentsize, shentsize = (56, 64) if w else (32, 40)
phnum = 0 if et == 1 else 1
base = 0x400000 if w else 0x8048000
body = b'\xc3' * 16
off = ehsize + phnum * phentsize
sections, data = [], b''
if modinfo is not None:
    for name, content in ((1, modinfo), (11, b'\0.modinfo\0.shstrtab\0')):
        sections.append((name, 1 if name == 1 else 3, off + len(body) + len(data), len(content)))
        data += content
end = off + len(body) + len(data)
shoff = (end + 7) & ~7 if sections else 0
shnum = len(sections) + 1 if sections else 0
ident = b'\x7fELF' + bytes([2 if w else 1, 1, 1, 0]) + b'\0' * 8
fmt = '<HHIQQQIHHHHHH' if w else '<HHIIIIIHHHHHH'
img = ident + struct.pack(fmt, et, machine, 1, base + off, ehsize if phnum else 0, shoff,
                          0, ehsize, phentsize, phnum, shentsize, shnum, max(shnum - 1, 0))
if phnum and w:
    img += struct.pack('<IIQQQQQQ', 1, 5, 0, base, base, end, end, 0x1000)
elif phnum:
    img += struct.pack('<IIIIIIII', 1, 0, base, base, end, end, 5, 0x1000)
img += body + data
if sections:
    img += b'\0' * (shoff - len(img)) + b'\0' * shentsize
    for name, stype, o, size in sections:
        img += struct.pack('<IIQQQQIIQQ' if w else '<IIIIIIIIII', name, stype, 0, 0, o, size, 0, 0, 1, 0)
open(out, 'wb').write(img)
EOF
mkelf() { python3 mkelf.py "$@"; }

# findings IMAGE [OPTION...]: the exit status, then "SEVERITY CODE PATH"
# for each finding, from the JSON output.
findings() {
	_f_img=$1
	shift
	$I check --json "$@" "$_f_img" > out.json 2> err
	_f_rc=$?
	echo "$_f_rc"
	python3 -c 'import json
for f in json.load(open("out.json"))["findings"]:
    print(f["severity"], f["code"], f["path"])' 2>&1
}
# finding_field INDEX FIELD: one field of the last findings() output
finding_field() {
	python3 -c 'import json, sys
print(json.load(open("out.json"))["findings"][int(sys.argv[1])][sys.argv[2]])' "$1" "$2"
}
# finding_message PATH: the message of the last output's finding on PATH
finding_message() {
	python3 -c 'import json, sys
print([f for f in json.load(open("out.json"))["findings"] if f["path"] == sys.argv[1]][0]["message"])' "$1"
}

mkelf init.elf 64 exec
cat > base.list <<EOF
dir /dev 755 0 0
nod /dev/console 600 0 0 c 5 1
file /init $T/init.elf 755 0 0
EOF
$I build -o base.img base.list
B=$(stat -c %s base.img)	# where the records appended to it start
# case NAME: base.img, then an archive of the records on stdin
case_img() { { cat base.img; cat; } > "$1.img"; }

# --- clean images ------------------------------------------------------------
$I check base.img > out 2> err
is "$?:$(cat out):$(cat err)" "0:base.img: 0 errors, 0 warnings, 0 notes:" \
	"a static /init and /dev/console: exit 0, no finding"
is "$(findings base.img)" "0" "--json: no finding either"

BUSYBOX=$(command -v busybox)
if [ -n "$BUSYBOX" ] && readelf -l "$BUSYBOX" 2>/dev/null | grep -q 'interpreter'; then
	LDSO=$(readelf -l "$BUSYBOX" | sed -n 's/.*interpreter: \(.*\)\]/\1/p')
	printf 'dir /dev 755 0 0\nnod /dev/console 600 0 0 c 5 1\n' > dev.list
	$I build -o bb.img dev.list --program "$BUSYBOX=/init"
	is "$(findings bb.img)" "0" "busybox with its libraries (--program): no finding"
	# The interpreter alone: libc.so.6 is missing where ld.so looks.
	cat > nolibc.list <<-EOF
	dir /dev 755 0 0
	nod /dev/console 600 0 0 c 5 1
	file /init $BUSYBOX 755 0 0
	file $LDSO $(realpath "$LDSO") 755 0 0
	EOF
	$I build -o nolibc.img nolibc.list
	got=$(findings nolibc.img | grep -v libresolv)
	is "$got" "2
error lib-missing libc.so.6" "busybox without libc: lib-missing libc.so.6"
	like "$(finding_message libc.so.6)" "^not found, needed by /init; searched /lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib:/usr/lib:/lib64:/usr/lib64$" \
		"lib-missing names who needed it and the directories searched"
	# A 32-bit libc.so.6 in the first directory is skipped, as ld.so does.
	mkelf libc32 32 dyn
	printf 'file /lib/x86_64-linux-gnu/libc.so.6 %s 755 0 0\n' "$T/libc32" >> nolibc.list
	$I build -o libc32.img nolibc.list
	findings libc32.img > /dev/null
	like "$(finding_message libc.so.6)" "skipped /lib/x86_64-linux-gnu/libc.so.6 \(ELFCLASS32, (i386|Intel 80386|machine 3)\)" \
		"a library of another class is skipped and named"
	# Not an ELF file where ld.so finds the name: lib-bad.
	echo text > notelf
	sed -i '$d' nolibc.list
	printf 'file /lib/x86_64-linux-gnu/libc.so.6 %s 755 0 0\n' "$T/notelf" >> nolibc.list
	$I build -o libbad.img nolibc.list
	is "$(findings libbad.img | grep -v libresolv)" "2
error lib-bad /lib/x86_64-linux-gnu/libc.so.6" "a library that is not ELF: lib-bad"
	# An interpreter without an x bit.
	sed -i '$d' nolibc.list
	sed -i "s|^file $LDSO \(.*\) 755 0 0$|file $LDSO \\1 644 0 0|" nolibc.list
	$I build -o interpx.img nolibc.list
	is "$(findings interpx.img)" "2
error elf-interp-bad /init" "an ELF interpreter without an x bit: elf-interp-bad"
	# No interpreter at all.
	printf 'file /init %s 755 0 0\n' "$BUSYBOX" > nointerp.list
	cat dev.list >> nointerp.list
	$I build -o nointerp.img nointerp.list
	is "$(findings nointerp.img)" "2
error elf-interp-missing /init" "a dynamic /init without its ELF interpreter: elf-interp-missing"
else
	for _ in 1 2 3 4 5 6 7 8; do skip "busybox is not a dynamic executable here"; done
fi

# --- what stops the kernel's unpacker -----------------------------------------
{ printf '070799'; head -c 122 /dev/zero | tr '\0' 0; } | case_img badmagic
is "$(findings badmagic.img)" "2
error bad-magic None" "a record with another magic: bad-magic, exit 2"
is "$(finding_field 0 member):$(finding_field 0 offset)" "1:$B" "bad-magic: member 1 at the offset of the record"
{ printf '\001\002\003\004'; } | case_img compmagic
is "$(findings compmagic.img)" "2
error bad-compression-magic None" "an unknown compressed magic: bad-compression-magic"
printf 'hello, junk\n' | gzip -n | case_img junk
is "$(findings junk.img)" "2
error junk None" "a gzip member holding no archive: junk"
{ NEWC_MAGIC=070702 NEWC_CHECK=1 newc_entry sum 0100644 '' 'abc'; newc_trailer; } | case_img csum
is "$(findings csum.img)" "2
error bad-checksum None" "070702 data with a wrong sum: bad-checksum"
{ NEWC_NONUL=1 newc_entry nonul 0100644 '' 'abc'; } | case_img nonul
is "$(findings nonul.img)" "2
error name-without-nul None" "a name without its NUL: name-without-nul"
head -c 20000 /dev/urandom > noise
printf 'file /noise %s 644 0 0\n' "$T/noise" > noise.list
$I build -o noise.gz --compress gzip noise.list
# Flip a byte in the middle of the deflate data.
python3 -c 'import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[len(b) // 2] ^= 0xff
open(sys.argv[1], "wb").write(b)' noise.gz
case_img decomp < noise.gz
is "$(findings decomp.img)" "2
error decompressor-failed None" "a damaged gzip member: decompressor-failed"
{ newc_entry cut 0100644 '' 'abcdefgh'; } | head -c 100 | case_img trunc
is "$(findings trunc.img)" "2
error truncated None" "a record cut short: truncated"
# The tree unpacked before the error is still checked.
printf 'dir /dev 755 0 0\nnod /dev/console 600 0 0 c 5 1\n' > noinit.list
$I build -o noinit.img noinit.list
{ cat noinit.img; printf '\001\002\003\004'; } > noinit-bad.img
is "$(findings noinit-bad.img)" "2
error bad-compression-magic None
error init-missing /init" "after a stop, what was unpacked is checked: no /init"

# --- what the kernel drops or replaces without a word -------------------------
{ newc_entry nodir/file 0100644 '' 'x'; newc_trailer; } | case_img parent
is "$(findings parent.img)" "1
warning parent-missing nodir/file" "no parent directory: parent-missing, exit 1"
{ newc_entry f 0100644 '' 'x'; newc_entry f/x 0100644 '' 'y'; newc_trailer; } | case_img notdir
is "$(findings notdir.img)" "1
warning parent-not-dir f/x" "a parent that is a file: parent-not-dir"
long=$(printf '%04096d' 0)
{ newc_entry "$long" 0100644 '' 'x'; newc_trailer; } | case_img longname
is "$(findings longname.img)" "1
warning name-too-long None" "a 4096-byte name (namesize 4097): name-too-long"
{ newc_entry longlink 0120777 '' "$long/"; newc_trailer; } | case_img longlink
is "$(findings longlink.img)" "1
warning symlink-too-long longlink" "a 4097-byte symlink target: symlink-too-long"
{ newc_entry d 040755 '' 'data'; newc_trailer; } | case_img dirdata
is "$(findings dirdata.img)" "1
warning data-on-nonfile d" "a directory with data: data-on-nonfile"
{ newc_entry twice 0100644 '' 'one'; newc_entry twice 0100644 '' 'two'; newc_trailer; } | case_img twice
is "$(findings twice.img)" "1
warning replaced twice" "a path given twice with other data: replaced"
is "$(finding_field 0 offset)" "$((B + 120))" "replaced: the later record's offset"
like "$(finding_field 0 message)" "the regular file /twice \(member 1, offset $B\), whose contents are lost" \
	"replaced: the earlier record's member and offset, and what is lost"
{ newc_entry same 0100644 '' 'one'; newc_entry same 0100644 '' 'one'; newc_trailer; } | case_img same
is "$(findings same.img)" "0
note duplicate same" "the same file twice: a note, exit 0"
{ newc_entry tc 0100644 '' 'one'; newc_entry tc 040755 '' ''; newc_trailer; } | case_img tc
is "$(findings tc.img)" "1
warning type-changed tc" "a file replaced by a directory: type-changed"
{ newc_entry full 040755 '' ''; newc_entry full/f 0100644 '' 'x'; newc_entry full 0100644 '' 'y'
  newc_trailer; } | case_img notempty
is "$(findings notempty.img)" "1
warning dir-not-empty full" "a file over a non-empty directory: dir-not-empty"
{ NEWC_INO=77 NEWC_NLINK=2 newc_entry hl1 0100644 '' 'data'; newc_trailer
  NEWC_INO=77 NEWC_NLINK=2 newc_entry hl2 0100644 0 ''; newc_trailer; } | case_img across
is "$(findings across.img)" "1
warning hardlink-across-trailer hl2" "a hard link after a TRAILER!!!: hardlink-across-trailer"
{ NEWC_INO=78 NEWC_NLINK=2 newc_entry gone/a 0100644 0 ''
  NEWC_INO=78 NEWC_NLINK=2 newc_entry b 0100644 '' 'data'; newc_trailer; } | case_img lostlink
is "$(findings lostlink.img)" "1
warning parent-missing gone/a
warning hardlink-target-missing b" "a link to a name that was never made: hardlink-target-missing"
{ NEWC_INO=79 NEWC_NLINK=2 newc_entry l1 0100644 0 ''
  NEWC_INO=79 NEWC_NLINK=2 newc_entry l2 0100644 '' 'data'; newc_trailer; } | case_img goodlink
is "$(findings goodlink.img)" "0" "hard links within one archive: no finding"
{ newc_entry odd 0170644 '' ''; newc_trailer; } | case_img unknown
is "$(findings unknown.img)" "1
warning unknown-type odd" "file type 017: unknown-type"
{ newc_entry end/ 0100644 '' 'x'; newc_trailer; } | case_img slash
is "$(findings slash.img)" "1
warning bad-name end/" "a file name ending in '/': bad-name"
# The kernel follows symlinks in the parent: usr-merged names land in usr/.
{ newc_entry usr 040755 '' ''; newc_entry usr/lib 040755 '' ''
  newc_entry lib 0120777 '' 'usr/lib'; newc_entry lib/f 0100644 '' 'x'; newc_trailer; } | case_img merged
is "$(findings merged.img)" "0" "a name through a symlinked parent is created"

# --- can /init run? ------------------------------------------------------------
is "$(findings noinit.img)" "2
error init-missing /init" "no /init: init-missing"
chk_init() { # NAME LIST-LINES...: base without /init, plus the lines
	_ci=$1
	shift
	{ printf 'dir /dev 755 0 0\nnod /dev/console 600 0 0 c 5 1\n'; printf '%s\n' "$@"; } > "$_ci.list"
	$I build -o "$_ci.img" "$_ci.list"
}
chk_init noexec "file /init $T/init.elf 644 0 0"
is "$(findings noexec.img)" "2
error init-not-executable /init" "/init without an x bit: init-not-executable"
chk_init initdir "dir /init 755 0 0"
is "$(findings initdir.img)" "2
error init-not-file /init" "/init a directory: init-not-file"
chk_init link "dir /sbin 755 0 0" "file /sbin/init $T/init.elf 755 0 0" "slink /init /sbin/init 777 0 0"
is "$(findings link.img)" "0" "/init an absolute symlink to a program: no finding"
chk_init dangling "slink /init /sbin/none 777 0 0"
is "$(findings dangling.img)" "2
error init-missing /init" "/init a dangling symlink: init-missing"
chk_init loop "slink /init /init2 777 0 0" "slink /init2 init 777 0 0"
is "$(findings loop.img)" "2
error init-symlink-loop /init" "/init a symlink loop: init-symlink-loop"
echo 'not a program' > text
chk_init text "file /init $T/text 755 0 0"
is "$(findings text.img)" "2
error init-format /init" "/init neither ELF nor #!: init-format"
printf '#!/bin/sh\nexec true\n' > script
chk_init script "file /init $T/script 755 0 0"
is "$(findings script.img)" "2
error script-interp-missing /bin/sh" "a #! /init without its interpreter: script-interp-missing"
like "$(finding_field 0 message)" "#! interpreter of /init" "the message says whose interpreter"
chk_init script2 "file /init $T/script 755 0 0" "dir /bin 755 0 0" "file /bin/sh $T/init.elf 755 0 0"
is "$(findings script2.img)" "0" "a #! /init with its interpreter: no finding"
printf '#!/bin/sh\n' > loopy
chk_init deep "file /init $T/script 755 0 0" "dir /bin 755 0 0" "file /bin/sh $T/loopy 755 0 0"
is "$(findings deep.img)" "2
error script-interp-format /bin/sh" "a #! interpreter that is its own: over 4 levels"
chk_init rdinit "dir /sbin 755 0 0" "file /sbin/init $T/init.elf 755 0 0"
is "$(findings rdinit.img --rdinit /sbin/init)" "0" "--rdinit /sbin/init: that init is checked"
is "$(findings base.img --rdinit /sbin/init)" "2
error init-missing /sbin/init" "--rdinit names a path the image lacks: init-missing"
printf 'file /init %s 755 0 0\n' "$T/init.elf" > nocons.list
$I build -o nocons.img nocons.list
is "$(findings nocons.img)" "1
warning console-missing /dev/console" "no /dev/console: console-missing, exit 1"
printf 'file /init %s 755 0 0\ndir /dev 755 0 0\nfile /dev/console %s 644 0 0\n' "$T/init.elf" "$T/text" > filecons.list
$I build -o filecons.img filecons.list
is "$(findings filecons.img)" "1
warning console-not-chardev /dev/console" "/dev/console a regular file: console-not-chardev"

# --- modules --------------------------------------------------------------------
mkelf a.ko 64 rel 'license=GPL,vermagic=6.1.0-test SMP preempt mod_unload modversions '
printf 'kernel/a.ko: kernel/b.ko\nkernel/b.ko:\nkernel/c.ko:\n' > modules.dep
M=/lib/modules/6.1.0-test
cat base.list > mods.list
printf 'file %s/modules.dep %s 644 0 0\nfile %s/kernel/a.ko %s 644 0 0\n' \
	$M "$T/modules.dep" $M "$T/a.ko" >> mods.list
$I build -o mods.img mods.list
is "$(findings mods.img)" "1
warning module-dep-missing $M/kernel/a.ko
note modules-listed-missing $M/modules.dep" "a module without its dependency: module-dep-missing"
printf 'file %s/kernel/b.ko %s 644 0 0\n' $M "$T/a.ko" >> mods.list
$I build -o mods2.img mods.list
is "$(findings mods2.img --kver 6.1.0-test)" "0
note modules-listed-missing $M/modules.dep" "--kver of the modules' vermagic: only the note"
is "$(findings mods2.img --kver 6.1.0-other)" "2
note modules-listed-missing $M/modules.dep
error module-vermagic $M/kernel/a.ko" "--kver of another kernel: module-vermagic"
like "$(finding_field 1 message)" "\(2 modules like this\)" "module-vermagic counts the modules"
is "$(findings mods2.img --kver 6.1.0)" "2
note modules-listed-missing $M/modules.dep
error module-vermagic $M/kernel/a.ko" "--kver must be followed by a space in vermagic"
xz -C crc32 -c a.ko > a.ko.xz
printf '%s\nfile %s/kernel/x.ko.xz %s 644 0 0\n' "$(cat base.list)" $M "$T/a.ko.xz" > xz.list
$I build -o xz.img xz.list
is "$(findings xz.img --kver 6.1.0-other)" "2
error module-vermagic $M/kernel/x.ko.xz" "an xz-compressed module's vermagic is read"

# --- human output and JSON --------------------------------------------------------
$I check parent.img > out
is "$?:$(cat out)" "1:parent.img: member 1, offset $B: nodir/file: warning: not created: its parent directory does not exist at this point [parent-missing]
parent.img: 0 errors, 1 warning, 0 notes" "one line a finding, then the count"
{ newc_entry "$(printf 'no\001dir/\377')" 0100644 '' 'x'; newc_trailer; } | case_img odd
$I check odd.img > out
like "$(head -1 out)" "^odd.img: member 1, offset $B: no\\\\001dir/.: warning" "control bytes in a name are escaped in lines"
$I check --json odd.img > out.json
is "$?" 1 "--json: the same exit status"
is "$(python3 -c 'import json
d = json.load(open("out.json")); f = d["findings"][0]
print(d["image"], d["errors"], d["warnings"], d["notes"], f["severity"], f["code"], f["member"], f["offset"], ascii(f["path"]))')" \
	"odd.img 0 1 0 warning parent-missing 1 $B 'no\\x01dir/\\xff'" \
	"--json: image, counts, and a finding's fields; bytes that are not UTF-8 as \\u00XX"
$I check --json noinit.img | python3 -m json.tool > /dev/null
ok "--json output is valid JSON for json.tool" test $? = 0
is "$(findings noinit.img; finding_field 0 member)" "2
error init-missing /init
None" "a finding about no record: member null"
$I check 2> err
is "$?:$(head -1 err)" "2:initramfs check: expected one IMAGE" "no IMAGE: usage error"
$I check "$T/none.img" > out
is "$?:$(head -1 out)" "2:$T/none.img: error: No such file or directory [unreadable]" "an image that cannot be opened: error"

# --- hostile images -------------------------------------------------------------
# 400 MB of address space: enough for the program and its threads, not
# for a buffer sized by what a header claims.
hostile() { # NAME: check NAME.img under the limit; the status, then the codes
	# shellcheck disable=SC3045 # dash and bash have ulimit -v
	( ulimit -v 400000 && findings "$1.img" ) > hostile.out 2>&1
	{ head -n 1 hostile.out; tail -n +2 hostile.out | cut -d' ' -f2 | sort -u; } | tr '\n' ' '
}
newc_entry huge 0100644 4294967295 "$(printf '%0900d' 0)" > huge.img
ok "a 1 KiB image claiming a 4 GiB file" test "$(stat -c %s huge.img)" -lt 1024
is "$(hostile huge)" "2 console-missing init-missing truncated " "4 GiB claimed: truncated, exit 2, no crash"
python3 - <<'EOF'
import sys
def rec(name, mode, data=b'', ino=[1]):
    ino[0] += 1
    n = name.encode() + b'\0'
    h = b'070701' + b''.join(b'%08X' % v for v in (ino[0], mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(n), 0))
    pad = lambda b: b + b'\0' * (-len(b) % 4)
    return pad(h + n) + pad(data)
out = open('many.cpio', 'wb')
out.write(rec('d', 0o40755))
for i in range(100000):
    out.write(rec('d/%d' % i, 0o100644, b'x'))
out.write(rec('TRAILER!!!', 0))
out = open('deep.cpio', 'wb')
name = 'a'
for i in range(2000):
    out.write(rec(name, 0o40755))
    name += '/a'
out.write(rec(name[:-2] + '/f', 0o100644, b'deep'))
out.write(rec('TRAILER!!!', 0))
EOF
case_img many < many.cpio
is "$(hostile many)" "0 " "100,000 entries: checked, exit 0"
case_img deep < deep.cpio
is "$(hostile deep)" "0 " "a path 2000 directories deep: checked, exit 0"
{ cat deep.cpio; python3 -c 'import sys
n = ("a/" * 2050 + "f").encode() + b"\0"
sys.stdout.buffer.write(b"070701" + b"".join(b"%08X" % v for v in (9, 0o100644, 0, 0, 1, 0, 0, 0, 0, 0, 0, len(n), 0)) + n + b"\0" * (-(110 + len(n)) % 4))'; } | case_img deeper
is "$(hostile deeper)" "1 name-too-long " \
	"a 4101-byte name below the deep tree: name-too-long"

# --- Debian's peers ---------------------------------------------------------------
# Both images hold no /dev/console: the kernel's built-in initramfs (the
# default usr/default_cpio_list in Debian's kernel) makes it before the
# image is unpacked, so the warning is expected and is their only
# finding. initramfs-tools' /init is a #!/bin/sh script whose sh is a
# hard link to busybox through the usr-merge symlinks, with busybox's
# libraries; dracut's is systemd or its own shell init, likewise checked.
have() { command -v "$1" >/dev/null 2>&1; }
PEER_FINDINGS="1
warning console-missing /dev/console"
if [ "$(id -u)" != 0 ] || ! have mkinitramfs || ! have unshare; then
	skip "initramfs-tools: needs root, mkinitramfs and unshare"
	skip "initramfs-tools: needs root, mkinitramfs and unshare"
elif ! . "$TOP/tests/lib/kernel.sh" || ! KDIR=$(kernel_dir 2> err) ||
	! KREL=$(kernel_release 2>> err); then
	skip "initramfs-tools: no kernel package: $(tail -n 1 err)"
	skip "initramfs-tools: no kernel package"
elif ! kernel_mkinitramfs zstd "$T/itools.img" > mk.log 2>&1; then
	skip "initramfs-tools: mkinitramfs failed: $(tail -n 1 mk.log)"
	skip "initramfs-tools: mkinitramfs failed"
else
	is "$(findings itools.img)" "$PEER_FINDINGS" "initramfs-tools' image: only console-missing"
	is "$(findings itools.img --kver "$KREL")" "$PEER_FINDINGS" \
		"initramfs-tools' image: its modules are $KREL's"
fi
if ! have dracut; then
	skip "dracut: dracut is not installed"
else
	mkdir dracut-tmp
	if dracut --no-kernel --kver 0.0.0-none --no-hostonly --no-early-microcode -m base \
		--compress gzip --tmpdir "$T/dracut-tmp" --force "$T/dracut.img" > dr.log 2>&1; then
		is "$(findings dracut.img)" "$PEER_FINDINGS" "dracut's image: only console-missing"
	else
		skip "dracut: dracut failed: $(tail -n 1 dr.log)"
	fi
fi

# --- kinit's /etc/modules ---------------------------------------------------------
# An image built with --kinit --modules, then that image with a member
# after it whose /etc/modules wins (a list line in the same build would
# not: the build writes its own /etc/modules last). Each request is
# read as kinit reads the file and resolved with the image's own index.
KINIT_TESTS=14
if [ ! -x "$BIN/kinit" ]; then
	for _ in $(seq $KINIT_TESTS); do skip "kinit's modules: kinit is not built"; done
elif ! . "$TOP/tests/lib/kernel.sh" || ! MODDIR=$(kernel_moddir 2> err); then
	for _ in $(seq $KINIT_TESTS); do skip "kinit's modules: no kernel package: $(tail -n 1 err)"; done
else
	KREL=${MODDIR##*/}
	KM=/lib/modules/$KREL
	$I build -o kinit.img --moddir "$MODDIR" --kinit --modules virtio_pci,virtio_blk,ext4 2> err
	# Regression: the header the build writes said "before coldplug, one
	# per line", and kinit cuts requests at ',' too: "one per line." was
	# a request for a module that does not exist.
	is "$(findings kinit.img)" "0" "--kinit --modules virtio_pci,virtio_blk,ext4: every request resolves"
	is "$(findings kinit.img --kver "$KREL")" "0" "the same with --kver $KREL"
	is "$(findings kinit.img --kver 0.0.0-none | grep kinit-)" \
		"warning kinit-modules-no-index /etc/modules" \
		"--kver of a release the image has no modules.dep for: kinit-modules-no-index"
	like "$(finding_message /etc/modules)" "^no /lib/modules/0.0.0-none/modules.dep in the image \(kinit looks nowhere else\): none of its 3 requests is loaded$" \
		"kinit-modules-no-index names the file kinit opens and the requests"
	# kinit_case NAME: kinit.img, then NAME.modules as /etc/modules
	kinit_case() {
		printf 'file /etc/modules %s 0644 0 0\n' "$T/$1.modules" > "$1.list"
		$I build -o "$1.img" kinit.img "$1.list"
	}
	printf 'virtio_pci\nsquashfs\n' > unknown.modules
	kinit_case unknown
	is "$(findings unknown.img)" "1
warning replaced etc/modules
warning kinit-module-unknown /etc/modules" "a module the image lacks: kinit-module-unknown"
	like "$(finding_field 1 message)" "^line 2: 'squashfs': no module, alias or built-in module of that name in $KM: kinit loads nothing for it$" \
		"kinit-module-unknown: the line, the request and the release"
	printf '# alias\nfs-ext4\n' > alias.modules
	kinit_case alias
	is "$(findings alias.img)" "1
warning replaced etc/modules" "an alias (fs-ext4) that resolves to ext4: no kinit finding"
	printf '# virtio, then ext4\nvirtio_blk \n' > quirks.modules
	kinit_case quirks
	is "$(findings quirks.img; finding_field 1 message; finding_field 2 message)" "1
warning replaced etc/modules
warning kinit-module-unknown /etc/modules
warning kinit-module-unknown /etc/modules
line 1: 'then ext4': no module, alias or built-in module of that name in $KM: kinit loads nothing for it
line 2: 'virtio_blk ': no module, alias or built-in module of that name in $KM: kinit loads nothing for it" \
		"a ',' in a '#' line starts a request; a blank after a name is part of it"
	# 4079 + 11 bytes, then virtio_blk at 4090: kinit reads 4095 bytes.
	{ printf '#%04077d\n' 0 | tr 0 x; printf 'virtio_pci\nvirtio_blk\next4\n'; } > cut.modules
	kinit_case cut
	is "$(findings cut.img)" "1
warning replaced etc/modules
warning kinit-modules-cut /etc/modules
warning kinit-module-unknown /etc/modules" "/etc/modules over 4095 bytes: kinit-modules-cut"
	is "$(finding_field 1 message)" "4106 bytes, kinit reads 4095: 2 requests are never loaded, the first 'virtio_blk' (line 3), which kinit sees cut to 'virti'" \
		"kinit-modules-cut names the first request lost and what kinit sees of it"
	like "$(finding_field 2 message)" "^line 3: 'virti': " "the request cut short is looked up as kinit looks it up"
	# 4096 bytes whose last request ends at byte 4095: nothing is lost.
	{ printf '#%04089d\n' 0 | tr 0 x; printf 'ext4\n'; } > edge.modules
	kinit_case edge
	is "$(wc -c < edge.modules):$(findings edge.img)" "4096:1
warning replaced etc/modules" "4096 bytes, the last request ending at 4095: no kinit-modules-cut"
	# The kernel's whole index, ext4.ko alone of its modules.
	EXT4=$(sed -n 's|^\(kernel/fs/ext4/ext4\.ko[^:]*\):.*|\1|p' "$MODDIR/modules.dep")
	printf 'ext4\n' > ext4.modules
	{ cat base.list
	  for f in modules.dep modules.alias modules.softdep modules.builtin modules.builtin.modinfo; do
		printf 'file %s/%s %s 0644 0 0\n' "$KM" "$f" "$MODDIR/$f"
	  done
	  printf 'file %s/%s %s 0644 0 0\n' "$KM" "$EXT4" "$MODDIR/$EXT4"
	  printf 'file /etc/modules %s 0644 0 0\n' "$T/ext4.modules"; } > ext4.list
	$I build -o ext4.img ext4.list
	is "$(findings ext4.img)" "1
warning module-dep-missing $KM/$EXT4
note modules-listed-missing $KM/modules.dep
warning kinit-module-missing /etc/modules
note kinit-module-missing /etc/modules" "ext4 without its dependencies and softdeps: kinit-module-missing"
	is "$(finding_field 2 message)" "line 1: 'ext4' needs jbd2 (kernel/fs/jbd2/jbd2.ko), mbcache (kernel/fs/mbcache.ko), crc16 (kernel/lib/crc16.ko) of $KM, not in the image: kinit cannot load it" \
		"kinit-module-missing: the modules.dep dependencies, in kinit's order"
	like "$(finding_field 3 message)" "^line 1: 'ext4' has the softdeps .*crc32c_generic \(kernel/crypto/crc32c_generic\.ko\).* of $KM, not in the image: kinit loads it without them$" \
		"a missing softdep is a note: kinit goes on without it"
	printf 'alias foo nosuch\n' > badalias
	printf 'file %s/modules.alias %s 0644 0 0\n' "$KM" "$T/badalias" > badalias.list
	$I build -o badalias.img kinit.img badalias.list
	is "$(findings badalias.img; finding_field 1 message)" "2
warning replaced ${KM#/}/modules.alias
error kinit-modules-index $KM
$KM/modules.alias:1: module nosuch is not in modules.dep: kinit loads no module at all" \
		"an index kinit's loader refuses: kinit-modules-index, kmod's message"
fi

done_testing
