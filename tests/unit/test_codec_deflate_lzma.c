/* test_codec_deflate_lzma.c - the gzip, bzip2, lzma and xz codecs
 * (src/codec): round trips fed and drained in tiny and large chunks,
 * members that end exactly where the kernel's decompressor stops,
 * truncation, bit flips, the kernel's limits (gzip 1f 9e and header
 * fields, xz check types and filter chains in every block, lzma
 * dictionary size), streams of the Debian tools both ways, and xz
 * output that does not depend on the thread count. */
#define ZLIB_CONST
#include <bzlib.h>
#include <errno.h>
#include <lzma.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "codec/codec.h"
#include "membuf.h"

#define KIB 1024u
#define MIB (1024u * 1024u)
/* A chunk size for decode() and encode(): 1, 2, ... 7, 1, 2, ... */
#define TINY 0
#define WHOLE SIZE_MAX
/* The output buffer for WHOLE: more than any test decodes. */
#define WHOLE_OUT (8 * MIB)

enum dec_status { DEC_END, DEC_ERROR, DEC_TRUNCATED };

static const char *const dec_names[] = { "END", "ERROR", "TRUNCATED" };

struct dec_result {
	enum dec_status status;
	size_t used;		/* input consumed, at END */
	struct membuf out;
	char msg[CODEC_MSG_SIZE];
};

static size_t
next_chunk(size_t spec, unsigned *i)
{
	if (spec != TINY)
		return spec;
	return 1 + (*i)++ % 7;
}

static size_t
min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* Makes the next window of src the caller hands in: in_chunk bytes
 * after the last one, src_end set on the last. */
static void
next_window(struct codec_io *io, const uint8_t *src, size_t n, size_t *base,
	    size_t in_chunk, unsigned *ki)
{
	size_t k;

	*base += io->src_len;
	k = min_size(next_chunk(in_chunk, ki), n - *base);
	io->src = src + *base;
	io->src_len = k;
	io->src_pos = 0;
	io->src_end = *base + k == n;
}

/* Decodes src[0..n) as the image reader would: windows of in_chunk
 * bytes, output buffers of out_chunk bytes; a call that makes no
 * progress on the last window means truncation. Checks the OK rule of
 * the decoder contract on every call. */
static void
decode(const struct codec *c, const uint8_t *src, size_t n, size_t in_chunk,
       size_t out_chunk, struct dec_result *r)
{
	struct decoder *d = c->decoder_new();
	struct codec_io io = { .src = src };
	size_t dst_size = out_chunk == TINY ? 7 :
			  out_chunk == WHOLE ? WHOLE_OUT : out_chunk;
	uint8_t *dst = malloc(dst_size);
	size_t base = 0;
	unsigned ki = 0, ko = 0;

	assert_non_null(d);
	assert_non_null(dst);
	memset(r, 0, sizeof(*r));
	for (;;) {
		size_t pos0;
		int rc;

		if (io.src_pos == io.src_len)
			next_window(&io, src, n, &base, in_chunk, &ki);
		pos0 = io.src_pos;
		io.dst = dst;
		io.dst_len = min_size(next_chunk(out_chunk, &ko), dst_size);
		io.dst_pos = 0;
		rc = decoder_run(d, &io);
		if (io.dst_pos)
			mb_append(&r->out, dst, io.dst_pos);
		if (rc == CODEC_ERROR) {
			r->status = DEC_ERROR;
			snprintf(r->msg, sizeof(r->msg), "%s", d->msg);
			break;
		}
		if (rc == CODEC_END) {
			r->status = DEC_END;
			r->used = base + io.src_pos;
			break;
		}
		if (rc != CODEC_OK)
			fail_msg("%s: run returned %d", c->name, rc);
		if (io.src_pos != io.src_len && io.dst_pos != io.dst_len)
			fail_msg("%s: OK with src left (%zu of %zu) and "
				 "room in dst (%zu of %zu)", c->name,
				 io.src_pos, io.src_len, io.dst_pos,
				 io.dst_len);
		if (io.src_end && io.src_pos == pos0 && !io.dst_pos &&
		    io.src_pos == io.src_len) {
			r->status = DEC_TRUNCATED;
			break;
		}
	}
	free(dst);
	decoder_free(d);
}

static void
dec_free(struct dec_result *r)
{
	mb_free(&r->out);
}

static void
expect_end(const struct codec *c, const struct dec_result *r,
	   const void *want, size_t want_len, size_t used)
{
	if (r->status != DEC_END)
		fail_msg("%s: expected END after %zu bytes, got %s (%s)",
			 c->name, used, dec_names[r->status], r->msg);
	if (r->used != used)
		fail_msg("%s: member should end at byte %zu, decoder stopped "
			 "at %zu", c->name, used, r->used);
	if (r->out.len != want_len)
		fail_msg("%s: expected %zu bytes of output, got %zu", c->name,
			 want_len, r->out.len);
	if (want_len && memcmp(r->out.p, want, want_len))
		fail_msg("%s: output differs from the input", c->name);
}

static void
expect_error(const struct codec *c, const struct dec_result *r,
	     const char *prefix, const char *detail)
{
	if (r->status != DEC_ERROR)
		fail_msg("%s: expected an error \"%s...\", got %s", c->name,
			 prefix, dec_names[r->status]);
	if (strncmp(r->msg, prefix, strlen(prefix)))
		fail_msg("%s: message \"%s\" does not start with \"%s\"",
			 c->name, r->msg, prefix);
	if (detail && !strstr(r->msg, detail))
		fail_msg("%s: message \"%s\" does not say \"%s\"", c->name,
			 r->msg, detail);
}

/* Reads what the memfd holds into b. */
static void
slurp_fd(int fd, struct membuf *b)
{
	uint8_t tmp[65536];
	ssize_t r;

	assert_true(lseek(fd, 0, SEEK_SET) == 0);
	while ((r = read(fd, tmp, sizeof(tmp))) > 0)
		mb_append(b, tmp, (size_t)r);
	assert_true(r == 0);
}

/* Compresses p[0..n) in writes of 1..7 bytes (chunk TINY), all at once
 * (WHOLE), or alternately 1..7 and `chunk` bytes. */
