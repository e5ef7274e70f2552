"""The rendering guide's workbook screenshot script (``scripts/workbook_screenshot.py``)."""

from __future__ import annotations

import importlib.util
import io
import shutil
import struct
import zlib
from pathlib import Path
from types import ModuleType

import pytest

import gov_disclosure as gd

pytest.importorskip("hypothesis")
openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def script() -> ModuleType:
    """The script, imported from its file (scripts/ is not a package)."""
    path = ROOT / "scripts" / "workbook_screenshot.py"
    spec = importlib.util.spec_from_file_location("workbook_screenshot", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def broken(script: ModuleType) -> gd.AnnualReport:
    report: gd.AnnualReport = script.broken_report()
    return report


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        out.append((kind, body))
        at += 12 + length
    return out


def test_png_holds_the_pixels_it_was_given(script: ModuleType) -> None:
    rows = [bytes([255, 0, 0, 0, 255, 0, 1, 2, 3]), bytes([9, 8, 7, 6, 5, 4, 3, 2, 1])]
    chunks = _chunks(script.png(3, rows))
    assert [k for k, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    assert (width, height, depth, colour) == (3, 2, 8, 2)
    assert zlib.decompress(chunks[1][1]) == b"\x00" + rows[0] + b"\x00" + rows[1]


def test_exactly_the_outcome_total_is_broken_in_two_columns(broken: gd.AnnualReport) -> None:
    errors = [f for f in gd.check(broken) if f.severity is gd.Severity.ERROR]
    assert {f.rule for f in errors} == {"requests.outcome_total"}
    assert sorted(f.cells[-1] for f in errors) == [
        "t3.total_processed.natural_person",
        "t3.total_processed.total",
    ]
    # （七）总计 was left as it was: five short of the outcomes in both columns
    assert [int(str(f.expected)) - int(str(f.actual)) for f in errors] == [5, 5]


def test_only_section_three_is_shown_and_long_labels_get_taller_rows(
    script: ModuleType, broken: gd.AnnualReport
) -> None:
    """Only section 三 is visible; the renderer made the rows of long labels taller, not short ones."""
    wb = openpyxl.load_workbook(io.BytesIO(script.section3_workbook(broken)))
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert len(visible) == 1
    assert visible[0].startswith("三、")
    assert wb.active.title == visible[0]
    ws = wb[visible[0]]
    heights = {
        cell.row: ws.row_dimensions[cell.row].height
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    long_rows = [r for r, h in heights.items() if h is not None and h > 15]
    assert long_rows, "no row was made taller"
    short = [
        cell.row
        for row in ws.iter_rows()
        for cell in row
        if cell.value == "3.其他"  # a short label: its row keeps the default height
    ]
    assert short
    assert all(ws.row_dimensions[r].height is None for r in short)


@pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is absent: the screenshot is printed by it",
)
def test_the_printed_sheet_shows_the_red_marking(
    script: ModuleType, broken: gd.AnnualReport, tmp_path: Path
) -> None:
    pytest.importorskip("pypdfium2")
    pdf = script.to_pdf(script.section3_workbook(broken), tmp_path)
    chunks = dict(_chunks(script.to_png(pdf)))
    width = struct.unpack(">I", chunks[b"IHDR"][:4])[0]
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + 3 * width
    pixels = b"".join(raw[i + 1 : i + stride] for i in range(0, len(raw), stride))
    fill = bytes.fromhex("FFC7CE")  # the renderer's fill of a broken cell
    marked = sum(1 for i in range(0, len(pixels), 3) if pixels[i : i + 3] == fill)
    assert marked > 1000, "the broken cells are not printed red"
