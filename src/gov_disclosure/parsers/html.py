"""
Reading HTML pages and fragments (lxml).

Tables become rows of cells, each cell printed once in the row where it
starts (``rowspan``/``colspan`` are not expanded into copies: the assembler
matches by label and order, not by grid position), each located at its
logical grid position (row of the table, column after the spans before and
above it).  Everything outside tables becomes
paragraphs at block boundaries (``<p>``, ``<div>``, ``<br>``...), headings
(``<h1>``-``<h6>``) are marked as such.  Bytes are decoded by the page's
declared charset, else UTF-8, else GB18030 (a superset of GBK and GB2312).

lxml was chosen over selectolax by measurement (``benchmarks/bench_parse.py``
and the performance page): lexbor parses about twice as fast, but this
reader written on it is only about 0.1 ms faster a page (walking lexbor
nodes from Python costs more), it repairs damaged markup differently, and
lxml is already the dependency of the DOCX reader.  Elements may nest up to
:data:`MAX_DEPTH` deep; the walk is iterative, not recursive.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Sequence
from typing import Any, overload

from .._extras import require
from .._messages import M_
from ..errors import ParseError
from ._doc import MAX_CELLS, Location, Row, too_many_cells

__all__ = ["decode_html", "read_html"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_SURROGATE = re.compile("[\ud800-\udfff]")
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
        ParseError: the markup cannot be parsed at all, or is nested more
            deeply than the HTML parser reads (:data:`MAX_DEPTH` elements).
    """
    etree = require("lxml.etree", extra="html", feature=M_("parsing HTML"))

    text = _XML_DECL.sub("", source)
    if _SURROGATE.search(text) is not None:
        # lxml stops reading a str at a lone surrogate: what follows would be lost.
        text = _SURROGATE.sub("\ufffd", text)
    if not text or text.isspace():
        raise ParseError(M_("the HTML input is empty"))
    parser, _ = _lxml()
    try:
        # lxml.html.document_fromstring, with plain elements: lxml.html's
        # element classes cost a Python call for every element touched.
        root = etree.fromstring(text, parser)
        if root is None:
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, ValueError) as e:
        raise ParseError(M_("unreadable HTML: {e}", e=e)) from None
    for error in parser.error_log:
        if "excessive depth" in error.message.lower():
            # libxml2 stops reading there: what follows would be lost.
            limit = re.search(r"\d+", error.message)
            raise ParseError(
                M_(
                    "the HTML is nested too deeply to read: more than {depth} elements inside one another at line {line}; everything after that point would be lost",
                    depth=limit.group() if limit else MAX_DEPTH,
                    line=error.line,
                )
            )
    # Spans are looked for only on pages that have them (a plain search first).
    out = _Walker(spans="span" in text or _SPANS.search(text) is not None)
    out.walk(root)
    out.flush()
    return out.rows


#: The deepest nesting of elements read (libxml2's limit with ``huge_tree``);
#: a page nested more deeply is refused with a :class:`ParseError`.
MAX_DEPTH = 2048
#: The largest ``colspan`` and ``rowspan`` honoured (as browsers clamp them).
_MAX_COLSPAN = 1000
_MAX_ROWSPAN = 65534
#: The most span bookkeeping (cells spanning down, checked row by row) done
#: for one table; beyond it the rest of the table is numbered as printed.
_MAX_GRID_WORK = 200_000
_SPANS = re.compile(r"(?:col|row)span", re.I)
_CELL_TAGS = ("td", "th")


