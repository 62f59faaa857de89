#!/bin/sh
# initramfs diff: an image and the rebuild of its own `list --spec`
# (a busybox with its libraries, Debian's initramfs-tools image) give no
# difference and exit 0; images changed on purpose report exactly the
# change, one line each: a file's content and size, its mode, owner,
# mtime (hidden by --ignore-mtime), a symlink's target, a device
# number, a file added, one removed, a file become a directory, a hard
# link split; the same tree in one gzip member, in two, or compressed
# otherwise differs in nothing but --members' lines; a missing and a
# truncated image exit 2 naming the image, the offset and why; --json
# parses and holds the fields.
. "$(dirname "$0")/../lib/tap.sh"

cd "$T" || exit 1
I=initramfs
LC_ALL=C	# names are bytes: the shell counts them so
export LC_ALL
unset SOURCE_DATE_EPOCH
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) ||
	skip_all "python3 is not installed"
python3() { "$PY" "$@"; }	# once resolved: version-manager shims are slow
have() { command -v "$1" >/dev/null 2>&1; }

# d [OPTION...] A B: the exit status, then the output, then stderr
d() {
	$I diff "$@" > out 2> err
	echo "$?"
	cat out err
}

# --- an image against the rebuild of its own list --spec -------------------
# respec IMAGE OUT: extract, list --spec, build
respec() {
	rm -rf "$1.x" && mkdir "$1.x" &&
	$I extract "$1" "$1.x" 2> err &&
	$I list --spec --data-dir "$1.x" "$1" > "$1.spec" 2>> err &&
	$I build -o "$2" "$1.spec" 2>> err
}

BUSYBOX=$(command -v busybox)
if [ "$(id -u)" != 0 ]; then
	skip "busybox round trip: needs root (extracting owners and devices)"
elif [ -z "$BUSYBOX" ] || ! readelf -l "$BUSYBOX" 2>/dev/null | grep -q interpreter; then
	skip "busybox is not a dynamic executable here"
else
	printf 'dir /dev 755 0 0\nnod /dev/console 600 0 0 c 5 1\n' > dev.list
	$I build -o bb.img --compress gzip dev.list --program "$BUSYBOX=/init"
	respec bb.img bb2.img || diag "$(cat err)"
	is "$(d bb.img bb2.img)" "0" \
		"busybox with its libraries vs the rebuild of its list --spec: exit 0, nothing"
fi

if [ "$(id -u)" != 0 ] || ! have mkinitramfs || ! have unshare; then
	skip "initramfs-tools: needs root, mkinitramfs and unshare"
elif ! . "$TOP/tests/lib/kernel.sh" || ! KDIR=$(kernel_dir 2> err) ||
	! KREL=$(kernel_release 2>> err); then
	skip "initramfs-tools: no kernel package: $(tail -n 1 err)"
elif ! kernel_mkinitramfs zstd "$T/itools.img" > mk.log 2>&1; then
	skip "initramfs-tools: mkinitramfs failed: $(tail -n 1 mk.log)"
else
	respec itools.img itools2.img || diag "$(cat err)"
	is "$(d itools.img itools2.img)" "0" \
		"initramfs-tools' image vs the rebuild of its list --spec: exit 0, nothing"
	diag "initramfs-tools: $($I info itools.img | tail -n +2 | awk '{ n += $6 } END { print n }') entries in $($I info itools.img | tail -n +2 | wc -l) members, rebuilt as $($I info itools2.img | tail -n +2 | wc -l)"
	rm -rf itools.img.x
fi

# --- one change at a time ----------------------------------------------------
printf 'config\n' > conf
printf 'CONFIG\n' > conf.same-size
printf 'config, longer\n' > conf.longer
printf '#!/bin/sh\n' > prog
M=1500000000
cat > base.list <<EOF
mtime $M
dir /dev 755 0 0
nod /dev/console 600 0 0 c 5 1
nod /dev/null 666 0 0 c 1 3
dir /bin 755 0 0
file /bin/prog $T/prog 755 0 0 /bin/prog2
slink /bin/sh prog 777 0 0
dir /etc 755 0 0
file /etc/conf $T/conf 644 0 0
EOF
$I build -o base.img base.list
# variant NAME SED-SCRIPT: base.list edited by SED-SCRIPT, built
variant() {
	sed "$2" base.list > "$1.list"
	$I build -o "$1.img" "$1.list"
}

