#!/bin/sh
# run-init outside QEMU. Each case builds a fake initramfs R (a tmpfs)
# in a private mount namespace: files, directories, symbolic links (one
# into another mount, one to a host path), a deep tree whose paths pass
# PATH_MAX, a name with a space and a newline, a fifo, a device node, a
# second tmpfs at /keep, a host directory bound at /host and the new
# root (a third tmpfs, proc mounted in it) at /root. run-init runs in R
# by chroot; R2, a recursive bind of R made before, shows afterwards
# what is left of the old root. The new root's init (show-init.c)
# reports its argv, cwd, fds 0-2, capabilities and "/" on fd 3.
# Refusals must change nothing: R2 is listed before and after.
. "$(dirname "$0")/../lib/tap.sh"
PATH=$PATH:/usr/sbin:/sbin

[ "$(id -u)" = 0 ] || skip_all "needs root"
unshare -m --propagation private true 2>/dev/null ||
	skip_all "unshare -m does not work here"
if command -v musl-gcc > /dev/null; then CC_STATIC=musl-gcc; else CC_STATIC=cc; fi
$CC_STATIC -static -Os -o "$T/show-init" "$TOP/tests/early/show-init.c" ||
	skip_all "cannot build a static test init"

# ns.sh DIR KIND KINIT SHOW-INIT RUN-INIT-ARGS...: sets up DIR/R and runs
# run-init in it; KIND tmpfs, or disk (R stays a plain directory of $T,
# so "/" is not tmpfs; a bug deletes only this scratch tree). Results in
# DIR/out.
cat > "$T/ns.sh" << 'EOF'
set -eu
D=$1 KIND=$2 KINIT=$3 SHOW=$4
shift 4
R=$D/R NR=$D/R/root O=$D/out
mkdir -p "$R" "$D/R2" "$D/host" "$O"
[ "$KIND" = disk ] || mount -t tmpfs -o mode=755 es-initramfs "$R"
cp "$KINIT" "$R/run-init"
mkdir -p "$R/bin" "$R/etc/dir/sub" "$R/plain/sbin" "$R/locked"
cp "$SHOW" "$R/bin/sh"
cp "$SHOW" "$R/plain/sbin/init"
echo conf > "$R/etc/conf"
echo sub > "$R/etc/dir/sub/file"
echo odd > "$R/a b
c"
mkfifo "$R/fifo"
mknod "$R/null" c 1 3
echo locked > "$R/locked/file"
chmod 000 "$R/locked"
ln -s /keep "$R/to-keep"
ln -s /root/etc "$R/to-newroot"
ln -s ../keep/a "$R/etc/rel-to-keep"
ln -s "$D/host" "$R/to-host"
(cd "$R" && mkdir deep && cd deep && i=0 &&
	while [ $i -lt 120 ]; do
		n=level-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
		mkdir $n && cd -P $n; i=$((i + 1))
	done && echo bottom > file)
# ES_STUCK: an immutable file, which no one can delete.
[ -z "${ES_STUCK:-}" ] || { echo stuck > "$R/etc/dir/stuck" && chattr +i "$R/etc/dir/stuck"; }
mkdir "$R/keep" "$R/host" "$R/root"
mount -t tmpfs es-keep "$R/keep"
echo a > "$R/keep/a"
mkdir "$R/keep/dir"
echo b > "$R/keep/dir/b"
echo precious > "$D/host/precious"
mount --bind "$D/host" "$R/host"
mount -t tmpfs -o mode=755 es-newroot "$NR"
mkdir -p "$NR/lib/es-test" "$NR/sbin/dir-init" "$NR/etc" "$NR/dev" "$NR/proc"
cp "$SHOW" "$NR/lib/es-test/show-init"
cp "$SHOW" "$NR/sbin/noexec-init"
chmod 644 "$NR/sbin/noexec-init"
ln -s /lib/es-test/show-init "$NR/sbin/init"
ln -s ../lib/./es-test/show-init "$NR/sbin/rel-init"
ln -s ../../../../bin/sh "$NR/sbin/escape"
ln -s /bin/sh "$NR/sbin/abs-escape"
echo newroot > "$NR/etc/hostname"
mknod "$NR/dev/console" c 1 3
mount -t proc proc "$NR/proc"
mount --rbind "$R" "$D/R2"
list() { (cd "$D/R2" && find . -xdev | LC_ALL=C sort); }
list > "$O/before"
# ES_CAPSH: capsh options that change the capabilities run-init starts with.
if [ -n "${ES_CAPSH:-}" ]; then
	set -- capsh $ES_CAPSH --shell="$(command -v chroot)" -- "$R" /run-init "$@"
else
	set -- chroot "$R" /run-init "$@"
fi
set +e
# ES_NOSTDIO: fds 0 and 1 closed, so that the console run-init opens
# gets one of them.
if [ -n "${ES_NOSTDIO:-}" ]; then
	"$@" 2> "$O/stderr" 3> "$O/report" <&- >&-
else
	"$@" > "$O/stdout" 2> "$O/stderr" 3> "$O/report"
