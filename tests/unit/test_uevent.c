/* test_uevent.c - uevent_parse on datagrams in the kernel's format
 * (lib/kobject_uevent.c: "ACTION@DEVPATH\0" then "KEY=VALUE\0"...),
 * truncated and malformed ones, and udev's "libudev" ones, which are
 * not the kernel's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "early/uevent.h"

/* A datagram from its fields, each ending in NUL (C strings given
 * with "\0" between them and the last NUL implied). */
#define MSG(s) s, sizeof(s)

static int
parse(struct uevent *ev, const char *msg, size_t len)
{
	assert_true(len <= sizeof(ev->buf));
	memcpy(ev->buf, msg, len);
	return uevent_parse(ev, len);
}

static void
block_partition(void **state)
{
	struct uevent ev;

	(void)state;
	assert_int_equal(parse(&ev, MSG("add@/devices/pci0000:00/0000:00:04.0/virtio1/block/vda/vda1\0"
					 "ACTION=add\0"
					 "DEVPATH=/devices/pci0000:00/0000:00:04.0/virtio1/block/vda/vda1\0"
					 "SUBSYSTEM=block\0"
					 "MAJOR=253\0MINOR=1\0"
					 "DEVNAME=vda1\0DEVTYPE=partition\0"
					 "DISKSEQ=9\0PARTN=1\0PARTNAME=root\0SEQNUM=1234")), 1);
	assert_string_equal(ev.action, "add");
	assert_string_equal(ev.devpath, "/devices/pci0000:00/0000:00:04.0/virtio1/block/vda/vda1");
	assert_string_equal(ev.subsystem, "block");
	assert_string_equal(ev.devname, "vda1");
	assert_string_equal(ev.devtype, "partition");
	assert_string_equal(ev.partname, "root");
	assert_int_equal(ev.major, 253);
	assert_int_equal(ev.minor, 1);
	assert_int_equal(ev.partn, 1);
	assert_null(ev.modalias);
}

static void
modalias_device(void **state)
{
	struct uevent ev;

	(void)state;
	assert_int_equal(parse(&ev, MSG("add@/devices/pci0000:00/0000:00:04.0/virtio1\0"
					 "ACTION=add\0DEVPATH=/devices/pci0000:00/0000:00:04.0/virtio1\0"
					 "SUBSYSTEM=virtio\0MODALIAS=virtio:d00000002v00001AF4\0"
					 "SEQNUM=812")), 1);
	assert_string_equal(ev.modalias, "virtio:d00000002v00001AF4");
	assert_string_equal(ev.subsystem, "virtio");
	assert_int_equal(ev.major, 0);
	assert_int_equal(ev.minor, 0);
	assert_int_equal(ev.partn, 0);
	assert_null(ev.devname);
	assert_null(ev.devtype);
	assert_null(ev.partname);
}

/* Fields the parser does not know, and a header-only "remove". */
static void
unknown_fields_kept_out(void **state)
{
	struct uevent ev;

	(void)state;
	assert_int_equal(parse(&ev, MSG("remove@/devices/virtual/net/tap0\0"
					 "ACTION=remove\0DEVPATH=/devices/virtual/net/tap0\0"
					 "SUBSYSTEM=net\0INTERFACE=tap0\0IFINDEX=7\0X=\0SEQNUM=3")), 1);
	assert_string_equal(ev.action, "remove");
	assert_string_equal(ev.subsystem, "net");
	assert_null(ev.modalias);
}

/* A datagram cut anywhere inside its last field is refused, and none
 * of its values are handed out. */
static void
truncated_refused(void **state)
{
	static const char msg[] = "add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0"
				  "MODALIAS=pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00";
	struct uevent ev;

	(void)state;
	for (size_t len = 1; len < sizeof(msg) - 1; len++) {
		int rc = parse(&ev, msg, len);

		if (msg[len - 1] == '\0')
			continue;
		assert_int_equal(rc, -EINVAL);
		assert_null(ev.modalias);
		assert_null(ev.action);
	}
	assert_int_equal(parse(&ev, msg, sizeof(msg)), 1);
}

/* Cut between fields it is whole but may lack what it needs. */
static void
cut_between_fields(void **state)
{
	struct uevent ev;

	(void)state;
	assert_int_equal(parse(&ev, MSG("add@/devices/x")), -EINVAL);
	assert_int_equal(parse(&ev, MSG("add@/devices/x\0ACTION=add")), -EINVAL);
	assert_int_equal(parse(&ev, MSG("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x")), 1);
	assert_int_equal(parse(&ev, "", 0), -EINVAL);
}

