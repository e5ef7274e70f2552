"""The filing workbook: written from the layouts, checking itself, and read back however it was made."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.catalogue import ValueKind, catalogue
from gov_disclosure.cli import main
from gov_disclosure.i18n import localizer
from gov_disclosure.layout import TABLES, CellKind, layout
from gov_disclosure.renderers.xlsx import formula_checks
from gov_disclosure.strategies import broken_reports, reports

openpyxl = pytest.importorskip("openpyxl")
from openpyxl.utils import get_column_letter  # noqa: E402 -- after the importorskip

_LOCALES = ("zh_Hans_CN", "zh_Hant_TW", "en")
_EDITIONS = ("2019", "2021")


#: The namespace of a worksheet's XML (SpreadsheetML).
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _book(report: gd.AnnualReport, locale: str = "zh_Hans_CN") -> Any:
    data = gd.render(report, "xlsx", locale=locale)
    assert isinstance(data, bytes)
    return openpyxl.load_workbook(io.BytesIO(data))


def _coord(row: int, col: int) -> str:
    return f"{get_column_letter(col + 1)}{row + 1}"


def _report(changes: dict[str, Any], *, agency: str, year: int) -> gd.AnnualReport:
    """A report of zeros with *changes* to its cells."""
    values = gd.cells(gd.AnnualReport(agency=agency, year=year))
    values.update(changes)
    return gd.from_cells(values, agency=agency, year=year)


def _section(edition: str, table: str) -> Any:
    return next(s for s in catalogue(edition).sections if s.table and s.table.key == table)


def _table_sheet(book: Any, edition: str, table: str, locale: str = "zh_Hans_CN") -> Any:
    """The sheet of *table*: the one named after its section's heading (derived, not typed)."""
    heading = localizer(locale).label(_section(edition, table).heading)
    matches = [ws for ws in book.worksheets if heading.startswith(ws.title)]
    assert len(matches) == 1, [ws.title for ws in book.worksheets]
    return matches[0]


