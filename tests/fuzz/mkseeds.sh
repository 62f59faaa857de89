#!/bin/sh
# mkseeds.sh - makes the fuzz targets' seed corpora (tests/fuzz/corpus/NAME)
# from the tree's own tools and the usual Debian ones (mke2fs, mkfs.*,
# sfdisk, cc). The seeds are committed; run this only to remake them, from
# the repository's root after `make`:
#
#   sh tests/fuzz/mkseeds.sh [NAME...]     (default: every corpus)
#
# Outputs depend on the tools' versions (and mkfs tools write random
# UUIDs), so remaking them changes bytes, never what they exercise.
set -eu

TOP=$(pwd)
BIN=${BIN:-$TOP/build}
C=$TOP/tests/fuzz/corpus
W=$(mktemp -d "${TMPDIR:-/tmp}/es-seeds.XXXXXX")
trap 'rm -rf "$W"' EXIT
export SOURCE_DATE_EPOCH=1700000000

# put NAME FILE: a seed, replacing one of that name.
put() {
	mkdir -p "$C/${1%/*}"
	cp "$2" "$C/$1"
	chmod 0644 "$C/$1"
}

# The image reader: one small tree, as one archive, as crc records, and
# in each codec behind an uncompressed early member.
seeds_image() {
	cat > "$W/tree.list" <<'LIST'
dir /etc 0755 0 0
file /etc/hostname ../hostname 0644 0 0
slink /bin/sh busybox 0777 0 0
nod /dev/console 0600 0 0 c 5 1
pipe /run/fifo 0600 0 0
file /init ../hostname 0755 0 0 /sbin/init
LIST
	printf 'earlyspace\n' > "$W/hostname"
	mkdir -p "$W/src" && cd "$W/src"
	"$BIN/initramfs" build -o "$W/plain" "$W/tree.list"
	put image/newc "$W/plain"
	"$BIN/initramfs" build --crc -o "$W/crc" "$W/tree.list"
	put image/crc "$W/crc"
	for z in gzip bzip2 lzma xz lzo lz4 zstd; do
		"$BIN/initramfs" build -o "$W/$z" "$W/tree.list" \
			--compress "$z" "$W/tree.list"
		put "image/$z" "$W/$z"
	done
	cd "$TOP"
}

