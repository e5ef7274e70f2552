"""
The whole report: agency, year, edition and the six sections.

:class:`AnnualReport` holds a report exactly as printed.  Its validators check
each value's type and domain and that the section classes fit the edition;
they do not check the accounting identities, so that a published report with
wrong totals still loads and its errors can be shown by
:func:`gov_disclosure.check`.
"""

from __future__ import annotations

import re
from typing import Any

import attrs
from attrs import frozen

from ..catalogue import FIRST_YEAR, Edition, catalogue, last_year
from ..errors import InvalidTypeError, InvalidValueError, UnsupportedEditionError
from ._common import instance, text, texts, to_tuple
from .appeals import Appeals
from .narratives import General, OtherMatters, Problems
from .proactive import Proactive2019, Proactive2021
from .requests import ApplicantCounts, OtherHandling, Requests

__all__ = ["AnnualReport", "ExtraRow"]


@frozen(kw_only=True)
class ExtraRow:
    """
    A row printed in a table that the national format does not have (a local addition).

    Kept so that nothing printed is dropped; it takes part in no identity and
    has no cell key.  ``values`` are the cells as printed.

    .. versionadded:: 0.1.0
    """

    table: str = attrs.field(validator=text)
    label: str = attrs.field(validator=text)
    values: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)