class TestWriting:
    """The workbook holds the official tables, merged as printed, numbers as numbers."""

    @pytest.mark.parametrize("locale", _LOCALES)
    @pytest.mark.parametrize("edition", _EDITIONS)
    def test_layout(self, edition: str, locale: str) -> None:
        """Every label of every layout cell is in its cell in the locale, every span merged."""
        report = gd.AnnualReport(agency="某局", year=2021 if edition == "2021" else 2020)
        book = _book(report, locale)
        loc = localizer(locale)
        for table in TABLES:
            ws = _table_sheet(book, edition, table, locale)
            merged = {str(m) for m in ws.merged_cells.ranges}
            lay = layout(edition, table)
            for cell in lay.cells:
                value = ws[_coord(cell.row, cell.col)].value
                if cell.label is not None:
                    assert loc.label(cell.label) == value
                elif cell.kind is CellKind.VALUE:
                    assert value == 0
                if cell.rowspan > 1 or cell.colspan > 1:
                    last = _coord(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1)
                    assert f"{_coord(cell.row, cell.col)}:{last}" in merged
            spans = sum(1 for c in lay.cells if c.rowspan > 1 or c.colspan > 1)
            assert spans == len(merged)

    def test_numbers_and_blanks(self) -> None:
        """Counts are ints, amounts numbers, a blank cell is empty (not 0)."""
        report = _report(
            {"t3.new_received.total": 12, "t2.fees.amount": Decimal("4068.208")},
            agency="某局",
            year=2021,
        )
        report = attrs.evolve(report, blank_cells=frozenset({"t3.carried_over.total"}))
        book = _book(report)
        places = {
            c.key: _coord(c.row, c.col)
            for t in TABLES
            for c in layout("2021", t).cells
            if c.key is not None
        }
        t3 = _table_sheet(book, "2021", "t3")
        t2 = _table_sheet(book, "2021", "t2")
        assert t3[places["t3.new_received.total"]].value == 12
        assert t3[places["t3.carried_over.total"]].value is None
        assert t3[places["t3.carried_forward.total"]].value == 0
        assert t2[places["t2.fees.amount"]].value == pytest.approx(4068.208)

    def test_properties_and_cover(self) -> None:
        """Agency, year and edition are in the workbook's properties and on the cover sheet."""
        report = gd.AnnualReport(agency="某某局", year=2020)
        book = _book(report)
        props = {p.name: p.value for p in book.custom_doc_props.props}
        assert props == {"agency": "某某局", "year": 2020, "edition": "2019"}
        title = gd.render(report, "text").splitlines()[0]
        assert book.properties.title == title
        cover = book.worksheets[0]
        values = [c.value for row in cover.iter_rows() for c in row if c.value is not None]
        assert values[0] == title
        assert "某某局" in values
        assert 2020 in values
        assert any("2019" in str(v) for v in values)

    @pytest.mark.parametrize("edition", _EDITIONS)
    def test_blank_form(self, edition: str) -> None:
        """AnnualReport.blank renders a workbook whose value cells are all empty."""
        report = gd.AnnualReport.blank(agency="某某局", year=2026, edition=edition)
        assert gd.check(report) == [] or all(f.blank_cells for f in gd.check(report))
        book = _book(report)
        for table in TABLES:
            ws = _table_sheet(book, edition, table)
            for cell in layout(edition, table).cells:
                if cell.key is not None:
                    assert ws[_coord(cell.row, cell.col)].value is None, cell.key

    def test_missing_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without openpyxl, rendering says which extra to install."""
        monkeypatch.setitem(sys.modules, "openpyxl", None)
        with pytest.raises(gd.MissingExtraError, match=r"gov-disclosure\[xlsx\]"):
            gd.render(gd.AnnualReport(agency="某局", year=2021), "xlsx")


def _places(edition: str) -> dict[str, tuple[str, str]]:
    """Cell key -> (table, coordinate), from the layouts."""
    return {
        c.key: (t, _coord(c.row, c.col))
        for t in TABLES
        for c in layout(edition, t).cells
        if c.key is not None
    }


_REF = re.compile(r"\$([A-Z]+)\$([0-9]+)")


def _evaluate(formula: str, value: Callable[[str], Any]) -> bool:
    """
    Evaluate a conditional format's formula the way a spreadsheet does.

    Only what the generated formulas use: AND, COUNT, SUM, ROUND, ``<>``,
    ``>`` and absolute references.
    """
    expr = _REF.sub(lambda m: f'_v("{m.group(1)}{m.group(2)}")', formula)
    expr = expr.replace("<>", "!=")
    for name in ("AND", "COUNT", "SUM", "ROUND"):
        expr = expr.replace(f"{name}(", f"_{name.lower()}(")
    env = {
        "_v": value,
        "_and": lambda *xs: all(xs),
        "_count": lambda *xs: sum(isinstance(x, (int, float)) for x in xs),
        "_sum": lambda *xs: sum(x for x in xs if isinstance(x, (int, float))),
        "_round": round,
    }
    return bool(eval(expr, {"__builtins__": {}}, env))


def _formulas(ws: Any) -> list[tuple[set[str], str]]:
    out = []
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            out.append(({str(r) for r in cf.sqref.ranges}, rule.formula[0]))
    return out


def _sum_refs(formula: str) -> tuple[set[str], set[str]]:
    m = re.search(r"SUM\(([^)]*)\)-SUM\(([^)]*)\)", formula)
    assert m is not None, formula
    return (
        {r.replace("$", "") for r in m.group(1).split(",")},
        {r.replace("$", "") for r in m.group(2).split(",")},
    )


class TestChecks:
    """The identities of the rule catalogue are in the workbook as formulas over the right cells."""

    @pytest.mark.parametrize("edition", _EDITIONS)
    def test_one_formula_per_equation(self, edition: str) -> None:
        """Each equation of the rules has a conditional format over exactly its terms' cells."""
        book = _book(gd.AnnualReport(agency="某局", year=2021 if edition == "2021" else 2020))
        places = _places(edition)
        found: dict[tuple[frozenset[str], frozenset[str]], set[str]] = {}
        for table in TABLES:
            for sqref, formula in _formulas(_table_sheet(book, edition, table)):
                lhs, rhs = _sum_refs(formula)
                found[(frozenset(lhs), frozenset(rhs))] = sqref
        checks = formula_checks(edition)
        assert {c.rule for c in checks} >= {
            "requests.balance",
            "requests.outcome_total",
            "requests.row_total",
            "appeals.total",
        }
        for c in checks:
            lhs = frozenset(places[k][1] for k in c.lhs)
            rhs = frozenset(places[k][1] for k in c.rhs)
            assert (lhs, rhs) in found, (c.rule, c.subject)
            assert found[(lhs, rhs)] == set(lhs | rhs)  # the broken cells are marked
        assert len(found) == len(checks)

    @settings(max_examples=15)
    @given(data=st.data())
    def test_formulas_mean_the_rules(self, data: st.DataObject) -> None:
        """A formula is true exactly when check() finds its equation broken (and its total is filled)."""
        rule = data.draw(
            st.sampled_from(
                (
                    "requests.balance",
                    "requests.outcome_total",
                    "requests.row_total",
                    "appeals.total",
                )
            )
        )
        edition = data.draw(st.sampled_from(_EDITIONS))
        report = data.draw(st.one_of(reports(edition, text=False), broken_reports(rule, edition)))
        book = _book(report)
        places = _places(edition)
        findings = {(f.rule, f.subject) for f in gd.check(report)}
        for c in formula_checks(edition):
            ws = _table_sheet(book, edition, places[c.rhs[0]][0])
            lhs = frozenset(places[k][1] for k in c.lhs)
            rhs = frozenset(places[k][1] for k in c.rhs)
            formula = next(f for _, f in _formulas(ws) if _sum_refs(f) == (lhs, rhs))
            marked = _evaluate(formula, lambda ref, ws=ws: ws[ref].value)
            filled = any(k not in report.blank_cells for k in c.rhs)
            assert marked == ((c.rule, c.subject) in findings and filled), (c.rule, c.subject)

    @pytest.mark.parametrize("edition", _EDITIONS)
    def test_validation(self, edition: str) -> None:
        """Every value cell accepts only its kind of number; its input message names its rules."""
        report = gd.AnnualReport(agency="某局", year=2021 if edition == "2021" else 2020)
        book = _book(report)
        # Blank stays allowed (a cell printed blank): read from the file itself, as
        # openpyxl 3.1.0-3.1.2 (the stated minimum is 3.1) drop allowBlank when reading.
        data = gd.render(report, "xlsx")
        assert isinstance(data, bytes)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        allow_blank = [
            dv.get("allowBlank")
            for xml in sheets
            for dv in ET.fromstring(xml).iter(f"{{{_MAIN_NS}}}dataValidation")
        ]
        assert allow_blank
        assert set(allow_blank) <= {"1", "true"}, allow_blank
        cells = catalogue(edition).cells
        rules_of: dict[str, set[str]] = {}
        for c in formula_checks(edition):
            for k in (*c.lhs, *c.rhs):
                rules_of.setdefault(k, set()).add(c.rule)
        for key, (table, coord) in _places(edition).items():
            ws = _table_sheet(book, edition, table)
            dvs = [dv for dv in ws.data_validations.dataValidation if coord in dv.sqref]
            assert len(dvs) == 1, key
            dv = dvs[0]
            kind = cells[key].column.kind
            if kind is ValueKind.MONEY:
                assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0")
            elif kind is ValueKind.SIGNED:
                assert dv.type == "whole"
                assert dv.operator == "between"
            else:
                assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
            assert dv.showErrorMessage
            for rid in rules_of.get(key, ()):
                assert rid in dv.prompt, (key, rid)


