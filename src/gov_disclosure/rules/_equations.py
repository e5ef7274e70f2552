"""
The rules expanded into equations over cell keys, for each edition, from the catalogue.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol

from attrs import frozen

from ..catalogue import APPEAL_GROUPS, APPLICANT_COLUMNS, Edition, catalogue
from ..cells import CellValue
from ..errors import InvalidTypeError
from ..model import AnnualReport, OtherMatters
from ._finding import Finding
from ._rules import _RULES_BY_ID

# --- equations ------------------------------------------------------------


@frozen
class _Equation:
    """``sum(lhs) == sum(rhs)`` (or ``<=``) over cell keys; ``expected`` is the lhs."""

    rule: str
    subject: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    keys: tuple[str, ...]
    relation: str = "=="


@functools.cache
def _rows_with(edition: Edition, table: str, column: str) -> tuple[str, ...]:
    """The keys of the rows of *table* whose part has the column *column* (from the catalogue)."""
    return tuple(
        row.key
        for part in catalogue(edition).table(table).parts
        if any(c.key == column for c in part.columns)
        for row in part.rows
    )


def _appeal_parts() -> tuple[str, ...]:
    """The parts of a section 四 group that add up to its total (from the catalogue)."""
    part = catalogue(Edition.V2021).table("t4").parts[0]
    first = APPEAL_GROUPS[0][0]
    return tuple(
        c.key.split(".", 1)[1]
        for c in part.columns
        if c.key.startswith(f"{first}.") and not c.key.endswith(".total")
    )


_APPEAL_PARTS = _appeal_parts()


def fees_mentioned(other_matters: OtherMatters) -> bool:
    """
    Whether section 六 reports the 信息处理费 (rule S5): a stated figure, or the word in its text.

    A fee record that states no figure does not count.
    """
    fees = other_matters.fees
    if fees is not None and (
        fees.notices is not None
        or fees.notified_amount is not None
        or fees.collected_amount is not None
    ):
        return True
    return any(_FEE_WORD in p for p in other_matters.paragraphs)


#: A whole number of 万元 at or above this (1 billion CNY) suggests the amount is in 元.
_FEE_UNIT_THRESHOLD = Decimal(100000)


def fee_amount_suspect(amount: Decimal) -> bool:
    """Whether a 万元 fee amount looks entered in 元 (rule S6): a whole number of 100000 or more."""
    return amount >= _FEE_UNIT_THRESHOLD and amount == amount.to_integral_value()


#: The word section 六 uses for the information processing fee.
_FEE_WORD = "信息处理费"


def _t3_row_keys(edition: Edition) -> list[str]:
    part = catalogue(edition).table("t3").parts[0]
    return [r.key for r in part.rows]


def _outcome_rows(edition: Edition) -> list[str]:
    rows = _t3_row_keys(edition)
    return rows[rows.index("granted") : rows.index("total_processed")]


def _ordered(edition: Edition, keys: Iterable[str]) -> tuple[str, ...]:
    order = _order(edition)
    return tuple(sorted(set(keys), key=order.__getitem__))


@functools.cache
def _order(edition: Edition) -> dict[str, int]:
    return {k: i for i, k in enumerate(catalogue(edition).cells)}


@functools.cache
def _equations(edition: Edition) -> tuple[_Equation, ...]:
    cols = [c.key for c in APPLICANT_COLUMNS]
    parts = cols[:-1]
    rows = _t3_row_keys(edition)
    outcomes = _outcome_rows(edition)
    eqs: list[_Equation] = []

    def add(rule: str, subject: str, lhs: Sequence[str], rhs: Sequence[str]) -> None:
        eqs.append(
            _Equation(rule, subject, tuple(lhs), tuple(rhs), _ordered(edition, (*lhs, *rhs)))
        )

    for c in cols:
        add(
            "requests.balance",
            c,
            [f"t3.new_received.{c}", f"t3.carried_over.{c}"],
            [f"t3.total_processed.{c}", f"t3.carried_forward.{c}"],
        )
    for c in cols:
        add(
            "requests.outcome_total",
            c,
            [f"t3.{r}.{c}" for r in outcomes],
            [f"t3.total_processed.{c}"],
        )
    for r in rows:
        add("requests.row_total", r, [f"t3.{r}.{p}" for p in parts], [f"t3.{r}.total"])
    for g, _ in APPEAL_GROUPS:
        add(
            "appeals.total",
            g,
            [f"t4.{g}.{p}" for p in _APPEAL_PARTS],
            [f"t4.{g}.total"],
        )
    return tuple(eqs)


def _require_report(value: object, where: str) -> None:
    if not isinstance(value, AnnualReport):
        raise InvalidTypeError(where, value, "an AnnualReport")


class _Cells(Protocol):
    """What the rules read cells from: ``cells()``'s dict, or a view reading them on demand."""

    def __getitem__(self, key: str, /) -> CellValue: ...


def _sum(values: _Cells, keys: tuple[str, ...]) -> CellValue:
    total: CellValue = 0
    for k in keys:
        total += values[k]
    return total


def _finding(
    rule_id: str,
    subject: str,
    keys: tuple[str, ...],
    expected: CellValue | None,
    actual: CellValue | None,
    blank: frozenset[str],
    years: tuple[int, ...],
) -> Finding:
    # The message is written when first read (Finding.message); the object is
    # made without the generated __init__ (a frozen class's __init__ sets each
    # field through object.__setattr__): every value here is the rules' own.
    f = _new(Finding)
    _set_rule(f, rule_id)
    _set_severity(f, _RULES_BY_ID[rule_id].severity)
    _set_subject(f, subject)
    _set_cells(f, keys)
    _set_expected(f, expected)
    _set_actual(f, actual)
    _set_blank(f, tuple(filter(blank.__contains__, keys)) if blank else ())
    _set_years(f, years)
    _set_message(f, None)
    _set_contributions(f, None)
    return f


_new = object.__new__
_set_rule, _set_severity, _set_subject, _set_cells, _set_expected, _set_actual = (
    getattr(Finding, name).__set__
    for name in ("rule", "severity", "subject", "cells", "expected", "actual")
)
_set_blank, _set_years, _set_message, _set_contributions = (
    getattr(Finding, name).__set__ for name in ("blank_cells", "years", "_message", "contributions")
)
