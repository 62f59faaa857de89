# qemu.sh - boot an initramfs image on Debian's kernel under QEMU and
# capture the serial console. Source it after tap.sh; it sources
# kernel.sh for the kernel.
#
#   qemu_boot IMAGE APPEND TIMEOUT LOGFILE [MARKER]
#       boots $QEMU_KERNEL (default: kernel_vmlinux) with IMAGE as the
#       initrd (none when IMAGE is empty) and the command line
#       "console=ttyS0 panic=-1 APPEND", 512 MiB, no network, no disk,
#       no reboot, the serial console written to LOGFILE. It stops the
#       guest as soon as a line of LOGFILE matches the extended regex
#       MARKER (default ^PROBE-END), or when the guest powers off or
#       panics (panic=-1 and -no-reboot make QEMU exit), or after
#       TIMEOUT seconds. QEMU's own messages go to LOGFILE.qemu.
#       Returns 0 when MARKER was seen, 1 when the guest
#       stopped without it, 2 on timeout, 3 when QEMU or the kernel is
#       missing. Sets QEMU_BOOT_SECS to the wall time of the boot.
#       QEMU_ARGS, when set, is added to QEMU's arguments (split on
#       white space), e.g. a disk: "-drive file=d.img,if=virtio,format=raw".
#       QEMU never outlives the call: it is killed on every way out,
#       including the test script itself dying.
#   qemu_accel
#       prints the accelerator qemu_boot uses: $ES_QEMU_ACCEL when set
#       (kvm or tcg), else kvm only when /dev/kvm is usable AND the
#       kernel boots under it (some hosts offer a /dev/kvm on which the
#       kernel faults), else tcg. The verdict of that trial boot is kept
#       in $ES_CACHE/qemu-accel-<host> so it is paid once.
#   qemu_need_kernel
#       for a boot test, before its first boot: skips the whole file
#       (skip_all) unless $QEMU is installed and Debian's kernel can be
#       had; sets and exports QEMU_KERNEL.
#   qemu_reached CONSOLE DESCRIPTION PATTERN...
#       one TAP result: passes when the console text (qemu_console's)
#       in the file CONSOLE has a line matching each extended regex
#       PATTERN; else fails with kinit's, ipconfig's and the kernel's
#       last lines as diagnostics. Returns as ok does.
#   qemu_console LOGFILE
#       prints the console log without carriage returns (the serial
#       line ends lines with CR LF).
#
# Under software emulation Debian's 6.1 kernel reaches /init in about
# 2.5 s of guest time; allow 60-120 s of wall time on a loaded machine.

command -v kernel_vmlinux >/dev/null 2>&1 || . "$TOP/tests/lib/kernel.sh"

QEMU=${QEMU:-qemu-system-x86_64}

qemu_need_kernel() {
	command -v "$QEMU" >/dev/null 2>&1 || skip_all "$QEMU is not installed (qemu-system-x86)"
	QEMU_KERNEL=$(kernel_vmlinux 2>"$T/kernel.err") ||
		skip_all "cannot get Debian's kernel: $(tail -n 1 "$T/kernel.err")"
	export QEMU_KERNEL
}

_qemu_alive() { # PID: the process exists and is not a zombie
	[ -r "/proc/$1/stat" ] || return 1
	_qa_st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$_qa_st" ] && [ "$_qa_st" != Z ]
}

_qemu_now() { date +%s%N; }

