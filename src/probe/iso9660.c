/*
 * iso9660.c - ISO 9660 (ECMA-119) and its older High Sierra form: the
 * volume descriptors from sector 16 (2 KiB each) up to the terminator.
 * UUID is the primary descriptor's modification date (its creation
 * date if that is unset) as "YYYY-MM-DD-HH-MM-SS-cc", the label its
 * volume identifier, as blkid makes them. With a Joliet supplementary
 * descriptor the label is Joliet's UTF-16BE one, lengthened from the
 * primary's ASCII one when that goes on where Joliet's 16 characters
 * stop ('_' in either standing for a character the other holds).
 * FSSIZE is 0, as klibc's.
 * Limits: only the first session; no Rock Ridge or UDF bridge.
 */
#include "probe/internal.h"

#include <string.h>

#define ISO_VD_FIRST 0x8000u
#define ISO_VD_SIZE 0x800u
#define ISO_VD_MAX 32u		/* descriptors looked at */
#define ISO_VD_PRIMARY 1
#define ISO_VD_SUPPLEMENTARY 2
#define ISO_VD_END 255

#define ISO_VOLUME_ID 40
#define ISO_ID_LEN 32u
#define ISO_ESCAPES 88
#define ISO_CREATED 813
#define ISO_MODIFIED 830
#define HS_VOLUME_ID 48

struct iso_found {
	uint8_t pvd_label[ISO_ID_LEN];
	uint8_t joliet_label[ISO_ID_LEN];
	uint8_t created[17], modified[17];
	bool pvd, joliet;
};

static bool
is_joliet(const uint8_t *vd)
{
	return vd[0] == ISO_VD_SUPPLEMENTARY &&
	       (memcmp(vd + ISO_ESCAPES, "%/@", 3) == 0 ||
		memcmp(vd + ISO_ESCAPES, "%/C", 3) == 0 ||
		memcmp(vd + ISO_ESCAPES, "%/E", 3) == 0);
}

/* Walks the descriptors: 1 a primary was found, 0, -errno. */
static int
read_descriptors(struct probe_ctx *c, struct iso_found *f)
{
	for (unsigned i = 0; i < ISO_VD_MAX; i++) {
		const uint8_t *vd;
		int r = probe_at(c, ISO_VD_FIRST + (uint64_t)i * ISO_VD_SIZE,
				 ISO_VD_SIZE, &vd);

		if (r < 0)
			return r;
		if (r == 0 || memcmp(vd + 1, "CD001", 5) != 0 ||
		    vd[0] == ISO_VD_END)
			break;
		if (vd[0] == ISO_VD_PRIMARY && !f->pvd) {
			f->pvd = true;
			memcpy(f->pvd_label, vd + ISO_VOLUME_ID, ISO_ID_LEN);
			memcpy(f->created, vd + ISO_CREATED, 17);
			memcpy(f->modified, vd + ISO_MODIFIED, 17);
		} else if (!f->joliet && is_joliet(vd)) {
			f->joliet = true;
			memcpy(f->joliet_label, vd + ISO_VOLUME_ID, ISO_ID_LEN);
		}
	}
	return f->pvd;
}

/* "YYYYMMDDHHMMSScc" + zone: false when unset (all '0', zone 0). */
static bool
set_date_uuid(struct probe_fs *out, const uint8_t d[17])
{
	char *u = out->uuid;

	if (d[16] == 0 && memcmp(d, "0000000000000000", 16) == 0)
		return false;
	for (unsigned i = 0; i < 16; i++) {
		if (i >= 4 && i % 2 == 0)
			*u++ = '-';
		*u++ = (char)d[i];
	}
	*u = '\0';
	return true;
}

static uint8_t
upper(uint8_t ch)
{
	return ch >= 'a' && ch <= 'z' ? (uint8_t)(ch - 'a' + 'A') : ch;
}

/* Joliet's label (16 UTF-16BE units), checked against the primary's
 * ASCII one and continued by it, into m (UTF-16BE). The number of
 * units written, 0 when they disagree. */
static size_t
merge_labels(const uint8_t *joliet, const uint8_t *ascii, uint8_t *m)
{
	const size_t units = ISO_ID_LEN / 2;
	size_t a = 0, o = 0;

	for (size_t u = 0; u < units && a < ISO_ID_LEN; u++, a++) {
		uint16_t ch = be16(joliet + 2 * u);

		if (ascii[a] == '_') {
			memcpy(m + 2 * o++, joliet + 2 * u, 2);
			if (ch >= 0xd800 && ch < 0xdc00 && u + 1 < units)
				memcpy(m + 2 * o++, joliet + 2 * ++u, 2);
			continue;
		}
		if (ch != '_' &&
		    (ch >= 0x80 || upper((uint8_t)ch) != upper(ascii[a])))
			return 0;
		if (ch != '_' && ascii[a] >= 'A' && ascii[a] <= 'Z')
			m[2 * o + 1] = (uint8_t)ch;
		else
			m[2 * o + 1] = ascii[a];
		m[2 * o++] = 0;
	}
	for (; a < ISO_ID_LEN; a++, o++) {
		m[2 * o] = 0;
		m[2 * o + 1] = ascii[a];
	}
	return o;
}

static int
probe_high_sierra(struct probe_ctx *c, struct probe_fs *out)
{
	const uint8_t *vd;
	int r = probe_at(c, ISO_VD_FIRST, ISO_VD_SIZE, &vd);

	if (r <= 0 || memcmp(vd + 9, "CDROM", 5) != 0)
		return r < 0 ? r : 0;
	probe_set_type(out, "iso9660");
	probe_set_label(out, vd + HS_VOLUME_ID, ISO_ID_LEN);
	return 1;
}

int
probe_iso9660(struct probe_ctx *c, struct probe_fs *out)
{
	struct iso_found f = { .pvd = false };
	uint8_t merged[4 * ISO_ID_LEN];
	size_t units;
	int r = read_descriptors(c, &f);

	if (r <= 0)
		return r < 0 ? r : probe_high_sierra(c, out);
	probe_set_type(out, "iso9660");
	if (!set_date_uuid(out, f.modified))
		set_date_uuid(out, f.created);
	if (!f.joliet)
		probe_set_label(out, f.pvd_label, ISO_ID_LEN);
	else if ((units = merge_labels(f.joliet_label, f.pvd_label, merged)))
		probe_set_label16(out, merged, units, true);
	else
		probe_set_label16(out, f.joliet_label, ISO_ID_LEN / 2, true);
	return 1;
}
