"""
The report as a localized document: the one walk every renderer writes out.

A renderer does not walk the report itself: :func:`document` turns a report
into a sequence of blocks (title, headings, paragraphs, tables) in the
official order, with every label translated and every number formatted for
the locale, and the tables laid out by :func:`gov_disclosure.layout`.  Each
format module only decides how a block looks.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from attrs import frozen

from ..catalogue import Edition, catalogue
from ..cells import cells as cell_values
from ..i18n import AMOUNT_WITH_UNIT, FEE_SENTENCES, TITLE, Localizer
from ..layout import TABLES, CellKind, layout
from ..model import AnnualReport, ExtraRow

__all__ = ["Block", "Document", "Heading", "Paragraph", "Section", "Table", "TableCell", "document"]


@frozen
class TableCell:
    """One cell of a rendered table: position, spans, kind and its localized text."""

    row: int
    col: int
    rowspan: int
    colspan: int
    kind: CellKind
    text: str
    #: The cell key of a value cell of the format (``None`` for labels and extra rows).
    key: str | None = None


@frozen
class Table:
    """A rendered table: the layout's cells with text, plus the report's extra rows."""

    key: str
    n_rows: int
    n_cols: int
    label_cols: int
    cells: tuple[TableCell, ...]
    #: Grid rows holding only captions, corners and column headers.
    header_rows: frozenset[int]
    #: Grid rows that are the report's extra rows (after the official rows).
    extra_rows: frozenset[int]
    #: Index of the part each grid row belongs to (section 二 has several).
    row_parts: tuple[int, ...]

    def rows(self) -> list[list[TableCell]]:
        """The cells starting in each grid row, left to right."""
        out: list[list[TableCell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        return out

    def grid(self) -> list[list[TableCell]]:
        """Spans expanded: ``grid()[r][c]`` is the cell covering row *r*, column *c*."""
        out: list[list[TableCell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    out[r][c] = cell
        return [[c for c in row if c is not None] for row in out]


@frozen
class Heading:
    """A subsection heading inside a section (section 一's （一）… headings)."""

    text: str


@frozen
class Paragraph:
    """A paragraph of narrative text, exactly as held by the report."""

    text: str


Block = Heading | Paragraph | Table


@frozen
class Section:
    """One of the six sections: its id (``general``…), official heading and blocks."""

    id: str
    heading: str
    blocks: tuple[Block, ...]


@frozen
class Document:
    """The whole report, localized, in the official order."""

    title: str
    #: BCP 47 language tag of the locale (``zh-Hans-CN``), for ``lang`` attributes.
    lang: str
    edition: Edition
    preamble: tuple[Paragraph, ...]
    sections: tuple[Section, ...]


@functools.cache
def _labels(edition: Edition, table: str, loc: Localizer) -> tuple[tuple[str, ...], Table]:
    """The localized label texts of a layout (cached), and the table with empty values."""
    lay = layout(edition, table)
    cells = tuple(
        TableCell(
            c.row,
            c.col,
            c.rowspan,
            c.colspan,
            c.kind,
            loc.label(c.label) if c.label is not None else "",
            c.key,
        )
        for c in lay.cells
    )
    row_parts = [0] * lay.n_rows
    for c in lay.cells:
        row_parts[c.row] = c.part
    keys = tuple(c.key or "" for c in lay.cells)
    return keys, Table(
        key=table,
        n_rows=lay.n_rows,
        n_cols=lay.n_cols,
        label_cols=lay.label_cols,
        cells=cells,
        header_rows=lay.header_rows(),
        extra_rows=frozenset(),
        row_parts=tuple(row_parts),
    )


def _table(
    report: AnnualReport,
    table: str,
    loc: Localizer,
    values: dict[str, str],
    extra: Sequence[ExtraRow],
) -> Table:
    keys, template = _labels(report.edition, table, loc)
    cells = [
        TableCell(c.row, c.col, c.rowspan, c.colspan, c.kind, values[k], k) if k else c
        for c, k in zip(template.cells, keys, strict=True)
    ]
    n_rows = template.n_rows
    extra_rows: set[int] = set()
    row_parts = list(template.row_parts)
    for row in extra:
        cells.extend(_extra_cells(row, n_rows, template.n_cols, template.label_cols))
        extra_rows.add(n_rows)
        row_parts.append(row_parts[-1])
        n_rows += 1
    return Table(
        key=table,
        n_rows=n_rows,
        n_cols=template.n_cols,
        label_cols=template.label_cols,
        cells=tuple(cells),
        header_rows=template.header_rows,
        extra_rows=frozenset(extra_rows),
        row_parts=tuple(row_parts),
    )


def _extra_cells(row: ExtraRow, r: int, n_cols: int, label_cols: int) -> list[TableCell]:
    """
    An extra row: its label over the row-label columns, then one value per data column.

    Missing values are written as empty cells; values beyond the table's width
    are joined (with spaces) into its last cell, so nothing printed is lost.
    """
    span = max(label_cols, 1)
    width = n_cols - span
    values = list(row.values)
    if len(values) > width:
        values[width - 1 :] = [" ".join(values[width - 1 :])]
    values += [""] * (width - len(values))
    out = [TableCell(r, 0, 1, span, CellKind.ROW_LABEL, row.label)]
    out += [TableCell(r, span + i, 1, 1, CellKind.VALUE, v) for i, v in enumerate(values)]
    return out


def _extra_table(rows: Sequence[ExtraRow]) -> Table:
    """Extra rows naming no official table: a plain table of label and values."""
    n_cols = 1 + max((len(r.values) for r in rows), default=0)
    n_cols = max(n_cols, 2)
    cells: list[TableCell] = []
    for i, row in enumerate(rows):
        cells += _extra_cells(row, i, n_cols, 1)
    return Table(
        key="extra",
        n_rows=len(rows),
        n_cols=n_cols,
        label_cols=1,
        cells=tuple(cells),
        header_rows=frozenset(),
        extra_rows=frozenset(range(len(rows))),
        row_parts=(0,) * len(rows),
    )


_PROCUREMENT = "t2.procurement.amount"


def document(report: AnnualReport, loc: Localizer, *, grouping: bool = True) -> Document:
    """
    Lay out *report* as a localized :class:`Document`.

    Counts and amounts are formatted with :meth:`Localizer.number`; cells
    listed in ``report.blank_cells`` are empty strings.
    """
    blank = report.blank_cells
    values = {
        key: "" if key in blank else loc.number(value, grouping=grouping)
        for key, value in cell_values(report).items()
    }
    procurement = getattr(report.proactive, "procurement", None)
    unit = getattr(procurement, "amount_unit", None)
    if unit and values.get(_PROCUREMENT):
        # The 2019 header leaves the unit open; reports print it in the cell,
        # in the locale's words (元 is "yuan" in English; a unit the catalogue
        # does not know is written as printed).
        values[_PROCUREMENT] = loc.gettext(AMOUNT_WITH_UNIT).format(
            value=values[_PROCUREMENT], unit=loc.gettext(unit)
        )
    extras: dict[str, list[ExtraRow]] = {}
    for row in report.extra_rows:
        extras.setdefault(row.table if row.table in TABLES else "", []).append(row)
    sections = []
    for sdef in catalogue(report.edition).sections:
        blocks: list[Block] = []
        if sdef.id == "general":
            blocks += [Paragraph(p) for p in report.general.paragraphs]
            for sub in report.general.subsections:
                blocks.append(Heading(sub.heading))
                blocks += [Paragraph(p) for p in sub.paragraphs]
        elif sdef.id == "problems":
            blocks += [Paragraph(p) for p in report.problems.paragraphs]
        elif sdef.id == "other_matters":
            blocks += [Paragraph(p) for p in report.other_matters.paragraphs]
            fees = report.other_matters.fees
            if fees is not None:
                for field, message in FEE_SENTENCES:
                    value = getattr(fees, field)
                    if value is not None:
                        text = loc.number(value, grouping=grouping)
                        blocks.append(Paragraph(loc.gettext(message).format(value=text)))
            if "" in extras:
                blocks.append(_extra_table(extras[""]))
        if sdef.table is not None and sdef.table.key in TABLES:
            blocks.append(
                _table(report, sdef.table.key, loc, values, extras.get(sdef.table.key, ()))
            )
        sections.append(Section(sdef.id, loc.label(sdef.heading), tuple(blocks)))
    title = loc.gettext(TITLE).format(agency=report.agency, year=report.year)
    return Document(
        title=title,
        lang=loc.name.replace("_", "-"),
        edition=report.edition,
        preamble=tuple(Paragraph(p) for p in report.preamble),
        sections=tuple(sections),
    )
