"""
Stage 5: fill the cells from the rows of values, splitting runs of digits jointly over a table by the identities.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..._messages import M_
from ...catalogue import (
    Catalogue,
    Edition,
    ValueKind,
    catalogue,
)
from ...cells import CellValue, from_cells
from ...model import (
    AnnualReport,
)
from .._result import Ambiguity
from . import split as _split
from .context import _Ctx
from .labels import _keys
from .tables import _row_name, _TableRead
from .values import _equation_sides, _readings, _settle_blanks

# --- values ---------------------------------------------------------------------


@functools.cache
def _column_names(edition: Edition, table: str, p: int) -> tuple[str, ...]:
    """The last part of each column key of part *p* of *table* (for the plausibility hints)."""
    return tuple(c.key.split(".")[-1] for c in catalogue(edition).table(table).parts[p].columns)


def _fill(
    ctx: _Ctx,
    cat: Catalogue,
    reads: dict[str, _TableRead],
    values: dict[str, CellValue],
    blank: set[str],
    prov: dict[str, int],
    ambiguities: list[Ambiguity],
    units: dict[str, str],
    previous: AnnualReport | None,
    agency: str,
    year: int,
) -> None:
    equations = _equation_sides(cat.edition)
    # Readings of every row: key -> value dicts; the first is the printed one when unique.
    options: dict[str, list[dict[str, CellValue]]] = {}
    row_cols: dict[str, list[str]] = {}
    row_where: dict[str, int] = {}
    for key, read in reads.items():
        tdef = cat.table(key)
        for (p, r), (toks, off) in sorted(read.rows.items()):
            part = tdef.parts[p]
            row = part.rows[r]
            keys = _keys(cat.edition, key, p, r)
            rid = f"{key}.{row.key}" if row.key else key
            row_cols[rid] = list(_column_names(cat.edition, key, p))
            row_where[rid] = off
            cols = _columns(cat.edition, key, p)
            opts = _readings(
                ctx, part, cols, keys, toks, off, values, blank, prov, units, cat.edition
            )
            if opts is not None:
                options[rid] = opts
        for p, r in read.missing:
            part = tdef.parts[p]
            row = part.rows[r]
            keys = _keys(cat.edition, key, p, r)
            for k, col in zip(keys, part.columns, strict=True):
                values[k] = Decimal(0) if col.kind is ValueKind.MONEY else 0
                blank.add(k)
            ctx.warn(
                "missing_row",
                M_("row {row} of {key} was not found; read as blank", row=_row_name(row), key=key),
                None,
                keys,
            )
    if not options:
        return
    fixed = dict(values)
    # Readings that break an identity inside their own row are dropped first.
    for rid, opts in list(options.items()):
        inside = [eq for eq in equations if all(k in opts[0] for k in (*eq[0], *eq[1]))]
        good = [
            o
            for o in opts
            if all(sum(o[k] for k in lhs) == sum(o[k] for k in rhs) for lhs, rhs in inside)
        ]
        if good:
            if len(opts) > 1 and len(good) == 1 and row_where[rid] not in ctx.placed:
                ctx.warn(
                    "split_cells",
                    M_(
                        "row {rid} was printed without separators; split by its identities", rid=rid
                    ),
                    row_where[rid],
                    list(good[0]),
                )
            options[rid] = good
        elif inside:
            ctx.warn(
                "identities_unsatisfied",
                M_(
                    "no split of the digits of row {rid} satisfies its identities; kept the most plausible",
                    rid=rid,
                ),
                row_where[rid],
                list(opts[0]),
            )
    multi = {rid: o for rid, o in options.items() if len(o) > 1}
    for o in options.values():
        if len(o) == 1:
            fixed.update(o[0])
            values.update(o[0])
            _settle_blanks(values, o[0], blank)

    def score(sol: dict[str, dict[str, CellValue]]) -> list[tuple[int, Decimal, list[Decimal]]]:
        return [
            _split.plausibility(row_cols[rid], list(v.values())) for rid, v in sorted(sol.items())
        ]

    # Rows linked by an identity are solved together; the others one by one.
    for comp in _components(multi, equations):
        sub = {rid: multi[rid] for rid in comp}
        limit = 64
        solutions = _split.solve(sub, fixed, equations, limit=limit)
        undecided = len(solutions) >= limit
        if not solutions:
            ctx.warn(
                "identities_unsatisfied",
                M_(
                    "no split of the digit runs of rows {rows} satisfies the identities between them; each row read on its own",
                    rows=", ".join(comp),
                ),
                row_where[comp[0]],
                [k for rid in comp for k in sub[rid][0]],
            )
            best = {rid: _most_plausible(row_cols[rid], o) for rid, o in sub.items()}
            solutions = [best]
            undecided = True
        chosen = min(solutions, key=score)
        if previous is not None and len(solutions) > 1:
            chosen = _prefer_previous(solutions, fixed, previous, agency, year, cat, score)
        for opt in chosen.values():
            values.update(opt)
            fixed.update(opt)
            _settle_blanks(values, opt, blank)
        for rid in comp:
            rkeys = list(sub[rid][0])
            pool = sub[rid] if undecided else [sol[rid] for sol in solutions]
            amb = []
            for k in rkeys:
                cands = {o[k] for o in pool}
                if len(cands) > 1:
                    amb.append(
                        Ambiguity(
                            key=k,
                            candidates=tuple(sorted(cands)),
                            chosen=values[k],
                            location=ctx.s.loc(prov[k]) if k in prov else None,
                        )
                    )
            ambiguities.extend(amb)
            if amb:
                cells = ", ".join(
                    f"{a.key} in {{{', '.join(str(c) for c in a.candidates)}}}" for a in amb
                )
                kept = ", ".join(f"{a.key}={a.chosen}" for a in amb)
                ctx.warn(
                    "ambiguous_split",
                    (
                        M_(
                            "the missing or extra cells of row {row} fit more than one place; cells {cells}; kept {kept}",
                            row=rid,
                            cells=cells,
                            kept=kept,
                        )
                        if row_where[rid] in ctx.placed
                        else M_(
                            "the digits of row {row} split in more than one way; cells {cells}; kept {kept}",
                            row=rid,
                            cells=cells,
                            kept=kept,
                        )
                    ),
                    row_where[rid],
                    # Every cell of the row was placed by the split, not only
                    # the ones whose value differs between the readings.
                    rkeys,
                )
            elif row_where[rid] not in ctx.placed:
                ctx.warn(
                    "split_cells",
                    M_(
                        "row {rid} was printed without separators; split by the identities", rid=rid
                    ),
                    row_where[rid],
                    rkeys,
                )


def _most_plausible(
    columns: list[str], readings: list[dict[str, CellValue]]
) -> dict[str, CellValue]:
    return min(readings, key=lambda v: _split.plausibility(columns, list(v.values())))


def _components(
    multi: dict[str, list[dict[str, CellValue]]],
    equations: Sequence[tuple[tuple[str, ...], tuple[str, ...]]],
) -> list[list[str]]:
    owner = {k: rid for rid, opts in multi.items() for k in opts[0]}
    parent = {rid: rid for rid in multi}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for lhs, rhs in equations:
        rows = {owner[k] for k in (*lhs, *rhs) if k in owner}
        first = None
        for r in rows:
            if first is None:
                first = find(r)
            else:
                parent[find(r)] = first
    groups: dict[str, list[str]] = {}
    for rid in multi:
        groups.setdefault(find(rid), []).append(rid)
    return list(groups.values())


def _prefer_previous(
    solutions: list[dict[str, dict[str, CellValue]]],
    fixed: dict[str, CellValue],
    previous: AnnualReport,
    agency: str,
    year: int,
    cat: Catalogue,
    score: Any,
) -> dict[str, dict[str, CellValue]]:
    from ...rules import continuity

    def findings(sol: dict[str, dict[str, CellValue]]) -> int:
        vals = dict(fixed)
        for opt in sol.values():
            vals.update(opt)
        try:
            rep = from_cells(vals, agency=agency, year=year, edition=cat.edition)
            return len(continuity(previous, rep))
        except Exception:
            return 1 << 30

    return min(solutions, key=lambda s: (findings(s), score(s)))


@functools.cache
def _columns(edition: Edition, table: str, p: int) -> tuple[tuple[bool, str | None], ...]:
    """Per column of part *p* of *table*: whether it holds money, and its header's unit.

    Cached by plain keys: hashing the frozen catalogue classes walks every label.
    """
    part = catalogue(edition).table(table).parts[p]
    return tuple((c.kind is ValueKind.MONEY, c.unit) for c in part.columns)
