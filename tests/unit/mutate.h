/* mutate.h - random damage for the codec tests' mutation rounds: a
 * fixed seed, so that a failure repeats on every run. */
#ifndef ES_TESTS_MUTATE_H
#define ES_TESTS_MUTATE_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t
mutate_next(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed;
}

/* One to four bytes of b (len of them, len > 0) set to random values. */
static inline void
mutate_bytes(uint8_t *b, size_t len, uint32_t *seed)
{
	int flips = 1 + (int)((mutate_next(seed) >> 16) % 4);

	while (flips--) {
		uint32_t r = mutate_next(seed);

		b[(r >> 8) % len] = (uint8_t)(r >> 24);
	}
}

#endif
