"""
Stage 3: locate each table by its signature labels (captions, headers, corner notes), not by headings.
"""

from __future__ import annotations

import functools
import re

from ..._messages import M_
from ...catalogue import (
    Edition,
    catalogue,
)
from .context import _Ctx
from .labels import _OFFICIAL
from .norm import (
    alternation,
    label_forms,
)


@functools.cache
def _signatures(edition: Edition) -> dict[str, re.Pattern[str]]:
    """Labels that start each table: captions, headers, notes (never short row labels, often in prose)."""
    cat = catalogue(edition)
    out = {}
    for key in _OFFICIAL:
        forms: set[str] = set()
        for part in cat.table(key).parts:
            if part.caption is not None:
                forms.update(label_forms(part.caption))
            if key != "t3":
                forms.update(
                    f for col in part.columns for f in label_forms(col.label) if _distinctive(f)
                )
            if key == "t3" and part.corner is not None:
                forms.update(f[:9] for f in label_forms(part.corner, loose=False))
            if key == "t3":
                forms.update(label_forms(part.rows[0].label))  # type: ignore[arg-type]
            if key == "t4":
                for col in part.columns:
                    for lab in col.path[:-1]:
                        forms.update(f for f in label_forms(lab) if _distinctive(f))
        for ed in Edition:
            if ed is not edition and key == "t2":
                for part in catalogue(ed).table(key).parts:
                    for col in part.columns:
                        forms.update(f for f in label_forms(col.label) if _distinctive(f))
        if key == "t3":
            for part in cat.table(key).parts:
                forms.update(f for f in label_forms(part.columns[0].path[0]) if _distinctive(f))
        ordered = sorted(forms, key=lambda f: (-len(f), f))
        out[key] = re.compile(alternation(ordered))
    # Section 二's captions alone: preferred, since a header word may occur in prose.
    captions = {
        f for part in cat.table("t2").parts if part.caption for f in label_forms(part.caption)
    }
    out["t2-captions"] = re.compile(alternation(captions))
    return out


def _distinctive(form: str) -> bool:
    """Long enough to start a table without being a word of the prose."""
    return len(form) >= (8 if form.isascii() else 4)


def _regions(ctx: _Ctx, edition: Edition) -> dict[str, tuple[int, int] | None]:
    text = ctx.s.text
    sigs = _signatures(edition)
    starts: dict[str, int | None] = {}
    pos = 0
    for key in _OFFICIAL:
        m = ctx.s.search(sigs[key], pos)
        if key == "t2":
            m = ctx.s.search(sigs["t2-captions"], pos) or m
        starts[key] = m[0] if m else None
        if m:
            pos = m[0] + 1
    # Where the tables end: the heading of section 五 or 六 after the last table.
    last = max((s for s in starts.values() if s is not None), default=0)
    end = len(text)
    for sid in ("problems", "other_matters"):
        h = ctx.s.heading(sid, last)
        if h:
            end = min(end, h[0])
    regions: dict[str, tuple[int, int] | None] = {}
    found = [(k, s) for k, s in starts.items() if s is not None]
    for i, (key, a) in enumerate(found):
        b = found[i + 1][1] if i + 1 < len(found) else end
        regions[key] = (a, max(a, b))
    for key in _OFFICIAL:
        if key not in regions:
            regions[key] = None
            ctx.warn(
                "missing_table",
                M_("table {key} was not found; its cells are read as blank", key=key),
            )
    # A table found by its signature with no heading of its section before it
    # (e.g. table 二 running straight into 三's note): said, not assumed.
    cat = catalogue(edition)
    prev = 0
    for key, a in found:
        section = cat.table(key).section
        h = ctx.s.heading(section, prev)
        if h is None or h[0] > a:
            number = cat.section(section).number
            ctx.warn(
                "missing_heading",
                M_(
                    "the heading of section {number} was not found; its table was found by its labels",
                    number=number,
                ),
                a,
            )
        prev = a + 1
    return regions
