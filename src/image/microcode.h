/*
 * microcode.h - the early microcode member.
 *
 * The kernel's early loader (arch/x86/kernel/cpu/microcode) looks for
 * kernel/x86/microcode/GenuineIntel.bin and AuthenticAMD.bin in the
 * uncompressed archive at the start of the initrd, before the image is
 * unpacked. Each holds every update of its vendor, concatenated: the
 * files of /lib/firmware/intel-ucode (intel-microcode), and AMD's
 * containers, magic "DMA\0", from /lib/firmware/amd-ucode
 * (amd64-microcode).
 */
#ifndef ES_IMAGE_MICROCODE_H
#define ES_IMAGE_MICROCODE_H

#include "image/build.h"

#define MICROCODE_DIR "kernel/x86/microcode"
#define MICROCODE_MAX (64u << 20)	/* all updates of one vendor */

/* Adds the microcode in paths (files, or directories whose regular
 * files are taken in byte-wise name order) to the current member. */
int microcode_add(struct builder *b, char *const *paths, int n);

#endif