class _Walker:
    def __init__(self, *, spans: bool = True) -> None:
        self.rows: list[Row] = []
        self.buf: list[str] = []
        self.heading = False
        self.tables = 0
        self.paragraphs = 0
        # Whether the page has colspan/rowspan attributes at all.
        self.spans = spans
        self.cells = 0

    def count(self, cells: int, where: str) -> None:
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise too_many_cells(where)

    def flush(self) -> None:
        if self.buf:
            text = "".join(self.buf).strip()
            self.buf = []
            if text:
                self.paragraphs += 1
                self.count(1, f"paragraph {self.paragraphs}")
                self.rows.append(
                    Row(
                        (text,),
                        (Location(paragraph=self.paragraphs),),
                        "h" if self.heading else "p",
                    )
                )

    def walk(self, root: Any) -> None:
        """
        Read the tree in document order: text between block boundaries, and tables.

        Iterative, not recursive: a page may nest elements up to
        :data:`MAX_DEPTH` deep, more than Python's recursion limit.
        """
        # A stack of what is left to do: an element to read, a tail text to
        # append (str), or the end of a block element (None).
        stack: list[Any] = [root]
        buf = self.buf
        while stack:
            item = stack.pop()
            if item is None:
                self.flush()
                buf = self.buf
                self.heading = False
                continue
            if isinstance(item, str):
                buf.append(item)
                continue
            tag = item.tag
            if type(tag) is not str:
                continue  # a comment or processing instruction (its tail is on the stack)
            tag = tag.lower()
            if tag in _SKIP:
                continue
            if tag == "table":
                self.flush()
                buf = self.buf
                self.table(item)
                continue
            if tag == "br":
                self.flush()
                buf = self.buf
                continue
            if tag in _BLOCK:
                self.flush()
                buf = self.buf
                self.heading = tag in _HEADING
                stack.append(None)
            if item.text:
                buf.append(item.text)
            for child in reversed(item):
                tail = child.tail
                if tail:
                    stack.append(tail)
                stack.append(child)

    def table(self, table: Any) -> None:
        """
        The rows of *table* (not of tables nested in its cells), each cell located in the grid.

        Cells are printed once, in the row where they start; their location
        is the logical grid position: the row of the table (every ``<tr>``
        counts) and the column after expanding the ``colspan`` and
        ``rowspan`` of the cells before and above.
        """
        self.tables += 1
        nested = table.find(".//table") is not None
        string = _lxml()[1]
        with_spans = self.spans
        rows = self.rows
        # Locations are made when asked (for provenance and warnings), so
        # the grid is laid out only then, from the span attributes kept here.
        grid = _Grid(self.tables)
        n = 0
        for tr in table.iter("tr"):
            # Rows of a nested table are read with their own table.
            if nested and _owner(tr) is not table:
                continue
            n += 1
            cells = list(tr.iterchildren(*_CELL_TAGS))
            if not cells:
                continue
            self.count(len(cells), f"table {self.tables}, row {n}")
            texts = []
            for c in cells:
                # The cell's string value (all the text inside it), without the
                # XPath call in the common cases: no child element, or one
                # (a <p>, a <span>) without children of its own.
                size = len(c)
                if not size:
                    value = c.text or ""
                elif size == 1 and type((inner := c[0]).tag) is str and not len(inner):
                    value = (c.text or "") + (inner.text or "") + (inner.tail or "")
                else:
                    value = string(c)
                texts.append(" ".join(value.split()))
            spans = [(c.get("colspan"), c.get("rowspan")) for c in cells] if with_spans else None
            rows.append(Row(tuple(texts), grid.add(n, len(cells), spans), "tr"))


class _Grid:
    """The rows of one table and their cells' grid locations, laid out when first asked."""

    def __init__(self, table: int) -> None:
        self.table = table
        # Per printed row: its row number, cell count and the cells' (colspan, rowspan).
        self.rows: list[tuple[int, int, list[tuple[str | None, str | None]] | None]] = []
        self._locs: list[tuple[Location, ...]] | None = None

    def add(self, row: int, cells: int, spans: list[tuple[str | None, str | None]] | None) -> Any:
        """Register a printed row; returns its cells' locations (a lazy sequence)."""
        self.rows.append((row, cells, spans))
        return _GridLocs(self, len(self.rows) - 1, cells)

    def locs(self, index: int) -> tuple[Location, ...]:
        """The locations of the cells of printed row *index*."""
        if self._locs is None:
            self._locs = self._layout()
        return self._locs[index]

    def _layout(self) -> list[tuple[Location, ...]]:
        table = self.table
        # Cells spanning down from rows above: (first column, last column, last row).
        above: list[tuple[int, int, int]] = []
        work = 0
        out = []
        for row, cells, spans in self.rows:
            if spans is not None and (above or any(w or h for w, h in spans)):
                work += len(above) + cells
                if work > _MAX_GRID_WORK:
                    # An absurd table (thousands of cells spanning down at
                    # once): its remaining rows are numbered as printed, in
                    # bounded time.
                    above.clear()
                    spans = None
            if spans is not None and (above or any(w or h for w, h in spans)):
                columns: Any = _grid_columns(spans, row, above)
            else:
                columns = range(1, cells + 1)
            out.append(tuple([_cell_loc(table, row, c) for c in columns]))
        return out


