#!/bin/sh
# gen_init_cpio compatibility: our gen_init_cpio against the kernel's own
# usr/gen_init_cpio, built from Debian's linux-source-6.1 package. For the
# same list, -t timestamp and files, both must write the same bytes, the
# same messages and the same exit status; erroneous lists included.
#
# Where 6.1 differs from the newer kernels we follow, the 6.1 binary is
# not asked: -o and -a, the "out of range" timestamp message, regular
# files taking the -t time (every case here gives the host files that
# very mtime, so both agree), negative file mtimes. Those are checked
# against the newer kernels' documented behaviour. Inputs on which the
# kernel's program crashes or writes a 16-digit header field ("dir "
# with nothing after it, a negative uid) are checked for our clear error
# only.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/oracle.sh"

G=$BIN/gen_init_cpio
if [ ! -x "$G" ]; then
	echo "Bail out! no $G: run make first"
	exit 1
fi
K=$(oracle_gen_init_cpio 2>"$T/oracle.err") ||
	skip_all "the kernel's gen_init_cpio cannot be built: $(tr '\n' ' ' <"$T/oracle.err")"

E=1600000000			# -t for every byte comparison, and every file's mtime
W=$T/w				# lists and host files; both programs run here
mkdir -p "$W" && cd "$W" || exit 1

# ---------------------------------------------------------------- helpers

# run_one PROG NAME TAG ARGS...: PROG's stdout, stderr and status under
# $T/NAME.TAG.{out,err,rc}; stdin is $T/NAME.in when that exists.
run_one() {
	_p=$1 _n=$2 _t=$3
	shift 3
	_in=/dev/null
	[ -f "$T/$_n.in" ] && _in=$T/$_n.in
	"$_p" "$@" <"$_in" >"$T/$_n.$_t.out" 2>"$T/$_n.$_t.err"
	echo $? >"$T/$_n.$_t.rc"
}

# both NAME ARGS...: the kernel's program (tag k) and ours (tag o).
both() {
	_bn=$1
	shift
	run_one "$K" "$_bn" k "$@"
	run_one "$G" "$_bn" o "$@"
}

# status_msgs NAME TAG: "status N" and stderr, program paths replaced by
# PROG, with an end marker so that trailing newlines count.
status_msgs() {
	echo "status $(cat "$T/$1.$2.rc")"
	sed -e "s|$K|PROG|g" -e "s|$G|PROG|g" "$T/$1.$2.err"
	echo "<end>"
}

# newc_walk FILE: one line per record: OFFSET NAMESIZE FILESIZE DATAOFF NAME
newc_walk() {
	_o=0
	_sz=$(wc -c <"$1")
	while [ $((_o + 110)) -le "$_sz" ]; do
		_h=$(tail -c +$((_o + 1)) "$1" | head -c 110)
		case $_h in 07070[12]*) ;; *) break ;; esac
		_fs=$((0x$(printf %s "$_h" | cut -c55-62)))
		_ns=$((0x$(printf %s "$_h" | cut -c95-102)))
		_nm=$(tail -c +$((_o + 111)) "$1" | head -c $((_ns - 1)) | tr -d '\000')
		_do=$(((_o + 110 + _ns + 3) / 4 * 4))
		echo "$_o $_ns $_fs $_do $_nm"
		[ "$_nm" = 'TRAILER!!!' ] && break
		_o=$(((_do + _fs + 3) / 4 * 4))
	done
}

# explain FILE OFFSET: where a byte offset falls in a newc archive.
explain() {
	_fields="magic ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check"
	newc_walk "$1" | while read -r _eo _ens _efs _edo _enm; do
		[ "$2" -lt "$_eo" ] && break
		_next=$(((_edo + _efs + 3) / 4 * 4))
		[ "$2" -ge "$_next" ] && continue
		_rel=$(($2 - _eo))
		if [ "$_rel" -lt 110 ]; then
			if [ "$_rel" -lt 6 ]; then _i=1; else _i=$(((_rel - 6) / 8 + 2)); fi
			_f=$(echo "$_fields" | cut -d' ' -f$_i)
			_c=$(((_i - 2) * 8 + 7))
			[ "$_i" = 1 ] && _c=1
			_v=$(tail -c +$((_eo + 1)) "$1" | head -c 110 | cut -c$_c-$((_c + (_i == 1 ? 5 : 7))))
			echo "record '$_enm' at $_eo, header field $_f = $_v"
		elif [ "$2" -lt "$_edo" ]; then
			echo "record '$_enm' at $_eo, name or its padding"
		else
			echo "record '$_enm' at $_eo, data or its padding"
		fi
		break
	done
}

