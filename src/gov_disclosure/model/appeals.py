"""
Section 四 (政府信息公开行政复议、行政诉讼情况): three groups of five counts.

The groups are administrative reconsideration, suits filed directly, and
suits filed after reconsideration; each counts upheld, corrected, other,
pending and the total.
"""

from __future__ import annotations

import attrs
from attrs import frozen

from ._common import count, instance

__all__ = ["AppealCounts", "Appeals"]


@frozen(kw_only=True)
class AppealCounts:
    """
    One group of section 四: 结果维持, 结果纠正, 其他结果, 尚未审结 and 总计.

    >>> AppealCounts.of(upheld=2, pending=1).total
    3

    .. versionadded:: 0.1.0
    """

    upheld: int = attrs.field(validator=count)
    corrected: int = attrs.field(validator=count)
    other: int = attrs.field(validator=count)
    pending: int = attrs.field(validator=count)
    total: int = attrs.field(validator=count)

    @classmethod
    def of(
        cls, *, upheld: int = 0, corrected: int = 0, other: int = 0, pending: int = 0
    ) -> AppealCounts:
        """Build a group from its parts (missing parts are 0), computing ``total``."""
        group = cls(upheld=upheld, corrected=corrected, other=other, pending=pending, total=0)
        return attrs.evolve(group, total=upheld + corrected + other + pending)


_ZERO = AppealCounts(upheld=0, corrected=0, other=0, pending=0, total=0)


@frozen(kw_only=True)
class Appeals:
    """
    Section 四: reconsideration and litigation about disclosure decisions.

    .. versionadded:: 0.1.0
    """

    review: AppealCounts = attrs.field(default=_ZERO, validator=instance(AppealCounts))
    litigation_direct: AppealCounts = attrs.field(default=_ZERO, validator=instance(AppealCounts))
    litigation_after_review: AppealCounts = attrs.field(
        default=_ZERO, validator=instance(AppealCounts)
    )
