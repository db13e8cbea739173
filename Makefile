# divebox — top level Makefile (kconfig-frontends driven)
#
# `make help` lists every target and variable (HELP below: keep it in step
# with the rules; testsuite/58-build.sh checks both ways).

VERSION := 0.1.0
TOP     := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
O       ?= .
OUT     := $(abspath $(O))
CONFIG  := $(OUT)/.config
BUILD   := $(OUT)/build/obj
BIN     := $(OUT)/divebox
CACHE   := $(TOP)/build
PREFIX  ?= /usr/local
DESTDIR ?=

ifeq ($(V),1)
Q :=
else
Q := @
endif

# The quick start (make demo, make check) works on a fresh Debian 12
# machine: what it needs is installed first (scripts/bootstrap.sh; as
# non-root it only says what is missing). At parse time, because even
# reading .config needs kconfig-frontends. Nested makes skip it, and so
# does the re-read after make wrote a missing .config (MAKE_RESTARTS): it
# ran once already (else `make demo` said it twice on a fresh tree).
BOOT_ARGS := $(if $(filter check,$(MAKECMDGOALS)),all,$(if $(filter demo,$(MAKECMDGOALS)),--minimal,))
ifneq ($(BOOT_ARGS),)
ifeq ($(MAKELEVEL)$(MAKE_RESTARTS),0)
BOOT_RC := $(shell bash $(TOP)/scripts/bootstrap.sh $(filter-out all,$(BOOT_ARGS)) >&2; echo $$?)
ifneq ($(BOOT_RC),0)
$(error scripts/bootstrap.sh failed (see above))
endif
endif
endif

KCONF   := kconfig-conf
KMCONF  := kconfig-mconf
export KCONFIG_CONFIG := $(CONFIG)

