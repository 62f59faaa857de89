/*
 * log.h - what the early programs say, and where.
 *
 * kinit as PID 1 writes to /dev/kmsg, so its steps land in the kernel's
 * log with the kernel's timestamps and on the console with them; each
 * message also carries the time since kinit started ("+12ms"), which is
 * the boot timeline `make demo` shows. The applets run from a shell
 * (run-init, fstype, modprobe, resume) write to stderr instead.
 *
 * Levels are the kernel's: errors and warnings always show, steps (info)
 * unless `quiet`, details (debug) only with `kinit.debug`.
 */
#ifndef ES_EARLY_LOG_H
#define ES_EARLY_LOG_H

#include <stdint.h>

enum log_level {
	LOG_ERR = 3,
	LOG_WARN = 4,
	LOG_INFO = 6,
	LOG_DEBUG = 7,
};

struct log {
	int fd;			/* /dev/kmsg or 2 */
	int kmsg;		/* fd is /dev/kmsg: prefix "<level>" */
	int max_level;		/* messages above it are dropped */
	const char *prog;	/* "kinit", "modprobe" */
	char devkmsg[16];	/* printk_devkmsg to restore, or "" */
	long long start_ms;	/* clock_ms() at log_init */
};

/* Writes to stderr until log_to_kmsg; level LOG_INFO. */
void log_init(struct log *log, const char *prog);
/* Switches to /dev/kmsg (opened close-on-exec); keeps stderr if it
 * cannot be opened. The kernel lets a reader of /dev/kmsg write ten
 * records per five seconds unless printk_devkmsg is "on": with /proc
 * mounted, it is set so until log_close puts the old value back. */
void log_to_kmsg(struct log *log);
void log_close(struct log *log);

void log_msg(const struct log *log, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_err(l, ...) log_msg((l), LOG_ERR, __VA_ARGS__)
#define log_warn(l, ...) log_msg((l), LOG_WARN, __VA_ARGS__)
#define log_info(l, ...) log_msg((l), LOG_INFO, __VA_ARGS__)
#define log_debug(l, ...) log_msg((l), LOG_DEBUG, __VA_ARGS__)

/* Milliseconds since log_init. */
unsigned long log_elapsed_ms(const struct log *log);

#endif
