#!/bin/bash
# bench/run.sh: measures `initramfs` against its peers (GNU cpio, bsdcpio,
# busybox cpio) and prints a markdown table of median wall times, the
# ratio peer/ours (above 1 means we are faster) and each case's target.
# `make bench` runs it; see bench/README.md.
#
# Environment:
#   BIN            build directory holding initramfs (default: build)
#   INITRAMFS      our command (default: $BIN/initramfs)
#   BENCH_ROUNDS   measured rounds per case (default 7)
#   BENCH_QUICK_MS a case whose round takes less runs 3x the rounds (500)
#   BENCH_CASES    cases to run, in order (default: all, as listed below)
#   BENCH_DIR      input cache and scratch (default: bench/out)
#   BENCH_CHECKS   0 skips the correctness checks after each case
#   BENCH_STRICT   1 makes a missed target fail the run
# shellcheck disable=SC2317 # cases and variants are called by name
# shellcheck disable=SC2002 # the pipe cases want cat, not a redirection

# `sh bench/run.sh` works too: the script needs bash and re-runs under it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u -o pipefail
export LC_ALL=C

TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/build}
INITRAMFS=${INITRAMFS:-$BIN/initramfs}
BENCH_CASES=${BENCH_CASES:-list list_pipe build zlist zextract zbuild}
BENCH_DIR=${BENCH_DIR:-$TOP/bench/out}
BENCH_CHECKS=${BENCH_CHECKS:-1}
BENCH_STRICT=${BENCH_STRICT:-0}
# Bump when mktree.pl changes: the cached tree and archive are keyed on it.
TREE_VERSION=1

# shellcheck source=bench/lib.sh
. "$TOP/bench/lib.sh"

have() { command -v "$1" > /dev/null 2>&1; }

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

oneline() { head -n "$1" | tr '\n' ' '; }

# --- inputs, made once and reused ----------------------------------------

TREE=$BENCH_DIR/tree-v$TREE_VERSION
ARCHIVE=$BENCH_DIR/tree-v$TREE_VERSION.cpio
# The archive as Debian 12's mkinitramfs compresses it (zstd -q -1 -T0).
ZIMAGE=$BENCH_DIR/tree-v$TREE_VERSION.cpio.zst
SCRATCH=$BENCH_DIR/scratch

# The peers' way to archive a directory; also makes the neutral list input.
gnu_archive() { # TREE OUT
	(cd "$1" && find . | sort | cpio -o -H newc --quiet > "$2")
}

prepare_inputs() {
	mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"
	if [ ! -d "$TREE" ]; then
		bench_log "generating the input tree (once)"
		rm -rf "$TREE.tmp" "$ARCHIVE"
		if ! perl "$TOP/bench/mktree.pl" "$TREE.tmp" >&2 ||
			! mv "$TREE.tmp" "$TREE"; then
			die "mktree.pl failed"
		fi
	fi
	if [ ! -f "$ARCHIVE" ]; then
		bench_log "archiving it with GNU cpio (once)"
		if ! gnu_archive "$TREE" "$ARCHIVE.tmp" ||
			! mv "$ARCHIVE.tmp" "$ARCHIVE"; then
			die "GNU cpio could not archive $TREE"
		fi
	fi
	if [ ! -f "$ZIMAGE" ]; then
		bench_log "compressing it with zstd -1 (once)"
		zstd -q -1 -T0 < "$ARCHIVE" > "$ZIMAGE.tmp" && mv "$ZIMAGE.tmp" "$ZIMAGE" ||
			die "zstd could not compress $ARCHIVE"
	fi
	rm -rf "$SCRATCH"
	mkdir -p "$SCRATCH" || die "cannot create $SCRATCH"
}