static void
encode_with(const struct codec *c, int level, int threads, const void *p,
	    size_t n, size_t chunk, struct membuf *out)
{
	struct encode_params par = { .level = level, .threads = threads };
	char msg[CODEC_MSG_SIZE] = "";
	int fd = memfd_create("codec-test", MFD_CLOEXEC);
	struct outbuf ob;
	struct encoder *e;
	unsigned ki = 0;

	assert_true(fd >= 0);
	out_init(&ob, fd);
	e = c->encoder_new(&par, &ob, msg);
	if (!e)
		fail_msg("%s level %d: encoder_new: %s", c->name, level, msg);
	for (size_t at = 0; at < n;) {
		size_t k = next_chunk(TINY, &ki);

		if (chunk != TINY && (chunk == WHOLE || ki % 2))
			k = chunk;
		k = min_size(k, n - at);
		if (encoder_write(e, (const uint8_t *)p + at, k))
			fail_msg("%s: write: %s", c->name, e->msg);
		at += k;
	}
	if (encoder_finish(e))
		fail_msg("%s: finish: %s", c->name, e->msg);
	encoder_free(e);
	assert_int_equal(out_flush(&ob), 0);
	out_free(&ob);
	slurp_fd(fd, out);
	close(fd);
}

static void
encode(const struct codec *c, const void *p, size_t n, struct membuf *out)
{
	encode_with(c, c->default_level, 1, p, n, WHOLE, out);
}

static uint32_t
xorshift(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* n bytes, the same for the same seed: runs of text (compressible)
 * and of noise (not), about one run in four noise. */
static uint8_t *
mixed_data(size_t n, uint32_t seed)
{
	static const char *const words[] = {
		"kernel ", "initramfs ", "/usr/lib/modules/6.1.0/", "cpio ",
		"070701", "00000000", "TRAILER!!!", "\n", "console=ttyS0 ",
		"root=/dev/vda1 ", "rdinit=/init ", "\0\0\0\0",
	};
	uint8_t *p = malloc(n ? n : 1);
	uint32_t x = seed * 2654435761u + 1;
	size_t i = 0;

	assert_non_null(p);
	while (i < n) {
		size_t run = 1 + xorshift(&x) % 8192;
		bool noise = xorshift(&x) % 4 == 0;

		for (size_t j = 0; j < run && i < n;) {
			const char *w = words[xorshift(&x) % 12];
			size_t wl = w[0] ? strlen(w) : 4;

			if (noise) {
				p[i++] = (uint8_t)xorshift(&x);
				j++;
				continue;
			}
			for (size_t k = 0; k < wl && i < n; k++, j++)
				p[i++] = (uint8_t)w[k];
		}
	}
	return p;
}

static void
expect_roundtrip(const struct codec *c, const uint8_t *data, size_t n,
		 const struct membuf *z, size_t in_chunk, size_t out_chunk)
{
	struct dec_result r;

	decode(c, z->p, z->len, in_chunk, out_chunk, &r);
	expect_end(c, &r, data, n, z->len);
	dec_free(&r);
}

/* ---- round trips ------------------------------------------------- */

static void
roundtrip_empty(const struct codec *c)
{
	struct membuf z = { 0 };

	encode_with(c, c->default_level, 1, "", 0, TINY, &z);
	assert_true(z.len >= 2);
	assert_memory_equal(z.p, c->magic, 2);
	expect_roundtrip(c, NULL, 0, &z, TINY, TINY);
	expect_roundtrip(c, NULL, 0, &z, WHOLE, 64 * KIB);
	mb_free(&z);
}

static void
roundtrip_one_byte(const struct codec *c)
{
	struct membuf z = { 0 };

	encode_with(c, c->default_level, 1, "x", 1, TINY, &z);
	assert_memory_equal(z.p, c->magic, 2);
	expect_roundtrip(c, (const uint8_t *)"x", 1, &z, TINY, TINY);
	expect_roundtrip(c, (const uint8_t *)"x", 1, &z, WHOLE, 1);
	expect_roundtrip(c, (const uint8_t *)"x", 1, &z, WHOLE, 64 * KIB);
	mb_free(&z);
}

/* Several MiB at the fastest level (more blocks for bzip2), written
 * in a mix of tiny and large writes. */
static void
roundtrip_mixed_mib(const struct codec *c)
{
	size_t n = 3 * MIB + 12345;
	uint8_t *data = mixed_data(n, 1);
	struct membuf z = { 0 };

	encode_with(c, c->min_level, 2, data, n, 100 * KIB + 3, &z);
	assert_true(z.len < n);
	expect_roundtrip(c, data, n, &z, TINY, TINY);
	expect_roundtrip(c, data, n, &z, 256 * KIB, MIB);
	expect_roundtrip(c, data, n, &z, WHOLE, 3);
	expect_roundtrip(c, data, n, &z, 5, WHOLE);
	mb_free(&z);
	free(data);
}

/* The default level, and the same bytes on every run. */
static void
roundtrip_default_level_is_deterministic(const struct codec *c)
{
	size_t n = 300 * KIB;
	uint8_t *data = mixed_data(n, 2);
	struct membuf z1 = { 0 }, z2 = { 0 };

	encode_with(c, c->default_level, 1, data, n, WHOLE, &z1);
	encode_with(c, c->default_level, 1, data, n, TINY, &z2);
	assert_int_equal(z1.len, z2.len);
	assert_memory_equal(z1.p, z2.p, z1.len);
	expect_roundtrip(c, data, n, &z1, TINY, 4096);
	mb_free(&z1);
	mb_free(&z2);
	free(data);
}

static void
every_level_roundtrips(const struct codec *c)
{
	static const char text[] = "every level: hello hello hello hello\n";

	for (int level = c->min_level; level <= c->max_level; level++) {
		struct membuf z = { 0 };

		encode_with(c, level, 1, text, sizeof(text), WHOLE, &z);
		assert_memory_equal(z.p, c->magic, 2);
		expect_roundtrip(c, (const uint8_t *)text, sizeof(text), &z,
				 TINY, TINY);
		mb_free(&z);
	}
}

static void
encoder_refuses_bad_level(const struct codec *c)
{
	int bad[] = { c->min_level - 1, c->max_level + 1 };

	for (int i = 0; i < 2; i++) {
		struct encode_params par = { .level = bad[i], .threads = 1 };
		char msg[CODEC_MSG_SIZE] = "";
		struct outbuf ob;
		struct encoder *e;

		out_init(&ob, -1);
		e = c->encoder_new(&par, &ob, msg);
		if (e)
			fail_msg("%s: level %d accepted", c->name, bad[i]);
		if (!strstr(msg, "level"))
			fail_msg("%s: level %d refused with \"%s\"", c->name,
				 bad[i], msg);
		out_free(&ob);
	}
}

/* ---- where a member ends ----------------------------------------- */

/* a, then b, then NULs: a decoder stops at the end of a and leaves the
 * rest, whatever the chunking; decoding from there gives b. */
static void
stops_at_member_end(const struct codec *c)
{
	uint8_t *da = mixed_data(20000, 3), *db = mixed_data(7000, 4);
	struct membuf a = { 0 }, b = { 0 }, all = { 0 };
	static const size_t chunks[][2] = {
		{ TINY, TINY }, { WHOLE, WHOLE }, { WHOLE, 1 }, { 4096, 512 },
	};

	encode(c, da, 20000, &a);
	encode(c, db, 7000, &b);
	mb_append(&all, a.p, a.len);
	mb_append(&all, b.p, b.len);
	mb_fill(&all, 0, 512);
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		struct dec_result r;

		decode(c, all.p, all.len, chunks[i][0], chunks[i][1], &r);
		expect_end(c, &r, da, 20000, a.len);
		dec_free(&r);
		decode(c, all.p + a.len, all.len - a.len, chunks[i][0],
		       chunks[i][1], &r);
		expect_end(c, &r, db, 7000, b.len);
		dec_free(&r);
	}
	mb_free(&a);
	mb_free(&b);
	mb_free(&all);
	free(da);
	free(db);
}