static void
libudev_ignored(void **state)
{
	/* udev's header: "libudev\0", magic 0xfeedcafe, offsets... then
	 * the same KEY=VALUE properties. */
	static const char msg[] = "libudev\0\xca\xfe\xed\xfe\x28\x00\x00\x00"
				  "ACTION=add\0DEVPATH=/devices/x\0MODALIAS=evil";
	struct uevent ev;

	(void)state;
	assert_int_equal(parse(&ev, msg, sizeof(msg)), 0);
	assert_null(ev.modalias);
	assert_null(ev.action);
}

static void
header_must_agree(void **state)
{
	struct uevent ev;

	(void)state;
	assert_int_equal(parse(&ev, MSG("add@/devices/x\0ACTION=remove\0DEVPATH=/devices/x")),
			 -EINVAL);
	assert_int_equal(parse(&ev, MSG("add@/devices/x\0ACTION=add\0DEVPATH=/devices/y")),
			 -EINVAL);
	assert_int_equal(parse(&ev, MSG("add/devices/x\0ACTION=add\0DEVPATH=/devices/x")),
			 -EINVAL);
	assert_int_equal(parse(&ev, MSG("ad@/devices/x\0ACTION=add\0DEVPATH=/devices/x")),
			 -EINVAL);
}

static void
numbers_strict(void **state)
{
	static const char *const bad[] = {
		"MAJOR=", "MAJOR=-1", "MAJOR= 8", "MAJOR=8a", "MAJOR=4096",
		"MINOR=1048576", "MINOR=0x10", "PARTN=0", "PARTN=99999999999",
	};
	static const char head[] = "add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0";
	char msg[256];
	struct uevent ev;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = strlen(bad[i]) + 1;

		memcpy(msg, head, sizeof(head) - 1);
		memcpy(msg + sizeof(head) - 1, bad[i], n);
		if (parse(&ev, msg, sizeof(head) - 1 + n) != -EINVAL)
			fail_msg("%s: expected -EINVAL", bad[i]);
	}
	assert_int_equal(parse(&ev, MSG("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0"
					 "MAJOR=4095\0MINOR=1048575")), 1);
	assert_int_equal(ev.major, 4095);
	assert_int_equal(ev.minor, 1048575);
}

/* The first of a repeated key counts; the buffer must keep room for
 * the terminating NUL. */
static void
repeats_and_size(void **state)
{
	struct uevent ev;

	(void)state;
	assert_int_equal(parse(&ev, MSG("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0"
					 "MODALIAS=first\0MODALIAS=second")), 1);
	assert_string_equal(ev.modalias, "first");
	memset(ev.buf, 'a', sizeof(ev.buf));
	assert_int_equal(uevent_parse(&ev, sizeof(ev.buf)), -EMSGSIZE);
	assert_null(ev.action);
}

/* The same struct parsed twice: nothing of the first event stays. */
static void
fields_reset(void **state)
{
	struct uevent ev;

	(void)state;
	assert_int_equal(parse(&ev, MSG("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0"
					 "MODALIAS=m\0MAJOR=8\0PARTN=2")), 1);
	assert_int_equal(parse(&ev, MSG("change@/devices/y\0ACTION=change\0DEVPATH=/devices/y")), 1);
	assert_null(ev.modalias);
	assert_int_equal(ev.major, 0);
	assert_int_equal(ev.partn, 0);
	assert_string_equal(ev.action, "change");
}

/* A process multicasting an event in the kernel's format (root may):
 * uevent_read drops it, its sender port is not the kernel's 0. */
static void
forged_sender_dropped(void **state)
{
	static const char msg[] = "add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0"
				  "MODALIAS=forged";
	struct sockaddr_nl to = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int fd = uevent_open(), out;
	struct uevent ev;
	int rc;

	(void)state;
	if (fd < 0)
		skip();	/* no uevent socket here (a container) */
	out = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	assert_true(out >= 0);
	if (sendto(out, msg, sizeof(msg), 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		close(out);
		close(fd);
		skip();	/* not allowed to multicast: nothing to forge */
	}
	while ((rc = uevent_read(fd, &ev)) == 1)
		assert_true(!ev.modalias || strcmp(ev.modalias, "forged") != 0);
	assert_int_equal(rc, 0);
	close(out);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(block_partition),
		cmocka_unit_test(modalias_device),
		cmocka_unit_test(unknown_fields_kept_out),
		cmocka_unit_test(truncated_refused),
		cmocka_unit_test(cut_between_fields),
		cmocka_unit_test(libudev_ignored),
		cmocka_unit_test(header_must_agree),
		cmocka_unit_test(numbers_strict),
		cmocka_unit_test(repeats_and_size),
		cmocka_unit_test(fields_reset),
		cmocka_unit_test(forged_sender_dropped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