describe_inputs() {
	local files links hard dirs bytes
	files=$(find "$TREE" -type f | wc -l)
	links=$(find "$TREE" -type l | wc -l)
	hard=$(find "$TREE" -type f -links +1 | wc -l)
	dirs=$(find "$TREE" -type d | wc -l)
	bytes=$(du -sb --apparent-size "$TREE" | cut -f1)
	printf 'input: %d files (%d of them hard links), %d symlinks, %d dirs, %s MB; newc archive %s MB\n' \
		"$files" "$hard" "$links" "$dirs" $((bytes / 1000000)) \
		$(($(stat -c %s "$ARCHIVE") / 1000000))
}

# --- case: list: a file on disk, which every reader may seek in ------------

list_ours() { "$INITRAMFS" list "$ARCHIVE" > /dev/null 2>&1; }
list_ours_stdin() { "$INITRAMFS" list - < "$ARCHIVE" > /dev/null 2>&1; }
list_bsd() { bsdcpio -it < "$ARCHIVE" > /dev/null 2>&1; }
list_gnu() { cpio -it < "$ARCHIVE" > /dev/null 2>&1; }
list_bb() { busybox cpio -t < "$ARCHIVE" > /dev/null 2>&1; }

case_list() {
	bench_case list
	bench_variant "initramfs list FILE" list_ours
	bench_variant "initramfs list - < FILE" list_ours_stdin
	bench_variant "bsdcpio -it < FILE" list_bsd 1
	bench_variant "GNU cpio -it < FILE" list_gnu
	have busybox && bench_variant "busybox cpio -t < FILE" list_bb
	bench_measure
	[ "$BENCH_CHECKS" = 1 ] && check_list
}

# Our listing must be exactly GNU cpio's, name for name and line for line.
check_list() {
	local rc
	"$INITRAMFS" list "$ARCHIVE" > "$SCRATCH/list.ours" 2> "$SCRATCH/list.err"
	rc=$?
	cpio -it --quiet < "$ARCHIVE" > "$SCRATCH/list.gnu" 2>/dev/null
	if [ "$rc" != 0 ]; then
		bench_fail "list: initramfs list exited $rc: $(oneline 3 < "$SCRATCH/list.err")"
	elif cmp -s "$SCRATCH/list.ours" "$SCRATCH/list.gnu"; then
		bench_note "list: output identical to GNU cpio -it ($(wc -l < "$SCRATCH/list.gnu") names)"
	else
		bench_fail "list: output differs from GNU cpio -it: $(diff "$SCRATCH/list.gnu" "$SCRATCH/list.ours" | oneline 5)"
	fi
	[ -s "$SCRATCH/list.err" ] && [ "$rc" = 0 ] &&
		bench_note "list: initramfs list wrote to stderr: $(oneline 2 < "$SCRATCH/list.err")"
}

# --- case: list_pipe: the archive comes through a pipe (as from a
# decompressor), so every reader has to read past the file data ----------

pipe_ours() { cat "$ARCHIVE" | "$INITRAMFS" list - > /dev/null 2>&1; }
pipe_bsd() { cat "$ARCHIVE" | bsdcpio -it > /dev/null 2>&1; }
pipe_gnu() { cat "$ARCHIVE" | cpio -it > /dev/null 2>&1; }
pipe_bb() { cat "$ARCHIVE" | busybox cpio -t > /dev/null 2>&1; }

case_list_pipe() {
	bench_case list_pipe
	bench_variant "cat|initramfs list -" pipe_ours
	bench_variant "cat|bsdcpio -it" pipe_bsd
	bench_variant "cat|GNU cpio -it" pipe_gnu
	have busybox && bench_variant "cat|busybox cpio -t" pipe_bb
	bench_measure
	[ "$BENCH_CHECKS" = 1 ] && check_list_pipe
}

check_list_pipe() {
	cpio -it --quiet < "$ARCHIVE" > "$SCRATCH/list.gnu" 2>/dev/null
	if cat "$ARCHIVE" | "$INITRAMFS" list - 2>/dev/null |
		cmp -s - "$SCRATCH/list.gnu"; then
		bench_note "list_pipe: output through a pipe identical to GNU cpio -it"
	else
		bench_fail "list_pipe: output through a pipe differs from GNU cpio -it (or initramfs list - failed)"
	fi
}

