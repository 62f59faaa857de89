/*
 * test_codec_lzo_lz4_zstd.c - the lzo, lz4 (legacy frame) and zstd
 * codecs (src/codec/lzo.c, lz4.c, zstd.c): round trips fed and drained
 * in tiny and large steps, where each member ends, truncation, bit
 * flips, the kernel's limits (lib/decompress_unlzo.c, unlz4.c,
 * unzstd.c), streams of the lzop, lz4 and zstd tools in both
 * directions, and zstd output that does not depend on the thread count.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include <lz4.h>
#include <lzo/lzo1x.h>
#include <zstd.h>

#include "codec/codec.h"
#include "membuf.h"

#define MiB		(1024 * 1024)
#define KiB		1024
#define TINY		1	/* a step of 1..7 bytes, cycling */
#define WHOLE		0	/* everything in one step */
#define LZO_BLOCK	(256 * KiB)
#define LZ4_CHUNK	(8 * MiB)

/* ---- test data ---- */

static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Segments of random bytes, text-like words and byte runs, of random
 * lengths up to 320 KiB (a quarter of n when smaller), so blocks mix
 * all three and some 256 KiB lzo blocks do not compress. */
static void
mixed_data(struct membuf *b, size_t n, uint32_t seed)
{
	static const char *const words[] = {
		"initramfs ", "kernel ", "cpio ", "newc ", "/lib/modules/",
		"070701", "root ", "\n", "zstd ", "0000", "mount ", "init ",
	};
	uint32_t s = seed | 1;

	while (b->len < n) {
		size_t seg = 1 + rnd(&s) % (n / 4 < 320 * KiB ?
					    n / 4 + 1 : 320 * KiB), end;
		uint32_t kind = rnd(&s) % 3;

		end = b->len + seg < n ? b->len + seg : n;
		while (b->len < end) {
			uint8_t c = (uint8_t)rnd(&s);

			if (kind == 0) {
				mb_append(b, &c, 1);
			} else if (kind == 1) {
				const char *w = words[c % 12];
				size_t k = strlen(w);

				mb_append(b, w, k < end - b->len ?
					  k : end - b->len);
			} else {
				size_t k = 1 + c % 200;

				mb_fill(b, (uint8_t)(c >> 3),
					k < end - b->len ? k : end - b->len);
			}
		}
	}
}

static size_t
step_len(size_t step, size_t k)
{
	return step == TINY ? 1 + k % 7 : step;
}

/* ---- encoding ---- */

static void
read_fd(int fd, struct membuf *b)
{
	uint8_t tmp[64 * KiB];
	ssize_t r;

	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	while ((r = read(fd, tmp, sizeof(tmp))) > 0)
		mb_append(b, tmp, (size_t)r);
	assert_int_equal(r, 0);
}

/* Compresses p with c into b, writing `step` bytes a call (WHOLE: one
 * call; TINY: 1..7). */
static void
encode_step(const struct codec *c, int level, int threads, const void *p,
	    size_t n, size_t step, struct membuf *b)
{
	struct encode_params params = { .level = level, .threads = threads };
	const uint8_t *s = p;
	char msg[CODEC_MSG_SIZE] = "";
	struct outbuf o;
	struct encoder *e;
	int fd = memfd_create("enc", MFD_CLOEXEC);

	assert_true(fd >= 0);
	out_init(&o, fd);
	e = c->encoder_new(&params, &o, msg);
	if (!e)
		fail_msg("%s encoder_new: %s", c->name, msg);
	for (size_t at = 0, k = 0; at < n; k++) {
		size_t len = step == WHOLE ? n : step_len(step, k);

		if (len > n - at)
			len = n - at;
		if (encoder_write(e, s + at, len) < 0)
			fail_msg("%s write: %s", c->name, e->msg);
		at += len;
	}
	if (encoder_finish(e) < 0)
		fail_msg("%s finish: %s", c->name, e->msg);
	encoder_free(e);
	assert_int_equal(out_flush(&o), 0);
	out_free(&o);
	read_fd(fd, b);
	close(fd);
}

static void
encode(const struct codec *c, int level, const void *p, size_t n,
       struct membuf *b)
{
	encode_step(c, level, 1, p, n, WHOLE, b);
}

/* ---- decoding ---- */

enum { R_END, R_ERROR, R_TRUNC };

struct decoded {
	int result;		/* R_END, R_ERROR, or R_TRUNC: a call with
				 * src_end that made no progress */
	size_t consumed;
	struct membuf out;
	char msg[CODEC_MSG_SIZE];
};

/*
 * Decodes p[0..n) as the image reader does: src_end on the step that
 * holds the last byte, and once more with nothing left. Checks the
 * contract on every call: OK only with src used up or dst full.
 */
static void
decode_steps(const struct codec *c, const uint8_t *p, size_t n,
	     size_t in_step, size_t out_step, struct decoded *r)
{
	size_t cap = out_step == TINY ? 7 : out_step, pos = 0;
	struct decoder *d = c->decoder_new();
	uint8_t *dst = malloc(cap);

	assert_non_null(d);
	assert_non_null(dst);
	memset(r, 0, sizeof(*r));
	for (size_t k = 0;; k++) {
		size_t len = in_step == WHOLE ? n - pos : step_len(in_step, k);
		struct codec_io io = { .src = p + pos, .dst = dst };
		int rc;

		io.src_len = len < n - pos ? len : n - pos;
		io.src_end = pos + io.src_len == n;
		io.dst_len = step_len(out_step, k);
		rc = decoder_run(d, &io);
		assert_true(io.src_pos <= io.src_len);
		assert_true(io.dst_pos <= io.dst_len);
		mb_append(&r->out, dst, io.dst_pos);
		pos += io.src_pos;
		r->consumed = pos;
		if (rc == CODEC_END || rc == CODEC_ERROR) {
			r->result = rc == CODEC_END ? R_END : R_ERROR;
			if (rc == CODEC_ERROR && !d->msg[0])
				fail_msg("%s: CODEC_ERROR without a message",
					 c->name);
			memcpy(r->msg, d->msg, sizeof(r->msg));
			break;
		}
		assert_int_equal(rc, CODEC_OK);
		if (io.src_pos != io.src_len && io.dst_pos != io.dst_len)
			fail_msg("%s: CODEC_OK with %zu of %zu src bytes "
				 "taken and %zu of %zu dst bytes made",
				 c->name, io.src_pos, io.src_len, io.dst_pos,
				 io.dst_len);
		if (io.src_end && io.src_pos == 0 && io.dst_pos == 0) {
			r->result = R_TRUNC;
			break;
		}
	}
	decoder_free(d);
	free(dst);
}

