"""
The flat cell view: every numeric cell of a report under its stable key.

The keys are the public contract of ``docs/spec/CELLS.md`` (``t3.granted.total``);
exports, databases and the corpus ground truth use them.  The mapping from a
key to the attribute path on :class:`AnnualReport` comes from the catalogue,
so this module names no cell itself.
"""

from __future__ import annotations

import functools
import operator
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from .catalogue import Edition, ValueKind, catalogue
from .errors import CellsError, InvalidTypeError, UnsupportedEditionError
from .model import (
    AnnualReport,
    Appeals,
    ApplicantCounts,
    InformationFees,
    OtherHandling,
    OtherMatters,
    Proactive2019,
    Proactive2021,
    Requests,
)
from .model._common import MONEY_DOMAIN, count_in_domain, money_in_domain

__all__ = ["CellValue", "cells", "from_cells"]

#: The value of one cell, a count (int) or an amount of money (Decimal).
CellValue = int | Decimal


@functools.cache
def _optional(edition: Edition) -> tuple[tuple[str, str], ...]:
    """The optional cells (section 六's fee figures): key and field name on ``InformationFees``."""
    return tuple(
        (key, c.attr_path[-1]) for key, c in catalogue(edition).cells.items() if c.optional
    )


@functools.cache
def _getters(edition: Edition) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    cat = catalogue(edition)
    return tuple(
        (key, operator.attrgetter(".".join(c.attr_path)))
        for key, c in cat.cells.items()
        if not c.optional
    )


def cells(report: AnnualReport) -> dict[str, CellValue]:
    """
    Return every numeric cell of *report*, keyed as in ``docs/spec/CELLS.md``, in reading order.

    Section 六's 信息处理费 keys (``t6.fees.*``) appear only when the report
    states them: an absent key means "not stated", not zero.

    >>> from gov_disclosure import AnnualReport
    >>> c = cells(AnnualReport(agency="某局", year=2021))
    >>> c["t3.new_received.total"], c["t2.fees.amount"]
    (0, Decimal('0'))

    .. versionadded:: 0.1.0
    """
    if not isinstance(report, AnnualReport):
        raise InvalidTypeError("cells(report)", report, "an AnnualReport")
    out: dict[str, CellValue] = {key: get(report) for key, get in _getters(report.edition)}
    fees = report.other_matters.fees
    if fees is not None:
        for key, name in _optional(report.edition):
            value = getattr(fees, name)
            if value is not None:
                out[key] = value
    return out


def _check_value(kind: ValueKind, value: object) -> str | None:
    if kind is ValueKind.MONEY:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            return f"expected a Decimal, got {type(value).__name__} {value!r}"
        if isinstance(value, int):
            value = Decimal(value)
        if not money_in_domain(value):
            return f"expected {MONEY_DOMAIN}, got {value!r}"
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return f"expected an int, got {type(value).__name__} {value!r}"
    if not count_in_domain(value, signed=kind is ValueKind.SIGNED):
        if value < 0 and kind is ValueKind.COUNT:
            return f"expected a non-negative int, got {value!r}"
        return f"expected an int between -2**63 and 2**63, got {value!r}"
    return None


def _infer_edition(keys: Mapping[str, object], year: int) -> Edition:
    if "t3.other.total" in keys:
        return Edition.V2019
    if "t3.other.other.total" in keys:
        return Edition.V2021
    return Edition.for_year(year)


def _overrides(edition: Edition) -> dict[tuple[str, ...], type]:
    v2019 = edition is Edition.V2019
    return {
        ("proactive",): Proactive2019 if v2019 else Proactive2021,
        ("requests", "other"): ApplicantCounts if v2019 else OtherHandling,
    }


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


#: How to build one attrs class from a cell dict: the class, then for each
#: field either the cell key that fills it or the plan of its nested class.
_Plan = tuple[type, tuple[tuple[str, "str | None", "_Plan | None"], ...]]


def _plan_of(
    cls: type, path: tuple[str, ...], keys: dict[tuple[str, ...], str], edition: Edition
) -> _Plan:
    hints = _hints(cls)
    overrides = _overrides(edition)
    fields: list[tuple[str, str | None, _Plan | None]] = []
    for f in attrs.fields(cls):
        p = (*path, f.name)
        if p in keys:
            fields.append((f.name, keys[p], None))
            continue
        sub = overrides.get(p, hints[f.name])
        if attrs.has(sub):
            fields.append((f.name, None, _plan_of(sub, p, keys, edition)))
        # Anything else (the procurement unit) keeps its default.
    return cls, tuple(fields)


