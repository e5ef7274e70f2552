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

__all__ = ["HEADING_ALIASES", "heading_kind", "heading_regex"]

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


@functools.cache
def heading_regex(section: str) -> re.Pattern[str]:
    """
    A regular expression for the heading of *section* (an id such as ``problems``) in the stream.

    Three kinds of match, tried in this order at each position: a full form
    (``五,存在的主要问题及改进情况``); a number, a few words and a title
    (group ``numbered…``); a title alone (group ``bare…``, which the stream
    accepts only at the start of a printed row).  Every alternative starts
    with a literal character, one alternative per numeral and per title, so
    that the regex engine skips every position where none can start instead
    of trying the whole pattern there (several times faster); a named empty
    group at the end of an alternative says which kind matched
    (:func:`heading_kind`).
    """
    full, ordered = _heading_forms(section)
    alts = [label_pattern(f) for f in sorted(full, key=len, reverse=True)]
    # A few words between the number and the title, never another number.
    gap = r"(?:(?![一二三四五六七八九十]+[,.])[^。;]){0," + str(_GAP_MAX) + "}?"
    titles = alternation(ordered)
    # A number (never starting inside a run of numerals: the lookbehind after
    # the first numeral, so that the alternative starts with a literal), a few
    # words, the title: one printed row only (checked by the stream).
    alts += [
        f"{numeral}(?<![{_NUMERALS}]{{2}})[{_NUMERALS}]*[,.]{gap}{titles}(?P<numbered_{i}>)"
        for i, numeral in enumerate(_NUMERALS)
    ]
    # A title without its number counts only at the start of a printed row.
    alts += [label_pattern(core) + f"(?P<bare_{i}>)" for i, core in enumerate(ordered)]
    return re.compile("|".join(alts))


def heading_kind(group: str | None) -> str | None:
    """Which kind of :func:`heading_regex` alternative matched: ``"numbered"``, ``"bare"`` or ``None``."""
    if group is None:
        return None
    return group.partition("_")[0]
