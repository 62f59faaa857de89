/* commands.h - the subcommands of `initramfs`, one file each. */
#ifndef ES_CLI_COMMANDS_H
#define ES_CLI_COMMANDS_H

int cmd_build(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_modules(int argc, char **argv);
/* The kernel's gen_init_cpio, when the program runs under that name. */
int gen_init_cpio_main(int argc, char **argv);

#endif
