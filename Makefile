# Everything runs in a virtual environment that this Makefile makes itself, so a
# fresh machine needs only Python 3.10+ and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: help install demo test lint typecheck pytest docs test-all bench fuzz clean

help:
	@echo "make demo      parse, check and render the bundled real report"
	@echo "make test      lint, type-check, tests with doctests, docs build"
	@echo "make test-all  the tests on every Python 3.10-3.13 on this machine (nox)"
	@echo "make bench     the benchmarks (pytest-benchmark)"
	@echo "make fuzz      the fuzzing campaign for FUZZ_SECONDS (default 600); failures in build/fuzz"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -e ".[hypothesis,html,docx,pdf,json,parquet,dask]" --group test --group lint --group docs --group bench
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) examples/changchun_2021.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples docs scripts
	$(BIN)/ruff format --check src tests benchmarks examples docs scripts

typecheck: $(STAMP)
	$(BIN)/mypy src tests/typing

pytest: $(STAMP)
	$(BIN)/pytest

docs: $(STAMP)
	$(BIN)/sphinx-build -n -W --keep-going -q -b html docs docs/_build/html

test: lint typecheck pytest docs

test-all: $(STAMP)
	$(PY) -m pip install --quiet --group nox
	$(BIN)/nox

bench: $(STAMP)
	$(BIN)/pytest benchmarks --benchmark-only --benchmark-columns=min,median,mean,ops -o python_files="bench_*.py"

# The fuzzing campaign (issue #15): mutated corpus inputs through every reader and
# the JSON loader; exit 1 and the inputs in build/fuzz when one crashes or is slow.
# `make test` runs a short smoke of it (tests/test_hostile.py).
FUZZ_SECONDS ?= 600
fuzz: $(STAMP) locale
	$(PY) scripts/fuzz.py --seconds $(FUZZ_SECONDS)

clean:
	rm -rf $(VENV) docs/_build .mypy_cache .pytest_cache .ruff_cache

# --- locales: gettext catalogues ------------------------------------------------
# The .po files are the sources (committed); the .mo files are built here and by
# the wheel's build hook (scripts/hatch_build.py).  Message ids are generated from
# the catalogue (scripts/locale_msgids.py), so no official label is typed twice.
LOCALE_DIR := src/gov_disclosure/i18n/locale
LOCALE_MO := $(patsubst %.po,%.mo,$(wildcard $(LOCALE_DIR)/*/LC_MESSAGES/gov_disclosure.po))
.PHONY: locale locale-extract locale-update

locale: $(LOCALE_MO)

$(LOCALE_DIR)/%/LC_MESSAGES/gov_disclosure.mo: $(LOCALE_DIR)/%/LC_MESSAGES/gov_disclosure.po | $(STAMP)
	$(BIN)/pybabel -q compile -d $(LOCALE_DIR) -D gov_disclosure -l $*

locale-extract: $(STAMP)
	$(PY) scripts/locale_msgids.py msgids build/locale/msgids.py
	$(BIN)/pybabel -q extract --no-location --no-default-keywords -k N_ --project=gov-disclosure -o $(LOCALE_DIR)/gov_disclosure.pot build/locale/msgids.py

locale-update: locale-extract
	$(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete -i $(LOCALE_DIR)/gov_disclosure.pot -d $(LOCALE_DIR) -D gov_disclosure
	$(PY) scripts/locale_msgids.py fill-en $(LOCALE_DIR)/en/LC_MESSAGES/gov_disclosure.po

# The compiled catalogues are needed by the installed package and its tests.
install pytest docs bench demo: locale
