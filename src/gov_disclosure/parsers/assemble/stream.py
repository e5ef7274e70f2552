"""
The stream: every reader's rows joined into one normalised text whose offsets point back at their cells.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Iterator, Mapping, Sequence

from .._doc import Location, Row
from . import split as _split
from .headings import HeadingSearch, heading_kind
from .norm import (
    CELL,
    GAPS,
    ROW,
    norm_stream,
)

# --- the stream ---------------------------------------------------------------


_GAP_SPLIT = re.compile("([" + re.escape(GAPS) + "]+)")


#: A cell's length and the separator after it (a C function: called for every cell).
_PLUS_ONE = (1).__add__
#: The rest of a label's row: an empty end of the label's cell, then cells of one number each.
_OWN_NUMBERS = re.compile("(?:" + re.escape(CELL) + "(?:" + _split.NUMBER.pattern + "))+").fullmatch


class Stream:
    """The normalised text of the document and the map back to rows and cells."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = rows
        counts = [len(row.cells) for row in rows]
        # first[i]: index (over every cell of the document) of row i's first cell.
        first = list(itertools.accumulate(counts, initial=0))
        self._first = first
        cells = list(itertools.chain.from_iterable(row.cells for row in rows))
        if all(counts):
            # The stream offset of each cell: each cell and the separator after it.
            ends = list(itertools.accumulate(map(_PLUS_ONE, map(len, cells)), initial=0))
            starts = ends[:-1]
            row_starts = list(map(ends.__getitem__, first[:-1]))
        else:
            starts, row_starts = [], []
            pos = 0
            for row in rows:
                row_starts.append(pos)
                for cell in row.cells:
                    starts.append(pos)
                    pos += len(cell) + 1
                if not row.cells:
                    pos += 1
        self.starts, self.row_starts = starts, row_starts
        joined = ROW.join(map(CELL.join, (row.cells for row in rows))) + ROW
        if joined.count(CELL) != len(cells) - len(rows) + counts.count(0) or (
            joined.count(ROW) != len(rows)
        ):
            # A cell holds a separator character: blank it out, cell by cell.
            joined = (
                ROW.join(
                    CELL.join(c.replace(CELL, " ").replace(ROW, " ") for c in row.cells)
                    for row in rows
                )
                + ROW
            )
        # One normalisation of the whole document, offsets unchanged.
        self.text = text = norm_stream(joined)
        # Labels are matched in the compact text (no spaces or separators).
        # The compact text is a series of runs of kept characters; run k
        # starts at compact index _run_c[k] and stream offset _run_s[k] (both
        # increasing), so that an index maps across with one bisection.
        pieces = _GAP_SPLIT.split(text)  # kept, gap, kept, gap, ..., kept
        kept = pieces[::2]
        gaps = pieces[1::2]
        run_c = list(itertools.accumulate(map(len, kept), initial=0))
        self._run_s: list[int] = list(
            map(
                operator.add,
                run_c,
                itertools.accumulate(map(len, gaps), initial=0),
            )
        )
        self._run_c: list[int] = run_c
        # Section -> its first heading (see heading()).
        self._headings: dict[str, tuple[int, int] | None] = {}
        self.compact = "".join(kept)

    def _s(self, ci: int) -> int:
        """Stream offset of compact index *ci* (past the end: counted on from the end)."""
        k = bisect.bisect_right(self._run_c, ci, 0, len(self._run_s)) - 1
        return self._run_s[k] + ci - self._run_c[k]

    def _c(self, offset: int) -> int:
        """First compact index at or after stream *offset*."""
        run_s = self._run_s
        k = bisect.bisect_right(run_s, offset) - 1
        if k < 0:
            return 0
        return self._run_c[k] + min(offset - run_s[k], self._run_c[k + 1] - self._run_c[k])

    def _ok(self, m: re.Match[str], start: int) -> bool:
        word = m.group(0)
        text = self.text
        if (
            start > 0
            and word[:1].isascii()
            and word[:1].isalpha()
            and text[start - 1].isascii()
            and text[start - 1].isalpha()
        ):
            return False  # an English label inside a longer word
        group = heading_kind(m.lastgroup)
        if group is None:
            return True
        if group == "numbered":
            return ROW not in text[start : self._s(m.end() - 1)]
        if group == "bare":
            k = start - 1
            while k >= 0 and text[k] == " ":
                k -= 1
            return k < 0 or text[k] in (ROW, CELL)
        return True

    def finditer(
        self, regex: re.Pattern[str], a: int = 0, b: int | None = None
    ) -> Iterator[tuple[int, int, re.Match[str]]]:
        """Matches of *regex* (over the compact text) within stream offsets [a, b), as stream spans."""
        run_c, run_s = self._run_c, self._run_s
        nrun = len(run_s)
        compact = self.compact
        bisect_right = bisect.bisect_right
        ca = self._c(a)
        cb = len(compact) if b is None else self._c(b)
        pos = ca
        while pos < cb:
            restart = None
            for m in regex.finditer(compact, pos, cb):
                ms, me = m.span()
                if me == ms:
                    restart = ms + 1  # rejected: look again one character on
                    break
                # self._s(ms), inlined: this runs for every label printed.
                k = bisect_right(run_c, ms, 0, nrun) - 1
                start = run_s[k] + ms - run_c[k]
                c = compact[ms]
                if (
                    (c.isascii() and c.isalpha() and start > 0)  # what _ok looks at
                    or m.lastgroup is not None
                ) and not self._ok(m, start):
                    restart = ms + 1
                    break
                last = me - 1
                if last < run_c[k + 1]:  # the match ends in the run it starts in
                    yield start, start + me - ms, m
                else:
                    yield start, self._s(last) + 1, m
            if restart is None:
                return
            pos = restart

    def search(
        self, regex: re.Pattern[str], a: int = 0, b: int | None = None
    ) -> tuple[int, int] | None:
        for start, end, _ in self.finditer(regex, a, b):
            return start, end
        return None

    def heading(self, section: str, a: int = 0) -> tuple[int, int] | None:
        """
        The first heading of *section* at or after stream offset *a*.

        The same as :meth:`search` with :func:`heading_regex`, searched with
        :class:`HeadingSearch` (faster).
        """
        # The first heading from the start answers every later search that
        # it does not lie before (the same leftmost match): searched once.
        if section in self._headings:
            first = self._headings[section]
        else:
            first = self._headings[section] = self._heading(section, 0)
        if first is None or first[0] >= a:
            return first
        return self._heading(section, a)

    def _heading(self, section: str, a: int) -> tuple[int, int] | None:
        compact = self.compact
        search = HeadingSearch(section, compact)
        cb = len(compact)
        pos = self._c(a)
        while pos < cb:
            m = search(pos)
            if m is None:
                return None
            ms, me = m.span()
            if me == ms:
                pos = ms + 1
                continue
            start = self._s(ms)
            if not self._ok(m, start):
                pos = ms + 1
                continue
            return start, self._s(me - 1) + 1
        return None

    def cell_at(self, offset: int) -> tuple[int, int]:
        """The (row, cell) that stream *offset* is in (the cell before, in a separator)."""
        k = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        i = bisect.bisect_right(self._first, k) - 1
        return i, k - self._first[i]

    def loc(self, offset: int) -> Location:
        i, j = self.cell_at(offset)
        return self.rows[i].locs[j]

    def row_of(self, offset: int) -> int:
        return bisect.bisect_right(self.row_starts, offset) - 1

    def raw(self, start: int, end: int) -> list[str]:
        """The printed text of [start, end), one string per row touched."""
        out = []
        starts = self.starts
        i = self.row_of(start)
        while 0 <= i < len(self.rows) and self.row_starts[i] < end:
            row = self.rows[i]
            first = self._first[i]
            texts = []
            for j, cell in enumerate(row.cells):
                k = starts[first + j]
                a, b = max(start, k), min(end, k + len(cell))
                if a < b:
                    texts.append(cell[a - k : b - k])
            text = " ".join(t.strip() for t in texts if t.strip())
            if text:
                out.append(text)
            i += 1
        return out


class _Provenance(Mapping[str, Location]):
    """Cell key -> :class:`Location`, computed when asked (most callers look at a few)."""

    def __init__(self, stream: Stream, offsets: dict[str, int]) -> None:
        self._stream = stream
        self._offsets = offsets

    def __getitem__(self, key: str) -> Location:
        return self._stream.loc(self._offsets[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._offsets)

    def __len__(self) -> int:
        return len(self._offsets)

    def __repr__(self) -> str:
        return f"<provenance of {len(self)} cells>"
