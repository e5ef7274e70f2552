# Everything runs in a virtual environment that this Makefile makes itself, so a
# fresh machine needs only Python 3.10+ and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: help install demo test lint typecheck pytest docs docs-update-po test-all test-minimums bench fuzz clean

help:
	@echo "make demo      parse, check and render the bundled real report"
	@echo "make test      lint, type-check, tests with doctests, docs build"
	@echo "make test-all  the tests on every Python 3.10-3.13 on this machine (nox)"
	@echo "make test-minimums  the tests with every dependency at its stated minimum (nox)"
	@echo "make bench     the benchmarks (pytest-benchmark)"
	@echo "make docs      the docs site in Chinese and English; fails if a translation is missing"
	@echo "make docs-update-po  merge changed docs pages into docs/locale/*/LC_MESSAGES/*.po"
	@echo "make fuzz      the fuzzing campaign for FUZZ_SECONDS (default 600); failures in build/fuzz"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -e ".[hypothesis,html,docx,xlsx,pdf,json,parquet]" --group test --group lint --group docs --group bench
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

# The docs site: English is the source language, Simplified Chinese (zh_CN) the
# default one, translated with gettext catalogues (docs/contributing.md).  The
# messages are extracted (the gettext builder keeps doctrees of its own),
# compared with the catalogues (a missing or out-of-date translation fails),
# then the Chinese site is built; docs/_build/html/index.html points to it.
DOCS_OUT := docs/_build
SPHINX := $(BIN)/sphinx-build -n -W --keep-going -q
docs: $(STAMP)
	$(SPHINX) -b html -D language=en -d $(DOCS_OUT)/doctrees/en docs $(DOCS_OUT)/html/en
	rm -rf $(DOCS_OUT)/gettext
	$(SPHINX) -b gettext -D language=en -d $(DOCS_OUT)/doctrees/gettext docs $(DOCS_OUT)/gettext
	$(PY) scripts/docs_i18n.py check --pot $(DOCS_OUT)/gettext
	$(SPHINX) -b html -D language=zh_CN -d $(DOCS_OUT)/doctrees/zh_CN docs $(DOCS_OUT)/html/zh_CN
	$(PY) scripts/docs_i18n.py search $(DOCS_OUT)/html/zh_CN 结转 办理 公开
	printf '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=zh_CN/index.html"><a href="zh_CN/index.html">gov-disclosure</a>\n' > $(DOCS_OUT)/html/index.html

# After editing a page: merge its new and changed paragraphs into the catalogues
# (changed ones keep their old translation, marked fuzzy), then translate them.
docs-update-po: $(STAMP)
	$(PY) scripts/docs_i18n.py update

test: lint typecheck pytest docs

test-all: $(STAMP)
	$(PY) -m pip install --quiet --group nox
	$(BIN)/nox -s tests

test-minimums: $(STAMP)
	$(PY) -m pip install --quiet --group nox
	$(BIN)/nox -s minimums

# The run's results are kept in benchmarks/results/ and docs/performance.md is
# rewritten from them (scripts/performance_doc.py): commit the three together.
bench: $(STAMP)
	mkdir -p .benchmarks
	$(BIN)/pytest benchmarks --benchmark-only --benchmark-columns=min,median,mean,ops -o python_files="bench_*.py" --benchmark-json=.benchmarks/latest.json
	$(PY) scripts/performance_doc.py --from .benchmarks/latest.json

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
LOCALE_MO := $(patsubst %.po,%.mo,$(wildcard $(LOCALE_DIR)/*/LC_MESSAGES/*.po))
#: The command line's own texts (English message ids), in a domain of their own.
CLI_DOMAIN := gov_disclosure_cli
CLI_LOCALES := zh_Hans_CN zh_Hant_TW
.PHONY: locale locale-extract locale-update

locale: $(LOCALE_MO)

$(LOCALE_DIR)/%.mo: $(LOCALE_DIR)/%.po | $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

locale-extract: $(STAMP)
	$(PY) scripts/locale_msgids.py msgids build/locale/msgids.py
	$(BIN)/pybabel -q extract --no-location --no-default-keywords -k N_ --project=gov-disclosure -o $(LOCALE_DIR)/gov_disclosure.pot build/locale/msgids.py
	$(PY) scripts/locale_msgids.py cli-msgids build/locale/cli_msgids.py
	$(BIN)/pybabel -q extract --no-location --sort-output --project=gov-disclosure -o $(LOCALE_DIR)/$(CLI_DOMAIN).pot src/gov_disclosure/cli build/locale/cli_msgids.py

locale-update: locale-extract
	$(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete -i $(LOCALE_DIR)/gov_disclosure.pot -d $(LOCALE_DIR) -D gov_disclosure
	$(PY) scripts/locale_msgids.py fill-en $(LOCALE_DIR)/en/LC_MESSAGES/gov_disclosure.po
	for l in $(CLI_LOCALES); do $(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete -i $(LOCALE_DIR)/$(CLI_DOMAIN).pot -d $(LOCALE_DIR) -D $(CLI_DOMAIN) -l $$l; done

# The compiled catalogues are needed by the installed package and its tests.
install pytest docs bench demo: locale
