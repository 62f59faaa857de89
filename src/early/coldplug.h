/*
 * coldplug.h - drivers for the devices that were there before kinit
 * listened for uevents: every "modalias" file under /sys/devices asked
 * for through modload, as udev's "trigger" would make it happen.
 *
 * kinit opens the uevent socket first, then scans: a device that a
 * module brings during the scan (virtio0 under the virtio PCI device) is
 * either seen by the walk or announced on the socket, never neither.
 */
#ifndef ES_EARLY_COLDPLUG_H
#define ES_EARLY_COLDPLUG_H

#include "early/modload.h"

/* How deep the walk goes below sysfs_devices; sysfs nests devices a
 * dozen or so levels deep (pci0000:00/0000:00:03.0/virtio0/block/vda/
 * vda1). */
#define COLDPLUG_DEPTH_MAX 48u

/* Walks sysfs_devices (normally "/sys/devices") with openat and
 * fdopendir, never following a symbolic link, and requests the value of
 * each "modalias" file once (identical aliases are asked for once) with
 * modload_request. An alias no module matches is normal and not logged;
 * a directory that cannot be read is logged and skipped. Returns the
 * number of modules inserted, or -errno when sysfs_devices itself
 * cannot be opened. */
int coldplug_scan(struct modload *m, const char *sysfs_devices);

#endif