# same_bytes NAME DESC: the two archives are identical; when not, say
# where they first differ and what each holds there.
same_bytes() {
	if cmp -s "$T/$1.k.out" "$T/$1.o.out"; then
		_tap_result 0 "$2"
		return
	fi
	_tap_result 1 "$2"
	_at=$(cmp "$T/$1.k.out" "$T/$1.o.out" 2>&1 | sed -n 's/.* byte \([0-9]*\).*/\1/p')
	diag "kernel: $(wc -c <"$T/$1.k.out") bytes, ours: $(wc -c <"$T/$1.o.out") bytes"
	if [ -n "$_at" ]; then
		_at=$((_at - 1))
		diag "first difference at offset $_at" \
			"kernel: $(explain "$T/$1.k.out" "$_at")" \
			"  ours: $(explain "$T/$1.o.out" "$_at")"
	else
		diag "$(cmp "$T/$1.k.out" "$T/$1.o.out" 2>&1 | head -n 1)"
	fi
}

# compat NAME DESC ARGS...: same bytes, same exit status and messages.
compat() {
	_cn=$1 _cd=$2
	shift 2
	both "$_cn" "$@"
	same_bytes "$_cn" "$_cd: same archive bytes"
	is "$(status_msgs "$_cn" o)" "$(status_msgs "$_cn" k)" \
		"$_cd: same exit status and messages"
}

# head_msgs NAME TAG N: status and the first N lines of stderr (usage
# texts differ: the kernel's 6.1 knows neither -o nor -a).
head_msgs() {
	echo "status $(cat "$T/$1.$2.rc")"
	sed -e "s|$K|PROG|g" -e "s|$G|PROG|g" "$T/$1.$2.err" | head -n "$3"
}

no_trailer() { ! grep -aq 'TRAILER!!!' "$1"; }

# ------------------------------------------------------------ host files

printf '' >s0
printf a >s1
printf ab >s2
printf abc >s3
printf abcd >s4
printf abcde >s5
printf 'shared by hard links\n' >hl
printf '#!/bin/sh\necho hello\n' >script
head -c 1048579 /dev/urandom >big
head -c 600 /dev/urandom >d600
head -c 512 /dev/urandom >d512
touch -d "@$E" s0 s1 s2 s3 s4 s5 hl script big d600 d512

export ES_DIR=. ES_NAME=s4 ES_A=s ES_B=5
unset ES_UNSET || :

# ------------------------------------------------ byte-identical archives

cat >all.list <<'EOF'
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
nod /dev/vda 0660 0 6 b 254 0
dir /bin 0755 0 0
file /bin/sh script 0755 0 0
slink /bin/ash sh 0777 0 0
pipe /run.fifo 0644 0 0
sock /run.sock 0755 1000 1000
EOF
compat all "every directive (dir, nod c and b, file, slink, pipe, sock)" -t "$E" all.list
is "$(newc_walk "$T/all.k.out" | cut -d' ' -f5 | tr '\n' ' ')" \
	"dev dev/console dev/vda bin bin/sh bin/ash run.fifo run.sock TRAILER!!! " \
	"the kernel's archive holds every entry, leading / stripped, then the trailer"
is "$(($(wc -c <"$T/all.k.out") % 512))" 0 "the kernel's archive is padded to 512 bytes"

{
	echo '# a comment first'
	echo
	echo 'dir /a 0755 0 0'
	echo '#dir /commented 0755 0 0'
	echo '   '
	printf '\t\n'
	echo 'dir'
	echo 'dir /b 0755 0 0 trailing words are ignored'
	echo 'file /c s3 0644 0 0'
	printf 'dir /last 0700 0 0'
} >comments.list
compat comments "comments, blank and white-space lines, a lone word, no final newline" \
	-t "$E" comments.list

cat >slash.list <<'EOF'
dir / 0755 0 0
dir /x 0755 0 0
dir //y 0755 0 0
dir z 0755 0 0
file /x/f s1 0644 0 0 /x/g x/h
slink /x/s /abs/target 0777 0 0
nod /x/n 0600 0 0 c 1 3
EOF
compat slash "one leading / stripped from every name, root and double slash included" \
	-t "$E" slash.list

echo 'file /h1 hl 0644 0 0 /h2' >hard2.list
compat hard2 "file with 2 names: data on the last" -t "$E" hard2.list
is "$(newc_walk "$T/hard2.k.out" | cut -d' ' -f3,5 | tr '\n' ' ')" "0 h1 21 h2 0 TRAILER!!! " \
	"the kernel puts hard-link data on the last name only"

