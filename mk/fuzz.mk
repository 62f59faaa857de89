# mk/fuzz.mk - libFuzzer targets for the parsers that read hostile input
# (tests/fuzz/README.md). Included from the Makefile.
#
#   make fuzz-build                 build/fuzz/fuzz_NAME, one per tests/fuzz/fuzz_NAME.c
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="dhcp elf"]
#                                   run each for FUZZ_SECONDS; fails on a crash
#
# The layers are compiled again with clang and the sanitizers into
# build/fuzz/obj (the -O2 gcc objects carry no coverage instrumentation)
# and archived, so each fuzzer links only the objects it needs: the
# layers the targets read with, of src/image and src/early only the
# files that the targets call.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_B := $(B)/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -std=gnu11 $(WARN) -Isrc -D_GNU_SOURCE -DES_VERSION='"$(VERSION)"' \
	-MMD -MP -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN)
FUZZ_LIB_SRC := $(wildcard src/base/*.c src/cpio/*.c src/codec/*.c src/elf/*.c \
	src/kmod/*.c src/probe/*.c src/net/*.c) \
	$(addprefix src/image/,image_reader.c member_stream.c list_parse.c) \
	$(addprefix src/early/,cmdline.c rootspec.c ipspec.c nfsspec.c number.c \
	blockdev.c sysfile.c)
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZ_B)/obj/%.o)
FUZZ_LIB := $(FUZZ_B)/libfuzz.a
FUZZ_ALL := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)

$(FUZZ_B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Itests/fuzz -o $@ $< \
		$(FUZZ_LIB) $(LIB_LIBS)

fuzz-build: $(FUZZ_ALL:%=$(FUZZ_B)/fuzz_%)

fuzz: fuzz-build
	sh tests/fuzz/run.sh $(FUZZ_B) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

.PHONY: fuzz fuzz-build
-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_ALL:%=$(FUZZ_B)/fuzz_%.d)
