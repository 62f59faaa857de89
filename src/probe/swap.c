/*
 * swap.c - swap areas and hibernation images in them (the kernel's
 * include/linux/swap.h union swap_header; kernel/power/swap.c writes
 * its signature over the swap one). The signature ends the first page,
 * whose size is the writer's: 4 to 64 KiB are tried. "SWAPSPACE2" (and
 * the old "SWAP-SPACE") is "swap"; "S1SUSPEND", "S2SUSPEND",
 * "ULSUSPEND", "LINHIB0001", or TuxOnIce's magic at 0, is "swsuspend"
 * (klibc's fstype calls it "suspend"). The version-1 header at 1 KiB
 * gives UUID and LABEL when its padding is clean, as blkid checks.
 * FSSIZE is 0, as klibc's.
 */
#include "probe/internal.h"

#include <string.h>

#define SWAP_HDR 1024u
#define SWAP_VERSION 0
#define SWAP_LAST_PAGE 4
#define SWAP_UUID 12
#define SWAP_LABEL 28
#define SWAP_LABEL_LEN 16u
#define SWAP_PAD32 172		/* padding[32] and [33]: zero in mkswap's */
#define SWAP_HDR_LEN 180u
#define SWAP_SIG_LEN 10u

static const uint8_t toi_magic[8] = { 0xed, 0xc3, 0x02, 0xe9,
				       0x98, 0x56, 0xe5, 0x0c };

enum swap_kind { SWAP_NONE, SWAP_V0, SWAP_V1, SWAP_SUSPEND };

static enum swap_kind
swap_kind(const uint8_t *sig)
{
	if (memcmp(sig, "SWAP-SPACE", SWAP_SIG_LEN) == 0)
		return SWAP_V0;
	if (memcmp(sig, "SWAPSPACE2", SWAP_SIG_LEN) == 0)
		return SWAP_V1;
	if (memcmp(sig, "S1SUSPEND", 9) == 0 ||
	    memcmp(sig, "S2SUSPEND", 9) == 0 ||
	    memcmp(sig, "ULSUSPEND", 9) == 0 ||
	    memcmp(sig, "LINHIB0001", SWAP_SIG_LEN) == 0)
		return SWAP_SUSPEND;
	return SWAP_NONE;
}

/* Finds the signature at the end of a 4-64 KiB page: kind or -errno. */
static int
find_signature(struct probe_ctx *c)
{
	for (uint64_t page = 4096; page <= 65536; page *= 2) {
		const uint8_t *sig;
		int r = probe_at(c, page - SWAP_SIG_LEN, SWAP_SIG_LEN, &sig);

		if (r <= 0)
			return r < 0 ? r : SWAP_NONE;
		if ((r = swap_kind(sig)) != SWAP_NONE)
			return r;
	}
	return SWAP_NONE;
}

int
probe_swap(struct probe_ctx *c, struct probe_fs *out)
{
	const uint8_t *h;
	bool toi;
	int kind;

	if (probe_at(c, 0, sizeof(toi_magic), &h) <= 0)
		return 0;
	toi = memcmp(h, toi_magic, sizeof(toi_magic)) == 0;
	kind = find_signature(c);
	if (kind < 0)
		return kind;
	if (toi)
		kind = SWAP_SUSPEND;	/* it keeps a valid swap signature */
	if (kind == SWAP_NONE || probe_at(c, SWAP_HDR, SWAP_HDR_LEN, &h) <= 0)
		return 0;
	if (kind == SWAP_V1 && ((le32(h + SWAP_VERSION) != 1 &&
				 be32(h + SWAP_VERSION) != 1) ||
				le32(h + SWAP_LAST_PAGE) == 0))
		return 0;
	probe_set_type(out, kind == SWAP_SUSPEND ? "swsuspend" : "swap");
	if (kind != SWAP_V0 && le32(h + SWAP_PAD32) == 0 &&
	    le32(h + SWAP_PAD32 + 4) == 0) {
		probe_set_uuid(out, h + SWAP_UUID);
		probe_set_label(out, h + SWAP_LABEL, SWAP_LABEL_LEN);
	}
	return 1;
}
