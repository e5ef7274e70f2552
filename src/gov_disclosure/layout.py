"""
The official tables as grids of cells with row and column spans.

Renderers write a table and parsers recognise one; both need the same picture
of it: which label sits in which row and column, what it spans, and where each
numeric cell goes.  This module derives that picture from the catalogue
(:func:`gov_disclosure.catalogue`), so no renderer or parser spells out a
table's shape again.

How a table is laid out (the national format's own arrangement):

* Each part of a table is laid out in turn, top to bottom.  A part with a
  caption (section 二's 第二十条第（一）项 ...) starts with a caption row
  spanning the full width.
* The header rows come from the columns' label paths: a label shared by
  adjacent columns spans them; a column whose path is shorter than the
  deepest one stretches the shallowest label that belongs to it alone down
  over the missing levels (section 三's 自然人 and 总计 span down; section
  四's 行政复议 spans two header rows over its five leaves).
* The row-label columns come from the rows' label paths in the same way,
  transposed: a group label (三、本年度办理结果, （三）不予公开 ...) spans its
  rows; a row with a shorter path spans the label columns to the right.
* The corner (the part's ``corner`` label, 信息内容 or section 三's 勾稽关系
  note) covers the header rows above the row-label columns.
* A part narrower than the table (section 二's one-column parts) lets its last
  column's header and value cells span the remaining width.

>>> lay = layout("2021", "t3")
>>> lay.n_rows, lay.n_cols
(28, 10)
>>> corner = lay.grid()[0][0]
>>> (corner.kind, corner.rowspan, corner.colspan)
(<CellKind.CORNER: 'corner'>, 3, 3)
>>> lay.grid()[3][3].key
't3.new_received.natural_person'

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence

import attrs
from attrs import frozen

from .catalogue import ColumnDef, Edition, Label, PartDef, RowDef, catalogue
from .errors import GovDisclosureError

__all__ = ["TABLES", "CellKind", "Layout", "LayoutCell", "layout"]

#: The official tables that have a layout, in reading order.
TABLES: tuple[str, ...] = ("t2", "t3", "t4")


class CellKind(str, enum.Enum):
    """
    What a cell of a layout holds.

    A ``str`` enum, so ``cell.kind == "value"`` works.

    .. versionadded:: 0.1.0
    """

    #: A part caption spanning the table (section 二's 第二十条第（一）项).
    CAPTION = "caption"
    #: The top-left cell over the row-label columns (信息内容, the 勾稽关系 note).
    CORNER = "corner"
    #: A column header label.
    HEADER = "header"
    #: A row label (a group label or a row's own label).
    ROW_LABEL = "row_label"
    #: A numeric cell of the format, with a cell key.
    VALUE = "value"


@frozen(kw_only=True)
class LayoutCell:
    """
    One cell of a :class:`Layout`: its top-left position, spans and content.

    Attributes:
        row: Zero-based top row.
        col: Zero-based left column.
        rowspan: Number of grid rows covered (at least 1).
        colspan: Number of grid columns covered (at least 1).
        kind: What the cell holds.
        label: The official label for a caption, corner, header or row label
            cell (``None`` for a value cell, and for a corner the format
            leaves empty).
        key: The cell key (``t3.deny.state_secret.total``) of a value cell,
            ``None`` otherwise.
        part: Index of the table part (in ``TableDef.parts``) the cell
            belongs to.

    .. versionadded:: 0.1.0
    """

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    kind: CellKind
    label: Label | None = None
    key: str | None = None
    part: int = 0

    @property
    def text(self) -> str:
        """The Simplified Chinese label of the cell, or ``""`` (value cells, empty corners)."""
        return self.label.zh if self.label is not None else ""


@frozen(kw_only=True)
class Layout:
    """
    The grid of one official table of one edition.

    ``cells`` lists every cell once, in reading order (top to bottom, left to
    right by top-left corner); together they cover the ``n_rows`` x
    ``n_cols`` grid exactly, without overlap.

    Attributes:
        edition: The edition.
        table: The table key (``t2``, ``t3`` or ``t4``).
        n_rows: Number of grid rows.
        n_cols: Number of grid columns.
        label_cols: Number of row-label columns at the left (0 in section 四).
        cells: The cells in reading order.

    .. versionadded:: 0.1.0
    """

    edition: Edition
    table: str
    n_rows: int
    n_cols: int
    label_cols: int
    cells: tuple[LayoutCell, ...]
    _grid: tuple[tuple[LayoutCell, ...], ...] = attrs.field(eq=False, repr=False, alias="_grid")

    def grid(self) -> list[list[LayoutCell]]:
        """
        Return the grid with spans expanded: ``grid()[r][c]`` is the cell covering row *r*, column *c*.

        A spanning cell appears at every position it covers (the same object).
        """
        return [list(row) for row in self._grid]

    def rows(self) -> list[list[LayoutCell]]:
        """
        Return, per grid row, the cells whose top row it is, left to right.

        This is the shape HTML and DOCX tables are written in (a cell is
        emitted once, in its first row).
        """
        out: list[list[LayoutCell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        return out

    def header_rows(self) -> frozenset[int]:
        """Return the grid rows that hold only captions, corners and column headers."""
        data = {c.row for c in self.cells if c.kind in (CellKind.VALUE, CellKind.ROW_LABEL)}
        return frozenset(range(self.n_rows)) - data

    def value_cells(self) -> dict[str, LayoutCell]:
        """Return the value cells keyed by cell key, in reading order."""
        return {c.key: c for c in self.cells if c.key is not None}


# --- building ---------------------------------------------------------------


def _spans(paths: Sequence[tuple[Label, ...]], depth: int) -> list[list[tuple[int, int]]]:
    """
    Place each label of each path on a level: ``(start, span)`` per label.

    A path shorter than *depth* stretches the shallowest label that belongs to
    a group of equally short paths (its own, or a group label none of whose
    members goes deeper), so leaves stay as low as the format prints them.
    """
    out: list[list[tuple[int, int]]] = []
    for i, path in enumerate(paths):
        missing = depth - len(path)
        stretch = len(path) - 1
        for level in range(len(path)):
            prefix = path[: level + 1]
            group = _group(paths, i, prefix)
            if all(len(paths[j]) == len(path) for j in group):
                stretch = level
                break
        placed = []
        pos = 0
        for level in range(len(path)):
            span = 1 + missing if level == stretch else 1
            placed.append((pos, span))
            pos += span
        out.append(placed)
    return out


def _group(paths: Sequence[tuple[Label, ...]], i: int, prefix: tuple[Label, ...]) -> range:
    """The run of consecutive paths around index *i* that start with *prefix*."""
    n = len(prefix)
    lo = i
    while lo > 0 and paths[lo - 1][:n] == prefix:
        lo -= 1
    hi = i + 1
    while hi < len(paths) and paths[hi][:n] == prefix:
        hi += 1
    return range(lo, hi)


def _depth(paths: Sequence[tuple[Label, ...]]) -> int:
    return max((len(p) for p in paths), default=0)


class _Builder:
    def __init__(self, n_cols: int) -> None:
        self.n_cols = n_cols
        self.cells: list[LayoutCell] = []
        self.row = 0

    def add(self, **kw: object) -> None:
        self.cells.append(LayoutCell(**kw))  # type: ignore[arg-type]

    def part(
        self,
        index: int,
        part: PartDef,
        table: str,
        label_cols: int,
        header_rows: int,
    ) -> None:
        width = self.n_cols
        if part.caption is not None:
            self.add(
                row=self.row,
                col=0,
                colspan=width,
                kind=CellKind.CAPTION,
                label=part.caption,
                part=index,
            )
            self.row += 1
        top = self.row
        if label_cols and header_rows:
            self.add(
                row=top,
                col=0,
                rowspan=header_rows,
                colspan=label_cols,
                kind=CellKind.CORNER,
                label=part.corner,
                part=index,
            )
        # Column c of the part sits at grid column label_cols + c; the last
        # column of a narrower part widens to the table's edge.
        extra = width - label_cols - len(part.columns)
        self._headers(index, part.columns, top, label_cols, header_rows, extra)
        self.row = top + header_rows
        self._body(index, part, table, label_cols, extra)

    def _headers(
        self,
        index: int,
        columns: Sequence[ColumnDef],
        top: int,
        left: int,
        depth: int,
        extra: int,
    ) -> None:
        paths = [c.path for c in columns]
        placed = _spans(paths, depth)
        last = len(columns) - 1
        for i, path in enumerate(paths):
            for level, (start, span) in enumerate(placed[i]):
                group = _group(paths, i, path[: level + 1])
                if group.start != i:
                    continue  # emitted with the first column of its group
                width = len(group) + (extra if group.stop - 1 == last else 0)
                self.add(
                    row=top + start,
                    col=left + i,
                    rowspan=span,
                    colspan=width,
                    kind=CellKind.HEADER,
                    label=path[level],
                    part=index,
                )

    def _body(self, index: int, part: PartDef, table: str, label_cols: int, extra: int) -> None:
        paths = [r.path for r in part.rows]
        placed = _spans(paths, label_cols)
        last = len(part.columns) - 1
        for i, row in enumerate(part.rows):
            r = self.row + i
            for level, (start, span) in enumerate(placed[i]):
                group = _group(paths, i, row.path[: level + 1])
                if group.start != i:
                    continue
                self.add(
                    row=r,
                    col=start,
                    rowspan=len(group),
                    colspan=span,
                    kind=CellKind.ROW_LABEL,
                    label=row.path[level],
                    part=index,
                )
            for c, column in enumerate(part.columns):
                self.add(
                    row=r,
                    col=label_cols + c,
                    colspan=1 + (extra if c == last else 0),
                    kind=CellKind.VALUE,
                    key=_key(table, row, column),
                    part=index,
                )
        self.row += len(part.rows)


def _key(table: str, row: RowDef, column: ColumnDef) -> str:
    rest = [p for p in (*row.key.split("."), *column.key.split(".")) if p]
    return ".".join((table, *rest))


def _build(edition: Edition, table: str) -> Layout:
    parts = catalogue(edition).table(table).parts
    label_cols = max(_depth([r.path for r in p.rows]) for p in parts)
    n_cols = label_cols + max(len(p.columns) for p in parts)
    builder = _Builder(n_cols)
    for index, part in enumerate(parts):
        builder.part(
            index, part, table, label_cols, header_rows=_depth([c.path for c in part.columns])
        )
    cells = sorted(builder.cells, key=lambda c: (c.row, c.col))
    n_rows = builder.row
    grid: list[list[LayoutCell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for cell in cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                if grid[r][c] is not None:  # pragma: no cover -- a catalogue bug
                    raise AssertionError(f"layout {edition.value}/{table}: overlap at ({r}, {c})")
                grid[r][c] = cell
    full: list[tuple[LayoutCell, ...]] = []
    for r, line in enumerate(grid):
        if any(cell is None for cell in line):  # pragma: no cover -- a catalogue bug
            raise AssertionError(f"layout {edition.value}/{table}: row {r} not covered")
        full.append(tuple(c for c in line if c is not None))
    return Layout(
        edition=edition,
        table=table,
        n_rows=n_rows,
        n_cols=n_cols,
        label_cols=label_cols,
        cells=tuple(cells),
        _grid=tuple(full),
    )


@functools.cache
def _cached(edition: Edition, table: str) -> Layout:
    return _build(edition, table)


def layout(edition: Edition | str, table: str) -> Layout:
    """
    Return the layout of official table *table* (``t2``, ``t3`` or ``t4``) of *edition*.

    Layouts are computed once per edition and table, then cached.

    >>> lay = layout("2019", "t2")
    >>> [c.text for c in lay.rows()[0]]
    ['第二十条第（一）项']
    >>> lay.n_cols
    4

    Args:
        edition: An :class:`~gov_disclosure.Edition` or its value (``"2021"``).
        table: ``"t2"``, ``"t3"`` or ``"t4"``.

    Returns:
        The cached :class:`Layout`.

    Raises:
        GovDisclosureError: *table* is not an official table key.
        UnsupportedEditionError: *edition* is not an edition.

    .. versionadded:: 0.1.0
    """
    ed = edition if isinstance(edition, Edition) else _edition(edition)
    if table not in TABLES:
        raise GovDisclosureError(
            f"layout: unknown table {table!r}; expected one of {', '.join(TABLES)}"
        )
    return _cached(ed, table)


def _edition(value: object) -> Edition:
    from .errors import UnsupportedEditionError

    try:
        return Edition(value)
    except ValueError:
        raise UnsupportedEditionError(
            f"layout: unknown edition {value!r}; expected one of "
            f"{', '.join(e.value for e in Edition)}"
        ) from None
