"""
What the stages of one assembly share: the stream, the warnings, and the label spans found.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import NamedTuple

from .._result import ParseWarning
from . import split as _split
from .labels import _numbered_labels, _Target
from .stream import Stream

# --- the assembler ------------------------------------------------------------


class _Ctx:
    def __init__(self, stream: Stream) -> None:
        self.s = stream
        self.warnings: list[ParseWarning] = []
        self.thousands: list[str] = []
        # Offsets of rows whose missing or extra cells were placed (not split).
        self.placed: set[int] = set()
        # Where labels with digits are printed (see in_label()); found when first asked.
        self._label_spans: tuple[list[int], list[int]] | None = None
        # Offsets of the tokens that are a cell's text where a value may be
        # (暂无, 〇, a note): each holds its column, unless its row has more
        # cells than columns (see without_text_cells()).
        self.text_cells: set[int] = set()

    def without_text_cells(
        self, toks: Sequence[_split.Token], surplus: int | None = None
    ) -> list[_split.Token]:
        """
        *toks* without up to *surplus* text cells (all of them when ``None``).

        A row with more cells than columns has a notes column, a unit or a
        footnote printed in a cell of its own: its text cells go first, those
        after its last value first (a notes column), then those before its
        first value (a unit, a footnote marker after the label), then those
        between values, the last first (暂无 among the values keeps its
        column as long as the row has room for it).
        """
        out = list(toks)
        cells, blanks = self.text_cells, _split.BLANKS
        values = [i for i, t in enumerate(out) if t.text not in blanks and t.offset not in cells]
        first, last = (values[0], values[-1]) if values else (len(out), -1)
        texts = [i for i, t in enumerate(out) if t.offset in cells]
        order = (
            [i for i in reversed(texts) if i > last]
            + [i for i in texts if i < first]
            + [i for i in reversed(texts) if first < i < last]
        )
        drop = set(order if surplus is None else order[:surplus])
        return [t for i, t in enumerate(out) if i not in drop]

    def has_value(self, toks: Sequence[_split.Token]) -> bool:
        """Whether *toks* hold a printed value: a token neither blank nor a text cell."""
        cells, blanks = self.text_cells, _split.BLANKS
        return any(t.text not in blanks and t.offset not in cells for t in toks)

    def in_label(self, offset: int) -> bool:
        """
        Whether stream *offset* is inside a printed label that has digits in it.

        ``3. Disclosure requests received and handled`` (an English section
        heading) has a 3 that is no value.  The labels are searched once,
        over the whole stream, the first time a value is read from a cell
        with text in it (the only place such a digit is read from).
        """
        spans = self._label_spans
        if spans is None:
            found = list(self.s.finditer(_numbered_labels()))
            spans = self._label_spans = ([a for a, _, _ in found], [b for _, b, _ in found])
        starts, ends = spans
        k = bisect.bisect_right(starts, offset) - 1
        return k >= 0 and offset < ends[k]

    def warn(
        self, code: str, message: str, offset: int | None = None, cells: Sequence[str] = ()
    ) -> None:
        loc = self.s.loc(offset) if offset is not None and self.s.starts else None
        self.warnings.append(
            ParseWarning(code=code, message=message, location=loc, cells=tuple(cells))
        )


class _Occ(NamedTuple):
    """A label printed at stream offsets [start, end)."""

    start: int
    end: int
    target: _Target


class _ValueRow(NamedTuple):
    """A printed row of values (named tuples: made for every row, cheaper than attrs)."""

    tokens: list[_split.Token]
    start: int
    label: str | None = None  # an unknown label printed before the values (extra row)
