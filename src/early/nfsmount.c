/*
 * nfsmount.c - the nfsmount applet, klibc's command line:
 *
 *   nfsmount [-o OPTIONS]... [-p PORTMAP_FILE] SERVER:/PATH [DIR]
 *
 * DIR defaults to /nfs_root. OPTIONS are klibc's and the kernel's
 * (nfsspec.h); several -o add up. -p is accepted and ignored: klibc
 * wrote a portmap answer there for a later portmap-less boot, and the
 * kernel's text options need none. Exit 0 mounted, 1 usage or bad
 * options, 2 the mount failed.
 */
#include "early/applets.h"
#include "early/nfsmount.h"
#include "early/number.h"
#include "early/options.h"
#include "early/resolve.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define NFS_PORT 2049

/* The server's address, which the kernel takes as addr= (it resolves
 * no names itself): IPv4, or a host name through resolv.conf's
 * servers. An [IPv6] address is "not a host name" (dns.h refuses
 * colons): NFS over IPv6 is not supported. */
static int
server_address(const char *server, struct sockaddr_in *sa, struct es_error *err)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(NFS_PORT);
	return resolve_ipv4(server, &sa->sin_addr.s_addr, err);
}

/* Our address towards sa: what a connected UDP socket is bound to
 * (nothing is sent). "" when there is no route. */
static void
client_address(const struct sockaddr_in *sa, char text[NUMBER_IPV4_SIZE])
{
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	text[0] = '\0';
	if (fd < 0)
		return;
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&me, &len) == 0)
		number_ipv4_text(me.sin_addr.s_addr, text);
	close(fd);
}

int
nfs_mount(const struct nfs_spec *spec, const char *dir, struct es_error *err)
{
	char client[NUMBER_IPV4_SIZE], server[NUMBER_IPV4_SIZE];
	char source[NFS_HOST_MAX + NFS_PATH_MAX + 2];
	struct sockaddr_in sa;
	struct nfs_mount_args a;
	int rc;

	if ((rc = server_address(spec->server, &sa, err)) < 0)
		return rc;
	client_address(&sa, client);
	number_ipv4_text(sa.sin_addr.s_addr, server);
	if ((rc = nfs_mount_args(&a, spec->options, server, client, err)) < 0)
		return rc;
	snprintf(source, sizeof(source), "%s:%s", spec->server, spec->path);
	if (mount(source, dir, a.type, a.flags, a.data) == 0)
		return 0;
	rc = errno;
	return es_fail(err, rc, "mount %s on %s (%s %s%s): %s", source, dir, a.type,
		       a.data, a.flags & MS_RDONLY ? ",ro" : "", strerror(rc));
}

static int
usage(void)
{
	dprintf(STDERR_FILENO,
		"usage: nfsmount [-o OPTIONS]... [-p PORTMAP_FILE] SERVER:/PATH [DIR]\n");
	return 1;
}

int
nfsmount_main(int argc, char **argv)
{
	struct nfs_spec spec;
	struct es_error err = { 0 };
	char options[NFS_OPTIONS_MAX] = "";
	static const struct option_def defs[] = {
		{ 'o', NULL, "OPTIONS" }, { 'p', NULL, "PORTMAP_FILE" },
	};
	struct options o;
	const char *dir;
	struct stat st;
	int c;

	options_init(&o, defs, 2, argc, argv, false);
	while ((c = options_next(&o)) != 0) {
		size_t used = strlen(options);

		if (c == 'p')
			continue;
		if (c != 'o')
			return usage();
		if (snprintf(options + used, sizeof(options) - used, "%s%s", used ? "," : "",
			     o.arg) >= (int)(sizeof(options) - used)) {
			dprintf(STDERR_FILENO, "nfsmount: options longer than %zu bytes\n",
				sizeof(options) - 1);
			return 1;
		}
	}
	if (o.noperands < 1 || o.noperands > 2)
		return usage();
	dir = o.noperands > 1 ? o.operands[1] : "/nfs_root";
	if (nfs_spec_source(&spec, o.operands[0], &err) < 0) {
		dprintf(STDERR_FILENO, "nfsmount: %s\n", err.msg);
		return 1;
	}
	memcpy(spec.options, options, sizeof(options));
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		dprintf(STDERR_FILENO, "nfsmount: %s: not a directory\n", dir);
		return 1;
	}
	if (nfs_mount(&spec, dir, &err) < 0) {
		dprintf(STDERR_FILENO, "nfsmount: %s\n", err.msg);
		/* Exit 2 when the kernel refused, 1 for what nfsmount refused. */
		return strncmp(err.msg, "mount ", 6) == 0 ? 2 : 1;
	}
	return 0;
}
