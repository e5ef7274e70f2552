"""
Stage 2 of reading a PDF: the rows every reader produces, rebuilt from the page geometry (pure Python).

Ruled tables are rebuilt as grids from their lines (a cell is a region no line
crosses, so merged cells come out whole, and a label wrapped over several lines
is one cell); text between tables becomes lines and then paragraphs; page
headers, footers and page numbers are dropped; a table that continues on the
next page stays one table.  Rows of unruled text that line up in columns become
table rows by their alignment.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import NamedTuple

from .._doc import Location, Row
from ._extract import Glyph, Page, PageBox
from ._grid import MAX_SLOTS, SNAP, Grid, cluster, nearest, page_grids

__all__ = ["Places", "layout"]


def _is_wide(ch: str) -> bool:
    """CJK ideographs, kana, hangul and full-width punctuation: text that is written without spaces."""
    o = ord(ch)
    if 0x2010 <= o <= 0x206F:
        # General punctuation (“”‘’—…) is full width in a CJK font: it
        # joins CJK text without spaces.
        return True
    return o >= 0x2E80 and not 0xFF61 <= o <= 0xFFDC  # half-width katakana/hangul are narrow


def _join(a: str, b: str) -> str:
    """Two pieces of one cell or paragraph, split by a line break: CJK joins without a space."""
    if not a:
        return b
    if not b:
        return a
    if _is_wide(a[-1]) or _is_wide(b[0]):
        return a + b
    return a + " " + b


class Line(NamedTuple):
    """Glyphs on one baseline, left to right, and their text."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    glyphs: list[Glyph]


def _lines(glyphs: Iterable[Glyph]) -> list[Line]:
    """
    Group *glyphs* into lines, top to bottom.

    A glyph joins the line it overlaps vertically by more than half its
    height.  Within a line a printed space is a space, and so is a gap
    wider than a quarter em, except between two CJK glyphs (Word justifies
    Chinese by spreading the glyphs; no space is meant) and up to 0.3 em
    between a CJK glyph and another (the gap of about 0.22 em that Word and
    LibreOffice put between Chinese and Latin text; a space there is 0.35).
    A glyph printed twice at the same place (fake bold) is kept once.
    """
    # This runs once per glyph of the document: written for speed (the
    # parsing guide has the figures), the same rules as stated above.
    rows: list[list[Glyph]] = []
    spans: list[list[float]] = []  # top, bottom of each row
    for g in sorted(glyphs, key=_middle2):
        gt, gb = g.top, g.bottom
        h = gb - gt
        n = len(rows)
        for j in range(n - 1, max(-1, n - 4), -1):
            t, b = spans[j]
            if min(b, gb) - max(t, gt) > 0.5 * min(h, b - t):
                row = rows[j]
                row.append(g)
                if g.size > row[0].size:  # a bigger glyph widens the line
                    spans[j] = [min(t, gt), max(b, gb)]
                break
        else:
            rows.append([g])
            spans.append([gt, gb])
    out: list[Line] = []
    for row in rows:
        row.sort(key=_X0)
        size = sorted([g.size for g in row])[len(row) // 2]
        fake, tight, near = 0.3 * size, 0.25 * size, 0.3 * size
        parts: list[str] = []
        append = parts.append
        last: Glyph | None = None
        last_wide = False  # whether the last glyph's last character is wide
        for g in row:
            ch = g.ch
            if last is not None:
                if ch == last.ch and abs(g.x0 - last.x0) < fake:
                    continue  # overprinted (fake bold)
                wide = _is_wide(ch[0]) + last_wide
                if (
                    g.space
                    or (wide == 0 and g.x0 - last.x1 > tight)
                    or (wide == 1 and g.x0 - last.x1 > near)
                ):
                    append(" ")
            append(ch)
            last = g
            last_wide = _is_wide(ch[-1])
        out.append(
            Line(
                "".join(parts),
                row[0].x0,
                max(g.x1 for g in row),
                min(g.top for g in row),
                max(g.bottom for g in row),
                size,
                row,
            )
        )
    out.sort(key=lambda ln: ln.top)
    return out


#: The glyph's left edge (a sort key).
_X0 = attrgetter("x0")


def _middle2(g: Glyph) -> float:
    """Twice the glyph's vertical middle (a sort key)."""
    return g.top + g.bottom


# -- page furniture -----------------------------------------------------------

_DASH = r"[-‐‑‒–—―－~～·•\s]*"
_PAGE_NUMBER = re.compile(
    rf"^(?:{_DASH}\d{{1,4}}{_DASH}"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?)$"
)
#: The share of the page height at its top and bottom where furniture lives.
_MARGIN = 0.12


