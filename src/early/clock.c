/* clock.c - see clock.h. */
#include "early/clock.h"

#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

long long
clock_ms(void)
{
	struct timespec ts;

	if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
