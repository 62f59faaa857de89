/*
 * resume.h - waking a hibernated system: the kernel reads the image
 * from the device written to /sys/power/resume (kernel/power/
 * hibernate.c, software_resume). When there is an image the write never
 * returns (the old system takes over); when there is none the kernel
 * says so in its log and the boot goes on.
 */
#ifndef ES_EARLY_RESUME_H
#define ES_EARLY_RESUME_H

#include "early/blockdev.h"
#include "early/log.h"

/* A swap device without the hibernation signature holds no image;
 * with an offset (a swap file) the signature is not at the start, and
 * the kernel is asked anyway. Returns 0 when there was nothing to
 * resume, -errno when the kernel could not be asked. */
int resume_from(struct blockdev *bd, unsigned long long offset,
		const struct log *log);

#endif
