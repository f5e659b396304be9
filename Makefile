# cdpilot -- see README.md.  `make demo` and `make test` are the two
# commands a fresh Debian machine needs; everything else is for developers.

CC      ?= cc
PKGS    := libwebsockets libcjson sqlite3 libpcre2-8 liburiparser \
           libmicrohttpd libcrypto libcurl
BUILD   ?= build
PREFIX  ?= /usr/local
# Warnings are errors only where WERROR=1 says so (CI does): a user's newer
# compiler may warn about what ours does not, and must still build.
WERROR  ?=
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wvla -Wformat=2 -Wno-format-nonliteral \
           $(if $(filter-out 0,$(WERROR)),-Werror)
OPT     ?= -O2 -g
SAN     ?=
# The user's CFLAGS, CPPFLAGS, LDFLAGS and LIBS (a packager's hardening
# flags) come last, after ours, and are never dropped.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS  = -std=c11 -D_GNU_SOURCE $(WARN) $(OPT) $(SAN) -MMD -MP \
              -DCDPILOT_PROFILES_DIR='"$(PREFIX)/share/cdpilot/profiles"' \
              $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)
ALL_LDLIBS  = $(PKG_LIBS) -lpthread -lm $(LDLIBS) $(LIBS)

# A library pkg-config does not know stops the build before any compiler
# error can hide it, naming it and the Debian package that has it. The
# goals that install the packages first check in their own sub-make.
PKG_DEBS := libwebsockets:libwebsockets-dev libcjson:libcjson-dev \
            sqlite3:libsqlite3-dev libpcre2-8:libpcre2-dev \
            liburiparser:liburiparser-dev libmicrohttpd:libmicrohttpd-dev \
            libcrypto:libssl-dev libcurl:libcurl4-openssl-dev
NO_PKG_CHECK := clean deps check-deps lint demo test test-realapps valgrind
ifeq ($(filter $(NO_PKG_CHECK),$(MAKECMDGOALS)),)
PKGS_MISSING := $(strip $(foreach p,$(PKGS),$(if $(shell pkg-config \
                  --exists $(p) && echo y),,$(p))))
ifneq ($(PKGS_MISSING),)
deb_of = $(or $(patsubst $(1):%,%,$(filter $(1):%,$(PKG_DEBS))),$(1)-dev)
$(error missing $(PKGS_MISSING) (pkg-config cannot find $(if $(word 2,$(PKGS_MISSING)),them,it)): \
run scripts/install-deps, or apt-get install $(foreach p,$(PKGS_MISSING),$(call deb_of,$(p))))
endif
endif

# One folder per concern; a module's objects are every .c in its folder.
MODULES := util cdp serve heuristics cache llm grid selectors runner
# What each module may use (tests of a module link exactly these).
DEPS_util       :=
DEPS_cdp        := util
DEPS_serve      := util
DEPS_heuristics := util
DEPS_cache      := util
DEPS_llm        := util
DEPS_grid       := util
DEPS_selectors  := util heuristics cache llm cdp
DEPS_runner     := util heuristics cache llm grid cdp serve selectors