@functools.cache
def _plans(edition: Edition) -> tuple[tuple[str, _Plan], ...]:
    """The build plans of the table sections of *edition*, from the catalogue's attribute paths."""
    cat = catalogue(edition)
    keys = {c.attr_path: k for k, c in cat.cells.items() if not c.optional}
    sections: tuple[tuple[str, type], ...] = (
        ("proactive", _overrides(edition)[("proactive",)]),
        ("requests", Requests),
        ("appeals", Appeals),
    )
    return tuple((name, _plan_of(cls, (name,), keys, edition)) for name, cls in sections)


def _make(plan: _Plan, values: Mapping[str, Any]) -> Any:
    cls, fields = plan
    return cls(
        **{
            name: values[key] if key is not None else _make(sub, values)  # type: ignore[arg-type]
            for name, key, sub in fields
        }
    )


@functools.cache
def _kinds(edition: Edition) -> tuple[dict[str, ValueKind], tuple[str, ...]]:
    """Every key of *edition* with its value kind, and the required keys."""
    cat = catalogue(edition)
    return (
        {k: c.kind for k, c in cat.cells.items()},
        tuple(k for k, c in cat.cells.items() if not c.optional),
    )


def from_cells(
    values: Mapping[str, CellValue],
    *,
    agency: str,
    year: int,
    edition: Edition | str | None = None,
) -> AnnualReport:
    """
    Build a report from a flat cell mapping: the inverse of :func:`cells`.

    Narratives are empty.  The edition is taken from *edition*, else from the
    keys (``t3.other.total`` is 2019-only, ``t3.other.other.total``
    2021-only), else from *year*.  Money may be given as ``Decimal`` or
    ``int``.

    >>> from gov_disclosure import AnnualReport
    >>> r = AnnualReport(agency="某局", year=2020)
    >>> from_cells(cells(r), agency="某局", year=2020) == r
    True

    Raises:
        CellsError: some keys are unknown or missing, or some values have the
            wrong type or domain; every problem is listed at once.
        UnsupportedEditionError: *edition* names no edition, or no edition
            is given or inferable from the keys and *year* is before 2019.

    .. versionadded:: 0.1.0
    """
    if not isinstance(values, Mapping):
        raise CellsError(
            invalid=(
                (
                    "from_cells(values)",
                    f"expected a mapping of cell keys to values, got {type(values).__name__}",
                ),
            )
        )
    bad_keys = tuple(repr(k) for k in values if not isinstance(k, str))
    if bad_keys:
        raise CellsError(unknown=bad_keys)
    if edition is None:
        ed = _infer_edition(values, year)
    else:
        try:
            ed = Edition(edition)
        except ValueError:
            raise UnsupportedEditionError(
                f"from_cells(edition): unknown edition {edition!r}; "
                f"expected one of {[e.value for e in Edition]}"
            ) from None
    kinds, required = _kinds(ed)
    unknown = tuple(k for k in values if k not in kinds)
    missing = tuple(k for k in required if k not in values)
    invalid = []
    checked: dict[str, Any] = {}
    for key, value in values.items():
        kind = kinds.get(key)
        if kind is None:
            continue
        if (
            type(value) is int
            and kind is not ValueKind.MONEY
            and (value >= 0 or kind is ValueKind.SIGNED)
        ):
            checked[key] = value  # the common case, decided without _check_value
            continue
        problem = _check_value(kind, value)
        if problem is not None:
            invalid.append((key, problem))
            continue
        if kind is ValueKind.MONEY and not isinstance(value, Decimal):
            value = Decimal(value)
        checked[key] = value
    if unknown or missing or invalid:
        raise CellsError(unknown=unknown, missing=missing, invalid=tuple(invalid))
    sections = {name: _make(plan, checked) for name, plan in _plans(ed)}
    fee_values = {name: checked[key] for key, name in _optional(ed) if key in checked}
    other_matters = OtherMatters(fees=InformationFees(**fee_values) if fee_values else None)
    return AnnualReport(
        agency=agency, year=year, edition=ed, other_matters=other_matters, **sections
    )
