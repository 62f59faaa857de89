#!/bin/sh
# nfsmount outside QEMU: klibc's command line and what it refuses,
# before anything reaches the kernel. Mounting itself is tested in QEMU
# against nfs-ganesha (tests/net/nfs-harness.t).
. "$(dirname "$0")/../lib/tap.sh"

K=$BIN/kinit
[ -x "$K" ] || skip_all "kinit is not built (run make)"
cd "$T" || exit 1
mkdir dir
: > file

# run ARGS...: nfsmount's exit status in $rc, its stderr in err
run() {
	"$K" nfsmount "$@" > out 2> err
	rc=$?
}

run
is "$rc" 1 "no arguments: exit 1"
like "$(cat err)" '^usage: nfsmount \[-o OPTIONS\]' "no arguments: the usage line"
run -x 10.0.2.2:/export dir
is "$rc" 1 "an unknown flag: exit 1"
run 10.0.2.2:/export dir extra
is "$rc" 1 "three operands: exit 1"
run /export dir
is "$rc" 1 "no SERVER: exit 1"
is "$(cat err)" "nfsmount: /export: not SERVER:/PATH" "no SERVER: said so"
run 10.0.2.2:/export file
is "$rc" 1 "a mount point that is a file: exit 1"
is "$(cat err)" "nfsmount: file: not a directory" "a file as mount point: said so"
run 10.0.2.2:/export nowhere
is "$(cat err)" "nfsmount: nowhere: not a directory" "a missing mount point: said so"
run -o vers=5 10.0.2.2:/export dir
is "$rc" 1 "vers=5: exit 1"
like "$(cat err)" 'vers=5: not an NFS version' "vers=5: said so"
run -o rw -o rsize=big 10.0.2.2:/export dir
like "$(cat err)" 'rsize=big: not a number' "options from several -o are all checked"
# Host names are resolved through /etc/resolv.conf (tests/net/resolve.t,
# in its own network): here only names refused before any query, so
# that nothing is ever sent to the machine's name servers.
long=$(printf '%064d' 7)
run "$long.example:/export" dir
is "$rc" 1 "a host name with a label over 63 bytes: exit 1"
is "$(cat err)" "nfsmount: $long.example: not a host name" "a label over 63 bytes: said so"
run "nfs..example:/export" dir
is "$(cat err)" "nfsmount: nfs..example: not a host name" "an empty label: said so"
run "[fe80::1]:/export" dir
is "$(cat err)" "nfsmount: [fe80::1]: not a host name" "an IPv6 server: refused, not looked up"
run -p /run/portmap -o nolock 10.0.2.2:/export "$T/nothing-here"
is "$(cat err)" "nfsmount: $T/nothing-here: not a directory" "-p FILE is taken and ignored"
done_testing