# The list language: every directive, an escape, a variable, errors.
seeds_list() {
	cat > "$W/all.list" <<'LIST'
# every directive
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
nod /dev/vda 0660 0 6 b 254 0
file /init ${TOP}/init 0755 0 0
file /bin/busybox /bin/busybox 0755 0 0 /bin/sh /sbin/init
slink /lib64 /lib 0777 0 0
pipe /run/initctl 0600 0 0
sock /run/log 0666 0 0
LIST
	put list/gen_init_cpio "$W/all.list"
	cat > "$W/ours.list" <<'LIST'
mtime 1700000000
dir /my\040dir 0755 0 0
file /my\040dir/a\\b data\040file 0644 1000 1000
hardlink /etc/link /my\040dir/a\\b
program /bin/busybox /bin/sh
module ext4 virtio_blk kernel/drivers/virtio/*
firmware i915/skl_dmc_ver1_27.bin
LIST
	put list/ours "$W/ours.list"
	printf 'file /a\nbogus /x 1 2 3\n  dir /indented 0755 0 0\ndir /d 0758 0 0\nnod /n 0600 0 0 x 1 1\nslink /s\nword\n' \
		> "$W/bad.list"
	put list/bad "$W/bad.list"
}

# DHCP replies to xid feb38f17 from 52:54:00:12:34:56: an ACK with every
# option the client reads, an OFFER whose options overflow into file
# and sname (option 52) and split in two parts (RFC 3396), a BOOTP
# reply, a NAK.
seeds_dhcp() {
	perl - "$W" <<'PERL'
use strict;
my $dir = shift;
sub ip { pack("C4", split(/\./, shift)) }
sub opt { my ($c, $d) = @_; pack("CC", $c, length $d) . $d }
sub hdr {
	my ($file, $sname) = @_;
	pack("CCCC N n n", 2, 1, 6, 0, 0xfeb38f17, 0, 0x8000) .
	ip("0.0.0.0") . ip("10.0.2.15") . ip("10.0.2.4") . ip("0.0.0.0") .
	pack("a16", "\x52\x54\x00\x12\x34\x56") .
	pack("a64", $sname // "") . pack("a128", $file // "") .
	"\x63\x82\x53\x63";
}
sub out { my ($name, $b) = @_; open(my $f, ">", "$dir/$name") or die; print $f $b; close $f }
my $search = "\x07example\x03com\x00\x03lab\xc0\x00";
my $routes = "\x18\x0a\x00\x03" . ip("10.0.2.2") . "\x00" . ip("10.0.2.2") .
	"\x20" . ip("192.168.1.1") . ip("0.0.0.0");
out("ack", hdr("pxelinux.0", "boot") . opt(53, "\x05") .
	opt(54, ip("10.0.2.2")) . opt(51, pack("N", 86400)) .
	opt(58, pack("N", 43200)) . opt(59, pack("N", 75600)) .
	opt(1, ip("255.255.255.0")) . opt(3, ip("10.0.2.2") . ip("10.0.2.1")) .
	opt(6, ip("10.0.2.3") . ip("1.1.1.1")) . opt(12, "client") .
	opt(15, "example.com") . opt(17, "10.0.2.2:/srv/root,vers=3") .
	opt(26, pack("n", 1500)) . opt(28, ip("10.0.2.255")) .
	opt(40, "nis") . opt(42, ip("10.0.2.5")) . opt(119, $search) .
	opt(121, $routes) . "\x00\x00" . opt(200, "unknown") . "\xff");
out("offer-overload", hdr(opt(17, "/srv/nfs/") . opt(12, "over") . "\xff",
	opt(15, "sname.example") . "\xff") . opt(53, "\x02") .
	opt(52, "\x03") . opt(54, ip("10.0.2.2")) .
	opt(17, "10.0.2.2:") . "\xff");
out("bootp", hdr("vmlinuz", "server") . opt(1, ip("255.0.0.0")) . "\xff" .
	"\x00" x 40);
out("nak", hdr() . opt(53, "\x06") . opt(54, ip("10.0.2.2")) . "\xff");
PERL
	for f in ack offer-overload bootp nak; do put "dhcp/$f" "$W/$f"; done
}

# DHCPv6 replies to transaction abcdef of 52:54:00:12:34:56 (its DUID-LL):
# a REPLY with an address, servers and a search list, an ADVERTISE
# whose IA says NoAddrsAvail.
seeds_dhcp6() {
	perl - "$W" <<'PERL'
use strict;
my $dir = shift;
sub opt { my ($c, $d) = @_; pack("nn", $c, length $d) . $d }
sub out { my ($name, $b) = @_; open(my $f, ">", "$dir/$name") or die; print $f $b; close $f }
my $duid = pack("nn", 3, 1) . "\x52\x54\x00\x12\x34\x56";
my $server = pack("nnN", 1, 1, 0x12345678) . "\x02\x00\x00\x00\x00\x01";
my $addr = pack("n8", 0xfd00, 0xe5, 0, 0, 0, 0, 0, 0x1a);
my $iaid = "\x00\x12\x34\x56";
my $ia = opt(3, $iaid . pack("NN", 0, 0) . opt(5, $addr . pack("NN", 1800, 3600)));
my $search = "\x02v6\x0aearlyspace\x04test\x00\x07example\x00";
out("reply", "\x07\xab\xcd\xef" . opt(1, $duid) . opt(2, $server) . $ia .
	opt(7, "\x05") . opt(23, pack("n8", 0xfd00, 0xe5, 0, 0, 0, 0, 0, 0x53) x 2) .
	opt(24, $search));
out("advertise-noaddrs", "\x02\xab\xcd\xef" . opt(1, $duid) . opt(2, $server) .
	opt(3, $iaid . pack("NN", 0, 0) . opt(13, pack("n", 2) . "no addresses")));
PERL
	for f in reply advertise-noaddrs; do put "dhcp6/$f" "$W/$f"; done
}

# DNS replies to id 1234 with a name on their first line for dns_query:
# an A record behind a CNAME (compression pointers), NXDOMAIN.
seeds_dns() {
	perl - "$W" <<'PERL'
use strict;
my $dir = shift;
sub out { my ($name, $b) = @_; open(my $f, ">", "$dir/$name") or die; print $f $b; close $f }
my $q = "\x03nfs\x0aearlyspace\x04test\x00" . pack("nn", 1, 1);
out("cname-a", pack("nnnnnn", 0x1234, 0x8180, 1, 2, 0, 0) . $q .
	"\xc0\x0c" . pack("nnNn", 5, 1, 60, 6) . "\x03srv\xc0\x10" .
	"\xc0\x31" . pack("nnNn", 1, 1, 60, 4) . "\x0a\x00\x02\x02");
out("nxdomain", pack("nnnnnn", 0x1234, 0x8183, 1, 0, 0, 0) . $q);
out("name", "\x12\x34nfs.earlyspace.test.\n");
PERL
	for f in cname-a nxdomain name; do put "dns/$f" "$W/$f"; done
}

# Kernel command lines: a disk root, a network root, quoting, "--".
seeds_cmdline() {
	printf '%s' 'BOOT_IMAGE=/vmlinuz-6.1.0-13-amd64 root=UUID=0e3b5a36-5a8b-4e24-a0b2-3c6d7f6e9a11 ro quiet rootfstype=ext4 rootflags="data=journal,barrier=0" rootwait=30 resume=PARTUUID=6c3f8a11-02/PARTNROFF=1 resume_offset=0x1000 panic=-1 break=mount modules=virtio_blk,ext4 modprobe.blacklist=floppy init="/bin/my init" -- single' \
		> "$W/disk"
	printf '%s' 'console=ttyS0 root=/dev/nfs rw nfsroot=10.0.2.2:/srv/nfs/%s,vers=4.1,tcp,port=2049 ip=10.0.2.15:10.0.2.2:10.0.2.1:255.255.255.0:client:eth0:off:10.0.2.3:1.1.1.1:10.0.2.5 rootflags=[fd00::2]:/export,nolock' \
		> "$W/nfs"
	printf '%s' 'root=8:1 ip=dhcp nfsaddrs=eth1:bootp rootdelay=5 kinit.debug noresume root=0801 root=LABEL=root\040fs rootwait drop_capabilities=cap_sys_module' \
		> "$W/misc"
	for f in disk nfs misc; do put "cmdline/$f" "$W/$f"; done
}
# cut NAME IMAGE BYTES: the first BYTES of a filesystem image as a seed
# (the probes read superblocks near the start; the rest is data).
cut() {
	head -c "$3" "$2" > "$W/cut"
	put "$1" "$W/cut"
}

# blank FILE SIZE: a sparse file to make a filesystem in.
blank() {
	rm -f "$1"
	truncate -s "$2" "$1"
}

# Filesystems as their mkfs writes them, cut after the superblock (and
# for FAT the root directory, where the label also is).
seeds_probe_fs() {
	mkdir -p "$W/tree/dir" && printf 'x\n' > "$W/tree/dir/file"
	blank "$W/ext4" 8M && mkfs.ext4 -q -F -L root -b 1024 "$W/ext4"
	cut probe_fs/ext4 "$W/ext4" 2048
	blank "$W/ext2" 1M && mkfs.ext2 -q -F -L old -b 1024 "$W/ext2"
	cut probe_fs/ext2 "$W/ext2" 2048
	blank "$W/fat12" 1M && mkfs.vfat -n BOOT "$W/fat12" >/dev/null
	cut probe_fs/vfat12 "$W/fat12" 8192
	blank "$W/fat32" 40M && mkfs.vfat -F 32 -n EFI "$W/fat32" >/dev/null
	cut probe_fs/vfat32 "$W/fat32" 1024
	rm -f "$W/sq" && mksquashfs "$W/tree" "$W/sq" -quiet -no-progress -noappend >/dev/null
	cut probe_fs/squashfs "$W/sq" 512
	blank "$W/xfs" 300M && mkfs.xfs -q -L data "$W/xfs"
	cut probe_fs/xfs "$W/xfs" 512
	blank "$W/btrfs" 120M && mkfs.btrfs -q -L pool "$W/btrfs" >/dev/null
	cut probe_fs/btrfs "$W/btrfs" 69632
	genisoimage -quiet -V CDROM -o "$W/iso" "$W/tree" 2>/dev/null
	cut probe_fs/iso9660 "$W/iso" 36864
	blank "$W/swap" 64K && mkswap -L swp "$W/swap" >/dev/null 2>&1
	cut probe_fs/swap "$W/swap" 4096
	blank "$W/f2fs" 64M && mkfs.f2fs -q -l f2 "$W/f2fs" >/dev/null
	cut probe_fs/f2fs "$W/f2fs" 3072
	rm -f "$W/erofs" && mkfs.erofs --quiet "$W/erofs" "$W/tree"
	cut probe_fs/erofs "$W/erofs" 2048
	blank "$W/minix" 64K && mkfs.minix -3 "$W/minix" >/dev/null
	cut probe_fs/minix "$W/minix" 2048
	rm -f "$W/cramfs" && mkfs.cramfs -n cram "$W/tree" "$W/cramfs" >/dev/null
	cut probe_fs/cramfs "$W/cramfs" 512
	printf 'x\n' | gzip -n > "$W/gz" && put probe_fs/gzip "$W/gz"
	# A LUKS2 binary header: magic, version, sizes, label, checksum
	# algorithm, salt, UUID, subsystem, its own offset (0), padding.
	perl -e 'print pack("a6 n a16 a48 a32 a64 a40 a48 Q> a248", "LUKS\xba\xbe",
		2, "", "cryptroot", "sha256", "",
		"3f1c2b9e-8d7a-4c55-9e61-0a2b3c4d5e6f", "", 0, "")' > "$W/luks"
	put probe_fs/luks "$W/luks"
}

# part NAME CONTROL IMAGE: a partition table seed, its control byte
# (fuzz_probe_parts.c) first.
part() {
	# shellcheck disable=SC2059
	{ printf "\\$(printf %03o "$2")"; cat "$3"; } > "$W/part"
	put "probe_parts/$1" "$W/part"
}

# Partition tables as sfdisk writes them, on disks small enough to keep
# whole: a GPT of four entries with its backup, the same in 4096-byte
# sectors (sectors 0-2 moved to 4 KiB boundaries; the LBAs stay), an
# MBR with an extended partition's EBR chain, and a GPT whose primary
# header is spoiled so that the backup is read.
seeds_probe_parts() {
	blank "$W/gpt" 32K
	printf '%s\n' 'label: gpt' 'table-length: 4' 'first-lba: 3' \
		'start=3, size=20, type=linux, name="root fs"' \
		'start=23, size=30, type=swap, name="swap"' | sfdisk -q "$W/gpt"
	part gpt 3 "$W/gpt"
	blank "$W/gpt4k" 12K
	for s in 0 1 2; do
		dd if="$W/gpt" of="$W/gpt4k" bs=512 skip=$s seek=$((s * 8)) \
			count=1 conv=notrunc status=none
	done
	part gpt-4k 9 "$W/gpt4k"
	cp "$W/gpt" "$W/gpt-backup"
	printf 'X' | dd of="$W/gpt-backup" bs=1 seek=600 conv=notrunc status=none
	part gpt-backup 2 "$W/gpt-backup"
	blank "$W/dos" 32K
	printf '%s\n' 'label: dos' 'start=1, size=10, type=83' \
		'start=12, size=50, type=5' 'start=14, size=10, type=83' \
		'start=30, size=20, type=82' | sfdisk -q "$W/dos"
	part dos 0 "$W/dos"
}

# A modules directory's index in depmod's layout, then requests: the
# parts in fuzz_kmod.c's order, cut at "%%" lines. Then a dependency
# cycle, and softdeps that loop.
seeds_kmod() {
	cat > "$W/index" <<'KMOD'
kernel/fs/ext4/ext4.ko.xz: kernel/fs/jbd2/jbd2.ko.xz kernel/fs/mbcache.ko.xz kernel/lib/crc16.ko.xz
kernel/fs/jbd2/jbd2.ko.xz:
kernel/fs/mbcache.ko.xz:
kernel/lib/crc16.ko.xz:
kernel/crypto/crc32c_generic.ko.xz:
kernel/drivers/virtio/virtio_ring.ko.xz:
kernel/drivers/virtio/virtio.ko.xz: kernel/drivers/virtio/virtio_ring.ko.xz
kernel/drivers/virtio/virtio_pci.ko.xz: kernel/drivers/virtio/virtio.ko.xz kernel/drivers/virtio/virtio_ring.ko.xz
kernel/drivers/block/virtio-blk.ko.xz: kernel/drivers/virtio/virtio.ko.xz kernel/drivers/virtio/virtio_ring.ko.xz
%%
# Aliases extracted from modules themselves.
alias fs-ext4 ext4
alias crypto-crc32c crc32c_generic
alias crc32c crc32c_generic
alias virtio:d00000002v* virtio_blk
alias pci:v00001AF4d*sv*sd*bc*sc*i* virtio_pci
alias devname:vd[a-z]-x virtio_blk
%%
# Soft dependencies extracted from modules themselves.
softdep ext4 pre: crc32c
softdep virtio_blk pre: virtio_pci post: crc16
softdep cifs gcm
%%
# Aliases for symbols, used by symbol_request().
alias symbol:jbd2_journal_start jbd2
%%
kernel/fs/binfmt_script.ko
kernel/drivers/char/mem.ko
%%
KMOD
	printf 'binfmt_script.alias=fs-script\0binfmt_script.license=GPL\0mem.alias=char-major-1-*\0' \
		>> "$W/index"
	cat >> "$W/index" <<'KMOD'

%%
kernel/lib/crc16.ko.xz
kernel/fs/mbcache.ko.xz
kernel/fs/jbd2/jbd2.ko.xz
kernel/fs/ext4/ext4.ko.xz
kernel/drivers/virtio/virtio_ring.ko.xz
%%
ext4
virtio:d00000002v00001AF4
pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00
symbol:jbd2_journal_start
fs-script
char-major-1-5
kernel/drivers/virtio/*
nosuch
KMOD
	put kmod/debian "$W/index"
	printf 'a.ko: b.ko\nb.ko: a.ko\n' > "$W/cycle"
	put kmod/cycle "$W/cycle"
	cat > "$W/loops" <<'KMOD'
a.ko: b.ko
b.ko:
c-d.ko.zst:
%%
alias x* c_d
alias x[0-9] a
%%
softdep a pre: c-d post: a
softdep c* pre: a b
softdep b post: nothing
%%
%%
%%
%%
%%
a
x1
c-d
KMOD
	put kmod/loops "$W/loops"
}

# Small ELF files compiled here: a dynamic PIE with an interpreter,
# DT_NEEDED and RUNPATH; a shared library with a SONAME and RUNPATH; a
# static executable with no dynamic section; a module-like object with
# a .modinfo section in both classes and both byte orders. The flags
# are split on purpose; '$ORIGIN' is the linker's, not the shell's.
# shellcheck disable=SC2016,SC2086
seeds_elf() {
	cat > "$W/hello.c" <<'C'
int puts(const char *);
int main(void) { return puts("hello") < 0; }
C
	cat > "$W/mod.c" <<'C'
static const char modinfo[] __attribute__((section(".modinfo"), used)) =
	"license=GPL\0firmware=virtio/fw.bin\0alias=virtio:d00000002v*\0depends=virtio_ring\0";
int init_module(void) { return 0; }
C
	cat > "$W/tiny.c" <<'C'
void _start(void) { __asm__ volatile("mov $60, %eax; xor %edi, %edi; syscall"); }
C
	small="-Os -g0 -fno-asynchronous-unwind-tables"
	lean="-Wl,--build-id=none -Wl,-z,noseparate-code"
	cc $small -s $lean -Wl,-rpath,'$ORIGIN/../lib' -o "$W/pie" "$W/hello.c"
	put elf/pie "$W/pie"
	cc $small -s -shared -fPIC $lean -Wl,-soname,libmod.so.1 \
		-Wl,--enable-new-dtags,-rpath,/opt/mod/lib -o "$W/so" "$W/mod.c"
	put elf/shared "$W/so"
	cc $small -s -static -nostdlib $lean -o "$W/static" "$W/tiny.c"
	put elf/static "$W/static"
	cc $small -c -o "$W/mod.o" "$W/mod.c"
	put elf/module64 "$W/mod.o"
	clang -m32 $small -c -o "$W/mod32.o" "$W/mod.c"
	put elf/module32 "$W/mod32.o"
	clang --target=powerpc64-linux-gnu $small -c -o "$W/modbe.o" "$W/mod.c"
	put elf/module-be "$W/modbe.o"
}

case $# in 0) set -- image list dhcp dhcp6 dns cmdline probe_fs probe_parts kmod elf ;; esac
for name; do "seeds_$name"; done
