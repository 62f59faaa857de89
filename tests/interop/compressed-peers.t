#!/bin/sh
# Compressed members, against the peers' tools. One varied tree (tree.sh)
# and three parts of it (the top level without hl/ and n1/, hl/ with its
# hard-link groups, n1/ with its 255-byte name), archived by GNU cpio.
#
#   a  what peer pipelines write (`cpio -o -H newc | gzip -n`, bzip2,
#      lzma, `xz --check=crc32`, lzop, `lz4 -l`, zstd, and members back
#      to back: uncompressed + zstd + gzip, gzip + gzip) `initramfs list`
#      lists as GNU cpio does and `initramfs extract` extracts to the
#      source tree;
#   b  what `initramfs build --compress FORMAT` writes, each format's own
#      tool decompresses to the bytes of `--compress none`;
#   c  `initramfs info` (and --json) says what the pipeline built:
#      offsets, stored bytes, formats, decoded bytes, entries;
#   d  `--member N`, `N-`, `N-M` select the entries of those members;
#   e  bad input (truncated, a flipped byte, a member ending inside an
#      entry, an unknown magic): exit 1, a message naming the member and
#      its offset, and extract keeps the entries before the error whole;
#   f  images made by Debian's initramfs-tools (mkinitramfs, run in a
#      private mount namespace over the kernel package's modules: nothing
#      on the host changes) and by dracut (--no-kernel): listed as
#      lsinitramfs lists them and extracted as unmkinitramfs extracts them.
# A missing peer skips its checks.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/tree.sh"
LC_ALL=C	# names are bytes: sort, sed, grep and awk see them so
export LC_ALL
unset SOURCE_DATE_EPOCH

[ "$(id -u)" = 0 ] || skip_all "needs root (owners, setuid bits, device nodes)"
peer_have gnu || skip_all "GNU cpio is not installed"
perl -MJSON::PP -e 1 2>/dev/null || skip_all "perl's JSON::PP is not installed"
cd "$T" || exit 1
I=initramfs
M=2000000000	# later than every source mtime: nothing is clamped

have() { command -v "$1" >/dev/null 2>&1; }
size() { stat -c %s "$1"; }
# strip: names as the extraction has them (no leading ./)
strip() { sed -e 's|^\./||' -e '/^\.$/d'; }

tree_make src
TREE_MTIME=1 tree_describe src > want
# The parts, each its own directory (hard-link groups stay whole).
mkdir p1 p2 p3
cp -a src/. p1/
rm -rf p1/hl p1/n1
cp -a src/hl p2/
cp -a src/n1 p3/
gnu_cpio() { (cd "$1" && find . | sort | cpio -o -H newc --quiet); }
gnu_cpio src > all.cpio
for p in p1 p2 p3; do gnu_cpio $p > $p.cpio; done
cpio -t --quiet < all.cpio > all.names

# compress FORMAT: the peer pipeline's compressor, stdin to stdout
compress() {
	case $1 in
	gzip)	gzip -n ;;	bzip2)	bzip2 ;;
	lzma)	lzma ;;		xz)	xz --check=crc32 ;;
	lzo)	lzop ;;		lz4)	lz4 -l ;;
	zstd)	zstd -q ;;
	esac
}
# tool FORMAT: the name of its command
tool() { case $1 in lzo) echo lzop ;; *) echo "$1" ;; esac; }
# skipn N REASON: N skips
skipn() {
	_sn=$1
	while [ "$_sn" -gt 0 ]; do skip "$2"; _sn=$((_sn - 1)); done
}
FORMATS="gzip bzip2 lzma xz lzo lz4 zstd"

# reads CASE IMAGE NAMES WANT: list prints NAMES, extract gives WANT
reads() {
	is "$($I list "$2" 2>&1)" "$(cat "$3")" "$1: list prints GNU cpio's names, in order"
	mkdir "$1.x"
	$I extract "$2" "$1.x" 2> err
	is "$?:$(cat err)" "0:" "$1: extract exits 0 without a message"
	TREE_MTIME=1 tree_describe "$1.x" > "$1.got"
	ok "$1: extract gives the source tree" tree_cmp "$4" "$1.got"
}

# info_is CASE IMAGE LINE...: `info` prints the header and these member
# lines (fields: index offset stored format size entries), and --json
# the same numbers.
info_is() {
	_c=$1 _i=$2; shift 2
	is "$($I info "$_i" 2>&1 | tail -n +2 | awk '{ $1 = $1; print }')" \
		"$(printf '%s\n' "$@")" "$_c: info describes each member"
	is "$($I info --json "$_i" 2>&1 | perl -MJSON::PP -e '
		local $/; my $j = eval { decode_json(<STDIN>) } or die "not JSON: $@";
		print join(" ", @$_{qw(index offset stored format size entries)}), "\n"
			for @{$j->{members}}' 2>&1)" \
		"$(printf '%s\n' "$@")" "$_c: info --json parses and says the same"
}
# trailer_end CPIO: where an uncompressed member ends (after TRAILER!!!
# and its name's padding), as info counts it
trailer_end() {
	_te=$(grep -obUa 'TRAILER!!!' "$1" | tail -n 1 | cut -d: -f1)
	echo $(( (_te + 11 + 3) / 4 * 4 ))
}
entries() { cpio -t --quiet < "$1" | wc -l; }

