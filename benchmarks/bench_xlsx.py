"""
The filing workbook: write and read time of one report's workbook, against DOCX on the same report.

The report is the rendering benchmark's (every cell filled, narratives).  In
the same run:

* group ``xlsx-write``: ``render(r, "xlsx")`` (openpyxl, with the validation
  and the conditional formats) against ``render(r, "docx")`` (python-docx);
* group ``xlsx-read``: how to get the rows of cells out of the workbook,
  which picks the reading library: our reader (the standard library's XML
  parser over the zip, with the size checks), openpyxl (``read_only`` and
  default mode) and python-calamine, each producing the values of every
  non-empty cell; then ``parse`` end to end for XLSX and for DOCX.

Targets: a workbook written in under 50 ms and read in under 100 ms on this
machine class, stated as ratios to the DOCX figures of the same run
(docs/performance.md).
"""

from __future__ import annotations

import functools
import io
from typing import Any

import pytest

import gov_disclosure as gd
from gov_disclosure.parsers.xlsx import read_xlsx

from .bench_render import large_report

pytest.importorskip("openpyxl")


@functools.cache
def report() -> gd.AnnualReport:
    return large_report()


@functools.cache
def workbook() -> bytes:
    out = gd.render(report(), "xlsx")
    assert isinstance(out, bytes)
    return out


@functools.cache
def document() -> bytes:
    out = gd.render(report(), "docx")
    assert isinstance(out, bytes)
    return out


def _openpyxl_cells(data: bytes, *, read_only: bool) -> list[list[str]]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)
    out = [
        [str(v) for v in row if v is not None]
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
    ]
    wb.close()
    return out


def _calamine_cells(data: bytes) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [
        [str(v) for v in row if v != ""]
        for name in wb.sheet_names
        for row in wb.get_sheet_by_name(name).to_python()
    ]


def _our_cells(data: bytes) -> list[list[str]]:
    return [[t for t in row.cells if t] for row in read_xlsx(data)]


def _count(rows: list[list[str]]) -> int:
    return sum(len(r) for r in rows)


@pytest.mark.benchmark(group="xlsx-write")
def test_write_xlsx(benchmark: Any) -> None:
    benchmark(gd.render, report(), "xlsx")


@pytest.mark.benchmark(group="xlsx-write")
def test_write_docx(benchmark: Any) -> None:
    benchmark(gd.render, report(), "docx")


@pytest.mark.benchmark(group="xlsx-read")
def test_read_ours(benchmark: Any) -> None:
    rows = benchmark(_our_cells, workbook())
    assert _count(rows) > 300


@pytest.mark.benchmark(group="xlsx-read")
def test_read_openpyxl_read_only(benchmark: Any) -> None:
    rows = benchmark(_openpyxl_cells, workbook(), read_only=True)
    assert _count(rows) > 300


@pytest.mark.benchmark(group="xlsx-read")
def test_read_openpyxl(benchmark: Any) -> None:
    rows = benchmark(_openpyxl_cells, workbook(), read_only=False)
    assert _count(rows) > 300


@pytest.mark.benchmark(group="xlsx-read")
def test_read_calamine(benchmark: Any) -> None:
    pytest.importorskip("python_calamine")
    rows = benchmark(_calamine_cells, workbook())
    assert _count(rows) > 300


@pytest.mark.benchmark(group="xlsx-read")
def test_parse_xlsx(benchmark: Any) -> None:
    parsed = benchmark(gd.parse, workbook())
    assert parsed.report == report()


@pytest.mark.benchmark(group="xlsx-read")
def test_parse_docx(benchmark: Any) -> None:
    parsed = benchmark(gd.parse, document())
    assert parsed.report == report()
