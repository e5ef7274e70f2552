"""
The section headings: how each is printed (numbered, paraphrased, spaced out), found in linear time.

The headings come from the catalogue plus the small paraphrase table
:data:`HEADING_ALIASES` (FORMAT.md §10.12).
"""

from __future__ import annotations

import functools
import re

from ...catalogue import Edition, catalogue
from .norm import alternation, label_forms, label_pattern, norm_label

__all__ = ["HEADING_ALIASES", "HeadingFloor", "heading_anchors", "heading_regex"]

#: Paraphrased section titles seen on real pages (FORMAT.md §10.12), data only.
HEADING_ALIASES: dict[str, tuple[str, ...]] = {
    "requests": ("政府信息公开申请接收与办理情况",),
    "appeals": ("因政府信息公开申请行政复议", "政府信息公开行政复议"),
    "problems": ("存在的主要问题",),
    "other_matters": ("其他需要说明的事项", "其他事项"),
}

#: A section number; never starts inside a run of numerals (the match from the
#: run's first numeral is the same, and trying every start in a run of n
#: numerals costs n squared).
_NUMERAL = r"(?<![一二三四五六七八九十])[一二三四五六七八九十]+[,.]"


@functools.cache
def _heading_forms(section: str) -> tuple[list[str], list[str]]:
    """The full forms of the heading of *section*, and its cores (no number, aliases)."""
    heading = catalogue(Edition.V2021).section(section).heading
    full = label_forms(heading, loose=False)
    cores = {f for f in label_forms(heading) if f not in full and len(f) >= 4}
    cores.update(norm_label(a) for a in HEADING_ALIASES.get(section, ()))
    return full, sorted(cores, key=len, reverse=True)


#: The most words :func:`heading_regex` allows between a number and a title.
_GAP_MAX = 14
_NUMERAL_CHARS = frozenset("一二三四五六七八九十")


@functools.cache
def heading_anchors(section: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """
    Literal searches that bound where :func:`heading_regex` can first match (see :class:`HeadingFloor`).

    Returns the full forms' and the cores' regular expressions (``None``: no
    bound, search everything).
    """
    full, cores = _heading_forms(section)
    if not full or not cores or not all(full) or not all(cores):
        return None
    return re.compile(alternation(full)), re.compile(alternation(cores))


class HeadingFloor:
    """
    Where the heading of a section can first match in a compact text, from a moving position.

    Calling it with increasing positions reuses the literal searches while
    their answers still hold.
    """

    def __init__(self, section: str, compact: str) -> None:
        self._anchors = heading_anchors(section)
        self._compact = compact
        # (searched from, first start found or -1): valid for positions in between.
        self._full: tuple[int, int] | None = None
        self._core: tuple[int, int] | None = None

    def _next(
        self, regex: re.Pattern[str], memo: tuple[int, int] | None, pos: int
    ) -> tuple[int, int]:
        if memo is not None and memo[0] <= pos and (memo[1] < 0 or memo[1] >= pos):
            return memo
        m = regex.search(self._compact, pos)
        return pos, (m.start() if m is not None else -1)

    def __call__(self, pos: int) -> int | None:
        """
        The first index at or after *pos* where the heading can match.

        ``None`` when it cannot match at all; *pos* when no bound is known.
        Every match of the heading regex is a full form, or a core preceded
        by a number and at most ``_GAP_MAX`` words; so no match starts before
        the first full form, nor before the run of numerals that ends at most
        ``_GAP_MAX + 1`` characters before the first core.
        """
        if self._anchors is None:
            return pos
        full, cores = self._anchors
        self._full = self._next(full, self._full, pos)
        self._core = self._next(cores, self._core, pos)
        f, c = self._full[1], self._core[1]
        if f < 0 and c < 0:
            return None
        compact = self._compact
        floor = len(compact)
        if f >= 0:
            floor = f
        if c >= 0:
            k = max(pos, c - _GAP_MAX - 2)
            while k > pos and compact[k - 1] in _NUMERAL_CHARS:
                k -= 1
            floor = min(floor, k)
        return floor


@functools.cache
def heading_regex(section: str) -> re.Pattern[str]:
    """A regular expression for the heading of *section* (an id such as ``problems``) in the stream."""
    full, ordered = _heading_forms(section)
    alts = [label_pattern(f) for f in sorted(full, key=len, reverse=True)]
    # A few words between the number and the title, never another number.
    gap = r"(?:(?![一二三四五六七八九十]+[,.])[^。;]){0," + str(_GAP_MAX) + "}?"
    # A number, a few words, the title: one printed row only (checked by the stream).
    alts.append(
        f"(?P<numbered>{_NUMERAL}{gap}(?:" + "|".join(label_pattern(c) for c in ordered) + "))"
    )
    # A title without its number counts only at the start of a printed row.
    alts.append("(?P<bare>" + "|".join(label_pattern(core) for core in ordered) + ")")
    return re.compile("|".join(alts))