# --- a, c: peer pipelines ---------------------------------------------
for f in $FORMATS; do
	if ! have "$(tool $f)"; then
		skipn 5 "$f: $(tool $f) is not installed"
		continue
	fi
	compress $f < all.cpio > peer.$f
	reads peer-$f peer.$f all.names want
	info_is peer-$f peer.$f "0 0 $(size peer.$f) $f $(size all.cpio) $(entries all.cpio)"
done

for p in p1 p2 p3; do cpio -t --quiet < $p.cpio > $p.names; done
awk -F '\t' '$1 == "hl" || $1 ~ /^hl\//' want > hl.want
if have zstd; then
	zstd -q < p2.cpio > p2.zst
	gzip -n < p3.cpio > p3.gz
	cat p1.cpio p2.zst p3.gz > cat3.img
	cat p1.names p2.names p3.names > cat3.names
	reads cat3 cat3.img cat3.names want
	o1=$(size p1.cpio) o2=$(($(size p1.cpio) + $(size p2.zst)))
	info_is cat3 cat3.img "0 0 $(trailer_end p1.cpio) none $(trailer_end p1.cpio) $(entries p1.cpio)" \
		"1 $o1 $(size p2.zst) zstd $(size p2.cpio) $(entries p2.cpio)" \
		"2 $o2 $(size p3.gz) gzip $(size p3.cpio) $(entries p3.cpio)"
else
	skipn 5 "cat3: zstd is not installed"
fi
gzip -n < p1.cpio > p1.gz
cat p2.cpio p3.cpio | gzip -n > p23.gz
cat p1.gz p23.gz > gz2.img
cat p1.names p2.names p3.names > gz2.names
reads gz2 gz2.img gz2.names want
info_is gz2 gz2.img "0 0 $(size p1.gz) gzip $(size p1.cpio) $(entries p1.cpio)" \
	"1 $(size p1.gz) $(size p23.gz) gzip $(($(size p2.cpio) + $(size p3.cpio))) \
$(($(entries p2.cpio) + $(entries p3.cpio)))"

# --- d: --member --------------------------------------------------------
if [ -f cat3.img ]; then
	for sel in "0:p1" "1:p2" "2:p3" "1-:p2 p3" "0-1:p1 p2" "2-2:p3" "0-:p1 p2 p3"; do
		r=${sel%%:*}
		is "$($I list --member $r cat3.img 2>&1)" "$(for p in ${sel#*:}; do cat $p.names; done)" \
			"member: list --member $r lists the entries of ${sel#*:}"
	done
	mkdir m1.x
	$I extract --member 1 cat3.img m1.x 2> err
	is "$?:$(cat err)" "0:" "member: extract --member 1 exits 0 without a message"
	TREE_MTIME=1 tree_describe m1.x > m1.got
	ok "member: extract --member 1 gives hl/ alone" tree_cmp hl.want m1.got
	$I list --member 3 cat3.img > out 2> err
	diag "member: list --member 3 of 3 members: exit $?, $(wc -l < out) names, stderr: $(cat err)"
else
	skipn 9 "member: zstd is not installed"
fi

# --- b: our members, decompressed by each format's own tool ----------------
$I build --mtime $M --compress none -o ours.none src
for f in $FORMATS; do
	if ! have "$(tool $f)"; then
		skipn 2 "$f: $(tool $f) is not installed"
		continue
	fi
	$I build --mtime $M --compress $f -o ours.$f src 2> err
	[ ! -s err ] || diag "$(cat err)"
	$(tool $f) -dc < ours.$f > ours.$f.cpio 2> err
	same_file ours.$f.cpio ours.none "$f: $(tool $f) -dc gives the bytes of --compress none"
	[ ! -s err ] || diag "$(tool $f) -dc: $(cat err)"
	is "$($I info ours.$f 2>&1 | awk 'NR > 1 { print $1, $2, $4, $5 }')" "0 0 $f $(size ours.none)" \
		"$f: info: one $f member, decoded to as many bytes"