fi
echo $? > "$O/rc"
list > "$O/after"
(cd "$D/R2/keep" && find . | LC_ALL=C sort) > "$O/keep"
ls "$R" > "$O/r-after"
EOF

# run_case NAME KIND RUN-INIT-ARGS...: a fresh namespace and root each;
# O is where the results are. CAPSH, STUCK, NOSTDIO: ES_CAPSH, ES_STUCK,
# ES_NOSTDIO in ns.sh.
CAPSH= STUCK= NOSTDIO=
run_case() {
	_name=$1 _kind=$2
	shift 2
	O=$T/$_name/out
	mkdir -p "$T/$_name"
	ES_CAPSH=$CAPSH ES_STUCK=$STUCK ES_NOSTDIO=$NOSTDIO \
		unshare -m --propagation private sh "$T/ns.sh" "$T/$_name" \
		"$_kind" "$BIN/kinit" "$T/show-init" "$@" 2> "$T/$_name/setup.err" ||
		diag "setup of $_name failed: $(cat "$T/$_name/setup.err")"
}
status() { printf '%s:%s' "$(cat "$O/rc" 2>/dev/null)" "$(cat "$O/stderr" 2>/dev/null)"; }
report() { grep "^$1:" "$O/report" 2>/dev/null; }
# refused DESC EXPECTED-MESSAGE: exit 1, the message, nothing changed.
refused() {
	is "$(status)" "1:run-init: $2" "$1: exit 1 and the message"
	same_file "$O/before" "$O/after" "$1: nothing of the old root deleted"
	is "$(cat "$O/report")" "" "$1: init did not run"
}
NR_NAMES="dev etc lib proc sbin"
ONLY_MOUNTS=". ./host ./keep ./root "

# A full run: the initramfs deleted, init run in the new root with its
# arguments and the console on 0/1/2 (0 and 1 closed before: the console
# gets 1, which must stay open across exec).
NOSTDIO=1
run_case full tmpfs -c /dev/console /root /sbin/init one "two words"
NOSTDIO=
ok "setup: the old root holds the deep tree and the odd names" \
	grep -q 'level-119-.*/file$' "$O/before"
is "$(grep -cx c "$O/before")" 1 "setup: the name with a newline is there"
is "$(status)" "0:" "full run: init's exit status, nothing on stderr"
is "$(report argv)" "argv: /sbin/init|one|two words" "init got argv[0] and its arguments"
is "$(report cwd)" "cwd: /" "init runs in /"
is "$(report root)" "root: $NR_NAMES" "init's / is the new root"
is "$(grep ^fd "$O/report" | tr '\n' ' ')" "fd0: /dev/console fd1: /dev/console fd2: /dev/console " \
	"-c: the console reopened on 0, 1 and 2"
is "$(tr '\n' ' ' < "$O/after")" "$ONLY_MOUNTS" "the old root holds only its mount points"
is "$(tr '\n' ' ' < "$O/keep")" ". ./a ./dir ./dir/b " "a mounted filesystem's files survive"
is "$(cat "$T/full/host/precious" 2>&1)" "precious" "a bound host directory survives"
is "$(tr '\n' ' ' < "$O/r-after")" "$NR_NAMES " "the new root was moved onto the old /"
BND=$(awk '/^CapBnd/ { print $2 }' /proc/self/status)
EFF=$(awk '/^CapEff/ { print $2 }' /proc/self/status)
is "$(report CapBnd)" "CapBnd:	$BND" "without -d the bounding set is whole"

# -p: nothing deleted. init named by a relative link in the new root.
run_case keep tmpfs -p /root /sbin/rel-init
is "$(status)" "0:" "-p: init runs"
is "$(report argv)" "argv: /sbin/rel-init" "-p: init through a relative link"
same_file "$O/before" "$O/after" "-p: the old root's files are kept"
is "$(tr '\n' ' ' < "$O/r-after")" "$NR_NAMES " "-p: the new root moved all the same"

# What cannot be deleted is reported once, and the boot goes on.
STUCK=1
run_case stuck tmpfs /root /sbin/init
STUCK=
if grep -q stuck "$O/before"; then
	is "$(status)" "0:run-init: warning: initramfs entries not deleted: 1 (first 'stuck': Operation not permitted)" \
		"an undeletable file: one warning, init runs"
	is "$(tr '\n' ' ' < "$O/after")" ". ./etc ./etc/dir ./etc/dir/stuck ./host ./keep ./root " \
		"an undeletable file: it and its directories stay, the rest goes"
else
	skip "chattr +i does not work on tmpfs here"
	skip "chattr +i does not work on tmpfs here"
fi

run_case dry tmpfs -n /root /sbin/init
is "$(status):$(cat "$O/stdout")" "0::" "-n: a good init, exit 0 and silent"
same_file "$O/before" "$O/after" "-n: nothing deleted"
is "$(cat "$O/report")" "" "-n: init did not run"
ok "-n: the new root was not moved" grep -qx run-init "$O/r-after"

