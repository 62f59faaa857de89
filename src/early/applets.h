/*
 * applets.h - the programs of the one target binary. main.c picks one
 * by the name it was run as (/init runs kinit); each is a whole command
 * with its own options, and returns the process's exit status.
 */
#ifndef ES_EARLY_APPLETS_H
#define ES_EARLY_APPLETS_H

int kinit_main(int argc, char **argv);
int run_init_main(int argc, char **argv);
int fstype_main(int argc, char **argv);
int modprobe_main(int argc, char **argv);
int resume_main(int argc, char **argv);
int nfsmount_main(int argc, char **argv);
int ipconfig_main(int argc, char **argv);

#endif