done
# Two members of one format: each decompresses, on its own, to the bytes
# of the same member built uncompressed (inode numbers go on from one
# member to the next, so the reference is one build too).
# region IMAGE I: member I's bytes, up to the next member (or the end)
region() {
	perl -MJSON::PP -e '
		my ($img, $i) = @ARGV;
		my $j = decode_json(`initramfs info --json $img`);
		my @m = @{$j->{members}};
		open(my $f, "<", $img) or die "$img: $!\n"; binmode $f;
		local $/; my $d = <$f>;
		my $end = $i < $#m ? $m[$i + 1]{offset} : length $d;
		$end = $m[$i]{offset} + $m[$i]{stored} if $ENV{STORED};
		print substr($d, $m[$i]{offset}, $end - $m[$i]{offset})' "$1" "$2"
}
$I build --mtime $M -o two.none --compress none p1 --compress none p2
region two.none 0 > two.none.0
region two.none 1 > two.none.1
for f in $FORMATS; do
	if ! have "$(tool $f)"; then
		skip "$f: $(tool $f) is not installed"
		continue
	fi
	$I build --mtime $M -o two.$f --compress $f p1 --compress $f p2
	STORED=1 region two.$f 0 | $(tool $f) -dc > two.$f.0 2> err
	STORED=1 region two.$f 1 | $(tool $f) -dc > two.$f.1 2>> err
	ok "$f: two members, each decompressed by $(tool $f) -dc, give the uncompressed members" \
		sh -c 'cmp -s "$1.0" two.none.0 && cmp -s "$1.1" two.none.1' sh two.$f
	[ ! -s err ] || diag "$(tool $f) -dc: $(cat err)"
done

# --- e: bad input ---------------------------------------------------------
# bad CASE IMAGE REGEX: list and extract exit 1 with a message matching
# REGEX; extract keeps whole every entry but the one at the error, and
# says how many.
bad() {
	$I list "$2" > "$1.list.out" 2> err
	_rc=$?
	is "$_rc" 1 "$1: list exits 1"
	like "$(cat err)" "$3" "$1: list names the member and offset: $3"
	mkdir "$1.x"
	$I extract "$2" "$1.x" 2> err
	_rc=$?
	is "$_rc" 1 "$1: extract exits 1"
	like "$(cat err)" "$3" "$1: extract names the member and offset"
	# The paths whose description is the source's are whole.
	TREE_MTIME=1 tree_describe "$1.x" > "$1.x.d"
	_whole=$(grep -cxF -f want "$1.x.d")
	grep -vxF -f want "$1.x.d" | cut -f 1 > "$1.x.other"
	ok "$1: every entry extracted but at most one is whole (not: $(tr '\n' ' ' < "$1.x.other"))" \
		test "$(wc -l < "$1.x.other")" -le 1
	# "." is an entry too, not a path under the directory.
	_dots=$(sed '$d' "$1.list.out" | grep -cx '\.')
	_said=$(sed -n 's/.*the \([0-9]*\) entr[a-z]* before the error.*/\1/p' err)
	is "${_said:-?}" "$((_whole + _dots))" "$1: extract says how many entries stayed: as many as are whole"
	# Every name list printed but the last was extracted.
	_miss=$(sed '$d' "$1.list.out" | strip | while IFS= read -r _p; do
		[ -e "$1.x/$_p" ] || [ -L "$1.x/$_p" ] || printf '%s ' "$_p"; done)
	is "$_miss" "" "$1: every entry listed before the failing one was extracted"
}

for f in $FORMATS; do
	if ! [ -f peer.$f ]; then
		skipn 7 "truncated-$f: $(tool $f) is not installed"
		continue
	fi
	head -c $(($(size peer.$f) * 6 / 10)) peer.$f > trunc.$f
	bad truncated-$f trunc.$f "member 0 \($f\) at offset 0"
done

# A flipped bit where the format's own tool sees the damage: lz4's
# legacy frame and lzma have no check, so there only "no crash".
# flip IN OUT START LEN TESTCMD: OUT is IN with one bit in START+LEN
# flipped where TESTCMD (reading that range) fails; prints the offset.
flip() {
	for _k in 8 5 11 3 13 2 14 7 9; do
		_at=$(($3 + $4 * _k / 17))
		perl -e 'local $/; my $d = <STDIN>; substr($d, $ARGV[0], 1) ^= "\x04"; print $d' \
			$_at < "$1" > "$2"
		if ! tail -c +$(($3 + 1)) "$2" | head -c "$4" | $5 > /dev/null 2>&1; then
			echo $_at
			return 0
		fi
	done
	return 1
}
for f in gzip bzip2 xz lzo zstd; do
	if ! [ -f peer.$f ]; then
		skipn 7 "flip-$f: $(tool $f) is not installed"
		continue
	fi
	if at=$(flip peer.$f flip.$f 0 "$(size peer.$f)" "$(tool $f) -t"); then
		diag "flip-$f: a bit of byte $at of $(size peer.$f) flipped"
		bad flip-$f flip.$f "member 0 \($f\) at offset 0"
	else
		skipn 7 "flip-$f: no flipped byte $(tool $f) -t detects"
	fi
