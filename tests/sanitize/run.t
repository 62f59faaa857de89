#!/bin/sh
# The tests again, against the host tool and the unit tests built with
# AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer
# (mk/sanitize.mk: make sanitize-build, into $BIN/asan): every unit test
# binary, and every shell test that runs `initramfs` (tests/cli,
# tests/compat, tests/interop) with BIN pointing at the instrumented
# build. A file passes when prove passes it and the runtimes wrote no
# report (see run-one.sh; `ulimit -v` is a no-op there: shim/sh says
# why). kinit cannot take the sanitizers (static
# musl); its code is in the unit tests through libearly.a, and the
# applets that run on the host (fstype, modprobe) run here under
# valgrind's memcheck on good and damaged input, output checked.
#
# Files run SAN_JOBS at a time (default 2), longest first. The codec
# unit tests dominate: each decoder's multi-MiB buffers cost a fresh
# mapping and its shadow under ASan. clear_shadow_mmap_threshold makes
# the runtime clear shadow by writing it instead of remapping it (same
# checks, about half the time). Not run here: tests/early, tests/net
# and tests/boot (they test kinit, on the host or booted in QEMU) and
# tests/fuzz (a sanitizer build of its own).
. "$(dirname "$0")/../lib/tap.sh"

SAN=$BIN/asan
SAN_JOBS=${SAN_JOBS:-2}
CC=${CC:-cc}

cat > "$T/probe.c" <<'EOF'
int main(void) { return 0; }
EOF
if ! "$CC" -fsanitize=address,undefined -o "$T/probe" "$T/probe.c" > "$T/err" 2>&1 ||
	! "$T/probe" >> "$T/err" 2>&1; then
	skip_all "$CC has no ASan/UBSan runtime here: $(head -n 1 "$T/err")"
fi

