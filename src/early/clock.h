/*
 * clock.h - the one clock of the target binary: CLOCK_MONOTONIC in
 * milliseconds, for the log's timestamps and every deadline (rootwait,
 * ipconfig -t). Read by the system call itself: musl's clock_gettime
 * first looks the vDSO up (0.7 KiB of code), a saving of nanoseconds
 * kinit never needs. Linux on 64-bit ABIs, where struct timespec is
 * the kernel's.
 */
#ifndef ES_EARLY_CLOCK_H
#define ES_EARLY_CLOCK_H

/* Milliseconds since some fixed point (the boot); 0 if unreadable. */
long long clock_ms(void);

#endif
