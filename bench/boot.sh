#!/bin/bash
# bench/boot.sh: how long Debian's kernel takes, under QEMU, to reach the
# real root's init through our kinit image, through initramfs-tools'
# (MODULES=most and MODULES=dep) and through dracut's, and how big each
# image is. Prints a markdown table of the median guest uptime at the
# real root's init, and the goals: ours at most 0.35x initramfs-tools'
# time and at most 1/20 of its image size. See bench/README.md.
#
# Every contender boots the same kernel (tests/lib/kernel.sh's, its
# vmlinux booted directly), the same disk (a GPT disk whose ext4
# partition disk.sh made from root-init's tree, found by root=UUID=) and
# the same QEMU settings (tests/lib/qemu.sh's qemu_boot). The time is
# what root-init prints as ROOT-UPTIME: /proc/uptime when the real
# root's init starts, in guest time. One verifying boot each (which must
# reach ROOT-END with our disk's greeting), then BOOT_ROUNDS rounds in
# which every contender boots once in turn.
#
# The peers' images are built once per kernel release into
# $BENCH_DIR/boot/<release>/ (again when the generator's version
# changes); ours is built on every run.
#
# Environment:
#   BIN             build directory holding initramfs (default: build)
#   INITRAMFS       our command (default: $BIN/initramfs)
#   BOOT_ROUNDS     measured boots per contender (default 5)
#   BOOT_CONTENDERS which, in order (default: ours itools-most itools-dep dracut)
#   BOOT_TIMEOUT    seconds of wall time a boot may take (default 240)
#   BOOT_STRICT     1 makes a missed goal fail the run
#   BENCH_DIR       image cache and results (default: bench/out)
#   ES_CACHE        the kernel and root-init cache (see tests/lib/tap.sh)
#   ES_QEMU_ACCEL   kvm or tcg (default: see tests/lib/qemu.sh)
# shellcheck disable=SC2317 # build_* are called by name
# shellcheck disable=SC2015 # A && B || die: either failing is fatal

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u -o pipefail
export LC_ALL=C

TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/build}
INITRAMFS=${INITRAMFS:-$BIN/initramfs}
BOOT_ROUNDS=${BOOT_ROUNDS:-5}
BOOT_CONTENDERS=${BOOT_CONTENDERS:-ours itools-most itools-dep dracut}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-240}
BOOT_STRICT=${BOOT_STRICT:-0}
BENCH_DIR=${BENCH_DIR:-$TOP/bench/out}
ES_CACHE=${ES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/earlyspace}
export TOP BIN ES_CACHE

# The root every contender must find, and what its init says there.
ROOT_UUID=5e0c0a7e-b007-4b0d-9e1c-0123456789ab
ROOT_PARTUUID=5e0c0a7e-b007-4b0d-9e1c-00000000000a
DISK_GREETING="hello from the boot bench's root"
# The goals, against initramfs-tools with MODULES=most.
GOAL_TIME=0.35
GOAL_SIZE=20
# What ends a boot: our init's report, or each initramfs giving up.
BOOT_END='ROOT-END|Kernel panic|for maintenance|Dropping to a shell|emergency mode'

