# earlyspace: one non-recursive Makefile.
#
#   make            build/initramfs (+ build/gen_init_cpio) and build/kinit
#   make check      install test dependencies, build, run every test (prove)
#   make bench      compare speed and size with peers (bench/)
#   make demo       boot Debian's kernel to a real root with kinit in QEMU
#   make install    PREFIX=/usr/local DESTDIR=

VERSION := 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib/earlyspace
B := build

CC ?= cc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-missing-field-initializers
ES_CFLAGS := -std=gnu11 $(WARN) -Isrc -D_GNU_SOURCE -DES_VERSION='"$(VERSION)"' -MMD -MP

# Layers, lowest first; the host tool links all of them.
LIB_SRC := $(wildcard src/base/*.c src/cpio/*.c src/codec/*.c src/elf/*.c src/kmod/*.c \
	src/probe/*.c src/image/*.c)
# The compression libraries Debian ships; src/codec is their only user.
LIB_LIBS := -lz -lbz2 -llzma -llzo2 -llz4 -lzstd -lpthread
CLI_SRC := $(wildcard src/cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(B)/obj/%.o)
LIB := $(B)/libearlyspace.a

# The target binary: src/early with the layers it shares with the host,
# static against musl, linking nothing else. Debian's musl-gcc sees no
# kernel uapi headers: a directory of links to linux-libc-dev's gives it
# them. The same sources built for the host (libearly.a) serve the unit
# tests.
MUSL_CC ?= musl-gcc
EARLY_CFLAGS ?= -Oz -flto=auto -fno-inline-functions-called-once -fno-jump-tables
# The size budget (96 KiB stripped): one section a function so the
# linker drops what is unused, no unwind tables (C, no exceptions), no
# position independence (a static binary at a fixed address), no page
# padding between segments, and link-time optimisation (the link sees
# the whole program: it drops more); no inlining of a function just
# because it has one caller, no jump tables (both cost bytes at -Oz).
# src/early/libc_*.c replace musl's printf, malloc, strerror and
# fstatat with smaller ones (each file says why).
EARLY_SIZE_FLAGS := -ffunction-sections -fdata-sections -fno-pie \
	-fno-asynchronous-unwind-tables -fno-unwind-tables
EARLY_LDFLAGS := -no-pie -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro \
	-Wl,--build-id=none -s $(EARLY_CFLAGS)
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
UAPI := $(B)/uapi
EARLY_SRC := $(wildcard src/early/*.c)
# src/net (protocol codecs) is the target's alone; the host tool has no
# use for it, the unit tests get it through libearly.a.
NET_SRC := $(wildcard src/net/*.c)
EARLY_SHARED := src/base/error.c src/base/strset.c src/base/xalloc.c \
	$(wildcard src/kmod/*.c src/probe/*.c) $(NET_SRC)
EARLY_OBJ := $(EARLY_SRC:%.c=$(B)/musl/%.o) $(EARLY_SHARED:%.c=$(B)/musl/%.o)
EARLY_HOST_OBJ := $(filter-out $(B)/obj/src/early/main.o $(B)/obj/src/early/libc_%.o,$(EARLY_SRC:%.c=$(B)/obj/%.o)) \
	$(NET_SRC:%.c=$(B)/obj/%.o)
EARLY_HOST_LIB := $(B)/libearly.a

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
SHELL_TESTS = $(sort $(wildcard tests/*/*.t))

all: $(B)/initramfs $(B)/gen_init_cpio $(B)/kinit

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ES_CFLAGS) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/initramfs: $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIB_LIBS)

$(B)/gen_init_cpio: $(B)/initramfs
	ln -sf initramfs $@

$(UAPI)/.stamp:
	@mkdir -p $(UAPI)
	ln -sfn /usr/include/linux $(UAPI)/linux
	ln -sfn /usr/include/asm-generic $(UAPI)/asm-generic
	ln -sfn /usr/include/$(MULTIARCH)/asm $(UAPI)/asm
	@touch $@

$(B)/musl/%.o: %.c $(UAPI)/.stamp
	@mkdir -p $(@D)
	$(MUSL_CC) $(ES_CFLAGS) $(EARLY_CFLAGS) $(EARLY_SIZE_FLAGS) -isystem $(UAPI) -c $< -o $@

$(B)/kinit: $(EARLY_OBJ)
	$(MUSL_CC) -static $(EARLY_LDFLAGS) -o $@ $^

$(EARLY_HOST_LIB): $(EARLY_HOST_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/tests/%: tests/unit/%.c $(EARLY_HOST_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ES_CFLAGS) $(CFLAGS) -Itests/unit -o $@ $< $(EARLY_HOST_LIB) $(LIB) \
		$(LIB_LIBS) -lcmocka

deps:
	sh scripts/deps.sh check

# Unit tests print TAP through cmocka; prove runs them with the shell tests.
check: deps
	$(MAKE) all $(UNIT_BIN)
	CMOCKA_MESSAGE_OUTPUT=TAP prove -f $(UNIT_BIN:%=./%) $(SHELL_TESTS)

demo:
	sh scripts/deps.sh demo
	$(MAKE) all
	BIN=$(B) sh scripts/demo.sh

# Speed against the cpio peers, kinit's size, ipconfig against klibc's,
# then boot time and image size against initramfs-tools and dracut
# (bench/README.md).
bench: all
	sh scripts/deps.sh bench
	BIN=$(CURDIR)/$(B) bash bench/run.sh
	BIN=$(CURDIR)/$(B) sh bench/size.sh
	BIN=$(CURDIR)/$(B) sh bench/ipconfig.sh
	BIN=$(CURDIR)/$(B) bash bench/boot.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)
	install -m 0755 $(B)/initramfs $(DESTDIR)$(BINDIR)/initramfs
	install -m 0755 $(B)/kinit $(DESTDIR)$(LIBDIR)/kinit
	ln -sf initramfs $(DESTDIR)$(BINDIR)/gen_init_cpio

clean:
	rm -rf $(B)

include mk/fuzz.mk
include mk/sanitize.mk
.PHONY: all check deps demo bench install clean
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(EARLY_OBJ:.o=.d) $(EARLY_HOST_OBJ:.o=.d)
