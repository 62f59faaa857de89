# mk/sanitize.mk - the host tool and the unit tests built a second time
# with AddressSanitizer (LeakSanitizer included) and
# UndefinedBehaviorSanitizer, for tests/sanitize/run.t, which `make
# check` runs with the other tests. Included from the Makefile.
#
#   make sanitize-build    build/asan/initramfs, gen_init_cpio, tests/test_*
#   prove -v tests/sanitize/run.t    that, then the tests under it
#
# The same rules as the main build, run again with B pointing into
# build/asan and the sanitizer flags in CFLAGS (which every compile and
# link line carries). Every report ends the program with a failure
# status (-fno-sanitize-recover): none can scroll by unnoticed.
# Limits: kinit is static against musl, which has no sanitizer runtime;
# build/asan/kinit is a link to the normal one (the tests that put it
# in an image need it), and its code is checked through libearly.a,
# which the unit tests link, and under valgrind by run.t.

SAN_B := $(B)/asan
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
SAN_CFLAGS := -O1 -g -fno-omit-frame-pointer $(SAN_FLAGS)

sanitize-build: $(B)/kinit
	$(MAKE) B=$(SAN_B) CFLAGS='$(SAN_CFLAGS)' LDFLAGS='$(SAN_FLAGS)' \
		$(SAN_B)/initramfs $(SAN_B)/gen_init_cpio \
		$(UNIT_BIN:$(B)/%=$(SAN_B)/%)
	ln -sfn ../kinit $(SAN_B)/kinit

.PHONY: sanitize-build