static void
decode(const struct codec *c, const uint8_t *p, size_t n,
       struct decoded *r)
{
	decode_steps(c, p, n, WHOLE, 9 * MiB, r);
}

static const char *const result_names[] = { "END", "ERROR", "TRUNC" };

static void
expect_end(const struct codec *c, const struct decoded *r, size_t consumed,
	   const void *want, size_t want_len)
{
	if (r->result != R_END)
		fail_msg("%s: expected END, got %s (%s)", c->name,
			 result_names[r->result], r->msg);
	assert_int_equal(r->consumed, consumed);
	assert_int_equal(r->out.len, want_len);
	if (want_len)
		assert_memory_equal(r->out.p, want, want_len);
}

static void
expect_error(const struct codec *c, const struct decoded *r,
	     const char *part)
{
	if (r->result != R_ERROR)
		fail_msg("%s: expected an error with \"%s\", got %s",
			 c->name, part, result_names[r->result]);
	if (!strstr(r->msg, part))
		fail_msg("%s: expected \"%s\" in \"%s\"", c->name, part,
			 r->msg);
}

/* Decodes the whole stream in the given steps; it must give data. */
static void
roundtrip_steps(const struct codec *c, const struct membuf *z,
		const struct membuf *data, size_t in_step, size_t out_step)
{
	struct decoded r;

	decode_steps(c, z->p, z->len, in_step, out_step, &r);
	expect_end(c, &r, z->len, data->p, data->len);
	mb_free(&r.out);
}

/* ---- round trips (every codec) ---- */

static void
roundtrip_empty(void **state)
{
	const struct codec *c = *state;
	struct membuf z = { 0 }, none = { 0 };

	encode(c, c->default_level, "", 0, &z);
	assert_true(z.len > 0);
	roundtrip_steps(c, &z, &none, WHOLE, 64);
	roundtrip_steps(c, &z, &none, TINY, TINY);
	mb_free(&z);
}

static void
roundtrip_one_byte(void **state)
{
	const struct codec *c = *state;
	struct membuf z = { 0 }, one = { 0 };

	mb_str(&one, "x");
	/* zstd 20-22: see zstd_level_22. */
	for (int level = c->min_level; level <= c->max_level && level <= 19;
	     level++) {
		z.len = 0;
		encode(c, level, one.p, 1, &z);
		roundtrip_steps(c, &z, &one, WHOLE, 1);
		roundtrip_steps(c, &z, &one, TINY, TINY);
	}
	mb_free(&z);
	mb_free(&one);
}

/* Several MiB (lz4: more than one 8 MiB chunk), in large steps of odd
 * sizes and straight into a dst with room for everything. */
static void
roundtrip_large(void **state)
{
	const struct codec *c = *state;
	size_t n = c == &codec_lz4 ? LZ4_CHUNK + 3 * MiB : 6 * MiB;
	struct membuf data = { 0 }, z = { 0 }, z2 = { 0 };

	mixed_data(&data, n, 1);
	encode(c, c->default_level, data.p, n, &z);
	/* The same bytes however the input was cut into calls. */
	encode_step(c, c->default_level, 1, data.p, n, 100 * KiB + 1, &z2);
	assert_int_equal(z.len, z2.len);
	assert_memory_equal(z.p, z2.p, z.len);
	roundtrip_steps(c, &z, &data, WHOLE, 9 * MiB);
	roundtrip_steps(c, &z, &data, 256 * KiB, 256 * KiB);
	roundtrip_steps(c, &z, &data, 64 * KiB + 13, MiB + 7);
	roundtrip_steps(c, &z, &data, 9 * MiB, 1000);
	mb_free(&data);
	mb_free(&z);
	mb_free(&z2);
}

/* Several MiB again, fed or drained 1..7 bytes at a time. */
static void
roundtrip_tiny(void **state)
{
	const struct codec *c = *state;
	size_t n = c == &codec_lz4 ? LZ4_CHUNK + MiB : 3 * MiB;
	struct membuf data = { 0 }, z = { 0 }, z2 = { 0 };

	mixed_data(&data, n, 2);
	encode(c, c->default_level, data.p, n, &z);
	encode_step(c, c->default_level, 1, data.p, n, TINY, &z2);
	assert_int_equal(z.len, z2.len);
	assert_memory_equal(z.p, z2.p, z.len);
	roundtrip_steps(c, &z, &data, TINY, 9 * MiB);
	roundtrip_steps(c, &z, &data, 256 * KiB, TINY);
	mb_free(&data);
	mb_free(&z);
	mb_free(&z2);
}

/* Both tiny, on a smaller input that still spans blocks. */
static void
roundtrip_tiny_both(void **state)
{
	const struct codec *c = *state;
	struct membuf data = { 0 }, z = { 0 };

	mixed_data(&data, 600 * KiB, 3);
	encode_step(c, c->default_level, 1, data.p, data.len, TINY, &z);
	roundtrip_steps(c, &z, &data, TINY, TINY);
	mb_free(&data);
	mb_free(&z);
}

