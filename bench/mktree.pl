#!/usr/bin/perl
# mktree.pl DIR: writes the benchmark input tree into DIR (which must not
# exist yet), shaped like an uncompressed Debian 12 initramfs built with
# MODULES=most: usrmerge symlinks at the top, about 1,000 kernel modules
# several levels deep, shared libraries with soname symlinks, binaries
# (e2fsck with its fsck.* hard links), initramfs-tools scripts and conf,
# udev rules and a handful of firmware blobs of 5-20 MiB.  About 1,400
# regular files and 120 MB in all.
#
# Deterministic: one seeded PRNG (perl's own drand48 since 5.20, the same
# on every platform) decides names, sizes and content, and every inode
# gets the same mtime.  Binary content is a mix of 4 KiB blocks (random,
# 4-bit low entropy, mostly zero) that compresses about 2x, close to real
# modules; text files are made of words.  Change $VERSION in run.sh when
# this file changes so cached trees are rebuilt.
use strict;
use warnings;

my $dir = shift or die "usage: $0 DIR\n";
die "$0: $dir already exists\n" if -e $dir;

my $SEED  = 20240601;
my $MTIME = 1700000000;    # 2023-11-14, any fixed instant will do
my $KVER  = '6.1.0-18-amd64';
my $KIB   = 1024;
my $MIB   = 1024 * 1024;

srand($SEED);
mkdir $dir or die "$0: mkdir $dir: $!\n";
chmod 0755, $dir;

my (%seen, @dirs, @links, $nfiles, $nbytes);

sub rnd { int(rand($_[0])) }

# log-uniform size in [lo, hi): many small, few big, like real files
sub logsize { my ($lo, $hi) = @_; int(exp(log($lo) + rand(log($hi / $lo)))) }

sub small  { logsize(1 * $KIB,   64 * $KIB) }
sub medium { logsize(100 * $KIB, 2 * $MIB) }

sub mkdirs {
	my ($path) = @_;
	my $acc = $dir;
	for my $c (split m{/}, $path) {
		$acc .= "/$c";
		next if -d $acc;
		mkdir $acc or die "$0: mkdir $acc: $!\n";
		chmod 0755, $acc;
		push @dirs, $acc;
	}
}

sub randblock {
	my ($n) = @_;
	substr(pack('L*', map { rnd(4294967296) } 1 .. ($n + 3) >> 2), 0, $n);
}

my $LOW = "\x0f" x 4096;
sub binary {
	my ($size) = @_;
	my $out = '';
	while (length($out) < $size) {
		my $n = $size - length($out);
		$n = 4096 if $n > 4096;
		my $kind = rand();
		if ($kind < 0.20) {
			$out .= randblock($n);
		} elsif ($kind < 0.55) {
			$out .= randblock($n) & substr($LOW, 0, $n);
		} else {
			my $b = "\0" x $n;
			substr($b, rnd($n), 1) = chr(rnd(256)) for 1 .. $n >> 6;
			$out .= $b;
		}
	}
	$out;
}

my @WORDS = qw(if then else fi for do done case esac in echo exit
	local return modprobe mount umount root rootfs init panic log
	wait_for_udev resume boot quiet splash break export PATH /sbin
	/bin /usr/bin /dev /proc /sys /run -e -f -n -z && || ; $1 $@
	"${ROOT}" conf/param.conf run_scripts /scripts/local-top);
sub text {
	my ($size) = @_;
	my $out = "#!/bin/sh\n";
	while (length($out) < $size) {
		my $line = "\t" x rnd(4);
		$line .= $WORDS[rnd(scalar @WORDS)] . ' ' for 0 .. rnd(9);
		$out .= "$line\n";
	}
	substr($out, 0, $size);
}

sub file {
	my ($path, $size, $mode, $kind) = @_;
	die "$0: duplicate $path\n" if $seen{$path}++;
	(my $parent = $path) =~ s{/[^/]*$}{};
	mkdirs($parent) if $parent ne $path;
	my $data = $kind eq 'text' ? text($size) : binary($size);
	open(my $fh, '>:raw', "$dir/$path") or die "$0: $dir/$path: $!\n";
	print $fh $data or die "$0: write $dir/$path: $!\n";
	close $fh or die "$0: close $dir/$path: $!\n";
	chmod $mode, "$dir/$path";
	$nfiles++;
	$nbytes += $size;
}