objs_of = $(patsubst %.c,$(BUILD)/%.o,$(filter-out runner/main.c,$(wildcard $(1)/*.c)))
GEN_JS  := $(BUILD)/gen/page_js.o
JS_SRC  := $(sort $(wildcard selectors/js/*.js))
# Objects for a module and everything it depends on.
link_of = $(foreach m,$(1) $(DEPS_$(1)),$(call objs_of,$(m))) \
          $(if $(filter selectors runner,$(1)),$(GEN_JS))

ALL_OBJS := $(foreach m,$(MODULES),$(call objs_of,$(m)))
BIN      := $(BUILD)/cdpilot
HELP_GEN := $(BUILD)/cdpilot.1 $(BUILD)/completion/cdpilot.bash \
            $(BUILD)/completion/_cdpilot

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))

.PHONY: all deps demo test test-unit test-integ test-realapps asan valgrind fuzz bench \
        bench-cdp bench-grounding bench-llm clean check-deps lint install \
        uninstall FORCE \
        torture unit-bins
all: $(BIN) cdpilot $(UNIT_BINS) $(BENCH_BINS) $(HELP_GEN)

cdpilot: $(BIN)
	@ln -sf $(BIN) cdpilot

$(BIN): $(BUILD)/runner/main.o $(ALL_OBJS) $(GEN_JS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(ALL_LDLIBS)

# Objects are rebuilt when the flags change (CFLAGS, OPT, SAN, PREFIX...).
FLAGS_FILE := $(BUILD)/cflags
$(FLAGS_FILE): FORCE
	@mkdir -p $(BUILD)
	@printf '%s\n' '$(subst ','\'',$(ALL_CFLAGS) $(ALL_LDFLAGS))' | \
	    cmp -s - $@ || printf '%s\n' \
	    '$(subst ','\'',$(ALL_CFLAGS) $(ALL_LDFLAGS))' > $@
FORCE:

$(BUILD)/%.o: %.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 -o $@ $<

$(BUILD)/gen/page_js.c: $(JS_SRC) $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed sel_page_js $@ $(JS_SRC)

$(BUILD)/gen/page_js.o: $(BUILD)/gen/page_js.c
	$(CC) -std=c11 $(CFLAGS) -c -o $@ $<

# The man page and the shell completions, written from the help text of
# runner/help.c (the same `cdpilot COMMAND --help` prints).
$(BUILD)/tools/mkhelp: tools/mkhelp.c $(BUILD)/runner/help.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/runner/help.o

$(BUILD)/cdpilot.1: $(BUILD)/tools/mkhelp
	$(BUILD)/tools/mkhelp man $@
$(BUILD)/completion/cdpilot.bash: $(BUILD)/tools/mkhelp
	@mkdir -p $(dir $@)
	$(BUILD)/tools/mkhelp bash $@ $(PREFIX)/share/cdpilot/profiles
$(BUILD)/completion/_cdpilot: $(BUILD)/tools/mkhelp
	@mkdir -p $(dir $@)
	$(BUILD)/tools/mkhelp zsh $@ $(PREFIX)/share/cdpilot/profiles

# TORTURE=1 (make torture): the unit tests allocate through
# tests/torture/alloc.c, which can fail any one allocation.
ifneq ($(filter-out 0,$(TORTURE)),)
TORTURE_OBJ := $(BUILD)/torture/alloc.o
TORTURE_LD  := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc \
               -Wl,--wrap=strdup,--wrap=strndup
endif
$(BUILD)/torture/alloc.o: tests/torture/alloc.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# tests/unit/test_<module>[_anything].c links <module> and its deps.
test_module = $(word 2,$(subst _, ,$(notdir $(1))))
.SECONDEXPANSION:
$(BUILD)/tests/%: tests/unit/%.c $$(call link_of,$$(call test_module,$$*)) \
                  $(TORTURE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(TORTURE_LD) -o $@ $< \
	    $(filter %.o,$^) $(ALL_LDLIBS)

unit-bins: $(UNIT_BINS)

$(BUILD)/bench/%: bench/%.c $(ALL_OBJS) $(GEN_JS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(filter %.o,$^) $(ALL_LDLIBS)

deps:
	@scripts/install-deps

# The house rules a compiler does not check (scripts/lint says which):
# banned calls, include layering against DEPS_*, file and function length,
# trailing white space. A few seconds; CI runs it before the tests.
lint:
	@scripts/lint

# $(DESTDIR)$(PREFIX)/bin/cdpilot, the profiles it reads from
# $(PREFIX)/share/cdpilot/profiles (also found relative to the binary, so
# a DESTDIR install works before it is moved), the man page and the bash
# and zsh completions. Build with the same PREFIX. `make uninstall`
# removes exactly these files.
INST_BIN  := $(DESTDIR)$(PREFIX)/bin
INST_PROF := $(DESTDIR)$(PREFIX)/share/cdpilot/profiles
INST_MAN  := $(DESTDIR)$(PREFIX)/share/man/man1
INST_BASH := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
INST_ZSH  := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
install: $(BIN) $(HELP_GEN)
	install -d $(INST_BIN) $(INST_PROF) $(INST_MAN) $(INST_BASH) $(INST_ZSH)
	install -m 755 $(BIN) $(INST_BIN)/cdpilot
	install -m 644 profiles/*.json $(INST_PROF)
	install -m 644 $(BUILD)/cdpilot.1 $(INST_MAN)/cdpilot.1
	install -m 644 $(BUILD)/completion/cdpilot.bash $(INST_BASH)/cdpilot
	install -m 644 $(BUILD)/completion/_cdpilot $(INST_ZSH)/_cdpilot

uninstall:
	rm -f $(INST_BIN)/cdpilot $(INST_MAN)/cdpilot.1 $(INST_BASH)/cdpilot \
	    $(INST_ZSH)/_cdpilot $(addprefix $(INST_PROF)/,$(notdir $(wildcard profiles/*.json)))
	-rmdir $(INST_PROF) $(DESTDIR)$(PREFIX)/share/cdpilot 2>/dev/null

check-deps:
	@scripts/install-deps --check

# The README's first command: install what is missing, build, run a real
# example task against the built-in example site in headless Chromium.
demo: deps
	@$(MAKE) --no-print-directory $(BIN) cdpilot
	@scripts/demo

# The README's second command: unit tests, then integration tests against
# real Chromium and real SQLite files.
test: deps
	@$(MAKE) --no-print-directory all
	@tests/run.sh $(BUILD)

test-unit: all
	@TESTS_ONLY=unit tests/run.sh $(BUILD)

asan:
	@$(MAKE) --no-print-directory all BUILD=build-asan OPT="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	    UBSAN_OPTIONS=print_stacktrace=1 TEST_TIMEOUT=1500 \
	    tests/run.sh build-asan

# The real-application suite (tests/realapps/README.md): WordPress,
# phpMyAdmin, Prometheus and Jupyter Notebook from Debian's packages, run
# locally; every task --no-llm cold then warm; prints the figures. Exits
# non-zero only when the apps or the runs themselves broke.
# REALAPPS_FLAGS=--changed adds the pass over changed markup and data.
test-realapps:
	@scripts/install-deps realapps
	@$(MAKE) --no-print-directory $(BIN)
	@tests/realapps/run.sh --build $(BUILD) $(REALAPPS_FLAGS)

# Every unit-test binary of the normal build under valgrind's memcheck: any
# invalid access, uninitialised use, or definite or indirect leak fails it.
VALGRIND := valgrind --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect --track-origins=yes -q
valgrind:
	@scripts/install-deps valgrind
	@$(MAKE) --no-print-directory all
	@TESTS_ONLY=unit TEST_WRAPPER="$(VALGRIND)" TEST_TIMEOUT=1500 \
	    tests/run.sh $(BUILD)

# Fuzz every parser for FUZZ_SECONDS each (clang + libFuzzer, installed
# when missing); findings land in tests/fuzz/regress/.
fuzz:
	@scripts/fuzz

# Allocation-failure torture (docs/RELIABILITY.md): every allocation path
# the unit tests take is failed once, in an ASan + UBSan + LSan build; a
# crash, a sanitizer report or a leak fails it. TORTURE_FLAGS: see
# scripts/torture --help.
torture:
	@scripts/torture $(TORTURE_FLAGS)

bench-cdp: all
	@scripts/bench-cdp

# The grounding corpus (accuracy, confident-wrong, scoring time), then
# end-to-end plain-words resolution on the shared bench's big page.
bench-grounding: all
	@$(BUILD)/bench/bench_grounding tests/grounding
	@if [ -f ../shared/bench/fixtures/big.html ] || [ -n "$$BENCH_FIXTURES" ]; \
	then BUILD=$(BUILD) scripts/bench-resolve; \
	else echo "bench-grounding: no ../shared/bench fixtures: end-to-end resolve skipped"; fi

# LLM escalation on the grounding corpus, against the scripted fake
# provider answering correctly: calls per 100 resolutions, tokens, latency.
bench-llm: all
	@$(BUILD)/bench/bench_llm_grounding tests/grounding python3

bench: all
	@scripts/bench

clean:
	rm -rf build build-asan build-torture cdpilot

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
