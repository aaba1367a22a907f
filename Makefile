# The two commands a newcomer types (README): `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
ARGOS := argostranslate==1.11.0
# llama-cpp-python has no prebuilt CPU wheel here: pip builds it (about 12 min on 2 idle cores; pip
# caches the wheel, so later installs take seconds).  AMX is off: its buffer type crashes on some
# Xeons (ggml_backend_amx_mul_mat), and this binding cannot turn it off at run time.
LLAMA_BUILD := CMAKE_BUILD_PARALLEL_LEVEL=2 CMAKE_ARGS="-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF"

.PHONY: install demo test lint bench clean

install: $(VENV)/.installed

# argostranslate goes in with --no-deps: its stanza dependency would pull torch
# (a CUDA build of several GB).  We never use stanza; annotate stubs it on import.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(LLAMA_BUILD) $(PY) -m pip install -q -e '.[test]'
	$(PY) -m pip install -q --no-deps $(ARGOS)
	touch $@

# The default translator (1.1 GB, pinned by sha256) is installed once; then the run is offline.
demo: install
	$(VENV)/bin/annotate models list | grep -q '^gguf.*\*$$' || $(VENV)/bin/annotate models install --default
	$(VENV)/bin/annotate run corpus/

# pytest exits 5 when it collects no test; that is not a failure of the suite.  Most tests run
# `annotate` as a subprocess (one core each): pytest-xdist runs one test file per core, at most 3
# (a file's module fixtures, such as its browser or its Dask cluster, are then built once).
test: install
	$(PY) -m pytest -q -n auto --maxprocesses 3 --dist loadfile; rc=$$?; if [ $$rc -eq 5 ]; then rc=0; fi; exit $$rc

lint: install
	$(VENV)/bin/ruff check src tests

bench: install
	$(VENV)/bin/annotate bench all

clean:
	rm -rf .annotate-cache build
