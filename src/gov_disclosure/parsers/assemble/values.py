"""
Reading one printed cell: numbers, blanks, units, decimal counts, and what cannot be read.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from ..._messages import M_
from ...catalogue import (
    MONEY_UNITS,
    ColumnDef,
    Edition,
    PartDef,
    ValueKind,
)
from ...cells import CellValue
from . import split as _split
from .context import _Ctx
from .norm import (
    integral_part,
)


class _BlankCount(int):
    """A 0 read from a blank cell in one of several readings (recorded blank if chosen)."""


class _BlankMoney(Decimal):
    """A 0 amount read from a blank cell in one of several readings."""


_BLANK_COUNT = _BlankCount(0)
_BLANK_MONEY = _BlankMoney(0)


def _blank_read(k: str, text: str) -> str:
    # An empty cell has no printed text to quote: its own template, translated whole.
    if not text:
        return M_("{k} printed blank; read as 0", k=k)
    return M_("{k} printed {printed!r}; read as 0", k=k, printed=text)


def _settle_blanks(values: dict[str, CellValue], keys: Iterable[str], blank: set[str]) -> None:
    """Record the chosen reading's blank cells and store them as plain zeros."""
    for k in keys:
        v = values.get(k)
        if type(v) is _BlankCount:
            values[k] = 0
            blank.add(k)
        elif type(v) is _BlankMoney:
            values[k] = Decimal(0)
            blank.add(k)


@functools.cache
def _row_identities(
    edition: Edition, keys: tuple[str, ...]
) -> Callable[[Sequence[str]], bool] | None:
    """The identities inside one row, as a test of a reading's texts (counts only)."""
    equations = _equation_sides(edition)
    index = {k: i for i, k in enumerate(keys)}
    inside = [
        (tuple(index[k] for k in lhs), tuple(index[k] for k in rhs))
        for lhs, rhs in equations
        if all(k in index for k in (*lhs, *rhs))
    ]
    if not inside:
        return None

    def accept(texts: Sequence[str]) -> bool:
        try:
            v = list(map(int, texts))  # the common case: no blank (no blank reads as an int)
        except ValueError:
            try:
                v = [0 if t in _split.BLANKS else int(t) for t in texts]
            except ValueError:
                return True  # not plain counts: leave it to the readers
        get = v.__getitem__
        return all(sum(map(get, lhs)) == sum(map(get, rhs)) for lhs, rhs in inside)

    return accept


def _trim(
    edition: Edition, part: PartDef, keys: tuple[str, ...], toks: list[_split.Token]
) -> list[_split.Token]:
    """
    A row with more cells than columns without its surplus empty cells at either end.

    Empty cells before the values are filler of spanned label columns, blank
    cells after them the padding of a wider table (Markdown prints both).
    The row keeps the ncols cells that read as printed (every value of its
    column's kind, the row's identities holding), with the most leading
    cells dropped first; if none does, leading then trailing empty cells go.
    """
    ncols = len(part.columns)
    lead = 0
    while lead < len(toks) and toks[lead].text == "":
        lead += 1
    trail = 0
    while trail < len(toks) and toks[len(toks) - 1 - trail].blank:
        trail += 1
    surplus = len(toks) - ncols
    for i in range(min(lead, surplus), max(surplus - trail, 0) - 1, -1):
        window = toks[i : i + ncols]
        if _as_printed(edition, keys, window) and all(
            t.blank or _split.parse_value(t.text, col.kind)[0] is not None
            for t, col in zip(window, part.columns, strict=True)
        ):
            return window
    toks = toks[min(lead, surplus) :]
    while len(toks) > ncols and toks[-1].blank:
        toks.pop()
    return toks


def _as_printed(edition: Edition, keys: tuple[str, ...], toks: Sequence[_split.Token]) -> bool:
    """Whether *toks* are one cell per column that satisfy the row's identities (if it has any)."""
    if len(toks) != len(keys):
        return False
    accept = _row_identities(edition, keys)
    return accept is None or accept([t.text for t in toks])