T=$(mktemp -d "${TMPDIR:-/tmp}/es-bootbench.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

# shellcheck source=bench/lib.sh
. "$TOP/bench/lib.sh"
# shellcheck source=tests/lib/qemu.sh
. "$TOP/tests/lib/qemu.sh"
# shellcheck source=tests/lib/disk.sh
. "$TOP/tests/lib/disk.sh"

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" > /dev/null 2>&1; }

# Per contender, by name: label, image, status ("ok" or why not), the
# uptimes (centiseconds) and wall times (ms) of the measured boots.
declare -A LABEL IMAGE STATUS UPTIMES WALLS
LABEL=([ours]="ours: initramfs build --kinit"
	[itools-most]="initramfs-tools MODULES=most"
	[itools-dep]="initramfs-tools MODULES=dep"
	[dracut]="dracut --no-hostonly")
# Bump when a peer's configuration below changes: their cached images go.
PEER_CONFIG=1

# --- the kernel and the disk ---------------------------------------------

prepare_kernel() {
	QEMU_KERNEL=$(kernel_vmlinux) || die "cannot get Debian's kernel"
	KDIR=$(kernel_dir) && REL=$(kernel_release) && MODDIR=$(kernel_moddir) ||
		die "cannot get Debian's modules"
	export QEMU_KERNEL
	PEERS=$BENCH_DIR/boot/$REL
	mkdir -p "$PEERS" || die "cannot create $PEERS"
}

prepare_disk() {
	DISK_GREETING=$DISK_GREETING disk_root_tree "$T/root" &&
		disk_fs ext4 "$T/root" "$T/root.img" esroot "$ROOT_UUID" &&
		disk_gpt "$T/disk.img" "$T/root.img:root:$ROOT_PARTUUID" ||
		die "cannot make the disk (see the messages above)"
	rm -f "$T/root.img"
	# snapshot=on: the guest's writes go to a temporary overlay, so
	# every boot finds the disk exactly as it was made.
	QEMU_ARGS="-drive file=$T/disk.img,if=virtio,format=raw,snapshot=on"
	export QEMU_ARGS
}

# --- the images ------------------------------------------------------------

# in_kernel_ns CMD...: runs CMD where /lib/modules/$REL and
# /boot/config-$REL are the cached kernel's, as mkinitramfs and dracut
# want them: in a private mount namespace, read-only overlays put the
# unpacked package over the real /lib (or /usr/lib) and /boot. Nothing
# changes outside it, and the mounts end with CMD.
in_kernel_ns() {
	local libdir
	libdir=$(readlink -f /lib) || return 1
	local -a ns=(unshare --mount --propagation private)
	[ "$(id -u)" = 0 ] || ns=(unshare --map-root-user --mount --propagation private)
	# shellcheck disable=SC2016 # the inner shell expands them
	"${ns[@]}" sh -c '
		kdir=$1 libdir=$2
		shift 2
		mount -t overlay -o "ro,lowerdir=$kdir/lib:$libdir" overlay "$libdir" &&
			mount -t overlay -o "ro,lowerdir=$kdir/boot:/boot" overlay /boot &&
			exec "$@"' sh "$KDIR" "$libdir" "$@"
}

# peers_possible: why the peers cannot be built here, or nothing.
peers_possible() {
	have unshare || { echo "unshare (util-linux) is not installed"; return; }
	[ -d /boot ] || { echo "there is no /boot to lay the kernel's config over"; return; }
	case $KDIR in
	*[:,]*) echo "the kernel cache's path ($KDIR) holds a colon or comma (overlayfs options)" ;;
	esac
}

# build_itools MODE OUT: initramfs-tools with Debian 12's initramfs.conf,
# MODULES=MODE, from a private configuration directory (no host hooks,
# no host conf.d, no extra modules).
build_itools() {
	local conf=$T/itools-$1
	mkdir -p "$conf/conf.d" "$conf/hooks" "$conf/scripts" && : > "$conf/modules" || return 1
	printf '%s\n' "MODULES=$1" BUSYBOX=auto KEYMAP=n COMPRESS=zstd DEVICE= \
		NFSROOT=auto RUNSIZE=10% FSTYPE=auto > "$conf/initramfs.conf" || return 1
	in_kernel_ns mkinitramfs -d "$conf" -o "$2" "$REL"
}

# build_dracut OUT: dracut's generic image, without the host's
# configuration. It holds the virtio and ext4 drivers without being told.
build_dracut() {
	mkdir -p "$T/dracut.conf.d" || return 1
	in_kernel_ns dracut --force --quiet --no-hostonly --conf /dev/null \
		--confdir "$T/dracut.conf.d" --kver "$REL" --kmoddir "$MODDIR" --zstd "$1"
}

# build_ours OUT
build_ours() {
	"$INITRAMFS" build --compress zstd --kinit --moddir "$MODDIR" \
		--modules virtio_pci,virtio_blk,ext4 -o "$1"
}

