"""
The streaming Word and workbook readers read the same rows however the XML around them is arranged.

The readers drop every element once read or once it ends (tests/test_memory.py
holds them to a small multiple of the input); these tests hold them to the
rows: blocks wrapped in content controls and custom XML read as unwrapped,
and elements the readers do not read (column widths, formulas, unknown
elements, bookmarks) change nothing, wherever they are.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import gov_disclosure as gd
from gov_disclosure.parsers.docx import read_docx
from gov_disclosure.parsers.xlsx import read_xlsx
from gov_disclosure.strategies import reports

_LOCALES = ("zh_Hans_CN", "zh_Hant_TW", "en")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_M = "{" + _S + "}"

_few = settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))


def _replace_parts(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in source.namelist():
            z.writestr(name, change(name, source.read(name)))
    return buf.getvalue()


# -- Word: blocks in content controls and custom XML -------------------------


def _w(etree: Any, tag: str, *children: Any, **attrs: str) -> Any:
    el = etree.Element(_W + tag, {_W + k: v for k, v in attrs.items()})
    el.extend(children)
    return el


def _sdt(etree: Any, *blocks: Any) -> Any:
    """A block-level content control holding *blocks* (its properties first, as Word writes it)."""
    return _w(
        etree,
        "sdt",
        _w(etree, "sdtPr", _w(etree, "tag", val="x")),
        _w(etree, "sdtContent", *blocks),
    )


def _custom(etree: Any, *blocks: Any) -> Any:
    return _w(etree, "customXml", _w(etree, "customXmlPr"), *blocks, element="section")


def _each_in_sdt(etree: Any, blocks: list[Any]) -> list[Any]:
    return [_sdt(etree, b) for b in blocks]


def _all_in_custom_xml(etree: Any, blocks: list[Any]) -> list[Any]:
    return [_custom(etree, *blocks)]


def _nested(etree: Any, blocks: list[Any]) -> list[Any]:
    """Every block in a content control, all of them in custom XML in a content control in custom XML."""
    return [_custom(etree, _sdt(etree, _custom(etree, *_each_in_sdt(etree, blocks))))]


def _halves(etree: Any, blocks: list[Any]) -> list[Any]:
    """The first half of the blocks in custom XML, the rest in a content control: wrappers side by side."""
    half = len(blocks) // 2
    return [_custom(etree, *blocks[:half]), _sdt(etree, *blocks[half:])]


def _with_unread(etree: Any, blocks: list[Any]) -> list[Any]:
    """Bookmarks and proofing marks between the blocks, as Word leaves them."""
    out = []
    for i, b in enumerate(blocks):
        out += [
            _w(etree, "bookmarkStart", id=str(i), name=f"b{i}"),
            b,
            _w(etree, "proofErr", type="spellStart"),
        ]
        out.append(_w(etree, "bookmarkEnd", id=str(i)))
    return out


def _inside_tables(
    etree: Any, blocks: list[Any], tag: str, wrap: Callable[[Any, list[Any]], list[Any]]
) -> list[Any]:
    """The blocks, with the *tag* children of every table row (``tc``) or table (``tr``) rearranged by *wrap*."""
    for table in (b for b in blocks if b.tag == f"{_W}tbl"):
        for parent in [table] if tag == "tr" else list(table.iter(f"{_W}tr")):
            children = [el for el in parent if el.tag == f"{_W}{tag}"]
            at = list(parent).index(children[0])
            for el in children:
                parent.remove(el)
            for i, el in enumerate(wrap(etree, children)):
                parent.insert(at + i, el)
    return blocks


def _rows_in_sdt(etree: Any, blocks: list[Any]) -> list[Any]:
    """Every table row in a row-level content control, as a repeating section of Word's."""
    return _inside_tables(etree, blocks, "tr", _each_in_sdt)


def _rows_nested(etree: Any, blocks: list[Any]) -> list[Any]:
    """The rows of each table: half in custom XML, half in nested content controls and custom XML."""
    return _inside_tables(etree, blocks, "tr", lambda e, rows: _halves(e, _nested(e, rows)))


def _cells_in_sdt(etree: Any, blocks: list[Any]) -> list[Any]:
    """Every cell in a cell-level content control, and the rows' cells in custom XML around them."""
    return _inside_tables(etree, blocks, "tc", lambda e, cells: _nested(e, cells))