/* Lowest, default and highest level (zstd: up to 19 here; 20-22 need
 * up to 128 MiB windows, see zstd_level_22). */
static void
roundtrip_levels(void **state)
{
	const struct codec *c = *state;
	int top = c->max_level > 19 ? 19 : c->max_level;
	int levels[] = { c->min_level, c->default_level,
			 (c->min_level + top) / 2, top };
	struct membuf data = { 0 }, z = { 0 };

	mixed_data(&data, 700 * KiB, 4);
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		z.len = 0;
		encode(c, levels[i], data.p, data.len, &z);
		roundtrip_steps(c, &z, &data, 100 * KiB, 300 * KiB);
	}
	mb_free(&data);
	mb_free(&z);
}

/* ---- member ends (lzo, zstd: a member has an end marker) ---- */

static void
stops_at_member_end(void **state)
{
	const struct codec *c = *state;
	struct membuf a = { 0 }, b = { 0 }, img = { 0 }, za = { 0 },
		      zb = { 0 };
	size_t steps[][2] = { { WHOLE, 9 * MiB }, { TINY, TINY },
			      { 4096, 100 } };
	struct decoded r;

	mixed_data(&a, 300 * KiB, 5);
	mixed_data(&b, 1000, 6);
	encode(c, c->default_level, a.p, a.len, &za);
	encode(c, c->default_level, b.p, b.len, &zb);
	mb_append(&img, za.p, za.len);
	mb_append(&img, zb.p, zb.len);
	mb_fill(&img, 0, 512);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		decode_steps(c, img.p, img.len, steps[i][0], steps[i][1], &r);
		expect_end(c, &r, za.len, a.p, a.len);
		mb_free(&r.out);
		decode_steps(c, img.p + za.len, img.len - za.len, steps[i][0],
			     steps[i][1], &r);
		expect_end(c, &r, zb.len, b.p, b.len);
		mb_free(&r.out);
	}
	mb_free(&a);
	mb_free(&b);
	mb_free(&img);
	mb_free(&za);
	mb_free(&zb);
}

/* ---- truncation and bit flips ---- */

/* Every prefix of a small stream: never END, never a crash. */
static void
truncated_never_ends(void **state)
{
	const struct codec *c = *state;
	struct membuf data = { 0 }, z = { 0 };
	struct decoded r;

	mixed_data(&data, 3000, 7);
	encode(c, c->default_level, data.p, data.len, &z);
	for (size_t k = 0; k < z.len; k++) {
		decode_steps(c, z.p, k, WHOLE, 64 * KiB, &r);
		if (r.result == R_END)
			fail_msg("%s: prefix of %zu of %zu bytes ENDs",
				 c->name, k, z.len);
		mb_free(&r.out);
		decode_steps(c, z.p, k, TINY, TINY, &r);
		if (r.result == R_END)
			fail_msg("%s: prefix of %zu of %zu bytes ENDs "
				 "(tiny steps)", c->name, k, z.len);
		mb_free(&r.out);
	}
	mb_free(&data);
	mb_free(&z);
}

/* Every single-bit flip of a small stream: an error (or a truncated
 * stream), or the right data; never wrong data, never a crash. lz4
 * legacy has no checksum, so there only the no-crash part holds. */
static void
bit_flips_are_caught(void **state)
{
	const struct codec *c = *state;
	struct membuf data = { 0 }, z = { 0 };
	int wrong = 0, caught = 0;
	struct decoded r;

	mixed_data(&data, 2000, 8);
	encode(c, c->default_level, data.p, data.len, &z);
	for (size_t bit = 0; bit < z.len * 8; bit++) {
		z.p[bit / 8] ^= (uint8_t)(1u << bit % 8);
		decode_steps(c, z.p, z.len, WHOLE, 64 * KiB, &r);
		z.p[bit / 8] ^= (uint8_t)(1u << bit % 8);
		if (r.result != R_END)
			caught++;
		else if (r.out.len != data.len ||
			 memcmp(r.out.p, data.p, data.len))
			wrong++;
		mb_free(&r.out);
		if (wrong && c != &codec_lz4)
			fail_msg("%s: flipping bit %zu gave wrong data",
				 c->name, bit);
	}
	assert_true(caught > 0);
	mb_free(&data);
	mb_free(&z);
}

/* ---- lzo: hand-built lzop streams ---- */

#define F_ADLER32_D	0x1u
#define F_ADLER32_C	0x2u
#define F_H_EXTRA_FIELD	0x40u
#define F_CRC32_D	0x100u
#define F_CRC32_C	0x200u
#define F_H_FILTER	0x800u
#define F_H_CRC32	0x1000u
#define F_OS_UNIX	0x03000000u

static const uint8_t lzop_magic[9] = {
	0x89, 0x4c, 0x5a, 0x4f, 0x00, 0x0d, 0x0a, 0x1a, 0x0a,
};

static void
be16_to(struct membuf *b, uint16_t v)
{
	uint8_t p[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	mb_append(b, p, 2);
}

static void
be32_to(struct membuf *b, uint32_t v)
{
	uint8_t p[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 8), (uint8_t)v };

	mb_append(b, p, 4);
}

struct lzo_hdr {
	uint16_t version;
	uint8_t method;
	uint32_t flags;
	const char *name;
	uint32_t sum_xor;	/* nonzero: a wrong header checksum */
};

