/*
 * lvm2.c - LVM2 physical volumes ("LVM2_member"): the label in one of
 * the first four sectors (LVM2's lib/label/label.h and
 * lib/format_text/layout.h): "LABELONE", the sector's own number, a
 * CRC-32 (seed 0xf597a6cf) from offset 20 to the sector's end, type
 * "LVM2 001", then the PV header whose 32-character id blkid prints
 * dashed 6-4-4-4-4-4-6 as UUID. FSSIZE is 0, as klibc's.
 */
#include "probe/internal.h"

#include <string.h>

#define LVM_SECTOR 512u
#define LVM_SECTORS 4u
#define LVM_SECTOR_XL 8
#define LVM_CRC 16
#define LVM_CRC_FROM 20
#define LVM_TYPE 24
#define LVM_PV_UUID 32
#define LVM_ID_LEN 32u
#define LVM_CRC_SEED 0xf597a6cfu

static void
lvm_uuid(char *dst, const uint8_t *id)
{
	for (unsigned i = 0; i < LVM_ID_LEN; i++) {
		if (i >= 6 && i <= 26 && (i - 6) % 4 == 0)
			*dst++ = '-';
		*dst++ = (char)id[i];
	}
	*dst = '\0';
}

int
probe_lvm2(struct probe_ctx *c, struct probe_fs *out)
{
	for (unsigned s = 0; s < LVM_SECTORS; s++) {
		const uint8_t *l;
		int r = probe_at(c, (uint64_t)s * LVM_SECTOR, LVM_SECTOR, &l);

		if (r <= 0)
			return r;
		if (memcmp(l, "LABELONE", 8) != 0 ||
		    memcmp(l + LVM_TYPE, "LVM2 001", 8) != 0 ||
		    le64(l + LVM_SECTOR_XL) != s ||
		    probe_crc32(LVM_CRC_SEED, l + LVM_CRC_FROM,
				LVM_SECTOR - LVM_CRC_FROM) != le32(l + LVM_CRC))
			continue;
		probe_set_type(out, "LVM2_member");
		lvm_uuid(out->uuid, l + LVM_PV_UUID);
		return 1;
	}
	return 0;
}
