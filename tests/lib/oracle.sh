# oracle.sh - peers built from Debian's sources, used as test oracles.
# Source it after tap.sh (it needs ES_CACHE).
#
#   oracle_gen_init_cpio
#       prints the path of the kernel's own usr/gen_init_cpio, built from
#       Debian's linux-source-6.1 package into
#       $ES_CACHE/oracle/gen_init_cpio-<debian version>. The first call
#       downloads the package into $ES_CACHE/dl (a .deb already there is
#       reused), extracts that one C file and compiles it; later calls
#       only print the path. Returns non-zero, with the reason on
#       stderr, when the package cannot be had (no network) or the build
#       fails. Concurrent callers wait on a lock; the binary appears by
#       rename, so nobody sees a half-built one.
#
# The kernel's source never enters the repository: it is compiled in a
# temporary directory that is removed afterwards.

ORACLE_KSRC_PKG=${ORACLE_KSRC_PKG:-linux-source-6.1}

# _oracle_deb PKG: print the newest PKG_*.deb in $ES_CACHE/dl, downloading
# it first when there is none. Call with the lock held.
_oracle_deb() {
	_od_dir=$ES_CACHE/dl
	_od_deb=$(ls "$_od_dir/$1"_*.deb 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$_od_deb" ]; then
		_od_tmp=$(mktemp -d "$_od_dir/.apt.XXXXXX") || return 1
		# Package lists may be missing or stale (the mirror dropped the
		# version they name): as root, refresh them once and retry.
		if ! (cd "$_od_tmp" && apt-get download -q "$1") >"$_od_tmp/log" 2>&1 &&
			! { [ "$(id -u)" = 0 ] && apt-get update -qq >>"$_od_tmp/log" 2>&1 &&
				(cd "$_od_tmp" && apt-get download -q "$1") >>"$_od_tmp/log" 2>&1; }; then
			echo "oracle: apt-get download $1 failed:" >&2
			tail -n 3 "$_od_tmp/log" >&2
			rm -rf "$_od_tmp"
			return 1
		fi
		for _od_f in "$_od_tmp"/*.deb; do
			[ -f "$_od_f" ] && mv "$_od_f" "$_od_dir/"
		done
		rm -rf "$_od_tmp"
		_od_deb=$(ls "$_od_dir/$1"_*.deb 2>/dev/null | sort -V | tail -n 1)
		if [ -z "$_od_deb" ]; then
			echo "oracle: apt-get download $1 produced no .deb" >&2
			return 1
		fi
	fi
	printf '%s\n' "$_od_deb"
}

# _oracle_build_gic DEB OUT: extract usr/gen_init_cpio.c from DEB's inner
# source tarball, compile it to OUT atomically.
_oracle_build_gic() {
	_ob_tmp=$(mktemp -d "$ES_CACHE/oracle/.build.XXXXXX") || return 1
	_ob_top=${ORACLE_KSRC_PKG}
	# --occurrence lets tar stop reading once the member is found, so the
	# whole source tree is never decompressed.
	dpkg-deb --fsys-tarfile "$1" 2>/dev/null |
		tar -xO "./usr/src/$_ob_top.tar.xz" 2>/dev/null |
		xz -dc 2>/dev/null |
		tar -x -C "$_ob_tmp" --occurrence=1 "$_ob_top/usr/gen_init_cpio.c" 2>/dev/null
	_ob_src=$_ob_tmp/$_ob_top/usr/gen_init_cpio.c
	if [ ! -s "$_ob_src" ]; then
		echo "oracle: no $_ob_top/usr/gen_init_cpio.c in $1" >&2
		rm -rf "$_ob_tmp"
		return 1
	fi
	if ! ${CC:-cc} -O2 -o "$_ob_tmp/gen_init_cpio" "$_ob_src" >"$_ob_tmp/cc.log" 2>&1; then
		echo "oracle: compiling the kernel's gen_init_cpio failed:" >&2
		tail -n 5 "$_ob_tmp/cc.log" >&2
		rm -rf "$_ob_tmp"
		return 1
	fi
	mv -f "$_ob_tmp/gen_init_cpio" "$2" || { rm -rf "$_ob_tmp"; return 1; }
	rm -rf "$_ob_tmp"
}

oracle_gen_init_cpio() {
	for _og_tool in dpkg-deb tar xz flock "${CC:-cc}"; do
		if ! command -v "$_og_tool" >/dev/null 2>&1; then
			echo "oracle: $_og_tool is not installed" >&2
			return 1
		fi
	done
	mkdir -p "$ES_CACHE/dl" "$ES_CACHE/oracle" || return 1
	# One lock for download and build: a second caller waits, then finds
	# the finished binary.
	(
		flock 9 || exit 1
		_og_deb=$(_oracle_deb "$ORACLE_KSRC_PKG") || exit 1
		_og_ver=$(dpkg-deb -f "$_og_deb" Version 2>/dev/null)
		if [ -z "$_og_ver" ]; then
			echo "oracle: cannot read the version of $_og_deb" >&2
			exit 1
		fi
		_og_out=$ES_CACHE/oracle/gen_init_cpio-$_og_ver
		if [ ! -x "$_og_out" ]; then
			_oracle_build_gic "$_og_deb" "$_og_out" || exit 1
		fi
		printf '%s\n' "$_og_out"
	) 9>"$ES_CACHE/oracle/.lock"
}
