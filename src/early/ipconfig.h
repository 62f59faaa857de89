/*
 * ipconfig.h - the ipconfig applet (ipconfig.c) as kinit runs it for a
 * network root, in the same process.
 */
#ifndef ES_EARLY_IPCONFIG_H
#define ES_EARLY_IPCONFIG_H

#include "early/netconf.h"

/* Runs ipconfig on argv (its command line, argv[0] "ipconfig") and
 * returns its exit status (0 configured, 1, 255); with done not NULL,
 * the configuration of the first interface configured is copied there
 * (unchanged when none was). */
int ipconfig_run(int argc, char **argv, struct netconf *done);

#endif