def _read_printed(
    ctx: _Ctx,
    part: PartDef,
    cols: tuple[tuple[bool, str | None], ...],
    keys: tuple[str, ...],
    toks: Sequence[_split.Token],
    values: dict[str, CellValue],
    blank: set[str],
    prov: dict[str, int],
    units: dict[str, str],
) -> None:
    """Read a row printed with one value per cell: each cell's value, blank, unit and separators."""
    grouped = _split.GROUPED.fullmatch
    for k, col, (money, header), tok in zip(keys, part.columns, cols, toks, strict=True):
        text = tok.text
        prov[k] = tok.offset
        if text.isdigit() and text.isascii() and len(text) <= _split.MAX_DIGITS:
            # The common case (what _split.parse_value reads first).
            values[k] = Decimal(text) if money else int(text)
            continue
        if not money and grouped(text) and len(text) <= _split.MAX_DIGITS + 5:
            # A count with thousands separators (what _split.parse_value reads next).
            digits = text.replace(",", "")
            if len(digits) <= _split.MAX_DIGITS:
                values[k] = int(digits)
                ctx.thousands.append(k)
                continue
        if text in _split.BLANKS:
            values[k] = Decimal(0) if money else 0
            blank.add(k)
            ctx.warn(
                "blank_cell",
                _blank_read(k, text),
                tok.offset,
                [k],
            )
            continue
        v, unit, thousands = _cell_value(ctx, k, col, header, text, tok.offset, warn=True)
        if v is None:
            _unreadable(ctx, k, col, text, tok.offset, values, blank)
            continue
        values[k] = v
        _keep(ctx, k, text, tok.offset, thousands, unit, units)


def _cell_value(
    ctx: _Ctx,
    k: str,
    col: ColumnDef,
    header: str | None,
    text: str,
    offset: int,
    *,
    warn: bool,
) -> tuple[CellValue | None, str | None, bool]:
    """
    The value of a printed, non-blank cell (``None`` when unreadable), the unit it keeps, and whether it had thousands separators.

    A count printed with a zero decimal part (``56.0``) is the integer; an
    amount in another unit than its header's is converted exactly.  With
    *warn*, says so (a cell of the one reading of its row).
    """
    v, unit, thousands = _split.parse_value(text, col.kind)
    whole = integral_part(text) if v is None and col.kind is not ValueKind.MONEY else None
    if whole is not None:
        # "56.0" in a count cell: the integer exactly (spreadsheet exports).
        v, unit, thousands = _split.parse_value(whole, col.kind)
        if v is not None and warn:
            ctx.warn(
                "decimal_count",
                M_(
                    "{k} printed {text!r}, a count with a zero decimal part; read as {v}",
                    k=k,
                    text=text,
                    v=v,
                ),
                offset,
                [k],
            )
    if v is not None and unit is not None and header is not None and unit != header:
        # The header fixes the unit (万元 for 2021 fees): convert exactly.
        v = _convert(v, unit, header)
        if warn:
            ctx.warn(
                "unit_converted",
                M_(
                    "{k} printed {text!r} under a header in {header}; read as {v} {header}",
                    k=k,
                    text=text,
                    header=header,
                    v=v,
                ),
                offset,
                [k],
            )
        unit = None
    return v, unit, thousands


def _unreadable(
    ctx: _Ctx,
    k: str,
    col: ColumnDef,
    text: str,
    offset: int,
    values: dict[str, CellValue],
    blank: set[str],
) -> None:
    """Hold an unreadable cell as a blank 0, and say so."""
    values[k] = Decimal(0) if col.kind is ValueKind.MONEY else 0
    blank.add(k)
    ctx.warn(
        "unreadable_cell",
        M_(
            "{k} printed {text!r}, not a {kind}; read as blank", k=k, text=text, kind=col.kind.value
        ),
        offset,
        [k],
    )


