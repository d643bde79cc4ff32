# riptide: the README's interface. `make demo` and `make test` do all set-up on a fresh Debian 12.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

BUILD       ?= build
ASAN_BUILD  ?= build-asan
TSAN_BUILD  ?= build-tsan
FUZZ_BUILD  ?= build-fuzz
BENCH_BUILD ?= build-bench
FUZZ_SECONDS ?= 60
RIPTIDE_NATIVE ?= OFF
CTEST_JOBS  ?= $(shell nproc)
CMAKE_GEN   := -G Ninja

# Debian 12 packages the project uses (build, tests, tools); the bench adds its Python peers.
DEPS := g++ cmake ninja-build make pkgconf git \
        librange-v3-dev libboost-dev libsimdjson-dev libeigen3-dev libxxhash-dev \
        libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev \
        libcli11-dev libfmt-dev nlohmann-json3-dev \
        clang libclang-rt-14-dev clang-format
BENCH_DEPS := python3 python3-numpy python3-sklearn python3-pandas

.PHONY: deps deps-bench build demo test test-release test-asan test-tsan bench fuzz format format-check clean

# Installs only what is missing; runs `apt-get update` once, and only when something is missing.
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  echo "make deps: installing$$missing"; \
	  $$sudo apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

deps:
	$(call apt_install,$(DEPS))

deps-bench: deps
	$(call apt_install,$(BENCH_DEPS))

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release -DRIPTIDE_NATIVE=$(RIPTIDE_NATIVE)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD)

demo: build
	@bash examples/demo.sh $(BUILD)/bin/riptide

test: build test-tsan test-asan test-release
	@echo "make test: release, ASan+UBSan and TSan suites passed"

test-release: build
	cd $(BUILD) && ctest --output-on-failure -j $(CTEST_JOBS)

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer (tests only, no tools).
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DRIPTIDE_SANITIZE=address,undefined -DRIPTIDE_BUILD_EXAMPLES=OFF
	cmake --build $(ASAN_BUILD)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(CTEST_JOBS)

# The tests labelled `concurrency` under ThreadSanitizer.
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DRIPTIDE_SANITIZE=thread -DRIPTIDE_TEST_LABELS=concurrency -DRIPTIDE_BUILD_EXAMPLES=OFF
	cmake --build $(TSAN_BUILD)
	cd $(TSAN_BUILD) && TSAN_OPTIONS=halt_on_error=1 \
	  ctest --output-on-failure -L concurrency --no-tests=ignore

bench: deps-bench
	cmake -S . -B $(BENCH_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release \
	  -DRIPTIDE_NATIVE=$(RIPTIDE_NATIVE) -DRIPTIDE_BUILD_BENCH=ON -DRIPTIDE_BUILD_TESTS=OFF \
	  -DRIPTIDE_BUILD_EXAMPLES=ON
	cmake --build $(BENCH_BUILD)
	@bash bench/run.sh $(BENCH_BUILD)

# Time-boxed libFuzzer runs of every target (clang), FUZZ_SECONDS each, from the seed corpora.
fuzz: deps
	CXX=clang++ cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DRIPTIDE_BUILD_FUZZ=ON -DRIPTIDE_BUILD_TESTS=OFF -DRIPTIDE_BUILD_EXAMPLES=OFF
	cmake --build $(FUZZ_BUILD)
	@for bin in $(FUZZ_BUILD)/bin/fuzz_*; do \
	  name=$$(basename $$bin); target=$${name#fuzz_}; \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$target; \
	  echo "== $$name ($(FUZZ_SECONDS)s)"; \
	  $$bin -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    $(FUZZ_BUILD)/corpus/$$target fuzz/corpus/$$target; \
	done

FORMAT_FILES = $(shell git ls-files '*.hpp' '*.cpp')
format:
	clang-format -i $(FORMAT_FILES)

format-check:
	clang-format --dry-run --Werror $(FORMAT_FILES)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD) $(BENCH_BUILD)