/* An empty member followed by another member of the same kind. */
static void
empty_member_then_more(const struct codec *c)
{
	struct membuf a = { 0 }, all = { 0 };
	struct dec_result r;

	encode(c, "", 0, &a);
	mb_append(&all, a.p, a.len);
	mb_append(&all, a.p, a.len);
	decode(c, all.p, all.len, TINY, TINY, &r);
	expect_end(c, &r, NULL, 0, a.len);
	dec_free(&r);
	decode(c, all.p, all.len, WHOLE, WHOLE, &r);
	expect_end(c, &r, NULL, 0, a.len);
	dec_free(&r);
	mb_free(&a);
	mb_free(&all);
}

/* ---- damage ------------------------------------------------------ */

static void
truncation_never_ends(const struct codec *c)
{
	static const char text[] = "a small stream: the quick brown fox "
				   "jumps over the lazy dog 0123456789\n";
	struct membuf z = { 0 };

	encode(c, text, sizeof(text), &z);
	for (size_t n = 0; n < z.len; n++) {
		for (int pass = 0; pass < 2; pass++) {
			struct dec_result r;

			decode(c, z.p, n, pass ? WHOLE : TINY,
			       pass ? WHOLE : TINY, &r);
			if (r.status == DEC_END)
				fail_msg("%s: prefix of %zu of %zu bytes "
					 "ended", c->name, n, z.len);
			dec_free(&r);
		}
	}
	mb_free(&z);
}

/* Every single-bit flip of a small stream: an error, a truncation, or
 * (a bit the format does not use, such as padding) the same output.
 * .lzma has no checksum, so there a flip may give other output; such
 * flips are only counted. */
static void
bit_flips_are_caught(const struct codec *c)
{
	uint8_t *data = mixed_data(3000, 5);
	struct membuf z = { 0 };
	unsigned silent = 0;

	encode(c, data, 3000, &z);
	for (size_t bit = 0; bit < z.len * 8; bit++) {
		struct dec_result r;

		z.p[bit / 8] ^= (uint8_t)(1u << bit % 8);
		decode(c, z.p, z.len, bit % 7 ? WHOLE : TINY,
		       bit % 7 ? WHOLE : TINY, &r);
		z.p[bit / 8] ^= (uint8_t)(1u << bit % 8);
		if (r.status == DEC_END &&
		    (r.out.len != 3000 || memcmp(r.out.p, data, 3000))) {
			if (c != &codec_lzma)
				fail_msg("%s: flip of bit %zu of %zu gave "
					 "other output without an error",
					 c->name, bit, z.len * 8);
			silent++;
		}
		dec_free(&r);
	}
	if (silent)
		print_message("%s: %u of %zu flips decoded to other data "
			      "(no checksum in the format)\n", c->name, silent,
			      z.len * 8);
	mb_free(&z);
	free(data);
}

/* ---- the Debian tools -------------------------------------------- */

static bool
have_tool(const char *tool)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* A temporary file holding p[0..n); its name goes to path. */
static void
temp_file(char *path, size_t size, const void *p, size_t n)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, size, "%s/codec-test-XXXXXX", dir && *dir ? dir :
		 P_tmpdir);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_true(write(fd, p, n) == (ssize_t)n);
	assert_int_equal(close(fd), 0);
}

/* Runs "cmd < file holding in" and collects its standard output. */
static void
run_tool(const char *cmd, const void *in, size_t n, struct membuf *out)
{
	char path[4096], line[4096 + 256];
	uint8_t tmp[65536];
	size_t got;
	FILE *f;

	temp_file(path, sizeof(path), in, n);
	snprintf(line, sizeof(line), "%s < '%s'", cmd, path);
	f = popen(line, "r");
	assert_non_null(f);
	while ((got = fread(tmp, 1, sizeof(tmp), f)) > 0)
		mb_append(out, tmp, got);
	if (pclose(f) != 0)
		fail_msg("\"%s\" failed", cmd);
	unlink(path);
}

struct tool {
	const struct codec *codec;
	const char *name;
	const char *compress[3];	/* commands that make a stream */
	const char *decompress;
};