def _keep(
    ctx: _Ctx,
    k: str,
    text: str,
    offset: int,
    thousands: bool,
    unit: str | None,
    units: dict[str, str],
) -> None:
    """Record what a read cell was printed with: thousands separators, a unit kept in the cell."""
    if thousands:
        ctx.thousands.append(k)
    if unit is not None:
        units[k] = unit
        ctx.warn(
            "unit_in_cell", M_("{k} printed with its unit: {text!r}", k=k, text=text), offset, [k]
        )


def _convert(v: int | Decimal, unit: str, header: str) -> Decimal:
    """An amount printed in *unit* in the *header*'s unit, exactly."""
    factor = MONEY_UNITS[unit] / MONEY_UNITS[header]
    d = (Decimal(v) * factor).normalize()
    if d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    return d


def _readings(
    ctx: _Ctx,
    part: PartDef,
    cols: tuple[tuple[bool, str | None], ...],
    keys: tuple[str, ...],
    toks: list[_split.Token],
    off: int,
    values: dict[str, CellValue],
    blank: set[str],
    prov: dict[str, int],
    units: dict[str, str],
    edition: Edition,
) -> list[dict[str, CellValue]] | None:
    """Read one row; return its readings when digits had to be split, else ``None`` (values filled)."""
    ncols = len(part.columns)
    toks = list(toks)
    if len(toks) > ncols and ctx.text_cells:
        # Text cells beyond the columns are a notes column, a unit, a footnote:
        # they go first, those outside the values first (暂无 among the values
        # keeps its column).  Which cells are the row's is inferred: said.
        kept = ctx.without_text_cells(toks, len(toks) - ncols)
        if len(kept) < len(toks):
            offsets = {t.offset for t in kept}
            dropped = [t for t in toks if t.offset not in offsets]
            ctx.warn(
                "row_too_long",
                M_(
                    "{n} cells for {ncols} columns; the text {text!r} read as no cell of the row",
                    n=len(toks),
                    ncols=ncols,
                    text=" ".join(t.text for t in dropped),
                ),
                dropped[0].offset,
                keys,
            )
            toks = kept
    # Empty cells beside a label are filler of a spanned label column (Markdown
    # prints them); a row with too many cells loses them first.
    lead = 0
    while lead < len(toks) and toks[lead].text == "":
        lead += 1
    if (
        lead > 1
        and len(toks) - lead < ncols
        and _split.separated(toks[lead:])
        and not _as_printed(edition, keys, toks[len(toks) - ncols :])
    ):
        # A run of empty cells before the values is filler (a Markdown
        # separator row, spanned label columns), not blank cells: the row's
        # own values are placed by the identities below.  Unless the last
        # ncols cells read as printed (the row's identities hold): then the
        # empty cells among them are blank values, how blank cells print.
        toks = toks[lead:]
    if len(toks) > ncols:
        toks = _trim(edition, part, keys, toks)
    readings: list[tuple[tuple[str, int], ...]] = []
    placed = False
    if len(toks) != ncols and _split.separated(toks):
        # The source separated these cells: none is split.  The identities
        # say where a missing cell (blank) or an extra value goes; several
        # places left are an ambiguity like any other.
        accept = _row_identities(edition, keys)
        readings = _split.placements(toks, ncols, accept) or _split.placements(toks, ncols)
        placed = bool(readings)
        if placed:
            ctx.placed.add(off)
            code = "row_too_short" if len(toks) < ncols else "row_too_long"
            where = (
                M_("missing cells are blanks")
                if len(toks) < ncols
                else M_("extra values are dropped")
            )
            ctx.warn(
                code,
                M_(
                    "{n} values for {ncols} columns; the {where} placed where the identities hold ({n2} possible place(s))",
                    n=len(toks),
                    ncols=ncols,
                    where=where,
                    n2=len(readings),
                ),
                toks[0].offset if toks else off,
                keys,
            )
    if len(toks) > ncols and not placed:
        ctx.warn(
            "row_too_long",
            M_(
                "{n} values for {ncols} columns; ignored {text!r}",
                n=len(toks),
                ncols=ncols,
                text=" ".join(t.text for t in toks[ncols:]),
            ),
            toks[ncols].offset,
            keys,
        )
        toks = toks[:ncols]
    if placed:
        pass
    elif len(toks) == ncols:
        # One value per cell, as printed (the common case): read in place.
        _read_printed(ctx, part, cols, keys, toks, values, blank, prov, units)
        return None
    else:
        accept = _row_identities(edition, keys)
        readings, cut = _split.candidates(toks, ncols, accept)
        if not readings and accept is not None:
            # The printed row breaks its own identity: every split stays a candidate.
            readings, cut = _split.candidates(toks, ncols)
        if len(readings) == 1:
            ctx.warn(
                "split_cells",
                M_(
                    "{text!r} printed without separators; one split satisfies the row's identities",
                    text=" ".join(t.text for t in toks),
                ),
                off,
                keys,
            )
        if cut:
            ctx.warn(
                "ambiguous_split",
                M_(
                    "too many ways to split {text!r}; kept the first readings",
                    text=" ".join(t.text for t in toks),
                ),
                off,
                keys,
            )
        if not readings:
            ctx.warn(
                "row_too_short",
                M_(
                    "{n} values for {ncols} columns; read into the first columns, the missing cells as blank (which cells were left out is not known)",
                    n=len(toks),
                    ncols=ncols,
                ),
                toks[-1].offset if toks else off,
                keys,
            )
            pad = [_split.Token("", toks[-1].offset if toks else off)] * (ncols - len(toks))
            toks = toks + pad
            readings = [tuple((t.text, i) for i, t in enumerate(toks))]
    out: list[dict[str, CellValue]] = []
    for reading in readings:
        vals: dict[str, CellValue] = {}
        ok = True
        for k, col, (_, header), (text, ti) in zip(keys, part.columns, cols, reading, strict=True):
            tok = toks[ti]
            if len(readings) == 1:
                prov[k] = tok.offset
            if text in _split.BLANKS:
                vals[k] = _BLANK_MONEY if col.kind is ValueKind.MONEY else _BLANK_COUNT
                if len(readings) == 1:
                    blank.add(k)
                    ctx.warn(
                        "blank_cell",
                        _blank_read(k, text),
                        tok.offset,
                        [k],
                    )
                continue
            one = len(readings) == 1
            v, unit, thousands = _cell_value(ctx, k, col, header, text, tok.offset, warn=one)
            if v is None:
                if not one:
                    ok = False
                    break
                _unreadable(ctx, k, col, text, tok.offset, vals, blank)
                continue
            vals[k] = v
            if one:
                _keep(ctx, k, text, tok.offset, thousands, unit, units)
        if ok:
            out.append(vals)
    if not out and len(readings) > 1:
        # No reading reads every cell (text among the values): the first is
        # read as the one reading, its unreadable cells blank and named,
        # never a row of silent zeros.
        first = [_split.Token(text, toks[i].offset, True) for text, i in readings[0]]
        _read_printed(ctx, part, cols, keys, first, values, blank, prov, units)
        return None
    if len(readings) == 1:
        values.update(out[0])
        _settle_blanks(values, out[0], blank)
        return None
    # Provenance of split cells: the run they came from.
    for k, (_, ti) in zip(keys, readings[0], strict=True):
        prov[k] = toks[ti].offset
    for reading in readings[:1]:
        for k, col, (text, _) in zip(keys, part.columns, reading, strict=True):
            if col.kind is ValueKind.MONEY:
                v, unit, _ = _split.parse_value(text, col.kind)
                if unit is not None:
                    units[k] = unit
    return out or [dict.fromkeys(keys, 0)]


@functools.cache
def _equation_sides(edition: Edition) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """The identities of *edition* as (left keys, right keys)."""
    from ...rules._equations import _equations

    return tuple((eq.lhs, eq.rhs) for eq in _equations(edition))