/* The header as the kernel's parse_header() lays it out. */
static void
lzo_header(struct membuf *b, const struct lzo_hdr *h)
{
	struct membuf v = { 0 };
	uint32_t sum;

	mb_append(b, lzop_magic, sizeof(lzop_magic));
	be16_to(&v, h->version);
	be16_to(&v, 0x20a0);
	be16_to(&v, 0x0940);
	mb_fill(&v, h->method, 1);
	if (h->version >= 0x0940)
		mb_fill(&v, 5, 1);
	be32_to(&v, h->flags);
	if (h->flags & F_H_FILTER)
		be32_to(&v, 0);
	be32_to(&v, 0100644);
	be32_to(&v, 0x5f5e1000);
	if (h->version >= 0x0940)
		be32_to(&v, 0);
	mb_fill(&v, (uint8_t)strlen(h->name), 1);
	mb_str(&v, h->name);
	sum = h->flags & F_H_CRC32 ? lzo_crc32(0, v.p, v.len) :
	      lzo_adler32(1, v.p, v.len);
	be32_to(&v, sum ^ h->sum_xor);
	mb_append(b, v.p, v.len);
	mb_free(&v);
}

static uint32_t
data_sum(uint32_t flags, const void *p, size_t n)
{
	return flags & F_CRC32_D ? lzo_crc32(0, p, n) : lzo_adler32(1, p, n);
}

/* A block stored as it is, with one checksum. */
static void
lzo_stored(struct membuf *b, uint32_t flags, const void *p, size_t n)
{
	be32_to(b, (uint32_t)n);
	be32_to(b, (uint32_t)n);
	be32_to(b, data_sum(flags, p, n));
	mb_append(b, p, n);
}

static void
lzo_stream(struct membuf *b, const struct lzo_hdr *h, const char *text)
{
	lzo_header(b, h);
	lzo_stored(b, h->flags, text, strlen(text));
	be32_to(b, 0);
}

static void
lzo_hand_built_streams_decode(void **state)
{
	static const char name[] = "a-name-of-some-length";
	char longname[256];
	struct lzo_hdr hs[] = {
		{ 0x1040, 1, F_OS_UNIX | F_ADLER32_D, "", 0 },
		{ 0x1040, 3, F_OS_UNIX | F_CRC32_D | F_H_CRC32, name, 0 },
		{ 0x1040, 2, F_OS_UNIX | F_CRC32_D, name, 0 },
		/* Before 0.94: no level, no mtime_high (kernel layout). */
		{ 0x0930, 1, F_ADLER32_D, name, 0 },
		{ 0x1040, 1, F_ADLER32_D, longname, 0 },
	};
	struct membuf b = { 0 };
	struct decoded r;

	(void)state;
	memset(longname, 'n', 255);
	longname[255] = '\0';
	for (size_t i = 0; i < sizeof(hs) / sizeof(hs[0]); i++) {
		b.len = 0;
		lzo_stream(&b, &hs[i], "hello, lzop");
		mb_str(&b, "next member");
		decode_steps(&codec_lzo, b.p, b.len, TINY, TINY, &r);
		expect_end(&codec_lzo, &r, b.len - 11, "hello, lzop", 11);
		mb_free(&r.out);
	}
	mb_free(&b);
}

/* Streams the kernel would misread or reject, each with its reason. */
static void
lzo_kernel_limits(void **state)
{
	static const struct {
		struct lzo_hdr h;
		const char *msg;
	} cases[] = {
		{ { 0x1040, 1, F_ADLER32_D | F_CRC32_D, "", 0 },
		  "adler32-data crc32-data" },
		{ { 0x1040, 1, F_ADLER32_D | F_ADLER32_C, "", 0 },
		  "adler32-compressed" },
		{ { 0x1040, 1, F_CRC32_D | F_CRC32_C, "", 0 },
		  "crc32-compressed" },
		{ { 0x1040, 1, 0, "", 0 }, "checksums none" },
		{ { 0x1040, 1, F_ADLER32_D | F_H_FILTER, "", 0 }, "filter" },
		{ { 0x1040, 1, F_ADLER32_D | F_H_EXTRA_FIELD, "", 0 },
		  "extra field" },
		{ { 0x1040, 1, F_ADLER32_D, "x", 0x100 }, "header adler32" },
		{ { 0x1040, 1, F_ADLER32_D | F_H_CRC32, "", 1 },
		  "header crc32" },
		{ { 0x1040, 0x80, F_ADLER32_D, "", 0 }, "method 128" },
	};
	struct membuf b = { 0 };
	struct decoded r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b.len = 0;
		lzo_stream(&b, &cases[i].h, "data");
		decode(&codec_lzo, b.p, b.len, &r);
		expect_error(&codec_lzo, &r, "invalid header: ");
		expect_error(&codec_lzo, &r, cases[i].msg);
		mb_free(&r.out);
	}
	b.len = 0;
	lzo_stream(&b, &cases[0].h, "data");
	b.p[3] = 'X';
	decode(&codec_lzo, b.p, b.len, &r);
	expect_error(&codec_lzo, &r, "invalid header: no lzop magic");
	mb_free(&b);
}

static void
lzo_block(struct membuf *b, uint32_t dst_len, uint32_t src_len,
	  uint32_t sum, const void *p, size_t n)
{
	struct lzo_hdr h = { 0x1040, 1, F_OS_UNIX | F_ADLER32_D, "", 0 };

	b->len = 0;
	lzo_header(b, &h);
	be32_to(b, dst_len);
	be32_to(b, src_len);
	be32_to(b, sum);
	mb_append(b, p, n);
	be32_to(b, 0);
}