class TestReading:
    """Workbooks we wrote, and workbooks rebuilt by hand, read back into the model."""

    @settings(max_examples=10)
    @given(data=st.data())
    def test_round_trip_with_blanks(self, data: st.DataObject) -> None:
        """Blank cells stay blank (not 0), negative 2019 changes stay negative, in every locale."""
        edition = data.draw(st.sampled_from(_EDITIONS))
        locale = data.draw(st.sampled_from(_LOCALES))
        report = data.draw(reports(edition, blank_cells=True))
        parsed = gd.parse(gd.render(report, "xlsx", locale=locale))
        assert report == parsed.report
        assert parsed.format == "xlsx"

    def test_provenance(self) -> None:
        """A value's provenance names its sheet and cell reference."""
        report = gd.AnnualReport(agency="某局", year=2021)
        parsed = gd.parse(gd.render(report, "xlsx"))
        _table, coord = _places("2021")["t3.new_received.total"]
        loc = parsed.provenance["t3.new_received.total"]
        heading = localizer("zh_Hans_CN").label(_section("2021", "t3").heading)
        assert loc.cell == coord
        assert loc.sheet is not None
        assert heading.startswith(loc.sheet)
        assert str(loc) == f"sheet {loc.sheet}, cell {coord}"

    @pytest.mark.parametrize("locale", _LOCALES)
    @pytest.mark.parametrize("edition", _EDITIONS)
    def test_hand_built(self, edition: str, locale: str) -> None:
        """
        A workbook typed by hand reads back: one sheet, shifted, blank rows and a blank column
        between tables, merged and unmerged labels, numbers as text, full-width digits and a
        formula with its cached value.
        """
        year = 2021 if edition == "2021" else 2020
        values: dict[str, Any] = {}
        for i, (key, cdef) in enumerate(catalogue(edition).cells.items()):
            if cdef.optional:
                continue
            if cdef.column.kind is ValueKind.MONEY:
                values[key] = Decimal(i) + Decimal("0.5")
            elif cdef.column.kind is ValueKind.SIGNED:
                values[key] = -i
            else:
                values[key] = i % 97
        report = gd.from_cells(values, agency="某某局", year=year, edition=edition)
        loc = localizer(locale)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Sheet1"
        ws["B2"] = " " + gd.render(report, "text", locale=locale).splitlines()[0]
        top = 4
        formula_at = None
        n = 0
        for table in TABLES:
            lay = layout(edition, table)
            for cell in lay.cells:
                r = top + cell.row
                # A blank column C splits the row labels from the values.
                c = 2 + cell.col + (1 if cell.col >= 1 else 0)
                target = ws.cell(row=r, column=c)
                if cell.label is not None:
                    target.value = loc.label(cell.label) + " "  # typed again, a stray space
                    if table == "t2" and (cell.rowspan > 1 or cell.colspan > 1):
                        ws.merge_cells(
                            start_row=r,
                            start_column=c,
                            end_row=r + cell.rowspan - 1,
                            end_column=c + cell.colspan - 1,
                        )
                elif cell.key is not None:
                    v = values[cell.key]
                    n += 1
                    if isinstance(v, Decimal):
                        target.value = float(v)
                    elif n % 4 == 1:
                        target.value = str(v)  # a number stored as text
                    elif n % 4 == 2:
                        target.value = str(v).translate(_FULL_WIDTH)
                    elif n % 4 == 3 and formula_at is None and v > 0:
                        target.value = f"={v}-0"
                        formula_at = (target.coordinate, v)
                    else:
                        target.value = v
            top += lay.n_rows + 3  # blank rows between the tables
        buf = io.BytesIO()
        wb.save(buf)
        data = _with_cached_value(buf.getvalue(), *formula_at) if formula_at else buf.getvalue()
        parsed = gd.parse(data)
        assert parsed.format == "xlsx"
        assert gd.cells(report) == gd.cells(parsed.report)
        assert parsed.report.agency == "某某局"
        assert parsed.report.year == year

    @pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is absent")
    def test_saved_by_libreoffice(self, tmp_path: Path) -> None:
        """LibreOffice opens, recalculates and saves our workbook; it still reads back."""
        report = _report(
            {"t3.new_received.natural_person": 5, "t3.new_received.total": 5},
            agency="某局",
            year=2021,
        )
        src = tmp_path / "in" / "r.xlsx"
        src.parent.mkdir()
        data = gd.render(report, "xlsx")
        assert isinstance(data, bytes)
        src.write_bytes(data)
        plain = tmp_path / "in" / "plain.xlsx"
        wb = openpyxl.Workbook()
        wb.active["A1"] = 1
        wb.save(plain)
        out = tmp_path / "out"
        if not _soffice(plain, out, tmp_path / "profile"):
            pytest.skip("LibreOffice is installed without Calc: it cannot open any workbook")
        assert _soffice(src, out, tmp_path / "profile"), "LibreOffice could not open our workbook"
        saved = (out / "r.xlsx").read_bytes()
        assert saved != data
        assert gd.parse(saved).report == report