printf 'dir /l 0755 0 0\nfile /l/a s5 0600 10 20 /l/b l/c\ndir /m 0755 0 0\n' >hard3.list
compat hard3 "file with 3 names, then another entry (inode numbering)" -t "$E" hard3.list

echo 'file /v ${ES_DIR}/s3 0644 0 0' >env1.list
compat env-set "\${VAR} set in a location" -t "$E" env1.list

echo 'file /v ${ES_UNSET}s2 0644 0 0' >env0.list
compat env-unset "\${VAR} unset expands to nothing" -t "$E" env0.list

printf 'file /v ${ES_DIR}/${ES_NAME} 0644 0 0\nfile /w ${ES_A}${ES_B} 0644 0 0\n' >env2.list
compat env-two "two variables in a location, apart and adjacent" -t "$E" env2.list

for s in 0 1 2 3 4 5; do echo "file /size$s s$s 0644 0 0"; done >sizes.list
compat sizes "file sizes 0 to 5 (every data padding)" -t "$E" sizes.list

for n in a bb ccc dddd; do
	echo "file /$n s1 0644 0 0"
	echo "dir /$n.d 0755 0 0"
	echo "slink $n $n 0777 0 0"
	echo "nod $n.n 0600 0 0 c 1 1"
	echo "pipe $(echo "$n" | cut -c1) 0600 0 0"
done >names.list
printf 'sock x 0755 0 0\nsock yy 0755 0 0\nsock zzz 0755 0 0\nsock wwww 0755 0 0\n' >>names.list
compat names "name and symlink target lengths 1 to 4 (every name padding)" -t "$E" names.list

printf 'file /big big 0644 0 0\nfile /after s3 0644 0 0\n' >big.list
compat big "a 1 MiB random file" -t "$E" big.list

{
	for s in 0 1 2 3 4 5; do echo "file /size$s s$s 0644 0 0"; done
	echo 'file /big big 0644 0 0'
	echo 'file /h1 hl 0644 0 0 /h2 /h3'
	echo 'dir /d 0755 0 0'
	echo 'slink /s big 0777 0 0'
	echo 'nod /n 0600 0 0 b 7 0'
} >csum.list
compat csum "-c: 070702 records with data checksums" -c -t "$E" csum.list

cat >modes.list <<'EOF'
dir /tmp 1777 0 0
dir /sgid 2755 0 0
file /suid script 4755 0 0
file /sgid/all script 7777 0 0
file /plain s1 644 0 0
pipe /p 1600 0 0
nod /n 6600 0 0 c 1 1
slink /l script 4777 0 0
EOF
compat modes "setuid, setgid and sticky bits; mode without leading 0" -t "$E" modes.list

printf 'dir\t/t\t0755\t0\t0\nfile\t/t/f s2\t0644 \t 0 0\t/t/g\nnod /t/n\t0600 0 0\tc\t1\t5\nslink\t/t/s\tf  0777 0\t0\t\n' >tabs.list
compat tabs "tabs as separators" -t "$E" tabs.list

printf 'dir /x 0755 0 0\r\nfile /x/f s3 0644 0 0\r\nslink /x/s f 0777 0 0\r\ndir\r\n' >crlf.list
compat crlf "lines ending in CR LF" -t "$E" crlf.list

: >empty.list
compat empty "an empty list: the trailer alone" -t "$E" empty.list

cp all.list "$T/stdin.in"
compat stdin "list read from standard input (-)" -t "$E" -

cat >ids.list <<'EOF'
dir /u 0755 1000 100
dir /big-ids 0755 2147483647 65534
nod /dev-zero 0666 0 0 c 0 0
nod /dev-big 0600 0 0 b 4095 1048575
nod /dev-x 0600 0 0 x 10 200
EOF
compat ids "large uid/gid and device numbers; a device type other than b is a character device" \
	-t "$E" ids.list

touch -d @0 s3
compat t0 "-t 0 (the epoch)" -t 0 env1.list
touch -d @4294967295 s3
compat tmax "-t 4294967295 (the last cpio time)" -t 4294967295 env1.list
touch -d "@$E" s3

# Without -t, the kernel's 6.1 and ours agree on lists of regular files:
# each keeps its own mtime; one past 2106 is clipped with a warning.
cp s2 own1 && touch -d @1234567890 own1
cp s3 late && touch -d @4294967300 late
printf 'file /own1 own1 0644 0 0\nfile /late late 0644 0 0\n' >own.list
compat own-mtime "no -t: files keep their own mtime, past 2106 clipped with a warning" own.list

# ------------------------------------------------------- erroneous lists

