# kernel.sh - Debian 12's 6.1 amd64 kernel, unpacked into the cache for
# boot tests. Source it after tap.sh (it needs ES_CACHE).
#
#   kernel_dir
#       prints the root of the unpacked linux-image package,
#       $ES_CACHE/kernel/<debian version>, which holds boot/ and
#       lib/modules/<release>/. The first call takes the newest
#       linux-image-6.1.0-N-amd64_*.deb in $ES_CACHE/dl or, when there is
#       none, downloads the package that linux-image-amd64 depends on
#       with `apt-get download`; it unpacks it with `dpkg -x` (nothing is
#       installed, initramfs-tools never runs) and extracts the
#       uncompressed kernel from boot/vmlinuz-<release> into
#       boot/vmlinux-<release>. The package has no module index (its
#       postinst runs depmod), so `depmod -C /dev/null -b DIR <release>`
#       writes one (modules.dep, .alias, .softdep, .symbols and their .bin
#       files; -C /dev/null: the host's depmod.d has no say); a cache
#       unpacked before that gets its index on the next call. The
#       directory appears by rename, complete, under a lock: concurrent
#       callers wait and then share it.
#   kernel_vmlinux
#       prints the path of that uncompressed vmlinux (an ELF with the PVH
#       note: `qemu-system-x86_64 -kernel vmlinux` boots it without the
#       bzImage decompressing itself, about 4 s a boot under emulation).
#   kernel_release
#       prints the kernel's release, e.g. 6.1.0-56-amd64 (`uname -r` in
#       the guest, the name of its lib/modules directory).
#   kernel_moddir
#       prints its modules directory, <kernel_dir>/lib/modules/<release>,
#       which holds kernel/ and the index depmod wrote (for `modprobe -d
#       <kernel_dir> -S <release>` and `initramfs ... --moddir`).
#   kernel_mkinitramfs COMPRESS OUT
#       Debian's own mkinitramfs (initramfs-tools) for that kernel, with
#       MODULES=list (only what its hooks ask for: the image stays
#       small), compressed with COMPRESS, into OUT. mkinitramfs reads
#       /lib/modules/RELEASE and /boot/config-RELEASE: in a private mount
#       namespace an overlay over /usr/lib gives it the modules directory
#       (under a second overlay that takes depmod's output) and a tmpfs
#       over /boot the config. Nothing on the host changes; the namespace
#       ends with the command. Needs root, unshare and initramfs-tools.
#
# All return non-zero, with the reason on stderr, when the package
# cannot be had (no network, no such package) or cannot be unpacked.

# Only the generic flavour: not -rt-amd64, -cloud-amd64, nor -unsigned.
KERNEL_PKG_RE='^linux-image-6\.1\.0-[0-9]+-amd64$'