# --- case: build: archive the tree ----------------------------------------

build_clean() { rm -f "$SCRATCH"/build.*; }
build_ours() { "$INITRAMFS" build -o "$SCRATCH/build.ours" "$TREE" > /dev/null 2>&1; }
build_gnu() { gnu_archive "$TREE" "$SCRATCH/build.gnu" 2>/dev/null; }
build_bsd() {
	(cd "$TREE" && find . | sort |
		bsdcpio -o --format newc > "$SCRATCH/build.bsd" 2>/dev/null)
}
build_bb() {
	(cd "$TREE" && find . | sort |
		busybox cpio -o -H newc > "$SCRATCH/build.bb" 2>/dev/null)
}

case_build() {
	bench_case build build_clean
	bench_variant "initramfs build" build_ours
	bench_variant "find|sort|GNU cpio -o" build_gnu 2
	bench_variant "find|sort|bsdcpio -o" build_bsd
	have busybox && bench_variant "find|sort|busybox cpio -o" build_bb
	bench_measure
	[ "$BENCH_CHECKS" = 1 ] && check_build
	build_clean
}

# What GNU cpio sees in an archive, without the "." entry.
names() { cpio -it --quiet < "$1" 2>/dev/null | sed 's|^\./||' | grep -vx '\.'; }

# Everything an extraction must reproduce, one line per path.
inventory() {
	(cd "$1" && find . -mindepth 1 \
		\( -type f -printf '%P f %m %n %s %U:%G %T@\n' \) -o \
		\( -type l -printf '%P l %l\n' \) -o \
		-printf '%P %y %m %U:%G\n' | sort)
}

check_build() {
	local err=$SCRATCH/build.err x=$SCRATCH/extract rc
	build_clean
	if ! "$INITRAMFS" build -o "$SCRATCH/build.ours" "$TREE" 2> "$err"; then
		bench_fail "build: initramfs build failed: $(oneline 3 < "$err")"
		return
	fi
	[ -s "$err" ] &&
		bench_note "build: initramfs build wrote to stderr: $(oneline 2 < "$err")"
	gnu_archive "$TREE" "$SCRATCH/build.gnu"
	bench_note "build: archive sizes: ours $(stat -c %s "$SCRATCH/build.ours") bytes, GNU cpio $(stat -c %s "$SCRATCH/build.gnu") bytes"

	# The contract: a directory is scanned like find|LC_ALL=C sort (parents
	# first).  GNU cpio's archive is no reference for the order: its newc
	# writer moves the names of a hard-link set together.
	names "$SCRATCH/build.ours" > "$SCRATCH/names.ours"
	(cd "$TREE" && find . -mindepth 1 | sort | sed 's|^\./||') > "$SCRATCH/names.find"
	if cmp -s "$SCRATCH/names.ours" "$SCRATCH/names.find"; then
		bench_note "build: every name of the tree, in find|LC_ALL=C sort order"
	elif sort "$SCRATCH/names.ours" | cmp -s - "$SCRATCH/names.find"; then
		bench_note "build: every name of the tree, but not in find|LC_ALL=C sort order: $(diff "$SCRATCH/names.find" "$SCRATCH/names.ours" | oneline 4)"
	else
		bench_fail "build: names differ from the tree's: $(sort "$SCRATCH/names.ours" | diff "$SCRATCH/names.find" - | oneline 5)"
	fi

	# GNU cpio unpacks our archive into the very tree we started from.
	rm -rf "$x" && mkdir "$x" &&
		(cd "$x" && cpio -idm --quiet --no-absolute-filenames < "$SCRATCH/build.ours") 2> "$err"
	rc=$?
	if [ "$rc" != 0 ]; then
		bench_fail "build: GNU cpio could not extract our archive: $(oneline 3 < "$err")"
	elif ! (cd "$BENCH_DIR" && diff -r --no-dereference "${TREE##*/}" "${SCRATCH##*/}/${x##*/}") > "$err" 2>&1; then
		bench_fail "build: extracted content differs: $(oneline 3 < "$err")"
	elif ! diff <(inventory "$TREE") <(inventory "$x") > "$err"; then
		bench_fail "build: extracted metadata (type, mode, links, size, owner, mtime) differs: $(oneline 5 < "$err")"
	else
		bench_note "build: GNU cpio -id of our archive reproduces the tree (content, modes, hard links, symlinks, owners, mtimes)"
	fi
	rm -rf "$x"

	"$INITRAMFS" build -o "$SCRATCH/build.again" "$TREE" 2>/dev/null
	if cmp -s "$SCRATCH/build.ours" "$SCRATCH/build.again"; then
		bench_note "build: two builds of the tree are byte-identical"
	else
		bench_fail "build: two builds of the same tree differ"
	fi
}