is "$(d base.img base.img)" "0" "an image against itself: exit 0, nothing"
variant content "s|$T/conf |$T/conf.same-size |"
is "$(d base.img content.img)" "1
~ /etc/conf: content" "same size, other bytes: content alone, exit 1"
variant longer "s|$T/conf |$T/conf.longer |"
is "$(d base.img longer.img)" "1
~ /etc/conf: size 7 -> 15, content" "another size: size and content"
variant mode '/etc\/conf/s/ 644 / 600 /'
is "$(d base.img mode.img)" "1
~ /etc/conf: mode 0644 -> 0600" "a mode: mode 0644 -> 0600"
variant owner '/etc\/conf/s/ 644 0 0/ 644 1000 100/'
is "$(d base.img owner.img)" "1
~ /etc/conf: uid 0 -> 1000, gid 0 -> 100" "an owner: uid and gid"
variant mtime "/etc\/conf/{i\\
mtime 1600000000
}"
is "$(d base.img mtime.img)" "1
~ /etc/conf: mtime $M -> 1600000000" "an mtime: mtime in seconds"
is "$(d --ignore-mtime base.img mtime.img)" "0" "--ignore-mtime hides it: exit 0"
variant target 's|^slink /bin/sh prog |slink /bin/sh /bin/prog |'
is "$(d base.img target.img)" "1
~ /bin/sh: target prog -> /bin/prog" "a symlink target"
variant rdev 's|c 1 3$|c 1 5|'
is "$(d base.img rdev.img)" "1
~ /dev/null: rdev 1:3 -> 1:5" "a device number"
variant added '$a\
pipe /etc/fifo 600 0 0\
file /etc/new '"$T"'/prog 700 0 0\
slink /etc/link ../bin/sh 777 0 0\
nod /dev/sda 660 0 6 b 8 0'
is "$(d base.img added.img)" "1
+ /dev/sda (blockdev 8:0)
+ /etc/fifo (fifo)
+ /etc/link (symlink to ../bin/sh)
+ /etc/new (file 10 bytes)" "entries added: one line each, in tree order"
is "$(d added.img base.img | head -n 2)" "1
- /dev/sda (blockdev 8:0)" "the other way round: removed"
variant removed '/etc\/conf/d'
is "$(d base.img removed.img)" "1
- /etc/conf (file 7 bytes)" "a file removed"
variant typechg 's|^file /etc/conf .*|dir /etc/conf 755 0 0|'
is "$(d base.img typechg.img)" "1
~ /etc/conf: type file -> dir" "a file become a directory: the type alone"
variant split 's|^file /bin/prog \(.*\) /bin/prog2$|file /bin/prog \1\
file /bin/prog2 \1|'
is "$(d base.img split.img)" "1
~ /bin/prog: nlink 2 -> 1
~ /bin/prog2: nlink 2 -> 1, linkgroup /bin/prog -> /bin/prog2" \
	"a hard link split: nlink, and the second name's group"
is "$(d removed.img base.img)" "1
+ /etc/conf (file 7 bytes)" "the other way round: added"
variant linked 's|^file /bin/prog \(.*\) /bin/prog2$|file /bin/prog \1|; $a\
hardlink /bin/prog3 /bin/prog'
is "$(d split.img linked.img | tail -n 1)" "+ /bin/prog3 (file 10 bytes, hard link to /bin/prog)" \
	"an added hard link names the first name of its group"

# --- members and compression do not count, unless asked ----------------------
head -n 5 base.list > part1.list
{ echo "mtime $M"; tail -n +6 base.list; } > part2.list
$I build -o one.img --compress gzip base.list
$I build -o two.img --compress gzip part1.list --compress gzip part2.list
# stored SIZE of member N of IMAGE (initramfs info's column)
stored() { $I info "$1" | awk -v n="$2" '$1 == n { print $3 }'; }
size() { $I info "$1" | awk -v n="$2" '$1 == n { print $5 }'; }
is "$(d one.img two.img)" "0" "one gzip member vs two: the same tree, exit 0"
is "$(d base.img one.img)" "0" "uncompressed vs gzip: the same tree, exit 0"
$I build -o zstd.img --compress zstd base.list
is "$(d one.img zstd.img)" "0" "gzip vs zstd: the same tree, exit 0"
is "$(d --members one.img two.img)" "1
~ member 0: stored $(stored one.img 0) -> $(stored two.img 0), size $(size one.img 0) -> $(size two.img 0), entries 9 -> 4
+ member 1 (gzip, 5 entries, $(size two.img 1) bytes, $(stored two.img 1) stored)" \
	"--members: the first member's sizes and entries, the second added"
is "$(d --members one.img zstd.img)" "1
~ member 0: format gzip -> zstd, stored $(stored one.img 0) -> $(stored zstd.img 0)" \
	"--members: gzip vs zstd, the format and the stored size"
is "$(d --members base.img base.img)" "0" "--members: an image against itself: nothing"

# --- trouble ------------------------------------------------------------------
is "$(d base.img none.img)" "2
initramfs diff: none.img: No such file or directory" "a missing image: exit 2, which and why"
head -c 200 base.img > trunc.img
is "$(d trunc.img base.img)" "2
initramfs diff: trunc.img: offset 116: truncated archive: header cut short" \
	"a truncated image: exit 2, the image, the offset, why; no difference printed"
head -c 100 one.img > trunc.gz
like "$(d one.img trunc.gz)" "^2
initramfs diff: trunc.gz: member 0 \(gzip\) at offset 0: .*offset 100" \
	"a truncated gzip member: exit 2 with the member and the offset"
