/* test_nfsspec.c - nfsmount's SERVER:/PATH, the kernel's nfsroot= and
 * the mount(2) arguments made from klibc's options
 * (src/early/nfsspec.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <cmocka.h>

#include "early/nfsspec.h"

static void
source_forms(void **state)
{
	struct nfs_spec s;
	struct es_error err = { 0 };

	(void)state;
	assert_int_equal(nfs_spec_source(&s, "10.0.2.2:/export/root", &err), 0);
	assert_string_equal(s.server, "10.0.2.2");
	assert_string_equal(s.path, "/export/root");
	assert_int_equal(nfs_spec_source(&s, "nfs.example.org:/srv", &err), 0);
	assert_string_equal(s.server, "nfs.example.org");
	assert_int_equal(nfs_spec_source(&s, "[fd00::2]:/srv/r", &err), 0);
	assert_string_equal(s.server, "[fd00::2]");
	assert_string_equal(s.path, "/srv/r");
	assert_int_equal(nfs_spec_source(&s, "/export/root", &err), -EINVAL);
	assert_string_equal(err.msg, "/export/root: not SERVER:/PATH");
	es_clear(&err);
	assert_int_equal(nfs_spec_source(&s, "server:relative", &err), -EINVAL);
}

static void
root_defaults_and_layers(void **state)
{
	struct nfs_spec s;
	struct es_error err = { 0 };

	(void)state;
	/* Nothing given: /tftpboot/CLIENT on the boot server. */
	assert_int_equal(nfs_spec_root(&s, NULL, NULL, "10.0.2.15", "10.0.2.2", &err), 0);
	assert_string_equal(s.server, "10.0.2.2");
	assert_string_equal(s.path, "/tftpboot/10.0.2.15");
	assert_string_equal(s.options, "");
	/* DHCP's root path, with its own server and options. */
	assert_int_equal(nfs_spec_root(&s, NULL, "10.0.2.9:/srv/%s,vers=4.2", "10.0.2.15",
				       "10.0.2.2", &err), 0);
	assert_string_equal(s.server, "10.0.2.9");
	assert_string_equal(s.path, "/srv/10.0.2.15");
	assert_string_equal(s.options, "vers=4.2");
	/* nfsroot= over it: its path replaces, its options add. */
	assert_int_equal(nfs_spec_root(&s, "/export,rw,port=2049", "/srv/x,vers=3", "10.0.2.15",
				       "10.0.2.2", &err), 0);
	assert_string_equal(s.server, "10.0.2.2");
	assert_string_equal(s.path, "/export");
	assert_string_equal(s.options, "vers=3,rw,port=2049");
	/* "default" keeps the path; a bare name goes under /tftpboot. */
	assert_int_equal(nfs_spec_root(&s, "default,ro", "/srv/y", "1.2.3.4", "5.6.7.8", &err), 0);
	assert_string_equal(s.path, "/srv/y");
	assert_string_equal(s.options, "ro");
	assert_int_equal(nfs_spec_root(&s, "box", NULL, "1.2.3.4", "5.6.7.8", &err), 0);
	assert_string_equal(s.path, "/tftpboot/box");
	/* A host name as the server (ours; the kernel takes addresses). */
	assert_int_equal(nfs_spec_root(&s, "files.lan:/roots/%s", NULL, "1.2.3.4", "", &err), 0);
	assert_string_equal(s.server, "files.lan");
	assert_string_equal(s.path, "/roots/1.2.3.4");
}

static void
root_errors(void **state)
{
	struct nfs_spec s;
	struct es_error err = { 0 };
	char longpath[1100];

	(void)state;
	assert_int_equal(nfs_spec_root(&s, "/export", NULL, "1.2.3.4", "", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "no NFS server"));
	es_clear(&err);
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(nfs_spec_root(&s, longpath, NULL, "1.2.3.4", "5.6.7.8", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "path longer than 1023 bytes"));
}

static void
mount_args_v3_defaults(void **state)
{
	struct nfs_mount_args a;
	struct es_error err = { 0 };

	(void)state;
	assert_int_equal(nfs_mount_args(&a, "", "10.0.2.2", "10.0.2.15", &err), 0);
	assert_string_equal(a.type, "nfs");
	assert_int_equal(a.flags, 0);
	assert_string_equal(a.data, "vers=3,nolock,addr=10.0.2.2");
	/* klibc's spellings; ro is a flag, broken_suid is dropped. */
	assert_int_equal(nfs_mount_args(&a, "v2,udp,ro,lock,rsize=8192,timeo=0x10,broken_suid,nocto",
					"10.0.2.2", "", &err), 0);
	assert_string_equal(a.data, "vers=2,udp,lock,rsize=8192,timeo=0x10,nocto,addr=10.0.2.2");
	assert_int_equal(a.flags, MS_RDONLY);
	assert_int_equal(nfs_mount_args(&a, "ro,rw,,v3", "1.1.1.1", "", &err), 0);
	assert_int_equal(a.flags, 0);
	assert_string_equal(a.data, "vers=3,nolock,addr=1.1.1.1");
}

static void
mount_args_v4(void **state)
{
	static const char *const versions[] = {
		"vers=4", "vers=4.0", "vers=4.1", "nfsvers=4.2",
	};
	struct nfs_mount_args a;
	struct es_error err = { 0 };
	char want[128];

	(void)state;
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		assert_int_equal(nfs_mount_args(&a, versions[i], "10.0.2.2", "10.0.2.15", &err), 0);
		assert_string_equal(a.type, "nfs4");
		snprintf(want, sizeof(want), "%s,addr=10.0.2.2,clientaddr=10.0.2.15", versions[i]);
		assert_string_equal(a.data, want);
	}
	assert_int_equal(nfs_mount_args(&a, "vers=4.2,sec=sys", "10.0.2.2", "", &err), 0);
	assert_string_equal(a.data, "vers=4.2,sec=sys,addr=10.0.2.2");
}

static void
mount_args_errors(void **state)
{
	static const char *const bad[] = {
		"vers=5", "vers=4.3", "nfsvers=", "vers", "vers=3.1", "port=x",
		"rsize=", "rsize", "timeo=-1", "retrans=12abc",
	};
	struct nfs_mount_args a;
	struct es_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		es_clear(&err);
		assert_int_equal(nfs_mount_args(&a, bad[i], "10.0.2.2", "", &err), -EINVAL);
		assert_non_null(strstr(err.msg, bad[i]));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(source_forms),
		cmocka_unit_test(root_defaults_and_layers),
		cmocka_unit_test(root_errors),
		cmocka_unit_test(mount_args_v3_defaults),
		cmocka_unit_test(mount_args_v4),
		cmocka_unit_test(mount_args_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