_WRAPPINGS: dict[str, Callable[[Any, list[Any]], list[Any]]] = {
    "table rows each in w:sdt": _rows_in_sdt,
    "table rows in nested wrappers": _rows_nested,
    "table cells in nested wrappers": _cells_in_sdt,
    "each block in w:sdt": _each_in_sdt,
    "all blocks in w:customXml": _all_in_custom_xml,
    "nested wrappers": _nested,
    "wrappers side by side": _halves,
    "unread elements between blocks": _with_unread,
}


def _wrapped(data: bytes, wrap: Callable[[Any, list[Any]], list[Any]]) -> bytes:
    """*data* (a .docx) with its body's blocks rearranged by *wrap* (the section properties stay last)."""
    etree = pytest.importorskip("lxml.etree")

    def change(name: str, part: bytes) -> bytes:
        if name != "word/document.xml":
            return part
        root = etree.fromstring(part)
        body = root.find(f"{_W}body")
        blocks = [el for el in body if el.tag != f"{_W}sectPr"]
        assert any(b.tag == f"{_W}tbl" for b in blocks)
        assert any(b.tag == f"{_W}p" for b in blocks)
        for b in blocks:
            body.remove(b)
        for i, el in enumerate(wrap(etree, blocks)):
            body.insert(i, el)
        out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return out

    return _replace_parts(data, change)


@pytest.mark.parametrize("locale", _LOCALES)
@pytest.mark.parametrize("how", list(_WRAPPINGS))
class TestWrappedBlocks:
    """A document whose blocks are wrapped reads as the same document unwrapped."""

    @_few
    @given(report=reports(blank_cells=True))
    def test_same_rows(self, how: str, locale: str, report: gd.AnnualReport) -> None:
        """The same rows (texts, kinds, paragraph and table locations) and the same report."""
        # A blank fee figure (t6) is printed in a sentence, not a cell: it reads back as a printed 0.
        report = attrs.evolve(
            report, blank_cells=frozenset(k for k in report.blank_cells if not k.startswith("t6."))
        )
        plain = gd.render(report, "docx", locale=locale)
        assert isinstance(plain, bytes)
        wrapped = _wrapped(plain, _WRAPPINGS[how])
        assert wrapped != plain
        assert read_docx(wrapped) == read_docx(plain)
        assert gd.parse(wrapped).report == report


def _paragraph(etree: Any, text: str) -> Any:
    t = _w(etree, "t")
    t.text = text
    return _w(etree, "p", _w(etree, "r", t))


def test_unread_wrapper_stays_unread() -> None:
    """
    Blocks in an element the reader does not read through are not read, as before.

    A block-level ``w:ins`` (Word tracks inserted paragraphs in their runs,
    not around them) and a content control's second ``w:sdtContent``.
    """
    pytest.importorskip("lxml.etree")
    plain = gd.render(gd.AnnualReport(agency="某局", year=2021), "docx")
    assert isinstance(plain, bytes)

    def extra(etree: Any, blocks: list[Any]) -> list[Any]:
        first = _sdt(etree, blocks[0])
        first.append(_w(etree, "sdtContent", _paragraph(etree, "不应读出的段落")))
        ins = _w(etree, "ins", _paragraph(etree, "不应读出的段落"))
        return [first, ins, *blocks[1:]]

    rows = read_docx(_wrapped(plain, extra))
    assert rows == read_docx(plain)
    assert not any("不应读出" in t for row in rows for t in row.cells)


def test_unread_wrapper_in_tables_stays_unread() -> None:
    """A row-level or cell-level content control's second ``w:sdtContent`` is not read either."""
    pytest.importorskip("lxml.etree")
    plain = gd.render(gd.AnnualReport(agency="某局", year=2021), "docx")
    assert isinstance(plain, bytes)

    def extra(etree: Any, blocks: list[Any]) -> list[Any]:
        table = next(b for b in blocks if b.tag == f"{_W}tbl")
        row = table.find(f"{_W}tr")
        cell = row.find(f"{_W}tc")
        rows_sdt = _sdt(etree)
        table.insert(list(table).index(row), rows_sdt)
        rows_sdt.find(f"{_W}sdtContent").append(row)
        rows_sdt.append(
            _w(
                etree,
                "sdtContent",
                _w(etree, "tr", _w(etree, "tc", _paragraph(etree, "不应读出的行"))),
            )
        )
        cells_sdt = _sdt(etree)
        row.insert(list(row).index(cell), cells_sdt)
        cells_sdt.find(f"{_W}sdtContent").append(cell)
        cells_sdt.append(
            _w(etree, "sdtContent", _w(etree, "tc", _paragraph(etree, "不应读出的格")))
        )
        return blocks

    rows = read_docx(_wrapped(plain, extra))
    assert rows == read_docx(plain)
    assert not any("不应读出" in t for row in rows for t in row.cells)


