"""
Section 三 (收到和处理政府信息公开申请情况): the seven-column table of requests.

Every row is an :class:`ApplicantCounts`.  The outcome groups 不予公开,
无法提供 and 不予处理 are classes of rows; （六）其他处理 is one row in the
2019 edition and a group of three rows (:class:`OtherHandling`) in the 2021
edition.  Totals are stored as printed; :meth:`ApplicantCounts.of` and
:meth:`Requests.of` compute them for authors.
"""

from __future__ import annotations

import attrs
from attrs import frozen

from ..errors import InvalidValueError
from ._common import count, instance

__all__ = [
    "ApplicantCounts",
    "Denials",
    "NotProcessed",
    "OtherHandling",
    "Requests",
    "Unable",
]


@frozen(kw_only=True)
class ApplicantCounts:
    """
    One row of section 三: applications by kind of applicant, and their total.

    ``total`` is stored as printed; use :meth:`of` to have it computed.

    >>> ApplicantCounts.of(natural_person=3, commercial=1).total
    4

    .. versionadded:: 0.1.0
    """

    natural_person: int = attrs.field(validator=count)
    commercial: int = attrs.field(validator=count)
    research: int = attrs.field(validator=count)
    social_welfare: int = attrs.field(validator=count)
    legal_service: int = attrs.field(validator=count)
    other_org: int = attrs.field(validator=count)
    total: int = attrs.field(validator=count)

    @classmethod
    def of(
        cls,
        *,
        natural_person: int = 0,
        commercial: int = 0,
        research: int = 0,
        social_welfare: int = 0,
        legal_service: int = 0,
        other_org: int = 0,
    ) -> ApplicantCounts:
        """Build a row from its parts (missing parts are 0), computing ``total``."""
        row = cls(  # validates the parts before they are added
            natural_person=natural_person,
            commercial=commercial,
            research=research,
            social_welfare=social_welfare,
            legal_service=legal_service,
            other_org=other_org,
            total=0,
        )
        return attrs.evolve(
            row,
            total=natural_person
            + commercial
            + research
            + social_welfare
            + legal_service
            + other_org,
        )

    @classmethod
    def zero(cls) -> ApplicantCounts:
        """A row of zeros."""
        return _ZERO

    def __add__(self, other: ApplicantCounts) -> ApplicantCounts:
        """Add two rows column by column (totals added as printed)."""
        if not isinstance(other, ApplicantCounts):
            return NotImplemented
        return ApplicantCounts(
            natural_person=self.natural_person + other.natural_person,
            commercial=self.commercial + other.commercial,
            research=self.research + other.research,
            social_welfare=self.social_welfare + other.social_welfare,
            legal_service=self.legal_service + other.legal_service,
            other_org=self.other_org + other.other_org,
            total=self.total + other.total,
        )


_ZERO = ApplicantCounts(
    natural_person=0,
    commercial=0,
    research=0,
    social_welfare=0,
    legal_service=0,
    other_org=0,
    total=0,
)


@frozen(kw_only=True)
class Denials:
    """
    （三）不予公开: the eight grounds for not disclosing.

    .. versionadded:: 0.1.0
    """

    state_secret: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))
    prohibited_by_law: ApplicantCounts = attrs.field(
        default=_ZERO, validator=instance(ApplicantCounts)
    )
    three_safety_one_stability: ApplicantCounts = attrs.field(
        default=_ZERO, validator=instance(ApplicantCounts)
    )
    third_party: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))
    internal_affairs: ApplicantCounts = attrs.field(
        default=_ZERO, validator=instance(ApplicantCounts)
    )
    process_info: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))
    enforcement_file: ApplicantCounts = attrs.field(
        default=_ZERO, validator=instance(ApplicantCounts)
    )
    query_matter: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))


@frozen(kw_only=True)
class Unable:
    """
    （四）无法提供: the three reasons information could not be provided.

    .. versionadded:: 0.1.0
    """

    not_held: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))
    needs_creation: ApplicantCounts = attrs.field(
        default=_ZERO, validator=instance(ApplicantCounts)
    )
    unclear_after_correction: ApplicantCounts = attrs.field(
        default=_ZERO, validator=instance(ApplicantCounts)
    )


@frozen(kw_only=True)
class NotProcessed:
    """
    （五）不予处理: the five kinds of applications not processed.

    .. versionadded:: 0.1.0
    """

    petition: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))
    duplicate: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))
    publication: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))
    excessive: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))
    confirm_existing: ApplicantCounts = attrs.field(
        default=_ZERO, validator=instance(ApplicantCounts)
    )


