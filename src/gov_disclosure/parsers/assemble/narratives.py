"""
Stage 6: the narrative sections are the paragraphs between the section headings and the tables.
"""

from __future__ import annotations

from typing import Any

from ..._messages import M_
from ...model import (
    General,
    Subsection,
)
from .context import _Ctx
from .meta import preamble_start
from .stream import Stream

# --- narratives ------------------------------------------------------------------


def _narratives(
    ctx: _Ctx, regions: dict[str, tuple[int, int] | None], text: str, title: Any
) -> dict[str, Any]:
    s = ctx.s
    heads: dict[str, tuple[int, int] | None] = {}
    for sid in ("general", "proactive", "requests", "appeals", "problems", "other_matters"):
        heads[sid] = s.heading(sid)
    t_start = min((r[0] for r in regions.values() if r is not None), default=len(text))
    t_end = max((r[1] for r in regions.values() if r is not None), default=len(text))
    g = heads["general"]
    # Headings found inside the tables are not narrative boundaries.
    if g is not None and g[0] > t_start:
        g = None
    pre_end = g[0] if g is not None else t_start
    pre = preamble_start(s, title, pre_end)
    if pre.clutter:
        ctx.warn(
            "page_clutter",
            M_(
                "{clutter} line(s) before the report's title (navigation, dates, buttons) were dropped as page clutter, not kept in the preamble",
                clutter=pre.clutter,
            ),
            pre.offset,
        )
    preamble = _paragraphs(s, pre.start, pre_end)
    general_paras: list[str] = []
    subsections: list[Subsection] = []
    if g is not None:
        gen_end = t_start
        p2 = heads["proactive"]
        if p2 is not None and g[1] <= p2[0] < gen_end:
            gen_end = p2[0]
        general_paras, subsections = _general(s, g[1], gen_end)
    else:
        ctx.warn(
            "missing_heading", M_("the heading of section 一 was not found; section 一 is empty")
        )
    five = heads["problems"]
    six = heads["other_matters"]
    if six is not None and six[0] < t_end:
        six = s.heading("other_matters", t_end)
    if five is not None and five[0] < t_end:
        five = s.heading("problems", t_end)
    p_start = five[1] if five is not None else None
    p_end = six[0] if six is not None else len(text)
    problems = _paragraphs(s, p_start, p_end) if p_start is not None else []
    other = _paragraphs(s, six[1], len(text)) if six is not None else []
    return {
        "preamble": preamble,
        "general": General(paragraphs=tuple(general_paras), subsections=tuple(subsections)),
        "problems": problems,
        "other_matters": other,
    }


def _paragraphs(s: Stream, start: int, end: int) -> list[str]:
    if start >= end:
        return []
    return [p for p in s.raw(start, end) if p.strip()]


def _general(s: Stream, start: int, end: int) -> tuple[list[str], list[Subsection]]:
    """Section 一: paragraphs, then headed subsections where the markup marks headings."""
    paras: list[str] = []
    # (heading, paragraphs): the Subsections are made once at the end (made
    # again for every paragraph, a long section cost its square).
    heads: list[tuple[str, list[str]]] = []
    i = s.row_of(start)
    first = True
    while 0 <= i < len(s.rows) and s.row_starts[i] < end:
        a = max(start, s.row_starts[i]) if first else s.row_starts[i]
        b = min(end, s.row_starts[i + 1] - 1 if i + 1 < len(s.rows) else len(s.text))
        first = False
        texts = s.raw(a, b)
        if texts:
            if s.rows[i].kind == "h":
                heads.append((texts[0], []))
            elif heads:
                heads[-1][1].extend(texts)
            else:
                paras += texts
        i += 1
    return paras, [Subsection(heading=h, paragraphs=tuple(ps)) for h, ps in heads]