static const struct tool tools[] = {
	{ &codec_gzip, "gzip", { "gzip -n -c", "gzip -9 -n -c", "gzip -1 -c" },
	  "gzip -d -c" },
	{ &codec_bzip2, "bzip2", { "bzip2 -c", "bzip2 -1 -c", NULL },
	  "bzip2 -d -c" },
	{ &codec_lzma, "lzma", { "lzma -c", "lzma -0 -c", "lzma -9 -c" },
	  "lzma -d -c" },
	{ &codec_xz, "xz", { "xz --check=crc32 -c", "xz --check=none -0 -c",
			     "xz --check=crc32 -T2 --block-size=64KiB -c" },
	  "xz -d -c" },
};

static const struct tool *
tool_for(const struct codec *c)
{
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (tools[i].codec == c)
			return &tools[i];
	fail_msg("no tool for %s", c->name);
	return NULL;
}

static void
tool_streams_decode(const struct codec *c)
{
	const struct tool *t = tool_for(c);
	size_t n = 400 * KIB;
	uint8_t *data = mixed_data(n, 6);

	if (!have_tool(t->name)) {
		print_message("skipping: %s is not installed\n", t->name);
		free(data);
		skip();
	}
	for (int i = 0; i < 3 && t->compress[i]; i++) {
		struct membuf z = { 0 };
		struct dec_result r;

		run_tool(t->compress[i], data, n, &z);
		mb_fill(&z, 0, 4);
		decode(c, z.p, z.len, TINY, 1000, &r);
		expect_end(c, &r, data, n, z.len - 4);
		dec_free(&r);
		mb_free(&z);
	}
	free(data);
}

static void
tools_decode_ours(const struct codec *c)
{
	const struct tool *t = tool_for(c);
	size_t n = 400 * KIB;
	uint8_t *data = mixed_data(n, 7);
	int levels[] = { c->min_level, c->default_level };

	if (!have_tool(t->name)) {
		print_message("skipping: %s is not installed\n", t->name);
		free(data);
		skip();
	}
	for (int i = 0; i < 2; i++) {
		struct membuf z = { 0 }, back = { 0 };

		encode_with(c, levels[i], 2, data, n, 4099, &z);
		run_tool(t->decompress, z.p, z.len, &back);
		if (back.len != n || memcmp(back.p, data, n))
			fail_msg("%s: \"%s\" gave %zu bytes, not the %zu "
				 "written", c->name, t->decompress, back.len,
				 n);
		mb_free(&z);
		mb_free(&back);
	}
	free(data);
}

/* ---- gzip: the kernel's rules ------------------------------------ */

/* A gzip stream with header fields set through zlib. */
static void
gzip_with_header(gz_header *h, const void *p, size_t n, struct membuf *out)
{
	z_stream z = { 0 };
	uint8_t buf[65536];

	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	assert_int_equal(deflateSetHeader(&z, h), Z_OK);
	z.next_in = p;
	z.avail_in = (uInt)n;
	z.next_out = buf;
	z.avail_out = sizeof(buf);
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	mb_append(out, buf, sizeof(buf) - z.avail_out);
	deflateEnd(&z);
}