# --- case: zlist: a zstd image, as Debian's mkinitramfs writes them -------

zlist_ours() { "$INITRAMFS" list "$ZIMAGE" > /dev/null 2>&1; }
zlist_zstd() { zstd -q -dc < "$ZIMAGE" > /dev/null 2>&1; }
zlist_bsd() { bsdcpio -it < "$ZIMAGE" > /dev/null 2>&1; }

case_zlist() {
	bench_case zlist
	bench_variant "initramfs list IMG.zst" zlist_ours
	bench_variant "zstd -dc IMG.zst >/dev/null" zlist_zstd 0.95
	bench_variant "bsdcpio -it < IMG.zst" zlist_bsd 1
	bench_measure
	[ "$BENCH_CHECKS" = 1 ] && check_zlist
}

check_zlist() {
	if "$INITRAMFS" list "$ZIMAGE" 2>/dev/null | cmp -s - <(cpio -it --quiet < "$ARCHIVE" 2>/dev/null); then
		bench_note "zlist: listing of the zstd image identical to GNU cpio -it of the archive"
	else
		bench_fail "zlist: listing of the zstd image differs from GNU cpio -it of the archive"
	fi
}

# --- case: zextract: unpack the zstd image into an empty directory --------
# The target is a tmpfs when there is one: on ext4, creating the same
# 1,500 files over and over sends the inode allocator down its slow
# path (recently_deleted()), which then takes most of every tool's time.

ZX=$SCRATCH/zx
[ -d /dev/shm ] && [ -w /dev/shm ] && ZX=/dev/shm/earlyspace-bench-zx.$$
zextract_clean() { rm -rf "$ZX"; mkdir "$ZX"; }
zextract_ours() { "$INITRAMFS" extract "$ZIMAGE" "$ZX" > /dev/null 2>&1; }
zextract_bsd() { (cd "$ZX" && bsdcpio -idm < "$ZIMAGE" > /dev/null 2>&1); }

case_zextract() {
	bench_case zextract zextract_clean
	bench_variant "initramfs extract IMG.zst DIR" zextract_ours
	bench_variant "bsdcpio -idm < IMG.zst" zextract_bsd 1.67
	bench_measure
	[ "$BENCH_CHECKS" = 1 ] && check_zextract
	rm -rf "$ZX"
}

check_zextract() {
	zextract_clean
	if ! zextract_ours; then
		bench_fail "zextract: initramfs extract failed"
	elif ! diff <(inventory "$TREE") <(inventory "$ZX") > "$SCRATCH/zx.diff" ||
		! diff -r --no-dereference "$TREE" "$ZX" > "$SCRATCH/zx.diff" 2>&1; then
		bench_fail "zextract: extracted tree differs from the input: $(oneline 3 < "$SCRATCH/zx.diff")"
	else
		bench_note "zextract: the extracted tree equals the input (content, modes, links, owners, mtimes)"
	fi
}