def _furniture(pages: Sequence[tuple[Page, list[Line]]]) -> set[tuple[int, int]]:
    """
    The (page, line index) of running headers, footers and page numbers.

    A page number is a line that reads like one ("- 2 -", "— 1 —", "第2页",
    "2/5", a bare "2") and is the first or last line of its page, in the top or
    bottom margin.  A running header or footer is a margin line that repeats
    (digits aside) at the same height on at least half the pages (two at least).
    """
    drop: set[tuple[int, int]] = set()
    seen: Counter[tuple[str, int, bool]] = Counter()
    where: dict[tuple[str, int, bool], list[tuple[int, int]]] = {}
    for page, lines in pages:
        for i, ln in enumerate(lines):
            low = ln.top > page.height * (1 - _MARGIN)
            high = ln.bottom < page.height * _MARGIN
            if not (low or high):
                continue
            edge = (i == len(lines) - 1) if low else (i == 0)
            if edge and _PAGE_NUMBER.match(ln.text):
                drop.add((page.number, i))
                continue
            key = (re.sub(r"\d+", "#", ln.text), round(ln.top / 4), low)
            seen[key] += 1
            where.setdefault(key, []).append((page.number, i))
    n = len(pages)
    for key, count in seen.items():
        if n >= 2 and count >= max(2, n / 2):
            drop.update(where[key])
    return drop


# -- paragraphs -------------------------------------------------------------------

#: A line that starts a numbered heading or item starts a new paragraph.
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．](?!\d)"
    r"|第[一二三四五六七八九十\d]+[章节部分条])"
)


def _chunks(line_glyphs: list[Glyph], size: float) -> list[list[Glyph]]:
    """A line's glyphs split at gaps of an em or more: the cells of a table row printed without lines."""
    out: list[list[Glyph]] = []
    for g in sorted(line_glyphs, key=lambda g: g.x0):
        if out and g.x0 - out[-1][-1].x1 < size:
            out[-1].append(g)
        else:
            out.append([g])
    return out


# -- the document -------------------------------------------------------------------


class _Block(NamedTuple):
    """A table part or a text line of a page, in reading order."""

    page: int
    top: float
    grid: Grid | None
    line: Line | None
    glyphs: list[Glyph]  # the table's glyphs, or the line's


#: For each row, for each cell, the places (page, box) where it is printed.
Places = list[tuple[tuple[PageBox, ...], ...]]


