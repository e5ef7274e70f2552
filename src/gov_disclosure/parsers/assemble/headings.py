"""
The section headings: how each is printed (numbered, paraphrased, spaced out), found in linear time.

The headings come from the catalogue plus the small paraphrase table
:data:`HEADING_ALIASES` (FORMAT.md §10.12).
"""

from __future__ import annotations

import functools
import re

from ...catalogue import Edition, catalogue
from .norm import label_forms, label_pattern, norm_label

__all__ = ["HEADING_ALIASES", "HeadingSearch", "heading_kind", "heading_regex"]

#: Paraphrased section titles seen on real pages (FORMAT.md §10.12), data only.
HEADING_ALIASES: dict[str, tuple[str, ...]] = {
    "requests": ("政府信息公开申请接收与办理情况",),
    "appeals": ("因政府信息公开申请行政复议", "政府信息公开行政复议"),
    "problems": ("存在的主要问题",),
    "other_matters": ("其他需要说明的事项", "其他事项"),
}

#: The numerals of a section number.  A number never starts inside a run of
#: numerals (the match from the run's first numeral is the same, and trying
#: every start in a run of n numerals costs n squared).
_NUMERALS = "一二三四五六七八九十"
_NUMERAL_AT = re.compile(f"[{_NUMERALS}]").search


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
#: A few words between the number and the title, never another number.
_GAP = rf"(?:(?![{_NUMERALS}]+[,.])[^。;]){{0,{_GAP_MAX}}}?"


@functools.cache
def heading_regex(section: str) -> re.Pattern[str]:
    """
    A regular expression for the heading of *section* (an id such as ``problems``) in the stream.

    Three kinds of match, tried in this order at each position: a full form
    (``五,存在的主要问题及改进情况``); a number, a few words and a title
    (group ``numbered``: one printed row only, checked by the stream); a
    title alone (group ``bare``, which the stream accepts only at the start
    of a printed row).  The stream searches with :class:`HeadingSearch`,
    which finds the same matches faster.
    """
    full, ordered = _heading_forms(section)
    alts = [label_pattern(f) for f in sorted(full, key=len, reverse=True)]
    alts.append(f"(?P<numbered>(?<![{_NUMERALS}])[{_NUMERALS}]+[,.]{_GAP}(?:{_titles(ordered)}))")
    alts.append("(?P<bare>" + "|".join(label_pattern(core) for core in ordered) + ")")
    return re.compile("|".join(alts))


def _titles(ordered: list[str]) -> str:
    return "|".join(label_pattern(c) for c in ordered)


@functools.cache
def _heading_parts(section: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """
    :func:`heading_regex` in two regexes that the regex engine runs fast: the literals, and the numbered form.

    A regex runs fast when it starts with known characters: the engine then
    skips every position where none of them is, instead of trying the whole
    pattern there.  The full forms and the titles are literals (a title
    alone ends in an empty group ``bare_<i>``, which names its kind); the
    numbered form starts with a numeral (the lookbehind that keeps it from
    starting inside a run of numerals comes after that numeral).
    """
    full, ordered = _heading_forms(section)
    alts = [label_pattern(f) for f in sorted(full, key=len, reverse=True)]
    alts += [label_pattern(core) + f"(?P<bare_{i}>)" for i, core in enumerate(ordered)]
    numbered = (
        f"(?P<numbered>[{_NUMERALS}](?<![{_NUMERALS}]{{2}})[{_NUMERALS}]*[,.]{_GAP}"
        f"(?:{_titles(ordered)}))"
    )
    return re.compile("|".join(alts)), re.compile(numbered)


def heading_kind(group: str | None) -> str | None:
    """Which kind of heading a match's ``lastgroup`` says: ``"numbered"``, ``"bare"`` or ``None``."""
    if group is None:
        return None
    return group.partition("_")[0]


class HeadingSearch:
    """
    ``heading_regex(section).search(text, pos)`` for increasing positions, in linear time overall.

    Both parts of :func:`_heading_parts` are searched; of their matches the
    one that starts first wins, and at the same start the order of
    :func:`heading_regex`'s alternatives decides (a full form, the numbered
    form, a title alone).  A part's match is kept while the positions asked
    have not passed its start: it is still that part's leftmost match (a
    match at a given start does not depend on where the search began), so no
    text is searched twice.  The regexes start where a match can first be
    (:meth:`_floor`).
    """

    def __init__(self, section: str, text: str) -> None:
        self._literal, self._numbered = _heading_parts(section)
        self._text = text
        # Per part: (searched from, its match or None there).
        self._memo: list[tuple[int, re.Match[str] | None] | None] = [None, None]
        full, cores = _heading_forms(section)
        words = [*full, *cores]
        self._words = words if words and all(words) else None
        # Per full form and title: (searched from, its first start there or -1).
        self._found = [(-1, -1)] * len(words)

    def _part(self, k: int, regex: re.Pattern[str], pos: int) -> re.Match[str] | None:
        memo = self._memo[k]
        if memo is not None and memo[0] <= pos and (memo[1] is None or memo[1].start() >= pos):
            return memo[1]
        m = regex.search(self._text, pos)
        self._memo[k] = (pos, m)
        return m

    def _floor(self, pos: int) -> int | None:
        """
        Where a match can first start at or after *pos* (``None``: nowhere).

        Every match holds a full form or a title, and starts at most a
        number and ``_GAP_MAX`` words before it: so none starts before the
        run of numerals that ends ``_GAP_MAX + 2`` characters before the
        first full form or title (found by ``str.find``, much faster than a
        regex, each word's answer kept while it holds).
        """
        words = self._words
        if words is None:
            return pos
        text = self._text
        found = self._found
        first = -1
        for i, word in enumerate(words):
            since, at = found[i]
            if not (0 <= since <= pos and (at < 0 or at >= pos)):
                at = text.find(word, pos)
                found[i] = (pos, at)
            if at >= 0 and (first < 0 or at < first):
                first = at
        if first < 0:
            return None
        k = max(pos, first - _GAP_MAX - 2)
        while k > pos and text[k - 1] in _NUMERALS:
            k -= 1
        return k

    def __call__(self, pos: int) -> re.Match[str] | None:
        """The match of :func:`heading_regex` that a search from *pos* finds."""
        floor = self._floor(pos)
        if floor is None:
            return None
        lit = self._part(0, self._literal, floor)
        # The numbered form starts with a numeral: searched only when one is
        # printed before the literal match (or there is none), from there.
        before = len(self._text) if lit is None else lit.start() + 1
        numeral = _NUMERAL_AT(self._text, floor, before)
        if numeral is None:
            return lit
        num = self._part(1, self._numbered, numeral.start())
        if num is None:
            return lit
        if lit is None or num.start() < lit.start():
            return num
        if num.start() > lit.start() or lit.lastgroup is None:
            return lit  # first, or a full form: tried before the numbered form
        return num