# --- case: zbuild: build the tree into a zstd -1 image ---------------------

zbuild_clean() { rm -f "$SCRATCH"/zbuild.*; }
zbuild_ours() { "$INITRAMFS" build -o "$SCRATCH/zbuild.ours" --compress zstd:1 "$TREE" > /dev/null 2>&1; }
zbuild_zstd() { zstd -q -1 -T0 < "$ARCHIVE" > "$SCRATCH/zbuild.zstd" 2>/dev/null; }
zbuild_bsd() {
	(cd "$TREE" && find . | sort | bsdcpio -o --format newc 2>/dev/null |
		zstd -q -1 -T0 > "$SCRATCH/zbuild.bsd" 2>/dev/null)
}

case_zbuild() {
	bench_case zbuild zbuild_clean
	bench_variant "initramfs build --compress zstd:1" zbuild_ours
	bench_variant "zstd -1 -T0 < finished cpio" zbuild_zstd 0.8
	bench_variant "find|sort|bsdcpio -o|zstd -1 -T0" zbuild_bsd 2.86
	bench_measure
	[ "$BENCH_CHECKS" = 1 ] && check_zbuild
	zbuild_clean
}

check_zbuild() {
	zbuild_clean
	zbuild_ours
	"$INITRAMFS" build -o "$SCRATCH/zbuild.plain" "$TREE" 2>/dev/null
	if zstd -q -dc < "$SCRATCH/zbuild.ours" 2>/dev/null | cmp -s - "$SCRATCH/zbuild.plain"; then
		bench_note "zbuild: zstd -dc of our image is byte for byte our uncompressed build; $(stat -c %s "$SCRATCH/zbuild.ours") bytes (zstd -1 -T0 of GNU cpio's archive: $(zstd -q -1 -T0 < "$ARCHIVE" | wc -c))"
	else
		bench_fail "zbuild: zstd -dc of our image differs from our uncompressed build"
	fi
}

# --- main -----------------------------------------------------------------

[ -x "$INITRAMFS" ] || die "$INITRAMFS not found: run make first (or set INITRAMFS)"
have perl || die "perl is needed to generate the input tree"
have cpio || die "GNU cpio is needed (scripts/deps.sh bench)"
have bsdcpio || die "bsdcpio is needed (scripts/deps.sh bench)"
have zstd || die "zstd is needed (scripts/deps.sh bench)"
case $BENCH_ROUNDS in '' | *[!0-9]* | 0) die "BENCH_ROUNDS must be a positive integer" ;; esac
for c in $BENCH_CASES; do
	declare -F "case_$c" > /dev/null ||
		die "unknown case '$c' (known: $(declare -F | sed -n 's/^declare -f case_//p' | tr '\n' ' '))"
done
trap 'rm -rf "$SCRATCH" "$ZX"' EXIT

prepare_inputs
for c in $BENCH_CASES; do
	bench_log "case $c"
	"case_$c"
done

{
	printf '## earlyspace bench\n\n'
	bench_machine
	describe_inputs
	printf 'ours: initramfs at %s; peers: %s; %s; %s\n' \
		"$(git -C "$TOP" describe --always --dirty 2>/dev/null || echo "an unknown commit")" \
		"$(cpio --version | head -n 1)" "$(bsdcpio --version 2>/dev/null)" \
		"$(busybox 2>/dev/null | head -n 1 | cut -d' ' -f1-2)"
	printf 'runs: per tool, interleaved, after one warm-up run each (%s rounds, 3x that when a round takes under %s ms); wall-clock times\n\n' \
		"$BENCH_ROUNDS" "$BENCH_QUICK_MS"
	bench_report
} | tee "$BENCH_DIR/results.md"

[ "$BENCH_FAILED" = 0 ] || exit 1
[ "$BENCH_STRICT" = 1 ] && [ "$BENCH_MISSED" = 1 ] && exit 1
exit 0
