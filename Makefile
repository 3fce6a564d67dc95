# ATIS — plain Makefile, pkg-config for libraries.
#
#   make            build build/atis
#   make run        install what is missing, build, demo database, serve :8080
#   make check      the whole test suite (unit, HTTP, HTTP under ASan+UBSan,
#                   browser)
#   make san        the sanitizer build in build-san/
#   make bench      benchmarks (see bench/README.md)
#   make pot        re-extract po/atis.pot and merge it into every catalog

CC      ?= cc
O       ?= build
SAN     ?=
PKGS    := libmicrohttpd sqlite3 libsodium jansson zlib libcurl inih liboath \
           libcmark libqrencode
CFLAGS_BASE := -std=c17 -D_GNU_SOURCE -g -Wall -Wextra -Werror \
           -Wstrict-prototypes -Wmissing-prototypes -Wshadow \
           -Wno-missing-field-initializers -Isrc -I$(O)/gen \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
ifeq ($(SAN),1)
CFLAGS  ?= -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
           -fno-sanitize-recover=undefined
LDSAN   := -fsanitize=address,undefined
else
CFLAGS  ?= -O2
LDSAN   :=
endif
LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lmagic -lgettextpo \
           -lpthread -lm
ALL_CFLAGS = $(CFLAGS_BASE) $(CFLAGS)

