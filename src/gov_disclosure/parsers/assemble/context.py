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
