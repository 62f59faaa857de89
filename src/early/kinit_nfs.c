/*
 * kinit_nfs.c - the root over NFS (root=/dev/nfs, or nfsroot= without
 * root=, as klibc and the kernel take them): the network configured by
 * ipconfig in this process (ip= or nfsaddrs=, dhcp when neither is
 * given), then nfsroot= over the DHCP root path and boot server
 * (nfsspec.h) mounted on /root, read-only unless rw (klibc ignores ro).
 * The kernel loads nfs, nfsv3 and nfsv4 through kinit as its module
 * helper when the mount asks for them. With another root, ip= (or
 * nfsaddrs=) configures the network all the same, as klibc's kinit
 * does: the real system may use it (IPv6 too).
 */
#include "early/kinit.h"
#include "early/ipconfig.h"
#include "early/ipspec.h"
#include "early/nfsmount.h"
#include "early/number.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* ipconfig for ip=, within the root's timeout (rootwait: none). */
static int
configure_network(struct kinit *k, struct netconf *conf)
{
	const struct boot_params *p = &k->params;
	char ip[CMDLINE_VALUE_MAX + 4], secs[16];
	char *argv[] = { "ipconfig", ip, "-t", secs, NULL };
	unsigned timeout = kinit_root_timeout(p);
	int rc;

	snprintf(ip, sizeof(ip), "ip=%s", p->ip[0] ? p->ip : "dhcp");
	snprintf(secs, sizeof(secs), "%u", timeout);
	log_info(&k->log, "network: %s", ip);
	memset(conf, 0, sizeof(*conf));
	rc = ipconfig_run(timeout ? 4 : 2, argv, conf);
	if (rc != 0) {
		log_err(&k->log, "%s: no interface configured (ipconfig exit %d)", ip, rc);
		return -ENETUNREACH;
	}
	return 0;
}

void
kinit_network(struct kinit *k)
{
	struct netconf conf;

	if (k->params.ip[0] && ip_proto_caps(k->params.ip) != 0 &&
	    !kinit_root_is_nfs(&k->params))
		(void)configure_network(k, &conf);
}

int
kinit_mount_nfs(struct kinit *k)
{
	char client[NUMBER_IPV4_SIZE], server[NUMBER_IPV4_SIZE] = "";
	struct es_error err = { 0 };
	struct netconf conf;
	struct nfs_spec spec;
	struct in_addr boot_server;
	size_t used;
	int rc;

	if ((rc = configure_network(k, &conf)) < 0)
		return rc;
	number_ipv4_text(conf.lease.yiaddr.s_addr, client);
	boot_server = netconf_root_server(&conf.lease);
	if (boot_server.s_addr)
		number_ipv4_text(boot_server.s_addr, server);
	if (nfs_spec_root(&spec, k->params.nfsroot[0] ? k->params.nfsroot : NULL,
			  conf.lease.rootpath, client, server, &err) < 0) {
		log_err(&k->log, "nfsroot=%s: %s", k->params.nfsroot, err.msg);
		return -err.code;
	}
	used = strlen(spec.options);
	snprintf(spec.options + used, sizeof(spec.options) - used, "%s%s",
		 used ? "," : "", k->params.read_write ? "rw" : "ro");
	log_info(&k->log, "root %s:%s over NFS (%s)", spec.server, spec.path, spec.options);
	if ((rc = nfs_mount(&spec, KINIT_ROOT, &err)) < 0) {
		log_err(&k->log, "%s", err.msg);
		return rc;
	}
	log_info(&k->log, "mounted %s:%s on %s", spec.server, spec.path, KINIT_ROOT);
	return 0;
}