is "$(d base.img)" "2
initramfs diff: expected two images, A and B
Try 'initramfs diff --help'." "one image: a usage error, exit 2"
is "$(d - - < base.img)" "2
initramfs diff: only one of A and B can be standard input" "both on standard input: refused"
is "$(d - mode.img < base.img)" "1
~ /etc/conf: mode 0644 -> 0600" "A on standard input"

# --- JSON ------------------------------------------------------------------------
fnv() { # FILE: tree.h's FNV-1a 64 of its bytes, 16 hex digits
	python3 -c 'import sys
h = 0xcbf29ce484222325
for b in open(sys.argv[1], "rb").read():
    h = ((h ^ b) * 0x100000001b3) % 2**64
print("%016x" % h)' "$1"
}
variant many 's|^file /etc/conf .*|file /etc/conf '"$T"'/conf.longer 600 7 8|; s|c 1 3$|c 1 5|; /^slink/d; $a\
dir /new 700 0 0\
file /new/f '"$T"'/prog 644 0 0 /new/g'
$I diff --json --members base.img many.img > out.json
is "$?" 1 "--json: the same exit status"
is "$(python3 -c 'import json
d = json.load(open("out.json"))
print(d["a"], d["b"])
for e in d["added"] + d["removed"]:
    print(e["path"], e["type"], e["mode"], e["uid"], e["gid"], e["mtime"],
          e.get("size"), e.get("content"), e.get("target"), e.get("nlink"), e.get("linkgroup"))
for c in d["changed"]:
    print(c["path"], sorted(c["fields"].items()))
m = d["members"]
print(m["a"], m["b"], m["added"], m["removed"], [(c["index"], sorted(c["fields"])) for c in m["changed"]])')" \
"base.img many.img
/new dir 0700 0 0 $M None None None None None
/new/f file 0644 0 0 $M 10 $(fnv prog) None 2 /new/f
/new/g file 0644 0 0 $M 10 $(fnv prog) None 2 /new/f
/bin/sh symlink 0777 0 0 $M None None prog 1 /bin/sh
/dev/null [('rdev', ['1:3', '1:5'])]
/etc/conf [('content', ['$(fnv conf)', '$(fnv conf.longer)']), ('gid', [0, 8]), ('mode', ['0644', '0600']), ('size', [7, 15]), ('uid', [0, 7])]
1 1 [] [] [(0, ['entries', 'size', 'stored'])]" \
	"--json: added, removed, changed with their fields, members"
$I diff --json base.img mtime.img > out.json
is "$(python3 -c 'import json
d = json.load(open("out.json"))
print(d["changed"], d["members"])')" "[{'path': '/etc/conf', 'fields': {'mtime': [$M, 1600000000]}}] None" \
	"--json: an mtime as numbers; members null without --members"
variant linkgrp 's|^file /bin/prog \(.*\) /bin/prog2$|file /bin/prog \1\
file /bin/prog2 \1|'
$I diff --json base.img linkgrp.img > out.json
is "$(python3 -c 'import json
for c in json.load(open("out.json"))["changed"]:
    print(c["path"], c["fields"])')" "/bin/prog {'nlink': [2, 1]}
/bin/prog2 {'nlink': [2, 1], 'linkgroup': ['/bin/prog', '/bin/prog2']}" \
	"--json: nlink and linkgroup"
printf 'x' > odd
printf 'file /%s %s 644 0 0\n' 'no\001nl\\\377' "$T/odd" > odd.list	# list escapes
$I build -o odd.img odd.list
is "$(d base.img odd.img | grep -a '^+ /no')" "$(printf '+ /no\\001nl\\134\377 (file 1 byte)')" \
	"control bytes and backslashes in names are escaped as \\ooo in lines, other bytes kept"
$I diff --json base.img odd.img > out.json
is "$(python3 -c 'import json
print(ascii(json.load(open("out.json"))["added"][0]["path"]))')" "'/no\\x01nl\\\\\\xff'" \
	"--json: a name's control byte escaped, a byte that is not UTF-8 as \\u00XX"

# The schema doc/diff.md gives, against outputs of every shape.
$I diff --json --members base.img many.img > s1.json
$I diff --json --members one.img two.img > s2.json
$I diff --json base.img typechg.img > s3.json
$I diff --json base.img added.img > s4.json
$I diff --json base.img base.img > s5.json
if python3 -c 'import jsonschema' 2>/dev/null; then
	is "$(python3 -c 'import json, re, sys, jsonschema
doc = open(sys.argv[1]).read()
schema = json.loads(re.search(r"```json\n(.*?)```", doc, re.S).group(1))
jsonschema.Draft202012Validator.check_schema(schema)
for f in sys.argv[2:]:
    jsonschema.validate(json.load(open(f)), schema, cls=jsonschema.Draft202012Validator)
print("valid")' "$TOP/doc/diff.md" s1.json s2.json s3.json s4.json s5.json out.json 2>&1 | tail -n 1)" \
		"valid" "--json: every output is valid against doc/diff.md's schema"
else
	skip "python3's jsonschema is not installed"
fi

done_testing