# Under make check the job server's descriptors are not ours: a make
# of its own, with its own -j. B relative, as the dependency files name
# their targets.
case $BIN in
"$TOP"/*) B=${BIN#"$TOP"/} ;;
*) B=$BIN ;;
esac
build() {
	MAKEFLAGS='' MAKELEVEL='' make -C "$TOP" -j"$SAN_JOBS" B="$B" sanitize-build \
		> "$T/build.log" 2>&1
}
if ! ok "make sanitize-build" build; then
	diag "$(tail -n 20 "$T/build.log")"
	done_testing
	exit 1
fi

# ---- the tests, under the sanitizers ----

ASAN_BASE=detect_leaks=1:abort_on_error=0:clear_shadow_mmap_threshold=1073741824
UBSAN_BASE=print_stacktrace=1:halt_on_error=1
SAN_RUN=$T/run
export SAN SAN_RUN ASAN_BASE UBSAN_BASE

units=$(find "$SAN/tests" -name 'test_*' ! -name '*.d' | LC_ALL=C sort)
files=$(printf '%s\n' "$units" | grep '/test_codec_'
	ls "$TOP"/tests/interop/*.t "$TOP"/tests/compat/*.t "$TOP"/tests/cli/*.t
	printf '%s\n' "$units" | grep -v '/test_codec_')
start=$(date +%s)
printf '%s\n' "$files" | awk '{ print NR, $0 }' |
	xargs -P "$SAN_JOBS" -n 2 sh "$TOP/tests/sanitize/run-one.sh"
diag "$(printf '%s\n' "$files" | wc -l) files in $(($(date +%s) - start)) s, $SAN_JOBS at a time; the slowest:"
n=0
for f in $files; do
	n=$((n + 1))
	echo "$(cat "$SAN_RUN/$n/secs" 2> /dev/null) s ${f#"$TOP"/}"
done | sort -rn | head -n 4 | while read -r line; do diag "  $line"; done

n=0
for f in $files; do
	n=$((n + 1))
	name=${f#"$TOP"/}
	d=$SAN_RUN/$n
	is "$(cat "$d/status" 2> /dev/null)" 0 "$name passes under the sanitizers" ||
		diag "$(grep -v '^ok' "$d/out" | tail -n 25)"
	is "$(find "$d/rep" -type f | wc -l)" 0 "$name: no sanitizer report" ||
		diag "$(cat "$d"/rep/* | head -n 40)"
done

# ---- kinit's host applets, under valgrind ----

KINIT=$BIN/kinit
PATH=$PATH:/sbin:/usr/sbin
have() { command -v "$1" > /dev/null; }

# vg DESCRIPTION EXPECTED ARGS...: kinit ARGS under memcheck prints
# EXPECTED (its standard output and error, then "exit STATUS");
# memcheck's own errors give status 99 and go to the diagnostics.
vg() {
	_d=$1 _e=$2
	shift 2
	_o=$(valgrind -q --log-file="$T/vg.log" --error-exitcode=99 "$KINIT" "$@" 2>&1
	     echo "exit $?")
	is "$_o" "$_e" "valgrind: $_d" || diag "$(head -n 30 "$T/vg.log")"
}

if ! have valgrind; then
	skip "valgrind is not installed"
	done_testing
	exit
fi
if [ ! -x "$KINIT" ]; then
	skip "$KINIT is not built"
	done_testing
	exit
fi
cd "$T" || exit 1

# fstype: a filesystem, damaged superblocks, a GPT with a damaged
# primary header, nothing, noise.
truncate -s 8M ext4
mke2fs -q -F -t ext4 -L san ext4
vg "fstype ext4" "FSTYPE=ext4
FSSIZE=8388608
exit 0" fstype ext4
# s_log_block_size 2^32-1: a shift far past 64 bits if trusted.
cp ext4 ext4-shift
printf '\377\377\377\377' | dd of=ext4-shift bs=1 seek=1048 conv=notrunc 2> /dev/null
vg "fstype ext4, block size 2^(10+2^32-1)" "FSTYPE=ext4
FSSIZE=0
exit 0" fstype ext4-shift
# 2^32-1 blocks of 64 KiB: the size needs 49 bits.
cp ext4 ext4-big
printf '\377\377\377\377' | dd of=ext4-big bs=1 seek=1028 conv=notrunc 2> /dev/null
printf '\006' | dd of=ext4-big bs=1 seek=1048 conv=notrunc 2> /dev/null
vg "fstype ext4, 2^32-1 blocks of 64 KiB" "FSTYPE=ext4
FSSIZE=281474976645120
exit 0" fstype ext4-big
head -c 1100 ext4 > ext4-cut
vg "fstype ext4 cut inside its superblock" "FSTYPE=unknown
FSSIZE=0
exit 1" fstype ext4-cut
head -c 65536 /dev/zero > zero
vg "fstype 64 KiB of zeros" "FSTYPE=unknown
FSSIZE=0
exit 1" fstype zero
# gzip's output past its header: noise with no magic number.
seq 100000 | gzip -n | tail -c +1025 | head -c 65536 > noise
vg "fstype noise" "FSTYPE=unknown
FSSIZE=0
exit 1" fstype noise

if have sfdisk; then
	truncate -s 4M gpt
	sfdisk -q gpt > /dev/null <<-EOF
	label: gpt
	label-id: 01234567-89AB-CDEF-0123-456789ABCDEF
	first-lba: 34
	start=2048, size=2048, uuid=11111111-2222-3333-4444-555555555555, name="boot"
	EOF
	want="FSTYPE=unknown
FSSIZE=0
PTTYPE=gpt
PTUUID=01234567-89ab-cdef-0123-456789abcdef
PART1_TYPE=0fc63daf-8483-4772-8e79-3d69d8477de4
PART1_UUID=11111111-2222-3333-4444-555555555555
PART1_LABEL=boot
PART1_START=2048
PART1_SECTORS=2048
exit 0"
	vg "fstype -v GPT disk" "$want" fstype -v gpt
	# The primary header claims 2^32-1 entries (its CRC no longer
	# matches): the backup header at the disk's end gives the table.
	printf '\377\377\377\377' | dd of=gpt bs=1 seek=592 conv=notrunc 2> /dev/null
	vg "fstype -v GPT, primary header's entry count 2^32-1" "$want" fstype -v gpt
else
	skip "sfdisk is not installed"
	skip "sfdisk is not installed"
fi

# modprobe: a modules directory written here (dependencies, an alias,
# a softdep, a built-in module), then damaged index files.
R=root/lib/modules/9.9.9-san
mkdir -p $R/kernel
for m in a b c d; do : > $R/kernel/$m.ko; done
printf 'kernel/a.ko: kernel/b.ko kernel/c.ko\nkernel/b.ko: kernel/c.ko\nkernel/c.ko:\nkernel/d.ko:\n' \
	> $R/modules.dep
printf 'alias fs-aa a\n' > $R/modules.alias
printf 'softdep a pre: d\n' > $R/modules.softdep
printf 'kernel/e.ko\n' > $R/modules.builtin
: > $R/modules.symbols
: > $R/modules.order
K=$T/$R/kernel
# kmod's lines end in a space.
vg "modprobe --show-depends: dependencies, then the softdep" \
	"$(printf 'insmod %s \n' "$K/c.ko" "$K/b.ko" "$K/d.ko" "$K/a.ko")
exit 0" modprobe -d root -S 9.9.9-san --show-depends fs-aa
vg "modprobe --show-depends of a built-in module" "builtin e
exit 0" modprobe -d root -S 9.9.9-san --show-depends e
vg "modprobe --show-depends of an unknown module" \
	"modprobe: FATAL: Module nosuch not found in directory $T/$R
exit 1" \
	modprobe -d root -S 9.9.9-san --show-depends nosuch
printf 'kernel/a.ko: kernel/b.ko\nkernel/b.ko: kernel/a.ko\n' > $R/modules.dep
vg "modprobe on a dependency loop" \
	"modprobe: $T/$R/modules.dep:1: dependency cycle: a -> b -> a
exit 1" modprobe -d root -S 9.9.9-san --show-depends a
# A line without ':' before a 64 KiB name.
{
	printf 'kernel/a.ko:\nno colon here\n'
	head -c 65536 /dev/zero | tr '\0' x
	printf '.ko: kernel/a.ko\n'
} > $R/modules.dep
vg "modprobe on a modules.dep line without ':'" \
	"modprobe: $T/$R/modules.dep:2: no ':' after the module's path
exit 1" modprobe -d root -S 9.9.9-san --show-depends a

done_testing
