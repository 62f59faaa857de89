# refused.sh - the three checks of a build that must fail. Source it
# after tap.sh; run it in a scratch directory.
#
#   build_refused CASE REGEX BUILD-ARGS...
#       runs `initramfs build -o bad.img BUILD-ARGS`: it exits 1, its
#       message matches the extended regex REGEX, and no bad.img is
#       left behind.
build_refused() {
	_br_c=$1 _br_e=$2; shift 2
	initramfs build -o bad.img "$@" 2> refused.err
	is "$?" 1 "$_br_c: exit 1"
	like "$(cat refused.err)" "$_br_e" "$_br_c: the message"
	ok "$_br_c: no output file" test ! -e bad.img
}