printf 'dir /a 0755 0 0\nfrob /x 1 2 3\ndir /b 0755 0 0\n' >unknown.list
compat unknown "unknown type: reported, skipped, trailer written, status 0" -t "$E" unknown.list

{
	echo 'dir /ok1 0755 0 0'
	echo 'file /f s1 0644 0'
	echo 'dir /d 0755 0'
	echo 'nod /n 0600 0 0 c 1'
	echo 'slink /s target 0777 0'
	echo 'pipe /p 0600'
	echo 'sock /k'
	echo 'dir /ok2 0755 0 0'
} >few.list
compat few "too few fields for each type: the kernel's exact words, no trailer, 255" \
	-t "$E" few.list

printf 'dir /x 07z5 0 0\nnod /n 0600 0 0 c x 1\nfile /f s1 0644 zero 0\n' >badnum.list
compat badnum "fields that are not numbers" -t "$E" badnum.list

printf 'dir /a 0755 0 0\nfile /m no-such-file 0644 0 0\nfile /n s1 0644 0 0\n' >missing.list
compat missing "a missing source file" -t "$E" missing.list

printf 'dir /a 0755 0 0\nfrob \ndir /b 0755 0 0\n' >unknown-sp.list
compat unknown-space "an unknown type with a space and nothing after it: both messages" \
	-t "$E" unknown-sp.list

printf 'dir /a 0755 0 0\n  dir /indented 0755 0 0\n\tfile /t s1 0644 0 0\n' >indent.list
compat indent "a line starting with white space is an unknown type" -t "$E" indent.list

# ------------------------------------------------------ the command line

both nolist -t "$E" no-such.list
is "$(head_msgs nolist o 3)" "$(head_msgs nolist k 3)" \
	"a missing list file: same message, then usage, status 1"

both badt -t 12x all.list
is "$(head_msgs badt o 2)" "$(head_msgs badt k 2)" "-t 12x: Invalid timestamp, usage, status 1"

both noargs
is "$(head_msgs noargs o 1)" "$(head_msgs noargs k 1)" "no list: usage, status 1"

both help -h
is "$(head_msgs help o 1)" "$(head_msgs help k 1)" "-h: usage, status 0"

both badopt -x all.list
is "$(head_msgs badopt o 2)" "$(head_msgs badopt k 2)" "an unknown option: getopt's message, usage, status 1"

# A timestamp out of range: newer kernels' words for both ends (6.1 says
# "too large" and accepts -1).
for t in -1 4294967296 99999999999999999999; do
	run_one "$G" range o -t "$t" all.list
	is "$(status_msgs range o)$(wc -c <"$T/range.o.out")" \
		"$(printf 'status 1\nERROR: Timestamp out of range for cpio format\n<end>0')" \
		"-t $t: out of range for cpio format, status 1, no output"
done

# "dir " crashes the kernel's program (its handler gets no arguments):
# ours gives the kernel's message for it, status 255, no trailer.
printf 'dir /a 0755 0 0\ndir \n' >dirsp.list
run_one "$G" dirsp o -t "$E" dirsp.list
is "$(status_msgs dirsp o)" "$(printf "status 255\nERROR: incorrect format, newline required line 2: 'dir'\n<end>")" \
	"'dir ' with nothing after it: the kernel's message, status 255"
printf 'dir /a 0755 0 0\n' >dira.list
run_one "$K" dira k -t "$E" dira.list
head -c 112 "$T/dira.k.out" >"$T/dira.first"
same_file "$T/dirsp.o.out" "$T/dira.first" \
	"'dir ' with nothing after it: the entries before it written, no trailer"

# A negative uid or gid: the kernel's program writes a 16-digit field;
# ours refuses.
printf 'dir /a 0755 -1 0\nfile /f s1 0644 0 -1\n' >neg.list
run_one "$G" neg o -t "$E" neg.list
like "$(status_msgs neg o | tr '\n' '~')" \
	"^status 255~[^~]*(uid|gid)[^~]* line 1~[^~]*(uid|gid)[^~]* line 2~<end>~$" \
	"negative uid and gid: an error naming each line, status 255"
ok "negative uid and gid: no trailer" no_trailer "$T/neg.o.out"

# A directory as a file's location: the kernel's program writes a header
# it cannot follow with data; ours must fail cleanly.
printf 'file /d . 0644 0 0\n' >isdir.list
run_one "$G" isdir o -t "$E" isdir.list
like "$(status_msgs isdir o | tr '\n' '~')" "^status 255~[^~]+ line 1~<end>~$" \
	"a directory as a file's location: an error naming line 1, status 255"

