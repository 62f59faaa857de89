/*
 * number.h - numbers and IPv4 addresses read from text in the target
 * binary. musl's strtoul family (its scanner works through a FILE) and
 * inet_aton, which calls it, cost 2.5 KiB of the 96 KiB budget for what
 * kinit reads: unsigned numbers in sysfs and on the command line, and
 * dotted quads (and IPv6 addresses written). A sign, where one is allowed, is the caller's.
 */
#ifndef ES_EARLY_NUMBER_H
#define ES_EARLY_NUMBER_H

#include <stdbool.h>
#include <stdint.h>

/* Reads the unsigned number at *s in base 8, 10 or 16 (16 takes an
 * optional 0x; 0 means as C writes it: 0x hex, a leading 0 octal, else
 * decimal): digits only, no sign, no blanks. On success advances *s
 * past it. False when there is no digit or the value passes max. */
bool number_scan(const char **s, unsigned base, unsigned long long max,
		 unsigned long long *v);
/* The whole of s as such a number. */
bool number_parse(const char *s, unsigned base, unsigned long long max,
		  unsigned long long *v);
/* "a.b.c.d", four decimal numbers 0-255, into network byte order. */
bool number_ipv4(const char *s, uint32_t *addr);
/* addr (network byte order) as "a.b.c.d" in buf; returns buf. */
#define NUMBER_IPV4_SIZE 16
const char *number_ipv4_text(uint32_t addr, char buf[NUMBER_IPV4_SIZE]);
/* 16 bytes of an IPv6 address in RFC 5952's text form; returns buf. */
#define NUMBER_IPV6_SIZE 46
const char *number_ipv6_text(const uint8_t addr[16], char buf[NUMBER_IPV6_SIZE]);

#endif
