# TAP for shell tests: source it, call plan (or let done_testing count),
# then ok/is/like/same_file/skip/todo; every failure prints what it expected and
# what it saw as TAP diagnostics.
#
# Environment: TOP (repository root, derived), BIN (build output, default
# $TOP/build), T (a private temporary directory, removed at exit),
# ES_CACHE (downloads and built oracles kept between runs, never in the
# repository).

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$TOP/build}
PATH=$BIN:$PATH
ES_CACHE=${ES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/earlyspace}
export TOP BIN PATH ES_CACHE
T=$(mktemp -d "${TMPDIR:-/tmp}/es-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
_tap_n=0
_tap_failed=0

plan() { echo "1..$1"; _tap_planned=1; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# todo REASON: the next check is a known defect, reported as TAP TODO
# (prove lists it, and says so when it starts passing).
todo() { _tap_todo=$1; }

_tap_result() { # status description
	_tap_n=$((_tap_n + 1))
	_tap_dir=${_tap_todo:+ # TODO $_tap_todo}
	if [ "$1" = 0 ]; then
		echo "ok $_tap_n - $2$_tap_dir"
	else
		echo "not ok $_tap_n - $2$_tap_dir"
		[ -n "${_tap_todo:-}" ] || _tap_failed=$((_tap_failed + 1))
	fi
	_tap_todo=
}

# ok, is, like and same_file return 1 when the check fails, so that
# `ok ... || diag "$(cat log)"` adds what explains it.

# ok DESCRIPTION COMMAND...: passes when COMMAND exits 0.
ok() {
	_d=$1; shift
	if "$@"; then _tap_result 0 "$_d"; else
		_tap_result 1 "$_d"; diag "command failed: $*"; return 1; fi
}

# is GOT EXPECTED DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then _tap_result 0 "$3"; else
		_tap_result 1 "$3"; diag "expected: $2" "     got: $1"; return 1; fi
}

# like GOT PATTERN DESCRIPTION: grep -E pattern in GOT
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then _tap_result 0 "$3"; else
		_tap_result 1 "$3"; diag "expected to match: $2" "     got: $1"; return 1; fi
}

# same_file A B DESCRIPTION: byte-identical files
same_file() {
	if cmp -s "$1" "$2"; then _tap_result 0 "$3"; else
		_tap_result 1 "$3"; diag "files differ: $1 $2" "$(cmp "$1" "$2" 2>&1 | head -1)"; return 1; fi
}

skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n # skip $1"; }
skip_all() { echo "1..0 # SKIP $1"; trap - EXIT; rm -rf "$T"; exit 0; }

done_testing() {
	[ -n "${_tap_planned:-}" ] || echo "1..$_tap_n"
	[ "$_tap_failed" = 0 ]
}
