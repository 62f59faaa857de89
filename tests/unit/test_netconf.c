/* test_netconf.c - /run/net-<DEVICE>.conf and the "IP-Config:" summary
 * against what klibc's ipconfig writes. The expected texts below were
 * produced by Debian's klibc-utils 2.0.12 (/usr/lib/klibc/bin/ipconfig
 * -n) in a throwaway network namespace, over a veth pair, answered by a
 * small raw-socket DHCP/BOOTP responder sending the replies that
 * lease_from() rebuilds here; the static one from ip=10.0.2.15:10.0.2.4:
 * 10.0.2.2:255.255.255.0:myhost:v0:none:10.0.2.3:10.0.2.5. The summary
 * is klibc's stdout less the lines that are not netconf's ("hardware
 * address", "guessed ..."). The DHCP and BOOTP cases go through
 * dhcp_parse, so they check the codec and this file together. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "early/netconf.h"
#include "early/number.h"
#include "dhcp_reply.h"

static const char dhcp_conf[] =
	"DEVICE='v0'\n"
	"PROTO='dhcp'\n"
	"IPV4ADDR='10.0.2.15'\n"
	"IPV4BROADCAST='10.0.2.255'\n"
	"IPV4NETMASK='255.255.255.0'\n"
	"IPV4GATEWAY='10.0.2.2'\n"
	"IPV4DNS0='10.0.2.3'\n"
	"IPV4DNS1='10.0.2.5'\n"
	"HOSTNAME='client1'\n"
	"DNSDOMAIN='example.org'\n"
	"NISDOMAIN='nis.example'\n"
	"ROOTSERVER='10.0.2.4'\n"
	"ROOTPATH='/srv/it'\\''s'\\!'root'\n"
	"filename='pxelinux.0'\n"
	"UPTIME='1687'\n"
	"DHCPLEASETIME='86400'\n"
	"DOMAINSEARCH='example.org. lab.example.org.'\n";

static const char dhcp_summary[] =
	"IP-Config: v0 complete (dhcp from 10.0.2.2):\n"
	" address: 10.0.2.15        broadcast: 10.0.2.255       netmask: 255.255.255.0   \n"
	" gateway: 10.0.2.2         dns0     : 10.0.2.3         dns1   : 10.0.2.5        \n"
	" host   : client1                                                         \n"
	" domain : example.org                                                     \n"
	" nisdomain: nis.example                                                     \n"
	" rootserver: 10.0.2.4 rootpath: /srv/it's!root\n"
	" filename  : pxelinux.0\n";

static const char routes_conf[] =
	"DEVICE='v0'\n"
	"PROTO='dhcp'\n"
	"IPV4ADDR='10.0.2.15'\n"
	"IPV4BROADCAST='10.0.2.255'\n"
	"IPV4NETMASK='255.255.255.0'\n"
	"IPV4ROUTE0SUBNET='0.0.0.0/0'\n"
	"IPV4ROUTE0GATEWAY='10.0.2.2'\n"
	"IPV4ROUTE1SUBNET='192.168.0.0/16'\n"
	"IPV4ROUTE1GATEWAY='10.0.2.9'\n"
	"IPV4ROUTE2SUBNET='10.10.10.0/24'\n"
	"IPV4ROUTE2GATEWAY='0.0.0.0'\n"
	"IPV4ROUTE3SUBNET='10.0.2.77/32'\n"
	"IPV4ROUTE3GATEWAY='10.0.2.2'\n"
	"IPV4DNS0='10.0.2.3'\n"
	"IPV4DNS1='0.0.0.0'\n"
	"HOSTNAME=''\n"
	"DNSDOMAIN=''\n"
	"NISDOMAIN=''\n"
	"ROOTSERVER='10.0.2.2'\n"
	"ROOTPATH=''\n"
	"filename='pxelinux.0'\n"
	"UPTIME='1688'\n"
	"DHCPLEASETIME='3600'\n"
	"DOMAINSEARCH=''\n";

static const char routes_summary[] =
	"IP-Config: v0 complete (dhcp from 10.0.2.2):\n"
	" address: 10.0.2.15        broadcast: 10.0.2.255       netmask: 255.255.255.0   \n"
	" routes : 0.0.0.0/0 via 10.0.2.2, 192.168.0.0/16 via 10.0.2.9, 10.10.10.0/24, 10.0.2.77/32 via 10.0.2.2\n"
	" dns0   : 10.0.2.3         dns1     : 0.0.0.0         \n"
	" rootserver: 10.0.2.2 rootpath: \n"
	" filename  : pxelinux.0\n";

static const char bootp_conf[] =
	"DEVICE='v0'\n"
	"PROTO='bootp'\n"
	"IPV4ADDR='10.0.2.15'\n"
	"IPV4BROADCAST='10.0.255.255'\n"
	"IPV4NETMASK='255.255.0.0'\n"
	"IPV4GATEWAY='10.0.2.2'\n"
	"IPV4DNS0='0.0.0.0'\n"
	"IPV4DNS1='0.0.0.0'\n"
	"HOSTNAME=''\n"
	"DNSDOMAIN=''\n"
	"NISDOMAIN=''\n"
	"ROOTSERVER='10.0.2.4'\n"
	"ROOTPATH='/nfsroot'\n"
	"filename='pxelinux.0'\n"
	"UPTIME='1694'\n"
	"DHCPLEASETIME='0'\n"
	"DOMAINSEARCH=''\n";

static const char bootp_summary[] =
	"IP-Config: v0 complete (bootp from 10.0.2.4):\n"
	" address: 10.0.2.15        broadcast: 10.0.255.255     netmask: 255.255.0.0     \n"
	" gateway: 10.0.2.2         dns0     : 0.0.0.0          dns1   : 0.0.0.0         \n"
	" rootserver: 10.0.2.4 rootpath: /nfsroot\n"
	" filename  : pxelinux.0\n";

static const char static_conf[] =
	"DEVICE='v0'\n"
	"PROTO='none'\n"
	"IPV4ADDR='10.0.2.15'\n"
	"IPV4BROADCAST='10.0.2.255'\n"
	"IPV4NETMASK='255.255.255.0'\n"
	"IPV4GATEWAY='10.0.2.2'\n"
	"IPV4DNS0='10.0.2.3'\n"
	"IPV4DNS1='10.0.2.5'\n"
	"HOSTNAME='myhost'\n"
	"DNSDOMAIN=''\n"
	"NISDOMAIN=''\n"
	"ROOTSERVER='10.0.2.4'\n"
	"ROOTPATH=''\n"
	"filename=''\n"
	"UPTIME='1696'\n"
	"DHCPLEASETIME='0'\n"
	"DOMAINSEARCH=''\n";

static const char static_summary[] =
	"IP-Config: v0 complete:\n"
	" address: 10.0.2.15        broadcast: 10.0.2.255       netmask: 255.255.255.0   \n"
	" gateway: 10.0.2.2         dns0     : 10.0.2.3         dns1   : 10.0.2.5        \n"
	" host   : myhost                                                          \n"
	" rootserver: 10.0.2.4 rootpath: \n"
	" filename  : \n";

/* The responder's reply: yiaddr 10.0.2.15, siaddr as given, sname
 * "srv", file "pxelinux.0", then the options (n bytes, end included). */
