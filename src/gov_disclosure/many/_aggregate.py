"""
Many reports of one year as one: the 汇总 (aggregate) of several agencies' reports.

A supervising office (a city's 政务公开办, a province's) publishes the sum of
its agencies' reports.  Adding them up by hand is where totals go wrong, so
this module adds them cell by cell, exactly, driven by the catalogue (no cell
is listed here), and keeps the contributing reports so that a broken identity
in the sum can be traced back to the reports that break it.

The sum is an :class:`Aggregate`, which *is* an
:class:`~gov_disclosure.AnnualReport` (a subclass adding the contributors),
so :func:`gov_disclosure.check`, the cell view, serialization and rendering
accept it unchanged; :meth:`Aggregate.trace` says which contributors break
each finding.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, Inexact, localcontext
from typing import Any

import attrs
from attrs import frozen

from .._messages import M_
from ..catalogue import MONEY_UNITS, Edition, ValueKind, catalogue
from ..cells import CellValue, cells, from_cells
from ..errors import InvalidTypeError, ReportsError
from ..model import AnnualReport, ExtraRow, General, InformationFees, OtherMatters, Problems
from ..rules import Contribution, Finding, check
from ..rules._finding import NAMED

__all__ = ["Aggregate", "Contribution", "TracedFinding", "aggregate", "with_contributions"]


@frozen(kw_only=True)
class TracedFinding:
    """
    A finding on the sum, with the contributing reports that break the same rule.

    The same facts as :attr:`Finding.contributions
    <gov_disclosure.Finding.contributions>`, returned by
    :meth:`Aggregate.trace`, which can name the contributors in your terms
    (file names, say) rather than by their position.

    Attributes:
        finding: The finding on the sum.
        contributions: The contributors whose own check gives a finding of
            the same rule and subject, in input order.

    .. versionadded:: 0.1.0
    """

    finding: Finding
    contributions: tuple[Contribution, ...] = ()

    @property
    def from_sum(self) -> bool:
        """``True`` when no contributor breaks the rule on its own."""
        return not self.contributions

    @property
    def message(self) -> str:
        """The finding's message followed by the contributors at fault (``reports[i] agency``)."""
        return _traced_message(self, _position)


def _position(i: int) -> str:
    """The default name of the *i*-th input report in messages."""
    return f"reports[{i}]"


#: The end of the message of a finding on a sum that no contributor breaks on its own.
NO_CONTRIBUTOR_SUFFIX = " [no contributing report breaks it on its own]"


def _suffix(contributions: Sequence[Contribution], names: Callable[[int], str]) -> str:
    """The part of a message on a sum that names the contributors at fault."""
    if not contributions:
        return NO_CONTRIBUTOR_SUFFIX
    who = "; ".join(
        f"{names(c.index)} {c.agency}: expected {c.finding.expected}, got {c.finding.actual}"
        for c in contributions[:NAMED]
    )
    more = len(contributions) - NAMED
    return f" [from {who}{f'; and {more} more' if more > 0 else ''}]"


def _traced_message(t: TracedFinding, names: Callable[[int], str]) -> str:
    """A traced finding's message, the contributors named by *names* (position -> name)."""
    base = t.finding.message
    default = _suffix(t.contributions, _position)
    if t.finding.contributions is not None and base.endswith(default):
        # check() of an aggregate named them by position already.
        base = base[: -len(default)]
    return base + _suffix(t.contributions, names)


def with_contributions(report: AnnualReport, findings: list[Finding]) -> list[Finding]:
    """
    *findings* of *report*, each with its contributions when *report* is an :class:`Aggregate` (internal: used by :func:`~gov_disclosure.check`).

    A contributor's own findings are computed once, by :func:`check` (so a
    contributor that is itself a sum brings its own contributions).
    Findings that already say their contributions (``()`` included) are
    returned as they are.
    """
    if not isinstance(report, Aggregate) or not findings:
        return findings
    wanted = {(f.rule, f.subject) for f in findings if f.contributions is None}
    if not wanted:
        return findings
    by_equation: dict[tuple[str, str], list[Contribution]] = defaultdict(list)
    for i, r in enumerate(report.contributors):
        for g in check(r):
            if (g.rule, g.subject) in wanted:
                by_equation[(g.rule, g.subject)].append(
                    Contribution(index=i, agency=r.agency, finding=g)
                )
    out = []
    for f in findings:
        if f.contributions is not None or (f.rule, f.subject) not in wanted:
            out.append(f)
            continue
        found = tuple(by_equation.get((f.rule, f.subject), ()))
        out.append(
            attrs.evolve(f, contributions=found, message=f.message + _suffix(found, _position))
        )
    return out


