"""
Stage 2: decide the edition from the labels only one edition prints, the year being only a prior.
"""

from __future__ import annotations

from ...catalogue import (
    Edition,
)
from ...errors import ParseError, UnsupportedEditionError
from .context import _Ctx
from .labels import _edition_regex


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
            # Labels of both editions: where each first appears, for the warning.
            for start, _, m in ctx.s.finditer(regex):
                ed, header = meta[m.group(0)]
                if ed is not None and header is not None:
                    first.setdefault(ed, start)
    else:
        for start, _, m in ctx.s.finditer(regex):
            ed, header = meta[m.group(0)]
            if ed is None or header is None:
                continue
            counts[ed][0 if header else 1] += 1
            first.setdefault(ed, start)
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
            f"labels of both editions were found; read as the {edition.value} edition",
            first.get(other),
        )
    if edition is not prior:
        ctx.warn(
            "edition_mismatch",
            f"the labels are those of the {edition.value} edition, but {year} reports use the "
            f"{prior.value} edition",
        )
    return edition