# (not for `make help`, which should not write a .config)
ifneq ($(MAKECMDGOALS),help)
-include $(CONFIG)
endif
unquote = $(subst ",,$(1))

# Toolchain: musl-gcc by default (static), CROSS_COMPILE for cross builds,
# CC=... on the command line for anything else (e.g. CC=gcc: glibc).
# ARCH=NAME (scripts/arch.sh list: i386 armhf aarch64 mipsel s390x
# ppc64el x86_64) picks that architecture's musl cross wrapper (Debian's
# musl-dev:ARCH installs it); the host's own architecture is plain musl-gcc.
ARCHTAB = sh $(TOP)/scripts/arch.sh
ifeq ($(origin ARCH),command line)
  ifneq ($(shell $(ARCHTAB) $(ARCH) name),$(shell $(ARCHTAB) --triplet $(shell gcc -dumpmachine) name))
    CROSS_COMPILE := $(shell $(ARCHTAB) $(ARCH) cross)
    ifeq ($(CROSS_COMPILE),)
      $(error ARCH=$(ARCH): not in scripts/arch.sh (try: $(shell $(ARCHTAB) list)))
    endif
  else
    CROSS_COMPILE :=
  endif
endif
# Not passed on to the makes the test suites run (nocreep, client builds
# in their own directories are the host's): `make check ARCH=i386`
# tests the i386 binary without building those for i386 over host objects;
# nor O= (`make O=DIR coverage` had 57-deploy's `make install` in a copy
# of the tree build into DIR)
MAKEOVERRIDES := $(filter-out ARCH=% CROSS_COMPILE=% O=%,$(MAKEOVERRIDES))
CROSS_COMPILE ?= $(call unquote,$(CONFIG_CROSS_COMPILER_PREFIX))
ifneq ($(CROSS_COMPILE),)
  ifeq ($(origin CC),default)
    CC := $(CROSS_COMPILE)gcc
    # Debian's i386 musl wrapper is i386-linux-musl-gcc (binutils: i686-)
    ifeq ($(shell command -v $(CC)),)
      CC := $(subst i686-linux-musl-,i386-linux-musl-,$(CROSS_COMPILE))gcc
    endif
  endif
else ifeq ($(origin CC),default)
  CC := musl-gcc
endif
# The target's GNU triplet (a musl wrapper runs the GNU cross gcc): names
# its binutils (a musl wrapper has no strip of its own) and its headers.
ifneq ($(CROSS_COMPILE),)
  MACHINE := $(shell $(CC) -dumpmachine 2>/dev/null)
  ifeq ($(MACHINE),)
    $(error $(CC) not found: install it (scripts/bootstrap.sh --arch NAME installs musl-dev:ARCH and gcc-TRIPLET))
  endif
endif
ifeq ($(origin STRIP),default)
  STRIP := $(CROSS_COMPILE)strip
endif
STRIP ?= $(CROSS_COMPILE)strip
ifneq ($(CROSS_COMPILE),)
  ifeq ($(shell command -v $(STRIP)),)
    STRIP := $(MACHINE)-strip
  endif
endif
# MUSL: a musl toolchain (the host's musl-gcc or a musl cross wrapper): it
# needs the target's kernel headers linked in (the wrappers use -nostdinc),
# our musl libcap-ng and gets the musl-only code (DIVEBOX_LEAN_LIBC).
MUSL := $(if $(findstring musl,$(notdir $(firstword $(CC)))),y,)
ifneq ($(CROSS_COMPILE),)
  XARCH := $(shell $(ARCHTAB) --triplet $(MACHINE) name)
endif

CFLAGS ?= -Os
CFLAGS += -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wshadow \
	-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-stack-protector -fno-plt \
	-I$(BUILD) -I$(TOP)/libcommon -I$(TOP)/applets \
	-D_GNU_SOURCE -Werror=implicit-function-declaration -DDIVEBOX_VERSION=\"$(VERSION)\" $(call unquote,$(CONFIG_EXTRA_CFLAGS))
# No floating point anywhere in divebox: with -mgeneral-regs-only a
# variadic function (die, fail, strjoin...) stops saving the vector
# registers it never reads (x86_64: ~40 bytes each, aarch64: ~130);
# defconfig -640 B. Only where the compiler knows the flag (x86, arm64).
GENERAL_REGS := $(shell $(CC) -mgeneral-regs-only -Werror -x c -c -o /dev/null /dev/null 2>/dev/null && echo -mgeneral-regs-only)
CFLAGS += $(GENERAL_REGS)
# Reproducible: no build or source directory in the objects
CFLAGS += -ffile-prefix-map=$(TOP)/= -ffile-prefix-map=$(OUT)/=
LDFLAGS += -Wl,--gc-sections -Wl,-O1 -Wl,--build-id=none \
	-Wl,-z,noseparate-code -Wl,-z,norelro
STATIC := $(if $(filter y,$(CONFIG_STATIC)),$(if $(MUSL)$(CROSS_COMPILE),y))
ifeq ($(STATIC),y)
  CFLAGS += -fno-pie
  LDFLAGS += -static -no-pie -Wl,-z,common-page-size=64
else
  # a hash table only where there is a dynamic symbol table (on MIPS, ld
  # marks --hash-style=gnu with EI_ABIVERSION 5, which qemu's binfmt
  # entry and older loaders refuse)
  LDFLAGS += -Wl,--hash-style=gnu
endif

ifeq ($(MUSL),y)
  ifneq ($(CROSS_COMPILE),)
    ifeq ($(XARCH),)
      $(error $(CC) builds for $(MACHINE), which scripts/arch.sh does not know: add it there)
    endif
    KHDR := $(CACHE)/musl-kheaders-$(XARCH)
    CAPNG := $(CACHE)/libcap-ng-$(XARCH)
    CAPNG_ARGS := --arch $(XARCH)
  else
    KHDR := $(CACHE)/musl-kheaders
    CAPNG := $(CACHE)/libcap-ng
  endif
  KHDR_DEP := $(KHDR)/.stamp
  CFLAGS += -isystem $(KHDR) -DDIVEBOX_LEAN_LIBC
endif
ifeq ($(CONFIG_FEATURE_CAPS),y)
  ifeq ($(MUSL),y)
    CAPNG_DEP := $(CAPNG)/.stamp
    CFLAGS += -I$(CAPNG)/include
    LDLIBS += $(CAPNG)/lib/libcap-ng.a
  else ifneq ($(CROSS_COMPILE),)
    # a non-musl cross compiler: only its own libcap-ng (libcap-ng-dev:ARCH)
    ifeq ($(wildcard $(shell $(CC) -print-file-name=libcap-ng.a)),)
      $(error CONFIG_FEATURE_CAPS needs libcap-ng for $(MACHINE): build with its musl cross wrapper (make ARCH=NAME builds libcap-ng too), install libcap-ng-dev for that architecture, or turn CONFIG_FEATURE_CAPS off)
    endif
    LDLIBS += -lcap-ng
  else
    LDLIBS += -lcap-ng
  endif
endif

# The compiled-in applets, for make install (which must not run a cross
# binary to ask it)
APPLETS := $(if $(filter y,$(CONFIG_DIVE)),dive) \
	$(if $(filter y,$(CONFIG_DIVED)),dived) \
	$(if $(filter y,$(CONFIG_JUSTEXEC)),justexec)

SRCS := $(sort $(wildcard $(TOP)/applets/*.c $(TOP)/applets/*/*.c) \
	$(wildcard $(TOP)/libcommon/*.c))
# NO_TINY_ALLOC=1: leave out the tiny allocator (for check-sanitize's
# build of the musl-only code against glibc: ASan needs its own malloc)
ifeq ($(NO_TINY_ALLOC),1)
  SRCS := $(filter-out $(TOP)/libcommon/malloc.c,$(SRCS))
endif
OBJS := $(patsubst $(TOP)/%.c,$(BUILD)/%.o,$(SRCS))
DEPS := $(OBJS:.o=.d)

.PHONY: all clean distclean defconfig menuconfig oldconfig savedefconfig \
	check demo size install check-sanitize check-valgrind fuzz \
	check-initramfs bench bench-json release dist deb check-release check-arch \
	coverage help

all: $(BIN)

$(CONFIG):
	@echo "  CONFIG  no .config: using configs/defconfig"
	$(Q)mkdir -p $(OUT)
	$(Q)$(KCONF) -s --defconfig=$(TOP)/configs/defconfig $(TOP)/Config.in >/dev/null

# A Config.in newer than .config (a new feature switch): take the new
# symbols' defaults, keep every choice made, as the kernel's syncconfig.
KCONFIG_SRCS := $(TOP)/Config.in $(wildcard $(TOP)/*/Config.in)
$(BUILD)/.config.synced: $(CONFIG) $(KCONFIG_SRCS)
	$(Q)mkdir -p $(BUILD)
	$(Q)$(KCONF) -s --olddefconfig $(TOP)/Config.in >/dev/null
	$(Q)touch $@

$(BUILD)/config.h: $(BUILD)/.config.synced $(TOP)/scripts/config-h.sh
	$(Q)mkdir -p $(BUILD)
	$(Q)sh $(TOP)/scripts/config-h.sh $(CONFIG) > $@.tmp && mv $@.tmp $@

ifeq ($(MUSL),y)
$(KHDR)/.stamp:
	$(Q)bash $(TOP)/scripts/build-libcap-ng.sh $(CAPNG_ARGS) --kheaders-only $(CACHE)

$(CAPNG)/.stamp: $(KHDR_DEP) $(TOP)/scripts/build-libcap-ng.sh
	$(Q)bash $(TOP)/scripts/build-libcap-ng.sh $(CAPNG_ARGS) $(CACHE)
endif

$(BUILD)/%.o: $(TOP)/%.c $(BUILD)/config.h $(TOP)/Makefile $(KHDR_DEP) $(CAPNG_DEP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $*.c")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BIN): $(OBJS) $(CAPNG_DEP)
	@$(if $(Q),echo "  LD      $(notdir $@)")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $(BUILD)/divebox.unstripped $(OBJS) $(LDLIBS)
	$(Q)$(STRIP) -s -R .comment -R .note -R .note.ABI-tag -R .note.gnu.build-id \
		-o $@ $(BUILD)/divebox.unstripped

-include $(DEPS)

# ---- configuration ----------------------------------------------------
defconfig:
	$(Q)mkdir -p $(OUT)
	$(Q)$(KCONF) --defconfig=$(TOP)/configs/defconfig $(TOP)/Config.in

%_defconfig: $(TOP)/configs/%_defconfig
	$(Q)mkdir -p $(OUT)
	$(Q)$(KCONF) --defconfig=$< $(TOP)/Config.in

menuconfig:
	$(Q)mkdir -p $(OUT)
	$(Q)$(KMCONF) $(TOP)/Config.in

oldconfig:
	$(Q)$(KCONF) --oldconfig $(TOP)/Config.in

savedefconfig:
	$(Q)$(KCONF) --savedefconfig=$(OUT)/defconfig $(TOP)/Config.in
	@echo "  wrote $(OUT)/defconfig"

# ---- tests, demo, size --------------------------------------------------
check: $(BIN)
	$(Q)env -u ARCH -u CROSS_COMPILE DIVEBOX=$(BIN) DIVEBOX_CONFIG=$(CONFIG) TOP=$(TOP) sh $(TOP)/testsuite/run

demo: $(BIN)
	$(Q)DIVEBOX=$(BIN) sh $(TOP)/scripts/demo.sh

size:
	$(Q)sh $(TOP)/scripts/size.sh

# glibc + clang/gcc, -fsanitize=address,undefined, whole test suite
check-sanitize:
	$(Q)sh $(TOP)/scripts/check-sanitize.sh

# the dive/dived session suites under valgrind --error-exitcode
check-valgrind: $(BIN)
	$(Q)DIVEBOX=$(BIN) sh $(TOP)/scripts/check-valgrind.sh

# libFuzzer on the decoder, the option and passwd parsers, the allocator (FUZZ_TIME=s)
fuzz:
	$(Q)sh $(TOP)/scripts/fuzz.sh

# boot an initramfs (busybox + divebox) in qemu and check the console
check-initramfs: $(BIN)
	$(Q)DIVEBOX=$(BIN) sh $(TOP)/scripts/initramfs-test.sh

# BASE=path/to/old/divebox: A/B against that build (docs/performance.md)
bench: $(BIN)
	$(Q)DIVEBOX=$(BIN) sh $(TOP)/scripts/bench.sh $(if $(BASE),--against $(abspath $(BASE)))

bench-json: $(BIN)
	$(Q)DIVEBOX=$(BIN) sh $(TOP)/scripts/bench.sh --json $(if $(BASE),--against $(abspath $(BASE)))

# ---- other architectures, releases --------------------------------------
# each release architecture (musl cross, capabilities) under its suites:
# qemu-user for the foreign ones, the whole suite for i386 (ARCHS=...)
check-arch:
	$(Q)sh $(TOP)/scripts/check-arch.sh $(ARCHS)

# build/release/: divebox-ARCH for every architecture, the sources, SHA256SUMS
release:
	$(Q)ARCHS="$(ARCHS)" sh $(TOP)/scripts/release.sh

# build/release/divebox-VERSION.tar.gz (git archive of HEAD)
dist:
	$(Q)sh $(TOP)/scripts/release.sh --dist

# build/release/divebox_VERSION_DEBARCH.deb (DEB_ARCHS=..., default: this machine's)
deb:
	$(Q)sh $(TOP)/scripts/release.sh --deb $(DEB_ARCHS)

# the same commit released in two directories gives the same bytes
check-release:
	$(Q)sh $(TOP)/scripts/check-release.sh

# gcov line coverage of applets/ and libcommon/ under the suites, per file
# and in total (gcc --coverage against glibc, the musl-only code too; in
# build/coverage, or O=DIR/coverage; about 4 minutes)
coverage:
	$(Q)COV_OUT=$(if $(filter command line,$(origin O)),$(OUT)/coverage,$(CACHE)/coverage) \
		sh $(TOP)/scripts/coverage.sh

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/divebox
	@for a in $(APPLETS); do \
		ln -f $(DESTDIR)$(PREFIX)/bin/divebox $(DESTDIR)$(PREFIX)/bin/$$a || exit 1; done
	@for m in $(wildcard $(TOP)/man/*.[1-8]); do \
		s=$${m##*.}; install -d $(DESTDIR)$(PREFIX)/share/man/man$$s; \
		install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/; done

clean:
	rm -rf $(BUILD) $(BIN)

distclean: clean
	rm -rf $(CONFIG) $(CONFIG).old $(CACHE)

# ---- help -----------------------------------------------------------------
# One line per target (kconfig-mconf ends with "try 'make help'": this).
define HELP
Building:
  all               ./divebox, static, stripped (configs/defconfig if none)
  defconfig         .config from configs/defconfig (everything)
  NAME_defconfig    .config from configs/NAME_defconfig (nocreep, client)
  menuconfig        edit .config in menus (kconfig-mconf)
  oldconfig         ask about the options .config does not set yet
  savedefconfig     write the minimal defconfig of .config to O/defconfig
  install           bin/divebox, applet links, man pages (DESTDIR=, PREFIX=)
  clean             remove the objects and ./divebox
  distclean         clean, and .config and build/ (libcap-ng, kernel headers)
  help              this list
Testing:
  check             build and run every test suite in testsuite/
  check-sanitize    the suites under ASan+UBSan (glibc, clang)
  check-valgrind    the dive/dived session suites under valgrind
  check-initramfs   boot an initramfs with busybox + divebox in qemu
  check-arch        each release architecture's binary under its suites (ARCHS=)
  check-release     the same commit released twice gives the same bytes
  coverage          gcov line coverage of applets/, libcommon/ under the suites
  fuzz              libFuzzer on decoder, parsers, allocator (FUZZ_TIME=s)
  demo              dive into a fresh network namespace (needs root)
  size              stripped size of each shipped config
  bench             performance figures (docs/performance.md)
  bench-json        performance figures as JSON
  bench BASE=FILE   A/B against an older build's binary
Releasing:
  release           build/release/: divebox-ARCH each, sources, SHA256SUMS
  dist              build/release/divebox-VERSION.tar.gz (git archive of HEAD)
  deb               build/release/divebox_VERSION_DEBARCH.deb (DEB_ARCHS=)
Variables:
  O=DIR             out of tree: DIR/.config, DIR/build, DIR/divebox
  V=1               show the commands
  CC=gcc            glibc, dynamic, the system's libcap-ng-dev
  ARCH=NAME         musl cross build (names: sh scripts/arch.sh list)
  CROSS_COMPILE=P   cross build with the toolchain P (TRIPLET-linux-musl-)
endef
export HELP
help:
	@echo "$$HELP"
