#!/bin/sh
# `initramfs check` agrees with the kernel: for each image, QEMU's boot
# of Debian's kernel reaches /init's marker exactly when check reports
# no error about /init. Each image differs from a good one in one way:
#
#   static     a static /init that prints the marker: boots
#   dynamic    the same program linked against glibc, with its ELF
#              interpreter and libraries (--program): boots
#   missing    no /init: the kernel mounts no root and panics
#   noexec     /init mode 0644: the kernel's eaccess check fails, panic
#   nolib      the dynamic /init and its interpreter, without libc.so.6:
#              exec works, ld.so fails, init dies, panic
#   nointerp   /init a #!/bin/sh script, no /bin/sh: exec fails, and
#              no fallback init (/sbin/init, /bin/sh...) exists: panic
#
# Each case asserts check's /init errors (their codes: exactly the ones
# the change must cause) and then the agreement. Six boots, each a few
# seconds under software emulation.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/qemu.sh"
unset SOURCE_DATE_EPOCH

I=$BIN/initramfs
[ -x "$I" ] || skip_all "$I is not built (run make)"
command -v musl-gcc >/dev/null 2>&1 || skip_all "musl-gcc is not installed (musl-tools)"
command -v cc >/dev/null 2>&1 || skip_all "no C compiler for the dynamic /init"
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) ||
	skip_all "python3 is not installed"
qemu_need_kernel
cd "$T" || exit 1

MARKER=VERDICT-INIT-RAN
cat > init.c <<EOF
/* A test /init: says it ran, then powers the machine off. */
#include <sys/reboot.h>
#include <unistd.h>

int
main(void)
{
	static const char msg[] = "\n$MARKER\n";

	if (write(1, msg, sizeof(msg) - 1) < 0)
		return 1;
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}
EOF
musl-gcc -static -Os -o init-static init.c 2> cc.log &&
	cc -Os -o init-dynamic init.c 2>> cc.log
ok "the test /init compiles, static (musl) and dynamic (libc)" \
	test -x init-static -a -x init-dynamic || { diag "$(cat cc.log)"; done_testing; exit; }
LDSO=$(readelf -l init-dynamic | sed -n 's/.*interpreter: \(.*\)\]/\1/p')

printf 'dir /dev 755 0 0\nnod /dev/console 600 0 0 c 5 1\n' > dev.list
img() { # NAME LIST-LINES...: dev.list and the lines
	_n=$1
	shift
	{ cat dev.list; printf '%s\n' "$@"; } > "$_n.list"
	"$I" build -o "$_n.img" "$_n.list" 2> build.err || diag "$(cat build.err)"
}
img static "file /init $T/init-static 755 0 0"
"$I" build -o dynamic.img dev.list --program "$T/init-dynamic=/init" 2> build.err ||
	diag "$(cat build.err)"
img missing
img noexec "file /init $T/init-static 644 0 0"
img nolib "file /init $T/init-dynamic 755 0 0" \
	"file $LDSO $(realpath "$LDSO") 755 0 0"
printf '#!/bin/sh\necho %s\n' $MARKER > script
img nointerp "file /init $T/script 755 0 0"

# init_errors IMAGE: the codes of check's errors about /init (its
# section of doc/check.md), one line; the JSON stays in IMAGE.json
init_errors() {
	"$I" check --json "$1" > "$1.json"
	"$PY" -c 'import json, sys
codes = ("init-", "script-interp-", "elf-interp-", "elf-unreadable", "lib-")
print(" ".join(f["code"] for f in json.load(open(sys.argv[1]))["findings"]
               if f["severity"] == "error" and f["code"].startswith(codes)))' "$1.json"
}

# verdict CASE CODES: check's /init errors are CODES; the boot reaches
# the marker exactly when there are none.
verdict() {
	_errs=$(init_errors "$1.img")
	is "$_errs" "$2" "$1: check's errors about /init: ${2:-none}"
	qemu_boot "$1.img" "" 120 "$1.log" "^$MARKER"
	_rc=$?
	diag "boot $1: ${QEMU_BOOT_SECS}s wall time ($(qemu_accel)), qemu_boot $_rc"
	[ "$_rc" != 3 ] || { ok "$1: QEMU runs" false; return; }
	_booted=no
	[ "$_rc" != 0 ] || _booted=yes
	_want=no
	[ -n "$_errs" ] || _want=yes
	is "booted: $_booted" "booted: $_want" \
		"$1: the boot reaches /init exactly when check finds no /init error" ||
		diag "the console ends with:" "$(qemu_console "$1.log" | tail -n 6)"
}

verdict static ""
verdict dynamic ""
verdict missing "init-missing"
verdict noexec "init-not-executable"
verdict nolib "lib-missing"
verdict nointerp "script-interp-missing"

# Each failed boot failed the way the kernel says it would, not by
# accident (a timeout, QEMU dying).
panics() { qemu_console "$1.log" | grep -ac 'Kernel panic'; }
is "$(panics missing)$(panics noexec)$(panics nolib)$(panics nointerp)" "1111" \
	"every boot that did not reach /init ended in the kernel's panic"
like "$(qemu_console nolib.log)" "error while loading shared libraries: libc\.so\.6" \
	"nolib: ld.so names the missing library on the console"
like "$(qemu_console nointerp.log)" "Failed to execute /init \(error -2\)" \
	"nointerp: the kernel cannot execute the script"

# The six outputs against the schema doc/check.md gives.
if "$PY" -c 'import jsonschema' 2>/dev/null; then
	is "$("$PY" -c 'import json, re, sys, jsonschema
doc = open(sys.argv[1]).read()
schema = json.loads(re.search(r"```json\n(.*?)```", doc, re.S).group(1))
jsonschema.Draft202012Validator.check_schema(schema)
for f in sys.argv[2:]:
    jsonschema.validate(json.load(open(f)), schema, cls=jsonschema.Draft202012Validator)
print("valid")' "$TOP/doc/check.md" ./*.img.json 2>&1 | tail -n 1)" "valid" \
		"check --json: every output is valid against doc/check.md's schema"
else
	skip "python3's jsonschema is not installed"
fi

done_testing
