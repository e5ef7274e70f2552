"""
A compiled "is this report clean?" test that lets :func:`gov_disclosure.check` skip its general path.

:func:`~gov_disclosure.check` builds the flat cell view and evaluates every
equation through it, which is general and explains each finding, but costs
tens of microseconds for a report that has no finding at all (the common
case when reports are loaded, stored and checked in bulk).  This module
compiles, per edition, the same equations (taken from ``rules._equations``,
themselves derived from the catalogue) and the soft rules into one
straight-line Python function over the report's attributes.  It returns
``True`` only when :func:`~gov_disclosure.check` would return ``[]``; on
``False`` the general path runs unchanged and produces the findings, so the
output of :func:`~gov_disclosure.check` is identical either way (the property
tests in ``tests/test_serialize.py`` check the equivalence).  Reports with
blank cells always take the general path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Protocol

from ..catalogue import Edition, catalogue

__all__ = ["compile_clean"]


class _Equation(Protocol):
    @property
    def lhs(self) -> tuple[str, ...]: ...

    @property
    def rhs(self) -> tuple[str, ...]: ...


def compile_clean(
    edition: Edition,
    equations: Sequence[_Equation],
    *,
    fees_mentioned: Callable[[Any], bool],
    fee_amount_suspect: Callable[[Decimal], bool],
    total_published_rows: Sequence[str],
) -> Callable[[Any], bool]:
    """
    Compile the clean-report test of *edition* from its *equations* and the soft rules.

    The soft rules' predicates are the ones :func:`~gov_disclosure.check` uses
    (passed in), so they are written once.
    """
    cells = catalogue(edition).cells
    names: dict[tuple[str, ...], str] = {(): "r"}
    setup: list[str] = []

    def obj(path: tuple[str, ...]) -> str:
        if path not in names:
            parent = obj(path[:-1])
            names[path] = f"o{len(names)}"
            setup.append(f"    {names[path]} = {parent}.{path[-1]}")
        return names[path]

    def cell(key: str) -> str:
        path = cells[key].attr_path
        return f"{obj(path[:-1])}.{path[-1]}"

    tests = [
        f"    if {' + '.join(map(cell, eq.lhs))} != {' + '.join(map(cell, eq.rhs))}: return False"
        for eq in equations
    ]
    # The soft rules of rules._soft_checks (blank totals: reports with blank cells go the general way).
    if edition is Edition.V2021:
        om = obj(("other_matters",))
        tests += [
            f"    if {cell('t3.other.unpaid_fee.total')} and not MENTIONED({om}): return False",
            f"    if SUSPECT({cell('t2.fees.amount')}): return False",
        ]
    else:
        for row in total_published_rows:
            tests.append(
                f"    if {cell(f't2.{row}.total_published')} < {cell(f't2.{row}.new_published')}:"
                " return False"
            )
    source = "\n".join(
        ["def clean(r):", "    if r.blank_cells: return False", *setup, *tests, "    return True"]
    )
    ns: dict[str, Any] = {"MENTIONED": fees_mentioned, "SUSPECT": fee_amount_suspect}
    exec(compile(source, f"<gov_disclosure clean test {edition.value}>", "exec"), ns)
    fn: Callable[[Any], bool] = ns["clean"]
    return fn
