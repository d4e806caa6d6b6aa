# Front door. CMake + CTest do the work underneath; every target installs its own packages.
BUILD   ?= build
PREFIX  ?= /usr
DESTDIR ?=
JOBS    ?= $(shell nproc)
CTEST   = cd $(BUILD) && ctest --output-on-failure --timeout 900 -j$(JOBS)

.PHONY: all deps configure build test test-unit test-integration test-cluster test-long \
        bench bench-failover fuzz demo install uninstall format clean \
        package test-package

all: build

deps:
	@scripts/deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null

build: configure
	@cmake --build $(BUILD) -j$(JOBS)

# Unit tests need no root; integration tests run as root in namespaces they create.
test: build
	@$(CTEST) -L '^(unit|integration)$$'

test-unit: build
	@$(CTEST) -L '^unit$$'

test-integration: build
	@$(CTEST) -L '^integration$$'

test-cluster: build
	@$(CTEST) -L '^cluster$$'

test-long: build
	@$(CTEST) -L '^long$$'

bench: build
	@bench/run

bench-failover: build
	@bench/run-failover

fuzz: deps
	@cmake -S . -B $(BUILD)-fuzz -DTAKEOVER_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ \
	    -DTAKEOVER_BENCH=OFF >/dev/null
	@cmake --build $(BUILD)-fuzz -j$(JOBS) --target fuzzers
	@fuzz/run $(BUILD)-fuzz $(or $(FUZZ_SECONDS),60)

demo: build
	@tests/cluster/demo

# A .deb built from the tracked tree, then installed, smoke-tested and purged on this machine.
package: deps
	@scripts/build-package.sh $(BUILD)-package

test-package: package
	@TAKEOVER_BUILD=$(abspath $(BUILD)) tests/package/install.sh

install: build
	@DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

uninstall:
	@scripts/uninstall.sh $(BUILD) $(DESTDIR)

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(BUILD)-fuzz
