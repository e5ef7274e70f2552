"""
Peak memory of parsing (issue #15): a small multiple of the input, for every reader, on hostile patterns.

Each pattern is parsed in a child process of its own, whose peak resident
memory (``VmHWM``) is reset before the parse (``/proc/self/clear_refs``), so
the figure is what the parse itself added, C libraries (lxml, PDFium)
included.  (One child for all the patterns read low after a large one: the
allocator kept pages that the next parse reused unseen.)  The patterns are those of the linearity test at sizes near the
limits: a few MiB of one character, one long line, the most cells a document
may have, deep nesting, thousands of tables.  A pattern limited by the cell
count (50,000 cells of two bytes) costs per cell, not per byte, so the bound
is a multiple of the input plus a fixed allowance for the cells.

The Word and workbook patterns are also held to linear time, as the text
readers' are in ``tests/test_hostile.py``.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import CORPUS

import gov_disclosure as gd

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/clear_refs").exists(), reason="needs Linux's /proc to reset peak memory"
)

#: Bytes of the byte-limited patterns (a quarter of the limit: the cost per byte is the same).
SIZE = gd.MAX_INPUT_BYTES // 4
#: Peak memory allowed per byte of the (uncompressed) input.
PER_BYTE = 16
#: Allowed on top for the cells (at most 50,000 of them, each a Row, a Location and text).
FIXED = 80 * 1024 * 1024
#: Patterns that are a few long strings, or XML read one block or row at a
#: time: their peak is a few times the input with no allowance (a reader
#: that built the whole tree of a part of empty paragraphs or rows took 18
#: to 26 times it).
LEAN = {
    "text": {"dashes", "run of one character", "long line"},
    "html": {"long cell"},
    "docx": {
        "empty paragraphs",
        "long run",
        "empty paragraphs in w:sdt",
        "empty paragraphs in w:customXml",
        "empty paragraphs in nested wrappers",
        "empty paragraphs in an unread wrapper",
        "unread elements",
        "empty rows of one table",
        "empty rows in w:sdt",
        "comments",
        "processing instructions",
    },
    "xlsx": {
        "many cells",
        "long row",
        "long cell",
        "empty rows",
        "repeated cols",
        "many col",
        "many merges",
        "many hyperlinks",
        "unread elements in a row",
        "comments",
        "processing instructions",
    },
}
LEAN_PER_BYTE = 8

_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_S = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _real() -> str:
    return (CORPUS / "000.txt").read_text(encoding="utf-8")


def _text() -> dict[str, bytes]:
    real = _real()
    head = real[: real.index("全文包括")]
    rest = real[len(head) :]
    out = {
        "dashes": "-" * SIZE + "x",
        "run of one character": head + "一" * (SIZE // 3) + rest,
        "long line": real + "\n" + "表" * (SIZE // 3),
        "many short lines": "1\n" * 49_000,
        "many cells": real + "\n" + "1\t" * 45_000,
    }
    return {k: v.encode("utf-8") for k, v in out.items()}


def _html() -> dict[str, bytes]:
    page = (CORPUS / "001.html").read_text(encoding="utf-8")
    j = page.index("予以公开")
    out = {
        "many tables": "<table><tr><td>予以公开</td><td>1</td></tr></table>" * 24_000,
        "paragraphs": "<p>一、总体情况</p>" * 49_000,
        "nested tables": "<table><tr><td>" * 2_000 + "1",
        "deep inline markup": page[:j]
        + "<font>" * 2_000
        + "予以公开"
        + "</font>" * 2_000
        + page[j:],
        "long cell": page[:j] + "表" * (SIZE // 3) + page[j:],
    }
    return {k: v.encode("utf-8") for k, v in out.items()}


def _replaced(fmt: str, part: Callable[[list[str]], str], body: bytes) -> bytes:
    """A rendered report of *fmt* with one part replaced by *body*, stored (the size is the input's)."""
    good = gd.render(gd.AnnualReport(agency="某局", year=2021), fmt)
    assert isinstance(good, bytes)
    source = zipfile.ZipFile(io.BytesIO(good))
    name = part(source.namelist())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for n in source.namelist():
            z.writestr(n, body if n == name else source.read(n))
    return buf.getvalue()


def _docx(size: int = SIZE) -> dict[str, bytes]:
    def doc(body: bytes) -> bytes:
        xml = b"<w:document " + _W + b"><w:body>" + body + b"</w:body></w:document>"
        return _replaced("docx", lambda names: "word/document.xml", xml)

    p = b"<w:p><w:r><w:t>1</w:t></w:r></w:p>"
    cell = b"<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>"
    return {
        "many paragraphs": doc(p * min(size // len(p), 49_000)),
        "empty paragraphs": doc(b"<w:p/>" * (size // 6)),
        "long run": doc(b"<w:p><w:r><w:t>" + "表".encode() * (size // 3) + b"</w:t></w:r></w:p>"),
        "many runs": doc(b"<w:p>" + b"<w:r><w:t>1</w:t></w:r>" * (size // 22) + b"</w:p>"),
        "many tables": doc(
            (b"<w:tbl><w:tr>" + cell + b"</w:tr></w:tbl>") * min(size // 70, 24_000)
        ),
        "nested tables": doc(
            b"<w:tbl><w:tr><w:tc>" * 80 + b"<w:p/>" + b"</w:tc></w:tr></w:tbl>" * 80
        ),
        # Blocks in the wrappers the reader reads through (content controls,
        # custom XML), in one it does not read, and elements it never reads.
        "empty paragraphs in w:sdt": doc(
            b"<w:sdt><w:sdtPr/><w:sdtContent>"
            + b"<w:p/>" * (size // 6)
            + b"</w:sdtContent></w:sdt>"
        ),
        "empty paragraphs in w:customXml": doc(
            b'<w:customXml w:element="x">' + b"<w:p/>" * (size // 6) + b"</w:customXml>"
        ),
        "empty paragraphs in nested wrappers": doc(
            b'<w:customXml w:element="x"><w:sdt><w:sdtContent>' * 20
            + b"<w:p/>" * (size // 6)
            + b"</w:sdtContent></w:sdt></w:customXml>" * 20
        ),
        "empty paragraphs in an unread wrapper": doc(
            b"<w:ins>" + b"<w:p/>" * (size // 6) + b"</w:ins>"
        ),
        "unread elements": doc(b"<w:x/>" * (size // 6)),
        "empty rows of one table": doc(b"<w:tbl>" + b"<w:tr/>" * (size // 7) + b"</w:tbl>"),
        "empty rows in w:sdt": doc(
            b"<w:tbl><w:sdt><w:sdtContent>"
            + b"<w:tr/>" * (size // 7)
            + b"</w:sdtContent></w:sdt></w:tbl>"
        ),
        # What no reader reads, anywhere: comments and processing instructions.
        "comments": doc(b"<w:p/>" + b"<!---->" * (size // 7)),
        "processing instructions": doc(b"<w:p/>" + b"<?x?>" * (size // 5)),
    }


def _column(n: int) -> bytes:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s.encode()


def _xlsx(size: int = SIZE) -> dict[str, bytes]:
    def worksheet(content: bytes) -> bytes:
        xml = b"<worksheet " + _S + b">" + content + b"</worksheet>"
        first = lambda names: sorted(n for n in names if n.startswith("xl/worksheets/sheet"))[0]  # noqa: E731
        return _replaced("xlsx", first, xml)

    def sheet(rows: bytes) -> bytes:
        return worksheet(b"<sheetData>" + rows + b"</sheetData>")

    one = b'<row r="1"><c r="A1" t="inlineStr"><is><t>1</t></is></c></row>'

    def row(r: int, n: int) -> bytes:
        cells = (
            b'<c r="%s%d" t="inlineStr"><is><t>1</t></is></c>' % (_column(c), r)
            for c in range(1, n + 1)
        )
        return b'<row r="%d">' % r + b"".join(cells) + b"</row>"

    return {
        "many cells": sheet(b"".join(row(r, 10) for r in range(1, min(size // 500, 19_000) + 1))),
        "long row": sheet(row(1, min(size // 50, 16_000))),
        "long cell": sheet(
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
            + "表".encode() * (size // 3)
            + b"</t></is></c></row>"
        ),
        "empty rows": sheet(b"".join(b'<row r="%d"/>' % r for r in range(1, size // 20))),
        # Top-level elements repeated, or with many children, whether the
        # reader uses them (merges, links) or not (column widths).
        "repeated cols": worksheet(b"<sheetData/>" + b"<cols/>" * (size // 7)),
        "many col": worksheet(b"<cols>" + b"<col/>" * (size // 6) + b"</cols><sheetData/>"),
        "many merges": worksheet(
            b"<sheetData>"
            + one
            + b'</sheetData><mergeCells count="1">'
            + b'<mergeCell ref="A1:B1"/>' * (size // 24)
            + b"</mergeCells>"
        ),
        "many hyperlinks": worksheet(
            b"<sheetData>"
            + one
            + b"</sheetData><hyperlinks>"
            + b'<hyperlink ref="A1"/>' * (size // 20)
            + b"</hyperlinks>"
        ),
        "unread elements in a row": sheet(b'<row r="1">' + b"<x/>" * (size // 4) + b"</row>"),
        "comments": sheet(one + b"<!---->" * (size // 7)),
        "processing instructions": sheet(one + b"<?x?>" * (size // 5)),
    }


def _pdf() -> dict[str, bytes]:
    pytest.importorskip("pypdfium2")
    from tests.test_parse_pdf import _pdf as one_page
    from tests.test_parse_pdf_hostile import _FONT, _pages

    font = b"<</Font<</F1 5 0 R>>>>"
    glyphs = b"BT /F1 6 Tf 20 150 Td (" + b"1" * 90_000 + b") Tj ET"
    lines = (
        b"BT /F1 6 Tf "
        + b"".join(b"1 0 0 1 10 %d Tm (1) Tj " % (i % 200) for i in range(90_000))
        + b"ET"
    )
    return {
        "many glyphs": one_page(glyphs, resources=font, extra=(_FONT,)),
        "many lines of one glyph": one_page(lines, resources=font, extra=(_FONT,)),
        "many pages": _pages(200),
    }


_PATTERNS: dict[str, Callable[[], dict[str, bytes]]] = {
    "text": _text,
    "html": _html,
    "docx": _docx,
    "xlsx": _xlsx,
    "pdf": _pdf,
}

# The child: warm the reader up (imports, caches), then for each input reset
# the peak, parse, and report the peak over the resident size before.
_CHILD = """
import ctypes, json, sys
import gov_disclosure as gd

try:  # give freed memory back, so that the next parse's pages are new ones
    trim = ctypes.CDLL("libc.so.6").malloc_trim
except (OSError, AttributeError):  # not glibc: the figures may be lower, never higher
    trim = lambda pad: 0

def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) * 1024

warm, *paths = sys.argv[1:]
gd.parse(open(warm, "rb").read())
out = []
for path in paths:
    data = open(path, "rb").read()
    trim(0)
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    before = status("VmRSS:")
    try:
        gd.parse(data, year=2021, agency="某局")
        outcome = "parsed"
    except gd.ParseError as e:
        outcome = str(e)[:80]
    out.append((status("VmHWM:") - before, outcome))
    del data
print(json.dumps(out))
"""


def _uncompressed(data: bytes) -> int:
    """The input's size, a zip counted as its parts expanded."""
    if data[:4] != b"PK\x03\x04":
        return len(data)
    return sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())


@pytest.mark.parametrize("fmt", list(_PATTERNS))
def test_peak_memory(fmt: str, tmp_path: Path) -> None:
    """Every pattern's parse adds at most PER_BYTE times its input (uncompressed) and FIXED to the peak; LEAN ones LEAN_PER_BYTE times."""
    patterns = _PATTERNS[fmt]()
    if fmt == "pdf":
        warm = CORPUS / "pdf" / "013.pdf"
    else:
        rendered = gd.render(gd.AnnualReport(agency="某局", year=2021), fmt)
        warm = tmp_path / f"warm.{fmt}"
        warm.write_bytes(rendered.encode("utf-8") if isinstance(rendered, str) else rendered)
    paths = []
    for i, data in enumerate(patterns.values()):
        path = tmp_path / f"{i}.in"
        path.write_bytes(data)
        paths.append(str(path))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    measured = []
    for path in paths:
        # A child per pattern: after a large parse the allocator keeps pages
        # that the next parse reuses unseen, which would hide its peak.
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(warm), path],
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        measured += json.loads(done.stdout)
    report = []
    for (name, data), (peak, outcome) in zip(patterns.items(), measured, strict=True):
        size = _uncompressed(data)
        report.append((name, size, peak, round(peak / size, 1), outcome))
    print(json.dumps(report, ensure_ascii=False, indent=1))  # the figures, with -s
    over = [r for r in report if r[2] > PER_BYTE * r[1] + FIXED]
    assert over == [], over
    lean = [r for r in report if r[0] in LEAN.get(fmt, ()) and r[2] > LEAN_PER_BYTE * r[1]]
    assert lean == [], lean


def _workbook(sheets: list[bytes]) -> bytes:
    """The rendered filing workbook with its first sheets' data replaced by *sheets* (deflated)."""
    good = gd.render(gd.AnnualReport(agency="某局", year=2021), "xlsx")
    assert isinstance(good, bytes)
    source = zipfile.ZipFile(io.BytesIO(good))
    names = sorted(n for n in source.namelist() if n.startswith("xl/worksheets/sheet"))
    new = {
        n: b"<worksheet " + _S + b"><sheetData>" + s + b"</sheetData></worksheet>"
        for n, s in zip(names, sheets, strict=False)
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n in source.namelist():
            z.writestr(n, new.get(n, source.read(n)))
    return buf.getvalue()


def _numbers(rows: int, width: int = 10) -> bytes:
    """*rows* rows of *width* numeric cells each (distinct numbers, so that they do not compress like a bomb)."""
    out = []
    for r in range(1, rows + 1):
        cells = b"".join(
            b'<c r="%s%d"><v>%d</v></c>' % (_column(c), r, r * 7919 + c)
            for c in range(1, width + 1)
        )
        out.append(b'<row r="%d">' % r + cells + b"</row>")
    return b"".join(out)


class TestWorkbookLimits:
    """A workbook's limits hold for all its sheets together, checked before the sheets are read."""

    def test_parts_together(self) -> None:
        """Two sheets, each under the part limit, over it together: refused before any is parsed."""
        from gov_disclosure.parsers.docx import MAX_PART_BYTES

        rows = MAX_PART_BYTES // 2 // 300 + 100  # about 300 bytes of XML a row
        data = _workbook([_numbers(rows), _numbers(rows)])
        assert len(data) < gd.MAX_INPUT_BYTES
        with pytest.raises(gd.ParseError, match=r"XML parts would expand to \d+ bytes in all"):
            gd.parse(data)

    def test_cells_together(self) -> None:
        """Two sheets of 110,000 non-empty cells each: over the workbook's 200,000."""
        from gov_disclosure.parsers.xlsx import MAX_CELLS

        rows = (MAX_CELLS // 2 + 10_000) // 10
        with pytest.raises(gd.ParseError, match=f"workbook has more than {MAX_CELLS} non-empty"):
            gd.parse(_workbook([_numbers(rows), _numbers(rows)]))


@pytest.mark.parametrize(
    ("fmt", "name"),
    [(fmt, name) for fmt, make in (("docx", _docx), ("xlsx", _xlsx)) for name in make(1024)],
)
def test_zip_cost_grows_linearly(fmt: str, name: str) -> None:
    """
    Word and workbook patterns at 64 KB, 256 KB and 1 MB: linear growth, by ratios.

    The linearity test of the text readers (tests/test_hostile.py) for the
    zip formats; ratios of the best of two runs' CPU time (this process's:
    other work on the machine does not count), not times.
    """
    import contextlib
    import gc
    import time

    make = {"docx": _docx, "xlsx": _xlsx}[fmt]

    def cost(data: bytes) -> float:
        # CPU time, the collector held off (see tests/test_hostile.py's _cost).
        best = float("inf")
        for _ in range(2):
            gc.collect()
            gc.disable()
            try:
                start = time.process_time()
                with contextlib.suppress(gd.ParseError):
                    gd.parse(data, year=2021, agency="某局")
                best = min(best, time.process_time() - start)
            finally:
                gc.enable()
        return best

    small = cost(make(64 * 1024)[name])
    mid = cost(make(256 * 1024)[name])
    big = cost(make(1024 * 1024)[name])
    # Each quadrupling well under 12 times (linear: 4, quadratic: 16); sixteen times under 64.
    assert mid < 12 * max(small, 0.005), (name, small, mid, big)
    assert big < 12 * max(mid, 0.02), (name, small, mid, big)
    assert big < 64 * max(small, 0.005), (name, small, mid, big)