# make_image NAME VERSION BUILDER ARGS...: NAME's image, built by
# `BUILDER ARGS... OUT` unless the cache holds one built by VERSION.
make_image() {
	local name=$1 version=$2 img
	shift 2
	img=${IMAGE[$name]}
	if [ -s "$img" ] && [ "$(cat "$img.version" 2>/dev/null)" = "$version" ]; then
		return 0
	fi
	bench_log "building the $name image"
	rm -f "$img" "$img.version"
	if ! "$@" "$img.tmp" > "$img.log" 2>&1 || [ ! -s "$img.tmp" ]; then
		STATUS[$name]="failed to build: $(grep -v '^$' "$img.log" | tail -n 2 | tr '\n' ' ')"
		rm -f "$img.tmp"
		return 1
	fi
	mv -f "$img.tmp" "$img" && printf '%s\n' "$version" > "$img.version"
}

pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo unknown; }

prepare_images() {
	local c why
	why=$(peers_possible)
	for c in $BOOT_CONTENDERS; do
		STATUS[$c]=ok UPTIMES[$c]='' WALLS[$c]=''
		IMAGE[$c]=$PEERS/$c.img
		case $c in
		ours)
			IMAGE[$c]=$T/ours.img
			if [ ! -x "$INITRAMFS" ]; then
				STATUS[$c]="not built: $INITRAMFS (run make)"
			else
				make_image "$c" "this run" build_ours
			fi ;;
		itools-*)
			if ! have mkinitramfs; then
				STATUS[$c]="mkinitramfs (initramfs-tools) is not installed"
			elif [ -n "$why" ]; then
				STATUS[$c]=$why
			else
				make_image "$c" "initramfs-tools $(pkg_version initramfs-tools) config $PEER_CONFIG" \
					build_itools "${c#itools-}"
			fi ;;
		dracut)
			if ! have dracut; then
				STATUS[$c]="dracut (dracut-core) is not installed"
			elif [ -n "$why" ]; then
				STATUS[$c]=$why
			else
				make_image "$c" "dracut $(pkg_version dracut-core) config $PEER_CONFIG" build_dracut
			fi ;;
		esac
	done
}

# --- the boots -------------------------------------------------------------

# boot_once NAME: one boot of NAME's image. Sets UPTIME_CS (the guest's
# uptime at the real root's init, in centiseconds) and WALL_MS, and
# returns 0 when root-init reported; otherwise sets WHY and keeps the
# console as $BENCH_DIR/boot/NAME.failed.console.
boot_once() {
	local log=$T/$1.log rc up
	UPTIME_CS='' WALL_MS='' WHY=''
	qemu_boot "${IMAGE[$1]}" "quiet ro root=UUID=$ROOT_UUID" "$BOOT_TIMEOUT" "$log" "$BOOT_END"
	rc=$?
	WALL_MS=$(awk -v s="$QEMU_BOOT_SECS" 'BEGIN { printf "%d", s * 1000 }')
	qemu_console "$log" > "$T/$1.console"
	up=$(sed -n 's/.*ROOT-UPTIME: \([0-9.]*\)$/\1/p' "$T/$1.console" | head -n 1)
	if [ "$rc" = 0 ] && grep -q '^ROOT-END' "$T/$1.console" && [ -n "$up" ]; then
		UPTIME_CS=$(awk -v u="$up" 'BEGIN { printf "%d", u * 100 + 0.5 }')
		return 0
	fi
	case $rc in
	0) WHY="the boot ended in: $(grep -Eao "$BOOT_END" "$T/$1.console" | tail -n 1)" ;;
	1) WHY="the guest stopped without reaching the real root's init" ;;
	2) WHY="no report after $BOOT_TIMEOUT s" ;;
	*) WHY="QEMU or the kernel is missing" ;;
	esac
	cp "$T/$1.console" "$BENCH_DIR/boot/$1.failed.console" 2>/dev/null &&
		WHY="$WHY (console: bench/out/boot/$1.failed.console)"
	return 1
}

