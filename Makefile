# bpa - exact BPA grant and settlement engine.
#   make            library (static + shared) and the bpa CLI in build/
#   make check      every test, twice: a normal build and an ASan+UBSan build
#   make run        install missing Debian packages, build, compute the sample grant
#   make install PREFIX=DIR   (make install-test: into a temporary prefix, used by pkg-config)

CC      ?= cc
PREFIX  ?= /usr/local
BUILD   ?= build
SAN     ?=
VERSION := 0.1.0

PKG_CFLAGS := $(shell pkg-config --cflags libcjson 2>/dev/null || echo -I/usr/include/cjson) \
              $(shell pkg-config --cflags libzip expat 2>/dev/null)
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wno-format-nonliteral
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c17 -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) -Iinclude -Isrc $(PKG_CFLAGS) \
              -DBPA_VERSION='"$(VERSION)"' -DBPA_SOURCE_DIR='"$(CURDIR)"' -MMD -MP
# the library exports only what include/bpa/ declares with BPA_API
LIB_CFLAGS := -DBPA_BUILDING -fvisibility=hidden
# libzip and expat read .xlsx files (src/io/xlsx.c)
LIBS    := -lcjson -lxlsxwriter -lgmp -lm \
           $(shell pkg-config --libs libzip expat 2>/dev/null || echo -lzip -lexpat)
ifeq ($(SAN),1)
  ALL_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
  SAN_LDFLAGS := -fsanitize=address,undefined
endif
# bpa serve (cli/cmd_serve.c): libmicrohttpd, for the binary only
SERVE_LIBS := $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd) -pthread
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lm -pthread)

