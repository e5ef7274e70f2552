"""
Write the rendering guide's screenshot of the filing workbook (a manual step, not part of make test).

The picture shows the section 三 sheet of ``render(report, "xlsx",
locale="zh_Hans_CN")`` as LibreOffice Calc prints it, with one identity
broken so that the workbook's conditional formatting marks it red.

The report is drawn from ``gov_disclosure.strategies.reports`` (2021
edition, counts up to 200, a fixed seed: of 50 draws, the one with the most
non-zero cells in section 三).  Then the filer's typical slip is made: in
（一）予以公开 five more applications of natural persons are entered, with
the row's 总计, but （七）总计 is left as it was.  Exactly one identity,
``requests.outcome_total``, is then broken, in the 自然人 and 总计 columns;
the script checks that with :func:`gov_disclosure.check` (its errors; a
soft warning may come too) and prints the findings.

Regenerate (from the repository root, with the ``xlsx``, ``pdf`` and
``hypothesis`` extras installed and LibreOffice on the ``PATH`` as
``soffice``)::

    PYTHONPATH=src python scripts/workbook_screenshot.py [docs/_static/workbook-section3.png]

The workbook is saved with the other sheets hidden (the renderer has made
the rows of long labels taller, since LibreOffice does not fit them) and the
section 三 sheet set to print landscape on one page; ``soffice --headless --convert-to pdf``
prints it (recalculating the conditional formats), pypdfium2 renders the page
and the picture is cropped to the table and written as PNG (by the small
writer below, so that no imaging library is needed).
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import attrs
from hypothesis import HealthCheck, given, seed, settings

import gov_disclosure as gd
from gov_disclosure.strategies import reports

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "_static" / "workbook-section3.png"
#: The broken identity, and how many applications the slip adds.
RULE = "requests.outcome_total"
SLIP = 5
#: Pixels per PDF point (72 per inch): 2 is 144 dpi.
SCALE = 2
#: White margin kept around the table, in pixels.
MARGIN = 12


def valid_report() -> gd.AnnualReport:
    """A seeded 2021 report from the strategies, the one of 50 with the fullest section 三."""
    found: list[gd.AnnualReport] = []

    @seed(2026)
    @settings(max_examples=50, database=None, suppress_health_check=list(HealthCheck))
    @given(reports("2021", text=False, max_count=200))
    def draw(report: gd.AnnualReport) -> None:
        found.append(report)

    draw()
    return max(found, key=lambda r: sum(1 for k, v in gd.cells(r).items() if k[:3] == "t3." and v))


def broken_report() -> gd.AnnualReport:
    """The valid report with the slip: （一）予以公开 grows for natural persons, （七）总计 does not."""
    report = valid_report()
    granted = report.requests.granted
    granted = attrs.evolve(
        granted, natural_person=granted.natural_person + SLIP, total=granted.total + SLIP
    )
    report = attrs.evolve(report, requests=attrs.evolve(report.requests, granted=granted))
    findings = [f for f in gd.check(report) if f.severity is gd.Severity.ERROR]
    rules = {f.rule for f in findings}
    if rules != {RULE}:
        raise SystemExit(f"expected only {RULE} to be broken, got {sorted(rules)}")
    for f in findings:
        print(f"{f.rule}: {f.cells[-1]} expected {f.expected}, found {f.actual}")
    return report


def section3_workbook(report: gd.AnnualReport) -> bytes:
    """The workbook with only the section 三 sheet visible, printed landscape on one page."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(gd.render(report, "xlsx", locale="zh_Hans_CN")))
    (name,) = [n for n in wb.sheetnames if n.startswith("三、")]
    ws = wb[name]
    wb.active = wb.sheetnames.index(name)
    for other in wb.worksheets:
        if other is not ws:
            other.sheet_state = "hidden"
            other.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_pdf(xlsx: bytes, work: Path) -> Path:
    """Print the workbook with LibreOffice headless (its own profile in *work*)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is not on the PATH")
    src = work / "section3.xlsx"
    src.write_bytes(xlsx)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(src),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    return work / "section3.pdf"


def to_png(pdf: Path) -> bytes:
    """The first page rendered, cropped to what is not white, as PNG bytes."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    bitmap = doc[0].render(scale=SCALE, rev_byteorder=True)  # RGB, 3 bytes a pixel
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    buffer = bytes(bitmap.buffer)
    rows = [buffer[y * stride : y * stride + 3 * width] for y in range(height)]
    doc.close()
    inked = [y for y, row in enumerate(rows) if row.strip(b"\xff")]
    if not inked:
        raise SystemExit(f"{pdf} printed an empty page")
    left = min(len(row) - len(row.lstrip(b"\xff")) for row in rows if row.strip(b"\xff")) // 3
    right = max(len(row.rstrip(b"\xff")) for row in rows) // 3
    top, bottom = inked[0], inked[-1] + 1
    x0, x1 = max(left - MARGIN, 0), min(right + MARGIN, width)
    y0, y1 = max(top - MARGIN, 0), min(bottom + MARGIN, height)
    return png(x1 - x0, [row[3 * x0 : 3 * x1] for row in rows[y0:y1]])


def png(width: int, rows: list[bytes]) -> bytes:
    """An 8-bit RGB PNG of *rows* (each ``3 * width`` bytes), filter 0, deflated at level 9."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main(out: Path) -> None:
    report = broken_report()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = to_pdf(section3_workbook(report), Path(tmp))
        data = to_png(pdf)
    out.write_bytes(data)
    print(f"{out}: {len(data) // 1024} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