done
for f in lz4 lzma; do
	if ! [ -f peer.$f ]; then
		skip "flip-$f: $(tool $f) is not installed"
		continue
	fi
	perl -e 'local $/; my $d = <STDIN>; substr($d, length($d) / 2, 1) ^= "\x04"; print $d' \
		< peer.$f > flip.$f
	$I list flip.$f > /dev/null 2> err
	rc=$?
	ok "flip-$f: list exits 0 or 1, no crash (exit $rc)" test $rc -le 1
	[ ! -s err ] || diag "flip-$f: $(head -n 2 err)"
done

# A gzip member that ends inside big's data, between two good members.
o=$(grep -obUa 'big' p1.cpio | head -n 1 | cut -d: -f1)
head -c $((o + 40000)) p1.cpio | gzip -n > cut.gz
cat p2.cpio cut.gz p3.cpio > cut.img
bad mid-entry cut.img "member 1 \(gzip\) at offset $(size p2.cpio)"
# p2 came before: whole.
TREE_MTIME=1 tree_describe mid-entry.x | awk -F '\t' '$1 == "hl" || $1 ~ /^hl\//' > m.got
ok "mid-entry: the member before the error is extracted whole" tree_cmp hl.want m.got

# An unknown magic after an uncompressed member.
{ cat p1.cpio; printf 'JUNK, NOT A MEMBER'; } > junk.img
bad junk junk.img "member 1 .*at offset $(size p1.cpio)"
TREE_MTIME=1 tree_describe junk.x > j.got
TREE_MTIME=1 tree_describe p1 > j.want
ok "junk: the member before the error is extracted whole" tree_cmp j.want j.got

# --- f: Debian's initramfs-tools and dracut ---------------------------------
# peer_image CASE IMAGE: list as lsinitramfs, extract as unmkinitramfs
peer_image() {
	if ! have lsinitramfs || ! have unmkinitramfs; then
		skipn 4 "$1: lsinitramfs and unmkinitramfs are not installed"
		return
	fi
	lsinitramfs "$2" > "$1.names" 2> err
	[ ! -s err ] || diag "lsinitramfs: $(cat err)"
	is "$($I list "$2" 2>&1)" "$(cat "$1.names")" "$1: list prints what lsinitramfs prints"
	mkdir "$1.x" "$1.peer"
	$I extract "$2" "$1.x" 2> err
	is "$?:$(cat err)" "0:" "$1: extract exits 0 without a message"
	unmkinitramfs "$2" "$1.peer" 2> err
	[ ! -s err ] || diag "unmkinitramfs: $(cat err)"
	TREE_MTIME=1 tree_describe "$1.x" > "$1.got"
	TREE_MTIME=1 tree_describe "$1.peer" > "$1.want"
	ok "$1: extract gives unmkinitramfs's tree" tree_cmp "$1.want" "$1.got"
	diag "$1: $(wc -l < "$1.names") entries; $($I info "$2" 2>&1 | tail -n +2 | awk '{ print $4 }' | tr '\n' ' ')"
	is "$($I info "$2" 2>&1 | tail -n +2 | awk '{ s += $6 } END { print s }')" \
		"$(grep -c . "$1.names")" "$1: info counts the entries lsinitramfs lists"
}

if ! have mkinitramfs; then
	skipn 8 "initramfs-tools: mkinitramfs is not installed (initramfs-tools)"
elif ! have unshare || ! . "$TOP/tests/lib/kernel.sh" || ! KDIR=$(kernel_dir 2>err) ||
	! KREL=$(kernel_release 2>>err); then
	skipn 8 "initramfs-tools: no unshare or no kernel package: $(tail -n 1 err)"
else
	for f in zstd lz4; do
		if kernel_mkinitramfs $f "$T/mkinitramfs.$f" > mk.log 2>&1 && [ -s mkinitramfs.$f ]; then
			peer_image initramfs-tools-$f mkinitramfs.$f
		else
			skipn 4 "initramfs-tools-$f: mkinitramfs failed: $(tail -n 1 mk.log)"
		fi
	done
fi

if ! have dracut; then
	skipn 8 "dracut: dracut is not installed (dracut-core)"
else
	for f in xz gzip; do
		mkdir dracut-tmp.$f
		if dracut --no-kernel --kver 0.0.0-none --no-hostonly --no-early-microcode -m base \
			--compress $f --tmpdir "$T/dracut-tmp.$f" --force "$T/dracut.$f" > dr.log 2>&1; then
			peer_image dracut-$f dracut.$f
		else
			skipn 4 "dracut-$f: dracut failed: $(tail -n 1 dr.log)"
		fi
	done
fi

done_testing