static void
gzip_fields_the_kernel_does_not_skip(void **state)
{
	static uint8_t extra[] = "ab\x02\x00xy";
	static const struct {
		int extra, comment, hcrc;
		const char *says;
	} cases[] = {
		{ 1, 0, 0, "FEXTRA field," },
		{ 0, 1, 0, "FCOMMENT field," },
		{ 0, 0, 1, "FHCRC field," },
		{ 1, 1, 1, "FEXTRA/FCOMMENT/FHCRC fields" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		gz_header h = { 0 };
		struct membuf z = { 0 };
		struct dec_result r;

		if (cases[i].extra) {
			h.extra = extra;
			h.extra_len = 6;
		}
		h.comment = cases[i].comment ? (Bytef *)"a comment" : NULL;
		h.hcrc = cases[i].hcrc;
		gzip_with_header(&h, "data", 4, &z);
		decode(&codec_gzip, z.p, z.len, TINY, TINY, &r);
		expect_error(&codec_gzip, &r, "gzip header has ",
			     cases[i].says);
		assert_non_null(strstr(r.msg, "the kernel does not skip"));
		dec_free(&r);
		mb_free(&z);
	}
}

static void
gzip_name_is_skipped(void **state)
{
	gz_header h = { .name = (Bytef *)"initrd.cpio", .time = 1234 };
	struct membuf z = { 0 };
	struct dec_result r;

	(void)state;
	gzip_with_header(&h, "data", 4, &z);
	mb_fill(&z, 0, 3);
	decode(&codec_gzip, z.p, z.len, TINY, TINY, &r);
	expect_end(&codec_gzip, &r, "data", 4, z.len - 3);
	dec_free(&r);
	decode(&codec_gzip, z.p, z.len, WHOLE, WHOLE, &r);
	expect_end(&codec_gzip, &r, "data", 4, z.len - 3);
	dec_free(&r);
	mb_free(&z);
}

static void
gzip_old_magic_and_other_methods_fail(void **state)
{
	struct membuf z = { 0 };
	struct dec_result r;

	(void)state;
	encode(&codec_gzip, "data", 4, &z);
	z.p[1] = 0x9e;
	decode(&codec_gzip, z.p, z.len, TINY, TINY, &r);
	expect_error(&codec_gzip, &r, "Not a gzip file: ", "1f 9e");
	dec_free(&r);
	/* Two bytes are enough to know. */
	decode(&codec_gzip, z.p, 2, WHOLE, WHOLE, &r);
	expect_error(&codec_gzip, &r, "Not a gzip file: ", "1f 9e");
	dec_free(&r);
	z.p[1] = 0x8b;
	z.p[2] = 7;
	decode(&codec_gzip, z.p, z.len, WHOLE, WHOLE, &r);
	expect_error(&codec_gzip, &r, "Not a gzip file: ", "method 7");
	dec_free(&r);
	mb_free(&z);
}

static void
gzip_trailer_is_checked(void **state)
{
	struct membuf z = { 0 };
	struct dec_result r;

	(void)state;
	encode(&codec_gzip, "data", 4, &z);
	z.p[z.len - 8] ^= 1;
	decode(&codec_gzip, z.p, z.len, TINY, TINY, &r);
	expect_error(&codec_gzip, &r, "gzip trailer: CRC32 mismatch", NULL);
	dec_free(&r);
	z.p[z.len - 8] ^= 1;
	z.p[z.len - 1] ^= 0x80;
	decode(&codec_gzip, z.p, z.len, WHOLE, WHOLE, &r);
	expect_error(&codec_gzip, &r, "gzip trailer: ISIZE mismatch", NULL);
	dec_free(&r);
	mb_free(&z);
}

static void
gzip_bad_deflate_is_uncompression_error(void **state)
{
	static const uint8_t bad[] = {
		0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3,
		0x07,	/* final block, reserved block type 3 */
		0, 0, 0, 0, 0, 0, 0, 0,
	};
	struct dec_result r;

	(void)state;
	decode(&codec_gzip, bad, sizeof(bad), TINY, TINY, &r);
	expect_error(&codec_gzip, &r, "uncompression error: ", NULL);
	dec_free(&r);
}

static void
gzip_header_has_no_name_nor_time(void **state)
{
	struct membuf z = { 0 };

	(void)state;
	encode(&codec_gzip, "data", 4, &z);
	/* magic, deflate, no flags, mtime 0; XFL and OS as zlib sets them */
	assert_memory_equal(z.p, "\x1f\x8b\x08\x00\x00\x00\x00\x00", 8);
	mb_free(&z);
}

/* ---- bzip2 ------------------------------------------------------- */

static void
bzip2_bad_magic_and_data_fail(void **state)
{
	uint8_t *data = mixed_data(5000, 8);
	struct membuf z = { 0 };
	struct dec_result r;

	(void)state;
	encode(&codec_bzip2, data, 5000, &z);
	z.p[3] = '0';
	decode(&codec_bzip2, z.p, z.len, TINY, TINY, &r);
	expect_error(&codec_bzip2, &r, "decompressor failed: ", "not bzip2");
	dec_free(&r);
	z.p[3] = '9';
	z.p[z.len / 2] ^= 0x10;
	decode(&codec_bzip2, z.p, z.len, WHOLE, WHOLE, &r);
	expect_error(&codec_bzip2, &r, "decompressor failed: ", "corrupt");
	dec_free(&r);
	mb_free(&z);
	free(data);
}

/* ---- lzma -------------------------------------------------------- */

static void
lzma_header_is_what_the_kernel_dispatches(void **state)
{
	(void)state;
	for (int level = 0; level <= 9; level++) {
		struct membuf z = { 0 };

		encode_with(&codec_lzma, level, 1, "", 0, WHOLE, &z);
		assert_true(z.len >= 13);
		if (z.p[0] != 0x5d || z.p[1] != 0)
			fail_msg("level %d starts %02x %02x, not 5d 00", level,
				 z.p[0], z.p[1]);
		/* unknown size: the data ends with an end marker */
		assert_memory_equal(z.p + 5, "\xff\xff\xff\xff\xff\xff\xff\xff",
				    8);
		mb_free(&z);
	}
}

static void
lzma_huge_dictionary_is_refused(void **state)
{
	struct membuf z = { 0 };
	struct dec_result r;

	(void)state;
	encode(&codec_lzma, "data", 4, &z);
	memcpy(z.p + 1, "\x00\x00\x00\xc0", 4);	/* 3 GiB */
	decode(&codec_lzma, z.p, z.len, TINY, TINY, &r);
	expect_error(&codec_lzma, &r, "LZMA dictionary too large: ", "MiB");
	dec_free(&r);
	z.p[0] = 225;	/* lc/lp/pb beyond 9 * 5 * 5 */
	memcpy(z.p + 1, "\x00\x00\x01\x00", 4);
	decode(&codec_lzma, z.p, z.len, WHOLE, WHOLE, &r);
	expect_error(&codec_lzma, &r, "bad header: ", NULL);
	dec_free(&r);
	mb_free(&z);
}

/* ---- xz ---------------------------------------------------------- */

static void
xz_buffer(lzma_check check, const void *p, size_t n, struct membuf *out)
{
	uint8_t buf[4096];
	size_t len = 0;

	assert_int_equal(lzma_easy_buffer_encode(6, check, NULL, p, n, buf,
						 &len, sizeof(buf)), LZMA_OK);
	mb_append(out, buf, len);
}

static void
xz_only_crc32_or_no_check(void **state)
{
	static const struct {
		lzma_check check;
		const char *name;
	} bad[] = {
		{ LZMA_CHECK_CRC64, "check type CRC64" },
		{ LZMA_CHECK_SHA256, "check type SHA-256" },
	};
	lzma_check good[] = { LZMA_CHECK_NONE, LZMA_CHECK_CRC32 };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct membuf z = { 0 };
		struct dec_result r;

		xz_buffer(bad[i].check, "data", 4, &z);
		decode(&codec_xz, z.p, z.len, TINY, TINY, &r);
		expect_error(&codec_xz, &r, "Input was encoded with settings "
			     "that are not supported by this XZ decoder: ",
			     bad[i].name);
		assert_non_null(strstr(r.msg, "xz --check=crc32"));
		dec_free(&r);
		mb_free(&z);
	}
	for (size_t i = 0; i < 2; i++) {
		struct membuf z = { 0 };
		struct dec_result r;

		xz_buffer(good[i], "data", 4, &z);
		decode(&codec_xz, z.p, z.len, TINY, TINY, &r);
		expect_end(&codec_xz, &r, "data", 4, z.len);
		dec_free(&r);
		mb_free(&z);
	}
}

static void
xz_tool_default_crc64_is_refused(void **state)
{
	struct membuf z = { 0 };
	struct dec_result r;

	(void)state;
	if (!have_tool("xz")) {
		print_message("skipping: xz is not installed\n");
		skip();
	}
	run_tool("xz -c", "data", 4, &z);
	decode(&codec_xz, z.p, z.len, WHOLE, WHOLE, &r);
	expect_error(&codec_xz, &r, "Input was encoded with settings", "CRC64");
	dec_free(&r);
	mb_free(&z);
}

