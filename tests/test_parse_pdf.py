"""Reading PDF reports: the text layer rebuilt into rows by its geometry, and every bad PDF refused clearly."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure.parsers import pdf as pdf_reader

from .conftest import CORPUS

PDF_013 = CORPUS / "pdf" / "013.pdf"


def _pdf(
    content: bytes,
    resources: bytes = b"<<>>",
    extra: tuple[bytes, ...] = (),
    trailer: bytes = b"",
    stream_dict: bytes = b"",
) -> bytes:
    """
    A minimal one-page PDF with *content* as its page's content stream (object 4), and a correct xref.

    *extra* objects are numbered from 5; *trailer* goes into the trailer
    dictionary, *stream_dict* into the content stream's (``/Filter/FlateDecode``).
    """
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Resources "
        + resources
        + b"/Contents 4 0 R>>",
        b"<</Length %d%s>>stream\n" % (len(content), stream_dict) + content + b"\nendstream",
        *extra,
    ]
    return _pdf_file(objects, trailer)


def _pdf_file(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of *objects* (numbered from 1, the catalogue first) with a correct xref; *trailer* goes into its dictionary."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


@pytest.fixture(scope="module")
def parsed() -> gd.Parsed:
    return gd.parse(PDF_013)


class TestRealPdf:
    def test_sniffed_from_the_bytes(self) -> None:
        """A PDF is recognised by its header, whatever its file name."""
        assert gd.sniff(PDF_013.read_bytes()) == "pdf"

    def test_title_and_edition(self, parsed: gd.Parsed) -> None:
        """The title (agency, year) and the edition come from the text layer."""
        assert (parsed.report.agency, parsed.report.year) == ("淮安市洪泽区人民政府", 2024)
        assert parsed.report.edition is gd.Edition.V2021

    def test_provenance_has_page_and_box(self, parsed: gd.Parsed) -> None:
        """Every table cell's location names its page and its box on that page, in points."""
        loc = parsed.provenance["t3.granted.total"]
        assert loc.page is not None
        assert loc.box is not None
        x0, top, x1, bottom = loc.box
        assert 0 <= x0 < x1 <= 600
        assert 0 <= top < bottom <= 850
        assert str(loc).startswith(f"page {loc.page}, table ")

    def test_table_over_a_page_break_is_one_table(self, parsed: gd.Parsed) -> None:
        """Section 三 runs over two pages and is read as one table, its row numbers going on."""
        first = parsed.provenance["t3.new_received.total"]
        last = parsed.provenance["t3.carried_forward.total"]
        assert first.page is not None
        assert last.page is not None
        assert last.page == first.page + 1
        assert first.table == last.table
        assert last.row is not None
        assert first.row is not None
        assert last.row > first.row

    def test_page_numbers_are_not_values(self, parsed: gd.Parsed) -> None:
        """Page numbers ("- 2 -") are page furniture: no stray value and no paragraph holds one."""
        texts = [*parsed.report.preamble, *parsed.report.problems.paragraphs]
        assert not any(t.strip(" -—").isdigit() for t in texts)
        stray = [w for w in parsed.warnings if w.code == "stray_values"]
        assert all("- " not in w.message for w in stray)

    def test_no_false_findings(self, parsed: gd.Parsed) -> None:
        """The identities of the real report hold once read (its ground truth lists no violation)."""
        assert [f for f in gd.check(parsed.report) if f.severity is gd.Severity.ERROR] == []

    def test_check_cli(self, capsys: pytest.CaptureFixture[str]) -> None:
        """gov-disclosure check reads a PDF like any other report."""
        from gov_disclosure.cli import main

        assert main(["check", str(PDF_013)]) == 0


class TestText:
    _FONTS = b"<</Font<</F1 5 0 R/F2 6 0 R>>>>"
    _EXTRA = (
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica-Bold>>",
    )

    def test_bold_paragraph_is_a_heading(self) -> None:
        """A paragraph all in a bold face is a heading row (as a DOCX heading style); the rest are paragraphs."""
        content = (
            b"BT /F2 12 Tf 20 150 Td (Work done) Tj ET "
            b"BT /F1 12 Tf 20 120 Td (We did it.) Tj ET "
            b"BT /F1 12 Tf 20 90 Td (Partly ) Tj /F2 12 Tf (bold) Tj ET"
        )
        rows = pdf_reader.read_pdf(_pdf(content, resources=self._FONTS, extra=self._EXTRA))
        assert [(r.kind, r.cells) for r in rows] == [
            ("h", ("Work done",)),
            ("p", ("We did it.",)),
            ("p", ("Partly bold",)),
        ]

    def test_printed_space_narrower_than_the_gap_rule(self) -> None:
        """Helvetica's space (0.28 em of a 1.15 em line) is kept: a printed space is a space."""
        rows = pdf_reader.read_pdf(
            _pdf(b"BT /F1 12 Tf 20 150 Td (a b c) Tj ET", resources=self._FONTS, extra=self._EXTRA)
        )
        assert [r.cells for r in rows] == [("a b c",)]


class TestBadPdf:
    def test_truncated(self) -> None:
        """A damaged PDF is a located ParseError, not a crash."""
        data = PDF_013.read_bytes()[:5000]
        with pytest.raises(gd.ParseError, match="PDF"):
            gd.parse(data)

    def test_header_only(self) -> None:
        """Bytes that only start like a PDF are refused as not a readable PDF."""
        with pytest.raises(gd.ParseError, match="not a readable PDF"):
            gd.parse(b"%PDF-1.7\nnothing else")

    def test_no_text(self) -> None:
        """A PDF with drawings and no text says it has no text."""
        with pytest.raises(gd.ParseError, match="no text"):
            gd.parse(_pdf(b"10 10 m 190 190 l S"))

    def test_scan_says_ocr(self) -> None:
        """A PDF of images without a text layer (a scan) says so and what to do."""
        image = b"<</Type/XObject/Subtype/Image/Width 1/Height 1/ColorSpace/DeviceGray/BitsPerComponent 8/Length 1>>stream\n\x80\nendstream"
        data = _pdf(
            b"q 100 0 0 100 50 50 cm /Im1 Do Q",
            resources=b"<</XObject<</Im1 5 0 R>>>>",
            extra=(image,),
        )
        with pytest.raises(gd.ParseError, match=r"no text layer.*OCR"):
            gd.parse(data)

    def test_too_many_pages(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A PDF with more pages than any report is refused before its pages are read."""
        monkeypatch.setattr(pdf_reader._extract, "MAX_PAGES", 2)
        with pytest.raises(gd.ParseError, match="5 pages"):
            gd.parse(PDF_013)

    def test_str_is_refused(self) -> None:
        """A PDF must come as bytes or a path: a str cannot hold one."""
        with pytest.raises(gd.ParseError, match="bytes or a path"):
            gd.parse("%PDF-1.7 text", format="pdf")

    def test_missing_extra_names_it(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """Without the pdf extra, parsing a PDF is one MissingExtraError naming the extra."""
        monkeypatch.setitem(sys.modules, "pypdfium2", None)
        with pytest.raises(gd.MissingExtraError, match=r"gov-disclosure\[pdf\]"):
            gd.parse(PDF_013)
