"""
The flat cell view: every numeric cell of a report under its stable key.

The keys are the public contract of ``spec/CELLS.md`` (``t3.granted.total``);
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

from ._catalogue import Catalogue, Edition, ValueKind, catalogue
from .errors import CellsError
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

__all__ = ["CellValue", "cells", "from_cells"]

#: The value of one cell, a count (int) or an amount of money (Decimal).
CellValue = int | Decimal


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
    Return every numeric cell of *report*, keyed as in ``spec/CELLS.md``, in reading order.

    Section 六's 信息处理费 keys (``t6.fees.*``) appear only when the report
    states them: an absent key means "not stated", not zero.

    >>> from gov_disclosure import AnnualReport
    >>> c = cells(AnnualReport(agency="某局", year=2021))
    >>> c["t3.new_received.total"], c["t2.fees.amount"]
    (0, Decimal('0'))

    .. versionadded:: 0.1.0
    """
    out: dict[str, CellValue] = {key: get(report) for key, get in _getters(report.edition)}
    fees = report.other_matters.fees
    if fees is not None:
        for name in ("notices", "notified_amount", "collected_amount"):
            value = getattr(fees, name)
            if value is not None:
                out[f"t6.fees.{name}"] = value
    return out


def _check_value(kind: ValueKind, value: object) -> str | None:
    if kind is ValueKind.MONEY:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            return f"expected a Decimal, got {type(value).__name__} {value!r}"
        if isinstance(value, Decimal) and not value.is_finite():
            return f"expected a finite Decimal, got {value!r}"
        if value < 0:
            return f"expected a non-negative amount, got {value!r}"
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return f"expected an int, got {type(value).__name__} {value!r}"
    if kind is ValueKind.COUNT and value < 0:
        return f"expected a non-negative int, got {value!r}"
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


def _build(
    cls: type,
    path: tuple[str, ...],
    values: Mapping[tuple[str, ...], Any],
    overrides: dict[tuple[str, ...], type],
) -> Any:
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in attrs.fields(cls):
        p = (*path, f.name)
        if p in values:
            kwargs[f.name] = values[p]
            continue
        sub = overrides.get(p, hints[f.name])
        if attrs.has(sub):
            kwargs[f.name] = _build(sub, p, values, overrides)
    return cls(**kwargs)


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

    .. versionadded:: 0.1.0
    """
    ed = Edition(edition) if edition is not None else _infer_edition(values, year)
    cat: Catalogue = catalogue(ed)
    unknown = tuple(k for k in values if k not in cat.cells)
    missing = tuple(k for k, c in cat.cells.items() if not c.optional and k not in values)
    invalid = []
    by_path: dict[tuple[str, ...], Any] = {}
    for key, value in values.items():
        cell = cat.cells.get(key)
        if cell is None:
            continue
        problem = _check_value(cell.kind, value)
        if problem is not None:
            invalid.append((key, problem))
            continue
        if cell.kind is ValueKind.MONEY and not isinstance(value, Decimal):
            value = Decimal(value)
        by_path[cell.attr_path] = value
    if unknown or missing or invalid:
        raise CellsError(unknown=unknown, missing=missing, invalid=tuple(invalid))
    overrides = _overrides(ed)
    section_types: dict[str, type] = {
        "proactive": overrides[("proactive",)],
        "requests": Requests,
        "appeals": Appeals,
    }
    sections = {
        name: _build(cls, (name,), by_path, overrides) for name, cls in section_types.items()
    }
    fee_values = {p[-1]: v for p, v in by_path.items() if p[:2] == ("other_matters", "fees")}
    other_matters = OtherMatters(fees=InformationFees(**fee_values) if fee_values else None)
    return AnnualReport(
        agency=agency, year=year, edition=ed, other_matters=other_matters, **sections
    )