run_case dry-missing tmpfs -n /root /sbin/nope
refused "-n, missing init" "/root/sbin/nope: No such file or directory"
run_case dry-noexec tmpfs -n /root /sbin/noexec-init
refused "-n, init not executable" "/root/sbin/noexec-init: not executable"
run_case dry-dir tmpfs -n /root /sbin/dir-init
refused "-n, init a directory" "/root/sbin/dir-init: not a regular file"
# The old root has /bin/sh, the new one has not: links that would reach
# it by escaping the new root must not resolve.
run_case dry-escape tmpfs -n /root /sbin/escape
refused "-n, a link climbing out of the new root" \
	"/root/sbin/escape: No such file or directory"
run_case dry-abs tmpfs -n /root/ /sbin/abs-escape
refused "-n, an absolute link (resolved in the new root)" \
	"/root/sbin/abs-escape: No such file or directory"

run_case missing tmpfs /root /sbin/nope
refused "missing init" "/root/sbin/nope: No such file or directory"
run_case samefs tmpfs /plain /sbin/init
refused "new root on the same filesystem as /" "/plain: on the same filesystem as /"
run_case notmount tmpfs /root/lib /es-test/show-init
refused "new root not a mount point" "/root/lib: not a mount point"
run_case console tmpfs -c /dev/ttyNONE /root /sbin/init
refused "a console that does not open" "/root/dev/ttyNONE: No such file or directory"
case $(stat -f -c %T "$T") in
tmpfs | ramfs)
	for _i in 1 2 3; do skip "the temporary directory is itself on tmpfs"; done ;;
*)
	run_case disk disk /root /sbin/init
	like "$(status)" "^1:run-init: /: not ramfs or tmpfs \(filesystem type 0x[0-9a-f]+\): not an initramfs$" \
		"/ on a disk filesystem: refused"
	same_file "$O/before" "$O/after" "/ on a disk filesystem: nothing deleted"
	is "$(cat "$O/report")" "" "/ on a disk filesystem: init did not run" ;;
esac

# -d: gone from the bounding and effective sets init starts with.
DROP=$(((1 << 21) | (1 << 13)))
ok "setup: cap_sys_admin and cap_net_raw are there to drop" \
	test $((0x$BND & 0x$EFF & DROP)) = $DROP
WANT_BND=$(printf '%016x' $((0x$BND & ~DROP)))
WANT_EFF=$(printf '%016x' $((0x$EFF & ~DROP)))
# With capsh, run-init starts with both also inheritable and ambient,
# the sets that survive exec.
HAVE_CAPSH=$(command -v capsh)
HEX_DROP=$(printf '%016x' $DROP)
if [ -n "$HAVE_CAPSH" ]; then
	CAPSH="--inh=cap_sys_admin,cap_net_raw --addamb=cap_sys_admin,cap_net_raw"
	run_case caps-control tmpfs -p /root /sbin/init
	is "$(report CapInh):$(report CapAmb)" "CapInh:	$HEX_DROP:CapAmb:	$HEX_DROP" \
		"setup: without -d, init gets the inheritable and ambient ones"
else
	skip "no capsh: the inheritable and ambient sets are not tested"
fi
run_case caps tmpfs -d cap_sys_admin,cap_net_raw /root /sbin/init
CAPSH=
is "$(status)" "0:" "-d cap_sys_admin,cap_net_raw: init runs"
is "$(report CapBnd)" "CapBnd:	$WANT_BND" "-d: dropped from the bounding set"
is "$(report CapEff)" "CapEff:	$WANT_EFF" "-d: dropped from the effective set"
if [ -n "$HAVE_CAPSH" ]; then
	is "$(report CapInh):$(report CapAmb)" "CapInh:	0000000000000000:CapAmb:	0000000000000000" \
		"-d: dropped from the inheritable and ambient sets"
else
	skip "no capsh"
fi
is "$(tr '\n' ' ' < "$O/after")" "$ONLY_MOUNTS" "-d: the old root deleted"
run_case caps2 tmpfs -p -d SYS_ADMIN,,13 /root /sbin/init
is "$(report CapBnd):$(report CapEff)" "CapBnd:	$WANT_BND:CapEff:	$WANT_EFF" \
	"-d by upper-case name without cap_ and by number"
if [ -n "$HAVE_CAPSH" ]; then
	CAPSH=--drop=cap_setpcap
	run_case nosetpcap tmpfs -d cap_net_raw /root /sbin/init
	CAPSH=
	refused "-d without cap_setpcap" "dropping capabilities needs cap_setpcap"
else
	for _i in 1 2 3; do skip "no capsh"; done
fi
run_case badcap tmpfs -d cap_sys_admin,cap_bogus /root /sbin/init
refused "an unknown capability" "unknown capability 'cap_bogus'"
run_case bigcap tmpfs -n -d 64 /root /sbin/init
refused "capability number 64" "unknown capability '64'"

ln -s "$BIN/kinit" "$T/run-init"
"$T/run-init" /root > /dev/null 2> "$T/usage"
is "$?:$(cat "$T/usage")" \
	"1:usage: run-init [-d caps] [-c consoledev] [-n] [-p] /real-root /sbin/init [args]" \
	"too few arguments: usage, exit 1"

done_testing