# _qemu_run ACCEL KERNEL IMAGE APPEND TIMEOUT LOGFILE MARKER: the boot,
# in a subshell so its traps are its own.
_qemu_run() (
	_qr_accel=$1 _qr_kernel=$2 _qr_image=$3 _qr_append=$4
	_qr_timeout=$5 _qr_log=$6 _qr_marker=$7
	_qr_main=$$
	: > "$_qr_log" || exit 3
	# QEMU's option syntax doubles commas inside a path.
	_qr_serial=$(printf '%s' "$_qr_log" | sed 's/,/,,/g')
	set -- -accel "$_qr_accel" -nographic -nodefaults -no-user-config \
		-monitor none -serial "file:$_qr_serial" -no-reboot -m 512 \
		-kernel "$_qr_kernel" -append "console=ttyS0 panic=-1 $_qr_append"
	[ -z "$_qr_image" ] || set -- "$@" -initrd "$_qr_image"
	# shellcheck disable=SC2086
	[ -z "${QEMU_ARGS:-}" ] || set -- "$@" $QEMU_ARGS
	_qr_pid=
	trap '[ -z "$_qr_pid" ] || { kill -KILL $_qr_pid; wait $_qr_pid; } 2>/dev/null' EXIT
	trap 'exit 130' HUP INT TERM
	"$QEMU" "$@" </dev/null >"$_qr_log.qemu" 2>&1 &
	_qr_pid=$!
	_qr_end=$(($(_qemu_now) + _qr_timeout * 1000000000))
	while :; do
		if grep -Eq -- "$_qr_marker" "$_qr_log"; then
			exit 0
		fi
		if ! _qemu_alive "$_qr_pid"; then
			# The last lines may have come with the exit.
			grep -Eq -- "$_qr_marker" "$_qr_log" && exit 0
			exit 1
		fi
		[ "$(_qemu_now)" -lt "$_qr_end" ] || exit 2
		# The test script died (killed by prove, say): do not linger.
		kill -0 "$_qr_main" 2>/dev/null || exit 1
		sleep 0.1
	done
)

qemu_accel() {
	if [ -n "${ES_QEMU_ACCEL:-}" ]; then
		printf '%s\n' "$ES_QEMU_ACCEL"
		return 0
	fi
	if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
		echo tcg
		return 0
	fi
	_qc_file=$ES_CACHE/qemu-accel-$(uname -n)
	if [ ! -s "$_qc_file" ]; then
		_qc_kernel=${QEMU_KERNEL:-$(kernel_vmlinux)} || return 1
		mkdir -p "$ES_CACHE" || return 1
		# No initrd: a working kernel gets as far as failing to mount
		# a root and panics within a second or two.
		_qc_log=$(mktemp "${TMPDIR:-/tmp}/es-accel.XXXXXX") || return 1
		if _qemu_run kvm "$_qc_kernel" "" "" 20 "$_qc_log" \
			'Kernel panic|VFS: Unable to mount root'; then
			_qc_v=kvm
		else
			_qc_v=tcg
		fi
		rm -f "$_qc_log" "$_qc_log.qemu"
		printf '%s\n' "$_qc_v" > "$_qc_file.tmp.$$" &&
			mv -f "$_qc_file.tmp.$$" "$_qc_file"
	fi
	cat "$_qc_file"
}

qemu_boot() {
	QEMU_BOOT_SECS=
	if ! command -v "$QEMU" >/dev/null 2>&1; then
		echo "qemu: $QEMU is not installed" >&2
		return 3
	fi
	_qb_kernel=${QEMU_KERNEL:-$(kernel_vmlinux)} || return 3
	_qb_accel=$(qemu_accel) || return 3
	_qb_t0=$(_qemu_now)
	_qemu_run "$_qb_accel" "$_qb_kernel" "$1" "$2" "$3" "$4" "${5:-^PROBE-END}"
	_qb_rc=$?
	_qb_ms=$(( ($(_qemu_now) - _qb_t0) / 1000000 ))
	QEMU_BOOT_SECS=$((_qb_ms / 1000)).$(printf '%03d' $((_qb_ms % 1000)))
	return $_qb_rc
}

qemu_reached() {
	_qr_file=$1 _qr_desc=$2
	shift 2
	for _qr_p; do
		grep -Eq -- "$_qr_p" "$_qr_file" && continue
		_tap_result 1 "$_qr_desc"
		diag "$(grep -E 'kinit|IP-Config|ROOT|panic' "$_qr_file" | tail -n 25)"
		return 1
	done
	_tap_result 0 "$_qr_desc"
}

qemu_console() {
	tr -d '\r' < "$1"
}