def _soffice(src: Path, outdir: Path, profile: Path) -> bool:
    """Open *src* in LibreOffice headless, recalculate, save it as .xlsx in *outdir*."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(outdir),
            str(src),
        ],
        check=False,
        capture_output=True,
        timeout=180,
    )
    return (outdir / src.name).is_file()


_FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _with_cached_value(data: bytes, coord: str, value: int) -> bytes:
    """Give the formula cell at *coord* the cached value a spreadsheet program saves."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part, n = re.subn(
                    rf'(<c r="{coord}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v>\s*</v>)?'.encode(),
                    lambda m: m.group(1) + f"<v>{value}</v>".encode(),
                    part,
                )
                assert n == 1
            z.writestr(info, part)
    return out.getvalue()


def _zip(parts: dict[str, bytes], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def _parts(data: bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(data))
    return {n: z.read(n) for n in z.namelist()}


class TestHostile:
    """Not a workbook, not a report, bombs, entities, macros and external links."""

    def _ours(self) -> bytes:
        data = gd.render(gd.AnnualReport(agency="某局", year=2021), "xlsx")
        assert isinstance(data, bytes)
        return data

    def test_not_a_zip(self) -> None:
        """A .xlsx that is no zip is a ParseError naming the format."""
        with pytest.raises(gd.ParseError, match="not an Excel workbook"):
            gd.parse(b"PK\x03\x04 this is not a zip", format="xlsx")

    def test_not_a_workbook(self) -> None:
        """A zip of xl/ parts without xl/workbook.xml is a ParseError."""
        with pytest.raises(gd.ParseError, match=r"workbook\.xml is missing"):
            gd.parse(_zip({"xl/styles.xml": b"<styleSheet/>"}))

    def test_not_a_report(self) -> None:
        """A workbook of other numbers is not a report."""
        wb = openpyxl.Workbook()
        wb.active.append(["品名", "数量"])
        wb.active.append(["苹果", 3])
        buf = io.BytesIO()
        wb.save(buf)
        with pytest.raises(gd.ParseError):
            gd.parse(buf.getvalue())

    def test_zip_bomb(self) -> None:
        """A sheet that expands far beyond its compressed size is refused unread."""
        parts = _parts(self._ours())
        name = next(n for n in parts if n.startswith("xl/worksheets/"))
        parts[name] = b"<worksheet>" + b" " * (70 * 1024 * 1024) + b"</worksheet>"
        bomb = _zip(parts)
        assert len(bomb) < 1_000_000
        with pytest.raises(gd.ParseError, match="refused"):
            gd.parse(bomb)

    def test_entities(self) -> None:
        """Shared strings declaring entities (billion laughs) are refused."""
        parts = _parts(self._ours())
        parts["xl/sharedStrings.xml"] = (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<si><t>&lol;</t></si></sst>"
        )
        with pytest.raises(gd.ParseError, match="refused"):
            gd.parse(_zip(parts))

    def test_macros_and_external_links_ignored(self) -> None:
        """A macro project and an external link change nothing: neither is read."""
        parts = _parts(self._ours())
        parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 not run"
        rels = parts["xl/_rels/workbook.xml.rels"]
        parts["xl/_rels/workbook.xml.rels"] = rels.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdX" TargetMode="External" '
            b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
            b'Target="http://example.invalid/evil.xlsx"/></Relationships>',
        )
        parsed = gd.parse(_zip(parts))
        assert parsed.report == gd.AnnualReport(agency="某局", year=2021)

    def test_sniffing(self) -> None:
        """A workbook and a Word document, both zips, are told apart without a suffix."""
        report = gd.AnnualReport(agency="某局", year=2021)
        assert gd.sniff(self._ours()) == "xlsx"
        docx = gd.render(report, "docx")
        assert isinstance(docx, bytes)
        assert gd.sniff(docx) == "docx"

    def test_unsniffable_workbook(self) -> None:
        """A workbook whose first parts name no xl/ (a big first part) is still read as one."""
        parts = _parts(self._ours())
        first = {"docProps/big.xml": b"<x>" + bytes(range(256)) * 64 + b"</x>"}
        data = _zip({**first, **parts}, compress=zipfile.ZIP_STORED)
        assert gd.sniff(data) == "docx"
        assert gd.parse(data).report == gd.AnnualReport(agency="某局", year=2021)

    def test_document_sniffed_as_workbook(self) -> None:
        """A Word document whose first part is named xl/... is still read as a Word document."""
        report = gd.AnnualReport(agency="某局", year=2021)
        docx = gd.render(report, "docx")
        assert isinstance(docx, bytes)
        first = {"xl/padding.bin": bytes(range(256)) * 64}
        data = _zip({**first, **_parts(docx)}, compress=zipfile.ZIP_STORED)
        assert gd.sniff(data) == "xlsx"
        assert gd.parse(data).report == report