static void
lzo_block_limits(void **state)
{
	static uint8_t big[LZO_BLOCK + 1];
	uint8_t comp[LZO_BLOCK + LZO_BLOCK / 16 + 64 + 3];
	static uint8_t wrk[LZO1X_1_MEM_COMPRESS];
	lzo_uint clen = sizeof(comp);
	struct membuf b = { 0 };
	struct decoded r;

	(void)state;
	/* 256 KiB is allowed, one byte more is not. */
	lzo_block(&b, LZO_BLOCK, LZO_BLOCK, lzo_adler32(1, big, LZO_BLOCK),
		  big, LZO_BLOCK);
	decode(&codec_lzo, b.p, b.len, &r);
	expect_end(&codec_lzo, &r, b.len, big, LZO_BLOCK);
	mb_free(&r.out);
	lzo_block(&b, LZO_BLOCK + 1, LZO_BLOCK + 1, 0, big, LZO_BLOCK + 1);
	decode(&codec_lzo, b.p, b.len, &r);
	expect_error(&codec_lzo, &r, "dest len longer than block size");
	lzo_block(&b, 100, 0, 0, "", 0);
	decode(&codec_lzo, b.p, b.len, &r);
	expect_error(&codec_lzo, &r, "file corrupted");
	lzo_block(&b, 10, 11, 0, big, 11);
	decode(&codec_lzo, b.p, b.len, &r);
	expect_error(&codec_lzo, &r, "file corrupted");
	/* Compressed bytes that are not LZO1X, and a wrong checksum. */
	lzo_block(&b, 100, 50, 0, big, 50);
	decode(&codec_lzo, b.p, b.len, &r);
	expect_error(&codec_lzo, &r, "Compressed data violation");
	assert_int_equal(lzo_init(), LZO_E_OK);
	assert_int_equal(lzo1x_1_compress(big, 1000, comp, &clen, wrk),
			 LZO_E_OK);
	lzo_block(&b, 999, (uint32_t)clen, 0, comp, clen);
	decode(&codec_lzo, b.p, b.len, &r);
	expect_error(&codec_lzo, &r, "Compressed data violation");
	lzo_block(&b, 1000, (uint32_t)clen, 1234, comp, clen);
	decode(&codec_lzo, b.p, b.len, &r);
	expect_error(&codec_lzo, &r, "block checksum mismatch");
	lzo_block(&b, 1000, (uint32_t)clen, lzo_adler32(1, big, 1000), comp,
		  clen);
	decode(&codec_lzo, b.p, b.len, &r);
	expect_end(&codec_lzo, &r, b.len, big, 1000);
	mb_free(&r.out);
	/* Truncated inside a block: the kernel's "file corrupted". */
	decode(&codec_lzo, b.p, b.len - 6, &r);
	expect_error(&codec_lzo, &r, "file corrupted");
	mb_free(&b);
}

/* What our encoder writes: lzop's header fields, 256 KiB blocks, one
 * adler32, raw blocks where compression does not help. */
static void
lzo_encoder_layout(void **state)
{
	struct membuf data = { 0 }, z = { 0 };
	const uint8_t *p;

	(void)state;
	for (uint32_t s = 99, i = 0; i < LZO_BLOCK + 1000; i++) {
		uint8_t c = (uint8_t)rnd(&s);

		mb_append(&data, &c, 1);
	}
	encode(&codec_lzo, 7, data.p, data.len, &z);
	assert_memory_equal(z.p, lzop_magic, 9);
	p = z.p + 9;
	assert_int_equal(p[0] << 8 | p[1], 0x1040);	/* version */
	assert_int_equal(p[4] << 8 | p[5], 0x0940);	/* needed */
	assert_int_equal(p[6], 3);			/* LZO1X-999 */
	assert_int_equal(p[7], 7);			/* level */
	assert_memory_equal(p + 8, "\x03\x00\x00\x01", 4);
	assert_memory_equal(p + 12, "\x00\x00\x81\xa4", 4);
	assert_memory_equal(p + 16, "\0\0\0\0\0\0\0\0\0", 9);
	p += 29;					/* + checksum */
	assert_memory_equal(p, "\x00\x04\x00\x00\x00\x04\x00\x00", 8);
	assert_int_equal(lzo_adler32(1, data.p, LZO_BLOCK),
			 (uint32_t)(p[8] << 24 | p[9] << 16 | p[10] << 8 |
				    p[11]));
	assert_memory_equal(p + 12, data.p, LZO_BLOCK);
	assert_memory_equal(z.p + z.len - 4, "\0\0\0\0", 4);
	mb_free(&data);
	mb_free(&z);
}

/* ---- lz4: the kernel's rules for where a member ends ---- */

static void
lz4_stream(struct membuf *z, const char *text)
{
	encode(&codec_lz4, 1, text, strlen(text), z);
}