# -- Workbook: elements the reader does not read ------------------------------


def _e(tag: str, *children: ET.Element, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.Element(_M + tag, attrs)
    el.extend(children)
    el.text = text
    return el


def _cluttered(part: bytes) -> bytes:
    """
    A worksheet with what the reader skips: repeated and long column lists,
    unknown elements in rows and cells, a formula and a second value in
    every value cell, and second sheetData, mergeCells and hyperlinks
    elements (only the first of each counts) that would change the rows if
    they were read.
    """
    ET.register_namespace("", _S)
    root = ET.fromstring(part)
    cols = [
        _e("cols", *[_e("col", min=str(i), max=str(i), width="9") for i in range(1, 40)])
        for _ in range(3)
    ]
    for i, c in enumerate(cols):
        root.insert(i, c)
    data = root.find(f"{_M}sheetData")
    assert data is not None
    for row in data:
        row.insert(0, _e("extLst", _e("ext", _e("x"))))
        row.append(_e("x", _e("y", text="不应读出")))
        for cell in row.findall(f"{_M}c"):
            v = cell.find(f"{_M}v")
            if v is not None:
                cell.insert(0, _e("f", text="SUM(A1:A2)"))
                cell.append(_e("v", text="987654"))
                cell.append(_e("is", _e("t", text="不应读出")))
            cell.append(_e("extLst", _e("ext", text="不应读出")))
    seconds = [
        _e(
            "sheetData",
            _e("row", _e("c", _e("is", _e("t", text="不应读出")), r="A1", t="inlineStr"), r="1"),
        ),
        _e("mergeCells", _e("mergeCell", ref="A1:H200")),
        _e("hyperlinks", _e("hyperlink", ref="A1", location="'封面'!A1")),
    ]
    for el in seconds:
        if root.find(el.tag) is not None:  # a second one (a first would be read)
            root.append(el)
    root.append(_e("extLst", *[_e("ext", _e("x", _e("y"))) for _ in range(50)]))
    out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return out


@pytest.mark.parametrize("locale", _LOCALES)
@_few
@given(report=reports(blank_cells=True))
def test_workbook_clutter_changes_nothing(locale: str, report: gd.AnnualReport) -> None:
    """Elements the reader skips, and second copies of those it reads, give the same rows."""
    plain = gd.render(report, "xlsx", locale=locale)
    assert isinstance(plain, bytes)

    def change(name: str, part: bytes) -> bytes:
        return _cluttered(part) if name.startswith("xl/worksheets/sheet") else part

    cluttered = _replace_parts(plain, change)
    rows = read_xlsx(cluttered)
    assert rows == read_xlsx(plain)
    assert not any("不应读出" in t or "987654" in t for row in rows for t in row.cells)
    assert gd.parse(cluttered).report == report


def test_comments_and_processing_instructions_change_nothing() -> None:
    """
    XML comments and processing instructions anywhere in the body read as if absent.

    Inside a ``w:t`` they split its text: kept as nodes, the text after one
    was the comment's tail, which the reader did not read ("1<!---->2" read
    as "1").
    """
    pytest.importorskip("lxml.etree")
    empty = gd.AnnualReport(agency="某局", year=2021)
    values = {**gd.cells(empty), "t2.regulations.issued": 12}
    report = gd.from_cells(values, agency="某局", year=2021)
    plain = gd.render(report, "docx")
    assert isinstance(plain, bytes)

    def change(name: str, part: bytes) -> bytes:
        if name != "word/document.xml":
            return part
        text = part.decode("utf-8")
        # Every <w:t>12</w:t> split by a comment, and comments and PIs between every element.
        text = text.replace("<w:t>12</w:t>", "<w:t>1<!-- x -->2</w:t>")
        text = text.replace("<w:p>", "<!-- c --><?pi x?><w:p>").replace(
            "<w:tr>", "<?pi y?><!----><w:tr>"
        )
        return text.encode("utf-8")

    changed = _replace_parts(plain, change)
    assert changed != plain
    assert read_docx(changed) == read_docx(plain)
    assert gd.parse(changed).report == report
