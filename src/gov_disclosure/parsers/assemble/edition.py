"""
Stage 2: decide the edition from the labels only one edition prints, the year being only a prior.
"""

from __future__ import annotations

from ..._messages import M_
from ...catalogue import (
    Edition,
)
from ...errors import ParseError, UnsupportedEditionError
from .context import _Ctx
from .labels import _edition_regex
from .norm import GAPS


def _detect_edition(ctx: _Ctx, year: int) -> Edition:
    regex, meta = _edition_regex()
    counts = {e: [0, 0] for e in Edition}  # [headers, rows]
    first: dict[Edition, int] = {}
    words: list[str] = regex.findall(ctx.s.compact)
    # An English label may be part of a longer word: then the stream decides.
    if not any(w[:1].isascii() and w[:1].isalpha() for w in words):
        # No match the stream could reject: the labels in order, found in one call.
        for word in words:
            ed, header = meta[word]
            if ed is not None and header is not None:
                counts[ed][0 if header else 1] += 1
        if all(sum(c) for c in counts.values()):
            counts, first = _standing_labels(ctx)
    else:
        counts, first = _standing_labels(ctx)
    try:
        prior = Edition.for_year(year)
    except UnsupportedEditionError as e:
        raise ParseError(str(e)) from None
    v19, v21 = counts[Edition.V2019], counts[Edition.V2021]
    if (v19[0], v19[1]) == (v21[0], v21[1]):
        edition = prior
    else:
        edition = Edition.V2019 if (v19[0], v19[1]) > (v21[0], v21[1]) else Edition.V2021
    if sum(v19) and sum(v21):
        other = Edition.V2019 if edition is Edition.V2021 else Edition.V2021
        ctx.warn(
            "mixed_edition_labels",
            M_(
                "labels of both editions were found; read as the {edition} edition",
                edition=edition.value,
            ),
            first.get(other),
        )
    if edition is not prior:
        ctx.warn(
            "edition_mismatch",
            M_(
                "the labels are those of the {edition} edition, but {year} reports use the {prior} edition",
                edition=edition.value,
                year=year,
                prior=prior.value,
            ),
        )
    return edition


#: What may stand next to a label printed as a label (in a cell of its own,
#: or run together with the values and labels around it): a separator, a
#: space or a digit.  A label inside a sentence has words around it.
_EDGE = frozenset(GAPS) | frozenset("0123456789")


def _standing_labels(ctx: _Ctx) -> tuple[dict[Edition, list[int]], dict[Edition, int]]:
    """
    Count the labels that only one edition prints, where they stand as labels.

    "本年度共清理规范性文件12件" uses a 2019 row label as a word of a sentence:
    no evidence of the edition.  A label counts when each of its ends meets
    a separator, a space, a digit, the end of the text or another label.
    """
    regex, meta = _edition_regex()
    counts = {e: [0, 0] for e in Edition}
    first: dict[Edition, int] = {}
    text = ctx.s.text
    n = len(text)
    found = list(ctx.s.finditer(regex))
    for i, (start, end, m) in enumerate(found):
        ed, header = meta[m.group(0)]
        if ed is None or header is None:
            continue
        before = start == 0 or text[start - 1] in _EDGE or (i and found[i - 1][1] == start)
        after = end >= n or text[end] in _EDGE or (i + 1 < len(found) and found[i + 1][0] == end)
        if before and after:
            counts[ed][0 if header else 1] += 1
            first.setdefault(ed, start)
    return counts, first