def _year(inst: AnnualReport, attribute: attrs.Attribute[int], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidTypeError("AnnualReport.year", value, "an int")
    if value < FIRST_YEAR:
        raise UnsupportedEditionError(
            f"AnnualReport.year: {value} is before {FIRST_YEAR}, the first reporting "
            "year of the national format; earlier reports are out of scope",
            year=value,
        )
    if value > last_year():
        raise InvalidValueError(
            "AnnualReport.year", value, f"a reporting year from {FIRST_YEAR} to {last_year()}"
        )


#: Characters no agency's name holds: control characters and line or paragraph
#: separators (a name is one line; printed, such a character would break the
#: line it is on, or forge another: a CI annotation, a CSV row).
AGENCY_FORBIDDEN = "\x00-\x1f\x7f-\x9f\u2028\u2029"
#: Finds a character of :data:`AGENCY_FORBIDDEN` (for the builders that bypass the validator).
agency_forbidden = re.compile(f"[{AGENCY_FORBIDDEN}]").search


def _agency(inst: AnnualReport, attribute: attrs.Attribute[str], value: object) -> None:
    text(inst, attribute, value)
    if isinstance(value, str) and not value.strip():  # a str: checked by text()
        raise InvalidValueError("AnnualReport.agency", value, "the agency's name (not blank)")
    if isinstance(value, str) and agency_forbidden(value):
        raise InvalidValueError(
            "AnnualReport.agency", value, "the agency's name on one line (no control characters)"
        )


def _fits_year(inst: AnnualReport, attribute: attrs.Attribute[Edition], value: Edition) -> None:
    # The year is valid here (attrs validates the fields in order).
    if isinstance(value, Edition) and inst.year < value.earliest_year:
        raise InvalidValueError(
            "AnnualReport.edition",
            value.value,
            f"an edition in use for reporting year {inst.year} (the {value.value} edition "
            f"is used from {value.earliest_year} on)",
        )


def _default_edition(self: AnnualReport) -> Edition:
    year = self.year
    if isinstance(year, int) and not isinstance(year, bool) and year >= FIRST_YEAR:
        return Edition.for_year(year)
    # A placeholder: the year's own validator runs next and reports the bad
    # year as ``AnnualReport.year``.
    return Edition.V2021


def _default_proactive(self: AnnualReport) -> Proactive2019 | Proactive2021:
    return Proactive2019() if self.edition is Edition.V2019 else Proactive2021()


def _default_requests(self: AnnualReport) -> Requests:
    other: ApplicantCounts | OtherHandling = (
        ApplicantCounts.zero() if self.edition is Edition.V2019 else OtherHandling()
    )
    return Requests(other=other)


def _edition(value: Any) -> Any:
    # Lossless: the edition's own string value ("2019"/"2021") names it.
    if isinstance(value, str) and not isinstance(value, Edition):
        try:
            return Edition(value)
        except ValueError:
            raise UnsupportedEditionError(
                f"AnnualReport.edition: unknown edition {value!r}; "
                f"expected one of {[e.value for e in Edition]}"
            ) from None
    return value


def _blank(value: Any) -> Any:
    if isinstance(value, (set, list, tuple)):
        return frozenset(value)
    return value


def blank_held(report: AnnualReport) -> tuple[str, object] | None:
    """
    The first cell of ``report.blank_cells`` (by key) that holds something other than 0, with its value; else ``None``.

    A cell printed blank is held as 0 (an unstated section 六 figure, ``None``,
    may be marked blank too).  Internal: the model and the fast JSON paths
    share it.
    """
    cells = catalogue(report.edition).cells
    for key in sorted(report.blank_cells):
        value: object = report
        for name in cells[key].attr_path:
            value = getattr(value, name)
            if value is None:
                break
        if value is not None and value != 0:
            return key, value
    return None


@frozen(kw_only=True)
class AnnualReport:
    """
    One agency's annual report on government information disclosure for one year.

    ``edition`` defaults to the edition prescribed for ``year``; the sections
    default to empty narratives and zero tables of that edition.

    >>> r = AnnualReport(agency="某局", year=2021)
    >>> r.edition
    <Edition.V2021: '2021'>
    >>> type(r.proactive).__name__
    'Proactive2021'

    Attributes:
        agency: The reporting agency as printed (not empty or blank, on one
            line: no control characters or line separators).
        year: The reporting year, from 2019 to a few years after the
            current one (five years ahead: a later year is a typo).
        edition: The format edition the report follows: one in use for the
            year (:attr:`~gov_disclosure.Edition.earliest_year`; a 2022 report
            on the 2019 table loads, a 2019 report on the 2021 table does not).
        preamble: Paragraphs printed before section 一.
        general: Section 一, 总体情况.
        proactive: Section 二, :class:`Proactive2019` or :class:`Proactive2021`.
        requests: Section 三.
        appeals: Section 四.
        problems: Section 五.
        other_matters: Section 六.
        extra_rows: Rows printed in the tables that the format does not have.
        blank_cells: Keys of the cells that were printed blank (or ``/``,
            ``-``) and are held as 0; findings that depend on them say so.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       A blank agency, a year more than five years after the current one,
       and an edition issued after the year's reports are refused.
    """

    agency: str = attrs.field(validator=_agency)
    year: int = attrs.field(validator=_year)
    edition: Edition = attrs.field(
        converter=_edition,
        default=attrs.Factory(_default_edition, takes_self=True),
        validator=[instance(Edition), _fits_year],
    )
    preamble: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)
    general: General = attrs.field(factory=General, validator=instance(General))
    proactive: Proactive2019 | Proactive2021 = attrs.field(
        default=attrs.Factory(_default_proactive, takes_self=True),
        validator=instance(Proactive2019, Proactive2021),
    )
    requests: Requests = attrs.field(
        default=attrs.Factory(_default_requests, takes_self=True),
        validator=instance(Requests),
    )
    appeals: Appeals = attrs.field(factory=Appeals, validator=instance(Appeals))
    problems: Problems = attrs.field(factory=Problems, validator=instance(Problems))
    other_matters: OtherMatters = attrs.field(
        factory=OtherMatters, validator=instance(OtherMatters)
    )
    extra_rows: tuple[ExtraRow, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instance(tuple)
    )
    blank_cells: frozenset[str] = attrs.field(
        default=frozenset(), converter=_blank, validator=instance(frozenset)
    )

    @classmethod
    def blank(cls, *, agency: str, year: int, edition: Edition | str | None = None) -> AnnualReport:
        """
        An empty form: every cell of the tables blank, no narrative.

        The tables' cells are held as 0 and listed in ``blank_cells``, so every
        renderer leaves them empty (``render(AnnualReport.blank(...), "xlsx")``
        is the workbook a supervising office sends out to be filled in); the
        section 六 figures are unstated (``None``).

        >>> r = AnnualReport.blank(agency="某局", year=2026)
        >>> r.edition.value, len(r.blank_cells) == len(
        ...     [c for c in catalogue(r.edition).cells.values() if not c.optional]
        ... )
        ('2021', True)
        >>> "t3.new_received.total" in r.blank_cells
        True

        Args:
            agency: The reporting agency.
            year: The reporting year.
            edition: The format edition (default: the one prescribed for *year*).

        .. versionadded:: 0.1.0
        """
        if edition is None:
            report = cls(agency=agency, year=year)
        else:
            report = cls(agency=agency, year=year, edition=edition)
        keys = frozenset(k for k, c in catalogue(report.edition).cells.items() if not c.optional)
        return attrs.evolve(report, blank_cells=keys)

    def __attrs_post_init__(self) -> None:
        # Type-level consistency only (which classes fit the edition); the
        # accounting identities are checked by check(), never here.
        v2019 = self.edition is Edition.V2019
        want_p = Proactive2019 if v2019 else Proactive2021
        if type(self.proactive) is not want_p:
            raise InvalidTypeError(
                "AnnualReport.proactive",
                self.proactive,
                f"a {want_p.__name__} for edition {self.edition.value}",
            )
        want_o = ApplicantCounts if v2019 else OtherHandling
        if type(self.requests.other) is not want_o:
            raise InvalidTypeError(
                "AnnualReport.requests.other",
                self.requests.other,
                f"a {want_o.__name__} for edition {self.edition.value}",
            )
        for i, row in enumerate(self.extra_rows):
            if not isinstance(row, ExtraRow):
                raise InvalidTypeError(f"AnnualReport.extra_rows[{i}]", row, "an ExtraRow")
        if self.blank_cells:
            known = catalogue(self.edition).cells
            for key in sorted(self.blank_cells, key=repr):
                if not isinstance(key, str) or key not in known:
                    raise InvalidValueError(
                        "AnnualReport.blank_cells",
                        key,
                        f"a cell key of edition {self.edition.value}",
                    )
            held = blank_held(self)
            if held is not None:
                key, value = held
                raise InvalidValueError(
                    f"AnnualReport.blank_cells[{key!r}]",
                    value,
                    "0: a cell printed blank is held as 0",
                )
