/*
 * nfsspec.h - what to mount over NFS, and how to ask the kernel for it.
 *
 * Sources: klibc's nfsmount (`nfsmount [-o OPTS] SERVER:/PATH [DIR]`)
 * and the kernel's nfsroot= (Documentation/admin-guide/nfs/nfsroot.rst,
 * fs/nfs/nfsroot.c):
 *
 *   nfsroot=[SERVER:]ROOT-DIR[,OPTIONS]
 *
 * ROOT-DIR's "%s" is the client's address; without nfsroot= the DHCP
 * root path (option 17, which may itself be SERVER:DIR[,OPTIONS]) is
 * used, else "/tftpboot/%s"; without a SERVER, the boot server (BOOTP
 * siaddr, or ip='s second field).
 *
 * The mount is asked for with the kernel's text options (fs/nfs/
 * fs_context.c), which make the kernel speak MOUNT for v2/v3 itself
 * (klibc speaks portmap and MOUNT and passes the binary
 * nfs_mount_data, which has no NFSv4). OPTIONS are klibc's - port=,
 * nfsvers=/vers=, rsize=, wsize=, timeo=, retrans=, acregmin=,
 * acregmax=, acdirmin=, acdirmax=, soft/hard, intr/nointr,
 * posix/noposix, cto/nocto, ac/noac, lock/nolock, acl/noacl, v2/v3,
 * udp/tcp, ro/rw - plus vers=4, 4.0, 4.1, 4.2 and any other option the
 * kernel takes, passed on as given (the kernel refuses what it does not
 * know). Like klibc, v3 over TCP without locking (nolock: early
 * userspace runs no statd) unless told otherwise; unlike klibc, the
 * kernel's own timeo and retrans, and ro honoured on every path.
 */
#ifndef ES_EARLY_NFSSPEC_H
#define ES_EARLY_NFSSPEC_H

#include "base/error.h"

#include <stdbool.h>

#define NFS_HOST_MAX 255	/* a DNS name */
#define NFS_PATH_MAX 1024	/* the kernel's NFS_MAXPATHLEN */
#define NFS_OPTIONS_MAX 512
#define NFS_DATA_MAX 768	/* the options, addr=, clientaddr=, defaults */

struct nfs_spec {
	char server[NFS_HOST_MAX + 1];	/* an address or a host name; "" none */
	char path[NFS_PATH_MAX];
	char options[NFS_OPTIONS_MAX];	/* comma list, as given */
};

/* "SERVER:/PATH" (nfsmount's argument) into spec->server and path.
 * SERVER may be "[IPv6]". Returns 0 or -EINVAL. */
int nfs_spec_source(struct nfs_spec *spec, const char *source,
		    struct es_error *err);

/* The NFS root: nfsroot (NULL when not given), root_path (the DHCP
 * root path, NULL or "" when none), client (the client's address as
 * text, for "%s") and boot_server (its address as text, "" if none).
 * Returns 0 or -EINVAL (no server known, or too long). */
int nfs_spec_root(struct nfs_spec *spec, const char *nfsroot,
		  const char *root_path, const char *client,
		  const char *boot_server, struct es_error *err);

/* What mount(2) takes. */
struct nfs_mount_args {
	const char *type;		/* "nfs" or "nfs4" */
	unsigned long flags;		/* MS_RDONLY for ro */
	char data[NFS_DATA_MAX];	/* the kernel's text options */
};

/* Turns options (klibc's and the kernel's) into mount(2)'s arguments
 * for a server at server_addr (an address as text: the kernel does not
 * resolve names) and, for NFSv4's callbacks, client_addr (may be "").
 * Returns 0 or -EINVAL naming the option. */
int nfs_mount_args(struct nfs_mount_args *a, const char *options,
		   const char *server_addr, const char *client_addr,
		   struct es_error *err);

#endif
