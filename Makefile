# earlyspace: one non-recursive Makefile.
#
#   make            build/initramfs (+ build/gen_init_cpio)
#   make check      install test dependencies, build, run every test (prove)
#   make bench      compare speed with peers (bench/run.sh)
#   make demo       build, list and unpack a small image
#   make install    PREFIX=/usr/local DESTDIR=

VERSION := 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
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

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
SHELL_TESTS = $(sort $(wildcard tests/*/*.t))

all: $(B)/initramfs $(B)/gen_init_cpio

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

$(B)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ES_CFLAGS) $(CFLAGS) -Itests/unit -o $@ $< $(LIB) $(LIB_LIBS) -lcmocka

deps:
	sh scripts/deps.sh check

# Unit tests print TAP through cmocka; prove runs them with the shell tests.
check: deps
	$(MAKE) all $(UNIT_BIN)
	CMOCKA_MESSAGE_OUTPUT=TAP prove -f $(UNIT_BIN:%=./%) $(SHELL_TESTS)

demo:
	sh scripts/deps.sh build
	$(MAKE) all
	BIN=$(B) sh scripts/demo.sh

bench: all
	sh scripts/deps.sh bench
	BIN=$(CURDIR)/$(B) bash bench/run.sh

install: all
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(B)/initramfs $(DESTDIR)$(BINDIR)/initramfs
	ln -sf initramfs $(DESTDIR)$(BINDIR)/gen_init_cpio

clean:
	rm -rf $(B)

.PHONY: all check deps demo bench install clean
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