static void
xz_corrupt_data_has_kernel_words(void **state)
{
	uint8_t *data = mixed_data(5000, 9);
	struct membuf z = { 0 };
	struct dec_result r;

	(void)state;
	encode(&codec_xz, data, 5000, &z);
	z.p[z.len / 2] ^= 0x01;
	decode(&codec_xz, z.p, z.len, WHOLE, WHOLE, &r);
	expect_error(&codec_xz, &r, "XZ-compressed data is corrupt: ", NULL);
	dec_free(&r);
	mb_free(&z);
	free(data);
}

/* ---- xz: the kernel's filter rules, in every block ----------------- */

#define XZ_REFUSED "Input was encoded with settings that are not " \
		   "supported by this XZ decoder: "

/* The xz tool's filter options: what the kernel's decoder (x86 BCJ
 * only, no start offset, LZMA2 last) takes and what it refuses. */
static void
xz_tool_filters_as_the_kernel(void **state)
{
	static const struct {
		const char *cmd;
		const char *refused;	/* the detail, or NULL: accepted */
	} cases[] = {
		{ "xz --check=crc32 --delta --lzma2 -c",
		  "delta filter (0x03) in block 1" },
		{ "xz --check=crc32 --arm --lzma2 -c",
		  "ARM filter (0x07) in block 1" },
		{ "xz --check=crc32 --armthumb --lzma2=preset=0 -c",
		  "ARM-Thumb filter (0x08) in block 1" },
		{ "xz --check=crc32 --x86=start=16 --lzma2 -c",
		  "x86 filter with a start offset in block 1" },
		{ "xz --check=crc32 --x86 --lzma2 -c", NULL },
		{ "xz --check=crc32 --lzma2 -c", NULL },
		{ "xz --check=none -T2 --block-size=64KiB --x86 --lzma2 -c",
		  NULL },
	};
	size_t n = 150 * KIB;
	uint8_t *data = mixed_data(n, 11);

	(void)state;
	if (!have_tool("xz")) {
		print_message("skipping: xz is not installed\n");
		free(data);
		skip();
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct membuf z = { 0 };
		struct dec_result r;

		run_tool(cases[i].cmd, data, n, &z);
		mb_fill(&z, 0, 4);
		for (int pass = 0; pass < 2; pass++) {
			decode(&codec_xz, z.p, z.len, pass ? WHOLE : TINY,
			       pass ? WHOLE : 1000, &r);
			if (cases[i].refused)
				expect_error(&codec_xz, &r, XZ_REFUSED,
					     cases[i].refused);
			else
				expect_end(&codec_xz, &r, data, n, z.len - 4);
			dec_free(&r);
		}
		mb_free(&z);
	}
	free(data);
}

/* Appends one CRC32 block of p[0..n) with the filter chain f (ended by
 * LZMA_VLI_UNKNOWN), header included, and lists it in idx. */
static void
xz_block(lzma_index *idx, const lzma_filter *f, const void *p, size_t n,
	 struct membuf *out)
{
	lzma_block b = {
		.check = LZMA_CHECK_CRC32,
		.filters = (lzma_filter *)f,
		.compressed_size = LZMA_VLI_UNKNOWN,
		.uncompressed_size = LZMA_VLI_UNKNOWN,
	};
	lzma_stream s = LZMA_STREAM_INIT;
	uint8_t buf[LZMA_BLOCK_HEADER_SIZE_MAX];
	lzma_ret ret;

	assert_int_equal(lzma_block_header_size(&b), LZMA_OK);
	assert_int_equal(lzma_block_header_encode(&b, buf), LZMA_OK);
	mb_append(out, buf, b.header_size);
	assert_int_equal(lzma_block_encoder(&s, &b), LZMA_OK);
	s.next_in = p;
	s.avail_in = n;
	do {
		s.next_out = buf;
		s.avail_out = sizeof(buf);
		ret = lzma_code(&s, LZMA_FINISH);
		mb_append(out, buf, sizeof(buf) - s.avail_out);
	} while (ret == LZMA_OK);
	assert_int_equal(ret, LZMA_STREAM_END);
	lzma_end(&s);
	assert_int_equal(lzma_index_append(idx, NULL,
					   lzma_block_unpadded_size(&b),
					   b.uncompressed_size), LZMA_OK);
}

/* A CRC32 stream of count blocks, block i holding the i-th of count
 * equal slices of p[0..n), encoded with chains[i]. */
static void
xz_blocks(const lzma_filter *const *chains, size_t count, const uint8_t *p,
	  size_t n, struct membuf *out)
{
	lzma_stream_flags fl = { .check = LZMA_CHECK_CRC32 };
	lzma_index *idx = lzma_index_init(NULL);
	uint8_t buf[4096];
	size_t pos = 0;

	assert_non_null(idx);
	assert_int_equal(lzma_stream_header_encode(&fl, buf), LZMA_OK);
	mb_append(out, buf, LZMA_STREAM_HEADER_SIZE);
	for (size_t i = 0; i < count; i++)
		xz_block(idx, chains[i], p + i * n / count,
			 (i + 1) * n / count - i * n / count, out);
	assert_int_equal(lzma_index_buffer_encode(idx, buf, &pos, sizeof(buf)),
			 LZMA_OK);
	mb_append(out, buf, pos);
	fl.backward_size = lzma_index_size(idx);
	assert_int_equal(lzma_stream_footer_encode(&fl, buf), LZMA_OK);
	mb_append(out, buf, LZMA_STREAM_HEADER_SIZE);
	lzma_index_end(idx, NULL);
}

struct xz_chains {
	lzma_options_lzma lz;
	lzma_options_bcj start16;
	lzma_options_delta delta;
	lzma_filter lzma2[2], x86[3], x86_start16[3], arm[3], delta2[3],
		    three[4];
};

/* The filter chains of the tests below, all ending in LZMA2 preset 0
 * (256 KiB dictionary). */
