"""
Reading HTML pages and fragments (lxml).

Tables become rows of cells, each cell printed once in the row where it
starts (``rowspan``/``colspan`` are not expanded: the assembler matches by
label and order, not by grid position).  Everything outside tables becomes
paragraphs at block boundaries (``<p>``, ``<div>``, ``<br>``...), headings
(``<h1>``-``<h6>``) are marked as such.  Bytes are decoded by the page's
declared charset, else UTF-8, else GB18030 (a superset of GBK and GB2312).

lxml was chosen over selectolax by measurement (see
``benchmarks/bench_parse.py`` and the performance page): on our pages the
two parse about equally fast and lxml is already the dependency of the DOCX
reader.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ..errors import ParseError
from ._doc import Location, Row

__all__ = ["decode_html", "read_html"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)

_BLOCK = frozenset(
    {
        *("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section"),
        *("article", "header", "footer", "main", "blockquote", "pre", "dd", "dt", "dl"),
        *("center", "body", "html", "form", "fieldset", "address", "figure", "figcaption"),
        *("caption", "nav", "aside"),
    }
)
_HEADING = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP = frozenset({"script", "style", "head", "title", "noscript", "template"})


def decode_html(data: bytes) -> str:
    """
    Decode HTML bytes: the declared charset, else UTF-8, else GB18030.

    >>> decode_html('<meta charset="gbk"><p>规章</p>'.encode("gbk"))[-9:]
    '<p>规章</p>'
    """
    m = _CHARSET.search(data[:4096])
    codecs = []
    if m:
        name = m.group(1).decode("ascii", "replace").lower()
        codecs.append("gb18030" if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk") else name)
    codecs += ["utf-8", "gb18030"]
    for codec in codecs:
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")  # pragma: no cover -- gb18030 decodes almost anything


def read_html(source: str) -> list[Row]:
    """
    Turn an HTML page or fragment into rows.

    >>> rows = read_html("<p>一、总体情况</p><table><tr><td>规章</td><td>1</td></tr></table>")
    >>> [(r.kind, r.cells) for r in rows]
    [('p', ('一、总体情况',)), ('tr', ('规章', '1'))]

    Raises:
        ParseError: the markup cannot be parsed at all.
    """
    import lxml.etree  # type: ignore[import-untyped]  # no stubs for lxml

    text = _XML_DECL.sub("", source)
    if not text.strip():
        raise ParseError("the HTML input is empty")
    parser, _ = _lxml()
    try:
        # lxml.html.document_fromstring, with plain elements: lxml.html's
        # element classes cost a Python call for every element touched.
        root = lxml.etree.fromstring(text, parser)
        if root is None:
            raise lxml.etree.ParserError("Document is empty")
    except (lxml.etree.ParserError, ValueError) as e:
        raise ParseError(f"unreadable HTML: {e}") from None
    out = _Walker()
    out.walk(root)
    out.flush()
    return out.rows


class _Walker:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.buf: list[str] = []
        self.heading = False
        self.tables = 0
        self.paragraphs = 0

    def flush(self) -> None:
        if self.buf:
            text = "".join(self.buf).strip()
            self.buf = []
            if text:
                self.paragraphs += 1
                self.rows.append(
                    Row(
                        (text,),
                        (Location(paragraph=self.paragraphs),),
                        "h" if self.heading else "p",
                    )
                )

    def text(self, s: str | None) -> None:
        if s:
            self.buf.append(s)

    def walk(self, el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIP or not isinstance(el.tag, str):
            return
        if tag == "table":
            self.flush()
            self.table(el)
            return
        if tag == "br":
            self.flush()
            return
        block = tag in _BLOCK
        if block:
            self.flush()
            self.heading = tag in _HEADING
        self.text(el.text)
        for child in el:
            self.walk(child)
            self.text(child.tail)
        if block:
            self.flush()
            self.heading = False

    def table(self, table: Any) -> None:
        self.tables += 1
        n = 0
        for tr in table.iter("tr"):
            # Rows of a nested table are read with their own table.
            if _owner(tr) is not table:
                continue
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
            if not cells:
                continue
            n += 1
            # A cell without child elements is its .text: no XPath call.
            string = _lxml()[1]
            texts = tuple(" ".join((string(c) if len(c) else c.text or "").split()) for c in cells)
            locs = tuple(_cell_loc(self.tables, n, i + 1) for i in range(len(cells)))
            self.rows.append(Row(texts, locs, "tr"))


@functools.cache
def _lxml() -> tuple[Any, Any]:
    """The HTML parser (as lxml.html's, without its element classes) and the cell-text XPath."""
    import lxml.etree

    return lxml.etree.HTMLParser(), lxml.etree.XPath("string()", smart_strings=False)


@functools.lru_cache(maxsize=8192)
def _cell_loc(table: int, row: int, column: int) -> Location:
    """The (immutable, so shared) location of a table cell."""
    return Location(table=table, row=row, column=column)


def _owner(tr: Any) -> Any:
    p = tr.getparent()
    while p is not None and (not isinstance(p.tag, str) or p.tag.lower() != "table"):
        p = p.getparent()
    return p