static void
lz4_member_ends(void **state)
{
	static const char first[] = "first stream, first stream, first";
	static const char both[] = "first stream, first stream, firstsecond";
	const struct codec *c = &codec_lz4;
	const size_t n = sizeof(first) - 1;
	struct membuf z = { 0 }, img = { 0 }, z2 = { 0 };
	struct decoded r;

	(void)state;
	lz4_stream(&z, first);
	/* The end of the input. */
	decode(c, z.p, z.len, &r);
	expect_end(c, &r, z.len, first, n);
	mb_free(&r.out);
	decode_steps(c, z.p, z.len, TINY, TINY, &r);
	expect_end(c, &r, z.len, first, n);
	mb_free(&r.out);
	/* A chunk size of 0 ends it; the 4 NULs are not part of it. */
	mb_append(&img, z.p, z.len);
	mb_fill(&img, 0, 4);
	mb_str(&img, "07070100");
	decode(c, img.p, img.len, &r);
	expect_end(c, &r, z.len, first, n);
	mb_free(&r.out);
	decode_steps(c, img.p, img.len, 4096, 4096, &r);
	expect_end(c, &r, z.len, first, n);
	mb_free(&r.out);
	/* In tiny steps, up to 3 NULs may be taken before the size is
	 * whole (they are NULs the outer loop would skip). */
	decode_steps(c, img.p, img.len, TINY, TINY, &r);
	assert_int_equal(r.result, R_END);
	assert_true(r.consumed >= z.len && r.consumed <= z.len + 3);
	assert_int_equal(r.out.len, n);
	mb_free(&r.out);
	/* Fewer than 4 bytes left end it too, and stay unconsumed. */
	for (size_t extra = 1; extra < 4; extra++) {
		img.len = 0;
		mb_append(&img, z.p, z.len);
		mb_fill(&img, 0xee, extra);
		decode(c, img.p, img.len, &r);
		expect_end(c, &r, z.len, first, n);
		mb_free(&r.out);
	}
	/* A magic where a chunk size should be: the same member goes on. */
	lz4_stream(&z2, "second");
	img.len = 0;
	mb_append(&img, z.p, z.len);
	mb_append(&img, z2.p, z2.len);
	decode_steps(c, img.p, img.len, TINY, TINY, &r);
	expect_end(c, &r, img.len, both, sizeof(both) - 1);
	mb_free(&r.out);
	/* Anything else is read as a chunk, as the kernel does. */
	img.len = 0;
	mb_append(&img, z.p, z.len);
	mb_str(&img, "07070100000000");
	decode(c, img.p, img.len, &r);
	expect_error(c, &r, "Decoding failed");
	mb_free(&r.out);
	mb_free(&img);
	mb_free(&z);
	mb_free(&z2);
}

/* 1-3 bytes of a chunk size taken in one call, then the input ends:
 * NULs end the member, anything else is junk the kernel rejects. */
static void
lz4_stray_bytes_at_end(void **state)
{
	const struct codec *c = &codec_lz4;
	struct membuf z = { 0 };
	struct decoder *d;
	uint8_t out[64];

	(void)state;
	lz4_stream(&z, "abc");
	for (int junk = 0; junk < 2; junk++) {
		struct codec_io io = { .src = z.p, .src_len = z.len,
				       .dst = out, .dst_len = sizeof(out) };
		uint8_t tail[2] = { 0, (uint8_t)junk };

		d = c->decoder_new();
		assert_int_equal(decoder_run(d, &io), CODEC_OK);
		assert_int_equal(io.dst_pos, 3);
		io = (struct codec_io){ .src = tail, .src_len = 2, .dst = out,
					.dst_len = sizeof(out) };
		assert_int_equal(decoder_run(d, &io), CODEC_OK);
		assert_int_equal(io.src_pos, 2);
		io = (struct codec_io){ .src = tail, .src_end = true,
					.dst = out, .dst_len = sizeof(out) };
		if (junk) {
			assert_int_equal(decoder_run(d, &io), CODEC_ERROR);
			assert_non_null(strstr(d->msg, "invalid magic"));
		} else {
			assert_int_equal(decoder_run(d, &io), CODEC_END);
		}
		decoder_free(d);
	}
	mb_free(&z);
}

/* The kernel's answer for every prefix: END after the magic until a
 * chunk size is whole, "data corrupted" inside a chunk. */
static void
lz4_truncated(void **state)
{
	const struct codec *c = &codec_lz4;
	struct membuf data = { 0 }, z = { 0 };
	struct decoded r;

	(void)state;
	mixed_data(&data, 3000, 10);
	encode(c, 9, data.p, data.len, &z);
	for (size_t k = 0; k < z.len; k++) {
		decode(c, z.p, k, &r);
		if (k < 4) {
			expect_error(c, &r, "invalid header");
		} else if (k < 8) {
			expect_end(c, &r, 4, "", 0);
		} else {
			expect_error(c, &r, "data corrupted");
		}
		mb_free(&r.out);
		decode_steps(c, z.p, k, TINY, TINY, &r);
		assert_true(r.result != R_END || (k >= 4 && k < 8));
		mb_free(&r.out);
	}
	mb_free(&data);
	mb_free(&z);
}

static void
lz4_kernel_limits(void **state)
{
	const struct codec *c = &codec_lz4;
	size_t n = LZ4_CHUNK + 1, bound = (size_t)LZ4_compressBound((int)n);
	uint8_t *zero = calloc(1, n), *comp = malloc(4 + bound);
	struct membuf b = { 0 };
	struct decoded r;
	int k;

	(void)state;
	assert_non_null(zero);
	assert_non_null(comp);
	mb_append(&b, "\x02\x21\x4c\x19\x01\x00\x00\x00\x00", 9);
	decode(c, b.p, b.len, &r);
	expect_error(c, &r, "invalid header");
	/* A block that decodes to more than 8 MiB. */
	k = LZ4_compress_default((char *)zero, (char *)comp + 4, (int)n,
				 (int)bound);
	assert_true(k > 0);
	comp[0] = (uint8_t)k;
	comp[1] = (uint8_t)(k >> 8);
	comp[2] = (uint8_t)(k >> 16);
	comp[3] = 0;
	b.len = 0;
	mb_str(&b, "\x02\x21\x4c\x18");
	mb_append(&b, comp, 4 + (size_t)k);
	decode(c, b.p, b.len, &r);
	expect_error(c, &r, "Decoding failed");
	/* Garbage as a block. */
	b.len = 4;
	mb_append(&b, "\x05\x00\x00\x00\xff\xff\xff\xff\xff", 9);
	decode(c, b.p, b.len, &r);
	expect_error(c, &r, "Decoding failed");
	/* A chunk size beyond any 8 MiB block, and one beyond the input. */
	b.len = 4;
	mb_append(&b, "\x00\x00\x90\x00xxxx", 8);
	decode(c, b.p, b.len, &r);
	expect_error(c, &r, "Decoding failed");
	b.len = 4;
	mb_append(&b, "\x10\x00\x00\x00xxxx", 8);
	decode(c, b.p, b.len, &r);
	expect_error(c, &r, "data corrupted");
	free(zero);
	free(comp);
	mb_free(&b);
}