# _kernel_cached_deb: the newest matching .deb already in $ES_CACHE/dl.
_kernel_cached_deb() {
	for _kc_f in "$ES_CACHE"/dl/linux-image-6.1.0-*-amd64_*_amd64.deb; do
		[ -f "$_kc_f" ] || continue
		_kc_p=${_kc_f##*/}
		printf '%s\n' "${_kc_p%%_*}" | grep -Eq "$KERNEL_PKG_RE" &&
			printf '%s\n' "$_kc_f"
	done | sort -V | tail -n 1
}

# _kernel_pkg_name: the package name to download, from the metapackage's
# dependency, else the newest such name apt knows.
_kernel_pkg_name() {
	_kp=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: *//p' | grep -E "$KERNEL_PKG_RE" | sort -V | tail -n 1)
	[ -n "$_kp" ] || _kp=$(apt-cache pkgnames linux-image-6.1.0- 2>/dev/null |
		grep -E "$KERNEL_PKG_RE" | sort -V | tail -n 1)
	[ -n "$_kp" ] && printf '%s\n' "$_kp"
}

# _kernel_download: fetch the package into $ES_CACHE/dl, print its path.
# Call with the lock held.
_kernel_download() {
	_kd_tmp=$(mktemp -d "$ES_CACHE/dl/.apt.XXXXXX") || return 1
	_kd_pkg=$(_kernel_pkg_name)
	if [ -z "$_kd_pkg" ] && [ "$(id -u)" = 0 ]; then
		apt-get update -qq >"$_kd_tmp/log" 2>&1
		_kd_pkg=$(_kernel_pkg_name)
	fi
	if [ -z "$_kd_pkg" ]; then
		echo "kernel: apt knows no package matching $KERNEL_PKG_RE" >&2
		rm -rf "$_kd_tmp"
		return 1
	fi
	# The package lists may name a version the mirror dropped: as root,
	# refresh them once and retry.
	if ! (cd "$_kd_tmp" && apt-get download -q "$_kd_pkg") >>"$_kd_tmp/log" 2>&1 &&
		! { [ "$(id -u)" = 0 ] && apt-get update -qq >>"$_kd_tmp/log" 2>&1 &&
			(cd "$_kd_tmp" && apt-get download -q "$_kd_pkg") >>"$_kd_tmp/log" 2>&1; }; then
		echo "kernel: apt-get download $_kd_pkg failed:" >&2
		tail -n 3 "$_kd_tmp/log" >&2
		rm -rf "$_kd_tmp"
		return 1
	fi
	for _kd_f in "$_kd_tmp"/*.deb; do
		[ -f "$_kd_f" ] && mv -f "$_kd_f" "$ES_CACHE/dl/"
	done
	rm -rf "$_kd_tmp"
	_kd_deb=$(_kernel_cached_deb)
	if [ -z "$_kd_deb" ]; then
		echo "kernel: apt-get download $_kd_pkg produced no .deb" >&2
		return 1
	fi
	printf '%s\n' "$_kd_deb"
}

# _kernel_elf_complete FILE: FILE starts as a 64-bit ELF and is long
# enough to hold its section header table, which the linker puts at the
# end: a truncated decompression fails this.
_kernel_elf_complete() {
	[ "$(head -c 5 "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c4602 ] || return 1
	# e_shoff (8 bytes at 0x28), e_shentsize and e_shnum (2 bytes each
	# at 0x3a and 0x3c), little-endian.
	# shellcheck disable=SC2046 # the numbers are meant to split
	set -- "$1" $(od -An -tu8 -j 40 -N 8 "$1") $(od -An -tu2 -j 58 -N 4 "$1")
	[ $# = 4 ] && [ "$4" -gt 0 ] && [ "$(stat -c %s "$1")" -ge $(($2 + $3 * $4)) ]
}

# _kernel_unpack_vmlinux BZIMAGE OUT: find each compression magic in the
# bzImage and decompress from there until one gives a complete ELF.
# Debian 12 compresses with xz; the others are tried when their tool is
# installed.
_kernel_unpack_vmlinux() {
	# magic (grep -P) | decompressor reading stdin, writing stdout
	while IFS='|' read -r _ku_magic _ku_cmd; do
		command -v "${_ku_cmd%% *}" >/dev/null 2>&1 || continue
		for _ku_off in $(LC_ALL=C grep -obUaP "$_ku_magic" "$1" | cut -d: -f1); do
			# A decompressor may complain about the bytes after its
			# stream; the ELF check is the verdict.
			tail -c +$((_ku_off + 1)) "$1" | $_ku_cmd > "$2" 2>/dev/null
			if _kernel_elf_complete "$2"; then
				return 0
			fi
		done
	done <<-'EOF'
	\xfd7zXZ\x00|xz -dcq --single-stream
	\x28\xb5\x2f\xfd|zstd -dcq
	\x1f\x8b\x08|gzip -dcq
	BZh[1-9]1AY&SY|bzip2 -dcq
	\x5d\x00\x00[\x00-\x10]|xz -dcq --format=lzma --single-stream
	\x02\x21\x4c\x18|lz4 -dcq
	EOF
	rm -f "$2"
	echo "kernel: no compressed ELF found in $1" >&2
	return 1
}

# _kernel_depmod DIR RELEASE: write the module index of
# DIR/lib/modules/RELEASE. depmod writes modules.devname last.
_kernel_depmod() {
	_kx_dm=$(command -v depmod) ||
		for _kx_dm in /sbin/depmod /usr/sbin/depmod ''; do
			[ -x "$_kx_dm" ] && break
		done
	if [ -z "$_kx_dm" ]; then
		echo "kernel: depmod (kmod) is not installed" >&2
		return 1
	fi
	if ! _kx_log=$("$_kx_dm" -C /dev/null -b "$1" "$2" 2>&1) ||
		[ ! -f "$1/lib/modules/$2/modules.devname" ]; then
		echo "kernel: depmod -b $1 $2 failed:" >&2
		printf '%s\n' "$_kx_log" | tail -n 3 >&2
		return 1
	fi
}

# _kernel_build DEB DIR: unpack DEB, extract vmlinux, write the module
# index, rename into DIR.
_kernel_build() {
	_kb_tmp=$(mktemp -d "$ES_CACHE/kernel/.build.XXXXXX") || return 1
	if ! dpkg -x "$1" "$_kb_tmp/root" 2>"$_kb_tmp/log"; then
		echo "kernel: dpkg -x $1 failed:" >&2
		tail -n 3 "$_kb_tmp/log" >&2
		rm -rf "$_kb_tmp"
		return 1
	fi
	_kb_rel=$(dpkg-deb -f "$1" Package) _kb_rel=${_kb_rel#linux-image-}
	if [ ! -f "$_kb_tmp/root/boot/vmlinuz-$_kb_rel" ] ||
		[ ! -d "$_kb_tmp/root/lib/modules/$_kb_rel" ]; then
		echo "kernel: $1 holds no boot/vmlinuz-$_kb_rel and lib/modules/$_kb_rel" >&2
		rm -rf "$_kb_tmp"
		return 1
	fi
	if ! _kernel_unpack_vmlinux "$_kb_tmp/root/boot/vmlinuz-$_kb_rel" \
		"$_kb_tmp/root/boot/vmlinux-$_kb_rel" ||
		! _kernel_depmod "$_kb_tmp/root" "$_kb_rel"; then
		rm -rf "$_kb_tmp"
		return 1
	fi
	# A leftover from a build that died half-way has no vmlinux: replace it.
	rm -rf "$2"
	mv "$_kb_tmp/root" "$2" || { rm -rf "$_kb_tmp"; return 1; }
	rm -rf "$_kb_tmp"
}

kernel_dir() {
	for _kt in dpkg dpkg-deb apt-get flock grep od; do
		if ! command -v "$_kt" >/dev/null 2>&1; then
			echo "kernel: $_kt is not installed" >&2
			return 1
		fi
	done
	mkdir -p "$ES_CACHE/dl" "$ES_CACHE/kernel" || return 1
	(
		flock 9 || exit 1
		_kk_deb=$(_kernel_cached_deb)
		[ -n "$_kk_deb" ] || _kk_deb=$(_kernel_download) || exit 1
		_kk_ver=$(dpkg-deb -f "$_kk_deb" Version 2>/dev/null)
		_kk_rel=$(dpkg-deb -f "$_kk_deb" Package 2>/dev/null)
		_kk_rel=${_kk_rel#linux-image-}
		if [ -z "$_kk_ver" ] || [ -z "$_kk_rel" ]; then
			echo "kernel: cannot read the control fields of $_kk_deb" >&2
			exit 1
		fi
		_kk_dir=$ES_CACHE/kernel/$_kk_ver
		if [ ! -f "$_kk_dir/boot/vmlinux-$_kk_rel" ]; then
			_kernel_build "$_kk_deb" "$_kk_dir" || exit 1
		elif [ ! -f "$_kk_dir/lib/modules/$_kk_rel/modules.devname" ]; then
			# unpacked before the index was part of the cache
			_kernel_depmod "$_kk_dir" "$_kk_rel" || exit 1
		fi
		printf '%s\n' "$_kk_dir"
	) 9>"$ES_CACHE/kernel/.lock"
}

# _kernel_release_in DIR: the one lib/modules/<release> of the package.
_kernel_release_in() {
	for _kr_m in "$1"/lib/modules/*/; do
		[ -d "$_kr_m" ] || continue
		_kr_m=${_kr_m%/}
		printf '%s\n' "${_kr_m##*/}"
		return 0
	done
	echo "kernel: no lib/modules/ in $1" >&2
	return 1
}

kernel_release() {
	_kr_dir=$(kernel_dir) || return 1
	_kernel_release_in "$_kr_dir"
}

kernel_vmlinux() {
	_kv_dir=$(kernel_dir) || return 1
	_kv_rel=$(_kernel_release_in "$_kv_dir") || return 1
	printf '%s\n' "$_kv_dir/boot/vmlinux-$_kv_rel"
}

kernel_moddir() {
	_km_dir=$(kernel_dir) || return 1
	_km_rel=$(_kernel_release_in "$_km_dir") || return 1
	printf '%s\n' "$_km_dir/lib/modules/$_km_rel"
}

# need_kmod_modprobe: sets MODPROBE to kmod's modprobe, the oracle of
# the module tests, or skips the whole test file.
need_kmod_modprobe() {
	MODPROBE=$(command -v modprobe) ||
		for MODPROBE in /sbin/modprobe /usr/sbin/modprobe ''; do
			[ -x "$MODPROBE" ] && break
		done
	[ -n "$MODPROBE" ] || skip_all "kmod's modprobe is not installed"
	"$MODPROBE" --version 2>/dev/null | grep -q '^kmod' ||
		skip_all "$MODPROBE is not kmod's modprobe"
}

kernel_mkinitramfs() {
	_km_k=$(kernel_dir) && _km_r=$(kernel_release) || return 1
	_km_w=$(mktemp -d "${T:-/tmp}/mkinitramfs.XXXXXX") || return 1
	mkdir -p "$_km_w/conf" && cp -a /etc/initramfs-tools/. "$_km_w/conf/" &&
		sed -i 's/^MODULES=.*/MODULES=list/' "$_km_w/conf/initramfs.conf" || return 1
	unshare -m sh -ec '
		K=$1 R=$2 W=$3 F=$4 O=$5
		mkdir -p $W/u $W/w $W/mu $W/mw
		mount -t overlay overlay -o lowerdir=/usr/lib,upperdir=$W/u,workdir=$W/w /usr/lib
		mkdir -p /usr/lib/modules/$R
		mount -t overlay overlay \
			-o lowerdir=$K/lib/modules/$R,upperdir=$W/mu,workdir=$W/mw /usr/lib/modules/$R
		mount -t tmpfs tmpfs /boot
		cp $K/boot/config-$R /boot/
		TMPDIR=$W mkinitramfs -d $W/conf -c $F -o $O $R
	' sh "$_km_k" "$_km_r" "$_km_w" "$1" "$2"
}