class _Out:
    """The rows being written, their cells' places, and the numbering of paragraphs and tables."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.boxes: Places = []
        self.paragraphs = 0
        self.tables = 0


def layout(pages: Sequence[Page]) -> tuple[list[Row], Places]:
    """
    The rows of the document, and for each row, for each cell, where it is printed.

    A cell's places are usually one (page, box); a paragraph or a merged cell
    that runs over a page break has one per page.
    """
    blocks: list[_Block] = []
    per_page: list[tuple[Page, list[Line]]] = []
    left = [MAX_SLOTS]
    for page in pages:
        grids = page_grids(page.number, page.hsegs, page.vsegs, left)
        inside: list[list[Glyph]] = [[] for _ in grids]
        free: list[Glyph] = []
        boxes = [grid.box for grid in grids]
        for g in page.glyphs:
            cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
            for k, (x0, y0, x1, y1) in enumerate(boxes):
                if x0 <= cx <= x1 and y0 <= cy <= y1:
                    inside[k].append(g)
                    break
            else:
                free.append(g)
        per_page.append((page, _lines(free)))
        for k, grid in enumerate(grids):
            blocks.append(_Block(page.number, grid.ys[0], grid, None, inside[k]))
    drop = _furniture(per_page)
    for page, lines in per_page:
        for i, ln in enumerate(lines):
            if (page.number, i) not in drop:
                blocks.append(_Block(page.number, ln.top, None, ln, ln.glyphs))
    blocks.sort(key=lambda b: (b.page, b.top))
    margins = _margins([b.line for b in blocks if b.line is not None])
    widths = {p.number: p.width for p in pages}
    out = _Out()
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.grid is not None:
            # A table, with its continuations: the next block is a table on the
            # next page, first on it (furniture aside), right after this one,
            # which was last on its page, with the same columns.
            parts = [b]
            while i + 1 < len(blocks):
                nxt = blocks[i + 1]
                if nxt.grid is None or nxt.page != parts[-1].page + 1:
                    break
                if not _continues(parts[-1].grid, nxt.grid):  # type: ignore[arg-type]
                    break
                i += 1
                parts.append(nxt)
            _table(out, parts)
            i += 1
            continue
        j = i
        while j < len(blocks) and blocks[j].grid is None:
            j += 1
        _text(out, blocks[i:j], margins, widths)
        i = j
    return out.rows, out.boxes


def _continues(prev: Grid, nxt: Grid) -> bool:
    """
    Whether *nxt* (first on its page) carries on *prev* (last on the page before).

    The caller guarantees the order (nothing but page furniture between
    them, as blocks are sorted by page and height); here the columns must
    agree: the same outer edges, and every vertical line of *nxt*'s first
    row at a column line of *prev*.
    """
    if abs(prev.xs[0] - nxt.xs[0]) > 2 * SNAP or abs(prev.xs[-1] - nxt.xs[-1]) > 2 * SNAP:
        return False
    first = {nxt.cells[k].x0 for k in nxt.slot[0]} | {nxt.cells[k].x1 for k in nxt.slot[0]}
    return all(abs(x - prev.xs[nearest(prev.xs, x)]) <= 2 * SNAP for x in first)


def _cell_text(glyphs: list[Glyph], span: tuple[float, float] | None = None) -> str:
    """
    A cell's lines joined: a label wrapped over several lines is one text.

    A number too wide for its cell wraps between digits ("1,234,5" over
    "67"): digits on both sides of a line break join without a space, and so
    do a line ending in a hyphen and the word it continues ("Public-" over
    "interest").  So do the two parts of a word too long for its cell
    (*span*, the cell's left and right edges), broken where the line was
    full: the line before the break is one word, and not even the next letter
    would have fitted after it (the room is the cell less the padding of its
    widest line, on both sides: cells may be centred).
    """
    lines = _lines(glyphs)
    room = 0.0
    if span is not None and lines:
        pad = max(min(ln.x0 - span[0] for ln in lines), 0.0)
        room = span[1] - span[0] - 2 * pad
    text = ""
    last: Line | None = None
    for ln in lines:
        if (text and ln.text and _joins_tight(text[-1], ln.text[0])) or (
            span is not None
            and last is not None
            and text[-1:].isalpha()
            and ln.text[:1].islower()
            and " " not in last.text
            and not _is_wide(ln.text[0])
            and (last.x1 - last.x0) + (ln.glyphs[0].x1 - ln.glyphs[0].x0) > room
        ):
            text += ln.text
        else:
            text = _join(text, ln.text)
        last = ln
    return text


def _joins_tight(end: str, start: str) -> bool:
    """Whether a line ending in *end* and one starting with *start* join without a space (a number, a hyphen)."""
    return (end in _DIGITS_OR_GROUP and start.isdigit()) or (end == "-" and start.isalpha())


_DIGITS_OR_GROUP = frozenset("0123456789,.")


def _first_word(line: Line) -> float:
    """The width of *line*'s first word: up to the first space, or one CJK glyph (a line may break after any)."""
    end = line.x0
    for g in line.glyphs:
        if g.x0 - end > 0.25 * line.size and end > line.x0:
            break
        end = g.x1
        if _is_wide(g.ch[-1]):
            break
    return end - line.x0


def _table(out: _Out, parts: list[_Block]) -> None:
    """
    Write one ruled table (possibly over several pages) as "tr" rows.

    Each cell is printed once, in the row where it starts, at its logical grid
    column: the columns are the distinct x of all the parts' vertical lines,
    so a cell spanning columns starts at the column of its left edge as in the
    Word and HTML readers.  Rows are numbered through the whole table.  A cell
    that a page break cut in two (a label merged over rows on both pages) is
    one cell: its part at the top of the later page is empty, has the same
    columns, and it or the part above spans rows (a blank single value cell
    under a value cell is a blank, not a continuation).
    """
    out.tables += 1
    columns = cluster([x for p in parts for x in p.grid.xs], 2 * SNAP)  # type: ignore[union-attr]
    row_base = 0
    # Cells open at the foot of the previous part: (x0, x1) rounded -> (output row, cell).
    carried: dict[tuple[int, int], tuple[int, int]] = {}
    for n, part in enumerate(parts):
        grid = part.grid
        assert grid is not None
        texts: list[list[Glyph]] = [[] for _ in grid.cells]
        nr, nc = len(grid.ys) - 1, len(grid.xs) - 1
        for g in part.glyphs:
            r = min(max(bisect_right(grid.ys, (g.top + g.bottom) / 2) - 1, 0), nr - 1)
            c = min(max(bisect_right(grid.xs, (g.x0 + g.x1) / 2) - 1, 0), nc - 1)
            texts[grid.slot[r][c]].append(g)
        by_row: dict[int, list[int]] = {}
        for k, cell in enumerate(grid.cells):
            by_row.setdefault(cell.row, []).append(k)
        at: dict[int, tuple[int, int]] = {}  # cell index -> (output row, cell)
        for r in range(nr):
            cells: list[str] = []
            locs: list[Location] = []
            boxes: list[tuple[PageBox, ...]] = []
            for k in by_row.get(r, []):
                cell = grid.cells[k]
                text = _cell_text(texts[k], (cell.x0, cell.x1))
                box: PageBox = (grid.page, (cell.x0, cell.top, cell.x1, cell.bottom))
                span = (round(cell.x0), round(cell.x1))
                if r == 0 and not text and span in carried:
                    # The rest of a cell begun on the page before: not printed
                    # again (like a Word vMerge continuation); add its place.
                    ri, ci = carried[span]
                    prior = list(out.boxes[ri])
                    prior[ci] = (*prior[ci], box)
                    out.boxes[ri] = tuple(prior)
                    continue
                col = nearest(columns, cell.x0) + 1
                at[k] = (len(out.rows), len(cells))
                cells.append(text)
                locs.append(Location(table=out.tables, row=row_base + r + 1, column=col))
                boxes.append((box,))
            if cells:
                out.rows.append(Row(tuple(cells), tuple(locs), "tr"))
                out.boxes.append(tuple(boxes))
        # Cells reaching the foot of this part may go on at the top of the next.
        carried = {}
        if n + 1 < len(parts):
            nxt = parts[n + 1].grid
            assert nxt is not None
            below = {(round(c.x0), round(c.x1)): c for c in (nxt.cells[k] for k in nxt.slot[0])}
            for k, cell in enumerate(grid.cells):
                span = (round(cell.x0), round(cell.x1))
                if (
                    cell.row + cell.rows == nr
                    and k in at
                    and span in below
                    and (cell.rows > 1 or below[span].rows > 1)
                ):
                    carried[span] = at[k]
        row_base += nr


def _margins(lines: list[Line]) -> tuple[float, float]:
    """The body text's left and right edges: where most lines start, and where full lines end."""
    if not lines:
        return 0.0, 0.0
    left = Counter(round(ln.x0) for ln in lines).most_common(1)[0][0]
    ends = sorted(ln.x1 for ln in lines)
    right = ends[int(len(ends) * 0.9)] if len(ends) > 3 else ends[-1]
    return float(left), right


def _text(
    out: _Out, blocks: list[_Block], margins: tuple[float, float], widths: dict[int, float]
) -> None:
    """
    Write text lines as paragraphs, or as table rows where they line up in columns.

    A line continues the paragraph of the line before when that line reaches
    the right margin (it was wrapped, not ended), this one is not indented,
    does not start a numbered heading, is not bold where that line was not
    (or the other way round), and follows at an ordinary line
    distance (or starts the next page); a centred paragraph (a title) goes on
    in a centred line of the same size.  Runs of lines that line up in columns
    (see :func:`_table_runs`) are an unruled table.
    """
    left, right = margins
    runs = _table_runs(blocks)
    i = 0
    while i < len(blocks):
        if i in runs:
            _unruled(out, blocks[i : runs[i]])
            i = runs[i]
            continue
        b = blocks[i]
        assert b.line is not None
        text = b.line.text
        glyphs = list(b.line.glyphs)
        places: dict[int, list[float]] = {b.page: [b.line.x0, b.line.top, b.line.x1, b.line.bottom]}
        prev = b
        # The column: the margins are taken as equal (the right margin read
        # from the lines' ends falls short when all the lines are short).
        width = widths.get(b.page, 0.0)
        col = max(right, width - left) - left
        # A first line as far from both margins (or filling the column) is centred.
        centred = abs(b.line.x0 + b.line.x1 - left - (left + col)) <= 2 * b.line.size
        i += 1
        while i < len(blocks) and i not in runs:
            nb = blocks[i]
            pl, nl = prev.line, nb.line
            assert pl is not None
            assert nl is not None
            # Wrapped, not ended: the line reaches the margin, or the next
            # line's first word would not have fitted after it (a typesetter's
            # rule; it also holds for a centred line, short on both sides).
            wrapped = (
                pl.x1 >= left + col - 1.5 * pl.size
                or (pl.x1 - pl.x0) + 0.25 * nl.size + _first_word(nl) > col
            )
            indented = nl.x0 > left + nl.size and not (
                # A centred paragraph (a title) wraps to a centred line of its size
                centred
                # (the same size: a CJK font's box is taller than a Latin one's)
                and abs(nl.size - pl.size) <= 0.2 * max(nl.size, pl.size)
                and abs(nl.x0 + nl.x1 - left - (left + col)) <= 2 * nl.size
            )
            near = nb.page != prev.page or nl.top - pl.bottom < 1.6 * nl.size
            # A heading (all bold) and the text under it are two paragraphs.
            same_face = all(g.bold for g in pl.glyphs) == all(g.bold for g in nl.glyphs)
            if not (
                wrapped and near and same_face and not indented and not _HEADING.match(nl.text)
            ):
                break
            text = _join(text, nl.text)
            glyphs += nl.glyphs
            box = places.setdefault(nb.page, [nl.x0, nl.top, nl.x1, nl.bottom])
            box[:] = [
                min(box[0], nl.x0),
                min(box[1], nl.top),
                max(box[2], nl.x1),
                max(box[3], nl.bottom),
            ]
            prev = nb
            i += 1
        out.paragraphs += 1
        # A paragraph all in a bold face is a heading (as a DOCX heading style).
        kind = "h" if all(g.bold for g in glyphs) else "p"
        out.rows.append(Row((text,), (Location(paragraph=out.paragraphs),), kind))
        out.boxes.append((tuple((p, (v[0], v[1], v[2], v[3])) for p, v in places.items()),))


# -- unruled tables (column alignment) --------------------------------------------

_NUMBER = re.compile(r"[-+]?[\d.,，]+")


def _is_row(b: _Block) -> bool:
    """Whether a text line reads as a row of an unruled table: pieces apart by an em or more, the last a number."""
    assert b.line is not None
    pieces = _chunks(b.glyphs, b.line.size)
    return len(pieces) >= 2 and _NUMBER.fullmatch("".join(g.ch for g in pieces[-1])) is not None


def _table_runs(blocks: list[_Block]) -> dict[int, int]:
    """
    The unruled tables among text lines: start index -> end index (exclusive).

    Two or more row lines (see :func:`_is_row`) close together are a table; a
    line between two of them that is not a row (a wrapped label's other
    line) belongs to it too.  A justified sentence or a signature line does
    not end in a lone number, so prose is left alone.
    """
    rows = [_is_row(b) for b in blocks]
    runs: dict[int, int] = {}
    i = 0
    while i < len(blocks):
        if not rows[i]:
            i += 1
            continue
        j, last = i + 1, i
        while j < len(blocks):
            a, b = blocks[j - 1].line, blocks[j].line
            assert a is not None
            assert b is not None
            if blocks[j].page != blocks[j - 1].page or b.top - a.bottom > 2 * b.size:
                break
            if rows[j]:
                last = j
            elif j - last > 2:  # more than two label lines in a row: prose again
                break
            j += 1
        if last > i:
            runs[i] = last + 1
        i = last + 1
    return runs


def _unruled(out: _Out, blocks: list[_Block]) -> None:
    """
    Lines aligned in columns (see :func:`_table_runs`) as one table.

    The columns are the stretches of x that some row's glyphs cover; the
    gaps that no row's glyphs cross separate them (so a long label and a
    short one still share their column).  A line that is not a row (the
    other line of a wrapped label) is joined to the label of the nearest row.
    """
    out.tables += 1
    rows = [b for b in blocks if _is_row(b)]
    size = sorted(b.line.size for b in rows)[len(rows) // 2]  # type: ignore[union-attr]
    spans = sorted((g.x0, g.x1) for b in rows for g in b.glyphs)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 < columns[-1][1] + 0.5 * size:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    bounds = [c[0] for c in columns[1:]]
    texts: list[list[list[Glyph]]] = []
    for b in rows:
        cells: list[list[Glyph]] = [[] for _ in columns]
        for g in b.glyphs:
            cells[bisect_right(bounds, (g.x0 + g.x1) / 2)].append(g)
        texts.append(cells)
    # Wrapped label lines: their glyphs go to the first column of the nearest row.
    is_row = {id(r) for r in rows}
    middles = [(r.line.top + r.line.bottom) / 2 for r in rows if r.line is not None]
    for b in blocks:
        if id(b) in is_row:
            continue
        assert b.line is not None
        mid = (b.line.top + b.line.bottom) / 2
        k = min(range(len(rows)), key=lambda k: abs(middles[k] - mid))
        texts[k][0].extend(b.glyphs)
    start = out.tables
    for r, (b, cells) in enumerate(zip(rows, texts, strict=False), 1):
        row_cells, locs, boxes = [], [], []
        for c, gs in enumerate(cells):
            if not gs:
                continue  # nothing printed in this column (a blank or a spanned cell)
            row_cells.append(_cell_text(gs))
            locs.append(Location(table=start, row=r, column=c + 1))
            box = (
                min(g.x0 for g in gs),
                min(g.top for g in gs),
                max(g.x1 for g in gs),
                max(g.bottom for g in gs),
            )
            boxes.append(((b.page, box),))
        out.rows.append(Row(tuple(row_cells), tuple(locs), "tr"))
        out.boxes.append(tuple(boxes))