class TestCommandLine:
    """``render --format xlsx``, ``check`` and ``batch`` take workbooks."""

    def test_render_and_check(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A report rendered to a workbook on the command line checks clean; a broken one does not."""
        good = gd.AnnualReport(agency="某局", year=2021)
        src = tmp_path / "r.json"
        src.write_bytes(gd.to_json(good))
        out = tmp_path / "filled" / "r.xlsx"
        out.parent.mkdir()
        assert main(["render", str(src), "--format", "xlsx", "-o", str(out)]) == 0
        assert gd.parse(out).report == good
        assert main(["check", str(out)]) == 0
        broken = _report({"t3.new_received.total": 3}, agency="某局", year=2021)
        bad = out.parent / "bad.xlsx"
        data = gd.render(broken, "xlsx")
        assert isinstance(data, bytes)
        bad.write_bytes(data)
        capsys.readouterr()
        assert main(["check", str(out), str(bad)]) == 1
        assert "requests" in capsys.readouterr().out

    def test_batch_and_aggregate(self, tmp_path: Path) -> None:
        """A folder of workbooks is found, read and added up (汇总)."""
        reports_ = [
            _report({"t3.new_received.total": n}, agency=f"局{n}", year=2021) for n in (1, 2)
        ]
        for r in reports_:
            data = gd.render(r, "xlsx")
            assert isinstance(data, bytes)
            (tmp_path / f"{r.agency}.xlsx").write_bytes(data)
        paths = list(gd.report_paths(tmp_path))
        assert [Path(p).suffix for p in paths] == [".xlsx", ".xlsx"]
        total = gd.aggregate([gd.parse(p).report for p in paths], agency="汇总")
        assert gd.cells(total)["t3.new_received.total"] == 3
        results = tmp_path / "out" / "results.jsonl"
        results.parent.mkdir()
        # Both break the section 三 identities (a total without its parts): status 1.
        assert main(["batch", str(tmp_path), "--out", str(results), "--jobs", "1"]) == 1
        rows = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
        assert sorted(r["agency"] for r in rows) == ["局1", "局2"]
        assert all(r["error"] is None and r["n_errors"] > 0 for r in rows)