/* Every chunk but the last holds exactly 8 MiB, as with `lz4 -l`. */
static void
lz4_encoder_chunks(void **state)
{
	size_t n = 2 * LZ4_CHUNK + 5000, chunks = 0, at = 4;
	struct membuf data = { 0 }, z = { 0 };
	char *out = malloc(LZ4_CHUNK);

	(void)state;
	assert_non_null(out);
	mixed_data(&data, n, 11);
	encode_step(&codec_lz4, 3, 1, data.p, n, 3 * MiB + 1, &z);
	assert_memory_equal(z.p, "\x02\x21\x4c\x18", 4);
	while (at < z.len) {
		uint32_t len = (uint32_t)z.p[at] | (uint32_t)z.p[at + 1] << 8 |
			       (uint32_t)z.p[at + 2] << 16 |
			       (uint32_t)z.p[at + 3] << 24;
		int got = LZ4_decompress_safe((char *)z.p + at + 4, out,
					      (int)len, LZ4_CHUNK);

		assert_int_equal(got, chunks < 2 ? LZ4_CHUNK : 5000);
		assert_memory_equal(out, data.p + chunks * LZ4_CHUNK,
				    (size_t)got);
		at += 4 + len;
		chunks++;
	}
	assert_int_equal(at, z.len);
	assert_int_equal(chunks, 3);
	free(out);
	mb_free(&data);
	mb_free(&z);
}

/* ---- zstd: the kernel's messages, windows, threads ---- */

/* Frames made by hand: magic, a header, one empty last raw block. */
static void
zstd_window_limit(void **state)
{
	const struct codec *c = &codec_zstd;
	/* Window descriptor: exponent 17 (128 MiB), then 18 (256 MiB). */
	static const uint8_t w128[] = {
		0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x88, 0x01, 0x00, 0x00,
	};
	static const uint8_t w256[] = {
		0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x90, 0x01, 0x00, 0x00,
	};
	/* Single segment, 8-byte content size 300 MiB: that is the window. */
	static const uint8_t fcs300[] = {
		0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0x00, 0x00, 0xc0, 0x12,
		0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	};
	struct decoded r;

	(void)state;
	decode(c, w128, sizeof(w128), &r);
	expect_end(c, &r, sizeof(w128), "", 0);
	decode_steps(c, w256, sizeof(w256), TINY, TINY, &r);
	expect_error(c, &r, "ZSTD-compressed data has too large a window "
		     "size: window of 256 MiB, limit 128 MiB");
	decode(c, fcs300, sizeof(fcs300), &r);
	expect_error(c, &r, "too large a window size: window of 300 MiB");
}

static void
zstd_kernel_messages(void **state)
{
	const struct codec *c = &codec_zstd;
	struct membuf data = { 0 }, z = { 0 };
	struct decoded r;

	(void)state;
	mixed_data(&data, 5000, 12);
	encode(c, 3, data.p, data.len, &z);
	z.p[2] ^= 0xff;
	decode(c, z.p, z.len, &r);
	expect_error(c, &r, "Input is not in the ZSTD format (wrong magic "
		     "bytes): ");
	z.p[2] ^= 0xff;
	z.p[z.len - 1] ^= 0x10;		/* the content checksum */
	decode(c, z.p, z.len, &r);
	expect_error(c, &r, "ZSTD-compressed data is corrupt: ");
	mb_free(&r.out);
	z.p[z.len - 1] ^= 0x10;
	decode(c, z.p, z.len - 1, &r);
	expect_error(c, &r, "ZSTD-compressed data is truncated");
	mb_free(&r.out);
	decode(c, z.p, z.len, &r);
	expect_end(c, &r, z.len, data.p, data.len);
	mb_free(&r.out);
	mb_free(&data);
	mb_free(&z);
}

/* libzstd's promise: with 1 or more workers, the same bytes. */
static void
zstd_same_bytes_for_any_thread_count(void **state)
{
	struct membuf data = { 0 }, z1 = { 0 }, zn = { 0 };
	int threads[] = { 2, 4, 3 };

	(void)state;
	mixed_data(&data, 12 * MiB, 13);
	encode_step(&codec_zstd, 1, 1, data.p, data.len, WHOLE, &z1);
	for (size_t i = 0; i < sizeof(threads) / sizeof(threads[0]); i++) {
		zn.len = 0;
		encode_step(&codec_zstd, 1, threads[i], data.p, data.len,
			    i == 2 ? 100 * KiB + 3 : WHOLE, &zn);
		assert_int_equal(z1.len, zn.len);
		assert_memory_equal(z1.p, zn.p, z1.len);
	}
	roundtrip_steps(&codec_zstd, &z1, &data, MiB, MiB);
	mb_free(&data);
	mb_free(&z1);
	mb_free(&zn);
}

static void
zstd_level_22(void **state)
{
	struct membuf data = { 0 }, z = { 0 };

	(void)state;
	mixed_data(&data, 200 * KiB, 14);
	encode(&codec_zstd, 22, data.p, data.len, &z);
	roundtrip_steps(&codec_zstd, &z, &data, 64 * KiB, 64 * KiB);
	mb_free(&data);
	mb_free(&z);
}

/* ---- the command-line tools, both ways ---- */

static bool
have_tool(const char *name)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
	if (system(cmd) == 0)
		return true;
	print_message("skipping: %s is not installed\n", name);
	return false;
}