def _contributors(value: Iterable[AnnualReport]) -> tuple[AnnualReport, ...]:
    return tuple(value)


def _keys(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _fields(report: AnnualReport) -> dict[str, Any]:
    """The constructor arguments of the plain report inside *report*."""
    return {str(f.alias): getattr(report, f.name) for f in attrs.fields(AnnualReport)}


@frozen(kw_only=True)
class Aggregate(AnnualReport):
    """
    The sum (汇总) of several agencies' reports of one year: an :class:`~gov_disclosure.AnnualReport` that remembers its contributors.

    Returned by :func:`aggregate`.  Everything that takes a report takes an
    aggregate (:func:`~gov_disclosure.check`, :func:`~gov_disclosure.cells`,
    rendering, serialization).  Two aggregates are equal when their report
    fields are; an aggregate is never equal to a plain report (attrs
    compares classes): compare :attr:`report` for that.

    Attributes:
        contributors: The reports added up, in input order (not compared, not
            shown in the repr).
        unstated: Section 六 fee keys (``t6.fees.*``) that some contributors
            state and others do not: they are left out of the sum rather than
            summed over part of the agencies.

    .. versionadded:: 0.1.0
    """

    contributors: tuple[AnnualReport, ...] = attrs.field(
        default=(), converter=_contributors, eq=False, repr=False
    )
    unstated: frozenset[str] = attrs.field(default=frozenset(), converter=_keys)

    @property
    def report(self) -> AnnualReport:
        """The sum as a plain :class:`~gov_disclosure.AnnualReport` (for equality with other reports, or storage)."""
        return AnnualReport(**_fields(self))

    def trace(self, findings: Iterable[Finding] | None = None) -> list[TracedFinding]:
        """
        Say, for each finding on the sum, which contributing reports break the same identity.

        Args:
            findings: Findings on this aggregate (default: ``check(self)``).

        Returns:
            One :class:`TracedFinding` per finding, in the same order.

        >>> import gov_disclosure as gd
        >>> ok = gd.AnnualReport(agency="甲局", year=2021)
        >>> bad = attrs.evolve(ok, agency="乙局", requests=attrs.evolve(ok.requests,
        ...     granted=gd.ApplicantCounts.of(natural_person=2)))
        >>> total = gd.aggregate([ok, bad], agency="某市（汇总）")
        >>> [(t.finding.rule, [c.agency for c in t.contributions]) for t in total.trace()][:1]
        [('requests.outcome_total', ['乙局'])]

        .. versionadded:: 0.1.0
        """
        found = check(self) if findings is None else with_contributions(self, list(findings))
        return [TracedFinding(finding=f, contributions=f.contributions or ()) for f in found]

    def _explain_findings(self, findings: list[Finding]) -> list[Finding]:
        # Called by check() (the rules layer, which cannot import this one).
        return with_contributions(self, findings)


#: Units of money a 2019-edition procurement amount may be printed in, as multiples of 元.
_UNITS = MONEY_UNITS
#: The unit an aggregate converts mixed units to: the format's unit for amounts.
_TARGET_UNIT = "万元"


def _where(i: int, r: AnnualReport, names: Callable[[int], str]) -> str:
    return f"{names(i)} ({r.agency})"


def _report_list(func: str, reports: object) -> list[object]:
    """The items of *reports*, or a :class:`ReportsError` naming the argument when it is no collection."""
    if isinstance(reports, AnnualReport):
        raise ReportsError(
            M_(
                "{func}(reports): expected an iterable of AnnualReport, got a single report ({agency}, {year}); pass a list, e.g. [report]",
                func=func,
                agency=reports.agency,
                year=reports.year,
            )
        )
    if reports is None or isinstance(reports, (str, bytes)) or not isinstance(reports, Iterable):
        raise ReportsError(
            M_(
                "{func}(reports): expected an iterable of AnnualReport (a list of reports), got {type} {reports!r:.60}",
                func=func,
                type=type(reports).__name__,
                reports=reports,
            )
        )
    return list(reports)


def _validate(
    rs: Sequence[object], allow_duplicates: bool, names: Callable[[int], str]
) -> tuple[AnnualReport, ...]:
    if not rs:
        raise ReportsError(
            M_("aggregate: no reports to add up (an empty list has no edition or year)")
        )
    for i, r in enumerate(rs):
        if not isinstance(r, AnnualReport):
            raise InvalidTypeError(f"aggregate(reports[{i}])", r, "an AnnualReport")
    reports: tuple[AnnualReport, ...] = tuple(rs)  # type: ignore[arg-type]
    first = reports[0]
    for i, r in enumerate(reports):
        if r.edition is not first.edition or r.year != first.year:
            raise ReportsError(
                M_(
                    "aggregate: {report} is year {year}, edition {edition}, but {first} is year {first_year}, edition {first_edition}; only reports of one year and one edition add up",
                    report=_where(i, r, names),
                    year=r.year,
                    edition=r.edition.value,
                    first=_where(0, first, names),
                    first_year=first.year,
                    first_edition=first.edition.value,
                ),
                index=i,
                agency=r.agency,
                other_index=0,
            )
    if not allow_duplicates:
        seen: dict[tuple[str, int], int] = {}
        for i, r in enumerate(reports):
            j = seen.setdefault((r.agency, r.year), i)
            if j != i:
                raise ReportsError(
                    M_(
                        "aggregate: {report} repeats {other} (same agency, year {year}); pass allow_duplicates=True if both really are to be counted",
                        report=_where(i, r, names),
                        other=_where(j, reports[j], names),
                        year=r.year,
                    ),
                    index=i,
                    agency=r.agency,
                    other_index=j,
                )
    return reports


def _unit_cells(edition: Edition) -> list[tuple[str, Any, str]]:
    """Money cells whose model object records the printed unit (``<name>_unit``), from the catalogue."""
    out = []
    probe = AnnualReport(agency="probe", year=2019 if edition is Edition.V2019 else 2021)
    for key, c in catalogue(edition).cells.items():
        if c.kind is not ValueKind.MONEY or c.optional:
            continue
        parent = ".".join(c.attr_path[:-1])
        unit_attr = f"{c.attr_path[-1]}_unit"
        if hasattr(operator.attrgetter(parent)(probe), unit_attr):
            out.append((key, operator.attrgetter(parent), unit_attr))
    return out


def _sum_with_units(
    key: str,
    items: list[tuple[int, AnnualReport, Decimal, str | None]],
    names: Callable[[int], str],
) -> tuple[Decimal, str | None]:
    """Add amounts printed in possibly different units, exactly, or refuse."""
    stated = [(i, r, a, u) for i, r, a, u in items if a != 0]
    units = {u for *_, u in stated}
    if len(units) <= 1:
        unit = next(iter(units)) if units else None
        if not stated:
            all_units = {u for *_, u in items}
            unit = next(iter(all_units)) if len(all_units) == 1 else None
        return sum((a for _, _, a, _ in items), Decimal(0)), unit
    if None in units:
        i, r, *_ = next(t for t in stated if t[3] is None)
        j, q, _, q_unit = next(t for t in stated if t[3] is not None)
        raise ReportsError(
            M_(
                "aggregate: {key} of {report} is printed without a unit while {other} states {q_unit!r}; the amounts cannot be added without knowing the unit (set {key}'s unit on {report} first)",
                key=key,
                report=_where(i, r, names),
                other=_where(j, q, names),
                q_unit=q_unit,
            ),
            index=i,
            agency=r.agency,
            other_index=j,
        )
    unknown = [t for t in stated if t[3] not in _UNITS]
    if unknown:
        i, r, _, u = unknown[0]
        raise ReportsError(
            M_(
                "aggregate: {key} of {report} is in {u!r}, which cannot be converted to {target} (known units: {units})",
                key=key,
                report=_where(i, r, names),
                u=u,
                target=_TARGET_UNIT,
                units=", ".join(_UNITS),
            ),
            index=i,
            agency=r.agency,
        )
    scale = _UNITS[_TARGET_UNIT]
    total = Decimal(0)
    for _, _, a, u in stated:
        assert u is not None
        total += a * _UNITS[u] / scale
    return total, _TARGET_UNIT


def aggregate(
    reports: Iterable[AnnualReport],
    *,
    agency: str,
    allow_duplicates: bool = False,
    preamble: Sequence[str] = (),
    general: General | None = None,
    problems: Problems | None = None,
    other_matters: Sequence[str] = (),
    extra_rows: Sequence[ExtraRow] | None = None,
) -> Aggregate:
    """
    Add up several agencies' reports of one year into one (the 汇总).

    Every cell of the edition (taken from the catalogue) is the sum of the
    contributors' cells; money adds exactly, as :class:`~decimal.Decimal`.
    Totals are added as printed, not recomputed, so a contributor's wrong
    total shows in the sum and :meth:`Aggregate.trace` finds it.

    * **Narratives** are not summed: the sum's preamble and sections 一, 五
      and 六 are what the caller passes, else empty.
    * **Extra rows** (rows an agency printed that the format does not have)
      are not summed either, since two agencies' local rows rarely mean the
      same thing, but never dropped: by default the sum carries every
      contributor's extra rows, in input order, each label prefixed by its
      agency (``"市教育局：依申请公开咨询"``); pass *extra_rows* to give
      the sum's own instead (``()`` for none).  Section 六's
      信息处理费 figures are cells and do add; a figure stated by some
      contributors but not all is left out and listed in
      :attr:`Aggregate.unstated` (a sum over part of the agencies would be
      silently low).
    * **Blank cells**: a cell of the sum is blank only when it is blank in
      every contributor (one agency's printed 0 or value is a statement).
    * **Units**: a 2019-edition procurement amount keeps the unit its
      reports print.  Amounts printed in 元 and in 万元 are converted
      exactly to 万元; an amount printed without a unit next to one with a
      unit is refused (zero amounts have no unit problem).

    Args:
        reports: The reports to add up: one year, one edition.
        agency: The agency of the sum (``"某市人民政府（汇总）"``).
        allow_duplicates: Accept two reports of the same agency and year.
        preamble: Paragraphs before section 一 of the sum.
        general: Section 一 of the sum.
        problems: Section 五 of the sum.
        other_matters: Paragraphs of section 六 of the sum.
        extra_rows: The sum's extra rows; by default the contributors',
            labels prefixed by the agency and ``：``.

    Returns:
        The sum, an :class:`Aggregate` (an :class:`~gov_disclosure.AnnualReport`).

    Raises:
        ReportsError: *reports* is not a collection of reports (``None``,
            a single report); no reports; reports of different years or
            editions; the same agency and year twice (unless allowed);
            amounts whose units cannot be reconciled.  The message names the
            report.
        InvalidTypeError: an item is not an :class:`~gov_disclosure.AnnualReport`.

    >>> import gov_disclosure as gd
    >>> a = gd.AnnualReport(agency="甲局", year=2021, requests=gd.Requests.of(
    ...     new_received=gd.ApplicantCounts.of(natural_person=3),
    ...     granted=gd.ApplicantCounts.of(natural_person=3), other=gd.OtherHandling()))
    >>> b = attrs.evolve(a, agency="乙局")
    >>> total = gd.aggregate([a, b], agency="某市人民政府（汇总）")
    >>> total.requests.granted.total, gd.check(total)
    (6, [])

    .. versionadded:: 0.1.0
    """
    return _aggregate(
        _report_list("aggregate", reports),
        _position,
        agency=agency,
        allow_duplicates=allow_duplicates,
        preamble=preamble,
        general=general,
        problems=problems,
        other_matters=other_matters,
        extra_rows=extra_rows,
    )


def _tagged(r: AnnualReport) -> list[ExtraRow]:
    """A contributor's extra rows, each label prefixed by its agency."""
    return [attrs.evolve(e, label=f"{r.agency}：{e.label}") for e in r.extra_rows]


def _aggregate(
    items: Sequence[object],
    names: Callable[[int], str],
    *,
    agency: str,
    allow_duplicates: bool = False,
    preamble: Sequence[str] = (),
    general: General | None = None,
    problems: Problems | None = None,
    other_matters: Sequence[str] = (),
    extra_rows: Sequence[ExtraRow] | None = None,
) -> Aggregate:
    """:func:`aggregate` of *items*, the reports named by *names* in messages (file names in the CLI)."""
    rs = _validate(items, allow_duplicates, names)
    first = rs[0]
    edition = first.edition
    cat = catalogue(edition)
    required = [k for k, c in cat.cells.items() if not c.optional]
    optional = [k for k, c in cat.cells.items() if c.optional]
    totals: dict[str, CellValue] = dict.fromkeys(required, 0)
    stated: dict[str, int] = dict.fromkeys(optional, 0)
    opt_totals: dict[str, CellValue] = dict.fromkeys(optional, 0)
    unit_cells = _unit_cells(edition)
    unit_items: dict[str, list[tuple[int, AnnualReport, Decimal, str | None]]] = {
        key: [] for key, *_ in unit_cells
    }
    with localcontext() as ctx:
        # Money must add exactly: a precision no report reaches, and any
        # rounding would raise rather than pass silently.
        ctx.prec = 200
        ctx.traps[Inexact] = True
        for i, r in enumerate(rs):
            values = cells(r)
            for k in required:
                totals[k] += values[k]
            for k in optional:
                if k in values:
                    stated[k] += 1
                    opt_totals[k] += values[k]
            for key, get_parent, unit_attr in unit_cells:
                amount = values[key]
                assert isinstance(amount, Decimal)
                unit_items[key].append((i, r, amount, getattr(get_parent(r), unit_attr)))
        units: dict[str, str | None] = {}
        for key in unit_items:
            totals[key], units[key] = _sum_with_units(key, unit_items[key], names)
    n = len(rs)
    complete = {k: opt_totals[k] for k in optional if stated[k] == n}
    unstated = frozenset(k for k in optional if 0 < stated[k] < n)
    base = from_cells({**totals, **complete}, agency=agency, year=first.year, edition=edition)
    for key, _, unit_attr in unit_cells:
        # Put the unit back on the object that holds the amount.
        path = cat.cells[key].attr_path[:-1]
        base = _evolve_path(base, path, {unit_attr: units[key]})
    blank = frozenset.intersection(*(r.blank_cells for r in rs))
    fees = base.other_matters.fees
    fields = _fields(base)
    fields.update(
        preamble=tuple(preamble),
        general=general if general is not None else General(),
        problems=problems if problems is not None else Problems(),
        other_matters=OtherMatters(
            paragraphs=tuple(other_matters), fees=fees if _any_fee(fees) else None
        ),
        blank_cells=blank,
        extra_rows=(
            tuple(extra_rows) if extra_rows is not None else [e for r in rs for e in _tagged(r)]
        ),
    )
    return Aggregate(**fields, contributors=rs, unstated=unstated)


def _any_fee(fees: InformationFees | None) -> bool:
    return fees is not None and any(
        getattr(fees, a.name) is not None for a in attrs.fields(InformationFees)
    )


def _evolve_path(obj: Any, path: Sequence[str], changes: dict[str, Any]) -> Any:
    """``attrs.evolve`` a nested attribute at *path* of *obj*."""
    if not path:
        return attrs.evolve(obj, **changes)
    head, *rest = path
    return attrs.evolve(obj, **{head: _evolve_path(getattr(obj, head), rest, changes)})