sub symlink_to {
	my ($target, $path) = @_;
	(my $parent = $path) =~ s{/[^/]*$}{};
	mkdirs($parent) if $parent ne $path;
	symlink($target, "$dir/$path") or die "$0: symlink $path: $!\n";
	push @links, "$dir/$path";
}

sub hardlink {
	my ($existing, $path) = @_;
	link("$dir/$existing", "$dir/$path") or die "$0: link $path: $!\n";
}

# syllables for module, library and firmware names
my @SYL = qw(ata ahci pata sata nv via sis amd intel e1000 igb ixgbe
	mlx bnx tg3 r8169 virtio scsi sd sr mpt lpfc qla hid usb xhci ehci
	uhci storage uas i2c spi gpio pinctrl mfd drm ttm fb snd crc crypto
	aes sha gcm xts dm raid md btrfs xfs ext4 jbd2 fat nls cp437 iso
	udf nfs sunrpc lockd fuse overlay squashfs zstd lz4 xxhash nvme
	mmc sdhci thunderbolt tpm efi acpi wmi led input evdev serio psmouse
	atkbd ps2 kbd elan synaptics alps hyperv vmw xen blk net core common);
sub name {
	my $n = $SYL[rnd(scalar @SYL)];
	$n .= ($_[0] // '_') . $SYL[rnd(scalar @SYL)] if rand() < 0.7;
	$n .= rnd(100) if rand() < 0.2;
	$n;
}

# --- top level: usrmerge layout, init, conf -----------------------------
mkdirs($_) for qw(usr/bin usr/sbin usr/lib usr/lib64 dev proc sys run
	tmp var/lock etc conf/conf.d);
symlink_to("usr/$_", $_) for qw(bin sbin lib lib64);
file('init', logsize(8 * $KIB, 12 * $KIB), 0755, 'text');
file("conf/$_", small(), 0644, 'text') for qw(initramfs.conf arch.conf);
file("conf/conf.d/$_", 1 * $KIB + rnd(2048), 0644, 'text')
	for qw(resume zz-resume-auto);
file("etc/$_", small(), 0644, 'text')
	for qw(fstab ld.so.conf lvm/lvm.conf mdadm/mdadm.conf
	udev/udev.conf modprobe.d/blacklist.conf modprobe.d/amd64-microcode-blacklist.conf);
file('etc/ld.so.cache', logsize(20 * $KIB, 60 * $KIB), 0644, 'binary');
symlink_to('/proc/mounts', 'etc/mtab');

# --- initramfs-tools scripts: `local` sorts before `local-top/` ----------
file("scripts/$_", small(), 0755, 'text') for qw(functions local nfs);
for my $d (qw(init-top init-premount init-bottom local-top local-block
	local-premount local-bottom nfs-top nfs-premount nfs-bottom panic)) {
	file("scripts/$d/ORDER", 1 * $KIB + rnd(1024), 0644, 'text');
	file("scripts/$d/" . name('-'), small(), 0755, 'text')
		for 1 .. 1 + rnd(4);
}

# --- binaries and libraries ---------------------------------------------
my @bins = qw(busybox kmod udevadm dmesg mount umount loadkeys setfont
	plymouth cat ls sh cpio run-init ipconfig nfsmount fstype ntfs-3g
	keyctl chvt);
my @sbins = qw(e2fsck blkid dmsetup lvm mdadm cryptsetup fsck losetup
	modprobe.d-helper wait-for-root hwclock switch_root pivot_root
	mount.nfs mount.ntfs btrfs xfs_repair fsck.btrfs rmmod insmod
	depmod plymouthd);
for my $b (@bins) {
	file("usr/bin/$b", rand() < 0.3 ? medium() : small(), 0755, 'binary');
}
for my $b (@sbins) {
	file("usr/sbin/$b", rand() < 0.3 ? medium() : small(), 0755, 'binary');
}
hardlink('usr/sbin/e2fsck', "usr/sbin/fsck.$_") for qw(ext2 ext3 ext4);
hardlink('usr/bin/kmod', 'usr/bin/kmod.static');
symlink_to('kmod', "usr/bin/$_") for qw(lsmod);
symlink_to('../bin/kmod', "usr/sbin/$_") for qw(modprobe modinfo);

symlink_to('../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
	'usr/lib64/ld-linux-x86-64.so.2');
file('usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', medium(), 0755, 'binary');
file('usr/lib/x86_64-linux-gnu/libc.so.6', 1_900 * $KIB, 0755, 'binary');
for (1 .. 40) {
	my $lib = 'lib' . name('');
	my $ver = sprintf '%d.%d.%d', 1 + rnd(3), rnd(20), rnd(10);
	my $so = "usr/lib/x86_64-linux-gnu/$lib.so.$ver";
	next if $seen{$so};
	file($so, rand() < 0.6 ? medium() : small(), 0644, 'binary');
	(my $soname = "$lib.so.$ver") =~ s/\.\d+\.\d+$//;
	symlink_to("$lib.so.$ver", "usr/lib/x86_64-linux-gnu/$soname")
		unless -l "$dir/usr/lib/x86_64-linux-gnu/$soname";
}
file("usr/lib/x86_64-linux-gnu/plymouth/$_.so", small(), 0644, 'binary')
	for qw(details text label script two-step);
file("usr/lib/udev/rules.d/" . (50 + rnd(50)) . '-' . name('-') . '.rules',
	small(), 0644, 'text') for 1 .. 30;
file("usr/lib/udev/$_", small(), 0755, 'binary')
	for qw(ata_id scsi_id cdrom_id dmi_memory_id);

# --- kernel modules: the bulk of the files ------------------------------
my $kdir = "usr/lib/modules/$KVER";
my %mods = (
	'arch/x86/crypto' => 25, 'crypto' => 70, 'lib' => 25,
	'lib/crypto' => 8, 'fs' => 6, 'fs/nls' => 45,
	'fs/ext4' => 1, 'fs/jbd2' => 1, 'fs/xfs' => 1, 'fs/btrfs' => 1,
	'fs/fat' => 3, 'fs/isofs' => 1, 'fs/udf' => 1, 'fs/fuse' => 2,
	'fs/overlayfs' => 1, 'fs/squashfs' => 1, 'fs/nfs' => 4,
	'fs/nfs_common' => 2, 'fs/lockd' => 1, 'net/sunrpc' => 3,
	'net/ipv6' => 6, 'net/packet' => 2, 'net/9p' => 3,
	'drivers/ata' => 50, 'drivers/block' => 20,
	'drivers/block/zram' => 1, 'drivers/md' => 30,
	'drivers/md/persistent-data' => 3, 'drivers/scsi' => 70,
	'drivers/scsi/mpt3sas' => 1, 'drivers/scsi/megaraid' => 3,
	'drivers/scsi/qla2xxx' => 1, 'drivers/scsi/lpfc' => 1,
	'drivers/scsi/aacraid' => 1, 'drivers/scsi/device_handler' => 4,
	'drivers/nvme/host' => 5, 'drivers/nvme/common' => 1,
	'drivers/net' => 20, 'drivers/net/ethernet/intel/e1000' => 1,
	'drivers/net/ethernet/intel/e1000e' => 1,
	'drivers/net/ethernet/intel/igb' => 1,
	'drivers/net/ethernet/intel/ixgbe' => 1,
	'drivers/net/ethernet/intel/ice' => 1,
	'drivers/net/ethernet/broadcom' => 6,
	'drivers/net/ethernet/broadcom/bnx2x' => 1,
	'drivers/net/ethernet/realtek' => 3,
	'drivers/net/ethernet/mellanox/mlx5/core' => 1,
	'drivers/net/ethernet/mellanox/mlx4' => 2,
	'drivers/net/ethernet/amazon/ena' => 1,
	'drivers/usb/host' => 20, 'drivers/usb/storage' => 25,
	'drivers/usb/core' => 2, 'drivers/usb/common' => 3,
	'drivers/usb/typec' => 8, 'drivers/hid' => 90,
	'drivers/hid/usbhid' => 3, 'drivers/hid/i2c-hid' => 4,
	'drivers/input' => 10, 'drivers/input/keyboard' => 30,
	'drivers/input/mouse' => 15, 'drivers/input/serio' => 10,
	'drivers/input/misc' => 25, 'drivers/gpu/drm' => 15,
	'drivers/gpu/drm/amd/amdgpu' => 1, 'drivers/gpu/drm/i915' => 1,
	'drivers/gpu/drm/nouveau' => 1, 'drivers/gpu/drm/radeon' => 1,
	'drivers/gpu/drm/virtio' => 1, 'drivers/gpu/drm/ast' => 1,
	'drivers/gpu/drm/display' => 2, 'drivers/gpu/drm/ttm' => 1,
	'drivers/virtio' => 8, 'drivers/mmc/core' => 5,
	'drivers/mmc/host' => 40, 'drivers/firmware/efi' => 3,
	'drivers/crypto' => 20, 'drivers/crypto/ccp' => 3,
	'drivers/platform/x86' => 60, 'drivers/pinctrl/intel' => 25,
	'drivers/i2c/busses' => 45, 'drivers/i2c/algos' => 3,
	'drivers/thunderbolt' => 1, 'drivers/nvdimm' => 6,
	'drivers/char' => 10, 'drivers/char/tpm' => 6, 'drivers/acpi' => 12,
	'drivers/video/fbdev/core' => 6, 'drivers/mfd' => 30,
	'drivers/gpio' => 20, 'drivers/spi' => 15, 'drivers/hv' => 3,
	'drivers/xen' => 4, 'drivers/leds' => 8, 'drivers/dma' => 10,
);
for my $sub (sort keys %mods) {
	for (1 .. $mods{$sub}) {
		my $ko = "$kdir/kernel/$sub/" . name('_') . '.ko';
		next if $seen{$ko};
		file($ko, rand() < 0.04 ? medium() : logsize(4 * $KIB, 64 * $KIB),
			0644, 'binary');
	}
}
file("$kdir/$_", logsize(100 * $KIB, 1 * $MIB), 0644, 'binary')
	for qw(modules.dep.bin modules.alias modules.alias.bin
	modules.symbols modules.symbols.bin modules.builtin.modinfo);
file("$kdir/$_", small(), 0644, 'text')
	for qw(modules.dep modules.order modules.builtin modules.builtin.bin
	modules.builtin.alias.bin modules.softdep modules.devname);

# --- firmware: many small blobs and a few very big ones ------------------
my @fwdirs = qw(amdgpu i915 radeon nvidia/tu102/gsp rtl_nic bnx2 bnx2x
	qed mellanox intel/ice/ddp);
for (1 .. 120) {
	my $fw = 'usr/lib/firmware/' . $fwdirs[rnd(scalar @fwdirs)] . '/'
		. name('_') . '.bin';
	next if $seen{$fw};
	file($fw, rand() < 0.08 ? medium() : small(), 0644, 'binary');
}
file("usr/lib/firmware/$_->[0]", $_->[1] * $MIB + rnd($MIB), 0644, 'binary')
	for ['nvidia/tu102/gsp/gsp-5258902.bin', 17],
	['amdgpu/navi10_ta.bin', 6], ['i915/adlp_dmc_huc.bin', 8],
	['intel/ice/ddp/ice-1.3.30.0.pkg', 11];

# --- fixed timestamps last: creating entries changed the directories' ---
utime($MTIME, $MTIME, "$dir/$_") for keys %seen;
system('touch', '-h', '-d', "\@$MTIME", @links) == 0
	or die "$0: touch -h failed\n";
utime($MTIME, $MTIME, $_) for reverse(@dirs), $dir;

printf "mktree: %d files, %d symlinks, %d dirs, %.1f MiB in %s\n",
	$nfiles, scalar(@links), scalar(@dirs), $nbytes / $MIB, $dir;
