"""Accuracy of the parser on the shared corpus of real reports with hand-verified ground truth."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import gov_disclosure as gd

from .conftest import CORPUS

#: README violation names -> (rule id, subject).
_VIOLATION = (
    (re.compile(r"^t3 balance col (\w+)"), "requests.balance"),
    (re.compile(r"^t3 outcomes col (\w+)"), "requests.outcome_total"),
    (re.compile(r"^t3 row ([\w.]+)"), "requests.row_total"),
    (re.compile(r"^t4 (\w+)"), "appeals.total"),
)
_IDENTITIES = {rule for _, rule in _VIOLATION}


#: Text that PDF tools wrote from the corpus PDFs (see its README): each
#: ``NNN.<tool>.txt`` is judged by the corpus item NNN's ground truth.
CORPUS_TEXT = Path(__file__).resolve().parent / "corpus_text"


def _items(corpus: Path) -> list[tuple[Path, dict[str, Any]]]:
    out = []
    truths = {t.stem: t for t in sorted(corpus.rglob("*.json"))}
    for stem, truth in truths.items():
        docs = [p for p in truth.parent.glob(stem + ".*") if p.suffix != ".json"]
        if docs:
            out.append((docs[0], json.loads(truth.read_text(encoding="utf-8"))))
    for doc in sorted(CORPUS_TEXT.glob("*.txt")):
        truth = truths[doc.name.split(".")[0]]
        out.append((doc, json.loads(truth.read_text(encoding="utf-8"))))
    return out


def _expected(value: str | int) -> tuple[int | Decimal, str | None]:
    if isinstance(value, int):
        return value, None
    m = re.fullmatch(r"([\d.]+)(万元|元)?", value)
    assert m, value
    return Decimal(m.group(1)), m.group(2)


def _violations(names: list[str]) -> set[tuple[str, str]]:
    out = set()
    for name in names:
        for pattern, rule in _VIOLATION:
            m = pattern.match(name)
            if m:
                out.add((rule, m.group(1)))
                break
        else:  # pragma: no cover -- a README name this test does not know
            raise AssertionError(f"unknown violation name {name!r}")
    return out


#: What the assembler cannot read yet in a corpus item, by item and test: a strict
#: xfail, so the test fails as soon as the gap is closed and the mark stays.
#: Items whose tests fail for a known reason: {(file name, test name): reason}.
#: Each is a strict xfail, so fixing the gap fails the test until it is removed.
_KNOWN_GAPS: dict[tuple[str, str], str] = {}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "item" not in metafunc.fixturenames:
        return
    items = _items(CORPUS)
    assert items, "the corpus has no documents"
    params = []
    for path, truth in items:
        gap = _KNOWN_GAPS.get((path.name, metafunc.function.__name__))
        marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
        params.append(pytest.param((path, truth), id=path.name, marks=marks))
    metafunc.parametrize("item", params)


class TestCorpus:
    """Every report of the corpus (tests/corpus, real published reports) parses to its ground truth."""

    def test_cells(self, item: tuple[Path, dict[str, Any]]) -> None:
        """Every cell matches; a null is a blank 0; an undecidable cell is flagged with the truth among its candidates."""
        problems = []
        for path, truth in [item]:
            p = gd.parse(path)
            got = gd.cells(p.report)
            ambiguous = {a.key: a for a in p.ambiguities}
            # A blank printed cell, or a row not printed at all: both warned by key.
            blank_warned = {
                k for w in p.warnings if w.code in ("blank_cell", "missing_row") for k in w.cells
            }
            for key, value in truth["cells"].items():
                if value is None:
                    if not (got[key] == 0 and key in p.report.blank_cells and key in blank_warned):
                        problems.append(
                            f"{path.name} {key}: null must be a blank 0, got {got[key]}"
                        )
                    continue
                want, unit = _expected(value)
                if key in ambiguous:
                    if want not in ambiguous[key].candidates:
                        problems.append(
                            f"{path.name} {key}: {want} not among {ambiguous[key].candidates}"
                        )
                    continue
                if key in p.report.blank_cells:
                    problems.append(f"{path.name} {key}: printed {value}, but marked blank")
                if got[key] != want:
                    problems.append(f"{path.name} {key}: want {want}, got {got[key]}")
                if unit is not None and key == "t2.procurement.amount":
                    assert isinstance(p.report.proactive, gd.Proactive2019)
                    if p.report.proactive.procurement.amount_unit != unit:
                        problems.append(f"{path.name} {key}: unit {unit} not kept")
        assert problems == []

    def test_ambiguous_cells_are_warned(self, item: tuple[Path, dict[str, Any]]) -> None:
        """Every ambiguity comes with an ambiguous_split warning naming its cell."""
        for path, _ in [item]:
            p = gd.parse(path)
            warned = {k for w in p.warnings if w.code == "ambiguous_split" for k in w.cells}
            assert {a.key for a in p.ambiguities} <= warned, path.name

    def test_most_plausible_reading(self, item: tuple[Path, dict[str, Any]]) -> None:
        """Where the text cannot decide, the kept reading is right for most cells (measured, not required cell by cell)."""
        right = total = 0
        for path, truth in [item]:
            p = gd.parse(path)
            for a in p.ambiguities:
                total += 1
                right += a.chosen == _expected(truth["cells"][a.key])[0]
        assert total == 0 or right / total >= 0.8

    def test_edition(self, item: tuple[Path, dict[str, Any]]) -> None:
        """The edition read from the labels is the ground truth's."""
        for path, truth in [item]:
            assert gd.parse(path).report.edition.value == truth["edition"], path.name

    def test_year(self, item: tuple[Path, dict[str, Any]]) -> None:
        """The reporting year is read from the title or the data period."""
        for path, truth in [item]:
            assert gd.parse(path).report.year == truth["year"], path.name

    def test_identity_violations(self, item: tuple[Path, dict[str, Any]]) -> None:
        """check() finds exactly the identity violations the ground truth lists."""
        for path, truth in [item]:
            p = gd.parse(path)
            found = {
                (f.rule, f.subject)
                for f in gd.check(p.report)
                if f.rule in _IDENTITIES and f.severity is gd.Severity.ERROR
            }
            assert found == _violations(truth["identity_violations"]), path.name

    def test_blank_findings_say_so(self, item: tuple[Path, dict[str, Any]]) -> None:
        """A finding that depends on a blank cell names it, so it reads as an unfilled form."""
        for path, _ in [item]:
            p = gd.parse(path)
            for f in gd.check(p.report):
                blank = [k for k in f.cells if k in p.report.blank_cells]
                assert list(f.blank_cells) == blank, path.name

    def test_provenance(self, item: tuple[Path, dict[str, Any]]) -> None:
        """Every cell read from the text has a location."""
        for path, truth in [item]:
            p = gd.parse(path)
            read = [k for k, v in truth["cells"].items() if v is not None]
            assert all(k in p.provenance for k in read), path.name
            assert all(str(p.provenance[k]) for k in read)
