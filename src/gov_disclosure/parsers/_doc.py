"""
The intermediate form every reader produces and the assembler consumes.

A document is a list of rows in reading order.  A row is either a paragraph
(one cell: a line of text, an HTML ``<p>``, a Word paragraph), a heading (the
same, marked as a heading by the markup), or a row of a table (its cells,
each printed once, in the row where it starts).  Text readers cannot tell a
table row from a paragraph and mark every row ``"line"``.  Each cell carries
its :class:`Location` so that warnings and provenance point back at the
source.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from .._messages import M_
from ..errors import ParseError

__all__ = ["MAX_CELLS", "MAX_TEXT_CHARS", "Location", "Row", "too_long_text", "too_many_cells"]

#: The most cells (table cells, paragraphs, lines) read from one document.
#: Real reports have a few hundred to a few thousand; an input with more is
#: refused while it is read, before the assembler's work on every cell.
MAX_CELLS = 50_000


#: The most characters of text a document's rows may hold, read before the
#: assembler's passes over the whole text (each linear, together about a
#: quarter of a microsecond a character).  A report's text is a few hundred
#: thousand characters at most (a PDF's is bounded at 120,000); 16 MiB of
#: text, within the input limit, took 4 s.
MAX_TEXT_CHARS = 2_000_000


def too_long_text(n: int) -> ParseError:
    """The error for a document whose rows hold more than :data:`MAX_TEXT_CHARS` characters."""
    return ParseError(
        M_(
            "the document's text is {n} characters, more than the {limit} a report's text can be; refused",
            n=n,
            limit=MAX_TEXT_CHARS,
        )
    )


def too_many_cells(where: str | None = None) -> ParseError:
    """The error for a document with more than :data:`MAX_CELLS` cells (*where*: the place it was reached)."""
    return ParseError(
        M_(
            "the document has more than {MAX_CELLS} cells; refused (an annual report has a few thousand at most)",
            MAX_CELLS=MAX_CELLS,
        ),
        location=where,
    )


@frozen(kw_only=True)
class Location:
    """
    Where something is in the source: a line, or a table cell.

    Attributes:
        line: 1-based line of a text source (``None`` for HTML/DOCX tables).
        table: 1-based table number of an HTML or Word source.
        row: 1-based row of that table's grid (every ``<tr>``/``<w:tr>``
            counts, also one whose cells all span down from above).
        column: 1-based column of that table's grid: the logical position
            after expanding the ``colspan``/``rowspan`` (HTML) or
            ``gridSpan``/merged cells (Word) of the cells before and above,
            so every cell of one column of a table has the same column
            whatever its row's label cells span.  For pipe- or
            tab-separated text, the cell within the line.
        paragraph: 1-based paragraph (or block) number of an HTML/Word/PDF
            source outside tables.
        page: 1-based page of a PDF source.
        box: Where on that page the cell is printed: ``(x0, top, x1,
            bottom)`` in PDF points from the page's top left corner (the
            first part, for a cell that runs over a page break).
        sheet: The worksheet of a workbook source (``table`` is then the
            sheet's 1-based position, ``row`` and ``column`` the cell's).
        cell: The cell reference in that sheet, as a spreadsheet shows it
            (``B7``).

    ``str(location)`` reads ``line 12, cell 3``, ``table 2, row 3, column 4``,
    ``page 3, table 2, row 3, column 4`` or ``sheet 表三, cell B7``.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0 ``page`` and ``box`` (PDF).
    .. versionchanged:: 0.1.0 ``sheet`` and ``cell`` (XLSX).
    """

    line: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    paragraph: int | None = None
    page: int | None = None
    box: tuple[float, float, float, float] | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        return ", ".join(self.parts())

    def parts(self) -> list[str]:
        """
        The parts of ``str()`` of this location (``["page 2", "line 12"]``), each a message the command line translates.

        .. versionadded:: 0.1.0
        """
        if self.sheet is not None:
            where = [M_("sheet {sheet}", sheet=self.sheet)]
            return [*where, M_("cell {cell}", cell=self.cell)] if self.cell is not None else where
        parts = []
        if self.page is not None:
            parts.append(M_("page {page}", page=self.page))
        if self.line is not None:
            parts.append(M_("line {line}", line=self.line))
        if self.paragraph is not None:
            parts.append(M_("paragraph {paragraph}", paragraph=self.paragraph))
        if self.table is not None:
            parts.append(M_("table {table}", table=self.table))
        if self.row is not None:
            parts.append(M_("row {row}", row=self.row))
        if self.column is not None:
            if self.line is not None:
                parts.append(M_("cell {cell}", cell=self.column))
            else:
                parts.append(M_("column {column}", column=self.column))
        return parts or [M_("document")]


@frozen
class Row:
    """
    One row of the intermediate form.

    Attributes:
        cells: The cells' text as printed (spaces kept).
        locs: The location of each cell (a tuple, or for HTML tables a
            sequence that lays the table's grid out when first read).
        kind: ``"line"`` (text source), ``"p"`` (paragraph), ``"h"``
            (heading), ``"tr"`` (table row).
    """

    cells: tuple[str, ...]
    locs: Sequence[Location]
    kind: str = "line"