@frozen(kw_only=True)
class OtherHandling:
    """
    （六）其他处理 of the 2021 edition: three sub-rows.

    The 2019 edition has a single （六）其他处理 row, an
    :class:`ApplicantCounts`.

    .. versionadded:: 0.1.0
    """

    no_correction: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))
    unpaid_fee: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))
    other: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))

    def sum(self) -> ApplicantCounts:
        """The three sub-rows added up (``other_sum`` of the format)."""
        return self.no_correction + self.unpaid_fee + self.other


#: （六）其他处理 in either edition.
Other = ApplicantCounts | OtherHandling


def _groups_sum(rows: list[ApplicantCounts]) -> ApplicantCounts:
    acc = _ZERO
    for r in rows:
        acc = acc + r
    return acc


@frozen(kw_only=True)
class Requests:
    """
    Section 三: applications received and how they were handled.

    ``other`` is an :class:`ApplicantCounts` in the 2019 edition and an
    :class:`OtherHandling` in the 2021 edition; :class:`AnnualReport` checks
    that it fits the report's edition.

    .. versionadded:: 0.1.0
    """

    new_received: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))
    carried_over: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))
    granted: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))
    partial: ApplicantCounts = attrs.field(default=_ZERO, validator=instance(ApplicantCounts))
    deny: Denials = attrs.field(factory=Denials, validator=instance(Denials))
    unable: Unable = attrs.field(factory=Unable, validator=instance(Unable))
    not_processed: NotProcessed = attrs.field(
        factory=NotProcessed, validator=instance(NotProcessed)
    )
    other: ApplicantCounts | OtherHandling = attrs.field(
        validator=instance(ApplicantCounts, OtherHandling)
    )
    total_processed: ApplicantCounts = attrs.field(
        default=_ZERO, validator=instance(ApplicantCounts)
    )
    carried_forward: ApplicantCounts = attrs.field(
        default=_ZERO, validator=instance(ApplicantCounts)
    )

    def outcomes(self) -> list[ApplicantCounts]:
        """The outcome rows （一）…（六） in order (the 2021 （六） as its three sub-rows)."""
        rows = [self.granted, self.partial]
        rows += [getattr(self.deny, f.name) for f in attrs.fields(Denials)]
        rows += [getattr(self.unable, f.name) for f in attrs.fields(Unable)]
        rows += [getattr(self.not_processed, f.name) for f in attrs.fields(NotProcessed)]
        if isinstance(self.other, OtherHandling):
            rows += [self.other.no_correction, self.other.unpaid_fee, self.other.other]
        else:
            rows.append(self.other)
        return rows

    @classmethod
    def of(
        cls,
        *,
        other: ApplicantCounts | OtherHandling,
        new_received: ApplicantCounts = _ZERO,
        carried_over: ApplicantCounts = _ZERO,
        granted: ApplicantCounts = _ZERO,
        partial: ApplicantCounts = _ZERO,
        deny: Denials | None = None,
        unable: Unable | None = None,
        not_processed: NotProcessed | None = None,
        carried_forward: ApplicantCounts | None = None,
    ) -> Requests:
        """
        Build section 三 for an author: ``total_processed`` is the sum of the outcome rows.

        ``carried_forward`` defaults to what balances the table (new +
        carried over - outcomes).  Pass ``other=ApplicantCounts.zero()`` for
        a 2019-edition report and ``other=OtherHandling()`` for a 2021 one.

        Raises:
            InvalidValueError: the outcomes exceed the applications, so no
                non-negative ``carried_forward`` balances the table.
        """
        draft = cls(
            new_received=new_received,
            carried_over=carried_over,
            granted=granted,
            partial=partial,
            deny=deny if deny is not None else Denials(),
            unable=unable if unable is not None else Unable(),
            not_processed=not_processed if not_processed is not None else NotProcessed(),
            other=other,
        )
        total_processed = _groups_sum(draft.outcomes())
        if carried_forward is None:
            values = {}
            for f in attrs.fields(ApplicantCounts):
                value = (
                    getattr(new_received, f.name)
                    + getattr(carried_over, f.name)
                    - getattr(total_processed, f.name)
                )
                if value < 0:
                    raise InvalidValueError(
                        f"Requests.carried_forward.{f.name}",
                        value,
                        "a non-negative int (the outcomes exceed the applications)",
                    )
                values[f.name] = value
            carried_forward = ApplicantCounts(**values)
        return attrs.evolve(draft, total_processed=total_processed, carried_forward=carried_forward)
