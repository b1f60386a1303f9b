# The two commands a user needs: `make clean-corpus` and `make test`.
# Both create .venv when it is missing and install the project with pinned versions
# (constraints.txt), so a fresh clone needs nothing but Python 3.11+.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CORPUS ?= fixtures
OUT    ?= out/corpus.jsonl
REALPAGES ?= ../shared/realpages
CORPORA ?= ../shared/corpora
PIP    := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: help install install-dev clean-corpus test lint typecheck lock clean eval schema bench interrupt

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The package is byte-compiled once: where PYTHONDONTWRITEBYTECODE is set (many container
# images set it) every `cleaner` command would otherwise compile its modules from source
# as it starts (0.55 G instructions, about 0.1 s, a process; pip compiles a wheel's, not
# an editable install's).
$(VENV)/.installed: pyproject.toml constraints.txt hatch_build.py cleaner/text/_scan.pyx | $(BIN)/python
	$(PIP) install -q -c constraints.txt -e .
	$(BIN)/python -m compileall -q cleaner
	@touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt hatch_build.py cleaner/text/_scan.pyx | $(BIN)/python
	$(PIP) install -q -c constraints.txt -e '.[dev]'
	$(BIN)/python -m compileall -q cleaner
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed  ## create .venv and install cleaner

install-dev: $(VENV)/.installed-dev  ## the same, with test and lint tools

clean-corpus: install  ## clean $(CORPUS) (default: fixtures/) into $(OUT) and print a summary
	$(BIN)/cleaner clean $(CORPUS) -o $(OUT) --summary

test: install-dev  ## the whole test suite, then ruff and mypy
	$(BIN)/pytest -q
	$(MAKE) --no-print-directory lint typecheck

lint: install-dev  ## ruff: lint and formatting
	$(BIN)/ruff check cleaner tests tools hatch_build.py
	$(BIN)/ruff format --check cleaner tests tools hatch_build.py

typecheck: install-dev  ## mypy --strict on the package
	$(BIN)/mypy

lock:  ## re-pin every dependency after a change to pyproject.toml
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install -q '.[dev,dask]'
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^indonews-cleaner[ =@]' > constraints.txt
	rm -rf .lock-venv

clean:  ## remove out/ and caches (keeps .venv)
	rm -rf out .pytest_cache .mypy_cache .ruff_cache

eval: install  ## fixtures, ../shared/realpages and ../shared/corpora against quality/baseline.yaml (cleaner, trafilatura, jusText; under a minute); writes docs/quality.md
	$(BIN)/python -m tools.evaluate --realpages $(REALPAGES) --corpora $(CORPORA) --baseline quality/baseline.yaml --write docs/quality.md

bench: install  ## speed against ftfy and trafilatura alone (synthetic and ../shared/corpora), every core, peak memory (about 4 minutes; BENCH_ARGS='--full' for the long run, '--instructions 100' to count instructions with callgrind); writes docs/benchmarks.md
	$(BIN)/python -m tools.bench --write docs/benchmarks.md $(BENCH_ARGS)

interrupt: install  ## Ctrl-C and SIGTERM 200 times on a real two-worker run (../shared/corpora; about 15 minutes)
	$(BIN)/python -m tools.interrupt --corpus $(CORPORA)/longtail-891.jsonl

schema: install  ## regenerate rules/rules.schema.json (editors use it to complete and check rule files)
	$(BIN)/cleaner schema rules > rules/rules.schema.json
