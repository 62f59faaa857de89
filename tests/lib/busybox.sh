# busybox.sh - a static busybox for the guests of boot tests. Source it
# after tap.sh.
#
#   busybox_static
#       prints the path of a statically linked busybox: the host's when
#       it is one, else the one in Debian's busybox-static package,
#       downloaded into $ES_CACHE/dl with `apt-get download` and
#       unpacked with `dpkg -x` into $ES_CACHE/busybox-static/<version>
#       (nothing installed: it conflicts with busybox, a peer of other
#       tests).
busybox_static() {
	for _bs in /bin/busybox /usr/bin/busybox; do
		[ -x "$_bs" ] || continue
		if LC_ALL=C ldd "$_bs" 2>&1 | grep -Eq 'not a dynamic executable|statically linked'; then
			printf '%s\n' "$_bs"
			return 0
		fi
	done
	for _bs in apt-get dpkg-deb flock; do
		command -v $_bs >/dev/null 2>&1 || { echo "busybox: $_bs is not installed" >&2; return 1; }
	done
	mkdir -p "$ES_CACHE/dl" "$ES_CACHE/busybox-static" || return 1
	(
		flock 9 || exit 1
		_bs_deb() { ls "$ES_CACHE"/dl/busybox-static_*_amd64.deb 2>/dev/null | sort -V | tail -n 1; }
		deb=$(_bs_deb)
		if [ -z "$deb" ]; then
			tmp=$(mktemp -d "$ES_CACHE/dl/.apt.XXXXXX") || exit 1
			if ! (cd "$tmp" && apt-get download -q busybox-static) >"$tmp/log" 2>&1; then
				echo "busybox: apt-get download busybox-static failed:" >&2
				tail -n 3 "$tmp/log" >&2
				rm -rf "$tmp"
				exit 1
			fi
			mv -f "$tmp"/*.deb "$ES_CACHE/dl/"
			rm -rf "$tmp"
			deb=$(_bs_deb)
			[ -n "$deb" ] || { echo "busybox: the download gave no .deb" >&2; exit 1; }
		fi
		dir=$ES_CACHE/busybox-static/$(dpkg-deb -f "$deb" Version | tr : _)
		if [ ! -x "$dir/bin/busybox" ]; then
			tmp=$(mktemp -d "$ES_CACHE/busybox-static/.x.XXXXXX") || exit 1
			if ! dpkg -x "$deb" "$tmp/root" || [ ! -x "$tmp/root/bin/busybox" ]; then
				echo "busybox: cannot unpack $deb" >&2
				rm -rf "$tmp"
				exit 1
			fi
			rm -rf "$dir"
			mv "$tmp/root" "$dir" || { rm -rf "$tmp"; exit 1; }
			rm -rf "$tmp"
		fi
		printf '%s\n' "$dir/bin/busybox"
	) 9>"$ES_CACHE/busybox-static/.lock"
}