LIB_SRC := $(sort $(wildcard src/base/*.c src/db/*.c src/model/*.c \
           src/http/*.c src/web/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(O)/obj/%.o) $(O)/obj/gen/embed.o \
           $(O)/obj/gen/catalog.o
TEMPLATES := $(sort $(wildcard templates/*.mustache))
STATIC    := $(sort $(wildcard static/*))
MIGRATIONS := $(sort $(wildcard src/db/migrations/*.sql))
PO_FILES  := $(sort $(wildcard po/*.po))

UNIT_SRC  := $(sort $(wildcard tests/unit/*/*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/unit/%)
HTTP_SRC  := $(sort $(wildcard tests/http/t_*.c))
HTTP_BIN  := $(HTTP_SRC:tests/http/%.c=$(O)/tests/http/%)

.PHONY: all deps run check unit unit-san http http-san browser san bench \
        pot fuzz fuzz-smoke checksrc clean

all: $(O)/atis

deps:
	@sh scripts/deps.sh test

# ---- generated sources ----------------------------------------------------
$(O)/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -std=c17 -O1 -Wall -Wextra -Werror -o $@ $<

POTOOL_SRC := tools/pocompile.c src/base/po.c src/base/buf.c src/base/mem.c \
	src/base/str.c
$(O)/tools/pocompile: $(POTOOL_SRC) src/base/po.h
	@mkdir -p $(@D)
	$(CC) -std=c17 -D_GNU_SOURCE -O1 -Wall -Wextra -Werror -Isrc -o $@ \
		$(POTOOL_SRC) -lgettextpo

$(O)/gen/embed.c: $(O)/tools/embed $(TEMPLATES) $(STATIC) $(MIGRATIONS)
	@mkdir -p $(@D)
	$(O)/tools/embed $@ $(TEMPLATES) $(STATIC) $(MIGRATIONS)

# A broken catalog stops the build here.
$(O)/gen/catalog.c: $(O)/tools/pocompile $(PO_FILES)
	@mkdir -p $(@D)
	$(O)/tools/pocompile $@ $(PO_FILES)

$(O)/obj/gen/%.o: $(O)/gen/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

# ---- the program ------------------------------------------------------------
$(O)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/libatis.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(O)/atis: $(O)/obj/src/main.o $(O)/libatis.a
	$(CC) $(LDSAN) -o $@ $^ $(LIBS)

-include $(shell find $(O)/obj -name '*.d' 2>/dev/null)

# ---- tests ------------------------------------------------------------------
$(O)/tests/unit/%: tests/unit/%.c $(O)/libatis.a $(wildcard tests/unit/*/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(O)/libatis.a $(LDSAN) $(LIBS) -lcmocka

$(O)/tests/http/%: tests/http/%.c tests/http/harness.c tests/http/harness.h \
		$(O)/libatis.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< tests/http/harness.c \
		$(O)/libatis.a $(LDSAN) $(LIBS) -lcmocka

unit: $(UNIT_BIN)
	@sh scripts/run-tests.sh unit $(UNIT_BIN)

http: $(O)/atis $(HTTP_BIN)
	@ATIS_BIN=$(O)/atis sh scripts/run-tests.sh http $(HTTP_BIN)

san:
	$(MAKE) O=build-san SAN=1 all

http-san:
	$(MAKE) O=build-san SAN=1 http

unit-san:
	$(MAKE) O=build-san SAN=1 unit

browser: $(O)/atis
	@sh tests/browser/run.sh $(O)/atis

checksrc:
	@sh scripts/checksrc.sh

# ---- fuzzing (clang's libFuzzer, with ASan and UBSan) ----------------------
# `make fuzz` runs every harness in tests/fuzz/ for FUZZ_SECONDS each,
# starting from the committed corpus; new inputs go to build-fuzz/.
# `make fuzz-smoke` (part of make check) replays the corpus and fuzzes a
# few seconds each.  A crashing input goes into tests/fuzz/corpus/NAME/
# with its fix.
FUZZ_SECONDS ?= 60
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build-fuzz/%,$(wildcard tests/fuzz/*.c))
FUZZ_LIB := src/base/arena.c src/base/buf.c src/base/mem.c src/base/str.c \
	src/base/err.c src/base/log.c src/http/form.c src/base/mustache.c \
	src/model/evidence.c

build-fuzz/%: tests/fuzz/%.c $(FUZZ_LIB)
	@mkdir -p $(@D)
	clang -std=c17 -D_GNU_SOURCE -g -O1 -Isrc \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o $@ $< $(FUZZ_LIB) -ljansson -lmagic

fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); \
		mkdir -p build-fuzz/corpus-$$n; \
		echo "fuzz: $$n for $(FUZZ_SECONDS) s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			build-fuzz/corpus-$$n tests/fuzz/corpus/$$n || exit 1; \
	done

fuzz-smoke: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); \
		mkdir -p build-fuzz/corpus-$$n; \
		$$f -max_total_time=5 build-fuzz/corpus-$$n \
			tests/fuzz/corpus/$$n > build-fuzz/$$n.log 2>&1 || \
			{ tail -30 build-fuzz/$$n.log; echo "fuzz: $$n FAILED"; exit 1; }; \
		echo "fuzz: $$n ok ($$(grep -o 'DONE.*' build-fuzz/$$n.log))"; \
	done

check:
	@sh scripts/deps.sh test
	@mkdir -p build && rm -f build/test-counts
	@$(MAKE) --no-print-directory checksrc all unit http
	@$(MAKE) --no-print-directory O=build-san SAN=1 unit http
	@$(MAKE) --no-print-directory browser
	@$(MAKE) --no-print-directory fuzz-smoke
	@awk '{p += $$2; f += $$3} END {print "make check: all suites: " p " passed, " f " failed"}' build/test-counts

# ---- running ----------------------------------------------------------------
# deps.sh runs first, in its own step: the flags above are read from
# pkg-config when make starts, so the build runs in a second make.
run:
	@sh scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@mkdir -p var
	@[ -f var/atis.db ] || $(O)/atis init --db var/atis.db
	@$(O)/atis demo --db var/atis.db
	@echo "Open http://localhost:8080/ (stop with Ctrl-C)"
	$(O)/atis serve --db var/atis.db --listen 127.0.0.1:8080

bench:
	@sh scripts/deps.sh test
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh

pot:
	@sh scripts/extract-strings.sh

clean:
	rm -rf build build-san build-fuzz
