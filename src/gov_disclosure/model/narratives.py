"""
The narrative sections 一 (总体情况), 五 (存在的主要问题及改进情况) and 六 (其他需要报告的事项).

Narratives keep their text exactly as printed, as a tuple of paragraphs.
Section 一 may be split into headed subsections (the free-form "（一）…"
headings agencies use); section 六 also carries the 信息处理费 figures when a
report states them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
from attrs import frozen

from ._common import instance, optional_count, optional_money, text, texts, to_tuple

__all__ = ["General", "InformationFees", "OtherMatters", "Problems", "Subsection"]


@frozen(kw_only=True)
class Subsection:
    """
    A headed part of a narrative section (e.g. "（一）主动公开方面").

    .. versionadded:: 0.1.0
    """

    heading: str = attrs.field(validator=text)
    paragraphs: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)


def _subsections(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    instance(tuple)(inst, attribute, value)
    assert isinstance(value, tuple)
    for item in value:
        instance(Subsection)(inst, attribute, item)


@frozen(kw_only=True)
class General:
    """
    Section 一, 总体情况: paragraphs, then optional headed subsections.

    .. versionadded:: 0.1.0
    """

    paragraphs: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)
    subsections: tuple[Subsection, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_subsections
    )


@frozen(kw_only=True)
class Problems:
    """
    Section 五, 存在的主要问题及改进情况: paragraphs as printed.

    .. versionadded:: 0.1.0
    """

    paragraphs: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)


@frozen(kw_only=True)
class InformationFees:
    """
    信息处理费 figures stated in section 六 (2021 edition, under 国办函〔2020〕109号).

    Each figure is ``None`` when the report does not state it: absent is not zero.
    Amounts are in 元.  A record that states no figure at all says nothing
    that ``OtherMatters.fees = None`` does not; renderers print nothing for
    it and parsers read it back as ``None``.

    .. versionadded:: 0.1.0
    """

    notices: int | None = attrs.field(default=None, validator=optional_count)
    notified_amount: Decimal | None = attrs.field(default=None, validator=optional_money)
    collected_amount: Decimal | None = attrs.field(default=None, validator=optional_money)


@frozen(kw_only=True)
class OtherMatters:
    """
    Section 六, 其他需要报告的事项: paragraphs, and the 信息处理费 figures when stated.

    .. versionadded:: 0.1.0
    """

    paragraphs: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)
    fees: InformationFees | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance(InformationFees))
    )
