/* log.c - see log.h. */
#include "early/log.h"
#include "early/clock.h"
#include "early/sysfile.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void
log_init(struct log *log, const char *prog)
{
	log->fd = 2;
	log->kmsg = 0;
	log->max_level = LOG_INFO;
	log->prog = prog;
	log->devkmsg[0] = '\0';
	log->start_ms = clock_ms();
}

#define DEVKMSG "/proc/sys/kernel/printk_devkmsg"

/* Keeps the current printk_devkmsg in log->devkmsg and sets "on". */
static void
lift_ratelimit(struct log *log)
{
	if (sysfile_read(DEVKMSG, log->devkmsg, sizeof(log->devkmsg)) <= 0 ||
	    strcmp(log->devkmsg, "on") == 0 ||
	    sysfile_write(DEVKMSG, "on") != 0)
		log->devkmsg[0] = '\0';
}

void
log_to_kmsg(struct log *log)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return;
	log->fd = fd;
	log->kmsg = 1;
	lift_ratelimit(log);
}

void
log_close(struct log *log)
{
	if (log->devkmsg[0])
		sysfile_write(DEVKMSG, log->devkmsg);
	log->devkmsg[0] = '\0';
	if (log->kmsg)
		close(log->fd);
	log->fd = 2;
	log->kmsg = 0;
}

unsigned long
log_elapsed_ms(const struct log *log)
{
	return (unsigned long)(clock_ms() - log->start_ms);
}

void
log_msg(const struct log *log, int level, const char *fmt, ...)
{
	char line[1024];
	int n;
	va_list ap;

	if (level > log->max_level)
		return;
	/* One write per message: /dev/kmsg takes a record per write(2). */
	if (log->kmsg)
		n = snprintf(line, sizeof(line), "<%d>%s: +%lums ", level,
			     log->prog, log_elapsed_ms(log));
	else
		n = snprintf(line, sizeof(line), "%s: ", log->prog);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* Nothing to do about a lost message: the log is the fallback. */
	if (write(log->fd, line, (size_t)n) < 0)
		return;
}
