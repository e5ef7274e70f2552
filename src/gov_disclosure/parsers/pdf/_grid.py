"""
Ruled tables rebuilt as grids from a page's ruling lines (pure Python; part of stage 2, :mod:`._layout`).

A cell is a region no line crosses, so merged cells come out whole.  The work
grows with the product of a page's horizontal and vertical lines, and is
bounded over the document (:data:`MAX_SLOTS`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import NamedTuple

from ..._messages import M_
from ...errors import ParseError
from ._extract import Box, Seg

__all__ = ["MAX_SLOTS", "SNAP", "Cell", "Grid", "cluster", "nearest", "page_grids"]

#: The most grid slots (table cells before merging) the ruling lines of the
#: whole document may make, counted as each page's horizontal times vertical
#: lines.  A slot costs about 15 µs of CPU through ``gd.parse`` (finding
#: which lines touch, the cell, its row), so 10,000 take 0.15 s; the corpus
#: PDF's tables have 871, a report's tables in all about a thousand.
MAX_SLOTS = 10_000

#: Two rules this close (points) are one line (Word draws adjoining cells'
#: borders a fraction of a point apart).
SNAP = 2.0


def cluster(values: Iterable[float], tol: float = SNAP) -> list[float]:
    """Sorted distinct positions, values within *tol* of the previous one merged (their mean)."""
    out: list[float] = []
    group: list[float] = []
    for v in sorted(values):
        if group and v - group[-1] > tol:
            out.append(sum(group) / len(group))
            group = []
        group.append(v)
    if group:
        out.append(sum(group) / len(group))
    return out


def merge_segs(segs: list[Seg]) -> list[Seg]:
    """
    Collinear pieces of one line (dashes, adjoining cells' borders) joined.

    Rules at (nearly) the same position are grouped first, then joined along
    their length where they touch; rules at one position that do not touch
    (two tables' borders at the same x) stay apart.
    """
    out: list[Seg] = []
    group: list[Seg] = []
    for s in [*sorted(segs), None]:
        if s is not None and (not group or s.pos - group[-1].pos <= SNAP / 2):
            group.append(s)
            continue
        pos = sum(g.pos for g in group) / len(group) if group else 0.0
        merged: list[Seg] = []
        for g in sorted(group, key=lambda g: g.lo):
            if merged and g.lo <= merged[-1].hi + SNAP:
                merged[-1] = Seg(pos, merged[-1].lo, max(merged[-1].hi, g.hi))
            else:
                merged.append(Seg(pos, g.lo, g.hi))
        out += merged
        group = [s] if s is not None else []
    return out


class _Find:
    """Union-find over integers."""

    def __init__(self, n: int) -> None:
        self.up = list(range(n))

    def __call__(self, i: int) -> int:
        while self.up[i] != i:
            self.up[i] = self.up[self.up[i]]
            i = self.up[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.up[self(i)] = self(j)


class Cell(NamedTuple):
    row: int  # 0-based first grid row (in its page part)
    x0: float
    x1: float
    top: float
    bottom: float
    rows: int  # grid rows spanned


class Grid(NamedTuple):
    """One table's part on one page: its grid lines and its cells."""

    page: int
    xs: list[float]
    ys: list[float]
    cells: list[Cell]  # in reading order: by first row, then left to right
    slot: list[list[int]]  # grid row -> grid column -> cell index

    @property
    def box(self) -> Box:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


def page_grids(page: int, hsegs: list[Seg], vsegs: list[Seg], left: list[int]) -> list[Grid]:
    """
    The ruled tables of a page.

    Lines that touch form a table.  Its grid is every distinct x of its
    vertical lines and y of its horizontal lines; neighbouring slots of the
    grid belong to one cell unless a line is drawn between them, which is how
    a merged (spanned) cell comes out as one cell.

    The work (which lines touch, and the slots of the grids) grows with the
    product of the page's horizontal and vertical lines, the most slots its
    tables can have: *left* holds the slots still allowed in the document
    (:data:`MAX_SLOTS`).

    Raises:
        ParseError: the page's lines, with the pages' before it, could make
            more than that many slots.
    """
    hs, vs = merge_segs(hsegs), merge_segs(vsegs)
    if len(hs) < 2 or len(vs) < 2:
        return []
    left[0] -= len(hs) * len(vs)
    if left[0] < 0:
        raise ParseError(
            M_(
                "the page has {h} horizontal and {v} vertical ruling lines, which with the pages before it could make more than {limit} table cells (the document limit); refused",
                h=len(hs),
                v=len(vs),
                limit=MAX_SLOTS,
            ),
            location=f"page {page}",
        )
    find = _Find(len(hs) + len(vs))
    t = SNAP
    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.lo - t <= v.pos <= h.hi + t and v.lo - t <= h.pos <= v.hi + t:
                find.union(i, len(hs) + j)
    groups: dict[int, tuple[list[Seg], list[Seg]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    out = []
    for gh, gv in groups.values():
        if len(gh) < 2 or len(gv) < 2:
            continue  # an underline, a separator: not a table
        grid = _grid(page, gh, gv)
        if grid is not None:
            out.append(grid)
    out.sort(key=lambda g: g.ys[0])
    return out


def nearest(values: list[float], x: float) -> int:
    """
    The index of the value of *values* (sorted, distinct) nearest *x*, the first of two as near.

    The same as ``min(range(len(values)), key=lambda i: abs(values[i] - x))``,
    found by bisection: this runs once per line or cell, over a table's columns.
    """
    i = bisect_left(values, x)
    if i == len(values) or (i > 0 and abs(values[i - 1] - x) <= abs(values[i] - x)):
        return i - 1
    return i


def _covers(segs: list[Seg], pos: float, at: float) -> bool:
    """Whether a rule of *segs* runs along *pos* through the point *at* of its length."""
    return any(abs(s.pos - pos) <= SNAP and s.lo - SNAP <= at <= s.hi + SNAP for s in segs)


def _grid(page: int, hs: list[Seg], vs: list[Seg]) -> Grid | None:
    xs, ys = cluster(v.pos for v in vs), cluster(h.pos for h in hs)
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1:
        return None
    # Index rules by their snapped position so each border test is a short scan.
    vby: list[list[Seg]] = [[] for _ in xs]
    for v in vs:
        vby[nearest(xs, v.pos)].append(v)
    hby: list[list[Seg]] = [[] for _ in ys]
    for h in hs:
        hby[nearest(ys, h.pos)].append(h)
    find = _Find(nr * nc)
    for r in range(nr):
        ym = (ys[r] + ys[r + 1]) / 2
        for c in range(nc):
            xm = (xs[c] + xs[c + 1]) / 2
            if c + 1 < nc and not _covers(vby[c + 1], xs[c + 1], ym):
                find.union(r * nc + c + 1, r * nc + c)
            if r + 1 < nr and not _covers(hby[r + 1], ys[r + 1], xm):
                find.union((r + 1) * nc + c, r * nc + c)
    # A cell's extent: the bounding box of the slots with its root (a
    # rectangle when the lines are sane).
    extent: dict[int, list[int]] = {}  # root -> [r0, c0, r1, c1], in reading order of first slot
    for r in range(nr):
        for c in range(nc):
            e = extent.setdefault(find(r * nc + c), [r, c, r, c])
            e[1], e[2], e[3] = min(e[1], c), r, max(e[3], c)
    index = {root: k for k, root in enumerate(extent)}
    cells = [
        Cell(r0, xs[c0], xs[c1 + 1], ys[r0], ys[r1 + 1], r1 - r0 + 1)
        for r0, c0, r1, c1 in extent.values()
    ]
    slot = [[index[find(r * nc + c)] for c in range(nc)] for r in range(nr)]
    if len(cells) < 2:
        return None  # a framed paragraph, not a table
    return Grid(page, xs, ys, cells, slot)
