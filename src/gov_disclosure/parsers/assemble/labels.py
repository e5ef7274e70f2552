"""
The regular expressions that find the catalogue's labels (every locale, loosely) in the stream.
"""

from __future__ import annotations

import functools
import re

import attrs

from ...catalogue import (
    Edition,
    Label,
    catalogue,
)
from .norm import (
    _all_labels,
    alternation,
    label_forms,
)

#: The official tables, in reading order.
_OFFICIAL = ("t2", "t3", "t4")


# --- labels -------------------------------------------------------------------


@functools.cache
def _keys(edition: Edition, table: str, p: int, r: int) -> tuple[str, ...]:
    # Cached by plain keys: hashing the frozen catalogue classes walks every label.
    part = catalogue(edition).table(table).parts[p]
    row = part.rows[r]
    out = []
    for col in part.columns:
        rest = [p for p in (*row.key.split("."), *col.key.split(".")) if p]
        out.append(".".join((table, *rest)))
    return tuple(out)


@attrs.frozen
class _Target:
    """What a label occurrence means: a value row, or a boundary (header, group, caption)."""

    kind: str  # "row", "group" (a label over rows: "（六）其他处理") or "boundary"
    table: str
    part: int = -1
    row: int = -1
    #: A group's rows (indices into its part's rows).
    rows: tuple[int, ...] = ()


#: Which target a form names when several labels print alike: a row first.
_RANK = {"row": 0, "group": 1, "boundary": 2}


@functools.cache
def _table_regex(edition: Edition, table: str) -> tuple[re.Pattern[str], dict[str, _Target]]:
    """One regular expression finding every label of *table*, longest form first."""
    cat = catalogue(edition)
    other = catalogue(Edition.V2019 if edition is Edition.V2021 else Edition.V2021)
    entries: list[tuple[str, _Target]] = []
    tdef = cat.table(table)
    for p, part in enumerate(tdef.parts):
        groups: dict[Label, list[int]] = {}
        for r, row in enumerate(part.rows):
            for group in row.path[:-1]:
                groups.setdefault(group, []).append(r)
        for group, members in groups.items():
            entries += [
                (f, _Target("group", table, p, -1, tuple(members))) for f in label_forms(group)
            ]
        for r, row in enumerate(part.rows):
            if row.label is None:
                continue
            target = _Target("row", table, p, r)
            forms = set(label_forms(row.label))
            # The same row under the other edition's label (mixed editions, §10.7).
            for opart in other.table(table).parts:
                for orow in opart.rows:
                    if orow.key == row.key and orow.label is not None and orow.label != row.label:
                        forms.update(label_forms(orow.label))
            entries += [(f, target) for f in forms]
        labels: list[Label] = [lab for lab in (part.caption, part.corner) if lab is not None]
        for col in part.columns:
            labels += col.path
        for lab in labels:
            entries += [(f, _Target("boundary", table)) for f in label_forms(lab)]
    if part.corner is not None and table == "t3":
        # The long corner note is often broken by other text: its opening words suffice.
        for f in label_forms(part.corner, loose=False):
            entries.append((f[:9], _Target("boundary", table)))
    best: dict[str, _Target] = {}
    for form, target in entries:
        if len(form) < 2 and not form.isascii():
            continue
        if form not in best or _RANK[target.kind] < _RANK[best[form].kind]:
            best[form] = target
    ordered = sorted(best, key=lambda f: (-len(f), f))
    # An alternation of literals without groups, written as a trie (the
    # regex engine matches that fast); the matched text is the form, which
    # names the target.
    return re.compile(alternation(ordered)), best


@functools.cache
def _edition_regex() -> tuple[re.Pattern[str], dict[str, tuple[Edition | None, bool | None]]]:
    """Labels only one edition has; (edition, is a header) per alternative, longest first."""
    seen: dict[Edition, dict[str, bool]] = {e: {} for e in Edition}
    for ed in Edition:
        cat = catalogue(ed)
        for key in _OFFICIAL:
            for part in cat.table(key).parts:
                for col in part.columns:
                    for lab in col.path:
                        for f in label_forms(lab, loose=False):
                            seen[ed][f] = True
                for cap in (part.caption,):
                    if cap is not None:
                        for f in label_forms(cap, loose=False):
                            seen[ed][f] = True
                for row in part.rows:
                    for lab in row.path:
                        for f in label_forms(lab, loose=False):
                            seen[ed].setdefault(f, False)
    v19, v21 = seen[Edition.V2019], seen[Edition.V2021]
    entries: list[tuple[str, Edition | None, bool]] = [
        (f, Edition.V2019, h) for f, h in v19.items() if f not in v21
    ]
    entries += [(f, Edition.V2021, h) for f, h in v21.items() if f not in v19]
    # Every form of either edition takes part, so the longest label wins at
    # each position ("本年处理决定数量" is not "处理决定数量").
    common: list[tuple[str, Edition | None, bool]] = [(f, None, False) for f in v19 if f in v21]
    allf = sorted([*entries, *common], key=lambda e: (-len(e[0]), e[0]))
    pattern = alternation(f for f, _, _ in allf)
    # The common forms take part so that the longest label wins, but count for nobody.
    meta = {f: (e, h if e is not None else None) for f, e, h in allf}
    return re.compile(pattern), meta


@functools.cache
def _numbered_labels() -> re.Pattern[str]:
    """
    Every form of every label of the format with a digit in it, in any edition and locale.

    Section headings, captions, corner notes, column and row labels, from
    the catalogue and its translations (:func:`label_forms`): the English
    labels number their items with Arabic digits (``3. Disclosure requests
    received and handled``, ``item 1 plus item 2``), the Chinese ones with
    Chinese numerals.  A digit inside one of them is part of the label,
    never a value (:meth:`_Ctx.in_label`).
    """
    forms = {f for lab in _all_labels() for f in label_forms(lab) if any(map(str.isdigit, f))}
    return re.compile(alternation(sorted(forms, key=lambda f: (-len(f), f))))