static void
xz_chains_init(struct xz_chains *c)
{
	const lzma_filter end = { .id = LZMA_VLI_UNKNOWN };
	const lzma_filter lz = { .id = LZMA_FILTER_LZMA2, .options = &c->lz };

	memset(c, 0, sizeof(*c));
	assert_false(lzma_lzma_preset(&c->lz, 0));
	c->start16.start_offset = 16;
	c->delta.type = LZMA_DELTA_TYPE_BYTE;
	c->delta.dist = 4;
	c->lzma2[0] = lz;
	c->lzma2[1] = end;
	c->x86[0].id = LZMA_FILTER_X86;
	c->x86_start16[0].id = LZMA_FILTER_X86;
	c->x86_start16[0].options = &c->start16;
	c->arm[0].id = LZMA_FILTER_ARM;
	c->delta2[0].id = LZMA_FILTER_DELTA;
	c->delta2[0].options = &c->delta;
	c->x86[1] = c->x86_start16[1] = c->arm[1] = c->delta2[1] = lz;
	c->x86[2] = c->x86_start16[2] = c->arm[2] = c->delta2[2] = end;
	c->three[0] = c->x86[0];
	c->three[1] = c->delta2[0];
	c->three[2] = lz;
	c->three[3] = end;
}

/* A stream whose first blocks boot and a later one does not fails at
 * that block, after the output of those before it. */
static void
xz_later_block_with_other_filter(void **state)
{
	size_t n = 3 * 64 * KIB;
	uint8_t *data = mixed_data(n, 12);
	struct xz_chains c;
	const struct {
		const lzma_filter *chain[3];
		const char *refused;
	} cases[] = {
		{ { c.lzma2, c.lzma2, c.arm }, "ARM filter (0x07) in block 3" },
		{ { c.lzma2, c.x86_start16, c.lzma2 },
		  "x86 filter with a start offset in block 2" },
		{ { c.x86, c.delta2, c.x86 },
		  "delta filter (0x03) in block 2" },
		{ { c.lzma2, c.lzma2, c.three },
		  "3 filters in block 3 (the kernel takes at most two)" },
		{ { c.lzma2, c.x86, c.lzma2 }, NULL },
		{ { c.x86, c.x86, c.x86 }, NULL },
	};

	(void)state;
	xz_chains_init(&c);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct membuf z = { 0 };
		struct dec_result r;

		xz_blocks(cases[i].chain, 3, data, n, &z);
		mb_fill(&z, 0, 8);
		for (int pass = 0; pass < 2; pass++) {
			decode(&codec_xz, z.p, z.len, pass ? WHOLE : TINY,
			       pass ? WHOLE : TINY, &r);
			if (!cases[i].refused) {
				expect_end(&codec_xz, &r, data, n, z.len - 8);
				dec_free(&r);
				continue;
			}
			expect_error(&codec_xz, &r, XZ_REFUSED,
				     cases[i].refused);
			/* the blocks before it were decoded */
			if (pass && r.out.len != (size_t)(strstr(r.msg,
			    "block 3") ? 2 : 1) * (n / 3))
				fail_msg("%zu bytes before \"%s\"", r.out.len,
					 r.msg);
			dec_free(&r);
		}
		mb_free(&z);
	}
	free(data);
}

/* Sets byte at of z (inside the block header starting at hdr) to v and
 * makes the header's CRC32 right again. */
static void
xz_patch_header(struct membuf *z, size_t hdr, size_t at, uint8_t v)
{
	size_t size = ((size_t)z->p[hdr] + 1) * 4 - 4;
	uint32_t crc;

	z->p[at] = v;
	crc = lzma_crc32(z->p + hdr, size, 0);
	for (int i = 0; i < 4; i++)
		z->p[hdr + size + i] = (uint8_t)(crc >> 8 * i);
}

struct header_patch {
	int chain;		/* 0: LZMA2 alone, 1: x86 start=16 + LZMA2 */
	size_t at;		/* from the block header's start */
	uint8_t value;
	const char *prefix, *detail;
};

/* Block headers the xz tool does not write, made by hand: the kernel
 * refuses each (dec_block_header), or it needs more memory than the
 * limit. Both chains' headers start at byte 12: size, flags, then
 * LZMA2 alone: 21 01 <dict>; x86 start=16: 04 04 <offset LE32> 21 01. */
static void
xz_block_headers_made_by_hand(void **state)
{
	static const struct header_patch cases[] = {
		{ 0, 1, 0x04, XZ_REFUSED, "reserved block flags 0x04 in "
		  "block 1" },
		{ 0, 1, 0x20, XZ_REFUSED, "reserved block flags 0x20" },
		/* a stored start offset of 0 is still a Size of
		 * Properties of 4 */
		{ 1, 4, 0x00, XZ_REFUSED, "x86 filter with a start offset" },
		{ 0, 4, 40, XZ_REFUSED, "LZMA2 dictionary over 3 GiB in "
		  "block 1" },
		{ 0, 4, 38, "XZ decompressor ran out of memory: ",
		  "decoding needs 2049 MiB" },
		/* delta alone (props size 1 fits it) */
		{ 0, 2, 0x03, XZ_REFUSED, "delta filter (0x03) last in "
		  "block 1 (the kernel needs LZMA2 there)" },
		/* a filter ID liblzma does not know */
		{ 0, 2, 0x1f, XZ_REFUSED, "unsupported options" },
		{ 0, 3, 0x02, XZ_REFUSED, NULL },
	};
	uint8_t *data = mixed_data(5000, 13);
	struct xz_chains c;
	const lzma_filter *chains[2];

	(void)state;
	xz_chains_init(&c);
	chains[0] = c.lzma2;
	chains[1] = c.x86_start16;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct membuf z = { 0 };
		struct dec_result r;

		xz_blocks(&chains[cases[i].chain], 1, data, 5000, &z);
		xz_patch_header(&z, 12, 12 + cases[i].at, cases[i].value);
		decode(&codec_xz, z.p, z.len, i % 2 ? WHOLE : TINY,
		       i % 2 ? WHOLE : TINY, &r);
		expect_error(&codec_xz, &r, cases[i].prefix, cases[i].detail);
		dec_free(&r);
		mb_free(&z);
	}
	free(data);
}

