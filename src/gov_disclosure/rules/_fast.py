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
tests in ``tests/test_serialize.py`` check the equivalence).  A blank total
next to non-zero parts (the soft rule S9) is tested too, so a report printed
with blank cells but no finding is clean as well.

:func:`compile_failing` compiles the same equations into the general path's
first step: the list of the equations a report breaks, with both sides, read
straight from the attributes (no flat cell view, no loop per cell), so a
report with findings pays for the equations it breaks and little else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Protocol

from .._codecache import compile_cached, object_namer
from ..catalogue import Edition, catalogue

__all__ = ["broken_conditions", "compile_blank_totals", "compile_clean", "compile_failing"]


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
    blank_totals: Sequence[tuple[str, Sequence[str]]],
) -> Callable[[Any], bool]:
    """
    Compile the clean-report test of *edition* from its *equations* and the soft rules.

    The soft rules' predicates are the ones :func:`~gov_disclosure.check` uses
    (passed in), so they are written once; *blank_totals* lists each total
    cell of the rule S9 with the parts that must add up to 0 when it is blank.
    """
    setup: list[str] = ["    B = r.blank_cells"]
    obj = object_namer(setup)
    conditions = broken_conditions(
        edition,
        equations,
        total_published_rows=total_published_rows,
        blank_totals=blank_totals,
        cell=_reader(edition, obj),
        obj=obj,
        blanks="B",
    )
    tests = [f"    if {c}: return False" for c in conditions]
    source = "\n".join(["def clean(r):", *setup, *tests, "    return True"])
    ns: dict[str, Any] = {"MENTIONED": fees_mentioned, "SUSPECT": fee_amount_suspect}
    exec(compile_cached(source, f"<gov_disclosure clean test {edition.value}>"), ns)
    fn: Callable[[Any], bool] = ns["clean"]
    return fn


def broken_conditions(
    edition: Edition,
    equations: Sequence[_Equation],
    *,
    total_published_rows: Sequence[str],
    blank_totals: Sequence[tuple[str, Sequence[str]]],
    cell: Callable[[str], str],
    obj: Callable[[tuple[str, ...]], str],
    blanks: str,
) -> list[str]:
    """
    The clean test as Python conditions, any of which true means :func:`~gov_disclosure.check` finds something.

    Cells are read through the expressions *cell* gives (attributes of the
    report, or the locals of generated code that has just read them: the JSON
    builders), objects through *obj* (an attribute path), the set of blank
    cells through the expression *blanks*; the soft rules' predicates are the
    names ``MENTIONED`` and ``SUSPECT`` of the namespace.
    """
    out = [
        f"{' + '.join(map(cell, eq.lhs))} != {' + '.join(map(cell, eq.rhs))}" for eq in equations
    ]
    # The soft rules of rules._soft_checks.
    if edition is Edition.V2021:
        om = obj(("other_matters",))
        out += [
            f"{cell('t3.other.unpaid_fee.total')} and not MENTIONED({om})",
            f"SUSPECT({cell('t2.fees.amount')})",
        ]
    else:
        out += [
            f"{cell(f't2.{row}.total_published')} < {cell(f't2.{row}.new_published')}"
            for row in total_published_rows
        ]
    if blank_totals:  # S9: a blank total next to non-zero parts
        s9 = " or ".join(
            f"({total!r} in {blanks} and ({' or '.join(map(cell, parts))}))"
            for total, parts in blank_totals
        )
        out.append(f"{blanks} and ({s9})")
    return out


def _reader(edition: Edition, obj: Callable[[tuple[str, ...]], str]) -> Callable[[str], str]:
    """The expression reading a cell through *obj* (see :func:`~gov_disclosure._codecache.object_namer`)."""
    cells = catalogue(edition).cells

    def cell(key: str) -> str:
        path = cells[key].attr_path
        return f"{obj(path[:-1])}.{path[-1]}"

    return cell


def compile_failing(
    edition: Edition, equations: Sequence[_Equation]
) -> Callable[[Any], list[tuple[int, Any, Any]]]:
    """
    Compile the equations of *edition* into a function listing those a report breaks.

    It returns ``(index, lhs, rhs)`` for each broken equation, in the order of
    *equations*, both sides summed as :func:`~gov_disclosure.check` sums them.
    """
    setup: list[str] = []
    cell = _reader(edition, object_namer(setup))
    tests: list[str] = []
    for i, eq in enumerate(equations):
        tests += [
            f"    a = {' + '.join(map(cell, eq.lhs))}",
            f"    b = {' + '.join(map(cell, eq.rhs))}",
            f"    if a != b: out.append(({i}, a, b))",
        ]
    source = "\n".join(["def failing(r):", *setup, "    out = []", *tests, "    return out"])
    ns: dict[str, Any] = {}
    exec(compile_cached(source, f"<gov_disclosure failing equations {edition.value}>"), ns)
    fn: Callable[[Any], list[tuple[int, Any, Any]]] = ns["failing"]
    return fn


def compile_blank_totals(
    edition: Edition, totals: Sequence[tuple[str, Sequence[str]]]
) -> Callable[[Any], list[tuple[int, Any, Any]]]:
    """
    Compile the rule S9 of *edition*: the blank totals whose parts do not add up to 0.

    *totals* lists each total cell with its parts; the function returns
    ``(index, sum of the parts, the total's value)`` for each total that is
    in ``report.blank_cells`` and whose parts add up to something, in order.
    """
    setup: list[str] = []
    cell = _reader(edition, object_namer(setup))
    tests: list[str] = []
    for i, (total, parts) in enumerate(totals):
        tests += [
            f"    if {total!r} in B:",
            f"        s = {' + '.join(map(cell, parts))}",
            f"        if s: out.append(({i}, s, {cell(total)}))",
        ]
    head = [
        "def blank_totals(r):",
        "    B = r.blank_cells",
        "    out = []",
        "    if not B: return out",
    ]
    source = "\n".join([*head, *setup, *tests, "    return out"])
    ns: dict[str, Any] = {}
    exec(compile_cached(source, f"<gov_disclosure blank totals {edition.value}>"), ns)
    fn: Callable[[Any], list[tuple[int, Any, Any]]] = ns["blank_totals"]
    return fn
