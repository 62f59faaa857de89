/* test_ipspec.c - ip= and ipconfig's device specs (src/early/ipspec.c),
 * as the kernel's nfsroot.rst and klibc's ipconfig read them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "early/ipspec.h"

static uint32_t
addr(const char *text)
{
	return inet_addr(text);
}

static void
device_names_and_all(void **state)
{
	struct ip_spec s;
	struct es_error err = { 0 };

	(void)state;
	assert_int_equal(ip_spec_parse(&s, "eth0", IP_CAP_ANY, &err), 0);
	assert_string_equal(s.device, "eth0");
	assert_false(s.from_ip);
	assert_int_equal(s.caps, IP_CAP_ANY);
	assert_int_equal(ip_spec_parse(&s, "all", IP_CAP_DHCP, &err), 0);
	assert_string_equal(s.device, "");
	assert_int_equal(s.caps, IP_CAP_DHCP);
	assert_int_equal(ip_spec_parse(&s, "a-name-far-too-long-for-ifnamsiz", 0, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "device: longer than 15 bytes"));
}

static void
protocols(void **state)
{
	static const struct {
		const char *text;
		unsigned caps;
	} cases[] = {
		{ "ip=dhcp", IP_CAP_BOOTP | IP_CAP_DHCP }, { "ip=bootp", IP_CAP_BOOTP },
		{ "ip=on", IP_CAP_ANY }, { "ip=any", IP_CAP_ANY }, { "ip=", IP_CAP_ANY },
		{ "ip=both", IP_CAP_BOOTP | IP_CAP_RARP }, { "ip=off", 0 },
		{ "ip=none", 0 }, { "ip=static", 0 }, { "nfsaddrs=dhcp", IP_CAP_BOOTP | IP_CAP_DHCP },
		{ "ip=auto6", IP_CAP_AUTO6 }, { "ip=dhcp6", IP_CAP_AUTO6 | IP_CAP_DHCP6 },
	};
	struct ip_spec s;
	struct es_error err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(ip_spec_parse(&s, cases[i].text, IP_CAP_RARP, &err), 0);
		assert_int_equal(s.caps, cases[i].caps);
		assert_true(s.from_ip);
		assert_string_equal(s.device, "");
	}
	assert_int_equal(ip_spec_parse(&s, "ip=dhcpx", 0, &err), -EINVAL);
	assert_string_equal(err.msg, "ip=dhcpx: no protocol 'dhcpx'");
}

static void
long_form_every_field(void **state)
{
	struct ip_spec s;
	struct es_error err = { 0 };

	(void)state;
	assert_int_equal(ip_spec_parse(&s,
		"ip=10.0.2.15:10.0.2.2:10.0.2.1:255.255.255.0:box:eth1:none:10.0.2.3:10.0.2.4:10.0.2.5",
		IP_CAP_ANY, &err), 0);
	assert_int_equal(s.client, addr("10.0.2.15"));
	assert_int_equal(s.server, addr("10.0.2.2"));
	assert_int_equal(s.gateway, addr("10.0.2.1"));
	assert_int_equal(s.netmask, addr("255.255.255.0"));
	assert_string_equal(s.hostname, "box");
	assert_string_equal(s.device, "eth1");
	assert_int_equal(s.caps, 0);
	assert_int_equal(s.dns[0], addr("10.0.2.3"));
	assert_int_equal(s.dns[1], addr("10.0.2.4"));
	assert_int_equal(s.ntp, addr("10.0.2.5"));
}

static void
long_form_empty_fields_and_autoconf(void **state)
{
	struct ip_spec s;
	struct es_error err = { 0 };

	(void)state;
	/* A client address alone means static. */
	assert_int_equal(ip_spec_parse(&s, "ip=192.168.1.9::::::", IP_CAP_ANY, &err), 0);
	assert_int_equal(s.caps, 0);
	assert_int_equal(s.client, addr("192.168.1.9"));
	assert_int_equal(s.gateway, 0);
	/* ... unless autoconf says otherwise; the host name is kept. */
	assert_int_equal(ip_spec_parse(&s, "ip=192.168.1.9:::::eth0:dhcp", IP_CAP_ANY, &err), 0);
	assert_int_equal(s.caps, IP_CAP_BOOTP | IP_CAP_DHCP);
	assert_int_equal(ip_spec_parse(&s, "::::myhost:all:dhcp", 0, &err), 0);
	assert_string_equal(s.hostname, "myhost");
	assert_string_equal(s.device, "");
	assert_int_equal(s.client, 0);
	assert_int_equal(s.caps, IP_CAP_BOOTP | IP_CAP_DHCP);
	/* Fields left out keep the default protocol. */
	assert_int_equal(ip_spec_parse(&s, "ip=:::::eth2", IP_CAP_BOOTP, &err), 0);
	assert_string_equal(s.device, "eth2");
	assert_int_equal(s.caps, IP_CAP_BOOTP);
}

static void
long_form_errors_name_the_field(void **state)
{
	struct ip_spec s;
	struct es_error err;

	(void)state;
	es_clear(&err);
	assert_int_equal(ip_spec_parse(&s, "ip=10.0.2.15::10.0.2.300", 0, &err), -EINVAL);
	assert_string_equal(err.msg, "ip=10.0.2.15::10.0.2.300: gateway: not an IPv4 address: '10.0.2.300'");
	es_clear(&err);
	assert_int_equal(ip_spec_parse(&s, "ip=::::h:e:bogus", 0, &err), -EINVAL);
	assert_string_equal(err.msg, "ip=::::h:e:bogus: autoconf: no protocol 'bogus'");
	es_clear(&err);
	assert_int_equal(ip_spec_parse(&s, "ip=:::::::::10.0.0.1:x", 0, &err), -EINVAL);
	assert_string_equal(err.msg, "ip=:::::::::10.0.0.1:x: more than 10 fields");
	es_clear(&err);
	assert_int_equal(ip_spec_parse(&s, "ip=1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17", 0, &err), -EINVAL);
	assert_int_equal(err.code, EINVAL);
	es_clear(&err);
	assert_int_equal(ip_spec_parse(&s, "ip=::::0123456789012345678901234567890123456789012345678901234567890123456789", 0, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "host name: longer than 64 bytes"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(device_names_and_all),
		cmocka_unit_test(protocols),
		cmocka_unit_test(long_form_every_field),
		cmocka_unit_test(long_form_empty_fields_and_autoconf),
		cmocka_unit_test(long_form_errors_name_the_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