# ------------------------------------ -o and -a (newer kernels, not 6.1)

run_one "$G" outf o -o "$T/out.cpio" -t "$E" all.list
is "$(status_msgs outf o)$(wc -c <"$T/outf.o.out")" "$(printf 'status 0\n<end>0')" \
	"-o FILE: status 0, nothing on standard output"
same_file "$T/out.cpio" "$T/all.k.out" "-o FILE holds the bytes the kernel's program writes to stdout"

run_one "$G" outbad o -o "$T/bad.cpio" -t "$E" missing.list
ok "-o FILE with an erroneous list leaves no FILE" test ! -e "$T/bad.cpio"

run_one "$G" outdir o -o "$T/no/such/dir/x.cpio" -t "$E" all.list
is "$(head_msgs outdir o 2)" "$(printf 'status 1\nfailed to open %s\nUsage:' "$T/no/such/dir/x.cpio")" \
	"-o into a missing directory: the kernel's 'failed to open', usage, status 1"

# -a 512: a file larger than 512 gets its name padded with NULs, counted in
# namesize, so that its data starts at a multiple of 512; other files
# and the other names of a hard-link group are left alone.
printf 'file /small s3 0644 0 0\nfile /exact d512 0644 0 0\nfile /al d600 0644 0 0\nfile /h1 d600 0644 0 0 /h2\n' >align.list
run_one "$G" align o -a 512 -t "$E" align.list
newc_walk "$T/align.o.out" >"$T/align.walk"
is "$(status_msgs align o)" "$(printf 'status 0\n<end>')" "-a 512: status 0, no message"
is "$(awk '{ printf "%s:%s ", $5, ($2 == length($5) + 1 ? "plain" : "padded:" $4 % 512) }' "$T/align.walk")" \
	"small:plain exact:plain al:padded:0 h1:plain h2:padded:0 TRAILER!!!:plain " \
	"-a 512: only data larger than 512 starts at a multiple of 512, by name padding"
read -r al_off al_ns al_data <<EOF
$(awk '$5 == "al" { print $1, $2, $4 }' "$T/align.walk")
EOF
is "$((al_off + 110 + al_ns))" "$al_data" \
	"-a 512: namesize counts every padding NUL, reaching exactly to the data"
al_name_nul_padded() {
	tail -c +$((al_off + 111)) "$T/align.o.out" | head -c $((al_ns - 1)) |
		od -An -v -c | tr -d ' \n' | grep -qx 'al\(\\0\)*'
}
ok "-a 512: the name padding is NULs" al_name_nul_padded
al_data_is_file() {
	tail -c +$((al_data + 1)) "$T/align.o.out" | head -c 600 | cmp -s - d600
}
ok "-a 512: the aligned data is the file" al_data_is_file

both noalign -t "$E" sizes.list
run_one "$G" noalign a -a 512 -t "$E" sizes.list
same_file "$T/noalign.a.out" "$T/noalign.k.out" "-a 512 with no file larger than 512: the kernel's bytes"
run_one "$G" align0 o -a 0 -t "$E" sizes.list
same_file "$T/align0.o.out" "$T/noalign.k.out" "-a 0 means no alignment (the kernel's bytes)"

# Padding that would pass PATH_MAX is not written: a warning, no alignment.
printf 'file /big big 0644 0 0\n' >bigalign.list
both bigalign -t "$E" bigalign.list
run_one "$G" bigalign a -a 65536 -t "$E" bigalign.list
is "$(status_msgs bigalign a)" "$(printf 'status 0\nbig: best-effort alignment 65536 missed\n<end>')" \
	"-a 65536 on a record that would need more than PATH_MAX of padding: the kernel's warning"
same_file "$T/bigalign.a.out" "$T/bigalign.k.out" "-a 65536 missed: the unaligned bytes"

run_one "$G" align3 o -a 3 -t "$E" sizes.list
is "$(head_msgs align3 o 2)" "$(printf 'status 1\nInvalid data_align: 3\nUsage:')" \
	"-a 3 (not a multiple of 4): Invalid data_align, usage, status 1"

# Negative file mtimes without -t: newer kernels clip to 0 with a warning.
cp s1 early && touch -d @-5 early
echo 'file /early early 0644 0 0' >early.list
run_one "$G" early o early.list
is "$(status_msgs early o)" "$(printf 'status 0\nearly: Timestamp negative, clipping.\n<end>')" \
	"a file mtime before 1970: the newer kernels' warning"
is "$(head -c 110 "$T/early.o.out" | cut -c47-54)" 00000000 "a file mtime before 1970 is clipped to 0"

done_testing