# verify NAME: the first boot, not counted: it must reach our disk's
# init, on the partition root= named, with the greeting written there.
verify() {
	local c=$T/$1.console
	bench_log "$1: verifying boot"
	if ! boot_once "$1"; then
		STATUS[$1]="failed: $WHY"
		return 1
	fi
	if ! grep -q "^ROOT-GREETING: $DISK_GREETING\$" "$c" ||
		! grep -q '^ROOT-MOUNT: /dev/vda1 / ' "$c"; then
		STATUS[$1]="failed: the init that ran is not our disk's on /dev/vda1: $(grep -a '^ROOT-MOUNT' "$c" | head -n 1)"
		return 1
	fi
	bench_log "$1: reached the real root's init at $(cs "$UPTIME_CS") s"
}

measure() {
	local c r
	for c in $BOOT_CONTENDERS; do
		[ "${STATUS[$c]}" = ok ] && verify "$c"
	done
	for ((r = 1; r <= BOOT_ROUNDS; r++)); do
		for c in $BOOT_CONTENDERS; do
			[ "${STATUS[$c]}" = ok ] || continue
			bench_log "round $r/$BOOT_ROUNDS: $c"
			if ! boot_once "$c"; then
				STATUS[$c]="failed in round $r: $WHY"
				continue
			fi
			UPTIMES[$c]="${UPTIMES[$c]} $UPTIME_CS" WALLS[$c]="${WALLS[$c]} $WALL_MS"
		done
	done
}

# --- the report ------------------------------------------------------------

cs() { awk -v v="$1" 'BEGIN { printf "%.2f", v / 100 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

# The medians and sizes, per contender (empty when not measured).
declare -A MED_CS MIN_CS MED_WALL BYTES

summarize() {
	local c
	for c in $BOOT_CONTENDERS; do
		MED_CS[$c]='' MIN_CS[$c]='' MED_WALL[$c]='' BYTES[$c]=''
		[ -s "${IMAGE[$c]}" ] && BYTES[$c]=$(stat -c %s "${IMAGE[$c]}")
		[ "${STATUS[$c]}" = ok ] && [ -n "${UPTIMES[$c]}" ] || continue
		# shellcheck disable=SC2086 # word lists
		MED_CS[$c]=$(_bench_median ${UPTIMES[$c]})
		# shellcheck disable=SC2086
		MIN_CS[$c]=$(_bench_min ${UPTIMES[$c]})
		# shellcheck disable=SC2086
		MED_WALL[$c]=$(_bench_median ${WALLS[$c]})
	done
}

table() {
	local c ref=itools-most n up min wall tr sr bytes
	printf '| contender | image bytes | boots | median s at real init | min s | median wall s | time / MODULES=most | size / MODULES=most |\n'
	printf '|-----------|------------:|------:|----------------------:|------:|--------------:|--------------------:|--------------------:|\n'
	for c in $BOOT_CONTENDERS; do
		bytes=${BYTES[$c]:--} n=0 up=- min=- wall=- tr=- sr=-
		if [ -n "${MED_CS[$c]}" ]; then
			# shellcheck disable=SC2086
			n=$(printf '%s\n' ${UPTIMES[$c]} | wc -l)
			up=$(cs "${MED_CS[$c]}") min=$(cs "${MIN_CS[$c]}")
			wall=$(awk -v v="${MED_WALL[$c]}" 'BEGIN { printf "%.1f", v / 1000 }')
			[ -n "${MED_CS[$ref]:-}" ] && tr=$(ratio "${MED_CS[$c]}" "${MED_CS[$ref]}")
		else
			up="not measured"
		fi
		[ -n "${BYTES[$c]}" ] && [ -n "${BYTES[$ref]:-}" ] && sr=$(ratio "${BYTES[$c]}" "${BYTES[$ref]}")
		printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "${LABEL[$c]}" "$bytes" "$n" \
			"$up" "$min" "$wall" "$tr" "$sr"
	done
}

# goals: the two lines, met or not; sets MISSED=1 when one is not met.
goals() {
	local tr sr
	MISSED=0
	if [ -n "${MED_CS[ours]:-}" ] && [ -n "${MED_CS[itools-most]:-}" ]; then
		tr=$(ratio "${MED_CS[ours]}" "${MED_CS[itools-most]}")
		if awk -v r="$tr" -v g="$GOAL_TIME" 'BEGIN { exit !(r <= g) }'; then
			printf -- '- goal: ours <= %sx initramfs-tools time: %sx, met\n' "$GOAL_TIME" "$tr"
		else
			printf -- '- goal: ours <= %sx initramfs-tools time: %sx, NOT met\n' "$GOAL_TIME" "$tr"
			MISSED=1
		fi
	else
		printf -- '- goal: ours <= %sx initramfs-tools time: not measured\n' "$GOAL_TIME"
		MISSED=1
	fi
	if [ -n "${BYTES[ours]:-}" ] && [ -n "${BYTES[itools-most]:-}" ]; then
		sr=$(awk -v a="${BYTES[itools-most]}" -v b="${BYTES[ours]}" 'BEGIN { printf "%.0f", a / b }')
		if [ $((BYTES[ours] * GOAL_SIZE)) -le "${BYTES[itools-most]}" ]; then
			printf -- '- goal: ours <= 1/%s of its image size: 1/%s, met\n' "$GOAL_SIZE" "$sr"
		else
			printf -- '- goal: ours <= 1/%s of its image size: 1/%s, NOT met\n' "$GOAL_SIZE" "$sr"
			MISSED=1
		fi
	else
		printf -- '- goal: ours <= 1/%s of its image size: not measured\n' "$GOAL_SIZE"
		MISSED=1
	fi
}

# image_notes: what is in each image, and why a contender was not measured.
image_notes() {
	local c mods
	for c in $BOOT_CONTENDERS; do
		if [ "${STATUS[$c]}" != ok ]; then
			printf -- '- %s: %s\n' "${LABEL[$c]}" "${STATUS[$c]}"
			continue
		fi
		mods=$("$INITRAMFS" list "${IMAGE[$c]}" 2>/dev/null | grep -c '\.ko\(\.[a-z]*\)\?$')
		printf -- '- %s: %s modules in the image\n' "${LABEL[$c]}" "${mods:-?}"
	done
	case " $BOOT_CONTENDERS " in
	*" itools-dep "*)
		printf -- '- MODULES=dep takes the drivers of the root device of the machine that runs\n'
		printf -- '  mkinitramfs: its image boots the guest only when that machine'\''s root is on a\n'
		printf -- '  virtio disk with ext4 too (it is cached, so it stays what the first run found)\n' ;;
	esac
}

