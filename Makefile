# Two commands do all set-up: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: run test install bench clean rebuild-model system-deps

run: $(STAMP)
	$(BIN)/sandbox serve --host $(HOST) --port $(PORT)

test: $(STAMP) system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Debian packages the test suite drives for real: Chromium for the browser tests (found on PATH or through
# SANDBOX_CHROMIUM, never at a fixed path) and PostgreSQL's server binaries for the throw-away cluster of the
# PostgreSQL tests (tests/pg.py; the service itself is never started). Installed only when missing; needs root or sudo.
system-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ -n "$$SANDBOX_PG_BIN" ] || { \
	  SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  echo "Installing Debian's postgresql for the PostgreSQL tests ..."; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
	  && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
	  || [ -n "$$SANDBOX_CHROMIUM" ] || { \
	  SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  echo "Installing Debian's chromium for the browser tests ..."; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
	  && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

install: $(STAMP)

# llama.cpp is built for a portable CPU baseline, never for the build machine's own CPU (-march=native picked AMX
# tile instructions on one host that a virtual machine then refused with SIGILL). On x86-64 with AVX2+FMA+F16C those
# are used; AVX-512 and AMX never are; any other CPU gets the generic build. The wheel is built once per flag set
# and version, outside pip's cache (which does not key wheels by build flags), and reused on later installs.
LLAMA_VERSION := 0.3.16
LLAMA_CPU := $(shell if [ "$$(uname -m)" = x86_64 ] && grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo \
	&& grep -qw f16c /proc/cpuinfo; then echo x86-64-avx2; else echo generic-$$(uname -m); fi)
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_CPU_ALL_VARIANTS=OFF -DGGML_BACKEND_DL=OFF -DGGML_AVX512=OFF \
	-DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF \
	-DGGML_AMX_BF16=OFF -DGGML_AVX_VNNI=OFF -DLLAMA_CURL=OFF \
	$(if $(filter x86-64-avx2,$(LLAMA_CPU)),-DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON,\
	-DGGML_AVX=OFF -DGGML_AVX2=OFF -DGGML_FMA=OFF -DGGML_F16C=OFF)
WHEELS ?= $(HOME)/.cache/sandbox/wheels/llama-cpp-python-$(LLAMA_VERSION)-$(LLAMA_CPU)

# Reinstall when the project's metadata changes; llama-cpp-python builds from source once (about 5 minutes).
$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	ls $(WHEELS)/llama_cpp_python-*.whl >/dev/null 2>&1 || CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" \
	  $(BIN)/python -m pip wheel --quiet --no-deps --no-cache-dir -w $(WHEELS) llama-cpp-python==$(LLAMA_VERSION)
	$(BIN)/python -m pip install --quiet --force-reinstall --no-deps $(WHEELS)/llama_cpp_python-*.whl
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m sandbox.llm.smoke
	touch $(STAMP)

# Build the embedded model's runtime again (after moving the checkout to another kind of CPU, say).
rebuild-model:
	rm -rf $(WHEELS) $(STAMP)
	$(MAKE) install

bench: $(STAMP)
	$(BIN)/python benchmarks/local_model.py

clean:
	rm -rf $(VENV) .pytest_cache
