#!/bin/sh
# Installs, through apt-get, every Debian package that building, testing
# and benchmarking earlyspace needs. Idempotent: packages already present
# are not touched, so a warm machine pays only for one dpkg-query.
#
#   scripts/deps.sh [build|demo|check|bench]   (default: check)
set -eu

build_pkgs="gcc make pkg-config libc6-dev musl-tools linux-libc-dev
	zlib1g-dev libbz2-dev liblzma-dev liblz4-dev libzstd-dev liblzo2-dev"
# Peers run as test oracles, QEMU boots Debian's kernel, xz-utils and
# binutils unpack the kernel's own sources and images. The network tests
# run dnsmasq (dnsmasq-base: the binary without a service), nfs-ganesha
# and rpcbind inside namespaces of their own; none of them may run as a
# service of the machine (see the install below). The fuzz targets need
# clang and its libFuzzer runtime (libclang-rt-dev, which clang's own
# packages only recommend: recommends are not installed here).
check_pkgs="$build_pkgs libcmocka-dev perl cpio libarchive-tools busybox
	gzip bzip2 zstd lz4 lzop initramfs-tools dracut-core
	qemu-system-x86 xz-utils binutils dpkg-dev procps util-linux
	e2fsprogs iproute2 kmod mount dash
	xfsprogs btrfs-progs squashfs-tools dosfstools mtools f2fs-tools
	erofs-utils genisoimage fdisk klibc-utils libcap2-bin
	dnsmasq-base nfs-ganesha nfs-ganesha-vfs rpcbind clang libclang-rt-dev valgrind"
# make demo: the build, the kernel's unpacking, QEMU and mke2fs.
demo_pkgs="$build_pkgs qemu-system-x86 xz-utils binutils dpkg-dev util-linux
	e2fsprogs kmod"
bench_pkgs="$check_pkgs"

case "${1:-check}" in
build) want=$build_pkgs ;;
demo) want=$demo_pkgs ;;
check) want=$check_pkgs ;;
bench) want=$bench_pkgs ;;
*) echo "usage: $0 [build|demo|check|bench]" >&2; exit 2 ;;
esac

missing=
for p in $want; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$s" in *" installed") ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing (run as root to install)" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Packages such as rpcbind and nfs-ganesha start their daemon when
# installed: a policy-rc.d that refuses every start (exit 101, see
# invoke-rc.d(8)) keeps them stopped; one already there is left alone.
# systemd's deb-systemd-invoke honours it too.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 0755 "$policy" && own_policy=1
	trap '[ -z "$own_policy" ] || rm -f "$policy"' EXIT
fi
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