static void
lease_from(struct netconf *c, const char *siaddr, const char *opts, size_t n)
{
	struct reply r;
	struct in_addr server = addr(siaddr);

	reply_start(&r);
	memcpy(r.b + 20, &server, 4);
	memcpy(r.b + 44, "srv", 3);
	memcpy(r.b + 108, "pxelinux.0", 10);
	raw(&r, opts, n);
	memset(c, 0, sizeof(*c));
	strcpy(c->device, "v0");
	assert_int_equal(parse(&c->lease, &r), 0);
}

#define LEASE_FROM(c, siaddr, s) lease_from(c, siaddr, s, sizeof(s) - 1)

/* What fn writes to an fd, in buf (a memory file read back). */
static void
written(int (*fn)(int, const struct netconf *), const struct netconf *c,
	char *buf, size_t size)
{
	FILE *f = tmpfile();
	size_t n;

	assert_non_null(f);
	assert_int_equal(fn(fileno(f), c), 0);
	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* The file's text and the summary, each compared whole. */
static void
check(const struct netconf *c, const char *conf, const char *summary)
{
	char buf[4096];

	written(netconf_write, c, buf, sizeof(buf));
	assert_string_equal(buf, conf);
	written(netconf_print, c, buf, sizeof(buf));
	assert_string_equal(buf, summary);
}

static void
dhcp_lease(void **state)
{
	struct netconf c;

	(void)state;
	LEASE_FROM(&c, "10.0.2.4",
		   "\x35\x01\x05\x36\x04\x0a\x00\x02\x02\x33\x04\x00\x01\x51\x80"
		   "\x01\x04\xff\xff\xff\x00\x1c\x04\x0a\x00\x02\xff"
		   "\x03\x08\x0a\x00\x02\x02\x0a\x00\x02\x01"
		   "\x06\x0c\x0a\x00\x02\x03\x0a\x00\x02\x05\x0a\x00\x02\x06"
		   "\x0c\x07" "client1\x0f\x0b" "example.org\x28\x0b" "nis.example"
		   "\x11\x0e/srv/it's!root\x1a\x02\x05\x78"
		   "\x77\x13\x07" "example\x03" "org\x00\x03" "lab\xc0\x00\xff");
	c.proto = NETCONF_DHCP;
	c.uptime = 1687;
	check(&c, dhcp_conf, dhcp_summary);
}

static void
dhcp_routes(void **state)
{
	struct netconf c;

	(void)state;
	LEASE_FROM(&c, "0.0.0.0",
		   "\x35\x01\x05\x36\x04\x0a\x00\x02\x02\x33\x04\x00\x00\x0e\x10"
		   "\x01\x04\xff\xff\xff\x00\x03\x04\x0a\x00\x02\x02"
		   "\x06\x04\x0a\x00\x02\x03"
		   "\x79\x1d\x00\x0a\x00\x02\x02\x10\xc0\xa8\x0a\x00\x02\x09"
		   "\x18\x0a\x0a\x0a\x00\x00\x00\x00\x20\x0a\x00\x02\x4d\x0a\x00\x02\x02"
		   "\xff");
	c.proto = NETCONF_DHCP;
	c.uptime = 1688;
	c.lease.broadcast = addr("10.0.2.255");	/* klibc guessed it */
	check(&c, routes_conf, routes_summary);
}

static void
bootp(void **state)
{
	struct netconf c;

	(void)state;
	LEASE_FROM(&c, "10.0.2.4",
		   "\x01\x04\xff\xff\x00\x00\x03\x04\x0a\x00\x02\x02"
		   "\x11\x08/nfsroot\xff");
	c.proto = NETCONF_BOOTP;
	c.uptime = 1694;
	c.lease.broadcast = addr("10.0.255.255");	/* guessed */
	check(&c, bootp_conf, bootp_summary);
}

/* ip=10.0.2.15:10.0.2.4:10.0.2.2:255.255.255.0:myhost:v0:none:
 * 10.0.2.3:10.0.2.5, filled in as netconf.h says. */
static void
static_ip(void **state)
{
	struct netconf c = { .device = "v0", .proto = NETCONF_NONE, .uptime = 1696 };

	(void)state;
	c.lease.yiaddr = addr("10.0.2.15");
	c.lease.siaddr = addr("10.0.2.4");
	c.lease.router = addr("10.0.2.2");
	c.lease.netmask = addr("255.255.255.0");
	c.lease.broadcast = addr("10.0.2.255");	/* guessed */
	c.lease.dns[0] = addr("10.0.2.3");
	c.lease.dns[1] = addr("10.0.2.5");
	strcpy(c.lease.hostname, "myhost");
	check(&c, static_conf, static_summary);
}

/* Nothing set: every address 0.0.0.0, every string ''. */
static void
empty(void **state)
{
	struct netconf c = { .device = "eth0" };
	char buf[1024];

	(void)state;
	written(netconf_write, &c, buf, sizeof(buf));
	assert_string_equal(buf,
			    "DEVICE='eth0'\nPROTO='none'\nIPV4ADDR='0.0.0.0'\n"
			    "IPV4BROADCAST='0.0.0.0'\nIPV4NETMASK='0.0.0.0'\n"
			    "IPV4GATEWAY='0.0.0.0'\nIPV4DNS0='0.0.0.0'\n"
			    "IPV4DNS1='0.0.0.0'\nHOSTNAME=''\nDNSDOMAIN=''\n"
			    "NISDOMAIN=''\nROOTSERVER='0.0.0.0'\nROOTPATH=''\n"
			    "filename=''\nUPTIME='0'\nDHCPLEASETIME='0'\n"
			    "DOMAINSEARCH=''\n");
}

/* IPv6: Ubuntu's net6-<DEVICE>.conf variables, our summary. */
static void
dhcp6(void **state)
{
	struct netconf c = { .device = "v0", .proto = NETCONF_DHCP6, .uptime = 12,
			     .prefix6 = 128 };

	(void)state;
	assert_int_equal(inet_pton(AF_INET6, "fd00:e5::1a", &c.lease6.addr), 1);
	assert_int_equal(inet_pton(AF_INET6, "fd00:e5::53", &c.lease6.dns[0]), 1);
	strcpy(c.lease6.search, "v6.earlyspace.test. it's.example.");
	check(&c,
	      "DEVICE6='v0'\nIPV6PROTO='dhcp6'\nIPV6ADDR='fd00:e5::1a'\n"
	      "IPV6NETMASK='128'\nIPV6DNS0='fd00:e5::53'\nIPV6DNS1='::'\n"
	      "IPV6DOMAINSEARCH='v6.earlyspace.test. it'\\''s.example.'\n"
	      "UPTIME='12'\n",
	      "IP-Config: v0 complete (dhcp6):\n address: fd00:e5::1a/128\n"
	      " dns0   : fd00:e5::53\n"
	      " search : v6.earlyspace.test. it's.example.\n");
	c.proto = NETCONF_AUTO6;
	c.prefix6 = 64;
	memset(&c.lease6.dns, 0, sizeof(c.lease6.dns));
	c.lease6.search[0] = '\0';
	check(&c,
	      "DEVICE6='v0'\nIPV6PROTO='auto6'\nIPV6ADDR='fd00:e5::1a'\n"
	      "IPV6NETMASK='64'\nIPV6DNS0='::'\nIPV6DNS1='::'\n"
	      "IPV6DOMAINSEARCH=''\nUPTIME='12'\n",
	      "IP-Config: v0 complete (auto6):\n address: fd00:e5::1a/64\n");
}

/* The servers as ipconfig writes them into resolv.conf, either family. */
static void
name_servers(void **state)
{
	struct netconf c = { .proto = NETCONF_DHCP };
	char a[NUMBER_IPV6_SIZE];

	(void)state;
	assert_null(netconf_dns(&c, 0, a));
	c.lease.dns[0] = addr("10.0.2.3");
	c.lease.dns[1] = addr("10.0.2.5");
	assert_string_equal(netconf_dns(&c, 1, a), "10.0.2.5");
	assert_null(netconf_dns(&c, 2, a));
	assert_null(netconf_dns(&c, DHCP_DNS_MAX, a));
	c.proto = NETCONF_DHCP6;
	assert_null(netconf_dns(&c, 0, a));
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::1", &c.lease6.dns[0]), 1);
	assert_string_equal(netconf_dns(&c, 0, a), "2001:db8::1");
}

static void
save(void **state)
{
	struct netconf c = { .device = "v0", .proto = NETCONF_NONE, .uptime = 1696 };
	const char *tmpdir = getenv("TMPDIR") ? getenv("TMPDIR") : P_tmpdir;
	char dir[256], path[300], tmp[310], got[1024];
	struct stat st;
	FILE *f;
	size_t n;

	(void)state;
	c.lease.yiaddr = addr("10.0.2.15");
	c.lease.siaddr = addr("10.0.2.4");
	c.lease.router = addr("10.0.2.2");
	c.lease.netmask = addr("255.255.255.0");
	c.lease.broadcast = addr("10.0.2.255");
	c.lease.dns[0] = addr("10.0.2.3");
	c.lease.dns[1] = addr("10.0.2.5");
	strcpy(c.lease.hostname, "myhost");
	snprintf(dir, sizeof(dir), "%s/netconf.XXXXXX", tmpdir);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/net-v0.conf", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("old\n", f);
	fclose(f);
	assert_int_equal(netconf_save(&c, path), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(got, 1, sizeof(got) - 1, f);
	got[n] = '\0';
	fclose(f);
	assert_string_equal(got, static_conf);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644 & ~umask(022));
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(netconf_save(&c, path), -ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dhcp_lease),
		cmocka_unit_test(dhcp_routes),
		cmocka_unit_test(bootp),
		cmocka_unit_test(static_ip),
		cmocka_unit_test(empty),
		cmocka_unit_test(dhcp6),
		cmocka_unit_test(name_servers),
		cmocka_unit_test(save),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
