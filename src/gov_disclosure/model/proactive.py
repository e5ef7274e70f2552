"""
Section 二 (主动公开政府信息情况): one class per edition.

The 2019 and 2021 editions ask different questions about proactively
disclosed items (the 2019 edition counts items and their yearly change and
has a procurement row; the 2021 edition counts documents issued, repealed and
in force), so each has its own section class.  Field names are the cell keys
of ``docs/spec/CELLS.md``; labels live in the catalogue.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
from attrs import frozen

from ..errors import InvalidValueError
from ._common import count, instance, money, signed, text

__all__ = [
    "Decisions",
    "Documents2019",
    "Documents2021",
    "FeeAmount",
    "FeeItems2019",
    "Items2019",
    "Proactive2019",
    "Proactive2021",
    "Procurement2019",
]

_ZERO = Decimal(0)


@frozen(kw_only=True)
class Documents2021:
    """
    规章 / 行政规范性文件 counts of the 2021 edition (第二十条第（一）项).

    .. versionadded:: 0.1.0
    """

    issued: int = attrs.field(validator=count)
    repealed: int = attrs.field(validator=count)
    in_force: int = attrs.field(validator=count)


@frozen(kw_only=True)
class Decisions:
    """
    本年处理决定数量 of a 2021-edition row (licensing, penalties, compulsion).

    .. versionadded:: 0.1.0
    """

    decisions: int = attrs.field(validator=count)


@frozen(kw_only=True)
class FeeAmount:
    """
    行政事业性收费 of the 2021 edition: fees collected this year, in 万元 (10k CNY).

    .. versionadded:: 0.1.0
    """

    amount: Decimal = attrs.field(validator=money)


def _docs21() -> Documents2021:
    return Documents2021(issued=0, repealed=0, in_force=0)


def _dec() -> Decisions:
    return Decisions(decisions=0)


@frozen(kw_only=True)
class Proactive2021:
    """
    Section 二 of the 2021 edition.

    Every row defaults to zeros, so an author states only what is not zero.

    .. versionadded:: 0.1.0
    """

    regulations: Documents2021 = attrs.field(factory=_docs21, validator=instance(Documents2021))
    normative_documents: Documents2021 = attrs.field(
        factory=_docs21, validator=instance(Documents2021)
    )
    licensing: Decisions = attrs.field(factory=_dec, validator=instance(Decisions))
    punishment: Decisions = attrs.field(factory=_dec, validator=instance(Decisions))
    coercion: Decisions = attrs.field(factory=_dec, validator=instance(Decisions))
    fees: FeeAmount = attrs.field(
        factory=lambda: FeeAmount(amount=_ZERO), validator=instance(FeeAmount)
    )


@frozen(kw_only=True)
class Documents2019:
    """
    规章 / 规范性文件 counts of the 2019 edition (第二十条第（一）项).

    .. versionadded:: 0.1.0
    """

    new_made: int = attrs.field(validator=count)
    new_published: int = attrs.field(validator=count)
    total_published: int = attrs.field(validator=count)


@frozen(kw_only=True)
class Items2019:
    """
    A 2019-edition row of items: count at the end of last year, signed change, decisions.

    .. versionadded:: 0.1.0
    """

    last_year_items: int = attrs.field(validator=count)
    change: int = attrs.field(validator=signed)
    decisions: int = attrs.field(validator=count)


@frozen(kw_only=True)
class FeeItems2019:
    """
    行政事业性收费 of the 2019 edition: items at the end of last year and the signed change.

    .. versionadded:: 0.1.0
    """

    last_year_items: int = attrs.field(validator=count)
    change: int = attrs.field(validator=signed)


def _unit(inst: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None:
        text(inst, attribute, value)
        if value == "":
            # None says "no unit printed"; "" would be a second way to say it.
            raise InvalidValueError(
                f"{type(inst).__name__}.{attribute.name}", value, "a unit as printed, or None"
            )


@frozen(kw_only=True)
class Procurement2019:
    """
    政府集中采购 of the 2019 edition: number of projects and total amount.

    The header does not fix the unit of the amount; reports write it in the
    cell (``251000元``).  ``amount_unit`` keeps the unit as printed
    (``"元"``, ``"万元"``) or ``None`` when none was printed.

    .. versionadded:: 0.1.0
    """

    items: int = attrs.field(validator=count)
    amount: Decimal = attrs.field(validator=money)
    amount_unit: str | None = attrs.field(default=None, validator=_unit)


def _docs19() -> Documents2019:
    return Documents2019(new_made=0, new_published=0, total_published=0)


def _items19() -> Items2019:
    return Items2019(last_year_items=0, change=0, decisions=0)


@frozen(kw_only=True)
class Proactive2019:
    """
    Section 二 of the 2019 edition (reporting years 2019 and 2020).

    .. versionadded:: 0.1.0
    """

    regulations: Documents2019 = attrs.field(factory=_docs19, validator=instance(Documents2019))
    normative_documents: Documents2019 = attrs.field(
        factory=_docs19, validator=instance(Documents2019)
    )
    licensing: Items2019 = attrs.field(factory=_items19, validator=instance(Items2019))
    other_management_services: Items2019 = attrs.field(
        factory=_items19, validator=instance(Items2019)
    )
    punishment: Items2019 = attrs.field(factory=_items19, validator=instance(Items2019))
    coercion: Items2019 = attrs.field(factory=_items19, validator=instance(Items2019))
    fees: FeeItems2019 = attrs.field(
        factory=lambda: FeeItems2019(last_year_items=0, change=0), validator=instance(FeeItems2019)
    )
    procurement: Procurement2019 = attrs.field(
        factory=lambda: Procurement2019(items=0, amount=_ZERO), validator=instance(Procurement2019)
    )