/* Runs `cmd` (a shell command) with in on stdin, its stdout into out. */
static void
run_tool(const char *cmd, const struct membuf *in, struct membuf *out)
{
	int fi = memfd_create("in", 0), fo = memfd_create("out", 0);
	char sh[512];

	assert_true(fi >= 0 && fo >= 0);
	for (size_t at = 0; at < in->len;) {
		ssize_t w = write(fi, in->p + at, in->len - at);

		assert_true(w > 0);
		at += (size_t)w;
	}
	assert_int_equal(lseek(fi, 0, SEEK_SET), 0);
	snprintf(sh, sizeof(sh), "%s <&%d >&%d", cmd, fi, fo);
	if (system(sh) != 0)
		fail_msg("`%s` failed", cmd);
	read_fd(fo, out);
	close(fi);
	close(fo);
}

/* The tool's streams decode; ours decode with the tool. Empty input
 * and n bytes of mixed data. */
static void
interop(const struct codec *c, const char *tool, const char *const *enc,
	size_t nenc, const int *levels, size_t nlevels, const char *dec,
	size_t n)
{
	struct membuf data = { 0 }, z = { 0 }, back = { 0 };
	struct decoded r;

	if (!have_tool(tool))
		skip();
	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			mixed_data(&data, n, 15);
		for (size_t i = 0; i < nenc; i++) {
			z.len = 0;
			run_tool(enc[i], &data, &z);
			decode_steps(c, z.p, z.len, 128 * KiB, 128 * KiB, &r);
			if (r.result != R_END)
				fail_msg("`%s` output: %s", enc[i], r.msg);
			expect_end(c, &r, z.len, data.p, data.len);
			mb_free(&r.out);
		}
		for (size_t i = 0; i < nlevels; i++) {
			z.len = 0;
			back.len = 0;
			encode(c, levels[i], data.p, data.len, &z);
			run_tool(dec, &z, &back);
			assert_int_equal(back.len, data.len);
			if (data.len)
				assert_memory_equal(back.p, data.p, data.len);
		}
	}
	mb_free(&data);
	mb_free(&z);
	mb_free(&back);
}

static void
lzop_tool_interop(void **state)
{
	static const char *const enc[] = {
		"lzop -c", "lzop -c -1", "lzop -c -9", "lzop -c --crc32",
	};
	static const int levels[] = { 1, 3, 7, 9 };

	(void)state;
	interop(&codec_lzo, "lzop", enc, 4, levels, 4, "lzop -dc",
		2 * MiB + 12345);
}

static void
lz4_tool_interop(void **state)
{
	static const char *const enc[] = { "lz4 -l -c", "lz4 -l -9 -c" };
	static const int levels[] = { 1, 9 };

	(void)state;
	interop(&codec_lz4, "lz4", enc, 2, levels, 2, "lz4 -dc",
		LZ4_CHUNK + MiB);
}

static void
zstd_tool_interop(void **state)
{
	static const char *const enc[] = {
		"zstd -q -c", "zstd -q -c -19", "zstd -q -c --no-check",
		"zstd -q -c -T4 -1",
	};
	static const int levels[] = { 1, 3, 19 };

	(void)state;
	interop(&codec_zstd, "zstd", enc, 4, levels, 3, "zstd -q -dc",
		3 * MiB + 777);
}

static void
codec_table_entries(void **state)
{
	(void)state;
	assert_string_equal(codec_lzo.name, "lzo");
	assert_memory_equal(codec_lzo.magic, "\x89\x4c", 2);
	assert_int_equal(codec_lzo.default_level, 3);
	assert_false(codec_lzo.threaded);
	assert_string_equal(codec_lz4.name, "lz4");
	assert_memory_equal(codec_lz4.magic, "\x02\x21", 2);
	assert_int_equal(codec_lz4.max_level, 12);
	assert_string_equal(codec_zstd.name, "zstd");
	assert_memory_equal(codec_zstd.magic, "\x28\xb5", 2);
	assert_int_equal(codec_zstd.max_level, 22);
	assert_true(codec_zstd.threaded);
}

#define EACH(f)								\
	cmocka_unit_test_prestate(f, (void *)&codec_lzo),		\
	cmocka_unit_test_prestate(f, (void *)&codec_lz4),		\
	cmocka_unit_test_prestate(f, (void *)&codec_zstd)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(codec_table_entries),
		EACH(roundtrip_empty),
		EACH(roundtrip_one_byte),
		EACH(roundtrip_large),
		EACH(roundtrip_tiny),
		EACH(roundtrip_tiny_both),
		EACH(roundtrip_levels),
		cmocka_unit_test_prestate(stops_at_member_end,
					  (void *)&codec_lzo),
		cmocka_unit_test_prestate(stops_at_member_end,
					  (void *)&codec_zstd),
		cmocka_unit_test_prestate(truncated_never_ends,
					  (void *)&codec_lzo),
		cmocka_unit_test_prestate(truncated_never_ends,
					  (void *)&codec_zstd),
		EACH(bit_flips_are_caught),
		cmocka_unit_test(lzo_hand_built_streams_decode),
		cmocka_unit_test(lzo_kernel_limits),
		cmocka_unit_test(lzo_block_limits),
		cmocka_unit_test(lzo_encoder_layout),
		cmocka_unit_test(lz4_member_ends),
		cmocka_unit_test(lz4_stray_bytes_at_end),
		cmocka_unit_test(lz4_truncated),
		cmocka_unit_test(lz4_kernel_limits),
		cmocka_unit_test(lz4_encoder_chunks),
		cmocka_unit_test(zstd_window_limit),
		cmocka_unit_test(zstd_kernel_messages),
		cmocka_unit_test(zstd_same_bytes_for_any_thread_count),
		cmocka_unit_test(zstd_level_22),
		cmocka_unit_test(lzop_tool_interop),
		cmocka_unit_test(lz4_tool_interop),
		cmocka_unit_test(zstd_tool_interop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
