"""
Parsing speed: reports per second per format, and the time split between the HTML library and our code.

The page is a corpus-sized report (every cell filled, about ten paragraphs,
rendered with ``gd.render``: about the size of the corpus's 001.html) plus the
real 001.html itself.  Group ``parse-html`` times, in the same run:

* ``lxml`` and ``selectolax`` parsing the page alone (the libraries' floor),
* each library parsing the page *and* pulling out the rows of cells our
  reader needs (the fair comparison for picking the library),
* ``gov_disclosure.parse`` end to end (lxml, our reader, the assembler).

Targets: at least 300 HTML reports/s on one core, and ``parse`` no worse
than 2x the raw HTML library parse.  Text, run-together text and DOCX are
timed for reference.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

import gov_disclosure as gd
from gov_disclosure._parse.html import read_html

from .bench_render import large_report

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@functools.cache
def page() -> str:
    out = gd.render(large_report(), "html", standalone=True)
    assert isinstance(out, str)
    return out


def _lxml_rows(html: str) -> list[list[str]]:
    import lxml.html

    root = lxml.html.document_fromstring(html)
    return [
        [" ".join(c.text_content().split()) for c in tr if c.tag in ("td", "th")]
        for tr in root.iter("tr")
    ]


def _selectolax_rows(html: str) -> list[list[str]]:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    return [
        [" ".join(c.text().split()) for c in tr.iter() if c.tag in ("td", "th")]
        for tr in tree.css("tr")
    ]


class TestHtml:
    """Group parse-html: the libraries against our parser on the same page."""

    @pytest.mark.benchmark(group="parse-html")
    def test_lxml_parse_only(self, benchmark: Any) -> None:
        import lxml.html

        html = page()
        benchmark(lxml.html.document_fromstring, html)

    @pytest.mark.benchmark(group="parse-html")
    def test_selectolax_parse_only(self, benchmark: Any) -> None:
        from selectolax.lexbor import LexborHTMLParser

        html = page()
        benchmark(LexborHTMLParser, html)

    @pytest.mark.benchmark(group="parse-html")
    def test_lxml_rows(self, benchmark: Any) -> None:
        html = page()
        assert benchmark(_lxml_rows, html)

    @pytest.mark.benchmark(group="parse-html")
    def test_selectolax_rows(self, benchmark: Any) -> None:
        html = page()
        assert _selectolax_rows(html) == _lxml_rows(html)
        benchmark(_selectolax_rows, html)

    @pytest.mark.benchmark(group="parse-html")
    def test_our_reader(self, benchmark: Any) -> None:
        """Our HTML reader alone (lxml + turning the tree into rows)."""
        html = page()
        benchmark(read_html, html)

    @pytest.mark.benchmark(group="parse-html")
    def test_parse_html(self, benchmark: Any) -> None:
        html = page()
        report = large_report()
        result = benchmark(gd.parse, html)
        assert gd.cells(result.report) == gd.cells(report)

    @pytest.mark.benchmark(group="parse-html")
    def test_parse_corpus_001(self, benchmark: Any) -> None:
        path = CORPUS / "001.html"
        if not path.is_file():
            pytest.skip("the shared corpus is absent")
        html = path.read_text(encoding="utf-8")
        benchmark(gd.parse, html)


class TestOtherFormats:
    """Group parse-formats: the same report in each format, and a run-together archive page."""

    @pytest.mark.benchmark(group="parse-formats")
    @pytest.mark.parametrize("fmt", ["text", "markdown", "docx"])
    def test_parse(self, benchmark: Any, fmt: str) -> None:
        data = gd.render(large_report(), fmt)
        result = benchmark(gd.parse, data)
        assert gd.cells(result.report) == gd.cells(large_report())

    @pytest.mark.benchmark(group="parse-formats")
    def test_parse_run_together(self, benchmark: Any) -> None:
        path = CORPUS / "008.txt"
        if not path.is_file():
            pytest.skip("the shared corpus is absent")
        text = path.read_text(encoding="utf-8")
        benchmark(gd.parse, text)
