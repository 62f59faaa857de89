# newc.sh - a tiny raw newc (070701) writer for hand-made, possibly
# hostile, cpio archives in shell tests. Source it after tap.sh.
#
#   newc_entry NAME MODE SIZE DATA   prints one record on stdout
#   newc_trailer                     prints the TRAILER!!! record
#
# MODE is a number the shell's printf understands (0100644 is octal);
# SIZE is the filesize field (empty: the length of DATA). DATA is
# written as it is (printf %s), then NUL-padded to a multiple of 4.
# These variables, when set, override header fields: NEWC_INO (default:
# a counter from 1), NEWC_UID, NEWC_GID, NEWC_NLINK (1), NEWC_MTIME (0),
# NEWC_MAJ, NEWC_MIN (device of the archive), NEWC_RMAJ, NEWC_RMIN (a
# device node's number), NEWC_NAMESIZE (default: length of NAME + 1),
# NEWC_MAGIC (070701), NEWC_CHECK (0), NEWC_NONUL (set: an 'X' instead of the
# NUL that ends NAME, a malformed record).

_newc_ino=0

_newc_zeros() { # N: print N NUL bytes
	[ "$1" -gt 0 ] && head -c "$1" /dev/zero
	return 0
}

newc_entry() {
	_nn=$1 _nm=$2 _ns=$3 _nd=$4
	[ -n "$_ns" ] || _ns=${#_nd}
	_newc_ino=$((_newc_ino + 1))
	_nl=$((${#_nn} + 1))
	printf '%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"${NEWC_MAGIC:-070701}" "${NEWC_INO:-$_newc_ino}" "$_nm" \
		"${NEWC_UID:-0}" "${NEWC_GID:-0}" "${NEWC_NLINK:-1}" \
		"${NEWC_MTIME:-0}" "$_ns" "${NEWC_MAJ:-0}" "${NEWC_MIN:-0}" \
		"${NEWC_RMAJ:-0}" "${NEWC_RMIN:-0}" "${NEWC_NAMESIZE:-$_nl}" \
		"${NEWC_CHECK:-0}"
	printf '%s' "$_nn"
	if [ -n "${NEWC_NONUL:-}" ]; then printf 'X'; else printf '\0'; fi
	_newc_zeros $(( (4 - (110 + _nl) % 4) % 4 ))
	printf '%s' "$_nd"
	_newc_zeros $(( (4 - ${#_nd} % 4) % 4 ))
}

newc_trailer() {
	NEWC_INO=0 NEWC_NLINK=1 newc_entry 'TRAILER!!!' 0 0 ''
}
