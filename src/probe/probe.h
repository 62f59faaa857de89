/*
 * probe.h - what a device or image holds: its filesystem (type, UUID,
 * label, size) and its partition table (GPT or MBR, each partition's
 * PARTUUID and PARTLABEL).
 *
 * kinit uses it on the target to find root= by UUID=, LABEL=,
 * PARTUUID= or PARTLABEL= and to know the type to mount; fstype prints
 * it; the host library links it too. The layer only reads: pread(2) on
 * the caller's fd, nothing else. It never prints, exits or allocates,
 * keeps no state between calls, and trusts nothing it reads: every
 * offset and length taken from the device is checked against what was
 * read, so a hostile image yields "unknown", never a crash.
 *
 * Names and strings are the ones blkid(8) prints for TYPE=, UUID=,
 * LABEL=, PTTYPE=, PTUUID=, PARTUUID= and PARTLABEL=, so that what a
 * user copies from `blkid` matches. Sizes follow klibc's fstype FSSIZE
 * where klibc knows the type (see probe_fs.size).
 */
#ifndef ES_PROBE_PROBE_H
#define ES_PROBE_PROBE_H

#include <stdint.h>

/* A device or image file open for reading. */
struct probe_dev {
	int fd;
	uint64_t size;		/* bytes; 0: unknown (reads find the end) */
	unsigned sector_size;	/* logical sector size; 0: unknown */
};

/* Fills d for fd: a regular file's length, a block device's size and
 * logical sector size (BLKGETSIZE64, BLKSSZGET); 0 (unknown) for
 * anything else. Returns 0 or -errno (fstat failed). */
int probe_dev_init(struct probe_dev *d, int fd);

#define PROBE_TYPE_MAX 16u
#define PROBE_UUID_MAX 40u
#define PROBE_LABEL_MAX 256u

struct probe_fs {
	/* blkid's TYPE: "ext2", "ext3", "ext4", "ext4dev", "jbd", "xfs",
	 * "btrfs", "vfat", "exfat", "iso9660", "squashfs", "squashfs3",
	 * "erofs", "f2fs", "swap", "swsuspend" (a hibernation image in a
	 * swap area), "cramfs", "romfs", "minix", "jfs", "nilfs2",
	 * "reiserfs", "gfs2", "ocfs2", "crypto_LUKS", "LVM2_member", and
	 * "gzip" (not a filesystem: klibc's fstype reports it). */
	char type[PROBE_TYPE_MAX];
	/* As blkid prints UUID=: lower-case dashed for 16-byte UUIDs;
	 * "ABCD-1234" for vfat and exfat; "YYYY-MM-DD-HH-MM-SS-cc" for
	 * iso9660; the stored text for LUKS; LVM's dashed 32-character id.
	 * "" when the type has none or it is all zero. */
	char uuid[PROBE_UUID_MAX];
	/* UTF-8 (UTF-16 labels converted), trailing white space removed,
	 * cut at a character boundary to fit; "" if none. Other labels are
	 * copied byte for byte, as blkid does. */
	char label[PROBE_LABEL_MAX];
	/* Bytes, as klibc's fstype prints FSSIZE for the types it knows
	 * (0 for swap, swsuspend, iso9660, crypto_LUKS, LVM2_member, gfs2,
	 * ocfs2, gzip, cramfs without its v2 flag); for squashfs 4 the
	 * superblock's bytes_used (klibc reads a squashfs 3 field there).
	 * For the other types the filesystem's own size, 0 if unknown. */
	uint64_t size;
};

/*
 * Identifies the filesystem on d. Strong signatures are tried before
 * weak ones (FAT's boot sector, gzip's two bytes), and signatures that
 * mkfs tools leave behind (the first 1 KiB that mkswap keeps, an old
 * superblock deeper in the device) cannot hide the newer one.
 * Returns 1 identified (out filled), 0 unknown (out zeroed), -errno on
 * a read error. An image shorter than a type's superblock is simply
 * not that type.
 */
int probe_filesystem(const struct probe_dev *d, struct probe_fs *out);

#define PROBE_PARTLABEL_MAX 112u	/* 36 UTF-16 units as UTF-8, + NUL */

struct probe_part {
	unsigned number;	/* the kernel's: sdaN, nvme0n1pN */
	uint64_t start;		/* in 512-byte units, whatever the sector */
	uint64_t sectors;	/* size, in 512-byte units */
	/* GPT: the partition type GUID; MBR: the type byte as blkid
	 * prints it, "0x83", "0xc". */
	char type[PROBE_UUID_MAX];
	/* PARTUUID: GPT's unique partition GUID, lower-case; MBR:
	 * "ssssssss-pp", disk signature and partition number in
	 * lower-case hex, as the kernel and blkid write it. */
	char uuid[PROBE_UUID_MAX];
	char label[PROBE_PARTLABEL_MAX];	/* PARTLABEL (GPT only) */
};

struct probe_table {
	char type[8];		/* "gpt" or "dos" */
	char uuid[PROBE_UUID_MAX]; /* PTUUID: disk GUID, or "%08x" */
	unsigned sector_size;	/* the sector size the table was read in */
	struct probe_part *parts; /* the caller's array of cap entries */
	unsigned cap;
	unsigned n;		/* entries filled, in the kernel's order */
	unsigned dropped;	/* partitions found that did not fit */
};

/*
 * Reads d's partition table into out (the caller sets parts and cap;
 * everything else is overwritten).
 *
 * GPT needs a protective MBR (a partition of type 0xEE, alone or in a
 * hybrid MBR); its header is looked for at LBA 1 in d's sector size, or
 * in 512 and 4096-byte sectors when that is unknown. The header's and
 * the entry array's CRC32 are checked; when the primary is bad the
 * backup at the last LBA is used. Empty entries are skipped, the
 * others keep their index + 1 as number.
 *
 * MBR ("dos"): the four primary slots numbered 1-4, and the logical
 * partitions of an extended one (type 0x05, 0x0f or 0x85) numbered from
 * 5 along its EBR chain, as the kernel does; the chain ends at a loop,
 * a bad EBR or after 100 links. A FAT, exFAT or NTFS boot sector is not
 * taken for an MBR. A protective MBR whose GPT is unreadable is no
 * table at all (the kernel ignores it too).
 *
 * Returns 1 found, 0 no table, -errno on a read error.
 */
int probe_partitions(const struct probe_dev *d, struct probe_table *out);

#endif
