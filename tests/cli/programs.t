#!/bin/sh
# build --program and the `program` line: a program comes with what
# ld.so would load for it, under the host's names, with the host's
# symlinks on the way. For Debian's busybox, dash, mount, e2fsck, ip and
# kmod, the image's files, each resolved on the host, are exactly what
# ldd reports (plus the program); every symlink in the image is the
# host's. Scripts bring their interpreter, static programs only
# themselves, and what is missing is named with who needed it.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/refused.sh"

cd "$T" || exit 1
I=initramfs
M=1600000000

# files IMAGE: the regular files of IMAGE, each resolved on the host
files() {
	$I list -l "$1" | awk '$1 ~ /^-/ { print $NF }' | while read -r _n; do
		realpath "/$_n"
	done | sort -u
}
# ldd_set PROGRAM: the program and what ldd names, resolved
ldd_set() {
	{
		realpath "$1"
		ldd "$1" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p' |
			while read -r _l; do realpath "$_l"; done
	} | sort -u
}
# links_match IMAGE: every symlink of IMAGE points where the host's does
links_match() {
	$I list -l "$1" | awk '$1 ~ /^l/ { print $(NF - 2), $NF }' | while read -r _n _t; do
		[ "$(readlink "/$_n")" = "$_t" ] || { echo "/$_n -> $_t, host: $(readlink "/$_n")"; return 1; }
	done
}

for p in busybox dash mount e2fsck ip kmod; do
	path=$(command -v $p) || path=/sbin/$p
	$I build -o $p.img --program "$path" 2> err
	is "$?:$(cat err)" "0:" "$p: build --program $path"
	is "$(files $p.img)" "$(ldd_set "$path")" "$p: the image's files are ldd's"
	out=$(links_match $p.img)
	ok "$p: the image's symlinks are the host's" test -z "$out" || diag "$out"
done
$I list -l dash.img | grep -q " lib64/ld-linux-x86-64.so.2 -> \| lib64 -> "
ok "the loader's name, /lib64/ld-linux-x86-64.so.2, is in the image through links" test $? = 0

# Two programs share their libraries: each name once.
$I build -o two.img --program /bin/dash --program "$(command -v mount)" 2> err
is "$?:$(cat err)" "0:" "two programs in one image"
is "$($I list two.img | sort | uniq -d)" "" "two programs: no name twice"

# The list-file line gives the same image as the option.
printf 'program /bin/dash\n' > dash.list
$I build -o list.img --mtime $M dash.list && $I build -o opt.img --mtime $M --program /bin/dash
same_file list.img opt.img "the program line and --program give the same bytes"

# A bare name is looked up in PATH, a relative path in the current
# directory.
$I build -o bare.img --mtime $M --program dash 2> err
is "$?:$(cat err)" "0:" "--program with a bare name"
$I build -o full.img --mtime $M --program "$(command -v dash)"
same_file bare.img full.img "a bare name is the program PATH finds"
cp /bin/dash ./mydash
$I build -o rel.img --program ./mydash 2> err
is "$?:$(cat err)" "0:" "--program with a relative path"
like "$($I list rel.img)" "${T#/}/mydash" "a relative path is taken from the current directory"
PATH=/nowhere "$(command -v $I)" build -o bad.img --program dash 2> err
like "$(cat err)" "dash: not found in PATH \(/nowhere\)" "a bare name PATH does not have is named with PATH"

# A name in the image: the program goes there, its libraries stay put.
$I build -o sh.img --program /bin/dash=/bin/sh 2> err
is "$?:$(cat err)" "0:" "--program PATH=NAME"
like "$($I list -l sh.img)" "^-rwxr-xr-x .* bin/sh$" "PATH=NAME: the program is a file under NAME"
is "$(files sh.img)" "$(ldd_set /bin/dash)" "PATH=NAME: the same libraries"

# A script brings its interpreter (and the interpreter's libraries).
printf '#!/bin/dash -e\necho hi\n' > script.sh
chmod 755 script.sh
$I build -o script.img --program "$T/script.sh" 2> err
is "$?:$(cat err)" "0:" "a #! script"
is "$(files script.img)" "$( (realpath script.sh; ldd_set /bin/dash) | sort -u)" \
	"a script: itself, dash and dash's libraries"

# A static program: itself only.
if command -v musl-gcc >/dev/null 2>&1; then
	printf 'int main(void) { return 0; }\n' > s.c
	musl-gcc -static -o static s.c
	$I build -o static.img --program "$T/static"
	is "$($I list -l static.img | grep -vc '^d')" 1 "a static program: one entry besides directories"
	is "$(files static.img)" "$(realpath static)" "a static program brings nothing else"
else
	skip "musl-gcc is not installed"
	skip "musl-gcc is not installed"
fi

# Bad input: a message naming what is missing and who needed it.
build_refused "missing program" "^initramfs build: --program /no/such: /no/such: No such file or directory$" \
	--program /no/such
printf 'dir /x 755 0 0\nprogram /no/such\n' > missing.list
build_refused "missing program in a list" "^initramfs build: missing.list:2: /no/such: No such file or directory$" \
	missing.list
printf 'not an ELF\n' > text
chmod 755 text
build_refused "not ELF, not a script" "text: neither an ELF file nor a #! script" --program "$T/text"
if command -v gcc >/dev/null 2>&1; then
	mkdir lib
	printf 'int gone(void) { return 1; }\n' > gone.c
	printf 'int gone(void); int main(void) { return gone(); }\n' > main.c
	gcc -shared -fPIC -Wl,-soname,libgone.so.1 -o lib/libgone.so.1 gone.c &&
		ln -s libgone.so.1 lib/libgone.so &&
		gcc -o needs-gone main.c -Llib -lgone -Wl,-rpath,'$ORIGIN/lib'
	$I build -o ok.img --program "$T/needs-gone" 2> err
	is "$?:$(cat err)" "0:" "RPATH \$ORIGIN/lib: found"
	like "$($I list ok.img)" "lib/libgone.so.1" "RPATH \$ORIGIN/lib: the library is in the image"
	rm lib/libgone.so.1
	build_refused "missing library" "libgone\.so\.1.*not found.*needed by $T/needs-gone.*$T/lib" \
		--program "$T/needs-gone"
else
	skip "gcc is not installed"
fi

done_testing
