# schemareg build. `make` builds the server, the shared library and the tests;
# `make test` runs every test; `make asan` runs them again under ASan + UBSan;
# `make deps` installs the Debian packages (and test-only npm packages) it needs.

CC      ?= cc
BUILD   ?= build
PKGS    := libmicrohttpd jansson sqlite3 libcurl libprotobuf-c
SAN     ?=
OPT     ?= -O2
CFLAGS  := -std=c11 -D_GNU_SOURCE $(OPT) -g -Wall -Wextra -Werror -pthread $(SAN) \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -I. -I$(BUILD)/gen
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -pthread -lm
LDFLAGS := $(SAN)

# formats + compat + store + common: one static library linked by everything.
LIB_SRCS    := $(sort $(wildcard common/*.c formats/*.c formats/*/*.c compat/*.c store/*.c))
SERVER_SRCS := $(sort $(wildcard server/*.c))
CLI_SRCS    := $(sort $(wildcard clients/*.c))
UNIT_SRCS   := $(sort $(wildcard tests/unit/test_*.c))
TOOL_SRCS   := $(sort $(wildcard tests/tools/*.c))
BENCH_SRCS  := $(sort $(wildcard bench/*.c))

# Generated at build time: protobuf-c bindings for descriptor.proto (the
# serialized form of Protobuf schemas), and the bundled well-known .proto files.
GEN         := $(BUILD)/gen
DESC_C      := $(GEN)/google/protobuf/descriptor.pb-c.c
BUNDLE_C    := $(GEN)/pb_bundle.c
BUNDLE_PROTOS := $(sort $(wildcard formats/protobuf/bundled/*/*.proto formats/protobuf/bundled/*/*/*.proto))
GOOGLE_PROTOS := any api descriptor duration empty field_mask source_context struct timestamp \
                 type wrappers
GEN_OBJS    := $(BUILD)/obj/gen/descriptor.pb-c.o $(BUILD)/obj/gen/pb_bundle.o

LIB_OBJS    := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o) $(GEN_OBJS)
SERVER_OBJS := $(SERVER_SRCS:%.c=$(BUILD)/obj/%.o)
SERVER_CORE := $(filter-out $(BUILD)/obj/server/main.o,$(SERVER_OBJS))
CLI_OBJS    := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
CLI         := $(BUILD)/schemareg
LIB         := $(BUILD)/libschemareg.a
SERVER      := $(BUILD)/schemareg-server
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BINS   := $(TOOL_SRCS:tests/tools/%.c=$(BUILD)/tools/%)
BENCH_BINS  := $(BENCH_SRCS:bench/%.c=$(BUILD)/bench/%)

PY      := /usr/bin/python3
LISTEN  ?= 0.0.0.0:8081
DB      ?= ./schemareg.db

.PHONY: all deps run test unit api oracle interop cli asan bench clean
all: $(SERVER) $(CLI) $(UNIT_BINS) $(TOOL_BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(DESC_C):
	@mkdir -p $(GEN)
	protoc-c -I/usr/include --c_out=$(GEN) google/protobuf/descriptor.proto

$(BUNDLE_C): formats/protobuf/embed.py $(BUNDLE_PROTOS)
	@mkdir -p $(GEN)
	$(PY) formats/protobuf/embed.py $@ formats/protobuf/bundled \
	    $(GOOGLE_PROTOS:%=/usr/include/google/protobuf/%.proto)

# Generated code is compiled without -Werror: its warnings are not ours to fix.
$(BUILD)/obj/gen/descriptor.pb-c.o: $(DESC_C)
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -Werror,$(CFLAGS)) -c $< -o $@

$(BUILD)/obj/gen/pb_bundle.o: $(BUNDLE_C)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# Everything that includes the generated header waits for it.
$(LIB_SRCS:%.c=$(BUILD)/obj/%.o) $(SERVER_OBJS) $(CLI_OBJS): | $(DESC_C)

$(LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(SERVER): $(SERVER_OBJS) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(SERVER_OBJS) $(LIB) $(LDLIBS)

# Unit tests link the server's modules too (all but main.o), so they can be tested alone.
$(CLI): $(CLI_OBJS) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(SERVER_CORE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags check 2>/dev/null) $(LDFLAGS) -o $@ $< \
	    $(SERVER_CORE) $(LIB) \
	    $(shell pkg-config --libs check 2>/dev/null) $(LDLIBS)

$(BUILD)/tools/%: tests/tools/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

-include $(LIB_OBJS:.o=.d) $(SERVER_OBJS:.o=.d) $(CLI_OBJS:.o=.d)

# --- dependencies -------------------------------------------------------------
DEB_PKGS := build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev \
            libprotobuf-c-dev protobuf-c-compiler libprotobuf-dev protobuf-compiler \
            libcurl4-openssl-dev check libsubunit-dev python3 python3-pytest python3-avro \
            python3-requests python3-confluent-kafka python3-protobuf wrk curl git

deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@# The machine image ships Node.js with npm (nodesource); Debian's npm package
	@# would conflict with it, so install Debian's only where there is no node.
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	@if [ ! -d tests/interop/node_modules ]; then \
	    cd tests/interop && npm ci --no-audit --no-fund --loglevel=error; \
	fi

# --- run ----------------------------------------------------------------------
# run, test, asan and bench install the dependencies first, then build in a
# sub-make, so that pkg-config's flags are read after the packages exist.
run: deps
	$(MAKE) $(SERVER)
	$(SERVER) --listen $(LISTEN) --db $(DB)

# --- tests --------------------------------------------------------------------
test: deps
	$(MAKE) all
	$(MAKE) unit api oracle interop cli

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; CK_FORK=yes $$t; done

api: $(SERVER)
	SCHEMAREG_SERVER=$(abspath $(SERVER)) $(PY) -m pytest -q -p no:cacheprovider tests/api

oracle: $(TOOL_BINS)
	SCHEMAREG_TOOLS=$(abspath $(BUILD)/tools) $(PY) -m pytest -q -p no:cacheprovider tests/oracle

interop: $(SERVER)
	SCHEMAREG_SERVER=$(abspath $(SERVER)) $(PY) -m pytest -q -p no:cacheprovider tests/interop

cli: $(CLI) $(SERVER)
	SCHEMAREG_CLI=$(abspath $(CLI)) SCHEMAREG_SERVER=$(abspath $(SERVER)) $(PY) -m pytest -q -p no:cacheprovider tests/cli

asan: deps
	$(MAKE) BUILD=build-asan OPT=-O1 \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    all
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    $(MAKE) BUILD=build-asan OPT=-O1 \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    unit api oracle interop cli

# --- benchmarks ---------------------------------------------------------------
bench: deps
	$(MAKE) all $(BENCH_BINS)
	SCHEMAREG_SERVER=$(abspath $(SERVER)) SCHEMAREG_BENCH=$(abspath $(BUILD)/bench) \
	    $(PY) bench/run.py

clean:
	rm -rf build build-asan
