/*
 * nfsmount.h - an NFS export mounted through the kernel's text options
 * (nfsspec.h says how they are made). The nfsmount applet and kinit's
 * NFS root both mount through here.
 */
#ifndef ES_EARLY_NFSMOUNT_H
#define ES_EARLY_NFSMOUNT_H

#include "base/error.h"
#include "early/nfsspec.h"

/* Mounts spec on dir. The server is an IPv4 address or a host name,
 * resolved to one through /etc/resolv.conf (resolve.h) and given to
 * the kernel as addr=; IPv6 servers are not supported. The
 * client's own address, which NFSv4.0 needs for callbacks, is the one
 * the kernel would send from towards the server. Returns 0 or -errno
 * with err saying what was asked of the kernel. */
int nfs_mount(const struct nfs_spec *spec, const char *dir, struct es_error *err);

#endif
