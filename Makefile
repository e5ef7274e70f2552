# Everything runs in a virtual environment that this Makefile makes itself, so a
# fresh machine needs only Python 3.10+ and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: help install demo test lint typecheck pytest docs test-all bench clean

help:
	@echo "make demo      parse, check and render the bundled real report"
	@echo "make test      lint, type-check, tests with doctests, docs build"
	@echo "make test-all  the tests on every Python 3.10-3.13 on this machine (nox)"
	@echo "make bench     the benchmarks (pytest-benchmark)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -e ".[hypothesis,html,docx,json]" --group test --group lint --group docs --group bench
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) examples/changchun_2021.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples docs
	$(BIN)/ruff format --check src tests benchmarks examples docs

typecheck: $(STAMP)
	$(BIN)/mypy src tests/typing

pytest: $(STAMP)
	$(BIN)/pytest

docs: $(STAMP)
	$(BIN)/sphinx-build -n -W --keep-going -q -b html docs docs/_build/html

test: lint typecheck pytest docs

test-all: $(STAMP)
	$(BIN)/nox

bench: $(STAMP)
	$(BIN)/pytest benchmarks --benchmark-only --benchmark-columns=min,median,mean,ops -p no:doctest

clean:
	rm -rf $(VENV) docs/_build .mypy_cache .pytest_cache .ruff_cache