class _GridLocs(Sequence[Location]):
    """The locations of one row's cells, from its table's :class:`_Grid` (equal to the tuple of them)."""

    __slots__ = ("_grid", "_index", "_len")

    def __init__(self, grid: _Grid, index: int, length: int) -> None:
        self._grid, self._index, self._len = grid, index, length

    @overload
    def __getitem__(self, i: int) -> Location: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[Location, ...]: ...
    def __getitem__(self, i: int | slice) -> Location | tuple[Location, ...]:
        return self._grid.locs(self._index)[i]

    def __len__(self) -> int:
        return self._len

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (_GridLocs, tuple)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))


_SPAN_VALUE = re.compile(r"\s*\+?(\d+)")


def _span(value: str | None, most: int) -> int:
    """A colspan or rowspan attribute, as browsers read it (junk is 1, too large is clamped)."""
    if value is None:
        return 1
    digits = _SPAN_VALUE.match(value)
    if digits is None:
        return 1
    number = digits.group(1).lstrip("0")
    if len(number) > len(str(most)):
        return most  # clamped before int(): a huge digit string is slow, or over Python's limit
    return max(1, min(int(number or "0"), most))


def _grid_columns(
    spans: list[tuple[str | None, str | None]], row: int, above: list[tuple[int, int, int]]
) -> list[int]:
    """
    The 1-based grid column of each cell of *row*, skipping columns that cells above span into.

    *spans* holds each cell's ``colspan`` and ``rowspan`` attributes; *above*
    (first column, last column, last row of each cell spanning down) is
    updated with this row's cells.
    """
    above[:] = [span for span in above if span[2] >= row]
    taken = sorted(above)  # by first column: passed once, left to right
    i, ntaken = 0, len(taken)
    out = []
    column = 1
    for colspan, rowspan in spans:
        while i < ntaken and taken[i][0] <= column:
            column = max(column, taken[i][1] + 1)
            i += 1
        out.append(column)
        width = 1 if colspan is None else _span(colspan, _MAX_COLSPAN)
        if rowspan is not None:
            height = _span(rowspan, _MAX_ROWSPAN)
            if height > 1:
                above.append((column, column + width - 1, row + height - 1))
        column += width
    return out


_LOCAL = threading.local()


def _lxml() -> tuple[Any, Any]:
    """
    The HTML parser (as lxml.html's, without its element classes) and the cell-text XPath.

    One pair per thread: a parser's error log (read after each parse) and
    an XPath evaluator are not to be shared between threads.
    """
    tools: tuple[Any, Any] | None = getattr(_LOCAL, "tools", None)
    if tools is None:
        etree = require("lxml.etree", extra="html", feature=M_("parsing HTML"))

        # huge_tree: read elements nested up to MAX_DEPTH deep (256 otherwise);
        # the input size is bounded by MAX_INPUT_BYTES before parsing.
        tools = _LOCAL.tools = (
            etree.HTMLParser(huge_tree=True),
            etree.XPath("string()", smart_strings=False),
        )
    return tools


@functools.lru_cache(maxsize=8192)
def _cell_loc(table: int, row: int, column: int) -> Location:
    """The (immutable, so shared) location of a table cell."""
    return Location(table=table, row=row, column=column)


def _owner(tr: Any) -> Any:
    p = tr.getparent()
    while p is not None and (not isinstance(p.tag, str) or p.tag.lower() != "table"):
        p = p.getparent()
    return p