# libbpa: src/<family>/*.c; the CLI: cli/*.c
CLI_SRC  := $(wildcard cli/*.c)
LIB_SRC  := $(wildcard src/*/*.c)
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
PIC_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/pic/%.o)
CLI_OBJ  := $(CLI_SRC:cli/%.c=$(BUILD)/cli/%.o) $(BUILD)/cli/web_assets.o
# the web form's static files, built into bpa serve
WEB_SRC  := $(wildcard web/*.html web/*.css web/*.js schemas/*.schema.json)
SONAME   := libbpa.so.0
TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: check-gcc check-asan check-clang valgrind-unit valgrind-cli
.PHONY: all check test unit-test cli-test run install install-test clean reports reports-check workbook-check valgrind alloc-check alloc-build alloc-engine alloc-workbook alloc-gmp alloc-xlsx coverage
all: $(BUILD)/libbpa.a $(BUILD)/libbpa.so $(BUILD)/bpa

# V=1 shows the full commands
Q := $(if $(V),,@)
$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(LIB_CFLAGS) -c $< -o $@
$(BUILD)/pic/%.o: src/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(LIB_CFLAGS) -fPIC -c $< -o $@
# The CLI sees only the public headers (no -Isrc): it is a client of the API
# like any other.
CLI_CFLAGS := $(filter-out -Isrc,$(ALL_CFLAGS))
$(BUILD)/cli/%.o: cli/%.c
	@mkdir -p $(@D)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CLI_CFLAGS) -c $< -o $@
$(BUILD)/gen/web_assets.c: $(WEB_SRC) scripts/embed-web.py
	@mkdir -p $(@D)
	$(Q)python3 scripts/embed-web.py $@ $(WEB_SRC)
$(BUILD)/cli/web_assets.o: $(BUILD)/gen/web_assets.c cli/serve.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(CLI_CFLAGS) -Icli -c $< -o $@
$(BUILD)/libbpa.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^
$(BUILD)/libbpa.so: $(PIC_OBJ)
	$(Q)$(CC) -shared -Wl,-soname,$(SONAME) $(SAN_LDFLAGS) -o $@ $^ $(LIBS)
$(BUILD)/bpa: $(CLI_OBJ) $(BUILD)/libbpa.a
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(SAN_LDFLAGS) -o $@ $^ $(LIBS) $(SERVE_LIBS)
$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/libbpa.a
	@mkdir -p $(@D)
	@$(if $(V),,echo "  TEST    $<")
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit $< -o $@ $(SAN_LDFLAGS) $(BUILD)/libbpa.a $(LIBS) $(CHECK_LIBS)

# One run of every test against $(BUILD).
test: unit-test cli-test
unit-test: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; $$t; done
cli-test: $(BUILD)/bpa schema-test man-test
	@BPA=$(CURDIR)/$(BUILD)/bpa sh tests/cli/run.sh
	@BPA=$(CURDIR)/$(BUILD)/bpa sh tests/cli/settle.sh
	@BPA=$(CURDIR)/$(BUILD)/bpa sh tests/cli/warnings.sh
	@BPA=$(CURDIR)/$(BUILD)/bpa sh tests/cli/timesheets.sh
	@BPA=$(CURDIR)/$(BUILD)/bpa sh tests/cli/se_settle.sh
	@BPA=$(CURDIR)/$(BUILD)/bpa sh tests/cli/se_fixtures.sh
	@BPA=$(CURDIR)/$(BUILD)/bpa sh tests/cli/se_invariants.sh
	@BPA=$(CURDIR)/$(BUILD)/bpa sh tests/cli/diff.sh
	@BPA=$(CURDIR)/$(BUILD)/bpa sh tests/cli/batch.sh
	@BPA=$(CURDIR)/$(BUILD)/bpa sh tests/cli/verify.sh
	@BPA=$(CURDIR)/$(BUILD)/bpa sh tests/cli/verify_mutate.sh
	@BPA=$(CURDIR)/$(BUILD)/bpa sh tests/cli/verify_workbook.sh
	@BPA=$(CURDIR)/$(BUILD)/bpa sh tests/bad/run.sh
	@BPA=$(CURDIR)/$(BUILD)/bpa /usr/bin/python3 tests/web/robust.py

# The three builds and the allocation-failure loops are independent: they run
# two at a time (CI has two cores); each part's output is printed whole. The
# allocation loops, the longest parts, start first so the builds fill the
# cores after them.
CHECK_JOBS ?= 2
check:
	@sh scripts/install-deps.sh
	$(MAKE) --no-print-directory -j$(CHECK_JOBS) --output-sync=target \
	  alloc-engine alloc-workbook check-gcc check-asan check-clang alloc-gmp alloc-xlsx
	BPA=$(CURDIR)/build/bpa sh tests/cli/kill.sh
	$(MAKE) --no-print-directory install-test
	@echo "make check: gcc, gcc ASan+UBSan and clang builds, allocation failures, SIGKILL and install passed"
check-gcc:
	$(MAKE) --no-print-directory test BUILD=build
check-asan:
	$(MAKE) --no-print-directory test BUILD=build/asan SAN=1 CFLAGS="-O1 -g"
check-clang:
	$(MAKE) --no-print-directory test BUILD=build/clang CC=clang

# Allocation failure: a sanitizer build where the n-th allocation fails (the
# engine's stages and the workbook writers, run side by side; GMP's abort by
# gmp.sh); then a plain build whose test replaces malloc itself, to reach
# libxlsxwriter's.
FAULT := build/fault
XALLOC := build/xalloc
alloc-check: alloc-engine alloc-workbook alloc-gmp alloc-xlsx
alloc-build:
	$(MAKE) --no-print-directory BUILD=$(FAULT) SAN=1 CFLAGS="-O1 -g -DBPA_FAULT_INJECTION" \
	  $(FAULT)/libbpa.a $(FAULT)/bpa
	@mkdir -p $(FAULT)/tests
	$(Q)$(CC) $(ALL_CFLAGS) -O1 -g -DBPA_FAULT_INJECTION -fsanitize=address,undefined -Itests/unit \
	  tests/alloc/test_alloc.c -o $(FAULT)/tests/test_alloc $(FAULT)/libbpa.a $(LIBS) $(CHECK_LIBS)
alloc-engine alloc-workbook: alloc-%: alloc-build
	CK_FORK=no CK_RUN_CASE=$* $(FAULT)/tests/test_alloc
alloc-gmp: alloc-build
	BPA=$(CURDIR)/$(FAULT)/bpa sh tests/alloc/gmp.sh
alloc-xlsx:
	$(MAKE) --no-print-directory BUILD=$(XALLOC) CFLAGS="-O1 -g" $(XALLOC)/libbpa.a
	@mkdir -p $(XALLOC)/tests
	$(Q)$(CC) $(ALL_CFLAGS) -O1 -g -fno-builtin -Itests/unit tests/alloc/test_xlsx_alloc.c \
	  -o $(XALLOC)/tests/test_xlsx_alloc $(XALLOC)/libbpa.a $(LIBS) $(CHECK_LIBS)
	CK_FORK=no $(XALLOC)/tests/test_xlsx_alloc

# Line and branch coverage of src/ by the unit and CLI tests (lcov).
COV := build/cov
coverage:
	@rm -rf $(COV)
	$(MAKE) --no-print-directory test BUILD=$(COV) CFLAGS="-O0 -g --coverage -DBPA_FAULT_INJECTION" \
	  SAN_LDFLAGS=--coverage
	$(Q)$(CC) $(ALL_CFLAGS) -O0 -g --coverage -DBPA_FAULT_INJECTION -Itests/unit tests/alloc/test_alloc.c \
	  -o $(COV)/tests/test_alloc $(COV)/libbpa.a $(LIBS) $(CHECK_LIBS) --coverage
	CK_FORK=no $(COV)/tests/test_alloc
	BPA=$(CURDIR)/$(COV)/bpa sh tests/alloc/gmp.sh
	sh scripts/make-reports.sh $(COV)/bpa $(COV)/reports-da da
	sh scripts/make-reports.sh $(COV)/bpa $(COV)/reports-en en
	$(Q)lcov -q --rc lcov_branch_coverage=1 --capture 2>/dev/null --directory $(COV) --output-file $(COV)/all.info
	$(Q)lcov -q --rc lcov_branch_coverage=1 --extract $(COV)/all.info '$(CURDIR)/src/*' \
	  --output-file $(COV)/src.info
	$(Q)genhtml -q --branch-coverage $(COV)/src.info --output-directory $(COV)/html
	$(Q)lcov --rc lcov_branch_coverage=1 --summary $(COV)/src.info

# Memcheck over the unit tests (CK_FORK=no: one process per suite) and the CLI
# tests, the two halves side by side.
VG := valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite
valgrind: $(TEST_BIN) $(BUILD)/bpa
	$(MAKE) --no-print-directory -j2 --output-sync=target valgrind-unit valgrind-cli
valgrind-unit: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== valgrind $$t"; TS_DIFF_ROUNDS=20 CK_FORK=no $(VG) $$t; done
valgrind-cli: $(BUILD)/bpa man
	@set -e; for s in tests/cli/run.sh tests/cli/settle.sh tests/cli/warnings.sh tests/cli/timesheets.sh tests/cli/se_settle.sh tests/cli/se_fixtures.sh tests/cli/diff.sh tests/cli/verify.sh tests/bad/run.sh tests/man/run.sh; do \
	  BPA="$(VG) $(CURDIR)/$(BUILD)/bpa" sh $$s; done
	BATCH_CASES=12 BPA="$(VG) $(CURDIR)/$(BUILD)/bpa" sh tests/cli/batch.sh

# reports/: a grant and an account (JSON + workbook) for every fixture
reports: $(BUILD)/bpa
	sh scripts/make-reports.sh $(BUILD)/bpa reports

# Fails when reports/ is not what the current engine makes of the fixtures.
reports-check: $(BUILD)/bpa
	@rm -rf $(BUILD)/reports-check
	@sh scripts/make-reports.sh $(BUILD)/bpa $(BUILD)/reports-check
	@diff -r reports $(BUILD)/reports-check >/dev/null || \
	  { echo "reports/ is out of date: run make reports"; diff -rq reports $(BUILD)/reports-check; exit 1; }
	@echo "reports/ is up to date"

# Every formula cell of every sample workbook recalculated by LibreOffice.
# Then: editing input cells of a grant workbook gives what bpa gives for the
# edited case, and no workbook (reports in their case's language, en rendered here) holds words
# of the other language.
workbook-check: reports-check
	/usr/bin/python3 ../shared/tools/xlsx-recalc-check reports/*.xlsx
	/usr/bin/python3 tests/workbook/summary_pools.py $$(ls reports/*.account.xlsx | grep -v '^reports/se-')
	/usr/bin/python3 tests/workbook/edit_account.py $(BUILD)/bpa
	/usr/bin/python3 tests/workbook/edit_grant.py $(BUILD)/bpa ../shared/tools/xlsx-recalc-check
	sh tests/workbook/portfolio.sh $(BUILD)/bpa ../shared/tools/xlsx-recalc-check
	BPA_NEED_SOFFICE=1 BPA=$(CURDIR)/$(BUILD)/bpa sh tests/cli/verify_workbook.sh
	@rm -rf $(BUILD)/reports-en
	@sh scripts/make-reports.sh $(BUILD)/bpa $(BUILD)/reports-en en
	/usr/bin/python3 tests/workbook/word_scan.py native reports/*.xlsx
	/usr/bin/python3 tests/workbook/word_scan.py en $(BUILD)/reports-en/*.xlsx

run:
	sh scripts/install-deps.sh
	$(MAKE) all
	$(BUILD)/bpa grant fixtures/cases/alb-2025-full-year.json

# PREFIX/lib: libbpa.so.VERSION (soname libbpa.so.0) with the links
# libbpa.so.0 and libbpa.so, libbpa.a, pkgconfig/bpa.pc; the headers, the
# CLI and the shipped policies. DESTDIR stages it (packaging).
DEST := $(DESTDIR)$(PREFIX)
install: all install-docs
	install -d $(DEST)/bin $(DEST)/lib/pkgconfig $(DEST)/include/bpa $(DEST)/share/bpa/policies
	install -m 755 $(BUILD)/bpa $(DEST)/bin/bpa
	install -m 644 $(BUILD)/libbpa.a $(DEST)/lib/libbpa.a
	install -m 755 $(BUILD)/libbpa.so $(DEST)/lib/libbpa.so.$(VERSION)
	ln -sf libbpa.so.$(VERSION) $(DEST)/lib/$(SONAME)
	ln -sf $(SONAME) $(DEST)/lib/libbpa.so
	install -m 644 include/bpa/*.h $(DEST)/include/bpa/
	install -m 644 fixtures/policies/*.json $(DEST)/share/bpa/policies/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' bpa.pc.in >$(DEST)/lib/pkgconfig/bpa.pc
	chmod 644 $(DEST)/lib/pkgconfig/bpa.pc

# make install into a temporary prefix, then a program built with pkg-config
# against it (tests/install/run.sh)
install-test: all
	@MAKE="$(MAKE)" CC="$(CC)" BUILD="$(BUILD)" sh tests/install/run.sh

# JSON Schemas of the inputs (schemas/, installed under share/bpa/schemas),
# checked against the fixtures and tests/bad/ (tests/schema/run.sh); manual
# pages from scdoc sources (man/*.scd) into $(BUILD)/man, where `bpa help`
# finds them beside $(BUILD)/bpa, installed under share/man.
MAN_PAGES := $(patsubst man/%.scd,$(BUILD)/man/%,$(wildcard man/*.scd))
.PHONY: schema-test man man-test install-docs
schema-test: $(BUILD)/bpa
	@BPA=$(CURDIR)/$(BUILD)/bpa sh tests/schema/run.sh
man: $(MAN_PAGES)
# dated by the source's last commit, so that a rebuild gives the same page
$(BUILD)/man/%: man/%.scd
	@mkdir -p $(@D)
	$(Q)t=$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct -- $< 2>/dev/null)}; \
	  SOURCE_DATE_EPOCH=$${t:-0} scdoc <$< >$@.tmp && mv $@.tmp $@
man-test: man $(BUILD)/bpa
	@BPA=$(CURDIR)/$(BUILD)/bpa MAN_DIR=$(CURDIR)/$(BUILD)/man sh tests/man/run.sh
install-docs: man
	install -d $(DEST)/share/bpa/schemas $(DEST)/share/man/man1 $(DEST)/share/man/man5
	install -m 644 schemas/*.schema.json $(DEST)/share/bpa/schemas/
	install -m 644 $(filter %.1,$(MAN_PAGES)) $(DEST)/share/man/man1/
	install -m 644 $(filter %.5,$(MAN_PAGES)) $(DEST)/share/man/man5/

# make web-test: the form of bpa serve in headless Chromium (tests/web/;
# sh scripts/install-deps.sh --web). The server's robustness tests run in
# cli-test, so in every build of make check.
.PHONY: web-test
web-test: $(BUILD)/bpa
	BPA=$(CURDIR)/$(BUILD)/bpa /usr/bin/python3 tests/web/browser.py

clean:
	rm -rf build

-include $(wildcard $(BUILD)/obj/*/*.d $(BUILD)/pic/*/*.d $(BUILD)/cli/*.d)

# ---- fuzzing (libFuzzer, clang) ----------------------------------------------
# make fuzz-smoke            every target FUZZ_SECONDS (60) seconds
# make fuzz-smoke FUZZ_SECONDS=3600 FUZZ_TARGETS=grant   one target, longer
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= decimal policy case usage csv timesheet grant settle xlsx se_usage se_budget se_settle grant_record portfolio
FUZZ_DIR     := build/fuzz
FUZZ_CFLAGS  := -std=c17 -D_POSIX_C_SOURCE=200809L $(WARN) -g -O1 -Iinclude -Isrc $(PKG_CFLAGS) \
                -DBPA_VERSION='"$(VERSION)"' -DBPA_SOURCE_DIR='"$(CURDIR)"' \
                -fsanitize=address,undefined -fno-sanitize-recover=all -MMD -MP
FUZZ_OBJ     := $(LIB_SRC:src/%.c=$(FUZZ_DIR)/obj/%.o)

$(FUZZ_DIR)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(LIB_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
$(FUZZ_DIR)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h $(FUZZ_OBJ)
	@$(if $(V),,echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_OBJ) -o $@ $(LIBS)

# header dependencies: a changed struct must rebuild every object using it
-include $(wildcard $(FUZZ_DIR)/obj/*/*.d)

.PHONY: fuzz fuzz-smoke

fuzz: $(FUZZ_OBJ) $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

# Seeds come from the fixtures; fuzz/regressions/<target>/ holds every input
# that once crashed, and each run replays them first.
FUZZ_JOBS ?= 2
fuzz-smoke: fuzz
	@printf '%s\n' $(FUZZ_TARGETS) | xargs -P $(FUZZ_JOBS) -I{} \
	  sh scripts/fuzz-run.sh {} $(FUZZ_SECONDS) $(FUZZ_DIR)