report() {
	printf '## earlyspace boot bench\n\n'
	bench_machine
	printf 'kernel: Debian %s (vmlinux booted directly), QEMU %s, accel %s, 512 MiB, one virtio disk (GPT, ext4 root, root=UUID=, ro)\n' \
		"$REL" "$("$QEMU" --version | head -n 1 | sed 's/.*version \([^ ]*\).*/\1/')" "$(qemu_accel)"
	printf 'ours: %s; peers: initramfs-tools %s, dracut %s (all zstd)\n' \
		"$(git -C "$TOP" describe --always --dirty 2>/dev/null || echo "an unknown commit")" \
		"$(pkg_version initramfs-tools)" "$(pkg_version dracut-core)"
	printf 'runs: one verifying boot each, then %s rounds, the contenders in turn; time = guest /proc/uptime when the real root'\''s /sbin/init starts\n\n' \
		"$BOOT_ROUNDS"
	table
	printf '\n'
	goals
	image_notes
}

# --- main ------------------------------------------------------------------

case $BOOT_ROUNDS in '' | *[!0-9]* | 0) die "BOOT_ROUNDS must be a positive integer" ;; esac
for c in $BOOT_CONTENDERS; do
	[ -n "${LABEL[$c]:-}" ] || die "unknown contender '$c' (known: ${!LABEL[*]})"
done
have "$QEMU" || die "$QEMU is not installed (qemu-system-x86)"

prepare_kernel
prepare_disk
prepare_images
measure
summarize
# Not in a pipe: goals sets MISSED for the exit status.
report > "$BENCH_DIR/boot-results.md"
cat "$BENCH_DIR/boot-results.md"

case " $BOOT_CONTENDERS " in
*" ours "*) [ "${STATUS[ours]}" = ok ] || exit 1 ;;
esac
[ "$BOOT_STRICT" = 1 ] && [ "$MISSED" = 1 ] && exit 1
exit 0