static void
xz_header_says_crc32(void **state)
{
	struct membuf z = { 0 };

	(void)state;
	encode(&codec_xz, "", 0, &z);
	assert_memory_equal(z.p, "\xfd" "7zXZ\0" "\x00\x01", 8);
	mb_free(&z);
}

static uint32_t
le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The number of blocks, from the stream's index (xz file format 4). */
static uint64_t
xz_block_count(const struct membuf *z)
{
	size_t index_size = ((size_t)le32(z->p + z->len - 8) + 1) * 4;
	const uint8_t *p = z->p + z->len - 12 - index_size;
	uint64_t count = 0;

	assert_int_equal(p[0], 0);	/* index indicator */
	for (int i = 0; i < 9; i++) {
		count |= (uint64_t)(p[1 + i] & 0x7f) << (7 * i);
		if (!(p[1 + i] & 0x80))
			break;
	}
	return count;
}

/* Level 0 blocks are 1 MiB (3 x 256 KiB, at least 1 MiB) whatever the
 * thread count, so 4.5 MiB make 5 blocks and the same bytes for 1, 2
 * and 4 threads and for any write pattern. */
static void
xz_same_bytes_for_every_thread_count(void **state)
{
	size_t n = 4 * MIB + MIB / 2;
	uint8_t *data = mixed_data(n, 10);
	struct membuf z1 = { 0 };
	static const struct {
		int threads;
		size_t chunk;
	} runs[] = {
		{ 2, WHOLE }, { 4, 65536 + 17 }, { 1, 4 * MIB }, { 3, MIB },
	};

	(void)state;
	encode_with(&codec_xz, 0, 1, data, n, WHOLE, &z1);
	assert_int_equal(xz_block_count(&z1), 5);
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		struct membuf z = { 0 };

		encode_with(&codec_xz, 0, runs[i].threads, data, n,
			    runs[i].chunk, &z);
		if (z.len != z1.len || memcmp(z.p, z1.p, z.len))
			fail_msg("%d threads: %zu bytes, differ from the %zu "
				 "of 1 thread", runs[i].threads, z.len, z1.len);
		mb_free(&z);
	}
	expect_roundtrip(&codec_xz, data, n, &z1, 65536, 65536);
	mb_free(&z1);
	free(data);
}

static void
xz_encoder_refuses_zero_threads(void **state)
{
	struct encode_params par = { .level = 6, .threads = 0 };
	char msg[CODEC_MSG_SIZE] = "";
	struct outbuf ob;

	(void)state;
	out_init(&ob, -1);
	assert_null(codec_xz.encoder_new(&par, &ob, msg));
	assert_non_null(strstr(msg, "threads"));
	out_free(&ob);
}

/* ---- the table --------------------------------------------------- */

#define PER_CODEC(fn)                                                   \
	static void fn##_gzip(void **s) { (void)s; fn(&codec_gzip); }   \
	static void fn##_bzip2(void **s) { (void)s; fn(&codec_bzip2); } \
	static void fn##_lzma(void **s) { (void)s; fn(&codec_lzma); }   \
	static void fn##_xz(void **s) { (void)s; fn(&codec_xz); }
#define CODEC_TESTS(fn)                                                 \
	cmocka_unit_test(fn##_gzip), cmocka_unit_test(fn##_bzip2),      \
	cmocka_unit_test(fn##_lzma), cmocka_unit_test(fn##_xz)

PER_CODEC(roundtrip_empty)
PER_CODEC(roundtrip_one_byte)
PER_CODEC(roundtrip_mixed_mib)
PER_CODEC(roundtrip_default_level_is_deterministic)
PER_CODEC(every_level_roundtrips)
PER_CODEC(encoder_refuses_bad_level)
PER_CODEC(stops_at_member_end)
PER_CODEC(empty_member_then_more)
PER_CODEC(truncation_never_ends)
PER_CODEC(bit_flips_are_caught)
PER_CODEC(tool_streams_decode)
PER_CODEC(tools_decode_ours)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		CODEC_TESTS(roundtrip_empty),
		CODEC_TESTS(roundtrip_one_byte),
		CODEC_TESTS(roundtrip_mixed_mib),
		CODEC_TESTS(roundtrip_default_level_is_deterministic),
		CODEC_TESTS(every_level_roundtrips),
		CODEC_TESTS(encoder_refuses_bad_level),
		CODEC_TESTS(stops_at_member_end),
		CODEC_TESTS(empty_member_then_more),
		CODEC_TESTS(truncation_never_ends),
		CODEC_TESTS(bit_flips_are_caught),
		CODEC_TESTS(tool_streams_decode),
		CODEC_TESTS(tools_decode_ours),
		cmocka_unit_test(gzip_fields_the_kernel_does_not_skip),
		cmocka_unit_test(gzip_name_is_skipped),
		cmocka_unit_test(gzip_old_magic_and_other_methods_fail),
		cmocka_unit_test(gzip_trailer_is_checked),
		cmocka_unit_test(gzip_bad_deflate_is_uncompression_error),
		cmocka_unit_test(gzip_header_has_no_name_nor_time),
		cmocka_unit_test(bzip2_bad_magic_and_data_fail),
		cmocka_unit_test(lzma_header_is_what_the_kernel_dispatches),
		cmocka_unit_test(lzma_huge_dictionary_is_refused),
		cmocka_unit_test(xz_only_crc32_or_no_check),
		cmocka_unit_test(xz_tool_default_crc64_is_refused),
		cmocka_unit_test(xz_corrupt_data_has_kernel_words),
		cmocka_unit_test(xz_tool_filters_as_the_kernel),
		cmocka_unit_test(xz_later_block_with_other_filter),
		cmocka_unit_test(xz_block_headers_made_by_hand),
		cmocka_unit_test(xz_header_says_crc32),
		cmocka_unit_test(xz_same_bytes_for_every_thread_count),
		cmocka_unit_test(xz_encoder_refuses_zero_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
