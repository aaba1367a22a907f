# The two commands a newcomer types (README): `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
ARGOS := argostranslate==1.11.0

.PHONY: install demo test lint bench clean

install: $(VENV)/.installed

# argostranslate goes in with --no-deps: its stanza dependency would pull torch
# (a CUDA build of several GB).  We never use stanza; annotate stubs it on import.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m pip install -q --no-deps $(ARGOS)
	touch $@

demo: install
	$(VENV)/bin/annotate run corpus/

# pytest exits 5 when it collects no test; that is not a failure of the suite.
test: install
	$(PY) -m pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then rc=0; fi; exit $$rc

lint: install
	$(VENV)/bin/ruff check src tests

bench: install
	$(VENV)/bin/annotate bench all

clean:
	rm -rf .annotate-cache build
